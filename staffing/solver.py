"""Transfer proposals as a min-cost maximum flow (networkx network simplex).

Network: source → donor school (capacity = its surplus, so it never falls short) → donor's
learning area (capacity = teachers of that area who may move, and no more than the area's own
surplus where the criterion splits teachers by area) → receiver's demand in that area
(cost = distance in metres) → receiver school (capacity = its shortage) → sink.

A maximum flow covers the most shortage; every unit of flow is one move, so among plans that
cover the most shortage each has the same (fewest possible) number of moves; among those
network simplex returns one of least total distance. Demand whose area is unknown (the
criterion has no area split) accepts a teacher of any area.

Links between donors and demands: each donor's area is linked to the NEAREST closest demands
it can serve, and each demand to the NEAREST closest donor areas that can serve it. Where
either side has no more than NEAREST candidates every link is made, so an office of up to
that many surplus or short schools gets the exact optimum above. A large office (a thousand
schools, hundreds on each side) would otherwise link every surplus school to every short one:
a network of hundreds of thousands of links that took minutes to solve in a page request;
with the nearest links it takes about a second, and its plan is the optimum over moves to and
from nearby schools, the moves a committee would consider.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import networkx as nx

ANY_AREA = None
NEAREST = 30


@dataclass(frozen=True)
class Donor:
    key: Hashable
    surplus: int
    area_caps: dict  # area code -> how many of that area may leave


@dataclass(frozen=True)
class Receiver:
    key: Hashable
    shortage: int
    demand: dict  # area code (or ANY_AREA) -> positions wanted


@dataclass(frozen=True)
class Flow:
    donor: Hashable
    receiver: Hashable
    area: str
    demand_area: str | None
    count: int
    distance_m: int


@dataclass
class Plan:
    flows: list[Flow] = field(default_factory=list)

    @property
    def moves(self) -> int:
        return sum(f.count for f in self.flows)

    @property
    def distance_m(self) -> int:
        return sum(f.count * f.distance_m for f in self.flows)


def _links(
    donors: list[Donor],
    receivers: list[Receiver],
    distance_m: Callable[[Hashable, Hashable], int],
    nearest: int,
) -> dict[tuple, int]:
    """{(donor key, area, receiver key, wanted area): distance} for the links the network
    gets (see the module's docstring): the union of each side's `nearest` closest ones.

    Each school's partners are sorted once by distance and walked nearest first, filling all
    of its areas' lists in one pass and stopping when they are full. Before, every (donor area
    × wanted area) candidate was built to keep 30 of each: millions of tuples for an office of
    a thousand schools. Ties are broken as before: by the partner's key, then in list order."""
    supply = [d for d in donors if d.surplus > 0 and any(c > 0 for c in d.area_caps.values())]
    demand = [r for r in receivers if r.shortage > 0 and any(n > 0 for n in r.demand.values())]
    # metres[i][j]: donor i to receiver j, each school pair measured once for both sides.
    metres = [[int(distance_m(d.key, r.key)) for r in demand] for d in supply]
    demand_names = [str(r.key) for r in demand]
    supply_names = [str(d.key) for d in supply]

    links: dict[tuple, int] = {}
    for i, d in enumerate(supply):
        areas = [area for area, cap in d.area_caps.items() if cap > 0]
        row = metres[i]
        order = sorted((row[j], demand_names[j], j) for j, r in enumerate(demand) if r.key != d.key)
        room = dict.fromkeys(areas, nearest)  # area -> links it may still take
        for m, _, j in order:
            r = demand[j]
            for want, n in r.demand.items():
                if n <= 0:
                    continue
                for area in areas if want is ANY_AREA else (want,) if want in room else ():
                    if room[area] > 0:
                        room[area] -= 1
                        links[(d.key, area, r.key, want)] = m
            if not any(room.values()):
                break
    for j, r in enumerate(demand):
        order = sorted(
            (metres[i][j], supply_names[i], i) for i, d in enumerate(supply) if d.key != r.key
        )
        room = {want: nearest for want, n in r.demand.items() if n > 0}
        for m, _, i in order:
            d = supply[i]
            for area, cap in d.area_caps.items():
                if cap <= 0:
                    continue
                for want in {area, ANY_AREA}:  # a set: once where the area itself is unknown
                    if room.get(want, 0) > 0:
                        room[want] -= 1
                        links[(d.key, area, r.key, want)] = m
            if not any(room.values()):
                break
    return links


def solve(
    donors: list[Donor],
    receivers: list[Receiver],
    distance_m: Callable[[Hashable, Hashable], int],
    *,
    nearest: int = NEAREST,
) -> Plan:
    g = nx.DiGraph()
    g.add_node("S", demand=0)
    g.add_node("T", demand=0)
    for d in donors:
        if d.surplus <= 0:
            continue
        g.add_edge("S", ("d", d.key), capacity=d.surplus, weight=0)
        for area, cap in d.area_caps.items():
            if cap > 0:
                g.add_edge(("d", d.key), ("da", d.key, area), capacity=cap, weight=0)
    for r in receivers:
        if r.shortage <= 0:
            continue
        g.add_edge(("r", r.key), "T", capacity=r.shortage, weight=0)
        for area, want in r.demand.items():
            if want > 0:
                g.add_edge(("ra", r.key, area), ("r", r.key), capacity=want, weight=0)
    caps = {d.key: d.area_caps for d in donors}
    wants = {r.key: r.demand for r in receivers}
    for (donor, area, receiver, want), metres in _links(
        donors, receivers, distance_m, nearest
    ).items():
        g.add_edge(
            ("da", donor, area),
            ("ra", receiver, want),
            capacity=min(caps[donor][area], wants[receiver][want]),
            weight=metres,
        )
    if not (g.has_node("S") and g.out_degree("S") and g.in_degree("T")):
        return Plan()
    flow = nx.max_flow_min_cost(g, "S", "T")
    plan = Plan()
    for u, targets in flow.items():
        if not (isinstance(u, tuple) and u[0] == "da"):
            continue
        for v, units in targets.items():
            if units > 0:
                plan.flows.append(
                    Flow(
                        donor=u[1],
                        receiver=v[1],
                        area=u[2],
                        demand_area=v[2],
                        count=units,
                        distance_m=g[u][v]["weight"],
                    )
                )
    plan.flows.sort(key=lambda f: (str(f.receiver), str(f.area), str(f.donor)))
    return plan


def place(lat, lon) -> tuple[float, float, float]:
    """A point prepared once for many `metres_between` calls: (latitude in radians, its
    cosine, longitude in degrees)."""
    p = math.radians(float(lat))
    return p, math.cos(p), float(lon)


def metres_between(a: tuple[float, float, float], b: tuple[float, float, float]) -> int:
    """Great-circle distance in whole metres between two `place`s (the same arithmetic as
    haversine_m, without converting each school's coordinates for each of its pairs)."""
    dp = b[0] - a[0]
    dl = math.radians(b[2] - a[2])
    h = math.sin(dp / 2) ** 2 + a[1] * b[1] * math.sin(dl / 2) ** 2
    return round(2 * 6_371_000 * math.asin(math.sqrt(h)))


def haversine_m(lat1, lon1, lat2, lon2) -> int:
    """Great-circle distance in whole metres."""
    return metres_between(place(lat1, lon1), place(lat2, lon2))
