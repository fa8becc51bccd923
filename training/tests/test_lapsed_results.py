"""Results whose chance has passed are judged again at night: a session's end or a post-test
window closing writes nothing, so whoever had not met a criterion by then stayed "awaiting a
result" for good, left out of the results table's pass rate."""

import datetime as dt
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.roles import Role
from krupd.testing import make_person
from training import actions, queries
from training.models import Course, Question, Session

pytestmark = pytest.mark.django_db


def test_a_post_test_never_sat_fails_once_its_window_has_closed(users, office, school):
    officer = users[Role.DEVELOPMENT_OFFICER]
    today = timezone.localdate()
    last_day = today - dt.timedelta(days=3)
    course = Course.objects.create(office=office, title="ทดสอบหลังเรียนปิดแล้ว", mode="workshop",
                                   hours=6, fiscal_year=2570, test_days_after_end=1)  # fmt: skip
    Question.objects.create(course=course, text="ข้อ 1", choices=["ก", "ข"], correct=0)
    session = actions.save_session(
        acting_user=officer,
        session=Session(course=course, start_date=last_day, end_date=last_day, capacity=5,
                        hours_per_day=Decimal("6")),
    )  # fmt: skip
    people = [make_person(office, school, first_name=f"ครู{i}") for i in range(2)]
    enrolments = [actions.enrol(acting_user=officer, session=session, person=p) for p in people]
    # On the session's day: both attended, one sat the post-test and passed.
    with mock.patch("django.utils.timezone.localdate", return_value=last_day):
        actions.roll_call(acting_user=officer, day=session.days.get(),
                          present_ids={e.pk for e in enrolments})  # fmt: skip
    actions.record_paper_scores(
        acting_user=officer, session=session,
        rows=[actions.PaperRow(enrolment=enrolments[0], post=1)], pre_max=None, post_max=1,
    )  # fmt: skip
    enrolments[1].refresh_from_db()
    assert enrolments[1].result == "pending"  # judged while the window was open
    (row,) = queries.results_table(officer, fiscal_year=2570)
    assert (row.participants, row.passed, row.pending, row.pct) == (2, 1, 1, 100.0)

    out = StringIO()
    call_command("judge_lapsed_results", stdout=out)
    assert "1" in out.getvalue()
    enrolments[1].refresh_from_db()
    assert enrolments[1].result == "failed"
    assert enrolments[1].result_reasons == ["ยังไม่ได้ทำแบบทดสอบหลังเรียน"]
    (row,) = queries.results_table(officer, fiscal_year=2570)
    assert (row.participants, row.passed, row.pending, row.pct) == (2, 1, 0, 50.0)
    # Run again: nothing left to change.
    assert actions.judge_lapsed_results() == 0


def test_only_recent_lapses_are_looked_at_unless_all_are_asked_for(users, office, school):
    officer = users[Role.DEVELOPMENT_OFFICER]
    long_ago = timezone.localdate() - dt.timedelta(days=40)
    course = Course.objects.create(office=office, title="จบนานแล้ว", mode="workshop", hours=12,
                                   fiscal_year=2570, test_days_after_end=3)  # fmt: skip
    session = actions.save_session(
        acting_user=officer,
        session=Session(course=course, start_date=long_ago, end_date=long_ago + dt.timedelta(1),
                        capacity=5, hours_per_day=Decimal("6")),
    )  # fmt: skip
    e = actions.enrol(acting_user=officer, session=session, person=make_person(office, school))
    with mock.patch("django.utils.timezone.localdate", return_value=long_ago):
        actions.roll_call(acting_user=officer, day=session.days.first(), present_ids={e.pk})
    e.refresh_from_db()
    assert e.result == "pending"  # half the hours, with a day still to come
    assert actions.judge_lapsed_results() == 0
    assert actions.judge_lapsed_results(everything=True) == 1
    e.refresh_from_db()
    assert e.result == "failed" and e.result_reasons == ["เวลาเข้าร่วม 50% ยังไม่ถึงเกณฑ์ 80%"]
