"""O-NET sheet: Thai row errors, all-or-nothing, re-import changes nothing."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.styles import Font

from imports import readers
from reporting import actions
from reporting.models import OnetResult
from reporting.onet import parse_onet
from reporting.tests.helpers import onet_sheet


def test_it_reports_every_bad_row_in_thai(school):
    data = onet_sheet([
        (school.obec_code, "คณิตศาสตร์", 2567, 45.5),
        ("9999999999", "ภาษาไทย", 2567, 50),
        (school.obec_code, "", "๒๕๖๗", "abc"),
        (school.obec_code, "คณิตศาสตร์", 2567, 45.5),
        (school.obec_code, "วิทยาศาสตร์", 2567, 120),
    ])  # fmt: skip
    parsed = parse_onet(data, school_codes={school.obec_code})
    assert "แถวที่ 4: ไม่พบรหัสสถานศึกษา 9999999999 ในเขตพื้นที่นี้" in parsed.errors
    assert "แถวที่ 5: ไม่มีชื่อวิชา" in parsed.errors
    assert any(e.startswith("แถวที่ 5: คะแนนเฉลี่ย “abc”") for e in parsed.errors)
    assert "แถวที่ 6: ซ้ำกับแถวที่ 3 (โรงเรียน ปี ชั้น และวิชาเดียวกัน)" in parsed.errors
    assert any(e.startswith("แถวที่ 7: คะแนนเฉลี่ย 120") for e in parsed.errors)
    # What the file as a whole is, in the importers' words (readers.sniff).
    assert parse_onet(b"not a workbook", school_codes=set()).errors == [readers.NOT_TABLE_MESSAGE]


def test_it_applies_all_or_nothing_and_reimports_idempotently(users, school):
    user = users["development_officer"]
    bad = parse_onet(onet_sheet([(school.obec_code, "คณิต", 2567, 40), ("x", "ไทย", 2567, 40)]),
                     school_codes={school.obec_code})  # fmt: skip
    with pytest.raises(ValidationError):
        actions.import_onet(acting_user=user, parsed=bad)
    assert not OnetResult.objects.exists()
    # Thai digits, a CE year and columns in another order are read too.
    sheet = onet_sheet(
        [("คณิตศาสตร์", "๔๕.๕", school.obec_code, 2024), ("ภาษาไทย", 50, school.obec_code, 2567)],
        header=("วิชา", "คะแนนเฉลี่ย", "รหัสสถานศึกษา", "ปีการศึกษา"),
    )
    parsed = parse_onet(sheet, school_codes={school.obec_code})
    assert parsed.errors == []
    first = actions.import_onet(acting_user=user, parsed=parsed)
    assert (first.created, first.changed, first.unchanged) == (2, 0, 0)
    again = actions.import_onet(
        acting_user=user, parsed=parse_onet(sheet, school_codes={school.obec_code})
    )
    assert (again.created, again.changed, again.unchanged) == (0, 0, 2)
    assert OnetResult.objects.get(subject="คณิตศาสตร์").mean == Decimal("45.50")
    assert OnetResult.objects.get(subject="คณิตศาสตร์").academic_year == 2567


def test_a_messy_office_sheet_is_read_and_its_footer_left_aside(school):
    """Headers broken over lines or with a note, blank rows, a totals line and the
    signature block under it, formatting down to Excel's last row."""
    header = ("รหัส\nสถานศึกษา", " วิชา ", "ปีการศึกษา (พ.ศ.)", "คะแนนเฉลี่ย\n(ร้อยละ)")
    rows = [
        (school.obec_code, "คณิตศาสตร์", "๒๕๖๗", "๔๕.๕๐"),
        (None, None, None, None),
        (school.obec_code, "ภาษาไทย", 2567, 50),
        ("รวมเฉลี่ยทั้งเขต", None, None, 47.75),
        (None, "ลงชื่อ ................ ผู้รายงาน"),
        (None, "(นางสาวใจดี มีสุข)"),
        (None, "ศึกษานิเทศก์"),
    ]
    book = load_workbook(io.BytesIO(onet_sheet(rows, header=header)))
    book.active.cell(row=1_048_576, column=1).font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = parse_onet(buffer.getvalue(), school_codes={school.obec_code})
    assert parsed.errors == []
    assert [(r.subject, r.academic_year, r.mean) for r in parsed.rows] == [
        ("คณิตศาสตร์", 2567, Decimal("45.50")),
        ("ภาษาไทย", 2567, Decimal("50.00")),
    ]


