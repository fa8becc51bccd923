"""Staff counts per school, stored per office and kept by every write of its people.

Grouping an office's people by school, secondment, employment, type and learning area is the
staffing pages' main cost: about a second for an office of 100,000 people, though a single
edit changes the counts of one or two schools only. The grouped rows are stored instead
(staffing.models.StaffCount, with each school's vacancies in StaffVacancyCount), keyed by the
people's own school, and kept in the transaction of every write that can change them:

* `recount(units, position_numbers)` recounts the named (office, school) pairs — a school, or
  None for the office's own staff — with the same grouped queries as the full count
  (staffing.queries.staff_rows), filtered to those schools, and replaces their rows. Writes
  name every school a person was in before and is in after (a move changes two); the school
  they are seconded to or from is a column of their row, so it needs no recount of its own.
  A vacancy depends on who else holds the position number: the schools whose people hold a
  number the written people held before or hold now are recounted too (an import, which
  does not track numbers, recounts its offices' vacancies whole).
* The counts are for the census day and retirement age the office was built for
  (StaffCountsBuilt); writes count with those, so every stored row is for one day. A page
  of the current year finding another day or age (a new academic year, changed office
  rules) or an office not built rebuilds it (the nightly `rebuild_staff_counts` does it
  ahead of the first page); a page of another year counts from the people rows.
* A major's learning area, read by every count, marks every office not built (`forget_all`):
  its next page counts afresh and builds it again, so a stale figure is never shown.

Concurrency (PostgreSQL), as registry.quality_counts: a write takes a transaction-level
advisory lock per school it recounts before recounting, so of two writes to the same school
the second recounts after the first committed and sees its rows. Writes hold their office's
lock shared; a rebuild or `forget` holds it exclusively. SQLite allows one writer at a time.

`manage.py rebuild_staff_counts --verify` recounts every office nightly and names any school
whose stored counts differed (a write that changed people without keeping the counts).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from krupd.lib import compiled_queries
from krupd.lib.advisory_locks import hold_for_transaction
from registry.models import (
    ADMINISTRATOR_TYPES,
    Employment,
    Office,
    Person,
    PositionChange,
    School,
    Secondment,
)

from .models import StaffCount, StaffCountsBuilt, StaffVacancyCount

UNMAPPED_AREA = ""  # teachers whose major is not mapped to a learning area


@dataclass
class Tally:
    """Who works at a school: administrators, and teachers by learning area id (as text)."""

    admin: int = 0
    teachers_by_area: dict[str, int] = field(default_factory=dict)


@dataclass
class SchoolStaff:
    """One school's counts on the census day, folded from its grouped rows (tally)."""

    register: int = 0
    seconded_out: int = 0
    seconded_in: int = 0
    vacant: int = 0
    civil: Tally = field(default_factory=Tally)
    contract_staff: int = 0
    contract: Tally = field(default_factory=Tally)


# Plain values for the loop below (an enum member read from its class, and `in` over a tuple
# of members, cost more than the counting itself for an office's thousand rows).
_ADMINISTRATOR_TYPES = frozenset(str(t) for t in ADMINISTRATOR_TYPES)
_CIVIL_SERVANT = str(Employment.CIVIL_SERVANT)
_SECONDED_IN, _SECONDED_OUT = str(Secondment.IN), str(Secondment.OUT)


def tally(rows: Iterable[tuple]) -> dict[int, SchoolStaff]:
    """Per-school counts from grouped rows of (school, secondment, secondment school,
    employment, personnel type, learning area of the major, n).

    A civil servant's position is on the register of their school, or of the school they are
    seconded from (มาช่วยราชการ); they work at their school, or at the school they are
    seconded to (ไปช่วยราชการ). Contract staff have no position and count where they work."""
    out: dict[int, SchoolStaff] = defaultdict(SchoolStaff)
    for home, secondment, other, employment, personnel_type, area_id, n in rows:
        if not secondment and other is not None:
            # A secondment in that had ended by the census day: back at the school that
            # holds the position (staffing.queries._grouped_staff).
            register = work = other
        else:
            register = other if secondment == _SECONDED_IN else home
            work = other if secondment == _SECONDED_OUT else home
        if employment != _CIVIL_SERVANT:
            if work is None:
                continue
            school = out[work]
            school.contract_staff += n
            staff = school.contract
        else:
            if register is not None:
                school = out[register]
                school.register += n
                if register != work:
                    school.seconded_out += n
            if work is None:
                continue
            school = out[work]
            if register != work:
                school.seconded_in += n
            staff = school.civil
        if personnel_type in _ADMINISTRATOR_TYPES:
            staff.admin += n
        else:
            area = UNMAPPED_AREA if area_id is None else str(area_id)
            by_area = staff.teachers_by_area
            by_area[area] = by_area.get(area, 0) + n
    return dict(out)


