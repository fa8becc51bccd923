"""Schools of one name (an office often has several "บ้านหนองบัว", told apart by their OBEC
code) are told apart wherever the staffing pages and workbooks name them: a transfer from one
to the other, the retirement forecast by school and its list of names."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from accounts.roles import Role
from krupd.testing import make_person
from registry.labels import name_key
from registry.models import School
from staffing import queries, transfers

from .helpers import YEAR, school_with, staff

pytestmark = pytest.mark.django_db

NAME = "โรงเรียนบ้านหนองบัว"


def _rename(*schools, name=NAME):
    for school in schools:
        school.name = name
        school.save()


def test_a_transfer_between_two_schools_of_one_name_says_which_is_which(client_for, office):
    """Was: "จาก โรงเรียนบ้านหนองบัว ไป โรงเรียนบ้านหนองบัว" on the page and in the workbook."""
    donor = school_with(office, "1076019001", students=20, rooms=6, lat=13.0, lon=100.0,
                        teachers={"คณิตศาสตร์": 3})  # fmt: skip
    receiver = school_with(office, "1076019002", students=40, rooms=6, lat=13.05, lon=100.0)
    _rename(donor, receiver)
    client = client_for(Role.OFFICE_ADMIN)
    page = client.get(reverse("staffing:transfers"), {"year": YEAR}).content.decode()
    assert f"{NAME} (1076019001)" in page and f"{NAME} (1076019002)" in page
    xlsx = client.get(reverse("staffing:transfers"), {"year": YEAR, "format": "xlsx"})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    moves = [r for r in ws.iter_rows(min_row=6, values_only=True) if isinstance(r[0], int)]
    assert moves and {(r[3], r[4]) for r in moves} == {
        (f"{NAME} (1076019001)", f"{NAME} (1076019002)")
    }


def test_the_retirement_forecast_names_each_school_of_one_name_with_its_code(client_for, office):
    first = school_with(office, "1076019001", students=20, rooms=6)
    second = school_with(office, "1076019002", students=20, rooms=6)
    _rename(first, second)
    for school, name in ((first, "เกษียณหนึ่ง"), (second, "เกษียณสอง")):
        make_person(office, school, first_name=name, birth_date=dt.date(1967, 1, 1))
    client = client_for(Role.OFFICE_ADMIN)
    params = {"year": YEAR, "years": 5}
    response = client.get(reverse("staffing:retirements"), params)
    page = response.content.decode()
    assert f"{NAME} (1076019001)" in page and f"{NAME} (1076019002)" in page
    xlsx = client.get(reverse("staffing:retirements"), {**params, "format": "xlsx"})
    wb = load_workbook(io.BytesIO(xlsx.content))
    by_school = {r[0]: r for r in wb["รายโรงเรียน"].iter_rows(min_row=2, values_only=True)}
    assert {f"{NAME} (1076019001)", f"{NAME} (1076019002)"} <= set(by_school)
    names = {r[1]: r[3] for r in wb["รายชื่อ"].iter_rows(min_row=2, values_only=True)}
    assert names["นางเกษียณหนึ่ง ใจดี"] == f"{NAME} (1076019001)"
    assert names["นางเกษียณสอง ใจดี"] == f"{NAME} (1076019002)"


def test_a_school_of_a_name_of_its_own_keeps_its_name_alone(office, users):
    school_with(office, "1076019001", students=20, rooms=6)
    a = queries.analyse(users[Role.OFFICE_ADMIN], academic_year=YEAR)
    assert {s.label for s in a.schools} >= {"โรงเรียนทดสอบ 1076019001"}


NAMES = st.lists(st.sampled_from([NAME, f"{NAME} ", "โรงเรียนวัดใหม่", "บ้านหนองบัว"]),
                 min_size=2, max_size=5)  # fmt: skip


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(names=NAMES, retiring=st.lists(st.integers(0, 4), max_size=6))
def test_each_school_is_its_own_row_and_label(office, users, names, retiring):
    """Whatever names the schools share, the analysis prints every school under a label of
    its own, and the forecast's rows by school are each school's own retirees (counted by
    id), adding up to the year's total."""
    from django.db import transaction

    with transaction.atomic():
        schools = []
        for i, name in enumerate(names):
            school = school_with(office, f"10760190{i:02d}", students=20, rooms=6)
            _rename(school, name=name)
            schools.append(school)
        for slot in retiring:
            if slot < len(schools):
                make_person(office, schools[slot], birth_date=dt.date(1967, 1, 1))
        admin = users[Role.OFFICE_ADMIN]
        a = queries.analyse(admin, academic_year=YEAR)
        labels = [s.label for s in a.schools]
        assert len(set(labels)) == len(labels)
        for s in a.schools:
            same = [o for o in a.schools if name_key(o.name) == name_key(s.name)]
            assert s.label == (f"{s.name} ({s.obec_code})" if len(same) > 1 else s.name)
        r = queries.retirements(admin, a, horizon=5)
        got = {row["id"]: sum(row["per_year"]) for row in r.by_school}
        expected = {}
        for slot in retiring:
            if slot < len(schools):
                expected[schools[slot].pk] = expected.get(schools[slot].pk, 0) + 1
        assert {k: v for k, v in got.items() if v} == expected
        assert sum(got.values()) == sum(y["retiring"] for y in r.by_year)
        transaction.set_rollback(True)


def test_the_transfer_plan_lists_schools_without_coordinates_by_label(office, users):
    donor = school_with(office, "1076019001", students=20, rooms=6, teachers={"คณิตศาสตร์": 3})
    receiver = school_with(office, "1076019002", students=40, rooms=6)
    staff(office, receiver, directors=0)
    _rename(donor, receiver)
    admin = users[Role.OFFICE_ADMIN]
    plan = transfers.transfer_plan(admin, queries.analyse(admin, academic_year=YEAR))
    assert plan.moves
    assert set(plan.no_coordinates) == {
        f"{s.name} ({s.obec_code})" for s in School.objects.filter(name=NAME)
    }


def test_the_out_of_field_list_names_each_school_of_one_name_with_its_code(client_for, office):
    from registry.models import LearningArea, Major

    first = school_with(office, "1076019001", students=20, rooms=6)
    second = school_with(office, "1076019002", students=20, rooms=6)
    _rename(first, second)
    thai = LearningArea.objects.get(code="thai")
    for school, name in ((first, "ข้ามหนึ่ง"), (second, "ข้ามสอง")):
        person = make_person(office, school, first_name=name,
                             major=Major.objects.get(name="คณิตศาสตร์"))  # fmt: skip
        person.areas_taught.set([thai])
    client = client_for(Role.OFFICE_ADMIN)
    page = client.get(reverse("staffing:out_of_field")).content.decode()
    assert page.count(f"{NAME} (1076019001)") == 2  # its row by school, its teacher's row
    assert page.count(f"{NAME} (1076019002)") == 2
    xlsx = client.get(reverse("staffing:out_of_field"), {"format": "xlsx"})
    wb = load_workbook(io.BytesIO(xlsx.content))
    names = {r[0]: r[1] for r in wb["รายชื่อ"].iter_rows(min_row=2, values_only=True)}
    assert names == {"นางข้ามหนึ่ง ใจดี": f"{NAME} (1076019001)",
                     "นางข้ามสอง ใจดี": f"{NAME} (1076019002)"}  # fmt: skip
