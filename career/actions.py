"""Every write of the career app: atomic, takes the acting user, leaves an audit entry."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.roles import EDIT_SETTINGS, MANAGE_DEBT, MANAGE_PA, can
from krupd import repeats, uploads, worker_files
from krupd.lib import typed_text
from krupd.lib.clipping import clip
from notifications import events
from registry import actions as registry_actions
from registry import audit
from registry.access import OWN_DECISION_REFUSED, decides_for
from registry.models import AuditAction, Person

from . import queries, scoring
from .models import (
    WORKLOAD_TOTAL_FIELD,
    CareerRules,
    DebtCase,
    DebtProfile,
    Deduction,
    EvidenceKind,
    PAAgreement,
    PAEvaluation,
    PAEvidence,
    PAItem,
    PAPackExport,
    PAStatus,
    PAWorkload,
    RequestStatus,
    StandingRequest,
)


class CareerError(ValidationError):
    """A rule of the domain refused the write; the message is for the user."""


def _record(actor, action, instance, *, office, changes=None, label="", object_type=""):
    audit.record(
        actor=actor,
        action=action,
        instance=instance,
        office=office,
        changes=changes,
        object_label=label,
        object_type=object_type,
    )


@transaction.atomic
def save_rules(*, acting_user, rules: CareerRules) -> CareerRules:
    """The office's PA pass mark and the debt net-pay threshold; the change is audited."""
    if not can(acting_user, EDIT_SETTINGS) or acting_user.office_id != rules.office_id:
        raise CareerError("ไม่มีสิทธิ์แก้ไขการตั้งค่า")
    fields = ["pa_pass_pct", "debt_net_min_pct"]
    before = audit.snapshot(CareerRules.objects.get(pk=rules.pk), fields) if rules.pk else {}
    rules.full_clean()
    rules.save()
    # Compare stored values (the form's Decimal("30") and the stored 30.00 are the same).
    changes = audit.diff(before, audit.snapshot(CareerRules.objects.get(pk=rules.pk), fields))
    if changes:
        _record(
            acting_user,
            AuditAction.UPDATE,
            rules,
            office=rules.office,
            changes=changes,
            label=f"การตั้งค่า PA และหนี้สิน {rules.office.name}",
        )
    return rules


# ------------------------------------------------------------------------------------- PA


def _agreement_of(person: Person, fiscal_year: int) -> PAAgreement | None:
    return PAAgreement.objects.filter(person=person, fiscal_year=fiscal_year).first()


@transaction.atomic
def start_agreement(*, acting_user, person: Person, fiscal_year: int) -> PAAgreement:
    """A teacher's PA for the year with one row per indicator of the active edition."""
    if acting_user.person_id != person.pk:
        raise CareerError("ครูจัดทำข้อตกลงของตนเองเท่านั้น")
    if refusal := queries.pa_year_refusal(fiscal_year):
        raise CareerError(refusal)
    existing = _agreement_of(person, fiscal_year)
    if existing:
        return existing
    edition = queries.active_edition()
    try:
        with transaction.atomic():
            agreement = PAAgreement.objects.create(
                person=person,
                edition=edition,
                fiscal_year=fiscal_year,
                school=person.school,
                standing=person.academic_standing,
            )
    except IntegrityError:
        # A double tap on "start": the other tap made it first; both land on that one
        # (the second used to get a server error).
        return PAAgreement.objects.get(person=person, fiscal_year=fiscal_year)
    PAItem.objects.bulk_create(
        PAItem(agreement=agreement, indicator=i) for i in edition.indicators.all()
    )
    _record(acting_user, AuditAction.CREATE, agreement, office=person.office)
    return agreement


def agreement_closed_message(agreement: PAAgreement) -> str:
    """Why the teacher can no longer change it ("" while a draft or returned): a teacher who
    goes back to the form after sending it is told so, not shown a bare 403 page."""
    if agreement.status in (PAStatus.DRAFT, PAStatus.RETURNED):
        return ""
    return (
        f"ข้อตกลงนี้อยู่ในสถานะ “{agreement.get_status_display()}” แล้ว แก้ไขไม่ได้ "
        "— แก้ไขได้เมื่อเป็นร่างหรือถูกส่งกลับแก้ไข"
    )


AGREEMENT_FIELDS = [
    "teaching_hours",
    "support_hours",
    "quality_hours",
    "policy_hours",
    "challenge_title",
    "challenge_problem",
    "challenge_method",
    "challenge_quant",
    "challenge_qual",
]


