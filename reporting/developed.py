"""The "developed" people of each school, kept as they change (DevelopedHours).

Counting who reached the office's development hours in a year meant summing every passed
enrolment and PLC meeting of the office at every dashboard, SAR and oversight page: the
slowest part of them nationally. The counts are stored instead, as a histogram per (counting
office, school, fiscal year, cut-off, personnel type) of people by their hours, and kept in
the transaction of every write that changes someone's hours or who they are:

* `keeping(person_ids)` wraps such a write: it reads the named people's contributions before,
  lets the write run, reads them again and adds the difference to the stored rows. Every write
  that changes a person's credited hours (training results, PLC meetings) or school, type,
  status or office (registry, the personnel import) runs inside it.
* A person's contribution is computed here from their records with the same rules as the full
  count (reporting.kpis.KpiData.counted_developed): hours in the fiscal year of
  training.queries.CREDIT_YEAR and PLC meetings in the meeting's fiscal year, all counted by
  the person's own office, as the "% developed" page counts them (a teacher who moved to
  another office takes her hours with her: counted by the office of the course, she stayed in
  its numerator under a school it does not have, above 100 %); as of a cut-off, an enrolment
  counts when it was completed (or, without a completion day, its session ended) by then, or
  when the fiscal year its hours are credited to has ended by then
  (training.queries.counted_by: the year's last day counts the whole year's hours).

Concurrency (PostgreSQL): the people named are locked first (an advisory lock per slot of
person ids), so no other write can change them between the two reads; counts are added with
INSERT … ON CONFLICT DO UPDATE people = people + n, which cannot lose a concurrent addition;
each office's rows are changed under a shared advisory lock that a rebuild of that office
takes exclusively. SQLite allows one writer at a time and needs none of this.

The same blocks keep PersonHours, each person's hours of each fiscal year counted as the "%
developed" report counts them (every passed course wherever it ran, every PLC meeting): when
a block ends, the named people's rows are recounted from their records and replaced, under a
shared lock of their offices (before and after the write) that a rebuild takes exclusively.

`rebuild(office)` recounts an office from its records; `manage.py rebuild_developed_hours
--verify` does it nightly and names any office, school and year whose stored counts differed.
"""

from __future__ import annotations

import calendar
import contextvars
import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, Exists, FilteredRelation, Q, QuerySet, Sum
from django.utils import timezone

from krupd.lib import thai_dates
from krupd.lib.advisory_locks import hold_for_transaction
from registry.models import Office, Person, PersonStatus

from .models import DevelopedHours, DevelopedHoursBuilt, PersonHours

WHOLE_YEAR = 0
# Fiscal months whose last day has its own stored counts: the SAR counts "developed" people
# as of the end of its half-year rounds (thai_dates.fiscal_half: 31 March and 30 September).
# Any other day is counted from the records (KpiData falls back on the full count).
CUTOFF_MONTHS = (6, 12)

# Key of one stored row: (office id, school id or 0, fiscal year, bucket, personnel type, hours).
Key = tuple[int, int, int, int, str, Decimal]

_LOCK_SLOTS = 256  # people share a lock slot by id: few locks for a whole import
_PERSON_LOCK, _OFFICE_LOCK = 0x4B445048, 0x4B44504F  # advisory lock name spaces
_CHUNK = 2000


def cutoff_date(fiscal_year: int, month: int) -> dt.date:
    """Last day of the month-th month (1 = October) of a BE fiscal year."""
    calendar_month = (month + 8) % 12 + 1
    year = fiscal_year - thai_dates.BE_OFFSET - (1 if calendar_month >= 10 else 0)
    return dt.date(year, calendar_month, calendar.monthrange(year, calendar_month)[1])


def bucket_for(years: list[int], until: dt.date | None) -> int | None:
    """The stored bucket that answers "hours passed up to `until`" for these years, if any."""
    if until is None:
        return WHOLE_YEAR
    if len(years) == 1:
        for month in CUTOFF_MONTHS:
            if until == cutoff_date(years[0], month):
                return month
    return None


