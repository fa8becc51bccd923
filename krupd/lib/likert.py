"""The one reading of 5-point Likert means used by every page and document (DOMAIN.md):
4.51–5.00 มากที่สุด, 3.51–4.50 มาก, 2.51–3.50 ปานกลาง, 1.51–2.50 น้อย, 1.00–1.50 น้อยที่สุด.

Means are reported to two decimals and the band is read on that reported value, rounded half
up as Thai reports (and Django's floatformat) round it: 4.505 is reported 4.51, มากที่สุด.
Django-free.
"""

from __future__ import annotations

from decimal import Decimal

from .numerals import rounded

LIKERT_BANDS: list[tuple[Decimal, str]] = [
    (Decimal("4.51"), "มากที่สุด"),
    (Decimal("3.51"), "มาก"),
    (Decimal("2.51"), "ปานกลาง"),
    (Decimal("1.51"), "น้อย"),
    (Decimal("0"), "น้อยที่สุด"),
]


def reported(mean: float | Decimal) -> Decimal:
    """The mean as a report prints it: two decimals, half up on the written value."""
    return rounded(mean, 2)


def likert_band(mean: float | Decimal | None) -> str:
    """The band of a 1–5 mean; "" when there is no mean."""
    if mean is None:
        return ""
    value = reported(mean)
    for lower, label in LIKERT_BANDS:
        if value >= lower:
            return label
    return LIKERT_BANDS[-1][1]