Counts = dict[int, SchoolStaff]

# Stored `school` of the office's own staff, and stored 0 for "no secondment school" and "no
# learning area".
STAFF = NONE = 0
# Advisory lock name spaces (PostgreSQL): an office's counts, one school's, an office's staff,
# and the reference data every office's counts read.
_OFFICE_LOCK, _SCHOOL_LOCK, _STAFF_LOCK, _REFERENCE_LOCK = (
    0x4B445341, 0x4B445353, 0x4B44534F, 0x4B445352,
)  # fmt: skip
# Above this many schools of one office in one write (a large import), the office is
# recounted whole: one grouped query either way, without a long IN list.
_MANY_SCHOOLS = 200

Unit = tuple[int, int | None]  # (office id, school id or None for the office's own staff)


def _is_for(built: tuple | None, census: dt.date, retirement_age: int) -> bool:
    return built is not None and built == (census, retirement_age)


def _built(office_id: int, using: str = DEFAULT_DB_ALIAS) -> tuple[dt.date, int] | None:
    """(census day, retirement age) the office's stored counts are for; None if not built."""
    found = compiled_queries.rows_for(
        ("staff counts built",),
        lambda office: StaffCountsBuilt.objects.filter(office_id=office).values_list(
            "census_date", "retirement_age"
        ),
        office_id,
        using=using,
    )
    return tuple(found[0]) if found else None


# ------------------------------------------------------------------------------ storing


def _stored_key(row: tuple) -> tuple:
    """A grouped row's key as stored: (school, secondment, secondment school, employment,
    personnel type, learning area), None as 0."""
    school, secondment, other, employment, personnel_type, area = row[:6]
    return (school or STAFF, secondment, other or NONE, employment, personnel_type,
            area or NONE)  # fmt: skip


def _store(office_id: int, grouped: list[tuple], schools: set[int | None] | None,
           vacancies: list[tuple], vacancy_schools: set[int] | None) -> None:  # fmt: skip
    """Replace the stored rows of these schools (all of the office's: None) by the counted."""
    for model, replaced, rows in (
        (StaffCount, schools, grouped),
        (StaffVacancyCount, vacancy_schools, vacancies),
    ):
        found = model.objects.filter(office_id=office_id)
        if replaced is not None:
            if not replaced:
                continue
            found = found.filter(school__in=sorted({s or STAFF for s in replaced}))
        found.delete()
        if model is StaffCount:
            columns = ("office_id", "school", "secondment", "secondment_school", "employment",
                       "personnel_type", "learning_area", "people")  # fmt: skip
            values = [(office_id, *_stored_key(row), row[6]) for row in rows]
        else:
            columns = ("office_id", "school", "vacant")
            values = [(office_id, school, n) for school, n in rows]
        _insert(model, columns, values)


def _insert(model, columns: tuple[str, ...], values: list[tuple]) -> None:
    """One INSERT run for every row: an office's thousands of rows through bulk_create cost
    a rebuild four times its counting queries (the ORM prepares each value of each row)."""
    if not values:
        return
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _as_rows(stored: Iterable[tuple]) -> list[tuple]:
    """Stored StaffCount values back into the grouped rows tally() folds (0 as None)."""
    return [
        (school or None, secondment, other or None, employment, personnel_type, area or None, n)
        for school, secondment, other, employment, personnel_type, area, n in stored
    ]


_STORED_COLUMNS = ("school", "secondment", "secondment_school", "employment",
                   "personnel_type", "learning_area", "people")  # fmt: skip


