"""Planned vs. actual on the alignment panel: people and hours come from the training courses
linked to each project (hand-built enrolments, hand-counted expectations); spending stays
as typed on the budget lines; the panel costs the same queries for any amount of data."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.roles import Role
from krupd.testing import make_person
from planning import queries
from planning.models import BudgetLine, Plan, Project
from training.models import Course, Enrolment, Session
from training.queries import project_actuals

pytestmark = pytest.mark.django_db

OF = Role.DEVELOPMENT_OFFICER


@pytest.fixture
def plan(office):
    return Plan.objects.create(
        office=office, kind="annual", title="แผน 2569", fiscal_year=2569, end_year=2569
    )


def make_course(office, project, *, title="หลักสูตร", status="open", hours="12"):
    course = Course.objects.create(
        office=office, title=title, mode="workshop", hours=Decimal(hours), fiscal_year=2569,
        project=project, status=status,
    )  # fmt: skip
    session = Session.objects.create(
        course=course, start_date=dt.date(2026, 1, 12), end_date=dt.date(2026, 1, 13),
        capacity=100,
    )  # fmt: skip
    return course, session


def enrol(course, session, person, *, status="enrolled", passed=False, hours="0"):
    return Enrolment.objects.create(
        course=course, session=session, person=person, status=status, source="office",
        passed=passed, hours_credited=Decimal(hours),
    )  # fmt: skip


def people(office, school, n, prefix="ครู"):
    return [make_person(office, school, first_name=f"{prefix}{i}") for i in range(n)]


def test_actuals_per_project_are_counted_from_linked_courses(office, school, plan):
    p1 = Project.objects.create(plan=plan, number=1, name="อบรมเชิงรุก", target_count=4)
    p2 = Project.objects.create(plan=plan, number=2, name="ยังไม่มีหลักสูตร", target_count=10)
    p3 = Project.objects.create(plan=plan, number=3, name="ไม่มีเป้าหมาย")
    a, b, c, d, e = people(office, school, 5)
    c1, s1 = make_course(office, p1, title="รุ่นเช้า")
    c2, s2 = make_course(office, p1, title="รุ่นบ่าย", hours="6")
    enrol(c1, s1, a, passed=True, hours="12")
    enrol(c1, s1, b, passed=True, hours="10")
    enrol(c1, s1, c)  # enrolled, not passed
    enrol(c1, s1, d, status="waitlisted")  # not a participant
    enrol(c1, s1, e, status="cancelled")  # not a participant
    enrol(c2, s2, a, passed=True, hours="6")  # same person in a second course: counted once
    draft, ds = make_course(office, p1, title="ร่าง", status="draft")
    enrol(draft, ds, d, passed=True, hours="12")  # a draft course does not count
    c3, s3 = make_course(office, p3)
    enrol(c3, s3, e, passed=True, hours="12")
    make_course(office, None, title="ไม่เชื่อมโครงการ")

    got = project_actuals({p1.pk: 4, p2.pk: 10, p3.pk: None}, office_id=office.pk)

    assert (got[p1.pk].courses, got[p1.pk].participants, got[p1.pk].passed) == (2, 3, 2)
    assert got[p1.pk].hours == Decimal("28")  # 12 + 10 + 6 person-hours credited
    assert got[p1.pk].reached_pct == 75.0  # 3 people of a target of 4
    assert (got[p2.pk].courses, got[p2.pk].participants, got[p2.pk].passed) == (0, 0, 0)
    assert got[p2.pk].hours == Decimal("0") and got[p2.pk].reached_pct == 0.0
    assert (got[p3.pk].courses, got[p3.pk].participants, got[p3.pk].passed) == (1, 1, 1)
    assert got[p3.pk].reached_pct is None  # no target count: no percentage, no crash
    assert project_actuals({}) == {}


def test_courses_of_another_office_are_not_counted(office, other_office, school, plan):
    project = Project.objects.create(plan=plan, name="โครงการ", target_count=2)
    (person,) = people(office, school, 1)
    foreign, fs = make_course(other_office, project)
    enrol(foreign, fs, person, passed=True, hours="12")
    got = project_actuals({project.pk: 2}, office_id=office.pk)
    assert got[project.pk].courses == 0 and got[project.pk].participants == 0


def test_alignment_shows_training_actuals_and_keeps_typed_spending(
    client_for, users, office, school, plan
):
    project = Project.objects.create(plan=plan, name="พัฒนาครูคณิต", target_count=2)
    BudgetLine.objects.create(
        project=project, item="ค่าอาหาร", amount=Decimal("5000"), actual=Decimal("4200.50")
    )
    course, session = make_course(office, project)
    a, b = people(office, school, 2)
    enrol(course, session, a, passed=True, hours="12")
    enrol(course, session, b)

    al = queries.alignment(users[OF], plan)
    row = al.projects[0]
    assert row["actual"] == Decimal("4200.50") and al.total_actual == Decimal("4200.50")
    assert row["budget"] == Decimal("5000")
    t = row["training"]
    assert (t.courses, t.participants, t.passed, t.hours) == (1, 2, 1, Decimal("12"))
    assert t.reached_pct == 100.0
    assert al.training_total.participants == 2 and al.training_total.passed == 1

    html = client_for(OF).get(f"/planning/plans/{plan.pk}/alignment/").content.decode()
    table = html.split('id="planned-vs-actual"')[1].split("</table>")[0]
    assert "4,200.50" in table and "5,000.00" in table
    assert "100.0%" in table
    assert '<td class="num">2</td>' in table  # participants
    assert '<td class="num">12</td>' in table and "12.0" not in table  # hours, as written


def build(office, school, plan, *, projects: int, courses: int, learners: int, tag: str):
    crowd = people(office, school, learners, prefix=tag)
    for i in range(projects):
        project = Project.objects.create(plan=plan, number=i + 1, name=f"{tag}{i}", target_count=9)
        BudgetLine.objects.create(project=project, item="งบ", amount=Decimal("100"))
        for j in range(courses):
            course, session = make_course(office, project, title=f"{tag}{i}-{j}")
            for k, person in enumerate(crowd):
                enrol(course, session, person, passed=k % 2 == 0, hours="6")


def test_the_panel_costs_the_same_queries_for_more_data(
    office, school, plan, users, client_for, django_assert_max_num_queries
):
    build(office, school, plan, projects=1, courses=1, learners=1, tag="ก")
    url = f"/planning/plans/{plan.pk}/alignment/"
    client = client_for(OF)
    client.get(url)  # warm the session and content types
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    build(office, school, plan, projects=6, courses=3, learners=8, tag="ข")
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("data-project=") == 7
    with django_assert_max_num_queries(2):
        got = project_actuals(
            dict(Project.objects.filter(plan=plan).values_list("id", "target_count")),
            office_id=office.pk,
        )
    assert sum(a.courses for a in got.values()) == 1 + 18
    assert sum(a.hours for a in got.values()) == Decimal(6 + 18 * 8 * 6)  # all credited 6 h
    assert sum(a.passed for a in got.values()) == 1 + 6 * 4  # learners 0, 2, 4, 6 per project
