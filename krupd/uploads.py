"""Every uploaded file is recognised by its content, never by its name.

One allow-list of file types (`FILE_TYPES`), each recognised by its first bytes (and, for the
Office formats, by the parts inside the zip); upload *kinds* say which types a field takes
and how large a file may be (settings.UPLOAD_MAX_MB, docs/deploy.md). Every upload field of
every app is an `UploadField` (forms) or an `UploadFileField` (models, whose form field is an
`UploadField`), so each file passes the same check and is refused with a Thai message naming
the field. `sniff` also decides the content type a stored file is served with
(krupd/downloads.py): a file is never served as what its name claims.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django import forms
from django.conf import settings
from django.db import models
from django.db.models.fields.files import FieldFile

HEAD_BYTES = 64 * 1024  # read from the start of a file to recognise it (and to tell text)


@dataclass(frozen=True)
class FileType:
    key: str
    label: str  # what the uploader is told the field takes
    content_type: str  # what the file is served as
    extensions: tuple[str, ...]  # offered by the file picker; not used to recognise the file


PDF = FileType("pdf", "PDF", "application/pdf", (".pdf",))
JPEG = FileType("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("png", "PNG", "image/png", (".png",))
GIF = FileType("gif", "GIF", "image/gif", (".gif",))
WEBP = FileType("webp", "WebP", "image/webp", (".webp",))
DOCX = FileType(
    "docx",
    "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileType(
    "xlsx",
    "Excel (.xlsx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
# Spreadsheets offices still keep in older or other programs, for the importers: Excel 97–2003
# and LibreOffice/OpenOffice Calc (imports/readers.py reads both with python-calamine).
XLS = FileType("xls", "Excel 97–2003 (.xls)", "application/vnd.ms-excel", (".xls",))
ODS = FileType(
    "ods",
    "OpenDocument (.ods)",
    "application/vnd.oasis.opendocument.spreadsheet",
    (".ods",),
)
PPTX = FileType(
    "pptx",
    "PowerPoint (.pptx)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
)
MP4 = FileType("mp4", "วิดีโอ MP4", "video/mp4", (".mp4", ".m4v"))
MOV = FileType("mov", "วิดีโอ MOV", "video/quicktime", (".mov",))
# Text tables for the importers (imports/readers.py reads them further). Served, if ever, as
# a download of plain text: never as a page.
CSV = FileType("csv", "CSV", "text/csv; charset=utf-8", (".csv", ".txt"))
FILE_TYPES = (PDF, JPEG, PNG, GIF, WEBP, DOCX, XLSX, XLS, ODS, PPTX, MP4, MOV, CSV)

# First bytes of each type. Images and PDF must start with their signature (browsers and
# viewers accept junk before "%PDF", uploads do not).
_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
)
# ISO media files: "ftyp" at offset 4, then the major brand.
_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ",
               b"M4VH", b"M4VP", b"dash", b"3gp4", b"3gp5", b"3g2a", b"MSNV"}  # fmt: skip
_MOV_BRANDS = {b"qt  "}
# The part that makes a zip an Office document of each kind.
_OFFICE_MAIN_PARTS = (
    ("word/document.xml", DOCX),
    ("xl/workbook.xml", XLSX),
    ("ppt/presentation.xml", PPTX),
)


@dataclass(frozen=True)
class UploadKind:
    key: str
    label: str  # of the limit, in the refusal message
    types: tuple[FileType, ...]

    @property
    def max_bytes(self) -> int:
        return settings.UPLOAD_MAX_MB[self.key] * 1024 * 1024

    @property
    def max_unpacked_bytes(self) -> int:
        """What an Office file (a zip) may unpack to, by its zip directory (all the upload
        request reads). Data files for the importers may be large; everything else, the
        workbooks the task worker imports whole included, gets the small limit. The worker
        reads workbooks streaming, within the shared-string limits of imports/readers.py."""
        if self.key == "spreadsheet":
            return settings.IMPORT_MAX_UNPACKED_MB * 1024 * 1024
        return settings.UPLOAD_MAX_UNPACKED_MB * 1024 * 1024

    @property
    def accept(self) -> str:
        return ",".join(ext for t in self.types for ext in t.extensions)

    def types_label(self) -> str:
        return ", ".join(t.label for t in self.types)


_IMAGES = (JPEG, PNG, GIF, WEBP)
# An office's documents: signed MOUs, award portfolios, SAR evidence, lesson hand-outs.
DOCUMENT = UploadKind("document", "เอกสาร", (PDF, DOCX, XLSX, PPTX, *_IMAGES))
# What happened in a classroom or a PLC meeting: the documents plus short video clips
# (a phone records MP4, an iPhone MOV). Larger limit, for the video.
EVIDENCE = UploadKind("evidence", "หลักฐาน", (*DOCUMENT.types, MP4, MOV))
# Data files for the importers (personnel, results): XLSX, the older .xls, .ods or CSV.
SPREADSHEET = UploadKind("spreadsheet", "ไฟล์ข้อมูล", (XLSX, XLS, ODS, CSV))
# A workbook the system itself exported and gets back (a competency framework).
WORKBOOK = UploadKind("workbook", "ไฟล์ Excel", (XLSX,))
KINDS = {k.key: k for k in (DOCUMENT, EVIDENCE, SPREADSHEET, WORKBOOK)}


# ------------------------------------------------------------------------------ recognising


def sniff(fileobj: IO[bytes]) -> FileType | None:
    """The allow-listed type the file's content is, or None. Reads the first bytes (and an
    Office file's zip directory); leaves the file at its start."""
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(0)
    try:
        return _sniff(head, fileobj)
    finally:
        fileobj.seek(0)


