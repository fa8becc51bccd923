"""The only way community views load one object by id from a request: scoped, refused with
404 (not in scope) or 403 (in scope but not allowed)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import (
    MANAGE_AWARDS,
    MANAGE_NETWORKS,
    MANAGE_PLC,
    NOMINATE_AWARDS,
    PUBLISH_PRACTICES,
    RECORD_VISITS,
    Role,
    can,
)
from registry.models import Network

from . import queries
from .models import (
    MOU,
    AwardCertificate,
    AwardCertificateStatus,
    AwardRound,
    BestPractice,
    Nomination,
    Partner,
    PLCEvidence,
    PLCGroup,
    PracticeStatus,
    RoundStatus,
    Visit,
)


def require(user, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied


def require_office_user(user) -> None:
    if not user.office_id:
        raise PermissionDenied


def plc_group_for_view(user, pk: int) -> PLCGroup:
    groups = queries.plc_groups_visible_to(user).select_related(
        "school", "network", "facilitator", "office", "learning_area"
    )
    return get_object_or_404(groups, pk=pk)


def plc_group_for_log(user, pk: int) -> PLCGroup:
    group = plc_group_for_view(user, pk)
    if not queries.may_log_plc(user, group):
        raise PermissionDenied
    return group


def plc_group_for_edit(user, pk: int) -> PLCGroup:
    group = plc_group_for_view(user, pk)
    require(user, MANAGE_PLC)
    if user.role == Role.SCHOOL_DIRECTOR and group.school_id != user.school_id:
        raise PermissionDenied
    return group


def require_plc_activity(user) -> None:
    """Counts of PLC activity: PLC managers (directors: their school) and inspectors."""
    if not (can(user, MANAGE_PLC) or user.role == Role.INSPECTOR):
        raise PermissionDenied


def visit_for_view(user, pk: int) -> Visit:
    visits = queries.visits_visible_to(user).select_related("school", "visitor", "course")
    return get_object_or_404(visits, pk=pk)


def may_edit_visit(user, visit: Visit) -> bool:
    """A visit's record is its supervisor's account of what they saw: only that supervisor
    (the account that recorded it) changes it, or the office admin (a supervisor who left,
    a correction). Other visit recorders of the office read it."""
    if not can(user, RECORD_VISITS) or visit.office_id != user.office_id:
        return False
    return user.role == Role.OFFICE_ADMIN or (
        visit.visitor_id is not None and visit.visitor_id == user.pk
    )


def visit_for_edit(user, pk: int) -> Visit:
    require(user, RECORD_VISITS)
    visit = get_object_or_404(Visit.objects.filter(office_id=user.office_id), pk=pk)
    if not may_edit_visit(user, visit):
        raise PermissionDenied
    return visit


def require_coverage(user) -> None:
    if not (can(user, RECORD_VISITS) or user.role == Role.INSPECTOR):
        raise PermissionDenied


def network_for_view(user, pk: int) -> Network:
    return get_object_or_404(queries.networks_visible_to(user), pk=pk)


def network_for_edit(user, pk: int) -> Network:
    require(user, MANAGE_NETWORKS)
    return get_object_or_404(Network.objects.filter(office_id=user.office_id), pk=pk)


def require_partners(user) -> None:
    if user.role == Role.TEACHER or not user.office_id:
        raise PermissionDenied


def partner_for_view(user, pk: int) -> Partner:
    require_partners(user)
    return get_object_or_404(queries.partners_visible_to(user), pk=pk)


def partner_for_edit(user, pk: int) -> Partner:
    require(user, MANAGE_NETWORKS)
    return get_object_or_404(queries.partners_visible_to(user), pk=pk)


def round_for_view(user, pk: int) -> AwardRound:
    return get_object_or_404(queries.rounds_visible_to(user), pk=pk)


def round_for_manage(user, pk: int) -> AwardRound:
    require(user, MANAGE_AWARDS)
    return round_for_view(user, pk)


def round_for_nominate(user, pk: int) -> AwardRound:
    round_ = round_for_view(user, pk)
    if round_.status != RoundStatus.OPEN:
        raise PermissionDenied
    if not (can(user, NOMINATE_AWARDS) or (round_.allow_self and user.person_id)):
        raise PermissionDenied
    return round_


def nomination_for_scoring(user, pk: int) -> Nomination:
    nomination = get_object_or_404(
        Nomination.objects.select_related("round__programme", "person", "school"),
        pk=pk,
        round__programme__office_id=user.office_id,
    )
    if nomination.round.status != RoundStatus.JUDGING or not queries.is_judge(
        user, nomination.round
    ):
        raise PermissionDenied
    return nomination


def nomination_for_result(user, pk: int) -> Nomination:
    require(user, MANAGE_AWARDS)
    return get_object_or_404(
        Nomination.objects.select_related("round", "person"),
        pk=pk,
        round__programme__office_id=user.office_id,
    )


def _valid_award_certificate(nomination: Nomination, level: str) -> AwardCertificate:
    return get_object_or_404(
        AwardCertificate.objects.select_related("result__nomination"),
        result__nomination=nomination,
        result__level=level,
        status=AwardCertificateStatus.VALID,
    )


def award_certificate_for_download(user, nomination_pk: int, level: str) -> AwardCertificate:
    """A nomination's valid certificate at a level: for the office's award managers and the
    awarded person themself."""
    nomination = get_object_or_404(
        Nomination, pk=nomination_pk, round__programme__office_id=user.office_id
    )
    if not (
        can(user, MANAGE_AWARDS) or (user.person_id and nomination.person_id == user.person_id)
    ):
        raise PermissionDenied
    return _valid_award_certificate(nomination, level)


def award_certificate_for_manage(user, nomination_pk: int, level: str) -> AwardCertificate:
    require(user, MANAGE_AWARDS)
    nomination = get_object_or_404(
        Nomination, pk=nomination_pk, round__programme__office_id=user.office_id
    )
    return _valid_award_certificate(nomination, level)


def may_add_practice(user) -> bool:
    """A person adds their own work; the development group adds anyone's. A user with no person
    record (an inspector, an administrator's account) has no work of their own to add."""
    return bool(user.person_id) or can(user, PUBLISH_PRACTICES)


def require_add_practice(user) -> None:
    require_office_user(user)
    if not may_add_practice(user):
        raise PermissionDenied


def practice_for_view(user, pk: int) -> BestPractice:
    return get_object_or_404(queries.practices_visible_to(user), pk=pk)


def practice_for_edit(user, pk: int) -> BestPractice:
    practice = practice_for_view(user, pk)
    if can(user, PUBLISH_PRACTICES):
        return practice
    is_owner = practice.created_by_id == user.pk or (
        user.person_id and practice.owners.filter(pk=user.person_id).exists()
    )
    if not is_owner or practice.status == PracticeStatus.PUBLISHED:
        raise PermissionDenied
    return practice


def practice_for_publish(user, pk: int) -> BestPractice:
    require(user, PUBLISH_PRACTICES)
    return practice_for_view(user, pk)


# Uploaded files (never served publicly): each with the rule of the page that links to it,
# 404 when the object is out of scope or has no file.


def _require_file(field_file) -> None:
    if not field_file:
        raise Http404


def plc_evidence_for_download(user, pk: int) -> PLCEvidence:
    """A PLC meeting's evidence: for whoever sees the group (plc_detail)."""
    evidence = get_object_or_404(PLCEvidence.objects.select_related("meeting"), pk=pk)
    plc_group_for_view(user, evidence.meeting.group_id)
    _require_file(evidence.file)
    return evidence


def mou_for_download(user, pk: int) -> MOU:
    """A partner's MOU file: for whoever sees the partner (partner_detail; no teachers)."""
    mou = get_object_or_404(MOU, pk=pk)
    partner_for_view(user, mou.partner_id)
    _require_file(mou.file)
    return mou


def nomination_file_for_download(user, pk: int) -> Nomination:
    """A nomination's supporting document: for the round's judges while judging (score)."""
    nomination = nomination_for_scoring(user, pk)
    _require_file(nomination.file)
    return nomination


def practice_file_for_download(user, pk: int) -> BestPractice:
    """A best practice's file: for whoever sees the practice (practice_detail)."""
    practice = practice_for_view(user, pk)
    _require_file(practice.file)
    return practice
