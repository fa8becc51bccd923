"""What an import accepts and refuses: file types by content, the template's own example,
coded fields against reference data, IDs as Excel writes them, duplicates, summary rows,
dates, columns left out, and the same rights as the pages."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from hypothesis import assume, given
from hypothesis import strategies as st

from imports import actions, readers
from imports.importers import SUMMARY_WORDS, SummaryRows, summary_row_text, summary_text
from imports.models import BatchStatus, ImportBatch, ImportRow, RowStatus
from krupd.lib.numerals import to_thai_digits
from krupd.lib.thai_dates import format_thai_date
from registry.models import Person

from .conftest import national_id, upload_file, xlsx_bytes
from .test_personnel import HEADER, errors_of, person_row
from .test_properties import FAST, THAI, thai_text


def upload(client, kind, name, content):
    return client.post(
        reverse("imports:upload"), {"kind": kind, "file": upload_file(name, content)}
    )


def start(user, content, kind="personnel", name="a.xlsx"):
    batch = actions.start_import(
        acting_user=user, kind=kind, uploaded_file=upload_file(name, content)
    )
    batch.refresh_from_db()
    return batch


# ---------------------------------------------------------------- files that are not sheets

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\ntrailer <<>>\n%%EOF\n"
NOT_SHEETS = {
    "pdf named as a spreadsheet": ("รายชื่อ.xlsx", PDF),
    "pdf named as csv": ("รายชื่อ.csv", PDF),
    "pdf after a few stray bytes": ("scan.csv", b"\r\n  " + PDF),
    "png": ("รูป.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
    "jpeg": ("photo.csv", b"\xff\xd8\xff\xe0" + b"JFIF" * 10),
    "web page saved as xls": (
        "hrms.xls",
        b"<html><body><table><tr><td>1</td></tr></table></body></html>",
    ),
    "rtf": ("memo.csv", b"{\\rtf1\\ansi hello}"),
    "prose": ("บันทึก.txt", "บันทึกข้อความ\nเรื่อง ขอส่งรายชื่อ\nเรียน ผู้อำนวยการ\n".encode()),
}


@pytest.mark.parametrize("case", list(NOT_SHEETS))
def test_it_refuses_a_file_that_is_not_a_sheet_at_upload_in_thai(client, admin, case):
    name, content = NOT_SHEETS[case]
    client.force_login(admin)
    response = upload(client, "personnel", name, content)
    assert response.status_code == 200  # the upload page again, with the reason
    page = response.content.decode()
    assert "errorlist" in page and ("ไฟล์" in page)
    assert not ImportBatch.objects.exists()  # never sent on to column mapping


@given(
    prefix=st.binary(max_size=900).filter(lambda b: not b.startswith(b"PK")),
    tail=st.binary(max_size=200),
)
@FAST
def test_it_refuses_any_content_holding_a_pdf_signature_whatever_the_name(prefix, tail):
    content = prefix + b"%PDF-1.7\n" + tail
    with pytest.raises(readers.ImportFileError) as refused:
        readers.sniff(io.BytesIO(content), "ข้อมูลบุคลากร.xlsx")
    assert THAI.search(str(refused.value))


def test_it_still_takes_a_csv_with_a_pdf_like_word_later_in_the_file(admin, school_a):
    rows = [",".join(HEADER), ",".join(str(c) for c in person_row(1))]
    rows.append(",".join(str(c) for c in person_row(2, **{"อีเมล": "x%PDF-@example.com"})))
    sniffed = readers.sniff(io.BytesIO(("\n".join(rows) + "\n" + "x" * 2000).encode()), "a.csv")
    assert sniffed == readers.CSV


# ---------------------------------------------------------------- the template's example


@pytest.mark.parametrize("kind", ["personnel", "schools", "enrolment"])
def test_the_templates_own_example_row_passes_validation(client, admin, school_a, kind):
    client.force_login(admin)
    template = b"".join(client.get(reverse("imports:template", args=[kind])).streaming_content)
    upload(client, kind, f"template-{kind}.xlsx", template)
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == BatchStatus.VALIDATED, batch.error_message or batch.notice
    assert batch.count_error == 0, errors_of(batch)
    assert batch.counted_rows == 1
    if kind == "schools":  # the example is the office's own school as it stands
        assert batch.count_unchanged == 1


def test_a_directors_template_example_names_their_own_school(client, director, school_a, school_b):
    client.force_login(director)
    template = b"".join(
        client.get(reverse("imports:template", args=["personnel"])).streaming_content
    )
    rows = list(
        openpyxl.load_workbook(io.BytesIO(template)).worksheets[0].iter_rows(values_only=True)
    )
    assert school_a.obec_code in rows[1]
    upload(client, "personnel", "t.xlsx", template)
    batch = ImportBatch.objects.latest("pk")
    assert (batch.status, batch.count_error, batch.count_new) == (BatchStatus.VALIDATED, 0, 1)


# ---------------------------------------------------------------- coded fields and phone


def test_it_refuses_an_unknown_salary_grade_and_a_phone_that_is_not_a_number(admin, school_a):
    content = xlsx_bytes(
        [
            HEADER,
            person_row(1, **{"อันดับ": "คศ.9"}),
            person_row(2, **{"โทรศัพท์": "abc"}),
            person_row(3, **{"อันดับ": "คศ.3"}),  # วิทยฐานะ ชำนาญการ is คศ.2
            person_row(4, **{"อันดับ": "ค.ศ. ๒", "โทรศัพท์": "032-123456 ต่อ 12"}),
            person_row(5, **{"อันดับ": "ชก.", "โทรศัพท์": "+66 81 234 5678", "วิทยฐานะ": ""}),
            person_row(6, **{"โทรศัพท์": "081-234-5678, 089-111-2222"}),
            person_row(7, **{"วิทยฐานะ": "คศ.9"}),
        ]
    )
    batch = start(admin, content)
    errors = errors_of(batch)
    assert "ไม่รู้จักอันดับ “คศ.9”" in errors[(2, "อันดับ")]
    assert "เบอร์โทรศัพท์ “abc” ไม่ถูกต้อง" in errors[(3, "โทรศัพท์")]
    assert "ไม่ตรงกับวิทยฐานะชำนาญการ" in errors[(4, "อันดับ")]
    assert "เบอร์โทรศัพท์" in errors[(7, "โทรศัพท์")]
    assert "ไม่รู้จักวิทยฐานะ" in errors[(8, "วิทยฐานะ")]
    assert {n for n, _ in errors} == {2, 3, 4, 7, 8}
    row = ImportRow.objects.get(batch=batch, row_number=5)
    assert row.values["salary_grade"] == "คศ.2"  # written the reference way


# ---------------------------------------------------------------- IDs as Excel writes them


def test_it_accepts_ids_with_excels_apostrophe_dashes_and_spaces(admin, school_a):
    ways = [
        lambda n: f"'{n}",
        lambda n: f"{n[0]}-{n[1:5]}-{n[5:10]}-{n[10:12]}-{n[12]}",
        lambda n: " ".join(n),
        lambda n: f"’{to_thai_digits(n)}",
        lambda n: f"' {n[0]} {n[1:5]} {n[5:10]} {n[10:12]} {n[12]}",
        # Copied from a letter or a web page, where the hyphens became dashes.
        lambda n: f"{n[0]}\u2013{n[1:5]}\u2013{n[5:10]}\u2013{n[10:12]}\u2013{n[12]}",
        lambda n: f"{n[0]}\u2010{n[1:5]}\u2010{n[5:10]}\u2010{n[10:12]}\u2010{n[12]}",
        # A CSV of a column Excel held as numbers with thousands separators.
        lambda n: f"{int(n):,}",
    ]
    rows = [HEADER] + [
        person_row(serial, **{"เลขประจำตัวประชาชน": way(national_id(serial))})
        for serial, way in enumerate(ways, start=1)
    ]
    batch = start(admin, xlsx_bytes(rows))
    assert (batch.count_error, batch.count_new) == (0, len(ways)), errors_of(batch)
    keys = set(ImportRow.objects.filter(batch=batch).values_list("key", flat=True))
    assert keys == {national_id(n) for n in range(1, len(ways) + 1)}


def test_it_accepts_an_apostrophe_id_in_a_csv(admin, school_a):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerow(person_row(1, **{"เลขประจำตัวประชาชน": f"'{national_id(1)}"}))
    batch = start(admin, buffer.getvalue().encode("utf-8-sig"), name="a.csv")
    assert (batch.count_error, batch.count_new) == (0, 1), errors_of(batch)


# ---------------------------------------------------------------- duplicates


def test_both_rows_with_the_same_id_are_flagged_naming_each_other(admin, school_a, monkeypatch):
    monkeypatch.setattr(
        actions, "CHUNK_SIZE", 2
    )  # the first row is stored before the second is read
    rows = [
        HEADER,
        person_row(1),
        person_row(2),
        person_row(3),
        person_row(1, **{"ชื่อ": "สมศรี"}),
        person_row(1),
    ]
    batch = start(admin, xlsx_bytes(rows))
    errors = errors_of(batch)
    column = "เลขประจำตัวประชาชน"
    assert errors[(2, column)].startswith("ข้อมูลซ้ำกับแถวที่ 5, 6 ")
    assert errors[(5, column)].startswith("ข้อมูลซ้ำกับแถวที่ 2 ")
    assert errors[(6, column)].startswith("ข้อมูลซ้ำกับแถวที่ 2 ")
    assert (batch.count_error, batch.count_new) == (3, 2)
    assert ImportRow.objects.filter(batch=batch, status=RowStatus.ERROR).count() == 3


# ---------------------------------------------------------------- totals and notes rows


def test_totals_and_notes_rows_anywhere_are_skipped_with_a_notice(client, admin, school_a):
    blank = [None] * len(HEADER)
    totals_in_id = list(blank)
    totals_in_id[1] = "รวม 40 คน"
    note = list(blank)
    note[1] = "หมายเหตุ ข้อมูลจากระบบ HRMS ณ วันที่ 10 มิ.ย. 2568"
    label_in_name = list(blank)
    label_in_name[3] = "รวมทั้งสิ้น"
    label_in_name[12] = "1,234,560"
    rows = [HEADER, person_row(1), totals_in_id, person_row(2), note, person_row(3), label_in_name]
    client.force_login(admin)
    upload(client, "personnel", "a.xlsx", xlsx_bytes(rows))
    batch = ImportBatch.objects.latest("pk")
    assert (batch.count_error, batch.count_new) == (0, 3), errors_of(batch)
    notes = " ".join(str(n) for n in batch.preview_notes)
    assert "แถวที่ 3 “รวม 40 คน”" in notes and "แถวที่ 5 “หมายเหตุ" in notes and "แถวที่ 7" in notes
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "ข้ามแถวสรุปหรือหมายเหตุ 3 แถว" in page
    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED and Person.objects.count() == 3


@FAST
@given(
    word=st.sampled_from(SUMMARY_WORDS),
    rest=thai_text,
    position=st.integers(0, 5),
    digits=st.booleans(),
)
def test_a_summary_word_in_the_key_cell_always_makes_a_summary_row(word, rest, position, digits):
    text = f"{word} {rest} {to_thai_digits('40') if digits else '40'} คน"
    cells = [None] * 6
    cells[position] = text
    assert summary_row_text(tuple(cells), position) is not None
    # and with the key cell empty, the word anywhere else does it too
    assert summary_row_text(tuple(cells), (position + 1) % 6) is not None


@FAST
@given(serial=st.integers(1, 10**9), other=thai_text)
def test_a_row_with_an_id_is_data_whatever_else_it_says(serial, other):
    cells = (national_id(serial), f"รวม {other}", "หมายเหตุ")
    assert summary_row_text(cells, 0) is None
    assert summary_row_text((int(national_id(serial)), "รวม"), 0) is None


@FAST
@given(
    word=st.sampled_from(["รวม", "รวมทั้งสิ้น", "ยอดรวม", "รวมทั้งหมด", "Total"]),
    count=st.integers(0, 9_999),
    digits=st.booleans(),
    unit=st.sampled_from(["", " คน", " โรง", " ราย"]),
    key=st.sampled_from(["national_id", "obec_code", "school"]),
    as_number=st.booleans(),
)
def test_a_totals_word_before_the_key_and_its_count_under_it_is_a_summary(
    word, count, digits, unit, key, as_number
):
    """ "รวม | 10 คน": the word in the running-number column, the count under the ID."""
    shown = to_thai_digits(f"{count:,}") if digits else f"{count:,}"
    cell = count if as_number and not unit else f"{shown}{unit}"
    summaries = SummaryRows(1, {1: key})
    assert summaries.text((word, cell, None, "35,220")) is not None
    # an ID or a code under the key is data, whatever the column before it says
    assert SummaryRows(1, {1: key}).text((word, national_id(count + 1), "สมชาย")) is None
    assert SummaryRows(1, {1: key}).text((word, int(national_id(count + 1)))) is None
    # and a count under the key with no totals word before it is data (an error to show)
    assert SummaryRows(1, {1: key}).text((count, f"{shown}{unit}", "สมชาย")) is None


def test_a_totals_line_whose_count_sits_under_the_school_code_is_left_aside(
    client, admin, school_a
):
    header = ["ที่", "รหัสโรงเรียน", "ชื่อโรงเรียน", "ระดับ", "อำเภอ"]
    rows = [
        ["ข้อมูลสถานศึกษา สพป.เพชรบุรี เขต 1"],
        header,
        [1, "1076100101", "โรงเรียนบ้านหนึ่ง", "ประถมศึกษา", "เมืองเพชรบุรี"],
        [2, "1076100103", "โรงเรียนบ้านสาม", "ขยายโอกาส", "ชะอำ"],
        ["รวม", "2 โรง"],
    ]
    client.force_login(admin)
    upload(client, "schools", "schools.xlsx", xlsx_bytes(rows))
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == BatchStatus.VALIDATED, batch.error_message
    assert batch.count_error == 0, errors_of(batch)
    assert "แถวที่ 5 “รวม 2 โรง”" in " ".join(str(n) for n in batch.preview_notes)
    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED


# ---------------------------------------------------------------- dates


def test_appointment_dates_after_today_and_impossible_ages_are_refused(admin, school_a):
    today = dt.date.today()
    tomorrow = today + dt.timedelta(days=1)
    rows = [
        HEADER,
        person_row(1, **{"วันบรรจุ": format_thai_date(tomorrow)}),  # BE, tomorrow
        person_row(2, **{"วันบรรจุ": f"{tomorrow.day}/{tomorrow.month}/{tomorrow.year}"}),  # CE
        person_row(3, **{"วันบรรจุ": format_thai_date(today)}),  # today: fine
        person_row(4, **{"วันเดือนปีเกิด": format_thai_date(today.replace(year=today.year - 10))}),
        person_row(5, **{"วันเดือนปีเกิด": "15/03/2530", "วันบรรจุ": "1/6/2540"}),  # aged 10
        person_row(6, **{"วันบรรจุ": "1 มิ.ย. 2012"}),  # CE with a Thai month: fine
    ]
    batch = start(admin, xlsx_bytes(rows))
    errors = errors_of(batch)
    assert "อยู่นอกช่วงที่เป็นไปได้" in errors[(2, "วันบรรจุ")]
    assert "อยู่นอกช่วงที่เป็นไปได้" in errors[(3, "วันบรรจุ")]
    assert "อยู่นอกช่วงที่เป็นไปได้" in errors[(5, "วันเดือนปีเกิด")]
    assert "ไม่ถึง 18 ปี" in errors[(6, "วันบรรจุ")]
    assert {n for n, _ in errors} == {2, 3, 5, 6}


# ---------------------------------------------------------------- columns not imported


def test_the_schools_files_pupil_and_classroom_columns_are_named_as_not_imported(
    client, admin, school_a
):
    header = ["รหัสสถานศึกษา", "ชื่อสถานศึกษา", "ระดับ", "จำนวนนักเรียน", "จำนวนห้องเรียน", "ผู้อำนวยการ"]
    rows = [header, ["1076100101", "โรงเรียนบ้านหนึ่ง", "ประถมศึกษา", 120, 8, "นายใหญ่ ใจดี"]]
    client.force_login(admin)
    upload(client, "schools", "s.xlsx", xlsx_bytes(rows))
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == BatchStatus.VALIDATED and batch.count_error == 0
    ignored = next(n for n in batch.preview_notes if n["title"] == "คอลัมน์ที่ไม่ได้นำเข้า")["items"]
    assert any(i.startswith("“จำนวนนักเรียน”") and "ข้อมูลนักเรียนและห้องเรียน" in i for i in ignored)
    assert any(i.startswith("“จำนวนห้องเรียน”") for i in ignored)
    assert any(i.startswith("“ผู้อำนวยการ”") for i in ignored)
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "คอลัมน์ที่ไม่ได้นำเข้า" in page and "จำนวนนักเรียน" in page


# ---------------------------------------------------------------- the same rights as the pages


def test_an_officer_who_may_not_edit_schools_cannot_rename_them_through_an_import(
    client, officer, admin, school_a
):
    content = xlsx_bytes([["รหัสสถานศึกษา", "ชื่อสถานศึกษา"], ["1076100101", "ชื่อใหม่"]])
    client.force_login(officer)
    page = client.get(reverse("imports:upload")).content.decode()
    assert 'value="schools"' not in page and 'value="personnel"' in page
    assert upload(client, "schools", "s.xlsx", content).status_code == 200
    assert not ImportBatch.objects.exists()
    assert client.get(reverse("imports:template", args=["schools"])).status_code == 404
    with pytest.raises(PermissionDenied):  # refused by the action too, not only the form
        actions.start_import(
            acting_user=officer, kind="schools", uploaded_file=upload_file("s.xlsx", content)
        )
    school_a.refresh_from_db()
    assert school_a.name == "โรงเรียนบ้านหนึ่ง"
    client.force_login(admin)  # the office admin edits schools on the page, and may import them
    assert upload(client, "schools", "s.xlsx", content).status_code == 302


# ---------------------------------------------------------------- readers, messy Thai input


@pytest.fixture
def personnel_ctx(office, school_a):
    from imports.importers import get_importer

    return get_importer("personnel").context(office=office)


@FAST
@given(
    mobile=st.booleans(),
    digits=st.text(alphabet="0123456789", min_size=9, max_size=9),
    separator=st.sampled_from(["", "-", " ", " - "]),
    thai=st.booleans(),
    apostrophe=st.booleans(),
)
def test_any_thai_phone_number_however_written_is_accepted(
    personnel_ctx, mobile, digits, separator, thai, apostrophe
):
    number = "0" + (digits if mobile else digits[:8])
    text = separator.join([number[:3], number[3:6], number[6:]])
    text = ("'" if apostrophe else "") + (to_thai_digits(text) if thai else text)
    column = get_column("phone")
    assert column.parse(text, personnel_ctx).replace("-", "").replace(" ", "") == number


@FAST
@given(
    text=st.one_of(thai_text, st.text(max_size=20)).filter(
        lambda t: not any(c.isdigit() for c in t)
    )
)
def test_a_phone_without_digits_is_refused_in_thai(personnel_ctx, text):
    from imports.importers import CellError

    column = get_column("phone")
    try:
        value = column.parse(text, personnel_ctx)
    except CellError as error:
        assert THAI.search(str(error))
    else:
        assert value == ""  # blank after cleaning: an empty cell


@FAST
@given(
    grade=st.sampled_from(["ครูผู้ช่วย", "คศ.1", "คศ.2", "คศ.3", "คศ.4", "คศ.5"]),
    dots=st.sampled_from(["", ".", ". "]),
    thai=st.booleans(),
    pad=st.sampled_from(["", " ", "\u00a0"]),
)
def test_salary_grades_are_read_to_the_reference_spelling(personnel_ctx, grade, dots, thai, pad):
    written = grade.replace("คศ.", f"ค{dots}ศ{dots}")
    written = pad + (to_thai_digits(written) if thai else written) + pad
    assert get_column("salary_grade").parse(written, personnel_ctx) == grade


@FAST
@given(level=st.integers(6, 99))
def test_salary_grades_beyond_the_table_are_refused_in_thai(personnel_ctx, level):
    from imports.importers import CellError

    with pytest.raises(CellError) as refused:
        get_column("salary_grade").parse(f"คศ.{to_thai_digits(str(level))}", personnel_ctx)
    assert "ไม่รู้จักอันดับ" in str(refused.value)


def get_column(key):
    from imports.importers import get_importer

    return get_importer("personnel").spec.by_key[key]


@FAST
@given(
    word=st.sampled_from(["รวม", "รวมทั้งสิ้น", "ยอดรวม", "Total"]),
    count=st.integers(0, 9_999),
    unit=st.sampled_from(["", " คน", "คน", " ราย"]),
    key=st.sampled_from(["full_name", "email", "first_name"]),
    name=thai_text,
)
def test_a_count_under_a_name_key_after_a_totals_word_is_a_summary(word, count, unit, key, name):
    """A score sheet matched by name: "รวม | 3 คน" was read as a participant called "3 คน"."""
    cell = f"{count:,}{unit}" if unit or count % 2 else count
    assert SummaryRows(1, {1: key}).text((word, cell, None)) is not None
    named = f"{name} ใจดี"
    # A "name" that itself opens with a totals or footer word ("ผู้จัดทำ ใจดี", which Hypothesis
    # drew from the importer's own words) is a signature line, not a participant.
    assume(summary_text(named) is None)
    assert SummaryRows(1, {1: key}).text((word, named, 8)) is None  # a name is data
