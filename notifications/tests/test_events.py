"""Each event is raised by the action that causes it, to whom it concerns and nobody else."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.roles import Role
from career import actions as career_actions
from career.models import DebtCase
from krupd.testing import make_person, make_user
from notifications import scheduled
from notifications.kinds import SENSITIVE_OUTSIDE_TEXT, Kind
from notifications.models import Notification
from planning import actions as planning_actions
from planning.models import IdPlanItem, IdPlanStatus, Mode
from training import actions as training_actions

TEACHER, DIRECTOR, ADMIN, OFFICER = (
    Role.TEACHER, Role.SCHOOL_DIRECTOR, Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER,
)  # fmt: skip


def kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.fixture
def second_teacher(office, school):
    person = make_person(office, school, first_name="สมพร", last_name="ตั้งใจ")
    return make_user("teacher2", Role.TEACHER, office, person=person)


def test_it_confirms_waitlists_promotes_and_cancels_enrolments(users, session, second_teacher):
    # Next month: a seat freed after a session has ended promotes nobody.
    session.start_date = session.end_date = timezone.localdate() + dt.timedelta(30)
    training_actions.save_session(acting_user=users[OFFICER], session=session)
    teacher = users[TEACHER]
    first = training_actions.enrol(acting_user=teacher, session=session, person=teacher.person)
    assert kinds_of(teacher) == [Kind.ENROLMENT_CONFIRMED]
    training_actions.enrol(
        acting_user=second_teacher, session=session, person=second_teacher.person
    )
    assert kinds_of(second_teacher) == [Kind.ENROLMENT_WAITLISTED]
    # The first teacher cancels her own seat: she is not told; the next in line is promoted.
    training_actions.cancel_enrolment(acting_user=teacher, enrolment=first)
    assert kinds_of(teacher) == [Kind.ENROLMENT_CONFIRMED]
    assert Kind.ENROLMENT_PROMOTED in kinds_of(second_teacher)
    promoted = Notification.objects.get(recipient=second_teacher, kind=Kind.ENROLMENT_PROMOTED)
    assert promoted.url == f"/training/courses/{session.course_id}/"
    # The office cancels the second teacher's seat: she is told.
    enrolment = second_teacher.person.enrolments.get()
    training_actions.cancel_enrolment(acting_user=users[OFFICER], enrolment=enrolment)
    assert kinds_of(second_teacher).count(Kind.ENROLMENT_CANCELLED) == 1
    # Nobody else heard about any of it.
    assert not Notification.objects.exclude(recipient__in=[teacher, second_teacher]).exists()


def test_it_asks_the_course_owner_to_approve_a_request(users, session, course, office):
    course.requires_approval = True
    course.save()
    other_officer = make_user("officer2", OFFICER, office)
    teacher = users[TEACHER]
    enrolment = training_actions.enrol(acting_user=teacher, session=session, person=teacher.person)
    assert kinds_of(users[OFFICER]) == [Kind.ENROLMENT_REQUEST]
    assert kinds_of(teacher) == []
    # Not another officer of the office, nor the teacher's director.
    assert kinds_of(other_officer) == [] and kinds_of(users[DIRECTOR]) == []
    training_actions.decide_enrolment(acting_user=users[OFFICER], enrolment=enrolment, approve=True)
    assert kinds_of(teacher) == [Kind.ENROLMENT_CONFIRMED]


@pytest.mark.parametrize("owner_now", ["left", "moved"])
def test_a_request_goes_to_the_offices_managers_when_the_owner_is_gone(
    users, session, course, office, other_office, owner_now
):
    """The owner left (account closed) or moved to another office: the request is not lost,
    and not sent out of the office; the office's training managers hear it."""
    course.requires_approval = True
    course.save()
    owner = users[OFFICER]
    if owner_now == "left":
        owner.is_active = False
    else:
        owner.office = other_office
    owner.save()
    other_officer = make_user("officer2", OFFICER, office)
    foreign_officer = make_user("officer9", OFFICER, other_office)
    teacher = users[TEACHER]
    training_actions.enrol(acting_user=teacher, session=session, person=teacher.person)
    assert kinds_of(other_officer) == [Kind.ENROLMENT_REQUEST]
    assert kinds_of(owner) == [] and kinds_of(foreign_officer) == []
    assert kinds_of(teacher) == [] and kinds_of(users[DIRECTOR]) == []


