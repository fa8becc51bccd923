"""Blank rows as offices' sheets hold them: between the rows of data, and below the last one,
down to the last row the sheet's formatting reaches (Excel's 1,048,576th, often). The readers
give a blank row only when a row with a value follows it, so nothing walks a million empty
rows; every row read keeps the number the sheet shows."""

import csv
import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.styles import Font

from imports import readers

from .test_older_formats import ods_bytes, xls_bytes
from .test_properties import FAST
from .test_xlsx_stream import _with_sheet_xml

EXCEL_LAST_ROW = 1_048_576

# Thai as offices type it: letters, vowels, tone marks, Thai and Arabic digits, spaces.
thai_text = st.text(
    alphabet=st.sampled_from(list("กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอฮะาิีึืุูเแโใไ่้๊๋็์ำ๐๑๒๓๔๕๖๗๘๙ 0123456789/-.")),
    min_size=1,
    max_size=20,
).filter(str.strip)
cell = st.one_of(st.none(), thai_text, st.integers(-(10**9), 10**9), st.just(""))
data_row = st.lists(cell, min_size=1, max_size=6).filter(lambda r: not _blank(r))


def _blank(cells) -> bool:
    return all(v is None or v == "" for v in cells)


# How a blank row is in the file: left out, empty cells that are only formatted, or "" cells.
BLANK_KINDS = ("missing", "formatted", "empty text")


@st.composite
def sheets(draw, fmt):
    """(rows as typed, None for a blank row; how each blank row is written; the last row the
    formatting reaches, 0 for none): runs of blank rows between and after rows of data."""
    rows: list = []
    for _ in range(draw(st.integers(1, 6))):
        rows += [None] * draw(st.integers(0, 4))
        rows += draw(st.lists(data_row, min_size=1, max_size=3))
    rows += [None] * draw(st.integers(0, 6))
    kinds = [draw(st.sampled_from(BLANK_KINDS)) for _ in rows]
    last = 0
    if fmt == readers.XLSX and draw(st.booleans()):
        last = draw(st.integers(len(rows) + 1, len(rows) + 3000))
    return rows, kinds, last


def _write(fmt: str, rows: list, kinds: list, last: int) -> bytes:
    if fmt == readers.XLSX:
        workbook = openpyxl.Workbook()
        ws = workbook.active
        for number, (row, kind) in enumerate(zip(rows, kinds, strict=True), start=1):
            if row is None and kind == "formatted":
                ws.cell(row=number, column=2).font = Font(bold=True)
            elif row is None and kind == "empty text":
                ws.cell(row=number, column=1).value = ""
            for column, value in enumerate(row or (), start=1):
                if value is not None:
                    ws.cell(row=number, column=column).value = value
        if last:
            ws.cell(row=last, column=1).font = Font(bold=True)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    if fmt == readers.CSV:
        text = io.StringIO()
        writer = csv.writer(text)
        for row, kind in zip(rows, kinds, strict=True):
            if row is None:
                writer.writerow([] if kind == "missing" else ["", "", ""])
            else:
                writer.writerow(["" if v is None else v for v in row])
        return text.getvalue().encode("utf-8-sig")
    typed = [[None, None] if row is None else row for row in rows]
    if fmt == readers.XLS:
        return xls_bytes(typed)
    return ods_bytes(typed)


def _typed(rows: list, fmt: str) -> list[tuple[int, tuple]]:
    """The rows with a value, numbered as the sheet shows them, as a reader gives them (a
    CSV's cells are text)."""
    return [
        (number, _cells([str(v) if fmt == readers.CSV and v is not None else v for v in row]))
        for number, row in enumerate(rows, start=1)
        if row is not None
    ]


def _cells(row) -> tuple:
    """Cells compared as every reader gives them: empty text as empty, none at the end."""
    values = [None if v is None or v == "" else v for v in row]
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


def _naive(fmt: str, content: bytes) -> list[tuple[int, tuple]]:
    """Every row of the file, blank or not, read by openpyxl or the csv module alone."""
    if fmt == readers.XLSX:
        workbook = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
        ws = workbook.active
        rows = ws.iter_rows(min_row=1, max_row=ws.max_row, values_only=True)
        return [(number, tuple(row)) for number, row in enumerate(rows, start=1)]
    text = content.decode("utf-8-sig")
    return [(number, tuple(row)) for number, row in enumerate(csv.reader(io.StringIO(text)), 1)]


