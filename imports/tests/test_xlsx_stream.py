"""The streaming XLSX reader returns what openpyxl's data-only reader returns, cell for cell."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports import readers
from imports.importers import FORMULA
from imports.xlsx_stream import XlsxStream, percent_text

thai_text = st.text(
    alphabet=st.sampled_from(
        list("กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอฮะาิีึืุูเแโใไ่้๊๋็์ำ๐๑๒๓๔๕๖๗๘๙ 0123456789/-._abcXYZ")
    ),
    max_size=30,
)
cell_value = st.one_of(
    st.none(),
    thai_text,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2500, 12, 31)),
)
sheet_rows = st.lists(st.lists(cell_value, max_size=8), min_size=1, max_size=12)


def _openpyxl_rows(content: bytes) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # read every row, not only those the <dimension> names
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _stream_rows(content: bytes) -> list[tuple]:
    stream = XlsxStream(io.BytesIO(content))
    try:
        return [cells for _number, cells in stream.rows(stream.sheets[0]["part"])]
    finally:
        stream.close()


def _trimmed(row: tuple) -> tuple:
    values = list(row)
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


def _saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=sheet_rows, write_only=st.booleans())
def test_it_reads_every_cell_as_openpyxl_does(rows, write_only):
    workbook = openpyxl.Workbook(write_only=write_only)
    sheet = workbook.create_sheet("ข้อมูล") if write_only else workbook.active
    for row in rows:
        sheet.append(row)
    content = _saved(workbook)

    expected = [_trimmed(r) for r in _openpyxl_rows(content)]
    got = [_trimmed(r) for r in _stream_rows(content)]
    while expected and not expected[-1]:
        expected.pop()
    while got and not got[-1]:
        got.pop()
    assert got == expected


def test_rows_the_file_leaves_out_come_back_empty_so_numbers_match_excel():
    workbook = openpyxl.Workbook()
    workbook.active["B2"] = "สอง"
    workbook.active["A5"] = 5
    numbered = list(_numbered(_saved(workbook)))
    assert numbered == [(1, ()), (2, (None, "สอง")), (3, ()), (4, ()), (5, (5,))]


def _numbered(content: bytes):
    stream = XlsxStream(io.BytesIO(content))
    try:
        yield from stream.rows(stream.sheets[0]["part"])
    finally:
        stream.close()


def _with_sheet_xml(sheet_data: str) -> bytes:
    """A minimal workbook whose one sheet holds `sheet_data` (raw <row> XML)."""
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "x"
    source = zipfile.ZipFile(io.BytesIO(_saved(workbook)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index("<sheetData")
                end = text.index("</sheetData>") + len("</sheetData>")
                data = (text[:start] + f"<sheetData>{sheet_data}</sheetData>" + text[end:]).encode()
            target.writestr(info, data)
    return out.getvalue()


def test_formula_results_are_read_and_uncomputed_formulas_are_marked():
    content = _with_sheet_xml(
        '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c>'
        '<c r="B1" t="str"><f>"ก"&amp;"ข"</f><v>กข</v></c>'
        '<c r="C1"><f>SUM(A1:A9)</f></c>'
        '<c r="D1" t="e"><v>#N/A</v></c>'
        '<c r="E1" t="b"><v>1</v></c>'
        '<c r="F1" t="inlineStr"><is><r><t>ครู</t></r><r><t>ดี</t></r></is></c></row>'
    )
    stream = XlsxStream(io.BytesIO(content))
    (number, cells), *_ = stream.rows(stream.sheets[0]["part"], uncomputed=FORMULA)
    stream.close()
    assert number == 1
    assert cells == (2, "กข", FORMULA, "#N/A", True, "ครูดี")


def test_a_sheet_of_uncomputed_formulas_is_refused_with_a_thai_message(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_UNCOMPUTED_FORMULAS", 3)
    rows = "".join(f'<row r="{n}"><c r="A{n}"><f>A{n + 1}</f></c></row>' for n in range(1, 10))
    path = tmp_path / "formulas.xlsx"
    path.write_bytes(_with_sheet_xml(rows))
    with readers.open_sheet(str(path), readers.XLSX) as sheet:
        with pytest.raises(readers.ImportFileError, match="สูตรที่ยังไม่ได้คำนวณ"):
            list(sheet.rows())


def test_entities_are_not_expanded():
    content = _with_sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&amp;lt;</t></is></c></row>'
    )
    assert _stream_rows(content) == [("&lt;",)]


def test_the_row_estimate_comes_from_the_dimension_or_the_first_rows():
    workbook = openpyxl.Workbook()
    for n in range(1, 501):
        workbook.active.append([n, f"ครู {n}"])
    stream = XlsxStream(io.BytesIO(_saved(workbook)))
    assert stream.row_estimate(stream.sheets[0]["part"]) == 500
    stream.close()

    write_only = openpyxl.Workbook(write_only=True)
    sheet = write_only.create_sheet("ข้อมูล")
    for n in range(1, 20_001):
        sheet.append([n, f"ครู {n}", "รายละเอียด" * 3])
    stream = XlsxStream(io.BytesIO(_saved(write_only)))
    estimate = stream.row_estimate(stream.sheets[0]["part"])
    stream.close()
    assert 15_000 <= estimate <= 25_000


_percent_numbers = st.one_of(
    st.integers(min_value=-5, max_value=5),
    st.decimals(min_value=-10, max_value=10, places=6).map(float),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(_percent_numbers, min_size=1, max_size=6),
    number_format=st.sampled_from(["0%", "0.00%", "#,##0.0%", "[Blue]0%", "0.0%;[Red]-0.0%"]),
)
def test_a_number_in_a_percentage_format_is_read_as_the_percentage_it_shows(values, number_format):
    """Every reader of the sheet (the streaming one, and the native one it falls back from)
    gives "85%" for 0.85 shown as a percentage: the number itself read 100 % as 1. A number
    in any other format, text and a quoted or escaped % sign stay as they were."""
    import tempfile
    from pathlib import Path

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["plain", "percent", "quoted", "escaped", "text"])
    for n, value in enumerate(values, start=2):
        sheet.append([value, value, value, value, "85%"])
        sheet.cell(row=n, column=2).number_format = number_format
        sheet.cell(row=n, column=3).number_format = '0.0"%"'
        sheet.cell(row=n, column=4).number_format = "0\\%"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "percent.xlsx"
        workbook.save(path)
        _check_percent_rows(path)


def _check_percent_rows(path) -> None:
    from decimal import Decimal

    expected_plain = [_trimmed(r)[0] for r in _openpyxl_rows(path.read_bytes())[1:]]

    for rows in (
        _stream_rows(path.read_bytes())[1:],
        [cells for _n, cells in readers.open_sheet(str(path), "xlsx").all_rows(start=2)],
    ):
        assert [row[0] for row in rows] == expected_plain
        assert [row[2] for row in rows] == [row[3] for row in rows] == expected_plain
        assert all(row[4] == "85%" for row in rows)
        # The number as the file stores it: openpyxl writes "%.16g", which may hold fewer or
        # more digits than Python's repr (524288.3237234619 for repr's 524288.323723462).
        for stored, row in zip(expected_plain, rows, strict=True):
            shown = row[1]
            assert isinstance(shown, str) and shown.endswith("%")
            written = Decimal(f"{stored:.16g}")
            assert Decimal(shown[:-1]) == (written * 100).quantize(Decimal("1e-10"))


@pytest.mark.parametrize(
    "stored, shown",
    [("0", "0%"), ("-0", "0%"), ("0.0", "0%"), ("0E-12", "0%"), ("0.85", "85%"), ("1", "100%"),
     ("0.855", "85.5%"), ("1.5", "150%"), ("-0.25", "-25%")],
)  # fmt: skip
def test_a_percentage_is_written_as_a_sheet_shows_it(stored, shown):
    """0 % read as "0.000000%" (the int 0 formatted as a float): a preview and an error
    message showed it so."""
    assert percent_text(stored) == shown
