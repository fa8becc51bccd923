"""Workbooks offices keep in older or other programs: Excel 97–2003 (.xls) and OpenDocument
(.ods, from LibreOffice, OpenOffice or WPS) import as an .xlsx does, row numbers and all;
password-protected and macro-carrying files are refused at upload with a Thai reason."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

import openpyxl
import pytest
import xlwt
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from imports import readers
from imports.models import BatchStatus, ImportBatch
from krupd import uploads
from registry.models import Person

from .conftest import national_id, upload_file
from .test_personnel import HEADER, errors_of, person_row
from .test_properties import FAST

TITLE = "บัญชีรายชื่อข้าราชการครูและบุคลากรทางการศึกษา สพป.เพชรบุรี เขต 1"
DATE_STYLE = "DD/MM/YYYY"


@dataclass(frozen=True)
class Percent:
    """A number in a cell formatted as a percentage: 0.455 shown as "45.5%"."""

    value: float
    format: str = "0.0%"


@dataclass(frozen=True)
class Failed:
    """A formula whose result is an error, as the sheet shows it ("#DIV/0!")."""

    text: str


# The codes an .xls stores a formula's error by (xlwt spells "#N/A" its own way).
XLS_ERROR_CODES = {
    "#NULL!": 0,
    "#DIV/0!": 7,
    "#VALUE!": 15,
    "#REF!": 23,
    "#NAME?": 29,
    "#NUM!": 36,
    "#N/A": 42,
}


def xls_bytes(
    rows, *, title_rows=(), sheet="บุคลากร", hidden_first=False, hidden_rows=(), merged=()
) -> bytes:
    """An .xls as Excel 97–2003 saves it: numbers as numbers, dates as dates, percentages
    as numbers in a percentage format; `hidden_rows` (numbers as Excel shows them) hidden,
    as Hide or a filter leaves them; `merged` as for `ods_bytes`."""
    workbook = xlwt.Workbook(encoding="utf-8")
    if hidden_first:
        workbook.add_sheet("ซ่อน").write(0, 0, "ไม่ใช่ข้อมูล")
        workbook.get_sheet(0).visibility = 1
    ws = workbook.add_sheet(sheet)
    date = xlwt.easyxf(num_format_str=DATE_STYLE)
    for r, row in enumerate([*title_rows, *rows]):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, Percent):
                ws.write(r, c, value.value, xlwt.easyxf(num_format_str=value.format))
            elif isinstance(value, Failed):
                ws.row(r).set_cell_error(c, XLS_ERROR_CODES[value.text])
            elif isinstance(value, dt.date):
                ws.write(r, c, value, date)
            else:
                ws.write(r, c, value)
    for number in hidden_rows:
        ws.row(number - 1).hidden = True
    for column, first, last in merged:
        ws.merge(first - 1, last - 1, column, column)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _ods_cell(value) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, Percent):  # as LibreOffice saves a cell in a percentage format
        return (
            f'<table:table-cell office:value-type="percentage" office:value="{value.value!r}" '
            f'calcext:value-type="percentage"><text:p>{value.value * 100:.1f}%</text:p>'
            "</table:table-cell>"
        )
    if isinstance(value, Failed):  # as LibreOffice saves a formula that failed
        return (
            '<table:table-cell table:formula="of:=1/0" office:value-type="string" '
            'office:string-value="" calcext:value-type="error">'
            f"<text:p>{escape(value.text)}</text:p></table:table-cell>"
        )
    if isinstance(value, dt.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value:%Y-%m-%d}">'
            f"<text:p>{value:%d/%m/%Y}</text:p></table:table-cell>"
        )
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value!r}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def _ods_runs(items: list[str], repeated: str) -> str:
    """Equal neighbours written once with a repeat count, as LibreOffice writes them
    (<table:table-row table:number-rows-repeated="3">): a reader must count them out."""
    out = []
    for item, run in itertools.groupby(items):
        count = len(list(run))
        if count > 1:
            item = re.sub(r"^<([\w:-]+)", rf'<\1 {repeated}="{count}"', item, count=1)
        out.append(item)
    return "".join(out)


def ods_bytes(
    rows,
    *,
    sheet="บุคลากร",
    extra_parts=(),
    hidden_rows=(),
    filtered=False,
    header_rows=0,
    merged=(),
) -> bytes:
    """A minimal OpenDocument spreadsheet, as LibreOffice Calc lays one out: equal cells and
    rows as repeat counts; `hidden_rows` (numbers as Calc shows them) hidden, or left out by
    a filter when `filtered`; the first `header_rows` rows set to repeat on every page;
    `merged`: (column index, first row, last row) merged down, the value in the first row
    and covered cells below it."""
    spans = {(first, column): last - first + 1 for column, first, last in merged}
    covered = {(r, c) for c, first, last in merged for r in range(first + 1, last + 1)}
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
    )
    hiding = ' table:visibility="filter"' if filtered else ' table:visibility="collapse"'

    def cell(number, column, value):
        if (number, column) in covered:
            return "<table:covered-table-cell/>"
        xml = _ods_cell(value)
        if (number, column) in spans:
            span = f'table:number-rows-spanned="{spans[number, column]}"'
            xml = re.sub(r"^<table:table-cell", f"<table:table-cell {span}", xml)
        return xml

    row_xml = [
        f"<table:table-row{hiding if number in hidden_rows else ''}>"
        + _ods_runs(
            [cell(number, c, v) for c, v in enumerate(row)], "table:number-columns-repeated"
        )
        + "</table:table-row>"
        for number, row in enumerate(rows, start=1)
    ]
    repeat = "table:number-rows-repeated"
    body = _ods_runs(row_xml[header_rows:], repeat)
    if header_rows:
        head = _ods_runs(row_xml[:header_rows], repeat)
        body = f"<table:table-header-rows>{head}</table:table-header-rows>{body}"
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", uploads.ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in extra_parts:
            archive.writestr(name, data)
    return buffer.getvalue()


def ole_bytes(*names: str, at: int = 3, size: int = 4096) -> bytes:
    """An OLE2 compound file whose directory (from sector `at`) names these streams."""
    data = bytearray(uploads.OLE_SIGNATURE + b"\0" * (size - len(uploads.OLE_SIGNATURE)))
    for index, name in enumerate(names):
        entry = 512 * (at + 1) + 128 * index
        encoded = name.encode("utf-16-le") + b"\0\0"
        data[entry : entry + len(encoded)] = encoded
        data[entry + 64 : entry + 66] = len(encoded).to_bytes(2, "little")
    return bytes(data)


def typed_row(serial, **over):
    """A person's row as an office's workbook types it: the ID and salary as numbers, the
    dates as date cells."""
    row = dict(zip(HEADER, person_row(serial), strict=True))
    row.update(
        {
            "เลขประจำตัวประชาชน": int(national_id(serial)),
            "เงินเดือน": 35220,
            "วันเดือนปีเกิด": dt.date(1987, 3, 15),
            "วันบรรจุ": dt.date(2012, 6, 1),
            "เลขที่ตำแหน่ง": 1000 + serial,
        }
    )
    row.update(over)
    return [row[h] for h in HEADER]


def upload(client, name, content, kind="personnel"):
    return client.post(
        reverse("imports:upload"), {"kind": kind, "file": upload_file(name, content)}
    )


# ------------------------------------------------------------------------- the whole flow


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_an_older_workbook_imports_as_an_xlsx_does(client, admin, school_a, fmt):
    rows = [HEADER] + [typed_row(i) for i in range(1, 6)]
    if fmt == "xls":
        content = xls_bytes(rows, title_rows=[[TITLE], []], hidden_first=True)
    else:
        content = ods_bytes([[TITLE], [], *rows])
    client.force_login(admin)
    response = upload(client, f"บุคลากร 2569.{fmt}", content)
    batch = ImportBatch.objects.latest("pk")
    assert response.status_code == 302
    assert batch.file_format == fmt and batch.file.name.endswith(f".{fmt}")
    assert batch.status == BatchStatus.VALIDATED, batch.error_message
    assert batch.header_row == 3  # under the title and a blank row, as the user sees it
    assert (batch.count_new, batch.count_error) == (5, 0)

    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED, batch.error_message
    person = Person.objects.get(national_id=national_id(3))
    assert person.birth_date == dt.date(1987, 3, 15)
    assert person.appointment_date == dt.date(2012, 6, 1)
    assert person.salary == Decimal("35220.00")
    assert person.position_number == "1003"
    assert person.school == school_a


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_formula_that_failed_is_refused_by_row_and_column_in_every_format(
    client, admin, school_a, fmt
):
    """A salary of #DIV/0! in an .xls or .ods was read as an empty cell: the person was
    imported without a salary, where the .xlsx was refused."""
    rows = [
        HEADER,
        typed_row(1),
        typed_row(2, **{"เงินเดือน": Failed("#DIV/0!")}),
        typed_row(3, **{"วันบรรจุ": Failed("#N/A")}),
    ]
    build = {"xlsx": xlsx_bytes, "xls": xls_bytes, "ods": ods_bytes}[fmt]
    client.force_login(admin)
    upload(client, f"บุคลากร.{fmt}", build(rows))
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == BatchStatus.VALIDATED, batch.error_message
    assert errors_of(batch) == {
        (3, "เงินเดือน"): "ช่องนี้มีค่าผิดพลาดจากสูตร (#DIV/0!)",
        (4, "วันบรรจุ"): "ช่องนี้มีค่าผิดพลาดจากสูตร (#N/A)",
    }
    assert batch.count_new == 1


def test_a_calc_error_code_is_refused_as_a_formula_error(client, admin, school_a):
    rows = [HEADER, typed_row(1, **{"เงินเดือน": Failed("Err:502")})]
    client.force_login(admin)
    upload(client, "บุคลากร.ods", ods_bytes(rows))
    batch = ImportBatch.objects.latest("pk")
    assert errors_of(batch) == {(2, "เงินเดือน"): "ช่องนี้มีค่าผิดพลาดจากสูตร (Err:502)"}


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_school_merged_down_its_teachers_rows_belongs_to_each_of_them(
    client, admin, school_a, fmt
):
    """A school's code and name written once and merged down the rows of its teachers, as
    offices lay out a list by school: from an .ods only the first teacher had the school,
    the others were read as the office's own staff."""
    code, name = HEADER.index("รหัสสถานศึกษา"), HEADER.index("ชื่อสถานศึกษา")
    rows = [HEADER] + [typed_row(i) for i in range(1, 5)]
    for row in rows[2:]:
        row[code] = row[name] = None
    merged = [(code, 2, 5), (name, 2, 5)]
    build = {"xlsx": xlsx_bytes, "xls": xls_bytes, "ods": ods_bytes}[fmt]
    client.force_login(admin)
    upload(client, f"บุคลากร.{fmt}", build(rows, merged=merged))
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == BatchStatus.VALIDATED, batch.error_message
    assert (batch.count_new, batch.count_error) == (4, 0)
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert {p.school for p in Person.objects.all()} == {school_a}


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_errors_name_the_row_the_user_sees_and_the_error_file_downloads(
    client, admin, school_a, fmt
):
    rows = [HEADER, typed_row(1), typed_row(2, **{"เลขประจำตัวประชาชน": "1234567890123"})]
    content = xls_bytes(rows, title_rows=[[TITLE]]) if fmt == "xls" else ods_bytes([[TITLE], *rows])
    client.force_login(admin)
    upload(client, f"a.{fmt}", content)
    batch = ImportBatch.objects.latest("pk")
    assert batch.count_error == 1
    assert [row for row, _column in errors_of(batch)] == [4]  # title 1, header 2, rows 3–4
    response = client.get(reverse("imports:error_file", args=[batch.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any("1234567890123" in text for text in texts)


# ------------------------------------------------------------------------ refused at upload

REFUSED = {
    "password-protected workbook": (ole_bytes("EncryptedInfo", "EncryptedPackage"), "รหัสผ่าน"),
    "workbook with macros": (ole_bytes("Workbook", "_VBA_PROJECT_CUR", "VBA"), "แมโคร"),
    "Word 97–2003 document": (ole_bytes("WordDocument", "1Table"), ".xls"),
    "ods with macros": (
        ods_bytes([["ก", "ข"]], extra_parts=[("Basic/Standard/Module1.xml", "x")]),
        "แมโคร",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_it_refuses_what_it_cannot_read_at_upload_in_thai(client, admin, case):
    content, words = REFUSED[case]
    client.force_login(admin)
    response = upload(client, "ข้อมูล.xls", content)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_broken_xls_is_reported_by_the_validation_not_lost(admin, school_a):
    from imports import actions

    content = ole_bytes("Workbook")  # the directory says workbook; there is no sheet in it
    batch = actions.start_import(
        acting_user=admin, kind="personnel", uploaded_file=upload_file("a.xls", content)
    )
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert batch.error_message == readers.UNREADABLE_MESSAGES["xls"]


def test_an_ods_too_large_to_read_whole_is_refused(client, admin, monkeypatch):
    monkeypatch.setattr(readers, "MAX_ODS_CONTENT_BYTES", 1000)
    rows = [["ชื่อ", "นามสกุล"]] + [[f"สมชาย{i}", "ใจดี"] for i in range(100)]
    client.force_login(admin)
    response = upload(client, "a.ods", ods_bytes(rows))
    assert ".xlsx" in response.content.decode() and "ใหญ่เกิน" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_upload_field_offers_the_older_formats():
    assert {".xls", ".ods"} <= set(uploads.SPREADSHEET.accept.split(","))
    assert uploads.sniff_bytes(xls_bytes([["ก"]])) == uploads.XLS
    assert uploads.sniff_bytes(ods_bytes([["ก"]])) == uploads.ODS
    assert uploads.sniff_bytes(ole_bytes("WordDocument")) is None
    assert uploads.sniff_bytes(ole_bytes("Workbook", "_VBA_PROJECT_CUR")) is None


# ------------------------------------------------------------------------------ properties

cell_text = st.one_of(
    st.sampled_from(["", " ", "  สมชาย  ", "ครู ชำนาญการ", "0812345678", "๑๒๓", "1/3/2530"]),
    # Percentages typed as text, which every format keeps as typed.
    st.sampled_from(["๔๕.๕%", " 45.5 % ", "ร้อยละ ๘๐", "100%", "๐%", "%"]),
    st.text(st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B), max_size=12),
)
cell = st.one_of(
    cell_text,
    st.integers(min_value=-(10**12), max_value=10**13),
    # Amounts and scores as offices type them (two decimals); the .xlsx writer of this test
    # rounds a float's last digit, the readers do not.
    st.integers(min_value=-(10**9), max_value=10**9)
    .map(lambda n: n / 100)
    .filter(lambda f: not f.is_integer()),
    st.none(),
    # Scores, means and shares in a percentage format (0.455 shown as "45.5%"), as offices
    # format a column of them.
    st.builds(
        Percent,
        st.integers(min_value=0, max_value=150_000).map(lambda n: n / 1000),
        st.sampled_from(["0%", "0.0%", "0.00%", "#,##0.0%"]),
    ),
)
sheet_rows = st.lists(st.lists(cell, min_size=1, max_size=6), min_size=1, max_size=8)


def xlsx_bytes(rows, *, hidden_rows=(), merged=()) -> bytes:
    """The same sheet as Excel saves it (.xlsx), percentages, hidden rows and merged ranges
    as above."""
    workbook = openpyxl.Workbook()
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, Percent):
                workbook.active.cell(r, c, value.value).number_format = value.format
            elif isinstance(value, Failed):
                workbook.active.cell(r, c, value.text)  # openpyxl keeps "#…!" as an error
            elif value not in (None, ""):
                workbook.active.cell(r, c, value)
    for number in hidden_rows:
        workbook.active.row_dimensions[number].hidden = True
    for column, first, last in merged:
        workbook.active.merge_cells(
            start_row=first, start_column=column + 1, end_row=last, end_column=column + 1
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _read(tmp_path, name, content, fmt):
    """The rows with a value, and the hidden rows among the sheet's rows up to the last of
    them (below it a sheet's formatting may go on, which no importer reads)."""
    path = tmp_path / name
    path.write_bytes(content)
    with readers.open_sheet(str(path), fmt) as sheet:
        rows = [(n, cells) for n, cells in sheet.rows() if any(v is not None for v in cells)]
        last = rows[-1][0] if rows else 0
        return rows, [n for n in sheet.hidden_rows() if n <= last]


def _merged_down(rows, start: tuple[int, int, int]) -> list[tuple[int, int, int]]:
    """One range merged down from a drawn start (column, first row, rows more), where the
    sheet has such cells: the cells below its first are emptied, as merging leaves them."""
    column, first, more = start
    if first > len(rows) or column >= len(rows[first - 1]):
        return []
    last = min(first + more, len(rows))
    for number in range(first + 1, last + 1):
        row = rows[number - 1]
        if column < len(row):
            row[column] = None
    return [(column, first, last)] if last > first else []


@given(
    rows=sheet_rows,
    hidden=st.sets(st.integers(min_value=1, max_value=8), max_size=4),
    merge=st.tuples(st.integers(0, 5), st.integers(1, 8), st.integers(1, 4)),
)
@FAST
def test_an_xls_and_an_ods_read_as_the_same_sheet_saved_as_xlsx(
    tmp_path_factory, rows, hidden, merge
):
    """Values (a percentage as the text it shows), row numbers, hidden rows and a value
    merged down the rows below it alike, whether Calc left a row out by Hide or by a filter
    and however it packs equal rows."""
    tmp_path = tmp_path_factory.mktemp("sheets")
    rows = [[None if v == "" else v for v in row] for row in rows]
    merged = _merged_down(rows, merge)
    expected = _read(
        tmp_path, "a.xlsx", xlsx_bytes(rows, hidden_rows=hidden, merged=merged), readers.XLSX
    )
    content = xls_bytes(rows, hidden_rows=hidden, merged=merged)
    assert _read(tmp_path, "a.xls", content, readers.XLS) == expected
    for filtered, header_rows in ((False, 0), (True, 2)):
        content = ods_bytes(
            rows, hidden_rows=hidden, filtered=filtered, header_rows=header_rows, merged=merged
        )
        assert _read(tmp_path, "a.ods", content, readers.ODS) == expected


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_percentage_cell_reads_as_the_percentage_it_shows(tmp_path, fmt):
    """0.455 formatted as a percentage is "45.5%" on screen, and so to every importer,
    every decimal kept (the format may show fewer); a number beside it stays a number."""
    rows = [["คะแนน", "ร้อยละ"], [45.5, Percent(0.455, "0%")], [1, Percent(1.0)], [0, Percent(0)]]
    build = {"xlsx": xlsx_bytes, "xls": xls_bytes, "ods": ods_bytes}[fmt]
    read, hidden = _read(tmp_path, f"a.{fmt}", build(rows, hidden_rows={3}), fmt)
    assert read == [
        (1, ("คะแนน", "ร้อยละ")),
        (2, (45.5, "45.5%")),
        (3, (1, "100%")),
        (4, (0, "0%")),
    ]
    assert hidden == [3]


@given(
    names=st.lists(
        st.sampled_from(["Workbook", "Book", "WordDocument", "SummaryInformation"]),
        min_size=1,
        max_size=4,
    ),
    at=st.integers(min_value=1, max_value=40),
    scan=st.sampled_from([512, 640, 1000, 4096]),
    noise=st.binary(max_size=300),
)
@FAST
def test_the_workbook_stream_is_found_wherever_the_directory_lies(names, at, scan, noise):
    content = ole_bytes(*names, at=at, size=512 * (at + 3)) + noise
    original = uploads._OLE_SCAN_BYTES
    uploads._OLE_SCAN_BYTES = scan  # pieces smaller than the file: entries across their ends
    try:
        found = uploads.ole_content(io.BytesIO(content))
    finally:
        uploads._OLE_SCAN_BYTES = original
    expected = uploads.OLE_WORKBOOK if {"Workbook", "Book"} & set(names) else uploads.OLE_OTHER
    assert found == expected
    # Text that merely mentions the name, off an entry's start, is not a directory entry.
    mention = (
        uploads.OLE_SIGNATURE + b"\0" * 504 + b"xx" + "Workbook".encode("utf-16-le") + b"\0" * 400
    )
    assert uploads.ole_content(io.BytesIO(mention)) == uploads.OLE_OTHER


@pytest.mark.parametrize("page", ["upload", "session_upload"])
def test_the_file_picker_offers_every_format_the_upload_takes(client, admin, page, school_a):
    from training.models import Course, Session

    client.force_login(admin)
    if page == "upload":
        url = reverse("imports:upload")
    else:
        course = Course.objects.create(office=admin.office, title="ก", mode="onsite", hours=6,
                                       fiscal_year=2569)  # fmt: skip
        session = Session.objects.create(course=course, name="รุ่น 1", start_date=dt.date(2026, 6, 1),
                                         end_date=dt.date(2026, 6, 1), capacity=30)  # fmt: skip
        url = reverse("imports:session_upload", args=[session.pk])
    page_html = client.get(url).content.decode()
    assert f'accept="{uploads.SPREADSHEET.accept}"' in page_html
    assert ".xls," in uploads.SPREADSHEET.accept and ".ods" in uploads.SPREADSHEET.accept


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_the_format_the_upload_form_found_is_not_looked_for_again(
    admin, school_a, fmt, monkeypatch
):
    """The form has read the file to know its format (an .xls by scanning its whole
    directory); starting the import takes that answer instead of reading the file again."""
    from imports import actions

    content = (
        xls_bytes([HEADER, typed_row(1)]) if fmt == "xls" else ods_bytes([HEADER, typed_row(1)])
    )

    def sniffed_again(*args, **kwargs):
        raise AssertionError("the file was sniffed again")

    monkeypatch.setattr(readers, "sniff", sniffed_again)
    batch = actions.start_import(
        acting_user=admin, kind="personnel", uploaded_file=upload_file(f"a.{fmt}", content),
        file_format=fmt,
    )  # fmt: skip
    batch.refresh_from_db()
    assert batch.file_format == fmt and batch.status == BatchStatus.VALIDATED, batch.error_message
