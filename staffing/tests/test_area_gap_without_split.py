"""A criterion without a split of teachers by learning area has no surplus or shortage per
area: a school's four Thai teachers are not "ภาษาไทยเกิน 4". The required administrators,
always among a school's required figures, made every school look split."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from staffing.queries import ADMIN_AREA, analyse

from .helpers import YEAR, area, school_with

pytestmark = pytest.mark.django_db


def test_no_area_gap_without_a_split(office, users, client_for):
    # 121 pupils, 8 rooms: 1 + (1 + 8) required; 1 + 11 science teachers there (+2).
    donor = school_with(office, "1076019001", students=121, rooms=8,
                        teachers={"วิทยาศาสตร์ทั่วไป": 11})  # fmt: skip
    school_with(office, "1076019002", students=21, rooms=6, teachers={"ภาษาไทย": 1})  # −1
    res = next(s for s in analyse(users[Role.OFFICE_ADMIN], academic_year=YEAR).schools
               if s.id == donor.pk)  # fmt: skip
    assert res.diff == 2 and not res.area_split
    assert res.area_gap("science") is None
    assert res.area_gap(ADMIN_AREA) == 0  # administrators have their criterion

    client = client_for(Role.OFFICE_ADMIN)
    page = client.get(reverse("staffing:school", args=[donor.pk]), {"year": YEAR})
    row = page.content.decode().split(f"<td>{area('science').short_name}</td>")[1].split("</tr>")[0]
    assert "+11" not in row and "—" in row

    plan = client.get(reverse("staffing:transfers"), {"year": YEAR}).content.decode()
    assert "เกินเกณฑ์ +2" in plan and "วิทยาศาสตร์เกิน 11" not in plan