@transaction.atomic
def save_agreement(*, acting_user, agreement: PAAgreement, items: dict[int, dict]) -> PAAgreement:
    if agreement.person_id != acting_user.person_id:
        raise CareerError("แก้ไขได้เฉพาะข้อตกลงของตนเอง")
    # Locked and re-read: a save from a tab opened before the agreement was sent must not
    # change what the director is approving.
    stored = PAAgreement.objects.select_for_update().get(pk=agreement.pk)
    if closed := agreement_closed_message(stored):
        raise CareerError(closed)
    before = audit.snapshot(stored, AGREEMENT_FIELDS)
    agreement.save()
    for item in agreement.items.all():
        data = items.get(item.indicator_id)
        if data is not None:
            for k in ("tasks", "outcomes", "measures"):
                setattr(item, k, data.get(k, ""))
            item.save(update_fields=["tasks", "outcomes", "measures"])
    changes = audit.diff(before, audit.snapshot(agreement, AGREEMENT_FIELDS))
    _record(
        acting_user, AuditAction.UPDATE, agreement, office=agreement.person.office, changes=changes
    )
    return agreement


@transaction.atomic
def submit_agreement(*, acting_user, agreement: PAAgreement) -> PAAgreement:
    agreement = PAAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.person_id != acting_user.person_id:
        raise CareerError("ส่งได้เฉพาะข้อตกลงของตนเอง")
    if agreement.status not in (PAStatus.DRAFT, PAStatus.RETURNED):
        raise CareerError("ข้อตกลงนี้ส่งแล้ว")
    missing = [
        i.indicator.number
        for i in agreement.items.select_related("indicator")
        if not i.tasks.strip()
    ]
    if missing:
        raise CareerError(f"ยังไม่ได้กรอกงาน (Tasks) ของตัวชี้วัดที่ {', '.join(map(str, missing))}")
    if not agreement.challenge_title.strip() or not agreement.challenge_method.strip():
        raise CareerError("กรุณากรอกประเด็นท้าทายและวิธีการดำเนินการ")
    return _set_status(acting_user, agreement, PAStatus.SUBMITTED)


def _set_status(acting_user, agreement, status, **extra) -> PAAgreement:
    before = agreement.status
    agreement.status = status
    for k, v in extra.items():
        setattr(agreement, k, v)
    agreement.save()
    _record(
        acting_user,
        AuditAction.UPDATE,
        agreement,
        office=agreement.person.office,
        changes={"status": [before, status]},
    )
    events.pa_agreement_changed(agreement)
    return agreement


NOTE_LONGEST = 5000


@transaction.atomic
def decide_agreement(*, acting_user, agreement: PAAgreement, approve: bool, note: str = ""):
    """The school director approves the agreement or returns it for changes."""
    agreement = (
        PAAgreement.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=agreement.pk)
    )
    if agreement.person_id == acting_user.person_id:
        raise CareerError(OWN_DECISION_REFUSED)
    if not decides_for(acting_user, agreement.person):
        raise CareerError("ผู้อำนวยการสถานศึกษาของครูเท่านั้นที่อนุมัติข้อตกลงได้")
    if agreement.status != PAStatus.SUBMITTED:
        raise CareerError("ข้อตกลงนี้ไม่ได้อยู่ในสถานะรออนุมัติ")
    # The note beside the buttons is read by no form: checked as a form would (a NUL pasted in
    # is a server error on PostgreSQL).
    problem = typed_text.problem(
        typed_text.trimmed(note), longest=NOTE_LONGEST, label="ความเห็นผู้อำนวยการ"
    )
    if problem:
        raise CareerError(problem)
    if approve:
        return _set_status(
            acting_user,
            agreement,
            PAStatus.APPROVED,
            approved_by=acting_user,
            approved_at=timezone.now(),
            director_note=note,
        )
    if not typed_text.trimmed(note):  # a zero-width space pasted in tells the teacher nothing
        raise CareerError("ความเห็นผู้อำนวยการ: กรุณาระบุสิ่งที่ครูต้องแก้ไขก่อนส่งกลับ")
    return _set_status(acting_user, agreement, PAStatus.RETURNED, director_note=note)