def sniff_bytes(data: bytes) -> FileType | None:
    """`sniff` of a whole file held in memory."""
    import io

    return sniff(io.BytesIO(data))


def _sniff(head: bytes, fileobj: IO[bytes]) -> FileType | None:
    for signature, file_type in _SIGNATURES:
        if head.startswith(signature):
            return file_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return MP4 if brand in _MP4_BRANDS else MOV if brand in _MOV_BRANDS else None
    if head.startswith(b"PK\x03\x04"):
        return _office_type(fileobj)
    if head.startswith(OLE_SIGNATURE):
        return XLS if ole_content(fileobj) == OLE_WORKBOOK else None
    if _is_plain_text(head):
        return CSV
    return None


def _office_type(fileobj: IO[bytes]) -> FileType | None:
    """DOCX/XLSX/PPTX by the parts in the zip; macro-enabled documents (a VBA project inside)
    and any other zip are refused."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return ODS if _is_ods(fileobj, names) else None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return None
    return next((t for part, t in _OFFICE_MAIN_PARTS if part in names), None)


ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _is_ods(fileobj: IO[bytes], names: set[str]) -> bool:
    """An OpenDocument spreadsheet: its `mimetype` part says so and it has its content; one
    with macros (a Basic/ or Scripts/ folder) is refused, as macro-enabled Office files are."""
    if "mimetype" not in names or "content.xml" not in names:
        return False
    if any(name.startswith(("Basic/", "Scripts/")) for name in names):
        return False
    fileobj.seek(0)
    with zipfile.ZipFile(fileobj) as archive, archive.open("mimetype") as part:
        return part.read(len(ODS_MIMETYPE) + 1).strip() == ODS_MIMETYPE


# ------------------------------------------------------------------ OLE2 (Office 97–2003)

# Office 97–2003 files, and password-protected Office files of any year, are an OLE2
# compound file: a small file system whose directory names its streams.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_WORKBOOK = "workbook"  # an Excel 97–2003 workbook
OLE_ENCRYPTED = "encrypted"  # an Office file saved with a password to open it
OLE_MACROS = "macros"  # a workbook with a VBA project: refused, as .xlsm is
OLE_OTHER = "other"  # Word or PowerPoint 97–2003, or anything else
# Stream and storage names in the directory, as it stores them (UTF-16LE), by what they say.
_OLE_NAMES = {
    "EncryptedPackage": OLE_ENCRYPTED,
    "_VBA_PROJECT_CUR": OLE_MACROS,
    "Workbook": OLE_WORKBOOK,  # Excel 97 and later (BIFF8)
    "Book": OLE_WORKBOOK,  # Excel 5/95 (BIFF5)
}
_OLE_ENTRY_BYTES = 128  # a directory entry; sectors are 512 or 4096 bytes, so entries align
_OLE_SCAN_BYTES = 8 * 1024 * 1024


def ole_content(fileobj: IO[bytes]) -> str:
    """What an OLE2 compound file holds (OLE_WORKBOOK, OLE_ENCRYPTED, OLE_MACROS, OLE_OTHER),
    from the names in its directory: a name counts where a directory entry starts (at a
    multiple of 128 bytes) and the entry's name-length field agrees, so text that merely
    mentions "Workbook" does not. The whole file is scanned in pieces (its directory may be
    anywhere); leaves the file at its start."""
    wanted = {name.encode("utf-16-le") + b"\0\0": what for name, what in _OLE_NAMES.items()}
    found: set[str] = set()
    fileobj.seek(0)
    data, offset = b"", 0  # offset: where `data` starts in the file
    try:
        while True:
            block = fileobj.read(_OLE_SCAN_BYTES)
            data += block
            # Entries starting before `end` lie whole in `data`; the rest wait for the next piece.
            end = len(data) if not block else max(0, len(data) - _OLE_ENTRY_BYTES)
            for name, what in wanted.items():
                at = data.find(name, 0, end + len(name))
                while at != -1:
                    length = int.from_bytes(data[at + 64 : at + 66], "little")
                    if (offset + at) % _OLE_ENTRY_BYTES == 0 and length == len(name):
                        found.add(what)
                    at = data.find(name, at + 1, end + len(name))
            if not block:
                break
            data, offset = data[end:], offset + end
    finally:
        fileobj.seek(0)
    for what in (OLE_ENCRYPTED, OLE_MACROS, OLE_WORKBOOK):
        if what in found:
            return what
    return OLE_OTHER


# Markup a browser would render or run, whatever the file is named.
_MARKUP_STARTS = (b"<", b"\xef\xbb\xbf<")


def utf16_encoding(head: bytes) -> str | None:
    """The UTF-16 codec a text file is written in, or None. Excel's "Unicode text" (.txt, tab
    separated) and some exports are UTF-16 with a byte-order mark. Without one, the high
    byte of every character tells: 0x00 for digits, commas and tabs, 0x0E for Thai, 0x20
    for typographic quotes and dashes; other bytes (a program, markup) do not look so."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[: min(len(head), 1024) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    if len(odd) < 2:
        return None
    for encoding, high in (("utf-16-le", odd), ("utf-16-be", even)):
        if high.count(0) and all(byte in _UTF16_HIGH_BYTES for byte in high):
            text = sample.decode(encoding, errors="replace")
            if not any(ch < " " and ch not in "\t\r\n" for ch in text):
                return encoding
    return None


