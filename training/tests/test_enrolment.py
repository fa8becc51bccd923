"""Seats: self-enrolment, nominations, approval, waiting list, cancellation, and capacity
under concurrent enrolment."""

import datetime as dt
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone

from accounts.roles import Role
from krupd.testing import make_person, make_user
from registry.models import AuditAction, Person
from training import actions
from training.actions import TrainingError
from training.models import Enrolment, Session

pytestmark = pytest.mark.django_db


def people(office, school, n, prefix="ครู"):
    return [make_person(office, school, first_name=f"{prefix}{i:03d}") for i in range(n)]


def enrol_all(officer, session, persons):
    return [actions.enrol(acting_user=officer, session=session, person=p) for p in persons]


def test_it_lets_a_teacher_enrol_themself(users, session, teacher_person):
    e = actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)
    assert e.status == "enrolled" and e.source == "self"
    again = actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)
    assert again.pk == e.pk


def test_a_second_click_writes_nothing(users, session, teacher_person):
    from django.test.utils import CaptureQueriesContext

    from registry.models import AuditEntry

    first = actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)
    entries = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as captured:
        again = actions.enrol(
            acting_user=users[Role.TEACHER], session=session, person=teacher_person
        )
    writes = [q["sql"] for q in captured if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == [] and AuditEntry.objects.count() == entries
    assert (again.pk, again.status, again.result) == (first.pk, first.status, first.result)


def test_it_refuses_people_outside_the_target_group(users, session, course, teacher_person):
    course.target_types = ["director"]
    course.save()
    with pytest.raises(TrainingError):
        actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)


def test_it_refuses_self_enrolment_when_the_course_is_closed(
    users, session, course, teacher_person
):
    course.self_enrol = False
    course.save()
    with pytest.raises(TrainingError):
        actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)


def test_it_lets_a_director_nominate_only_their_own_school(
    users, session, teacher_person, other_teacher
):
    director = users[Role.SCHOOL_DIRECTOR]
    e = actions.enrol(acting_user=director, session=session, person=teacher_person)
    assert e.source == "director"
    with pytest.raises(PermissionDenied):
        actions.enrol(acting_user=director, session=session, person=other_teacher)


def test_it_refuses_nominations_from_roles_that_may_not(
    users, session, teacher_person, other_teacher
):
    for role in (Role.SUPERVISOR, Role.INSPECTOR):
        with pytest.raises(PermissionDenied):
            actions.enrol(acting_user=users[role], session=session, person=other_teacher)
    with pytest.raises(PermissionDenied):
        actions.enrol(acting_user=users[Role.TEACHER], session=session, person=other_teacher)


def test_it_never_lets_the_office_enrol_another_offices_person(users, session, foreign_person):
    with pytest.raises(PermissionDenied):
        actions.enrol(
            acting_user=users[Role.DEVELOPMENT_OFFICER], session=session, person=foreign_person
        )


@pytest.fixture
def upcoming(session):
    """The shared session moved to next month: seats freed before it starts go to the
    waiting list (after it has ended they do not; see the test below)."""
    today = timezone.localdate()
    session.start_date, session.end_date = today + dt.timedelta(30), today + dt.timedelta(31)
    session.save(update_fields=["start_date", "end_date"])
    return session


def test_it_wait_lists_past_capacity_and_promotes_in_order(office, school, users, upcoming):
    session = upcoming
    officer = users[Role.DEVELOPMENT_OFFICER]
    rows = enrol_all(officer, session, people(office, school, 5))
    assert [e.status for e in rows] == ["enrolled"] * 3 + ["waitlisted"] * 2
    actions.cancel_enrolment(acting_user=officer, enrolment=rows[1])
    statuses = {e.pk: e.status for e in Enrolment.objects.all()}
    assert statuses[rows[1].pk] == "cancelled"
    assert statuses[rows[3].pk] == "enrolled"  # first in line moves up
    assert statuses[rows[4].pk] == "waitlisted"
    assert session.enrolments.filter(status="enrolled").count() == 3


def test_it_promotes_when_capacity_grows(office, school, users, upcoming):
    session = upcoming
    officer = users[Role.DEVELOPMENT_OFFICER]
    rows = enrol_all(officer, session, people(office, school, 5))
    session.capacity = 4
    actions.save_session(acting_user=officer, session=session)
    assert Enrolment.objects.get(pk=rows[3].pk).status == "enrolled"
    assert Enrolment.objects.get(pk=rows[4].pk).status == "waitlisted"