@transaction.atomic
def assign_evaluators(*, acting_user, agreement: PAAgreement, evaluators: list) -> list:
    """Seats 1–3. Seats already scored keep their evaluator."""
    if not can(acting_user, MANAGE_PA):
        raise CareerError("ไม่มีสิทธิ์แต่งตั้งผู้ประเมิน")
    if acting_user.person_id and acting_user.person_id == agreement.person_id:
        raise CareerError(OWN_DECISION_REFUSED)  # nobody chooses who evaluates them
    if len(evaluators) != 3 or len({u.pk for u in evaluators}) != 3:
        raise CareerError("ต้องมีผู้ประเมิน 3 คนไม่ซ้ำกัน")
    if any(u.person_id and u.person_id == agreement.person_id for u in evaluators):
        raise CareerError("ผู้รับการประเมินเป็นผู้ประเมินตนเองไม่ได้")
    # The agreement's row is taken first: two sendings at once (a double click, two officers)
    # take turns instead of both clearing the seats and meeting on the one-seat constraint.
    agreement = PAAgreement.objects.select_for_update().get(pk=agreement.pk)
    current = {e.seat: e for e in agreement.evaluations.all()}
    if {seat: e.evaluator_id for seat, e in current.items()} == {
        seat: user.pk for seat, user in enumerate(evaluators, 1)
    }:
        # The same committee sent again (a reload, Back and save): nothing changes, so
        # nothing is audited as a new appointment. An evaluator not yet told of the seat is
        # told now; one told already is not told twice (the notice's key is the seat's).
        events.pa_evaluators_assigned(agreement, evaluators)
        return list(current.values())
    for seat, user in enumerate(evaluators, 1):
        e = current.get(seat)
        if e and e.submitted_at and e.evaluator_id != user.pk:
            raise CareerError(f"ผู้ประเมินคนที่ {seat} ให้คะแนนแล้ว เปลี่ยนไม่ได้")
    # Those taken off a seat they held (not moved to another seat) are told, once each.
    chosen = {u.pk for u in evaluators}
    removed = [e for e in current.values() if not e.submitted_at and e.evaluator_id not in chosen]
    # Clear seats first so swapping two evaluators does not trip the uniqueness constraint.
    PAEvaluation.objects.filter(agreement=agreement, submitted_at__isnull=True).delete()
    kept = {e.seat for e in agreement.evaluations.all()}
    for seat, user in enumerate(evaluators, 1):
        if seat not in kept:
            PAEvaluation.objects.create(agreement=agreement, evaluator=user, seat=seat)
    _record(
        acting_user,
        AuditAction.UPDATE,
        agreement,
        office=agreement.person.office,
        changes={"evaluators": [None, [u.username for u in evaluators]]},
    )
    events.pa_evaluators_removed(agreement, removed)
    events.pa_evaluators_assigned(agreement, evaluators)
    return list(agreement.evaluations.all())


EVALUATION_LOCKED = (
    "กรรมการประเมินครบทั้ง 3 คนแล้ว ผลการประเมินถูกล็อก "
    "หากต้องแก้ไขคะแนน ขอให้เขตพื้นที่เปิดการประเมินอีกครั้งพร้อมระบุเหตุผล"
)
REOPEN_REASON_LONGEST = 1000


@transaction.atomic
def reopen_evaluation(*, acting_user, agreement: PAAgreement, seat: int, reason: str):
    """The office reopens one evaluator's score of a complete committee result, with a reason:
    the result goes back to waiting for that evaluator, the marks stay as their draft, the
    reopening is audited with the score it set aside, and the teacher and the evaluator are
    told. The only way a result already reached changes."""
    agreement = (
        PAAgreement.objects.select_for_update(of=("self",))
        .select_related("person__office")
        .get(pk=agreement.pk)
    )
    if not can(acting_user, MANAGE_PA) or acting_user.office_id != agreement.person.office_id:
        raise CareerError("เฉพาะเจ้าหน้าที่ PA ของเขตพื้นที่เท่านั้นที่เปิดการประเมินอีกครั้งได้")
    if acting_user.person_id and acting_user.person_id == agreement.person_id:
        raise CareerError(OWN_DECISION_REFUSED)
    if agreement.status != PAStatus.EVALUATED:
        raise CareerError("เปิดการประเมินอีกครั้งได้เมื่อกรรมการประเมินครบทั้ง 3 คนแล้วเท่านั้น")
    evaluation = agreement.evaluations.filter(seat=seat).select_related("evaluator").first()
    if evaluation is None or evaluation.submitted_at is None:
        raise CareerError(f"ผู้ประเมินคนที่ {seat}: ไม่พบผลการประเมินที่จะเปิดอีกครั้ง")
    reason = typed_text.trimmed(reason)  # a box no form reads, trimmed as a form's is
    if not reason:
        raise CareerError("เหตุผลที่เปิดการประเมินอีกครั้ง: กรุณาระบุ")
    problem = typed_text.problem(
        reason, longest=REOPEN_REASON_LONGEST, label="เหตุผลที่เปิดการประเมินอีกครั้ง"
    )
    if problem:
        raise CareerError(problem)
    set_aside = str(evaluation.total)
    evaluation.submitted_at = None
    evaluation.part1 = evaluation.part2 = evaluation.total = evaluation.passed = None
    evaluation.save(update_fields=["submitted_at", "part1", "part2", "total", "passed"])
    agreement.status = PAStatus.APPROVED
    agreement.save(update_fields=["status", "updated_at"])
    _record(
        acting_user,
        AuditAction.UPDATE,
        agreement,
        office=agreement.person.office,
        changes={
            "status": [PAStatus.EVALUATED, PAStatus.APPROVED],
            f"evaluator_{seat}": [set_aside, None],
            "reopen_reason": [None, reason],
        },
    )
    events.pa_evaluation_reopened(evaluation, reason=reason)
    return evaluation


