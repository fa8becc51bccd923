"""National-size analysis: staffing for every office, the KPI dashboard and the SAR, each next to
the raw SQL aggregate it cannot do without; and a transfer plan for one large office."""

from __future__ import annotations

import time

from django.db import connection

from . import floors
from .core import Result, timed

NATIONAL = {"offices": 245, "schools": 29_000, "people": 450_000}

# What any staffing analysis must read at least: staff per school and type, pupils and rooms.
RAW_STAFFING_SQL = [
    """SELECT school_id, personnel_type, COUNT(*) FROM registry_person
       WHERE status = 'active' GROUP BY school_id, personnel_type""",
    """SELECT school_id, SUM(students), SUM(classrooms) FROM registry_enrolment
       GROUP BY school_id""",
]


def build(*, scale: float = 1.0, enrolments_per_person_year: int | None = None) -> dict:
    """National people and schools, then four fiscal years of training and O-NET rows."""
    from registry.demo import build_demo

    from . import national_training

    sizes = {k: max(1, int(v * scale)) for k, v in NATIONAL.items()}
    with timed() as elapsed:
        build_demo(seed=2569, offices=sizes["offices"], schools=sizes["schools"],
                   people=sizes["people"])  # fmt: skip
    per_year = enrolments_per_person_year or national_training.ENROLMENTS_PER_PERSON_YEAR
    # Both builds skip offices that already have their rows, so a re-run adds nothing.
    training = national_training.build(per_person_year=per_year)
    # The data is written directly, not through the actions that keep the stored "developed"
    # counts: count them from the records once, as `manage.py rebuild_developed_hours` does
    # after an upgrade, so the pages measured read what a running deployment reads.
    from registry.models import Office
    from reporting.developed import rebuild

    with timed() as recount:
        for office in Office.objects.order_by("pk"):
            rebuild(office)
    return {**sizes, "seconds": round(elapsed(), 1), "training": training,
            "developed counts built in s": round(recount(), 1)}  # fmt: skip


def _office_user(office):
    from accounts.models import User

    # Unsaved: the analysis only needs the role and office of the person asking.
    return User(username=f"bench-{office.code}", role="office_admin", office=office)


def staffing(*, database: str) -> list[Result]:
    from registry.models import Office, Person
    from staffing import summary
    from staffing.queries import analyse

    offices = list(Office.objects.all())
    people = Person.objects.filter(status="active").count()
    analyse(_office_user(offices[0]))  # warm-up: imports, URL resolver, settings rows
    # Every office as on the first page after an upgrade or of a new academic year (its stored
    # counts built from the people rows), then right after one edit of each office (the edit,
    # through the action, keeps the counts of its school: timed apart), then unchanged.
    summary.forget(o.pk for o in offices)
    with timed() as not_built:
        for office in offices:
            analyse(_office_user(office))
    with timed() as edits:
        for office in offices:
            change_one_person(office)
    with timed() as after_change:
        for office in offices:
            analyse(_office_user(office))
    with timed() as stored:
        for office in offices:
            analyse(_office_user(office))
    with timed() as raw, connection.cursor() as cursor:
        for sql in RAW_STAFFING_SQL:
            cursor.execute(sql)
            cursor.fetchall()
    floor = sum(floors.staffing_floor(office) for office in offices)
    results = []
    for label, seconds in (("after a change", after_change()), ("unchanged", stored()),
                           ("not built (first page after an upgrade)", not_built())):  # fmt: skip
        row = {"database": database, "workload": f"staffing analysis, every office, {label}",
               "size": people, "unit": "people", "seconds": seconds}  # fmt: skip
        extra = {"offices": len(offices)}
        if label == "after a change":
            extra["s of the edits (save_person, counts kept)"] = round(edits(), 3)
        results += [
            Result(**row, baseline="raw SQL: staff per school×type, pupils and rooms",
                   baseline_seconds=raw(), extra=extra),
            Result(**row, baseline="hand-written SQL of everything the analysis reads "
                   "(census-day service, secondments, employment, learning area, vacancies), "
                   "per office", baseline_seconds=floor, honest=True),
        ]  # fmt: skip
    return results


_edits = iter(range(10**9))


