"""The stored data-quality counts (registry.quality_counts) stay equal to a full count from the
records after any sequence of the writes that change them, and the reports read them."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
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
from registry import actions, merge, quality, quality_counts
from registry.forms import MajorFormSet
from registry.models import (
    AcademicStanding,
    Employment,
    LearningArea,
    Major,
    Person,
    PersonnelType,
    PersonStatus,
    QualityCount,
    QualityCountsBuilt,
    School,
    Secondment,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 7, 1)
NOW = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)


def _id(body: str) -> str:
    return body + str(check_digit(body))


# Messy values a person can be given: each breaks (or passes) some rules, several on a day
# boundary so that advancing the day changes them.
VARIANTS = [
    {},
    {"birth_date": None, "appointment_date": None},
    {"birth_date": DAY.replace(year=DAY.year - 18) + dt.timedelta(days=2)},  # 18 in two days
    {"birth_date": DAY.replace(year=DAY.year - 71) + dt.timedelta(days=1)},  # 71 tomorrow
    {"appointment_date": DAY + dt.timedelta(days=1)},  # future until tomorrow
    {"appointment_date": dt.date(1995, 1, 1), "birth_date": dt.date(1980, 1, 1)},  # at 15
    {"national_id": "0" + _id("123456789012")[1:]},  # leading zero: the office setting
    {"national_id": _id("912345678901")},
    {"national_id": "3100000000000"},  # wrong check digit
    {"secondment": Secondment.OUT, "secondment_school": None},
    {"secondment": Secondment.OUT, "secondment_until": DAY},  # ends today: tomorrow ended
    {"personnel_type": PersonnelType.EMPLOYEE, "employment": Employment.CIVIL_SERVANT},
    {"personnel_type": PersonnelType.ASSISTANT_TEACHER, "academic_standing": "k2"},
    {"academic_standing": None, "phone": "", "gender": "", "position": "", "major": None},
    {"highest_degree": "", "major": "ภาษาไทย"},
]
_serial = iter(range(10**6))


class Cast:
    """Two offices: three schools and office staff in one, a school in the other."""

    def __init__(self, office, other_office, admin):
        self.office, self.other_office, self.admin = office, other_office, admin
        self.schools = [
            make_school(office, code=f"10761900{i:02d}", name=f"โรงเรียนทดสอบ {i}") for i in range(3)
        ]
        self.places = [*self.schools, None, make_school(other_office, code="1076290001",
                                                        name="โรงเรียนเขตอื่น")]  # fmt: skip
        self.people = [make_person(office, s) for s in self.schools + [None, None]]
        self.today = DAY
        for o in (office, other_office):
            quality_counts.rebuild(o, today=DAY)

    def person(self, index: int) -> Person | None:
        people = list(Person.objects.order_by("pk"))
        return people[index % len(people)] if people else None


def _give(person: Person, variant: dict) -> None:
    for field, value in variant.items():
        if field == "academic_standing" and value is not None:
            value = AcademicStanding.objects.get(code=value)
        if field == "major" and value is not None:
            value = Major.objects.get(name=value)
        if field == "national_id" and Person.objects.filter(national_id=value).exists():
            continue  # unique: someone already has this odd ID
        setattr(person, field, value)
    if person.secondment and "secondment_school" not in variant:
        person.secondment_school = School.objects.order_by("pk").first()


def _import(cast: Cast, rows: list[tuple[int, int, int, str]]) -> None:
    """Rows through the real personnel import: (who, school, variant, status); who beyond the
    people is someone new."""
    lines = []
    for who, place, variant, status in rows:
        existing = cast.person(who) if who < 100 else None
        serial = next(_serial)
        over = {"สถานะ": status, "รหัสสถานศึกษา": cast.schools[place % 3].obec_code,
                "ชื่อสถานศึกษา": cast.schools[place % 3].name}  # fmt: skip
        if existing is not None and existing.office_id == cast.office.pk:
            over["เลขประจำตัวประชาชน"] = existing.national_id
        else:
            over["เลขประจำตัวประชาชน"] = _id(f"5{serial % 10**11:011d}")
        if variant == 1:
            over.update({"วันเดือนปีเกิด": "", "วันบรรจุ": "", "โทรศัพท์": ""})
        elif variant == 2:
            over.update({"กลุ่มสาระที่สอน": "", "วิชาเอก": ""})
        lines.append(person_row(200_000 + serial, **over))
    content = xlsx_bytes([HEADER, *lines])
    batch = import_actions.start_import(
        acting_user=cast.admin, kind="personnel", uploaded_file=upload_file("hrms.xlsx", content)
    )
    batch.refresh_from_db()
    if batch.status != BatchStatus.VALIDATED or batch.count_error:
        return  # refused rows (an ID twice...): nothing written, as in the application
    batch = import_actions.request_apply(acting_user=cast.admin, batch=batch)
    assert batch.status == BatchStatus.APPLIED, batch.error_message


def _map_major(cast: Cast, name: str) -> None:
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
    actions.save_reference_rows(acting_user=cast.admin, office=cast.office, formset=formset,
                                label="วิชาเอก")  # fmt: skip


def _apply(cast: Cast, write: tuple) -> None:
    kind, *args = write
    if kind == "add":
        place, variant = args
        school = cast.places[place]
        person = Person(office=school.office if school else cast.office, school=school,
                        national_id=_id(f"4{next(_serial):011d}"), title="นาย",
                        first_name="ทดสอบ", last_name="ข้อมูล", gender="male",
                        birth_date=dt.date(1985, 2, 3), personnel_type=PersonnelType.TEACHER,
                        position="ครู", appointment_date=dt.date(2010, 5, 16),
                        academic_standing=AcademicStanding.objects.get(code="k1"),
                        major=Major.objects.get(name="คณิตศาสตร์"), highest_degree="bachelor",
                        phone="0812345678")  # fmt: skip
        _give(person, VARIANTS[variant])
        areas = [] if variant % 2 else list(LearningArea.objects.order_by("pk")[:1])
        actions.save_person(acting_user=cast.admin, person=person, areas_taught=areas)
        return
    if kind == "import":
        _import(cast, args[0])
        return
    if kind == "major":
        _map_major(cast, args[0])
        return
    if kind == "id_setting":
        rules = actions.rules_for(cast.office)
        rules.allow_leading_zero_or_nine_id = not rules.allow_leading_zero_or_nine_id
        actions.update_office_rules(acting_user=cast.admin, rules=rules)
        return
    if kind == "day":
        cast.today += dt.timedelta(days=args[0])
        return
    person = cast.person(args[0])
    if person is None:
        return
    if kind == "delete":
        actions.delete_person(acting_user=cast.admin, person=person)
    elif kind == "merge":
        keep = cast.person(args[1])
        try:  # into itself, or into another office's record: refused, nothing written
            merge.merge_people(acting_user=cast.admin, keep=keep, duplicate=person,
                               differences_confirmed=True)  # fmt: skip
        except merge.MergeRefused:
            pass
    elif kind == "own_contact":
        actions.update_own_contact(acting_user=cast.admin, person=person,
                                   phone="" if person.phone else "0899999999", email="")  # fmt: skip
    elif kind == "edit":
        _give(person, VARIANTS[args[1]])
        areas = None if args[2] == 0 else list(LearningArea.objects.order_by("pk")[: args[2] - 1])
        actions.save_person(acting_user=cast.admin, person=person, areas_taught=areas)
    elif kind == "move":
        school = cast.places[args[1]]
        person.school = school
        person.office = school.office if school else person.office
        actions.save_person(acting_user=cast.admin, person=person)
    elif kind == "status":
        person.status = args[1]
        actions.save_person(acting_user=cast.admin, person=person)


who = st.integers(0, 9)
WRITES = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 4), st.integers(0, len(VARIANTS) - 1)),
    st.tuples(st.just("edit"), who, st.integers(0, len(VARIANTS) - 1), st.integers(0, 3)),
    st.tuples(st.just("move"), who, st.integers(0, 4)),
    st.tuples(
        st.just("status"), who, st.sampled_from([PersonStatus.RETIRED, PersonStatus.ACTIVE])
    ),  # fmt: skip
    st.tuples(st.just("delete"), who),
    st.tuples(st.just("merge"), who, who),
    st.tuples(st.just("own_contact"), who),
    st.tuples(
        st.just("import"),
        st.lists(
            st.tuples(
                st.sampled_from([0, 1, 2, 3, 100, 101]),
                st.integers(0, 2),
                st.integers(0, 2),
                st.sampled_from(["ปฏิบัติงาน", "ลาออก"]),
            ),
            min_size=1,
            max_size=3,
            unique_by=lambda r: r[0],
        ),
    ),  # fmt: skip
    st.tuples(st.just("major"), st.sampled_from(["คณิตศาสตร์", "ภาษาไทย"])),
    st.tuples(st.just("id_setting")),
    st.tuples(st.just("day"), st.sampled_from([1, 2, 3])),
)


def _report(office, day, *, counted: bool, schools=None):
    report = quality.quality_report(
        office=office,
        schools=schools if schools is not None else School.objects.filter(office=office),
        include_office_people=schools is None,
        today=day,
        now=NOW,
        counted=counted,
    )
    units = [*report.schools, report.office_people, report.total]
    return [
        (u.name, u.people, u.last_update, u.ready, u.current,
         sorted((code, c.checked, c.failed) for code, c in u.counts.items()))
        for u in units if u is not None
    ]  # fmt: skip


def assert_counts_match(cast: Cast) -> None:
    for office in (cast.office, cast.other_office):
        # What the writes stored equals a recount for the day it is stored for...
        assert quality_counts.stored_equals_counted(office) is None
        # ...and the reports read from it equal the full count, whole office and a selection.
        stored = _report(office, cast.today, counted=False)
        assert stored == _report(office, cast.today, counted=True)
        some = School.objects.filter(pk__in=[s.pk for s in cast.schools[:2]])
        assert _report(office, cast.today, counted=False, schools=some) == _report(
            office, cast.today, counted=True, schools=some
        )
        assert QualityCountsBuilt.objects.get(office=office).as_of == cast.today
        # The KPI dashboard's reads of the same rows: each school's readiness as the full
        # report scores it, and the people of each school and type as grouped from them.
        ctx = quality.context_for(office, today=cast.today)
        rows = quality_counts.office_rows(office, ctx)
        full = quality.quality_report(office=office, schools=School.objects.filter(office=office),
                                      today=cast.today, now=NOW, counted=True)  # fmt: skip
        ready = {u.school_id: u.ready for u in full.schools}
        assert quality.school_readiness(office, ctx, rows, now=NOW) == ready
        grouped = (Person.objects.filter(office=office, status=PersonStatus.ACTIVE).order_by()
                   .values_list("school_id", "personnel_type").annotate(n=Count("pk")))  # fmt: skip
        assert quality_counts.headcounts(office, rows) == {(s, t): n for s, t, n in grouped}


@pytest.fixture
def cast(office, other_office):
    return Cast(office, other_office, make_user("admin-qc", Role.OFFICE_ADMIN, office))


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(writes=st.lists(WRITES, min_size=1, max_size=6))
def test_any_sequence_of_writes_leaves_the_stored_counts_equal_to_a_full_count(cast, writes):
    with transaction.atomic():
        for write in writes:
            _apply(cast, write)
            assert_counts_match(cast)
        cast.today = DAY
        transaction.set_rollback(True)  # the next example starts from the same cast


def test_one_edit_recounts_only_its_schools(cast):
    other = School.objects.filter(pk=cast.schools[1].pk)
    before = _report(cast.office, DAY, counted=False, schools=other)
    # A change behind the actions' back shows which schools a write recounts.
    Person.objects.filter(school=cast.schools[1]).update(phone="")
    person = Person.objects.get(pk=cast.people[0].pk)
    person.phone = ""
    actions.save_person(acting_user=cast.admin, person=person)
    assert _report(cast.office, DAY, counted=False, schools=other) == before
    stored = QualityCount.objects.get(office=cast.office, school=cast.schools[0].pk)
    assert quality.counts_by_rule(stored.counts)["phone"][1] == 1


def test_an_office_not_built_or_of_another_day_is_counted_and_built(cast):
    QualityCountsBuilt.objects.filter(office=cast.office).delete()
    Person.objects.filter(pk=cast.people[0].pk).update(phone="")  # not kept: not built
    assert _report(cast.office, DAY, counted=False) == _report(cast.office, DAY, counted=True)
    assert QualityCountsBuilt.objects.get(office=cast.office).as_of == DAY
    later = DAY + dt.timedelta(days=400)
    assert _report(cast.office, later, counted=False) == _report(cast.office, later, counted=True)
    assert QualityCountsBuilt.objects.get(office=cast.office).as_of == later


def _people_counts(queries) -> int:
    """Queries counting rules over people (the grouped aggregate)."""
    return sum(1 for q in queries if "n_people" in q["sql"])


def test_the_quality_page_reads_the_stored_counts_in_queries_not_growing_with_people(cast, client):
    client.force_login(cast.admin)
    client.get(reverse("registry:quality"))  # whatever is built once per process
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("registry:quality")).status_code == 200
    for school in cast.schools:
        for _ in range(15):
            actions.save_person(acting_user=cast.admin,
                                person=make_person(cast.office, school, phone=""))  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("registry:quality")).status_code == 200
    assert len(many) == len(few)
    assert _people_counts(many) == 0  # read from the stored rows, not recounted


def test_the_command_names_what_differed_and_corrects_it(cast, capsys):
    Person.objects.filter(pk=cast.people[1].pk).update(phone="")  # not kept
    with pytest.raises(CommandError):  # manage.py exits with status 1
        call_command("rebuild_quality_counts", "--verify", "--office", cast.office.code)
    err = capsys.readouterr().err
    assert cast.office.name in err and cast.schools[1].obec_code in err
    assert "ไม่ได้กรอกเบอร์โทรศัพท์" in err and "phone" in err
    call_command("rebuild_quality_counts", "--verify")  # corrected: nothing differs
    assert quality_counts.stored_equals_counted(cast.office) is None


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writes_to_the_same_school_lose_no_change(office, other_office):
    """Edits of different people of one school committed at once: each recounts the school
    under its lock after the previous one committed, so the last stored rows see them all."""
    import threading

    from django.db import close_old_connections

    cast = Cast(office, other_office, make_user("admin-qc", Role.OFFICE_ADMIN, office))
    school = cast.schools[0]
    people = [make_person(office, school) for _ in range(6)]
    quality_counts.rebuild(office, today=DAY)
    barrier = threading.Barrier(len(people) + 1)
    errors = []

    def edit(pk):
        try:
            barrier.wait()
            person = Person.objects.get(pk=pk)
            person.phone = ""
            actions.save_person(acting_user=cast.admin, person=person)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()

    def move():
        try:
            barrier.wait()
            person = Person.objects.get(pk=cast.people[1].pk)
            person.school = school
            actions.save_person(acting_user=cast.admin, person=person)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=edit, args=(p.pk,)) for p in people]
    threads.append(threading.Thread(target=move))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert quality_counts.stored_equals_counted(office) is None
    stored = QualityCount.objects.get(office=office, school=school.pk)
    checked, failed = quality.counts_by_rule(stored.counts)["phone"]
    assert failed == 6 and checked == 8


def test_an_import_recounts_the_schools_its_people_left_and_joined(cast):
    moved = Person.objects.get(pk=cast.people[0].pk)  # in school 0
    _import(cast, [(0, 1, 1, "ปฏิบัติงาน"), (100, 2, 2, "ปฏิบัติงาน")])
    assert Person.objects.get(pk=moved.pk).school_id == cast.schools[1].pk
    assert Person.objects.filter(school=cast.schools[2]).count() == 2
    assert quality_counts.stored_equals_counted(cast.office) is None
    stored = QualityCount.objects.filter(office=cast.office).values_list("school", "counts")
    assert {school: quality.counts_by_rule(counts)["phone"][1] for school, counts in stored} == {
        cast.schools[1].pk: 1,
        cast.schools[2].pk: 0,
        quality_counts.STAFF: 0,
    }
