"""Read uploaded spreadsheets as a stream of rows, whatever state offices' files are in.

XLSX is read by `xlsx_stream` in one forward pass (cached formula results, one row in
memory); Excel 97–2003 (.xls) and OpenDocument (.ods) by python-calamine (an .xls holds at
most 65,536 rows; an .ods passed the unpacked-size limits first), with what calamine does not
give (percentage cells as shown, hidden rows) from `sheet_layout`; CSV with the csv module
after detecting UTF-8 (with or without BOM), UTF-16 or the Thai Windows code page (cp874, a
superset of TIS-620). Every problem with the file as a whole
becomes an `ImportFileError` carrying a Thai message; problems with single cells are left
to the importers.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import logging
import os
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from django.conf import settings

from krupd import uploads
from krupd.lib.clipping import clip
from krupd.lib.spreadsheets import CSV_GUARD, strip_csv_guard

from .importers import FORMULA
from .sheet_layout import Layout, sheet_layout
from .xlsx_stream import TooManyStrings, blank_rows_held, held_rows, hold, is_blank

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = settings.UPLOAD_MAX_MB["spreadsheet"] * 1024 * 1024  # krupd/uploads.py
# An XLSX is a zip: what it unpacks to is limited in total, and so is how much more than its
# packed size any one part unpacks to (real sheets pack 5–20 times; a zip bomb, hundreds),
# and the shared strings every cell refers to are limited in number and total length.
# The upload request only reads the zip's directory; opening the workbook happens in the
# background validation. docs/deploy.md lists these and how to change them.
MAX_UNPACKED_BYTES = settings.IMPORT_MAX_UNPACKED_MB * 1024 * 1024
MAX_COMPRESSION_RATIO = settings.IMPORT_MAX_COMPRESSION_RATIO
RATIO_CHECKED_FROM_BYTES = 10 * 1024 * 1024  # small parts may pack very well (empty sheets)
MAX_SHARED_STRINGS = settings.IMPORT_MAX_SHARED_STRINGS
MAX_SHARED_STRING_CHARS = settings.IMPORT_MAX_SHARED_STRING_MB * 1024 * 1024
MAX_ROWS = 1_000_000
# An .ods is read whole (python-calamine holds the sheet): its content part may unpack to
# this much, about 80,000 rows of a personnel sheet; larger sheets go as .xlsx or CSV, which
# are read row by row.
MAX_ODS_CONTENT_BYTES = 256 * 1024 * 1024
# Rows looked through for the header. Official lists open with a title block (agency, office,
# subject, "ข้อมูล ณ วันที่", notes, blank lines) that often takes more than ten lines.
HEADER_SCAN_ROWS = 30
# Uncomputed formulas are looked up cell by cell; past this many the file is refused whole.
MAX_UNCOMPUTED_FORMULAS = 100_000

XLSX = "xlsx"
XLS = "xls"  # Excel 97–2003
ODS = "ods"  # OpenDocument (LibreOffice, OpenOffice, WPS)
CSV = "csv"
# Where an uploaded file of each format is kept (imports.models.upload_path).
SUFFIXES = {XLSX: ".xlsx", XLS: ".xls", ODS: ".ods", CSV: ".csv"}

PASSWORD_MESSAGE = (
    "ไฟล์นี้ตั้งรหัสผ่านไว้ ระบบเปิดอ่านไม่ได้ "
    "กรุณาเปิดใน Excel เอารหัสผ่านออก (ไฟล์ > ข้อมูล > ป้องกันเวิร์กบุ๊ก) แล้วบันทึกใหม่"
)
MACROS_MESSAGE = (
    "ไฟล์ Excel นี้มีแมโคร (VBA) ซึ่งระบบไม่รับ "
    "กรุณาเปิดใน Excel แล้วบันทึกเป็น .xlsx (เวิร์กบุ๊ก Excel) หรือ CSV UTF-8"
)
OLD_EXCEL_MESSAGE = (
    "ไฟล์นี้ไม่ใช่ตาราง Excel (.xls) ที่อ่านได้ (อาจเป็นไฟล์ Word หรือ PowerPoint รุ่นเก่า หรือไฟล์เสียหาย) "
    "กรุณาเปิดใน Excel แล้วบันทึกเป็น .xlsx หรือ CSV UTF-8 แล้วอัปโหลดใหม่"
)
UNREADABLE_MESSAGES = {
    XLS: "อ่านไฟล์ Excel (.xls) นี้ไม่ได้ ไฟล์อาจเสียหายหรือตั้งรหัสผ่านไว้ "
    "กรุณาเปิดใน Excel แล้วบันทึกเป็น .xlsx หรือ CSV UTF-8 แล้วอัปโหลดใหม่",
    ODS: "อ่านไฟล์ OpenDocument (.ods) นี้ไม่ได้ ไฟล์อาจเสียหาย "
    "กรุณาเปิดแล้วบันทึกเป็น .xlsx หรือ CSV UTF-8 แล้วอัปโหลดใหม่",
}
_OLE_REFUSALS = {
    uploads.OLE_ENCRYPTED: PASSWORD_MESSAGE,
    uploads.OLE_MACROS: MACROS_MESSAGE,
    uploads.OLE_OTHER: OLD_EXCEL_MESSAGE,
}
CORRUPT_XLSX_MESSAGE = "ไฟล์ Excel เสียหายหรือไม่ใช่ไฟล์ .xlsx ที่อ่านได้ กรุณาเปิดใน Excel แล้วบันทึกใหม่"
NOT_TEXT_MESSAGE = "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) หรือ CSV กรุณาเลือกไฟล์ตารางข้อมูล"
UNPACKED_TOO_LARGE_MESSAGE = (
    "ไฟล์ Excel นี้เมื่อขยายออกมีขนาดใหญ่ผิดปกติ (อาจเป็นไฟล์ที่สร้างขึ้นเพื่อทำให้ระบบทำงานหนัก) "
    "กรุณาเปิดใน Excel แล้วบันทึกใหม่ หรือแบ่งไฟล์แล้วนำเข้าทีละส่วน"
)
TOO_MANY_STRINGS_MESSAGE = (
    "ไฟล์ Excel นี้มีข้อความในเซลล์มากเกินกว่าที่ระบบรับได้ในครั้งเดียว กรุณาแบ่งไฟล์แล้วนำเข้าทีละส่วน"
)
ODS_TOO_LARGE_MESSAGE = (
    "ไฟล์ OpenDocument (.ods) นี้ใหญ่เกินกว่าที่ระบบอ่านได้ในครั้งเดียว "
    "กรุณาบันทึกเป็น .xlsx หรือ CSV UTF-8 หรือแบ่งไฟล์แล้วนำเข้าทีละส่วน"
)
ENCODING_MESSAGE = "อ่านตัวอักษรในไฟล์ CSV ไม่ได้ กรุณาบันทึกเป็น “CSV UTF-8” หรือ CSV ภาษาไทย (TIS-620)"


TOO_MANY_ROWS_MESSAGE = f"ไฟล์มีเกิน {MAX_ROWS:,} แถว กรุณาแบ่งไฟล์แล้วนำเข้าทีละส่วน"


def row_list(numbers: list[int], shown: int = 20) -> str:
    """ "แถวที่ 4, 6 และอีก 3 แถว": row numbers as a message lists them."""
    rows = ", ".join(f"{n:,}" for n in numbers[:shown])
    more = f" และอีก {len(numbers) - shown:,} แถว" if len(numbers) > shown else ""
    return f"แถวที่ {rows}{more}"


def hidden_rows_title(count: int, *, imported: bool = False) -> str:
    """What the preview (or, `imported`, the result of an import without one) says of rows
    the file hid."""
    will = "ถูกนำเข้าแล้วด้วย" if imported else "จะถูกนำเข้าด้วย"
    return (
        f"มีแถวที่ถูกซ่อนในไฟล์ {count:,} แถว (เช่น ถูกกรองด้วยตัวกรอง) แถวเหล่านี้{will} "
        "หากไม่ต้องการ กรุณาลบออกจากไฟล์แล้วอัปโหลดใหม่"
    )


class ImportFileError(Exception):
    """The file as a whole cannot be read. `str(error)` is a Thai message for the uploader."""


def sniff(fileobj: IO[bytes], name: str = "") -> str:
    """Decide from the content (not the name) whether a file is XLSX or CSV; refuse anything else.

    Cheap enough for the upload request: reads the zip directory, or the first 64 KiB of text.
    """
    fileobj.seek(0, os.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    if size == 0:
        raise ImportFileError("ไฟล์ว่างเปล่า ไม่มีข้อมูล")
    if size > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            f"ไฟล์ใหญ่เกิน {MAX_UPLOAD_BYTES // (1024 * 1024)} MB กรุณาแบ่งไฟล์แล้วนำเข้าทีละส่วน"
        )
    head = fileobj.read(1024)
    fileobj.seek(0)
    if head.startswith(uploads.OLE_SIGNATURE):
        content = uploads.ole_content(fileobj)
        if content == uploads.OLE_WORKBOOK:
            return XLS
        raise ImportFileError(_OLE_REFUSALS[content])
    refuse_other_formats(head)
    if head.startswith(b"PK"):
        return _check_zip_container(fileobj)
    try:
        return _sniff_text(fileobj)
    except ImportFileError:
        # Systems that export "Excel" often write a text table under an .xls name (tabs,
        # UTF-16 or the Thai code page), which is read above as what it is; anything else
        # named so is a workbook that is broken, and is called that.
        if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
            raise ImportFileError(CORRUPT_XLSX_MESSAGE) from None
        raise


def _sniff_text(fileobj: IO[bytes]) -> str:
    sample = fileobj.read(64 * 1024)
    fileobj.seek(0)
    if b"\x00" in sample and not uploads.utf16_encoding(sample):
        raise ImportFileError(NOT_TEXT_MESSAGE)
    text = _decode_sample(sample)
    if text is None:
        raise ImportFileError(ENCODING_MESSAGE)
    if not _looks_like_table(text):
        raise ImportFileError(NOT_TABLE_MESSAGE)
    return CSV


# What the first bytes of files people pick by mistake say they are, whatever their name.
OTHER_FORMATS = (
    (b"\xd0\xcf\x11\xe0", OLD_EXCEL_MESSAGE),
    (b"%PDF", "ไฟล์ PDF นำเข้าไม่ได้ กรุณาใช้ไฟล์ Excel (.xlsx) หรือ CSV"),
    (b"\x89PNG", "ไฟล์รูปภาพนำเข้าไม่ได้ กรุณาใช้ไฟล์ Excel (.xlsx) หรือ CSV"),
    (b"\xff\xd8\xff", "ไฟล์รูปภาพนำเข้าไม่ได้ กรุณาใช้ไฟล์ Excel (.xlsx) หรือ CSV"),
    (b"GIF8", "ไฟล์รูปภาพนำเข้าไม่ได้ กรุณาใช้ไฟล์ Excel (.xlsx) หรือ CSV"),
    (b"{\\rtf", "ไฟล์ Word (RTF) นำเข้าไม่ได้ กรุณาใช้ไฟล์ Excel (.xlsx) หรือ CSV"),
    (b"Rar!", "ไฟล์บีบอัดนำเข้าไม่ได้ กรุณาแตกไฟล์แล้วเลือกไฟล์ Excel (.xlsx) หรือ CSV"),
    (b"7z\xbc\xaf", "ไฟล์บีบอัดนำเข้าไม่ได้ กรุณาแตกไฟล์แล้วเลือกไฟล์ Excel (.xlsx) หรือ CSV"),
    (b"\x1f\x8b", "ไฟล์บีบอัดนำเข้าไม่ได้ กรุณาแตกไฟล์แล้วเลือกไฟล์ Excel (.xlsx) หรือ CSV"),
)
WEB_PAGE_MESSAGE = (
    "ไฟล์นี้เป็นหน้าเว็บหรือ Excel แบบ XML/HTML (ระบบอื่นมักส่งออกเป็น .xls แบบนี้) "
    "กรุณาเปิดใน Excel แล้วบันทึกเป็น .xlsx หรือ CSV UTF-8 แล้วอัปโหลดใหม่"
)
NOT_TABLE_MESSAGE = (
    "ไฟล์นี้ไม่ใช่ตารางข้อมูล (ไม่พบการแบ่งคอลัมน์ด้วยจุลภาคหรือแท็บ) กรุณาใช้ไฟล์ Excel (.xlsx) หรือ CSV"
)


def refuse_other_formats(head: bytes) -> None:
    """Refuse a file whose first bytes say it is a PDF, an image, a web page… (not its name).

    A PDF may start its signature anywhere in the first 1,024 bytes."""
    for magic, message in OTHER_FORMATS:
        if head.startswith(magic):
            raise ImportFileError(message)
    if b"%PDF-" in head:
        raise ImportFileError(OTHER_FORMATS[1][1])
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table", b"<?mso")):
        raise ImportFileError(WEB_PAGE_MESSAGE)


def _looks_like_table(text: str) -> bool:
    """Text with columns: some line among the first ones holds a delimiter. Prose, a log or a
    single word per line is not a sheet of any kind (each kind needs two columns or more)."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        return True  # an empty sheet: reported as such by the validation
    if sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\r\n\f") > 8:
        return False  # binary content that happened to decode
    return any(d in line for line in lines for d in (",", "\t", ";", "|"))


