"""What python-calamine does not tell of an .xls or .ods sheet, and an .xlsx is read for:
which numbers the sheet shows as percentages, and which rows it hides.

calamine gives a cell formatted as a percentage (0.455 shown as "45.5%") as its number, and
says nothing of rows hidden by Hide or left out by a filter. `xlsx_stream` reads the first as
the text shown and `hidden_rows` lists the second, so the same sheet saved as .xlsx, .xls or
.ods would import differently: a score of 100 % read as 1, a mean of 45.5 % as 0.455, rows the
officer never saw imported without a word. `sheet_layout` finds both in the file itself:

- .ods: content.xml, where a percentage cell says so (office:value-type="percentage", its
  number in office:value) and a hidden or filtered-out row carries table:visibility
  ("collapse", "filter"), or sits in a collapsed row group. The part is looked through for
  these words first (most files have none) and parsed only when one is there.
- .xls: the workbook's cell formats and row records, read by xlrd (calamine reads neither);
  a percentage is a number cell whose format shows "%" (`is_percent_format`, as for .xlsx).

Rows are counted as calamine counts them (from the sheet's first row, repeated rows
expanded), so a number here is the row number the importers report; nothing past the last
row calamine gives (`last_row`) is kept: a sheet often hides every empty row down to its end.
"""

from __future__ import annotations

import logging
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from .xlsx_stream import _PARSE, is_percent_format, percent_text

logger = logging.getLogger(__name__)


@dataclass
class Layout:
    # row number → {column index → the text the cell shows}, for percentage cells
    percents: dict[int, dict[int, str]] = field(default_factory=dict)
    hidden: list[int] = field(default_factory=list)  # rows hidden or filtered out


def sheet_layout(path: str, fmt: str, sheet_name: str, last_row: int) -> Layout:
    """The percentage cells and hidden rows of one sheet of an .xls ("xls") or .ods ("ods")
    up to `last_row`. A file whose layout cannot be read gives none (and is logged): its
    values are still those calamine reads, as before this was looked at."""
    if last_row <= 0:
        return Layout()
    try:
        if fmt == "ods":
            return _ods_layout(path, sheet_name, last_row)
        if fmt == "xls":
            return _xls_layout(path, sheet_name, last_row)
    except Exception:
        logger.warning("layout of %s %s unreadable", fmt, path, exc_info=True)
    return Layout()


# ---------------------------------------------------------------------------- .ods

_TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE_NS = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TABLE = _TABLE_NS + "table"
_ROW = _TABLE_NS + "table-row"
_ROW_GROUP = _TABLE_NS + "table-row-group"
_CELL = _TABLE_NS + "table-cell"
_COVERED = _TABLE_NS + "covered-table-cell"
_NAME = _TABLE_NS + "name"
_ROWS_REPEATED = _TABLE_NS + "number-rows-repeated"
_COLUMNS_REPEATED = _TABLE_NS + "number-columns-repeated"
_VISIBILITY = _TABLE_NS + "visibility"
_DISPLAY = _TABLE_NS + "display"
_VALUE_TYPE = _OFFICE_NS + "value-type"
_VALUE = _OFFICE_NS + "value"
# Words without which content.xml has nothing to find (attributes are looked for without
# their prefix and quote, which a writer may choose).
_ODS_MARKS = (b"percentage", b"visibility", b"display")
# Above this many columns repeated, a percentage cell is a formatting run, not data.
MAX_REPEATED_COLUMNS = 16384


def _mentions(archive: zipfile.ZipFile, part: str, marks: tuple[bytes, ...]) -> bool:
    tail = b""
    with archive.open(part) as source:
        while block := source.read(1 << 20):
            block = tail + block
            if any(mark in block for mark in marks):
                return True
            tail = block[-64:]
    return False


def _count(text: str | None) -> int:
    return int(text) if text and text.isdigit() and int(text) > 0 else 1


def _ods_layout(path: str, sheet_name: str, last_row: int) -> Layout:
    with zipfile.ZipFile(path) as archive:
        if not _mentions(archive, "content.xml", _ODS_MARKS):
            return Layout()
        with archive.open("content.xml") as source:
            return _read_ods(source, sheet_name, last_row)


def _read_ods(source, sheet_name: str, last_row: int) -> Layout:
    out = Layout()
    depth = 0  # tables entered: a table inside a cell (a frame) is not the sheet's rows
    in_sheet = False
    row = 0  # rows before the current one
    repeat, column, row_hidden = 1, 0, False
    collapsed: list[bool] = []  # the row groups the current row is in: collapsed or not
    for event, element in etree.iterparse(source, events=("start", "end"), **_PARSE):
        tag = element.tag
        if tag == _TABLE:
            if event == "start":
                depth += 1
                if depth == 1:
                    in_sheet = element.get(_NAME) == sheet_name
            else:
                depth -= 1
                if depth == 0 and in_sheet:
                    break  # the sheet read: the rest of the file is other sheets
            continue
        if not in_sheet or depth != 1:
            if event == "end" and tag == _ROW:
                _clear(element)  # other sheets' rows: not kept while the parser goes on
            continue
        if event == "start":
            if tag == _ROW:
                repeat, column = _count(element.get(_ROWS_REPEATED)), 0
                row_hidden = element.get(_VISIBILITY, "visible") != "visible" or any(collapsed)
            elif tag == _CELL or tag == _COVERED:
                span = _count(element.get(_COLUMNS_REPEATED))
                value = element.get(_VALUE)
                if (
                    tag == _CELL
                    and value is not None
                    and element.get(_VALUE_TYPE) == "percentage"
                    and span <= MAX_REPEATED_COLUMNS
                ):
                    shown = percent_text(value)
                    for number in range(row + 1, min(row + repeat, last_row) + 1):
                        cells = out.percents.setdefault(number, {})
                        for index in range(column, column + span):
                            cells[index] = shown
                column += span
            elif tag == _ROW_GROUP:
                collapsed.append(element.get(_DISPLAY) == "false")
        elif tag == _ROW:
            if row_hidden:
                out.hidden.extend(range(row + 1, min(row + repeat, last_row) + 1))
            row += repeat
            _clear(element)
            if row >= last_row:
                break  # nothing past calamine's last row is wanted
        elif tag == _ROW_GROUP:
            collapsed.pop()
    return out


def _clear(element) -> None:
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


# ---------------------------------------------------------------------------- .xls


class _Quiet:
    """xlrd's log: it writes warnings about odd but readable files to stdout otherwise."""

    def write(self, text: str) -> None:
        pass


def _xls_layout(path: str, sheet_name: str, last_row: int) -> Layout:
    import xlrd

    book = xlrd.open_workbook(path, formatting_info=True, on_demand=True, logfile=_Quiet())
    try:
        percent_formats = {
            index
            for index, xf in enumerate(book.xf_list)
            if (shown := book.format_map.get(xf.format_key)) is not None
            and is_percent_format(shown.format_str)
        }
        sheet = book.sheet_by_name(sheet_name)
        out = Layout()
        out.hidden = sorted(
            index + 1
            for index, info in sheet.rowinfo_map.items()
            if info.hidden and index < last_row
        )
        if percent_formats:
            for index in range(min(sheet.nrows, last_row)):
                for column, kind in enumerate(sheet.row_types(index)):
                    if (
                        kind == xlrd.XL_CELL_NUMBER
                        and sheet.cell_xf_index(index, column) in percent_formats
                    ):
                        value = sheet.cell_value(index, column)
                        out.percents.setdefault(index + 1, {})[column] = percent_text(repr(value))
        return out
    finally:
        book.release_resources()
