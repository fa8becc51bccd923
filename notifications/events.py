"""The events other apps raise: one function per event, called with one line from the
action that causes it (training/actions.py, planning/actions.py, career/actions.py,
community/actions.py, imports/actions.py) or from a scheduled command (scheduled.py).

Each function decides who is told, what the inbox says (it may name the people involved:
it is inside the system) and what email and LINE say (never anyone's name but the
recipient's, PDPA), and where the link goes. They only write rows in the caller's
transaction; sending happens later in the task worker.
"""

from __future__ import annotations

from collections import Counter

from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.queries import office_users_who_can
from accounts.roles import EDIT_REPORTS, MANAGE_DEBT, MANAGE_TRAINING, Role, can
from krupd.lib import compiled_queries

from .actions import notify, notify_many
from .kinds import Kind
from .models import Notification


def _users_of_people(person_ids) -> list:
    """The active accounts of people given by ids, or by a subquery of their ids."""

    def build(ids):
        return get_user_model().objects.filter(person_id__in=ids, is_active=True)

    if isinstance(person_ids, list | tuple | set):
        # One person, the usual event (a self-enrolment): compiled once, only the id varies.
        return compiled_queries.objects_for_ids("notifications.users_of_person", build, person_ids)
    return list(build(person_ids))


def _accounts_by_person(person_ids) -> dict[int, list]:
    """{person id: that person's active accounts}, for many people in one query."""
    accounts: dict[int, list] = {}
    for user in _users_of_people(person_ids):
        accounts.setdefault(user.person_id, []).append(user)
    return accounts


def _user_of(person) -> list:
    return _users_of_people([person.pk]) if person is not None else []


def _directors_of(school_id, *, deciding_for=None) -> list:
    """The school's directors; with `deciding_for` (a person), not that person's own account:
    a director's own plan does not wait for their own decision."""
    if not school_id:
        return []
    directors = get_user_model().objects.filter(
        role=Role.SCHOOL_DIRECTOR, school_id=school_id, is_active=True
    )
    if deciding_for is not None:
        directors = directors.exclude(person_id=deciding_for.pk)
    return list(directors)


def _office_users_who_can(office_id, capability: str, *, exclude=None) -> list:
    users = office_users_who_can(office_id, capability)
    if exclude is not None and getattr(exclude, "pk", None):
        users = users.exclude(pk=exclude.pk)
    return list(users)


# ------------------------------------------------------------------------ training


# What the participant reads for each outcome: (kind, inbox title, email/LINE text), with
# {course} and {session} filled in. A promotion is told as such whatever the new status.
_ENROLMENT_MESSAGES = {
    "promoted": (Kind.ENROLMENT_PROMOTED,
                 "ได้ที่นั่งแล้ว: {course} ({session}) จากรายชื่อรอที่นั่ง",
                 "คุณได้ที่นั่งในหลักสูตร “{course}” จากรายชื่อรอที่นั่งแล้ว"),
    "enrolled": (Kind.ENROLMENT_CONFIRMED,
                 "ลงทะเบียนสำเร็จ: {course} ({session})",
                 "คุณลงทะเบียนหลักสูตร “{course}” เรียบร้อยแล้ว"),
    "waitlisted": (Kind.ENROLMENT_WAITLISTED,
                   "อยู่ในรายชื่อรอที่นั่ง: {course} ({session})",
                   "ที่นั่งหลักสูตร “{course}” เต็ม คุณอยู่ในรายชื่อรอที่นั่ง"),
    "cancelled": (Kind.ENROLMENT_CANCELLED,
                  "การลงทะเบียนถูกยกเลิก: {course} ({session})",
                  "การลงทะเบียนหลักสูตร “{course}” ของคุณถูกยกเลิก"),
    "rejected": (Kind.ENROLMENT_CANCELLED,
                 "การลงทะเบียนไม่ได้รับอนุมัติ: {course} ({session})",
                 "การลงทะเบียนหลักสูตร “{course}” ของคุณไม่ได้รับอนุมัติ"),
}  # fmt: skip


