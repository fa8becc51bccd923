"""A teacher who moved to another school after the census day is counted at the school they
were at on that day (staffing.queries.school_on), by the stored counts and by a director's
count alike; one who moved before it, at the new school."""

import datetime as dt

import pytest

from accounts.roles import Role
from krupd.testing import make_person, make_user
from registry import actions as registry_actions
from registry.models import Major, Person, PersonStatus, PositionChange
from staffing import queries, summary

from .helpers import CENSUS, YEAR, school_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_schools(office):
    a = school_with(office, "1076019101", students=120, rooms=6, teachers={"คณิตศาสตร์": 2})
    b = school_with(office, "1076019102", students=120, rooms=6, teachers={"คณิตศาสตร์": 2})
    admin = make_user("admin-move", Role.OFFICE_ADMIN, office)
    return a, b, admin


def teachers(user, year=YEAR) -> dict[str, int]:
    return {
        s.obec_code: s.actual_teachers for s in queries.analyse(user, academic_year=year).schools
    }


def move(admin, person, school, effective: dt.date) -> None:
    person.school = school
    registry_actions.save_person(acting_user=admin, person=person, effective_date=effective)


def test_a_move_after_the_census_day_is_counted_at_the_old_school(two_schools, office):
    a, b, admin = two_schools
    summary.rebuild(office)  # the stored counts, kept by the move
    mover = a.people.filter(major__name="คณิตศาสตร์").first()
    move(admin, mover, b, CENSUS + dt.timedelta(days=30))
    change = PositionChange.objects.get(person=mover, field="สถานศึกษา")
    assert (change.old_value, change.old_school_id) == (a.name, a.pk)
    assert teachers(admin) == {a.obec_code: 2, b.obec_code: 2}
    assert summary.stored_differences(office) is None
    # The directors count from the people rows and agree.
    director_a = make_user("dir-move-a", Role.SCHOOL_DIRECTOR, office, school=a)
    director_b = make_user("dir-move-b", Role.SCHOOL_DIRECTOR, office, school=b)
    assert teachers(director_a) == {a.obec_code: 2}
    assert teachers(director_b) == {b.obec_code: 2}
    # The next year's census day comes after the move: the new school.
    assert teachers(admin, YEAR + 1) == {a.obec_code: 1, b.obec_code: 3}


def test_a_move_on_or_before_the_census_day_is_counted_at_the_new_school(two_schools, office):
    a, b, admin = two_schools
    mover = a.people.filter(major__name="คณิตศาสตร์").first()
    move(admin, mover, b, CENSUS)
    assert teachers(admin) == {a.obec_code: 1, b.obec_code: 3}


def test_the_earliest_move_after_the_census_day_names_the_school(two_schools, office):
    a, b, admin = two_schools
    c = school_with(office, "1076019103", students=120, rooms=6, teachers={"คณิตศาสตร์": 1})
    summary.rebuild(office)
    mover = a.people.filter(major__name="คณิตศาสตร์").first()
    move(admin, mover, b, CENSUS + dt.timedelta(days=10))
    move(admin, mover, c, CENSUS + dt.timedelta(days=20))
    assert teachers(admin) == {a.obec_code: 2, b.obec_code: 2, c.obec_code: 1}
    assert summary.stored_differences(office) is None
    # Deleting them recounts the school they are counted at.
    registry_actions.delete_person(acting_user=admin, person=mover)
    assert summary.stored_differences(office) is None
    assert teachers(admin) == {a.obec_code: 1, b.obec_code: 2, c.obec_code: 1}


def test_a_move_from_the_office_staff_after_the_census_day_is_not_counted_at_a_school(
    two_schools, office
):
    a, b, admin = two_schools
    person = make_person(office, None, major=Major.objects.get(name="คณิตศาสตร์"))
    move(admin, person, b, CENSUS + dt.timedelta(days=5))
    assert teachers(admin) == {a.obec_code: 2, b.obec_code: 2}