@transaction.atomic
def submit_evaluation(
    *,
    acting_user,
    evaluation: PAEvaluation,
    indicator_levels: dict[int, int],
    method: int,
    quant: int,
    qual: int,
    comment: str = "",
) -> PAEvaluation:
    evaluation = (
        PAEvaluation.objects.select_for_update(of=("self", "agreement"))
        .select_related("agreement__edition", "agreement__person__office")
        .get(pk=evaluation.pk)
    )
    agreement = evaluation.agreement
    if evaluation.evaluator_id != acting_user.pk:
        raise CareerError("ไม่ใช่ผู้ประเมินที่ได้รับแต่งตั้ง")
    if agreement.status == PAStatus.EVALUATED:
        # ว 9/2564: the result is the three evaluators' scores together; once the third has
        # scored it is the committee's result and no one member may change it alone.
        raise CareerError(EVALUATION_LOCKED)
    if agreement.status != PAStatus.APPROVED:
        raise CareerError("ข้อตกลงยังไม่ได้รับอนุมัติ")
    rules = queries.rules_for(agreement.person.office)
    indicator_ids = set(agreement.edition.indicators.values_list("pk", flat=True))
    if set(indicator_levels) != indicator_ids:
        raise CareerError("ต้องให้ระดับครบทุกตัวชี้วัด")
    if evaluation.submitted_at and (
        evaluation.indicator_levels,
        evaluation.challenge_method_level,
        evaluation.challenge_quant_level,
        evaluation.challenge_qual_level,
        evaluation.comment,
    ) == ({str(k): v for k, v in indicator_levels.items()}, method, quant, qual, comment):
        # The same scores sent again (a double click, a reload): the score stands as sent,
        # with no second audit entry saying the evaluator scored again.
        return evaluation
    try:
        result = scoring.evaluate(
            edition=agreement.edition,
            indicator_levels=indicator_levels,
            indicator_count=len(indicator_ids),
            method=method,
            quant=quant,
            qual=qual,
            pass_pct=rules.pa_pass_pct,
        )
    except ValueError as e:
        raise CareerError(str(e)) from None
    corrected = _evaluation_corrections(
        evaluation, agreement, indicator_levels, (method, quant, qual), comment
    )
    set_aside = str(evaluation.total) if evaluation.submitted_at else None
    evaluation.indicator_levels = {str(k): v for k, v in indicator_levels.items()}
    evaluation.challenge_method_level, evaluation.challenge_quant_level = method, quant
    evaluation.challenge_qual_level = qual
    evaluation.part1, evaluation.part2, evaluation.total = result.part1, result.part2, result.pct
    evaluation.passed = result.passed
    evaluation.comment = comment
    evaluation.submitted_at = timezone.now()
    evaluation.save()
    if agreement.evaluations.filter(submitted_at__isnull=False).count() == 3:
        agreement.status = PAStatus.EVALUATED
        agreement.save(update_fields=["status", "updated_at"])
    _record(
        acting_user,
        AuditAction.UPDATE,
        agreement,
        office=agreement.person.office,
        changes={f"evaluator_{evaluation.seat}": [set_aside, str(result.pct)], **corrected},
    )
    events.pa_evaluation_submitted(evaluation)
    return evaluation


CHALLENGE_PARTS = ("ประเด็นท้าทาย: วิธีการ", "ประเด็นท้าทาย: ผลเชิงปริมาณ", "ประเด็นท้าทาย: ผลเชิงคุณภาพ")


