"""The only way career views load one object by id from a request.

Debt records are opened only here, and every opening is written to the audit log (who,
whose record, when) before the record is returned.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.roles import MANAGE_DEBT, MANAGE_PA, RATE_STAFF, VIEW_DEBT_SUMMARY, Role, can
from registry import audit
from registry.models import AuditAction, Person

from . import queries
from .models import DebtCase, PAAgreement, PAEvaluation, PAEvidence, PAPackExport, PAStatus

VIEW_DEBT = AuditAction.VIEW_DEBT  # audit action: a debt record was opened
VIEW_PA = AuditAction.VIEW_PA  # audit action: someone else's PA scores were opened


def require(user, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied


def agreement_for_view(user, pk: int) -> PAAgreement:
    agreement = get_object_or_404(
        queries.agreements_visible_to(user).select_related(
            "person__school", "standing", "edition", "approved_by"
        ),
        pk=pk,
    )
    record_pa_view(user, agreement)
    return agreement


def record_pa_view(user, agreement: PAAgreement) -> None:
    """Someone else's PA (its scores) was shown to `user`: audited. One's own is not."""
    if agreement.person_id != user.person_id:
        audit.record(
            actor=user,
            action=VIEW_PA,
            instance=agreement,
            office=user.office,
            object_label=f"PA {agreement.fiscal_year} {agreement.person}",
        )


def agreement_for_owner(user, pk: int) -> PAAgreement:
    """The teacher's own agreement (anyone else's is a 404). Whether it may still be changed
    is the caller's: see `actions.agreement_closed_message`."""
    return get_object_or_404(PAAgreement, pk=pk, person_id=user.person_id or 0)


def pack_for_owner(user, pk: int) -> PAAgreement:
    """The teacher gathers evidence for her own agreement until all three have evaluated it;
    everyone else (director, evaluators, office PA staff) reads the pack only."""
    agreement = get_object_or_404(
        PAAgreement.objects.select_related("person__office", "edition"),
        pk=pk,
        person_id=user.person_id or 0,
    )
    if agreement.status == PAStatus.EVALUATED:
        raise PermissionDenied
    return agreement


def evidence_for_owner(user, pk: int, evidence_pk: int) -> PAEvidence:
    agreement = pack_for_owner(user, pk)
    return get_object_or_404(agreement.evidence.select_related("agreement"), pk=evidence_pk)


def evidence_file_for_view(user, pk: int, evidence_pk: int) -> PAEvidence:
    agreement = agreement_for_view(user, pk)
    return get_object_or_404(agreement.evidence, pk=evidence_pk, kind="file")


def pack_export_for_view(user, pk: int, export_pk: int) -> PAPackExport:
    """A ZIP build of a pack the user may read. Not audited here: the progress bar asks
    every second; the download itself is (actions.record_pack_download)."""
    return get_object_or_404(
        PAPackExport.objects.filter(agreement__in=queries.agreements_visible_to(user)),
        pk=export_pk,
        agreement_id=pk,
    )


def agreement_for_approval(user, pk: int) -> PAAgreement:
    require(user, RATE_STAFF)
    return get_object_or_404(
        PAAgreement, pk=pk, person__school_id=user.school_id or 0, status=PAStatus.SUBMITTED
    )


def agreement_for_assign(user, pk: int) -> PAAgreement:
    require(user, MANAGE_PA)
    return get_object_or_404(PAAgreement, pk=pk, person__office_id=user.office_id)


def evaluation_for_evaluator(user, pk: int) -> PAEvaluation:
    evaluation = get_object_or_404(
        PAEvaluation.objects.select_related("agreement__edition", "agreement__person"),
        agreement_id=pk,
        evaluator=user,
    )
    if evaluation.agreement.status not in (PAStatus.APPROVED, PAStatus.EVALUATED):
        raise PermissionDenied
    return evaluation


def require_pa_status(user) -> None:
    if not (can(user, MANAGE_PA) or can(user, RATE_STAFF) or user.role == Role.INSPECTOR):
        raise PermissionDenied


def record_pa_list_view(user, fiscal_year: int) -> None:
    """The PA status page lists other people's PA scores: opening it is audited, as opening
    one agreement is (and as the debt list is)."""
    audit.record(
        actor=user,
        action=VIEW_PA,
        object_type="pa",
        object_id="list",
        object_label=f"ผลการประเมิน PA ปีงบประมาณ {fiscal_year} (รายชื่อ)",
        office=user.office,
    )


def require_readiness(user) -> None:
    if not (can(user, MANAGE_PA) or can(user, RATE_STAFF)):
        raise PermissionDenied


# ---------------------------------------------------------------------------------- debt


def debt_person_for_view(user, person_pk: int) -> Person:
    """Open one person's debt record: the debt clinic, or the person themself. Audited."""
    person = get_object_or_404(queries.debt_people(user).select_related("school"), pk=person_pk)
    _record_debt_view(user, person)
    return person


def debt_person_for_edit(user, person_pk: int) -> Person:
    """The debt record's edit pages show the figures too, so opening them is audited alike."""
    require(user, MANAGE_DEBT)
    person = get_object_or_404(Person.objects.filter(office_id=user.office_id), pk=person_pk)
    _record_debt_view(user, person)
    return person


def _record_debt_view(user, person: Person) -> None:
    audit.record(
        actor=user,
        action=VIEW_DEBT,
        instance=person,
        object_type="debt",
        office=person.office,
        object_label=f"หนี้สิน {person.full_name}",
    )


def debt_case_for_edit(user, pk: int) -> DebtCase:
    require(user, MANAGE_DEBT)
    return get_object_or_404(DebtCase, pk=pk, person__office_id=user.office_id)


def require_debt_list(user) -> None:
    require(user, MANAGE_DEBT)
    audit.record(
        actor=user,
        action=VIEW_DEBT,
        object_type="debt",
        object_id="list",
        object_label="รายชื่อผู้มีข้อมูลหนี้สิน",
        office=user.office,
    )


def require_debt_summary(user) -> None:
    require(user, VIEW_DEBT_SUMMARY)
