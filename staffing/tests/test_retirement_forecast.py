"""The retirement forecast counted by the database equals a count of every person in Python,
its names come a page at a time in the same order, and its queries do not grow with the office."""

import datetime as dt
from collections import defaultdict

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.roles import VIEW_PEOPLE, Role, can
from krupd.lib import thai_dates
from krupd.testing import make_person
from registry.models import (
    ADMINISTRATOR_TYPES,
    Employment,
    Major,
    PersonnelType,
    PersonStatus,
    School,
)
from staffing import queries

from .helpers import YEAR, school_with

TODAY = dt.date(2026, 11, 1)  # FY2570


@given(
    birth=st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2005, 12, 31)),
    age=st.integers(min_value=55, max_value=65),
)
@settings(max_examples=60)
def test_the_birth_window_of_a_year_is_who_retires_in_it(birth, age):
    fy = thai_dates.fiscal_year(thai_dates.retirement_date(birth, retirement_age=age))
    first, last = queries.born_retiring_in(fy, age)
    assert first <= birth <= last
    # The windows of consecutive years meet: nobody is in two, nobody in none.
    assert queries.born_retiring_in(fy - 1, age)[1] + dt.timedelta(days=1) == first
    assert queries.born_retiring_in(fy + 1, age)[0] - dt.timedelta(days=1) == last


def recount(user, a, years, age):
    """The forecast as it was computed before: every person read and counted in Python."""
    per_school, per_area, people, missing = defaultdict(int), defaultdict(int), [], 0
    names = {s.id: s.name for s in a.schools}
    codes = {s.id: s.obec_code for s in a.schools}
    labels = {s.id: s.label for s in a.schools}
    for p in queries._active_staff(user).filter(
        school_id__in=names, employment=Employment.CIVIL_SERVANT
    ):
        if p.birth_date is None:
            missing += 1
            continue
        fy = thai_dates.fiscal_year(thai_dates.retirement_date(p.birth_date, retirement_age=age))
        if fy not in years:
            continue
        area = "admin" if p.personnel_type in ADMINISTRATOR_TYPES else None
        area = area or (p.major and p.major.learning_area and p.major.learning_area.code)
        per_school[(p.school_id, fy)] += 1
        per_area[(area or queries.UNMAPPED, fy)] += 1
        name = f"{p.title}{p.first_name} {p.last_name}"
        people.append((fy, names[p.school_id], codes[p.school_id], name, p.pk, labels[p.school_id]))
    # By school name, then code (two schools of one name one after the other), then person.
    return (
        per_school,
        per_area,
        [(fy, label, name, pk) for fy, _n, _c, name, pk, label in sorted(people)],
        missing,
    )


@pytest.fixture
def admin(users):
    return users[Role.OFFICE_ADMIN]


@pytest.fixture
def forecast_office(office):
    """Three schools (two of one name) and people on every edge of the forecast."""
    a = school_with(office, "1076019001", students=40, rooms=6, teachers={"ภาษาไทย": 1})
    b = school_with(office, "1076019002", students=90, rooms=6, teachers={"คณิตศาสตร์": 2})
    c = school_with(office, "1076019003", students=20, rooms=6, teachers={})
    c.name = a.name
    c.save()
    unmapped = Major.objects.create(name="วิชาเอกที่ไม่จับคู่")
    births = [dt.date(1966, 10, 1), dt.date(1967, 9, 30), dt.date(1967, 10, 1),
              dt.date(1968, 2, 29), dt.date(1972, 2, 29), dt.date(1975, 9, 30),
              dt.date(1976, 10, 1), dt.date(1966, 9, 30), None]  # fmt: skip
    names = [("นาย", "ก้อง"), ("นาง", "เอื้อ"), ("Mr.", "adam"), ("Mr.", "Bob"),
             ("นางสาว", "กานดา"), ("นาย", "ข"), ("Ms.", "zoe"), ("นาง", "อร")]  # fmt: skip
    for i, birth in enumerate(births * 3):
        title, first = names[i % len(names)]
        make_person(
            office, (a, b, c)[i % 3], birth_date=birth, title=title, first_name=first,
            last_name=f"สกุล{i % 4}",
            personnel_type=PersonnelType.DIRECTOR if i % 7 == 0 else PersonnelType.TEACHER,
            major=unmapped if i % 5 == 0 else Major.objects.get(name="ภาษาไทย"),
            employment=Employment.GOVERNMENT_EMPLOYEE if i % 11 == 0 else Employment.CIVIL_SERVANT,
            status=PersonStatus.RETIRED if i == 13 else PersonStatus.ACTIVE,
        )  # fmt: skip
    return office


