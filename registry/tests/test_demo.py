import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Sum

from accounts.models import User
from accounts.roles import Role
from krupd.lib import thai_dates
from krupd.lib.thai_id import is_valid_national_id
from registry import demo
from registry.models import (
    TEACHING_TYPES,
    Enrolment,
    Network,
    Office,
    Person,
    PersonnelType,
    PersonStatus,
    School,
    SchoolLevel,
)

DEMO_CODES = demo.plan_offices(offices=1, schools=104, people=1000)[0].school_codes


def _people_rows(seed=2569):
    return list(demo.iter_person_rows(seed=seed, people=1000, school_codes=DEMO_CODES))


@pytest.fixture(scope="module")
def _demo_office(django_db_setup, django_db_blocker):
    """The default demo office, built once for the module: each build takes about a second.

    Tests still run in a transaction that is rolled back, so the ones that rebuild or add
    users leave this office as it was for the next.
    """
    with django_db_blocker.unblock():
        summary = demo.build_demo()
    yield summary
    with django_db_blocker.unblock():
        office = Office.objects.get(code=summary.demo_office_code)
        Person.objects.filter(office=office).delete()
        School.objects.filter(office=office).delete()
        office.delete()


@pytest.fixture
def built(db, _demo_office):
    return _demo_office


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Demo users are hashed with the real hasher in use; tests need not pay for PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_it_builds_an_office_shaped_like_seed_003(built):
    office = Office.objects.get()
    assert (office.code, office.kind, office.province) == ("7601", "spp", "เพชรบุรี")
    assert office.name == "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเพชรบุรี เขต 1"
    assert office.rules.retirement_age == 60

    levels = Counter(School.objects.values_list("level", flat=True))
    assert levels == {SchoolLevel.PRIMARY: 83, SchoolLevel.EXPANSION: 21}
    assert Person.objects.count() == 1000
    assert built.people == 1000 and built.schools == 104

    codes = list(School.objects.values_list("obec_code", flat=True))
    assert all(len(c) == 10 and c.isdigit() and c.startswith("1076") for c in codes)
    assert School.objects.filter(total_students__lte=120).count() >= 60
    assert School.objects.filter(total_students__range=(300, 800)).exists()
    for school in School.objects.all():
        assert 12.9 <= school.latitude <= 13.3 and 99.6 <= school.longitude <= 100.1
        assert school.name.startswith("โรงเรียน") and school.district and school.subdistrict

    sizes = list(Network.objects.annotate(n=Count("schools")).values_list("n", flat=True))
    assert 10 <= len(sizes) <= 14 and all(7 <= n <= 15 for n in sizes)
    assert not School.objects.filter(network=None).exists()


def test_it_keeps_school_totals_consistent_with_enrolment(built):
    sums = {
        row["school"]: row
        for row in Enrolment.objects.values("school").annotate(
            students=Sum("students"), rooms=Sum("classrooms")
        )
    }
    for school in School.objects.all():
        assert sums[school.pk]["students"] == school.total_students
        assert sums[school.pk]["rooms"] == school.total_classrooms
        band = next(name for low, name in [(601, "ขนาดใหญ่"), (121, "ขนาดกลาง"), (1, "ขนาดเล็ก")]
                    if school.total_students >= low)  # fmt: skip
        assert school.size_band == band
    expansion_grades = set(
        Enrolment.objects.filter(school__level=SchoolLevel.EXPANSION).values_list(
            "grade", flat=True
        )
    )
    assert {"m1", "m2", "m3"} <= expansion_grades
    assert not Enrolment.objects.filter(
        school__level=SchoolLevel.PRIMARY, grade__startswith="m"
    ).exists()
    assert set(Enrolment.objects.values_list("academic_year", "census_date").distinct()) == {
        (2569, dt.date(2026, 6, 10))
    }


