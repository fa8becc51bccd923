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


def _line_of_schools(count: int):
    """Surplus and short schools alternating along a road, 1 km apart: every donor could
    serve every receiver, as in a large office."""
    donors = [solver.Donor(f"d{i}", 1, {"math": 1}) for i in range(count)]
    receivers = [solver.Receiver(f"r{i}", 1, {"math": 1}) for i in range(count)]
    at = {f"d{i}": 2 * i for i in range(count)} | {f"r{i}": 2 * i + 1 for i in range(count)}
    return donors, receivers, lambda a, b: abs(at[a] - at[b]) * 1000


def test_a_large_office_links_each_school_to_its_nearest_only():
    donors, receivers, dist = _line_of_schools(300)
    links = solver._links(donors, receivers, dist, solver.NEAREST)
    assert len(links) <= 2 * 300 * solver.NEAREST  # not 300 × 300
    assert max(links.values()) <= solver.NEAREST * 2000  # each among the other's nearest
    plan = solver.solve(donors, receivers, dist)
    assert plan.moves == 300 and plan.distance_m == 300 * 1000  # each to its neighbour


@pytest.mark.parametrize("seed", range(20))
def test_with_few_schools_on_either_side_every_link_is_made(seed):
    donors, receivers, dist = random_case(random.Random(seed))
    every = solver._links(donors, receivers, dist, nearest=10**6)
    assert solver._links(donors, receivers, dist, nearest=4) == every


@pytest.mark.django_db
def test_the_most_recently_appointed_teachers_of_a_surplus_school_move_first(office, users):
    admin = users[Role.OFFICE_ADMIN]
    # Donor: 20 pupils need 1+1 and has a director and 4 mathematics teachers (+3).
    donor = school_with(office, "1076019001", students=20, rooms=6, teachers={},
                        lat=13.0, lon=100.0)  # fmt: skip
    teachers = staff(office, donor, directors=0, teachers={"คณิตศาสตร์": 4})
    for year, teacher in zip((2001, 2015, 2010, 2019), teachers, strict=True):
        teacher.appointment_date = dt.date(year, 5, 16)
        teacher.save()
    # Receiver: 40 pupils need 1+2 and has only its director (−2).
    school_with(office, "1076019002", students=40, rooms=6, lat=13.05, lon=100.0)
    plan = transfers.transfer_plan(admin, queries.analyse(admin, academic_year=YEAR))
    newest_first = [teachers[3].pk, teachers[1].pk]  # appointed 2019, then 2015
    assert [m.person_id for m in plan.moves] == newest_first
    assert {m.person_name for m in plan.moves} == {
        f"{t.title}{t.first_name} {t.last_name}" for t in (teachers[3], teachers[1])
    }