def test_a_sheet_with_only_its_header_is_refused_naming_the_row(school):
    parsed = parse_onet(onet_sheet([("รวม", None, None, None)]), school_codes={"1076100101"})
    assert parsed.errors == ["แถวที่ 2: ไม่พบแถวข้อมูลใต้หัวตาราง"]


# Messy cells as offices' sheets hold them: Thai and Arabic digits, thousands separators,
# CE and BE years, stray spaces and zero-width characters, text where a number belongs.
_thai_digits = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
messy_cell = st.one_of(
    st.none(),
    st.integers(-10, 3000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.decimals(min_value=-5, max_value=150, places=2).map(str),
    st.integers(1990, 2600).map(lambda y: f" {y:,}\u200b".translate(_thai_digits)),
    st.text(st.characters(whitelist_categories=("Lo", "Mn", "Nd", "Zs", "Po")), max_size=15),
    st.sampled_from(["1076100101", "1076100101.0", " 1076100101 ", "คณิตศาสตร์", "=A1"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(messy_cell, min_size=0, max_size=6), max_size=8))
@example(rows=[["1076100101", 0, 1997, 0, "=A1"]])  # a grade saved as a formula without result
def test_any_sheet_is_read_into_rows_or_thai_problems_naming_the_row(rows):
    """Nothing in a sheet makes the reader fail: it gives clean rows or Thai problems, each
    naming its row (the header's absence aside), and a row is never both."""
    parsed = parse_onet(onet_sheet(rows), school_codes={"1076100101"})
    for error in parsed.errors:
        assert error.startswith("แถวที่ ") or error.startswith("ไม่พบแถวหัวตาราง"), error
    bad_lines = {int(e.split()[1].rstrip(":")) for e in parsed.errors if e.startswith("แถวที่ ")}
    for row in parsed.rows:
        assert row.line not in bad_lines
        assert row.school_code == "1076100101" and row.subject
        assert 2540 <= row.academic_year <= 2700 and 0 <= row.mean <= 100


def test_an_offices_rows_are_found_through_its_schools_not_a_scan_of_the_year(
    school, other_office, db_vendor
):
    from django.db import connection

    from krupd.testing import make_school

    elsewhere = make_school(other_office, code="1076020009", name="โรงเรียนเขตอื่น")
    for where in (school, elsewhere):
        OnetResult.objects.create(school=where, academic_year=2567, subject="คณิตศาสตร์",
                                  mean=Decimal("40"))  # fmt: skip
    rows = OnetResult.objects.of_office(school.office).filter(academic_year__in=[2566, 2567])
    assert list(rows.values_list("school_id", flat=True)) == [school.pk]
    if db_vendor == "sqlite":
        # Without table statistics SQLite would otherwise walk every school's rows of the year.
        sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(step[-1]) for step in cursor.fetchall())
        assert "school_id=?" in plan


GRADE_HEADER = ("รหัสสถานศึกษา", "ชั้น", "วิชา", "ปีการศึกษา", "คะแนนเฉลี่ย")


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    written=st.sampled_from(
        [
            ("ป.6", "p6"),
            ("ป 6", "p6"),
            ("ประถมศึกษาปีที่ ๖", "p6"),
            ("P.6", "p6"),
            ("ม.3", "m3"),
            ("มัธยมศึกษาปีที่ 3", "m3"),
            ("ม. ๖", "m6"),
        ]
    ),  # fmt: skip
    again=st.sampled_from(["ป.6", "ป.๖", "ประถมศึกษาปีที่ 6", "p6", "ม.3", "ม 3", "ม.6"]),
)
def test_a_grade_however_written_is_one_row_of_its_school_and_year(written, again):
    """ "ประถมศึกษาปีที่ ๖" was kept as written (longer than the column holds), and the next
    year's sheet writing "ป.6" added a second row of the same school, subject and year."""
    from reporting.onet import grade_code

    text, code = written
    parsed = parse_onet(onet_sheet([("1076100101", text, "คณิตศาสตร์", 2567, 40)], GRADE_HEADER),
                        school_codes={"1076100101"})  # fmt: skip
    assert parsed.errors == [] and parsed.rows[0].grade == code
    both = parse_onet(
        onet_sheet([("1076100101", text, "คณิตศาสตร์", 2567, 40),
                    ("1076100101", again, "คณิตศาสตร์", 2567, 41)], GRADE_HEADER),
        school_codes={"1076100101"},
    )  # fmt: skip
    if grade_code(again) == code:
        assert "แถวที่ 4: ซ้ำกับแถวที่ 3 (โรงเรียน ปี ชั้น และวิชาเดียวกัน)" in both.errors
    else:
        assert both.errors == []


