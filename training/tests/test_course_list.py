"""The course list: the tab counts and the user's own enrolments, in a fixed number of
queries whatever the number of courses."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from training import actions
from training.models import Course, CourseStatus, Session

pytestmark = pytest.mark.django_db


def _courses(office, n: int, *, status=CourseStatus.OPEN, title="หลักสูตรทดสอบ"):
    Course.objects.bulk_create(
        Course(
            office=office,
            title=f"{title} {i}",
            mode="seminar",
            hours=3,
            fiscal_year=2569,
            status=status,
        )  # fmt: skip
        for i in range(n)
    )


def _get(client, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("training:courses"), {"fy": 2569, **params})
    assert response.status_code == 200
    return response, len(captured.captured_queries)


def test_the_tabs_count_current_and_finished_courses_of_the_search(client_for, office):
    _courses(office, 3)
    _courses(office, 2, status=CourseStatus.FINISHED)
    _courses(office, 4, title="อื่น")
    client = client_for(Role.DEVELOPMENT_OFFICER)
    response, _ = _get(client)
    assert response.context["counts"] == {"current": 7, "finished": 2}
    response, _ = _get(client, q="ทดสอบ", show="finished")
    assert response.context["counts"] == {"current": 3, "finished": 2}
    assert response.context["page"].paginator.count == 2
    assert len(response.context["page"]) == 2


def test_a_course_whose_sessions_are_all_over_is_finished(client_for, office, users, course):
    actions.save_session(
        acting_user=users[Role.DEVELOPMENT_OFFICER],
        session=Session(course=course, start_date=dt.date(2020, 1, 1),
                        end_date=dt.date(2020, 1, 2), capacity=10),
    )  # fmt: skip
    response, _ = _get(client_for(Role.DEVELOPMENT_OFFICER))
    assert response.context["counts"] == {"current": 0, "finished": 1}


def test_queries_do_not_grow_with_courses_and_the_learner_sees_their_own(
    client_for, office, users, session, teacher_person
):
    actions.enrol(acting_user=users[Role.TEACHER], session=session, person=teacher_person)
    client = client_for(Role.TEACHER)
    client.get(reverse("training:courses"))  # the session's first read of the user
    response, few = _get(client, show="finished")  # the session's days are over
    assert session.course_id in response.context["mine"]
    _courses(office, 40)
    _courses(office, 40, status=CourseStatus.FINISHED)
    response, many = _get(client, show="finished", page=2)
    assert many == few
    assert response.context["mine"] == {}  # their course is on the first page


def test_enrolled_waiting_and_seats_are_those_of_each_course(client_for, office, school):
    """The counts beside each course, read for the page's courses only, equal a plain count
    of its enrolments by status and the sum of its sessions' seats (two sessions of equal
    size counted twice)."""
    from krupd.testing import make_person
    from training.models import Enrolment

    _courses(office, 3)
    courses = list(Course.objects.filter(office=office).order_by("title"))
    people = [make_person(office, school, first_name=f"ครู{i:02d}") for i in range(6)]
    statuses = ["enrolled", "enrolled", "waitlisted", "cancelled", "pending", "enrolled"]
    for n, course in enumerate(courses):
        sessions = [
            Session.objects.create(course=course, start_date=dt.date(2030, 1, 1),
                                   end_date=dt.date(2030, 1, 2), capacity=10)
            for _ in range(n)
        ]  # fmt: skip
        for person, status in list(zip(people, statuses, strict=True))[: 2 * n]:
            Enrolment.objects.create(course=course, session=sessions[0], person=person,
                                     status=status, source="office")  # fmt: skip
    response, _ = _get(client_for(Role.DEVELOPMENT_OFFICER))
    shown = {c.pk: (c.enrolled, c.waiting, c.seats) for c in response.context["page"]}
    for course in courses:
        enrolments = Enrolment.objects.filter(course=course)
        capacities = [s.capacity for s in course.sessions.all()]
        assert shown[course.pk] == (
            enrolments.filter(status="enrolled").count(),
            enrolments.filter(status="waitlisted").count(),
            sum(capacities) if capacities else None,
        )
    assert shown[courses[2].pk] == (2, 1, 20)


@pytest.mark.parametrize("role", [Role.OFFICE_ADMIN, Role.TEACHER])
def test_the_kept_pages_are_the_course_lists(users, office, role):
    """course_page (kept SQL, a page at a time) gives course_list's courses and count, for
    both tabs, a role that sees drafts and one that does not."""
    from django.core.paginator import Paginator

    from training import queries

    _courses(office, 5)
    _courses(office, 2, status=CourseStatus.DRAFT, title="ร่าง")
    _courses(office, 3, status=CourseStatus.FINISHED, title="จบแล้ว")
    ended = Course.objects.create(office=office, title="รุ่นจบ", mode="seminar", hours=3,
                                  fiscal_year=2569, status=CourseStatus.OPEN)  # fmt: skip
    Session.objects.create(course=ended, name="1", start_date=dt.date(2026, 1, 5),
                           end_date=dt.date(2026, 1, 6), capacity=10)  # fmt: skip
    today = dt.date(2026, 3, 1)
    for finished in (False, True):
        args = {"fiscal_year": 2569, "finished": finished, "today": today}
        full = Paginator(queries.course_list(users[role], **args), 2)
        kept = Paginator(queries.course_page(users[role], **args), 2)
        assert kept.count == full.count
        for number in full.page_range:
            assert [c.pk for c in kept.page(number)] == [c.pk for c in full.page(number)]


def test_seats_held_by_requests_awaiting_approval_are_taken_in_the_list(client_for, office, school):
    """A course needing approval, its 3 seats all held by requests: the list said 0/3 (the
    enrolled only), as if every seat were free, while the course page said none was. The
    list counts the seats held, as the course page does, and says how many await approval."""
    from krupd.testing import make_person
    from training.models import Enrolment

    course = Course.objects.create(office=office, title="ต้องอนุมัติก่อน", mode="seminar",
                                   hours=3, fiscal_year=2569, requires_approval=True)  # fmt: skip
    session = Session.objects.create(course=course, start_date=dt.date(2030, 1, 1),
                                     end_date=dt.date(2030, 1, 2), capacity=3)  # fmt: skip
    for i, status in enumerate(["pending", "pending", "enrolled", "waitlisted"]):
        person = make_person(office, school, first_name=f"ครู{i:02d}")
        Enrolment.objects.create(course=course, session=session, person=person, status=status,
                                 source="self")  # fmt: skip
    client = client_for(Role.DEVELOPMENT_OFFICER)
    response, _ = _get(client)
    (shown,) = [c for c in response.context["page"] if c.pk == course.pk]
    assert (shown.taken, shown.pending, shown.waiting, shown.seats) == (3, 2, 1, 3)
    row = response.content.decode().split("ต้องอนุมัติก่อน</a>")[1].split("</tr>")[0]
    assert "3/3" in row and "(รออนุมัติ 2)" in row and "(รอ 1)" in row
    page = client.get(reverse("training:course_detail", args=[course.pk])).content.decode()
    assert "ว่าง 0 จาก 3 ที่นั่ง" in page
