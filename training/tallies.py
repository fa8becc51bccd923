"""The enrolments of each session of a course, counted as they change (EnrolmentTally).

The results table (the SAR's item 4: who took part, passed, %) counted every enrolment of the
office's year at each request and download: a second of CPU for a 100,000-person office's
465,000 enrolments. The counts are stored per (course, session) instead and kept by database
triggers on the enrolment table, in the statement that changes an enrolment:

* an enrolment counts while its status is "enrolled": in `enrolled`, in `passed` when it
  passed, in `pending` while its result is still open (the results table's rule,
  training.queries.results_table);
* inserting, deleting or updating an enrolment (its status, course, session, pass or result)
  takes its old contribution off its old (course, session) row and adds the new one to the
  new row, creating the row with an upsert that cannot lose a concurrent addition.

Triggers rather than code in each write: enrolments are written by the enrolment actions,
results, attendance, the enrolment import (bulk create and delete), queryset updates and the
cascades of a deleted person, course or session; a trigger sees every one of them, Django's
`update()` and `bulk_create()` included, which send no signal.

Whose enrolments: all of a course's. Roles that count the office's enrolments (the office,
supervisors, inspectors) read these rows; a director's or teacher's results table counts
their people's enrolments from the records, a few thousand rows.

`rebuild(office)` recounts an office's rows from the records; `manage.py
rebuild_enrolment_tallies --verify` does it nightly and names any course whose stored counts
differed (a write that bypassed the triggers, e.g. a bulk load with them dropped).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

from registry.models import Office

from .models import Enrolment, EnrolmentStatus, EnrolmentTally, ResultStatus

ENROLMENTS = Enrolment._meta.db_table
TALLIES = EnrolmentTally._meta.db_table
# The stored counts. The triggers are made from this module's definitions by the migration
# that added them: changing what they count needs a new migration that drops and creates them
# again (drop_triggers, create_triggers), then rebuilds the rows (rebuild_all).
COUNTS = ("enrolled", "passed", "pending")
COUNTED_STATUS = EnrolmentStatus.ENROLLED.value
OPEN_RESULT = ResultStatus.PENDING.value
# Changing any other column (attendance, scores, hours, dates) leaves the counts alone, so
# the update trigger does not fire for it.
WATCHED = ("status", "course_id", "session_id", "passed", "result")

_NAMES = {
    "sqlite": (
        "training_enrolment_tally_insert",
        "training_enrolment_tally_update",
        "training_enrolment_tally_delete",
    ),
    "postgresql": ("training_enrolment_tally", "training_enrolment_tally_update"),
}
_PG_FUNCTION = "training_enrolment_tally"


def _adds(row: str, vendor: str) -> tuple[str, str, str]:
    """What one enrolment row adds to each of COUNTS, as SQL over the trigger's NEW or OLD."""
    as_int = "::int" if vendor == "postgresql" else ""
    return ("1", f"{row}.passed{as_int}", f"({row}.result = '{OPEN_RESULT}'){as_int}")


def _upsert(row: str, vendor: str) -> str:
    enrolled, passed, pending = _adds(row, vendor)
    # Only a counted row adds. (The WHERE is also what lets SQLite read "INSERT … SELECT …
    # ON CONFLICT": without one it takes ON for a join's.)
    where = f"WHERE {row}.status = '{COUNTED_STATUS}'"
    return (
        f"INSERT INTO {TALLIES} (course_id, session_id, enrolled, passed, pending) "
        f"SELECT {row}.course_id, {row}.session_id, {enrolled}, {passed}, {pending} {where} "
        "ON CONFLICT (course_id, session_id) DO UPDATE SET "
        + ", ".join(f"{c} = {TALLIES}.{c} + excluded.{c}" for c in COUNTS)
        + ";"
    )


def _take_off(row: str, vendor: str) -> str:
    enrolled, passed, pending = _adds(row, vendor)
    # An UPDATE, not an upsert: after a course or session is deleted its rows are gone, and
    # the cascade's enrolment deletions must not bring them back.
    return (
        f"UPDATE {TALLIES} SET enrolled = enrolled - {enrolled}, passed = passed - {passed}, "
        f"pending = pending - {pending} WHERE course_id = {row}.course_id "
        f"AND session_id = {row}.session_id AND {row}.status = '{COUNTED_STATUS}';"
    )


def _changed() -> str:
    return " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in WATCHED)


def _sqlite_statements() -> list[str]:
    insert, update, delete = _NAMES["sqlite"]
    changed = _changed().replace("IS DISTINCT FROM", "IS NOT")
    return [
        f"CREATE TRIGGER {insert} AFTER INSERT ON {ENROLMENTS} "
        f"WHEN NEW.status = '{COUNTED_STATUS}' BEGIN {_upsert('NEW', 'sqlite')} END",
        f"CREATE TRIGGER {update} AFTER UPDATE OF {', '.join(WATCHED)} ON {ENROLMENTS} "
        f"WHEN {changed} BEGIN {_take_off('OLD', 'sqlite')} {_upsert('NEW', 'sqlite')} END",
        f"CREATE TRIGGER {delete} AFTER DELETE ON {ENROLMENTS} "
        f"WHEN OLD.status = '{COUNTED_STATUS}' BEGIN {_take_off('OLD', 'sqlite')} END",
    ]