def _check_zip_container(fileobj: IO[bytes]) -> str:
    """XLSX or ODS, by the parts in the zip, once its directory says it unpacks to a sane size."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise ImportFileError(CORRUPT_XLSX_MESSAGE) from None
    finally:
        fileobj.seek(0)
    names = {info.filename for info in infos}
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES or any(
        info.file_size > RATIO_CHECKED_FROM_BYTES
        and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        for info in infos
    ):
        raise ImportFileError(UNPACKED_TOO_LARGE_MESSAGE)
    if "xl/workbook.xml" in names:
        return XLSX
    if "content.xml" in names:
        if uploads.sniff(fileobj) != uploads.ODS:
            raise ImportFileError(
                "ไฟล์ OpenDocument นี้ไม่ใช่ตารางคำนวณ (.ods) หรือมีแมโคร "
                "กรุณาเปิดแล้วบันทึกเป็น .ods, .xlsx หรือ CSV UTF-8"
            )
        if next(i.file_size for i in infos if i.filename == "content.xml") > MAX_ODS_CONTENT_BYTES:
            raise ImportFileError(ODS_TOO_LARGE_MESSAGE)
        return ODS
    if "word/document.xml" in names:
        raise ImportFileError("ไฟล์ Word นำเข้าไม่ได้ กรุณาใช้ไฟล์ Excel (.xlsx) หรือ CSV")
    raise ImportFileError(CORRUPT_XLSX_MESSAGE)


def _decode_sample(sample: bytes) -> str | None:
    utf16 = uploads.utf16_encoding(sample)
    for encoding in (utf16,) if utf16 else ("utf-8-sig", "cp874"):
        try:
            return codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
    if utf16:
        return None
    # A few bytes of the other encoding pasted in: read on (detect_encoding decides).
    texts = [codecs.decode(sample, e, errors="replace") for e in ("utf-8-sig", "cp874")]
    text = min(texts, key=lambda t: t.count("\ufffd"))
    return text if text.count("\ufffd") <= MAX_UNREADABLE_CHARACTERS else None


class Sheet:
    """One sheet of an uploaded file, read row by row. Use as a context manager."""

    name: str = ""
    total_estimate: int | None = None
    book: Book | None = None  # closed with the sheet when the sheet was opened on its own

    def rows(self, start: int = 1) -> Iterator[tuple[int, tuple]]:
        """(row number as the spreadsheet shows it, cell values) from row `start` on.

        A blank row (no cell holding a value) is given only when a row with a value follows
        it: the blank rows at the sheet's end are left out. Past the rows of data of a sheet
        formatted down to Excel's last row (1,048,576), common in offices' files, nothing is
        read but the sheet's XML (or lines). Every row number is the sheet's own."""
        return blank_rows_held(self._rows(start, blank_end=False))

    def _rows(self, start: int = 1, *, blank_end: bool = True) -> Iterator[tuple[int, tuple]]:
        """Every row from `start` on, as read. Without `blank_end`, a reader may leave out
        blank rows at the sheet's end itself (and need not make them one by one)."""
        raise NotImplementedError

    def all_rows(self, start: int = 1) -> Iterator[tuple[int, tuple]]:
        """`rows(start)` for one pass over the whole sheet (the validation's), where a faster
        reader may serve: the same rows and values, except that a row's empty cells at its
        end may be left out (a reader of rows never tells them from missing ones)."""
        return self.rows(start)

    def hidden_rows(self) -> list[int]:
        """Numbers of the rows the file hides (Hide, or a filter's); none in a CSV."""
        return []

    def head(self, count: int = HEADER_SCAN_ROWS) -> list[tuple[int, tuple]]:
        """The sheet's first `count` rows, blank ones included (`rows` holds a blank row back
        until a row with a value follows, which may be a million rows further down)."""
        out = []
        for number, cells in self._rows():
            out.append((number, cells))
            if len(out) >= count:
                break
        return out

    def close(self) -> None:
        if self.book is not None:
            self.book.close()

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class Book:
    """An opened file: its sheets (CSV has one). Opening an XLSX is the costly part, so a
    validation opens the file once and reads every sheet it needs from the same Book."""

    def sheet_names(self) -> list[str]:
        raise NotImplementedError

    def sheet(self, name: str = "") -> Sheet:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def open_book(path: str, fmt: str) -> Book:
    if fmt == XLSX:
        return XlsxBook(path)
    if fmt in (XLS, ODS):
        return CalamineBook(path, fmt)
    if fmt == CSV:
        return CsvBook(path)
    raise ImportFileError(NOT_TEXT_MESSAGE)