# ------------------------------------------------------------------------------ counting


def _tally(enrolments, plc) -> Counter:
    """Stored-row counts from the passed enrolments and PLC attendances given (querysets
    already narrowed to some people or to one office), active people only."""
    hours: dict[tuple, Decimal] = {}  # (office, person, school, type, fy, bucket) → hours
    cutoffs: dict[int, list[tuple[int, dt.date]]] = {}

    def add(office, person, school, ptype, fy, day, h):
        if fy not in cutoffs:
            cutoffs[fy] = [(m, cutoff_date(fy, m)) for m in CUTOFF_MONTHS]
        base = (office, person, school or 0, ptype, fy)
        hours[(*base, WHOLE_YEAR)] = hours.get((*base, WHOLE_YEAR), 0) + h
        if day is not None:
            # Hours credited to a year count by its last day however late the result was
            # met (training.queries.counted_by): its 30 September is the whole year.
            day = min(day, thai_dates.fiscal_year_end(fy))
            for month, last in cutoffs[fy]:
                if day <= last:
                    hours[(*base, month)] = hours.get((*base, month), 0) + h

    if enrolments is not None:
        from training.queries import CREDIT_YEAR

        rows = (
            enrolments.filter(passed=True, person__status=PersonStatus.ACTIVE)
            .annotate(credit_year=CREDIT_YEAR)
            .values_list("person__office_id", "person_id", "person__school_id",
                         "person__personnel_type", "credit_year", "completed_on",
                         "session__end_date", "hours_credited", "prior_year_hours")
            .order_by()
        )  # fmt: skip
        # Each part of the hours in its fiscal year, as training.queries.hours_by_credit_year
        # counts them; both as of the day the result was met.
        for office, person, school, ptype, fy, completed, ended, h, before in rows.iterator(_CHUNK):
            add(office, person, school, ptype, fy, completed or ended, h - before)
            if before:
                add(office, person, school, ptype, fy - 1, completed or ended, before)
    if plc is not None:
        rows = (
            plc.filter(person__status=PersonStatus.ACTIVE)
            .values_list("person__office_id", "person_id", "person__school_id",
                         "person__personnel_type", "plcmeeting__date", "plcmeeting__hours")
            .order_by()
        )  # fmt: skip
        for office, person, school, ptype, day, h in rows.iterator(_CHUNK):
            add(office, person, school, ptype, thai_dates.fiscal_year(day), day, h)
    counts: Counter = Counter()
    for (office, _person, school, ptype, fy, bucket), h in hours.items():
        counts[(office, school, fy, bucket, ptype, Decimal(h).quantize(Decimal("0.1")))] += 1
    return counts


def _sources():
    enrolments = plc = None
    if apps.is_installed("training"):
        from training.models import Enrolment

        enrolments = Enrolment.objects.all()
    if apps.is_installed("community"):
        from community.models import PLCMeeting

        plc = PLCMeeting.attendees.through.objects.all()
    return enrolments, plc


def _sources_of_people(person_ids: Iterable[int]):
    """The enrolments and PLC attendances of these people, a chunk of people at a time (an
    IN list every database takes)."""
    ids = sorted(set(person_ids))
    enrolments, plc = _sources()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        yield (
            None if enrolments is None else enrolments.filter(person_id__in=chunk),
            None if plc is None else plc.filter(person_id__in=chunk),
        )


def counts_of_people(person_ids: Iterable[int]) -> Counter:
    """What these people add to the stored rows of every office, from their records now."""
    counts: Counter = Counter()
    for enrolments, plc in _sources_of_people(person_ids):
        counts.update(_tally(enrolments, plc))
    return counts


