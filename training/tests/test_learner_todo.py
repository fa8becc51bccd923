"""The home page's "still to do" of a participant lists only what can still be done: a
post-test while its window is open, a survey while the office asks one."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from training import actions, queries
from training.models import Course, Question, Session, SurveyItem

pytestmark = pytest.mark.django_db


def _course_ended(office, officer, person, *, days_ago: int, test_days: int, title: str):
    today = timezone.localdate()
    course = Course.objects.create(office=office, title=title, mode="workshop", hours=6,
                                   fiscal_year=2570, test_days_after_end=test_days)  # fmt: skip
    Question.objects.create(course=course, text="ข้อ 1", choices=["ก", "ข"], correct=0)
    end = today - dt.timedelta(days=days_ago)
    session = actions.save_session(
        acting_user=officer,
        session=Session(course=course, start_date=end, end_date=end, capacity=5,
                        hours_per_day=Decimal("6")),
    )  # fmt: skip
    actions.enrol(acting_user=officer, session=session, person=person)
    return course


def test_a_post_test_whose_window_has_closed_is_not_still_to_do(
    client_for, users, office, teacher_person
):
    """The test closed 7 days after the session: 10 days after it, the home page still
    asked the teacher to take it (for 30 days), and the test page refused her."""
    officer = users[Role.DEVELOPMENT_OFFICER]
    closed = _course_ended(office, officer, teacher_person, days_ago=10, test_days=7,
                           title="ปิดสอบแล้ว")  # fmt: skip
    last_day = _course_ended(office, officer, teacher_person, days_ago=7, test_days=7,
                             title="สอบได้ถึงวันนี้")  # fmt: skip
    todo = queries.learner_todo(teacher_person.pk, timezone.localdate())
    tests = [course_id for what, course_id, _ in todo if what == "ทำแบบทดสอบหลังเรียน"]
    assert tests == [last_day.pk]
    # The survey is still asked of both: it has no closing day.
    surveys = {course_id for what, course_id, _ in todo if what == "ตอบแบบประเมินความพึงพอใจ"}
    assert surveys == {closed.pk, last_day.pk}
    html = client_for(Role.TEACHER).get("/").content.decode()
    assert "ทำแบบทดสอบหลังเรียน: สอบได้ถึงวันนี้" in html
    assert "ทำแบบทดสอบหลังเรียน: ปิดสอบแล้ว" not in html


def test_no_survey_is_asked_when_the_office_has_switched_every_item_off(
    client_for, users, office, teacher_person
):
    officer = users[Role.DEVELOPMENT_OFFICER]
    _course_ended(office, officer, teacher_person, days_ago=1, test_days=7, title="ไม่มีแบบประเมิน")
    actions.survey_items_for(office)  # the standard items, then all switched off
    SurveyItem.objects.filter(office=office).update(active=False)
    todo = queries.learner_todo(teacher_person.pk, timezone.localdate())
    assert [what for what, _, _ in todo] == ["ทำแบบทดสอบหลังเรียน"]
    html = client_for(Role.TEACHER).get("/").content.decode()
    assert "ทำแบบทดสอบหลังเรียน: ไม่มีแบบประเมิน" in html
    assert "ตอบแบบประเมินความพึงพอใจ: ไม่มีแบบประเมิน" not in html


def test_the_course_page_asks_no_survey_the_office_does_not_ask(
    client_for, users, office, teacher_person
):
    """With every item switched off the course page still offered "ตอบแบบประเมิน", and
    sending the empty form recorded an answered survey with no answers in it."""
    from training.models import SurveyResponse

    officer = users[Role.DEVELOPMENT_OFFICER]
    course = _course_ended(office, officer, teacher_person, days_ago=1, test_days=7,
                           title="ไม่มีแบบประเมิน")  # fmt: skip
    client = client_for(Role.TEACHER)
    page = client.get(f"/training/courses/{course.pk}/").content.decode()
    assert "ตอบแบบประเมิน</a>" in page
    actions.survey_items_for(office)  # the standard items, then all switched off
    SurveyItem.objects.filter(office=office).update(active=False)
    page = client.get(f"/training/courses/{course.pk}/").content.decode()
    assert "ตอบแบบประเมิน</a>" not in page and "แบบประเมินความพึงพอใจ" not in page
    html = client.post(f"/training/courses/{course.pk}/survey/", {"comment": ""}).content.decode()
    assert "ยังไม่ได้เปิดใช้ข้อคำถามแบบประเมินความพึงพอใจ" in html
    assert not SurveyResponse.objects.exists()
