"""A school closed or merged into another (ปิด/ยุบรวม) is left out of where only open schools
belong (the home page's count of schools, the data-quality checks once it is empty), and a
person seconded to one is told on the data-quality page."""

import datetime as dt

from accounts.roles import Role
from registry import actions

from .conftest import make_school

CLOSED = dt.date(2025, 5, 16)


def _close(school, into=None, day=CLOSED):
    actions.close_school(
        acting_user=None, school=school, closed_on=day, merged_into=into, reason="นักเรียนน้อย"
    )


# -- the home page's count of schools


def test_the_home_page_counts_open_schools_only(client_for, office, school, other_school):
    client = client_for(Role.OFFICE_ADMIN)
    assert client.get("/").context["school_count"] == 2
    _close(other_school, into=school)
    assert client.get("/").context["school_count"] == 1
    # A closing set for a day still to come: open today, still counted.
    third = make_school(office, code="1076010003", name="โรงเรียนบ้านนา")
    _close(third, day=dt.date(2999, 1, 1))
    assert client.get("/").context["school_count"] == 2


def test_a_director_of_a_closed_school_counts_no_open_school(client_for, school):
    _close(school)
    assert client_for(Role.SCHOOL_DIRECTOR).get("/").context["school_count"] == 0


def test_the_home_page_is_refused_to_no_one_logged_out(client):
    assert client.get("/").status_code == 302
