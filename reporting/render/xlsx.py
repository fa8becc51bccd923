"""XLSX helpers: a titled table with a styled header row that repeats when printed."""

from __future__ import annotations

from copy import copy

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from krupd.lib.clipping import clip
from krupd.lib.spreadsheets import print_as_document, workbook_bytes

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")


def write_table(ws, row: int, header: list[str], rows: list[list]) -> int:
    for c, text in enumerate(header, start=1):
        cell = ws.cell(row, c, text)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    # Every body cell has the same style: set once, then copied (openpyxl would build and look
    # up an Alignment for each of the 5,000 cells of a 1,000-school table, half its time).
    body = None
    for r, values in enumerate(rows, start=row + 1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value)
            if body is None:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                body = cell._style
            else:
                cell._style = copy(body)
    return row + len(rows) + 1


def table_workbook(title: str, subtitle: str, header: list[str], rows: list[list],
                   widths: list[int]) -> bytes:  # fmt: skip
    wb = Workbook()
    ws = wb.active
    ws.title = clip(title, 31)
    ws.cell(1, 1, title).font = Font(bold=True, size=14)
    ws.cell(2, 1, subtitle)
    write_table(ws, 3, header, rows)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    print_as_document(ws, header_row=3, landscape=sum(widths) > 120)
    ws.freeze_panes = "A4"
    return workbook_bytes(wb)
