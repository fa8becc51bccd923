"""XLSX workbooks written straight to a file as their rows arrive: plain tables, one or several
sheets.

The lists people export (a whole office's personnel: 100,000 rows of 26 columns), the
office's report workbooks (staffing: a sheet per school table) and the tables it prints and
signs (training results, transcripts, rosters: A4, the header on every page, page numbers,
Thai digits if the office prints them) are plain tables: a few title lines, a styled
header, the rows, perhaps a totals row, a note or a signature block, column widths, ID and
date columns kept as text. openpyxl builds an object per cell and took over a minute for such a
list; writing the sheet's XML directly takes a few seconds and holds only a thousand rows in
memory at a time, one sheet after the other.

Every text is an inline string, which no spreadsheet program evaluates: a name beginning
with "=" stays a name (krupd/lib/spreadsheets.py says why that matters). Excel,
LibreOffice, openpyxl and the import's own readers all read this layout.
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import IO, Any

from openpyxl.utils import get_column_letter

from .numerals import to_thai_digits
from .spreadsheets import printed_number

MAX_CELL_TEXT = 32_000  # Excel keeps at most 32,767 characters in a cell
MAX_SHEET_TITLE = 31  # Excel refuses longer sheet names (counted in UTF-16 units)
ROWS_PER_WRITE = 1_000  # rows joined into one write (memory stays flat, writes stay few)
COPY_BYTES = 1 << 20
HEADER_FILL = "DCE6F1"  # the light blue every KruPD export's header row has

# Characters XML 1.0 cannot carry (dropped) and those that need escaping; a text with none
# of them, nearly every cell, is written as it is.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NEEDS_WORK = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_INVALID_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PACKAGE_RELS = (
    _XML + f'<Relationships xmlns="{_PACKAGE_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
# Number formats every spreadsheet program knows by number; any other gets its own entry.
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "@": 49}


@dataclass(frozen=True)
class Style:
    """How a cell looks; the writer gives each distinct style used one entry in styles.xml."""

    bold: bool = False
    size: float | None = None  # points; None is the workbook's 11
    fill: str | None = None  # RGB, e.g. "DCE6F1"
    number_format: str = "General"
    horizontal: str | None = None  # "center", "right" …
    vertical: str | None = None  # "top", "center" …
    wrap: bool = False


PLAIN = Style()
TEXT = Style(number_format="@")  # what someone types later into the column stays text
BOLD = Style(bold=True)
TITLE = Style(bold=True, size=14)
HEADER = Style(bold=True, fill=HEADER_FILL, vertical="center", wrap=True)


RIGHT_TEXT = "right"  # where a number written as Thai-digit text sits, as numbers do


@dataclass(frozen=True)
class Printing:
    """How a sheet prints: on A4, fitted to the page's width (as many pages down as it
    takes), centred across the page; `repeat_header` prints the table's header row on top
    of every page; `page_number` is the header centred on every page after the first
    ("&P" is the page's number; "- &P -" numbers pages as official documents do)."""

    landscape: bool = False
    repeat_header: bool = True
    page_number: str | None = "- &P -"


@dataclass(frozen=True)
class Line:
    """A row outside a sheet's table (a title, a note, a totals row), its cells in one style.
    An empty Line is a blank row. `number_formats` maps a 0-based column to its cell's
    format, as a Sheet's does for its body (a totals row's percentage: "0.00")."""

    values: Sequence[Any] = ()
    style: Style = PLAIN
    number_formats: Mapping[int, str] = field(default_factory=dict)


@dataclass
class Sheet:
    """One sheet: lines above the table, the header row, the rows, lines below it.

    The header sits on the row after the `above` lines; `below` follows the last row at
    once (start it with an empty Line for a gap). `text_columns` (0-based) are formatted as
    text; `number_formats` maps a 0-based column to its body cells' format ("0.00").
    `freeze` is the first cell that scrolls ("A2": the rows above it stay in view).
    `column_styles` gives a column's body cells a style of their own in place of
    `body_style`. `row_height(values)` gives the header's and each row's height in points
    (None: the program's own). `printing` sets up the printed page. `thai_digits` writes
    every number as the text the sheet would show, in Thai digits and aligned right, and
    every digit of the texts and the sheet's title in Thai digits (for an office that prints
    them; no spreadsheet program has a number format for Thai digits).
    """

    title: str
    headers: Sequence[str] = ()
    rows: Iterable[Sequence[Any]] = ()
    widths: Sequence[float | None] = ()
    text_columns: Iterable[int] = ()
    number_formats: Mapping[int, str] = field(default_factory=dict)
    above: Sequence[Line] = ()
    below: Sequence[Line] = ()
    header_style: Style = HEADER
    body_style: Style = PLAIN
    freeze: str | None = None
    column_styles: Mapping[int, Style] = field(default_factory=dict)
    row_height: Callable[[Sequence[Any]], float | None] | None = None
    printing: Printing | None = None
    thai_digits: bool = False


class _Styles:
    """The styles a workbook uses, numbered as they are first met; written last."""

    def __init__(self, font: str = "Calibri") -> None:
        self.index: dict[Style, int] = {PLAIN: 0}
        self.font = _xml_attribute(font)

    def number(self, style: Style) -> int:
        return self.index.setdefault(style, len(self.index))

    def attribute(self, style: Style) -> str:
        """` s="N"` for a cell of this style ("" for the plain one)."""
        number = self.number(style)
        return f' s="{number}"' if number else ""

    def xml(self) -> str:
        fonts: dict[tuple, int] = {(False, None): 0}
        fills: dict[str | None, int] = {None: 0}  # 1 is the gray125 Excel reserves
        formats: dict[str, int] = {}
        xfs = []
        for style in self.index:
            font = fonts.setdefault((style.bold, style.size), len(fonts))
            fill = fills.setdefault(style.fill, len(fills) + 1) if style.fill else 0
            fmt = _BUILTIN_FORMATS.get(style.number_format)
            if fmt is None:
                fmt = formats.setdefault(style.number_format, 164 + len(formats))
            align = ""
            if style.horizontal or style.vertical or style.wrap:
                attributes = "".join(
                    f' {name}="{value}"'
                    for name, value in (
                        ("horizontal", style.horizontal),
                        ("vertical", style.vertical),
                        ("wrapText", "1" if style.wrap else None),
                    )
                    if value
                )
                align = f"<alignment{attributes}/>"
            applied = "".join(
                f' apply{name}="1"'
                for name, used in (
                    ("NumberFormat", fmt),
                    ("Font", font),
                    ("Fill", fill),
                    ("Alignment", align),
                )
                if used
            )
            xfs.append(
                f'<xf numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="0" xfId="0"'
                f"{applied}>{align}</xf>"
            )
        number_formats = "".join(
            f'<numFmt numFmtId="{n}" formatCode="{_xml_attribute(code)}"/>'
            for code, n in formats.items()
        )
        font_xml = "".join(
            f'<font>{"<b/>" if bold else ""}<sz val="{_number(size or 11)}"/>'
            f'<name val="{self.font}"/><family val="2"/></font>'
            for bold, size in fonts
        )
        fill_xml = "".join(
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/>'
            '<bgColor indexed="64"/></patternFill></fill>'
            for rgb in fills
            if rgb
        )
        return (
            _XML
            + f'<styleSheet xmlns="{_MAIN}">'
            + (f'<numFmts count="{len(formats)}">{number_formats}</numFmts>' if formats else "")
            + f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
            f'<fills count="{len(fills) + 1}"><fill><patternFill patternType="none"/></fill>'
            f'<fill><patternFill patternType="gray125"/></fill>{fill_xml}</fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


def _xml_text(text: str) -> str:
    if len(text) > MAX_CELL_TEXT:
        text = text[:MAX_CELL_TEXT]
    if _NEEDS_WORK.search(text) is None:
        return text
    text = _NOT_XML.sub("", text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _xml_attribute(text: str) -> str:
    return _xml_text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _number(value: Decimal | float) -> str:
    """A number as spreadsheet programs write it: 51234.5, 30000 (never 30000.00 or 3E+4)."""
    if value == int(value):
        return str(int(value))
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return repr(value)


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def sheet_title(title: str, taken: Iterable[str] = ()) -> str:
    """A title Excel accepts: at most 31 characters, none of []:*?/\\, no apostrophe at
    either end, and (Excel compares them without case) none of the `taken` titles: a
    repeated title gets " (2)", " (3)" … in place of its last characters."""
    title = _INVALID_SHEET_TITLE.sub(" ", _NOT_XML.sub("", title)).strip().strip("'").strip()
    base = title or "Sheet1"
    seen = {t.casefold() for t in taken}
    if base.casefold() == "history":  # Excel keeps that name for itself
        base += " 1"
    candidate, number = base, 1
    while True:
        while _utf16_length(candidate) > MAX_SHEET_TITLE:
            base = base[:-1]
            candidate = base + (f" ({number})" if number > 1 else "")
        if candidate.casefold() not in seen:
            return candidate
        number += 1
        candidate = f"{base} ({number})"


def _cell(ref: str, value: Any, style: str) -> str:
    """One <c> element ("" for an empty cell); style is ' s="N"' or ""."""
    # The exact types nearly every cell has first: this runs once per cell (millions for a
    # large list), and the isinstance chain below was most of its time.
    kind = type(value)
    if kind is str and value:
        text = _xml_text(value)
        return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    if kind is int:
        return f'<c r="{ref}"{style}><v>{value}</v></c>'
    if kind is float and math.isfinite(value):
        number = str(int(value)) if value.is_integer() else repr(value)
        return f'<c r="{ref}"{style}><v>{number}</v></c>'
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = _xml_text(value)
        return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"{style}><v>{value}</v></c>'
    if isinstance(value, Decimal | float) and math.isfinite(value):
        return f'<c r="{ref}"{style}><v>{_number(value)}</v></c>'
    return _cell(ref, str(value), style)


class _Columns:
    """The column letters and per-column cell styles of a sheet, growing with its widest row."""

    def __init__(self, count: int, style_of: Callable[[int], str]) -> None:
        self.letters: list[str] = []
        self.styles: list[str] = []
        self.style_of = style_of
        self.widen(count)

    def widen(self, count: int) -> None:
        for i in range(len(self.letters), count):
            self.letters.append(get_column_letter(i + 1))
            self.styles.append(self.style_of(i))


def _row(
    number: int,
    columns: _Columns,
    values: Sequence,
    styles: Sequence[str] | None = None,
    height: float | None = None,
) -> str:
    if len(values) > len(columns.letters):
        columns.widen(len(values))
    n = str(number)
    cells = "".join(
        _cell(letter + n, value, style)
        for letter, style, value in zip(
            columns.letters, styles or columns.styles, values, strict=False
        )
    )
    if height:
        return f'<row r="{n}" ht="{_number(height)}" customHeight="1">{cells}</row>'
    return f'<row r="{n}">{cells}</row>'


class _ThaiDigits:
    """A row's values as an office printing Thai digits shows them, and their cells' styles:
    a number becomes the text its cell would show (its number format kept: "0.00" keeps two
    decimals), aligned right unless its style aligns it otherwise. Each style's pair of
    attributes is worked out once (a large sheet has a hundred thousand cells)."""

    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.pairs: dict[Style, tuple[str, str]] = {}

    def pair(self, look: Style) -> tuple[str, str]:
        """The attribute of a text cell of this style, and of a number's cell."""
        pair = self.pairs.get(look)
        if pair is None:
            number_look = replace(look, horizontal=look.horizontal or RIGHT_TEXT)
            pair = self.pairs[look] = (
                self.styles.attribute(look),
                self.styles.attribute(number_look),
            )
        return pair

    def row(self, values: Sequence, pairs: Sequence[tuple[str, str, str]]) -> tuple[list, list]:
        """`pairs`: each cell's text attribute, number attribute and number format."""
        out, attributes = [], []
        for value, (text_style, number_style, number_format) in zip(values, pairs, strict=False):
            kind = type(value)
            if kind is str:
                value = to_thai_digits(value)
            elif kind is int or kind is float or kind is Decimal:
                value = to_thai_digits(printed_number(value, number_format))
                text_style = number_style
            elif isinstance(value, str):
                value = to_thai_digits(value)
            elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                value = to_thai_digits(printed_number(value, number_format))
                text_style = number_style
            out.append(value)
            attributes.append(text_style)
        return out, attributes

    def looks(self, looks: Sequence[Style]) -> list[tuple[str, str, str]]:
        return [(*self.pair(look), look.number_format) for look in looks]


def _cols_element(widths: Sequence[float | None], column_styles: Mapping[int, str]) -> str:
    cols = []
    for i in range(max(len(widths), max(column_styles, default=-1) + 1)):
        width = widths[i] if i < len(widths) else None
        attributes = f' width="{_number(width)}" customWidth="1"' if width else ' width="12"'
        if i in column_styles:
            attributes += column_styles[i]
        cols.append(f'<col min="{i + 1}" max="{i + 1}"{attributes}/>')
    return f"<cols>{''.join(cols)}</cols>" if cols else ""


def _pane(freeze: str | None) -> str:
    if not freeze or freeze == "A1":
        return ""
    column, row = re.fullmatch(r"([A-Z]+)(\d+)", freeze).groups()
    x = sum((ord(c) - 64) * 26**i for i, c in enumerate(reversed(column))) - 1
    y = int(row) - 1
    pane = "bottomRight" if x and y else "bottomLeft" if y else "topRight"
    split = (f' xSplit="{x}"' if x else "") + (f' ySplit="{y}"' if y else "")
    return (
        f'<pane{split} topLeftCell="{freeze}" activePane="{pane}" state="frozen"/>'
        f'<selection pane="{pane}" activeCell="{freeze}" sqref="{freeze}"/>'
    )


def write_batched(
    target: IO[bytes], pieces: Iterable[str], progress: Callable[[int], None] | None = None
) -> int:
    """Write text pieces (a row each) as UTF-8, ROWS_PER_WRITE joined into one write, calling
    `progress(done)` after each full batch. Returns how many pieces were written."""
    batch: list[str] = []
    done = 0
    for done, piece in enumerate(pieces, start=1):  # noqa: B007 (the count is returned)
        batch.append(piece)
        if len(batch) == ROWS_PER_WRITE:
            target.write("".join(batch).encode())
            batch.clear()
            if progress:
                progress(done)
    target.write("".join(batch).encode())
    return done


def _sheet_properties(printing: Printing | None) -> str:
    return '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if printing else ""


def _page_setup(printing: Printing | None) -> str:
    """The elements after <sheetData> that set up the printed page (A4 is paper size 9)."""
    if printing is None:
        return ""
    orientation = "landscape" if printing.landscape else "portrait"
    xml = (
        '<printOptions horizontalCentered="1"/>'
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        f'<pageSetup orientation="{orientation}" paperSize="9" fitToHeight="0" fitToWidth="1"/>'
    )
    if printing.page_number:
        header = _xml_text("&C" + printing.page_number)
        xml += (
            f'<headerFooter differentFirst="1"><oddHeader>{header}</oddHeader>'
            f"<evenHeader>{header}</evenHeader></headerFooter>"
        )
    return xml


def _write_sheet(
    package: zipfile.ZipFile,
    part: str,
    sheet: Sheet,
    styles: _Styles,
    progress: Callable[[int], None] | None,
) -> int:
    """Write one worksheet part; returns the number of table rows written."""
    text_columns = set(sheet.text_columns)

    def body_look(i: int) -> Style:
        look = sheet.column_styles.get(i, sheet.body_style)
        if i in text_columns:
            return replace(look, number_format="@")
        if i in sheet.number_formats:
            return replace(look, number_format=sheet.number_formats[i])
        return look

    columns = _Columns(
        max(len(sheet.headers), len(sheet.widths)), lambda i: styles.attribute(body_look(i))
    )
    column_styles = {i: f' style="{styles.number(TEXT)}"' for i in text_columns}
    height = sheet.row_height or (lambda values: None)
    digits = _ThaiDigits(styles) if sheet.thai_digits else None
    number = 0

    def styled_row(values: Sequence, looks: Sequence[Style], row_height=None) -> str:
        if digits:
            values, attributes = digits.row(values, digits.looks(looks))
        else:
            attributes = [styles.attribute(look) for look in looks]
        return _row(number, columns, values, attributes, row_height)

    def lines(extra: Sequence[Line]) -> Iterable[str]:
        nonlocal number
        for line in extra:
            number += 1
            if line.values:
                looks = [line.style] * len(line.values)
                for i, code in line.number_formats.items():
                    if i < len(looks):
                        looks[i] = replace(line.style, number_format=code)
                yield styled_row(line.values, looks)

    def body(first: int) -> Iterable[str]:
        nonlocal number
        pairs: list[tuple[str, str, str]] = []  # each column's, once
        for number, values in enumerate(sheet.rows, start=first):  # noqa: B007
            if digits:
                if len(values) > len(pairs):
                    more = range(len(pairs), len(values))
                    pairs.extend(digits.looks([body_look(i) for i in more]))
                tall = height(values)  # as the values read before their digits change
                values, attributes = digits.row(values, pairs)
                yield _row(number, columns, values, attributes, tall)
            else:
                yield _row(number, columns, values, None, height(values))

    # The rows go to a scratch file first: the sheet starts with its <dimension>, which
    # readers (openpyxl's read-only mode among them) use to give every row its full width,
    # and it is known only once the last row is written.
    with tempfile.TemporaryFile() as sheet_data:
        sheet_data.write("".join(lines(sheet.above)).encode())
        written = 0
        if sheet.headers:
            number += 1
            header_looks = [sheet.header_style] * len(sheet.headers)
            sheet_data.write(
                styled_row(sheet.headers, header_looks, height(sheet.headers)).encode()
            )
            first = number + 1
            written = write_batched(sheet_data, body(first), progress)
            number = first + written - 1
        sheet_data.write("".join(lines(sheet.below)).encode())
        sheet_data.seek(0)
        last = f"{columns.letters[-1]}{number}" if columns.letters and number else "A1"
        with package.open(part, "w", force_zip64=True) as out:
            out.write(
                (
                    _XML
                    + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
                    + _sheet_properties(sheet.printing)
                    + f'<dimension ref="A1:{last}"/>'
                    f'<sheetViews><sheetView workbookViewId="0">{_pane(sheet.freeze)}'
                    "</sheetView></sheetViews>"
                    '<sheetFormatPr defaultRowHeight="15"/>'
                    + _cols_element(sheet.widths, column_styles)
                    + "<sheetData>"
                ).encode()
            )
            shutil.copyfileobj(sheet_data, out, COPY_BYTES)
            out.write(f"</sheetData>{_page_setup(sheet.printing)}</worksheet>".encode())
    return written


def _print_titles(titles: Sequence[str], header_rows: Mapping[int, int]) -> str:
    """The workbook's names for the header row each sheet prints on every page."""
    if not header_rows:
        return ""
    names = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">'
        + _xml_text("'" + titles[index].replace("'", "''") + f"'!${row}:${row}")
        + "</definedName>"
        for index, row in header_rows.items()
    )
    return f"<definedNames>{names}</definedNames>"


def write_workbook(
    target: IO[bytes],
    sheets: Iterable[Sheet],
    *,
    progress: Callable[[int], None] | None = None,
    font: str = "Calibri",
) -> list[int]:
    """Write a workbook of the sheets, in order, one at a time (a sheet's rows are read only
    when its turn comes). Titles are made acceptable to Excel and unique. `progress(done)` is
    called after every ROWS_PER_WRITE rows of a sheet. `font` is every cell's typeface.
    Returns each sheet's table row count."""
    styles = _Styles(font)
    titles: list[str] = []
    counts: list[int] = []
    header_rows: dict[int, int] = {}  # sheet index: the header row it prints on every page
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as package:
        for number, sheet in enumerate(sheets, start=1):
            title = to_thai_digits(sheet.title) if sheet.thai_digits else sheet.title
            titles.append(sheet_title(title, titles))
            if sheet.printing and sheet.printing.repeat_header and sheet.headers:
                header_rows[number - 1] = len(sheet.above) + 1
            part = f"xl/worksheets/sheet{number}.xml"
            counts.append(_write_sheet(package, part, sheet, styles, progress))
        if not titles:
            raise ValueError("a workbook needs at least one sheet")
        numbers = range(1, len(titles) + 1)
        package.writestr(
            "[Content_Types].xml",
            _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
                f'ContentType="{_OFFICE}.worksheet+xml"/>'
                for n in numbers
            )
            + f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.styles+xml"/>'
            "</Types>",
        )
        package.writestr("_rels/.rels", _PACKAGE_RELS)
        package.writestr(
            "xl/workbook.xml",
            _XML
            + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            + "".join(
                f'<sheet name="{_xml_attribute(title)}" sheetId="{n}" r:id="rId{n}"/>'
                for n, title in zip(numbers, titles, strict=True)
            )
            + "</sheets>"
            + _print_titles(titles, header_rows)
            + "</workbook>",
        )
        package.writestr(
            "xl/_rels/workbook.xml.rels",
            _XML
            + f'<Relationships xmlns="{_PACKAGE_REL}">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" '
                f'Target="worksheets/sheet{n}.xml"/>'
                for n in numbers
            )
            + f'<Relationship Id="rId{len(titles) + 1}" Type="{_REL}/styles" '
            'Target="styles.xml"/></Relationships>',
        )
        package.writestr("xl/styles.xml", styles.xml())
    return counts


def write_table(
    target: IO[bytes],
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[float | None] = (),
    text_columns: Iterable[int] = (),
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write a workbook of one sheet: the header row (styled, frozen) then every row.

    `text_columns` are 0-based indexes of columns formatted as text. `progress(done)` is
    called after every ROWS_PER_WRITE rows and once at the end. Returns the number of data
    rows written.
    """
    sheet = Sheet(
        title=title,
        headers=headers,
        rows=rows,
        widths=widths,
        text_columns=text_columns,
        freeze="A2",
    )
    (written,) = write_workbook(target, [sheet], progress=progress)
    if progress:
        progress(written)
    return written
