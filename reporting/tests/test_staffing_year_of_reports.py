"""The staffing figures a report cites are those of the latest census day by the end of the
period it reports, in the office's own census day: a first-round SAR (1 Oct – 31 Mar) cannot
cite a census taken in June after it, and the annual summary and the SAR agree."""

import datetime as dt

import pytest

from accounts.roles import Role
from krupd.lib.thai_dates import fiscal_half
from registry.models import OfficeRules
from reporting.evidence import Evidence, EvidenceContext, _staffing_information
from reporting.reports import summaries
from reporting.sar_rules import Strength
from staffing.tests.helpers import enrol, staff

pytestmark = pytest.mark.django_db

FY = 2569  # 1 Oct 2025 – 30 Sep 2026: academic year 2569's census (10 Jun 2026) is in it


@pytest.fixture
def two_years(office, school, users):
    """Pupils counted in academic years 2568 and 2569 (different numbers of rooms)."""
    enrol(school, 100, 6, year=2568)
    enrol(school, 200, 8, year=2569)
    staff(office, school, teachers={"คณิตศาสตร์": 4})
    return users[Role.DEVELOPMENT_OFFICER]


def _census_line(user, office, period):
    ev = Evidence(Strength.CLEAR, "")
    _staffing_information(EvidenceContext(office, FY, user=user, period=period), ev)
    return next(line for line in ev.lines if "นับ ณ" in line)


def test_a_first_round_sar_cites_the_census_before_its_end(two_years, office):
    first = _census_line(two_years, office, fiscal_half(FY, 1))
    assert "10 มิถุนายน 2568" in first  # the census of 10 Jun 2569 came after 31 Mar 2569
    second = _census_line(two_years, office, fiscal_half(FY, 2))
    assert "10 มิถุนายน 2569" in second


def test_the_office_census_day_decides_which_year_a_report_cites(two_years, office):
    """An office that counts on 30 September: academic year 2569 is counted on the last day
    of fiscal year 2569, so a report of that year cites it, and one of an earlier day cites
    2568. The annual summary and the SAR's second round read the same year."""
    OfficeRules.objects.update_or_create(office=office, defaults={"census_day": "30/09"})
    line = _census_line(two_years, office, fiscal_half(FY, 2))
    assert "30 กันยายน 2569" in line
    assert summaries._staffing_year(two_years, FY) == 2569
    assert summaries._staffing_year(two_years, FY - 1) == 2568
    early = (dt.date(2025, 10, 1), dt.date(2026, 9, 29))
    assert "30 กันยายน 2568" in _census_line(two_years, office, early)


def test_the_out_of_field_line_says_it_counts_todays_register(two_years, office, school):
    """Beside census-day figures, out-of-field teaching (recorded only as it is now, contract
    teachers included) says so: "จากครู 5 คน" under "ผู้สอน 4 อัตรา" read as a contradiction."""
    from django.utils import timezone

    from krupd.lib.thai_dates import format_thai_date
    from staffing.tests.helpers import area

    (teacher,) = staff(office, school, directors=0, teachers={"คณิตศาสตร์": 1})
    teacher.areas_taught.set([area("thai")])
    ev = Evidence(Strength.CLEAR, "")
    ctx = EvidenceContext(office, FY, user=two_years, period=fiscal_half(FY, 2))
    _staffing_information(ctx, ev)
    (line,) = [line for line in ev.lines if line.startswith("ครูสอนไม่ตรงวิชาเอก")]
    today = format_thai_date(timezone.localdate(), style="medium")
    assert line.startswith("ครูสอนไม่ตรงวิชาเอก 1 คน จากครูผู้สอนทุกประเภทการจ้าง ")
    assert line.endswith(f"; ข้อมูล ณ {today})")
