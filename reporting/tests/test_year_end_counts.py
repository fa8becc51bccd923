"""Hours credited to a fiscal year count in that year's figures however late the result was
met: the SAR's second round (counted to 30 September) says what the KPI dashboard, the
"% developed" page and the person's record say of the year.

A session of 28 Sep – 2 Oct 2026 gives its September days to FY2569 (training.results.judge),
yet the participant passes on 1 October; a September session whose post-test is taken on
5 October is credited to FY2569 and passed in FY2570. Counted "as of 30 September" by the day
each result was met, the SAR's round 2 of FY2569 counted neither, while every other page
counted both as developed in FY2569."""

import datetime as dt
from decimal import Decimal as D
from unittest import mock

import pytest
from django.urls import reverse

from accounts.roles import Role
from krupd.lib.thai_dates import fiscal_half
from krupd.testing import make_person
from registry.models import Person
from reporting import actions as reporting_actions
from reporting import developed
from reporting.evidence import EvidenceContext
from reporting.kpis import KpiData, developed_share
from reporting.models import SarEdition
from training import actions, queries
from training.models import Course, Enrolment, Session, TrainingRules

pytestmark = pytest.mark.django_db

OFFICER = Role.DEVELOPMENT_OFFICER
FY = 2569  # 1 Oct 2025 – 30 Sep 2026


@pytest.fixture
def year(office, school, users, teacher_person):
    """15 hours make a person developed. Teacher A: 5 days of 6 hours, 28 Sep – 2 Oct 2026,
    in a course the office filed under FY2570: 18 hours in FY2569, 12 in FY2570, passed on
    1 October (80 % attendance reached on the fourth day). Teacher B: a FY2569 course held
    21–25 Sep 2026, 30 hours, passed on 5 October (its post-test that day)."""
    officer = users[OFFICER]
    TrainingRules.objects.update_or_create(office=office, defaults={"developed_min_hours": 15})
    developed.rebuild(office)
    across = Course.objects.create(
        office=office, title="การจัดการเรียนรู้เชิงรุก รุ่นข้ามปีงบประมาณ", mode="workshop",
        hours=D("30"), fiscal_year=2570, min_attendance_pct=80, test_days_after_end=3650,
    )  # fmt: skip
    session = actions.save_session(
        acting_user=officer,
        session=Session(course=across, name="รุ่นที่ 1", start_date=dt.date(2026, 9, 28),
                        end_date=dt.date(2026, 10, 2), capacity=5, hours_per_day=D("6")),
    )  # fmt: skip
    a = actions.enrol(acting_user=officer, session=session, person=teacher_person)
    for day in session.days.all():
        actions.roll_call(acting_user=officer, day=day, present_ids={a.pk})
    a.refresh_from_db()
    assert (a.passed, a.completed_on) == (True, dt.date(2026, 10, 1))
    assert (a.credit_fiscal_year, a.hours_credited, a.prior_year_hours) == (2570, 30, 18)

    september = Course.objects.create(
        office=office, title="การวัดและประเมินผลการเรียนรู้", mode="workshop", hours=D("30"),
        fiscal_year=FY, status="finished",
    )  # fmt: skip
    held = Session.objects.create(course=september, start_date=dt.date(2026, 9, 21),
                                  end_date=dt.date(2026, 9, 25), capacity=5)  # fmt: skip
    teacher_b = make_person(office, school)
    b = Enrolment.objects.create(course=september, session=held, person=teacher_b,
                                 status="enrolled", source="office")  # fmt: skip
    b.passed, b.result, b.hours_credited = True, "passed", D("30")
    b.completed_on, b.credit_fiscal_year = dt.date(2026, 10, 5), FY
    actions.save_results([b])
    return {"a": teacher_person, "b": teacher_b}


def _dashboard_developed(office, fy):
    parts = developed_share(KpiData(office, [fy]), {})[fy]
    return int(sum(p.num for p in parts.values())), int(sum(p.den for p in parts.values()))


@pytest.mark.parametrize("stored", [True, False], ids=["stored counts", "counted from records"])
def test_the_sar_second_round_counts_the_years_developed_as_the_dashboard(
    office, users, year, stored
):
    people = Person.objects.filter(office=office, status="active").count()
    built = mock.patch.object(developed, "is_built", return_value=stored)
    with built:
        # Every page of the year: both teachers are developed in FY2569 (18 and 30 hours).
        assert _dashboard_developed(office, FY) == (2, people)
        report = queries.developed_report(users[Role.OFFICE_ADMIN], fiscal_year=FY, min_hours=15)
        assert report["total"][0].developed == 2
        for person, hours in ((year["a"], D("18")), (year["b"], D("30"))):
            assert queries.transcript(person, fiscal_year=FY, target=D("20")).total_hours == hours
        # The SAR's second round ends on the year's last day: the year's own count.
        ctx = EvidenceContext(office, FY, period=fiscal_half(FY, 2))
        assert ctx.developed == (2, people)
        # Its first round (to 31 March) had neither result yet.
        assert EvidenceContext(office, FY, period=fiscal_half(FY, 1)).developed[0] == 0
        # FY2570: A's 12 hours of October do not reach 15, in both.
        assert _dashboard_developed(office, 2570)[0] == 0
        assert EvidenceContext(office, 2570, period=fiscal_half(2570, 2)).developed[0] == 0


def test_the_sar_page_says_it(office, users, year, client_for):
    people = Person.objects.filter(office=office, status="active").count()
    edition = SarEdition.objects.get(code="esa-2555")
    sar = reporting_actions.start_sar(acting_user=users[OFFICER], edition=edition,
                                      fiscal_year=FY, round_number=2)  # fmt: skip
    page = client_for(OFFICER).get(reverse("reporting:sar", args=[sar.pk])).content.decode()
    assert f"บุคลากรได้รับการพัฒนาตามเกณฑ์ 2 จาก {people:,} คน" in page


def test_the_stored_year_end_counts_equal_the_whole_years(office, year):
    """The stored counts as of 30 September are the whole year's, and equal a recount."""
    assert developed.stored_counts(office.pk) == developed.counts_of_office(office.pk)
    for fy in (FY, 2570):
        stored = KpiData(office, [fy], until=developed.cutoff_date(fy, 12))
        counted = KpiData(office, [fy], until=developed.cutoff_date(fy, 12))
        whole = KpiData(office, [fy])
        for threshold in (D("0"), D("15"), D("20")):
            assert stored.developed_counts(threshold) == counted.counted_developed(threshold)
            assert stored.developed_counts(threshold) == whole.developed_counts(threshold)
