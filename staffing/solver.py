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

import heapq
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
    gets (see the module's docstring): the union of each side's `nearest` closest ones."""
    supply = [(d, area, cap) for d in donors if d.surplus > 0
              for area, cap in d.area_caps.items() if cap > 0]  # fmt: skip
    demand = [(r, want) for r in receivers if r.shortage > 0
              for want, n in r.demand.items() if n > 0]  # fmt: skip
    measured: dict[tuple, int] = {}

    def far(d: Donor, r: Receiver) -> int:
        pair = (d.key, r.key)
        if pair not in measured:
            measured[pair] = int(distance_m(d.key, r.key))
        return measured[pair]

    candidates = [(d, area, r, want) for d, area, _ in supply for r, want in demand
                  if r.key != d.key and want in (area, ANY_AREA)]  # fmt: skip
    by_supply: dict[tuple, list] = {}
    by_demand: dict[tuple, list] = {}
    for link in candidates:
        d, area, r, want = link
        by_supply.setdefault((d.key, area), []).append(link)
        by_demand.setdefault((r.key, want), []).append(link)

    def closeness(link: tuple) -> tuple:
        d, _, r, _ = link
        return far(d, r), str(r.key), str(d.key)  # ties broken the same way every time

    links: dict[tuple, int] = {}
    for group in (*by_supply.values(), *by_demand.values()):
        closest = group if len(group) <= nearest else heapq.nsmallest(nearest, group, closeness)
        for d, area, r, want in closest:
            links[(d.key, area, r.key, want)] = far(d, r)
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


def haversine_m(lat1, lon1, lat2, lon2) -> int:
    """Great-circle distance in whole metres."""
    r = 6_371_000
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp = p2 - p1
    dl = math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * r * math.asin(math.sqrt(a)))
