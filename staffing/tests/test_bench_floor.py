"""The benchmark's hand-written staffing SQL (bench/floors.py) does the product's work: its
census-day staff groups and vacancies are the product's rows, so the ratio against it
compares the same work (a floor that skipped a rule would flatter nothing but itself)."""

import datetime as dt

import pytest
from django.db import connection

from bench import floors
from krupd.testing import make_person
from registry.models import Person, PersonnelType, PersonStatus, PositionChange, Secondment
from staffing import queries

from .helpers import CENSUS, school_with

pytestmark = pytest.mark.django_db


def test_the_floors_staff_groups_and_vacancies_are_the_products(office):
    a = school_with(office, "1076019101", students=60, rooms=6, teachers={"คณิตศาสตร์": 3})
    b = school_with(office, "1076019102", students=60, rooms=6, teachers={"ภาษาไทย": 2})
    teachers = list(a.people.filter(personnel_type=PersonnelType.TEACHER))
    # Seconded out until before the census day (back home), and still away.
    Person.objects.filter(pk=teachers[0].pk).update(
        secondment=Secondment.OUT, secondment_school=b,
        secondment_until=CENSUS - dt.timedelta(days=10))  # fmt: skip
    Person.objects.filter(pk=teachers[1].pk).update(
        secondment=Secondment.OUT, secondment_school=b, secondment_until=CENSUS)  # fmt: skip
    # Seconded in, ended; active but past retirement; a leaver holding a position number.
    make_person(office, b, secondment=Secondment.IN, secondment_school=a,
                secondment_until=CENSUS - dt.timedelta(days=1))  # fmt: skip
    make_person(office, a, birth_date=dt.date(CENSUS.year - 70, 1, 1))
    make_person(office, b, status=PersonStatus.RESIGNED, position_number="9001")
    # The leaver's number now held by someone who joined from another office after the census
    # day: still vacant that day.
    joined = make_person(office, b, position_number="9001")
    PositionChange.objects.create(person=joined, field="สังกัด", old_value="เขตอื่น", new_value="",
                                  effective_date=CENSUS + dt.timedelta(days=3))  # fmt: skip
    # (days after the census day, status left) of each status change: resigned before it and
    # taken back after it, and again resigned later (not in service that day); resigned
    # after it, back, and resigned again (in service that day).
    for status, changes in (
        (PersonStatus.ACTIVE, ((-5, "ปฏิบัติงาน"), (5, "ลาออก"))),
        (PersonStatus.RESIGNED, ((-5, "ปฏิบัติงาน"), (5, "ลาออก"), (9, "ปฏิบัติงาน"))),
        (PersonStatus.RESIGNED, ((5, "ปฏิบัติงาน"), (9, "ลาออก"), (12, "ปฏิบัติงาน"))),
    ):
        person = make_person(office, a, status=status, position_number="9002")
        for days, old in changes:
            PositionChange.objects.create(
                person=person, field="สถานะ", effective_date=CENSUS + dt.timedelta(days=days),
                old_value=old, new_value="",
            )  # fmt: skip
    # Moved from a to b after the census day (counted at a), before it (at b), and one whose
    # school left cannot be told (at b, where they are now).
    for teacher, days, old_school in ((teachers[2], 5, a), (a.people.last(), -5, a),
                                      (make_person(office, b), 3, None)):  # fmt: skip
        Person.objects.filter(pk=teacher.pk).update(school=b)
        PositionChange.objects.create(
            person=teacher, field="สถานศึกษา", effective_date=CENSUS + dt.timedelta(days=days),
            old_value=a.name if old_school else "โรงเรียนเดิม", new_value=b.name,
            old_school=old_school,
        )  # fmt: skip

    rules = queries.rules_for(office)
    born_from = queries.first_birth_date_retiring_after(CENSUS, rules.retirement_age)
    statements = floors.staffing_statements(
        office.pk, census=CENSUS, born_from=born_from, academic_year=2569
    )
    with connection.cursor() as cursor:
        cursor.execute(*statements[5])
        groups = sorted(map(tuple, cursor.fetchall()), key=repr)
        cursor.execute(*statements[6])
        vacancies = sorted(map(tuple, cursor.fetchall()), key=repr)
    people = Person.objects.filter(office=office)
    in_service = queries.in_service_on(CENSUS, retirement_age=rules.retirement_age)
    expected = queries._grouped_staff(people, in_service, CENSUS)
    assert groups == sorted(map(tuple, expected), key=repr)
    assert vacancies == sorted(map(tuple, queries._vacancies(people, in_service, CENSUS)), key=repr)
    assert vacancies  # the leaver's position is vacant
