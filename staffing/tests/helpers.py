"""Hand-built schools for staffing tests: enrolment and staff in one call."""

import datetime as dt

from krupd.testing import make_person, make_school
from registry.models import Enrolment, LearningArea, Major, PersonnelType

YEAR = 2569
CENSUS = dt.date(2026, 6, 10)


def enrol(school, students: int, rooms: int, *, year: int = YEAR) -> None:
    Enrolment.objects.create(
        school=school, academic_year=year, census_date=CENSUS, grade="p1",
        students=students, classrooms=rooms,
    )  # fmt: skip


def staff(office, school, *, directors: int = 1, teachers: dict | None = None, **fields) -> list:
    """directors + teachers {major name: count}; returns the teachers created."""
    for _ in range(directors):
        make_person(office, school, personnel_type=PersonnelType.DIRECTOR, position="ผู้อำนวยการ",
                    major=Major.objects.get(name="การบริหารการศึกษา"))  # fmt: skip
    people = []
    for major, n in (teachers or {}).items():
        m = Major.objects.get(name=major) if major else None
        for _ in range(n):
            p = make_person(office, school, major=m, **fields)
            if m and m.learning_area:
                p.areas_taught.set([m.learning_area])
            people.append(p)
    return people


def school_with(office, code: str, *, students, rooms, level="primary", directors=1,
                teachers=None, lat=None, lon=None):  # fmt: skip
    school = make_school(office, code=code, name=f"โรงเรียนทดสอบ {code}", level=level)
    if lat is not None:
        school.latitude, school.longitude = lat, lon
        school.save()
    if students is not None:
        enrol(school, students, rooms)
    staff(office, school, directors=directors, teachers=teachers)
    return school


def area(code: str) -> LearningArea:
    return LearningArea.objects.get(code=code)
