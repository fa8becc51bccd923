"""The summaries' titled XLSX table: header and body styles, read back from the saved file."""

import io

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from reporting.render.xlsx import table_workbook, write_table


def test_every_body_cell_wraps_and_sits_at_the_top_under_a_styled_header():
    rows = [[i, f"โรงเรียน {i}", None if i % 2 else "✓"] for i in range(1, 40)]
    data = table_workbook("ความครอบคลุม", "ได้รับ 19 จาก 39", ["ที่", "โรงเรียน", "ได้รับ"], rows,
                          [6, 40, 14])  # fmt: skip
    ws = load_workbook(io.BytesIO(data)).active
    assert (
        ws["A1"].value == "ความครอบคลุม" and ws["A1"].font.b and ws["A2"].value == "ได้รับ 19 จาก 39"
    )
    for cell in ws[3]:
        assert cell.font.b and cell.fill.fgColor.rgb.endswith("DCE6F1")
        assert cell.alignment.horizontal == "center" and cell.alignment.wrap_text
    body = list(ws.iter_rows(min_row=4, values_only=False))
    assert [[c.value for c in row] for row in body] == rows
    for row in body:
        for cell in row:
            assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
            assert not cell.font.b and cell.fill.fill_type is None


def test_body_cells_keep_styles_of_their_own():
    # The body's style is set once and copied: restyling one cell leaves the others alone.
    ws = Workbook().active
    write_table(ws, 1, ["ก", "ข"], [[1, 2], [3, 4]])
    ws.cell(2, 1).font = Font(bold=True)
    assert ws.cell(2, 1).font.b
    assert not any(ws.cell(r, c).font.b for r, c in ((2, 2), (3, 1), (3, 2)))
    assert all(ws.cell(r, c).alignment.vertical == "top" for r, c in ((2, 1), (2, 2), (3, 1)))
