"""The rule engine: every result follows from the course's criteria as they are now and the
evidence, is recomputed in the same transaction as any change, says why, and keeps issued
certificates honest."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from krupd.lib.numerals import format_hours, to_thai_digits
from krupd.lib.thai_dates import format_thai_date
from krupd.testing import make_person, make_user, pdf_text
from registry.models import AuditEntry
from training import actions, exports, queries, results
from training.actions import TrainingError
from training.models import (
    Certificate,
    Course,
    Enrolment,
    Lesson,
    Module,
    Question,
    ResultStatus,
    Session,
)
from training.models import TestKind as Kind

from .conftest import answer_key, study

pytestmark = pytest.mark.django_db

NO_POST_TEST = "ยังไม่ผ่าน: ยังไม่ได้ทำแบบทดสอบหลังเรียน"


@pytest.fixture
def officer(users):
    return users[Role.DEVELOPMENT_OFFICER]


def attend_all(officer, session, *enrolments):
    for day in session.days.all():
        actions.roll_call(acting_user=officer, day=day, present_ids={e.pk for e in enrolments})


def sit(user, enrolment, kind, questions, right):
    attempt = actions.start_attempt(acting_user=user, enrolment=enrolment, kind=kind)
    return actions.submit_attempt(
        acting_user=user, attempt=attempt, answers=answer_key(questions, right)
    )


QUESTION_ROWS = [
    {
        "text": "PLC ย่อมาจากอะไร",
        "choices": ["Professional Learning Community", "อื่น ๆ"],
        "correct": 0,
    },
    {"text": "ข้อใดเป็นการเรียนรู้เชิงรุก", "choices": ["ฟังบรรยาย", "ลงมือทำ"], "correct": 1},
]


# ---------------------------------------------------------------- criteria change


def test_a_post_test_added_after_attendance_fails_everyone_until_they_take_it(
    office, school, users, officer, session
):
    session.capacity = 10
    session.save()
    people = []
    for i in range(3):
        person = make_person(office, school, first_name=f"ผู้เข้าร่วม{i}")
        user = make_user(f"p{i}", Role.TEACHER, office, person=person)
        people.append((user, actions.enrol(acting_user=user, session=session, person=person)))
    attend_all(officer, session, *(e for _, e in people))
    for _, e in people:
        e.refresh_from_db()
        assert e.passed and e.completed_on == dt.date(2026, 1, 13)  # 80 % reached on day 2
    first = people[0][1]
    cert = actions.issue_certificate(acting_user=officer, enrolment=first)

    actions.save_questions(
        acting_user=officer, course=session.course, module=None, rows=QUESTION_ROWS
    )

    for _, e in people:
        e.refresh_from_db()
        assert not e.passed and e.result == ResultStatus.PENDING
        assert e.result_text == NO_POST_TEST
        assert e.hours_credited == 0 and e.completed_on is None
    cert.refresh_from_db()
    assert cert.status == "valid" and cert.needs_review
    assert "ยังไม่ได้ทำแบบทดสอบหลังเรียน" in cert.review_reason
    flips = AuditEntry.objects.filter(object_type="enrolment", object_id=str(first.pk))
    assert flips.filter(changes__result=["passed", "pending"]).exists()

    user, e = people[1]
    questions = list(Question.objects.filter(course=session.course, module=None))
    sit(user, e, Kind.POST, questions, 2)
    e.refresh_from_db()
    assert e.passed and e.completed_on == timezone.localdate()  # the day the test was passed


def test_the_attendance_criterion_is_met_on_the_day_it_was_reached(officer, session, learner):
    # 12 hours over two days, 80 %: met on the second day, not the first.
    attend_all(officer, session, learner)
    learner.refresh_from_db()
    assert learner.completed_on == dt.date(2026, 1, 13)
    assert learner.credit_fiscal_year == 2569


def test_raising_the_attendance_criterion_flips_and_audits(officer, session, learner):
    first = session.days.first()
    actions.roll_call(acting_user=officer, day=first, present_ids={learner.pk})
    course = session.course
    course.min_attendance_pct = 50
    actions.save_course(acting_user=officer, course=course)
    learner.refresh_from_db()
    assert learner.passed and learner.hours_credited == 6
    course.min_attendance_pct = 80
    actions.save_course(acting_user=officer, course=course)
    learner.refresh_from_db()
    # The session has ended: attendance below the criterion is a fail, not a wait.
    assert learner.result == ResultStatus.FAILED
    assert learner.result_text == "ไม่ผ่าน: เวลาเข้าร่วม 50% ยังไม่ถึงเกณฑ์ 80%"
    entry = AuditEntry.objects.filter(object_type="enrolment", object_id=str(learner.pk)).latest(
        "pk"
    )
    assert entry.changes["result"] == ["passed", "failed"]
    assert entry.changes["hours_credited"] == ["6.0", "0"]


def test_a_late_score_and_a_corrected_attendance_recompute_at_once(
    users, officer, session, learner, questions
):
    attend_all(officer, session, learner)
    sit(users[Role.TEACHER], learner, Kind.POST, questions, 1)
    learner.refresh_from_db()
    assert learner.result_text == "ยังไม่ผ่าน: คะแนนหลังเรียน 33.3% ยังไม่ถึงเกณฑ์ 60%"
    sit(users[Role.TEACHER], learner, Kind.POST, questions, 3)
    learner.refresh_from_db()
    assert learner.passed
    cert = actions.issue_certificate(acting_user=officer, enrolment=learner)
    # A past day corrected: the person was not there after all.
    actions.roll_call(acting_user=officer, day=session.days.last(), present_ids=set())
    learner.refresh_from_db()
    cert.refresh_from_db()
    assert not learner.passed and cert.needs_review
    correction = AuditEntry.objects.filter(object_type="sessionday").latest("pk")
    assert correction.changes["removed"][0] == [learner.person.full_name]


def test_the_holder_of_a_flagged_certificate_is_told_why_on_the_course_page(
    client_for, officer, session, learner
):
    attend_all(officer, session, learner)
    actions.issue_certificate(acting_user=officer, enrolment=learner)
    page = client_for(Role.TEACHER).get(f"/training/courses/{session.course_id}/")
    assert "certificate-under-review" not in page.content.decode()
    actions.roll_call(acting_user=officer, day=session.days.last(), present_ids=set())
    page = client_for(Role.TEACHER).get(f"/training/courses/{session.course_id}/").content.decode()
    assert "รอเจ้าหน้าที่ตรวจสอบ" in page
    assert "(ไม่ผ่าน: เวลาเข้าร่วม 50% ยังไม่ถึงเกณฑ์ 80%)" in page


def test_the_officer_keeps_or_revokes_a_flagged_certificate_with_an_audit(
    client_for, officer, session, learner
):
    attend_all(officer, session, learner)
    cert = actions.issue_certificate(acting_user=officer, enrolment=learner)
    actions.roll_call(acting_user=officer, day=session.days.last(), present_ids=set())
    cert.refresh_from_db()
    assert cert.needs_review
    page = client_for(Role.DEVELOPMENT_OFFICER).get(
        f"/training/courses/{session.course_id}/certificates/"
    )
    assert "เกียรติบัตรที่ต้องตรวจสอบ 1 ฉบับ" in page.content.decode()
    # Teachers may not decide.
    refused = client_for(Role.TEACHER).post(
        f"/training/certificates/{cert.pk}/keep/", {"note": "x"}
    )
    assert refused.status_code == 403
    with pytest.raises(TrainingError, match="เหตุผล"):
        actions.keep_certificate(acting_user=officer, certificate=cert, note=" ")
    client_for(Role.DEVELOPMENT_OFFICER).post(
        f"/training/certificates/{cert.pk}/keep/", {"note": "ผ่านตามเกณฑ์เดิมที่ประกาศไว้"}
    )
    cert.refresh_from_db()
    assert cert.status == "valid" and not cert.needs_review
    assert AuditEntry.objects.filter(
        object_type="certificate", object_id=str(cert.pk), changes__needs_review=[True, False]
    ).exists()


# ---------------------------------------------------------------- time


def test_attendance_for_a_day_that_has_not_started_is_refused(users, officer, course, learner):
    today = timezone.localdate()
    later = actions.save_session(
        acting_user=officer,
        session=Session(course=course, name="รุ่นที่ 2", start_date=today,
                        end_date=today + dt.timedelta(days=1), capacity=5),
    )  # fmt: skip
    person = make_person(course.office, learner.person.school, first_name="รุ่นสอง")
    user = make_user("r2", Role.TEACHER, course.office, person=person)
    e = actions.enrol(acting_user=user, session=later, person=person)
    tomorrow = later.days.get(date=today + dt.timedelta(days=1))
    with pytest.raises(TrainingError, match="ล่วงหน้าไม่ได้"):
        actions.roll_call(acting_user=officer, day=tomorrow, present_ids={e.pk})
    with pytest.raises(TrainingError, match="ล่วงหน้าไม่ได้"):
        actions.check_in(acting_user=user, token=actions.checkin_token(tomorrow))
    actions.check_in(acting_user=user, token=actions.checkin_token(later.days.get(date=today)))
    assert tomorrow.attendance.count() == 0 and e.attendance.count() == 1


def test_tests_open_on_the_first_day_and_close_after_the_window(
    users, officer, course, questions, teacher_person
):
    today = timezone.localdate()
    course.test_days_after_end = 7
    course.save()
    future = actions.save_session(
        acting_user=officer,
        session=Session(course=course, name="รุ่นถัดไป", start_date=today + dt.timedelta(days=3),
                        end_date=today + dt.timedelta(days=4), capacity=5),
    )  # fmt: skip
    e = actions.enrol(acting_user=users[Role.TEACHER], session=future, person=teacher_person)
    with pytest.raises(TrainingError, match="แบบทดสอบเปิดวันที่"):
        actions.start_attempt(acting_user=users[Role.TEACHER], enrolment=e, kind=Kind.PRE)
    future.start_date = today - dt.timedelta(days=20)
    future.end_date = today - dt.timedelta(days=19)
    actions.save_session(acting_user=officer, session=future)
    with pytest.raises(TrainingError, match="ปิดแล้ว"):
        actions.start_attempt(acting_user=users[Role.TEACHER], enrolment=e, kind=Kind.POST)


def test_a_missed_post_test_window_is_a_fail(officer, session, learner, questions):
    attend_all(officer, session, learner)
    course = session.course
    course.test_days_after_end = 1
    actions.save_course(acting_user=officer, course=course)
    learner.refresh_from_db()
    assert learner.result_text == "ไม่ผ่าน: ยังไม่ได้ทำแบบทดสอบหลังเรียน"


def test_a_session_cannot_move_away_from_days_with_attendance(
    client_for, officer, session, learner
):
    attend_all(officer, session, learner)
    learner.refresh_from_db()
    assert learner.passed and learner.completed_on == dt.date(2026, 1, 13)
    later = timezone.localdate() + dt.timedelta(days=12)
    form = {"name": "รุ่นที่ 1", "capacity": "3", "hours_per_day": "6",
            "start_date": later.isoformat(),
            "end_date": (later + dt.timedelta(days=1)).isoformat()}  # fmt: skip
    client = client_for(Role.DEVELOPMENT_OFFICER)
    page = client.post(f"/training/sessions/{session.pk}/edit/", form)
    assert page.status_code == 200
    assert "วันที่ 12 มกราคม 2569 (1 คน), 13 มกราคม 2569 (1 คน) มีการลงเวลา" in page.content.decode()
    session.refresh_from_db()
    assert session.start_date == dt.date(2026, 1, 12)
    assert sorted(session.days.values_list("date", flat=True)) == [
        dt.date(2026, 1, 12),
        dt.date(2026, 1, 13),
    ]
    learner.refresh_from_db()
    assert learner.passed and learner.completed_on == dt.date(2026, 1, 13)
    # Once the roll calls are corrected (audited), the session may move; nobody has passed.
    for day in session.days.all():
        actions.roll_call(acting_user=officer, day=day, present_ids=set())
    assert client.post(f"/training/sessions/{session.pk}/edit/", form).status_code == 302
    assert list(session.days.values_list("date", flat=True)) == [
        later,
        later + dt.timedelta(days=1),
    ]
    learner.refresh_from_db()
    assert not learner.passed and learner.hours_credited == 0


def test_hours_land_in_the_fiscal_year_of_the_session_days(users, officer, office, school):
    # A course planned in fiscal year 2569 whose session ran in October 2025 (FY 2569) and
    # one planned in 2569 that ran in October 2026: the latter's hours are FY 2570's.
    course = Course.objects.create(office=office, title="อบรมข้ามปีงบประมาณ", mode="workshop",
                                   hours=6, fiscal_year=2569)  # fmt: skip
    session = actions.save_session(
        acting_user=officer,
        session=Session(course=course, start_date=dt.date(2026, 10, 1),
                        end_date=dt.date(2026, 10, 1), capacity=5),
    )  # fmt: skip
    person = make_person(office, school, first_name="ข้ามปี")
    e = actions.enrol(acting_user=officer, session=session, person=person)
    attend_all(officer, session, e)
    e.refresh_from_db()
    assert e.passed and e.credit_fiscal_year == 2570
    assert queries.transcript(person, fiscal_year=2570, target=Decimal(20)).total_hours == 6
    assert queries.transcript(person, fiscal_year=2569, target=Decimal(20)).total_hours == 0


# ---------------------------------------------------------------- e-learning


@pytest.fixture
def online(office, users, teacher_person):
    course = Course.objects.create(office=office, title="e-Training 6 ชั่วโมง", mode="online",
                                   hours=6, fiscal_year=2570, min_lesson_minutes=15,
                                   test_days_after_end=30)  # fmt: skip
    module = Module.objects.create(course=course, order=1, title="หน่วยเดียว")
    Lesson.objects.create(module=module, order=1, title="บทที่ 1", body="เนื้อหา")
    today = timezone.localdate()
    session = actions.save_session(
        acting_user=users[Role.DEVELOPMENT_OFFICER],
        session=Session(course=course, start_date=today - dt.timedelta(days=1), end_date=today,
                        capacity=10),
    )  # fmt: skip
    e = actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)
    return course, module, e


def test_e_learning_completion_is_refused_before_the_minimum_time(users, online):
    course, module, e = online
    teacher = users[Role.TEACHER]
    lesson = module.lessons.get()
    study(teacher, e, lesson, minutes=5)
    with pytest.raises(TrainingError, match="เหลืออีก 10 นาที"):
        actions.complete_lesson(acting_user=teacher, enrolment=e, lesson=lesson)
    assert not e.lessons_done.filter(completed_at__isnull=False).exists()
    study(teacher, e, lesson, minutes=10)
    actions.complete_lesson(acting_user=teacher, enrolment=e, lesson=lesson)
    e.refresh_from_db()
    # Lessons done, but a module without quiz questions and a course without a final test
    # do not make a pass.
    assert e.result == ResultStatus.PENDING
    assert e.result_reasons == [
        "หน่วยที่ 1 ยังไม่มีข้อสอบท้ายหน่วย (รอเจ้าหน้าที่เพิ่ม)",
        "หลักสูตรยังไม่มีแบบทดสอบหลังเรียน (รอเจ้าหน้าที่เพิ่มข้อสอบ)",
    ]
    officer = users[Role.DEVELOPMENT_OFFICER]
    actions.save_questions(acting_user=officer, course=course, module=module, rows=QUESTION_ROWS)
    actions.save_questions(acting_user=officer, course=course, module=None, rows=QUESTION_ROWS)
    quiz = actions.start_attempt(acting_user=teacher, enrolment=e, kind=Kind.MODULE, module=module)
    right = {str(q.pk): q.correct for q in module.questions.all()}
    actions.submit_attempt(acting_user=teacher, attempt=quiz, answers=right)
    e.refresh_from_db()
    assert e.result_text == NO_POST_TEST
    final = actions.start_attempt(acting_user=teacher, enrolment=e, kind=Kind.POST)
    finals = {str(q.pk): q.correct for q in course.questions.filter(module=None)}
    actions.submit_attempt(acting_user=teacher, attempt=final, answers=finals)
    e.refresh_from_db()
    assert e.passed and e.hours_credited == 6
    assert Certificate.objects.get(enrolment=e).hours == 6


def test_a_hidden_page_earns_at_most_a_minute_per_report(users, online):
    _, module, e = online
    from unittest import mock

    lesson = module.lessons.get()
    start = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=start):
        actions.open_lesson(acting_user=users[Role.TEACHER], enrolment=e, lesson=lesson)
    with mock.patch("django.utils.timezone.now", return_value=start + dt.timedelta(hours=2)):
        progress = actions.record_lesson_time(
            acting_user=users[Role.TEACHER], enrolment=e, lesson=lesson
        )
    assert progress.engaged_seconds == actions.ENGAGED_SECONDS_PER_REPORT


def test_the_course_page_says_what_completion_requires(client_for, online, course, questions):
    online_course = online[0]
    page = client_for(Role.TEACHER).get(f"/training/courses/{online_course.pk}/").content.decode()
    assert "บทละไม่น้อยกว่า 15 นาที" in page
    assert "ผ่านแบบทดสอบท้ายหน่วยทุกหน่วย" in page
    assert "ได้รับเกียรติบัตรและนับชั่วโมงพัฒนา 6 ชั่วโมง" in page
    page = client_for(Role.TEACHER).get(f"/training/courses/{course.pk}/").content.decode()
    assert "ลงเวลาเข้าร่วมไม่น้อยกว่าร้อยละ 80" in page
    online_course.min_lesson_minutes = 0  # no minimum time: the lessons only, no "0 นาที"
    online_course.save(update_fields=["min_lesson_minutes"])
    page = client_for(Role.TEACHER).get(f"/training/courses/{online_course.pk}/").content.decode()
    assert "เรียนครบทุกบทเรียนของทุกหน่วย" in page and "0 นาที" not in page
    assert "คะแนนแบบทดสอบหลังเรียนไม่น้อยกว่าร้อยละ 60" in page


# ---------------------------------------------------------------- the engine itself


def _evidence(**overrides):
    base = {
        "status": "enrolled",
        "today": dt.date(2026, 3, 1),
        "session_end": dt.date(2026, 2, 2),
        "test_closes": dt.date(2026, 2, 16),
        "total_hours": Decimal(12),
        "attended": ((dt.date(2026, 2, 1), Decimal(6)), (dt.date(2026, 2, 2), Decimal(6))),
    }
    base.update(overrides)
    return results.Evidence(**base)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, ("passed", [])),
        ({"attended": ((dt.date(2026, 2, 1), Decimal(6)),)},
         ("failed", ["เวลาเข้าร่วม 50% ยังไม่ถึงเกณฑ์ 80%"])),
        ({"attended": ((dt.date(2026, 2, 1), Decimal(6)),), "session_end": dt.date(2026, 3, 2)},
         ("pending", ["เวลาเข้าร่วม 50% ยังไม่ถึงเกณฑ์ 80%"])),
        ({"has_final_test": True, "test_closes": dt.date(2026, 3, 9)},
         ("pending", ["ยังไม่ได้ทำแบบทดสอบหลังเรียน"])),
        ({"has_final_test": True, "post_attempts": ((dt.date(2026, 2, 2), Decimal(40)),),
          "post_attempts_left": 0}, ("failed", ["คะแนนหลังเรียน 40% ยังไม่ถึงเกณฑ์ 60%"])),
        ({"has_final_test": True, "post_attempts": ((dt.date(2026, 2, 5), Decimal(60)),)},
         ("passed", [])),
        ({"status": "waitlisted"}, ("pending", ["สถานะการลงทะเบียน: รอที่นั่ง"])),
    ],
)  # fmt: skip
def test_judge_applies_each_rule(course, overrides, expected):
    outcome = results.judge(course, _evidence(**overrides))
    assert (outcome.result, outcome.reasons) == expected


def test_judge_dates_a_pass_on_the_last_criterion_met_and_credits_its_fiscal_year(course):
    ev = _evidence(has_final_test=True, post_attempts=((dt.date(2026, 10, 2), Decimal(80)),),
                   today=dt.date(2026, 10, 3), test_closes=dt.date(2026, 12, 1))  # fmt: skip
    outcome = results.judge(course, ev)
    assert outcome.completed_on == dt.date(2026, 10, 2)
    assert outcome.hours_credited == 12 and outcome.credit_fiscal_year == 2569  # days in FY 2569


def test_judge_requires_a_confirmed_follow_up_when_the_course_says_so(course):
    course.requires_follow_up = True
    outcome = results.judge(course, _evidence())
    assert outcome.reasons == ["ยังไม่ได้รายงานการนำไปใช้ในการปฏิบัติงาน"]
    assert outcome.ready_for_follow_up
    outcome = results.judge(course, _evidence(follow_up_submitted=True))
    assert outcome.reasons == ["รายงานการนำไปใช้รอผู้บริหาร/ศึกษานิเทศก์รับรอง"]
    confirmed = _evidence(follow_up_submitted=True, follow_up_confirmed_on=dt.date(2026, 2, 20))
    outcome = results.judge(course, confirmed)
    assert outcome.passed and outcome.completed_on == dt.date(2026, 2, 20)


def test_the_follow_up_criterion_end_to_end(users, officer, session, learner):
    course = session.course
    course.requires_follow_up = True
    actions.save_course(acting_user=officer, course=course)
    attend_all(officer, session, learner)
    learner.refresh_from_db()
    assert learner.result_text == "ยังไม่ผ่าน: ยังไม่ได้รายงานการนำไปใช้ในการปฏิบัติงาน"
    follow_up = actions.submit_follow_up(
        acting_user=users[Role.TEACHER], enrolment=learner, use_level=4, report="ใช้ในชั้นเรียน"
    )
    actions.confirm_follow_up(acting_user=users[Role.SCHOOL_DIRECTOR], follow_up=follow_up, note="")
    learner.refresh_from_db()
    assert learner.passed and learner.completed_on == timezone.localdate()


def test_a_report_is_confirmed_once_and_keeps_the_day_passed(
    client_for, users, officer, session, learner
):
    """A second confirmation (a double click, a second director) moved the day the course
    was passed to the second one: the certificate's date and, across 1 October, the fiscal
    year of the hours."""
    course = session.course
    course.requires_follow_up = True
    actions.save_course(acting_user=officer, course=course)
    attend_all(officer, session, learner)
    follow_up = actions.submit_follow_up(
        acting_user=users[Role.TEACHER], enrolment=learner, use_level=4, report="ใช้ในชั้นเรียน"
    )
    director = client_for(Role.SCHOOL_DIRECTOR)
    url = reverse("training:follow_up_confirm", args=[follow_up.pk])
    director.post(url, {"note": "ดีมาก"})
    follow_up.refresh_from_db()
    first = follow_up.confirmed_at
    again = director.post(url, {"note": "ซ้ำ"}, follow=True)
    assert "ได้รับการรับรองไว้แล้ว" in again.content.decode()
    actions.confirm_follow_up(acting_user=users[Role.SUPERVISOR], follow_up=follow_up, note="")
    follow_up.refresh_from_db()
    learner.refresh_from_db()
    assert (follow_up.confirmed_at, follow_up.confirmer_note) == (first, "ดีมาก")
    assert learner.passed and learner.completed_on == timezone.localdate(first)


def test_a_refused_report_stays_on_its_page_with_what_was_typed(client_for, session, learner):
    """Sent before the course's other criteria are met (a link kept from a notice): it went
    back to the course page and the report typed was gone."""
    teacher = client_for(Role.TEACHER)
    typed = "นำไปใช้สอนเรื่องเศษส่วน ป.5 นักเรียนเข้าใจมากขึ้น"
    page = teacher.post(
        reverse("training:follow_up", args=[session.course.pk]),
        {"use_level": "4", "report": typed},
    )
    html = page.content.decode()
    assert page.status_code == 200 and "เมื่อผ่านเกณฑ์อื่นของหลักสูตรครบแล้ว" in html
    assert typed in html


@pytest.mark.parametrize(
    ("value", "text"),
    [(12, "12"), (Decimal("12.0"), "12"), (Decimal("12.5"), "12.5"), (1234.5, "1,234.5")],
)
def test_hours_are_written_as_the_office_writes_them(value, text):
    assert format_hours(value) == text


@pytest.fixture
def learner(users, session, teacher_person):
    return actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)


# ---------------------------------------------------------------- concurrency


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_recomputing_a_course_while_people_check_in_loses_nothing(office, school, users):
    officer = users[Role.DEVELOPMENT_OFFICER]
    today = timezone.localdate()
    course = Course.objects.create(office=office, title="เช็กชื่อพร้อมคำนวณผล", mode="workshop",
                                   hours=6, fiscal_year=2570, min_attendance_pct=80)  # fmt: skip
    session = actions.save_session(
        acting_user=officer,
        session=Session(course=course, start_date=today, end_date=today, capacity=40),
    )
    day = session.days.get()
    token = actions.checkin_token(day)
    learners = []
    for i in range(12):
        person = make_person(office, school, first_name=f"พร้อมกัน{i}")
        user = make_user(f"c{i}", Role.TEACHER, office, person=person)
        learners.append((user, actions.enrol(acting_user=officer, session=session, person=person)))
    errors = []
    barrier = threading.Barrier(len(learners) + 1)

    def check_in(user):
        try:
            barrier.wait()
            actions.check_in(acting_user=user, token=token)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()

    def recompute():
        try:
            barrier.wait()
            for pct in (90, 80, 70, 80):
                course.min_attendance_pct = pct
                actions.save_course(acting_user=officer, course=course)
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=check_in, args=(u,)) for u, _ in learners]
    threads.append(threading.Thread(target=recompute))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = Enrolment.objects.filter(course=course)
    assert all(e.attendance.count() == 1 for e in rows)
    # Every stored result agrees with the evidence and the criteria as they finally stand.
    for e in rows.select_related("course", "session"):
        assert e.passed and e.hours_credited == 6
        assert results.judge(e.course, results.gather(e)).passed


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_recomputing_a_course_while_people_submit_tests_loses_nothing(office, school, users):
    officer = users[Role.DEVELOPMENT_OFFICER]
    today = timezone.localdate()
    course = Course.objects.create(office=office, title="ส่งแบบทดสอบพร้อมคำนวณผล", mode="workshop",
                                   hours=6, fiscal_year=2570, min_post_test_pct=60,
                                   test_days_after_end=30)  # fmt: skip
    question = Question.objects.create(course=course, text="ข้อเดียว", choices=["ก", "ข"], correct=1)
    session = actions.save_session(
        acting_user=officer,
        session=Session(course=course, start_date=today, end_date=today, capacity=40),
    )
    day = session.days.get()
    learners = []
    for i in range(10):
        person = make_person(office, school, first_name=f"สอบพร้อมกัน{i}")
        user = make_user(f"t{i}", Role.TEACHER, office, person=person)
        learners.append((user, actions.enrol(acting_user=officer, session=session, person=person)))
    actions.roll_call(acting_user=officer, day=day, present_ids={e.pk for _, e in learners})
    learners = [
        (user, actions.start_attempt(acting_user=user, enrolment=e, kind=Kind.POST))
        for user, e in learners
    ]
    errors = []
    barrier = threading.Barrier(len(learners) + 1)

    def submit(user, attempt):
        try:
            barrier.wait()
            actions.submit_attempt(acting_user=user, attempt=attempt, answers={str(question.pk): 1})
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()

    def recompute():
        try:
            barrier.wait()
            for pct in (90, 50, 100, 60):
                course.min_post_test_pct = pct
                actions.save_course(acting_user=officer, course=course)
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=submit, args=pair) for pair in learners]
    threads.append(threading.Thread(target=recompute))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = Enrolment.objects.filter(course=course).select_related("course", "session")
    assert all(e.attempts.filter(submitted_at__isnull=False).count() == 1 for e in rows)
    for e in rows:
        assert e.passed and e.post_score_pct == 100, e.result_reasons
        assert results.judge(e.course, results.gather(e)).passed


# ---------------------------------------------------------------- tables and documents


def test_the_results_table_counts_finished_sessions_and_shows_open_ones_apart(
    office, school, users, officer, session, questions
):
    session.capacity = 10
    session.save()
    finished = []
    for i in range(3):
        person = make_person(office, school, first_name=f"จบแล้ว{i}")
        finished.append(actions.enrol(acting_user=officer, session=session, person=person))
    attend_all(officer, session, *finished)
    sit(officer, finished[0], Kind.POST, questions, 3)  # passed
    sit(officer, finished[1], Kind.POST, questions, 0)  # one attempt left: still pending
    course = session.course
    course.post_test_attempts = 1
    actions.save_course(acting_user=officer, course=course)  # now finished[1] has failed
    today = timezone.localdate()
    running = actions.save_session(
        acting_user=officer,
        session=Session(course=course, name="รุ่นที่ 2", start_date=today,
                        end_date=today + dt.timedelta(days=2), capacity=10),
    )  # fmt: skip
    for i in range(4):
        person = make_person(office, school, first_name=f"ยังไม่จบ{i}")
        actions.enrol(acting_user=officer, session=running, person=person)
    (row,) = queries.results_table(officer, fiscal_year=2569)
    # finished[2] has not taken the post-test and its window is open: pending, not in the %.
    assert (row.participants, row.passed, row.pending, row.decided) == (3, 1, 1, 2)
    assert row.pct == 50
    assert (row.open_sessions, row.open_participants) == (1, 4)
    total = queries.results_total([row])
    assert (total.participants, total.passed, total.pct) == (3, 1, 50)


def test_the_transcript_pdf_reads_as_the_office_s_own(users, officer, session, learner, tmp_path):
    import subprocess

    attend_all(officer, session, learner)
    rules = actions.rules_for(session.course.office)
    rules.signer_name = "นายสมศักดิ์ ตั้งใจทำ"
    rules.save()
    record = queries.transcript(learner.person, fiscal_year=2569, target=Decimal("20"))
    data = exports.transcript_pdf(
        record,
        signer_name=rules.signer_name,
        signer_title=rules.signer_title,
        today=dt.date(2026, 12, 3),
        thai_digits=True,
    )
    path = tmp_path / "transcript.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    # pdftotext puts spaces inside shaped Thai syllables: compare without any whitespace.
    flat = "".join(text.split())

    def has(expected: str) -> bool:
        return "".join(expected.split()) in flat

    assert has(to_thai_digits(session.course.office.name))  # "เขต ๑" as in the rest of it
    assert has("(นายสมศักดิ์ ตั้งใจทำ)") and has("ขอรับรองว่าข้อมูลข้างต้นถูกต้อง")
    assert "ชั่วโมง PLC" in text.replace("ชั่วโมง  PLC", "ชั่วโมง PLC")
    assert has("ชั่วโมง PLC: ๐ ชั่วโมง") and has("รวม ๑๒ ชั่วโมง จากเป้าหมาย ๒๐ ชั่วโมง")
    assert has("๓ ธันวาคม ๒๕๖๙")
    assert "12.0" not in flat and "๑๒.๐" not in flat


def test_a_thai_digit_transcript_writes_its_course_titles_in_thai_digits(
    users, officer, session, learner
):
    """A transcript the office prints in Thai digits read "ม.๑ ... ๒๕๖๙" everywhere but in
    its courses' and certificates' titles ("ภาษาไทย ป.1 รุ่น 2"): running text takes Thai
    digits too; the certificate's verification code stays as it is typed."""
    course = session.course
    course.title = "การสอนภาษาไทย ป.1 แบบเข้ม 2 ภาคเรียน"
    course.save()
    attend_all(officer, session, learner)
    cert = actions.issue_certificate(acting_user=officer, enrolment=learner)
    record = queries.transcript(learner.person, fiscal_year=2569, target=Decimal("20"))
    data = exports.transcript_pdf(
        record, signer_name="", signer_title="", today=dt.date(2026, 12, 3), thai_digits=True
    )
    flat = "".join(pdf_text(data).split())
    assert "ป.1" not in flat and flat.count("การสอนภาษาไทยป.๑แบบเข้ม๒ภาคเรียน") == 2, flat
    assert cert.code in flat


