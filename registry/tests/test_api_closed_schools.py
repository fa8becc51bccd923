"""The schools API asked for open or closed schools (ปิด/ยุบรวม), as of today or another day;
by default it lists the open ones, as the schools page does."""

import datetime as dt

import pytest

from accounts.roles import Role
from registry import actions

pytestmark = pytest.mark.django_db

CLOSED = dt.date(2025, 5, 16)


def _close(school, into=None, day=CLOSED):
    actions.close_school(
        acting_user=None, school=school, closed_on=day, merged_into=into, reason="นักเรียนน้อย"
    )


SCHOOLS_API = "/api/registry/schools"


def _codes(client, query="") -> set[str]:
    body = client.get(SCHOOLS_API + query).json()
    return {row["obec_code"] for row in body["items"]}


def test_the_schools_api_is_asked_for_open_or_closed_schools(client_for, school, other_school):
    _close(other_school, into=school)
    client = client_for(Role.INSPECTOR)
    assert _codes(client) == {school.obec_code}  # as before: open ones
    assert _codes(client, "?closed=all") == {school.obec_code, other_school.obec_code}
    assert _codes(client, "?closed=only") == {other_school.obec_code}
    # On a day before the closing it was open.
    assert _codes(client, "?closed=only&on=2025-05-15") == set()
    assert _codes(client, "?on=2025-05-15") == {school.obec_code, other_school.obec_code}
    row = client.get(SCHOOLS_API + "?closed=only").json()["items"][0]
    assert (row["closed_on"], row["merged_into_id"]) == ("2025-05-16", school.pk)


def test_the_schools_api_refuses_an_unknown_closed_value_in_thai(client_for, school):
    response = client_for(Role.INSPECTOR).get(SCHOOLS_API + "?closed=yes")
    assert response.status_code == 422
    assert "ไม่มีในรายการค่าที่ใช้ได้" in response.json()["detail"][0]["msg"]


def test_the_schools_api_documents_the_closed_filter(client):
    schema = client.get("/api/openapi.json").json()
    names = {p["name"] for p in schema["paths"][SCHOOLS_API]["get"]["parameters"]}
    assert {"closed", "on", "q", "network", "level"} <= names


def test_the_schools_api_stays_refused_to_teachers(client_for, school):
    assert client_for(Role.TEACHER).get(SCHOOLS_API + "?closed=all").status_code == 403
