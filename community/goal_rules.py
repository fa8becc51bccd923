"""Whether a network goal was reached, judged from its written target and result when both
are numbers ("100%", "ร้อยละ 90", "≥ 80", "ไม่เกิน 5") — the way the SAR's networks table
reads them — so "88%" against "100%" is never ticked as reached. A goal that is not a
number on both sides ("> ค่าเฉลี่ย สพฐ.") stays the officers' judgement. Django-free."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from krupd.lib.numerals import to_arabic_digits

_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)*")
_AT_MOST = ("≤", "<=", "<", "ไม่เกิน", "ไม่มากกว่า", "น้อยกว่า", "ต่ำกว่า")


def _number(text: str) -> Decimal | None:
    found = _NUMBER.findall(to_arabic_digits(text or ""))
    if len(found) != 1:  # "1:20" or several numbers: not one comparable figure
        return None
    try:
        return Decimal(found[0].replace(",", ""))
    except InvalidOperation:
        return None


def judged(target: str, actual: str) -> bool | None:
    """True/False when target and actual are each one number; None when they cannot be
    compared. At-most targets ("ไม่เกิน 5") are reached at or below the figure, the rest
    at or above it."""
    goal, result = _number(target), _number(actual)
    if goal is None or result is None:
        return None
    if any(word in target for word in _AT_MOST):
        return result <= goal
    return result >= goal
