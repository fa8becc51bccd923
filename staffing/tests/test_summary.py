"""The stored staff counts per school (staffing.summary) stay equal to a full count from the
people rows after any sequence of the edits and imports an office makes, and pages read them."""

import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from imports import actions as import_actions
from imports.models import BatchStatus
from imports.tests.conftest import upload_file, xlsx_bytes
from imports.tests.test_personnel import HEADER, person_row
from krupd.lib.thai_id import check_digit
from krupd.testing import make_person, make_school, make_user
from registry import actions as registry_actions
from registry import merge
from registry.forms import MajorFormSet
from registry.models import (
    Employment,
    LearningArea,
    Major,
    Person,
    PersonnelType,
    PersonStatus,
    Secondment,
)
from staffing import queries, summary
from staffing.models import StaffCount, StaffCountsBuilt

from .helpers import school_with

pytestmark = pytest.mark.django_db


def analysed(admin, year=None) -> list:
    """What the pages show of every school (the stored counts, for the current year)."""
    a = queries.analyse(admin, academic_year=year)
    return [
        (s.obec_code, s.register, s.seconded_out, s.seconded_in, s.contract_staff, s.vacant,
         s.actual_admin, s.actual_teachers, s.unmapped_teachers, sorted(s.area_actual.items()))
        for s in a.schools
    ]  # fmt: skip


def counted(admin) -> list:
    """The same, counted afresh from the people rows; the stored rows are left as they were."""
    with transaction.atomic():
        StaffCountsBuilt.objects.all().delete()
        found = analysed(admin)
        transaction.set_rollback(True)
    return found


_serial = iter(range(10**6))


def _id(body: str) -> str:
    return body + str(check_digit(body))


def _import(admin, schools, rows: list[tuple[int, int, str, int]], rng) -> None:
    """Rows through the real personnel import: (who, school, status, position number); who
    beyond the people is someone new."""
    people = list(Person.objects.filter(office=admin.office).order_by("pk"))
    lines = []
    for who, place, status, number in rows:
        serial = next(_serial)
        existing = people[who % len(people)] if who < 100 and people else None
        school = schools[place % len(schools)]
        over = {"สถานะ": status, "รหัสสถานศึกษา": school.obec_code, "ชื่อสถานศึกษา": school.name,
                "เลขที่ตำแหน่ง": str(number),
                "เลขประจำตัวประชาชน": existing.national_id if existing
                else _id(f"5{serial % 10**11:011d}")}  # fmt: skip
        if rng.random() < 0.3:
            over.update({"กลุ่มสาระที่สอน": "", "วิชาเอก": ""})
        lines.append(person_row(300_000 + serial, **over))
    batch = import_actions.start_import(
        acting_user=admin, kind="personnel",
        uploaded_file=upload_file("hrms.xlsx", xlsx_bytes([HEADER, *lines])),
    )  # fmt: skip
    batch.refresh_from_db()
    if batch.status != BatchStatus.VALIDATED or batch.count_error:
        return  # refused rows: nothing written, as in the application
    batch = import_actions.request_apply(acting_user=admin, batch=batch)
    assert batch.status == BatchStatus.APPLIED, batch.error_message


def _map_major(admin, name: str) -> None:
    """Change a major's learning area on the reference page (to none, or back)."""
    major = Major.objects.get(name=name)
    area = None if major.learning_area_id else LearningArea.objects.order_by("pk").first()
    data = {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000", "form-0-id": str(major.pk), "form-0-name": major.name,
        "form-0-learning_area": str(area.pk) if area else "",
    }  # fmt: skip
    formset = MajorFormSet(data, queryset=Major.objects.filter(pk=major.pk))
    assert formset.is_valid(), formset.errors
    registry_actions.save_reference_rows(acting_user=admin, office=admin.office, formset=formset,
                                         label="วิชาเอก")  # fmt: skip


EDITS = st.sampled_from(
    ["add", "contract", "retire", "left_after_census", "second_out", "second_in", "move",
     "move_office", "major", "major_map", "position", "delete", "type", "employment",
     "appointed_after_census", "import", "move_after_census", "move_before_census",
     "close", "close_after_census", "reopen", "move_from_closed",
     "move_office_after_census", "move_office_before_census", "status_back_after_census",
     "left_without_number", "edit_moved_away", "merge"]
)  # fmt: skip


