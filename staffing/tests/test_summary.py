"""Stored staff counts per school (staffing.summary) always equal a full recount from the
people rows, after any sequence of the edits and imports an office makes; pages read them."""

import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from krupd.testing import make_person, make_user
from registry import actions as registry_actions
from registry.models import (
    Employment,
    LearningArea,
    Major,
    Person,
    PersonnelType,
    PersonStatus,
    PositionChange,
    Secondment,
)
from staffing import actions, queries
from staffing.models import StaffCountSnapshot

from .helpers import CENSUS, YEAR, school_with

pytestmark = pytest.mark.django_db


def analysed(admin) -> list:
    """What the pages show of every school: the stored counts when they are current."""
    a = queries.analyse(admin, academic_year=YEAR)
    return [
        (s.obec_code, s.register, s.seconded_out, s.seconded_in, s.contract_staff, s.vacant,
         s.actual_admin, s.actual_teachers, s.unmapped_teachers, sorted(s.area_actual.items()))
        for s in a.schools
    ]  # fmt: skip


def recounted(admin) -> list:
    """The same, counted afresh from the people rows."""
    StaffCountSnapshot.objects.all().delete()
    return analysed(admin)


EDITS = st.sampled_from(
    ["add", "contract", "retire", "left_after_census", "history_only", "second_out",
     "second_in", "move", "major", "major_map", "position", "delete", "type"]
)  # fmt: skip


def apply_edit(edit: str, office, admin, schools, rng) -> None:
    people = list(Person.objects.filter(office=office).order_by("pk"))
    person = people[rng.randrange(len(people))]
    school = schools[rng.randrange(len(schools))]
    majors = list(Major.objects.order_by("pk"))
    if edit == "add":
        make_person(office, school, major=rng.choice(majors), position_number=f"{rng.randrange(9)}")
        return
    if edit == "contract":
        make_person(office, school, employment=Employment.CONTRACT_TEACHER, position="ครูอัตราจ้าง",
                    academic_standing=None)  # fmt: skip
        return
    if edit == "delete":
        registry_actions.delete_person(acting_user=admin, person=person)
        return
    if edit == "major_map":
        major = rng.choice(majors)
        major.learning_area = None if major.learning_area_id else LearningArea.objects.first()
        major.save()
        return
    if edit == "history_only":
        # A leaving date recorded on its own, after the census day.
        PositionChange.objects.create(
            person=person, effective_date=CENSUS + dt.timedelta(days=3), field="สถานะ",
            old_value="ปฏิบัติงาน", new_value="โอนย้าย",
        )  # fmt: skip
        return
    effective = None
    if edit in ("retire", "left_after_census"):
        person.status = rng.choice([PersonStatus.RETIRED, PersonStatus.TRANSFERRED])
        after = edit == "left_after_census"
        effective = CENSUS + dt.timedelta(days=10 if after else -10)
    elif edit == "second_out":
        person.secondment, person.secondment_school = Secondment.OUT, school
    elif edit == "second_in":
        person.secondment, person.secondment_school = Secondment.IN, school
    elif edit == "move":
        person.school, person.secondment, person.secondment_school = school, "", None
    elif edit == "major":
        person.major = rng.choice([None, *majors])
    elif edit == "position":
        person.position_number = str(rng.randrange(9))
    elif edit == "type":
        person.personnel_type = rng.choice([PersonnelType.TEACHER, PersonnelType.DEPUTY_DIRECTOR])
    registry_actions.save_person(acting_user=admin, person=person, effective_date=effective)


@pytest.fixture
def setting(office):
    schools = [
        school_with(office, f"10760190{i:02d}", students=60 + 40 * i, rooms=6,
                    teachers={"คณิตศาสตร์": 2, "ภาษาไทย": 1, "": 1})
        for i in range(3)
    ]  # fmt: skip
    return office, make_user("admin-s", Role.OFFICE_ADMIN, office), schools


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.lists(EDITS, min_size=1, max_size=6), seed=st.integers(0, 10_000))
def test_stored_counts_equal_a_recount_after_any_edits(setting, edits, seed):
    office, admin, schools = setting
    rng = random.Random(seed)
    analysed(admin)  # store the counts
    for edit in edits:
        apply_edit(edit, office, admin, schools, rng)
        stored = analysed(admin)
        assert stored == recounted(admin), edit


def test_pages_read_the_stored_counts_until_the_data_changes(setting):
    office, admin, schools = setting
    with CaptureQueriesContext(connection) as first:
        analysed(admin)
    with CaptureQueriesContext(connection) as again:
        analysed(admin)
    grouping = [q for q in first.captured_queries if _counts_staff(q)]
    assert len(grouping) == 1
    assert not [q for q in again.captured_queries if _counts_staff(q)]
    assert StaffCountSnapshot.objects.count() == 1
    assert len(StaffCountSnapshot.objects.get().counts) == 3
    make_person(office, schools[0])
    with CaptureQueriesContext(connection) as after_a_change:
        stored = analysed(admin)
    assert [q for q in after_a_change.captured_queries if _counts_staff(q)]
    assert stored == recounted(admin)


def _counts_staff(query) -> bool:
    """The query that counts staff per school (the short schools' out-of-field count, which
    also groups people by major, is a different one)."""
    sql = query["sql"]
    return "GROUP BY" in sql and "major_id" in sql and '"secondment"' in sql


def test_a_director_is_counted_from_the_people_rows_and_agrees_on_their_school(setting, office):
    office, admin, schools = setting
    director = make_user("dir-s", Role.SCHOOL_DIRECTOR, office, school=schools[1])
    own = queries.analyse(director, academic_year=YEAR).schools
    assert StaffCountSnapshot.objects.count() == 0
    whole = {s.id: s for s in queries.analyse(admin, academic_year=YEAR).schools}
    assert [(s.actual, s.area_actual) for s in own] == [
        (whole[s.id].actual, whole[s.id].area_actual) for s in own
    ]


def test_a_personnel_import_stores_the_counts_in_its_own_transaction(setting, client):
    from imports.tests.conftest import xlsx_bytes
    from imports.tests.test_personnel import HEADER, latest_batch, person_row, upload

    office, admin, schools = setting
    actions.refresh_staff_counts(office)
    client.force_login(admin)
    at = {"รหัสสถานศึกษา": schools[2].obec_code, "ชื่อสถานศึกษา": schools[2].name}
    rows = [HEADER, person_row(1, **at), person_row(2, **at)]
    upload(client, "personnel", "hrms.xlsx", xlsx_bytes(rows))
    batch = latest_batch()
    assert batch.count_new == 2
    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "applied"
    assert queries.analyse(admin).schools[2].actual_teachers == 6
    census, age = queries.office_census(office)
    fresh = queries.recount_office(office, census, age)
    # Stored by the apply with the state after it: current, and equal to a recount.
    from staffing import summary

    assert summary.office_counts(office.pk, census, age, compute=lambda: {}) == fresh


def test_the_nightly_rebuild_reports_counts_that_drifted(setting, capsys):
    office, admin, schools = setting
    analysed(admin)
    call_command("rebuild_staff_counts")
    # A write behind the application's back (no updated_at, no history): the state does not
    # change, so only the nightly recount can notice, correct and report it.
    Person.objects.filter(office=office).update(status=PersonStatus.DECEASED)
    with pytest.raises(CommandError):
        call_command("rebuild_staff_counts")
    assert "ไม่ตรงกับการนับใหม่" in capsys.readouterr().err
    assert analysed(admin) == recounted(admin)
    call_command("rebuild_staff_counts")
