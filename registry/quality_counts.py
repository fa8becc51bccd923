"""The data-quality counts of each school, stored and kept as people change (QualityCount).

Counting every person rule of registry.quality over an office's people is the data-quality
page's and the dashboard readiness KPI's whole cost: about a second for an office of 100,000
people, though a single edit changes the counts of one or two schools only. The counts are
stored as one row per (office, school) instead (QualityCount: the school's active people,
their latest update, each rule's counts and the people of each personnel type, which the KPI
dashboard's headcounts read), and kept in the transaction of every write that can change a
person's rule results, school, type or status:

* `recount(units)` recounts the named (office, school) pairs — a school, or None for the
  office's own staff — with the same grouped query as the full count (quality.count_people),
  filtered to those schools, and replaces their rows. Writes name every school a person was
  in before and is in after (a move changes two). The rules stay defined once, as the Q
  conditions of quality.RULES: nothing here re-implements them.
* Rules comparing with today (age, appointment in the future, secondment ended) are counted
  as of the office's `as_of` day (QualityCountsBuilt); writes count with that same day, so
  every stored row is for one day. A reader finding another day rebuilds the office (the
  nightly `rebuild_quality_counts` does it ahead of the first reader).
* Reference data that changes rule results for many people at once (a major's learning area,
  a standing's code, the office's ID setting) marks offices not built (`forget`): their next
  report counts from the records and builds them again, so a stale figure is never shown.

Concurrency (PostgreSQL): a write takes a transaction-level advisory lock per school it
recounts before recounting, so of two writes to the same school the second recounts after the
first committed and sees its rows (READ COMMITTED reads what is committed at each statement).
Writes hold their office's lock shared; a rebuild or `forget` holds it exclusively, so a
rebuild never stores counts read before a concurrent write committed. SQLite allows one writer
at a time and needs none of this.

`rebuild(office)` recounts an office from its records; `manage.py rebuild_quality_counts
--verify` does it nightly and names any school and rule whose stored counts differed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from krupd.lib import compiled_queries
from krupd.lib.advisory_locks import hold_for_transaction

from .models import (
    Office,
    Person,
    PersonStatus,
    QualityCount,
    QualityCountsBuilt,
    School,
)

# Stored `school` of the office's own staff (people without a school).
STAFF = 0
# Advisory lock name spaces (PostgreSQL): an office's counts, one school's, an office's staff,
# and the reference data every office's counts read.
_OFFICE_LOCK, _SCHOOL_LOCK, _STAFF_LOCK, _REFERENCE_LOCK = (
    0x4B445141, 0x4B445153, 0x4B44514F, 0x4B445152,
)  # fmt: skip
# Above this many schools of one office in one write (a large import), the office is
# recounted whole: one grouped query either way, without a long IN list.
_MANY_SCHOOLS = 200

Unit = tuple[int, int | None]  # (office id, school id or None for the office's own staff)


def _rule_codes() -> str:
    from .quality import PERSON_RULES

    return ",".join(rule.code for rule in PERSON_RULES)


def _is_valid(built: QualityCountsBuilt | None, ctx) -> bool:
    """Whether stored counts answer a report with this context: same day, ID setting, rules."""
    return (
        built is not None
        and built.as_of == ctx.today
        and built.allow_leading_zero_or_nine_id == ctx.rules.allow_leading_zero_or_nine_id
        and built.rules == _rule_codes()
    )


# ------------------------------------------------------------------------------ counting


def _count(office_id: int, ctx, schools: set[int | None] | None) -> list[dict]:
    """quality.count_people over the office's active people of these schools (all: None)."""
    from .quality import count_people

    if schools is not None and len(schools) <= _COMPILED_UNITS:
        return [row for school in sorted(schools, key=lambda s: s or 0)
                for row in _count_one(office_id, school, ctx)]  # fmt: skip
    people = Person.objects.filter(office_id=office_id, status=PersonStatus.ACTIVE)
    if schools is not None:
        ids = sorted(s for s in schools if s is not None)
        where = Q(school_id__in=ids)
        if None in schools:
            where |= Q(school__isnull=True)
        people = people.filter(where)
    return count_people(people, ctx)


