"""Files as offices actually produce them, through the pages: hidden and cover sheets, long
title blocks, averages under the data, and what Excel does to what people type. Each is read
correctly or refused with a Thai message naming the row and column, nothing written."""

import datetime as dt
import io
import re
from decimal import Decimal

import openpyxl
import pytest
import xlwt
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from imports.importers import CellError, HeaderRepeats, prepare
from imports.importers.enrolment import SPEC as ENROLMENT_SPEC
from imports.importers.enrolment import read_year
from imports.importers.personnel import SPEC as PERSONNEL_SPEC
from imports.importers.results import read_score
from imports.models import BatchStatus, FileImport, FileImportStatus
from imports.readers import fill_merged_down
from krupd.lib.numerals import to_thai_digits
from planning.models import Competency, Framework
from registry.models import Enrolment as StudentEnrolment
from registry.models import Person
from reporting.models import OnetResult

from .conftest import national_id, xlsx_bytes
from .test_file_imports import FRAMEWORK_URL, ONET_URL, post
from .test_messy_sheets import csv_bytes, upload_and_apply
from .test_personnel import HEADER, errors_of, latest_batch, person_row, upload
from .test_properties import FAST
from .test_results import course, participants, session, start  # noqa: F401 (fixtures)
from .test_results import errors_of as result_errors

SALARY = PERSONNEL_SPEC.by_key["salary"]
ONET_HEADER = ["รหัสสถานศึกษา", "วิชา", "ปีการศึกษา", "คะแนนเฉลี่ย"]