def _evaluation_corrections(evaluation, agreement, levels: dict, challenge: tuple, comment: str):
    """An evaluator's marks sent again over earlier ones (a correction while the committee is
    incomplete, or after the office reopened the score): each level changed, old → new, by
    indicator number, as the paper grids audit theirs. Nothing for a first scoring."""
    had = evaluation.indicator_levels or {}
    if not had:
        return {}
    changes = {}
    for pk, number in agreement.edition.indicators.values_list("pk", "number"):
        old, new = had.get(str(pk)), levels.get(pk)
        if old != new:
            changes[f"ตัวชี้วัดที่ {number}"] = [old, new]
    before = (
        evaluation.challenge_method_level,
        evaluation.challenge_quant_level,
        evaluation.challenge_qual_level,
    )
    for label, old, new in zip(CHALLENGE_PARTS, before, challenge, strict=True):
        if old != new:
            changes[label] = [old, new]
    if evaluation.comment != comment:
        changes["ข้อเสนอแนะ"] = [evaluation.comment, comment]
    return changes


# What an approved request no longer changes, with the form's labels.
STANDING_REQUEST_LOCKED = {
    "person": "ผู้ยื่นขอ",
    "to_standing": "ขอวิทยฐานะ",
    "status": "สถานะ",
    "submitted_on": "วันที่ยื่น",
}


@transaction.atomic
def save_standing_request(
    *, acting_user, request: StandingRequest, effective_date: dt.date | None = None
) -> StandingRequest:
    """Save a request; once it is approved, the person's standing (and salary grade) in the
    registry become the approved ones, in their position history from `effective_date`
    (the day it took effect: the submission day unless given, else today)."""
    if not can(acting_user, MANAGE_PA):
        raise CareerError("ไม่มีสิทธิ์บันทึกคำขอวิทยฐานะ")
    if repeats.saved_already(request, parent=request.person):  # a double click, a reload
        raise CareerError(repeats.REPEATED_ROW)
    is_new = request.pk is None
    stored = None if is_new else StandingRequest.objects.select_for_update().get(pk=request.pk)
    approved_before = stored is not None and stored.status == RequestStatus.APPROVED
    if approved_before:
        # The registry already holds the standing it gave: changing whose request it is, the
        # standing or its state would leave the two disagreeing. Only the note stays open.
        locked = [
            label
            for name, label in STANDING_REQUEST_LOCKED.items()
            if getattr(stored, name) != getattr(request, name)
        ]
        if locked:
            raise CareerError(
                f"คำขอนี้อนุมัติแล้ว แก้ไข{'และ'.join(f'“{x}”' for x in locked)}ไม่ได้ — แก้ไขได้เฉพาะหมายเหตุ"
            )
    elif request.status == RequestStatus.APPROVED and request.person_id == acting_user.person_id:
        raise CareerError(OWN_DECISION_REFUSED)
    request.save()
    if request.status == RequestStatus.APPROVED and not approved_before:
        _give_standing(acting_user, request, effective_date or request.submitted_on)
    _record(
        acting_user,
        AuditAction.CREATE if is_new else AuditAction.UPDATE,
        request,
        office=request.person.office,
        changes={"status": [None, request.status]},
        label=f"คำขอ{request.to_standing} {request.person}",
    )
    return request


def _give_standing(acting_user, request: StandingRequest, effective_date) -> None:
    person = Person.objects.get(pk=request.person_id)
    standing = request.to_standing
    person.academic_standing = standing
    if standing.salary_grade:
        person.salary_grade = standing.salary_grade
    registry_actions.save_person(
        acting_user=acting_user,
        person=person,
        effective_date=effective_date,
        source="อนุมัติคำขอมี/เลื่อนวิทยฐานะ",
    )


# ---------------------------------------------------------------------------------- debt


@transaction.atomic
def save_debt_profile(
    *, acting_user, person: Person, gross: Decimal, other_income: Decimal, deductions: list[dict]
) -> DebtProfile:
    """Replace a person's pay and deduction lines. The audit keeps totals, not the lines."""
    if not can(acting_user, MANAGE_DEBT) or person.office_id != acting_user.office_id:
        raise CareerError("ไม่มีสิทธิ์บันทึกข้อมูลหนี้สิน")
    profile, created = DebtProfile.objects.get_or_create(
        person=person, defaults={"gross_salary": gross, "recorded_by": acting_user}
    )
    before_total = sum((d.monthly for d in profile.deductions.all()), Decimal("0"))
    profile.gross_salary, profile.other_income, profile.recorded_by = (
        gross,
        other_income,
        acting_user,
    )
    profile.save()
    profile.deductions.all().delete()
    Deduction.objects.bulk_create(Deduction(profile=profile, **d) for d in deductions)
    after_total = sum((Decimal(d["monthly"]) for d in deductions), Decimal("0"))
    _record(
        acting_user,
        AuditAction.CREATE if created else AuditAction.UPDATE,
        person,
        office=person.office,
        object_type="debt",
        label=f"หนี้สิน {person.full_name}",
        changes={"monthly_deductions": [str(before_total), str(after_total)]},
    )
    return profile


