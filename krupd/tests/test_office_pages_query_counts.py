"""The pages a large office opens every day (staffing analysis, data quality, dashboard, the
retirement forecast, academic standing, the developed report) make the same number of
queries for an office of 60 people as for one of 1,600.

The two offices are built by the demo builder, so they hold what real offices hold: leavers
whose position numbers are vacant or taken over, secondments both ways, contract teachers,
people without a major, retired people with and without status history.
"""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from krupd.testing import make_person, make_user, refresh_planner_statistics
from registry.demo import build_demo
from registry.models import Enrolment, Office, Person, PersonnelType

pytestmark = pytest.mark.django_db

PAGES = [
    "staffing:office", "staffing:schools", "registry:quality", "reporting:dashboard",
    "staffing:retirements", "career:standing", "training:developed",
]  # fmt: skip


@pytest.fixture
def small_and_large():
    build_demo(seed=17, offices=1, schools=6, people=60)
    build_demo(seed=17, offices=2, schools=80, people=3_200)  # the first office is kept
    small, large = Office.objects.order_by("pk")
    # Both offices have short schools, whose need by learning area takes its own few queries:
    # every school gets ten times its pupils.
    Enrolment.objects.update(students=F("students") * 10, classrooms=F("classrooms") * 4)
    # Both have office staff with incomplete records (the quality page lists them by name;
    # it skips the listing where the counts show none, as the small demo office would).
    for office in (small, large):
        make_person(office, None, personnel_type=PersonnelType.EDUCATIONAL_PERSONNEL,
                    position="นักวิชาการศึกษา", academic_standing=None, phone="")  # fmt: skip
    assert Person.objects.filter(office=small).count() == 61
    assert Person.objects.filter(office=large).count() == 1_601
    # The offices are built inside the test's transaction, unseen by autovacuum: without fresh
    # statistics PostgreSQL may plan the staffing page for empty tables (a run sat 18 minutes
    # in one such plan).
    refresh_planner_statistics()
    return small, large


def _query_count(client, user, url_name: str) -> int:
    client.force_login(user)
    client.get(reverse(url_name))  # first visit creates the office's settings rows
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_a_large_office_page_makes_as_many_queries_as_a_small_one(client, small_and_large):
    small, large = small_and_large
    small_admin = make_user("admin-small", Role.OFFICE_ADMIN, small)
    large_admin = make_user("admin-large", Role.OFFICE_ADMIN, large)
    counts = {
        url_name: (
            _query_count(client, small_admin, url_name),
            _query_count(client, large_admin, url_name),
        )
        for url_name in PAGES
    }
    assert {name: small for name, (small, _) in counts.items()} == {
        name: large for name, (_, large) in counts.items()
    }


def test_a_large_office_transfer_plan_adds_two_queries_at_most(client, small_and_large):
    """The small office has no surplus school, so it asks nothing about movers; the large one
    has: one query counts who may move by school and area, one names those who move, however
    many schools and people."""
    small, large = small_and_large
    small_admin = make_user("admin-small", Role.OFFICE_ADMIN, small)
    large_admin = make_user("admin-large", Role.OFFICE_ADMIN, large)
    small_count = _query_count(client, small_admin, "staffing:transfers")
    assert small_count <= _query_count(client, large_admin, "staffing:transfers") <= small_count + 2
