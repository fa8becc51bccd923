"""Two things a file can hide from the officer who uploads it: rows a filter hid in Excel, and
one cell of a CSV so long the file is broken. The first is imported, and the preview lists the
hidden rows (never dropped, never taken in silently); the second is refused naming the row and
the column."""

import csv
import io
import tempfile
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports import readers
from imports.models import BatchStatus
from registry.models import Person

from .test_personnel import HEADER, latest_batch, person_row, upload

FAST = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def _filtered_workbook(rows, hidden: set[int], *, filtered=True) -> bytes:
    """A workbook as Excel saves it after a filter: the rows left out carry hidden="1"."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    if filtered:
        sheet.auto_filter.ref = f"A2:{openpyxl.utils.get_column_letter(len(HEADER))}{len(rows)}"
    for number in hidden:
        sheet.row_dimensions[number].hidden = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_rows_a_filter_hid_are_imported_and_listed_on_the_preview(client, admin, school_a, fmt):
    """Rows hidden (or left out by a filter) are imported and listed on the preview, in
    Excel 97–2003 and LibreOffice workbooks as in an .xlsx (those were imported without a
    word)."""
    from .test_older_formats import ods_bytes, xls_bytes

    rows = [["ทะเบียนครู โรงเรียนบ้านหนึ่ง"], HEADER] + [person_row(i) for i in range(1, 6)]
    if fmt == "xlsx":
        content = _filtered_workbook(rows, hidden={4, 6})  # people 2 and 4
    elif fmt == "xls":
        content = xls_bytes(rows, hidden_rows={4, 6})
    else:
        content = ods_bytes(rows, hidden_rows={4, 6}, filtered=True)
    client.force_login(admin)
    upload(client, "personnel", f"filtered.{fmt}", content)
    batch = latest_batch()
    assert batch.status == BatchStatus.VALIDATED, batch.error_message
    assert batch.count_new == 5  # nothing dropped
    notes = [n for n in batch.preview_notes if "ซ่อน" in n["title"]]
    assert len(notes) == 1 and "2 แถว" in notes[0]["title"]
    assert notes[0]["items"] == ["แถวที่ 4, 6"]
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "ถูกซ่อนในไฟล์" in page and "แถวที่ 4, 6" in page
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert Person.objects.count() == 5


def test_a_file_without_hidden_rows_says_nothing_of_them(client, admin, school_a):
    content = _filtered_workbook([["ทะเบียน"], HEADER, person_row(1)], hidden=set())
    client.force_login(admin)
    upload(client, "personnel", "plain.xlsx", content)
    batch = latest_batch()
    assert batch.status == BatchStatus.VALIDATED
    assert not any("ซ่อน" in n["title"] for n in batch.preview_notes)


@FAST
@given(hidden=st.sets(st.integers(min_value=1, max_value=40), max_size=12))
def test_the_hidden_rows_read_are_exactly_the_hidden_ones(hidden):
    rows = [[f"แถว {i}", i] for i in range(1, 41)]
    content = _filtered_workbook(rows, hidden, filtered=False)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.xlsx"
        path.write_bytes(content)
        with readers.open_sheet(str(path), readers.XLSX) as sheet:
            assert sheet.hidden_rows() == sorted(hidden)
            assert len(list(sheet.rows())) == 40  # and still read, every one


# ---------------------------------------------------------------------------- a long CSV cell


def _csv(rows) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode("utf-8-sig")


def test_a_csv_cell_past_the_limit_is_refused_naming_row_and_column(client, admin, school_a):
    over = "ก" * (csv.field_size_limit() + 10)
    rows = [["ทะเบียนครู"], HEADER, person_row(1), person_row(2, **{"ชื่อ": over})]
    rows[3] = [rows[3][HEADER.index(h)] if h != "ชื่อ" else over for h in HEADER]
    client.force_login(admin)
    upload(client, "personnel", "broken.csv", _csv(rows))
    batch = latest_batch()
    assert batch.status == BatchStatus.FAILED, batch.status
    message = batch.error_message
    column = openpyxl.utils.get_column_letter(HEADER.index("ชื่อ") + 1)
    assert f"แถวที่ 4 คอลัมน์ {column} “ชื่อ”" in message, message
    assert "131,072" in message
    assert not Person.objects.exists()


CELL = st.text(alphabet=st.sampled_from('กขค ๑๒3,"\n\t'), max_size=8)


@FAST
@given(
    before=st.lists(CELL, max_size=4),
    after=st.lists(CELL, max_size=3),
    delimiter=st.sampled_from([",", "\t", ";"]),
)
def test_the_long_cell_is_found_however_the_others_are_quoted(before, after, delimiter):
    """Messy Thai cells with quotes, delimiters and line breaks around the long one: the
    scanner names the same column the csv module would put the long cell in."""
    long_cell = "ข" * 300
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerow([*before, long_cell, *after])
    assert readers._too_long_cell(text.getvalue(), delimiter) == len(before)


def test_onet_rows_a_filter_hid_are_imported_and_named_with_the_result(client, school_a):
    """The O-NET upload has no preview: the result says which hidden rows it took in."""
    from accounts.roles import Role
    from imports.models import FileImport, FileImportStatus
    from krupd.testing import make_user
    from reporting.models import OnetResult

    from .test_file_imports import ONET_URL, post

    code = school_a.obec_code
    rows = [["ผล O-NET"], ["รหัสสถานศึกษา", "วิชา", "ปีการศึกษา", "คะแนนเฉลี่ย"]]
    rows += [
        [code, subject, 2567, 40 + i]
        for i, subject in enumerate(["ภาษาไทย", "คณิตศาสตร์", "วิทยาศาสตร์"])
    ]
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.active.row_dimensions[4].hidden = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(make_user("onet-officer", Role.DEVELOPMENT_OFFICER, school_a.office))
    post(client, ONET_URL, buffer.getvalue())
    job = FileImport.objects.latest("pk")
    assert job.status == FileImportStatus.DONE, job.errors
    assert OnetResult.objects.count() == 3
    assert "ถูกซ่อนในไฟล์ 1 แถว" in job.summary and "แถวที่ 4" in job.summary