@transaction.atomic
def save_debt_case(*, acting_user, case: DebtCase) -> DebtCase:
    if not can(acting_user, MANAGE_DEBT) or case.person.office_id != acting_user.office_id:
        raise CareerError("ไม่มีสิทธิ์บันทึกคำขอแก้ไขหนี้")
    officer = case.assigned_officer
    if officer is not None and officer not in queries.debt_officers(case.person.office):
        raise CareerError("เจ้าหน้าที่ผู้รับผิดชอบต้องเป็นผู้ดูแลข้อมูลหนี้สินของเขตพื้นที่เดียวกัน")
    if repeats.saved_already(case, parent=case.person):  # a double click, a reload
        raise CareerError(repeats.REPEATED_ROW)
    is_new = case.pk is None
    before = (
        None
        if is_new
        else DebtCase.objects.filter(pk=case.pk)
        .values_list("assigned_officer_id", flat=True)
        .first()
    )
    case.save()
    _record(
        acting_user,
        AuditAction.CREATE if is_new else AuditAction.UPDATE,
        case.person,
        office=case.person.office,
        object_type="debt",
        label=f"คำขอแก้หนี้ {case.person.full_name}",
        changes={
            "outcome": [None, case.outcome],
            "assigned_officer": [before, case.assigned_officer_id],
        },
    )
    events.debt_case_saved(
        case,
        is_new=is_new,
        newly_assigned=case.assigned_officer_id is not None and case.assigned_officer_id != before,
        acting_user=acting_user,
    )
    return case


# ---------------------------------------------------------------------- PA evidence pack


def _owner_may_change_pack(acting_user, agreement: PAAgreement) -> None:
    if agreement.person_id != acting_user.person_id:
        raise CareerError("แก้ไขแฟ้มหลักฐานได้เฉพาะของตนเอง")
    if agreement.status == PAStatus.EVALUATED:
        raise CareerError("ข้อตกลงนี้ประเมินครบแล้ว แฟ้มหลักฐานแก้ไขไม่ได้")
    # A score the office reopened keeps the evaluator's marks as a draft (reopen_evaluation);
    # no other seat has marks without being submitted. The correction is of that score, on
    # the evidence the committee judged: the pack stays as it was.
    if (
        agreement.evaluations.filter(submitted_at__isnull=True)
        .exclude(indicator_levels={})
        .exists()
    ):
        raise CareerError("ผลการประเมินถูกเปิดให้กรรมการแก้ไขคะแนน แฟ้มหลักฐานแก้ไขไม่ได้")


@transaction.atomic
def save_workload(*, acting_user, agreement: PAAgreement, lines: list[dict]) -> PAAgreement:
    """Replace the PA 1/ส workload lines; the agreement's four totals become their sums."""
    if agreement.person_id != acting_user.person_id:
        raise CareerError("แก้ไขได้เฉพาะข้อตกลงของตนเอง")
    if agreement.status not in (PAStatus.DRAFT, PAStatus.RETURNED):
        raise CareerError("ข้อตกลงนี้ส่งแล้ว แก้ไขภาระงานไม่ได้")
    before = audit.snapshot(agreement, list(WORKLOAD_TOTAL_FIELD.values()))
    agreement.workload.all().delete()
    PAWorkload.objects.bulk_create(
        PAWorkload(agreement=agreement, position=n, **line) for n, line in enumerate(lines)
    )
    for kind, field in WORKLOAD_TOTAL_FIELD.items():
        total = sum((line["hours"] for line in lines if line["kind"] == kind), Decimal("0"))
        setattr(agreement, field, total)
    agreement.save()
    changes = audit.diff(before, audit.snapshot(agreement, list(WORKLOAD_TOTAL_FIELD.values())))
    _record(
        acting_user, AuditAction.UPDATE, agreement, office=agreement.person.office, changes=changes
    )
    return agreement


REPORT_FIELDS = ["challenge_actual_quant", "challenge_actual_qual"]


