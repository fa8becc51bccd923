"""The "% developed" report keeps schools of one name apart: an office often has several
schools called e.g. "บ้านหนองบัว", told apart by their OBEC code. Each is a row of its own,
named with its code, and the rows add up to the office's total."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from krupd.testing import make_person, make_school
from registry.labels import distinct_labels, name_key
from registry.models import Person, PersonnelType, School
from training import queries

pytestmark = pytest.mark.django_db

NAMES = ["โรงเรียนบ้านหนองบัว", "โรงเรียนบ้านหนองบัว ", "โรงเรียนบ้านโนนสูง", "โรงเรียนวัดใหม่"]


def _report(user, monkeypatch, hours):
    monkeypatch.setattr(queries, "plc_hours_by_person", lambda _people, fiscal_year: hours)
    return queries.developed_report(user, fiscal_year=2569, min_hours=Decimal("20"))


def test_two_schools_of_one_name_have_a_row_each(office, school, users, monkeypatch):
    """Was: one row "โรงเรียนบ้านหนองไผ่" of 3 people (2 developed) for both schools."""
    twin = make_school(office, code="1076010009", name=school.name)
    a = make_person(office, school, first_name="สมชาย")
    b = make_person(office, twin, first_name="สมหญิง")
    c = make_person(office, twin, first_name="สมหมาย")
    report = _report(users[Role.OFFICE_ADMIN], monkeypatch, {a.pk: 30, b.pk: 25, c.pk: 5})
    rows = {r.label: (r.total, r.developed) for r in report["school"]}
    first = Person.objects.filter(school=school).count()  # the cast's teacher too
    assert rows[f"{school.name} (1076010001)"] == (first, 1)
    assert rows[f"{school.name} (1076010009)"] == (2, 1)
    assert school.name not in rows


def test_the_page_shows_each_school_with_its_code_and_the_rows_add_up(
    client, office, school, users, monkeypatch
):
    twin = make_school(office, code="1076010009", name=school.name)
    for s in (school, twin, twin):
        make_person(office, s)
    monkeypatch.setattr(queries, "plc_hours_by_person", lambda _people, fiscal_year: {})
    client.force_login(users[Role.DEVELOPMENT_OFFICER])
    page = client.get("/training/developed/", {"fy": 2569}).content.decode()
    table = page.split("รายสถานศึกษา")[1]
    assert f"{school.name} (1076010001)" in table and f"{school.name} (1076010009)" in table
    report = queries.developed_report(users[Role.DEVELOPMENT_OFFICER], fiscal_year=2569,
                                      min_hours=Decimal("20"))  # fmt: skip
    assert sum(r.total for r in report["school"]) == report["total"][0].total
    assert f'ทั้งหมด</td><td class="num">{report["total"][0].total}</td>' in page


def test_a_renamed_school_stays_one_row_under_its_name_now(office, school, users, monkeypatch):
    """A school renamed to another school's name (an amalgamation) is still its own row."""
    other = make_school(office, code="1076010010", name="โรงเรียนวัดท่าไม้")
    make_person(office, other)
    other.name = school.name
    other.save()
    report = _report(users[Role.OFFICE_ADMIN], monkeypatch, {})
    labels = [r.label for r in report["school"]]
    assert f"{school.name} (1076010010)" in labels and f"{school.name} (1076010001)" in labels


SCHOOLS = st.lists(st.sampled_from(NAMES), min_size=1, max_size=5)
PEOPLE = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 40)), max_size=14)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(names=SCHOOLS, people=PEOPLE)
def test_the_school_rows_are_a_recount_by_school_id(office, users, monkeypatch, names, people):
    """Whatever the names (colliding, or one only by a trailing space), each school's row is
    its people counted by the school's id, every label is shown once, and the rows add up
    to the office's total."""
    with transaction.atomic():
        schools = [make_school(office, code=f"10760200{i:02d}", name=name)
                   for i, name in enumerate(names)]  # fmt: skip
        hours = {}
        for slot, h in people:
            where = schools[slot] if slot < len(schools) else None
            person = make_person(office, where, personnel_type=PersonnelType.TEACHER)
            hours[person.pk] = Decimal(h)
        user = users[Role.OFFICE_ADMIN]
        report = _report(user, monkeypatch, hours)
        counted = queries.people_counted_for(user)
        expected = {}
        for pk, school_id in counted.values_list("pk", "school_id"):
            row = expected.setdefault(school_id, [0, 0])
            row[0] += 1
            row[1] += hours.get(pk, 0) >= 20
        every = School.objects.filter(pk__in={pk for pk in expected if pk})
        labels = distinct_labels(every.values_list("pk", "name", "obec_code"))
        labels[None] = "สำนักงานเขตพื้นที่"
        got = {r.label: [r.total, r.developed] for r in report["school"]}
        assert len(got) == len(report["school"])  # no two rows read alike
        assert got == {labels[pk]: row for pk, row in expected.items()}
        assert sum(r.total for r in report["school"]) == report["total"][0].total
        assert sum(r.developed for r in report["school"]) == report["total"][0].developed
        transaction.set_rollback(True)


@given(st.lists(st.tuples(st.sampled_from(NAMES + ["ก", "ก\u00a0"]), st.text(min_size=1)),
                max_size=8))  # fmt: skip
def test_distinct_labels_tell_every_shared_name_apart(rows):
    """A name two rows share (as compared: spaces as typed do not count) gets its detail;
    a name of one row only stays as it is."""
    keyed = [(i, name, f"{i:02d}{detail}") for i, (name, detail) in enumerate(rows)]
    labels = distinct_labels(keyed)
    for i, name, detail in keyed:
        shared = sum(name_key(n) == name_key(name) for _, n, _ in keyed) > 1
        assert labels[i] == (f"{name} ({detail})" if shared else name)
    shared_labels = [labels[i] for i, name, _ in keyed
                     if sum(name_key(n) == name_key(name) for _, n, _ in keyed) > 1]  # fmt: skip
    assert len(set(shared_labels)) == len(shared_labels)