def open_stored(path: str) -> Book:
    """A stored upload in whichever format its content is (`sniff`, with its limits), for
    readers of a whole workbook queued without one (O-NET results)."""
    with open(path, "rb") as source:
        fmt = sniff(source, path)
    return open_book(path, fmt)


def open_sheet(path: str, fmt: str, sheet_name: str = "") -> Sheet:
    """One sheet of a file, for callers that need only one (the error file, samples)."""
    book = open_book(path, fmt)
    sheet = book.sheet(sheet_name)
    sheet.book = book
    return sheet


# ---------------------------------------------------------------------------- XLSX


def _open_xlsx(path: str | IO[bytes]):
    from .xlsx_stream import XlsxStream

    try:
        return XlsxStream(
            path, max_strings=MAX_SHARED_STRINGS, max_string_chars=MAX_SHARED_STRING_CHARS
        )
    except Exception:  # broken zips and XML raise many types; all mean the same to users
        logger.info("unreadable xlsx %s", path, exc_info=True)
        raise ImportFileError(CORRUPT_XLSX_MESSAGE) from None


class XlsxBook(Book):
    def __init__(self, path: str | IO[bytes]) -> None:
        self.path = path
        self.stream = _open_xlsx(path)

    def sheet_names(self) -> list[str]:
        visible = [s["name"] for s in self.stream.sheets if s["state"] == "visible"]
        return visible[:10] or [self.stream.sheets[0]["name"]]

    def has_sheet(self, name: str) -> bool:
        """Whether the workbook has a sheet of exactly this name, hidden or not (`sheet`
        falls back to the first sheet)."""
        return any(s["name"] == name for s in self.stream.sheets)

    def sheet(self, name: str = "") -> Sheet:
        """The sheet of this name; without one (or none of it), the first visible sheet, as
        Excel opens the file: a hidden first sheet is an older copy or a lookup list, never
        the data the user looked at."""
        sheets = self.stream.sheets
        chosen = next((s for s in sheets if name and s["name"] == name), None)
        visible = next((s for s in sheets if s["state"] == "visible"), sheets[0])
        return XlsxSheet(self, chosen or visible)

    def close(self) -> None:
        self.stream.close()


