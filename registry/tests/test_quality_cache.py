"""A data-quality report answered from the cache is always the report computed afresh, after
any sequence of the edits an office makes (registry.quality_cache)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from krupd.testing import make_person, make_school, make_user
from registry import actions, quality
from registry.models import LearningArea, Major, Person, PersonStatus, School

pytestmark = pytest.mark.django_db


def snapshot(office) -> list:
    report = quality.quality_report(
        office=office, schools=School.objects.filter(office=office), include_office_people=True
    )
    units = [*report.schools, report.office_people, report.total]
    return [
        (u.name, u.people, u.last_update, u.ready,
         sorted((code, c.checked, c.failed) for code, c in u.counts.items()))
        for u in units
    ]  # fmt: skip


def fresh_snapshot(office) -> list:
    cache.clear()
    return snapshot(office)


EDITS = st.sampled_from(
    ["add", "phone", "birth", "status", "move", "areas", "delete", "major_map", "national_id"]
)


def apply_edit(edit: str, office, admin, schools, rng) -> None:
    people = list(Person.objects.filter(office=office).order_by("pk"))
    person = people[rng.randrange(len(people))] if people else None
    if edit == "add" or person is None:
        make_person(office, schools[rng.randrange(len(schools))], phone="")
        return
    if edit == "delete":
        actions.delete_person(acting_user=admin, person=person)
        return
    if edit == "areas":
        areas = list(LearningArea.objects.order_by("pk")[: rng.randrange(3)])
        actions.save_person(acting_user=admin, person=person, areas_taught=areas)
        return
    if edit == "major_map":
        major = Major.objects.order_by("pk")[rng.randrange(Major.objects.count())]
        major.learning_area = None if major.learning_area_id else LearningArea.objects.first()
        major.save()
        return
    changes = {
        "phone": {"phone": "" if person.phone else "0812345678"},
        "birth": {"birth_date": None if person.birth_date else dt.date(1990, 1, 2)},
        "status": {"status": PersonStatus.RETIRED
                   if person.status == PersonStatus.ACTIVE else PersonStatus.ACTIVE},
        "move": {"school": schools[rng.randrange(len(schools))]},
        "national_id": {"national_id": person.national_id[:12]
                        + str((int(person.national_id[12]) + 1) % 10)},
    }[edit]  # fmt: skip
    for field, value in changes.items():
        setattr(person, field, value)
    actions.save_person(acting_user=admin, person=person)


@pytest.fixture
def setting(office):
    schools = [make_school(office, code=f"10760190{i:02d}", name=f"ร.ร. {i}") for i in range(3)]
    for school in schools:
        make_person(office, school)
    return office, make_user("admin-q", Role.OFFICE_ADMIN, office), schools


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(EDITS, min_size=1, max_size=5), seed=st.integers(0, 10_000))
def test_the_cached_report_equals_the_fresh_one_after_any_edits(setting, edits, seed):
    import random

    office, admin, schools = setting
    rng = random.Random(seed)
    snapshot(office)  # fill the cache
    for edit in edits:
        apply_edit(edit, office, admin, schools, rng)
        cached = snapshot(office)
        assert cached == fresh_snapshot(office), edit


def _people_counts(queries) -> int:
    """Queries that count the rules over people (the grouped aggregate)."""
    return sum(1 for q in queries if "n_people" in q["sql"])


def test_an_unchanged_office_is_answered_without_recounting(setting):
    office, admin, schools = setting
    with CaptureQueriesContext(connection) as first:
        snapshot(office)
    with CaptureQueriesContext(connection) as again:
        snapshot(office)
    assert (_people_counts(first), _people_counts(again)) == (1, 0)
    make_person(office, schools[0])
    with CaptureQueriesContext(connection) as after_a_change:
        snapshot(office)
    assert _people_counts(after_a_change) == 1
