"""The developed-personnel report's groups (office, school, type, standing) equal a count of
every person in Python: each school is a row of its own, two schools of one name told apart by
their OBEC code; staff without a school or a standing have their own."""

from collections import defaultdict
from decimal import Decimal

import pytest

from accounts.roles import Role
from krupd.testing import make_person, make_school
from registry.models import AcademicStanding, Person, PersonnelType
from training import queries

pytestmark = pytest.mark.django_db


def test_the_groups_are_a_count_of_every_person(office, school, users, monkeypatch):
    twin = make_school(office, code="1076010009", name=school.name)
    k3 = AcademicStanding.objects.get(code="k3")
    for i in range(12):
        make_person(office, (school, twin, None)[i % 3],
                    personnel_type=(PersonnelType.TEACHER, PersonnelType.DIRECTOR)[i % 2],
                    academic_standing=None if i % 4 == 0 else k3)  # fmt: skip
    people = list(Person.objects.filter(office=office))
    hours = {p.pk: Decimal(10 * (i % 4)) for i, p in enumerate(people)}
    monkeypatch.setattr(queries, "plc_hours_by_person", lambda _people, fiscal_year: hours)
    report = queries.developed_report(users[Role.OFFICE_ADMIN], fiscal_year=2569,
                                      min_hours=Decimal("20"))  # fmt: skip
    expected = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    counted = {p.pk for p in queries.people_counted_for(users[Role.OFFICE_ADMIN])}
    twins = {school.pk: f"{school.name} ({school.obec_code})",
             twin.pk: f"{twin.name} ({twin.obec_code})", None: "สำนักงานเขตพื้นที่"}  # fmt: skip
    for p in people:
        if p.pk not in counted:
            continue
        standing = p.academic_standing
        for key, member in (("total", (("",), "ทั้งหมด")),
                            ("school", ((twins[p.school_id], p.school_id or 0),
                                        twins[p.school_id])),
                            ("type", ((p.get_personnel_type_display(),),
                                      p.get_personnel_type_display())),
                            ("standing", ((standing.rank, standing.pk) if standing else (999, 0),
                                          standing.name if standing else "ไม่ระบุวิทยฐานะ"))):  # fmt: skip
            expected[key][member][0] += 1
            expected[key][member][1] += hours[p.pk] >= 20
    assert {k: [(r.label, r.total, r.developed) for r in rows] for k, rows in report.items()} == {
        k: [(label, t, d) for (_order, label), (t, d) in sorted(groups.items())]
        for k, groups in expected.items()
    }
    # The two schools of one name have a row each, named with their OBEC codes.
    assert [r.label for r in report["school"]] == sorted(twins.values())


def test_where_nobody_is_developed_the_groups_are_still_a_count_of_every_person(
    office, school, users, monkeypatch
):
    """A year without any hours: the people are counted by the database, grouped as they are
    counted one by one where someone has hours."""
    twin = make_school(office, code="1076010009", name=school.name)
    k3 = AcademicStanding.objects.get(code="k3")
    for i in range(9):
        make_person(office, (school, twin, None)[i % 3],
                    personnel_type=(PersonnelType.TEACHER, PersonnelType.DIRECTOR)[i % 2],
                    academic_standing=None if i % 4 == 0 else k3)  # fmt: skip
    admin = users[Role.OFFICE_ADMIN]
    one_hour = {p.pk: Decimal("1") for p in Person.objects.filter(office=office)}
    monkeypatch.setattr(queries, "plc_hours_by_person", lambda _people, fiscal_year: one_hour)
    # Everyone has an hour: at 1 hour all are developed (counted person by person), at 2 none
    # is (counted by the database).
    by_person = queries.developed_report(admin, fiscal_year=2569, min_hours=Decimal("1"))
    monkeypatch.setattr(queries, "plc_hours_by_person", lambda _people, fiscal_year: {})
    by_database = queries.developed_report(admin, fiscal_year=2569, min_hours=Decimal("1"))
    assert all(r.developed == r.total for rows in by_person.values() for r in rows)
    assert all(r.developed == 0 for rows in by_database.values() for r in rows)
    assert {k: [(r.label, r.total) for r in rows] for k, rows in by_person.items()} == {
        k: [(r.label, r.total) for r in rows] for k, rows in by_database.items()
    }
    assert by_database["total"][0].total == queries.people_counted_for(admin).count() >= 9


def test_the_page_lists_schools_a_page_at_a_time_and_the_totals_stay_the_offices(
    client, office, school, users, monkeypatch
):
    from training import views

    other = make_school(office, code="1076010010", name="โรงเรียนบ้านหน้าสอง")
    for s in (school, other):
        make_person(office, s, personnel_type=PersonnelType.TEACHER)
    monkeypatch.setattr(views, "SCHOOLS_PER_PAGE", 1)
    client.force_login(users[Role.OFFICE_ADMIN])
    pages = [
        client.get("/training/developed/", {"fy": 2569, "schools_page": n}).content.decode()
        for n in (1, 2)
    ]
    assert "หน้า 1 จาก 2" in pages[0] and "หน้า 2 จาก 2" in pages[1]
    schools_tables = [page.split("รายสถานศึกษา")[1] for page in pages]
    assert [sum(s.name in t for t in schools_tables) for s in (school, other)] == [1, 1]
    total = queries.people_counted_for(users[Role.OFFICE_ADMIN]).count()
    assert all(f'ทั้งหมด</td><td class="num">{total}</td>' in page for page in pages)