class XlsxSheet(Sheet):
    def __init__(self, xlsx: XlsxBook, sheet: dict) -> None:
        self.path = xlsx.path
        self.stream = xlsx.stream
        self.part = sheet["part"]
        self.name = sheet["name"]
        try:
            self.total_estimate = self.stream.row_estimate(self.part)
        except Exception:
            self.total_estimate = None

    def merged_down(self) -> list[tuple[int, int, int]]:
        try:
            return self.stream.merged_down(self.part)
        except Exception:  # left to `rows`, which words what is wrong with the file
            logger.info("merged ranges of %s unreadable", self.path, exc_info=True)
            return []

    def hidden_rows(self) -> list[int]:
        try:
            return self.stream.hidden_rows(self.part)
        except Exception:  # left to `rows`, which words what is wrong with the file
            logger.info("hidden rows of %s unreadable", self.path, exc_info=True)
            return []

    def _rows(self, start: int = 1, *, blank_end: bool = True) -> Iterator[tuple[int, tuple]]:
        number = start - 1
        uncomputed = 0
        try:
            merges = self.merged_down()
            # A merged range fills the rows it spans, blank or not: they are read to the end.
            rows = self.stream.rows(
                self.part, uncomputed=FORMULA, blank_end=blank_end or bool(merges)
            )
            for number, cells in fill_merged_down(rows, merges) if merges else rows:
                if number > MAX_ROWS and not is_blank(cells):
                    raise ImportFileError(TOO_MANY_ROWS_MESSAGE)
                if number < start:
                    continue
                # A formula saved without its result reads as FORMULA, which the importers
                # report per cell; a sheet full of them was never calculated at all.
                uncomputed += sum(1 for value in cells if value is FORMULA)
                if uncomputed > MAX_UNCOMPUTED_FORMULAS:
                    raise ImportFileError(
                        "ไฟล์มีสูตรที่ยังไม่ได้คำนวณจำนวนมาก กรุณาเปิดไฟล์ใน Excel แล้วบันทึกใหม่ก่อนนำเข้า"
                    )
                yield number, cells
        except ImportFileError:
            raise
        except TooManyStrings:
            raise ImportFileError(TOO_MANY_STRINGS_MESSAGE) from None
        except Exception:
            logger.info("xlsx read failed at row %s of %s", number + 1, self.path, exc_info=True)
            raise ImportFileError(
                f"อ่านไฟล์ไม่ได้ตั้งแต่แถวที่ {number + 1:,} ไฟล์อาจเสียหาย กรุณาเปิดใน Excel แล้วบันทึกใหม่"
            ) from None

    def native_obstacle(self) -> str:
        """Why calamine may read this sheet otherwise than `rows` ("" when it may not)."""
        from .xlsx_native import MAX_NATIVE_ROWS, native_obstacle

        if not isinstance(self.path, str):
            return "not a stored file"
        if (self.total_estimate or 0) > MAX_NATIVE_ROWS:
            return "large sheet"
        try:
            return native_obstacle(
                self.stream.archive,
                self.part,
                styles_read_apart=self.stream.styles_read_apart,
                max_strings=self.stream.max_strings,
            )
        except Exception:  # left to `rows`, which words what is wrong with the file
            logger.info("native check failed for %s", self.path, exc_info=True)
            return "unreadable"

    def all_rows(self, start: int = 1) -> Iterator[tuple[int, tuple]]:
        """With python-calamine (several times faster) when `native_obstacle` finds nothing,
        going on with `rows` from the row where it meets a value it should not have (or
        cannot read on); otherwise `rows` itself. Blank rows are held back as `rows` does."""
        return blank_rows_held(self._all_rows(start))

    def _all_rows(self, start: int) -> Iterator[tuple[int, tuple]]:
        from .xlsx_native import NativeFallback, native_rows

        obstacle = "merged cells over several rows" if self.merged_down() else ""
        obstacle = obstacle or self.native_obstacle()
        if obstacle:
            logger.info("xlsx %s read by the streaming reader: %s", self.path, obstacle)
            yield from self._rows(start, blank_end=False)
            return
        assert isinstance(self.path, str)
        going_on = start
        try:
            for number, cells in native_rows(self.path, self.name, start=start):
                if number > MAX_ROWS and not is_blank(cells):
                    raise ImportFileError(TOO_MANY_ROWS_MESSAGE)
                going_on = number + 1
                yield number, cells
            return
        except NativeFallback as stop:
            going_on = stop.row
            logger.info("xlsx %s: streaming reader from row %s", self.path, stop.row)
        except ImportFileError:
            raise
        except Exception:
            logger.info("native read of %s stopped at row %s", self.path, going_on, exc_info=True)
        yield from self._rows(going_on, blank_end=False)


