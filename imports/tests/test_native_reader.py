"""The validation's native (python-calamine) reading of a sheet gives what the streaming reader
gives, row for row and value for value (empty cells at a row's end aside), or is not used."""

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports import readers, xlsx_native
from imports.exporters import write_xlsx

messy_thai = st.lists(
    st.sampled_from(
        list("กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอฮะาิีึืุูเแโใไ่้๊๋็์ำ๐๑๒๓๔๕๖๗๘๙")
        + list(" \t\n\r\u00a0\u200b0123456789/-._,'#xX_abcAF&<>\"")
        + ["_x000D_", "_x005F_", "x005F_", "รวม", "หมายเหตุ", "#N/A", "  "]
    ),
    max_size=25,
).map("".join)
cell_value = st.one_of(
    st.none(),
    messy_thai,
    messy_thai,
    st.integers(min_value=-(10**17), max_value=10**17),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**9),
    st.booleans(),
    st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2500, 12, 31)),
)
sheet_rows = st.lists(st.lists(cell_value, max_size=7), min_size=1, max_size=10)


def _trimmed(row: tuple) -> tuple:
    values = list(row)
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


def _rows(read) -> list[tuple[int, tuple]]:
    """Rows with their empty cells at the end left out, and empty rows at the sheet's end."""
    rows = [(n, _trimmed(c)) for n, c in read]
    while rows and not rows[-1][1]:
        rows.pop()
    return rows


def _both(path: str, start: int = 1) -> tuple[list, list, str]:
    with readers.open_sheet(path, readers.XLSX) as sheet:
        return _rows(sheet.rows(start)), _rows(sheet.all_rows(start)), sheet.native_obstacle()


def _write_openpyxl(path, rows, *, row_offset=0, column_offset=0) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "บุคลากร"
    for r, row in enumerate(rows, start=1 + row_offset):
        for c, value in enumerate(row, start=1 + column_offset):
            if value is not None:
                cell = sheet.cell(row=r, column=c)
                cell.value = value
    workbook.save(path)


def _write_ours(path, rows) -> None:
    width = max((len(r) for r in rows), default=0)
    tmp = write_xlsx([f"ช่อง {i}" for i in range(width)], rows, title="บุคลากร")
    with open(path, "wb") as out:
        tmp.seek(0)
        out.write(tmp.read())


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=sheet_rows,
    row_offset=st.integers(0, 3),
    column_offset=st.integers(0, 3),
    start=st.integers(1, 4),
)
def test_native_rows_equal_the_streaming_readers_for_openpyxl_files(
    tmp_path, rows, row_offset, column_offset, start
):
    path = str(tmp_path / "sheet.xlsx")
    _write_openpyxl(path, rows, row_offset=row_offset, column_offset=column_offset)
    streamed, native, _obstacle = _both(path, start)
    assert native == streamed


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=sheet_rows)
def test_native_rows_equal_the_streaming_readers_for_our_own_files(tmp_path, rows):
    path = str(tmp_path / "ours.xlsx")
    _write_ours(path, rows)
    streamed, native, _obstacle = _both(path)
    assert native == streamed


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.lists(st.one_of(st.none(), st.text("กขคง๑๒ 0123abc", min_size=1, max_size=12),
                           st.integers(-(10**15) + 1, 10**15 - 1)), max_size=6),
        min_size=1, max_size=10,
    ),
    column_offset=st.integers(0, 4),
)  # fmt: skip
def test_plain_sheets_are_read_natively(tmp_path, rows, column_offset):
    """Text that is not empty and whole numbers: nothing stands in calamine's way."""
    path = str(tmp_path / "plain.xlsx")
    _write_openpyxl(path, rows, column_offset=column_offset)
    streamed, native, obstacle = _both(path)
    assert obstacle == ""
    assert native == streamed


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        dt.date(2020, 1, 2),
        True,
        "a_x000D_b",
        1e20,
        12345678901234567,
    ],
)
def test_what_calamine_reads_otherwise_keeps_the_streaming_reader(tmp_path, value):
    path = str(tmp_path / "odd.xlsx")
    _write_openpyxl(path, [["เลข", "ชื่อ"], ["1", value]])
    streamed, native, obstacle = _both(path)
    assert obstacle
    assert native == streamed


