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
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from .xlsx_stream import _PARSE, _clear, is_percent_format, percent_text

logger = logging.getLogger(__name__)


@dataclass
class Layout:
    # row number → {column index → the text the cell shows}, for percentage cells
    percents: dict[int, dict[int, str]] = field(default_factory=dict)
    hidden: list[int] = field(default_factory=list)  # rows hidden or filtered out
    # (column index, first row, last row) of each merged range over several rows (.ods:
    # calamine gives an .xls's, not an .ods's)
    merges: list[tuple[int, int, int]] = field(default_factory=list)
    # row number → {column index → the error the cell shows ("#DIV/0!", "Err:502")}, for
    # formulas whose result is an error: calamine gives them as empty cells.
    errors: dict[int, dict[int, str]] = field(default_factory=dict)


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
_NAME = _TABLE_NS + "name"
_ROWS_REPEATED = _TABLE_NS + "number-rows-repeated"
_COLUMNS_REPEATED = _TABLE_NS + "number-columns-repeated"
_ROWS_SPANNED = _TABLE_NS + "number-rows-spanned"
_VISIBILITY = _TABLE_NS + "visibility"
_DISPLAY = _TABLE_NS + "display"
_VALUE_TYPE = _OFFICE_NS + "value-type"
_VALUE = _OFFICE_NS + "value"


def _marks(*pairs: tuple[str, str]) -> tuple[bytes, ...]:
    return tuple(f"{n}={q}{v}{q}".encode() for n, v in pairs for q in "\"'")


# Attribute values without which content.xml has nothing to find (looked for without their
# prefix, which a writer may choose, and in either quote). Calc writes table:display="true"
# into every file and "percentage" into the styles of any: the values say more.
_PERCENT_MARKS = _marks(("value-type", "percentage"))
_HIDDEN_MARKS = _marks(("visibility", "collapse"), ("visibility", "filter"), ("display", "false"))
# A formula whose result is an error ("#DIV/0!", Calc's "Err:502"): Calc marks the cell so.
_ERROR_MARKS = _marks(("value-type", "error"))
# A cell merged over several rows (Calc writes number-rows-spanned="1" on merges across).
_MERGE_DOWN = re.compile(rb"""number-rows-spanned=["'](?!1["'])\d""")
_MERGE_MARK = b"merged down"  # what `_found` says of one
# Above this many columns repeated, a percentage cell is a formatting run, not data.
MAX_REPEATED_COLUMNS = 16384
MAX_SHEET_ROWS = 1_048_576  # Calc's and Excel's last row


def _found(archive: zipfile.ZipFile, part: str, marks: tuple[bytes, ...]) -> set[bytes]:
    """Which of `marks` the part holds (and `_MERGE_MARK` when a cell is merged down), read
    in blocks without parsing."""
    found: set[bytes] = set()
    tail = b""
    with archive.open(part) as source:
        while block := source.read(1 << 20):
            block = tail + block
            found.update(mark for mark in marks if mark in block)
            if _MERGE_MARK not in found and _MERGE_DOWN.search(block):
                found.add(_MERGE_MARK)
            if len(found) == len(marks) + 1:
                break
            tail = block[-64:]
    return found


def _count(text: str | None) -> int:
    return int(text) if text and text.isdigit() and int(text) > 0 else 1


def _ods_layout(path: str, sheet_name: str, last_row: int) -> Layout:
    with zipfile.ZipFile(path) as archive:
        found = _found(archive, "content.xml", _PERCENT_MARKS + _HIDDEN_MARKS + _ERROR_MARKS)
        if not found:
            return Layout()
        with archive.open("content.xml") as source:
            percents = bool(found & set(_PERCENT_MARKS))
            merges = _MERGE_MARK in found
            errors = bool(found & set(_ERROR_MARKS))
            return _read_ods(
                source, sheet_name, last_row, percents=percents, merges=merges, errors=errors
            )