def test_the_office_setting_puts_certificates_and_transcripts_in_thai_digits(
    client_for, users, officer, session, learner, tmp_path
):
    import subprocess

    attend_all(officer, session, learner)
    cert = actions.issue_certificate(acting_user=officer, enrolment=learner)
    client = client_for(Role.DEVELOPMENT_OFFICER)

    def pdf_text(url: str) -> str:
        answer = client.get(url)
        assert answer.status_code == 200
        path = tmp_path / "doc.pdf"
        path.write_bytes(b"".join(answer) if answer.streaming else answer.content)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout  # fmt: skip
        return "".join(text.split())

    cert_url = reverse("training:certificate_pdf", args=[cert.pk])
    transcript_url = (
        reverse("training:transcript", args=[learner.person_id]) + "?fy=2569&format=pdf"
    )
    assert "จำนวน12ชั่วโมง" in pdf_text(cert_url)
    rules = actions.rules_for(session.course.office)
    rules.thai_digits = True
    rules.save()
    text = pdf_text(cert_url)
    assert "จำนวน๑๒ชั่วโมง" in text and cert.code in text  # the code stays typeable
    assert "๒๕๖๙" in pdf_text(transcript_url)
    assert "2569" in pdf_text(transcript_url + "&digits=arabic")


def test_the_office_setting_puts_the_training_workbooks_in_thai_digits(
    client_for, officer, session, learner
):
    import io

    from openpyxl import load_workbook

    attend_all(officer, session, learner)
    client = client_for(Role.DEVELOPMENT_OFFICER)
    transcript_url = (
        reverse("training:transcript", args=[learner.person_id]) + "?fy=2569&format=xlsx"
    )
    results_url = reverse("training:results") + "?fy=2569&format=xlsx"

    def cells(url: str) -> list:
        answer = client.get(url)
        assert answer.status_code == 200
        sheet = load_workbook(io.BytesIO(answer.content)).active
        return [c.value for row in sheet.iter_rows() for c in row if c.value is not None]

    assert 12 in cells(transcript_url)  # Arabic digits: numbers stay numbers
    rules = actions.rules_for(session.course.office)
    rules.thai_digits = True
    rules.save()
    for url in (transcript_url, results_url):
        values = cells(url)
        assert not any(isinstance(v, int | float) for v in values)
        assert not any(ch in "0123456789" for v in values for ch in str(v))
    assert "๑๒" in cells(transcript_url)
    assert 12 in cells(transcript_url + "&digits=arabic")  # for calculating with the figures


