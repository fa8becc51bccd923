"""The stored "developed" counts and people's hours (reporting.developed) stay equal to a full
count from the records after any sequence of the writes that change them (personnel imports
included), and the KPI pages and the "% developed" report read them with the same figures."""

import datetime as dt
from decimal import Decimal as D
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from community import actions as community_actions
from community.models import PLCGroup, PLCLevel, PLCMeeting
from krupd.testing import make_person, make_school
from registry import actions as registry_actions
from registry import merge
from registry.models import AcademicStanding, Person, PersonnelType, PersonStatus
from reporting import developed
from reporting.kpis import KpiData
from reporting.models import DevelopedHours
from training import actions as training_actions
from training import queries as training_queries
from training.actions import TrainingError
from training.models import ACTIVE_STATUSES, Course, Enrolment, Session

pytestmark = pytest.mark.django_db


class Cast:
    """Two offices, three schools, five people enrolled in three courses (two of the office,
    one of the other office), and a PLC group of the office's people."""

    def __init__(self, office, other_office, school, other_school, users):
        admin = users[Role.OFFICE_ADMIN]
        self.office, self.other_office, self.admin = office, other_office, admin
        # Who reads the "% developed" report: the office, a director of `school`, an inspector.
        self.readers = [users[r] for r in (Role.OFFICE_ADMIN, Role.SCHOOL_DIRECTOR, Role.INSPECTOR)]
        far = make_school(other_office, code="1076020009", name="โรงเรียนเขตสอง")
        self.schools = [school, other_school, far, None]
        self.people = [
            make_person(office, school),
            make_person(office, school, personnel_type=PersonnelType.DIRECTOR),
            make_person(office, other_school),
            make_person(office, None, personnel_type=PersonnelType.SUPERVISOR),
            make_person(other_office, far),
        ]
        self.courses = [
            self._course(office, 2569, dt.date(2026, 1, 12)),
            self._course(office, 2568, dt.date(2025, 9, 20)),
            self._course(other_office, 2569, dt.date(2026, 5, 2)),
        ]
        self.enrolments = {
            (p.pk, c.pk): Enrolment.objects.create(
                course=c, session=c.sessions.get(), person=p, status="enrolled", source="office"
            )
            for p in self.people
            for c in self.courses
        }
        members = self.people[:4]
        facilitator = make_person(office, school, first_name="วิไล")  # never deleted (protected)
        self.group = community_actions.save_plc_group(
            acting_user=admin,
            group=PLCGroup(office=office, level=PLCLevel.SCHOOL, school=school, name="PLC",
                           topic="อ่าน", facilitator=facilitator, academic_year=2568),
            members=members,
        )  # fmt: skip
        for o in (office, other_office):
            developed.rebuild(o)

    @staticmethod
    def _course(office, fy, day):
        course = Course.objects.create(
            office=office, title=f"หลักสูตร {fy}", mode="workshop", hours=D("6"), fiscal_year=fy
        )
        Session.objects.create(course=course, start_date=day, end_date=day, capacity=10)
        return course


@pytest.fixture
def cast(office, other_office, school, other_school, users):
    return Cast(office, other_office, school, other_school, users)


DAYS = [None, dt.date(2025, 9, 30), dt.date(2026, 3, 31), dt.date(2026, 4, 1),
        dt.date(2026, 9, 30), dt.date(2026, 10, 3)]  # fmt: skip
HOURS = [D("0"), D("2.5"), D("6"), D("7.5")]

result = st.tuples(
    st.just("result"), st.integers(0, 4), st.integers(0, 2), st.booleans(),
    st.sampled_from(HOURS), st.sampled_from(DAYS), st.sampled_from([None, 2568, 2569]),
    # hours of days before 1 October of a session across it (counted in the year before)
    st.sampled_from([D("0"), D("0"), D("2.5"), D("6")]),
)  # fmt: skip
plc = st.tuples(
    st.just("plc"), st.sets(st.integers(0, 3), min_size=1), st.sampled_from(DAYS[1:]),
    st.sampled_from([D("1"), D("3"), D("6")]),
)  # fmt: skip
move = st.tuples(
    st.just("move"), st.integers(0, 4), st.integers(0, 3),
    st.sampled_from([PersonnelType.TEACHER, PersonnelType.DIRECTOR]),
    st.sampled_from([PersonStatus.ACTIVE, PersonStatus.ACTIVE, PersonStatus.RETIRED]),
)  # fmt: skip
delete = st.tuples(st.just("delete"), st.integers(0, 4))
# A duplicate record merged into another (registry.merge): its hours and PLC meetings are
# the kept record's from then on.
merge_write = st.tuples(st.just("merge"), st.integers(0, 4), st.integers(0, 4))
session = st.tuples(st.just("session"), st.integers(0, 2), st.sampled_from(DAYS[1:]))
course_year = st.tuples(st.just("course"), st.integers(0, 2), st.sampled_from([2568, 2569]))
edit_meeting = st.tuples(st.just("edit_meeting"), st.sets(st.integers(0, 3), min_size=1))
STANDINGS = [None, "k1", "k2", "k3"]
standing = st.tuples(st.just("standing"), st.integers(0, 4), st.sampled_from(STANDINGS))
# A personnel import that moves one of the office's people to another of its schools and
# changes their standing (a promotion), applied as the office applies it.
personnel_import = st.tuples(
    st.just("import"), st.integers(0, 3), st.integers(0, 1), st.sampled_from(STANDINGS[1:])
)
WRITES = st.one_of(
    result,
    plc,
    move,
    delete,
    session,
    course_year,
    edit_meeting,
    standing,
    personnel_import,
    merge_write,
)