def test_a_grade_o_net_does_not_test_is_refused_naming_the_row(school):
    parsed = parse_onet(
        onet_sheet([(school.obec_code, "ป.3", "คณิตศาสตร์", 2567, 40)], GRADE_HEADER),
        school_codes={school.obec_code},
    )
    assert parsed.errors == ["แถวที่ 3: ชั้น “ป.3” ไม่ใช่ชั้นที่สอบ O-NET (ใช้ ป.6 ม.3 หรือ ม.6)"]


def test_a_row_imported_with_its_grade_as_written_is_matched_by_the_grade(users, school):
    user = users["development_officer"]
    OnetResult.objects.create(school=school, academic_year=2567, grade="ป.6",
                              subject="คณิตศาสตร์", mean=Decimal("40"))  # fmt: skip
    sheet = onet_sheet([(school.obec_code, "ประถมศึกษาปีที่ 6", "คณิตศาสตร์", 2567, 40)], GRADE_HEADER)
    out = actions.import_onet(
        acting_user=user, parsed=parse_onet(sheet, school_codes={school.obec_code})
    )
    assert (out.created, out.changed) == (0, 1)
    assert list(OnetResult.objects.values_list("grade", "mean")) == [("p6", Decimal("40.00"))]
    again = actions.import_onet(
        acting_user=user, parsed=parse_onet(sheet, school_codes={school.obec_code})
    )
    assert (again.created, again.changed, again.unchanged) == (0, 0, 1)


@pytest.mark.parametrize("year", ["ปีการศึกษา 2567", "ปีการศึกษา ๒๕๖๗", "พ.ศ. 2567", "ปี 67"])
def test_a_year_written_with_its_words_is_read(school, year):
    parsed = parse_onet(onet_sheet([(school.obec_code, "คณิตศาสตร์", year, 40)]),
                        school_codes={school.obec_code})  # fmt: skip
    assert parsed.errors == [] and parsed.rows[0].academic_year == 2567


def test_a_mean_in_a_percentage_cell_or_typed_with_a_percent_sign_is_that_score(school):
    """Before the reader gave a percentage cell as the percentage it shows, 45.5 % was read
    as a mean of 0.455 (0.46 stored); "45.5%" typed was "not a number"."""
    workbook = load_workbook(io.BytesIO(onet_sheet([
        (school.obec_code, "คณิตศาสตร์", 2567, 0.455),
        (school.obec_code, "ภาษาไทย", 2567, "52.25 %"),
    ])))  # fmt: skip
    workbook.active.cell(row=3, column=4).number_format = "0.0%"
    out = io.BytesIO()
    workbook.save(out)
    parsed = parse_onet(out.getvalue(), school_codes={school.obec_code})
    assert parsed.errors == []
    assert [row.mean for row in parsed.rows] == [Decimal("45.50"), Decimal("52.25")]


_thai_digits_of = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hundredths=st.integers(min_value=0, max_value=10_000),
    thai=st.booleans(),
    before=st.sampled_from(["", " ", "ร้อยละ ", "ร้อยละ", "\u200b"]),
    after=st.sampled_from(["", "%", " %", " คะแนน", "คะแนน", " "]),
)
def test_a_mean_typed_with_its_unit_is_read_as_the_number(hundredths, thai, before, after):
    """ "ร้อยละ ๔๕.๕", "45.5 %", "45.5 คะแนน": the column is "คะแนนเฉลี่ย (ร้อยละ)" and
    offices type the unit with the number, in Thai or Arabic digits."""
    number = f"{Decimal(hundredths) / 100:f}"
    typed = before + (number.translate(_thai_digits_of) if thai else number) + after
    parsed = parse_onet(
        onet_sheet([("1076100101", "คณิตศาสตร์", 2567, typed)]), school_codes={"1076100101"}
    )
    assert parsed.errors == [] and parsed.rows[0].mean == Decimal(number).quantize(Decimal("0.01"))


