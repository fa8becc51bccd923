"""Who may import or export what, and the only way views load a batch by id."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.roles import EDIT_SETTINGS, EXPORT_DATA, IMPORT_DATA, Role, can

from .models import ImportBatch, ImportKind
from .queries import batches_visible_to


def require_import(user) -> None:
    if not can(user, IMPORT_DATA) or not user.office_id:
        raise PermissionDenied


def require_export(user) -> None:
    if not can(user, EXPORT_DATA) or not user.office_id:
        raise PermissionDenied


def import_kinds_for(user) -> list[tuple[str, str]]:
    """Sheet kinds a user may import. A school director may not replace the schools list."""
    if not can(user, IMPORT_DATA) or not user.office_id:
        return []
    if user.role == Role.SCHOOL_DIRECTOR:
        if not user.school_id:
            return []
        return [(k, label) for k, label in ImportKind.choices if k != ImportKind.SCHOOLS]
    return list(ImportKind.choices)


def require_import_kind(user, kind: str) -> None:
    if kind not in dict(import_kinds_for(user)):
        raise PermissionDenied


def import_scope_school(user):
    """A school director's batches touch only their own school; office staff are unlimited."""
    if user.role == Role.SCHOOL_DIRECTOR:
        if not user.school_id:
            raise PermissionDenied
        return user.school
    return None


def batch_for_user(user, pk: int) -> ImportBatch:
    require_import(user)
    return get_object_or_404(batches_visible_to(user), pk=pk)


def may_purge_rows(user) -> bool:
    """Deleting a batch's row data before its retention period ends is the office admin's call:
    the role that sets that period (EDIT_SETTINGS) and sees every batch of the office."""
    return can(user, IMPORT_DATA) and can(user, EDIT_SETTINGS) and bool(user.office_id)


def batch_for_purge(user, pk: int) -> ImportBatch:
    if not may_purge_rows(user):
        raise PermissionDenied
    return get_object_or_404(batches_visible_to(user), pk=pk)


def export_kind(user, kind: str) -> str:
    require_export(user)
    kind = "personnel" if kind == "people" else kind
    if kind not in ImportKind.values:
        raise PermissionDenied
    return kind


def can_see_full_national_id(user) -> bool:
    from accounts.roles import VIEW_FULL_NATIONAL_ID

    return can(user, VIEW_FULL_NATIONAL_ID)
