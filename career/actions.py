"""Every write of the career app: atomic, takes the acting user, leaves an audit entry."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.roles import EDIT_SETTINGS, MANAGE_DEBT, MANAGE_PA, RATE_STAFF, can
from notifications import events
from registry import audit
from registry.models import AuditAction, Person

from . import queries, scoring
from .models import (
    CareerRules,
    DebtCase,
    DebtProfile,
    Deduction,
    PAAgreement,
    PAEvaluation,
    PAItem,
    PAStatus,
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


@transaction.atomic
def start_agreement(*, acting_user, person: Person, fiscal_year: int) -> PAAgreement:
    """A teacher's PA for the year with one row per indicator of the active edition."""
    if acting_user.person_id != person.pk:
        raise CareerError("ครูจัดทำข้อตกลงของตนเองเท่านั้น")
    existing = PAAgreement.objects.filter(person=person, fiscal_year=fiscal_year).first()
    if existing:
        return existing
    edition = queries.active_edition()
    agreement = PAAgreement.objects.create(
        person=person,
        edition=edition,
        fiscal_year=fiscal_year,
        school=person.school,
        standing=person.academic_standing,
    )
    PAItem.objects.bulk_create(
        PAItem(agreement=agreement, indicator=i) for i in edition.indicators.all()
    )
    _record(acting_user, AuditAction.CREATE, agreement, office=person.office)
    return agreement


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
    before = audit.snapshot(PAAgreement.objects.get(pk=agreement.pk), AGREEMENT_FIELDS)
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


@transaction.atomic
def decide_agreement(*, acting_user, agreement: PAAgreement, approve: bool, note: str = ""):
    """The school director approves the agreement or returns it for changes."""
    agreement = (
        PAAgreement.objects.select_for_update().select_related("person").get(pk=agreement.pk)
    )
    if not can(acting_user, RATE_STAFF) or agreement.person.school_id != acting_user.school_id:
        raise CareerError("ผู้อำนวยการสถานศึกษาของครูเท่านั้นที่อนุมัติข้อตกลงได้")
    if agreement.status != PAStatus.SUBMITTED:
        raise CareerError("ข้อตกลงนี้ไม่ได้อยู่ในสถานะรออนุมัติ")
    if approve:
        return _set_status(
            acting_user,
            agreement,
            PAStatus.APPROVED,
            approved_by=acting_user,
            approved_at=timezone.now(),
            director_note=note,
        )
    if not note.strip():
        raise CareerError("กรุณาระบุสิ่งที่ต้องแก้ไข")
    return _set_status(acting_user, agreement, PAStatus.RETURNED, director_note=note)


@transaction.atomic
def assign_evaluators(*, acting_user, agreement: PAAgreement, evaluators: list) -> list:
    """Seats 1–3. Seats already scored keep their evaluator."""
    if not can(acting_user, MANAGE_PA):
        raise CareerError("ไม่มีสิทธิ์แต่งตั้งผู้ประเมิน")
    if len(evaluators) != 3 or len({u.pk for u in evaluators}) != 3:
        raise CareerError("ต้องมีผู้ประเมิน 3 คนไม่ซ้ำกัน")
    if any(u.person_id and u.person_id == agreement.person_id for u in evaluators):
        raise CareerError("ผู้รับการประเมินเป็นผู้ประเมินตนเองไม่ได้")
    current = {e.seat: e for e in agreement.evaluations.all()}
    for seat, user in enumerate(evaluators, 1):
        e = current.get(seat)
        if e and e.submitted_at and e.evaluator_id != user.pk:
            raise CareerError(f"ผู้ประเมินคนที่ {seat} ให้คะแนนแล้ว เปลี่ยนไม่ได้")
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
    events.pa_evaluators_assigned(agreement, evaluators)
    return list(agreement.evaluations.all())


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
        PAEvaluation.objects.select_for_update()
        .select_related("agreement__edition", "agreement__person__office")
        .get(pk=evaluation.pk)
    )
    agreement = evaluation.agreement
    if evaluation.evaluator_id != acting_user.pk:
        raise CareerError("ไม่ใช่ผู้ประเมินที่ได้รับแต่งตั้ง")
    if agreement.status not in (PAStatus.APPROVED, PAStatus.EVALUATED):
        raise CareerError("ข้อตกลงยังไม่ได้รับอนุมัติ")
    rules = queries.rules_for(agreement.person.office)
    indicator_ids = set(agreement.edition.indicators.values_list("pk", flat=True))
    if set(indicator_levels) != indicator_ids:
        raise CareerError("ต้องให้ระดับครบทุกตัวชี้วัด")
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
        changes={f"evaluator_{evaluation.seat}": [None, str(result.pct)]},
    )
    events.pa_evaluation_submitted(evaluation)
    return evaluation


@transaction.atomic
def save_standing_request(*, acting_user, request: StandingRequest) -> StandingRequest:
    if not can(acting_user, MANAGE_PA):
        raise CareerError("ไม่มีสิทธิ์บันทึกคำขอวิทยฐานะ")
    is_new = request.pk is None
    request.save()
    _record(
        acting_user,
        AuditAction.CREATE if is_new else AuditAction.UPDATE,
        request,
        office=request.person.office,
        changes={"status": [None, request.status]},
        label=f"คำขอ{request.to_standing} {request.person}",
    )
    return request


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
