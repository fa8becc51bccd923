"""A forward-only XLSX reader: one pass over a sheet's XML with lxml, one row in memory.

openpyxl's read-only mode reads the same files, but parses the sheet XML with Python-level
handlers and, when a file has no <dimension> element (files written by many tools, including
openpyxl's own write-only mode), parses the whole sheet once more just to size it. For a
100,000-row personnel sheet that made reading the file most of an import's time. This reader
parses with lxml's C iterparse and drops each row after yielding it, so time and memory are
those of the rows, not of a workbook model.

Values follow openpyxl's data-only conventions, so importers see the same Python types either
way: shared and inline strings → str, numbers → int or float, cells with a date number format
→ datetime (timedelta for duration formats), booleans, error codes as their text ("#N/A"),
and formula cells → their cached result. A formula saved without a result comes back as
`uncomputed` (the importers' FORMULA marker) instead of a silent blank.

One exception: a number in a percentage format (0.85 shown as "85%") comes back as the text
it shows ("85%", never rounded to the format's decimals), where openpyxl gives 0.85: an
importer reading 1 (100 %) as a score of 1, or 0.85 as a count, would store something other
than what the user sees.

What it deliberately does not do: styles other than number formats, hidden rows. Nothing in
an import needs them. Of merged cells it reads only which ranges span several rows
(`merged_down`), for the reader that fills them down.
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

WORKSHEET_REL = "/worksheet"  # relationship types end with this for worksheets (not charts)
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s+ref=\"([A-Z]*)(\d*)(?::([A-Z]*)(\d+))?\"")
# <mergeCell ref="B5:B9"/>: a range's first column and its first and last rows.
_MERGE_REF = re.compile(rb'mergeCell\s+ref="\$?([A-Z]{1,3})\$?(\d+):\$?[A-Z]{1,3}\$?(\d+)"')
_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row[\s>/]")
# A row's start tag that hides it (a filter, or Hide in Excel), and the row's number in it.
_HIDDEN_ROW = re.compile(rb'<(?:[\w.-]+:)?row\s[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
# Safe parsing: no entity expansion, no DTD loading, no network; big text nodes allowed (a
# huge cell must reach the importer, which reports it, rather than fail the parser).
_PARSE = {"resolve_entities": False, "load_dtd": False, "no_network": True, "huge_tree": True}
# What a number format shows literally, where a "%" is not a percentage: quoted text, an
# escaped character, a [colour] or [condition] section.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_TEN_PLACES = Decimal("1e-10")
_ZERO = Decimal(0)


def is_percent_format(number_format: str) -> bool:
    """Whether a number format shows its number as a percentage ("0%", "0.00%", "#,##0.0%")."""
    return "%" in _FORMAT_LITERALS.sub("", number_format or "")


def percent_text(raw: str) -> str:
    """A percentage cell's stored number as the text it shows: "0.85" → "85%", "1" → "100%",
    "0.855" → "85.5%" (every decimal kept, to ten places: the format may show fewer)."""
    try:
        value = (Decimal(raw) * 100).quantize(_TEN_PLACES).normalize()
    except InvalidOperation:  # beyond what a percentage can be (1E+300): shown as Excel does
        return f"{float(raw) * 100:G}%"
    return f"{value if value else _ZERO:f}%"  # "0%", not "-0%" (nor the int 0's "0.000000%")


@functools.lru_cache(maxsize=256)
def _local(tag: Any) -> str:
    """Local name of an element tag ("{namespace}c" → "c"). Cached: a file uses a handful of
    tags, looked up for every cell. Comments and processing instructions have a non-string
    tag; they are never data."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _column_index(reference: str, cache: dict[str, int]) -> int:
    """0-based column of a cell reference such as "AB12"."""
    letters = reference.rstrip("0123456789")
    index = cache.get(letters)
    if index is None:
        index = 0
        for letter in letters:
            index = index * 26 + (ord(letter) - 64)
        index -= 1
        cache[letters] = index
    return index


def _text(element) -> str:
    """Text of a string item (<si> or <is>): the plain <t> plus rich-text runs, without the
    phonetic guides (<rPh>) Excel adds to East Asian text."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            for part in child:
                if _local(part.tag) == "t":
                    parts.append(part.text or "")
    return "".join(parts)


def _clear(element) -> None:
    """Free a parsed element and the siblings before it: keeps memory to one row."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