def apply_edit(edit: str, setting, rng) -> None:
    office, admin, schools, other_school = setting
    people = list(Person.objects.filter(office=office).order_by("pk"))
    person = people[rng.randrange(len(people))]
    school = schools[rng.randrange(len(schools))]
    majors = list(Major.objects.order_by("pk"))
    if edit == "import":
        rows = [(rng.choice([0, 1, 2, 3, 100, 101]), rng.randrange(3),
                 rng.choice(["ปฏิบัติงาน", "ลาออก"]), rng.randrange(6)) for _ in range(3)]  # fmt: skip
        _import(admin, schools, list({r[0]: r for r in rows}.values()), rng)
        return
    if edit in ("add", "contract"):
        new = Person(office=office, school=school, national_id=_id(f"4{next(_serial):011d}"),
                     title="นาย", first_name="ทดสอบ", last_name="นับ", gender="male",
                     birth_date=dt.date(1985, 2, 3), personnel_type=PersonnelType.TEACHER,
                     position="ครู", appointment_date=dt.date(2010, 5, 16),
                     major=rng.choice([None, *majors]), position_number=str(rng.randrange(6)))  # fmt: skip
        if edit == "contract":
            new.employment, new.position, new.position_number = (
                Employment.CONTRACT_TEACHER,
                "ครูอัตราจ้าง",
                "",
            )
        registry_actions.save_person(acting_user=admin, person=new)
        return
    if edit == "delete":
        registry_actions.delete_person(acting_user=admin, person=person)
        return
    if edit == "merge":  # a duplicate record merged into another of the office
        others = [p for p in people if p.pk != person.pk]
        if others:
            merge.merge_people(acting_user=admin, keep=rng.choice(others), duplicate=person,
                               differences_confirmed=True)  # fmt: skip
        return
    if edit == "major_map":
        _map_major(admin, rng.choice(["คณิตศาสตร์", "ภาษาไทย"]))
        return
    census, _ = queries.office_census(office)
    if edit in ("close", "close_after_census", "reopen", "move_from_closed"):
        _closing_edit(edit, setting, rng, census)
        return
    effective = None
    if edit == "status_back_after_census":
        # Left before the census day and taken back after it: not in service that day.
        person.status = rng.choice([PersonStatus.RETIRED, PersonStatus.RESIGNED])
        registry_actions.save_person(acting_user=admin, person=person,
                                     effective_date=census - dt.timedelta(days=10))  # fmt: skip
        person.status = PersonStatus.ACTIVE
        effective = census + dt.timedelta(days=rng.choice([1, 20]))
    elif edit == "edit_moved_away":
        # Someone now of the other office, counted here for the census day if they moved
        # after it: the other office's edit of them recounts the school they left here.
        moved = Person.objects.filter(office=other_school.office).order_by("pk")
        person = moved[rng.randrange(moved.count())]
        person.major = rng.choice([None, *majors])
        person.personnel_type = rng.choice([PersonnelType.TEACHER, PersonnelType.DEPUTY_DIRECTOR])
    if edit in ("retire", "left_after_census"):
        person.status = rng.choice([PersonStatus.RETIRED, PersonStatus.TRANSFERRED])
        after = edit == "left_after_census"
        effective = census + dt.timedelta(days=10 if after else -10)
    elif edit == "second_out":
        person.secondment, person.secondment_school = Secondment.OUT, school
    elif edit == "second_in":
        person.secondment, person.secondment_school = Secondment.IN, school
    elif edit == "move":
        person.school = rng.choice([school, None])
        person.secondment, person.secondment_school = "", None
    elif edit in ("move_after_census", "move_before_census"):
        # Counted at the school of the census day: the old one when it moved after it.
        person.school = rng.choice([school, school, None])
        after = edit == "move_after_census"
        effective = census + dt.timedelta(
            days=rng.choice([1, 20]) if after else -rng.choice([0, 20])
        )
    elif edit == "move_office":
        person.office, person.school = other_school.office, other_school
    elif edit in ("move_office_after_census", "move_office_before_census"):
        # Counted at the school left, in this office, when the move came after the census day.
        person.office, person.school = other_school.office, rng.choice([other_school, None])
        after = edit == "move_office_after_census"
        effective = census + dt.timedelta(days=rng.choice([1, 20]) if after else -20)
    elif edit == "left_without_number":
        person.status, person.position_number = PersonStatus.RESIGNED, ""
        effective = census - dt.timedelta(days=rng.choice([1, 20]))
    elif edit == "major":
        person.major = rng.choice([None, *majors])
    elif edit == "position":
        person.position_number = str(rng.randrange(6))
    elif edit == "type":
        person.personnel_type = rng.choice([PersonnelType.TEACHER, PersonnelType.DEPUTY_DIRECTOR])
    elif edit == "employment":
        person.employment = rng.choice(list(Employment))
    elif edit == "appointed_after_census":
        person.appointment_date = rng.choice([census, census + dt.timedelta(days=1)])
    registry_actions.save_person(acting_user=admin, person=person, effective_date=effective)


