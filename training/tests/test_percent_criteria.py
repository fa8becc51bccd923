"""A percentage is shown to a tenth (a whole percent for a watched video) and criteria are
whole percentages: a shown figure never rounds up onto a criterion the participant did not
reach. 241/402 = 59.95 % was shown as 60.0 %, passed a 60 % post-test criterion and got a
certificate; a video watched to 79.6 % counted as the 80 % a course asks for."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.roles import Role
from training import actions, lessons, results
from training.models import Course, Lesson, LessonProgress, TestAttempt, shown_pct

thresholds = st.integers(min_value=0, max_value=100)


@given(max_score=st.integers(1, 1000), data=st.data(), threshold=thresholds)
def test_a_score_meets_a_criterion_exactly_when_its_fraction_does(max_score, data, threshold):
    score = data.draw(st.integers(0, max_score))
    pct = TestAttempt(score=score, max_score=max_score).pct
    assert (pct >= threshold) == (score * 100 >= threshold * max_score)
    assert abs(pct - Decimal(score) * 100 / max_score) < Decimal("0.1")


@given(numerator=st.integers(0, 10**6), denominator=st.integers(1, 10**6), threshold=thresholds)
def test_a_shown_percentage_never_reaches_a_whole_number_the_fraction_does_not(
    numerator, denominator, threshold
):
    exact = Decimal(numerator) * 100 / denominator
    assert (shown_pct(exact) >= threshold) == (numerator * 100 >= threshold * denominator)


@given(seconds=st.integers(1, 20_000), data=st.data(), threshold=thresholds)
def test_a_video_counts_as_watched_exactly_when_its_share_reaches_the_criterion(
    seconds, data, threshold
):
    watched = data.draw(st.integers(0, seconds))
    lesson = Lesson(video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ", video_seconds=seconds)
    pct = lessons.watched_pct(lesson, LessonProgress(watched_seconds=watched))
    assert (pct >= threshold) == (watched * 100 >= threshold * seconds)


@given(
    tenths=st.lists(st.integers(1, 120), min_size=1, max_size=8),
    data=st.data(),
    threshold=st.integers(1, 100),
)
def test_the_attendance_shown_agrees_with_the_attendance_criterion(tenths, data, threshold):
    """Partial days (hours in tenths): the shown % and the reason never claim the criterion
    when the hours fall short of it, and never deny it when they reach it."""
    days = [
        (dt.date(2026, 2, 1) + dt.timedelta(days=i), Decimal(t) / 10) for i, t in enumerate(tenths)
    ]
    attended = tuple(d for d in days if data.draw(st.booleans()))
    total = sum(h for _, h in days)
    course = Course(mode="workshop", hours=total, min_attendance_pct=threshold)
    evidence = results.Evidence(
        status="enrolled",
        today=dt.date(2026, 3, 1),
        session_end=dt.date(2026, 2, 28),
        test_closes=dt.date(2026, 2, 28),
        total_hours=total,
        attended=attended,
    )
    outcome = results.judge(course, evidence)
    reached = sum(h for _, h in attended) * 100 >= threshold * total
    assert outcome.passed == reached
    assert (outcome.attendance_pct >= threshold) == reached


@pytest.mark.django_db
def test_a_paper_score_just_under_the_criterion_fails_and_says_so(users, session, teacher_person):
    officer = users[Role.DEVELOPMENT_OFFICER]
    learner = actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)
    for day in session.days.all():
        actions.roll_call(acting_user=officer, day=day, present_ids={learner.pk})

    def record(score, full):
        row = actions.PaperRow(enrolment=learner, post=score)
        actions.record_paper_scores(
            acting_user=officer, session=session, rows=[row], pre_max=None, post_max=full
        )
        learner.refresh_from_db()

    record(241, 402)  # 59.95 %: under the course's 60 %
    assert not learner.passed
    assert learner.post_score_pct == Decimal("59.9")
    assert "คะแนนหลังเรียน 59.9% ยังไม่ถึงเกณฑ์ 60%" in learner.result_reasons
    with pytest.raises(actions.TrainingError):
        actions.issue_certificate(acting_user=officer, enrolment=learner)
    record(3, 5)  # exactly 60 %: the criterion is "not less than"
    assert learner.passed and learner.post_score_pct == Decimal("60.0")


@pytest.mark.django_db
def test_a_result_completed_by_a_paper_score_is_dated_at_the_session(
    client_for, users, session, teacher_person
):
    """The sheet of a January session typed in December: the pass, the certificate and the
    record are dated at the session (in its fiscal year), not on the day of typing."""
    officer = users[Role.DEVELOPMENT_OFFICER]
    learner = actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)
    for day in session.days.all():
        actions.roll_call(acting_user=officer, day=day, present_ids={learner.pk})
    row = actions.PaperRow(enrolment=learner, pre=3, post=8)
    actions.record_paper_scores(
        acting_user=officer, session=session, rows=[row], pre_max=10, post_max=10
    )
    learner.refresh_from_db()
    assert learner.passed and learner.completed_on == session.end_date == dt.date(2026, 1, 13)
    cert = actions.issue_certificate(acting_user=officer, enrolment=learner)
    assert cert.completed_on == session.end_date
    record = client_for(Role.TEACHER).get(
        reverse("training:transcript", args=[learner.person_id]) + "?fy=2569"
    )
    assert "13/01/2569" in record.content.decode()  # passed on, in B.E.