@FAST
@given(data=st.data(), fmt=st.sampled_from([readers.XLSX, readers.CSV, readers.XLS, readers.ODS]))
def test_rows_read_are_the_rows_with_a_value_numbered_as_the_sheet_shows_them(
    tmp_path_factory, data, fmt
):
    rows, kinds, last = data.draw(sheets(fmt))
    path = tmp_path_factory.mktemp("blank") / f"sheet{readers.SUFFIXES[fmt]}"
    path.write_bytes(_write(fmt, rows, kinds, last))
    expected = _typed(rows, fmt)
    with readers.open_sheet(str(path), fmt) as sheet:
        for read in (list(sheet.rows()), list(sheet.all_rows())):
            with_value = [(n, _cells(c)) for n, c in read if not _blank(c)]
            assert with_value == expected
            # The blank rows between are given, numbered: the last row read has a value.
            assert [n for n, _c in read] == list(range(1, expected[-1][0] + 1))
        header = sheet.head(5)
        assert [n for n, _c in header] == list(range(1, min(5, len(header)) + 1))
    if fmt in (readers.XLSX, readers.CSV):
        naive = _naive(fmt, path.read_bytes())
        assert [(n, _cells(c)) for n, c in naive if not _blank(c)] == expected


def test_a_sheet_formatted_down_to_excels_last_row_reads_its_rows_and_no_more(tmp_path):
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(["เลขประจำตัวประชาชน", "ชื่อ"])
    ws.append(["1101700000011", "สมชาย"])
    ws.cell(row=5, column=1).font = Font(bold=True)  # formatted, empty, between
    ws.append(["1101700000029", "สมหญิง"])
    for number in range(7, 40):
        ws.cell(row=number, column=2).font = Font(bold=True)
    ws.cell(row=EXCEL_LAST_ROW, column=1).font = Font(bold=True)
    path = tmp_path / "formatted.xlsx"
    workbook.save(path)
    with readers.open_sheet(str(path), readers.XLSX) as sheet:
        assert list(sheet.rows()) == [
            (1, ("เลขประจำตัวประชาชน", "ชื่อ")),
            (2, ("1101700000011", "สมชาย")),
            (3, ()),
            (4, ()),
            (5, (None,)),
            (6, ("1101700000029", "สมหญิง")),
        ]
        assert list(sheet.all_rows(start=3)) == list(sheet.rows())[2:]
        assert len(sheet.head()) == readers.HEADER_SCAN_ROWS  # the first rows, blank or not


def test_a_csv_saved_from_such_a_sheet_reads_its_rows_and_no_more(tmp_path):
    path = tmp_path / "formatted.csv"
    lines = ["เลขประจำตัวประชาชน,ชื่อ", "1101700000011,สมชาย", ",", "", "'=1+1,ก"]
    path.write_text("\r\n".join(lines + [","] * 50_000) + "\r\n", encoding="utf-8-sig")
    with readers.open_sheet(str(path), readers.CSV) as sheet:
        assert list(sheet.rows(start=2)) == [
            (2, ("1101700000011", "สมชาย")),
            (3, ("", "")),
            (4, ()),
            (5, ("=1+1", "ก")),  # the guard our exports write, taken off as before
        ]


def test_a_range_merged_down_over_the_last_rows_still_fills_them(tmp_path):
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(["โรงเรียน", "ชื่อ"])
    ws.append(["บ้านหนองบัว", "สมชาย"])
    ws.merge_cells("A2:A4")
    ws.cell(row=EXCEL_LAST_ROW, column=1).font = Font(bold=True)
    path = tmp_path / "merged.xlsx"
    workbook.save(path)
    with readers.open_sheet(str(path), readers.XLSX) as sheet:
        rows = [(n, c[:1]) for n, c in sheet.rows()]
    assert rows == [
        (1, ("โรงเรียน",)),
        (2, ("บ้านหนองบัว",)),
        (3, ("บ้านหนองบัว",)),
        (4, ("บ้านหนองบัว",)),
    ]


@pytest.mark.parametrize("blank", ["", '<row r="3"/><row r="4"><c r="B4" s="0"/></row>'])
def test_a_file_broken_below_blank_rows_names_the_row_it_broke_at(tmp_path, blank):
    """The blank rows held back are given before the error: the message names the row where
    the file broke, as it did when every blank row was given at once."""
    path = tmp_path / "broken.xlsx"
    path.write_bytes(
        _with_sheet_xml(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>ชื่อ</t></is></c></row>'
            + blank
            + '<row r="7"><c r="A7" t="s"><v>99</v></c></row>'  # no such shared string
        )
    )
    with readers.open_sheet(str(path), readers.XLSX) as sheet:
        with pytest.raises(readers.ImportFileError, match="ตั้งแต่แถวที่ 7 "):
            list(sheet.rows())
