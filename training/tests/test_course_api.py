"""The course list of the API is answered from plain rows, not checked row by row against its
schema (a large office's year holds thousands of courses): the answer must stay exactly what
the schema would have made of the courses."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from ninja.responses import NinjaJSONEncoder

from accounts.roles import ABOVE_OFFICE_ROLES, Role
from krupd.testing import make_person
from training import queries
from training.api import CourseOut
from training.models import Course, CourseStatus, Enrolment, EnrolmentStatus, Session

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 1, 10)


def as_the_schema_gives_it(user, fiscal_year: int) -> bytes:
    """Each course through CourseOut, as ninja answers a list it checks itself."""
    courses = queries.with_seat_counts(list(queries.course_list(user, fiscal_year=fiscal_year)))
    rows = [CourseOut.model_validate(course).model_dump() for course in courses]
    return json.dumps(rows, cls=NinjaJSONEncoder).encode()


@pytest.fixture
def courses(office, other_office, school):
    """Courses of two years, one a draft, one without a session, one of another office;
    enrolled, waitlisted and cancelled people."""
    made = []
    for n, (status, hours, year) in enumerate(
        [
            (CourseStatus.OPEN, Decimal("6"), 2569),
            (CourseStatus.DRAFT, Decimal("12.5"), 2569),
            (CourseStatus.FINISHED, Decimal("3"), 2569),
            (CourseStatus.OPEN, Decimal("18"), 2568),
        ]
    ):
        made.append(
            Course.objects.create(office=office, title=f"หลักสูตร {n}", mode="onsite",
                                  hours=hours, fiscal_year=year, status=status)
        )  # fmt: skip
    elsewhere = Course.objects.create(office=other_office, title="ที่อื่น", mode="online",
                                      hours=6, fiscal_year=2569, status=CourseStatus.OPEN)  # fmt: skip
    for course, capacities in (
        (made[0], (5, 7)),
        (made[1], (3,)),
        (made[3], (4,)),
        (elsewhere, (9,)),
    ):
        for capacity in capacities:
            Session.objects.create(course=course, start_date=DAY, end_date=DAY, capacity=capacity)
    statuses = [EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED, EnrolmentStatus.CANCELLED]
    for n, (course, status) in enumerate(
        [(made[0], s) for s in statuses * 2] + [(made[1], statuses[0])]
    ):
        Enrolment.objects.create(
            course=course, session=course.sessions.first(), status=status, source="self",
            person=make_person(office, school, first_name=f"ครู{n}"),
        )  # fmt: skip
    return made


@pytest.mark.parametrize(
    "role",
    [
        Role.OFFICE_ADMIN,
        Role.DEVELOPMENT_OFFICER,
        Role.SCHOOL_DIRECTOR,
        Role.TEACHER,
        Role.INSPECTOR,
    ],  # fmt: skip
)
def test_it_answers_what_the_schema_makes_of_each_course(client, users, courses, role):
    client.force_login(users[role])
    response = client.get("/api/training/courses", {"fy": 2569})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.content == as_the_schema_gives_it(users[role], 2569)
    rows = response.json()
    drafts = [row for row in rows if row["status"] == CourseStatus.DRAFT]
    # Office staff see their drafts; the other roles never do; another office's never shown.
    assert len(drafts) == (1 if role in (Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER) else 0)
    assert "ที่อื่น" not in {row["title"] for row in rows}
    first = next(row for row in rows if row["title"] == "หลักสูตร 0")
    assert (first["enrolled"], first["seats"], first["hours"]) == (2, 12, "6.0")
    assert next(row for row in rows if row["title"] == "หลักสูตร 2")["seats"] is None


@pytest.mark.parametrize("asked", [2026, 69])
def test_a_year_asked_in_ce_or_short_is_the_be_year(client, users, courses, asked):
    """?fy=2026 answered [] (no course ran in "2026"), where the pages open 2569."""
    client.force_login(users[Role.DEVELOPMENT_OFFICER])
    expected = client.get("/api/training/courses", {"fy": 2569}).json()
    assert expected and client.get("/api/training/courses", {"fy": asked}).json() == expected


def test_it_refuses_whoever_is_not_signed_in_and_shows_nothing_above_the_office(
    client, users, courses
):
    assert client.get("/api/training/courses", {"fy": 2569}).status_code == 401
    for role in ABOVE_OFFICE_ROLES:
        client.force_login(users[role])
        assert client.get("/api/training/courses", {"fy": 2569}).json() == []


def test_the_results_list_is_what_the_schema_makes_of_each_row(client, users, courses):
    from training.api import ResultOut

    course = courses[0]
    enrolment = course.enrolments.filter(status=EnrolmentStatus.ENROLLED).first()
    enrolment.passed, enrolment.result = True, "passed"
    enrolment.save()
    Session.objects.filter(course=course).update(end_date=DAY)
    for role in (Role.DEVELOPMENT_OFFICER, Role.SCHOOL_DIRECTOR, Role.INSPECTOR):
        client.force_login(users[role])
        response = client.get("/api/training/results", {"fy": 2569})
        expected = [
            ResultOut(
                number=r.number, course_id=r.course.pk, course=r.course.title,
                participants=r.participants, passed=r.passed, pct=r.pct, hours=r.hours,
                satisfaction=r.satisfaction, satisfaction_band=r.satisfaction_band,
                pending=r.pending, open_sessions=r.open_sessions,
                open_participants=r.open_participants,
            ).model_dump()
            for r in queries.results_table(users[role], fiscal_year=2569)
        ]  # fmt: skip
        assert response.content == json.dumps(expected, cls=NinjaJSONEncoder).encode(), role
        assert any(row["passed"] for row in response.json())
    client.force_login(users[Role.TEACHER])
    assert client.get("/api/training/results", {"fy": 2569}).status_code == 403