def counts_of_office(office_id: int) -> Counter:
    """Every stored row of an office, counted from its records."""
    enrolments, plc = _sources()
    return _tally(
        None if enrolments is None else enrolments.filter(person__office_id=office_id),
        None if plc is None else plc.filter(person__office_id=office_id),
    )


def _person_hours(enrolments, plc) -> dict[tuple[int, int], Decimal]:
    """(person, fiscal year) → development hours as training.queries.developed_report adds
    them up, from the enrolments and PLC attendances given (already narrowed to some people):
    passed hours in their credit year (training.queries.CREDIT_YEAR) plus PLC meetings in the
    meeting's fiscal year. A person with any such record in a year has a row, even of 0 hours."""
    hours: dict[tuple[int, int], Decimal] = {}
    if enrolments is not None:
        from training.queries import hours_by_credit_year

        for r in hours_by_credit_year(enrolments, "person_id"):
            hours[r["person_id"], r["credit_year"]] = r["hours"]
    if plc is not None:
        rows = plc.values_list("person_id", "plcmeeting__date", "plcmeeting__hours").order_by()
        for person, day, h in rows.iterator(_CHUNK):
            key = (person, thai_dates.fiscal_year(day))
            hours[key] = hours.get(key, Decimal("0")) + h
    return hours


def person_hours_of_people(person_ids: Iterable[int]) -> dict[tuple[int, int], Decimal]:
    hours: dict[tuple[int, int], Decimal] = {}
    for enrolments, plc in _sources_of_people(person_ids):
        hours.update(_person_hours(enrolments, plc))
    return hours


def person_hours_of_office(office_id: int) -> dict[tuple[int, int], Decimal]:
    """PersonHours of every person of the office (by the person's office), from the records."""
    enrolments, plc = _sources()
    return _person_hours(
        None if enrolments is None else enrolments.filter(person__office_id=office_id),
        None if plc is None else plc.filter(person__office_id=office_id),
    )


def stored_person_hours(office_id: int) -> dict[tuple[int, int], Decimal]:
    rows = PersonHours.objects.filter(person__office_id=office_id)
    return {(p, fy): h for p, fy, h in rows.values_list("person_id", "fiscal_year", "hours")}


def _store_person_hours(hours: dict[tuple[int, int], Decimal]) -> None:
    PersonHours.objects.bulk_create(
        (PersonHours(person_id=p, fiscal_year=fy, hours=h) for (p, fy), h in sorted(hours.items())),
        batch_size=_CHUNK,
    )


def stored_counts(office_id: int) -> Counter:
    rows = DevelopedHours.objects.filter(office_id=office_id).exclude(people=0)
    return Counter(
        {
            (office_id, school, fy, bucket, ptype, hours): n
            for school, fy, bucket, ptype, hours, n in rows.values_list(
                "school", "fiscal_year", "bucket", "personnel_type", "hours", "people"
            )
        }
    )


# ------------------------------------------------------------------------------ reading


def is_built(office_id: int) -> bool:
    return DevelopedHoursBuilt.objects.filter(office_id=office_id).exists()


def developed_counts(
    office_id: int,
    years: list[int],
    bucket: int,
    min_hours: Decimal,
    *,
    schools: Collection[int] | None = None,
) -> tuple[Counter, set[int]]:
    """As KpiData.counted_developed, from the stored rows: people with at least `min_hours`
    by (fiscal year, school, personnel type), and the years with any hours in the office.
    Given `schools`, only theirs are counted (the years are still the office's)."""
    stored = DevelopedHours.objects.filter(
        office_id=office_id, fiscal_year__in=years, bucket=bucket, people__gt=0
    )
    found: set[int] = set()
    if schools is not None:
        found = years_with_rows(office_id, stored, years)
        stored = stored.filter(school__in=schools)
    rows = (
        stored.values_list("fiscal_year", "school", "personnel_type")
        .annotate(n=Sum("people", filter=Q(hours__gte=min_hours)))
        .order_by()
    )
    counts: Counter = Counter()
    for fy, school, ptype, n in rows:
        found.add(fy)
        if n:
            counts[fy, school or None, ptype] += n
    return counts, found