def enrolment_changed(
    enrolment, *, acting_user=None, promoted: bool = False, accounts: list | None = None
) -> None:
    """A seat was taken, queued, freed, granted from the waiting list or refused. Nobody is
    told of a cancellation they made themself; a request waiting for approval goes to the
    course's owner. `accounts`: the person's active accounts, when the caller has read them."""
    from training.models import EnrolmentStatus

    course = enrolment.course
    if not promoted and enrolment.status == EnrolmentStatus.PENDING:
        notify(
            kind=Kind.ENROLMENT_REQUEST,
            recipients=_course_managers(course),
            title=f"คำขอลงทะเบียนของ {enrolment.person.full_name} รออนุมัติ: {course.title}",
            outside_text=f"มีคำขอลงทะเบียนหลักสูตร “{course.title}” รอการอนุมัติ",
            url=reverse("training:roster", args=[enrolment.session_id]),
        )
        return
    if acting_user is not None and acting_user.person_id == enrolment.person_id:
        if enrolment.status == EnrolmentStatus.CANCELLED:
            return
    kind, title, outside = _ENROLMENT_MESSAGES["promoted" if promoted else enrolment.status]
    names = {"course": course.title, "session": enrolment.session.name}
    notify(
        kind=kind,
        recipients=_user_of(enrolment.person) if accounts is None else accounts,
        title=title.format(**names),
        outside_text=outside.format(**names),
        url=reverse("training:course_detail", args=[course.pk]),
    )


def _course_managers(course) -> list:
    """Who decides a course's requests: its owner while still a manager of the course's
    office; otherwise (the owner left, or moved to another office) the office's training
    managers, so a request neither waits unheard nor reaches someone outside the office."""
    owner = course.created_by if course.created_by_id else None
    if owner is not None and owner.office_id == course.office_id and can(owner, MANAGE_TRAINING):
        return [owner]
    return _office_users_who_can(course.office_id, MANAGE_TRAINING)


def enrolments_changed(enrolments, *, acting_user=None) -> None:
    """enrolment_changed for each of many new enrolments (a nomination list), with one
    look-up of which of the people have an account to be told.

    Someone enrolling themselves is told at the account they are signed in with, without
    looking it up: a person has one account at most (User.person is one-to-one)."""
    from training.models import EnrolmentStatus

    accounts: dict[int, list] = {}
    if acting_user is not None and acting_user.is_active and acting_user.person_id:
        accounts[acting_user.person_id] = [acting_user]
    others = [e.person_id for e in enrolments if e.person_id not in accounts]
    if others:
        accounts.update(_accounts_by_person(others))
    for enrolment in enrolments:
        if enrolment.status == EnrolmentStatus.PENDING or enrolment.person_id in accounts:
            enrolment_changed(enrolment, accounts=accounts.get(enrolment.person_id, []))


def enrolment_decided(enrolment) -> None:
    """An approval gives the seat (confirmed); a refusal says so. Approving a request that
    waits for a seat says nothing yet: the promotion will."""
    from training.models import EnrolmentStatus

    if enrolment.status in (EnrolmentStatus.ENROLLED, EnrolmentStatus.REJECTED):
        enrolment_changed(enrolment)


def test_opened(course, *, module, questions: int) -> None:
    """The course's pre/post test got its questions: everyone with a seat may take it now.
    Told once per course (editing the questions later says nothing more)."""
    from training.models import EnrolmentStatus

    if module is not None or not questions:
        return
    person_ids = course.enrolments.filter(status=EnrolmentStatus.ENROLLED).values("person_id")
    notify(
        kind=Kind.TEST_OPEN,
        recipients=_users_of_people(person_ids),
        title=f"แบบทดสอบก่อน/หลังเรียนของหลักสูตร “{course.title}” เปิดให้ทำแล้ว",
        url=reverse("training:course_detail", args=[course.pk]),
        dedupe_key=f"test-open:{course.pk}",
    )


