"""A network's breakdown by school (KPI dashboard): a school closed (or merged into another)
before the fiscal year did not exist in it; one open for part of the year, or with figures
counted at it in the year, keeps its row. The office's breakdown by network reads the same:
a network none of whose schools existed in the year is no row of it."""

import datetime as dt

import pytest

from accounts.roles import Role
from krupd.testing import make_person, make_school
from registry.actions import close_school
from registry.models import Network
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


def test_a_network_whose_schools_all_closed_before_the_year_is_no_row_of_the_office(
    users, office, school, network
):
    """The office's breakdown by network: a network with no school open in the year would be
    a row of zeros, read as a network failing its targets. The same definition as a
    network's breakdown by school: one closed during the year, or with figures of the year,
    keeps its network's row; the year before, the network was there."""
    gone = Network.objects.create(office=office, name="เครือข่ายยุบแล้ว")
    _close(make_school(office, code="1076010021", name="โรงเรียนเก่าหนึ่ง", network=gone),
           dt.date(2025, 5, 16))  # fmt: skip
    _close(make_school(office, code="1076010022", name="โรงเรียนเก่าสอง", network=gone),
           dt.date(2025, 9, 30))  # fmt: skip
    late = Network.objects.create(office=office, name="เครือข่ายปิดกลางปี")
    _close(make_school(office, code="1076010023", name="โรงเรียนปิดกลางปี", network=late),
           dt.date(2026, 1, 15))  # fmt: skip
    worked = Network.objects.create(office=office, name="เครือข่ายมีผลงาน")
    kept = make_school(office, code="1076010024", name="โรงเรียนปิดแต่มีผลงาน", network=worked)
    passed(course(office, fy=FY, title="อบรมการสอน"), make_person(office, kept))
    _close(kept, dt.date(2025, 5, 16))
    user = users[Role.DEVELOPMENT_OFFICER]
    scope = queries.scope_for(user)

    def rows(fy):
        return [r.label for r in queries.dashboard(user, fiscal_year=fy, scope=scope).breakdown]

    labels = rows(FY)
    assert gone.name not in labels
    assert {network.name, late.name, worked.name} <= set(labels)
    assert gone.name in rows(FY - 1)
