"""Formula injection: text a user typed never becomes a live formula in any export."""

import csv
import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from krupd.lib.spreadsheets import (
    FORMULA_STARTS,
    csv_text,
    strip_csv_guard,
    workbook_bytes,
    write_only_row,
)

ATTACKS = ["=cmd|' /C calc'!A0", "+66 81 234 5678", "-2+3", "@SUM(1+1)", "\t=1", "\r=1",
           "=HYPERLINK(\"http://x\")"]  # fmt: skip


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("text", ATTACKS)
def test_a_normal_workbook_keeps_formula_like_text_as_text(text):
    wb = Workbook()
    wb.active.append(["ชื่อ", text])
    wb.active.cell(2, 1, text)
    data = workbook_bytes(wb)
    assert "<f>" not in sheet_xml(data)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["B1"].value == text and ws["A2"].value == text


@pytest.mark.parametrize("text", ATTACKS)
def test_a_write_only_workbook_keeps_formula_like_text_as_text(text):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(write_only_row(ws, ["x", text, 5, None]))
    out = io.BytesIO()
    wb.save(out)
    assert "<f>" not in sheet_xml(out.getvalue())
    assert load_workbook(io.BytesIO(out.getvalue())).active["B1"].value == text


@given(st.text())
def test_csv_guard_round_trips_any_text(text):
    written = csv_text(text)
    assert not written.startswith(FORMULA_STARTS)
    assert strip_csv_guard(written) == text


def test_numbers_are_not_guarded():
    assert csv_text(-5) == "-5"
    assert csv_text("-5") == "'-5"


def test_a_guarded_csv_cell_reads_as_written():
    buf = io.StringIO()
    csv.writer(buf).writerow([csv_text(t) for t in ATTACKS])
    cells = next(csv.reader(io.StringIO(buf.getvalue())))
    assert all(c.startswith("'") for c in cells)
    assert [strip_csv_guard(c) for c in cells] == ATTACKS


def test_a_finished_workbook_is_rewritten_in_thai_digits_as_its_cells_show():
    """A half at the last decimal shown rounds up (3.125 in "0.00" is ๓.๑๓, never ๓.๑๒);
    "General" numbers read as written; numbers stand on the right; titles change too."""
    from krupd.lib.spreadsheets import thai_digits_workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "ปี 2569"
    ws.append(["เขต 1", 3.125, 12.5, 1234, 2.5, 0.3333])
    ws["B1"].number_format = "0.00"
    ws["E1"].number_format = "0"
    out = load_workbook(io.BytesIO(thai_digits_workbook(workbook_bytes(wb)))).active
    assert out.title == "ปี ๒๕๖๙"
    assert [c.value for c in out[1]] == ["เขต ๑", "๓.๑๓", "๑๒.๕", "๑,๒๓๔", "๓", "๐.๓๓๓๓"]
    assert out["B1"].alignment.horizontal == "right"
