"""Transfer proposals as a min-cost maximum flow (networkx network simplex).

Network: source → donor school (capacity = its surplus, so it never falls short) → donor's
learning area (capacity = teachers of that area who may move, and no more than the area's own
surplus where the criterion splits teachers by area) → receiver's demand in that area
(cost = distance in metres) → receiver school (capacity = its shortage) → sink.

A maximum flow covers the most shortage; every unit of flow is one move, so among plans that
cover the most shortage each has the same (fewest possible) number of moves; among those
network simplex returns one of least total distance. Demand whose area is unknown (the
criterion has no area split) accepts a teacher of any area.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import networkx as nx

ANY_AREA = None


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


def solve(
    donors: list[Donor],
    receivers: list[Receiver],
    distance_m: Callable[[Hashable, Hashable], int],
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
    for d in donors:
        for area, cap in d.area_caps.items():
            if cap <= 0 or d.surplus <= 0:
                continue
            for r in receivers:
                if r.key == d.key or r.shortage <= 0:
                    continue
                for want_area in (area, ANY_AREA):
                    if r.demand.get(want_area, 0) > 0:
                        g.add_edge(
                            ("da", d.key, area),
                            ("ra", r.key, want_area),
                            capacity=min(cap, r.demand[want_area]),
                            weight=int(distance_m(d.key, r.key)),
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


def haversine_m(lat1, lon1, lat2, lon2) -> int:
    """Great-circle distance in whole metres."""
    r = 6_371_000
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp = p2 - p1
    dl = math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * r * math.asin(math.sqrt(a)))