def fill_merged_down(
    rows: Iterator[tuple[int, tuple]], merges: list[tuple[int, int, int]]
) -> Iterator[tuple[int, tuple]]:
    """Rows with each cell a merged range spans below its first row given the range's value,
    as the sheet shows it: a school's code and name merged down the rows of its teachers
    belong to every one of them, where a reader of rows sees them on the first row alone
    (the rest read as empty: the teachers became office staff). Only the range's first
    column is filled, so a value merged across columns never lands in another field.
    `merges`: (column index, first row, last row), sorted by first row."""
    reached = 0  # merges[:reached] have had their first row
    active: list[tuple[int, int, Any]] = []  # (column, last row, value) of ranges under way
    for number, cells in rows:
        written = cells  # as the file has it: a range starts only from a value written there
        active = [a for a in active if a[1] >= number]
        if active:
            out = list(cells)
            for column, _last, value in active:
                if column >= len(out):
                    out.extend([None] * (column + 1 - len(out)))
                if out[column] is None or out[column] == "":
                    out[column] = value
            cells = tuple(out)
        while reached < len(merges) and merges[reached][1] <= number:
            column, first, last = merges[reached]
            reached += 1
            if first == number and column < len(written) and written[column] is not None:
                active.append((column, last, written[column]))
        yield number, cells


