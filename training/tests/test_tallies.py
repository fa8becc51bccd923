"""The stored enrolment counts per (course, session) equal a recount of the enrolments after
any sequence of writes, whichever way they are written (instance saves, queryset updates,
bulk creates, deletions and their cascades), on SQLite and PostgreSQL."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krupd.testing import make_person
from registry.models import Person
from training import tallies
from training.models import (
    Course,
    Enrolment,
    EnrolmentStatus,
    EnrolmentTally,
    ResultStatus,
    Session,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)
COURSE, SESSION, ENROLMENT = st.integers(0, 2), st.integers(0, 1), st.integers(0, 30)
# Mostly counted enrolments, so that sequences change counts more often than not.
STATUS = st.one_of(st.just(EnrolmentStatus.ENROLLED.value), st.sampled_from(EnrolmentStatus.values))
RESULT = st.sampled_from(ResultStatus.values)
# A change of any one counted column alone (the result without the pass, say) must reach the
# counts: saves and updates draw each column on its own.
PASSED = st.booleans()
WRITES = st.lists(
    st.one_of(
        st.tuples(st.just("create"), COURSE, SESSION, STATUS, RESULT),
        st.tuples(
            st.just("bulk create"), st.lists(st.tuples(COURSE, SESSION, STATUS, RESULT), max_size=4)
        ),  # fmt: skip
        st.tuples(st.just("save"), ENROLMENT, SESSION, STATUS, RESULT, PASSED),
        st.tuples(st.just("save scores only"), ENROLMENT),
        st.tuples(st.just("update course"), COURSE, STATUS, RESULT, PASSED),
        st.tuples(st.just("delete"), ENROLMENT),
        st.tuples(st.just("delete person"), ENROLMENT),
        st.tuples(st.just("delete session"), COURSE, SESSION),
        st.tuples(st.just("delete course"), COURSE),
    ),
    max_size=12,
)


class Cast:
    """Two offices' courses with two sessions each, and the enrolments written so far."""

    def __init__(self, office, other_office, school):
        self.office, self.school = office, school
        self.courses = [
            Course.objects.create(office=owner, title=f"หลักสูตร {i}", mode="onsite", hours=6,
                                  fiscal_year=2569)
            for i, owner in enumerate((office, office, other_office))
        ]  # fmt: skip
        self.sessions = [
            [Session.objects.create(course=c, name=f"รุ่นที่ {n + 1}", start_date=DAY,
                                    end_date=DAY, capacity=50) for n in range(2)]
            for c in self.courses
        ]  # fmt: skip
        self.enrolments: list[int] = []

    def new(self, c, s, status, result) -> Enrolment | None:
        """An enrolment not saved yet; None when its session was deleted (the database checks
        the reference only at commit, and this test rolls back)."""
        if not Session.objects.filter(pk=self.sessions[c][s].pk).exists():
            return None
        person = make_person(self.office, self.school, first_name=f"ครู{len(self.enrolments)}")
        return Enrolment(
            course=self.courses[c], session=self.sessions[c][s], person=person, status=status,
            result=result, passed=result == ResultStatus.PASSED,
        )  # fmt: skip

    def enrolment(self, n: int) -> Enrolment | None:
        if not self.enrolments:
            return None
        return Enrolment.objects.filter(pk=self.enrolments[n % len(self.enrolments)]).first()


def _write(cast: Cast, write) -> None:
    kind, *args = write
    if kind == "create" and (e := cast.new(*args)):
        e.save()
        cast.enrolments.append(e.pk)
    elif kind == "bulk create":
        made = Enrolment.objects.bulk_create([e for a in args[0] if (e := cast.new(*a))])
        cast.enrolments += [e.pk for e in made]
    elif kind == "save" and (e := cast.enrolment(args[0])):
        s, status, result, passed = args[1:]
        session = Session.objects.filter(course_id=e.course_id).order_by("pk")[s : s + 1].first()
        e.session = session or e.session
        e.status, e.result, e.passed = status, result, passed
        e.save()
    elif kind == "save scores only" and (e := cast.enrolment(args[0])):
        e.post_score_pct = 90
        e.save(update_fields=["post_score_pct"])
    elif kind == "update course":
        c, status, result, passed = args
        Enrolment.objects.filter(course=cast.courses[c]).update(
            status=status, result=result, passed=passed
        )
    elif kind == "delete" and (e := cast.enrolment(args[0])):
        e.delete()
    elif kind == "delete person" and (e := cast.enrolment(args[0])):
        Person.objects.filter(pk=e.person_id).delete()
    elif kind == "delete session":
        c, s = args
        Session.objects.filter(pk=cast.sessions[c][s].pk).delete()
    elif kind == "delete course":
        Course.objects.filter(pk=cast.courses[args[0]].pk).delete()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(start=st.lists(st.tuples(COURSE, SESSION, STATUS, RESULT), min_size=1, max_size=8),
       writes=WRITES)  # fmt: skip
