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

from django.db import DEFAULT_DB_ALIAS, IntegrityError, router, transaction

from imports.bulk import insert_rows
from registry.fingerprint import office_people_state
from registry.models import ADMINISTRATOR_TYPES, Employment, Secondment

from .models import SchoolStaffCount, StaffCountSnapshot

UNMAPPED_AREA = ""  # teachers whose major is not mapped to a learning area


@dataclass
class Tally:
    """Who works at a school: administrators, and teachers by learning area id (as text)."""

    admin: int = 0
    teachers_by_area: dict[str, int] = field(default_factory=dict)

    def add(self, *, administrator: bool, area: str, n: int) -> None:
        if administrator:
            self.admin += n
        else:
            self.teachers_by_area[area] = self.teachers_by_area.get(area, 0) + n


@dataclass
class SchoolStaff:
    """One school's counts on the census day (see staffing.models.SchoolStaffCount)."""

    register: int = 0
    seconded_out: int = 0
    seconded_in: int = 0
    vacant: int = 0
    civil: Tally = field(default_factory=Tally)
    contract_staff: int = 0
    contract: Tally = field(default_factory=Tally)


def tally(rows: Iterable[tuple]) -> dict[int, SchoolStaff]:
    """Per-school counts from grouped rows of (school, secondment, secondment school,
    employment, personnel type, learning area of the major, n).

    A civil servant's position is on the register of their school, or of the school they are
    seconded from (มาช่วยราชการ); they work at their school, or at the school they are
    seconded to (ไปช่วยราชการ). Contract staff have no position and count where they work."""
    out: dict[int, SchoolStaff] = defaultdict(SchoolStaff)
    for home, secondment, other, employment, personnel_type, area_id, n in rows:
        register = other if secondment == Secondment.IN else home
        work = other if secondment == Secondment.OUT else home
        area = UNMAPPED_AREA if area_id is None else str(area_id)
        administrator = personnel_type in ADMINISTRATOR_TYPES
        if employment != Employment.CIVIL_SERVANT:
            if work is not None:
                out[work].contract_staff += n
                out[work].contract.add(administrator=administrator, area=area, n=n)
            continue
        if register is not None:
            out[register].register += n
            if register != work:
                out[register].seconded_out += n
        if work is not None:
            if register != work:
                out[work].seconded_in += n
            out[work].civil.add(administrator=administrator, area=area, n=n)
    return dict(out)


def current_state(office_id: int) -> str:
    """The state of the office's people data on the primary (for a write)."""
    return _state(office_id, DEFAULT_DB_ALIAS)


def _state(office_id: int, using: str) -> str:
    return hashlib.sha256(
        repr(office_people_state(office_id, using, position_history=True)).encode()
    ).hexdigest()


# The stored columns in the order _from_row takes them (plain rows: an office page reads
# up to a thousand of them, and model instances cost more than the query).
STORED_COLUMNS = (
    "school_id", "register", "seconded_out", "seconded_in", "vacant", "civil_admin",
    "civil_teachers_by_area", "contract_staff", "contract_admin", "contract_teachers_by_area",
)  # fmt: skip


def _from_row(row: tuple) -> SchoolStaff:
    (_, register, seconded_out, seconded_in, vacant, civil_admin, civil_by_area,
     contract_staff, contract_admin, contract_by_area) = row  # fmt: skip
    return SchoolStaff(
        register=register, seconded_out=seconded_out, seconded_in=seconded_in, vacant=vacant,
        civil=Tally(civil_admin, civil_by_area), contract_staff=contract_staff,
        contract=Tally(contract_admin, contract_by_area),
    )  # fmt: skip


def _to_row(snapshot_id: int, school_id: int, s: SchoolStaff) -> dict:
    return {
        "snapshot_id": snapshot_id, "school_id": school_id, "register": s.register,
        "seconded_out": s.seconded_out, "seconded_in": s.seconded_in, "vacant": s.vacant,
        "civil_admin": s.civil.admin, "civil_teachers_by_area": s.civil.teachers_by_area,
        "contract_staff": s.contract_staff, "contract_admin": s.contract.admin,
        "contract_teachers_by_area": s.contract.teachers_by_area,
    }  # fmt: skip


def _stored(office_id: int, census: dt.date, retirement_age: int, state: str, using: str):
    snapshot = (
        StaffCountSnapshot.objects.using(using)
        .filter(office_id=office_id, census_date=census, retirement_age=retirement_age)
        .first()
    )
    if snapshot is None or snapshot.fingerprint != state:
        return None
    rows = SchoolStaffCount.objects.using(using).filter(snapshot=snapshot)
    return {row[0]: _from_row(row) for row in rows.values_list(*STORED_COLUMNS)}


def store(office_id: int, census: dt.date, retirement_age: int, state: str,
          counts: dict[int, SchoolStaff]) -> None:  # fmt: skip
    """Replace the office's snapshot for that census day with `counts` (on the primary)."""
    try:
        with transaction.atomic():
            key = {"office_id": office_id, "census_date": census, "retirement_age": retirement_age}
            StaffCountSnapshot.objects.filter(**key).delete()
            snapshot = StaffCountSnapshot.objects.create(**key, fingerprint=state)
            # One prepared statement for every school (bulk_create splits a 1,000-school
            # office into a statement per 80 rows on SQLite).
            insert_rows(
                SchoolStaffCount,
                (_to_row(snapshot.pk, school_id, s) for school_id, s in counts.items()),
            )
    except IntegrityError:
        # Another request stored the same office's counts at the same moment: theirs stay.
        pass


Counts = dict[int, SchoolStaff]


def office_counts(office_id: int, census: dt.date, retirement_age: int,
                  compute: Callable[[], Counts]) -> Counts:  # fmt: skip
    """The office's per-school counts: stored ones while its people data is unchanged, else
    `compute()`d and stored. The state is read from the database the counts are read from
    (a report page may read from a replica that lags the primary)."""
    using = router.db_for_read(StaffCountSnapshot) or DEFAULT_DB_ALIAS
    state = _state(office_id, using)
    counts = _stored(office_id, census, retirement_age, state, using)
    if counts is None:
        counts = compute()
        store(office_id, census, retirement_age, state, counts)
    return counts


def stored_differences(office_id: int, census: dt.date, retirement_age: int,
                       fresh: dict[int, SchoolStaff]) -> list[int]:  # fmt: skip
    """Schools whose stored counts (if the snapshot is current) differ from `fresh`."""
    using = router.db_for_read(StaffCountSnapshot) or DEFAULT_DB_ALIAS
    stored = _stored(office_id, census, retirement_age, _state(office_id, using), using)
    if stored is None:
        return []
    empty = SchoolStaff()
    schools = set(stored) | set(fresh)
    return sorted(s for s in schools if stored.get(s, empty) != fresh.get(s, empty))
