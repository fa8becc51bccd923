"""Reads above the office: offices in scope side by side, grouped region → province → office,
and one office's trend, all from OfficeSummary (never from people rows).

A group's percentage is the sum of its offices' numerators over the sum of their
denominators, so a province's figure is what its offices would show if they were one office.
An office with no summary yet shows as "ยังไม่มีข้อมูล", never as zeros.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from reporting.kpis import FORMULAS, Part
from reporting.models import KpiKind, KpiTarget
from reporting.queries import TREND_YEARS, kpi_status

from . import access
from .models import OfficeSummary, Province, Region

NO_REGION = "ยังไม่ได้กำหนดภาค"
NO_PROVINCE = "ไม่พบจังหวัดในรายการจังหวัด"
# How offices write each other's names in a table: สพป./สพม. for the long official prefix.
SHORT_PREFIXES = {
    "สำนักงานเขตพื้นที่การศึกษาประถมศึกษา": "สพป.",
    "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา": "สพม.",
}


def short_office_name(name: str) -> str:
    for long, short in SHORT_PREFIXES.items():
        if name.startswith(long):
            return short + name[len(long) :]
    return name


@dataclass(frozen=True)
class Column:
    """A KPI every office is measured on: the national default target of that code."""

    code: str
    name: str
    unit: str
    kind: str  # level | growth
    target: float
    formula: str

    def value(self, part: Part | None, previous: Part | None) -> float | None:
        formula = FORMULAS[self.formula]
        value = formula.value_of(part)
        if self.kind != KpiKind.GROWTH:
            return value
        before = formula.value_of(previous)
        if value is None or not before:
            return None
        return (value - before) / before * 100

    def status(self, measured: float | None) -> str:
        return kpi_status(self.kind, measured, self.target)


def columns() -> list[Column]:
    targets = KpiTarget.objects.filter(office=None, active=True).order_by("sort_order", "code")
    return [
        Column(t.code, t.name, FORMULAS[t.formula].unit, t.kind, float(t.target), t.formula)
        for t in targets
        if t.formula in FORMULAS
    ]


@dataclass
class Totals:
    """Sums over a group of offices for one fiscal year (and the year before, for growth)."""

    offices: int = 0
    reported: int = 0  # offices with a summary for the year
    schools: int = 0
    people: int = 0
    teachers: int = 0
    staffing_required: int = 0
    staffing_actual: int = 0
    short_positions: int = 0
    short_schools: int = 0
    staffing_reported: int = 0
    pa_agreements: int = 0
    pa_passed: int = 0
    debt_profiles: int = 0
    debt_below_threshold: int = 0
    debt_cases: int = 0
    debt_cases_settled: int = 0
    oldest_computed: dt.datetime | None = None
    newest_data: dt.datetime | None = None
    kpis: dict[str, Part] = field(default_factory=lambda: defaultdict(Part))
    # Growth pairs: this year's part and its base, of only the offices that have both, so an
    # office not yet summarised this year (or new this year) does not read as a fall (a rise).
    grown: dict[str, Part] = field(default_factory=lambda: defaultdict(Part))
    previous: dict[str, Part] = field(default_factory=lambda: defaultdict(Part))

    # Counted for each fiscal year.
    SUMMED = ("pa_agreements", "pa_passed")
    # How an office stood when its year last ran (oversight.actions._standing_today): a year
    # it was never refreshed in while running has none (staffing_year NULL), shown "—", not 0.
    STANDING = (
        "schools", "people", "teachers", "debt_profiles", "debt_below_threshold", "debt_cases",
        "debt_cases_settled",
    )  # fmt: skip
    standing_reported: int = 0
    # Agreements of the offices whose teachers are counted (the PA share's numerator): an
    # office with no head count for the year adds to neither side of the share.
    pa_of_counted: int = 0

    def add(self, summary: dict) -> None:
        self.reported += 1
        for name in self.SUMMED:
            setattr(self, name, getattr(self, name) + summary[name])
        if summary["staffing_year"] is not None:
            self.standing_reported += 1
            for name in self.STANDING:
                setattr(self, name, getattr(self, name) + summary[name])
            self.pa_of_counted += summary["pa_agreements"]
        if summary["staffing_required"] is not None:
            self.staffing_reported += 1
            self.staffing_required += summary["staffing_required"]
            self.staffing_actual += summary["staffing_actual"]
            self.short_positions += summary["short_positions"]
            self.short_schools += summary["short_schools"]
        for code, part in summary["kpi_parts"].items():
            self.kpis[code].add(Part(part["num"], part["den"]))
        computed, changed = summary["computed_at"], summary["data_changed_at"]
        if self.oldest_computed is None or computed < self.oldest_computed:
            self.oldest_computed = computed
        if changed and (self.newest_data is None or changed > self.newest_data):
            self.newest_data = changed

    def add_previous(self, current: dict | None, previous: dict | None) -> None:
        """One office's growth pair (this year and what it is measured against, growth_base),
        added to the group's when the office has both: the group grows as its offices would
        if they were one office that reported both years."""
        if current is None:
            return
        for code, part in current["kpi_parts"].items():
            base = growth_base(current, previous, code)
            if base is not None:
                self.grown[code].add(Part(part["num"], part["den"]))
                self.previous[code].add(base)

    @property
    def missing(self) -> int:
        return self.offices - self.reported

    @property
    def standing_missing(self) -> int:
        """Offices reported for the year without head counts, staffing or debt of it: the
        group's sums of those leave them out, and the row says so."""
        return self.reported - self.standing_reported

    @property
    def pa_share(self) -> float | None:
        return self.pa_of_counted / self.teachers * 100 if self.teachers else None


