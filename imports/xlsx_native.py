"""Reading a sheet with python-calamine (a native reader) where it gives exactly what
`xlsx_stream` gives, for the validation's one pass over every row.

calamine parses a sheet several times faster than any Python-level reader, but it reads some
cells differently from `xlsx_stream` (whose values follow openpyxl's conventions):

- every number is a float (`xlsx_stream`: an int when the file writes no decimal point), so
  a file writing "45000.0", an exponent or more digits than a float holds exactly is left to
  `xlsx_stream`;
- cells formatted as dates become `date`s, not `datetime`s; formulas, error cells, booleans and
  ISO-dated cells are typed its own way; `_x000D_`-style escapes are decoded, carriage returns
  kept (XML parsers turn them into line feeds), phonetic guides perhaps read;
- an empty cell and an empty string are both "".

`native_obstacle` looks for each of these in the workbook's parts before any row is read (a
few scans of bytes, a small part of reading) and names the first found;
with none, `native_rows` converts calamine's values back (whole floats → int, "" → None) and
yields what `xlsx_stream` would, up to empty cells at the end of a row (which no reader of
rows tells from missing ones). A value it still does not expect (a date, say, where calamine
judged a number format differently) stops it: `NativeFallback` tells the caller the row to
go on from with `xlsx_stream`. Large sheets stay with `xlsx_stream` too: calamine holds the
whole sheet in memory.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator

# Above this many cells calamine's copy of the whole sheet (it holds every cell, where the
# streaming reader holds one row) would outgrow what an import may take: about 180,000
# personnel rows.
MAX_NATIVE_CELLS = 4_000_000
MAX_NATIVE_ROWS = 180_000  # decided from the sheet's row estimate, before any scan
MAX_NATIVE_STRINGS_BYTES = 64 * 1024 * 1024
CHUNK_BYTES = 8 * 1024 * 1024

# What a part is searched for: literal byte strings (`bytes.find`), and marks that share a
# start as one regular expression beginning with it (which `re` finds as fast as a literal):
# each is a pass over the part, a small part of reading it as long as the passes are few
# (7 where there were 17: 4.2 → 3.1 s of CPU for a 100,000-row, 190 MB sheet). A regular
# expression that does not start with a literal (one over every Thai character reference)
# is much slower.
_SHEET_MARKS = (
    (re.compile(rb"<f[> ]").search, "formula"),
    (re.compile(rb't="(?:[edb]|str)"').search, "error, ISO date, boolean or formula text cell"),
)
_TEXT_MARKS = (
    (b"x005F_", "_x005F_ escape"),
    (b"rPh", "phonetic guide"),
    (re.compile(rb'<t(?:/>|></t>| xml:space="preserve"(?:/>|></t>))').search, "empty text"),
)
# A row or a cell without its position (`<row>`, `<c t="s">`), in one pass each.
_ROW_WITHOUT_NUMBER = re.compile(rb'<row(?! r=")').search
_CELL_WITHOUT_REFERENCE = re.compile(rb'<c(?:>| (?!r="))').search


def _has(chunk: bytes, mark) -> bool:
    return mark in chunk if mark.__class__ is bytes else mark(chunk) is not None


_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")
# A number `xlsx_stream` reads as an int (up to 15 digits, exact in a float) or as a float
# that is not whole (≤ 15 digits with a non-zero decimal): anything else reads otherwise.
_ODD_NUMBER = re.compile(rb"<v>(?!-?\d{1,15}</v>)(?!-?(?=[\d.]{3,16}</v>)\d+\.\d*[1-9]\d*</v>)")


def _text_obstacle(chunk: bytes) -> str:
    for mark, what in _TEXT_MARKS:
        if _has(chunk, mark):
            return what
    if b"_x" in chunk and _ESCAPE.search(chunk):
        return "_xHHHH_ escape"
    return ""


def _chunks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part in pieces of about CHUNK_BYTES, each ending before a "<row" (or, in parts
    without rows, a "<si"), so that no element looked for is cut in two."""
    carry = b""
    with archive.open(part) as source:
        while block := source.read(CHUNK_BYTES):
            block = carry + block
            cut = max(block.rfind(b"<row"), block.rfind(b"<si"))
            if cut <= 0:
                if len(block) <= 2 * 4096:
                    carry = block
                    continue
                cut = len(block) - 4096
            carry = block[cut:]
            yield block[:cut]
    if carry:
        yield carry


class NativeFallback(Exception):
    """calamine gave a value `xlsx_stream` would not: go on from `row` with `xlsx_stream`."""

    def __init__(self, row: int) -> None:
        super().__init__(row)
        self.row = row


