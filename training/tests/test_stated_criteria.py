"""The criteria a course states (its page, the signed credential's narrative) are the ones
judge applies: a workshop whose post-test was taken on paper lists the post-test, one
without a post-test does not, and a self-paced course does not claim an attendance rule."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from training import actions, results
from training.certificates import pass_criteria
from training.models import Course

pytestmark = pytest.mark.django_db

POST_TEST = "คะแนนแบบทดสอบหลังเรียนไม่น้อยกว่าร้อยละ 60"
ATTENDANCE = "ลงเวลาเข้าร่วมไม่น้อยกว่าร้อยละ 80"


def test_a_workshop_states_the_post_test_once_it_is_a_criterion(
    client_for, users, course, session, teacher_person
):
    officer = users[Role.DEVELOPMENT_OFFICER]
    page = client_for(Role.TEACHER).get(reverse("training:course_detail", args=[course.pk]))
    assert ATTENDANCE in page.content.decode() and POST_TEST not in page.content.decode()
    assert ATTENDANCE in pass_criteria(course) and POST_TEST not in pass_criteria(course)
    learner = actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)
    actions.record_paper_scores(
        acting_user=officer,
        session=session,
        rows=[actions.PaperRow(enrolment=learner, post=4)],
        pre_max=None,
        post_max=10,
    )
    learner.refresh_from_db()
    assert "ยังไม่ถึงเกณฑ์ 60%" in learner.result_text  # judge applies it now
    page = client_for(Role.TEACHER).get(reverse("training:course_detail", args=[course.pk]))
    assert POST_TEST in page.content.decode()
    assert POST_TEST in pass_criteria(course)


def test_a_self_paced_course_states_no_attendance_rule(office):
    course = Course.objects.create(
        office=office, title="e-Training", mode="online", hours=10, fiscal_year=2569
    )
    stated = pass_criteria(course)
    assert "เข้าร่วม" not in stated and POST_TEST in stated
    assert "ผ่านแบบทดสอบท้ายหน่วยทุกหน่วย" in stated
    assert results.criteria(course) == results.requirements(course)[:-1]
