"""National training and O-NET data for the reporting benchmarks.

Without it the KPI dashboard and the SAR are measured on offices with no courses, so their
training KPIs (developed share, hours, courses of the year) cost nothing. For each office and
each of the last four fiscal years this adds courses with one session of one to three days,
enrolments (about ENROLMENTS_PER_PERSON_YEAR per active teacher/administrator: 450,000 people
× 4 years × 5 ≈ 9 million nationally), attendance of each day attended, pre/post results and
passes with credited hours; and O-NET means for every school and subject over five academic
years.

Rows go in with executemany and explicit ids (no ORM objects, no signals), in one
transaction per office, so a national build is bounded by the database's insert speed.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from .core import timed

ENROLMENTS_PER_PERSON_YEAR = 5
PEOPLE_PER_COURSE = 60
ONET_SUBJECTS = ("ภาษาไทย", "คณิตศาสตร์", "วิทยาศาสตร์", "ภาษาอังกฤษ")
MODES = ("workshop", "seminar", "online")  # course modes the product offers (training.CourseMode)
CHUNK = 20_000


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def _defaults(table: str, columns: tuple[str, ...]) -> tuple[tuple[str, ...], tuple]:
    """The table's other columns with their fields' defaults (auto timestamps: now), so that a
    column the app adds later does not break the build."""
    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    now = timezone.now()
    # A primary key not given is the database's to assign (PostgreSQL refuses an explicit NULL).
    others = [
        f for f in model._meta.local_concrete_fields
        if f.column not in columns and not f.primary_key
    ]  # fmt: skip
    values = tuple(
        now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_db_prep_save(f.get_default(), connection)
        for f in others
    )  # fmt: skip
    return tuple(f.column for f in others), values


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    extra_columns, extra_values = _defaults(table, columns)
    columns += extra_columns
    if connection.vendor == "postgresql":
        _copy(table, columns, rows, extra_values)
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, [row + extra_values for row in rows[start : start + CHUNK]])


def _copy(table: str, columns: tuple[str, ...], rows: list[tuple], extra_values: tuple) -> None:
    """PostgreSQL's bulk path: COPY takes the country's ~20 million training rows several times
    faster than batched INSERTs, which kept the national build running for hours."""
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row + extra_values)


class _Ids:
    """Explicit ids, continuing after what each table holds."""

    def __init__(self, tables):
        self.next = {t: _next_id(t) for t in tables}

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] += 1
        return value


COURSE_COLUMNS = (
    "id", "office_id", "title", "objectives", "mode", "hours", "fiscal_year", "target_types",
    "target_note", "competencies", "min_attendance_pct", "min_post_test_pct",
    "post_test_attempts", "requires_approval", "self_enrol", "signer_name", "signer_title",
    "status", "created_at", "updated_at",
)  # fmt: skip
SESSION_COLUMNS = ("id", "course_id", "name", "start_date", "end_date", "place", "online_link",
                   "capacity", "trainers", "hours_per_day")  # fmt: skip
DAY_COLUMNS = ("id", "session_id", "date", "hours")
ENROLMENT_COLUMNS = (
    "id", "course_id", "session_id", "person_id", "status", "source", "approved",
    "requested_at", "decided_at", "hours_attended", "attendance_pct", "pre_score_pct",
    "post_score_pct", "passed", "hours_credited", "completed_on", "credit_fiscal_year", "result",
)  # fmt: skip
ATTENDANCE_COLUMNS = ("id", "day_id", "enrolment_id", "method", "recorded_at")
ONET_COLUMNS = ("school_id", "academic_year", "grade", "subject", "mean", "imported_at")


def _office_training(office_id, people, fiscal_years, rng, ids, per_person_year) -> dict:
    courses, sessions, days, enrolments, attendance = [], [], [], [], []
    now = dt.datetime(2026, 1, 1, 8, 0)
    for fy in fiscal_years:
        n_courses = max(4, len(people) * per_person_year // PEOPLE_PER_COURSE)
        year_start = dt.date(fy - 543 - 1, 10, 1)
        course_days = []
        for i in range(n_courses):
            course_id, session_id = ids.take("training_course"), ids.take("training_session")
            n_days = rng.choice((1, 1, 2, 3))
            hours = Decimal(6 * n_days)
            start = year_start + dt.timedelta(days=rng.randrange(0, 330))
            courses.append((
                course_id, office_id, f"หลักสูตรพัฒนาครู {fy}-{i + 1}", "", rng.choice(MODES),
                hours, fy, "[]", "", "การจัดการเรียนรู้", 80, 60, 2, False, True, "", "",
                "closed", now, now,
            ))  # fmt: skip
            sessions.append((session_id, course_id, "รุ่นที่ 1", start,
                             start + dt.timedelta(days=n_days - 1), "ห้องประชุม สพป.", "",
                             PEOPLE_PER_COURSE * 2, "ศึกษานิเทศก์", Decimal(6)))  # fmt: skip
            day_ids = []
            for d in range(n_days):
                day_id = ids.take("training_sessionday")
                days.append((day_id, session_id, start + dt.timedelta(days=d), Decimal(6)))
                day_ids.append(day_id)
            course_days.append((course_id, session_id, hours, start, day_ids))
        for person_id in people:
            k = min(len(course_days), per_person_year)
            for course_id, session_id, hours, start, day_ids in rng.sample(course_days, k):
                enrolment_id = ids.take("training_enrolment")
                missed = rng.random() >= 0.85  # some miss days and do not pass
                attended = day_ids[: rng.randrange(len(day_ids))] if missed else day_ids
                passed = len(attended) == len(day_ids)
                share = Decimal(100 * len(attended) // len(day_ids))
                enrolments.append((
                    enrolment_id, course_id, session_id, person_id, "enrolled", "office", True,
                    now, now, Decimal(6 * len(attended)), share, Decimal(rng.randrange(30, 80)),
                    Decimal(rng.randrange(50, 100)) if passed else None, passed,
                    hours if passed else Decimal(0),
                    start + dt.timedelta(days=len(day_ids) - 1) if passed else None,
                    # The fiscal year the hours count in, as judging a result stores it (every
                    # session lies inside its course's year here).
                    fy if passed else None,
                    # Judged, as every session here is over: without it each result stayed
                    # "pending" and the results tables showed no pass rate at all.
                    "passed" if passed else "failed",
                ))  # fmt: skip
                for day_id in attended:
                    attendance.append((ids.take("training_attendance"), day_id, enrolment_id,
                                       "qr", now))  # fmt: skip
    _insert("training_course", COURSE_COLUMNS, courses)
    _insert("training_session", SESSION_COLUMNS, sessions)
    _insert("training_sessionday", DAY_COLUMNS, days)
    _insert("training_enrolment", ENROLMENT_COLUMNS, enrolments)
    _insert("training_attendance", ATTENDANCE_COLUMNS, attendance)
    return {"courses": len(courses), "enrolments": len(enrolments), "attendance": len(attendance)}


def _onet(school_ids, academic_years, rng) -> int:
    now = dt.datetime(2026, 4, 1, 8, 0)
    rows = [
        (school_id, year, grade, subject, Decimal(rng.randrange(2500, 6000)) / 100, now)
        for school_id in school_ids
        for year in academic_years
        for grade in ("ป.6", "ม.3")
        for subject in ONET_SUBJECTS
    ]
    _insert("reporting_onetresult", ONET_COLUMNS, rows)
    return len(rows)


def _reset_sequences(tables) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


def build(*, per_person_year: int = ENROLMENTS_PER_PERSON_YEAR, seed: int = 2569) -> dict:
    """Training and O-NET rows for every office that has none yet; returns counts and time."""
    from registry.models import ADMINISTRATOR_TYPES, TEACHING_TYPES, Office, Person, School
    from reporting.queries import current_fiscal_year
    from training import tallies
    from training.models import Course

    fy = current_fiscal_year()
    fiscal_years = list(range(fy - 3, fy + 1))
    academic_years = list(range(fy - 5, fy))
    rng = random.Random(seed)
    tables = ("training_course", "training_session", "training_sessionday",
              "training_enrolment", "training_attendance")  # fmt: skip
    totals = {"courses": 0, "enrolments": 0, "attendance": 0, "onet": 0}
    # Millions of enrolments go in with the triggers that keep the per-session counts off
    # (one upsert per row would double the load); the counts are made once at the end.
    with timed() as elapsed:
        tallies.drop_triggers()
        try:
            for office in Office.objects.order_by("pk"):
                if Course.objects.filter(office=office).exists():
                    continue
                people = list(
                    Person.objects.filter(
                        office=office,
                        status="active",
                        personnel_type__in=(*ADMINISTRATOR_TYPES, *TEACHING_TYPES),
                    )
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
                schools = list(School.objects.filter(office=office).values_list("pk", flat=True))
                with transaction.atomic():
                    ids = _Ids(tables)
                    counts = _office_training(office.pk, people, fiscal_years, rng, ids,
                                              per_person_year)  # fmt: skip
                    counts["onet"] = _onet(schools, academic_years, rng)
                for key, value in counts.items():
                    totals[key] += value
        finally:
            tallies.create_triggers()
            tallies.rebuild_all()
        _reset_sequences(tables)
    return {**totals, "seconds": round(elapsed(), 1)}