_UTF16_HIGH_BYTES = frozenset({0x00, 0x0E, 0x20})


def _is_plain_text(head: bytes) -> bool:
    """Text a table could be in: UTF-8, UTF-16 or the Thai code page, and not markup."""
    utf16 = utf16_encoding(head)
    if utf16:
        text = head[: len(head) // 2 * 2].decode(utf16, errors="replace").lstrip("\ufeff \t\r\n")
        if text.startswith("<") or "\x00" in text:
            return False
        return not any(ch < " " and ch not in "\t\r\n\f" for ch in text)
    if not head or b"\x00" in head:
        return False
    stripped = head.lstrip(b" \t\r\n")
    if stripped.startswith(_MARKUP_STARTS) or stripped[:9].lower() in (b"<!doctype",):
        return False
    for encoding in ("utf-8-sig", "cp874"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError as error:
            if encoding != "utf-8-sig" or error.start < len(head) - 3:
                continue
            text = head[: error.start].decode(encoding)  # a character cut by the sample's end
        # The Thai code page decodes almost any byte: binary shows itself by control bytes.
        return not any(ch < " " and ch not in "\t\r\n\f" for ch in text)
    # UTF-8 with a few bytes of the Thai code page pasted in: a table the importer reads,
    # naming the cells it cannot (imports.readers.detect_encoding).
    text = head.decode("utf-8", errors="replace")
    if text.count("\ufffd") > len(text) // 50:
        return False
    return not any(ch < " " and ch not in "\t\r\n\f" for ch in text)


# ------------------------------------------------------------------------------ checking


def size_label(size: int) -> str:
    """A file size as people read it: 850 KB, 2.4 MB (the evidence pack's index lists them)."""
    from krupd.lib.numerals import format_hours

    if size < 1024 * 1024:
        return f"{format_hours(max(1, round(size / 1024)))} KB"
    return f"{format_hours(size / (1024 * 1024))} MB"


def size_of(fileobj: IO[bytes]) -> int:
    size = getattr(fileobj, "size", None)
    if isinstance(size, int):
        return size
    fileobj.seek(0, os.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    return size


def _digest(fileobj: IO[bytes]) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def same_content(fileobj: IO[bytes], stored: Iterable) -> object | None:
    """The first of `stored` (field files, or uploads not yet saved) whose bytes are those of
    `fileobj`, else None: the same file attached twice (a double click, a file picked again
    under another name). Sizes are compared first, so only a same-sized file is read."""
    size = size_of(fileobj)
    mine = None
    for other in stored:
        try:
            if other.size != size:
                continue
            if isinstance(other, FieldFile):  # stored: opened for this and closed again
                with other.open("rb") as f:
                    theirs = _digest(f)
            else:  # an upload of the same request: rewound, left open for saving
                theirs = _digest(other)
        except (OSError, ValueError):  # a stored file gone missing compares as different
            continue
        mine = mine or _digest(fileobj)
        if theirs == mine:
            return other
    return None


def problem(fileobj: IO[bytes], kind: UploadKind) -> str | None:
    """Why `fileobj` is refused for a field of this kind (Thai, without the field's name), or
    None when it is accepted."""
    size = size_of(fileobj)
    if size == 0:
        return "ไฟล์ว่างเปล่า ไม่มีข้อมูล"
    if size > kind.max_bytes:
        limit = settings.UPLOAD_MAX_MB[kind.key]
        return f"ไฟล์ใหญ่เกิน {limit} MB (ขนาด{kind.label}สูงสุดที่รับได้) กรุณาย่อไฟล์หรือแบ่งไฟล์"
    found = sniff(fileobj)
    if found not in kind.types:
        return f"ไฟล์นี้ไม่ใช่ชนิดที่รับได้ (ดูจากเนื้อไฟล์ ไม่ใช่จากชื่อไฟล์) รับเฉพาะ {kind.types_label()}"
    if found in (DOCX, XLSX, ODS, PPTX) and _unpacks_too_large(fileobj, kind):
        return "ไฟล์นี้เมื่อขยายออกมีขนาดใหญ่ผิดปกติ (อาจเป็นไฟล์ที่สร้างขึ้นเพื่อทำให้ระบบทำงานหนัก) กรุณาเปิดแล้วบันทึกใหม่"
    return None


# A part of an Office file larger than this unpacked may be packed at most
# IMPORT_MAX_COMPRESSION_RATIO times (real files: 5–20 times; zip bombs: hundreds).
RATIO_CHECKED_FROM_BYTES = 10 * 1024 * 1024


def _unpacks_too_large(fileobj: IO[bytes], kind: UploadKind) -> bool:
    """The zip directory says the parts unpack past the kind's limit, or one part is packed
    like a zip bomb. Reads the directory only (a part never unpacks past its stated size)."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
    finally:
        fileobj.seek(0)
    ratio = settings.IMPORT_MAX_COMPRESSION_RATIO
    return sum(i.file_size for i in infos) > kind.max_unpacked_bytes or any(
        i.file_size > RATIO_CHECKED_FROM_BYTES and i.file_size > ratio * max(i.compress_size, 1)
        for i in infos
    )


class UploadField(forms.FileField):
    """A file field that takes only the types of its kind, up to the kind's size limit.

    The refusal names the field ("ไฟล์หลักฐาน: …"): a form may have several.
    """

    def __init__(self, *, kind: str | UploadKind, inspect=None, **kwargs):
        self.kind = KINDS[kind] if isinstance(kind, str) else kind
        # An app's own closer look, run first so its more precise message wins (the importers
        # name the file people picked by mistake): file → Thai reason, or None.
        self.inspect = inspect
        kwargs.setdefault("widget", forms.ClearableFileInput)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", self.kind.accept)
        if not self.help_text:
            limit = settings.UPLOAD_MAX_MB[self.kind.key]
            self.help_text = f"รับ {self.kind.types_label()} ไม่เกิน {limit} MB"

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and value is not initial and hasattr(value, "read"):
            reason = (self.inspect and self.inspect(value)) or problem(value, self.kind)
            if reason:
                raise forms.ValidationError(f"{self.label}: {reason}", code="file_type")
        return value


class UploadFileField(models.FileField):
    """A model file field whose form field is an `UploadField` of the same kind, so a model
    form cannot forget the check."""

    def __init__(self, *args, kind: str = DOCUMENT.key, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        defaults = {"form_class": UploadField, "kind": self.kind}
        return super().formfield(**{**defaults, **kwargs})