def test_it_gives_every_school_one_director_and_staffs_the_office(built):
    directors = Counter(
        Person.objects.filter(personnel_type=PersonnelType.DIRECTOR).values_list(
            "school", flat=True
        )
    )
    assert len(directors) == 104 and set(directors.values()) == {1}
    assert Person.objects.filter(personnel_type=PersonnelType.DEPUTY_DIRECTOR).exists()
    office_staff = Person.objects.filter(school=None)
    assert office_staff.filter(personnel_type=PersonnelType.SUPERVISOR).count() >= 5
    assert office_staff.filter(personnel_type=PersonnelType.EDUCATIONAL_PERSONNEL).exists()
    assert not office_staff.filter(personnel_type__in=TEACHING_TYPES).exists()

    assistants = Person.objects.filter(personnel_type=PersonnelType.ASSISTANT_TEACHER)
    assert 0.07 <= assistants.count() / 1000 <= 0.14
    assert not assistants.exclude(academic_standing__code="assistant").exists()
    assert not assistants.filter(appointment_date__lt=dt.date(2024, 6, 1)).exists()


def test_it_stores_only_valid_unique_national_ids(built):
    ids = list(Person.objects.values_list("national_id", flat=True))
    assert len(ids) == len(set(ids)) == 1000
    assert all(is_valid_national_id(i) and i[0] in "13" for i in ids)


def test_it_leaves_a_few_data_quality_problems_to_find(built):
    people = Person.objects.all()
    assert 5 <= people.filter(birth_date=None).count() <= 40
    assert 5 <= people.filter(major=None).count() <= 40
    assert people.filter(phone="").exists()
    assert people.filter(status=PersonStatus.TRANSFERRED).exists()
    assert people.filter(status=PersonStatus.RETIRED).exists()
    assert people.filter(status=PersonStatus.ACTIVE).count() > 950


def test_it_makes_about_a_tenth_of_teachers_out_of_field(built):
    teachers = (
        Person.objects.filter(personnel_type__in=TEACHING_TYPES, major__learning_area__isnull=False)
        .select_related("major")
        .prefetch_related("areas_taught")
    )
    total = out_of_field = 0
    for person in teachers:
        taught = {a.pk for a in person.areas_taught.all()}
        if not taught:
            continue
        total += 1
        out_of_field += person.major.learning_area_id not in taught
    assert 0.05 <= out_of_field / total <= 0.15


def test_it_has_retirements_in_each_of_the_next_ten_fiscal_years(built):
    years = Counter(
        thai_dates.fiscal_year(thai_dates.retirement_date(born))
        for born in Person.objects.filter(
            status=PersonStatus.ACTIVE, birth_date__isnull=False
        ).values_list("birth_date", flat=True)
    )
    assert min(years) >= 2569
    assert all(years[fy] > 0 for fy in range(2569, 2579))


def test_it_generates_the_same_rows_for_the_same_seed():
    first, again = _people_rows(), _people_rows()
    assert first == again
    other = _people_rows(seed=1)
    assert [r["national_id"] for r in other] != [r["national_id"] for r in first]
    names = {(r["title"], r["first_name"], r["last_name"]) for r in first}
    assert len(names) > 900
    for row in first:
        assert (row["title"] == "นาย") <= (row["gender"] == "male")
        assert (row["title"] in {"นาง", "นางสาว"}) <= (row["gender"] == "female")


def test_it_stores_exactly_the_rows_iter_person_rows_yields(built):
    stored = set(Person.objects.values_list("national_id", "position_number", "first_name"))
    expected = {(r["national_id"], r["position_number"], r["first_name"]) for r in _people_rows()}
    assert stored == expected


def test_it_skips_an_office_that_is_already_there(built):
    again = demo.build_demo()
    assert (again.offices_created, again.offices_skipped) == (0, 1)
    assert Office.objects.count() == 1
    assert School.objects.count() == 104 and Person.objects.count() == 1000


