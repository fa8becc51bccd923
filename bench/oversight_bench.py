"""Above the office: the nightly summaries of every office, and the national comparison that
reads them (the OBEC analyst's first page), next to the raw SQL over the same summary rows.

The comparison reads only OfficeSummary rows, so it can be measured at national size
without the national people: where the database holds fewer than the country's 245 offices,
`national_offices` adds the missing ones over the 77 provinces with four fiscal years of
summaries shaped like the ones the nightly refresh writes (python -m bench.run --parts
oversight). The national part (--parts national) measures the refresh itself, from the
national people.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from collections import defaultdict

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .core import Result, timed

NATIONAL_OFFICES = 245  # 183 primary and 62 secondary educational service areas
SECONDARY_OFFICES = 62
SCHOOLS_PER_OFFICE = 29_000 // NATIONAL_OFFICES
PEOPLE_PER_SCHOOL = 450_000 / 29_000
ROUNDS = 5

# Everything the comparison shows, read in one statement: each office's summary for the year
# and the year before, with its province and region.
FLOOR_SQL = """
    SELECT s.office_id, s.fiscal_year, p.region_id, s.kpi_parts, s.schools, s.people,
           s.teachers, s.staffing_required, s.staffing_actual, s.short_positions,
           s.short_schools, s.pa_agreements, s.pa_passed, s.debt_profiles,
           s.debt_below_threshold, s.debt_cases, s.debt_cases_settled, s.computed_at,
           s.data_changed_at
    FROM oversight_officesummary s
    JOIN registry_office o ON o.id = s.office_id
    LEFT JOIN oversight_province p ON p.name = o.province
    WHERE s.fiscal_year IN (%s, %s)
"""


def _floor(fiscal_year: int) -> int:
    """The raw SQL plus the least Python that adds the rows up by region (the level the
    national page shows) and for the whole country."""
    sums: dict = defaultdict(lambda: defaultdict(float))
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [fiscal_year - 1, fiscal_year])
        for row in cursor.fetchall():
            parts = row[3] if isinstance(row[3], dict) else json.loads(row[3])
            for bucket in (sums[(row[2], row[1])], sums[("all", row[1])]):
                for code, part in parts.items():
                    bucket[code + ".num"] += part["num"]
                    bucket[code + ".den"] += part["den"]
                for i, value in enumerate(row[4:17]):
                    bucket[i] += value or 0
    return len(sums)


# ------------------------------------------------------------ national offices without people


def _kpi_part(formula: str, *, teachers: int, schools: int, rng: random.Random) -> dict:
    """A KPI's numerator and denominator as an office of that size reports them."""
    if formula == "onet_mean":  # mean score over the pupils who sat the test
        pupils = schools * rng.randint(20, 45)
        return {"num": round(pupils * rng.uniform(28, 42), 2), "den": pupils}
    if formula == "data_readiness":  # mean score over the schools
        return {"num": round(schools * rng.uniform(60, 95), 2), "den": schools}
    if formula == "joint_activities":  # a count
        return {"num": rng.randint(5, 60), "den": 0}
    return {"num": round(teachers * rng.uniform(0.45, 0.95)), "den": teachers}  # a share