def _read_ods(
    source,
    sheet_name: str,
    last_row: int,
    *,
    percents: bool = True,
    merges: bool = True,
    errors: bool = True,
) -> Layout:
    """Rows are taken whole when they end (no event for each cell), their percentage and
    merged cells looked for only when the file has one at all (`percents`, `merges`)."""
    out = Layout()
    depth = 0  # tables entered: a table inside a cell (a frame) is not the sheet's rows
    in_sheet = False
    row = 0  # rows before the current one
    collapsed: list[bool] = []  # the row groups the current row is in: collapsed or not
    reach = last_row  # the last row read: calamine's, or the last a merged range reaches
    tags = (_TABLE, _ROW, _ROW_GROUP)  # cells are read from their row; text never looked at
    for event, element in etree.iterparse(source, events=("start", "end"), tag=tags, **_PARSE):
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
        if tag == _ROW_GROUP:
            if event == "start":
                collapsed.append(element.get(_DISPLAY) == "false")
            else:
                collapsed.pop()
            continue
        if event == "start":
            continue
        repeat = _count(element.get(_ROWS_REPEATED))
        numbers = range(row + 1, min(row + repeat, reach) + 1)
        if element.get(_VISIBILITY, "visible") != "visible" or any(collapsed):
            out.hidden.extend(numbers)
        if percents and numbers:
            shown = _row_percents(element)
            for number in numbers if shown else ():
                out.percents[number] = dict(shown)
        if errors and numbers:
            failed = _row_errors(element)
            for number in numbers if failed else ():
                out.errors[number] = dict(failed)
        if merges and numbers:
            for column, rows in _row_merges(element):  # may reach below the last row
                out.merges.append((column, row + 1, min(row + rows, MAX_SHEET_ROWS)))
                reach = max(reach, out.merges[-1][2])
        row += repeat
        _clear(element)
        if row >= reach:
            break  # nothing past calamine's last row (or a merged range's) is wanted
    return out


_NAMESPACES = {
    "table": _TABLE_NS[1:-1],
    "office": _OFFICE_NS[1:-1],
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
}
# A row's percentage cells, and a cell's column: the cells before it, each counted as many
# times as it repeats. Evaluated in C (lxml), where a loop over every cell in Python took
# most of the time of reading a large sheet.
_PERCENT_CELLS = etree.XPath(
    "table:table-cell[@office:value-type='percentage'][@office:value]", namespaces=_NAMESPACES
)
_CELLS_BEFORE = etree.XPath(
    "preceding-sibling::table:table-cell | preceding-sibling::table:covered-table-cell",
    namespaces=_NAMESPACES,
)


_MERGED_DOWN_CELLS = etree.XPath(
    "table:table-cell[@table:number-rows-spanned > 1]", namespaces=_NAMESPACES
)


_ERROR_CELLS = etree.XPath("table:table-cell[@calcext:value-type='error']", namespaces=_NAMESPACES)


def _column(cell) -> int:
    return sum(_count(before.get(_COLUMNS_REPEATED)) for before in _CELLS_BEFORE(cell))


def _row_merges(row) -> list[tuple[int, int]]:
    """(column index, rows spanned) of a row's cells merged over several rows."""
    return [(_column(cell), _count(cell.get(_ROWS_SPANNED))) for cell in _MERGED_DOWN_CELLS(row)]


def _row_errors(row) -> dict[int, str]:
    """{column index → the error shown} of a row's cells whose formula failed."""
    return _by_column(_ERROR_CELLS(row), _error_shown)


def _error_shown(cell) -> str:
    return (" ".join("".join(cell.itertext()).split()) or "#VALUE!")[:40]


def _row_percents(row) -> dict[int, str]:
    """{column index → text shown} of a row's percentage cells."""
    return _by_column(_PERCENT_CELLS(row), lambda cell: percent_text(cell.get(_VALUE)))


def _by_column(cells, text_of) -> dict[int, str]:
    """{column index → text_of(cell)} of these cells of a row, a cell repeated over several
    columns giving each of them (a run too long to be data is left out)."""
    shown: dict[int, str] = {}
    for cell in cells:
        span = _count(cell.get(_COLUMNS_REPEATED))
        if span > MAX_REPEATED_COLUMNS:
            continue
        column = _column(cell)
        text = text_of(cell)
        for index in range(column, column + span):
            shown[index] = text
    return shown


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
        for index in range(min(sheet.nrows, last_row)):
            if xlrd.XL_CELL_ERROR in sheet.row_types(index):
                for column, kind in enumerate(sheet.row_types(index)):
                    if kind == xlrd.XL_CELL_ERROR:
                        code = sheet.cell_value(index, column)
                        shown = xlrd.error_text_from_code.get(code, "#VALUE!")
                        out.errors.setdefault(index + 1, {})[column] = shown
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
