"""The only way staffing views load a rule set or a school by id: scoped, refused with 404/403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.roles import (
    EDIT_STAFFING_RULES,
    PLAN_TRANSFERS,
    VIEW_AGGREGATES,
    VIEW_PEOPLE,
    can,
)
from registry.models import School
from registry.queries import schools_visible_to

from .models import RuleSet
from .queries import rule_sets_for


def require(user, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied


def require_analysis(user) -> None:
    """Counts and summaries: office staff, inspectors, and directors (for their school)."""
    require(user, VIEW_AGGREGATES)


def require_office_wide(user) -> None:
    """Pages that compare schools with each other need a whole-office view."""
    require(user, VIEW_AGGREGATES)
    if user.school_id or not user.office_id:
        raise PermissionDenied


def require_transfers(user) -> None:
    require(user, PLAN_TRANSFERS)
    require(user, VIEW_PEOPLE)
    require_office_wide(user)


def school_for_analysis(user, pk: int) -> School:
    require_analysis(user)
    return get_object_or_404(schools_visible_to(user), pk=pk)


def rule_set_for_view(user, pk: int) -> RuleSet:
    require_analysis(user)
    return get_object_or_404(rule_sets_for(user.office), pk=pk)


def rule_set_for_edit(user, pk: int) -> RuleSet:
    """Only the office's own versions are editable; shared defaults are copied first."""
    require(user, EDIT_STAFFING_RULES)
    return get_object_or_404(RuleSet.objects.filter(office_id=user.office_id), pk=pk)


def rule_set_for_copy(user, pk: int) -> RuleSet:
    require(user, EDIT_STAFFING_RULES)
    return get_object_or_404(rule_sets_for(user.office), pk=pk)
