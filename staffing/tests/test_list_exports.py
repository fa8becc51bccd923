"""The out-of-field list and the retirement forecast download as workbooks whose figures are
the page's, with names only for those who may see people."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from krupd.testing import make_person
from registry.models import LearningArea, Major

from .helpers import YEAR, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(office, school, other_school, teacher_person, users):
    enrol(school, 60, 6)
    enrol(other_school, 60, 6)
    thai = LearningArea.objects.get(code="thai")
    # A mathematics major teaching Thai at the other school: out of field.
    out = make_person(
        office, other_school, first_name="สอนข้าม", major=Major.objects.get(name="คณิตศาสตร์")
    )
    out.areas_taught.set([thai])
    # Retires at the end of FY2570 (born 1 Jan 1967).
    make_person(office, school, first_name="ใกล้เกษียณ", birth_date=dt.date(1967, 1, 1))
    return out


def _sheets(response) -> dict[str, list[tuple]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_the_out_of_field_workbook_has_the_pages_figures_and_names(client_for, cast):
    client = client_for(Role.OFFICE_ADMIN)
    page = client.get(reverse("staffing:out_of_field")).context["oof"]
    sheets = _sheets(client.get(reverse("staffing:out_of_field"), {"format": "xlsx"}))
    assert list(sheets) == ["รายกลุ่มสาระ", "รายโรงเรียน", "รายชื่อ"]
    by_school = {r[0]: r[2:4] for r in sheets["รายโรงเรียน"][1:] if r[0]}
    assert by_school == {s["obec_code"]: (s["teachers"], s["out"]) for s in page.by_school}
    assert ("รวม", page.total_teachers, page.total_out) in [r[1:4] for r in sheets["รายโรงเรียน"]]
    names = sheets["รายชื่อ"][1:]
    assert [(r[0], r[4]) for r in names] == [("นางสอนข้าม ใจดี", "ภาษาไทย")]


def test_the_retirement_workbook_has_the_pages_figures_and_names(client_for, cast):
    client = client_for(Role.OFFICE_ADMIN)
    params = {"year": YEAR, "years": 5}
    r = client.get(reverse("staffing:retirements"), params).context["r"]
    sheets = _sheets(client.get(reverse("staffing:retirements"), {**params, "format": "xlsx"}))
    assert list(sheets) == ["รายปีงบประมาณ", "รายกลุ่มสาระ", "รายโรงเรียน", "รายชื่อ"]
    header = sheets["รายปีงบประมาณ"].index(
        ("ปีงบประมาณ", "แผน", "เกษียณ", "สะสม", "ขาดถ้าไม่มีผู้มาแทน (อัตรา)", "โรงเรียนที่ขาด")
    )
    rows = sheets["รายปีงบประมาณ"][header + 1 :]
    assert [(int(row[0]), row[2], row[3]) for row in rows] == [
        (y["fy"], y["retiring"], y["cumulative"]) for y in r.by_year
    ]
    assert sum(row[2] for row in rows) == 1
    assert [row[1] for row in sheets["รายชื่อ"][1:]] == ["นางใกล้เกษียณ ใจดี"]


def test_a_director_exports_only_their_school(client_for, cast, school):
    sheets = _sheets(
        client_for(Role.SCHOOL_DIRECTOR).get(reverse("staffing:out_of_field"), {"format": "xlsx"})
    )
    assert [r[0] for r in sheets["รายโรงเรียน"][1:] if r[0]] == [school.obec_code]
    assert sheets["รายชื่อ"][1:] == []


@pytest.mark.parametrize("name", ["staffing:out_of_field", "staffing:retirements"])
def test_it_refuses_the_workbooks_to_inspectors(client_for, cast, name):
    client = client_for(Role.INSPECTOR)
    assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse(name), {"format": "xlsx"}).status_code == 403
