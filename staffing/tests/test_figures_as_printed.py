"""Pages and workbooks print the staffing figures as the office's documents do: percentages
with two decimals (ร้อยละ 3.40, never 3.4 or 50.0), a shortage with "−" not "-", and no "เกินเกณฑ์ 0 อัตรา (ตามเกณฑ์ 0 อัตรา)" when nothing could be computed."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from staffing import exports
from staffing.queries import analyse, out_of_field

from .helpers import YEAR, school_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools(office):
    """20 pupils: 1 + 1 required, 1 + 3 there: +2 (100.00 %); 21 pupils: 1 + 2 required,
    1 + 1 there: −1 (−33.33 %); the office: +1 of 5 required (20.00 %); and the fixture
    school without pupils, not computed."""
    return (
        school_with(office, "1076019001", students=20, rooms=6, teachers={"คณิตศาสตร์": 3}),
        school_with(office, "1076019002", students=21, rooms=6, teachers={"ภาษาไทย": 1}),
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_schools_page_prints_percentages_and_signs_as_the_documents(client_for, schools):
    page = text(client_for(Role.OFFICE_ADMIN).get(reverse("staffing:schools"), {"year": YEAR}))
    assert " +100.00 " in page and " −33.33 " in page
    assert " +20.00 " in page  # the totals row
    assert "100.0 " not in page and "-33.33" not in page and " 20.0 " not in page


def test_a_school_page_prints_its_percentage_as_the_documents(client_for, schools):
    client = client_for(Role.OFFICE_ADMIN)
    page = text(client.get(reverse("staffing:school", args=[schools[1].pk]), {"year": YEAR}))
    assert "ขาด 33.33%" in page and "-33.33" not in page
    page = text(client.get(reverse("staffing:school", args=[schools[0].pk]), {"year": YEAR}))
    assert "เกิน 100.00%" in page


def test_the_office_page_states_item_3_as_the_documents(client_for, schools):
    client = client_for(Role.OFFICE_ADMIN)
    page = text(client.get(reverse("staffing:office"), {"year": YEAR}))
    assert "เกินเกณฑ์ในภาพรวม 1 อัตรา คิดเป็นร้อยละ 20.00 (ตามเกณฑ์ 5 อัตรา" in page
    # The difference covers the computed schools only, as summary_lines says, and names their
    # actual staff, which it is the difference from (item 2 counts every school's).
    assert "(ตามเกณฑ์ 5 อัตรา เฉพาะ 2 โรงเรียนที่คำนวณได้ ซึ่งมีจริง 6 อัตรา)" in page


def test_totals_rows_set_the_computed_schools_own_figures_apart(client_for, users, schools):
    """The totals row sums each column: actual staff of every school (the fixture school
    without pupils too), the criterion of the computed ones only, so its actual minus its
    required is not its difference. The computed schools' own row under it adds up: 6 − 5 =
    +1, +20.00 %, on the page and in the workbook."""
    client = client_for(Role.OFFICE_ADMIN)
    page = text(client.get(reverse("staffing:schools"), {"year": YEAR}))
    assert "รวม (เฉพาะที่คำนวณได้ทั้งเขต)" not in page  # its actual column was every school's
    assert "รวมทุกโรงเรียน (ตามเกณฑ์และขาด/เกิน: เฉพาะที่คำนวณได้)" in page
    assert " เฉพาะ 2 โรงเรียนที่คำนวณได้ 5 6 +1 +20.00 " in page
    admin = users[Role.OFFICE_ADMIN]
    book = load_workbook(io.BytesIO(exports.analysis_xlsx(analyse(admin, academic_year=YEAR))))
    notes = [r[1] for r in book["รายโรงเรียน"].iter_rows(values_only=True)
             if str(r[1]).startswith("หมายเหตุ")]  # fmt: skip
    assert notes == [
        "หมายเหตุ: รวมมีจริง 7 อัตรา นับทุกโรงเรียน; รวมตามเกณฑ์ ขาด/เกิน และร้อยละ นับเฉพาะ "
        "2 โรงเรียนที่คำนวณได้ ซึ่งมีจริง 6 อัตรา (โรงเรียนที่คำนวณไม่ได้ 1 โรงเรียน)"
    ]


def test_the_workbooks_show_percentages_with_their_decimals(users, schools):
    """A General cell showed 100 for 100.00 and 20 for 20.00."""
    admin = users[Role.OFFICE_ADMIN]
    sheet = load_workbook(io.BytesIO(exports.analysis_xlsx(analyse(admin, academic_year=YEAR))))[
        "รายโรงเรียน"
    ]
    column = exports.SCHOOL_HEADER.index("ร้อยละ") + 1
    assert sheet.cell(1, column).value == "ร้อยละ"
    numbers = [
        sheet.cell(row, column)
        for row in range(2, sheet.max_row + 1)
        if isinstance(sheet.cell(row, column).value, int | float)
    ]
    assert [c.value for c in numbers] == [100, -33.33, 20]  # two schools, then the totals
    assert all(c.number_format == "0.00" for c in numbers)

    book = load_workbook(io.BytesIO(exports.out_of_field_xlsx(out_of_field(admin), None, "")))
    sheet = book["รายโรงเรียน"]
    shares = [r[4] for r in sheet.iter_rows(min_row=2) if isinstance(r[4].value, int | float)]
    assert shares and all(c.number_format == "0.0" for c in shares)
    total = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "รวม")
    assert total[2:5] == (5, 0, 0)  # the office's share too, not left blank


def test_totals_of_a_year_without_pupils_are_not_a_finding_of_0(client_for, users, schools):
    """No school computed: the totals row said "ตามเกณฑ์ 0, ขาด/เกิน 0" beside a summary
    saying it cannot be computed yet; now "—" as the school rows."""
    admin = users[Role.OFFICE_ADMIN]
    rows = list(
        load_workbook(io.BytesIO(exports.analysis_xlsx(analyse(admin, academic_year=YEAR - 1))))[
            "รายโรงเรียน"
        ].iter_rows(values_only=True)
    )
    total = next(r for r in rows if r[1] == "รวม")
    column = exports.SCHOOL_HEADER.index
    assert total[column("รวมตามเกณฑ์")] == "—" and total[column("ขาด(−)/เกิน(+)")] == "—"
    assert total[column("ร้อยละ")] == "—" and total[column("รวมมีจริง")] == 7
    html = client_for(Role.OFFICE_ADMIN).get(reverse("staffing:schools"), {"year": YEAR - 1})
    footer = text(html).split("รวมทุกโรงเรียน")[1]
    assert footer.split()[:7] == ["—", "7", "−0/+0", "0", "7", "—", "—"]
