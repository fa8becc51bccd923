"""The list exporter's XLSX writer: what goes in comes back out, in every reader we use."""

import io
import zipfile
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from imports.xlsx_stream import XlsxStream
from krupd.lib import xlsx_writer

THAI = st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B)
ANY_TEXT = st.text(
    alphabet=st.one_of(THAI, st.characters(codec="utf-8"), st.sampled_from("=+-@&<>'\"\t\r\n ")),
    max_size=40,
)
VALUES = st.one_of(
    st.none(),
    ANY_TEXT,
    st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1),
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    st.booleans(),
)


def written(headers, rows, **options) -> bytes:
    out = io.BytesIO()
    xlsx_writer.write_table(out, title="บุคลากร", headers=headers, rows=rows, **options)
    return out.getvalue()


def expected(value):
    """What a reader gives back: text without the characters XML cannot carry, and numbers
    as numbers (a whole Decimal as an int)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = xlsx_writer._NOT_XML.sub("", value)[: xlsx_writer.MAX_CELL_TEXT]
        return text or None
    if isinstance(value, Decimal):
        return int(value) if value == int(value) else float(value)
    return value


def read_openpyxl(content: bytes):
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.lists(VALUES, min_size=4, max_size=4), max_size=8))
def test_every_value_reads_back_as_written(rows):
    headers = ["ชื่อ", "เลขประจำตัวประชาชน", "หมายเหตุ", "เงินเดือน"]
    content = written(headers, rows, text_columns={1})
    got = read_openpyxl(content)
    assert got[0] == headers
    for row, back in zip(rows, got[1:], strict=True):
        assert [expected(v) if expected(v) != "" else None for v in row] == [
            v if v != "" else None for v in back
        ]


def test_formula_like_text_stays_text_and_rows_keep_their_full_width():
    content = written(["ก", "ข", "ค"], [["=1+1", None, None], ["@SUM(A1)", "", 5]])
    assert read_openpyxl(content) == [["ก", "ข", "ค"], ["=1+1", None, None], ["@SUM(A1)", None, 5]]
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b'<dimension ref="A1:C3"/>' in sheet


def test_the_import_reader_reads_it_without_shared_strings():
    content = written(["ชื่อ", "จำนวน"], [["สมศรี & ลูก <๒>", 12], ["ครู\tผู้ช่วย", Decimal("1.50")]])
    book = XlsxStream(io.BytesIO(content))
    try:
        assert book.sheets[0]["name"] == "บุคลากร"
        rows = [values for _, values in book.rows(book.sheets[0]["part"])]
    finally:
        book.close()
    assert rows[1][:2] == ("สมศรี & ลูก <๒>", 12)
    assert rows[2][:2] == ("ครู\tผู้ช่วย", 1.5)


def test_the_header_is_styled_frozen_and_columns_sized():
    content = written(["ก", "ข"], [["1", "2"]], widths=[30, None], text_columns={0})
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    assert sheet.title == "บุคลากร" and sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb == "FFDCE6F1"
    assert sheet.column_dimensions["A"].width == 30
    assert sheet["A2"].number_format == "@" and sheet["B2"].number_format == "General"


def test_progress_is_reported_per_thousand_rows_and_at_the_end():
    seen = []
    count = xlsx_writer.write_table(
        io.BytesIO(),
        title="x",
        headers=["a"],
        rows=([i] for i in range(2500)),
        progress=seen.append,
    )
    assert count == 2500 and seen == [1000, 2000, 2500]


def test_a_sheet_title_excel_refuses_is_made_acceptable():
    assert xlsx_writer.sheet_title("ครู/บุคลากร [2569]: ทั้งหมด?") == "ครู บุคลากร  2569   ทั้งหมด"[:31]
    assert xlsx_writer.sheet_title("") == "Sheet1"
