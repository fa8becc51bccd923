"""Evidence files people upload (documents, photos): what kinds are accepted, how large,
and a check that the bytes are what the name says, with Thai messages naming the file.

Form fields that take evidence use ``EvidenceFileField``; the size limit is the setting
EVIDENCE_MAX_UPLOAD_MB (10 MB unless the office's deployment says otherwise).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from krupd.lib.numerals import format_hours

# Extension → the first bytes every such file starts with (OOXML files are zip archives).
EVIDENCE_TYPES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
}


def max_upload_bytes() -> int:
    return settings.EVIDENCE_MAX_UPLOAD_MB * 1024 * 1024


def size_label(size: int) -> str:
    """A file size as people read it: 850 KB, 2.4 MB."""
    if size < 1024 * 1024:
        return f"{format_hours(max(1, round(size / 1024)))} KB"
    return f"{format_hours(size / (1024 * 1024))} MB"


def check_evidence_file(upload) -> None:
    """Refuse an empty, oversized, wrongly typed or mislabelled file, naming it."""
    name = upload.name or "ไฟล์"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in EVIDENCE_TYPES:
        allowed = ", ".join(sorted({e.upper() for e in EVIDENCE_TYPES}))
        raise ValidationError(f"ไฟล์ “{name}”: รับเฉพาะไฟล์ {allowed}")
    if not upload.size:
        raise ValidationError(f"ไฟล์ “{name}” ว่างเปล่า")
    if upload.size > max_upload_bytes():
        raise ValidationError(
            f"ไฟล์ “{name}” มีขนาด {size_label(upload.size)} เกินกำหนด "
            f"{size_label(max_upload_bytes())} ต่อไฟล์ กรุณาลดขนาดไฟล์ (เช่น บีบอัด PDF หรือย่อภาพ)"
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in EVIDENCE_TYPES[ext]):
        raise ValidationError(
            f"ไฟล์ “{name}” ไม่ใช่ไฟล์ {ext.upper()} ที่ถูกต้อง (ไฟล์อาจเสียหรือเปลี่ยนนามสกุลมา)"
        )


class EvidenceFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text",
            f"PDF, JPG, PNG, DOCX, XLSX หรือ PPTX ไม่เกิน {size_label(max_upload_bytes())} ต่อไฟล์",
        )
        kwargs.setdefault("error_messages", {"invalid": "ไฟล์ที่ส่งมาอ่านไม่ได้ กรุณาเลือกไฟล์ใหม่"})
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            check_evidence_file(upload)
        return upload