# ---------------------------------------------------------------- criteria as typed


def _errors(page) -> list[str]:
    import re

    return [
        re.sub(r"<[^>]+>", "", m).strip()
        for m in re.findall(
            r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page.content.decode(), re.S
        )
    ]


def test_criteria_nobody_could_meet_are_refused_with_a_thai_message(client_for, course, session):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    form = {"title": course.title, "mode": "workshop", "hours": "๐", "fiscal_year": "2569",
            "min_attendance_pct": "150", "min_post_test_pct": "๒๕๐", "post_test_attempts": "0",
            "status": "open"}  # fmt: skip
    page = client.post(f"/training/courses/{course.pk}/edit/", form)
    assert page.status_code == 200
    errors = " ".join(_errors(page))
    for message in ("จำนวนชั่วโมงตามหลักสูตรต้องมากกว่า 0", "ต้องไม่เกิน 100%", "ต้องไม่น้อยกว่า 1 ครั้ง"):
        assert message in errors
    assert errors.count("ต้องไม่เกิน 100%") == 2
    course.refresh_from_db()
    assert (course.hours, course.min_attendance_pct, course.min_post_test_pct) == (12, 80, 60)
    # A self-paced course needs time on each lesson: 0 minutes would pass on taps alone.
    online = {**form, "mode": "online", "hours": "6", "min_attendance_pct": "80",
              "min_post_test_pct": "60", "post_test_attempts": "2", "min_lesson_minutes": "0"}  # fmt: skip
    page = client.post(f"/training/courses/{course.pk}/edit/", online)
    assert "อย่างน้อย 1 นาที" in " ".join(_errors(page))
    # A day of 0 hours would make everyone's attendance 0 %.
    page = client.post(f"/training/sessions/{session.pk}/edit/", {
        "name": "รุ่นที่ 1", "start_date": "12/1/2569", "end_date": "13/1/2569",
        "capacity": "3", "hours_per_day": "0"})  # fmt: skip
    assert "ชั่วโมงต่อวันต้องมากกว่า 0" in " ".join(_errors(page))
    assert set(session.days.values_list("hours", flat=True)) == {Decimal("6")}


