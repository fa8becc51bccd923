"""The rule-table arithmetic on plain values: band edges, overlaps, holes, apportioning."""

from decimal import Decimal

import pytest

from staffing import reference_data
from staffing import rules as rl


def default_bands() -> list[rl.Band]:
    return [
        rl.Band(id=i, level=lv, basis=basis, band_min=lo, band_max=hi, administrators=adm,
                deputies=dep, teachers=tch, teachers_per_room=Decimal(str(per_room)),
                students_per_teacher=spt, to_verify=verify)
        for i, (lv, basis, lo, hi, adm, dep, tch, per_room, spt, verify, _note)
        in enumerate(reference_data.ROWS)
    ]  # fmt: skip


@pytest.mark.parametrize(
    "students, rooms, admins, teachers",
    [
        (1, 1, 1, 1),
        (20, 6, 1, 1),  # band edge: 20 → 1 teacher
        (21, 6, 1, 2),  # 21 → 2
        (40, 6, 1, 2),
        (41, 6, 1, 3),
        (80, 6, 1, 4),
        (81, 6, 1, 5),
        (120, 6, 1, 6),  # ≤120: pupil bands
        (121, 8, 1, 9),  # 121: room-based, 1 + 1 per room
        (160, 9, 1, 10),  # the 2020 data point in DOMAIN.md
        (360, 14, 2, 15),  # a deputy from 360
    ],
)
def test_it_reads_primary_bands_at_their_edges(students, rooms, admins, teachers):
    band, matches = rl.find_band(
        default_bands(), level="primary", students=students, classrooms=rooms
    )
    assert len(matches) == 1
    req = rl.required(band, students=students, classrooms=rooms)
    assert (req.administrators, req.teachers) == (admins, teachers)


def test_it_marks_only_the_confirmed_bands_as_confirmed():
    confirmed = [b for b in default_bands() if not b.to_verify]
    assert [(b.band_min, b.band_max, b.teachers) for b in confirmed] == [
        (1, 20, 1), (21, 40, 2), (41, 60, 3), (61, 80, 4)
    ]  # fmt: skip
    assert all(b.level == "primary" and b.administrators == 1 for b in confirmed)


def test_it_rounds_per_room_factors_up_and_adds_pupil_ratios():
    band = rl.Band(id=1, level="secondary", basis="students", band_min=1, band_max=None,
                   administrators=1, deputies=2, teachers=1, teachers_per_room=Decimal("1.5"),
                   students_per_teacher=25, to_verify=True)  # fmt: skip
    req = rl.required(band, students=101, classrooms=3)
    assert req.administrators == 3
    assert req.teachers == 1 + 5 + 5  # 1 + ⌈4.5⌉ + ⌈101/25⌉


def test_it_finds_no_band_outside_the_table():
    bands = [
        b for b in default_bands() if b.level == "primary" and b.band_max and b.band_max <= 120
    ]
    band, matches = rl.find_band(bands, level="primary", students=121, classrooms=8)
    assert band is None and matches == []
    band, _ = rl.find_band(bands, level="expansion", students=50, classrooms=8)
    assert band is None


def test_it_uses_a_room_basis_when_the_row_says_so():
    band = rl.Band(id=1, level="primary", basis="classrooms", band_min=1, band_max=8,
                   administrators=1, deputies=0, teachers=0, teachers_per_room=Decimal(1),
                   students_per_teacher=None, to_verify=True)  # fmt: skip
    assert rl.find_band([band], level="primary", students=500, classrooms=8)[0] == band
    assert rl.find_band([band], level="primary", students=5, classrooms=9)[0] is None


def test_it_reports_no_problems_in_the_default_ladders():
    assert rl.band_problems(default_bands(), levels=["primary", "expansion", "secondary"]) == []


def test_it_reports_overlaps_gaps_open_ends_and_missing_levels():
    def band(i, lo, hi):
        return rl.Band(id=i, level="primary", basis="students", band_min=lo, band_max=hi,
                       administrators=1, deputies=0, teachers=1, teachers_per_room=Decimal(0),
                       students_per_teacher=None, to_verify=True)  # fmt: skip

    bands = [band(1, 5, 20), band(2, 15, 40), band(3, 50, 60)]
    problems = rl.band_problems(bands, levels=["primary", "expansion"])
    kinds = sorted((p.kind, p.level) for p in problems)
    assert kinds == [
        ("gap", "primary"), ("gap", "primary"), ("gap", "primary"),
        ("no_rows", "expansion"), ("overlap", "primary"),
    ]  # fmt: skip
    messages = " ".join(p.message for p in problems)
    assert "1–4" in messages and "41–49" in messages and "เกิน 60" in messages
    # With an overlap the lowest band applies, and both matches are reported.
    chosen, matches = rl.find_band(bands, level="primary", students=18, classrooms=1)
    assert chosen.id == 1 and {b.id for b in matches} == {1, 2}


def test_it_apportions_without_exceeding_any_share():
    split = rl.apportion(5, {"a": 1, "b": 1, "c": 2})
    assert sum(split.values()) == 5
    gaps = {"a": 3, "b": 1, "c": 2}
    for total in range(0, 7):
        split = rl.apportion(total, gaps)
        assert sum(split.values()) == total
        assert all(split[k] <= gaps[k] for k in gaps)
    assert rl.apportion(3, {"a": 0}) == {"a": 0}


@pytest.mark.parametrize(
    ("part", "whole", "places", "pct"),
    [
        (-1, 800, 2, -0.13),  # a shortage rounds away from zero, half up (Python: -0.12)
        (1, 800, 2, 0.13),
        (1, 8, 2, 12.5),
        (-1, 3, 2, -33.33),
        (1, 16, 1, 6.3),  # out-of-field share to one decimal (Python: 6.2)
        (3, 0, 2, None),  # no requirement: no percentage, never 0
    ],
)
def test_staffing_percentages_round_half_up(part, whole, places, pct):
    from staffing.queries import _percent

    assert _percent(part, whole, places) == pct