def _read(office_id: int, using: str) -> tuple[list[tuple], list[tuple]]:
    grouped = compiled_queries.rows_for(
        ("stored staff counts",),
        lambda office: StaffCount.objects.filter(office_id=office).values_list(*_STORED_COLUMNS),
        office_id,
        using=using,
    )
    vacancies = compiled_queries.rows_for(
        ("stored vacancies",),
        lambda office: StaffVacancyCount.objects.filter(office_id=office).values_list(
            "school", "vacant"
        ),
        office_id,
        using=using,
    )
    return _as_rows(grouped), vacancies


def _read_schools(office_id: int, schools: list[int],
                  using: str) -> tuple[list[tuple], list[tuple]]:  # fmt: skip
    """The stored rows that count toward these schools: their own people's, and those of
    people seconded to or from them (a row's secondment school; tally() folds a row into
    its school and its secondment school only)."""
    stored = StaffCount.objects.using(using).filter(office_id=office_id)
    grouped = stored.filter(Q(school__in=schools) | Q(secondment_school__in=schools))
    vacancies = StaffVacancyCount.objects.using(using).filter(
        office_id=office_id, school__in=schools
    )
    return (
        _as_rows(grouped.values_list(*_STORED_COLUMNS)),
        list(vacancies.values_list("school", "vacant")),
    )


def _fold(grouped: list[tuple], vacancies: Iterable[tuple]) -> Counts:
    counts = tally(grouped)
    for school_id, n in vacancies:
        counts.setdefault(school_id, SchoolStaff()).vacant = n
    return counts


# ------------------------------------------------------------------------------ keeping


def recount(units: Iterable[Unit], *,
            position_numbers: Iterable[tuple[int, str]] | None = None) -> None:  # fmt: skip
    """Recount the stored rows of these (office, school) pairs from their people now, in the
    caller's transaction. Call it after the write (and its position history), naming every
    school the changed people were in before and are in after, and in `position_numbers`
    every (office, position number) they held before and hold after; None: recount the
    vacancies of these offices whole. Offices not built are left to their next page."""
    from .queries import census_schools_of, staff_rows

    by_office: dict[int, set[int | None]] = defaultdict(set)
    for office_id, school_id in units:
        if office_id is not None:
            by_office[office_id].add(school_id)
    # Schools of other offices that people now at these schools left (a move to another
    # office): their office's count of a census day before the move holds them.
    for office_id, school_id in _schools_left_elsewhere(by_office):
        by_office[office_id].add(school_id)
    numbers: dict[int, set[str]] = defaultdict(set)
    for office_id, number in position_numbers or ():
        if office_id is not None and number:
            numbers[office_id].add(number)
    if not by_office and not numbers:
        return
    with transaction.atomic():
        for office_id in sorted(by_office.keys() | numbers.keys()):
            hold_for_transaction([(_OFFICE_LOCK, office_id)], shared=True)
            built = _built(office_id)
            if built is None:
                continue
            schools: set[int | None] | None = by_office[office_id]
            vacancy_schools: set[int] | None = None
            if position_numbers is not None:
                vacancy_schools = {s for s in schools if s is not None}
                if numbers[office_id]:
                    vacancy_schools |= set(
                        Person.objects.filter(office_id=office_id,
                                              position_number__in=sorted(numbers[office_id]))
                        .exclude(school=None).values_list("school_id", flat=True).distinct()
                    )  # fmt: skip
            hold_for_transaction(
                (_STAFF_LOCK, office_id) if s is None else (_SCHOOL_LOCK, s)
                for s in schools | (vacancy_schools or set())
            )
            if len(schools) > _MANY_SCHOOLS or (
                vacancy_schools is not None and len(vacancy_schools) > _MANY_SCHOOLS
            ):
                schools = vacancy_schools = None
            census, age = built
            # People now at these schools who were elsewhere on the census day are counted
            # there (staffing.queries.school_on): that school is recounted too.
            if schools is not None:
                schools |= census_schools_of(office_id, census, schools)
            if vacancy_schools:
                vacancy_schools |= census_schools_of(office_id, census, vacancy_schools) - {None}
            grouped, _ = staff_rows(office_id, census, age, schools, using=DEFAULT_DB_ALIAS)
            if vacancy_schools is None or vacancy_schools:
                where = None if vacancy_schools is None else set(vacancy_schools)
                _, vacancies = staff_rows(office_id, census, age, where, using=DEFAULT_DB_ALIAS)
            else:
                vacancies = []
            _store(office_id, grouped, schools, vacancies, vacancy_schools)


