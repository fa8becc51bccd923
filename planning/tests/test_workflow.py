"""Plan and ID-plan workflows: allowed transitions, refused ones, history, copying."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.roles import Role
from planning import actions, queries
from planning.models import (
    Activity,
    BudgetLine,
    IdPlan,
    IdPlanStatus,
    Plan,
    PlanEvent,
    PlanStatus,
    Project,
    RaterKind,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(office, rnd):
    plan = Plan.objects.create(office=office, kind="annual", title="แผนปฏิบัติการ 2569",
                               fiscal_year=2569, end_year=2569, needs_round=rnd)  # fmt: skip
    project = Project.objects.create(plan=plan, name="โครงการอบรม")
    Activity.objects.create(project=project, name="อบรม", starts=dt.date(2025, 11, 1))
    BudgetLine.objects.create(
        project=project, item="ค่าอาหาร", amount=Decimal("1000"), actual=Decimal(900)
    )
    return plan


def move(user, plan, to, comment=""):
    return actions.transition_plan(acting_user=user, plan_id=plan.pk, to_status=to, comment=comment)


def test_it_runs_draft_submitted_approved_with_history(users, plan):
    move(users[Role.DEVELOPMENT_OFFICER], plan, PlanStatus.SUBMITTED)
    move(users[Role.OFFICE_ADMIN], plan, PlanStatus.APPROVED, "เห็นชอบ")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == users[Role.OFFICE_ADMIN]
    events = list(PlanEvent.objects.filter(plan=plan).order_by("id"))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("draft", "submitted"),
        ("submitted", "approved"),
    ]
    assert events[1].comment == "เห็นชอบ"


@pytest.mark.parametrize(
    "start, to, role",
    [
        (PlanStatus.DRAFT, PlanStatus.APPROVED, Role.OFFICE_ADMIN),  # skipping submission
        (PlanStatus.APPROVED, PlanStatus.DRAFT, Role.OFFICE_ADMIN),  # un-approving
        (PlanStatus.APPROVED, PlanStatus.SUBMITTED, Role.OFFICE_ADMIN),
        (PlanStatus.SUBMITTED, PlanStatus.APPROVED, Role.DEVELOPMENT_OFFICER),  # not an approver
        (PlanStatus.DRAFT, PlanStatus.SUBMITTED, Role.SUPERVISOR),  # may not edit plans
    ],
)
def test_it_refuses_transitions_not_allowed(users, plan, start, to, role):
    Plan.objects.filter(pk=plan.pk).update(status=start)
    with pytest.raises(actions.WorkflowError):
        move(users[role], plan, to)
    plan.refresh_from_db()
    assert plan.status == start and not PlanEvent.objects.exists()


def test_the_one_who_submitted_a_plan_may_not_approve_it(users, plan, office, client_for):
    """The office admin could send and approve the same plan: an approval by its proposer.
    Another approver approves it; the proposer may still take it back to draft."""
    from krupd.testing import make_user

    admin, second = users[Role.OFFICE_ADMIN], make_user("admin2", Role.OFFICE_ADMIN, office)
    move(admin, plan, PlanStatus.SUBMITTED)
    # Waiting for the other approver, not for the one who submitted it (their home page).
    assert list(queries.plans_awaiting_approval_by(admin)) == []
    assert list(queries.plans_awaiting_approval_by(second)) == [plan]
    with pytest.raises(actions.WorkflowError, match="อนุมัติแผนที่ตนเองเสนอไม่ได้"):
        move(admin, plan, PlanStatus.APPROVED)
    page = client_for(Role.OFFICE_ADMIN).get(f"/planning/plans/{plan.pk}/").content.decode()
    assert f"/planning/plans/{plan.pk}/status/approved/" not in page
    assert 'id="plan-own-approval"' in page
    response = client_for(Role.OFFICE_ADMIN).post(f"/planning/plans/{plan.pk}/status/approved/")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    move(admin, plan, PlanStatus.DRAFT, "ขอแก้ไขเพิ่ม")  # withdrawing is not approving
    move(admin, plan, PlanStatus.SUBMITTED)
    move(second, plan, PlanStatus.APPROVED)
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (PlanStatus.APPROVED, second)


def test_it_refuses_submitting_an_empty_plan(users, office):
    empty = Plan.objects.create(
        office=office, kind="annual", title="ว่าง", fiscal_year=2569, end_year=2569
    )
    with pytest.raises(actions.WorkflowError, match="ยังไม่มีโครงการ"):
        move(users[Role.OFFICE_ADMIN], empty, PlanStatus.SUBMITTED)


def test_it_refuses_editing_a_submitted_plan(users, plan):
    move(users[Role.OFFICE_ADMIN], plan, PlanStatus.SUBMITTED)
    project = plan.projects.get()
    project.name = "แก้หลังเสนอ"
    with pytest.raises(actions.WorkflowError):
        actions.save_project(acting_user=users[Role.OFFICE_ADMIN], project=project)


def test_it_returns_a_submitted_plan_to_draft(users, plan, client_for):
    move(users[Role.OFFICE_ADMIN], plan, PlanStatus.SUBMITTED)
    client = client_for(Role.OFFICE_ADMIN)
    client.post(f"/planning/plans/{plan.pk}/status/draft/", {"comment": "เพิ่มตัวชี้วัด"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_it_refuses_a_transition_posted_by_a_refused_role(users, plan, client_for):
    response = client_for(Role.DEVELOPMENT_OFFICER).post(
        f"/planning/plans/{plan.pk}/status/approved/"
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_it_copies_last_years_plan_as_a_draft(users, plan):
    move(users[Role.DEVELOPMENT_OFFICER], plan, PlanStatus.SUBMITTED)
    move(users[Role.OFFICE_ADMIN], plan, PlanStatus.APPROVED)
    new = actions.copy_plan(acting_user=users[Role.OFFICE_ADMIN], plan=plan, fiscal_year=2570)
    assert (new.status, new.fiscal_year, new.title, new.copied_from) == (
        "draft",
        2570,
        "แผนปฏิบัติการ 2570",
        plan,
    )
    project = new.projects.get()
    assert project.activities.get().starts == dt.date(2026, 11, 1)
    line = project.budget_lines.get()
    assert line.amount == 1000 and line.actual is None
    assert plan.projects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_approves_once_under_concurrent_requests(users, plan):
    import threading

    from django.db import connection

    move(users[Role.DEVELOPMENT_OFFICER], plan, PlanStatus.SUBMITTED)
    results, barrier = [], threading.Barrier(2)

    def approve():
        barrier.wait()
        try:
            move(users[Role.OFFICE_ADMIN], plan, PlanStatus.APPROVED)
            results.append("ok")
        except actions.WorkflowError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert PlanEvent.objects.filter(plan=plan, to_status="approved").count() == 1


# ID plans --------------------------------------------------------------------------------------


@pytest.fixture
def id_plan(users, rnd, comps, teacher_person, topic):
    actions.save_response(
        acting_user=users[Role.TEACHER], rnd=rnd, person=teacher_person, rater_kind=RaterKind.SELF,
        ratings={comps["A"].pk: (2, 5), comps["B"].pk: (4, 5)},
        topics=[actions.TopicInput(None, "การสอนเด็กพิเศษ", None, None)], submit=True,
    )  # fmt: skip
    plan = actions.start_id_plan(
        acting_user=users[Role.TEACHER], person=teacher_person, year=2568, rnd=rnd
    )
    IdPlan.objects.filter(pk=plan.pk).update(goal="สอนเด็กพิเศษในชั้นเรียนรวมได้")
    plan.refresh_from_db()
    return plan


def idp_move(user, plan, to, comment=""):
    return actions.transition_id_plan(
        acting_user=user, plan_id=plan.pk, to_status=to, comment=comment
    )


def test_it_prefills_the_id_plan_from_the_largest_gaps(id_plan, topic):
    titles = [i.title for i in id_plan.items.order_by("id")]
    # A (gap 3) maps to the catalogue topic for "A"; B (gap 1) has none; then the free text.
    assert titles == [topic.name, "สมรรถนะ B", "การสอนเด็กพิเศษ"]


def test_it_runs_the_id_plan_through_director_approval(users, id_plan):
    idp_move(users[Role.TEACHER], id_plan, IdPlanStatus.SUBMITTED)
    with pytest.raises(actions.WorkflowError, match="ความเห็น"):
        idp_move(users[Role.SCHOOL_DIRECTOR], id_plan, IdPlanStatus.RETURNED)
    idp_move(users[Role.SCHOOL_DIRECTOR], id_plan, IdPlanStatus.RETURNED, "เพิ่มช่วงเวลา")
    idp_move(users[Role.TEACHER], id_plan, IdPlanStatus.SUBMITTED)
    idp_move(users[Role.SCHOOL_DIRECTOR], id_plan, IdPlanStatus.APPROVED, "ดี")
    id_plan.refresh_from_db()
    assert id_plan.status == IdPlanStatus.APPROVED and id_plan.director_comment == "ดี"
    assert id_plan.events.count() == 4
    with pytest.raises(actions.WorkflowError):
        actions.ensure_id_plan_editable(id_plan)


def test_it_refuses_id_plan_moves_by_the_wrong_people(users, id_plan, other_school, office):
    from krupd.testing import make_user

    with pytest.raises(actions.WorkflowError):  # the director cannot submit for the teacher
        idp_move(users[Role.SCHOOL_DIRECTOR], id_plan, IdPlanStatus.SUBMITTED)
    idp_move(users[Role.TEACHER], id_plan, IdPlanStatus.SUBMITTED)
    with pytest.raises(actions.WorkflowError):  # a teacher cannot approve their own plan
        idp_move(users[Role.TEACHER], id_plan, IdPlanStatus.APPROVED)
    stranger = make_user("director2", Role.SCHOOL_DIRECTOR, office, school=other_school)
    with pytest.raises(actions.WorkflowError):  # another school's director
        idp_move(stranger, id_plan, IdPlanStatus.APPROVED)
    with pytest.raises(actions.WorkflowError):  # draft → approved skips submission
        IdPlan.objects.filter(pk=id_plan.pk).update(status="draft")
        idp_move(users[Role.SCHOOL_DIRECTOR], id_plan, IdPlanStatus.APPROVED)


def test_an_id_plan_without_a_goal_is_not_sent(users, id_plan):
    """The director approves a plan toward a goal: one with topics but a blank goal stays a
    draft, with a Thai message saying what to write."""
    IdPlan.objects.filter(pk=id_plan.pk).update(goal="   ")
    with pytest.raises(actions.WorkflowError, match="เป้าหมายการพัฒนาตนเอง"):
        idp_move(users[Role.TEACHER], id_plan, IdPlanStatus.SUBMITTED)
    id_plan.refresh_from_db()
    assert id_plan.status == IdPlanStatus.DRAFT


def test_a_director_never_approves_their_own_id_plan(client, users, school, rnd):
    """A director writes an ID plan of their own too: it counted in their "waiting for you"
    figure and they could approve it. Now the approval is refused with a Thai reason, the page
    offers no decision and the counts leave it out."""
    from krupd.testing import make_person
    from notifications.models import Notification
    from reporting.queries import _plans_waiting

    director = users[Role.SCHOOL_DIRECTOR]
    director.person = make_person(director.office, school, first_name="ผอ", last_name="ตนเอง")
    director.save()
    plan = actions.start_id_plan(acting_user=director, person=director.person, year=2568, rnd=rnd)
    plan.items.create(title="การนิเทศภายใน")
    IdPlan.objects.filter(pk=plan.pk).update(goal="นิเทศครูได้ทุกภาคเรียน")
    idp_move(director, plan, IdPlanStatus.SUBMITTED)
    assert not Notification.objects.filter(recipient=director).exists()
    waiting = {a.label: a.count for a in _plans_waiting(director, None)}
    assert waiting["ID Plan ที่รอท่านพิจารณา"] == 0
    with pytest.raises(actions.WorkflowError, match="เรื่องของตนเอง"):
        idp_move(director, plan, IdPlanStatus.APPROVED, "ดี")
    plan.refresh_from_db()
    assert plan.status == IdPlanStatus.SUBMITTED and plan.approved_by is None
    client.force_login(director)
    page = client.get(f"/planning/id-plans/{plan.pk}/")
    assert page.status_code == 200 and page.context["decide"] is False
    assert client.get("/planning/").context["to_decide"] == 0


def test_going_back_to_a_sent_id_plan_saves_nothing_and_says_why(client, users, id_plan):
    """After sending her plan the teacher pressed Back and saved the form again: a bare 403
    page. Now she returns to her plan with a Thai reason naming its state; the goal the
    director is reading is unchanged."""
    idp_move(users[Role.TEACHER], id_plan, IdPlanStatus.SUBMITTED)
    client.force_login(users[Role.TEACHER])
    data = {"goal": "เปลี่ยนเป้าหมาย", "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"}
    page = client.post(f"/planning/id-plans/{id_plan.pk}/", data, follow=True)
    assert page.redirect_chain[-1][0] == f"/planning/id-plans/{id_plan.pk}/"
    assert "“รอผู้บริหารพิจารณา” แล้ว แก้ไขไม่ได้" in page.content.decode()
    id_plan.refresh_from_db()
    assert id_plan.goal == "สอนเด็กพิเศษในชั้นเรียนรวมได้"
    client.force_login(users[Role.SCHOOL_DIRECTOR])  # not the owner: still refused outright
    assert client.post(f"/planning/id-plans/{id_plan.pk}/", data).status_code == 403


def test_the_id_plan_summary_counts_plans_of_the_teachers_it_counts(
    users, school, teacher_person, colleague
):
    """The summary's denominator is the school's active teachers; its plan counts took every
    plan, so a teacher who retired mid-year with an approved plan (and the director's own
    plan) made the school "3 approved of 2 teachers, 150 %". Both now count the same people."""
    from krupd.testing import make_person
    from planning import queries
    from registry.models import PersonnelType

    retired = make_person(school.office, school, first_name="เกษียณ", status="retired")
    boss = make_person(school.office, school, first_name="ผอ",
                       personnel_type=PersonnelType.DIRECTOR)  # fmt: skip
    for person in (teacher_person, retired, boss):
        IdPlan.objects.create(person=person, year=2569, school=school, status="approved")
    s = queries.id_plan_summary(users[Role.OFFICE_ADMIN], 2569)
    row = next(r for r in s.rows if r["school"] == school.name)
    assert (row["teachers"], row["plans"], row["approved"], row["pct"]) == (2, 1, 1, 50)
    assert s.totals["approved"] == 1


def test_copying_a_plan_twice_for_a_year_makes_one_copy(client_for, plan):
    """A double click on "copy to next year" (or Back and copy again) made two full drafts of
    FY2570, so the year's plans counted every project and baht twice. The second request now
    lands on the first copy with a Thai note, and nothing more is written."""
    client = client_for(Role.OFFICE_ADMIN)
    first = client.post(f"/planning/plans/{plan.pk}/copy/", {"fiscal_year": "๒๕๗๐"})
    copy = Plan.objects.get(fiscal_year=2570)
    assert first.url == f"/planning/plans/{copy.pk}/"
    again = client.post(f"/planning/plans/{plan.pk}/copy/", {"fiscal_year": "2570"}, follow=True)
    assert again.redirect_chain[-1][0] == f"/planning/plans/{copy.pk}/"
    assert "คัดลอกเป็นแผนปีงบประมาณ 2570 ไว้แล้ว" in again.content.decode()
    assert Plan.objects.filter(fiscal_year=2570).count() == 1
    assert Project.objects.filter(plan__fiscal_year=2570).count() == 1


@pytest.mark.parametrize(
    "title, fiscal_year, end_year, copied",
    [
        # A three-year plan: both ends move (only the first did: "2569–2570").
        ("แผนพัฒนาบุคลากร พ.ศ. 2568–2570", 2568, 2570, "แผนพัฒนาบุคลากร พ.ศ. 2569–2571"),
        # Thai digits stay Thai (the copy kept the old year).
        ("แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๙", 2569, 2569, "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๗๐"),
        # A year that is not the plan's (the strategy it follows) stays.
        ("แผนปฏิบัติการ 2569 ตามแผนยุทธศาสตร์ 2566", 2569, 2569, "แผนปฏิบัติการ 2570 ตามแผนยุทธศาสตร์ 2566"),
    ],
)
def test_a_copy_is_titled_by_its_own_years(users, office, title, fiscal_year, end_year, copied):
    plan = Plan.objects.create(
        office=office, kind="hr3y", title=title, fiscal_year=fiscal_year, end_year=end_year
    )
    new = actions.copy_plan(
        acting_user=users[Role.OFFICE_ADMIN], plan=plan, fiscal_year=fiscal_year + 1
    )
    assert (new.title, new.fiscal_year, new.end_year) == (copied, fiscal_year + 1, end_year + 1)


def test_a_plan_is_not_copied_into_an_earlier_year(client_for, plan):
    """Copied "to" 2568, the 2569 plan made a 2568 draft with its activities moved a year
    back. Refused in Thai on the plan's page; nothing written."""
    response = client_for(Role.OFFICE_ADMIN).post(
        f"/planning/plans/{plan.pk}/copy/", {"fiscal_year": "๒๕๖๘"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/planning/plans/{plan.pk}/"
    assert "ปีของแผนใหม่ต้องไม่ก่อนปี 2569" in response.content.decode()
    assert Plan.objects.count() == 1


def test_a_new_project_is_numbered_after_the_last_one(client_for, plan):
    """Projects 1, 2, 3; number 2 deleted: the next new project was offered number 3 again
    (count + 1), so the plan and its document listed two projects numbered 3."""
    Project.objects.create(plan=plan, name="โครงการสอง", number=2)
    Project.objects.create(plan=plan, name="โครงการสาม", number=3)
    Project.objects.filter(plan=plan, number=2).delete()
    page = client_for(Role.OFFICE_ADMIN).get(f"/planning/plans/{plan.pk}/projects/new/")
    assert page.context["form"]["number"].value() == 4


def test_a_framework_copied_twice_at_once_is_refused_in_thai(users, fw, monkeypatch):
    """Two clicks on "new version" both pass the "version not taken" check before either
    writes; the second then hit the unique version and showed a server error. It is now the
    same Thai refusal as a version already taken, and leaves one copy."""
    from django.db.models.query import QuerySet

    from planning.models import Framework

    admin = users[Role.OFFICE_ADMIN]
    actions.copy_framework(acting_user=admin, framework=fw, version="2")
    with monkeypatch.context() as m:  # the second click checked before the first wrote
        m.setattr(QuerySet, "exists", lambda self: False)
        with pytest.raises(actions.WorkflowError, match="มีกรอบ TC ฉบับ 2 อยู่แล้ว"):
            actions.copy_framework(acting_user=admin, framework=fw, version="2")
    assert Framework.objects.filter(code="TC", version="2").count() == 1


# A comment typed beside a status button is read by no form: the write refuses what the
# database cannot store (a NUL pasted from another program; PostgreSQL refuses it with a server
# error) or a runaway paste, in Thai naming the box, and changes nothing.
@pytest.mark.parametrize("comment", ["แก้ไข\x00ตัวชี้วัด", "ก" * 5001])
def test_a_plan_comment_the_database_cannot_store_is_refused_in_thai(users, plan, client_for,
                                                                     comment):  # fmt: skip
    move(users[Role.OFFICE_ADMIN], plan, PlanStatus.SUBMITTED)
    url = f"/planning/plans/{plan.pk}/status/draft/"
    refused = client_for(Role.TEACHER).post(url, {"comment": "x"})
    assert refused.status_code in (403, 404)
    client = client_for(Role.OFFICE_ADMIN)
    response = client.post(url, {"comment": comment}, follow=True)
    assert "ความเห็น:" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.events.count() == 1


@pytest.mark.parametrize("comment", ["เพิ่ม\x00ช่วงเวลา", "ก" * 5001])
def test_an_id_plan_comment_the_database_cannot_store_is_refused_in_thai(users, id_plan, comment):
    idp_move(users[Role.TEACHER], id_plan, IdPlanStatus.SUBMITTED)
    with pytest.raises(actions.WorkflowError, match="ความเห็น:"):
        idp_move(users[Role.SCHOOL_DIRECTOR], id_plan, IdPlanStatus.RETURNED, comment)
    id_plan.refresh_from_db()
    assert id_plan.status == IdPlanStatus.SUBMITTED and id_plan.director_comment == ""
