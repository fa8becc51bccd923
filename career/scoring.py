"""PA evaluation arithmetic (ว 9/2564), free of the database so it can be checked by hand.

Part 1: each of the 15 indicators is worth `indicator_points` (4): 15 × 4 = 60 points.
Part 2: the challenge issue: method 20 + quantitative outcome 10 + qualitative outcome 10.
A level 1–4 earns 25 / 50 / 75 / 100 % of an item's points (edition.level_pcts). One
evaluator passes the teacher when their total, as a percentage of the maximum, reaches the
office's pass mark (70 % by default).
"""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

TWO = Decimal("0.01")
HUNDRED = Decimal("100")


class Result(NamedTuple):
    part1: Decimal
    part2: Decimal
    total: Decimal
    maximum: Decimal
    pct: Decimal
    passed: bool


def item_points(points: Decimal, level: int, level_pcts) -> Decimal:
    if level not in (1, 2, 3, 4):
        raise ValueError(f"ระดับต้องเป็น 1–4 (ได้ {level})")
    return Decimal(points) * Decimal(str(level_pcts[level - 1])) / HUNDRED


def evaluate(
    *,
    edition,
    indicator_levels: Mapping[int, int],
    indicator_count: int,
    method: int,
    quant: int,
    qual: int,
    pass_pct: Decimal,
) -> Result:
    """Totals for one evaluator. Every indicator must carry a level."""
    if len(indicator_levels) != indicator_count:
        raise ValueError("ต้องให้ระดับครบทุกตัวชี้วัด")
    pcts = edition.level_pcts or [25, 50, 75, 100]
    part1 = sum(
        (item_points(edition.indicator_points, lv, pcts) for lv in indicator_levels.values()),
        Decimal("0"),
    )
    part2 = (
        item_points(edition.challenge_method_points, method, pcts)
        + item_points(edition.challenge_quant_points, quant, pcts)
        + item_points(edition.challenge_qual_points, qual, pcts)
    )
    maximum = Decimal(edition.indicator_points) * indicator_count + (
        Decimal(edition.challenge_method_points)
        + Decimal(edition.challenge_quant_points)
        + Decimal(edition.challenge_qual_points)
    )
    total = part1 + part2
    pct = (total / maximum * HUNDRED).quantize(TWO, rounding=ROUND_HALF_UP)
    return Result(
        part1.quantize(TWO, rounding=ROUND_HALF_UP),
        part2.quantize(TWO, rounding=ROUND_HALF_UP),
        total.quantize(TWO, rounding=ROUND_HALF_UP),
        maximum,
        pct,
        pct >= Decimal(pass_pct),
    )


def net_salary_pct(gross: Decimal, deductions: Decimal) -> Decimal | None:
    """Net pay after debt deductions as a % of pay (cabinet resolution 19 Dec 2566)."""
    if not gross:
        return None
    return ((Decimal(gross) - Decimal(deductions)) / Decimal(gross) * HUNDRED).quantize(
        TWO, rounding=ROUND_HALF_UP
    )


def meets_net_rule(gross: Decimal, deductions: Decimal, min_pct: Decimal) -> bool | None:
    """True when net pay is at least `min_pct` % of pay (the boundary itself passes).

    Compared exactly (not on the rounded percentage): net × 100 ≥ gross × min_pct."""
    if not gross:
        return None
    return (Decimal(gross) - Decimal(deductions)) * HUNDRED >= Decimal(gross) * Decimal(min_pct)