# A write recounting at most this many schools runs the counting query compiled once per
# day and setting, per school (krupd.lib.compiled_queries): building the ORM query of fifty
# conditions cost more CPU than counting one school's people.
_COMPILED_UNITS = 4


def _count_one(office_id: int, school_id: int | None, ctx) -> list[dict]:
    from .quality import count_rows, people_counts_query

    def build(office_stand_in, school_stand_in=None):
        people = Person.objects.filter(office_id=office_stand_in, status=PersonStatus.ACTIVE)
        if school_stand_in is None:
            people = people.filter(school__isnull=True)
        else:
            people = people.filter(school_id=school_stand_in)
        return people_counts_query(people, ctx)

    # Everything the SQL depends on besides the ids: the day and setting the rules compare
    # with, the rules, and whether it is the office's own staff.
    key = ("quality counts of a school", school_id is None, ctx.today,
           ctx.rules.allow_leading_zero_or_nine_id, _rule_codes())  # fmt: skip
    ids = office_id if school_id is None else (office_id, school_id)
    return count_rows(compiled_queries.rows_for(key, build, ids))


def _as_stored(office_id: int, rows: list[dict]) -> list[QualityCount]:
    return [
        QualityCount(office_id=office_id, school=row["school_id"] or STAFF,
                     people=row["n_people"], last_update=row["last_person"],
                     counts=row["counts"], types=row["types"])
        for row in rows
    ]  # fmt: skip


def _store(office_id: int, rows: list[dict], schools: set[int | None] | None) -> None:
    """Replace the stored rows of these schools (all of the office's: None) by `rows`."""
    found = QualityCount.objects.filter(office_id=office_id)
    if schools is not None:
        found = found.filter(school__in=sorted(s or STAFF for s in schools))
    found.delete()
    QualityCount.objects.bulk_create(_as_stored(office_id, rows), batch_size=1000)


def _context(office_id: int, day: dt.date):
    from .quality import context_for

    return context_for(Office(pk=office_id), today=day)


# ------------------------------------------------------------------------------ keeping


def recount(units: Iterable[Unit]) -> None:
    """Recount the stored rows of these (office, school) pairs from their people now, in the
    caller's transaction. Call it after the write, naming every school the changed people
    were in before and are in after. Offices not built are left to their next reader."""
    by_office: dict[int, set[int | None]] = defaultdict(set)
    for office_id, school_id in units:
        if office_id is not None:
            by_office[office_id].add(school_id)
    if not by_office:
        return
    with transaction.atomic():
        for office_id in sorted(by_office):
            hold_for_transaction([(_OFFICE_LOCK, office_id)], shared=True)
            built = QualityCountsBuilt.objects.filter(office_id=office_id).first()
            if built is None:
                continue
            ctx = _context(office_id, built.as_of)
            if not _is_valid(built, ctx):  # the next reader rebuilds it
                continue
            schools: set[int | None] | None = by_office[office_id]
            hold_for_transaction(
                (_STAFF_LOCK, office_id) if s is None else (_SCHOOL_LOCK, s) for s in schools
            )
            if len(schools) > _MANY_SCHOOLS:
                schools = None
            _store(office_id, _count(office_id, ctx, schools), schools)


def person_units(*people) -> set[Unit]:
    """The (office, school) pairs of these people (instances, or None), as they are now."""
    return {(p.office_id, p.school_id) for p in people if p is not None}


def forget(office_ids: Iterable[int]) -> None:
    """Mark these offices not built, in the caller's transaction: something every count of
    theirs reads changed (their ID setting). Their next report counts from the records."""
    ids = sorted(set(office_ids))
    if not ids:
        return
    with transaction.atomic():
        hold_for_transaction((_OFFICE_LOCK, pk) for pk in ids)
        QualityCountsBuilt.objects.filter(office_id__in=ids).delete()


def forget_all() -> None:
    """Mark every office not built: reference data all offices' counts read changed (a
    major's learning area, a standing's code). Rare, and each office is recounted once by its
    next report; narrowing it to the offices with people of that row could miss a person
    given that row by a write committing at the same moment."""
    with transaction.atomic():
        hold_for_transaction([(_REFERENCE_LOCK, 0)])
        QualityCountsBuilt.objects.all().delete()


