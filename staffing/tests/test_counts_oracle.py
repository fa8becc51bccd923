"""Every figure of "actual" on the staffing pages equals a plain count in Python over the
person rows, written from the rule's words (staffing.queries.in_service_on, works_in,
_vacancies), for any mix of statuses, leaving dates, secondments, employments and position
numbers; office-wide (stored counts) and as each school's director (counted directly)."""

import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from krupd.lib import thai_dates
from krupd.testing import make_school, make_user, valid_national_id
from registry.models import (
    Employment,
    Major,
    Person,
    PersonnelType,
    PersonStatus,
    PositionChange,
    Secondment,
)
from staffing import queries
from staffing import summary as staff_counts

from .helpers import CENSUS, YEAR, enrol

pytestmark = pytest.mark.django_db

ADMIN_TYPES = {"director", "deputy_director"}
TEACHER_TYPES = {"teacher", "assistant_teacher"}
ACTIVE_LABEL = PersonStatus.ACTIVE.label
DAY = dt.timedelta(days=1)


@pytest.fixture
def cast(office):
    schools = [make_school(office, code=f"10760188{i:02d}", name=f"โรงเรียน {i}") for i in range(3)]
    for school in schools:
        enrol(school, 60, 6)
    admin = make_user("admin-oracle", Role.OFFICE_ADMIN, office)
    directors = [
        make_user(f"director-oracle-{i}", Role.SCHOOL_DIRECTOR, office, school=school)
        for i, school in enumerate(schools)
    ]
    return office, schools, admin, directors


def _random_people(office, schools, rng: random.Random) -> None:
    majors = list(Major.objects.order_by("pk")[:3])
    for _ in range(rng.randrange(0, 16)):
        status = rng.choice([PersonStatus.ACTIVE] * 3 + list(PersonStatus))
        secondment = rng.choice(["", "", Secondment.OUT, Secondment.IN])
        person = Person.objects.create(
            office=office,
            school=rng.choice([*schools, None]),
            national_id=valid_national_id(),
            title="นาย",
            first_name="ทดสอบ",
            last_name="นับ",
            gender="male",
            birth_date=rng.choice(
                [
                    None,
                    dt.date(1966, 9, 30),
                    dt.date(1965, 10, 1),
                    dt.date(1965, 10, 2),
                    dt.date(1980, 1, 1),
                ]
            ),  # fmt: skip
            personnel_type=rng.choice(list(PersonnelType)),
            position="ครู",
            employment=rng.choice([Employment.CIVIL_SERVANT] * 3 + list(Employment)),
            appointment_date=rng.choice([None, dt.date(2001, 5, 16), CENSUS, CENSUS + DAY]),
            position_number=rng.choice(["", "1", "2", "3"]),
            status=status,
            secondment=secondment,
            secondment_school=rng.choice([*schools, None]) if secondment else None,
            secondment_until=rng.choice([None, CENSUS - DAY, CENSUS, CENSUS + DAY])
            if secondment
            else None,
            major=rng.choice([None, *majors]),
        )
        if status != PersonStatus.ACTIVE and rng.random() < 0.7:
            PositionChange.objects.create(
                person=person,
                field="สถานะ",
                effective_date=CENSUS + rng.choice([-DAY, 0 * DAY, DAY]),
                old_value=rng.choice([ACTIVE_LABEL, ACTIVE_LABEL, "เกษียณ"]),
                new_value=status.label,
            )


def _in_service(person: Person, history: dict) -> bool:
    """On the census day: appointed by then, and active and not past the retirement day, or
    left only after it."""
    if person.appointment_date and person.appointment_date > CENSUS:
        return False
    if person.status == PersonStatus.ACTIVE:
        return person.birth_date is None or (
            thai_dates.retirement_date(person.birth_date, retirement_age=60) > CENSUS
        )
    changes = history.get(person.pk, [])
    if any(c.effective_date > CENSUS and c.old_value == ACTIVE_LABEL for c in changes):
        return True
    return (
        person.status == PersonStatus.RETIRED
        and not changes
        and person.birth_date is not None
        and thai_dates.retirement_date(person.birth_date, retirement_age=60) > CENSUS
    )


def _works_at(person: Person) -> int | None:
    """Where a civil servant worked on the census day: their school, or the school they were
    seconded out to; a secondment whose last day came before the census day had ended (out:
    back at their school; in: back at the school holding their position, if named)."""
    ended = person.secondment_until is not None and person.secondment_until < CENSUS
    if person.secondment == Secondment.OUT and not ended:
        return person.secondment_school_id
    if person.secondment == Secondment.IN and ended and person.secondment_school_id:
        return person.secondment_school_id
    return person.school_id


def _oracle(office, schools) -> dict[int, tuple[int, int, int]]:
    """{school id: (administrators, teachers, vacant position numbers)} counted by hand."""
    people = list(Person.objects.filter(office=office))
    history: dict[int, list] = {}
    for change in PositionChange.objects.filter(person__office=office, field="สถานะ"):
        history.setdefault(change.person_id, []).append(change)
    serving = {p.pk for p in people if _in_service(p, history)}
    held = {p.position_number for p in people if p.pk in serving}
    result = {}
    for school in schools:
        here = [
            p
            for p in people
            if p.pk in serving
            and p.employment == Employment.CIVIL_SERVANT
            and _works_at(p) == school.pk
        ]
        vacant = {
            p.position_number
            for p in people
            if p.school_id == school.pk
            and p.employment == Employment.CIVIL_SERVANT
            and p.personnel_type in ADMIN_TYPES | TEACHER_TYPES
            and p.position_number
            and p.pk not in serving
            and p.position_number not in held
        }
        result[school.pk] = (
            sum(p.personnel_type in ADMIN_TYPES for p in here),
            sum(p.personnel_type in TEACHER_TYPES for p in here),
            len(vacant),
        )
    return result


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6))
def test_actual_staff_and_vacancies_are_a_plain_count(cast, seed):
    office, schools, admin, directors = cast
    Person.objects.filter(office=office).delete()
    _random_people(office, schools, random.Random(seed))
    staff_counts.forget([office.pk])  # written without the actions that keep them
    expected = _oracle(office, schools)

    office_wide = {s.id: s for s in queries.analyse(admin, academic_year=YEAR).schools}
    for school in schools:
        row = office_wide[school.pk]
        assert (row.actual_admin, row.actual_teachers, row.vacant) == expected[school.pk]
    for director, school in zip(directors, schools, strict=True):
        (row,) = queries.analyse(director, academic_year=YEAR).schools
        assert (row.actual_admin, row.actual_teachers, row.vacant) == expected[school.pk]