class _Tags:
    """The qualified tags of a sheet's cells, from its first row's tag ("{namespace}row"):
    compared as they are, without taking each one's local name."""

    def __init__(self, row_tag: str) -> None:
        namespace = row_tag[: -len("row")]
        self.c = namespace + "c"
        self.v = namespace + "v"
        self.inline = namespace + "is"
        self.t = namespace + "t"


def is_blank(cells: tuple | list) -> bool:
    """Whether a row holds nothing: no cell, or only empty ones (None or ""). Counted in C,
    not cell by cell: it is asked of every row of a file."""
    return not any(cells) and cells.count(None) + cells.count("") == len(cells)


# Past this many runs of blank rows held back (rows read differently, one after the other),
# they are given as they are: a sheet alternating two kinds of empty rows a million times
# would otherwise be held whole.
MAX_HELD_RUNS = 10_000


def hold(held: list[list], number: int, cells: tuple, last: int = 0) -> bool:
    """Add blank row `number` (rows `number`…`last`, with `last`), read as `cells`, to the
    rows held back (`held`: runs of [first row, last row, cells], a run going on while its
    rows read alike). True when too many runs are held (`MAX_HELD_RUNS`): give them then."""
    last = last or number
    if held:
        run = held[-1]
        if run[1] == number - 1 and run[2] == cells:
            run[1] = last
            return False
    held.append([number, last, cells])
    return len(held) > MAX_HELD_RUNS


def held_rows(held: list[list]) -> Iterator[tuple[int, tuple]]:
    """The blank rows held back, one by one; `held` is left empty."""
    runs = held[:]
    held.clear()
    for first, last, cells in runs:
        for number in range(first, last + 1):
            yield number, cells


def blank_rows_held(rows: Iterator[tuple[int, tuple]]) -> Iterator[tuple[int, tuple]]:
    """`rows` with the blank ones (`is_blank`) held back and given only when a row with a
    value follows: blank rows at the end are left out, the others given as they were, with
    their numbers. When `rows` raises, the rows held are given first."""
    held: list[list] = []
    try:
        for number, cells in rows:
            if not is_blank(cells):
                if held:
                    yield from held_rows(held)
                yield number, cells
            elif held and held[-1][1] == number - 1 and held[-1][2] == cells:
                held[-1][1] = number  # `hold`, without a call for each of a million rows
            elif hold(held, number, cells):
                yield from held_rows(held)
    except Exception:
        yield from held_rows(held)
        raise


class TooManyStrings(Exception):
    """The workbook's shared strings pass `max_strings` or `max_string_chars` (a zip bomb
    packs millions of them into a few kilobytes)."""