def _postgresql_statements() -> list[str]:
    rows, update = _NAMES["postgresql"]
    body = (
        f"BEGIN IF TG_OP <> 'INSERT' THEN {_take_off('OLD', 'postgresql')} END IF; "
        f"IF TG_OP <> 'DELETE' THEN {_upsert('NEW', 'postgresql')} END IF; RETURN NULL; END"
    )
    return [
        f"CREATE OR REPLACE FUNCTION {_PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql "
        f"AS $tally$ {body} $tally$",
        f"CREATE TRIGGER {rows} AFTER INSERT OR DELETE ON {ENROLMENTS} "
        f"FOR EACH ROW EXECUTE FUNCTION {_PG_FUNCTION}()",
        f"CREATE TRIGGER {update} AFTER UPDATE OF {', '.join(WATCHED)} ON {ENROLMENTS} "
        f"FOR EACH ROW WHEN ({_changed()}) EXECUTE FUNCTION {_PG_FUNCTION}()",
    ]


def create_triggers() -> None:
    """Install the triggers (the migration does; a bulk load that dropped them does again,
    then rebuilds)."""
    vendor = connection.vendor
    statements = _postgresql_statements() if vendor == "postgresql" else _sqlite_statements()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop_triggers() -> None:
    """Remove the triggers, e.g. before loading millions of enrolments at once; the counts
    are then wrong until create_triggers() and rebuild_all()."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for name in _NAMES["postgresql" if vendor == "postgresql" else "sqlite"]:
            on = f" ON {ENROLMENTS}" if vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}{on}")
        if vendor == "postgresql":
            cursor.execute(f"DROP FUNCTION IF EXISTS {_PG_FUNCTION}()")


# ------------------------------------------------------------------------------ counting

# (course id, session id) → (enrolled, passed, pending)
Counts = dict[tuple[int, int], tuple[int, int, int]]


def _recount_sql(office_filter: str) -> str:
    return (
        f"SELECT e.course_id, e.session_id, COUNT(*), "
        f"SUM(CASE WHEN e.passed THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN e.result = '{OPEN_RESULT}' THEN 1 ELSE 0 END) "
        f"FROM {ENROLMENTS} e WHERE e.status = '{COUNTED_STATUS}' {office_filter} "
        "GROUP BY e.course_id, e.session_id"
    )


def counted(office_id: int) -> Counts:
    """The office's rows, counted from its courses' enrolments now."""
    sql = _recount_sql("AND e.course_id IN (SELECT id FROM training_course WHERE office_id = %s)")
    with connection.cursor() as cursor:
        cursor.execute(sql, [office_id])
        return {(c, s): (n, p, o) for c, s, n, p, o in cursor.fetchall()}


def stored(office_id: int) -> Counts:
    rows = EnrolmentTally.objects.filter(course__office_id=office_id).exclude(
        enrolled=0, passed=0, pending=0
    )
    return {
        (c, s): (n, p, o) for c, s, n, p, o in rows.values_list("course_id", "session_id", *COUNTS)
    }


@dataclass
class Difference:
    office: Office
    courses: list[int]


def _lock_enrolments() -> None:
    """Keep enrolment writes out while an office is recounted (PostgreSQL): one that
    committed between the recount and the replacement of the rows would be lost, or counted
    twice. SHARE mode waits for writes under way and lets reads on; SQLite lets one writer
    in at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {ENROLMENTS} IN SHARE MODE")


def rebuild(office: Office) -> Difference | None:
    """Recount the office's rows from its enrolments and store them; the courses whose stored
    counts differed (None when every one was right)."""
    with transaction.atomic():
        _lock_enrolments()
        fresh = counted(office.pk)
        before = stored(office.pk)
        EnrolmentTally.objects.filter(course__office_id=office.pk).delete()
        EnrolmentTally.objects.bulk_create(
            (
                EnrolmentTally(course_id=c, session_id=s, enrolled=n, passed=p, pending=o)
                for (c, s), (n, p, o) in sorted(fresh.items())
            ),
            batch_size=2000,
        )
    differed = sorted({key[0] for key in fresh.keys() | before.keys()
                       if fresh.get(key) != before.get(key)})  # fmt: skip
    return Difference(office, differed) if differed else None


def rebuild_all() -> None:
    """Every office's rows at once, in one statement (the migration, a bulk load)."""
    with transaction.atomic():
        _lock_enrolments()
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TALLIES}")
            cursor.execute(
                f"INSERT INTO {TALLIES} (course_id, session_id, {', '.join(COUNTS)}) "
                + _recount_sql("")
            )


# ------------------------------------------------------------------------------ reading


def per_session(office_id: int, fiscal_year: int):
    """(course id, session id, enrolled, passed, pending) of the office's courses of one
    fiscal year: the same rows as counting its enrolled enrolments per (course, session)."""
    return (
        EnrolmentTally.objects.filter(course__office_id=office_id, course__fiscal_year=fiscal_year)
        .exclude(enrolled=0)
        .values_list("course_id", "session_id", *COUNTS)
        .order_by()
    )