def test_it_tells_the_participant_of_a_certificate_issued_and_revoked(
    users, session, second_teacher
):
    teacher = users[TEACHER]
    enrolment = training_actions.enrol(acting_user=teacher, session=session, person=teacher.person)
    enrolment.passed = True
    enrolment.save()
    certificate = training_actions.issue_certificate(
        acting_user=users[OFFICER], enrolment=enrolment
    )
    training_actions.revoke_certificate(
        acting_user=users[OFFICER], certificate=certificate, reason="ชื่อสะกดผิด"
    )
    assert kinds_of(teacher) == [
        Kind.CERTIFICATE_REVOKED, Kind.CERTIFICATE_ISSUED, Kind.ENROLMENT_CONFIRMED
    ]  # fmt: skip
    issued = Notification.objects.get(recipient=teacher, kind=Kind.CERTIFICATE_ISSUED)
    assert certificate.number in issued.title
    # Nobody else: not a colleague of her school, not her director, not the office.
    assert not Notification.objects.exclude(recipient=teacher).exists()
    assert second_teacher.person.school_id == teacher.person.school_id


def test_the_certificate_notice_opens_the_page_where_she_downloads_it(
    client, users, session, second_teacher
):
    """The notice's link is followed from the inbox, an email or LINE (a GET): it opens the
    course's page with her certificate's download, not the POST-only button that asks for
    one (405). Her colleague cannot follow her notice."""
    teacher = users[TEACHER]
    enrolment = training_actions.enrol(acting_user=teacher, session=session, person=teacher.person)
    enrolment.passed = True
    enrolment.save()
    certificate = training_actions.issue_certificate(
        acting_user=users[OFFICER], enrolment=enrolment
    )
    issued = Notification.objects.get(recipient=teacher, kind=Kind.CERTIFICATE_ISSUED)
    client.force_login(teacher)
    page = client.get(f"/notifications/{issued.pk}/", follow=True)
    assert page.status_code == 200
    assert f"/training/certificates/{certificate.pk}/" in page.content.decode()
    issued.refresh_from_db()
    assert issued.read_at is not None
    client.force_login(second_teacher)
    assert client.get(f"/notifications/{issued.pk}/").status_code == 404


def test_it_routes_an_id_plan_to_the_director_and_back(users, teacher_person, other_school, office):
    teacher, director = users[TEACHER], users[DIRECTOR]
    other_director = make_user("director2", Role.SCHOOL_DIRECTOR, office, school=other_school)
    plan = planning_actions.start_id_plan(
        acting_user=teacher, person=teacher_person, year=2569, rnd=None
    )
    IdPlanItem.objects.create(plan=plan, title="การวัดผลเชิงรุก", mode=Mode.WORKSHOP)
    plan.goal = "วัดผลเชิงรุกได้ทุกรายวิชา"
    plan.save(update_fields=["goal"])
    planning_actions.transition_id_plan(
        acting_user=teacher, plan_id=plan.pk, to_status=IdPlanStatus.SUBMITTED
    )
    waiting = Notification.objects.get(recipient=director)
    assert waiting.kind == Kind.APPROVAL_WAITING and teacher_person.full_name in waiting.title
    # Outside the system the director reads no teacher's name.
    assert teacher_person.first_name not in waiting.outside_text
    assert kinds_of(other_director) == []
    planning_actions.transition_id_plan(
        acting_user=director,
        plan_id=plan.pk,
        to_status=IdPlanStatus.RETURNED,
        comment="เพิ่มระยะเวลา",
    )
    returned = Notification.objects.get(recipient=teacher)
    assert returned.kind == Kind.APPROVAL_RETURNED and "เพิ่มระยะเวลา" in returned.title
    planning_actions.transition_id_plan(
        acting_user=teacher, plan_id=plan.pk, to_status=IdPlanStatus.SUBMITTED
    )
    planning_actions.transition_id_plan(
        acting_user=director, plan_id=plan.pk, to_status=IdPlanStatus.APPROVED
    )
    assert kinds_of(teacher)[0] == Kind.APPROVAL_APPROVED


