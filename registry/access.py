"""The only way views load one registry object by id: scoped, and refused with 404/403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.roles import (
    DELETE_PEOPLE,
    EDIT_ENROLMENT,
    EDIT_PEOPLE,
    EDIT_SCHOOLS,
    RATE_STAFF,
    VIEW_FULL_NATIONAL_ID,
    VIEW_PEOPLE,
    VIEW_SCHOOLS,
    can,
)

from .models import Person, School
from .queries import people_visible_to, school_scope, schools_visible_to


def require(user, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied


def person_for_view(user, pk: int) -> Person:
    """A teacher may open their own record even without the list capability."""
    people = people_visible_to(user).select_related(
        "school__network", "academic_standing", "major__learning_area", "office"
    )
    return get_object_or_404(people, pk=pk)


def person_for_edit(user, pk: int) -> Person:
    require(user, EDIT_PEOPLE)
    return get_object_or_404(people_visible_to(user), pk=pk)


def person_for_delete(user, pk: int) -> Person:
    require(user, DELETE_PEOPLE)
    return get_object_or_404(people_visible_to(user), pk=pk)


def person_for_merge(user, pk: int) -> Person:
    """A record to merge a duplicate into or out of (registry.merge): who may delete people,
    office-wide (an office admin), of their own office only."""
    if not may_merge_people(user):
        raise PermissionDenied
    return get_object_or_404(people_visible_to(user).filter(office_id=user.office_id), pk=pk)


def may_merge_people(user) -> bool:
    scope = school_scope(user)
    return can(user, DELETE_PEOPLE) and scope is not None and scope[0] == "office_id"


def person_for_full_id(user, pk: int) -> Person:
    require(user, VIEW_FULL_NATIONAL_ID)
    return get_object_or_404(people_visible_to(user), pk=pk)


def own_person(user) -> Person:
    """The teacher's own record, for correcting contact details."""
    if not user.person_id:
        raise PermissionDenied
    return get_object_or_404(Person, pk=user.person_id)


def school_for_view(user, pk: int) -> School:
    require(user, VIEW_SCHOOLS)
    return get_object_or_404(schools_visible_to(user).select_related("network", "office"), pk=pk)


def school_for_edit(user, pk: int) -> School:
    require(user, EDIT_SCHOOLS)
    return get_object_or_404(schools_visible_to(user), pk=pk)


def may_move_staff(user) -> bool:
    scope = school_scope(user)
    return can(user, EDIT_PEOPLE) and scope is not None and scope[0] == "office_id"


def school_for_moving_staff(user, pk: int) -> School:
    """A school whose people are moved to another school of the office (after it closed):
    someone who edits people across the office, not one school's director."""
    if not may_move_staff(user):
        raise PermissionDenied
    return get_object_or_404(schools_visible_to(user).select_related("office"), pk=pk)


def school_for_enrolment(user, pk: int) -> School:
    require(user, EDIT_ENROLMENT)
    return get_object_or_404(schools_visible_to(user).select_related("office"), pk=pk)


def can_list_people(user) -> bool:
    return can(user, VIEW_PEOPLE)


OWN_DECISION_REFUSED = "พิจารณาอนุมัติเรื่องของตนเองไม่ได้ ต้องให้ผู้บังคับบัญชาเป็นผู้พิจารณา"


def decides_for(user, person) -> bool:
    """Whether `user` approves or returns the ID plan / PA agreement of `person`: the director
    of the person's school, and never for their own (a director who writes a plan of their own
    must not approve it)."""
    return bool(
        can(user, RATE_STAFF)
        and user.school_id
        and user.school_id == person.school_id
        and user.person_id != person.pk
    )


def awaiting_decision_by(user, rows):
    """Of `rows` (ID plans or PA agreements), those whose owner `user` decides for: what the
    director's "waiting for you" counts and the approval pages share."""
    rows = rows.filter(person__school_id=user.school_id or 0)
    return rows.exclude(person_id=user.person_id) if user.person_id else rows