def test_a_move_naming_a_school_that_cannot_be_told_is_noted(two_schools, office):
    a, b, admin = two_schools
    mover = a.people.filter(major__name="คณิตศาสตร์").first()
    mover.school = b
    mover.save()
    # An entry from before the school itself was kept, naming a school no longer known.
    PositionChange.objects.create(
        person=mover, field="สถานศึกษา", effective_date=CENSUS + dt.timedelta(days=3),
        old_value="โรงเรียนที่ปิดไปแล้ว", new_value=b.name,
    )  # fmt: skip
    analysis = queries.analyse(admin, academic_year=YEAR)
    assert {s.obec_code: s.actual_teachers for s in analysis.schools} == {
        a.obec_code: 1, b.obec_code: 3,
    }  # fmt: skip
    notes = [p for p in analysis.problems if p.kind == "workplace"]
    assert len(notes) == 1
    assert "โรงเรียนที่ปิดไปแล้ว" in notes[0].message
    assert mover.first_name in notes[0].message
    assert notes[0].kind_label == "สถานศึกษาเดิม"


def test_a_leaver_after_the_census_day_is_counted_and_a_joiner_is_not(two_schools, office):
    a, b, admin = two_schools
    leaver = a.people.filter(major__name="คณิตศาสตร์").first()
    leaver.status = PersonStatus.TRANSFERRED
    registry_actions.save_person(acting_user=admin, person=leaver,
                                 effective_date=CENSUS + dt.timedelta(days=1))  # fmt: skip
    make_person(office, b, major=Major.objects.get(name="คณิตศาสตร์"),
                appointment_date=CENSUS + dt.timedelta(days=1))  # fmt: skip
    assert teachers(admin) == {a.obec_code: 2, b.obec_code: 2}


def test_a_move_by_the_personnel_import_keeps_the_school_left(two_schools, office):
    """The import records a move on the day it is applied (after the census day of 2569):
    the school left is kept with it, and the teacher counted there for that census day."""
    import random

    from .test_summary import _import

    a, b, admin = two_schools
    summary.rebuild(office)
    first = Person.objects.filter(office=office).order_by("pk")[1]  # a teacher of a
    assert first.school_id == a.pk and first.major.name == "คณิตศาสตร์"
    _import(admin, [a, b], [(1, 1, "ปฏิบัติงาน", 0)], random.Random(1))
    first.refresh_from_db()
    assert first.school_id == b.pk
    change = PositionChange.objects.get(person=first, field="สถานศึกษา")
    assert change.old_school_id == a.pk and change.effective_date > CENSUS
    assert summary.stored_differences(office) is None
    found = teachers(admin)
    assert found[a.obec_code] == 2 and found[b.obec_code] == 2


def test_earlier_history_names_the_school_left_when_its_name_is_the_offices_only_one(
    two_schools, office
):
    """History written before the school left was kept names it by its name: the migration
    finds it when one school of the office has that name; a name two schools share is left
    untold, and the analysis says so rather than guess."""
    import importlib

    from django.apps import apps

    from krupd.testing import make_school

    a, b, admin = two_schools
    twin_1 = make_school(office, code="1076019104", name="โรงเรียนชื่อซ้ำ")
    make_school(office, code="1076019105", name="โรงเรียนชื่อซ้ำ")
    movers = list(a.people.filter(major__name="คณิตศาสตร์"))
    for person, left in zip(movers, (a, twin_1), strict=True):
        person.school = b
        person.save()
        PositionChange.objects.create(
            person=person, field="สถานศึกษา", effective_date=CENSUS + dt.timedelta(days=3),
            old_value=left.name, new_value=b.name,
        )  # fmt: skip
    migration = importlib.import_module("registry.migrations.0017_positionchange_old_school")
    migration.name_the_schools_left(apps, None)
    told = dict(PositionChange.objects.values_list("person_id", "old_school_id"))
    assert told == {movers[0].pk: a.pk, movers[1].pk: None}
    analysis = queries.analyse(admin, academic_year=YEAR)
    found = {s.obec_code: s.actual_teachers for s in analysis.schools}
    assert found[a.obec_code] == 1 and found[b.obec_code] == 3  # the second at b, noted
    notes = [p.message for p in analysis.problems if p.kind == "workplace"]
    assert len(notes) == 1 and "โรงเรียนชื่อซ้ำ" in notes[0]
