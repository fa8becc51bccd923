"""An enrolment sheet as schools send it: a merged title above the header, Thai digits, the
census day written every way (Thai month, BE with slashes, ISO with a BE year, an Excel date
serial, a date cell), stray spaces; as XLSX and as a Thai-Windows CSV. Each reads to the same
rows; a sheet with a formula never calculated or a negative count is refused naming the row
and column, and nothing is written."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from imports.models import BatchStatus
from registry.models import Enrolment

from .test_personnel import errors_of, latest_batch, upload

pytestmark = pytest.mark.django_db

HEADER = ["รหัสสถานศึกษา", "ชื่อสถานศึกษา", "ปีการศึกษา", "วันนับข้อมูล",
          "ป.1 นักเรียน", "ป.1 ห้องเรียน", "ป.2 นักเรียน", "ป.2 ห้องเรียน"]  # fmt: skip
DAYS = {  # academic year → (census day as typed, the day it is)
    "๒๕๖๘": ("๑๐ มิ.ย. ๒๕๖๘", dt.date(2025, 6, 10)),
    "2567": ("10/06/2567", dt.date(2024, 6, 10)),
    "2566 ": (45087, dt.date(2023, 6, 10)),  # an Excel date serial in a general cell
    "2565": ("2565-06-10", dt.date(2022, 6, 10)),
    "๒๕๖๔": (dt.datetime(2021, 6, 10), dt.date(2021, 6, 10)),
}


def _rows():
    return [
        ["1076100101", "โรงเรียนบ้านหนึ่ง\u200b ", year, typed, "๒๕", "๑", " 20 ", "1"]
        for year, (typed, _day) in DAYS.items()
    ]


def _xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["ข้อมูลนักเรียนและห้องเรียน สพป.เพชรบุรี เขต ๑"])
    sheet.merge_cells("A1:H1")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cp874(rows) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["ข้อมูลนักเรียนและห้องเรียน"])
    writer.writerow(HEADER)
    for row in rows:
        cells = [c.strftime("%d/%m/") + str(c.year + 543) if isinstance(c, dt.datetime) else c
                 for c in row]  # fmt: skip
        writer.writerow([str(c).replace("\u200b", "") for c in cells])
    return text.getvalue().encode("cp874")


@pytest.mark.parametrize("name, build", [("dmc.xlsx", _xlsx), ("dmc.csv", _cp874)])
def test_a_messy_enrolment_sheet_reads_every_census_day(client, admin, school_a, name, build):
    client.force_login(admin)
    upload(client, "enrolment", name, build(_rows()))
    batch = latest_batch()
    assert batch.status == BatchStatus.VALIDATED, batch.error_message or batch.notice
    assert batch.count_error == 0, errors_of(batch)
    client.post(reverse("imports:apply", args=[batch.pk]))
    stored = {e.academic_year: e for e in Enrolment.objects.filter(school=school_a, grade="p1")}
    for year, (_typed, day) in DAYS.items():
        be = int(year.strip().translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")))
        assert (stored[be].census_date, stored[be].students, stored[be].classrooms) == (day, 25, 1)


def test_a_formula_or_a_negative_count_is_refused_by_row_and_column(client, admin, school_a):
    rows = _rows()
    rows[1][6] = "=E4*2"  # never calculated: no cached result in the file
    rows[3][4] = -3
    client.force_login(admin)
    upload(client, "enrolment", "dmc.xlsx", _xlsx(rows))
    batch = latest_batch()
    errors = errors_of(batch)
    assert set(errors) == {(4, "ป.2 นักเรียน"), (6, "ป.1 นักเรียน")}, errors
    assert "สูตร" in errors[(4, "ป.2 นักเรียน")]
    assert "0" in errors[(6, "ป.1 นักเรียน")]
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert not Enrolment.objects.exists()


# A DMC-style sheet: each grade merged over its boys and girls, the school's own copy without
# the รวม column. Each grade's students are the boys and girls together (they were stored as 0).
SEX_TOP = ["ที่", "รหัสโรงเรียน", "ชื่อโรงเรียน", "ปีการศึกษา", "ป.1", None, None, "ป.2", None, None]
SEX_BELOW = [None, None, None, None, "ชาย", "หญิง", "ห้อง", "ช", "ญ", "ห้อง"]


def _sex_sheet(top, below, rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["ข้อมูลนักเรียน ปีการศึกษา ๒๕๖๘ (ณ วันที่ ๑๐ มิ.ย. ๒๕๖๘)"])
    sheet.merge_cells("A1:J1")
    sheet.append(top)
    sheet.append(below)
    for ref in ("E2:G2", "H2:J2", "A2:A3", "B2:B3", "C2:C3", "D2:D3"):
        sheet.merge_cells(ref)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_boys_and_girls_without_a_total_column_are_the_grades_students(
    client, admin, school_a, school_b
):
    rows = [
        [1, "1076100101", "บ้านหนึ่ง", "๒๕๖๘", "๑๐", "12 คน", 1, 8, 9, 1],
        [2, 1076100102, "บ้านสอง", 2568, 5, None, 1, None, None, None],
        ["รวม", None, None, None, 15, 12, 2, 8, 9, 1],
    ]
    client.force_login(admin)
    upload(client, "enrolment", "dmc.xlsx", _sex_sheet(SEX_TOP, SEX_BELOW, rows))
    batch = latest_batch()
    assert batch.status == BatchStatus.VALIDATED, batch.error_message or batch.notice
    assert batch.count_error == 0, errors_of(batch)
    client.post(reverse("imports:apply", args=[batch.pk]))
    stored = {
        (e.school.obec_code, e.grade): (e.students, e.classrooms)
        for e in Enrolment.objects.select_related("school")
    }
    assert stored == {
        ("1076100101", "p1"): (22, 1),
        ("1076100101", "p2"): (17, 1),
        ("1076100102", "p1"): (5, 1),
    }
    school_a.refresh_from_db()
    assert school_a.total_students == 39


def test_a_total_column_beside_boys_and_girls_is_what_is_stored(client, admin, school_a):
    top = [*SEX_TOP[:4], "ป.1", None, None, None]
    below = [None, None, None, None, "ชาย", "หญิง", "รวม", "ห้อง"]
    rows = [[1, "1076100101", "บ้านหนึ่ง", 2568, "ไม่ทราบ", 12, 20, 1]]
    client.force_login(admin)
    upload(client, "enrolment", "dmc.xlsx", _sex_sheet(top, below, rows))
    batch = latest_batch()
    # An unreadable boys cell beside a รวม column blocks nothing: the total is the students.
    assert batch.count_error == 0, errors_of(batch)
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert Enrolment.objects.get(school=school_a, grade="p1").students == 20


def test_boys_without_girls_nor_a_total_are_named_not_stored(client, admin, school_a):
    header = ["รหัสสถานศึกษา", "ปีการศึกษา", "ป.1 ชาย", "ป.1 ห้องเรียน"]
    client.force_login(admin)
    upload(client, "enrolment", "dmc.xlsx", _xlsx_plain([header, ["1076100101", 2568, 10, 1]]))
    batch = latest_batch()
    assert batch.status == BatchStatus.NEEDS_MAPPING
    assert "นักเรียนชายของชั้น ป.1" in batch.notice
    assert "ไม่มีคอลัมน์นักเรียนหญิง" in batch.notice
    assert not Enrolment.objects.exists()


def test_an_unreadable_boys_cell_where_the_sum_is_needed_is_named(client, admin, school_a):
    header = ["รหัสสถานศึกษา", "ปีการศึกษา", "ป.1 ชาย", "ป.1 หญิง", "ป.1 ห้องเรียน"]
    client.force_login(admin)
    upload(
        client, "enrolment", "dmc.xlsx", _xlsx_plain([header, ["1076100101", 2568, "สิบ", 12, 1]])
    )
    batch = latest_batch()
    assert errors_of(batch) == {(2, "ป.1 ชาย"): "ต้องเป็นจำนวนเต็ม (ได้ “สิบ”)"}
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert not Enrolment.objects.exists()


def _xlsx_plain(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