# ---------------------------------------------------------------------------- XLS and ODS


class CalamineBook(Book):
    """An Excel 97–2003 workbook or an OpenDocument spreadsheet, read by python-calamine,
    which holds the chosen sheet whole (an .xls has at most 65,536 rows; an .ods is within
    the unpacked-size limits checked at upload)."""

    def __init__(self, path: str, fmt: str) -> None:
        from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

        self.path = path
        self.fmt = fmt
        try:
            self.workbook = CalamineWorkbook.from_path(path)
            sheets = self.workbook.sheets_metadata
        except Exception:  # a broken or password-protected file; all mean the same to users
            logger.info("unreadable %s %s", fmt, path, exc_info=True)
            raise ImportFileError(UNREADABLE_MESSAGES[fmt]) from None
        # Worksheets only (not chart sheets), hidden ones last: `sheet("")` takes the first.
        worksheets = [s for s in sheets if s.typ == SheetTypeEnum.WorkSheet] or list(sheets)
        if not worksheets:
            raise ImportFileError(UNREADABLE_MESSAGES[fmt])
        self.visible = [s.name for s in worksheets if s.visible == SheetVisibleEnum.Visible]
        self.names = [s.name for s in worksheets]
        self._layouts: dict[str, Layout] = {}

    def layout(self, name: str, last_row: int) -> Layout:
        """A sheet's percentage cells and hidden rows (imports/sheet_layout.py), read once
        for the book: a validation opens the same sheet for its header, samples and rows."""
        if name not in self._layouts:
            self._layouts[name] = sheet_layout(self.path, self.fmt, name, last_row)
        return self._layouts[name]

    def sheet_names(self) -> list[str]:
        return self.visible[:10] or self.names[:1]

    def has_sheet(self, name: str) -> bool:
        return name in self.names

    def sheet(self, name: str = "") -> Sheet:
        chosen = name if name in self.names else (self.visible or self.names)[0]
        return CalamineSheet(self, chosen)

    def close(self) -> None:
        self.workbook.close()


class CalamineSheet(Sheet):
    def __init__(self, calamine: CalamineBook, name: str) -> None:
        self.name = name
        self.fmt = calamine.fmt
        try:
            self.data = calamine.workbook.get_sheet_by_name(name)
        except Exception:
            logger.info("unreadable sheet %s of %s", name, calamine.path, exc_info=True)
            raise ImportFileError(UNREADABLE_MESSAGES[calamine.fmt]) from None
        self.calamine = calamine
        start = self.data.start
        self.total_estimate = start[0] + self.data.height if start else 0

    def layout(self) -> Layout:
        """The sheet's percentage cells, hidden rows (and an .ods's merged ranges), which
        calamine does not give, down to its last row or the last an .xls merge reaches."""
        end = self.data.end
        last = end[0] + 1 if end else 0
        if self.fmt == XLS:
            last = max([last, *(m[2] for m in self._calamine_merges())])
        return self.calamine.layout(self.name, last)

    def hidden_rows(self) -> list[int]:
        """Rows hidden or left out by a filter, as for an .xlsx."""
        return list(self.layout().hidden)

    def _rows(self, start: int = 1, *, blank_end: bool = True) -> Iterator[tuple[int, tuple]]:
        from .xlsx_native import calamine_rows

        merges = self.merged_down()
        rows = calamine_rows(self.data, 1 if merges else start, calamine_cells)
        if percents := self.layout().percents:
            rows = shown_percentages(rows, percents)
        if errors := self.layout().errors:
            rows = shown_errors(rows, errors)
        if merges:  # a range may reach below calamine's last row, as an .xlsx's rows do
            rows = _down_to(rows, max(last for _column, _first, last in merges))
        for number, cells in fill_merged_down(rows, merges) if merges else rows:
            if number > MAX_ROWS and not is_blank(cells):
                raise ImportFileError(TOO_MANY_ROWS_MESSAGE)
            if number >= start:
                yield number, cells

    def merged_down(self) -> list[tuple[int, int, int]]:
        """As `XlsxSheet.merged_down`, from calamine's (0-based) ranges for an .xls; calamine
        gives none for an .ods, whose ranges are read from the file (`sheet_layout`)."""
        if self.fmt == ODS:
            return sorted(self.layout().merges, key=lambda m: (m[1], m[0]))
        return self._calamine_merges()

    def _calamine_merges(self) -> list[tuple[int, int, int]]:
        try:
            ranges = self.data.merged_cell_ranges or []
        except Exception:
            return []
        return sorted(
            {(c1, r1 + 1, r2 + 1) for (r1, c1), (r2, _c2) in ranges if r2 > r1},
            key=lambda m: (m[1], m[0]),
        )


def _down_to(rows: Iterator[tuple[int, tuple]], last: int) -> Iterator[tuple[int, tuple]]:
    """The rows, then empty ones down to row `last`."""
    number = 0
    for number, cells in rows:
        yield number, cells
    for empty in range(number + 1, last + 1):
        yield empty, ()


