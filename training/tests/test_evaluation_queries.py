"""The course evaluation page (pre/post statistics, satisfaction) asks the database the same
number of questions however many participants answered the survey."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from krupd.testing import make_person
from training import actions

pytestmark = pytest.mark.django_db


def _answer(officer, session, count, start):
    office = session.course.office
    items = actions.survey_items_for(office)
    rows = []
    for i in range(start, start + count):
        person = make_person(office, None, first_name=f"ผู้ตอบ{i}")
        enrolment = actions.enrol(acting_user=officer, session=session, person=person)
        rows.append(
            actions.PaperRow(
                enrolment=enrolment, pre=i % 10, post=10,
                survey={item.pk: 1 + (i + item.pk) % 5 for item in items}, comment=f"ข้อเสนอ {i}",
            )
        )  # fmt: skip
    actions.record_paper_scores(
        acting_user=officer, session=session, rows=rows, pre_max=10, post_max=10
    )


def test_the_evaluation_page_does_not_ask_once_per_participant(client_for, users, session):
    officer = users[Role.DEVELOPMENT_OFFICER]
    session.capacity = 50
    session.save()
    client = client_for(Role.DEVELOPMENT_OFFICER)
    url = reverse("training:evaluation", args=[session.course_id])

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        assert page.status_code == 200
        return len(captured.captured_queries), page.content.decode()

    _answer(officer, session, 2, 0)
    few, page = queries()
    assert "ข้อเสนอ 1" in page
    _answer(officer, session, 6, 2)
    many, page = queries()
    assert "ข้อเสนอ 7" in page
    assert many == few


def test_has_survey_follows_the_offices_items_without_writing_any(db):
    """No item yet: the standard items will be given (a survey); every item switched off: no
    survey; one item on: a survey. Asking writes nothing."""
    from krupd.testing import make_office
    from training import queries
    from training.models import SurveyItem

    office = make_office("7690", "สพป.ทดสอบแบบประเมิน")
    assert queries.has_survey(office.pk) is True
    assert not SurveyItem.objects.filter(office=office).exists()
    items = actions.survey_items_for(office)
    SurveyItem.objects.filter(office=office).update(active=False)
    assert queries.has_survey(office.pk) is False
    SurveyItem.objects.filter(pk=items[-1].pk).update(active=True)
    assert queries.has_survey(office.pk) is True
