"""The results table counts a large office's year without reading each enrolment row, and a
page shows its courses a hundred at a time: the figures must stay those of a plain count."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from krupd.testing import make_person
from training import queries
from training.models import (
    Course,
    Enrolment,
    EnrolmentStatus,
    ResultStatus,
    Session,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 3)

# One enrolment: its course and session (by number), status, result, survey scores and whose
# it is (WHO).
ENROLMENTS = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.integers(0, 1),
        st.sampled_from(EnrolmentStatus.values),
        st.sampled_from(ResultStatus.values),
        st.lists(st.integers(1, 5), max_size=3),
        st.integers(0, 3),
    ),
    max_size=14,
)
# Someone new in the director's school, someone new in another school of the office, the
# teacher user's own person (in the director's school), the director user's own person (kept
# in another school, so that "their own" is counted apart from "their school's").
WHO = ("school", "other school", "teacher", "director")
# Per session: days from today to its last day (negative: ended).
SESSION_ENDS = st.lists(st.integers(-3, 3), min_size=6, max_size=6)


def plain_results(user, fiscal_year: int) -> list[tuple]:
    """The table as a plain reading of every enrolment would give it."""
    rows = []
    visible = queries.enrolments_counted_for(user)
    for course in queries.courses_visible_to(user).filter(fiscal_year=fiscal_year).order_by("id"):
        if course.status == "draft":
            continue
        enrolments = [
            e for e in visible.filter(course=course).select_related("session")
            if e.status == EnrolmentStatus.ENROLLED
        ]  # fmt: skip
        ended = [e for e in enrolments if e.session.end_date < TODAY]
        scores = [
            a.score for a in SurveyAnswer.objects.filter(response__enrolment__in=enrolments)
        ]  # fmt: skip
        rows.append((
            course.pk,
            len(ended),
            sum(e.passed for e in ended),
            sum(e.result == ResultStatus.PENDING for e in ended),
            len(enrolments) - len(ended),
            course.sessions.filter(end_date__gte=TODAY).count(),
            round(sum(scores) / len(scores), 6) if scores else None,
        ))  # fmt: skip
    return rows


def table(user, fiscal_year: int) -> list[tuple]:
    return [
        (r.course.pk, r.participants, r.passed, r.pending, r.open_participants,
         r.open_sessions, round(r.satisfaction, 6) if r.satisfaction is not None else None)
        for r in queries.results_table(user, fiscal_year=fiscal_year, today=TODAY)
    ]  # fmt: skip


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ends=SESSION_ENDS, enrolments=ENROLMENTS)
def test_the_table_equals_a_plain_count_of_every_enrolment(
    office, other_office, school, other_school, teacher_person, users, ends, enrolments
):
    with transaction.atomic():
        director = users[Role.SCHOOL_DIRECTOR]
        director.person = make_person(office, other_school, first_name="ผู้อำนวยการ")
        director.save(update_fields=["person"])
        own = {"teacher": teacher_person, "director": director.person}
        courses = [
            Course.objects.create(office=office, title=f"หลักสูตร {i}", mode="onsite",
                                  hours=6, fiscal_year=2569)
            for i in range(3)
        ]  # fmt: skip
        # Another office's course the same year: never counted, its open session included.
        elsewhere = Course.objects.create(office=other_office, title="ที่อื่น", mode="onsite",
                                          hours=6, fiscal_year=2569)  # fmt: skip
        Session.objects.create(course=elsewhere, start_date=TODAY, end_date=TODAY, capacity=5)
        sessions = [
            [
                Session.objects.create(
                    course=course, name=f"รุ่นที่ {n + 1}", capacity=50,
                    start_date=TODAY + dt.timedelta(days=min(0, end)),
                    end_date=TODAY + dt.timedelta(days=end),
                )
                for n, end in enumerate(ends[2 * c: 2 * c + 2])
            ]
            for c, course in enumerate(courses)
        ]  # fmt: skip
        items = [SurveyItem.objects.create(office=office, text=f"ข้อที่ {i + 1}") for i in range(3)]
        taken = set()  # one live enrolment per person and course
        for n, (c, s, status, result, scores, who) in enumerate(enrolments):
            person = own.get(WHO[who])
            if person is None or (c, person.pk) in taken:
                where = other_school if WHO[who] == "other school" else school
                person = make_person(office, where, first_name=f"ครู{n}")
            if status in ("pending", "enrolled", "waitlisted"):
                taken.add((c, person.pk))
            enrolment = Enrolment.objects.create(
                course=courses[c], session=sessions[c][s], status=status, result=result,
                passed=result == ResultStatus.PASSED, person=person,
            )  # fmt: skip
            if scores:
                response = SurveyResponse.objects.create(enrolment=enrolment)
                for item, score in zip(items, scores, strict=False):
                    SurveyAnswer.objects.create(response=response, item=item, score=score)
        # The office's roles count from the year's courses, the director and the teacher
        # (limited to people) from their people: both must give the plain count.
        for role in (Role.DEVELOPMENT_OFFICER, Role.INSPECTOR, Role.SCHOOL_DIRECTOR, Role.TEACHER):
            assert table(users[role], 2569) == plain_results(users[role], 2569), role
        # Reports outside training annotate the office's courses with the same rule.
        annotated = (
            Course.objects.filter(office=office, fiscal_year=2569)
            .annotate(**queries.course_result_counts(TODAY))
            .order_by("id")
        )
        plain = plain_results(users[Role.DEVELOPMENT_OFFICER], 2569)
        assert [(c.pk, c.participants, c.passed, c.pending) for c in annotated] == [
            row[:4] for row in plain
        ]
        transaction.set_rollback(True)  # the next example starts from the same office


def test_the_page_shows_a_hundred_courses_and_the_year_s_totals(client, office, school, users):
    session_end = TODAY - dt.timedelta(days=1)
    for i in range(101):
        course = Course.objects.create(office=office, title=f"หลักสูตรที่ {i + 1:03d}",
                                       mode="onsite", hours=Decimal(6), fiscal_year=2569)  # fmt: skip
        session = Session.objects.create(course=course, start_date=session_end,
                                         end_date=session_end, capacity=5)  # fmt: skip
        if i in (0, 100):
            Enrolment.objects.create(
                course=course, session=session, status=EnrolmentStatus.ENROLLED,
                person=make_person(office, school, first_name=f"ผู้เข้าอบรม{i}"),
                result=ResultStatus.PASSED, passed=True,
            )  # fmt: skip
    client.force_login(users[Role.DEVELOPMENT_OFFICER])
    url = reverse("training:results") + "?fy=2569"
    first = client.get(url).content.decode()
    assert "หลักสูตรที่ 100" in first and "หลักสูตรที่ 101" not in first
    assert "หน้า 1 จาก 2 (101 รายการ)" in first
    second = client.get(url + "&page=2").content.decode()
    assert "หลักสูตรที่ 101" in second and "หลักสูตรที่ 001" not in second
    # The footer sums the whole year on every page: both participants, one on each page.
    for html in (first, second):
        assert '<th>รวม</th><th class="num">2</th><th class="num">2</th>' in html


def test_the_page_s_queries_do_not_grow_with_courses(client, office, school, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def courses(n: int) -> None:
        for i in range(n):
            course = Course.objects.create(office=office, title=f"หลักสูตร {i}", mode="onsite",
                                           hours=6, fiscal_year=2569)  # fmt: skip
            Session.objects.create(course=course, start_date=TODAY, end_date=TODAY, capacity=5)

    client.force_login(users[Role.DEVELOPMENT_OFFICER])
    url = reverse("training:results") + "?fy=2569"
    client.get(url)  # the first request also reads what the session then caches
    counts = []
    for n in (2, 30):
        courses(n)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