# Fields of reference rows that rules read (quality.RULES: major_area, standing_type).
REFERENCE_FIELDS = {"major": {"learning_area"}, "academicstanding": {"code"}}


def reference_row_changed(row, changed_fields: Iterable[str]) -> None:
    """Call when a reference row (major, standing...) was saved with these fields changed."""
    read = REFERENCE_FIELDS.get(row._meta.model_name, set())
    if read & set(changed_fields):
        forget_all()


# ------------------------------------------------------------------------------ reading


def answering(office: Office, ctx) -> QuerySet[QualityCount]:
    """The office's stored rows, the office rebuilt first when they do not answer `ctx` (not
    built, another day...)."""
    make_answer(office, ctx)
    return QualityCount.objects.filter(office=office)


def make_answer(office: Office, ctx) -> None:
    """Rebuild the office's stored rows when they do not answer `ctx` (answering without
    its queryset, for callers that read the rows by SQL compiled once: building the
    queryset cost a home page more than the check)."""
    # Asked before every report and home page: the SQL is compiled once (compiled_queries).
    found = compiled_queries.objects_for(
        "registry.quality_counts_built",
        lambda office_id: QualityCountsBuilt.objects.filter(office_id=office_id),
        office.pk,
        using=compiled_queries.reading(QualityCountsBuilt),
    )
    built = found[0] if found else None
    if not _is_valid(built, ctx):
        rebuild(office, today=ctx.today, only_if_needed=True)


def _row(school: int, people: int, last_update, counts: dict, types: dict) -> dict:
    """A stored row as quality.count_people returns it."""
    return {"school_id": school or None, "n_people": people, "last_person": last_update,
            "counts": counts,
            "types": types}  # fmt: skip


_FIELDS = ("school", "people", "last_update", "counts_text", "types_text")


def _stored(rows: QuerySet[QualityCount], *, types: bool = True) -> QuerySet:
    """The stored rows' _FIELDS, the two JSON columns as their text (`_rows` decodes them);
    without `types`, the headcounts by type are not read (the data-quality report's rows)."""
    return rows.annotate(
        counts_text=Cast("counts", TextField()), types_text=Cast("types", TextField())
    ).values_list(*(_FIELDS if types else _FIELDS[:-1]))


def _rows(values: Iterable[tuple]) -> list[dict]:
    """_row of each (school, people, last update, counts text[, types text]: types None
    when not read). The JSON of every row is decoded by one json.loads: a data-quality page
    of 100 schools decoded its 200 values one by one through the field, half of reading
    them."""
    values = list(values)
    if not values:
        return []
    decoded = json.loads("[" + ",".join(text for row in values for text in row[3:]) + "]")
    width = len(values[0]) - 3  # JSON values a row: its counts, and its types when read
    return [
        _row(school, people, last, decoded[width * n],
             decoded[width * n + 1] if width == 2 else None)
        for n, (school, people, last, *_json) in enumerate(values)
    ]  # fmt: skip


def people_rows(office: Office, ctx, schools, *, include_office_people: bool) -> list[dict]:
    """The stored rows of these schools (a queryset of the office's schools), and of the
    office's own staff if asked, shaped as quality.count_people returns them; the office is
    rebuilt first when its stored counts do not answer `ctx` (not built, another day...)."""
    where = Q(school__in=schools.values("pk"))
    if include_office_people:
        where |= Q(school=STAFF)
    return _rows(_stored(answering(office, ctx).filter(where)))


def office_people_rows(
    office: Office, ctx, network: tuple[int, ...], *, include_office_people: bool
) -> list[dict]:
    """people_rows of the office's schools (or of one network's: `network` holds its id),
    by SQL compiled once per shape (the office data-quality page's), their types None: the
    report scores people by rule, not by type (reading and decoding them was a tenth of the
    page's reading)."""
    from .quality import office_schools

    make_answer(office, ctx)

    def build(office_id, *network_id):
        where = Q(school__in=office_schools(office_id, *network_id).values("pk"))
        if include_office_people:
            where |= Q(school=STAFF)
        return _stored(QualityCount.objects.filter(office_id=office_id).filter(where), types=False)

    stored = compiled_queries.rows_for(
        ("registry.office_people_rows", bool(network), include_office_people, "no types"),
        build,
        (office.pk, *network),
        using=compiled_queries.reading(QualityCount),
    )
    return _rows(stored)


