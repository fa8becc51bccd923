"""A module the officer adds to a self-paced course that people have already completed: those
who had met every criterion before it was added stay passed, with their hours, their
certificate and the "developed" counts as they were (as Moodle keeps a completion reached
before the criteria changed); whoever had not finished when it was added must complete it.
Judged on moments, not days."""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.roles import Role
from reporting import developed
from training import actions, results
from training.models import Certificate, Course, Lesson, Module, Question, Session
from training.models import TestKind as Kind

from .conftest import study

pytestmark = pytest.mark.django_db

BKK = ZoneInfo("Asia/Bangkok")


@contextmanager
def at(moment: dt.datetime):
    """Run as if the clock read `moment` (a learner's work, an officer's save)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture
def online(office, users, teacher_person):
    course = Course.objects.create(office=office, title="e-Training การวัดและประเมินผล",
                                   mode="online", hours=20, fiscal_year=2569,
                                   test_days_after_end=3650)  # fmt: skip
    for order in (1, 2):
        module = Module.objects.create(course=course, order=order, title=f"หน่วย {order}")
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
    with at(dt.datetime(2026, 1, 5, 8, 0, tzinfo=BKK)):
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
    actions.submit_attempt(acting_user=user, attempt=attempt, answers={str(q.pk): q.correct})


def start_post_test(user, enrolment):
    return actions.start_attempt(acting_user=user, enrolment=enrolment, kind=Kind.POST)


def submit_post_test(user, attempt):
    q = attempt.enrolment.course.questions.get(module__isnull=True)
    actions.submit_attempt(acting_user=user, attempt=attempt, answers={str(q.pk): 0})


def finish_course(user, enrolment):
    for module in enrolment.course.modules.all():
        pass_module(user, enrolment, module)
    submit_post_test(user, start_post_test(user, enrolment))


def add_module(officer, course, order=3):
    """The officer adds an empty module, then its lesson and quiz (each save judges again)."""
    module = actions.save_module(
        acting_user=officer, module=Module(course=course, order=order, title=f"หน่วยที่ {order}")
    )
    actions.save_lesson(
        acting_user=officer, lesson=Lesson(module=module, order=1, title="บทใหม่", body="เนื้อหา")
    )
    actions.save_questions(
        acting_user=officer,
        course=course,
        module=module,
        rows=[{"text": "ข้อใหม่", "choices": ["ก", "ข"], "correct": 0}],
    )
    return module


def test_a_module_added_after_a_learner_passed_leaves_their_result_hours_and_certificate(
    office, users, online
):
    course, enrolment = online
    teacher, officer = users[Role.TEACHER], users[Role.DEVELOPMENT_OFFICER]
    # Completed at 09:00; the officer adds "หน่วยที่ 3" at 15:00 the same day.
    with at(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BKK)):
        finish_course(teacher, enrolment)
    developed.rebuild(office)
    enrolment.refresh_from_db()
    assert enrolment.passed and enrolment.hours_credited == 20
    before = (enrolment.result, enrolment.hours_credited, enrolment.completed_on,
              enrolment.credit_fiscal_year, enrolment.result_reasons)  # fmt: skip
    counts = developed.stored_counts(office.pk)
    with at(dt.datetime(2026, 3, 2, 15, 0, tzinfo=BKK)):
        added = add_module(officer, course)
    enrolment.refresh_from_db()
    after = (enrolment.result, enrolment.hours_credited, enrolment.completed_on,
             enrolment.credit_fiscal_year, enrolment.result_reasons)  # fmt: skip
    assert after == before
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.status == "valid" and not certificate.needs_review
    assert developed.stored_counts(office.pk) == counts == developed.counts_of_office(office.pk)
    # Judged again from scratch (a criterion edited, the nightly run): still passed.
    assert actions.recompute_course(course, acting_user=officer) == 0
    assert added.added_at == dt.datetime(2026, 3, 2, 15, 0, tzinfo=BKK)


def test_the_course_page_shows_the_added_module_as_optional_to_who_had_passed(
    client_for, users, online
):
    course, enrolment = online
    teacher = users[Role.TEACHER]
    with at(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BKK)):
        finish_course(teacher, enrolment)
    with at(dt.datetime(2026, 3, 3, 9, 0, tzinfo=BKK)):
        added = add_module(users[Role.DEVELOPMENT_OFFICER], course)
    html = client_for(Role.TEACHER).get(reverse("training:course_detail", args=[course.pk]))
    html = html.content.decode()
    assert "ไม่นับเป็นเงื่อนไขผ่านของท่าน" in html
    assert "post-test-locked" not in html
    assert reverse("training:module", args=[added.pk]) in html  # may still study it
    # …and studying it changes nothing of the result.
    pass_module(teacher, enrolment, added)
    enrolment.refresh_from_db()
    assert enrolment.passed and enrolment.completed_on == dt.date(2026, 3, 2)


def test_a_learner_mid_course_when_the_module_is_added_must_complete_it(users, online):
    course, enrolment = online
    teacher, officer = users[Role.TEACHER], users[Role.DEVELOPMENT_OFFICER]
    first, second = course.modules.all()
    with at(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BKK)):
        pass_module(teacher, enrolment, first)
    with at(dt.datetime(2026, 3, 2, 10, 0, tzinfo=BKK)):
        added = add_module(officer, course)
    with at(dt.datetime(2026, 3, 2, 11, 0, tzinfo=BKK)):
        pass_module(teacher, enrolment, second)
        with pytest.raises(actions.TrainingError, match="ยังเหลือหน่วยที่ 3"):
            start_post_test(teacher, enrolment)
    enrolment.refresh_from_db()
    assert not enrolment.passed
    assert any("หน่วยที่ 3" in reason for reason in enrolment.result_reasons)
    with at(dt.datetime(2026, 3, 2, 12, 0, tzinfo=BKK)):
        pass_module(teacher, enrolment, added)
        submit_post_test(teacher, start_post_test(teacher, enrolment))
    enrolment.refresh_from_db()
    assert enrolment.passed and enrolment.hours_credited == 20


def test_finishing_later_on_the_day_a_module_was_added_does_not_waive_it(users, online):
    """The post-test opened before the module was added (09:00) and sent after it (15:00),
    the same day: the course was not complete when the module came, so it is required."""
    course, enrolment = online
    teacher, officer = users[Role.TEACHER], users[Role.DEVELOPMENT_OFFICER]
    with at(dt.datetime(2026, 3, 2, 8, 0, tzinfo=BKK)):
        for module in course.modules.all():
            pass_module(teacher, enrolment, module)
        attempt = start_post_test(teacher, enrolment)
    with at(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BKK)):
        add_module(officer, course)
    with at(dt.datetime(2026, 3, 2, 15, 0, tzinfo=BKK)):
        submit_post_test(teacher, attempt)
    enrolment.refresh_from_db()
    assert not enrolment.passed and enrolment.hours_credited == 0
    assert not Certificate.objects.filter(enrolment=enrolment).exists()


def test_a_second_module_added_later_is_waived_for_who_had_passed_before_both(users, online):
    course, enrolment = online
    teacher, officer = users[Role.TEACHER], users[Role.DEVELOPMENT_OFFICER]
    with at(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BKK)):
        finish_course(teacher, enrolment)
    with at(dt.datetime(2026, 4, 1, 9, 0, tzinfo=BKK)):
        add_module(officer, course, order=3)
    with at(dt.datetime(2026, 5, 1, 9, 0, tzinfo=BKK)):
        add_module(officer, course, order=4)
    enrolment.refresh_from_db()
    assert enrolment.passed and enrolment.completed_on == dt.date(2026, 3, 2)
    states = actions.module_states(enrolment)
    assert [unlocked for _, unlocked, _ in states] == [True, True, True, True]


def test_modules_of_the_course_from_the_start_are_never_waived(users, online):
    """Rows from before the moment was kept (added_at empty) are part of the course."""
    course, enrolment = online
    evidence = results.gather(enrolment)
    assert results.waived(course, evidence) == (False, False)
    assert [m.added_at for m in course.modules.all()] == [None, None]


def test_a_lesson_added_to_a_module_after_a_learner_passed_leaves_their_result(users, online):
    course, enrolment = online
    teacher, officer = users[Role.TEACHER], users[Role.DEVELOPMENT_OFFICER]
    with at(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BKK)):
        finish_course(teacher, enrolment)
    first = course.modules.first()
    with at(dt.datetime(2026, 3, 2, 15, 0, tzinfo=BKK)):
        actions.save_lesson(
            acting_user=officer, lesson=Lesson(module=first, order=2, title="บทเพิ่ม", body="x")
        )
    enrolment.refresh_from_db()
    assert enrolment.passed and enrolment.hours_credited == 20
    assert enrolment.completed_on == dt.date(2026, 3, 2)
    assert not Certificate.objects.get(enrolment=enrolment).needs_review
    # The module stays done for them, and the next one stays open.
    assert [(u, d) for _, u, d in actions.module_states(enrolment)] == [(True, True), (True, True)]


def test_a_lesson_added_while_a_learner_is_mid_course_must_be_studied(users, online):
    course, enrolment = online
    teacher, officer = users[Role.TEACHER], users[Role.DEVELOPMENT_OFFICER]
    first, second = course.modules.all()
    with at(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BKK)):
        pass_module(teacher, enrolment, first)
    with at(dt.datetime(2026, 3, 2, 10, 0, tzinfo=BKK)):
        actions.save_lesson(
            acting_user=officer, lesson=Lesson(module=first, order=2, title="บทเพิ่ม", body="x")
        )
    with at(dt.datetime(2026, 3, 2, 11, 0, tzinfo=BKK)):
        assert not actions.module_unlocked(enrolment, second)
    enrolment.refresh_from_db()
    assert not enrolment.passed
    assert "หน่วยที่ 1 เรียนแล้ว 1 จาก 2 บท" in enrolment.result_reasons


def _module(order, *, added=None, done=None, quiz=None):
    """A module's evidence of one finished (or not) lesson and its quiz."""
    return results.ModuleEvidence(
        order=order, lessons=1, lessons_done=1 if done else 0,
        lessons_done_on=done.date() if done else None, quiz_questions=1, quiz_pass_pct=60,
        quiz_passed_on=quiz.date() if quiz else None, quiz_attempts_left=1,
        quiz_passed_at=quiz, added_at=added, lesson_moments=((1, None, done),),
    )  # fmt: skip


def test_judge_waives_on_moments_not_days(online):
    """Pure: the same evidence, a module added at 15:00 after a course finished at 09:00 is
    waived; added at 08:00 the same day, it is required."""
    course, _ = online
    nine = dt.datetime(2026, 3, 2, 9, 0, tzinfo=BKK)

    def evidence(added):
        return results.Evidence(
            status="enrolled", today=dt.date(2026, 3, 3), session_end=dt.date(2026, 1, 1),
            test_closes=dt.date(2030, 1, 1), total_hours=Decimal("0"),
            has_final_test=True, post_attempts=((nine.date(), 100),), post_submitted_at=(nine,),
            modules=(_module(1, done=nine, quiz=nine), _module(2, added=added)),
        )  # fmt: skip

    later = results.judge(course, evidence(nine.replace(hour=15)))
    assert later.passed and later.completed_on == nine.date()
    earlier = results.judge(course, evidence(nine.replace(hour=8)))
    assert not earlier.passed and "หน่วยที่ 2 เรียนแล้ว 0 จาก 1 บท" in earlier.reasons