@pytest.mark.parametrize("written", [b"7.0", b"7.", b"7E0", b"+7", b" 7", b"0.10000000000000001"])
def test_numbers_written_as_no_spreadsheet_program_does_keep_the_streaming_reader(
    tmp_path, written
):
    """xlsx_stream reads "7" as int but "7.0" as float; calamine gives 7.0 for both."""
    import zipfile

    plain = str(tmp_path / "plain.xlsx")
    _write_openpyxl(plain, [["เลข"], [7]])
    path = str(tmp_path / "odd.xlsx")
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                assert b"<v>7</v>" in data
                data = data.replace(b"<v>7</v>", b"<v>" + written + b"</v>")
            target.writestr(info, data)
    streamed, native, obstacle = _both(path)
    assert obstacle
    assert native == streamed


@pytest.mark.parametrize("value", ["ก\rข", "ก\x01ข", "ก\x0bข"])
def test_characters_lxml_changes_or_refuses_send_the_row_to_the_streaming_reader(tmp_path, value):
    """A carriage return (`&#13;`, which openpyxl writes for one) or a control character:
    calamine keeps it; the streaming reader reads the row as always."""
    path = str(tmp_path / "odd.xlsx")
    _write_openpyxl(path, [["เลข", "ชื่อ"], ["1", "ก"], ["2", "ข"]])
    import zipfile

    patched = str(tmp_path / "patched.xlsx")
    reference = value.encode().replace(b"\r", b"&#13;").replace(b"\x01", b"&#1;")
    reference = reference.replace(b"\x0b", b"&#x0B;")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace("ข".encode(), reference, 1).replace(b"&#3586;", reference, 1)
            target.writestr(info.filename, data)
    with readers.open_sheet(patched, readers.XLSX) as sheet:
        assert sheet.native_obstacle() == ""
        try:
            streamed = _rows(sheet.rows())
        except readers.ImportFileError as error:
            with pytest.raises(readers.ImportFileError) as native_error:
                _rows(sheet.all_rows())
            assert str(native_error.value) == str(error)
        else:
            assert _rows(sheet.all_rows()) == streamed


def test_a_value_calamine_should_not_give_switches_to_the_streaming_reader_mid_sheet(
    tmp_path, monkeypatch
):
    path = str(tmp_path / "mid.xlsx")
    _write_openpyxl(path, [["เลข"]] + [[str(i)] for i in range(2, 30)])
    real = xlsx_native._cells
    seen = []

    def odd_at_row_10(row):
        seen.append(row)
        return None if len(seen) == 10 else real(row)

    monkeypatch.setattr(xlsx_native, "_cells", odd_at_row_10)
    streamed, native, obstacle = _both(path)
    assert obstacle == ""
    assert len(seen) == 10  # calamine read up to row 10, the streaming reader the rest
    assert native == streamed


def test_the_first_used_column_is_not_a(tmp_path):
    """calamine's iter_rows starts its rows at the first used column; row numbers and
    positions still match the file."""
    path = str(tmp_path / "offset.xlsx")
    _write_openpyxl(path, [["รหัส", "ชื่อ"], ["3100600445635", "สมศรี"]], row_offset=2,
                    column_offset=3)  # fmt: skip
    streamed, native, obstacle = _both(path)
    assert obstacle == ""
    assert native == streamed
    assert native[3] == (4, (None, None, None, "3100600445635", "สมศรี"))


def test_salary_as_decimal_and_national_id_as_number(tmp_path):
    path = str(tmp_path / "numbers.xlsx")
    _write_openpyxl(path, [["เงินเดือน", "เลข"], [Decimal("45000.50"), 3100600445635]])
    streamed, native, _obstacle = _both(path)
    assert native == streamed == [(1, ("เงินเดือน", "เลข")), (2, (45000.5, 3100600445635))]


