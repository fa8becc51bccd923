"""Writing spreadsheets that people open in Excel: every text cell stays text.

A value typed by a user (a phone number, a name, a note) may begin with "=", "+", "-", "@",
a tab or a carriage return; a spreadsheet program opening the file would run it as a formula
(`=cmd|' /C calc'!A0`). Every export goes through here:

* XLSX: `workbook_bytes` / `save_workbook` store any cell openpyxl took for a formula as a
  plain string (openpyxl makes every "="-text a formula). Nothing KruPD exports is a formula.
  Write-only workbooks (streamed exports) put their rows through `write_only_row`. Text in an
  XLSX string cell is never evaluated, so the value stays exactly as typed.
* CSV: a CSV cell has no type, so text that begins with one of those characters gets a leading
  apostrophe (the usual guard, which Excel hides); `csv_text` does it, and `strip_csv_guard`
  takes it off again when such a file is imported back.
"""

import io
from copy import copy
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell

from .numerals import format_hours

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The typeface and printed-page number of every document workbook (xlsx_writer.Printing's
# "- &P -": official documents number pages from the second, top centre).
DOCUMENT_FONT = "Sarabun"
PAGE_NUMBER = "- &P -"
CSV_GUARD = "'"


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _needs_guard(text: str) -> bool:
    # Text that already starts with apostrophes before a formula character is guarded too,
    # so reading back can always take exactly one off.
    return looks_like_formula(text.lstrip(CSV_GUARD))


def csv_text(value: Any) -> str:
    """A value as CSV text that no spreadsheet program runs as a formula."""
    text = "" if value is None else str(value)
    return CSV_GUARD + text if isinstance(value, str) and _needs_guard(text) else text


def strip_csv_guard(text: str) -> str:
    """The value `csv_text` wrote, read back from a CSV file."""
    if text.startswith(CSV_GUARD) and _needs_guard(text[1:]):
        return text[1:]
    return text


def neutralise_formulas(workbook) -> None:
    """Store every formula cell of a (normal, not write-only) workbook as plain text."""
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def print_as_document(ws, *, header_row: int | None = None, landscape: bool = False) -> None:
    """An openpyxl sheet the office prints and signs, set up as xlsx_writer.Printing sets up
    the others: A4 fitted to the page width (as many pages down as it takes), centred, the
    table's `header_row` printed on top of every page, "- n -" on every page after the
    first, and every cell in the documents' Thai typeface (openpyxl's default is Calibri)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.HeaderFooter.differentFirst = True
    ws.oddHeader.center.text = PAGE_NUMBER
    ws.evenHeader.center.text = PAGE_NUMBER
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
    thai: dict = {}  # by the cell's font id: one Font per look, not one per cell
    for row in ws.iter_rows():
        for cell in row:
            key = cell._style.fontId if cell._style is not None else 0
            if key not in thai:
                thai[key] = copy(cell.font)
                thai[key].name = DOCUMENT_FONT
                thai[key].scheme = None  # a theme's font scheme would win over the name
            cell.font = thai[key]


def save_workbook(workbook, target: IO[bytes]) -> None:
    neutralise_formulas(workbook)
    workbook.save(target)


def workbook_bytes(workbook) -> bytes:
    out = io.BytesIO()
    save_workbook(workbook, out)
    return out.getvalue()


def thai_digits_workbook(data: bytes) -> bytes:
    """A finished workbook as an office printing Thai digits shows it: every number becomes
    the text its cell shows ("0.00" keeps two decimals, a count its thousands separators),
    aligned right, and every digit of the texts and sheet names a Thai digit. No spreadsheet
    program has a number format for Thai digits; xlsx_writer.Sheet(thai_digits=True) does
    the same while writing, this for a workbook another writer made."""

    from openpyxl import load_workbook

    from .numerals import to_thai_digits

    workbook = load_workbook(io.BytesIO(data))
    for ws in workbook.worksheets:
        ws.title = to_thai_digits(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str):
                    cell.value = to_thai_digits(value)
                elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                    cell.value = to_thai_digits(_shown(value, cell.number_format))
                    alignment = copy(cell.alignment)
                    alignment.horizontal = alignment.horizontal or "right"
                    cell.alignment = alignment
    return workbook_bytes(workbook)


def _shown(value, number_format: str) -> str:
    """What a spreadsheet shows of a number: its format's decimals ("0.00", "#,##0.0"),
    half up; in "General", the number as written (12, 12.5, 0.3333)."""
    if number_format and number_format != "General":
        places = len(number_format.partition(".")[2].rstrip("%;"))
        grouped = "," in number_format
        shown = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return f"{shown:,f}" if grouped else f"{shown:f}"
    if type(value) is int:
        return f"{value:,}"
    return f"{Decimal(str(value)).normalize():,f}"


def write_only_row(ws, values) -> list:
    """A row for a write-only sheet's `append`, with formula-like text kept as text (cells
    already made by the caller, e.g. styled ones, are checked the same way)."""
    out = []
    for value in values:
        if isinstance(value, Cell):
            if value.data_type == "f":
                value.data_type = "s"
        elif looks_like_formula(value):
            value = WriteOnlyCell(ws, value=value)
            value.data_type = "s"
        out.append(value)
    return out


def printed_number(value, number_format: str) -> str:
    """A number as the sheet shows it: "0.00" keeps two decimals, anything else is written
    as the office writes hours and counts (12, 12.5, never 12.0)."""
    if number_format == "0.00":
        return str(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    if type(value) is int:  # a count, most numbers: what format_hours writes, at once
        return f"{value:,}"
    return format_hours(value)