def workbook(*sheets) -> bytes:
    """(title, rows, hidden) per sheet, in order."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows, hidden in sheets:
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(list(row))
        if hidden:
            ws.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def onet_job(client, content) -> FileImport:
    post(client, ONET_URL, content)
    return FileImport.objects.latest("pk")


# ---------------------------------------------------------------------------- which sheet


def test_onet_reads_the_sheet_the_user_sees_not_a_hidden_older_one(client, officer, school_a):
    code = school_a.obec_code
    content = workbook(
        ("ปีก่อน", [ONET_HEADER, (code, "ภาษาไทย", 2560, 12)], True),
        ("ผล O-NET", [ONET_HEADER, (code, "คณิตศาสตร์", 2567, 41)], False),
    )
    client.force_login(officer)
    job = onet_job(client, content)
    assert job.status == FileImportStatus.DONE, job.errors
    assert [(r.subject, r.academic_year) for r in OnetResult.objects.all()] == [("คณิตศาสตร์", 2567)]


def test_onet_results_after_a_cover_sheet_are_found(client, officer, school_a):
    content = workbook(
        ("ปก", [["ผลการทดสอบ O-NET ปีการศึกษา 2567"], ["จัดทำโดย กลุ่มนิเทศ"]], False),
        ("ข้อมูล", [ONET_HEADER, (school_a.obec_code, "คณิตศาสตร์", 2567, 41)], False),
    )
    client.force_login(officer)
    job = onet_job(client, content)
    assert job.status == FileImportStatus.DONE, job.errors
    assert OnetResult.objects.get().mean == 41


def test_a_personnel_file_opening_on_a_hidden_sheet_reads_the_visible_one(client, admin, school_a):
    content = workbook(
        ("เก่า", [HEADER, person_row(5)], True), ("ข้อมูล", [HEADER, person_row(1)], False)
    )
    client.force_login(admin)
    upload_and_apply(client, "hrms.xlsx", content)
    assert list(Person.objects.values_list("national_id", flat=True)) == [national_id(1)]


# ---------------------------------------------------------------------------- where the header is


def test_a_header_under_a_long_title_block_is_found(client, admin, school_a):
    title_block = [
        ["บัญชีรายชื่อข้าราชการครูและบุคลากรทางการศึกษา"],
        ["สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเพชรบุรี เขต 1"],
        [],
        *([f"หมายเหตุ {i}: กรอกข้อมูลให้ครบทุกช่อง"] for i in range(1, 9)),
        ["ข้อมูล ณ วันที่ ๑๐ มิถุนายน ๒๕๖๙"],
        [],
        [],
    ]
    client.force_login(admin)
    batch = upload_and_apply(
        client, "hrms.xlsx", xlsx_bytes([*title_block, HEADER, person_row(1), person_row(2)])
    )
    assert batch.header_row == len(title_block) + 1
    assert Person.objects.count() == 2


# ---------------------------------------------------------------------------- lines under the data


def test_onet_average_and_national_rows_are_left_aside(client, officer, school_a):
    rows = [
        ONET_HEADER,
        (school_a.obec_code, "คณิตศาสตร์", 2567, 41),
        ("", "ค่าเฉลี่ยระดับเขตพื้นที่", "", 41),
        ("", "ระดับประเทศ", "", 35.5),
        ("เฉลี่ย", "", "", 38.25),
    ]
    client.force_login(officer)
    job = onet_job(client, workbook(("ผล", rows, False)))
    assert job.status == FileImportStatus.DONE, job.errors
    assert OnetResult.objects.count() == 1


def test_a_score_sheet_ending_with_its_average_row(admin, session, participants):  # noqa: F811
    content = xlsx_bytes(
        [
            ["ลำดับที่", "เลขประจำตัวประชาชน", "ชื่อ-นามสกุล", "คะแนนก่อนเรียน", "คะแนนหลังเรียน", "คะแนนเต็ม"],
            [1, national_id(1), "นางสมศรี ใจดี", 8, 17, 20],
            [2, national_id(2), "นายสมชาย รักเรียน", 10, 18, 20],
            [None, None, "ค่าเฉลี่ย", 9, 17.5, 20],
        ]
    )
    batch = start(admin, session, content)
    assert batch.status == BatchStatus.VALIDATED, batch.error_message or batch.notice
    assert (batch.count_new, batch.count_error) == (2, 0), result_errors(batch)
    assert "ค่าเฉลี่ย" in str(batch.preview_notes)


def test_onet_codes_excel_showed_as_powers_and_missing_means_are_named(client, officer, school_a):
    code = school_a.obec_code
    rows = [
        ONET_HEADER,
        ("1.0761E+09", "คณิตศาสตร์", 2567, 41),
        (float(code), "ภาษาไทย", 2567, 40),
        (code, "ภาษาอังกฤษ", 2567, None),
        (code, "วิทยาศาสตร์", 2567, "-"),
    ]
    client.force_login(officer)
    job = onet_job(client, workbook(("ผล", rows, False)))
    assert job.status == FileImportStatus.FAILED
    assert job.errors[0].startswith("แถวที่ 2: รหัสสถานศึกษา “1.0761E+09” ถูก Excel แสดงเป็นเลขยกกำลัง")
    assert job.errors[1:] == [
        "แถวที่ 4: ไม่มีคะแนนเฉลี่ย (ถ้าไม่มีผลสอบวิชานี้ ให้ลบแถวนี้ออก)",
        "แถวที่ 5: ไม่มีคะแนนเฉลี่ย (ถ้าไม่มีผลสอบวิชานี้ ให้ลบแถวนี้ออก)",
    ]
    assert not OnetResult.objects.exists()


# ---------------------------------------------------------------------------- what Excel did


def test_scores_excel_turned_into_dates_are_read_as_typed(admin, session, participants):  # noqa: F811
    # "8/10" typed into a Thai Excel is stored as 8 October of the year it was typed.
    content = xlsx_bytes(
        [
            ["เลขประจำตัวประชาชน", "ชื่อ-นามสกุล", "คะแนนก่อนเรียน", "คะแนนหลังเรียน"],
            [national_id(1), "นางสมศรี ใจดี", dt.datetime(2026, 10, 8), dt.datetime(2026, 10, 10)],
            [national_id(2), "นายสมชาย รักเรียน", dt.datetime(2026, 8, 10), "9/10"],
        ]
    )
    batch = start(admin, session, content)
    errors = result_errors(batch)
    assert list(errors) == [(3, "คะแนนก่อนเรียน")]  # 10 August: an English Excel's 8/10
    assert "Excel เปลี่ยนคะแนนในช่องนี้เป็นวันที่" in errors[(3, "คะแนนก่อนเรียน")]
    assert "10/08/2569" in errors[(3, "คะแนนก่อนเรียน")]
    from imports.models import ImportRow

    row = ImportRow.objects.get(batch=batch, row_number=2)
    assert (row.values["pre_score"], row.values["post_score"]) == ("8/10", "10/10")


@FAST
@given(
    date=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    midnight=st.booleans(),
)
def test_a_score_cell_holding_a_date_reads_as_day_over_month_or_is_refused(date, midnight):
    value = dt.datetime.combine(date, dt.time()) if midnight else date
    try:
        score = read_score(value, None)
    except CellError as error:
        assert date.day > date.month and "Excel" in str(error)
    else:
        assert score == f"{date.day}/{date.month}" and date.day <= date.month


def test_a_time_in_a_score_cell_is_refused_in_thai():
    with pytest.raises(CellError, match="Excel เปลี่ยนคะแนน"):
        read_score(dt.datetime(2026, 10, 8, 9, 30), None)
    with pytest.raises(CellError, match="Excel เปลี่ยนคะแนน"):
        read_score(dt.time(8, 10), None)


# ---------------------------------------------------------------------------- numbers as written


def test_amounts_and_counts_written_with_their_thai_notation(client, admin, school_a, school_b):
    rows = [
        HEADER,
        person_row(1, **{"เงินเดือน": "๓๕,๒๒๐.-"}),
        person_row(2, **{"เงินเดือน": "35,220.- บาท"}),
        person_row(3, **{"เงินเดือน": 35220, "โทรศัพท์": "812345678"}),  # a CSV Excel saved
        person_row(4, **{"โทรศัพท์": "32123456"}),  # a landline, 032-123456
    ]
    client.force_login(admin)
    upload_and_apply(client, "hrms.xlsx", xlsx_bytes(rows))
    people = {p.national_id: p for p in Person.objects.all()}
    assert {p.salary for p in people.values()} == {Decimal("35220.00")}
    assert people[national_id(3)].phone == "0812345678"
    assert people[national_id(4)].phone == "032123456"

    header = ["รหัสสถานศึกษา", "ปีการศึกษา", "ป.1 นักเรียน", "ป.1 ห้องเรียน"]
    content = xlsx_bytes(
        [
            header,
            [school_a.obec_code, 2568, "25 คน", "1 ห้อง"],
            [school_b.obec_code, 2568, "๓๐คน", "2 ห้องเรียน"],
        ]
    )
    upload(client, "enrolment", "dmc.xlsx", content)
    batch = latest_batch()
    assert (batch.count_new, batch.count_error) == (2, 0), errors_of(batch)
    client.post(reverse("imports:apply", args=[batch.pk]))
    counts = {
        (e.school_id, e.students, e.classrooms) for e in StudentEnrolment.objects.filter(grade="p1")
    }
    assert counts == {(school_a.pk, 25, 1), (school_b.pk, 30, 2)}


def test_a_phone_short_of_digits_is_still_refused(client, admin, school_a):
    client.force_login(admin)
    upload(
        client, "personnel", "a.xlsx", xlsx_bytes([HEADER, person_row(1, **{"โทรศัพท์": "1234567"})])
    )
    assert "ไม่ถูกต้อง" in errors_of(latest_batch())[(2, "โทรศัพท์")]


@FAST
@given(amount=st.integers(min_value=0, max_value=9_999_999), thai=st.booleans(), baht=st.booleans())
def test_whole_baht_written_with_a_dash_reads_as_the_amount(amount, thai, baht):
    text = f"{amount:,}.-" + (" บาท" if baht else "")
    text = to_thai_digits(text) if thai else text
    assert SALARY.read(prepare(text), None) == f"{amount}.00"


@FAST
@given(count=st.integers(min_value=0, max_value=100_000), gap=st.sampled_from(["", " ", "  "]))
def test_a_count_written_with_its_unit_reads_as_the_count(count, gap):
    students = ENROLMENT_SPEC.by_key["p1_students"]
    rooms = ENROLMENT_SPEC.by_key["p1_classrooms"]
    assert students.parse(f"{to_thai_digits(str(count))}{gap}คน", None) == count
    assert rooms.parse(f"{count % 1000}{gap}ห้อง", None) == count % 1000
    with pytest.raises(CellError):
        students.parse(f"{count} บาท", None)


# ---------------------------------------------------------------------------- frameworks


def test_a_framework_with_a_title_and_loosely_typed_labels_imports(client, admin):
    book = openpyxl.Workbook()
    meta = book.active
    meta.title = "ข้อมูลกรอบ"
    for key, value in [("รหัสกรอบ", "KP"), ("ฉบับ ", 1), ("ชื่อกรอบ:", "สมรรถนะครู"),
                       ("คะแนน\nต่ำสุด", "๑"), ("คะแนนสูงสุด", 4)]:  # fmt: skip
        meta.append([key, value])
    sheet = book.create_sheet("สมรรถนะ")
    sheet.append(["กรอบสมรรถนะครู สพป.เพชรบุรี เขต 1"])
    sheet.append([])
    sheet.append(["รหัสด้าน", "ชื่อด้าน", "รหัส", "สมรรถนะ /\nตัวชี้วัด", "คำอธิบาย", "ระดับ 1"])
    sheet.append(["D1", "ด้านการสอน", "A", "ออกแบบการเรียนรู้", "", "เริ่มต้น"])
    out = io.BytesIO()
    book.save(out)
    client.force_login(admin)
    post(client, FRAMEWORK_URL, out.getvalue())
    job = FileImport.objects.latest("pk")
    assert job.status == FileImportStatus.DONE, job.errors
    framework = Framework.objects.get(code="KP")
    assert (framework.scale_min, framework.scale_max) == (1, 4)
    item = Competency.objects.get(domain__framework=framework)
    assert item.name == "ออกแบบการเรียนรู้"
    assert item.levels.get(value=1).descriptor == "เริ่มต้น"


def test_a_framework_without_its_item_header_says_where_it_looked(client, admin):
    book = openpyxl.Workbook()
    meta = book.active
    meta.title = "ข้อมูลกรอบ"
    for key, value in [("รหัสกรอบ", "KP"), ("ฉบับ", 1), ("ชื่อกรอบ", "ก"), ("คะแนนต่ำสุด", 1),
                       ("คะแนนสูงสุด", 4)]:  # fmt: skip
        meta.append([key, value])
    book.create_sheet("สมรรถนะ").append(["ด้าน", "ข้อ"])
    out = io.BytesIO()
    book.save(out)
    client.force_login(admin)
    post(client, FRAMEWORK_URL, out.getvalue())
    job = FileImport.objects.latest("pk")
    assert job.status == FileImportStatus.FAILED
    assert "แผ่นงาน “สมรรถนะ” แถว 1: ไม่พบคอลัมน์ “รหัส”" in job.errors


# ---------------------------------------------------------------------------- headers again


def test_a_list_printed_page_by_page_skips_each_pages_title_and_header(client, admin, school_a):
    title = ["บัญชีรายชื่อข้าราชการครู สพป.เพชรบุรี เขต 1"]
    rows = [title, HEADER, person_row(1), person_row(2), title, HEADER, person_row(3)]
    rows.append(person_row(4, **{"เลขประจำตัวประชาชน": None}))  # data without its ID
    client.force_login(admin)
    upload(client, "personnel", "printed.xlsx", xlsx_bytes(rows))
    batch = latest_batch()
    assert batch.status == BatchStatus.VALIDATED, batch.error_message
    assert (batch.count_new, batch.count_error) == (3, 1)
    assert list(errors_of(batch)) == [(8, "เลขประจำตัวประชาชน")]
    notes = str(batch.preview_notes)
    assert "หัวตารางที่พิมพ์ซ้ำ 2 แถว" in notes and "แถวที่ 5, 6" in notes


def test_a_two_row_enrolment_header_repeated_under_the_data(client, admin, school_a, school_b):
    top = ["รหัสสถานศึกษา", "ปีการศึกษา", "ป.1", None]
    below = [None, None, "นักเรียน", "ห้องเรียน"]
    rows = [
        top, below, [school_a.obec_code, 2568, 20, 1],
        top, below, [school_b.obec_code, 2568, 30, 2],
    ]  # fmt: skip
    client.force_login(admin)
    upload(client, "enrolment", "dmc.xlsx", xlsx_bytes(rows, merges=["C1:D1", "C4:D4"]))
    batch = latest_batch()
    assert (batch.count_new, batch.count_error) == (2, 0), errors_of(batch)


_CELL = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=10**13),
    st.text(alphabet="กขคงจ ๑๒๓0123456789-./", max_size=12),
)


@FAST
@given(
    # A header cell has a name; a row of blank cells is no header to repeat.
    header=st.lists(
        st.text(alphabet="กขคงจชซ ", min_size=1, max_size=8).filter(str.strip),
        min_size=2,
        max_size=6,
    ),
    data=st.lists(st.lists(_CELL, max_size=6), max_size=20),
    key_index=st.integers(min_value=0, max_value=1),
)
def test_only_copies_of_the_rows_down_to_the_header_are_taken_for_it(header, data, key_index):
    title = ("รายชื่อ",)
    repeats = HeaderRepeats([title, (), tuple(header)], key_index)
    assert repeats.matches(tuple(header)) and repeats.matches(
        (" " + header[0] + "\u200b", *header[1:])
    )
    assert repeats.matches(title + (None, ""))
    for cells in data:  # an ID or a code in the key cell: data, whatever else the row holds
        key = cells[key_index] if key_index < len(cells) else None
        if isinstance(key, int) or (isinstance(key, str) and key[:1].isdigit()):
            assert not repeats.matches(tuple(cells))


# ---------------------------------------------------------------------------- names that lie


@pytest.mark.parametrize(
    "name, encoding, delimiter",
    [
        ("ส่งออก.xls", "utf-16", "\t"),  # Excel "Unicode text", named by the system that wrote it
        ("ส่งออก.xls", "cp874", "\t"),
        ("รายชื่อ.xlsx", "utf-8-sig", ","),
    ],
)
def test_a_text_table_named_as_an_excel_file_is_read_as_the_table_it_is(
    client, admin, school_a, name, encoding, delimiter
):
    content = csv_bytes([HEADER, person_row(1)], encoding=encoding, delimiter=delimiter)
    client.force_login(admin)
    batch = upload_and_apply(client, name, content)
    assert batch.file_format == "csv" and batch.file.name.endswith(".csv")
    assert Person.objects.get().national_id == national_id(1)


@pytest.mark.parametrize("name", ["รายชื่อ.xlsx", "รายชื่อ.xls"])
def test_other_bytes_named_as_an_excel_file_are_called_a_broken_workbook(client, admin, name):
    client.force_login(admin)
    response = upload(client, "personnel", name, bytes(range(1, 256)) * 8)
    assert "ไฟล์ Excel เสียหาย" in response.content.decode()


# ---------------------------------------------------------------------------- merged data cells

SCHOOL_COLUMN = HEADER.index("รหัสสถานศึกษา")


def _teachers_of_one_school():
    """Three teachers of one school, its code and name written once, merged down their rows."""
    blank = {"รหัสสถานศึกษา": None, "ชื่อสถานศึกษา": None}
    return [HEADER, person_row(1), person_row(2, **blank), person_row(3, **blank)]


def test_a_school_merged_down_its_teachers_rows_is_every_ones_school(client, admin, school_a):
    code, name = (get_column_letter(SCHOOL_COLUMN + i) for i in (1, 2))
    content = xlsx_bytes(_teachers_of_one_school(), merges=[f"{code}2:{code}4", f"{name}2:{name}4"])
    client.force_login(admin)
    upload_and_apply(client, "hrms.xlsx", content)
    assert set(Person.objects.values_list("school", flat=True)) == {school_a.pk}


def test_an_older_workbook_with_the_school_merged_down_reads_the_same(client, admin, school_a):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("บุคลากร")
    for r, row in enumerate(_teachers_of_one_school()):
        for c, value in enumerate(row):
            if value is not None and not (r > 1 and c in (SCHOOL_COLUMN, SCHOOL_COLUMN + 1)):
                if r == 1 and c in (SCHOOL_COLUMN, SCHOOL_COLUMN + 1):
                    sheet.write_merge(1, 3, c, c, value)
                else:
                    sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    client.force_login(admin)
    upload_and_apply(client, "hrms.xls", out.getvalue())
    assert set(Person.objects.values_list("school", flat=True)) == {school_a.pk}


@FAST
@given(
    rows=st.lists(st.lists(st.one_of(st.none(), st.integers(0, 9)), max_size=5), max_size=12),
    merges=st.lists(
        st.tuples(st.integers(0, 4), st.integers(1, 12), st.integers(1, 4)), max_size=4
    ),
)
def test_a_range_merged_down_gives_its_value_to_the_empty_cells_below_it(rows, merges):
    ranges = sorted({(c, first, first + extra) for c, first, extra in merges}, key=lambda m: m[1])
    numbered = [(n, tuple(cells)) for n, cells in enumerate(rows, start=1)]
    filled = dict(fill_merged_down(iter(numbered), ranges))
    for number, cells in numbered:
        out = filled[number]
        for c in range(max(len(cells), len(out))):
            before = cells[c] if c < len(cells) else None
            after = out[c] if c < len(out) else None
            over = [
                (first, column)
                for column, first, last in ranges
                if column == c and first < number <= last
                and c < len(rows[first - 1]) and rows[first - 1][c] is not None
            ]  # fmt: skip
            if before is not None or not over:
                assert after == before
            else:
                assert after in {rows[first - 1][c] for first, _ in over}


# ---------------------------------------------------------------------------- years as typed


@pytest.mark.parametrize(
    "typed, year", [("2568", 2568), ("๒๕๖๘", 2568), (2025, 2568), ("68", 2568), (68.0, 2568)]
)
def test_an_academic_year_reads_in_either_era_and_two_digits(typed, year):
    assert read_year(typed, None) == year


@given(
    year=st.integers(2500, 2569),
    word=st.sampled_from(["ปีการศึกษา", "ปีการศึกษา พ.ศ.", "พ.ศ.", "พ.ศ", "ปี", "ปี พ.ศ."]),
    space=st.sampled_from(["", " ", "  ", "\u00a0"]),
    thai=st.booleans(),
)
def test_an_academic_year_written_after_its_words_is_read(year, word, space, thai):
    """A DMC sheet's year column holding "ปีการศึกษา ๒๕๖๘" refused every row."""
    typed = f"{word}{space}{year} "
    assert read_year(to_thai_digits(typed) if thai else typed, None) == year


