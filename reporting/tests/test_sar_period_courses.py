"""The SAR's courses of a period (EvidenceContext.courses) are read as plain rows, with each
course's need links counted per project: they must equal the courses the straightforward
query gives (whole Course objects, need links counted over the joined topics and
competencies of every course)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count, Max, Min, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krupd.lib.thai_dates import fiscal_half, fiscal_year_end, fiscal_year_start
from krupd.testing import make_person
from planning.models import Competency, Domain, Framework, Plan, Project, Topic
from reporting.evidence import EvidenceContext
from training.models import Course, Enrolment, Session
from training.queries import course_result_counts

pytestmark = pytest.mark.django_db

FY = 2569
PERIOD = fiscal_half(FY, 1)  # 1 Oct 2025 – 31 Mar 2026


def _plain_courses(office, fy, period) -> list[tuple]:
    """The definition: the year's courses whose first session starts in the period (in the
    year's first round, or before the year: a course of the year's budget opened a few days
    early; in its last round, or after it), drafts left out, with their days, results of
    finished sessions and the needs they answer."""
    first, last = period
    in_period = Q(first_day__isnull=False)
    if first != fiscal_year_start(fy):
        in_period &= Q(first_day__gte=first)
    if last != fiscal_year_end(fy):
        in_period &= Q(first_day__lte=last)
    starts_in_period = (
        Course.objects.filter(office=office, fiscal_year=fy)
        .annotate(first_day=Min("sessions__start_date"))
        .filter(in_period)
        .values("pk")
    )
    courses = (
        Course.objects.filter(pk__in=starts_in_period)
        .exclude(status="draft")
        .annotate(
            first_day=Min("sessions__start_date"),
            last_day=Max("sessions__end_date"),
            **course_result_counts(),
            need_links=Count("project__topics", distinct=True)
            + Count("project__competencies", distinct=True),
        )
        .order_by("id")
    )
    return [
        (c.pk, c.title, c.get_mode_display(), c.status, c.project_id, c.first_day, c.last_day,
         c.participants, c.passed, c.pending, c.need_links)
        for c in courses
    ]  # fmt: skip


def _read_courses(ctx) -> list[tuple]:
    return [
        (c.pk, c.title, c.mode_label, c.status, c.project_id, c.first_day, c.last_day,
         c.participants, c.passed, c.pending, c.need_links)
        for c in ctx.courses
    ]  # fmt: skip


@pytest.fixture
def cast(office, other_office, school):
    """Three projects (two needs and three competencies; one competency; none), and three
    people to enrol."""
    plan = Plan.objects.create(office=office, kind="annual", title="แผนปฏิบัติการ",
                               fiscal_year=FY, end_year=FY)  # fmt: skip
    framework = Framework.objects.create(office=office, code="TC", version="1", name="สมรรถนะ")
    domain = Domain.objects.create(framework=framework, code="F", name="ด้าน")
    skills = [Competency.objects.create(domain=domain, code=f"F{i}", name=f"สมรรถนะ {i}")
              for i in range(3)]  # fmt: skip
    topics = [Topic.objects.create(office=office, name=f"หัวข้อ {i}") for i in range(2)]
    projects = [Project.objects.create(plan=plan, number=i, name=f"โครงการ {i}") for i in range(3)]
    projects[0].topics.set(topics)
    projects[0].competencies.set(skills)
    projects[1].competencies.set(skills[:1])
    people = [make_person(office, school) for _ in range(3)]
    return {"offices": (office, other_office), "projects": [None, *projects], "people": people}


_session = st.tuples(
    st.integers(-30, 200),  # start, days after 1 Oct 2025 (the period ends on day 181)
    st.integers(0, 3),  # length in days
    st.lists(st.booleans(), max_size=3),  # its enrolled people: passed or not
)
_course = st.tuples(
    st.sampled_from([0, 0, 0, 1]),  # whose office
    st.sampled_from([FY, FY, FY - 1]),
    st.sampled_from(["finished", "finished", "open", "draft"]),
    st.sampled_from(["workshop", "online", "seminar"]),
    st.integers(0, 3),  # which project (0: none)
    st.lists(_session, max_size=2),
)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(courses=st.lists(_course, max_size=5))
def test_the_periods_courses_equal_the_straightforward_query(cast, courses):
    Course.objects.all().delete()
    first_day = dt.date(2025, 10, 1)
    for n, (owner, fy, status, mode, project, sessions) in enumerate(courses):
        course = Course.objects.create(
            office=cast["offices"][owner], title=f"หลักสูตร {n}", mode=mode, hours=Decimal("6"),
            fiscal_year=fy, status=status, project=cast["projects"][project],
        )  # fmt: skip
        people = iter(cast["people"])  # one live enrolment per person and course
        for start, days, passes in sessions:
            begin = first_day + dt.timedelta(start)
            session = Session.objects.create(course=course, start_date=begin,
                                             end_date=begin + dt.timedelta(days), capacity=9)  # fmt: skip
            for passed in passes:
                person = next(people, None)
                if person is not None:
                    Enrolment.objects.create(course=course, session=session, person=person,
                                             status="enrolled", source="office", passed=passed,
                                             result="passed" if passed else "pending")  # fmt: skip
    office = cast["offices"][0]
    for period in (PERIOD, fiscal_half(FY, 2)):
        assert _read_courses(EvidenceContext(office, FY, period=period)) == _plain_courses(
            office, FY, period
        )


def test_a_course_answers_the_needs_of_its_project(cast):
    """The fixture's first project: two needs topics and three competencies."""
    office = cast["offices"][0]
    Course.objects.create(office=office, title="หลักสูตร", mode="workshop", hours=Decimal("6"),
                          fiscal_year=FY, status="finished", project=cast["projects"][1])  # fmt: skip
    course = Course.objects.get()
    Session.objects.create(course=course, start_date=dt.date(2025, 11, 3),
                           end_date=dt.date(2025, 11, 4), capacity=9)  # fmt: skip
    Session.objects.create(course=course, start_date=dt.date(2025, 12, 1),
                           end_date=dt.date(2025, 12, 1), capacity=9)  # fmt: skip
    (row,) = EvidenceContext(office, FY, period=PERIOD).courses
    assert row.need_links == 5
    assert row.mode_label == course.get_mode_display()
    assert (row.first_day, row.last_day) == (dt.date(2025, 11, 3), dt.date(2025, 12, 1))


def test_a_course_of_the_years_budget_opened_before_the_year_is_in_its_first_round(cast):
    """Filed under FY2569 and opened on 28 September 2025, two days before the year: the
    training results table lists it under FY2569, so the SAR's first round of FY2569 does
    too. It was in no SAR at all (FY2568's reads FY2568's courses)."""
    office = cast["offices"][0]
    course = Course.objects.create(office=office, title="หลักสูตรเปิดก่อนปีงบประมาณ",
                                   mode="workshop", hours=Decimal("12"), fiscal_year=FY,
                                   status="finished")  # fmt: skip
    Session.objects.create(course=course, start_date=dt.date(2025, 9, 28),
                           end_date=dt.date(2025, 10, 2), capacity=9)  # fmt: skip
    (row,) = EvidenceContext(office, FY, period=PERIOD).courses
    assert (row.title, row.first_day) == (course.title, dt.date(2025, 9, 28))
    assert not EvidenceContext(office, FY, period=fiscal_half(FY, 2)).courses
    assert not EvidenceContext(office, FY - 1, period=fiscal_half(FY - 1, 2)).courses
