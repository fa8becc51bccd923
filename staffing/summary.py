"""Staff counts per school, stored per office and census day (StaffCountSnapshot).

Grouping an office's people by school, secondment, employment, type and major is the staffing
pages' main cost: about a second for an office of 100,000 people, at every request, though
the data behind it changes a few times a day. The counts are stored, one row per school, with
the state of the office's people data they were computed from (registry.fingerprint). A page
checks that state (one cheap query) and reads the office's rows; when the data has changed
since, it counts afresh and stores the new counts. A stale count is therefore never shown.

The task worker refreshes an office's counts after a personnel import, so the first page
after a large import does not pay for it, and `manage.py rebuild_staff_counts --verify`
recomputes every stored snapshot and reports any that differ from a full recount (run it
nightly: a difference would mean the people data changed without its state changing).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.utils import timezone

from krupd.lib import compiled_queries
from registry.fingerprint import office_people_state
from registry.models import ADMINISTRATOR_TYPES, Employment, Secondment

from .models import StaffCountSnapshot

UNMAPPED_AREA = ""  # teachers whose major is not mapped to a learning area


@dataclass
class Tally:
    """Who works at a school: administrators, and teachers by learning area id (as text)."""

    admin: int = 0
    teachers_by_area: dict[str, int] = field(default_factory=dict)


@dataclass
class SchoolStaff:
    """One school's counts on the census day (see staffing.models.StaffCountSnapshot)."""

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


def current_state(office_id: int) -> str:
    """The state of the office's people data on the primary (for a write)."""
    return _state(office_id, DEFAULT_DB_ALIAS)


def _state(office_id: int, using: str) -> str:
    return hashlib.sha256(
        repr(office_people_state(office_id, using, position_history=True)).encode()
    ).hexdigest()


# What each school's list in StaffCountSnapshot.counts holds, in order.
STORED_COLUMNS = (
    "school_id", "register", "seconded_out", "seconded_in", "vacant", "civil_admin",
    "civil_teachers_by_area", "contract_staff", "contract_admin", "contract_teachers_by_area",
)  # fmt: skip


def _from_row(row: list) -> SchoolStaff:
    (_, register, seconded_out, seconded_in, vacant, civil_admin, civil_by_area,
     contract_staff, contract_admin, contract_by_area) = row  # fmt: skip
    return SchoolStaff(
        register=register, seconded_out=seconded_out, seconded_in=seconded_in, vacant=vacant,
        civil=Tally(civil_admin, civil_by_area), contract_staff=contract_staff,
        contract=Tally(contract_admin, contract_by_area),
    )  # fmt: skip


def _to_row(school_id: int, s: SchoolStaff) -> list:
    return [
        school_id, s.register, s.seconded_out, s.seconded_in, s.vacant, s.civil.admin,
        s.civil.teachers_by_area, s.contract_staff, s.contract.admin, s.contract.teachers_by_area,
    ]  # fmt: skip


def _snapshot(office_id: int, census: dt.date, retirement_age: int,
              using: str) -> tuple[str, list] | None:  # fmt: skip
    """The state and counts of the office's snapshot for that census day, if any."""
    found = compiled_queries.rows_for(
        ("staff count snapshot", census, retirement_age),
        lambda office: StaffCountSnapshot.objects.filter(
            office_id=office, census_date=census, retirement_age=retirement_age
        ).values_list("fingerprint", "counts"),
        office_id,
        using=using,
    )
    return found[0] if found else None


def _stored(office_id: int, census: dt.date, retirement_age: int, state: str, using: str):
    snapshot = _snapshot(office_id, census, retirement_age, using)
    if snapshot is None or snapshot[0] != state:
        return None
    return _schools(snapshot[1])


def _schools(stored: list) -> Counts:
    return {row[0]: _from_row(row) for row in stored}


def store(office_id: int, census: dt.date, retirement_age: int, state: str,
          counts: Counts, *, stored_before: bool = True) -> None:  # fmt: skip
    """Replace the office's snapshot for that census day with `counts` (on the primary).
    stored_before=False: the caller has just found none on the primary, so there is none to
    overwrite (one stored meanwhile by another request makes the insert fail, and stays)."""
    key = {"office_id": office_id, "census_date": census, "retirement_age": retirement_age}
    stored = [_to_row(school_id, s) for school_id, s in counts.items()]
    try:
        with transaction.atomic():
            if stored_before and StaffCountSnapshot.objects.filter(**key).update(
                fingerprint=state, counts=stored, computed_at=timezone.now()
            ):
                return
            StaffCountSnapshot.objects.create(**key, fingerprint=state, counts=stored)
    except IntegrityError:
        # Another request stored the same office's counts at the same moment: theirs stay.
        pass


Counts = dict[int, SchoolStaff]


def office_counts(office_id: int, census: dt.date, retirement_age: int,
                  compute: Callable[[], Counts]) -> Counts:  # fmt: skip
    """The office's per-school counts: stored ones while its people data is unchanged, else
    `compute()`d and stored. The state is read from the database the counts are read from
    (a report page may read from a replica that lags the primary)."""
    using = compiled_queries.reading(StaffCountSnapshot)
    state = _state(office_id, using)
    snapshot = _snapshot(office_id, census, retirement_age, using)
    if snapshot is not None and snapshot[0] == state:
        return _schools(snapshot[1])
    counts = compute()
    # What a replica shows says nothing of the primary.
    stored_before = snapshot is not None or using != DEFAULT_DB_ALIAS
    store(office_id, census, retirement_age, state, counts, stored_before=stored_before)
    return counts


def stored_differences(office_id: int, census: dt.date, retirement_age: int,
                       fresh: dict[int, SchoolStaff]) -> list[int]:  # fmt: skip
    """Schools whose stored counts (if the snapshot is current) differ from `fresh`."""
    using = compiled_queries.reading(StaffCountSnapshot)
    stored = _stored(office_id, census, retirement_age, _state(office_id, using), using)
    if stored is None:
        return []
    empty = SchoolStaff()
    schools = set(stored) | set(fresh)
    return sorted(s for s in schools if stored.get(s, empty) != fresh.get(s, empty))