def _closing_edit(edit: str, setting, rng, census: dt.date) -> None:
    """A school closed (or merged into another) before or after the census day, opened
    again, or its people moved out (to the school it was merged into, else another)."""
    office, admin, schools, _ = setting
    for school in schools:
        school.refresh_from_db()
    school = schools[rng.randrange(len(schools))]
    if edit == "reopen":
        registry_actions.reopen_school(acting_user=admin, school=school)
        return
    if edit == "move_from_closed":
        closed = [s for s in schools if s.closed_on is not None]
        open_ = [s for s in schools if s.closed_on is None]
        if not closed or not open_:
            return
        left = rng.choice(closed)
        registry_actions.move_people(
            acting_user=admin,
            people=list(Person.objects.filter(school=left, status=PersonStatus.ACTIVE)),
            to_school=left.merged_into or rng.choice(open_),
            effective_date=left.closed_on,
        )
        return
    days = rng.choice([1, 20]) if edit == "close_after_census" else -rng.choice([0, 20])
    into = rng.choice([None, *[s for s in schools if s != school and s.closed_on is None]])
    try:
        registry_actions.close_school(acting_user=admin, school=school, merged_into=into,
                                      closed_on=census + dt.timedelta(days=days))  # fmt: skip
    except registry_actions.ClosureRefused:
        pass


def test_a_school_closed_by_the_census_day_is_not_listed_and_counts_still_agree(setting):
    office, admin, schools, _ = setting
    census, _ = queries.office_census(office)
    closing, receiving = schools[0], schools[1]
    listed = [s.obec_code for s in queries.analyse(admin).schools]
    assert closing.obec_code in listed
    registry_actions.close_school(acting_user=admin, school=closing, merged_into=receiving,
                                  closed_on=census + dt.timedelta(days=1))  # fmt: skip
    assert closing.obec_code in [s.obec_code for s in queries.analyse(admin).schools]
    registry_actions.close_school(acting_user=admin, school=closing, merged_into=receiving,
                                  closed_on=census)  # fmt: skip
    assert [s.obec_code for s in queries.analyse(admin).schools] == [
        code for code in listed if code != closing.obec_code
    ]
    # An earlier year's census day, before the closing, still lists it.
    year = queries.default_year(office)
    assert closing.obec_code in [
        s.obec_code for s in queries.analyse(admin, academic_year=year - 1).schools
    ]
    assert summary.stored_differences(office) is None
    assert analysed(admin) == counted(admin)
    # Its people, no longer counted, are named as a problem with the way to move them.
    still = Person.objects.filter(school=closing, status=PersonStatus.ACTIVE).count()
    [problem] = [p for p in queries.analyse(admin).problems if p.kind == "closed"]
    assert problem.message.startswith(f"บุคลากรในสถานศึกษาที่ปิดแล้ว {still} คน")
    assert problem.url == reverse("registry:school_move_staff", args=[closing.pk])
    assert problem.school == f"{closing.name} ({closing.obec_code})"
    # Its people moved to the receiving school on the closing day: still counted there on
    # the census day (the closing day), and the counts agree.
    moved = registry_actions.move_people(
        acting_user=admin, people=list(Person.objects.filter(school=closing)),
        to_school=receiving, effective_date=census,
    )  # fmt: skip
    assert moved
    assert summary.stored_differences(office) is None
    assert analysed(admin) == counted(admin)
    assert not [p for p in queries.analyse(admin).problems if p.kind == "closed"]


@pytest.fixture
def setting(office, other_office):
    schools = [
        school_with(office, f"10760190{i:02d}", students=60 + 40 * i, rooms=6,
                    teachers={"คณิตศาสตร์": 2, "ภาษาไทย": 1, "": 1})
        for i in range(3)
    ]  # fmt: skip
    for i, school in enumerate(schools):
        for person in Person.objects.filter(school=school):
            person.position_number = str(i)
            person.save()
    other_school = make_school(other_office, code="1076290001", name="โรงเรียนเขตอื่น")
    make_person(other_office, other_school)
    admin = make_user("admin-s", Role.OFFICE_ADMIN, office)
    for o in (office, other_office):
        summary.rebuild(o)
    return office, admin, schools, other_school


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(edits=st.lists(EDITS, min_size=1, max_size=6), seed=st.integers(0, 10_000))
def test_stored_counts_equal_a_full_count_after_any_edits_and_imports(setting, edits, seed):
    office, admin, _, other_school = setting
    rng = random.Random(seed)
    with transaction.atomic():
        for edit in edits:
            apply_edit(edit, setting, rng)
            for o in (office, other_school.office):
                if StaffCountsBuilt.objects.filter(office=o).exists():
                    assert summary.stored_differences(o) is None, edit
            assert analysed(admin) == counted(admin), edit
        transaction.set_rollback(True)  # the next example starts from the same setting