def test_it_rebuilds_the_same_office_with_reset(built):
    office = Office.objects.get()
    ids_before = set(Person.objects.values_list("national_id", flat=True))
    demo.create_demo_users(office=office)

    again = demo.build_demo(reset=True)

    assert again.offices_created == 1
    assert Office.objects.get().pk == office.pk  # kept, so users and settings stay attached
    assert set(Person.objects.values_list("national_id", flat=True)) == ids_before
    assert School.objects.count() == 104 and Enrolment.objects.count() == built.enrolments
    assert User.objects.get(username="director").office == office


def test_it_creates_one_demo_user_per_role(built):
    office = Office.objects.get()
    logins = demo.create_demo_users(office=office)

    users = {u.username: u for u in User.objects.all()}
    assert {
        name: users[name].role
        for name in ("admin", "officer", "supervisor", "director", "teacher", "inspector")
    } == {
        "admin": Role.OFFICE_ADMIN,
        "officer": Role.DEVELOPMENT_OFFICER,
        "supervisor": Role.SUPERVISOR,
        "director": Role.SCHOOL_DIRECTOR,
        "teacher": Role.TEACHER,
        "inspector": Role.INSPECTOR,
    }
    assert len(logins) == 6 and all(login.password == "krupd-demo" for login in logins)
    assert all(u.office == office and u.check_password("krupd-demo") for u in users.values())
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not users["officer"].is_staff
    # Every demo user is greeted by a name, not by a login like "officer".
    assert all(u.get_full_name() for u in users.values())

    first_school = School.objects.order_by("obec_code").first()
    director = users["director"]
    assert director.school == first_school
    assert director.person.school == first_school
    assert director.person.personnel_type == PersonnelType.DIRECTOR
    assert users["teacher"].person.school == first_school
    assert users["teacher"].person.personnel_type == PersonnelType.TEACHER
    assert users["supervisor"].person.personnel_type == PersonnelType.SUPERVISOR

    # Running it again changes nothing and keeps passwords people may have changed.
    users["officer"].set_password("changed-by-the-officer")
    users["officer"].save()
    again = demo.create_demo_users(office=office)
    assert User.objects.count() == 6
    assert User.objects.get(username="officer").check_password("changed-by-the-officer")
    assert dict((lg.username, lg.password) for lg in again)["officer"] != "krupd-demo"


def test_it_spreads_several_offices_without_clashes(built):
    # reset: the module's demo office 7601 is the first of the three.
    summary = demo.build_demo(offices=3, schools=45, people=420, seed=7, reset=True)

    assert summary.offices_created == 3
    assert list(Office.objects.values_list("code", flat=True)) == ["1001", "1101", "7601"]
    per_office = Counter(School.objects.values_list("office__code", flat=True))
    assert per_office == {"7601": 15, "1001": 15, "1101": 15}
    assert Person.objects.count() == 420
    ids = list(Person.objects.values_list("national_id", flat=True))
    assert len(set(ids)) == 420 and all(is_valid_national_id(i) for i in ids)
    assert not Person.objects.exclude(school=None).exclude(school__office=F("office")).exists()

    # A sheet writer following plan_offices gets exactly the people the database holds.
    from_plans = {
        row["national_id"]
        for plan in demo.plan_offices(offices=3, schools=45, people=420)
        for row in demo.iter_person_rows(
            seed=7,
            people=plan.people,
            school_codes=plan.school_codes,
            serial_offset=plan.serial_offset,
        )
    }
    assert from_plans == set(ids)


def test_the_command_prints_the_demo_logins(built):
    out = StringIO()
    call_command("seed_demo", "--reset", "--schools", "12", "--people", "90", stdout=out)
    text = out.getvalue()
    assert School.objects.count() == 12 and Person.objects.count() == 90
    for username in ("admin", "officer", "supervisor", "director", "teacher", "inspector"):
        assert username in text
    assert "krupd-demo" in text

    out = StringIO()
    call_command("seed_demo", "--schools", "12", "--people", "90", "--no-users", stdout=out)
    assert "--reset" in out.getvalue()
    assert Person.objects.count() == 90
