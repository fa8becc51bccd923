"""Reading a staffing rule table: pick a school's band, compute what it requires, find holes.

Plain Python on plain values (no Django), so the arithmetic is easy to test against the
rule tables by hand. The only shape fixed here is how a row's numbers combine (see
RuleRow's docstring); every number comes from the rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Band:
    id: int
    level: str
    basis: str  # "students" | "classrooms"
    band_min: int
    band_max: int | None
    administrators: int
    deputies: int
    teachers: int
    teachers_per_room: Decimal
    students_per_teacher: int | None
    to_verify: bool
    label: str = ""

    def covers(self, value: int) -> bool:
        return value >= self.band_min and (self.band_max is None or value <= self.band_max)


@dataclass(frozen=True)
class Requirement:
    administrators: int
    teachers: int
    band: Band


def _basis_value(basis: str, students: int, classrooms: int) -> int:
    return classrooms if basis == "classrooms" else students


def find_band(
    bands: Iterable[Band], *, level: str, students: int, classrooms: int
) -> tuple[Band | None, list[Band]]:
    """The band that applies and every band that matched (more than one = overlapping rules).

    With overlaps the lowest band (then the first row entered) applies; the caller lists the
    overlap as a data problem rather than choosing silently.
    """
    matches = [
        b
        for b in bands
        if b.level == level and b.covers(_basis_value(b.basis, students, classrooms))
    ]
    matches.sort(key=lambda b: (b.band_min, b.id))
    return (matches[0] if matches else None), matches


def required(band: Band, *, students: int, classrooms: int) -> Requirement:
    teachers = band.teachers
    if band.teachers_per_room:
        teachers += math.ceil(Decimal(classrooms) * Decimal(band.teachers_per_room))
    if band.students_per_teacher:
        teachers += math.ceil(students / band.students_per_teacher)
    return Requirement(
        administrators=band.administrators + band.deputies, teachers=teachers, band=band
    )


@dataclass(frozen=True)
class BandProblem:
    kind: str  # "overlap" | "gap" | "no_rows"
    level: str
    basis: str
    message: str


def band_problems(bands: Sequence[Band], *, levels: Iterable[str]) -> list[BandProblem]:
    """Overlaps and holes in each (level, basis) ladder, and levels with no rows at all.

    A ladder should start at 1, each band should start right after the previous one ends,
    and the last should be open-ended.
    """
    problems: list[BandProblem] = []
    by_ladder: dict[tuple[str, str], list[Band]] = {}
    for band in bands:
        by_ladder.setdefault((band.level, band.basis), []).append(band)
    for level in sorted(set(levels)):
        if not any(key[0] == level for key in by_ladder):
            problems.append(BandProblem("no_rows", level, "", "ไม่มีช่วงเกณฑ์สำหรับระดับนี้"))
    unit = {"students": "คน", "classrooms": "ห้อง"}
    for (level, basis), ladder in sorted(by_ladder.items()):
        ladder = sorted(ladder, key=lambda b: (b.band_min, b.id))
        u = unit.get(basis, "")
        if ladder[0].band_min > 1:
            problems.append(
                BandProblem("gap", level, basis, f"ไม่มีช่วง 1–{ladder[0].band_min - 1} {u}")
            )
        for prev, nxt in zip(ladder, ladder[1:], strict=False):
            if prev.band_max is None or nxt.band_min <= prev.band_max:
                top = "ขึ้นไป" if prev.band_max is None else f"{prev.band_max}"
                problems.append(
                    BandProblem(
                        "overlap",
                        level,
                        basis,
                        f"ช่วง {prev.band_min}–{top} ทับกับช่วง {nxt.band_min}"
                        f"–{nxt.band_max if nxt.band_max is not None else 'ขึ้นไป'} {u}",
                    )
                )
            elif nxt.band_min > prev.band_max + 1:
                problems.append(
                    BandProblem(
                        "gap", level, basis, f"ไม่มีช่วง {prev.band_max + 1}–{nxt.band_min - 1} {u}"
                    )
                )
        last_max = max((b.band_max for b in ladder if b.band_max is not None), default=None)
        if all(b.band_max is not None for b in ladder):
            problems.append(BandProblem("gap", level, basis, f"ไม่มีช่วงเกิน {last_max} {u}"))
    return problems


def apportion(total: int, weights: dict) -> dict:
    """Split `total` over keys in proportion to weights (largest remainder, ties by key order).

    No key gets more than ⌈its exact share⌉, so splitting a shortage over gaps never gives an
    area more than its gap when total ≤ sum of the gaps.
    """
    keys = [k for k, w in weights.items() if w and w > 0]
    if total <= 0 or not keys:
        return {k: 0 for k in weights}
    wsum = sum(Decimal(weights[k]) for k in keys)
    quotas = {k: Decimal(total) * Decimal(weights[k]) / wsum for k in keys}
    counts = {k: int(q) for k, q in quotas.items()}
    left = total - sum(counts.values())
    position = {k: i for i, k in enumerate(keys)}
    order = sorted(keys, key=lambda k: (-(quotas[k] - counts[k]), position[k]))
    for k in order[:left]:
        counts[k] += 1
    return {k: counts.get(k, 0) for k in weights}
