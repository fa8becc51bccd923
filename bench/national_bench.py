"""National-size analysis: staffing for every office, the KPI dashboard and the SAR, each next to
the raw SQL aggregate it cannot do without; and a transfer plan for one large office."""

from __future__ import annotations

from django.db import connection

from .core import Result, timed

NATIONAL = {"offices": 245, "schools": 29_000, "people": 450_000}

# What any staffing analysis must read at least: staff per school and type, pupils and rooms.
RAW_STAFFING_SQL = [
    """SELECT school_id, personnel_type, COUNT(*) FROM registry_person
       WHERE status = 'active' GROUP BY school_id, personnel_type""",
    """SELECT school_id, SUM(students), SUM(classrooms) FROM registry_enrolment
       GROUP BY school_id""",
]


def build(*, scale: float = 1.0) -> dict:
    from registry.demo import build_demo

    sizes = {k: max(1, int(v * scale)) for k, v in NATIONAL.items()}
    with timed() as elapsed:
        build_demo(seed=2569, offices=sizes["offices"], schools=sizes["schools"],
                   people=sizes["people"])  # fmt: skip
    return {**sizes, "seconds": elapsed()}


def _office_user(office):
    from accounts.models import User

    # Unsaved: the analysis only needs the role and office of the person asking.
    return User(username=f"bench-{office.code}", role="office_admin", office=office)


def staffing(*, database: str) -> list[Result]:
    from registry.models import Office, Person
    from staffing.queries import analyse

    offices = list(Office.objects.all())
    people = Person.objects.filter(status="active").count()
    with timed() as work:
        for office in offices:
            analyse(_office_user(office))
    with timed() as raw, connection.cursor() as cursor:
        for sql in RAW_STAFFING_SQL:
            cursor.execute(sql)
            cursor.fetchall()
    return [
        Result(
            database=database,
            workload="staffing analysis, every office",
            size=people,
            unit="people",
            seconds=work(),
            baseline="raw SQL: staff per school×type, pupils and rooms",
            baseline_seconds=raw(),
            extra={"offices": len(offices)},
        )
    ]


def large_office(*, schools: int = 300, people: int = 2_800):
    """One office of a large ESA's size (the issue's 300 schools), built before the rest."""
    from registry.demo import build_demo
    from registry.models import Office

    summary = build_demo(seed=300, offices=1, schools=schools, people=people)
    return Office.objects.get(code=summary.demo_office_code)


def transfers(*, database: str, office) -> list[Result]:
    from staffing.queries import analyse
    from staffing.transfers import transfer_plan

    user = _office_user(office)
    with timed() as analysis_time:
        analysis = analyse(user)
    with timed() as plan_time:
        plan = transfer_plan(user, analysis)
    moves = getattr(plan, "moves", [])
    return [
        Result(
            database=database,
            workload="transfer proposal (min-cost flow), one office",
            size=len(analysis.schools),
            unit="schools",
            seconds=plan_time(),
            baseline="the staffing analysis it starts from",
            baseline_seconds=analysis_time(),
            extra={"moves proposed": len(moves)},
        )
    ]


def reporting(*, database: str) -> list[Result]:
    from reporting.bench import run

    return [Result(**row) for row in run(database=database)]