@pytest.mark.parametrize("seed", range(3))
def test_stored_counts_equal_a_full_count_through_the_census_day_edges(setting, seed):
    """The random sequences above may not draw them: moves to another office either side of
    the census day, then edits of the moved by the office they joined, statuses taken back,
    leavers without a position number; each kept equal to a full count."""
    office, admin, _, other_school = setting
    rng = random.Random(seed)
    edits = ["move_office_after_census", "move_office_before_census", "move_office",
             "edit_moved_away", "status_back_after_census", "left_without_number",
             "move_office_after_census", "edit_moved_away", "delete"]  # fmt: skip
    for edit in edits:
        apply_edit(edit, setting, rng)
        for o in (office, other_school.office):
            assert summary.stored_differences(o) is None, edit
        assert analysed(admin) == counted(admin), edit


def _counts_staff(query) -> bool:
    """The query that counts staff per school (the short schools' out-of-field count, which
    also groups people, is a different one)."""
    sql = query["sql"]
    return "GROUP BY" in sql and "learning_area_id" in sql and '"secondment"' in sql


def test_pages_read_the_stored_counts_also_right_after_an_edit(setting):
    office, admin, schools, _ = setting
    StaffCountsBuilt.objects.all().delete()
    with CaptureQueriesContext(connection) as first:  # not built: counted, stored
        analysed(admin)
    assert len([q for q in first.captured_queries if _counts_staff(q)]) == 1
    with CaptureQueriesContext(connection) as again:
        analysed(admin)
    assert not [q for q in again.captured_queries if _counts_staff(q)]
    person = Person.objects.filter(school=schools[0]).first()
    person.school = schools[1]
    registry_actions.save_person(acting_user=admin, person=person)
    with CaptureQueriesContext(connection) as after_an_edit:
        stored = analysed(admin)
    assert not [q for q in after_an_edit.captured_queries if _counts_staff(q)]
    assert stored == counted(admin)


def test_one_edit_recounts_only_its_schools(setting):
    office, admin, schools, _ = setting
    before = set(StaffCount.objects.filter(school=schools[2].pk).values_list("people", "pk"))
    # A change behind the actions' back shows which schools a write recounts.
    Person.objects.filter(school=schools[2]).update(status=PersonStatus.DECEASED)
    person = Person.objects.filter(school=schools[0]).first()
    person.school = schools[1]
    registry_actions.save_person(acting_user=admin, person=person)
    assert (
        set(StaffCount.objects.filter(school=schools[2].pk).values_list("people", "pk")) == before
    )
    assert summary.stored_differences(office).schools == [schools[2].pk]


def test_a_leaver_replaced_in_another_school_recounts_the_leavers_vacancy(setting):
    office, admin, schools, _ = setting
    leaver = Person.objects.filter(school=schools[0], position_number="0").first()
    leaver.status, leaver.position_number = PersonStatus.TRANSFERRED, "77"
    registry_actions.save_person(acting_user=admin, person=leaver,
                                 effective_date=dt.date(2000, 1, 1))  # fmt: skip
    assert summary.office_counts(office, *queries.office_census(office))[schools[0].pk].vacant == 1
    # Someone at another school takes the leaver's number: school 0's position is filled.
    taker = Person.objects.filter(school=schools[2], status=PersonStatus.ACTIVE).first()
    taker.position_number = "77"
    registry_actions.save_person(acting_user=admin, person=taker)
    assert summary.stored_differences(office) is None
    assert summary.office_counts(office, *queries.office_census(office))[schools[0].pk].vacant == 0


def test_a_director_is_counted_from_the_people_rows_and_agrees_on_their_school(setting):
    office, admin, schools, _ = setting
    StaffCountsBuilt.objects.all().delete()
    director = make_user("dir-s", Role.SCHOOL_DIRECTOR, office, school=schools[1])
    own = queries.analyse(director).schools
    assert not StaffCountsBuilt.objects.exists()
    whole = {s.id: s for s in queries.analyse(admin).schools}
    assert [(s.actual, s.area_actual) for s in own] == [
        (whole[s.id].actual, whole[s.id].area_actual) for s in own
    ]