def years_with_rows(office_id: int, rows: QuerySet, years: list[int]) -> set[int]:
    """Which of `years` have any of these rows (a queryset with a fiscal_year) of the office:
    an EXISTS per year, each stopping at its first row, asked in one query. Listing the years
    of every row read them all (31,000 courses over four years for a 100,000-person office)."""
    checks = {f"y{fy}": Exists(rows.filter(fiscal_year=fy)) for fy in years}
    found = Office.objects.filter(pk=office_id).values(**checks).get()
    return {fy for fy in years if found[f"y{fy}"]}


def people_built(office_id: int) -> bool:
    """Whether the office's people's PersonHours rows were built (and so are kept)."""
    return DevelopedHoursBuilt.objects.filter(office_id=office_id, person_hours=True).exists()


def developed_people(
    people: QuerySet[Person], fiscal_year: int, min_hours: Decimal
) -> dict[tuple, tuple[int, int]]:
    """These people counted by (school id, personnel type, academic standing id) as they are
    now: (all of them, those with at least `min_hours` development hours in the fiscal year).
    One pass over the people, each joined to their stored hours of the year if any."""
    rows = (
        people.alias(year=FilteredRelation("hours_by_year", condition=Q(
            hours_by_year__fiscal_year=fiscal_year)))
        .values_list("school_id", "personnel_type", "academic_standing_id")
        .annotate(n=Count("pk"), developed=Count("pk", filter=Q(year__hours__gte=min_hours)))
        .order_by()
    )  # fmt: skip
    return {(school, ptype, standing): (n, d) for school, ptype, standing, n, d in rows}


# ------------------------------------------------------------------------------ keeping


def _advisory(name_space: int, keys: Iterable[int], *, shared: bool = False) -> None:
    hold_for_transaction(((name_space, key) for key in keys), shared=shared)


def _offices_of(person_ids: Iterable[int]) -> set[int]:
    """The offices these people are in, to lock them (PostgreSQL only: SQLite has no advisory
    locks, and lets one writer at a time in anyway)."""
    if connection.vendor != "postgresql":
        return set()
    ids = sorted(set(person_ids))
    offices: set[int] = set()
    for start in range(0, len(ids), _CHUNK):
        people = Person.objects.filter(pk__in=ids[start : start + _CHUNK])
        offices.update(people.values_list("office_id", flat=True).distinct().order_by())
    return offices


@dataclass
class _Keeping:
    people: set[int] = field(default_factory=set)
    before: Counter = field(default_factory=Counter)

    def add(self, person_ids: set[int]) -> None:
        new = person_ids - self.people
        if new:
            _advisory(_PERSON_LOCK, (pk % _LOCK_SLOTS for pk in new))
            # Their PersonHours rows are rebuilt with their (present) office: a rebuild of
            # the office they leave must not write them back meanwhile.
            _advisory(_OFFICE_LOCK, _offices_of(new), shared=True)
            self.before.update(counts_of_people(new))
            self.people |= new

    def apply(self) -> None:
        if not self.people:
            return
        after = counts_of_people(self.people)
        delta = {k: after[k] - self.before[k] for k in after.keys() | self.before.keys()}
        add_counts({k: d for k, d in delta.items() if d})
        keep_person_hours(self.people)


def keep_person_hours(person_ids: set[int]) -> None:
    """Recount these people's PersonHours rows from their records and replace them. Their
    person locks are held (keeping); the shared lock of the offices they are in now keeps a
    rebuild of those offices from interleaving."""
    _advisory(_OFFICE_LOCK, _offices_of(person_ids), shared=True)
    fresh = person_hours_of_people(person_ids)
    ids = sorted(person_ids)
    for start in range(0, len(ids), _CHUNK):
        PersonHours.objects.filter(person_id__in=ids[start : start + _CHUNK]).delete()
    _store_person_hours(fresh)


