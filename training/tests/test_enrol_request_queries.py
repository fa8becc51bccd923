"""The self-enrolment request's statements (issue 17: a whole country enrols at once).

Counted through the test client, so the sign-in, the session's visibility, the seat lock,
the judged first result, the audit entries and the notice all count. A change that adds a
round trip to every enrolment fails here."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from notifications.models import Notification
from registry.models import AuditEntry
from training.models import Enrolment

pytestmark = pytest.mark.django_db


def statements(captured) -> list[str]:
    """What the request sent, without the test transaction's savepoints."""
    return [q["sql"] for q in captured if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


def test_a_self_enrolment_takes_nine_statements_and_writes_each_row_once(client, users, session):
    client.force_login(users[Role.TEACHER])
    url = reverse("training:enrol", args=[session.pk])
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url)
    assert response.status_code == 302
    sent = statements(captured)
    # session and user (with person) / the session the user may see, locked / places and seats /
    # the session's hours and whether its course has a post-test, in one statement /
    # enrolment, audit and notice rows / the account's channels (the account is the one
    # signed in: not looked up).
    assert len(sent) == 9, sent
    # The first result is judged before the INSERT: no UPDATE of the row just written.
    assert not [s for s in sent if s.startswith("UPDATE")]
    enrolment = Enrolment.objects.get(session=session, person=users[Role.TEACHER].person)
    assert enrolment.status == "enrolled" and enrolment.result != ""
    entries = AuditEntry.objects.filter(object_type="enrolment", object_id=str(enrolment.pk))
    assert entries.count() == 2  # the new row, and its first result
    # The notice reaches the account that enrolled.
    assert Notification.objects.filter(
        recipient=users[Role.TEACHER], kind="enrolment_confirmed"
    ).exists()


def test_a_second_click_takes_five_statements_and_writes_nothing(client, users, session):
    client.force_login(users[Role.TEACHER])
    url = reverse("training:enrol", args=[session.pk])
    client.post(url)
    with CaptureQueriesContext(connection) as captured:
        client.post(url)
    sent = statements(captured)
    assert len(sent) == 5, sent
    assert not [s for s in sent if s.split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert Enrolment.objects.filter(session=session).count() == 1


@pytest.mark.parametrize("role", list(Role))
def test_session_for_view_is_the_orms_for_every_role(users, session, course, role):
    """The compiled session_for_view finds what the ORM's scope finds, for every role, for a
    draft course (office staff only) and an open one, and nothing in another office."""
    from django.http import Http404

    from krupd.testing import make_office, make_user
    from training import access
    from training.models import Session
    from training.queries import courses_visible_to

    user = users.get(role) or make_user(f"u-{role}", role, office=course.office)
    for status in ("draft", "open"):
        course.status = status
        course.save(update_fields=["status"])
        orm = Session.objects.filter(pk=session.pk, course__in=courses_visible_to(user)).first()
        for locked in (False, True):  # self-enrolment reads it locked
            try:
                found = access.session_for_view(user, session.pk, locked=locked)
            except Http404:
                found = None
            assert (found and found.pk) == (orm and orm.pk), (role, status, locked)
            if found is not None:
                assert found.course.office.pk == course.office_id
    elsewhere = make_user(f"x-{role}", role, office=make_office("7699", "สพป.อื่น"))
    for locked in (False, True):
        with pytest.raises(Http404):
            access.session_for_view(elsewhere, session.pk, locked=locked)


def test_self_enrolment_in_a_session_the_user_cannot_see_is_not_found(client, users, session):
    """The session is looked up with the user's scope inside the enrolment itself: a session
    of another office (or of a draft course) answers 404 and enrols nobody."""
    session.course.status = "draft"
    session.course.save(update_fields=["status"])
    client.force_login(users[Role.TEACHER])
    response = client.post(reverse("training:enrol", args=[session.pk]))
    assert response.status_code == 404
    assert not Enrolment.objects.filter(session=session).exists()


def test_the_sessions_statement_agrees_with_course_has_post_test(session, course, users):
    """The self-enrolment's one statement of the course's side (hours, post-test) says what
    course_has_post_test and the session's days say, in each way a course gets a post-test
    or does not: a module quiz's questions and an online attempt do not make one; a final
    question in the system, or a score recorded from paper, do."""
    from training.models import Module, Question, ResultSource, SessionDay, TestAttempt
    from training.results import _sessions_side, course_has_post_test

    def agrees() -> bool:
        hours, has_post_test = _sessions_side([session.pk])[session.pk]
        days = SessionDay.objects.filter(session=session)
        assert hours == sum((d.hours for d in days), Decimal("0")) == Decimal("12")
        assert has_post_test == course_has_post_test(course)
        return has_post_test

    assert agrees() is False
    module = Module.objects.create(course=course, order=1, title="หน่วยที่ 1")
    Question.objects.create(course=course, module=module, text="ข้อ 1", choices=["ก", "ข"],
                            correct=0)  # fmt: skip
    assert agrees() is False
    enrolment = Enrolment.objects.create(
        course=course, session=session, person=users[Role.TEACHER].person, status="enrolled"
    )
    TestAttempt.objects.create(enrolment=enrolment, kind="post", source=ResultSource.ONLINE)
    assert agrees() is False
    TestAttempt.objects.create(
        enrolment=enrolment, kind="post", number=2, source=ResultSource.PAPER, score=8,
        max_score=10,
    )  # fmt: skip
    assert agrees() is True
    TestAttempt.objects.filter(source=ResultSource.PAPER).delete()
    Question.objects.create(course=course, text="ข้อ 2", choices=["ก", "ข"], correct=1)
    assert agrees() is True
