"""Text typed into a box that no form field checks (a reason posted with a revoke button...):
what a form's CharField would refuse, refused by the write itself in Thai, before the
database refuses it with a server error (PostgreSQL: a value past the column, a NUL)."""

from __future__ import annotations

import re

from krupd.lib import numerals

# Spaces and the invisible characters Word and web pages put between Thai words (zero-width
# spaces, joiners, direction marks, a byte-order mark...) at either end of what was typed.
_NOTHING_SEEN = r"[\s" + re.escape(numerals.INVISIBLE) + "]+"
_INVISIBLE_ENDS = re.compile(f"^{_NOTHING_SEEN}|{_NOTHING_SEEN}$")


def trimmed(text: str) -> str:
    """Text as typed, without spaces or invisible characters at either end: what a form's text
    box reads (krupd.forms.trim_typed), so a box holding only a zero-width space is empty."""
    return _INVISIBLE_ENDS.sub("", text)


def problem(text: str, *, longest: int, label: str = "เหตุผล") -> str | None:
    """The Thai message for `text` (already stripped) that cannot be stored in a column of
    `longest` characters; None when it can. Emptiness is each caller's own rule."""
    if "\x00" in text:
        return f"{label}: มีอักขระที่บันทึกไม่ได้ (อักขระว่าง) กรุณาพิมพ์ใหม่"
    if len(text) > longest:
        return f"{label}: ยาวเกิน {longest:,} ตัวอักษร กรุณาย่อให้สั้นลง (พิมพ์มา {len(text):,} ตัวอักษร)"
    return None
