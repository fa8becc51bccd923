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


def test_the_evaluation_says_which_of_its_participants_the_results_table_counts(
    client_for, users, session
):
    """The results table links each course to its evaluation page: the table counted 2
    participants (finished sessions only) and the page, one click on, said 3 with nothing to
    tell them apart. The page now names those of sessions still running and repeats the
    table's figures."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from training import queries
    from training.models import Session

    officer = users[Role.DEVELOPMENT_OFFICER]
    office = session.course.office
    for i in range(2):
        actions.enrol(acting_user=officer, session=session,
                      person=make_person(office, None, first_name=f"จบแล้ว{i}"))  # fmt: skip
    today = timezone.localdate()
    running = actions.save_session(
        acting_user=officer,
        session=Session(course=session.course, name="รุ่นที่ 2", start_date=today,
                        end_date=today + dt.timedelta(days=1), capacity=5,
                        hours_per_day=Decimal("6")),
    )  # fmt: skip
    actions.enrol(acting_user=officer, session=running,
                  person=make_person(office, None, first_name="ยังไม่จบ"))  # fmt: skip
    (row,) = queries.results_table(officer, fiscal_year=session.course.fiscal_year)
    assert (row.participants, row.passed, row.open_participants) == (2, 0, 1)
    html = (
        client_for(Role.DEVELOPMENT_OFFICER)
        .get(reverse("training:evaluation", args=[session.course_id]))
        .content.decode()
    )
    note = html.split('id="evaluation-open"')[1].split("</p>")[0]
    assert "ผู้เข้าร่วม 3 คน รวมผู้ที่อยู่ในรุ่นที่ยังไม่จบ 1 คน" in note
    assert "ผู้เข้าร่วม 2 คน ผ่าน 0 คน" in note