def change_one_person(office) -> None:
    """One person of the office moved to another of its schools and given another major,
    through registry.actions.save_person, as the person page saves it (it keeps the stored
    staff counts of both schools in its transaction)."""
    from accounts.models import User
    from registry.actions import save_person
    from registry.models import Major, Person, School

    turn = next(_edits)
    people = Person.objects.filter(office=office, status="active", school__isnull=False)
    person = people.order_by("pk")[turn * 7919 % people.count()]
    schools = list(School.objects.filter(office=office).order_by("pk").values_list("pk", flat=True))
    person.school_id = schools[(schools.index(person.school_id) + 1) % len(schools)]
    majors = list(Major.objects.order_by("pk").values_list("pk", flat=True))
    person.major_id = majors[turn % len(majors)]
    editor, _ = User.objects.get_or_create(
        username=f"bench-editor-{office.code}", defaults={"role": "office_admin", "office": office}
    )
    save_person(acting_user=editor, person=person)


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
    """The reporting app's own rows (raw SQL without data quality), and the same work next
    to the honest floor: that SQL plus the data-quality aggregates the dashboard reads."""
    from django.db.models import Count

    from bench.reporting_workloads import run
    from registry.models import Office
    from reporting.queries import current_fiscal_year

    fy = current_fiscal_year()
    results = []
    for row in run(database=database):
        results.append(Result(**row))
        if row["workload"].startswith("KPI dashboard"):
            floor = sum(floors.dashboard_floor(office, fy) for office in Office.objects.all())
            label = "hand-written SQL: headcount, passed hours, O-NET and data quality"
        else:
            largest = Office.objects.annotate(n=Count("people")).order_by("-n").first()
            floor = floors.sar_floor(largest, fy)
            label = "hand-written SQL: the dashboard's, data quality and the year's courses"
        results.append(Result(**{**row, "extra": {}}, honest=True).with_baseline(label, floor))
    return results


def large_office_pages(*, database: str, people: int = 100_000) -> list[Result]:
    """One office of `people` people (1,000 schools): its staffing, data-quality and dashboard
    pages as an office admin opens them (whole request, page rendered), each the median of
    three, next to the hand-written SQL of the same figures."""
    import statistics

    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from registry.demo import build_demo
    from registry.models import Office
    from reporting.queries import current_fiscal_year

    # Demo office codes do not depend on the random seed: on a database another part has filled
    # (PostgreSQL keeps one), the office may already exist. Its largest office is measured,
    # at its real size.
    build_demo(seed=100, offices=1, schools=max(1, people // 100), people=people)
    office = Office.objects.annotate(n=Count("people")).order_by("-n").first()
    people = office.n
    user, _ = User.objects.get_or_create(
        username="bench-large-admin", defaults={"role": "office_admin", "office": office}
    )
    client = Client()
    client.force_login(user)
    fy = current_fiscal_year()
    staffing_floor = lambda: floors.staffing_floor(office)  # noqa: E731
    pages = [
        ("staffing page", "staffing:office", staffing_floor, None),
        ("staffing page after a change", "staffing:office", staffing_floor,
         lambda: change_one_person(office)),
        ("staffing list of schools", "staffing:schools", staffing_floor, None),
        ("data-quality page", "registry:quality", lambda: floors.quality_floor(office), None),
        ("KPI dashboard page", "reporting:dashboard",
         lambda: floors.dashboard_floor(office, fy), None),
    ]  # fmt: skip
    results = []
    for label, url_name, floor, before in pages:
        url = reverse(url_name)
        client.get(url)  # the first visit creates the office's settings rows
        times, cpu = [], []
        for _ in range(3):
            if before:
                before()
            started = time.process_time()
            with timed() as page:
                status = client.get(url).status_code
            times.append(page())
            cpu.append(time.process_time() - started)
        started = time.process_time()
        floor_seconds = statistics.median(floor() for _ in range(3))
        floor_cpu = (time.process_time() - started) / 3
        results.append(
            Result(database=database, workload=f"{label}, one office", size=people,
                   unit="people", seconds=statistics.median(times),
                   baseline="hand-written SQL of the page's figures",
                   baseline_seconds=floor_seconds, honest=True,
                   # On a shared machine wall time includes waiting for a core; on SQLite
                   # the database works in this process, so its CPU time is the work.
                   extra={"HTTP status": status,
                          "CPU s, page / floor": f"{statistics.median(cpu):.3f} / "
                                                f"{floor_cpu:.3f}"})
        )  # fmt: skip
    return results


def keeping_developed(*, database: str, results: int = 40) -> list[Result]:
    """What keeping the stored "developed" counts adds to storing one result: the result
    stored as training.actions stores every judged result (one UPDATE, in a block that reads
    the person's hours before and after and adds the difference to the per-school rows),
    against the same UPDATE alone, each in its own transaction."""
    from django.db import transaction

    from training.actions import save_results
    from training.models import Enrolment

    enrolments = list(
        Enrolment.objects.filter(person__status="active").order_by("pk")[: results * 50 : 50]
    )
    if not enrolments:
        return []

    def flip(e):
        e.passed = not e.passed
        e.hours_credited = e.course.hours if e.passed else 0

    for e in enrolments:
        flip(e)  # the first round turns each result over, the second turns it back
    with timed() as kept:
        for e in enrolments:
            with transaction.atomic():
                save_results([e])
    for e in enrolments:
        flip(e)
    with timed() as bare:
        for e in enrolments:
            with transaction.atomic():
                Enrolment.objects.filter(pk=e.pk).update(
                    passed=e.passed, hours_credited=e.hours_credited
                )
    # The bare round put the results back without keeping the counts: recount those offices.
    from reporting.developed import rebuild

    for office in {e.course.office for e in enrolments}:
        rebuild(office)
    return [
        Result(database=database, workload="one result stored, keeping the developed counts",
               size=len(enrolments), unit="results", seconds=kept(),
               baseline="the same result's UPDATE alone, not keeping them",
               baseline_seconds=bare(), honest=True)
    ]  # fmt: skip
