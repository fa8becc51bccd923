"""Training forms sent twice (a double click, a reload of the result, Back and send again,
two officers at once): the second sending changes nothing and says so in Thai."""

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from registry.models import AuditEntry
from training import actions
from training.actions import TrainingError
from training.models import Enrolment, SurveyResponse
from training.models import TestAttempt as Attempt
from training.models import TestKind as Kind

pytestmark = pytest.mark.django_db


def answered(page: str, questions) -> dict[str, str]:
    """The test page's form with every question answered right, as the browser sends it."""
    form = {f"q{q.pk}": str(q.correct) for q in questions}
    if sent := re.search(r'name="attempt" value="(\d+)"', page):
        form["attempt"] = sent[1]
    return form


@pytest.fixture
def learner(users, session, teacher_person):
    return actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)


def test_a_test_sent_twice_uses_one_try(client_for, learner, questions):
    client = client_for(Role.TEACHER)
    url = reverse("training:test", args=[learner.course_id, Kind.POST])
    form = answered(client.get(url).content.decode(), questions)
    first = client.post(url, form)
    again = client.post(url, form)  # the same answers, sent again
    assert first.status_code == again.status_code == 302
    attempts = Attempt.objects.filter(enrolment=learner, kind=Kind.POST)
    assert [(a.number, a.score, a.submitted_at is not None) for a in attempts] == [(1, 3, True)]
    said = [str(m) for m in client.get(again.url).context["messages"]]
    assert any("ครั้งที่ 1 ส่งคำตอบไปแล้ว" in m for m in said)
    # The next try is still there, opened on purpose.
    assert actions.attempts_left(learner, Kind.POST) == 1


def test_a_test_sent_twice_on_the_last_try_is_not_refused_as_no_tries_left(
    client_for, learner, questions
):
    learner.course.post_test_attempts = 1
    learner.course.save()
    client = client_for(Role.TEACHER)
    url = reverse("training:test", args=[learner.course_id, Kind.POST])
    form = answered(client.get(url).content.decode(), questions)
    client.post(url, form)
    again = client.post(url, form)
    said = [str(m) for m in client.get(again.url).context["messages"]]
    assert not any("ครบแล้ว" in m for m in said)
    assert Attempt.objects.filter(enrolment=learner, kind=Kind.POST).count() == 1


def test_a_survey_sent_twice_at_once_is_kept_once_with_a_thai_message(users, learner):
    """Two sendings of one survey that both read the participant's record before either
    wrote (two taps at once, each request with its own copy) used to meet on the one-answer
    constraint: a server error for the second. It is the same Thai refusal as a survey
    answered earlier."""
    items = actions.survey_items_for(learner.course.office)
    scores = {item.pk: 4 for item in items}
    stale = Enrolment.objects.get(pk=learner.pk)
    assert not hasattr(stale, "survey")  # this request has looked: no answer yet
    actions.submit_survey(acting_user=users[Role.TEACHER], enrolment=learner, scores=scores,
                          comment="")  # fmt: skip
    with pytest.raises(TrainingError, match="ตอบแบบประเมินแล้ว"):
        actions.submit_survey(acting_user=users[Role.TEACHER], enrolment=stale, scores=scores,
                              comment="")  # fmt: skip
    assert SurveyResponse.objects.filter(enrolment=learner).count() == 1


def test_a_survey_sent_twice_through_the_page_is_kept_once(client_for, learner):
    client = client_for(Role.TEACHER)
    url = reverse("training:survey", args=[learner.course_id])
    form = {f"item{item.pk}": "5" for item in actions.survey_items_for(learner.course.office)}
    assert client.post(url, form).status_code == 302
    again = client.post(url, form)
    assert again.status_code in (200, 302)
    assert SurveyResponse.objects.filter(enrolment=learner).count() == 1


def test_a_roll_call_sent_twice_is_audited_once(client_for, session, learner):
    """The roll call of a past day sent again (a reload, a second officer with the same ticks)
    wrote a second correction entry that added and removed nobody."""
    day = session.days.first()
    client = client_for(Role.DEVELOPMENT_OFFICER)
    url = reverse("training:roll_call", args=[day.pk])
    form = {"present": [str(learner.pk)]}
    assert client.post(url, form).status_code == 302
    entries = AuditEntry.objects.filter(object_type="sessionday", object_id=str(day.pk))
    assert entries.count() == 1
    assert client.post(url, form).status_code == 302
    assert entries.count() == 1
    assert day.attendance.count() == 1
    # A real change is still a correction, audited.
    assert client.post(url, {}).status_code == 302
    assert entries.count() == 2 and day.attendance.count() == 0


def test_a_first_roll_call_with_nobody_present_is_still_audited(users, session, learner):
    day = session.days.first()
    actions.roll_call(acting_user=users[Role.DEVELOPMENT_OFFICER], day=day, present_ids=set())
    assert AuditEntry.objects.filter(object_type="sessionday", object_id=str(day.pk)).count() == 1


def test_paper_scores_saved_twice_are_audited_once(users, session, learner):
    officer = users[Role.DEVELOPMENT_OFFICER]
    rows = [actions.PaperRow(enrolment=learner, pre=4, post=8)]
    sheet = {"acting_user": officer, "session": session, "pre_max": 10, "post_max": 10}
    assert actions.record_paper_scores(rows=rows, **sheet) == 1
    entries = AuditEntry.objects.filter(object_type="session", object_id=str(session.pk))
    audited = entries.count()
    assert actions.record_paper_scores(rows=rows, **sheet) == 0
    assert entries.count() == audited
    assert Attempt.objects.filter(enrolment=learner).count() == 2