def test_it_routes_a_pa_agreement_and_tells_the_evaluators(
    users, teacher_person, office, other_school, second_teacher
):
    teacher, director, admin = users[TEACHER], users[DIRECTOR], users[ADMIN]
    other_director = make_user("director2", Role.SCHOOL_DIRECTOR, office, school=other_school)
    agreement = career_actions.start_agreement(
        acting_user=teacher, person=teacher_person, fiscal_year=2569
    )
    for item in agreement.items.all():
        item.tasks = "ออกแบบการจัดการเรียนรู้"
        item.save()
    agreement.challenge_title, agreement.challenge_method = "การอ่าน", "ฝึกอ่านทุกวัน"
    agreement.save()
    career_actions.submit_agreement(acting_user=teacher, agreement=agreement)
    assert kinds_of(director) == [Kind.APPROVAL_WAITING]
    waiting = Notification.objects.get(recipient=director)
    assert teacher_person.first_name not in waiting.outside_text
    assert kinds_of(other_director) == [] and kinds_of(second_teacher) == []
    career_actions.decide_agreement(acting_user=director, agreement=agreement, approve=True)
    assert kinds_of(teacher) == [Kind.APPROVAL_APPROVED]
    evaluators = [make_user(f"eval{i}", Role.SUPERVISOR, office) for i in (1, 2, 3)]
    career_actions.assign_evaluators(acting_user=admin, agreement=agreement, evaluators=evaluators)
    career_actions.assign_evaluators(acting_user=admin, agreement=agreement, evaluators=evaluators)
    for evaluator in evaluators:  # saved twice, told once
        assert kinds_of(evaluator) == [Kind.PA_EVALUATOR]
        told = Notification.objects.get(recipient=evaluator)
        assert teacher_person.first_name not in told.outside_text  # named only inside
    # A supervisor who is no evaluator, the others of the school: nothing.
    assert kinds_of(users[Role.SUPERVISOR]) == []
    assert kinds_of(other_director) == [] and kinds_of(second_teacher) == []
    assert kinds_of(teacher) == [Kind.APPROVAL_APPROVED] and kinds_of(director) == [
        Kind.APPROVAL_WAITING
    ]


def test_a_debt_case_reaches_only_the_debt_officer_and_says_nothing_of_it(
    users, teacher_person, office
):
    officer = make_user("debt1", Role.OFFICE_ADMIN, office)
    case = DebtCase(
        person=teacher_person, opened_on=dt.date(2026, 3, 1), creditor_kind="coop",
        request="ขอพักชำระหนี้สหกรณ์ 450,000 บาท",
    )  # fmt: skip
    career_actions.save_debt_case(acting_user=users[ADMIN], case=case)
    notes = list(Notification.objects.all())
    # Office admins hold the debt capability; the one who recorded it is not told.
    assert {n.recipient for n in notes} == {officer}
    note = notes[0]
    assert note.kind == Kind.DEBT_CASE
    for text in (note.title, note.outside_text):
        assert (
            teacher_person.first_name not in text and "450,000" not in text and "สหกรณ์" not in text
        )
    assert note.outside_text == SENSITIVE_OUTSIDE_TEXT
    # Editing the case later tells nobody again.
    case.outcome_note = "เจรจาสำเร็จ"
    career_actions.save_debt_case(acting_user=users[ADMIN], case=case)
    assert Notification.objects.count() == 1


def test_a_debt_case_assigned_to_an_officer_reaches_that_officer_only(
    users, teacher_person, office
):
    first = make_user("debt1", Role.OFFICE_ADMIN, office)
    second = make_user("debt2", Role.OFFICE_ADMIN, office)
    case = DebtCase(
        person=teacher_person, opened_on=dt.date(2026, 3, 1), creditor_kind="bank",
        request="ขอรวมหนี้ธนาคาร 1,200,000 บาท", assigned_officer=first,
    )  # fmt: skip
    career_actions.save_debt_case(acting_user=users[ADMIN], case=case)
    assert kinds_of(first) == [Kind.DEBT_CASE]
    for other in (second, users[ADMIN], users[Role.TEACHER], users[Role.DEVELOPMENT_OFFICER]):
        assert kinds_of(other) == []
    note = Notification.objects.get(recipient=first)
    assert "1,200,000" not in note.title and teacher_person.first_name not in note.title
    assert note.outside_text == SENSITIVE_OUTSIDE_TEXT
    assert note.url == f"/career/debt/{teacher_person.pk}/"
    # Saved again unchanged: nobody is told; handed to the second officer: only they are.
    career_actions.save_debt_case(acting_user=users[ADMIN], case=case)
    case.assigned_officer = second
    career_actions.save_debt_case(acting_user=users[ADMIN], case=case)
    assert kinds_of(first) == [Kind.DEBT_CASE] and kinds_of(second) == [Kind.DEBT_CASE]