def certificate_issued(certificate) -> None:
    notify(
        kind=Kind.CERTIFICATE_ISSUED,
        **_certificate_issued(certificate, _user_of(certificate.enrolment.person)),
    )


def certificates_issued(certificates) -> None:
    """certificate_issued for a course's whole batch: the same notices, in a few queries."""
    users = _accounts_by_person({c.enrolment.person_id for c in certificates} - {None})
    notify_many(
        Kind.CERTIFICATE_ISSUED,
        [_certificate_issued(c, users.get(c.enrolment.person_id, [])) for c in certificates],
    )


def _certificate_issued(certificate, recipients: list) -> dict:
    return {
        "recipients": recipients,
        "title": f"ได้รับเกียรติบัตร: {certificate.course_title} (เลขที่ {certificate.number})",
        "outside_text": f"เกียรติบัตรหลักสูตร “{certificate.course_title}” ของคุณพร้อมแล้ว",
        # The course's page, where her certificate is downloaded (and, once revoked, says
        # so): "my_certificate" is the button that asks for one (POST only, 405 from a link).
        "url": reverse("training:course_detail", args=[certificate.enrolment.course_id]),
    }


def certificate_revoked(certificate) -> None:
    enrolment = certificate.enrolment
    notify(
        kind=Kind.CERTIFICATE_REVOKED,
        recipients=_user_of(enrolment.person),
        title=f"เกียรติบัตรเลขที่ {certificate.number} ({certificate.course_title}) ถูกเพิกถอน",
        outside_text=f"เกียรติบัตรหลักสูตร “{certificate.course_title}” ของคุณถูกเพิกถอน",
        url=reverse("training:course_detail", args=[enrolment.course_id]),
    )


# ------------------------------------------------------------------------ approvals


def _decision(*, status: str, approved: str, returned: str, owner_users, what: str, url: str,
              comment: str = "") -> None:  # fmt: skip
    if status == approved:
        notify(
            kind=Kind.APPROVAL_APPROVED,
            recipients=owner_users,
            title=f"{what}ของคุณได้รับอนุมัติแล้ว",
            url=url,
        )
    elif status == returned:
        note = f" — {comment.strip()}" if comment.strip() else ""
        notify(
            kind=Kind.APPROVAL_RETURNED,
            recipients=owner_users,
            title=f"{what}ของคุณถูกส่งกลับให้แก้ไข{note}",
            outside_text=f"{what}ของคุณถูกส่งกลับให้แก้ไข ดูความเห็นในระบบ",
            url=url,
        )


def id_plan_changed(plan, *, comment: str = "") -> None:
    from planning.models import IdPlanStatus

    url = reverse("planning:idp", args=[plan.pk])
    what = f"แผนพัฒนาตนเอง (ID Plan) ปี {plan.year} "
    if plan.status == IdPlanStatus.SUBMITTED:
        notify(
            kind=Kind.APPROVAL_WAITING,
            recipients=_directors_of(plan.person.school_id, deciding_for=plan.person),
            title=f"{what}ของ {plan.person.full_name} รอการพิจารณา",
            outside_text=f"มี{what}รอการพิจารณาของคุณ",
            url=url,
        )
    _decision(status=plan.status, approved=IdPlanStatus.APPROVED, returned=IdPlanStatus.RETURNED,
              owner_users=_user_of(plan.person), what=what, url=url, comment=comment)  # fmt: skip


def pa_agreement_changed(agreement) -> None:
    from career.models import PAStatus

    url = reverse("career:pa_detail", args=[agreement.pk])
    what = f"ข้อตกลงในการพัฒนางาน (PA) ปีงบประมาณ {agreement.fiscal_year} "
    if agreement.status == PAStatus.SUBMITTED:
        notify(
            kind=Kind.APPROVAL_WAITING,
            recipients=_directors_of(agreement.person.school_id, deciding_for=agreement.person),
            title=f"{what}ของ {agreement.person.full_name} รออนุมัติ",
            outside_text=f"มี{what}รอการอนุมัติของคุณ",
            url=url,
        )
    _decision(status=agreement.status, approved=PAStatus.APPROVED, returned=PAStatus.RETURNED,
              owner_users=_user_of(agreement.person), what=what, url=url,
              comment=agreement.director_note)  # fmt: skip