class XlsxStream:
    """An opened .xlsx. Raises ordinary exceptions for broken files; the caller words them."""

    def __init__(
        self,
        source: str | IO[bytes],
        *,
        max_strings: int = 5_000_000,
        max_string_chars: int = 256 * 1024 * 1024,
    ) -> None:
        self.max_strings = max_strings
        self.max_string_chars = max_string_chars
        self.archive = zipfile.ZipFile(source)
        try:
            self._names = set(self.archive.namelist())
            self.sheets = self._read_workbook()
            self._strings: list[str] | None = None
            self._merges: dict[str, list[tuple[int, int, int]]] = {}
            self._date_styles, self._duration_styles, self._percent_styles = self._read_styles()
            # Cell formats whose numbers are not read as plain numbers (see _value).
            self.styles_read_apart = self._date_styles | self._percent_styles
        except Exception:
            self.archive.close()
            raise

    # -- workbook parts ----------------------------------------------------------------

    def _read_workbook(self) -> list[dict]:
        targets = {}
        rels_path = "xl/_rels/workbook.xml.rels"
        if rels_path in self._names:
            for rel in etree.fromstring(self.archive.read(rels_path), etree.XMLParser(**_PARSE)):
                if (rel.get("Type") or "").endswith(WORKSHEET_REL):
                    target = rel.get("Target") or ""
                    if target.startswith("/"):
                        target = target.lstrip("/")
                    else:
                        target = posixpath.normpath(posixpath.join("xl", target))
                    targets[rel.get("Id")] = target
        root = etree.fromstring(self.archive.read("xl/workbook.xml"), etree.XMLParser(**_PARSE))
        self.epoch = WINDOWS_EPOCH
        sheets = []
        for element in root.iter():
            name = _local(element.tag)
            if name == "workbookPr" and element.get("date1904") in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904
            elif name == "sheet":
                rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
                part = targets.get(rel_id)
                if part and part in self._names:
                    sheets.append(
                        {
                            "name": element.get("name") or "",
                            "state": element.get("state") or "visible",
                            "part": part,
                        }
                    )
        if not sheets:
            raise ValueError("workbook has no worksheets")
        return sheets

    def _read_styles(self) -> tuple[set[int], set[int], set[int]]:
        """Indexes of cell formats whose number format shows a date, a duration (among the
        dates) or a percentage."""
        dates: set[int] = set()
        durations: set[int] = set()
        percents: set[int] = set()
        if "xl/styles.xml" not in self._names:
            return dates, durations, percents
        root = etree.fromstring(self.archive.read("xl/styles.xml"), etree.XMLParser(**_PARSE))
        formats = dict(BUILTIN_FORMATS)
        cell_formats = None
        for element in root:
            name = _local(element.tag)
            if name == "numFmts":
                for fmt in element:
                    if fmt.get("numFmtId", "").isdigit():
                        formats[int(fmt.get("numFmtId"))] = fmt.get("formatCode") or ""
            elif name == "cellXfs":
                cell_formats = element
        if cell_formats is None:
            return dates, durations, percents
        xfs = (xf for xf in cell_formats if _local(xf.tag) == "xf")
        for index, xf in enumerate(xfs):
            number_format = formats.get(int(xf.get("numFmtId") or 0), "")
            if is_date_format(number_format):
                dates.add(index)
                if is_timedelta_format(number_format):
                    durations.add(index)
            elif is_percent_format(number_format):
                percents.add(index)
        return dates, durations, percents

    def shared_strings(self) -> list[str]:
        if self._strings is None:
            strings: list[str] = []
            chars = 0
            part = "xl/sharedStrings.xml"
            if part in self._names:
                with self.archive.open(part) as source:
                    for _, element in etree.iterparse(
                        source, events=("end",), tag="{*}si", **_PARSE
                    ):
                        # openpyxl drops the escape Excel writes for a literal "_x" sequence.
                        text = _text(element).replace("x005F_", "")
                        chars += len(text)
                        if len(strings) >= self.max_strings or chars > self.max_string_chars:
                            raise TooManyStrings
                        strings.append(text)
                        _clear(element)
            self._strings = strings
        return self._strings

    def close(self) -> None:
        self.archive.close()

    # -- one sheet ---------------------------------------------------------------------

    def row_estimate(self, part: str) -> int | None:
        """Rows in a sheet, for a progress bar: the <dimension> when it names a last row,
        otherwise extrapolated from how many rows the first megabyte holds."""
        with self.archive.open(part) as source:
            head = source.read(1 << 20)
        found = _DIMENSION.search(head[:65536])
        if found and found.group(4):
            return int(found.group(4))
        rows_in_head = len(_ROW_TAG.findall(head))
        size = self.archive.getinfo(part).file_size
        if rows_in_head == 0 or size <= len(head):
            return rows_in_head
        return int(rows_in_head * size / len(head))

    def merged_down(self, part: str) -> list[tuple[int, int, int]]:
        """(column index, first row, last row) of each merged range of the sheet that spans
        several rows, its first column (where the value is). The ranges come after the rows
        in the sheet's XML, so the part is looked through once, without parsing, for them."""
        cached = self._merges.get(part)
        if cached is not None:
            return cached
        found: set[tuple[int, int, int]] = set()  # a range in two blocks is found twice
        tail = b""
        with self.archive.open(part) as source:
            while block := source.read(1 << 20):
                block = tail + block
                start = block.find(b"mergeCell ")
                if start >= 0:
                    for c1, r1, r2 in _MERGE_REF.findall(block, max(start - 16, 0)):
                        if int(r2) > int(r1):
                            found.add((_column_index(c1.decode(), {}), int(r1), int(r2)))
                cut = block.rfind(b"<")
                tail = block[cut:] if cut >= 0 and len(block) - cut < 256 else b""
        self._merges[part] = sorted(found, key=lambda m: (m[1], m[0]))
        return self._merges[part]

    def hidden_rows(self, part: str) -> list[int]:
        """The numbers of the rows the sheet hides (a filter hides the rows it leaves out; so
        does Hide in Excel). Read without parsing, in one look through the part for the
        word, which most sheets do not have at all."""
        found: set[int] = set()
        tail = b""
        with self.archive.open(part) as source:
            while block := source.read(1 << 20):
                block = tail + block
                if b'hidden="' in block:
                    for tag in _HIDDEN_ROW.findall(block):
                        if number := _ROW_NUMBER.search(tag):
                            found.add(int(number.group(1)))
                tail = block[-1024:]  # a row tag cut at the block's end is whole in the next
        return sorted(found)

    def rows(
        self, part: str, uncomputed: Any = None, *, blank_end: bool = True
    ) -> Iterator[tuple[int, tuple]]:
        """(row number, cell values) for every row up to the last one with cells. Rows the
        file leaves out come back empty, so numbers always match what Excel shows.

        Without `blank_end`, blank rows (no cell holding a value) are held back and given
        only when a row with a value follows: the blank rows at the sheet's end, down to the
        last row its formatting reaches (often Excel's 1,048,576th), are left out, without a
        million empty rows made one by one. Rows held when the file turns out broken are
        given before the error, so a reader names the same row as when they were not held."""
        strings = self.shared_strings()
        columns: dict[str, int] = {}
        expected = 1
        tags: _Tags | None = None
        # Blank rows held back: runs of (first row, last row, cells) of rows read alike.
        held: list[list] = []
        try:
            with self.archive.open(part) as source:
                for _, row in etree.iterparse(source, events=("end",), tag="{*}row", **_PARSE):
                    if tags is None:
                        tags = _Tags(row.tag)
                    number = int(row.get("r") or expected)
                    if blank_end:
                        while expected < number:
                            yield expected, ()
                            expected += 1
                    elif expected < number and hold(held, expected, (), number - 1):
                        yield from held_rows(held)
                    values: list[Any] = []
                    for cell in row:
                        if cell.tag != tags.c and _local(cell.tag) != "c":
                            continue
                        reference = cell.get("r")
                        if reference:
                            index = _column_index(reference, columns)
                            if index > len(values):
                                values.extend([None] * (index - len(values)))
                        values.append(self._common_value(cell, tags, strings, uncomputed))
                    expected = number + 1
                    _clear(row)
                    if blank_end:
                        yield number, tuple(values)
                    elif is_blank(values):
                        if hold(held, number, tuple(values)):
                            yield from held_rows(held)
                    else:
                        if held:
                            yield from held_rows(held)
                        yield number, tuple(values)
        except Exception:
            yield from held_rows(held)
            raise

    def _common_value(self, cell, tags: _Tags, strings: list[str], uncomputed: Any) -> Any:
        """`_value` for the cells nearly every sheet is made of, read without its loop: one
        shared string, one number in a plain number format, one plain inline string.
        Anything else is read by `_value` itself."""
        if len(cell) == 1:
            child = cell[0]
            kind = cell.get("t")
            if child.tag == tags.v:
                raw = child.text
                if raw is not None:
                    if kind == "s":
                        return strings[int(raw)]
                    if kind is None or kind == "n":
                        style = cell.get("s")
                        if (int(style) if style else 0) not in self.styles_read_apart:
                            if "." in raw or "E" in raw or "e" in raw:
                                return float(raw)
                            return int(raw)
            elif child.tag == tags.inline and kind == "inlineStr":
                if len(child) == 1 and child[0].tag == tags.t:
                    return child[0].text or ""
        return self._value(cell, strings, uncomputed)

    def _value(self, cell, strings: list[str], uncomputed: Any) -> Any:
        kind = cell.get("t") or "n"
        raw = formula = inline = None
        for child in cell:
            name = _local(child.tag)
            if name == "v":
                raw = child.text
            elif name == "f":
                formula = child
            elif name == "is":
                inline = child
        if formula is not None and kind != "str" and not (raw or "").strip():
            return uncomputed
        if kind == "inlineStr":
            return _text(inline) if inline is not None else None
        if raw is None:
            return None
        if kind == "n":
            number = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
            style = int(cell.get("s") or 0)
            if style in self._date_styles:
                try:
                    return from_excel(number, self.epoch, timedelta=style in self._duration_styles)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            if style in self._percent_styles:
                return percent_text(raw)
            return number
        if kind == "s":
            return strings[int(raw)]
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            return from_ISO8601(raw)
        return raw  # "str" (a formula's text result) and "e" (an error code such as #N/A)
