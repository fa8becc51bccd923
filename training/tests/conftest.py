"""The shared cast (office, schools, people, a user per role) plus a course with one
session of two days and a three-question test."""

import datetime as dt
from decimal import Decimal

import pytest

from krupd.testing import *  # noqa: F401,F403
from training import actions
from training.models import Course, Question, Session


@pytest.fixture
def course(office, users):
    return Course.objects.create(
        office=office,
        title="การจัดการเรียนรู้เชิงรุก (Active Learning) ที่เน้นการคิดขั้นสูง",
        mode="workshop",
        hours=Decimal("12"),
        fiscal_year=2569,
        min_attendance_pct=80,
        min_post_test_pct=60,
        # The session below is in January 2026; its tests stay open so that the flows can
        # be walked today (the window itself is tested in test_results.py).
        test_days_after_end=3650,
    )


@pytest.fixture
def session(course, users):
    s = Session(
        course=course,
        name="รุ่นที่ 1",
        start_date=dt.date(2026, 1, 12),
        end_date=dt.date(2026, 1, 13),
        capacity=3,
        hours_per_day=Decimal("6"),
        place="ห้องประชุมเพชรพัฒนา",
    )
    return actions.save_session(acting_user=users["development_officer"], session=s)


@pytest.fixture
def questions(course):
    rows = [
        (
            "PLC ย่อมาจากอะไร",
            ["Professional Learning Community", "Public Library Center", "Primary Level Class"],
            0,
        ),
        ("ข้อใดเป็นการเรียนรู้เชิงรุก", ["ฟังบรรยายอย่างเดียว", "ผู้เรียนลงมือทำและสะท้อนคิด", "จดตามกระดาน"], 1),
        (
            "คำถามระดับการคิดขั้นสูงคือข้อใด",
            ["ใครเป็นผู้แต่ง", "เมื่อไร", "ถ้าเปลี่ยนเงื่อนไข ผลจะเป็นอย่างไร เพราะเหตุใด"],
            2,
        ),
    ]
    return [
        Question.objects.create(course=course, order=i, text=t, choices=c, correct=k)
        for i, (t, c, k) in enumerate(rows, start=1)
    ]


def answer_key(questions, right: int) -> dict[str, int]:
    """Answers with the first `right` questions correct and the rest wrong."""
    return {
        str(q.pk): (q.correct if i < right else (q.correct + 1) % len(q.choices))
        for i, q in enumerate(questions)
    }


def study(user, enrolment, lesson, *, minutes: float, read_to_end: bool = True) -> None:
    """Keep a lesson page in view for `minutes`: open it, then report every 30 seconds as
    the page does, on a clock moved forward by hand (no waiting in tests); the last report
    says the end of the text was scrolled into view (unless `read_to_end` is False)."""
    from unittest import mock

    from django.utils import timezone

    start = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=start):
        actions.open_lesson(acting_user=user, enrolment=enrolment, lesson=lesson)
    steps = int(minutes * 2)
    for step in range(1, steps + 1):
        moment = start + dt.timedelta(seconds=30 * step)
        with mock.patch("django.utils.timezone.now", return_value=moment):
            actions.record_lesson_time(
                acting_user=user,
                enrolment=enrolment,
                lesson=lesson,
                read_to_end=read_to_end and step == steps,
            )


def on_day(date):
    """Run as if today were `date` (a QR code scanned at the venue on its session's day)."""
    from unittest import mock

    return mock.patch("django.utils.timezone.localdate", return_value=date)
