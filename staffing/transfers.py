"""Transfer proposals: surplus → short schools by learning area, solved as a min-cost flow.

Reads only (nothing is moved): the committee gets a plan, its totals and a reason per move.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from krupd.lib import thai_dates
from registry.models import TEACHING_TYPES, Employment, PersonnelType, Secondment

from . import solver
from .queries import ADMIN_AREA, SHORT, SURPLUS, Analysis, SchoolResult, _active_staff


@dataclass
class Move:
    person_id: int
    person_name: str
    area: str
    area_label: str
    from_school: SchoolResult
    to_school: SchoolResult
    distance_km: float | None
    why: str


@dataclass
class TransferPlan:
    analysis: Analysis
    moves: list[Move]
    shortage_before: int
    covered: int
    distance_km: float
    protected_people: int
    no_coordinates: list[str]
    remaining_by_area: list[tuple[str, int]]

    @property
    def shortage_after(self) -> int:
        return self.shortage_before - self.covered

    @property
    def unknown_distances(self) -> int:
        """Moves between schools of which one has no coordinates: not in distance_km."""
        return sum(1 for m in self.moves if m.distance_km is None)

    @property
    def distance_label(self) -> str:
        """The total distance as the page and the committee's workbook state it: a move of
        unknown distance is not 0 km, so a total of none known says so ("0.0 กม." read as
        moves next door) and a partial one says what it leaves out."""
        unknown = self.unknown_distances
        if self.moves and unknown == len(self.moves):
            return "ไม่ทราบ (โรงเรียนไม่มีพิกัด)"
        total = f"{self.distance_km:,.1f} กม."
        return f"{total} (ไม่รวม {unknown:,} การย้ายที่ไม่ทราบระยะทาง)" if unknown else total


UNKNOWN_DISTANCE_M = 999_000
# Who moves first from a school and area: the most recently appointed (fewest ties there).
MOVE_ORDER = (F("appointment_date").desc(nulls_last=True), F("id").asc())


def _who_moves(movable, plan: solver.Plan) -> dict[tuple[int, str], list[dict]]:
    """{(school, area): the people who move, in MOVE_ORDER} for the plan's flows: only as many
    of each as move, in one query."""
    moving: dict[tuple[int, str], int] = defaultdict(int)
    for f in plan.flows:
        moving[(f.donor, f.area)] += f.count
    if not moving:
        return {}
    area = F("major__learning_area__code")
    ranked = (
        movable.filter(school_id__in={school for school, _ in moving})
        .annotate(rank=Window(RowNumber(), partition_by=[F("school_id"), area],
                              order_by=MOVE_ORDER))
        .filter(rank__lte=max(moving.values()))
        .order_by("school_id", area.asc(), "rank")
        .values("id", "school_id", "title", "first_name", "last_name",
                "major__learning_area__code", "appointment_date")
    )  # fmt: skip
    people: dict[tuple[int, str], list[dict]] = defaultdict(list)
    for r in ranked:
        key = (r["school_id"], r["major__learning_area__code"])
        if len(people[key]) < moving.get(key, 0):
            people[key].append(r)
    return people


def transfer_plan(user, analysis: Analysis, *, protect_years: int = 2) -> TransferPlan:
    """Propose moves of teachers from surplus to short schools (see solver.py for the model).

    Directors and deputies never move; assistant teachers in their first `protect_years`
    years (on the census day) stay; people without a mapped major are not proposed.
    """
    schools = {s.id: s for s in analysis.schools}
    # Calendar years, not 365.25-day ones (which moved the edge a day when a 29 Feb fell
    # in the window): appointed on 10 Jun 2024, two whole years on 10 Jun 2026.
    protect_from = thai_dates.years_before(analysis.census_date, protect_years)
    donors_ids = [s.id for s in analysis.schools if s.status == SURPLUS]
    movable_qs = (
        _active_staff(user)
        .filter(school_id__in=donors_ids, personnel_type__in=TEACHING_TYPES)
        .filter(major__learning_area__isnull=False)
        # Only civil servants in post here: seconded and contract staff are not moved.
        .filter(employment=Employment.CIVIL_SERVANT, secondment=Secondment.NONE)
    )
    protected = Q(personnel_type=PersonnelType.ASSISTANT_TEACHER) & (
        Q(appointment_date__gt=protect_from) | Q(appointment_date__isnull=True)
    )
    movable = movable_qs.exclude(protected)
    receivers = []
    for s in analysis.schools:
        if s.status == SHORT:
            demand = {a: n for a, n in s.area_demand.items() if a != ADMIN_AREA}
            teacher_short = sum(demand.values())
            if teacher_short:
                receivers.append(solver.Receiver(key=s.id, shortage=teacher_short, demand=demand))
    # How many may move, per school and area, and how many are protected: counted in one
    # pass, not read person by person (a large office's surplus schools hold tens of
    # thousands of teachers; only those moved are read). Nothing short: nothing to count
    # but the protected.
    areas_of: dict[int, list[tuple[str, int]]] = defaultdict(list)
    if receivers:
        protected_count = 0
        counts = movable_qs.values("school_id", "major__learning_area__code").annotate(
            n=Count("id"), protected=Count("id", filter=protected)
        )
        for r in counts:
            protected_count += r["protected"]
            if r["n"] > r["protected"]:
                areas_of[r["school_id"]].append(
                    (r["major__learning_area__code"], r["n"] - r["protected"])
                )
    else:
        protected_count = movable_qs.filter(protected).count()
    donors = []
    for sid in donors_ids:
        s = schools[sid]
        caps = {}
        for area, available in sorted(areas_of[sid]):
            cap = available
            if s.area_split:  # the criterion splits by area: keep each area whole
                cap = min(cap, max(0, s.area_actual.get(area, 0) - s.area_required.get(area, 0)))
            caps[area] = cap
        donors.append(solver.Donor(key=sid, surplus=s.diff, area_caps=caps))

    # Each school's coordinates converted once: a large office measures ~10⁵ pairs.
    places = {
        s.id: solver.place(s.latitude, s.longitude)
        for s in analysis.schools
        if s.latitude is not None and s.longitude is not None
    }

    def distance(a: int, b: int) -> int:
        x, y = places.get(a), places.get(b)
        if x is None or y is None:
            return UNKNOWN_DISTANCE_M
        return solver.metres_between(x, y)

    plan = solver.solve(donors, receivers, distance)
    candidates = _who_moves(movable, plan)
    labels = {a.code: a.short_name for a in analysis.areas}
    labels[None] = "ไม่ระบุกลุ่มสาระ"
    taken: dict[tuple[int, str], int] = defaultdict(int)
    moves = []
    for f in plan.flows:
        src, dst = schools[f.donor], schools[f.receiver]
        for _ in range(f.count):
            people = candidates[(f.donor, f.area)]
            p = people[taken[(f.donor, f.area)]]
            taken[(f.donor, f.area)] += 1
            km = None if f.distance_m >= UNKNOWN_DISTANCE_M else round(f.distance_m / 1000, 1)
            area_note = (
                f"ต้องการ{labels.get(f.area)} {dst.area_demand.get(f.area, 0)} อัตรา"
                if f.demand_area is not None
                else "เกณฑ์ไม่แยกกลุ่มสาระ รับครูกลุ่มสาระใดก็ได้"
            )
            src_gap = src.area_gap(f.area)
            src_note = f", {labels.get(f.area)}เกิน {src_gap}" if src_gap is not None else ""
            why = (
                f"{src.name} เกินเกณฑ์ {src.diff:+d}{src_note}; {dst.name} ขาด {-dst.diff} "
                f"({area_note}); ระยะทาง {'ไม่ทราบ (ไม่มีพิกัด)' if km is None else f'{km} กม.'}"
            )
            name = f"{p['title']}{p['first_name']} {p['last_name']}"
            moves.append(
                Move(
                    person_id=p["id"],
                    person_name=name,
                    area=f.area,
                    area_label=labels.get(f.area, f.area),
                    from_school=src,
                    to_school=dst,
                    distance_km=km,
                    why=why,
                )
            )
    covered_by_area: dict = defaultdict(int)
    for f in plan.flows:
        covered_by_area[f.demand_area] += f.count
    wanted_by_area: dict = defaultdict(int)
    for r in receivers:
        for a, n in r.demand.items():
            wanted_by_area[a] += n
    remaining = [
        (labels.get(a, a), n - covered_by_area.get(a, 0))
        for a, n in wanted_by_area.items()
        if n - covered_by_area.get(a, 0) > 0
    ]
    involved = {m.from_school.id for m in moves} | {m.to_school.id for m in moves}
    no_coords = sorted(
        schools[i].label
        for i in involved
        if schools[i].latitude is None or schools[i].longitude is None
    )
    return TransferPlan(
        analysis=analysis,
        moves=moves,
        shortage_before=sum(r.shortage for r in receivers),
        covered=plan.moves,
        distance_km=round(sum(m.distance_km or 0 for m in moves), 1),
        protected_people=protected_count,
        no_coordinates=no_coords,
        remaining_by_area=sorted(remaining, key=lambda x: -x[1]),
    )
