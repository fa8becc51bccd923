"""The only way planning views load one object by id: scoped to the user's office (and school
or self), refused with 403 for a missing capability and 404 for anything out of scope."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.roles import (
    EDIT_FRAMEWORKS,
    EDIT_PLANS,
    MANAGE_ROUNDS,
    RATE_STAFF,
    SELF_ASSESS,
    VIEW_NEEDS,
    VIEW_PLANS,
    can,
)
from registry import audit
from registry.models import AuditAction, Person

from . import queries
from .models import Framework, IdPlan, Plan, Project, Round, StrategicFrame


def require(user, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied


def require_office_wide(user, capability: str) -> None:
    require(user, capability)
    if user.school_id or not user.office_id:
        raise PermissionDenied


def framework_for_view(user, pk: int) -> Framework:
    if not (can(user, EDIT_FRAMEWORKS) or can(user, VIEW_NEEDS) or can(user, MANAGE_ROUNDS)):
        raise PermissionDenied
    return get_object_or_404(queries.frameworks_for(user), pk=pk)


def framework_for_edit(user, pk: int) -> Framework:
    require(user, EDIT_FRAMEWORKS)
    return get_object_or_404(queries.frameworks_for(user), pk=pk)


def round_for_manage(user, pk: int) -> Round:
    require_office_wide(user, MANAGE_ROUNDS)
    return get_object_or_404(queries.rounds_for(user), pk=pk)


def round_for_progress(user, pk: int) -> Round:
    """Office staff see every school; a director sees their own school."""
    if not (can(user, MANAGE_ROUNDS) or can(user, RATE_STAFF) or can(user, VIEW_NEEDS)):
        raise PermissionDenied
    return get_object_or_404(queries.rounds_for(user), pk=pk)


def round_for_needs(user, pk: int) -> Round:
    require(user, VIEW_NEEDS)
    return get_object_or_404(queries.rounds_for(user), pk=pk)


def round_for_self(user, pk: int) -> tuple[Round, Person]:
    """A round the user's own person record is a target of."""
    require(user, SELF_ASSESS)
    if not user.person_id:
        raise PermissionDenied
    rnd = get_object_or_404(queries.rounds_for(user), pk=pk)
    person = get_object_or_404(Person.objects.select_related("major"), pk=user.person_id)
    if person.personnel_type not in rnd.target_types:
        raise PermissionDenied
    return rnd, person


def staff_for_rating(user, round_pk: int, person_pk: int) -> tuple[Round, Person]:
    """A director rates only active target people of their own school."""
    require(user, RATE_STAFF)
    if not user.school_id:
        raise PermissionDenied
    rnd = get_object_or_404(queries.rounds_for(user), pk=round_pk)
    person = get_object_or_404(
        queries.target_people(user, rnd).filter(school_id=user.school_id).select_related("major"),
        pk=person_pk,
    )
    # The page shows the person's competency ratings: who opened them is audited (PDPA).
    audit.record(actor=user, action=AuditAction.VIEW_ASSESSMENT, instance=person,
                 object_type="assessment", office=person.office,
                 object_label=f"ผลการประเมินสมรรถนะ {person.full_name} ({rnd})")  # fmt: skip
    return rnd, person


def frame_for_edit(user, pk: int) -> StrategicFrame:
    require(user, EDIT_FRAMEWORKS)
    return get_object_or_404(queries.frames_for(user), pk=pk)


def plan_for_view(user, pk: int) -> Plan:
    require(user, VIEW_PLANS)
    return get_object_or_404(
        queries.plans_for(user).select_related("frame", "needs_round__framework", "office"), pk=pk
    )


def plan_for_edit(user, pk: int) -> Plan:
    require_office_wide(user, EDIT_PLANS)
    return get_object_or_404(queries.plans_for(user), pk=pk)


def project_for_edit(user, plan_pk: int, pk: int) -> Project:
    plan = plan_for_edit(user, plan_pk)
    return get_object_or_404(Project.objects.filter(plan=plan).select_related("plan"), pk=pk)


def project_for_view(user, plan_pk: int, pk: int) -> Project:
    plan = plan_for_view(user, plan_pk)
    return get_object_or_404(
        Project.objects.filter(plan=plan).select_related("plan__office"), pk=pk
    )


def project_for_report(user, plan_pk: int, pk: int) -> Project:
    """Writing a project's results: the office's plan editors, whatever the plan's status."""
    plan = plan_for_edit(user, plan_pk)
    return get_object_or_404(
        Project.objects.filter(plan=plan).select_related("plan__office"), pk=pk
    )


def id_plan_for_view(user, pk: int) -> IdPlan:
    return get_object_or_404(
        queries.id_plans_in_scope(user).select_related("person__school", "round"), pk=pk
    )


def own_id_plan(user, pk: int) -> IdPlan:
    require(user, SELF_ASSESS)
    plan = get_object_or_404(IdPlan.objects.select_related("person", "round"), pk=pk)
    if plan.person_id != user.person_id:
        raise PermissionDenied
    return plan


def id_plan_for_decision(user, pk: int) -> IdPlan:
    require(user, RATE_STAFF)
    if not user.school_id:
        raise PermissionDenied
    return get_object_or_404(
        IdPlan.objects.filter(
            person__school_id=user.school_id, person__office_id=user.office_id
        ).select_related("person", "round"),
        pk=pk,
    )
