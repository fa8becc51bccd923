"""The committee's transfer proposal states its total distance truthfully: a move between
schools without coordinates is of unknown distance, not 0 km; and the workbook cites the
criterion as the office's other staffing documents do."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role

from .helpers import YEAR, school_with

pytestmark = pytest.mark.django_db


def plan_sheet(client) -> list[tuple]:
    response = client.get(reverse("staffing:transfers"), {"year": YEAR, "format": "xlsx"})
    return list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )


def test_moves_of_unknown_distance_are_not_a_total_of_0_km(client_for, office):
    # 20 pupils: 1 + 1 required, 1 + 3 there (+2); 40 pupils: 1 + 2 required, 1 + 0 (−2).
    school_with(office, "1076019001", students=20, rooms=6, teachers={"คณิตศาสตร์": 3})
    school_with(office, "1076019002", students=40, rooms=6)
    client = client_for(Role.OFFICE_ADMIN)
    page = client.get(reverse("staffing:transfers"), {"year": YEAR}).content.decode()
    assert "ไม่ทราบ (โรงเรียนไม่มีพิกัด)" in page and "0.0 กม." not in page
    rows = plan_sheet(client)
    assert "ระยะทางรวม ไม่ทราบ (โรงเรียนไม่มีพิกัด)" in rows[2][0] and "0.0 กม." not in rows[2][0]
    moves = [r for r in rows[4:] if isinstance(r[0], int)]
    assert len(moves) == 2 and all(r[5] == "—" for r in moves)  # not an empty cell
    # The criterion as the other documents cite it: no "[ต้องตรวจสอบ]", no effective date.
    assert "[ต้องตรวจสอบ]" not in rows[1][0] and "มีผล" not in rows[1][0]
    assert rows[1][0].endswith("เกณฑ์: เกณฑ์อัตรากำลังข้าราชการครูและบุคลากรทางการศึกษา (ก.ค.ศ.)")


def test_a_total_leaving_out_unknown_distances_says_so(client_for, office):
    school_with(office, "1076019001", students=20, rooms=6, teachers={"คณิตศาสตร์": 3},
                lat=13.0, lon=100.0)  # fmt: skip
    school_with(office, "1076019002", students=20, rooms=6, directors=1, lat=13.05, lon=100.0)
    school_with(office, "1076019003", students=20, rooms=6)  # no coordinates
    rows = plan_sheet(client_for(Role.OFFICE_ADMIN))
    moves = [r for r in rows[4:] if isinstance(r[0], int)]
    known = [r[5] for r in moves if r[5] != "—"]
    assert len(moves) == 2 and len(known) == 1
    assert f"ระยะทางรวม {known[0]:,.1f} กม. (ไม่รวม 1 การย้ายที่ไม่ทราบระยะทาง)" in rows[2][0]