def test_a_module_quiz_needs_a_pass_mark_within_100_and_at_least_one_try(client_for, course):
    course.mode = "online"
    course.save()
    page = client_for(Role.DEVELOPMENT_OFFICER).post(
        f"/training/courses/{course.pk}/modules/",
        {"add_module": "1", "m-order": "1", "m-title": "หน่วยที่ 1",
         "m-quiz_pass_pct": "120", "m-quiz_attempts": "0"},
    )  # fmt: skip
    assert page.status_code == 200
    errors = " ".join(_errors(page))
    assert "ต้องไม่เกิน 100%" in errors and "ต้องไม่น้อยกว่า 1 ครั้ง" in errors
    assert not course.modules.exists()


def test_the_transcript_pdf_breaks_titles_between_words_and_keeps_the_code_as_typed(
    users, officer, session, learner, tmp_path
):
    """The course cell cut "ทางการศึ|กษา"; the dates read 06/12/2569 where the office writes
    6 ธ.ค. ๒๕๖๙; in Thai digits the certificate's verification code became "XEV๕DJ๘Q๘๓",
    a code the verify page does not know."""
    import subprocess

    from pythainlp.tokenize import word_tokenize

    course = session.course
    course.title = "พัฒนาข้าราชการครูและบุคลากรทางการศึกษาด้วยระบบออนไลน์ระยะที่สอง"
    actions.save_course(acting_user=officer, course=course)
    attend_all(officer, session, learner)
    cert = actions.issue_certificate(acting_user=officer, enrolment=learner)
    record = queries.transcript(learner.person, fiscal_year=2569, target=Decimal("20"))
    data = exports.transcript_pdf(
        record, signer_name="", signer_title="", today=dt.date(2026, 12, 3), thai_digits=True
    )
    path = tmp_path / "transcript.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    assert "\u200b" not in text  # the line breaks are not marks a search trips on
    assert f"รหัสตรวจสอบ{cert.code}" in flat
    assert flat.startswith("สพป.เพชรบุรีเขต๑")  # the letterhead in the document's digits
    (row,) = record.enrolments
    day = row.completed_on or session.start_date
    assert "".join(format_thai_date(day, style="medium", thai_digits=True).split()) in flat
    # The title's lines in the table each end where a word ends.
    title = course.title
    ends, at = set(), 0
    for word in word_tokenize(title, engine="newmm"):
        at += len(word)
        ends.add(at)
    lines = ["".join(line.split()) for line in text.splitlines()]
    first = next(line for line in lines if line and title.startswith(line) and line != title)
    assert len(first) in ends, first