def office_rows(office: Office, ctx) -> list[dict]:
    """Every stored row of the office, its schools' and its own staff's, shaped as
    people_rows shapes them; the office is rebuilt first when they do not answer `ctx`. The KPI
    dashboard reads them once for its headcounts and its readiness scores."""
    return _rows(_stored(answering(office, ctx)))


def headcounts(office: Office, rows: list[dict] | None = None) -> dict[tuple[int | None, str], int]:
    """Active people of the office by (school id or None, personnel type), from its stored
    rows (office_rows, read here when not given): what a GROUP BY over its people gives."""
    if rows is None:
        from .quality import context_for

        rows = office_rows(office, context_for(office))
    found = {}
    for row in rows:
        school = row["school_id"]
        for ptype, n in row["types"].items():
            found[school, ptype] = n
    return found


# ------------------------------------------------------------------------------ rebuilding


@dataclass
class Difference:
    office: Office
    # (school id or 0 for the office's own staff, rule code or "people", stored, counted)
    rows: list[tuple[int, str, object, object]]


def _comparable(rows: list[dict]) -> dict[tuple[int, str], object]:
    from .quality import counts_by_rule

    found = {}
    for row in rows:
        school = row["school_id"] or STAFF
        found[school, "people"] = (row["n_people"], row["last_person"])
        found[school, "types"] = tuple(sorted(row["types"].items()))
        for code, pair in counts_by_rule(row["counts"]).items():
            found[school, code] = pair
    return found


def _stored_comparable(office_id: int) -> dict[tuple[int, str], object]:
    return _comparable(_rows(_stored(QualityCount.objects.filter(office_id=office_id))))


def stored_equals_counted(office: Office) -> Difference | None:
    """Compare the stored rows of a built office with a recount for the same day and setting
    (None when they agree or the office is not built)."""
    built = QualityCountsBuilt.objects.filter(office=office).first()
    if built is None or built.rules != _rule_codes():
        return None
    ctx = _context(office.pk, built.as_of)
    if ctx.rules.allow_leading_zero_or_nine_id != built.allow_leading_zero_or_nine_id:
        return None
    counted = _comparable(_count(office.pk, ctx, None))
    stored = _stored_comparable(office.pk)
    differing = sorted(
        (school, what, stored.get((school, what)), counted.get((school, what)))
        for school, what in counted.keys() | stored.keys()
        if counted.get((school, what)) != stored.get((school, what))
    )
    return Difference(office, differing) if differing else None


def rebuild(
    office: Office, *, today: dt.date | None = None, verify: bool = False,
    only_if_needed: bool = False,
) -> Difference | None:  # fmt: skip
    """Recount an office's rows from its records as of `today` and store them; with verify,
    first compare what was stored with a recount for its own day (returned if it differed).
    only_if_needed: skip when another process built it for this context meanwhile."""
    # The reports of a read-only page end up here too: the rows go to the primary database.
    with transaction.atomic(using=DEFAULT_DB_ALIAS):
        hold_for_transaction([(_REFERENCE_LOCK, 0)], shared=True)
        hold_for_transaction([(_OFFICE_LOCK, office.pk)])
        ctx = _context(office.pk, today or timezone.localdate())
        built = QualityCountsBuilt.objects.filter(office=office).first()
        if only_if_needed and _is_valid(built, ctx):
            return None
        difference = stored_equals_counted(office) if verify else None
        _store(office.pk, _count(office.pk, ctx, None), None)
        QualityCountsBuilt.objects.update_or_create(
            office=office,
            defaults={
                "as_of": ctx.today,
                "allow_leading_zero_or_nine_id": ctx.rules.allow_leading_zero_or_nine_id,
                "rules": _rule_codes(),
                "built_at": timezone.now(),
            },
        )
    return difference


def school_label(school_id: int) -> str:
    """A school id of a Difference as people read it."""
    from .quality import OFFICE_UNIT_NAME

    if school_id == STAFF:
        return OFFICE_UNIT_NAME
    school = School.objects.filter(pk=school_id).values_list("obec_code", "name").first()
    return f"{school[0]} {school[1]}" if school else f"โรงเรียนรหัสภายใน {school_id}"
