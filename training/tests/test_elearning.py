"""Self-paced online courses: sequential unlocking, saved progress, attempt limits that
survive leaving, and completion issuing the certificate."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from training import actions, results
from training.actions import TrainingError
from training.models import Certificate, Course, Lesson, Module, Question, Session
from training.models import TestKind as Kind

from .conftest import study

pytestmark = pytest.mark.django_db


@pytest.fixture
def online(office, users, teacher_person):
    course = Course.objects.create(office=office, title="e-Training การออกแบบการเรียนรู้",
                                   mode="online", hours=20, fiscal_year=2569,
                                   test_days_after_end=3650)  # fmt: skip
    for order in (1, 2):
        module = Module.objects.create(
            course=course, order=order, title=f"หน่วย {order}", quiz_attempts=2
        )
        Lesson.objects.create(module=module, order=1, title=f"บทเรียน {order}", body="เนื้อหา")
        Question.objects.create(
            course=course, module=module, text="ข้อใดถูก", choices=["ก", "ข"], correct=1
        )
    Question.objects.create(course=course, text="สอบปลายหลักสูตร", choices=["ถูก", "ผิด"], correct=0)
    session = actions.save_session(
        acting_user=users[Role.DEVELOPMENT_OFFICER],
        session=Session(
            course=course,
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 1, 1),
            capacity=100,
        ),
    )
    enrolment = actions.enrol(
        acting_user=users[Role.TEACHER], session=session, person=teacher_person
    )
    return course, enrolment


def pass_module(user, enrolment, module):
    for lesson in module.lessons.all():
        study(user, enrolment, lesson, minutes=enrolment.course.min_lesson_minutes)
        actions.complete_lesson(acting_user=user, enrolment=enrolment, lesson=lesson)
    attempt = actions.start_attempt(
        acting_user=user, enrolment=enrolment, kind=Kind.MODULE, module=module
    )
    q = module.questions.get()
    return actions.submit_attempt(acting_user=user, attempt=attempt, answers={str(q.pk): q.correct})


def test_it_unlocks_modules_in_order_and_issues_the_certificate_on_completion(users, online):
    course, enrolment = online
    teacher = users[Role.TEACHER]
    first, second = course.modules.all()
    with pytest.raises(TrainingError):
        actions.complete_lesson(
            acting_user=teacher, enrolment=enrolment, lesson=second.lessons.get()
        )
    pass_module(teacher, enrolment, first)
    assert actions.module_done(enrolment, first) and actions.module_unlocked(enrolment, second)
    pass_module(teacher, enrolment, second)
    final = actions.start_attempt(acting_user=teacher, enrolment=enrolment, kind=Kind.POST)
    q = course.questions.get(module__isnull=True)
    actions.submit_attempt(acting_user=teacher, attempt=final, answers={str(q.pk): 0})
    enrolment.refresh_from_db()
    assert enrolment.passed and enrolment.hours_credited == 20
    assert Certificate.objects.get(enrolment=enrolment).status == "valid"


def test_it_holds_attempt_limits_when_the_learner_leaves_and_returns(users, online):
    course, enrolment = online
    teacher = users[Role.TEACHER]
    module = course.modules.first()
    study(teacher, enrolment, module.lessons.get(), minutes=course.min_lesson_minutes)
    actions.complete_lesson(acting_user=teacher, enrolment=enrolment, lesson=module.lessons.get())
    for _ in range(2):
        attempt = actions.start_attempt(
            acting_user=teacher, enrolment=enrolment, kind=Kind.MODULE, module=module
        )
        # Leaving and opening the quiz again continues the same attempt.
        assert (
            actions.start_attempt(
                acting_user=teacher, enrolment=enrolment, kind=Kind.MODULE, module=module
            ).pk
            == attempt.pk
        )
        actions.submit_attempt(acting_user=teacher, attempt=attempt, answers={})
    with pytest.raises(TrainingError, match="ครบ"):
        actions.start_attempt(
            acting_user=teacher, enrolment=enrolment, kind=Kind.MODULE, module=module
        )


def test_it_serves_module_pages_to_the_learner_only(client_for, users, online):
    course, enrolment = online
    first, second = course.modules.all()
    client = client_for(Role.TEACHER)
    assert client.get(reverse("training:module", args=[first.pk])).status_code == 200
    assert client.get(reverse("training:module", args=[second.pk])).status_code == 302  # locked
    lesson = first.lessons.get()
    assert client.get(reverse("training:lesson", args=[lesson.pk])).status_code == 200
    assert client.post(reverse("training:lesson_time", args=[lesson.pk])).json() == {
        "minutes_left": course.min_lesson_minutes,
        "watched_pct": None,
        "unmet": ["ยังอ่านเนื้อหาไม่ถึงท้ายบท"],
        "ready": False,
    }
    refused = client.post(reverse("training:lesson_done", args=[lesson.pk]), follow=True)
    assert "ต้องเรียนอย่างน้อย" in refused.content.decode()
    assert enrolment.lessons_done.get().completed_at is None
    study(users[Role.TEACHER], enrolment, lesson, minutes=course.min_lesson_minutes)
    client.post(reverse("training:lesson_done", args=[lesson.pk]))
    assert enrolment.lessons_done.get().completed_at is not None
    assert (
        client.get(
            reverse("training:module_test", args=[course.pk, "module", first.pk])
        ).status_code
        == 200
    )
    assert (
        client_for(Role.SUPERVISOR).get(reverse("training:module", args=[first.pk])).status_code
        == 403
    )
    supervisor = client_for(Role.SUPERVISOR)
    assert supervisor.get(reverse("training:lesson", args=[lesson.pk])).status_code == 403
    assert supervisor.post(reverse("training:lesson_time", args=[lesson.pk])).status_code == 403


def _final_tests(enrolment) -> actions.FinalTests:
    """actions.final_tests, checked to say the same from the enrolment's evidence."""
    tests = actions.final_tests(enrolment)
    assert actions.final_tests(enrolment, results.gather(enrolment)) == tests
    return tests


def test_the_course_page_counts_pre_and_post_test_attempts_left(users, online, client_for):
    """actions.final_tests (one query) agrees with attempts_left, and closes the pre-test
    once the post-test is started; from the evidence the course page has read (no query of
    its own) it says the same."""
    course, enrolment = online
    teacher = users[Role.TEACHER]
    assert _final_tests(enrolment) == actions.FinalTests(
        pre_done=False, pre_left=1, post_left=course.post_test_attempts
    )
    pre = actions.start_attempt(acting_user=teacher, enrolment=enrolment, kind=Kind.PRE)
    assert _final_tests(enrolment).pre_done is False  # opened, not yet submitted
    actions.submit_attempt(acting_user=teacher, attempt=pre, answers={})
    tests = _final_tests(enrolment)
    assert (tests.pre_done, tests.pre_left) == (True, actions.attempts_left(enrolment, Kind.PRE))
    assert tests.post_left == actions.attempts_left(enrolment, Kind.POST)
    for module in course.modules.all():
        pass_module(teacher, enrolment, module)
    actions.start_attempt(acting_user=teacher, enrolment=enrolment, kind=Kind.POST)
    tests = _final_tests(enrolment)
    assert tests.post_left == actions.attempts_left(enrolment, Kind.POST)
    assert tests.post_left == course.post_test_attempts - 1
    page = client_for(Role.TEACHER).get(reverse("training:course_detail", args=[course.pk]))
    assert f"เหลือ {tests.post_left} ครั้ง" in page.content.decode()