def _apply(cast: Cast, write: tuple) -> None:
    kind, *args = write
    if kind == "result":
        who, which, passed, hours, day, credit_year, before = args
        e = cast.enrolments[(cast.people[who].pk, cast.courses[which].pk)]
        if not Enrolment.objects.filter(pk=e.pk).exists():
            return
        e.passed, e.hours_credited, e.completed_on = passed, hours, day
        e.credit_fiscal_year, e.prior_year_hours = credit_year, min(before, hours)
        training_actions.save_results([e])  # where every judged result is stored
    elif kind == "plc":
        who, day, hours = args
        attendees = list(Person.objects.filter(pk__in=[cast.people[i].pk for i in who]))
        # Everyone named may have been deleted by an earlier write: a meeting needs someone.
        if not attendees or any(p.office_id != cast.office.pk for p in attendees):
            return
        community_actions.log_plc_meeting(
            acting_user=cast.admin,
            meeting=PLCMeeting(group=cast.group, date=day, hours=hours),
            attendees=attendees,
        )
    elif kind == "edit_meeting":
        meeting = PLCMeeting.objects.filter(group=cast.group).first()
        attendees = list(Person.objects.filter(pk__in=[cast.people[i].pk for i in args[0]]))
        if meeting is None or not attendees:
            return
        if any(p.office_id != cast.office.pk for p in attendees):
            return
        meeting.hours = D("4")
        community_actions.log_plc_meeting(
            acting_user=cast.admin, meeting=meeting, attendees=attendees
        )
    elif kind in ("move", "delete"):
        person = Person.objects.filter(pk=cast.people[args[0]].pk).first()
        if person is None:
            return
        if kind == "delete":
            registry_actions.delete_person(acting_user=cast.admin, person=person)
            return
        school = cast.schools[args[1]]
        person.school = school
        person.office = school.office if school else person.office
        person.personnel_type, person.status = args[2], args[3]
        registry_actions.save_person(acting_user=cast.admin, person=person)
    elif kind == "merge":
        _merge(cast, *args)
    elif kind == "standing":
        person = Person.objects.filter(pk=cast.people[args[0]].pk).first()
        if person is None:
            return
        person.academic_standing = AcademicStanding.objects.filter(code=args[1]).first()
        registry_actions.save_person(acting_user=cast.admin, person=person)
    elif kind == "import":
        person = Person.objects.filter(pk=cast.people[args[0]].pk, office=cast.office).first()
        if person is not None:
            _import_move(cast, person, cast.schools[args[1]], args[2])
    elif kind == "session":
        s = cast.courses[args[0]].sessions.get()
        s.start_date = s.end_date = args[1]
        training_actions.save_session(acting_user=cast.admin, session=s)
    elif kind == "course":
        course = Course.objects.get(pk=cast.courses[args[0]].pk)
        course.fiscal_year = args[1]
        training_actions.save_course(acting_user=cast.admin, course=course)


def _merge(cast: Cast, duplicate: int, kept: int) -> None:
    """Merge one of the people into another, as the officer does: the duplicate's live
    enrolments in courses the kept record is also enrolled in are cancelled first (the merge
    refuses them otherwise); a passed one cannot be, and the merge is refused."""
    dup = Person.objects.filter(pk=cast.people[duplicate].pk).first()
    keep = Person.objects.filter(pk=cast.people[kept].pk).first()
    if dup is None or keep is None:
        return
    live = Enrolment.objects.filter(status__in=ACTIVE_STATUSES)
    try:
        if dup.pk != keep.pk:
            for e in live.filter(person=dup, course__in=live.filter(person=keep).values("course")):
                training_actions.cancel_enrolment(acting_user=cast.admin, enrolment=e)
        merge.merge_people(acting_user=cast.admin, keep=keep, duplicate=dup,
                           differences_confirmed=True)  # fmt: skip
    except (merge.MergeRefused, TrainingError):
        return  # refused: nothing of the merge written