@pytest.mark.parametrize("horizon", [1, 3, 10])
def test_its_figures_and_names_are_those_of_a_count_in_python(forecast_office, admin, horizon):
    assert_the_count_in_python(admin, horizon)


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.SCHOOL_DIRECTOR])
def test_every_scope_counts_as_python_does(forecast_office, users, role):
    """An inspector's counts run compiled for the whole office, as the office's staff's do;
    a director's are built for their school."""
    user = users[role]
    if role == Role.SCHOOL_DIRECTOR:
        user.school = School.objects.get(obec_code="1076019003")
        user.save()
    assert_the_count_in_python(user, 10)


def assert_the_count_in_python(user, horizon):
    a = queries.analyse(user, academic_year=YEAR)
    r = queries.retirements(user, a, horizon=horizon, today=TODAY)
    per_school, per_area, people, missing = recount(user, a, r.years, r.retirement_age)
    assert r.by_school
    assert r.missing_birth_date == missing > 0
    assert [y["retiring"] for y in r.by_year] == [
        sum(n for (_s, y), n in per_school.items() if y == fy) for fy in r.years
    ]
    short = []
    for i in range(len(r.years)):
        gone = [s.diff - sum(per_school.get((s.id, y), 0) for y in r.years[: i + 1])
                for s in a.schools if s.computable]  # fmt: skip
        short.append((sum(-d for d in gone if d < 0), sum(d < 0 for d in gone)))
    assert [(y["short_positions"], y["short_schools"]) for y in r.by_year] == short
    for row in r.by_school:
        assert row["per_year"] == [per_school.get((row["id"], fy), 0) for fy in r.years]
    assert sum(sum(row["per_year"]) for row in r.by_school) == sum(per_school.values())
    assert {
        (code, fy): n
        for code, _l, per, _t in r.by_area
        for fy, n in zip(r.years, per, strict=True)
        if n
    } == {k: n for k, n in per_area.items() if n}
    if not can(user, VIEW_PEOPLE):
        assert r.people == []
        return
    for size in (1, 2, 3, 100):
        pages = Paginator(r.people, size)
        shown = [p for n in pages.page_range for p in pages.page(n)]
        assert [(p["fy"], p["school"], p["name"], p["id"]) for p in shown] == people


def test_its_queries_do_not_grow_with_the_office(office, admin):
    def count() -> int:
        a = queries.analyse(admin, academic_year=YEAR)
        with CaptureQueriesContext(connection) as ctx:
            r = queries.retirements(admin, a, today=TODAY)
            pages = Paginator(r.people, 2)
            list(pages.page(1)), list(pages.page(pages.num_pages))
        return len(ctx.captured_queries)

    school = school_with(office, "1076019001", students=40, rooms=6, teachers={"ภาษาไทย": 1})
    for birth in (dt.date(1967, 1, 1), dt.date(1970, 1, 1), dt.date(1972, 1, 1)):
        make_person(office, school, birth_date=birth)
    few = count()
    for i in range(2, 7):
        more = school_with(office, f"107601900{i}", students=40, rooms=6, teachers={"ภาษาไทย": 2})
        for year in range(1966, 1977):
            make_person(office, more, birth_date=dt.date(year, 12, i))
    assert count() == few