def test_a_large_sheet_keeps_the_streaming_reader(tmp_path, monkeypatch):
    """calamine holds a whole sheet in memory; past a number of rows, or of cells, the
    streaming reader's one row at a time is kept (450,000 rows must stay under 1 GiB)."""
    path = str(tmp_path / "large.xlsx")
    _write_openpyxl(path, [["เลข", "ชื่อ"]] + [[str(i), "ก"] for i in range(20)])
    monkeypatch.setattr(xlsx_native, "MAX_NATIVE_ROWS", 10)
    streamed, native, obstacle = _both(path)
    assert obstacle == "large sheet"
    assert native == streamed
    monkeypatch.setattr(xlsx_native, "MAX_NATIVE_ROWS", 1000)
    monkeypatch.setattr(xlsx_native, "MAX_NATIVE_CELLS", 30)
    assert _both(path)[2] == "large sheet"


def _cells_one_by_one(row: list) -> tuple | None:
    """What `_cells` gives, cell by cell: the reference its one comprehension is held to."""
    out = []
    for value in row:
        if type(value) is str:
            if not value.isprintable() and xlsx_native._ODD_CHARACTER(value):
                return None
            out.append(value or None)
        elif type(value) is float:
            out.append(int(value) if value.is_integer() else value)
        elif type(value) is int:
            out.append(value)
        else:
            return None
    while out and out[-1] is None:
        out.pop()
    return tuple(out)


calamine_value = st.one_of(
    st.just(""),
    messy_thai,
    st.text(max_size=6),  # control characters, lone surrogates' neighbours, U+FFFE/FFFF
    st.sampled_from(["\x00", "\x0b", "ก\x1f", "\ufffe", "\uffff", "๑\r๒", "\t"]),
    st.floats(allow_nan=False),
    st.integers(min_value=-(10**17), max_value=10**17),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(row=st.lists(calamine_value, max_size=12))
def test_a_native_row_converts_as_it_does_cell_by_cell(row):
    assert xlsx_native._cells(row) == _cells_one_by_one(row)


# What the sheet scan looks for, each mark as its own literal search (as it was written
# before the marks sharing a start became one regular expression each).
_LITERAL_MARKS = (
    b"<f>", b"<f ", b't="e"', b't="d"', b't="b"', b't="str"', b"x005F_", b"rPh", b"<t/>",
    b"<t></t>", b'<t xml:space="preserve"/>', b'<t xml:space="preserve"></t>',
)  # fmt: skip


def _found_literally(chunk: bytes) -> bool:
    return bool(
        any(mark in chunk for mark in _LITERAL_MARKS)
        or (b"_x" in chunk and xlsx_native._ESCAPE.search(chunk))
        or xlsx_native._ODD_NUMBER.search(chunk)
        or chunk.count(b"<row") != chunk.count(b'<row r="')
        or chunk.count(b"<c ") + chunk.count(b"<c>") != chunk.count(b'<c r="')
    )


_PIECES = st.sampled_from(
    [
        b"<f>", b"<f ", b"<f", b"f>", b"<fo", b't="', b"t=", b"e", b"d", b"b", b"s", b"n",
        b"str", b"inlineStr", b'"', b"<t", b"<t>", b"</t>", b"/>", b">", b"<", b"/",
        b' xml:space="preserve"', b"<row", b' r="', b"<rows", b"<c", b"<col", b" ", b"r=",
        b'"A1"', b"<v>1</v>", b"<v>1.5</v>", b"x005F_", b"_x", b"000D_", b"rPh", b"\xe0\xb8\x81",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(chunk=st.lists(_PIECES, max_size=40).map(b"".join))
def test_the_sheet_scan_finds_exactly_what_a_literal_search_of_each_mark_finds(chunk):
    assert bool(xlsx_native._sheet_obstacle(chunk)) == _found_literally(chunk)
