"""The transfer solver against a brute-force optimum, and the plan's person-level constraints."""

import datetime as dt
import heapq
import itertools
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def all_pairs_links(donors, receivers, distance_m, nearest) -> dict[tuple, int]:
    """The straightforward version, kept as the reference: build every candidate link, then
    keep each side's `nearest` closest (ties by the partner's key, then list order)."""
    supply = [(d, area) for d in donors if d.surplus > 0
              for area, cap in d.area_caps.items() if cap > 0]  # fmt: skip
    demand = [(r, want) for r in receivers if r.shortage > 0
              for want, n in r.demand.items() if n > 0]  # fmt: skip
    candidates = [(d, area, r, want) for d, area in supply for r, want in demand
                  if r.key != d.key and want in (area, solver.ANY_AREA)]  # fmt: skip
    groups: dict[tuple, list] = {}
    for link in candidates:
        d, area, r, want = link
        groups.setdefault(("supply", d.key, area), []).append(link)
        groups.setdefault(("demand", r.key, want), []).append(link)

    def closeness(link):
        d, _, r, _ = link
        return distance_m(d.key, r.key), str(r.key), str(d.key)

    links = {}
    for group in groups.values():
        for d, area, r, want in heapq.nsmallest(nearest, group, closeness):
            links[(d.key, area, r.key, want)] = distance_m(d.key, r.key)
    return links


AREAS = ["math", "thai", "science"]
_caps = st.dictionaries(st.sampled_from(AREAS), st.integers(0, 2), max_size=3)
_wants = st.dictionaries(st.sampled_from([*AREAS, None]), st.integers(0, 2), max_size=3)


@st.composite
def networks(draw):
    """Donors and receivers on a few keys (a key may be on both sides), distances drawn from
    a small range so that ties are common, and a small `nearest` so that it cuts."""
    donor_keys = draw(st.lists(st.integers(0, 12), unique=True, max_size=8))
    receiver_keys = draw(st.lists(st.integers(0, 12), unique=True, max_size=8))
    donors = [solver.Donor(k, draw(st.integers(0, 3)), draw(_caps)) for k in donor_keys]
    receivers = [solver.Receiver(k, draw(st.integers(0, 3)), draw(_wants)) for k in receiver_keys]
    metres = {(d, r): draw(st.integers(0, 4)) for d in donor_keys for r in receiver_keys}
    return donors, receivers, metres, draw(st.integers(1, 4))


@settings(max_examples=100, deadline=None)
@given(networks())
def test_the_nearest_links_are_those_of_the_all_pairs_version(network):
    donors, receivers, metres, nearest = network
    distance = metres.__getitem__
    links = solver._links(donors, receivers, lambda a, b: distance((a, b)), nearest)
    assert links == all_pairs_links(donors, receivers, lambda a, b: distance((a, b)), nearest)


@settings(max_examples=100, deadline=None)
@given(st.floats(-89, 89), st.floats(-180, 180), st.floats(-89, 89), st.floats(-180, 180))
def test_prepared_places_measure_exactly_as_the_haversine_formula(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    expected = round(2 * 6_371_000 * math.asin(math.sqrt(a)))
    got = solver.metres_between(solver.place(lat1, lon1), solver.place(lat2, lon2))
    assert got == expected == solver.haversine_m(lat1, lon1, lat2, lon2)