def test_seats_never_shrink_below_the_people_holding_one(office, school, users, upcoming):
    """Five seated, the seats cut to three: saved silently, five people sat in three seats
    and nobody was told whose seat was gone. Refused naming how many hold one; nothing of
    the edit is written."""
    session = upcoming
    officer = users[Role.DEVELOPMENT_OFFICER]
    session.capacity = 5
    session.save(update_fields=["capacity"])
    rows = enrol_all(officer, session, people(office, school, 6))
    assert [e.status for e in rows] == ["enrolled"] * 5 + ["waitlisted"]
    edited = Session.objects.get(pk=session.pk)
    edited.capacity, edited.place = 3, "ห้องใหม่"
    with pytest.raises(TrainingError) as refused:
        actions.save_session(acting_user=officer, session=edited)
    assert "มีผู้ได้ที่นั่งแล้ว 5 คน" in " ".join(refused.value.messages)
    assert Session.objects.get(pk=session.pk).capacity == 5
    assert Session.objects.get(pk=session.pk).place != "ห้องใหม่"
    # Down to exactly the seated people is fine, and so is after a cancellation.
    actions.cancel_enrolment(acting_user=officer, enrolment=rows[0])  # the waiting one moves up
    actions.cancel_enrolment(acting_user=officer, enrolment=Enrolment.objects.get(pk=rows[5].pk))
    edited.capacity = 4
    actions.save_session(acting_user=officer, session=edited)
    assert Session.objects.get(pk=session.pk).capacity == 4


def test_it_holds_seats_for_requests_awaiting_approval(
    office, school, users, session, course, teacher_person
):
    course.requires_approval = True
    course.save()
    teacher = users[Role.TEACHER]
    e = actions.enrol(acting_user=teacher, session=session, person=teacher_person)
    assert e.status == "pending"
    officer = users[Role.DEVELOPMENT_OFFICER]
    office_nominee = actions.enrol(
        acting_user=officer, session=session, person=people(office, school, 1)[0]
    )
    assert office_nominee.status == "enrolled"  # the office's own nomination is approved
    actions.decide_enrolment(acting_user=officer, enrolment=e, approve=True)
    assert Enrolment.objects.get(pk=e.pk).status == "enrolled"


def test_it_frees_the_seat_of_a_rejected_request(office, school, users, upcoming, course):
    session = upcoming
    course.requires_approval = True
    course.save()
    director = users[Role.SCHOOL_DIRECTOR]
    rows = enrol_all(director, session, people(office, school, 4))
    assert [e.status for e in rows] == ["pending"] * 3 + ["waitlisted"]
    actions.decide_enrolment(
        acting_user=users[Role.DEVELOPMENT_OFFICER], enrolment=rows[0], approve=False
    )
    assert (
        Enrolment.objects.get(pk=rows[3].pk).status == "pending"
    )  # promoted, still needs approval


def test_a_seat_freed_after_the_session_ended_moves_nobody_into_it(office, school, users, session):
    # The session ended in January: cancelling a no-show, raising the capacity or refusing a
    # late request must not put the next in line into days already past (they would fail
    # the attendance rule and be told of a seat they cannot use).
    officer = users[Role.DEVELOPMENT_OFFICER]
    assert session.end_date < timezone.localdate()
    rows = enrol_all(officer, session, people(office, school, 5))
    actions.cancel_enrolment(acting_user=officer, enrolment=rows[0])
    session.capacity = 5
    actions.save_session(acting_user=officer, session=session)
    statuses = {e.pk: e.status for e in Enrolment.objects.all()}
    assert statuses[rows[3].pk] == statuses[rows[4].pk] == "waitlisted"


def test_it_audits_enrolment_changes(users, session, teacher_person):
    from registry.models import AuditEntry

    e = actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)
    actions.cancel_enrolment(acting_user=users[Role.TEACHER], enrolment=e)
    entries = AuditEntry.objects.filter(object_type="enrolment", object_id=str(e.pk))
    assert {x.action for x in entries} == {AuditAction.CREATE, AuditAction.UPDATE}


