"""training.exports._table styles a column once and copies that style to the column's other
cells; the sheet must read exactly as styling every cell one by one did."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.styles import Alignment

from training.exports import _table

WIDTHS = [6, 20, 10, 12]
values = st.one_of(
    st.none(),
    st.integers(-5, 10**6),
    st.floats(0, 100, allow_nan=False),
    st.text(st.characters(codec="utf-8", min_codepoint=32), max_size=60),
)
rows = st.lists(st.lists(values, min_size=0, max_size=4), max_size=8)


def _one_by_one(ws, row, header, data, number_formats):
    """The straightforward way: every cell's style set on the cell itself."""
    _table(ws, row, header, [], WIDTHS)
    for r, vals in enumerate(data, start=row + 1):
        for c, value in enumerate(vals, start=1):
            cell = ws.cell(r, c, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top",
                                       horizontal="center" if c == 1 else None)  # fmt: skip
            if c in number_formats:
                cell.number_format = number_formats[c]


def _cells(ws):
    return {
        (cell.row, cell.column): (
            cell.value,
            cell.number_format,
            repr(cell.alignment),
            repr(cell.font),
            repr(cell.fill),
        )  # fmt: skip
        for row in ws.iter_rows()
        for cell in row
    }


@settings(max_examples=25, deadline=None)
@given(data=rows)
def test_table_styles_match_styling_every_cell(data):
    header = ["ที่", "ชื่อหลักสูตร", "ร้อยละ", "รวม"]
    formats = {3: "0.00"}
    fast, plain = Workbook().active, Workbook().active
    end = _table(fast, 5, header, data, WIDTHS, number_formats=formats)
    _one_by_one(plain, 5, header, data, formats)
    assert end == 5 + len(data) + 1
    assert _cells(fast) == _cells(plain)


def test_a_copied_style_is_the_cells_own():
    ws = Workbook().active
    _table(ws, 1, ["ที่", "ชื่อ"], [[1, "ก"], [2, "ข"]], WIDTHS)
    ws.cell(3, 2).number_format = "0.00"
    assert ws.cell(2, 2).number_format == "General"