def shown_percentages(
    rows: Iterator[tuple[int, tuple]], percents: dict[int, dict[int, str]]
) -> Iterator[tuple[int, tuple]]:
    """Rows with each number of a percentage cell given as the text the sheet shows ("45.5%"
    for 0.455), as `xlsx_stream` reads an .xlsx: an importer then reads the same value
    whichever format the office saved. `percents`: row number → {column → text shown}."""
    # A number, as calamine read it.
    return _shown(rows, percents, lambda value: value.__class__ in (int, float))


def shown_errors(
    rows: Iterator[tuple[int, tuple]], errors: dict[int, dict[int, str]]
) -> Iterator[tuple[int, tuple]]:
    """Rows with each cell whose formula failed given as the error it shows ("#DIV/0!"), as
    `xlsx_stream` reads it: calamine reads it as empty, and an importer took the empty cell
    (a salary of #VALUE! stored as no salary). `errors`: row number → {column → error}."""
    return _shown(rows, errors, lambda value: value is None or value == "")


def _shown(
    rows: Iterator[tuple[int, tuple]], by_row: dict[int, dict[int, str]], replaces
) -> Iterator[tuple[int, tuple]]:
    """Rows with the cells `by_row` names (row number → {column → text shown}) given as that
    text where `replaces(what calamine read)` (None past the row's last cell)."""
    for number, cells in rows:
        shown = by_row.get(number)
        if shown:
            out = list(cells)
            for column, text in shown.items():
                value = out[column] if column < len(out) else None
                if replaces(value):
                    out += [None] * (column + 1 - len(out))
                    out[column] = text
            cells = tuple(out)
        yield number, cells


def calamine_cells(row: list) -> tuple:
    """A row as the importers take cells from `xlsx_stream`: an empty cell is None, a whole
    number an int (calamine gives every number of an .xls or .ods as a float), text, dates
    and times, booleans and error codes ("#N/A") as they are; empty cells at the end left out."""
    out = []
    for value in row:
        if value.__class__ is str:
            out.append(value or None)
        elif value.__class__ is float:
            out.append(int(value) if value.is_integer() else value)
        elif isinstance(value, (int, float, bool, dt.date, dt.time, dt.timedelta)):
            out.append(value)
        else:
            out.append(str(value))
    while out and out[-1] is None:
        out.pop()
    return tuple(out)


def computed_rows(
    sheet: Sheet, problems: list[str], where: str = "แถวที่ {number}"
) -> Iterator[tuple[int, tuple]]:
    """`sheet.rows()` for readers that take a workbook whole (frameworks, O-NET results): a
    formula saved without its result is a problem named by its row (`where`, the reader's
    own way of naming a row), and reads as an empty cell so the rest of the row is checked."""
    for number, cells in sheet.rows():
        if any(value is FORMULA for value in cells):
            problems.append(f"{where.format(number=number)}: {UNCOMPUTED_FORMULA_MESSAGE}")
            cells = tuple(None if value is FORMULA else value for value in cells)
        yield number, cells


UNCOMPUTED_FORMULA_MESSAGE = (
    "มีช่องที่เป็นสูตรซึ่งยังไม่มีผลลัพธ์ (เปิดไฟล์ใน Excel แล้วบันทึกใหม่ หรือคัดลอกแล้ววางแบบค่า)"
)


# ---------------------------------------------------------------------------- CSV


def detect_encoding(path: str) -> tuple[str, int, str]:
    """(encoding, number of line breaks, how to decode: "strict", or "replace" for a file
    with a few unreadable bytes) after checking the whole file decodes.

    UTF-8 first (Excel's "CSV UTF-8" adds a BOM, which utf-8-sig drops), then cp874: files
    saved as plain "CSV" by Thai Windows Excel. A UTF-16 file (Excel's "Unicode text") says
    so in its first bytes and is read as that alone.
    """
    with open(path, "rb") as source:
        utf16 = uploads.utf16_encoding(source.read(64 * 1024))
    for encoding in (utf16,) if utf16 else ("utf-8-sig", "cp874"):
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        try:
            with open(path, "rb") as source:
                while block := source.read(1 << 20):
                    if b"\x00" in block and not utf16:
                        raise ImportFileError(NOT_TEXT_MESSAGE)
                    decoder.decode(block)
                    lines += block.count(b"\n")
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines, "strict"
    if utf16:
        raise ImportFileError(ENCODING_MESSAGE)
    # Neither decodes whole: cells pasted from a file of the other encoding into an otherwise
    # good one. The encoding with the fewest unreadable bytes is read with those bytes as
    # U+FFFD, which the importers report in their cell (row and column) instead of refusing
    # the whole file without saying where.
    counts = {e: _unreadable_count(path, e) for e in ("utf-8-sig", "cp874")}
    best = min(counts, key=counts.__getitem__)
    if counts[best] > MAX_UNREADABLE_CHARACTERS:
        raise ImportFileError(ENCODING_MESSAGE)
    with open(path, "rb") as source:
        lines = sum(block.count(b"\n") for block in iter(lambda: source.read(1 << 20), b""))
    return best, lines, "replace"