_open: contextvars.ContextVar[_Keeping | None] = contextvars.ContextVar("developed", default=None)


@contextmanager
def keeping(person_ids: Iterable[int]) -> Iterator[None]:
    """Keep the stored counts right across a write that may change these people's hours,
    school, personnel type, status or office (see the module's docstring). Name everyone the
    write changes before it changes them; nested blocks join the outermost one, which adds
    the difference when it ends, in the same transaction."""
    ids = {pk for pk in person_ids if pk is not None}
    outer = _open.get()
    if outer is not None:
        outer.add(ids)
        yield
        return
    keeper = _Keeping()
    token = _open.set(keeper)
    try:
        with transaction.atomic():
            keeper.add(ids)
            yield
            keeper.apply()
    finally:
        _open.reset(token)


def add_counts(delta: dict) -> None:
    """Add these differences to the stored rows: one upsert per row, in key order (so two
    writers never wait for each other's rows in opposite orders)."""
    if not delta:
        return
    _advisory(_OFFICE_LOCK, {k[0] for k in delta}, shared=True)
    table = DevelopedHours._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (office_id, school, fiscal_year, bucket, personnel_type, "
            "hours, people) VALUES (%s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (office_id, fiscal_year, bucket, school, personnel_type, hours) "
            f"DO UPDATE SET people = {table}.people + EXCLUDED.people",
            [(*key, n) for key, n in sorted(delta.items())],
        )


# ------------------------------------------------------------------------------ rebuilding


@dataclass
class Difference:
    office: Office
    schools: list[int]  # school ids (0: people without a school)
    years: list[int]


def rebuild(office: Office) -> Difference | None:
    """Recount an office's rows from its records and store them; returns what differed from
    the stored rows if the office was built (None if nothing did, or it was not built)."""
    with transaction.atomic():
        _advisory(_OFFICE_LOCK, [office.pk])
        fresh = counts_of_office(office.pk)
        built = is_built(office.pk)
        difference = None
        if built:
            stored = stored_counts(office.pk)
            differing = [k for k in fresh.keys() | stored.keys() if fresh[k] != stored[k]]
            if differing:
                difference = Difference(
                    office,
                    sorted({k[1] for k in differing}),
                    sorted({k[2] for k in differing}),
                )
        fresh_people = person_hours_of_office(office.pk)
        if built and people_built(office.pk):
            stored_people = stored_person_hours(office.pk)
            differing_people = [
                k for k in fresh_people.keys() | stored_people.keys()
                if fresh_people.get(k) != stored_people.get(k)
            ]  # fmt: skip
            if differing_people:
                schools = Person.objects.filter(pk__in={p for p, _ in differing_people})
                schools = {s or 0 for s in schools.values_list("school_id", flat=True)}
                years = {fy for _, fy in differing_people}
                if difference is None:
                    difference = Difference(office, [], [])
                difference.schools = sorted(schools | set(difference.schools))
                difference.years = sorted(years | set(difference.years))
        PersonHours.objects.filter(
            person_id__in=Person.objects.filter(office_id=office.pk).values("pk")
        ).delete()
        _store_person_hours(fresh_people)
        DevelopedHours.objects.filter(office=office).delete()
        DevelopedHours.objects.bulk_create(
            (
                DevelopedHours(office_id=o, school=s, fiscal_year=fy, bucket=b,
                               personnel_type=t, hours=h, people=n)
                for (o, s, fy, b, t, h), n in sorted(fresh.items())
            ),
            batch_size=2000,
        )  # fmt: skip
        DevelopedHoursBuilt.objects.update_or_create(
            office=office, defaults={"built_at": timezone.now(), "person_hours": True}
        )
    return difference