@pytest.mark.parametrize("who", ["teacher", "officer_elsewhere"])
def test_a_debt_case_is_assigned_only_to_a_debt_officer_of_its_office(
    users, teacher_person, office, who
):
    from career.actions import CareerError
    from krupd.testing import make_office

    if who == "teacher":
        assignee = users[Role.TEACHER]
    else:
        assignee = make_user("debt9", Role.OFFICE_ADMIN, make_office(code="9999", name="เขตอื่น"))
    case = DebtCase(person=teacher_person, opened_on=dt.date(2026, 3, 1), creditor_kind="bank",
                    request="ขอพักหนี้", assigned_officer=assignee)  # fmt: skip
    with pytest.raises(CareerError, match="ผู้ดูแลข้อมูลหนี้สิน"):
        career_actions.save_debt_case(acting_user=users[ADMIN], case=case)
    assert not Notification.objects.exists() and not DebtCase.objects.exists()


def test_the_debt_case_form_offers_the_offices_debt_officers(client_for, users, teacher_person):
    url = f"/career/debt/{teacher_person.pk}/cases/new/"
    page = client_for(ADMIN).get(url)
    assert page.status_code == 200
    assert f'value="{users[ADMIN].pk}"' in page.content.decode()
    assert f'value="{users[Role.TEACHER].pk}"' not in page.content.decode()
    answer = client_for(ADMIN).post(url, {"opened_on": "1/3/2569", "creditor_kind": "bank",
                                          "request": "ขอพักหนี้", "assigned_officer": users[ADMIN].pk,
                                          "outcome": "pending"})  # fmt: skip
    assert answer.status_code == 302
    assert DebtCase.objects.get().assigned_officer == users[ADMIN]
    assert client_for(Role.DEVELOPMENT_OFFICER).get(url).status_code == 403


def test_it_routes_an_action_plan_to_its_approvers_and_back_to_who_submitted_it(users, office):
    from planning.models import Plan, PlanStatus, Project

    officer, admin, teacher = users[OFFICER], users[ADMIN], users[TEACHER]
    plan = Plan.objects.create(office=office, kind="annual", title="แผนปฏิบัติการ 2569",
                               fiscal_year=2569, end_year=2569)  # fmt: skip
    Project.objects.create(plan=plan, name="โครงการอบรม")

    def move(user, to, comment=""):
        planning_actions.transition_plan(acting_user=user, plan_id=plan.pk, to_status=to,
                                         comment=comment)  # fmt: skip

    move(officer, PlanStatus.SUBMITTED)
    assert kinds_of(admin) == [Kind.APPROVAL_WAITING]  # the office admin approves plans
    assert kinds_of(officer) == [] and kinds_of(teacher) == []
    move(admin, PlanStatus.DRAFT, "เพิ่มตัวชี้วัดโครงการ")
    assert kinds_of(officer) == [Kind.APPROVAL_RETURNED]
    returned = Notification.objects.get(recipient=officer)
    assert "เพิ่มตัวชี้วัดโครงการ" in returned.title
    move(officer, PlanStatus.SUBMITTED)
    move(admin, PlanStatus.APPROVED)
    assert sorted(kinds_of(officer)) == sorted([Kind.APPROVAL_RETURNED, Kind.APPROVAL_APPROVED])
    assert kinds_of(teacher) == []