@pytest.mark.parametrize("typed", [3000, 12345, 5, 2800, 1800, 1234567, "2568/69", "ปีการศึกษา"])
def test_a_year_out_of_reach_is_refused_written_as_a_year(typed):
    with pytest.raises(CellError) as refused:
        read_year(typed, None)
    message = str(refused.value)
    assert str(typed) in message or "อยู่นอกช่วง" in message
    assert "ปีการศึกษา" in message
    assert not re.search(r"\d,\d{3}", message)  # never "2,800"


def test_onet_years_in_two_digits_and_ce_read_as_be(client, officer, school_a):
    code = school_a.obec_code
    rows = [ONET_HEADER, (code, "คณิตศาสตร์", "67", 41), (code, "ภาษาไทย", 2024, 40)]
    client.force_login(officer)
    job = onet_job(client, workbook(("ผล", rows, False)))
    assert job.status == FileImportStatus.DONE, job.errors
    assert set(OnetResult.objects.values_list("academic_year", flat=True)) == {2567}


# ---------------------------------------------------------------------------- encodings mixed


def test_a_cell_pasted_in_another_encoding_is_named_not_the_whole_file(client, admin, school_a):
    good = csv_bytes([HEADER, person_row(1)], encoding="utf-8")
    pasted = person_row(2, **{"ชื่อ": "PASTED"})
    line = csv_bytes([pasted], encoding="utf-8").replace(b"PASTED", "สมศรี".encode("cp874"))
    client.force_login(admin)
    upload(client, "personnel", "mixed.csv", good + line)
    batch = latest_batch()
    assert batch.status == BatchStatus.VALIDATED, batch.error_message
    assert (batch.count_new, batch.count_error) == (1, 1)
    assert "อ่านไม่ได้" in errors_of(batch)[(3, "ชื่อ")]


def test_a_file_in_some_other_encoding_altogether_is_still_refused(client, admin, school_a):
    rows = [HEADER] + [person_row(i) for i in range(1, 200)]
    content = csv_bytes(rows, encoding="utf-8")[:-3] + "ก".encode("cp874") * 2000
    client.force_login(admin)
    response = upload(client, "personnel", "other.csv", content)
    batch = latest_batch() if response.status_code == 302 else None
    message = batch.error_message if batch else response.content.decode()
    assert "อ่านตัวอักษรในไฟล์ CSV ไม่ได้" in message