# More unreadable bytes than this and the file is in some other encoding altogether.
MAX_UNREADABLE_CHARACTERS = 1000


def _unreadable_count(path: str, encoding: str) -> int:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    count = 0
    with open(path, "rb") as source:
        while block := source.read(1 << 20):
            count += decoder.decode(block).count("\ufffd")
            if count > MAX_UNREADABLE_CHARACTERS:
                break
    return count


def _delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:20] if line.strip()]
    counts = {d: sum(line.count(d) for line in lines) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


class CsvBook(Book):
    def __init__(self, path: str) -> None:
        self._sheet = CsvSheet(path)

    def sheet_names(self) -> list[str]:
        return [""]

    def sheet(self, name: str = "") -> Sheet:
        return self._sheet


class CsvSheet(Sheet):
    def __init__(self, path: str) -> None:
        self.path = path
        self.encoding, lines, self.errors = detect_encoding(path)
        self.total_estimate = lines + 1
        with open(path, encoding=self.encoding, errors=self.errors, newline="") as source:
            self.delimiter = _delimiter(source.read(64 * 1024))

    def _rows(self, start: int = 1, *, blank_end: bool = True) -> Iterator[tuple[int, tuple]]:
        number = 0
        record = _RecordLines()
        first_header: tuple = ()
        held: list[list] = []  # blank rows held back (without `blank_end`), as `hold` keeps them
        try:
            with open(self.path, encoding=self.encoding, errors=self.errors, newline="") as source:
                for number, cells in enumerate(
                    csv.reader(record.lines(source), delimiter=self.delimiter), start=1
                ):
                    record.done()
                    text = "".join(cells)
                    if not text:  # a blank row (a sheet formatted far below its data has many)
                        if number < start:
                            continue
                        if blank_end:
                            yield number, tuple(cells)
                        elif held and held[-1][1] == number - 1 and len(held[-1][2]) == len(cells):
                            held[-1][1] = number  # the run goes on: its cells are all ""
                        elif hold(held, number, tuple(cells)):
                            yield from held_rows(held)
                        continue
                    if held:
                        yield from held_rows(held)
                    if not first_header and sum(1 for c in cells if c.strip()) >= 2:
                        first_header = tuple(cells)  # most likely the header, to name a column
                    if number > MAX_ROWS:
                        raise ImportFileError(TOO_MANY_ROWS_MESSAGE)
                    if number < start:
                        continue
                    if CSV_GUARD in text:  # text our exports guarded reads back as typed
                        yield number, tuple(strip_csv_guard(c) for c in cells)
                    else:
                        yield number, tuple(cells)
        except csv.Error as error:
            yield from held_rows(held)
            if "field larger" in str(error):
                raise ImportFileError(
                    _too_long_cell_message(number + 1, record.text(), self.delimiter, first_header)
                ) from None
            raise ImportFileError(
                f"ไฟล์ CSV มีรูปแบบผิดที่แถวที่ {number + 1:,} (เช่น เครื่องหมายคำพูดไม่ครบคู่)"
            ) from None
        except UnicodeDecodeError:
            yield from held_rows(held)
            raise ImportFileError(ENCODING_MESSAGE) from None


class _RecordLines:
    """The lines of the CSV record being read, so that a record the csv module refuses can be
    looked at again (which of its cells is too long)."""

    def __init__(self) -> None:
        self._lines: list[str] = []

    def lines(self, source) -> Iterator[str]:
        for line in source:
            self._lines.append(line)
            yield line

    def done(self) -> None:
        self._lines.clear()

    def text(self) -> str:
        return "".join(self._lines)


def _too_long_cell(text: str, delimiter: str) -> int:
    """The index of the longest cell of one CSV record (the one the csv module refused as
    too long), reading quotes as Excel writes them: a quoted cell may hold delimiters, line
    breaks and doubled quotes."""
    index = length = longest = longest_index = 0
    quoted, at_start, i = False, True, 0
    while i < len(text):
        char = text[i]
        i += 1
        if quoted:
            if char == '"' and text[i : i + 1] == '"':
                i += 1  # a doubled quote: one quote of the cell's text
            elif char == '"':
                quoted = False
                continue
        elif char == '"' and at_start:
            quoted, at_start = True, False
            continue
        elif char == delimiter:
            index, length, at_start = index + 1, 0, True
            continue
        elif char in "\r\n":
            break
        at_start = False
        length += 1
        if length > longest:
            longest, longest_index = length, index
    return longest_index


def _too_long_cell_message(row: int, text: str, delimiter: str, header: tuple) -> str:
    from openpyxl.utils import get_column_letter

    index = _too_long_cell(text, delimiter)
    name = header[index].strip() if index < len(header) else ""
    named = f" “{clip(name, 40)}”" if name and len(name) <= 200 else ""
    return (
        f"แถวที่ {row:,} คอลัมน์ {get_column_letter(index + 1)}{named}: "
        f"ข้อมูลในช่องเดียวยาวเกิน {csv.field_size_limit():,} ตัวอักษร ไฟล์ CSV อาจเสียหาย "
        "(เช่น เครื่องหมายคำพูดไม่ครบคู่) กรุณาตรวจสอบช่องนี้"
    )
