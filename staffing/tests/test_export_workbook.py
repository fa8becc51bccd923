"""The staffing workbook: what each sheet holds, cell by cell."""

import io

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from staffing import exports
from staffing.queries import analyse

from .helpers import YEAR, school_with

pytestmark = pytest.mark.django_db


def cells(content: bytes) -> dict[str, list[list]]:
    """Every sheet's values by row, empty cells None, trailing empty rows and columns gone."""
    book = load_workbook(io.BytesIO(content))
    grids = {}
    for ws in book.worksheets:
        rows = [[None if v == "" else v for v in r] for r in ws.iter_rows(values_only=True)]
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        grids[ws.title] = rows
    return grids


@pytest.fixture
def analysis(office, users):
    school_with(office, "1076019001", students=20, rooms=6, teachers={"คณิตศาสตร์": 3})
    school_with(office, "1076019002", students=60, rooms=6, teachers={"ภาษาไทย": 1})
    odd = school_with(office, "1076019003", students=None, rooms=0, teachers={"คณิตศาสตร์": 2})
    odd.name = '=โรงเรียน & <วัด> "ป่า"'
    odd.save()
    return analyse(users[Role.OFFICE_ADMIN], academic_year=YEAR)


RULE = "เกณฑ์อัตรากำลังข้าราชการครูและบุคลากรทางการศึกษา (ก.ค.ศ.)"
AREAS = ["ภาษาไทย", "คณิตศาสตร์", "วิทยาศาสตร์", "สังคมศึกษา", "สุขศึกษา", "ศิลปะ", "การงานฯ",
         "ภาษาต่างประเทศ"]  # fmt: skip


