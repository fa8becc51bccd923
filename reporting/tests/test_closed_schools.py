"""A network's breakdown by school (KPI dashboard): a school closed (or merged into another)
before the fiscal year did not exist in it; one open for part of the year, or with figures
counted at it in the year, keeps its row."""

import datetime as dt

import pytest

from accounts.roles import Role
from krupd.testing import make_person, make_school
from registry.actions import close_school
from reporting import queries
from reporting.tests.helpers import course, passed

FY = 2569  # 1 Oct 2025 – 30 Sep 2026


def _close(school, day):
    close_school(acting_user=None, school=school, closed_on=day, merged_into=None,
                 reason="นักเรียนน้อย")  # fmt: skip


@pytest.fixture
def closed_schools(office, school, network):
    before = make_school(office, code="1076010011", name="โรงเรียนปิดก่อนปี", network=network)
    during = make_school(office, code="1076010012", name="โรงเรียนปิดกลางปี", network=network)
    kept = make_school(office, code="1076010013", name="โรงเรียนปิดแต่มีผลงาน", network=network)
    trained = make_person(office, kept)
    passed(course(office, fy=FY, title="อบรมการสอน"), trained)
    _close(before, dt.date(2025, 5, 16))
    _close(during, dt.date(2026, 1, 15))
    _close(kept, dt.date(2025, 5, 16))
    return before, during, kept


def test_a_school_closed_before_the_year_is_no_row_of_its_networks_breakdown(
    users, school, network, closed_schools
):
    before, during, kept = closed_schools
    user = users[Role.DEVELOPMENT_OFFICER]
    scope = queries.scope_for(user, network_id=network.pk)
    labels = [r.label for r in queries.dashboard(user, fiscal_year=FY, scope=scope).breakdown]
    assert before.name not in labels
    assert {school.name, during.name, kept.name} <= set(labels)
    # The year before, it was open all along.
    earlier = queries.dashboard(user, fiscal_year=FY - 1, scope=scope).breakdown
    assert before.name in [r.label for r in earlier]


def test_the_network_dashboard_stays_refused_to_teachers(client_for, network, closed_schools):
    url = f"/reports/?fy={FY}&network={network.pk}"
    assert client_for(Role.DEVELOPMENT_OFFICER).get(url).status_code == 200
    assert client_for(Role.TEACHER).get(url).status_code == 403