@transaction.atomic
def save_section_report(
    *, acting_user, agreement: PAAgreement, item: PAItem | None, report: str = "",
    actual_quant: str = "", actual_qual: str = "",
) -> None:  # fmt: skip
    """The self-report text of one indicator, or the challenge issue's actual results."""
    _owner_may_change_pack(acting_user, agreement)
    if item is not None:
        item.report = report
        item.save(update_fields=["report"])
        changes = {f"report_{item.indicator.number}": [None, clip(report, 100)]}
    else:
        agreement.challenge_actual_quant, agreement.challenge_actual_qual = (
            actual_quant,
            actual_qual,
        )
        agreement.save(update_fields=[*REPORT_FIELDS, "updated_at"])
        changes = {"challenge_actual": [None, clip(actual_quant + " / " + actual_qual, 100)]}
    _record(
        acting_user, AuditAction.UPDATE, agreement, office=agreement.person.office, changes=changes
    )


RECORD_FIELD = queries.RECORD_FIELD


@transaction.atomic
def attach_records(
    *, acting_user, agreement: PAAgreement, indicator, keys: list[str]
) -> list[PAEvidence]:
    """Link her own records ("kind:id" keys from queries.evidence_options) to an indicator
    (or the challenge issue when indicator is None). A record already there is skipped."""
    _owner_may_change_pack(acting_user, agreement)
    options = {
        o.key: o
        for o in queries.evidence_options(agreement.person, fiscal_year=agreement.fiscal_year)
    }
    unknown = [k for k in keys if k not in options]
    if unknown:
        raise CareerError("หลักฐานที่เลือกไม่ใช่ข้อมูลของท่านในรอบการประเมินนี้ กรุณาเลือกใหม่")
    section = agreement.evidence.filter(indicator=indicator)
    there = {
        f"{e.kind}:{getattr(e, RECORD_FIELD[e.kind])}"
        for e in section.exclude(kind__in=[EvidenceKind.FILE, EvidenceKind.LINK])
    }
    position = _next_position(agreement)
    made = []
    for key in keys:
        if key in there:
            continue
        kind, pk = key.split(":")
        option = options[key]
        made.append(
            PAEvidence.objects.create(
                agreement=agreement,
                indicator=indicator,
                kind=kind,
                title=clip(option.title, 300),
                added_by=acting_user,
                position=position,
                **{RECORD_FIELD[kind]: int(pk)},
            )
        )
        there.add(key)
        position += 1
    _evidence_audit(acting_user, agreement, indicator, [e.title for e in made])
    return made


@transaction.atomic
def attach_file_or_link(
    *, acting_user, agreement: PAAgreement, indicator, title: str, file=None, url: str = ""
) -> PAEvidence:
    """An uploaded file (already checked by krupd.uploads) or a link, with its title."""
    _owner_may_change_pack(acting_user, agreement)
    if bool(file) == bool(url):
        raise CareerError("แนบไฟล์หรือใส่ลิงก์อย่างใดอย่างหนึ่ง")
    # The agreement's row first: a double click's two posts take turns, so the second sees
    # the first's evidence and is refused below rather than attached twice.
    PAAgreement.objects.select_for_update().filter(pk=agreement.pk).first()
    section = agreement.evidence.filter(indicator=indicator)
    where = f"ตัวชี้วัดที่ {indicator.number}" if indicator else "ประเด็นท้าทาย"
    if url and (there := section.filter(kind=EvidenceKind.LINK, url=url).first()):
        raise CareerError(f"ลิงก์นี้แนบไว้ใน{where} แล้ว (“{there.title}”) จึงไม่แนบซ้ำ")
    if file:
        stored = {e.file: e for e in section.filter(kind=EvidenceKind.FILE).exclude(file="")}
        if (same := uploads.same_content(file, stored)) is not None:
            raise CareerError(
                f"ไฟล์ “{file.name}” แนบไว้ใน{where} แล้ว (“{stored[same].title}”) จึงไม่แนบซ้ำ"
            )
    evidence = PAEvidence(
        agreement=agreement,
        indicator=indicator,
        kind=EvidenceKind.FILE if file else EvidenceKind.LINK,
        title=clip(title.strip(), 300),
        url=url,
        added_by=acting_user,
        position=_next_position(agreement),
    )
    if file:
        evidence.file.save(file.name, file, save=False)
    evidence.save()
    _evidence_audit(acting_user, agreement, indicator, [evidence.title])
    return evidence