def test_it_allows_one_live_enrolment_per_course(
    office, school, users, session, course, teacher_person
):
    second = actions.save_session(
        acting_user=users[Role.DEVELOPMENT_OFFICER],
        session=Session(course=course, name="รุ่นที่ 2", start_date=session.start_date,
                        end_date=session.end_date, capacity=5),
    )  # fmt: skip
    first = actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)
    other = actions.enrol(acting_user=users[Role.TEACHER], session=second, person=teacher_person)
    assert other.pk == first.pk


def _concurrent_enrolments(session, person_ids, workers):
    """Each thread is one teacher clicking "enrol" with its own database connection."""
    users = {
        pk: make_user(f"t{pk}", Role.TEACHER, session.course.office, person_id=pk)
        for pk in person_ids
    }
    barrier = threading.Barrier(workers)

    def click(person_id):
        close_old_connections()
        user, person = users[person_id], Person.objects.get(pk=person_id)
        barrier.wait(timeout=30)
        try:
            for _ in range(500):  # a refused click is clicked again, as a person would
                try:
                    return actions.enrol(acting_user=user, session=session, person=person).status
                except OperationalError:  # SQLite's shared-cache test database: "table is locked"
                    time.sleep(random.uniform(0.002, 0.02))
            return "gave up"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(click, person_ids))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_never_overbooks_under_concurrent_enrolment(office, school, users, session):
    session.capacity = 4
    session.save()
    ids = [p.pk for p in people(office, school, 12)]
    statuses = _concurrent_enrolments(session, ids, workers=12)
    assert statuses.count("enrolled") == 4
    assert statuses.count("waitlisted") == 8
    assert session.enrolments.filter(status="enrolled").count() == 4


@pytest.mark.postgres_only
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_seats_exactly_ten_of_fifty_concurrent_teachers_on_postgresql(
    office, school, users, session
):
    session.capacity = 10
    session.save()
    ids = [p.pk for p in people(office, school, 50)]
    statuses = _concurrent_enrolments(session, ids, workers=50)
    assert statuses.count("enrolled") == 10
    assert statuses.count("waitlisted") == 40
    assert session.enrolments.filter(status="enrolled").count() == 10
    assert session.enrolments.filter(status="waitlisted").count() == 40


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_locked_session_does_not_hold_up_enrolment_in_another(
    office, school, users, course, session
):
    """While one request holds a session (deciding its seats), a teacher enrols in another
    session of the same course and office without waiting: the lock covers the session's
    row, not the course or office every enrolment and audit entry refers to."""
    from django.db import transaction

    other = actions.save_session(
        acting_user=users[Role.DEVELOPMENT_OFFICER],
        session=Session(course=course, name="รุ่นที่ 2", start_date=session.start_date,
                        end_date=session.end_date, capacity=5),
    )  # fmt: skip
    teacher = people(office, school, 1)[0]
    user = make_user("t-other", Role.TEACHER, office, person_id=teacher.pk)
    held, release = threading.Event(), threading.Event()

    def hold():
        close_old_connections()
        try:
            with transaction.atomic():
                actions.locked_session(session.pk)
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        holder = pool.submit(hold)
        assert held.wait(timeout=30)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '3s'")  # waiting would fail, not hang
            enrolment = actions.enrol(acting_user=user, session=other, person=teacher)
        finally:
            release.set()
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")
        holder.result(timeout=30)
    assert enrolment.status == "enrolled" and enrolment.session_id == other.pk


@pytest.mark.parametrize("test_window_days", [3650, 0])
def test_a_new_enrolment_is_judged_as_a_full_recompute_judges_it(
    users, session, course, teacher_person, test_window_days
):
    """A new enrolment is judged without reading its own evidence (it can have none yet);
    recomputing it from everything stored changes nothing, whether its session's test window
    is still open (in progress) or long closed (not passed)."""
    from registry.models import AuditEntry

    course.test_days_after_end = test_window_days
    course.save()
    new = actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)
    judged = [getattr(new, name) for name in actions.RESULT_FIELDS]
    entries = AuditEntry.objects.count()
    again = actions.refresh_result(new)
    assert [getattr(again, name) for name in actions.RESULT_FIELDS] == judged
    new.refresh_from_db()
    assert [getattr(new, name) for name in actions.RESULT_FIELDS] == judged
    assert AuditEntry.objects.count() == entries  # nothing changed, nothing audited