def _summary_rows(office, *, years: list[int], formulas: dict[str, str], rng, now) -> list:
    from oversight.models import OfficeSummary

    schools = max(20, round(rng.gauss(SCHOOLS_PER_OFFICE, 35)))
    people = round(schools * PEOPLE_PER_SCHOOL * rng.uniform(0.85, 1.15))
    teachers = round(people * 0.88)
    rows = []
    for year in years:
        kpi_parts = {
            code: _kpi_part(formula, teachers=teachers, schools=schools, rng=rng)
            for code, formula in formulas.items()
        }
        values = dict(
            office=office, fiscal_year=year, computed_at=now,
            data_changed_at=now - dt.timedelta(hours=rng.randint(1, 72)),
            schools=schools, people=people, teachers=teachers, kpi_parts=kpi_parts,
            pa_agreements=round(teachers * rng.uniform(0.7, 1.0)),
            pa_passed=round(teachers * rng.uniform(0.4, 0.7)),
        )  # fmt: skip
        if year == years[-1]:  # staffing and debt are measured now, not kept per year
            required = round(people * rng.uniform(0.95, 1.1))
            short = max(0, required - people)
            values.update(
                staffing_year=year - 1, staffing_required=required, staffing_actual=people,
                short_positions=short, short_schools=min(schools, short // 2),
                surplus_positions=max(0, people - required),
                debt_profiles=round(people * 0.3), debt_below_threshold=round(people * 0.04),
                debt_cases=round(people * 0.02), debt_cases_settled=round(people * 0.01),
            )  # fmt: skip
        rows.append(OfficeSummary(**values))
    return rows


def _place_provinces_in_regions() -> None:
    """Give every province without a region one, so the national page groups by region as it
    does in a deployment. A benchmark grouping only (provinces in code order, in 18 runs):
    which province belongs to which region stays the administrator's data."""
    from oversight.models import Province, Region

    regions = list(Region.objects.order_by("number"))
    provinces = list(Province.objects.order_by("code"))
    for index, province in enumerate(provinces):
        if province.region_id is None:
            province.region = regions[index * len(regions) // len(provinces)]
    Province.objects.bulk_update(provinces, ["region"])


def national_offices(*, offices: int = NATIONAL_OFFICES, seed: int = 245) -> int:
    """Bring the database to `offices` offices over the 77 provinces, each with summaries for
    the four fiscal years the comparison's trend reads. Existing offices (and summaries the
    nightly refresh wrote) are kept. Returns the number of offices added."""
    from django.utils import timezone

    from oversight.models import OfficeSummary, Province
    from registry.models import Office, OfficeKind
    from reporting.models import KpiTarget
    from reporting.queries import TREND_YEARS, current_fiscal_year

    _place_provinces_in_regions()
    missing = offices - Office.objects.count()
    if missing <= 0:
        return 0
    rng = random.Random(seed)
    provinces = list(Province.objects.order_by("code"))
    taken = set(Office.objects.values_list("code", flat=True))
    secondary = round(missing * SECONDARY_OFFICES / NATIONAL_OFFICES)
    new = []
    for i in range(missing):
        province = provinces[i % len(provinces)]
        zone = i // len(provinces) + 1
        if i < secondary:
            code, kind = f"{province.code}9{zone}", OfficeKind.SECONDARY
            name = f"สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา{province.name}"
        else:
            zone = (i - secondary) // len(provinces) + 1
            code, kind = f"{province.code}{zone:02d}", OfficeKind.PRIMARY
            name = f"สำนักงานเขตพื้นที่การศึกษาประถมศึกษา{province.name} เขต {zone}"
        if code in taken:
            code = f"{code}{i}"
        taken.add(code)
        new.append(Office(code=code, name=name, kind=kind, province=province.name))
    Office.objects.bulk_create(new)
    formulas = dict(
        KpiTarget.objects.filter(office=None, active=True).values_list("code", "formula")
    )
    fy = current_fiscal_year()
    years = list(range(fy - TREND_YEARS + 1, fy + 1))
    now = timezone.now()
    added = Office.objects.filter(code__in=[o.code for o in new])
    summaries = [
        row
        for office in added
        for row in _summary_rows(office, years=years, formulas=formulas, rng=rng, now=now)
    ]
    OfficeSummary.objects.bulk_create(summaries, batch_size=500)
    return len(new)


# ------------------------------------------------------------------------------ the workloads


def refresh(*, database: str) -> list[Result]:
    """Every office's nightly refresh, from the people of the national data."""
    from oversight.actions import refresh_offices
    from registry.models import Office
    from reporting.queries import current_fiscal_year

    offices = Office.objects.order_by("code")
    with timed() as seconds:
        refresh_offices(offices, fiscal_year=current_fiscal_year())
    return [
        Result(database, "summaries: every office's nightly refresh", offices.count(), "offices",
               seconds())
    ]  # fmt: skip


def comparison(*, database: str, offices: int = NATIONAL_OFFICES) -> list[Result]:
    """The OBEC analyst's national comparison, next to the raw SQL over the same rows."""
    from accounts.models import User
    from accounts.roles import Role
    from oversight.models import OfficeSummary
    from oversight.queries import comparison as national_comparison
    from registry.models import Office
    from reporting.queries import current_fiscal_year

    added = national_offices(offices=offices)
    fy = current_fiscal_year()
    n = Office.objects.count()
    analyst = User(username="bench-obec", role=Role.OBEC_ANALYST)
    national_comparison(analyst, fiscal_year=fy)  # warm the connection and the default targets
    with CaptureQueriesContext(connection) as queries:
        board = national_comparison(analyst, fiscal_year=fy)
    with timed() as ours:
        for _ in range(ROUNDS):
            national_comparison(analyst, fiscal_year=fy)
    with timed() as floor:
        for _ in range(ROUNDS):
            _floor(fy)
    extra = {
        "queries": len(queries.captured_queries),
        "regions shown": len(board.rows),
        "summary rows": OfficeSummary.objects.count(),
        "offices made for the benchmark (no people)": added,
        "load average (1, 5, 15 min)": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    return [
        Result(database, f"national comparison of {n} offices", n, "offices", ours() / ROUNDS,
               extra=extra, honest=True)
        .with_baseline("hand-written SQL over the same summary rows, summed by region and "
                       "for the country", floor() / ROUNDS)
    ]  # fmt: skip
