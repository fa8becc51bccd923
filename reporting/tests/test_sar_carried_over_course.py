"""A course the office filed under a fiscal year but held after the year's end (a budget
carried over: training.queries.other_fiscal_year_note allows it) is one of that year's
courses in the training results table and its documents; the SAR of the year lists it in
its last round. It was in no SAR at all: its own year's rounds took courses starting in
their months only, and the next year's SAR reads the next year's courses."""

import datetime as dt
from decimal import Decimal as D

import pytest

from accounts.roles import Role
from krupd.lib.thai_dates import fiscal_half
from krupd.testing import make_person
from reporting.evidence import EvidenceContext, methods_table
from training import queries
from training.models import Course, Enrolment, Session

pytestmark = pytest.mark.django_db

FY = 2569  # 1 Oct 2025 – 30 Sep 2026


@pytest.fixture
def carried_over(office, school):
    """Filed under FY2569, held 5–6 Oct 2026 (FY2570): two participants, one passed."""
    course = Course.objects.create(
        office=office, title="การพัฒนาสื่อการสอนดิจิทัล (งบประมาณกันเหลื่อมปี)", mode="workshop",
        hours=D("12"), fiscal_year=FY, status="finished",
    )  # fmt: skip
    session = Session.objects.create(course=course, start_date=dt.date(2026, 10, 5),
                                     end_date=dt.date(2026, 10, 6), capacity=10)  # fmt: skip
    for passed in (True, False):
        Enrolment.objects.create(
            course=course, session=session, person=make_person(office, school),
            status="enrolled", source="office", passed=passed,
            result="passed" if passed else "failed", hours_credited=D("12" if passed else "0"),
            completed_on=dt.date(2026, 10, 6) if passed else None, credit_fiscal_year=2570,
        )  # fmt: skip
    return course


def test_the_year_s_last_round_lists_a_course_held_after_the_year(office, users, carried_over):
    (row,) = queries.results_table(users[Role.OFFICE_ADMIN], fiscal_year=FY)
    assert (row.course.title, row.participants, row.passed) == (carried_over.title, 2, 1)

    assert [c.title for c in EvidenceContext(office, FY, period=fiscal_half(FY, 2)).courses] == [
        carried_over.title
    ]
    # In no other round: not the year's first, not the next year's.
    assert not EvidenceContext(office, FY, period=fiscal_half(FY, 1)).courses
    for rnd in (1, 2):
        assert not EvidenceContext(office, FY + 1, period=fiscal_half(FY + 1, rnd)).courses


def test_the_rounds_methods_table_gives_its_days_and_results(office, carried_over):
    """The item 4 table (page, DOCX and PDF print it): the course's own days and results."""
    _header, rows = methods_table(EvidenceContext(office, FY, period=fiscal_half(FY, 2)))
    assert rows == [[1, carried_over.title, "5 ต.ค. 2569 – 6 ต.ค. 2569", "—",
                     carried_over.get_mode_display(), 2, 1, "50.00"]]  # fmt: skip