def test_an_approver_who_submits_a_plan_is_not_asked_to_approve_it(users, office):
    from krupd.testing import make_user
    from planning.models import Plan, Project

    admin, second = users[ADMIN], make_user("admin2", Role.OFFICE_ADMIN, office)
    plan = Plan.objects.create(office=office, kind="annual", title="แผนปฏิบัติการ 2569",
                               fiscal_year=2569, end_year=2569)  # fmt: skip
    Project.objects.create(plan=plan, name="โครงการอบรม")
    planning_actions.transition_plan(acting_user=admin, plan_id=plan.pk, to_status="submitted")
    assert kinds_of(admin) == [] and kinds_of(second) == [Kind.APPROVAL_WAITING]
    # Taking it back to draft themself: nobody is told it was "returned".
    planning_actions.transition_plan(acting_user=admin, plan_id=plan.pk, to_status="draft")
    assert kinds_of(admin) == []


def test_it_tells_the_uploader_when_an_import_fails(users, office):
    from imports.models import BatchStatus, ImportBatch
    from notifications import events

    admin = users[ADMIN]
    other_admin = make_user("admin2", ADMIN, office)
    batch = ImportBatch.objects.create(
        office=office, kind="people", uploaded_by=admin, original_name="บุคลากร.xlsx",
        file_format="xlsx", status=BatchStatus.FAILED, error_message="ไม่พบแผ่นงาน",
    )  # fmt: skip
    events.import_finished(batch.pk)
    note = Notification.objects.get(recipient=admin)
    assert note.kind == Kind.IMPORT_FAILED and "ไม่พบแผ่นงาน" in note.title
    batch.status = BatchStatus.APPLIED
    batch.save()
    events.import_finished(batch.pk, applied_only=True)
    assert kinds_of(admin)[0] == Kind.IMPORT_FINISHED
    # Only the one who uploaded the file: not another admin of the office.
    assert kinds_of(other_admin) == [] and kinds_of(users[OFFICER]) == []


def test_the_daily_reminder_runs_twice_and_reminds_once(users, session, second_teacher):
    teacher = users[TEACHER]
    training_actions.enrol(acting_user=teacher, session=session, person=teacher.person)
    training_actions.enrol(
        acting_user=second_teacher, session=session, person=second_teacher.person
    )
    day_before = session.start_date - dt.timedelta(days=1)
    assert scheduled.session_reminders(today=day_before) == 1
    assert scheduled.session_reminders(today=day_before) == 0
    note = Notification.objects.get(kind=Kind.SESSION_REMINDER)
    assert note.recipient == teacher  # the wait-listed teacher has no seat to come to
    assert "ห้องประชุมเพชรพัฒนา" in note.title and "คิวอาร์โค้ด" in note.title
    assert "12 มกราคม 2569" in note.title
    assert scheduled.session_reminders(today=session.start_date) == 0


def test_round_reminders_reach_only_those_who_have_not_answered(
    users, office, teacher_person, other_teacher
):
    from planning.models import Framework, RaterKind, Response, Round

    other_user = make_user("teacher3", Role.TEACHER, office, person=other_teacher)
    framework = Framework.objects.create(office=office, name="สมรรถนะครู", version="2569")
    today = dt.date(2026, 7, 10)
    rnd = Round.objects.create(
        office=office, year=2569, name="ประเมินสมรรถนะ 2569", framework=framework,
        opens=dt.date(2026, 7, 1), closes=dt.date(2026, 7, 12), target_types=["teacher"],
    )  # fmt: skip
    Response.objects.create(
        round=rnd, person=other_teacher, rater_kind=RaterKind.SELF, personnel_type="teacher"
    )
    scheduled.round_reminders(today=today)
    scheduled.round_reminders(today=today)
    assert sorted(kinds_of(users[TEACHER])) == [Kind.ROUND_DEADLINE, Kind.ROUND_OPENED]
    assert kinds_of(other_user) == []
    # Assessments are sensitive: email and LINE carry nothing of them.
    assert set(Notification.objects.values_list("outside_text", flat=True)) == {
        SENSITIVE_OUTSIDE_TEXT
    }


