"""Above the office: the nightly summaries of every office, and the national comparison that
reads them (the OBEC analyst's first page), next to the raw SQL over the same summary rows."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection

from .core import Result, timed

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
    """The raw SQL plus the least Python that adds the rows up by region."""
    import json

    sums: dict = defaultdict(lambda: defaultdict(float))
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [fiscal_year - 1, fiscal_year])
        for row in cursor.fetchall():
            bucket = sums[(row[2], row[1])]
            parts = row[3] if isinstance(row[3], dict) else json.loads(row[3])
            for code, part in parts.items():
                bucket[code + ".num"] += part["num"]
                bucket[code + ".den"] += part["den"]
            for i, value in enumerate(row[4:17]):
                bucket[i] += value or 0
    return len(sums)


def run(*, database: str) -> list[Result]:
    from accounts.models import User
    from accounts.roles import Role
    from oversight.actions import refresh_offices
    from oversight.queries import comparison
    from registry.models import Office
    from reporting.queries import current_fiscal_year

    fy = current_fiscal_year()
    offices = Office.objects.order_by("code")
    n = offices.count()
    with timed() as refresh_seconds:
        refresh_offices(offices, fiscal_year=fy)
    results = [
        Result(database, "summaries: every office's nightly refresh", n, "offices",
               refresh_seconds())
    ]  # fmt: skip

    analyst = User(username="bench-obec", role=Role.OBEC_ANALYST)
    comparison(analyst, fiscal_year=fy)  # warm the connection and the default targets
    rounds = 5
    with timed() as ours:
        for _ in range(rounds):
            board = comparison(analyst, fiscal_year=fy)
    with timed() as floor:
        for _ in range(rounds):
            _floor(fy)
    results.append(
        Result(database, "national comparison of offices (from the summaries)", n, "offices",
               ours() / rounds, extra={"regions shown": len(board.rows)}, honest=True)
        .with_baseline("hand-written SQL over the summary rows, summed by region", floor() / rounds)
    )  # fmt: skip
    return results