@dataclass
class Row:
    label: str
    url: str
    totals: Totals
    values: list[tuple[float | None, str]] = field(default_factory=list)  # (measured, status)


@dataclass
class Comparison:
    fiscal_year: int
    title: str
    level: str  # regions | provinces | offices
    columns: list[Column]
    rows: list[Row]
    total: Row
    trail: list[tuple[str, str]]  # breadcrumbs (label, url)

    def chart(self) -> dict:
        return {
            "labels": [r.label for r in self.rows],
            "kpis": [
                {
                    "name": c.name,
                    "unit": c.unit,
                    "target": c.target,
                    "values": [
                        None if r.values[i][0] is None else round(r.values[i][0], 2)
                        for r in self.rows
                    ],
                }
                for i, c in enumerate(self.columns)
            ],
        }


def _summaries(office_ids: list[int], years: list[int]) -> dict[tuple[int, int], dict]:
    fields = ["office_id", "fiscal_year", "computed_at", "data_changed_at", "kpi_parts",
              "staffing_required", "staffing_actual", "short_positions", "short_schools",
              "staffing_year", *Totals.SUMMED, *Totals.STANDING]  # fmt: skip
    rows = OfficeSummary.objects.filter(office_id__in=office_ids, fiscal_year__in=years)
    return {(r["office_id"], r["fiscal_year"]): r for r in rows.values(*fields)}


def comparison(
    user, *, fiscal_year: int, region: Region | None = None, province: Province | None = None
) -> Comparison:
    """The offices in the user's scope, one level below what was asked: the country by region,
    a region by province, a province by office. Five queries whatever the number of offices."""
    cols = columns()
    provinces = list(access.provinces_in_scope(user))
    regions = list(access.regions_in_scope(user))  # read once: the level and the trail use it
    if province is not None:
        provinces = [p for p in provinces if p.pk == province.pk]
    elif region is not None:
        provinces = [p for p in provinces if p.region_id == region.pk]
    by_name = {p.name: p for p in provinces}
    in_scope = list(access.offices_in_scope(user).order_by("code"))
    offices = [o for o in in_scope if o.province in by_name]
    # The whole country holds every office, also one whose province names no province of
    # the reference list: left out, the country's total would not be the sum of its offices.
    unplaced = [] if province or region else [o for o in in_scope if o.province not in by_name]
    offices += unplaced
    summaries = _summaries([o.pk for o in offices], [fiscal_year - 1, fiscal_year])
    base = f"?fy={fiscal_year}"

    if province is not None or len(provinces) == 1:
        level = "offices"
        group_of = {
            o.pk: (o.code, short_office_name(o.name), f"offices/{o.pk}/{base}") for o in offices
        }
    elif region is not None or len(regions) <= 1:
        # A regional inspector's scope is one region: its provinces, not a one-row table.
        level = "provinces"
        group_of = {
            o.pk: (by_name[o.province].code, by_name[o.province].name,
                   f"{base}&province={by_name[o.province].pk}")
            if o.province in by_name else ("99", NO_PROVINCE, "")
            for o in offices
        }  # fmt: skip
    else:
        level = "regions"
        group_of = {}
        for o in offices:
            r = by_name[o.province].region if o.province in by_name else None
            key = (r.number, r.name, f"{base}&region={r.pk}") if r else (99, NO_REGION, "")
            group_of[o.pk] = key

    groups: dict[tuple, Totals] = {}
    total = Totals()
    for office in offices:
        totals = groups.setdefault(group_of[office.pk], Totals())
        for bucket in (totals, total):
            bucket.offices += 1
            current = summaries.get((office.pk, fiscal_year))
            if current:
                bucket.add(current)
            bucket.add_previous(current, summaries.get((office.pk, fiscal_year - 1)))
    rows = [
        _row(label, url, totals, cols)
        for (_key, label, url), totals in sorted(groups.items(), key=lambda kv: kv[0][0])
    ]
    title, trail = _title(user, regions, region=region, province=province, fiscal_year=fiscal_year)
    return Comparison(fiscal_year, title, level, cols, rows, _row("รวม", "", total, cols), trail)