def test_another_census_day_or_year_is_counted_and_the_current_one_rebuilt(setting):
    office, admin, schools, _ = setting
    built = StaffCountsBuilt.objects.get(office=office)
    assert (built.census_date, built.retirement_age) == queries.office_census(office)
    last_year = queries.default_year() - 1
    assert analysed(admin, last_year)  # counted, not stored: the current year's rows stay
    assert StaffCountsBuilt.objects.get(office=office).census_date == built.census_date
    rules = registry_actions.rules_for(office)
    rules.census_day = "1/7"
    registry_actions.update_office_rules(acting_user=admin, rules=rules)
    assert analysed(admin) == counted(admin)
    assert StaffCountsBuilt.objects.get(office=office).census_date.month == 7


def test_a_personnel_import_keeps_the_counts_in_its_own_transaction(setting):
    office, admin, schools, _ = setting
    before = {s.id: s.actual_teachers for s in queries.analyse(admin).schools}
    _import(admin, schools, [(100, 2, "ปฏิบัติงาน", 1), (101, 2, "ปฏิบัติงาน", 2)],
            random.Random(1))  # fmt: skip
    assert summary.stored_differences(office) is None
    after = {s.id: s.actual_teachers for s in queries.analyse(admin).schools}
    assert after[schools[2].pk] == before[schools[2].pk] + 2


def test_the_nightly_rebuild_reports_counts_that_drifted(setting, capsys):
    office, admin, schools, _ = setting
    call_command("rebuild_staff_counts", "--verify")
    Person.objects.filter(school=schools[1]).update(status=PersonStatus.DECEASED)  # not kept
    with pytest.raises(CommandError):  # manage.py exits with status 1
        call_command("rebuild_staff_counts", "--verify", "--office", office.code)
    err = capsys.readouterr().err
    assert office.name in err and schools[1].obec_code in err
    assert "ไม่ตรงกับการนับใหม่" in err
    call_command("rebuild_staff_counts", "--verify")  # corrected: nothing differs
    assert summary.stored_differences(office) is None
    assert analysed(admin) == counted(admin)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writes_to_the_same_school_lose_no_change(office, other_office):
    """Edits of different people of one school committed at once: each recounts the school
    under its lock after the previous one committed, so the last stored rows see them all."""
    import threading

    from django.db import close_old_connections

    school = make_school(office, code="1076190001", name="โรงเรียนทดสอบ")
    elsewhere = make_school(office, code="1076190002", name="โรงเรียนทดสอบ 2")
    admin = make_user("admin-sc", Role.OFFICE_ADMIN, office)
    people = [make_person(office, school, position_number=str(i)) for i in range(6)]
    mover = make_person(office, elsewhere)
    summary.rebuild(office)
    barrier = threading.Barrier(len(people) + 1)
    errors = []

    def run(write):
        try:
            barrier.wait()
            write()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()

    def edit(pk):
        person = Person.objects.get(pk=pk)
        person.personnel_type = PersonnelType.DEPUTY_DIRECTOR
        person.position_number = f"9{pk}"
        registry_actions.save_person(acting_user=admin, person=person)

    def move():
        person = Person.objects.get(pk=mover.pk)
        person.school = school
        # In effect by the census day, so counted at the school it joins (staffing.queries
        # school_on: a move after the census day counts at the school left).
        registry_actions.save_person(acting_user=admin, person=person, effective_date=census)

    census, _age = queries.office_census(office)
    threads = [threading.Thread(target=run, args=(lambda pk=p.pk: edit(pk),)) for p in people]
    threads.append(threading.Thread(target=run, args=(move,)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert summary.stored_differences(office) is None
    counts = summary.office_counts(office, *queries.office_census(office))
    assert counts[school.pk].civil.admin == 6
    assert counts[school.pk].register == 7


@pytest.mark.parametrize("seed", range(3))
def test_stored_counts_equal_a_full_count_after_merging_duplicate_records(setting, seed):
    """A duplicate record merged into another (registry.merge), after moves either side of
    the census day: its position history, hence where the census day counts the kept
    record, comes with it; every school either was counted at is recounted."""
    office, admin, _, other_school = setting
    rng = random.Random(seed)
    for edit in ["move_after_census", "merge", "move_before_census", "second_out", "merge",
                 "move_office_after_census", "merge"]:  # fmt: skip
        apply_edit(edit, setting, rng)
        for o in (office, other_school.office):
            assert summary.stored_differences(o) is None, edit
        assert analysed(admin) == counted(admin), edit
