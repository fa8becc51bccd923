"""A network's schools are those open: a school closed or merged into another (ปิด/ยุบรวม) is
not counted on the networks page nor listed as one of them, and a network goal of an academic
year does not count a school closed before it as one "without data"."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from community.goal_measures import measure_goals
from community.models import CommunityRules, NetworkGoal
from krupd.testing import make_school
from registry.actions import close_school
from reporting.models import OnetNationalMean, OnetResult

pytestmark = pytest.mark.django_db

YEAR = 2567  # opens 16 May 2024
MATH = "คณิตศาสตร์"


def _close(school, day, into=None):
    close_school(acting_user=None, school=school, closed_on=day, merged_into=into,
                 reason="นักเรียนน้อย")  # fmt: skip


@pytest.fixture
def merged(office, network, school):
    small = make_school(office, code="1076010021", name="โรงเรียนบ้านเล็ก", network=network)
    _close(small, dt.date(2024, 3, 1), into=school)
    return small


def test_the_networks_page_counts_open_schools(client_for, network, school, merged):
    response = client_for(Role.DEVELOPMENT_OFFICER).get(reverse("community:networks"))
    row = next(n for n in response.context["networks"] if n.pk == network.pk)
    assert row.n_schools == 1


def test_the_network_page_lists_a_closed_school_apart(client_for, network, school, merged):
    response = client_for(Role.INSPECTOR).get(
        reverse("community:network_detail", args=[network.pk])
    )
    assert [s.pk for s in response.context["schools"]] == [school.pk]
    html = response.content.decode()
    assert "โรงเรียนในเครือข่าย (1)" in html
    assert "ปิด/ยุบรวมแล้ว ไม่นับเป็นโรงเรียนในเครือข่าย: โรงเรียนบ้านเล็ก" in html


def test_the_network_pages_stay_refused_to_teachers(client_for, network, merged):
    client = client_for(Role.TEACHER)
    assert client.get(reverse("community:networks")).status_code == 403
    assert client.get(reverse("community:network_detail", args=[network.pk])).status_code in (
        403, 404,
    )  # fmt: skip


def _goal(network, year=YEAR):
    return NetworkGoal.objects.create(
        network=network, academic_year=year, measure="onet_above_national", subject=MATH,
        grade="p6", target_percent=Decimal("80"), text="—", target="—",
    )  # fmt: skip


def test_a_goal_leaves_out_a_school_closed_before_its_year(office, network, school, merged):
    OnetNationalMean.objects.create(office=office, academic_year=YEAR, grade="p6", subject=MATH,
                                    mean=Decimal("30"))  # fmt: skip
    OnetResult.objects.create(school=school, academic_year=YEAR, grade="p6", subject=MATH,
                              mean=Decimal("45"))  # fmt: skip
    during = make_school(office, code="1076010022", name="โรงเรียนปิดกลางปี", network=network)
    _close(during, dt.date(2024, 11, 1))  # open when the year opened: still one of the year's
    result = measure_goals([_goal(network)])
    result = next(iter(result.values()))
    assert (result.met, result.counted, result.schools) == (1, 1, 2)
    assert result.missing == ["โรงเรียนปิดกลางปี"]
    assert [name for name, _detail, _passed in result.rows] == ["โรงเรียนบ้านหนองไผ่",
                                                                "โรงเรียนปิดกลางปี"]  # fmt: skip


def test_a_school_closed_before_the_year_with_the_years_data_keeps_its_row(
    office, network, school, merged
):
    OnetNationalMean.objects.create(office=office, academic_year=YEAR, grade="p6", subject=MATH,
                                    mean=Decimal("30"))  # fmt: skip
    OnetResult.objects.create(school=merged, academic_year=YEAR, grade="p6", subject=MATH,
                              mean=Decimal("25"))  # fmt: skip
    result = next(iter(measure_goals([_goal(network)]).values()))
    assert "โรงเรียนบ้านเล็ก" in [name for name, _detail, _passed in result.rows]


@pytest.mark.parametrize(
    ("opens", "closed_on", "of_the_year"),
    [
        ("01/06", dt.date(2024, 5, 25), False),  # closed before the office's year opened
        ("01/05", dt.date(2024, 5, 10), True),  # open when the office's year opened
        (None, dt.date(2024, 5, 16), False),  # no setting saved: 16 May
    ],
)
def test_a_goals_cut_off_is_the_offices_own_opening_of_the_year(
    office, network, school, opens, closed_on, of_the_year
):
    """An office that opens its academic year on another day than 16 May (its setting of
    term 1's opening) counts a school closed between the two by its own day."""
    if opens:
        CommunityRules.objects.create(office=office, term_one_opens=opens)
    OnetNationalMean.objects.create(office=office, academic_year=YEAR, grade="p6", subject=MATH,
                                    mean=Decimal("30"))  # fmt: skip
    OnetResult.objects.create(school=school, academic_year=YEAR, grade="p6", subject=MATH,
                              mean=Decimal("45"))  # fmt: skip
    closing = make_school(office, code="1076010023", name="โรงเรียนปิดต้นปี", network=network)
    _close(closing, closed_on)
    result = next(iter(measure_goals([_goal(network)]).values()))
    assert result.schools == (2 if of_the_year else 1)
    assert result.missing == (["โรงเรียนปิดต้นปี"] if of_the_year else [])


# -- supervision coverage of a term


def _visit(office, school, day):
    from community.models import Visit, VisitStatus

    return Visit.objects.create(office=office, school=school, kind="supervision",
                                status=VisitStatus.DONE, date=day, visitor_name="ศน.",
                                focus="การอ่าน")  # fmt: skip


def test_coverage_leaves_out_a_school_closed_before_the_term(users, office, school, merged):
    from community import queries

    start, end = dt.date(2024, 5, 16), dt.date(2024, 10, 31)
    during = make_school(office, code="1076010023", name="โรงเรียนปิดกลางภาค")
    _close(during, dt.date(2024, 7, 1))
    visited, not_visited = queries.coverage(users[Role.SUPERVISOR], start=start, end=end)
    assert (visited, not_visited) == ([], [school, during])
    # Visited in the term though closed before it (its history stays): counted as visited.
    _visit(office, merged, dt.date(2024, 6, 1))
    visited, not_visited = queries.coverage(users[Role.SUPERVISOR], start=start, end=end)
    assert (visited, not_visited) == ([merged], [school, during])


def test_the_coverage_page_stays_refused_to_directors(client_for, merged):
    url = reverse("community:coverage")
    assert client_for(Role.INSPECTOR).get(url).status_code == 200
    assert client_for(Role.SCHOOL_DIRECTOR).get(url).status_code == 403