def test_any_sequence_of_writes_leaves_the_stored_counts_equal_to_a_recount(
    office, other_office, school, start, writes
):
    with transaction.atomic():
        cast = Cast(office, other_office, school)
        for write in [("bulk create", start), *writes]:
            _write(cast, write)
            for owner in (office, other_office):
                assert tallies.stored(owner.pk) == tallies.counted(owner.pk), write
        transaction.set_rollback(True)


def test_the_counts_are_those_of_the_enrolled_by_session(office, other_office, school):
    cast = Cast(office, other_office, school)
    for status, result in [("enrolled", "passed"), ("enrolled", "pending"), ("enrolled", "failed"),
                           ("cancelled", "passed"), ("waitlisted", "pending")]:  # fmt: skip
        cast.new(0, 0, status, result).save()
    (row,) = EnrolmentTally.objects.filter(course=cast.courses[0]).exclude(enrolled=0)
    assert (row.session_id, row.enrolled, row.passed, row.pending) == (
        cast.sessions[0][0].pk, 3, 1, 1)  # fmt: skip


@pytest.mark.parametrize(
    "change",
    [{"status": "cancelled"}, {"result": "failed"}, {"passed": False}, {"session": 1}],
    ids=["status", "result", "passed", "session"],
)
@pytest.mark.parametrize("how", ["save", "update"])
def test_changing_any_one_counted_column_alone_moves_the_counts(
    office, other_office, school, change, how
):
    cast = Cast(office, other_office, school)
    e = cast.new(0, 0, "enrolled", "pending")
    e.passed = True
    e.save()
    values = {k: cast.sessions[0][v] if k == "session" else v for k, v in change.items()}
    if how == "save":
        for field, value in values.items():
            setattr(e, field, value)
        e.save()
    else:
        Enrolment.objects.filter(pk=e.pk).update(**values)
    assert tallies.stored(office.pk) == tallies.counted(office.pk)


def test_the_command_names_what_differed_and_corrects_it(office, other_office, school, capsys):
    cast = Cast(office, other_office, school)
    cast.new(1, 0, "enrolled", "passed").save()
    # A bulk load with the triggers off leaves the counts behind until a rebuild.
    tallies.drop_triggers()
    try:
        cast.new(0, 1, "enrolled", "pending").save()
    finally:
        tallies.create_triggers()
    with pytest.raises(CommandError):
        call_command("rebuild_enrolment_tallies", "--verify", "--office", office.code)
    err = capsys.readouterr().err
    assert f"หลักสูตรรหัส {cast.courses[0].pk}" in err and str(cast.courses[1].pk) not in err
    call_command("rebuild_enrolment_tallies", "--verify")  # corrected: no difference left
    assert tallies.stored(office.pk) == tallies.counted(office.pk)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_enrolments_in_one_session_lose_no_count(office, other_office, school):
    """Enrolments written at once into one new session: the first creates its row, the others
    add to it (INSERT … ON CONFLICT DO UPDATE waits for the row and adds), none is lost."""
    import threading

    from django.db import connection

    cast = Cast(office, other_office, school)
    pending = [cast.new(0, 0, "enrolled", r) for r in ("passed", "pending") * 4]
    barrier = threading.Barrier(len(pending))
    errors = []

    def run(enrolment):
        try:
            barrier.wait()
            with transaction.atomic():
                enrolment.save()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()  # each thread's own connection, before the test ends

    threads = [threading.Thread(target=run, args=(e,)) for e in pending]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert (
        tallies.stored(office.pk)
        == tallies.counted(office.pk)
        == {(cast.courses[0].pk, cast.sessions[0][0].pk): (8, 4, 4)}
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(start=st.lists(st.tuples(COURSE, SESSION, STATUS, RESULT), min_size=1, max_size=8),
       writes=WRITES, capacity=st.integers(1, 6))  # fmt: skip
def test_the_home_pages_sessions_filling_up_are_those_whose_seats_are_80_percent_taken(
    office, other_office, school, start, writes, capacity
):
    """The home page's "courses filling up" reads the enrolled from the stored counts and
    counts those awaiting approval: the same sessions as counting every seat taken."""
    from accounts.roles import Role
    from krupd.testing import make_user
    from reporting.queries import _courses_filling
    from training.models import SEAT_STATUSES, CourseStatus

    with transaction.atomic():
        cast = Cast(office, other_office, school)
        Course.objects.update(status=CourseStatus.OPEN)
        Session.objects.update(capacity=capacity)  # small rooms, so that some fill up
        for write in [("bulk create", start), *writes]:
            _write(cast, write)
        filling = [
            s
            for s in Session.objects.filter(
                course__office=office, course__status=CourseStatus.OPEN, start_date__gte=DAY
            )
            if Enrolment.objects.filter(session=s, status__in=SEAT_STATUSES).count()
            >= s.capacity * 0.8
        ]
        officer = make_user("filling-officer", Role.DEVELOPMENT_OFFICER, office)
        assert _courses_filling(officer, DAY)[0].count == len(filling)
        transaction.set_rollback(True)