def _sheet_obstacle(chunk: bytes) -> str:
    """What in this piece of a sheet calamine reads otherwise ("" when nothing)."""
    for mark, what in _SHEET_MARKS:
        if _has(chunk, mark):
            return what
    if what := _text_obstacle(chunk):
        return what
    if _ODD_NUMBER.search(chunk):
        return "number written otherwise than as an integer or a decimal fraction"
    # Rows and cells without their position: calamine and `xlsx_stream` may count them
    # differently; nothing here proves otherwise.
    if _ROW_WITHOUT_NUMBER(chunk):
        return "row without its number"
    if _CELL_WITHOUT_REFERENCE(chunk):
        return "cell without its reference"
    return ""


def native_obstacle(
    archive: zipfile.ZipFile,
    part: str,
    *,
    styles_read_apart: set[int],
    max_strings: int,
) -> str:
    """Why calamine may read this sheet differently from `xlsx_stream` ("" when it reads it
    the same). `styles_read_apart`: the cell formats `xlsx_stream` reads as dates, durations
    or percentages, which calamine gives otherwise (a percentage as its number)."""
    names = set(archive.namelist())
    if part not in names:
        return "sheet part missing"
    strings = "xl/sharedStrings.xml"
    if strings in names:
        if archive.getinfo(strings).file_size > MAX_NATIVE_STRINGS_BYTES:
            return "large shared strings"
        count = 0
        for chunk in _chunks(archive, strings):
            count += chunk.count(b"<si")
            if count > max_strings:
                return "too many shared strings"
            if what := _text_obstacle(chunk):
                return f"shared strings: {what}"
    used_apart = (
        re.compile(rb'\ss="(?:' + "|".join(map(str, sorted(styles_read_apart))).encode() + rb')"')
        if styles_read_apart
        else None
    )
    cells = 0
    for index, chunk in enumerate(_chunks(archive, part)):
        if index == 0 and b"<sheetData" not in chunk:
            return "namespace prefix on the sheet's elements"
        if what := _sheet_obstacle(chunk):
            return what
        if used_apart is not None and used_apart.search(chunk):
            return "date, duration or percentage number format"
        cells += chunk.count(b'<c r="')
        if cells > MAX_NATIVE_CELLS:
            return "large sheet"
    return ""


def native_rows(path: str, sheet_name: str, *, start: int = 1) -> Iterator[tuple[int, tuple]]:
    """(row number, cells) from row `start` on, as `xlsx_stream` reads them (trailing empty
    cells aside), for a sheet `native_obstacle` found nothing in. Raises NativeFallback."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(path)
    try:
        sheet = workbook.get_sheet_by_name(sheet_name)
        for number, cells in calamine_rows(sheet, start, _cells):
            if cells is None:
                raise NativeFallback(number)
            yield number, cells
    finally:
        workbook.close()


def calamine_rows(sheet, start: int, convert) -> Iterator[tuple[int, tuple | None]]:
    """(row number as the sheet shows it, `convert(row)`) of a calamine sheet from row
    `start` on; a row `convert` gives None for is passed on as None. calamine's iter_rows
    counts rows from the sheet's first but columns from the first one used: the columns
    before it are put back, so a cell's column is the one the user sees."""
    lead = (None,) * sheet.start[1] if sheet.start else ()
    for number, row in enumerate(sheet.iter_rows(), start=1):
        if number < start:
            continue
        cells = convert(row)
        yield number, (lead + cells if cells else cells)


# Characters lxml refuses or changes (a carriage return in the XML becomes a line feed) and
# calamine may keep: a cell holding one is read by `xlsx_stream` from its row on.
_ODD_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]").search
_float = float
_str = str
_int = int


_TEXT_AND_NUMBERS = frozenset({_str, _float, _int})
_ONLY_TEXT = frozenset({_str})


def _cells(row: list) -> tuple | None:
    """calamine's row as `xlsx_stream` reads it, or None when it holds a value of a type the
    obstacles should have kept out."""
    kinds = set(map(type, row))
    if not kinds <= _TEXT_AND_NUMBERS:
        return None  # a date, time, duration or boolean
    # The row converted in one comprehension, its text checked as one string (isprintable, in
    # C, clears nearly every row without the regular expression; a character is odd in the
    # whole exactly when it is odd in one of the cells).
    only_text = kinds == _ONLY_TEXT
    text = "".join(row if only_text else [v for v in row if v.__class__ is _str])
    if not text.isprintable() and _ODD_CHARACTER(text):
        return None
    if only_text:
        out = [v or None for v in row]
    else:
        out = [
            (v or None)
            if v.__class__ is _str
            else (_int(v) if v.__class__ is _float and v.is_integer() else v)
            for v in row
        ]
    while out and out[-1] is None:
        out.pop()
    return tuple(out)
