"""Reporting benchmarks on whatever data is in the database (`make bench` builds national-size
data first): the KPI dashboard computed for every office, and the SAR evidence build for the
largest office, each against the raw SQL aggregates it depends on, timed in the same run.

    from bench.reporting_workloads import run
    results = run(database="sqlite")   # list of dicts, bench/core.py's Result fields

Ratios, never pass/fail on wall-clock time.
"""

from __future__ import annotations

import time

from django.db import connection
from django.db.models import Count

from registry.models import Office

RAW_DASHBOARD_SQL = [
    # headcount by school and personnel type (denominators)
    """SELECT school_id, personnel_type, COUNT(*) FROM registry_person
       WHERE office_id = %s AND status = 'active' GROUP BY school_id, personnel_type""",
    # passed development hours per person and fiscal year (numerators)
    """SELECT e.person_id, c.fiscal_year, SUM(e.hours_credited) FROM training_enrolment e
       JOIN training_course c ON c.id = e.course_id
       JOIN registry_person p ON p.id = e.person_id
       WHERE c.office_id = %s AND e.passed AND p.status = 'active'
             AND c.fiscal_year BETWEEN %s AND %s
       GROUP BY e.person_id, c.fiscal_year""",
    # O-NET sums per school and academic year
    """SELECT o.school_id, o.academic_year, SUM(o.mean), COUNT(*) FROM reporting_onetresult o
       JOIN registry_school s ON s.id = o.school_id
       WHERE s.office_id = %s GROUP BY o.school_id, o.academic_year""",
]

RAW_SAR_SQL = [
    # data-quality base counts per school (the quality report's main aggregate, simplified)
    """SELECT school_id, COUNT(*), MAX(updated_at) FROM registry_person
       WHERE office_id = %s AND status = 'active' GROUP BY school_id""",
    # courses of the year with participants and passes
    """SELECT c.id, COUNT(e.id), SUM(CASE WHEN e.passed THEN 1 ELSE 0 END)
       FROM training_course c LEFT JOIN training_enrolment e ON e.course_id = c.id
       WHERE c.office_id = %s AND c.fiscal_year = %s GROUP BY c.id""",
]


def _raw(sql_list: list[str], params_for) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in sql_list:
            cursor.execute(sql, params_for(sql))
            cursor.fetchall()
    return time.perf_counter() - started


def _params(office_id: int, fy: int):
    def params(sql: str):
        if "BETWEEN" in sql:
            return [office_id, fy - 3, fy]
        if "fiscal_year = %s" in sql:
            return [office_id, fy]
        return [office_id]

    return params


def run(*, database: str) -> list[dict]:
    from reporting.models import SarEdition, SarReport
    from reporting.queries import compute, current_fiscal_year, targets_for
    from reporting.reports.sar import build

    fy = current_fiscal_year()
    years = list(range(fy - 3, fy + 1))
    offices = list(Office.objects.annotate(n=Count("people")).order_by("-n"))
    if not offices:
        return []
    people = sum(o.n for o in offices)

    seconds = baseline = 0.0
    for office in offices:
        started = time.perf_counter()
        compute(office, targets=targets_for(office), years=years)
        seconds += time.perf_counter() - started
        baseline += _raw(RAW_DASHBOARD_SQL, _params(office.pk, fy))
    results = [
        {
            "database": database,
            "workload": "KPI dashboard, every office",
            "size": people,
            "unit": "people",
            "seconds": seconds,
            "baseline": "raw SQL: headcount, passed hours, O-NET aggregates",
            "baseline_seconds": baseline,
            "extra": {"offices": len(offices), "fiscal years": len(years)},
        }
    ]

    office = offices[0]
    edition = SarEdition.objects.filter(code="esa-2555").first()
    if edition is not None:
        report, _ = SarReport.objects.get_or_create(office=office, edition=edition, fiscal_year=fy)
        started = time.perf_counter()
        document = build(report)
        sar_seconds = time.perf_counter() - started
        results.append(
            {
                "database": database,
                "workload": "SAR evidence build, largest office",
                "size": office.n,
                "unit": "people",
                "seconds": sar_seconds,
                "baseline": "raw SQL: person counts per school, course results",
                "baseline_seconds": _raw(RAW_SAR_SQL, _params(office.pk, fy)),
                "extra": {
                    "items": len(document.items),
                    "levels suggested": sum(1 for v in document.items if v.suggestion.level),
                },
            }
        )
    return results
