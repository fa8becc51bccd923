"""The transfer solver against a brute-force optimum, and the plan's person-level constraints."""

import datetime as dt
import itertools
import random

import pytest

from accounts.roles import Role
from registry.models import PersonnelType
from staffing import queries, solver, transfers

from .helpers import YEAR, school_with, staff


def brute_force(donors, receivers, dist) -> tuple[int, int]:
    """Best (covered, −distance) over every integer assignment on (donor, receiver, area)."""
    edges = []
    for d in donors:
        for area, cap in d.area_caps.items():
            for r in receivers:
                for want in (area, None):
                    if cap > 0 and r.demand.get(want, 0) > 0:
                        edges.append((d, r, area, want, min(cap, r.demand[want], d.surplus)))
    best = (0, 0)
    for counts in itertools.product(*[range(e[4] + 1) for e in edges]):
        out_d, out_da, in_r, in_ra = {}, {}, {}, {}
        for (d, r, area, want, _), n in zip(edges, counts, strict=True):
            out_d[d.key] = out_d.get(d.key, 0) + n
            out_da[(d.key, area)] = out_da.get((d.key, area), 0) + n
            in_r[r.key] = in_r.get(r.key, 0) + n
            in_ra[(r.key, want)] = in_ra.get((r.key, want), 0) + n
        if any(out_d[d.key] > d.surplus for d in donors if d.key in out_d):
            continue
        if any(n > {d.key: d for d in donors}[k].area_caps[a] for (k, a), n in out_da.items()):
            continue
        rs = {r.key: r for r in receivers}
        if any(n > rs[k].shortage for k, n in in_r.items()):
            continue
        if any(n > rs[k].demand.get(a, 0) for (k, a), n in in_ra.items()):
            continue
        covered = sum(counts)
        cost = sum(n * dist(e[0].key, e[1].key) for e, n in zip(edges, counts, strict=True))
        best = max(best, (covered, -cost))
    return best


def random_case(rng: random.Random):
    areas = ["math", "thai"]
    donors = [
        solver.Donor(key=f"d{i}", surplus=rng.randint(0, 2),
                     area_caps={a: rng.randint(0, 2) for a in rng.sample(areas, rng.randint(1, 2))})
        for i in range(rng.randint(1, 2))
    ]  # fmt: skip
    receivers = []
    for i in range(rng.randint(1, 2)):
        demand = {a: rng.randint(0, 2) for a in rng.sample(areas + [None], rng.randint(1, 2))}
        receivers.append(
            solver.Receiver(key=f"r{i}", shortage=max(1, sum(demand.values()) - rng.randint(0, 1)),
                            demand=demand)
        )  # fmt: skip
    dist = {(d.key, r.key): rng.randint(1, 50) for d in donors for r in receivers}
    return donors, receivers, lambda a, b: dist[(a, b)]


@pytest.mark.parametrize("seed", range(60))
def test_it_finds_the_brute_force_optimum(seed):
    donors, receivers, dist = random_case(random.Random(seed))
    plan = solver.solve(donors, receivers, dist)
    assert (plan.moves, -plan.distance_m) == brute_force(donors, receivers, dist)
    # and the plan itself respects every cap
    for d in donors:
        assert sum(f.count for f in plan.flows if f.donor == d.key) <= d.surplus
        for a, cap in d.area_caps.items():
            assert sum(f.count for f in plan.flows if f.donor == d.key and f.area == a) <= cap


def test_it_prefers_the_nearer_donor_where_a_greedy_choice_would_miss():
    # Greedy "nearest first" for r0 takes d0 (1 km), leaving r1 only d1 at 100 km: total 101.
    # The optimum sends d0 → r1 (2 km) and d1 → r0 (3 km): total 5.
    donors = [solver.Donor("d0", 1, {"math": 1}), solver.Donor("d1", 1, {"math": 1})]
    receivers = [solver.Receiver("r0", 1, {"math": 1}), solver.Receiver("r1", 1, {"math": 1})]
    dist = {("d0", "r0"): 1, ("d0", "r1"): 2, ("d1", "r0"): 3, ("d1", "r1"): 100}
    plan = solver.solve(donors, receivers, lambda a, b: dist[(a, b)])
    assert plan.moves == 2 and plan.distance_m == 5


def test_it_measures_straight_line_distance():
    assert solver.haversine_m(13.0, 100.0, 13.0, 100.0) == 0
    assert 110_000 < solver.haversine_m(13.0, 100.0, 14.0, 100.0) < 112_000


@pytest.mark.django_db
def test_it_never_moves_directors_or_new_assistants_and_creates_no_shortage(office, users):
    admin = users[Role.OFFICE_ADMIN]
    # Donor: 20 pupils need 1+1; it has a director, 1 teacher and 2 assistants (+2).
    donor = school_with(office, "1076019001", students=20, rooms=6, teachers={"คณิตศาสตร์": 1},
                        lat=13.0, lon=100.0)  # fmt: skip
    new_assistant, old_assistant = staff(
        office, donor, directors=0, teachers={"คณิตศาสตร์": 2},
        personnel_type=PersonnelType.ASSISTANT_TEACHER, position="ครูผู้ช่วย",
    )  # fmt: skip
    new_assistant.appointment_date = dt.date(2025, 10, 1)
    new_assistant.save()
    old_assistant.appointment_date = dt.date(2023, 5, 16)
    old_assistant.save()
    # Receiver: 60 pupils need 1+3 and has 1+1 (−2).
    school_with(office, "1076019002", students=60, rooms=6, teachers={"ภาษาไทย": 1},
                lat=13.05, lon=100.0)  # fmt: skip
    a = queries.analyse(admin, academic_year=YEAR)
    plan = transfers.transfer_plan(admin, a)
    moved = {m.person_id for m in plan.moves}
    assert new_assistant.pk not in moved
    assert plan.protected_people == 1
    assert plan.covered == len(plan.moves) >= 1
    donor_row = next(s for s in a.schools if s.id == donor.id)
    assert sum(1 for m in plan.moves if m.from_school.id == donor.id) <= donor_row.diff
    assert all(m.distance_km is not None and m.distance_km < 10 for m in plan.moves)
    assert all("เกินเกณฑ์" in m.why and "ขาด" in m.why for m in plan.moves)