def test_the_transcript_says_a_certificate_is_under_review_and_why(
    client_for, officer, session, learner
):
    """A certificate whose holder no longer passes (a day's attendance corrected) stayed
    listed on the holder's record as any other, on the page and in the certified PDF."""

    attend_all(officer, session, learner)
    actions.issue_certificate(acting_user=officer, enrolment=learner)
    url = reverse("training:transcript", args=[learner.person_id]) + "?fy=2569"
    assert "tr-certificate-review" not in client_for(Role.TEACHER).get(url).content.decode()
    actions.roll_call(acting_user=officer, day=session.days.last(), present_ids=set())
    html = client_for(Role.TEACHER).get(url).content.decode()
    line = html.split('class="tr-certificate-review"')[1].split("</small>")[0]
    assert "รอเจ้าหน้าที่ตรวจสอบ" in line
    assert "ไม่ผ่าน: เวลาเข้าร่วม 50% ยังไม่ถึงเกณฑ์ 80%" in line
    record = queries.transcript(learner.person, fiscal_year=2569, target=Decimal("20"))
    text = pdf_text(
        exports.transcript_pdf(record, signer_name="", signer_title="", today=dt.date(2026, 3, 1))
    )
    assert "รอเจ้าหน้าที่ตรวจสอบ" in "".join(text.split())