@pytest.mark.parametrize("typed", ["nan", "inf", "-Infinity", "%"])
def test_a_word_python_reads_as_a_number_is_no_mean(typed):
    """Decimal reads "nan" and "inf" as numbers: the message said "คะแนนเฉลี่ย Infinity"."""
    parsed = parse_onet(
        onet_sheet([("1076100101", "คณิตศาสตร์", 2567, typed)]), school_codes={"1076100101"}
    )
    assert parsed.errors == [f"แถวที่ 3: คะแนนเฉลี่ย “{typed}” ไม่ใช่ตัวเลข"]


def _titled_sheet(titles, rows, header=("รหัสสถานศึกษา", "วิชา", "คะแนนเฉลี่ย")) -> bytes:
    book = load_workbook(io.BytesIO(onet_sheet([], header=header)))
    sheet = book.active
    sheet.delete_rows(1)  # onet_sheet's own title
    for title in reversed(titles):
        sheet.insert_rows(1)
        sheet.cell(row=1, column=1, value=title)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_year_in_the_sheets_title_is_every_rows_year(users, school):
    """A school's NIETS report names its year in the title, with no year column. The grade
    the title names is not taken for a missing grade column (a grade is never guessed)."""
    sheet = _titled_sheet(
        ["ผลการทดสอบ O-NET ชั้นประถมศึกษาปีที่ ๖ ปีการศึกษา ๒๕๖๗", "สพป.เพชรบุรี เขต ๑"],
        [(school.obec_code, "คณิตศาสตร์", "๓๕.๕"), (school.obec_code, "ภาษาไทย", 50)],
    )
    parsed = parse_onet(sheet, school_codes={school.obec_code})
    assert parsed.errors == []
    assert parsed.year_from_title == 2567
    assert [(r.subject, r.academic_year, r.grade) for r in parsed.rows] == [
        ("คณิตศาสตร์", 2567, ""),
        ("ภาษาไทย", 2567, ""),
    ]
    summary, _ = actions.import_onet_file(
        acting_user=users["development_officer"], path=_stored(sheet), report=_no_report
    )
    assert "ปีการศึกษา 2567 อ่านจากชื่อตาราง" in summary
    assert set(OnetResult.objects.values_list("academic_year", flat=True)) == {2567}


@pytest.mark.parametrize(
    "titles",
    [
        ["ผลการทดสอบ O-NET ปีการศึกษา 2566-2567"],
        ["ผลการทดสอบ O-NET"],
        ["ปีการศึกษา 2566", "ปีการศึกษา 2567"],
    ],
)
def test_a_title_without_one_year_still_asks_for_the_year_column(school, titles):
    parsed = parse_onet(
        _titled_sheet(titles, [(school.obec_code, "คณิตศาสตร์", 40)]), school_codes={school.obec_code}
    )
    assert parsed.rows == [] and parsed.year_from_title is None
    assert parsed.errors == [f"แถวที่ {len(titles) + 1}: ไม่พบคอลัมน์ ปีการศึกษา"]


def test_a_year_column_wins_over_the_title(school):
    sheet = _titled_sheet(
        ["ผลการทดสอบ O-NET ปีการศึกษา 2568"],
        [(school.obec_code, "คณิตศาสตร์", 2566, 40)],
        header=("รหัสสถานศึกษา", "วิชา", "ปีการศึกษา", "คะแนนเฉลี่ย"),
    )
    parsed = parse_onet(sheet, school_codes={school.obec_code})
    assert parsed.errors == [] and parsed.year_from_title is None
    assert parsed.rows[0].academic_year == 2566


def _stored(content: bytes) -> str:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as f:
        f.write(content)
    return f.name


def _no_report(done, total, final=False):
    pass


def test_a_row_with_a_formula_saved_without_its_result_is_told_and_not_taken():
    """The grade cell a formula Excel never computed ("=A1" saved by a program): the row is
    named as a problem, and not also taken as a row of no grade."""
    parsed = parse_onet(onet_sheet([["1076100101", "คณิตศาสตร์", 2567, 45.5, "=A1"]]),
                        school_codes={"1076100101"})  # fmt: skip
    assert parsed.rows == []
    assert parsed.errors == [f"แถวที่ 3: {readers.UNCOMPUTED_FORMULA_MESSAGE}"]
