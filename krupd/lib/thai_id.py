"""Thai national ID (เลขประจำตัวประชาชน): normalise, validate, display, mask.

13 digits; S = sum(d_i * (14 - i)) for i = 1..12; check digit = (11 - S mod 11) mod 10.
"""

import operator

from .numerals import code_digits, is_ascii_digits


def normalize_national_id(value: object) -> str:
    """Strip separators (spaces, dashes of every kind, dots, thousands commas) and convert
    Thai digits; may still be invalid."""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return code_digits(value)


_WEIGHTS = range(13, 1, -1)  # the first digit counts 13 times, the twelfth twice


def check_digit(first_twelve: str) -> int:
    # map in C rather than a generator: an import checks every row's ID.
    total = sum(map(operator.mul, map(int, first_twelve), _WEIGHTS))
    return (11 - total % 11) % 10


def national_id_problem(value: str, *, allow_leading_zero_or_nine: bool = True) -> str | None:
    """Return a Thai message saying what is wrong with a normalised ID, or None if it is valid."""
    if not value:
        return "ไม่ได้กรอกเลขประจำตัวประชาชน"
    if not is_ascii_digits(value):
        return "เลขประจำตัวประชาชนต้องเป็นตัวเลขเท่านั้น"
    if len(value) != 13:
        return f"เลขประจำตัวประชาชนต้องมี 13 หลัก (กรอกมา {len(value)} หลัก)"
    if not allow_leading_zero_or_nine and value[0] in "09":
        return "เลขประจำตัวประชาชนขึ้นต้นด้วย 0 หรือ 9 ไม่ได้ตามการตั้งค่าของเขตพื้นที่"
    if check_digit(value[:12]) != int(value[12]):
        return "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบไม่ตรง)"
    return None


def is_valid_national_id(value: str, *, allow_leading_zero_or_nine: bool = True) -> bool:
    return national_id_problem(value, allow_leading_zero_or_nine=allow_leading_zero_or_nine) is None


def format_national_id(value: str) -> str:
    """X-XXXX-XXXXX-XX-X, the way the ID card prints it."""
    if len(value) != 13:
        return value
    return f"{value[0]}-{value[1:5]}-{value[5:10]}-{value[10:12]}-{value[12]}"


def mask_national_id(value: str) -> str:
    """Show only the first and last three digits, enough to tell people apart in a list."""
    if len(value) != 13:
        return "•" * len(value)
    return f"{value[0]}-{value[1]}xxx-xxxxx-{value[10]}{value[11]}-{value[12]}"
