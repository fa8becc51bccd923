"""Award scoring arithmetic, kept free of the database so it can be checked by hand.

A judge's total for a nomination is the weighted percentage of their criterion scores:

    total = Σ (score_c / max_c × weight_c) / Σ weight_c × 100

counted only when the judge has scored every criterion. The nomination's score is the plain
mean of the complete judges' totals. Both are rounded half-up to 2 decimals.
"""

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

TWO = Decimal("0.01")


class Criterion(NamedTuple):
    id: int
    weight: Decimal
    max_score: Decimal


def judge_total(criteria: Iterable[Criterion], scores: Mapping[int, Decimal]) -> Decimal | None:
    criteria = list(criteria)
    if not criteria or any(c.id not in scores for c in criteria):
        return None
    weights = sum((c.weight for c in criteria), Decimal("0"))
    earned = sum((Decimal(scores[c.id]) / c.max_score * c.weight for c in criteria), Decimal("0"))
    return (earned / weights * 100).quantize(TWO, rounding=ROUND_HALF_UP)


def average(totals: Iterable[Decimal | None]) -> Decimal | None:
    complete = [t for t in totals if t is not None]
    if not complete:
        return None
    return (sum(complete, Decimal("0")) / len(complete)).quantize(TWO, rounding=ROUND_HALF_UP)