def test_each_sheet_holds_the_analysis_in_the_sar_layout(analysis):
    content = exports.analysis_xlsx(analysis)
    grids = cells(content)
    assert list(grids) == ["สรุป", "รายโรงเรียน", "ครูตาม จ.18 ตามกลุ่มสาระ",
                           "ความต้องการครู (ร.ร.ขาด)", "ปัญหาข้อมูล"]  # fmt: skip
    assert grids["สรุป"] == [
        ["ข้อมูลอัตรากำลังของสถานศึกษาเป็นรายโรงและในภาพรวม"],
        ["สพป.เพชรบุรี เขต 1 ปีการศึกษา 2569 (ข้อมูล 10 มิถุนายน 2569)"],
        [f"เกณฑ์ที่ใช้: {RULE}"],
        [None],
        ["1. จำนวนโรงเรียน (ภาครัฐ) ทั้งหมด 4 โรงเรียน จำแนกเป็น"],
        ["    - โรงเรียนประถมศึกษา 4 โรงเรียน"],
        ["2. จำนวนครูตาม จ.18 จำนวน 10 อัตรา แยกเป็น"],
        ["    - ผู้บริหาร และรองฯ จำนวน 3 อัตรา"],
        ["    - ผู้สอน จำนวน 7 อัตรา"],
        ["    (นับ ณ 10 มิถุนายน 2569: ครองตำแหน่งตาม จ.18 10 ไปช่วยราชการ 0 มาช่วยราชการ 0; "
         "พนักงานราชการ/ครูอัตราจ้าง/ลูกจ้าง 0 คน ไม่นับรวม; อัตราว่างโดยประมาณ 0)"],
        ["3. อัตรากำลังครูเกินเกณฑ์ในภาพรวม 0 อัตรา คิดเป็นร้อยละ 0.00 "
         "(ตามเกณฑ์ 6 อัตรา เฉพาะ 2 โรงเรียนที่คำนวณได้ ซึ่งมีจริง 6 อัตรา)"],
        ["    - โรงเรียนที่ขาดเกณฑ์ 1 โรงเรียน 2 อัตรา"],
        ["    - โรงเรียนที่มีครูเกินเกณฑ์ 1 โรงเรียน 2 อัตรา"],
        ["    - โรงเรียนที่มีครูพอดีเกณฑ์ 0 โรงเรียน"],
        ["    - โรงเรียนที่คำนวณไม่ได้ (ข้อมูลไม่ครบ) 2 โรงเรียน"],
    ]  # fmt: skip
    assert grids["รายโรงเรียน"] == [
        ["รหัส", "โรงเรียน", "ระดับ", "นักเรียน", "ห้องเรียน", "ช่วงเกณฑ์", "ผู้บริหารตามเกณฑ์",
         "ครูตามเกณฑ์", "รวมตามเกณฑ์", "ผู้บริหารมีจริง", "ครูมีจริง", "รวมมีจริง", "ขาด(−)/เกิน(+)",
         "ร้อยละ", "สถานะ", "เกณฑ์", "ครองตำแหน่ง จ.18", "ไปช่วยราชการ", "มาช่วยราชการ",
         "พนักงานราชการ/ครูอัตราจ้าง/ลูกจ้าง", "อัตราว่าง (ประมาณ)"],
        # A school whose figures cannot be computed has "—" in them, as the schools page.
        ["1076010001", "โรงเรียนบ้านหนองไผ่", "ประถมศึกษา", "—", "—", "—", "—", "—", "—",
         0, 1, 1, "—", "—", "คำนวณไม่ได้", RULE, 1, 0, 0, 0, 0],
        ["1076019001", "โรงเรียนทดสอบ 1076019001", "ประถมศึกษา", 20, 6, "1–20 คน", 1, 1, 2, 1,
         3, 4, 2, 100, "เกิน", RULE, 4, 0, 0, 0, 0],
        ["1076019002", "โรงเรียนทดสอบ 1076019002", "ประถมศึกษา", 60, 6, "41–60 คน", 1, 3, 4, 1,
         1, 2, -2, -50, "ขาด", RULE, 2, 0, 0, 0, 0],
        ["1076019003", '=โรงเรียน & <วัด> "ป่า"', "ประถมศึกษา", "—", "—", "—", "—", "—",
         "—", 1, 2, 3, "—", "—", "คำนวณไม่ได้", RULE, 3, 0, 0, 0, 0],
        [None] * 21,
        [None, "รวม", None, None, None, None, None, None, 6, None, None, 10, 0, 0, None, None,
         10, 0, 0, 0, 0],
        # Its actual minus required is not its difference: the note says whose figures are which.
        [None] * 21,
        [None, "หมายเหตุ: รวมมีจริง 10 อัตรา นับทุกโรงเรียน; รวมตามเกณฑ์ ขาด/เกิน และร้อยละ "
         "นับเฉพาะ 2 โรงเรียนที่คำนวณได้ ซึ่งมีจริง 6 อัตรา (โรงเรียนที่คำนวณไม่ได้ 2 โรงเรียน)",
         *[None] * 19],
    ]  # fmt: skip
    assert grids["ครูตาม จ.18 ตามกลุ่มสาระ"] == [
        ["ครูตาม จ.18 ตามกลุ่มสาระ", None, None],
        [None, None, None],
        ["วิชา", "ประถมศึกษา", "รวม"],
        ["บริหาร", 3, 3], ["ภาษาไทย", 1, 1], ["คณิตศาสตร์", 6, 6],
        *([area, 0, 0] for area in AREAS[2:]),
        ["รวม", 10, 10],
    ]  # fmt: skip
    assert grids["ความต้องการครู (ร.ร.ขาด)"] == [
        ["ความต้องการครู (ร.ร.ขาด)", None, None],
        [None, None, None],
        ["วิชา", "ประถมศึกษา", "รวม"],
        ["บริหาร", 0, 0],
        *([area, 0, 0] for area in AREAS),
        ["ไม่ระบุกลุ่มสาระ", 2, 2],
        ["รวม", 2, 2],
        [None, None, None],
        [exports.DEMAND_NOTE, None, None],
    ]  # fmt: skip
    assert grids["ปัญหาข้อมูล"] == [
        ["ประเภท", "สถานศึกษา", "รายละเอียด"],
        ["ข้อมูลนักเรียน", "โรงเรียนบ้านหนองไผ่ (1076010001)", "ไม่มีข้อมูลนักเรียนปีการศึกษา 2569"],
        ["ข้อมูลนักเรียน", '=โรงเรียน & <วัด> "ป่า" (1076019003)',
         "ไม่มีข้อมูลนักเรียนปีการศึกษา 2569"],
    ]  # fmt: skip
    book = load_workbook(io.BytesIO(content))
    summary, schools = book["สรุป"], book["รายโรงเรียน"]
    assert summary["A1"].font.b and summary["A1"].font.sz == 14
    assert schools.freeze_panes == "C2" and schools.column_dimensions["B"].width == 34
    assert schools["A1"].font.b and schools["A1"].alignment.horizontal == "center"
    assert schools["B7"].font.b and schools["I7"].font.b  # the totals row


def test_an_office_without_schools_says_so_in_the_schools_sheet(db):
    """The sheet held its header, a blank row and a totals row of zeros."""
    from krupd.testing import make_office, make_user

    empty = make_office(code="7699", name="สพป.ทดสอบ เขต 9")
    admin = make_user("admin-empty", Role.OFFICE_ADMIN, empty)
    grids = cells(exports.analysis_xlsx(analyse(admin, academic_year=YEAR)))
    assert grids["รายโรงเรียน"][1][:2] == [None, "ยังไม่มีข้อมูลสถานศึกษา"]