def _next_position(agreement: PAAgreement) -> int:
    last = agreement.evidence.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def _evidence_audit(acting_user, agreement, indicator, titles: list[str]) -> None:
    if titles:
        where = f"ตัวชี้วัด {indicator.number}" if indicator else "ประเด็นท้าทาย"
        _record(
            acting_user,
            AuditAction.UPDATE,
            agreement,
            office=agreement.person.office,
            changes={f"evidence {where}": [None, titles]},
        )


@transaction.atomic
def remove_evidence(*, acting_user, evidence: PAEvidence) -> None:
    agreement = evidence.agreement
    _owner_may_change_pack(acting_user, agreement)
    title = evidence.title
    if evidence.file:
        evidence.file.delete(save=False)
    evidence.delete()
    _record(
        acting_user,
        AuditAction.UPDATE,
        agreement,
        office=agreement.person.office,
        changes={"evidence removed": [title, None]},
    )


@transaction.atomic
def move_evidence(*, acting_user, evidence: PAEvidence, up: bool) -> None:
    """Swap with the neighbour above (or below) in the same section: the order evaluators
    read the section's evidence in, in the pack and in the ZIP."""
    _owner_may_change_pack(acting_user, evidence.agreement)
    siblings = evidence.agreement.evidence.filter(indicator_id=evidence.indicator_id)
    neighbour = (
        siblings.filter(position__lt=evidence.position).order_by("-position").first()
        if up
        else siblings.filter(position__gt=evidence.position).order_by("position").first()
    )
    if neighbour is None:
        return
    evidence.position, neighbour.position = neighbour.position, evidence.position
    PAEvidence.objects.bulk_update([evidence, neighbour], ["position"])


# The ZIP is written by the task worker (krupd.worker_files): the request queues it, the
# worker writes it with progress, whoever may read the pack downloads it.


@transaction.atomic
def start_pack_export(*, acting_user, agreement: PAAgreement, thai_digits: bool) -> PAPackExport:
    """Queue a ZIP build; one running build per agreement at a time (whoever asked for it),
    unless its worker died (stalled)."""
    purge_expired_packs()
    running = worker_files.running_job(agreement.exports.all())
    if running:
        return running
    export = PAPackExport.objects.create(
        agreement=agreement, requested_by=acting_user, thai_digits=thai_digits, file_format="zip"
    )
    from . import tasks

    transaction.on_commit(lambda: tasks.build_pack.enqueue(export.pk))
    return export


def record_pack_download(*, acting_user, export: PAPackExport) -> None:
    """A PA evidence pack left the system as a ZIP (the agreement, the scores and every
    evidence file): audited like any file of someone's records that is taken, the owner's
    own included, so the trail shows each copy that went out."""
    agreement = export.agreement
    audit.record(
        actor=acting_user,
        action=AuditAction.EXPORT,
        instance=agreement,
        office=agreement.person.office,
        object_label=f"ดาวน์โหลดแฟ้มหลักฐาน PA {agreement.fiscal_year} {agreement.person} (ZIP)",
    )


def pack_failed_message() -> str:
    from imports.actions import INTERNAL_ERROR

    return INTERNAL_ERROR.format(what="รวมแฟ้มหลักฐาน PA")


def run_pack_export(*, export_id: int) -> None:
    """Task body: render the documents, collect every evidence file and write the ZIP,
    reporting progress on the export row, or record why not. The asker's right to read
    the pack is not checked again: the file is offered only to whoever may read the pack
    when they download it."""
    from .pack_zip import write_pack_zip

    if not worker_files.claim(PAPackExport, export_id):
        return
    export = PAPackExport.objects.select_related("agreement__person__office").get(pk=export_id)
    rows = PAPackExport.objects.filter(pk=export_id)

    def progress(done: int, total: int) -> None:
        rows.update(done=done, total=total, updated_at=timezone.now())

    def write_zip(out) -> None:
        content = queries.pack(export.agreement)
        write_pack_zip(content, out, thai_digits=export.thai_digits, progress=progress)

    written = worker_files.write(export, write_zip, failed_message=pack_failed_message())
    if written:  # only the newest ZIP of an agreement is kept: an older one is out of date
        worker_files.drop_older(
            export, PAPackExport.objects.filter(agreement_id=export.agreement_id)
        )


def purge_expired_packs(*, now=None) -> int:
    """Delete ZIPs past their keep time: a convenience copy of a pack that keeps changing
    (and holds the teacher's evidence files), not an archive; it can be built again."""
    return worker_files.purge_expired(PAPackExport, now=now)