def pa_evaluators_assigned(agreement, evaluators) -> None:
    """Each evaluator learns of the seat. The evaluation form opens only once the director
    has approved the agreement (it refused them until then), and the office may seat them
    earlier: the link is the form when it is open, else the agreement's page, which offers
    the form once it opens."""
    from career.models import PAStatus

    open_now = agreement.status in (PAStatus.APPROVED, PAStatus.EVALUATED)
    url = reverse("career:pa_evaluate" if open_now else "career:pa_detail", args=[agreement.pk])
    # A seat is news once; seated again after being taken off it (told so, below), it is
    # news again: the key counts the removals that evaluator was told of.
    removals = Counter(
        Notification.objects.filter(
            recipient__in=[u.pk for u in evaluators],
            dedupe_key__startswith=f"pa-evaluator-removed:{agreement.pk}:",
        ).values_list("recipient_id", flat=True)
    )
    for user in evaluators:
        times = removals[user.pk]
        notify(
            kind=Kind.PA_EVALUATOR,
            recipients=[user],
            title=(
                f"ได้รับแต่งตั้งเป็นกรรมการประเมิน PA ของ {agreement.person.full_name} "
                f"ปีงบประมาณ {agreement.fiscal_year}"
            ),
            outside_text=f"คุณได้รับแต่งตั้งเป็นกรรมการประเมิน PA ปีงบประมาณ {agreement.fiscal_year}",
            url=url,
            dedupe_key=f"pa-evaluator:{agreement.pk}" + (f":{times}" if times else ""),
        )


def pa_evaluators_removed(agreement, evaluations) -> None:
    """Each evaluator the office took off a seat (not yet scored) learns it is no longer
    theirs, so nobody waits on a form they can no longer open. One notice per seat held:
    the key is that seat's row, made anew each time someone is seated."""
    for evaluation in evaluations:
        notify(
            kind=Kind.PA_EVALUATOR,
            recipients=[evaluation.evaluator],
            title=(
                f"เขตพื้นที่ยกเลิกการแต่งตั้งท่านเป็นกรรมการประเมิน PA ของ "
                f"{agreement.person.full_name} ปีงบประมาณ {agreement.fiscal_year} แล้ว"
            ),
            outside_text=(
                f"การแต่งตั้งคุณเป็นกรรมการประเมิน PA ปีงบประมาณ {agreement.fiscal_year} ถูกยกเลิกแล้ว"
            ),
            url=reverse("career:pa_mine"),
            dedupe_key=f"pa-evaluator-removed:{agreement.pk}:{evaluation.pk}",
        )


def pa_evaluation_submitted(evaluation) -> None:
    """When the third evaluator submits, the teacher learns the evaluation is complete."""
    from career.models import PAStatus

    agreement = evaluation.agreement
    if agreement.status != PAStatus.EVALUATED:
        return
    notify(
        kind=Kind.APPROVAL_APPROVED,
        recipients=_user_of(agreement.person),
        title=f"กรรมการประเมิน PA ปีงบประมาณ {agreement.fiscal_year} ของคุณครบทั้ง 3 คนแล้ว",
        url=reverse("career:pa_detail", args=[agreement.pk]),
        # Once per result reached: a result completed again after the office reopened a score
        # is news again (the last score's time tells one completion from the next).
        dedupe_key=f"pa-evaluated:{agreement.pk}:{evaluation.submitted_at.timestamp():.6f}",
    )


