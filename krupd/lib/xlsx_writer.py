"""A one-sheet XLSX table written straight to a file as its rows arrive.

The lists people export (a whole office's personnel: 100,000 rows of 26 columns) are plain
tables: a styled header, column widths, ID and date columns kept as text. openpyxl builds an
object per cell and took over a minute for such a list; writing the sheet's XML directly
takes a few seconds and holds only a thousand rows in memory at a time.

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
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from openpyxl.utils import get_column_letter

MAX_CELL_TEXT = 32_000  # Excel keeps at most 32,767 characters in a cell
ROWS_PER_WRITE = 1_000  # rows joined into one write (memory stays flat, writes stay few)
COPY_BYTES = 1 << 20

# Styles, by their index in styles.xml below.
PLAIN, HEADER, TEXT = 0, 1, 2

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
_CONTENT_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.styles+xml"/>'
    "</Types>"
)
_PACKAGE_RELS = (
    _XML + f'<Relationships xmlns="{_PACKAGE_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _XML + f'<Relationships xmlns="{_PACKAGE_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# PLAIN; HEADER: bold on the light blue the other exports use, wrapped, centred vertically;
# TEXT: the "@" format, so what someone types later into an ID or date column stays text.
_STYLES = (
    _XML + f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDCE6F1"/><bgColor indexed="64"/>'
    "</patternFill></fill></fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"'
    ' applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
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


def _number(value: Decimal | float) -> str:
    """A number as spreadsheet programs write it: 51234.5, 30000 (never 30000.00 or 3E+4)."""
    if value == int(value):
        return str(int(value))
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return repr(value)


def sheet_title(title: str) -> str:
    """A title Excel accepts: at most 31 characters, none of []:*?/\\."""
    return _INVALID_SHEET_TITLE.sub(" ", title).strip()[:31] or "Sheet1"


def _cell(ref: str, value: Any, style: str) -> str:
    """One <c> element ("" for an empty cell); style is ' s="N"' or ""."""
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


def _row(number: int, letters: Sequence[str], styles: Sequence[str], values: Iterable) -> str:
    n = str(number)
    cells = "".join(
        _cell(letter + n, value, style)
        for letter, style, value in zip(letters, styles, values, strict=False)
    )
    return f'<row r="{n}">{cells}</row>'


def _columns(widths: Sequence[float | None], text_columns: set[int]) -> str:
    cols = []
    for i, width in enumerate(widths, start=1):
        attributes = f' width="{width}" customWidth="1"' if width else ' width="12"'
        if i - 1 in text_columns:
            attributes += f' style="{TEXT}"'
        cols.append(f'<col min="{i}" max="{i}"{attributes}/>')
    return f"<cols>{''.join(cols)}</cols>" if cols else ""


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
    called after every ROWS_PER_WRITE rows. Returns the number of data rows written.
    """
    text_columns = set(text_columns)
    count = max(len(headers), len(widths))
    letters = [get_column_letter(i) for i in range(1, count + 1)]
    styles = [f' s="{TEXT}"' if i in text_columns else "" for i in range(count)]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _PACKAGE_RELS)
        package.writestr(
            "xl/workbook.xml",
            _XML + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            f'<sheet name="{_xml_text(sheet_title(title))}" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        package.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        package.writestr("xl/styles.xml", _STYLES)
        # The rows go to a scratch file first: the sheet starts with its <dimension>, which
        # readers (openpyxl's read-only mode among them) use to give every row its full width,
        # and it is known only once the last row is written.
        with tempfile.TemporaryFile() as sheet_data:
            sheet_data.write(_row(1, letters, [f' s="{HEADER}"'] * count, headers).encode())
            body = (_row(n, letters, styles, values) for n, values in enumerate(rows, start=2))
            written = write_batched(sheet_data, body, progress)
            sheet_data.seek(0)
            last = f"{letters[-1]}{written + 1}" if letters else "A1"
            with package.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(
                    (
                        _XML + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
                        f'<dimension ref="A1:{last}"/>'
                        '<sheetViews><sheetView workbookViewId="0">'
                        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
                        "</sheetView></sheetViews>"
                        '<sheetFormatPr defaultRowHeight="15"/>'
                        + _columns(widths, text_columns)
                        + "<sheetData>"
                    ).encode()
                )
                shutil.copyfileobj(sheet_data, sheet, COPY_BYTES)
                sheet.write(b"</sheetData></worksheet>")
    if progress:
        progress(written)
    return written