def _schools_left_elsewhere(by_office: dict[int, set[int | None]]) -> set[Unit]:
    """(office, school) of each school of another office that the people now at these
    schools (None: the office's own staff) left by a change of workplace."""
    from registry.actions import WORKPLACE_HISTORY_LABEL

    where = Q()
    for office_id, schools in by_office.items():
        ids = [s for s in schools if s is not None]
        here = Q(person__school_id__in=ids)
        if None in schools:
            here |= Q(person__school__isnull=True)
        where |= Q(person__office_id=office_id) & here & ~Q(old_school__office_id=office_id)
    if not where:
        return set()
    return set(
        PositionChange.objects.filter(where, field=WORKPLACE_HISTORY_LABEL)
        .filter(old_school__isnull=False)
        .values_list("old_school__office_id", "old_school_id").distinct().order_by()
    )  # fmt: skip


def person_units(*people) -> set[Unit]:
    """The (office, school) pairs of these people (instances, or None), as they are now."""
    return {(p.office_id, p.school_id) for p in people if p is not None}


def census_units(*people) -> set[Unit]:
    """The (office, school) pairs where these people (saved instances) were on the census day
    their office's counts are for, when they moved since: before deleting them, whose counts
    no later query finds them in."""
    from .queries import census_schools_of

    units: set[Unit] = set()
    by_office: dict[int, list[int]] = defaultdict(list)
    for p in people:
        if p is not None and p.pk is not None and p.office_id is not None:
            by_office[p.office_id].append(p.pk)
    for office_id, pks in by_office.items():
        built = _built(office_id)
        if built is not None:
            found = census_schools_of(office_id, built[0], set(), people=pks)
            units |= {(office_id, school) for school in found}
    # The schools of other offices they left (a move to another office): counted there.
    from registry.actions import WORKPLACE_HISTORY_LABEL

    pks = [pk for found in by_office.values() for pk in found]
    if pks:
        units |= set(
            PositionChange.objects.filter(person_id__in=pks, field=WORKPLACE_HISTORY_LABEL,
                                          old_school__isnull=False)
            .exclude(old_school__office_id=F("person__office_id"))
            .values_list("old_school__office_id", "old_school_id").distinct().order_by()
        )  # fmt: skip
    return units


def person_numbers(*people) -> set[tuple[int, str]]:
    """The (office, position number) pairs of these people (instances, or None), as now."""
    return {(p.office_id, p.position_number) for p in people if p is not None}


def forget(office_ids: Iterable[int]) -> None:
    """Mark these offices not built, in the caller's transaction (their people were written
    without the actions): their next page counts from the people rows."""
    ids = sorted(set(office_ids))
    if not ids:
        return
    with transaction.atomic():
        hold_for_transaction((_OFFICE_LOCK, pk) for pk in ids)
        StaffCountsBuilt.objects.filter(office_id__in=ids).delete()


def forget_all() -> None:
    """Mark every office not built: a major's learning area, which every count reads,
    changed. Rare, and each office is recounted once by its next page."""
    with transaction.atomic():
        hold_for_transaction([(_REFERENCE_LOCK, 0)])
        StaffCountsBuilt.objects.all().delete()


def reference_row_changed(row, changed_fields: Iterable[str]) -> None:
    """Call when a reference row was saved with these fields changed."""
    if row._meta.model_name == "major" and "learning_area" in set(changed_fields):
        forget_all()


# ------------------------------------------------------------------------------ reading


