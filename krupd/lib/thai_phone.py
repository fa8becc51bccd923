"""Thai telephone numbers as people type them: one number, a landline (9 digits) or a mobile
(10 digits) from 0, or +66; an extension may follow ("032-123456 ต่อ 12"). The one check of a
phone number, for the person forms and the personnel import alike."""

from __future__ import annotations

import re

from .clipping import clip
from .numerals import clean_text, code_digits

LONGEST = 20  # the phone column
_PHONE = re.compile(r"^(?:0\d{8,9}|\+66\d{8,9})$")
_EXTENSION = re.compile(r"\s*(?:ต่อ|#|ext\.?|x)\s*(\d{1,5})$", re.IGNORECASE)


def normalize_phone(value: object) -> str:
    """The number as written (Thai digits as Arabic, spaces collapsed), with the leading
    zero Excel drops from a number typed as a number put back."""
    text = clean_text(value)
    if text.isdigit() and len(text) in (8, 9) and text[0] != "0":
        # No Thai number is written without its leading zero.
        text = "0" + text
    return text


def phone_problem(text: str) -> str | None:
    """A Thai message saying what is wrong with a normalised number, None when it is one.
    Separators of every kind (dashes, dots, spaces, brackets) may stand between digits."""
    number = _EXTENSION.sub("", text)
    digits = code_digits(number).replace("(", "").replace(")", "")
    if not _PHONE.match(digits):
        return (
            f"เบอร์โทรศัพท์ “{clip(text, 30)}” ไม่ถูกต้อง (ตัวเลข 9–10 หลักขึ้นต้นด้วย 0 "
            "เช่น 081-234-5678 หรือ 032-123456 ต่อ 12 ใส่ได้เบอร์เดียว)"
        )
    if len(text) > LONGEST:
        return f"เบอร์โทรศัพท์ยาวเกิน {LONGEST} ตัวอักษร"
    return None
