"""Judging many participants at once (refresh_results, gather_many, enrol_many) gives exactly
what judging them one by one gives: the demo office is built in bulk, then every result is
judged again alone and compared, field by field."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.roles import Role
from krupd.testing import refresh_planner_statistics
from registry import demo
from registry.models import Office, Person
from training import actions, results
from training.demo import build_training_demo
from training.models import Certificate, Enrolment, EnrolmentStatus, Session

pytestmark = pytest.mark.django_db

STORED = [*actions.RESULT_FIELDS, "status"]


@pytest.fixture(scope="module")
def demo_office(django_db_setup, django_db_blocker) -> Office:
    """One small demo office for the module, built in bulk; each test's changes roll back."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = demo.build_demo(schools=4, people=60)
        office = Office.objects.get(code=summary.demo_office_code)
        demo.create_demo_users(office=office)
        build_training_demo(office=office)
        refresh_planner_statistics()
        yield office
        transaction.set_rollback(True)


def _stored(office) -> dict:
    return {
        e.pk: [getattr(e, name) for name in STORED]
        for e in Enrolment.objects.filter(course__office=office)
    }


def test_bulk_demo_results_equal_judging_each_alone(demo_office):
    bulk = _stored(demo_office)
    assert {row[STORED.index("result")] for row in bulk.values()} >= {"passed", "failed"}
    for pk in bulk:
        actions.refresh_result(Enrolment(pk=pk))
    assert _stored(demo_office) == bulk
    assert not Certificate.objects.filter(
        enrolment__course__office=demo_office, needs_review=True
    ).exists()


def test_evidence_read_together_equals_evidence_read_alone(demo_office):
    enrolments = list(
        Enrolment.objects.filter(course__office=demo_office).select_related("course", "session")
    )
    together = results.gather_many(enrolments)
    assert together == {e.pk: results.gather(e) for e in enrolments}


def test_recompute_course_query_count_does_not_grow_with_participants(demo_office):
    courses = sorted(
        (c for c in {e.course for e in Enrolment.objects.filter(course__office=demo_office)}),
        key=lambda c: c.enrolments.count(),
    )
    officer = User.objects.get(office=demo_office, role=Role.DEVELOPMENT_OFFICER)
    counts = []
    for course in (courses[0], courses[-1]):
        course.min_attendance_pct = 100
        course.save()
        with CaptureQueriesContext(connection) as ctx:
            actions.recompute_course(course, acting_user=officer)
        counts.append((course.enrolments.count(), len(ctx.captured_queries)))
    (few, q_few), (many, q_many) = counts
    assert many > few
    # Audit entries for flipped results are one insert; only certificate flags add rows.
    assert q_many <= q_few + 2 * Certificate.objects.filter(enrolment__course=courses[-1]).count()


def test_enrol_many_fills_seats_then_waiting_list_and_names_who_is_refused(demo_office):
    officer = User.objects.get(office=demo_office, role=Role.DEVELOPMENT_OFFICER)
    session = Session.objects.filter(course__office=demo_office, course__status="open").first()
    session.capacity = session.enrolments.filter(status="enrolled").count() + 2
    session.save()
    taken = set(session.enrolments.values_list("person_id", flat=True))
    newcomers = list(
        Person.objects.filter(office=demo_office, status="active").exclude(pk__in=taken)[:3]
    )
    retired = Person.objects.filter(office=demo_office).exclude(pk__in=taken).last()
    retired.status = "retired"
    retired.save()
    enrolled, refused = actions.enrol_many(
        acting_user=officer, session=session, people=[*newcomers, retired]
    )
    assert [e.status for e in enrolled] == [
        EnrolmentStatus.ENROLLED,
        EnrolmentStatus.ENROLLED,
        EnrolmentStatus.WAITLISTED,
    ]
    assert refused == [(retired, "ไม่อยู่ในกลุ่มเป้าหมายของหลักสูตรนี้")]
    again, _ = actions.enrol_many(acting_user=officer, session=session, people=newcomers)
    assert [e.pk for e in again] == [e.pk for e in enrolled]  # a second click changes nothing


def test_enrol_many_refuses_a_list_with_someone_outside_the_directors_school(demo_office):
    director = User.objects.get(office=demo_office, role=Role.SCHOOL_DIRECTOR)
    session = Session.objects.filter(course__office=demo_office, course__status="open").first()
    outsider = Person.objects.filter(office=demo_office).exclude(school=director.school).first()
    with pytest.raises(PermissionDenied):
        actions.enrol_many(acting_user=director, session=session, people=[outsider])
    assert not Enrolment.objects.filter(session=session, person=outsider).exists()