def office_counts(office: Office, census: dt.date, retirement_age: int, *,
                  schools: Iterable[int] | None = None) -> Counts:  # fmt: skip
    """The office's per-school counts on the census day: the stored ones when the office is
    built for that day and age; else, for the current year's day, counted and stored
    (rebuild); for any other day, counted from the people rows. With `schools`, the counts
    of those of its schools are right (others may be partial or missing)."""
    from .queries import office_census

    using = compiled_queries.reading(StaffCount)
    if _is_for(_built(office.pk, using), census, retirement_age):
        if schools is not None:
            return _fold(*_read_schools(office.pk, list(schools), using))
        return _fold(*_read(office.pk, using))
    if (census, retirement_age) == office_census(office):
        rows = _rebuild(office, census, retirement_age, only_if_needed=True)[1]
        if rows is not None:
            return _fold(*rows)
        return _fold(*_read(office.pk, DEFAULT_DB_ALIAS))  # built meanwhile by another
    from .queries import staff_rows

    return _fold(*staff_rows(office.pk, census, retirement_age))


# ------------------------------------------------------------------------------ rebuilding


@dataclass
class Difference:
    office: Office
    census_date: dt.date
    # (school id or 0 for the office's own staff, what, stored, counted)
    rows: list[tuple[int, str, object, object]] = field(default_factory=list)

    @property
    def schools(self) -> list[int]:
        return sorted({school for school, *_ in self.rows})


_EMPLOYMENT_LABELS = dict(Employment.choices)
_SECONDMENT_LABELS = dict(Secondment.choices)


def _comparable(grouped: Iterable[tuple], vacancies: Iterable[tuple]) -> dict[tuple, int]:
    found: dict[tuple, int] = {}
    for row in grouped:
        key = _stored_key(row)
        found[key[0], key[1:]] = row[6]
    for school, n in vacancies:
        found[school, "vacant"] = n
    return found


def stored_differences(office: Office) -> Difference | None:
    """Compare the stored rows of a built office with a recount for the same day and age
    (None when they agree or the office is not built)."""
    from .queries import staff_rows

    built = _built(office.pk)
    if built is None:
        return None
    counted = _comparable(*staff_rows(office.pk, *built, using=DEFAULT_DB_ALIAS))
    stored = _comparable(*_read(office.pk, DEFAULT_DB_ALIAS))
    differing = sorted(
        ((school, repr(what), stored.get((school, what)), counted.get((school, what)))
         for school, what in counted.keys() | stored.keys()
         if counted.get((school, what)) != stored.get((school, what))),
        key=lambda r: (r[0], r[1]),
    )  # fmt: skip
    return Difference(office, built[0], differing) if differing else None


def rebuild(office: Office, *, verify: bool = False) -> Difference | None:
    """Recount an office's rows from its people for its current census day and store them;
    with verify, first compare what was stored with a recount for its own day and age
    (returned if it differed)."""
    from .queries import office_census

    return _rebuild(office, *office_census(office), verify=verify)[0]


def _rebuild(office: Office, census: dt.date, retirement_age: int, *, verify: bool = False,
             only_if_needed: bool = False) -> tuple[Difference | None, tuple | None]:  # fmt: skip
    """rebuild(), returning also the rows stored (None when only_if_needed found the office
    built for that day and age by another process meanwhile)."""
    from .queries import staff_rows

    # The pages of a read-only scope end up here too: the rows go to the primary database.
    with transaction.atomic(using=DEFAULT_DB_ALIAS):
        hold_for_transaction([(_REFERENCE_LOCK, 0)], shared=True)
        hold_for_transaction([(_OFFICE_LOCK, office.pk)])
        if only_if_needed and _is_for(_built(office.pk), census, retirement_age):
            return None, None
        difference = stored_differences(office) if verify else None
        rows = staff_rows(office.pk, census, retirement_age, using=DEFAULT_DB_ALIAS)
        _store(office.pk, rows[0], None, rows[1], None)
        StaffCountsBuilt.objects.update_or_create(
            office=office,
            defaults={"census_date": census, "retirement_age": retirement_age,
                      "built_at": timezone.now()},
        )  # fmt: skip
    return difference, rows


def school_label(school_id: int) -> str:
    """A school id of a Difference as people read it."""
    from registry.quality import OFFICE_UNIT_NAME

    if school_id == STAFF:
        return OFFICE_UNIT_NAME
    school = School.objects.filter(pk=school_id).values_list("obec_code", "name").first()
    return f"{school[0]} {school[1]}" if school else f"โรงเรียนรหัสภายใน {school_id}"