def test_round_notices_reach_only_the_rounds_targets_in_service(
    client, users, office, school, teacher_person
):
    """Those the round counts and lets in, no one else: not a teacher who retired or moved
    away (whose account is still open), not a type the round does not ask; and the notice's
    link opens for every recipient."""
    from planning.models import Framework, Round
    from registry.models import PersonStatus

    left = {}
    for status in (PersonStatus.RETIRED, PersonStatus.TRANSFERRED, PersonStatus.DECEASED):
        person = make_person(office, school, first_name=f"ออก{status}", last_name="ราชการ")
        person.status = status
        person.save()
        left[status] = make_user(f"left-{status}", TEACHER, office, person=person)
    clerk_person = make_person(office, school, first_name="ธุรการ", last_name="ดี")
    clerk_person.personnel_type = "employee"
    clerk_person.save()
    clerk = make_user("clerk", TEACHER, office, person=clerk_person)
    framework = Framework.objects.create(office=office, name="สมรรถนะครู", version="2569")
    Round.objects.create(
        office=office, year=2569, name="ประเมินสมรรถนะ 2569", framework=framework,
        opens=dt.date(2026, 7, 1), closes=dt.date(2026, 7, 12), target_types=["teacher"],
    )  # fmt: skip
    scheduled.round_reminders(today=dt.date(2026, 7, 10))
    teacher = users[TEACHER]
    assert sorted(kinds_of(teacher)) == [Kind.ROUND_DEADLINE, Kind.ROUND_OPENED]
    for user in [*left.values(), clerk]:
        assert kinds_of(user) == [], user.username
    client.force_login(teacher)
    url = Notification.objects.filter(recipient=teacher).first().url
    assert client.get(url).status_code == 200


def test_the_daily_command_runs(users, session, capsys):
    call_command("send_reminders")
    assert "session reminders" in capsys.readouterr().out


def test_participants_hear_once_that_the_test_and_the_survey_are_open(users, session, course):
    teacher = users[TEACHER]
    training_actions.enrol(acting_user=teacher, session=session, person=teacher.person)
    rows = [
        {"text": "PLC ย่อมาจากอะไร", "choices": ["ชุมชนการเรียนรู้ทางวิชาชีพ", "ห้องสมุด"], "correct": 0}
    ]
    training_actions.save_questions(
        acting_user=users[OFFICER], course=course, module=None, rows=rows
    )
    training_actions.save_questions(
        acting_user=users[OFFICER], course=course, module=None, rows=rows
    )
    assert kinds_of(teacher).count(Kind.TEST_OPEN) == 1
    assert kinds_of(users[OFFICER]) == []
    assert scheduled.survey_reminders(today=session.end_date) == 1
    assert scheduled.survey_reminders(today=session.end_date) == 0
    assert kinds_of(teacher).count(Kind.TEST_OPEN) == 2


def test_directors_get_their_schools_data_quality_problems(
    users, office, school, teacher_person, other_school
):
    other_director = make_user("director2", Role.SCHOOL_DIRECTOR, office, school=other_school)
    teacher_person.phone = ""
    teacher_person.save()
    assert scheduled.quality_reports(today=dt.date(2026, 3, 2)) == 2
    assert scheduled.quality_reports(today=dt.date(2026, 3, 3)) == 0  # same week
    # Each director hears of her own school only (the other school has problems of its own).
    note = Notification.objects.get(kind=Kind.DATA_QUALITY, recipient=users[DIRECTOR])
    assert note.url == f"/registry/quality/schools/{school.pk}/"
    assert school.name in note.title and other_school.name not in note.title
    theirs = Notification.objects.get(kind=Kind.DATA_QUALITY, recipient=other_director)
    assert theirs.url == f"/registry/quality/schools/{other_school.pk}/"
    assert school.name not in theirs.title
    assert teacher_person.first_name not in note.outside_text
    assert not Notification.objects.exclude(
        recipient__in=[users[DIRECTOR], other_director]
    ).exists()


def test_the_director_of_a_closed_school_left_empty_is_not_told_of_its_data(
    users, office, school, other_school
):
    """A school closed (or merged into another) with no one left has no data to keep up; one
    closing on a day still to come is told as before."""
    from registry.actions import close_school

    make_user("director2", Role.SCHOOL_DIRECTOR, office, school=other_school)
    close_school(acting_user=None, school=other_school, closed_on=dt.date(2025, 5, 16),
                 merged_into=school, reason="")  # fmt: skip
    scheduled.quality_reports(today=dt.date(2026, 3, 2))
    notes = Notification.objects.filter(kind=Kind.DATA_QUALITY)
    assert not any(other_school.name in n.title for n in notes)
    assert any(school.name in n.title for n in notes)