def test_a_confirmed_report_sent_again_keeps_the_course_passed_and_its_certificate(
    client_for, users, officer, session, learner
):
    """The report page stays open after a director confirmed the report: sending it again
    (a typo fixed, the form sent twice) wiped the confirmation, so the course the teacher had
    passed went back to "ยังไม่ผ่าน", its hours left her record and the office's "developed"
    count, and her certificate went under review, with nobody told. A confirmed report is a
    confirmed record: it is refused, saying so, and nothing changes."""
    course = session.course
    course.requires_follow_up = True
    actions.save_course(acting_user=officer, course=course)
    attend_all(officer, session, learner)
    follow_up = actions.submit_follow_up(
        acting_user=users[Role.TEACHER], enrolment=learner, use_level=4, report="ใช้ในชั้นเรียน"
    )
    actions.confirm_follow_up(acting_user=users[Role.SCHOOL_DIRECTOR], follow_up=follow_up, note="")
    certificate = actions.issue_certificate(acting_user=officer, enrolment=learner)
    follow_up.refresh_from_db()
    confirmed = follow_up.confirmed_at
    teacher = client_for(Role.TEACHER)
    page = teacher.post(
        reverse("training:follow_up", args=[course.pk]),
        {"use_level": "5", "report": "ใช้ในชั้นเรียน (แก้คำผิด)"},
    )
    assert page.status_code == 200
    assert "ได้รับการรับรองแล้ว" in page.content.decode()
    follow_up.refresh_from_db()
    learner.refresh_from_db()
    certificate.refresh_from_db()
    assert (follow_up.confirmed_at, follow_up.report) == (confirmed, "ใช้ในชั้นเรียน")
    assert learner.passed and learner.hours_credited == course.hours
    assert certificate.standing == "valid"
    # The page shows the confirmed report, with no form to send it again.
    shown = teacher.get(reverse("training:follow_up", args=[course.pk])).content.decode()
    assert 'id="follow-up-confirmed"' in shown and "ใช้ในชั้นเรียน" in shown
    assert "ส่งรายงาน</button>" not in shown