def _import_move(cast: Cast, person: Person, school, standing_code: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports import actions as import_actions
    from imports.models import BatchStatus
    from imports.tests.conftest import xlsx_bytes
    from imports.tests.test_personnel import HEADER, person_row

    standing = AcademicStanding.objects.get(code=standing_code)
    row = person_row(
        person.pk,
        **{"เลขประจำตัวประชาชน": person.national_id, "รหัสสถานศึกษา": school.obec_code,
           "ชื่อสถานศึกษา": school.name, "วิทยฐานะ": standing.name, "อันดับ": f"คศ.{standing.code[1]}"},
    )  # fmt: skip
    upload = SimpleUploadedFile("hrms.xlsx", xlsx_bytes([HEADER, row]))
    batch = import_actions.start_import(
        acting_user=cast.admin, kind="personnel", uploaded_file=upload
    )
    batch.refresh_from_db()
    errors = list(batch.rows.exclude(errors=[]).values_list("errors", flat=True))
    assert batch.status == BatchStatus.VALIDATED and not batch.count_error, errors
    import_actions.request_apply(acting_user=cast.admin, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED, batch.notice
    person.refresh_from_db()
    assert (person.school, person.academic_standing) == (school, standing)


def assert_reports_match(cast: Cast) -> None:
    """The "% developed" report read from the stored hours equals the count from the records,
    for the office, a director and an inspector."""
    assert developed.people_built(cast.office.pk)
    for user in cast.readers:
        for fy in (2568, 2569):
            for threshold in (D("0"), D("6"), D("9.5")):
                kwargs = {"fiscal_year": fy, "min_hours": threshold}
                stored = training_queries.developed_report(user, **kwargs)
                with mock.patch.object(developed, "people_built", return_value=False):
                    counted = training_queries.developed_report(user, **kwargs)
                assert stored == counted, (user.role, fy, threshold)


def assert_counts_match(cast: Cast) -> None:
    for office in (cast.office, cast.other_office):
        assert developed.stored_counts(office.pk) == developed.counts_of_office(office.pk)
        assert developed.stored_person_hours(office.pk) == developed.person_hours_of_office(
            office.pk
        )
        for years, until in [
            ([2568, 2569], None),
            ([2569], developed.cutoff_date(2569, 6)),
            ([2569], developed.cutoff_date(2569, 12)),
            ([2568], developed.cutoff_date(2568, 12)),
        ]:
            stored, counted = (
                KpiData(office, years, until=until),
                KpiData(office, years, until=until),
            )
            for threshold in (D("0"), D("6"), D("9.5")):
                assert stored.developed_counts(threshold) == counted.counted_developed(threshold)
    assert_reports_match(cast)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(WRITES, max_size=8))
def test_any_sequence_of_writes_leaves_the_stored_counts_equal_to_a_recount(cast, writes):
    with transaction.atomic():
        for write in writes:
            _apply(cast, write)
        assert_counts_match(cast)
        transaction.set_rollback(True)  # the next example starts from the same cast


def test_it_reads_the_stored_rows_once_built(cast, django_assert_max_num_queries):
    e = cast.enrolments[(cast.people[0].pk, cast.courses[0].pk)]
    e.passed, e.hours_credited, e.completed_on = True, D("7.5"), dt.date(2026, 1, 12)
    training_actions.save_results([e])
    assert DevelopedHours.objects.filter(office=cast.office, people=1, hours=D("7.5")).count() == 3
    data = KpiData(cast.office, [2569])
    counts, years = data.developed_counts(D("6"))
    assert counts == {(2569, cast.schools[0].pk, PersonnelType.TEACHER): 1} and years == {2569}
    # A change made behind the actions' back shows that the pages read the stored rows.
    Enrolment.objects.filter(pk=e.pk).update(hours_credited=D("1"))
    assert KpiData(cast.office, [2569]).developed_counts(D("6"))[0] == counts
    assert KpiData(cast.office, [2569]).counted_developed(D("6"))[0] == {}


def test_an_office_not_built_is_counted_from_the_records(cast):
    from reporting.models import DevelopedHoursBuilt

    DevelopedHoursBuilt.objects.filter(office=cast.office).delete()
    e = cast.enrolments[(cast.people[0].pk, cast.courses[0].pk)]
    Enrolment.objects.filter(pk=e.pk).update(passed=True, hours_credited=D("6"))
    counts, _ = KpiData(cast.office, [2569]).developed_counts(D("6"))
    assert sum(counts.values()) == 1


def test_the_command_names_what_differed_and_corrects_it(cast, capsys):
    e = cast.enrolments[(cast.people[2].pk, cast.courses[0].pk)]
    Enrolment.objects.filter(pk=e.pk).update(passed=True, hours_credited=D("6"))  # not kept
    with pytest.raises(CommandError):  # manage.py exits with status 1
        call_command("rebuild_developed_hours", "--verify", "--office", cast.office.code)
    err = capsys.readouterr().err
    assert cast.office.name in err and str(cast.schools[1].pk) in err and "2569" in err
    call_command("rebuild_developed_hours", "--verify")  # corrected: no difference left
    assert developed.stored_counts(cast.office.pk) == developed.counts_of_office(cast.office.pk)


def test_cutoff_days_are_month_ends_of_the_fiscal_year():
    assert developed.cutoff_date(2569, 1) == dt.date(2025, 10, 31)
    assert developed.cutoff_date(2569, 5) == dt.date(2026, 2, 28)
    assert developed.cutoff_date(2569, 6) == dt.date(2026, 3, 31)
    assert developed.cutoff_date(2569, 12) == dt.date(2026, 9, 30)
    assert developed.bucket_for([2569], dt.date(2026, 3, 31)) == 6
    assert developed.bucket_for([2569], dt.date(2026, 3, 30)) is None
    assert developed.bucket_for([2568, 2569], None) == developed.WHOLE_YEAR


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writes_about_the_same_people_lose_no_count(cast):
    """Results of the same people stored at once, with a PLC meeting and a move among them:
    each write reads its people's hours before and after under their lock and adds the
    difference with INSERT … ON CONFLICT, so nothing is counted twice or lost."""
    import threading

    from django.db import close_old_connections

    # (the last: hours of the year before, a session across 1 October; one result has some)
    writes = [("result", who, which, True, D("6"), dt.date(2026, 1, 12), 2569,
               D("2") if (who, which) == (0, 0) else D("0"))
              for who in range(3) for which in range(3)]  # fmt: skip
    writes += [("plc", {0, 1, 2, 3}, dt.date(2026, 2, 2), D("3")), ("move", 1, 1,
               PersonnelType.TEACHER, PersonStatus.ACTIVE)]  # fmt: skip
    barrier = threading.Barrier(len(writes))
    errors = []

    def run(write):
        try:
            barrier.wait()
            _apply(cast, write)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(w,)) for w in writes]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert_counts_match(cast)
    assert sum(developed.stored_counts(cast.office.pk).values()) > 0