def _row(label: str, url: str, totals: Totals, cols: list[Column]) -> Row:
    row = Row(label, url, totals)
    for c in cols:
        part = (totals.grown if c.kind == KpiKind.GROWTH else totals.kpis).get(c.code)
        measured = c.value(part, totals.previous.get(c.code)) if totals.reported else None
        row.values.append((measured, c.status(measured)))
    return row


def _title(
    user, regions: list[Region], *, region, province, fiscal_year
) -> tuple[str, list[tuple[str, str]]]:
    base = f"?fy={fiscal_year}"
    trail = []
    if len(regions) > 1:
        trail.append(("ทั้งประเทศ", base))
    if province is not None and province.region and regions:
        trail.append((province.region.name, f"{base}&region={province.region.pk}"))
    if province is not None:
        return f"จังหวัด{province.name}", trail
    if region is not None:
        return region.name, trail
    if user.region_id:
        return str(user.region), []
    if user.province_id:
        return f"จังหวัด{user.province}", []
    return "ทั้งประเทศ", []


@dataclass
class OfficeTrend:
    office: object
    years: list[int]
    summaries: dict[int, OfficeSummary]
    columns: list[Column]
    rows: list[tuple[Column, list[tuple[float | None, str]]]]

    @property
    def latest(self) -> OfficeSummary | None:
        return self.summaries.get(self.years[-1])

    def chart(self) -> dict:
        return {
            "years": [str(y) for y in self.years],
            "kpis": [
                {
                    "name": c.name,
                    "target": c.target,
                    "kind": c.kind,
                    "unit": c.unit,
                    "values": [None if v is None else round(v, 2) for v, _s in values],
                    "growth": [None if v is None else round(v, 2) for v, _s in values],
                }
                for c, values in self.rows
            ],
        }


def office_trend(office, *, fiscal_year: int) -> OfficeTrend:
    """One office's KPIs over the trend years, from its summaries."""
    years = list(range(fiscal_year - TREND_YEARS + 1, fiscal_year + 1))
    summaries = {
        s.fiscal_year: s
        for s in OfficeSummary.objects.filter(office=office, fiscal_year__in=[years[0] - 1, *years])
    }
    cols = columns()
    rows = []
    for c in cols:
        values = []
        for year in years:
            now, before = summaries.get(year), summaries.get(year - 1)
            measured = None
            if now is not None:
                measured = c.value(_part(now, c.code), growth_base(now, before, c.code))
            values.append((measured, c.status(measured)))
        rows.append((c, values))
    return OfficeTrend(
        office, years, {y: summaries[y] for y in years if y in summaries}, cols, rows
    )


def _part(summary: OfficeSummary, code: str) -> Part | None:
    part = summary.kpi_parts.get(code)
    return Part(part["num"], part["den"]) if part else None


def growth_base(current, previous, code: str) -> Part | None:
    """What a year's growth is measured against, as on the office's own dashboard: for a year
    still running when it was summarised, the same months of the year before (stored as
    "like"); otherwise the whole year before. Summaries are model rows or .values() dicts."""

    def parts_of(summary) -> dict:
        if summary is None:
            return {}
        return summary["kpi_parts"] if isinstance(summary, dict) else summary.kpi_parts

    like = parts_of(current).get(code, {}).get("like")
    if like is not None:
        return Part(like["num"], like["den"])
    part = parts_of(previous).get(code)
    return Part(part["num"], part["den"]) if part else None