def pa_evaluation_reopened(evaluation, *, reason: str) -> None:
    """The office reopened one evaluator's score of a complete result: the teacher learns her
    result is no longer final and why; the evaluator learns the form waits for them again.
    Outside the system neither text carries the reason (it may speak of scores)."""
    agreement = evaluation.agreement
    # Ends in a space, as every `what` here: the year ran into the word after it
    # ("ปีงบประมาณ 2569ของคุณ").
    what = f"ผลการประเมิน PA ปีงบประมาณ {agreement.fiscal_year} "
    key = f"pa-reopened:{evaluation.pk}:{agreement.updated_at.timestamp():.6f}"
    notify(
        kind=Kind.APPROVAL_RETURNED,
        recipients=_user_of(agreement.person),
        title=f"{what}ของคุณถูกเปิดให้กรรมการคนที่ {evaluation.seat} ประเมินอีกครั้ง — {reason}",
        outside_text=f"{what}ของคุณถูกเปิดให้กรรมการประเมินอีกครั้ง ดูเหตุผลในระบบ",
        url=reverse("career:pa_detail", args=[agreement.pk]),
        dedupe_key=key,
    )
    notify(
        kind=Kind.PA_EVALUATOR,
        recipients=[evaluation.evaluator],
        title=(
            f"เขตพื้นที่เปิดให้ท่านประเมิน PA ของ {agreement.person.full_name} "
            f"ปีงบประมาณ {agreement.fiscal_year} อีกครั้ง — {reason}"
        ),
        outside_text=f"มีการประเมิน PA ปีงบประมาณ {agreement.fiscal_year} รอท่านแก้ไข",
        url=reverse("career:pa_evaluate", args=[agreement.pk]),
        dedupe_key=key,
    )


