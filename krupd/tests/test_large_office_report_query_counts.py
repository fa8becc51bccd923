"""More pages of a large office make the same number of queries for an office of 60 people as
for one of 1,600: the transfer proposals, the retirement forecast, academic-standing readiness
and the developed-personnel report (offices as in test_office_pages_query_counts)."""

import pytest

from accounts.roles import Role
from krupd.testing import make_user
from krupd.tests.test_office_pages_query_counts import _query_count, small_and_large  # noqa: F401

pytestmark = pytest.mark.django_db

PAGES = ["staffing:retirements", "career:standing", "training:developed"]


def test_a_large_office_report_makes_as_many_queries_as_a_small_one(client, small_and_large):  # noqa: F811
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


def test_a_large_office_transfer_plan_adds_two_queries_at_most(client, small_and_large):  # noqa: F811
    """The small office has no surplus school, so it asks nothing about movers; the large one
    has: one query counts who may move by school and area, one names those who move, however
    many schools and people."""
    small, large = small_and_large
    small_admin = make_user("admin-small", Role.OFFICE_ADMIN, small)
    large_admin = make_user("admin-large", Role.OFFICE_ADMIN, large)
    small_count = _query_count(client, small_admin, "staffing:transfers")
    assert small_count <= _query_count(client, large_admin, "staffing:transfers") <= small_count + 2