def _report_developed(user, fy=2569, min_hours=D("6")) -> int:
    report = training_queries.developed_report(user, fiscal_year=fy, min_hours=min_hours)
    return report["total"][0].developed


def test_the_developed_report_reads_each_persons_stored_hours_once_built(cast):
    admin = cast.readers[0]
    e = cast.enrolments[(cast.people[0].pk, cast.courses[2].pk)]  # the other office's course
    e.passed, e.hours_credited, e.completed_on = True, D("6"), dt.date(2026, 5, 2)
    training_actions.save_results([e])
    assert developed.stored_person_hours(cast.office.pk) == {(cast.people[0].pk, 2569): D("6")}
    assert _report_developed(admin) == 1
    # A change made behind the actions' back shows that the report reads the stored rows.
    Enrolment.objects.filter(pk=e.pk).update(hours_credited=D("1"))
    assert _report_developed(admin) == 1
    developed.rebuild(cast.office)
    assert _report_developed(admin) == 0


def test_an_office_built_before_peoples_hours_were_kept_is_counted_from_the_records(cast):
    from reporting.models import DevelopedHoursBuilt, PersonHours

    DevelopedHoursBuilt.objects.filter(office=cast.office).update(person_hours=False)
    PersonHours.objects.all().delete()  # as the table is on the day it is added
    e = cast.enrolments[(cast.people[0].pk, cast.courses[0].pk)]
    Enrolment.objects.filter(pk=e.pk).update(passed=True, hours_credited=D("6"))
    assert not developed.people_built(cast.office.pk)
    assert _report_developed(cast.readers[0]) == 1
    developed.rebuild(cast.office)
    assert developed.people_built(cast.office.pk) and _report_developed(cast.readers[0]) == 1


def test_the_command_names_a_persons_hours_that_differed(cast, capsys):
    from reporting.models import PersonHours

    person = cast.people[2]  # at other_school
    PersonHours.objects.create(person=person, fiscal_year=2568, hours=D("3"))  # not kept
    with pytest.raises(CommandError):
        call_command("rebuild_developed_hours", "--verify", "--office", cast.office.code)
    err = capsys.readouterr().err
    assert str(cast.schools[1].pk) in err and "2568" in err
    assert not PersonHours.objects.filter(person=person).exists()
    call_command("rebuild_developed_hours", "--verify")