def plan_changed(plan, *, comment: str = "") -> None:
    from accounts.roles import APPROVE_PLANS
    from planning.models import PlanEvent, PlanStatus

    url = reverse("planning:plan", args=[plan.pk])
    what = f"แผน “{plan.title}” "
    if plan.status == PlanStatus.SUBMITTED:
        from planning.queries import plan_submitter_id

        # Not the one who submitted it: they may not approve their own plan.
        submitter = get_user_model()(pk=plan_submitter_id(plan))
        notify(
            kind=Kind.APPROVAL_WAITING,
            recipients=_office_users_who_can(plan.office_id, APPROVE_PLANS, exclude=submitter),
            title=f"{what}เสนอขออนุมัติ",
            url=url,
        )
        return
    submitted = (
        PlanEvent.objects.filter(plan=plan, to_status=PlanStatus.SUBMITTED)
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    decided_by = PlanEvent.objects.filter(plan=plan).order_by("-id").values("actor_id")[:1]
    owner = [submitted.actor] if submitted and submitted.actor_id else []
    # The one who submitted it taking it back to draft is told nothing by themself.
    owner = [u for u in owner if u.pk not in {row["actor_id"] for row in decided_by}]
    _decision(status=plan.status, approved=PlanStatus.APPROVED, returned=PlanStatus.DRAFT,
              owner_users=owner, what=what, url=url, comment=comment)  # fmt: skip


def nomination_created(nomination) -> None:
    """The round's judges learn of the work. The link is the round's page, not the score
    form: a nomination is made while the round is open, and scoring opens only with judging
    (the form refused them until then); the round's page lists the work, and its score link
    once judging starts."""
    round_ = nomination.round
    judges = round_.judges.filter(is_active=True)
    if nomination.person_id:  # a judge never scores their own work (score_nomination)
        judges = judges.exclude(person_id=nomination.person_id)
    notify(
        kind=Kind.APPROVAL_WAITING,
        recipients=list(judges),
        title=f"ผลงานเสนอชื่อ “{nomination.work_title}” รอกรรมการให้คะแนน ({round_})",
        outside_text="มีผลงานเสนอชื่อรับรางวัลรอให้คะแนน",
        url=reverse("community:round_detail", args=[round_.pk]),
    )


def award_results(results) -> None:
    """The winner of each level (the area's own decision, a region's or the country's result
    recorded by the office) is told once: recording the same result again says nothing."""
    from community.models import ResultOutcome

    for result in results:
        if result.outcome != ResultOutcome.WINNER:
            continue
        nomination = result.nomination
        level = result.get_level_display()
        notify(
            kind=Kind.APPROVAL_APPROVED,
            recipients=_user_of(nomination.person),
            title=f"ผลงาน “{nomination.work_title}” ได้รับคัดเลือก{level} ({nomination.round})",
            url=reverse("community:round_detail", args=[nomination.round_id]),
            dedupe_key=f"award-winner:{nomination.pk}:{result.level}",
        )


def award_certificates_issued(certificates) -> None:
    """Each winner learns her award certificate is ready (one per level won), with a link to
    the round's page where she downloads it."""
    for certificate in certificates:
        nomination = certificate.result.nomination
        level = certificate.get_level_display()
        notify(
            kind=Kind.CERTIFICATE_ISSUED,
            recipients=_user_of(nomination.person),
            title=(
                f"ได้รับเกียรติบัตรรางวัล {certificate.programme_name} {level} "
                f"(เลขที่ {certificate.number})"
            ),
            outside_text=f"เกียรติบัตรรางวัล “{certificate.programme_name}” {level} ของคุณพร้อมแล้ว",
            url=reverse("community:round_detail", args=[nomination.round_id]),
        )


def award_certificate_revoked(certificate) -> None:
    if certificate.result is None:
        return
    nomination = certificate.result.nomination
    level = certificate.get_level_display()
    notify(
        kind=Kind.CERTIFICATE_REVOKED,
        recipients=_user_of(nomination.person),
        title=(
            f"เกียรติบัตรรางวัลเลขที่ {certificate.number} "
            f"({certificate.programme_name} {level}) ถูกเพิกถอน"
        ),
        outside_text=f"เกียรติบัตรรางวัล “{certificate.programme_name}” {level} ของคุณถูกเพิกถอน",
        url=reverse("community:round_detail", args=[nomination.round_id]),
    )


def round_saved(rnd) -> None:
    """A round saved while open tells its targets at once (not again on later saves)."""
    from .scheduled import round_opened

    round_opened(rnd)


# ------------------------------------------------------------------------ office work


def import_finished(batch_id: int, *, applied_only: bool = False) -> None:
    """Validation or apply ended (or failed): the uploader learns it without watching.
    After an apply (`applied_only`) only its own outcome counts: an apply that found the data
    changed re-validates, and that validation has already told the uploader."""
    from imports.models import BatchStatus, ImportBatch

    batch = ImportBatch.objects.select_related("uploaded_by").filter(pk=batch_id).first()
    if batch is None or batch.uploaded_by is None:
        return
    url = reverse("imports:detail", args=[batch.pk])
    name = batch.original_name
    if batch.status == BatchStatus.FAILED:
        kind, title = Kind.IMPORT_FAILED, f"นำเข้าไฟล์ {name} ไม่สำเร็จ: {batch.error_message}"
        outside = f"นำเข้าไฟล์ {name} ไม่สำเร็จ ดูสาเหตุในระบบ"
    elif batch.status == BatchStatus.APPLIED:
        kind, title = Kind.IMPORT_FINISHED, f"บันทึกข้อมูลจากไฟล์ {name} เรียบร้อยแล้ว"
        outside = title
    elif applied_only:
        return
    elif batch.status == BatchStatus.VALIDATED:
        kind = Kind.IMPORT_FINISHED
        title = f"ตรวจไฟล์ {name} เสร็จแล้ว พร้อมให้ตรวจดูตัวอย่างก่อนบันทึก"
        outside = title
    elif batch.status == BatchStatus.NEEDS_MAPPING:
        kind = Kind.IMPORT_FINISHED
        title = f"ไฟล์ {name} ต้องจับคู่คอลัมน์ก่อนตรวจต่อ"
        outside = title
    else:
        return
    notify(kind=kind, recipients=[batch.uploaded_by], title=title, outside_text=outside, url=url)


def file_import_finished(job_id: int) -> None:
    """A whole-workbook import (framework, O-NET) ended: the uploader learns how, without
    watching its page."""
    from imports.models import FileImport, FileImportStatus

    job = FileImport.objects.select_related("uploaded_by").filter(pk=job_id).first()
    if job is None or job.uploaded_by is None:
        return
    name = job.original_name
    if job.status == FileImportStatus.DONE:
        kind, title = Kind.IMPORT_FINISHED, f"บันทึกข้อมูลจากไฟล์ {name} เรียบร้อยแล้ว"
    else:
        kind = Kind.IMPORT_FAILED
        title = f"นำเข้าไฟล์ {name} ไม่ได้ พบปัญหา {len(job.errors):,} รายการ ไม่ได้บันทึกอะไร"
    notify(
        kind=kind,
        recipients=[job.uploaded_by],
        title=title,
        outside_text=title,
        url=reverse("imports:file_import", args=[job.pk]),
    )


def debt_case_saved(case, *, is_new: bool, newly_assigned: bool = False, acting_user) -> None:
    """A case assigned to a debt officer is told to that officer only; a new case nobody is
    assigned to yet, to the office's debt officers. Nothing of the case is in the message
    (not even in the inbox: the link leads to the audited debt pages)."""
    if newly_assigned:
        recipients = [case.assigned_officer] if case.assigned_officer != acting_user else []
        title = "มีคำขอแก้ไขหนี้สินมอบหมายให้คุณดำเนินการ 1 เรื่อง"
    elif is_new and case.assigned_officer_id is None:
        recipients = _office_users_who_can(case.person.office_id, MANAGE_DEBT, exclude=acting_user)
        title = "มีคำขอแก้ไขหนี้สินใหม่ 1 เรื่องรอมอบหมายผู้รับผิดชอบ"
    else:
        return
    notify(
        kind=Kind.DEBT_CASE,
        recipients=recipients,
        title=title,
        url=reverse("career:debt_detail", args=[case.person_id]),
    )


# ------------------------------------------------------------ provincial inspection round


def inspection_submitted(submission) -> None:
    """An office sent its inspection report to its province: the province's inspectors are
    told, with a link to what was sent."""
    from oversight.inspection_queries import round_for

    report = submission.report
    round_ = round_for(report.office, report.fiscal_year, submission.round_number)
    if round_ is None:
        return
    inspectors = get_user_model().objects.filter(
        role=Role.PROVINCE_INSPECTOR, province=round_.province, is_active=True
    )
    notify(
        kind=Kind.APPROVAL_WAITING,
        recipients=inspectors,
        title=f"{report.office.name} ส่งรายงานผลการตรวจราชการรอบที่ {submission.round_number} "
        "รอการพิจารณา",
        url=reverse("oversight:round_office", args=[round_.pk, report.office_id]),
    )


def inspection_reviewed(submission) -> None:
    """The province accepted or returned an office's inspection report: the office's report
    writers are told (the comment stays inside the system)."""
    from reporting.models import SubmissionStatus

    report = submission.report
    writers = office_users_who_can(report.office_id, EDIT_REPORTS)
    url = reverse("reporting:inspection_report", args=[report.pk])
    what = f"รายงานผลการตรวจราชการรอบที่ {submission.round_number} "  # "รอบที่ 1 แล้ว"
    if submission.status == SubmissionStatus.ACCEPTED:
        notify(kind=Kind.APPROVAL_APPROVED, recipients=writers, title=f"จังหวัดรับ{what}แล้ว",
               url=url)  # fmt: skip
    elif submission.status == SubmissionStatus.RETURNED:
        notify(
            kind=Kind.APPROVAL_RETURNED,
            recipients=writers,
            title=f"จังหวัดส่ง{what}กลับให้แก้ไข — {submission.comment.strip()}",
            outside_text=f"จังหวัดส่ง{what}กลับให้แก้ไข ดูความเห็นในระบบ",
            url=url,
        )
