"""Who may import or export what, and the only way views load a batch by id."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import (
    EDIT_ENROLMENT,
    EDIT_FRAMEWORKS,
    EDIT_PEOPLE,
    EDIT_REPORTS,
    EDIT_SCHOOLS,
    EDIT_SETTINGS,
    EXPORT_DATA,
    IMPORT_DATA,
    MANAGE_ROUNDS,
    MANAGE_TRAINING,
    Role,
    can,
)

from .models import FileImport, FileImportKind, ImportBatch, ImportKind, ListExport
from .queries import batches_visible_to, file_imports_visible_to

# An import changes the same records the kind's pages edit, so it needs the same capability
# as those pages: an officer who may not edit schools cannot rename them through a file.
KIND_CAPABILITY = {
    ImportKind.PERSONNEL: EDIT_PEOPLE,
    ImportKind.SCHOOLS: EDIT_SCHOOLS,
    ImportKind.ENROLMENT: EDIT_ENROLMENT,
    ImportKind.RESULTS: MANAGE_TRAINING,
    ImportKind.ASSESSMENT: MANAGE_ROUNDS,
}
# Kinds imported into one course session, started from that session's page.
SESSION_KINDS = (ImportKind.RESULTS,)
# Kinds imported into one assessment round, started from that round's page.
ROUND_KINDS = (ImportKind.ASSESSMENT,)


def require_import(user) -> None:
    if not can(user, IMPORT_DATA) or not user.office_id:
        raise PermissionDenied


def require_export(user) -> None:
    if not can(user, EXPORT_DATA) or not user.office_id:
        raise PermissionDenied


def may_import_kind(user, kind: str) -> bool:
    """Import rights and the right to edit what the kind writes, as on its pages."""
    if not can(user, IMPORT_DATA) or not user.office_id or kind not in KIND_CAPABILITY:
        return False
    if user.role == Role.SCHOOL_DIRECTOR and not user.school_id:
        return False
    return can(user, KIND_CAPABILITY[kind])


def import_kinds_for(user) -> list[tuple[str, str]]:
    """Sheet kinds a user may import from the imports page (session kinds start elsewhere)."""
    return [
        (kind, label)
        for kind, label in ImportKind.choices
        if kind not in SESSION_KINDS + ROUND_KINDS and may_import_kind(user, kind)
    ]


def require_import_kind(user, kind: str) -> None:
    if not may_import_kind(user, kind):
        raise PermissionDenied


def require_session_for_kind(user, kind: str, session) -> None:
    """A results file is for one session the user manages; other kinds have no session."""
    if (kind in SESSION_KINDS) != (session is not None):
        raise PermissionDenied
    if session is not None:
        from training.access import session_for_manage

        session_for_manage(user, session.pk)


def session_for_results_import(user, session_pk: int):
    """The session whose scores a user may import: import rights and managing its course."""
    if not may_import_kind(user, ImportKind.RESULTS):
        raise PermissionDenied
    from training.access import session_for_manage

    return session_for_manage(user, session_pk)


def require_round_for_kind(user, kind: str, rnd) -> None:
    """A self-assessment file is for one round the user manages; other kinds have none."""
    if (kind in ROUND_KINDS) != (rnd is not None):
        raise PermissionDenied
    if rnd is not None:
        round_for_assessment_import(user, rnd.pk)


def may_import_assessment(user) -> bool:
    """Who the round page offers the Google Forms import to: those who manage the office's
    rounds (as on the round pages, office-wide only) and may import."""
    return may_import_kind(user, ImportKind.ASSESSMENT) and not user.school_id


def round_for_assessment_import(user, round_pk: int):
    """The round whose self-assessment answers a user may import from a file."""
    if not may_import_assessment(user):
        raise PermissionDenied
    from planning.access import round_for_manage

    return round_for_manage(user, round_pk)


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


# The lists that can be exported, in the layout they import back.
EXPORT_KINDS = (ImportKind.PERSONNEL, ImportKind.SCHOOLS, ImportKind.ENROLMENT)


def export_kind(user, kind: str) -> str:
    require_export(user)
    kind = "personnel" if kind == "people" else kind
    if kind not in EXPORT_KINDS:
        raise Http404
    return kind


def list_export_for_user(user, pk: int) -> ListExport:
    """A large list's file: only the person who asked for it, while they may still export
    (a file with full national IDs also needs that right still)."""
    require_export(user)
    export = get_object_or_404(ListExport, pk=pk, requested_by=user)
    if export.full_ids and not can_see_full_national_id(user):
        raise PermissionDenied
    return export


def can_see_full_national_id(user) -> bool:
    from accounts.roles import VIEW_FULL_NATIONAL_ID

    return can(user, VIEW_FULL_NATIONAL_ID)


# A whole-workbook import needs the right to edit what it writes, as on the kind's own page.
FILE_KIND_CAPABILITY = {
    FileImportKind.FRAMEWORK: EDIT_FRAMEWORKS,
    FileImportKind.ONET: EDIT_REPORTS,
}


def may_file_import(user, kind: str) -> bool:
    return (
        bool(user.office_id)
        and kind in FILE_KIND_CAPABILITY
        and can(user, FILE_KIND_CAPABILITY[kind])
    )


def require_file_import(user, kind: str) -> None:
    if not may_file_import(user, kind):
        raise PermissionDenied


def file_import_for_user(user, pk: int) -> FileImport:
    """A whole-workbook import of the user's office of a kind they may import themselves."""
    kinds = [kind for kind in FILE_KIND_CAPABILITY if may_file_import(user, kind)]
    if not kinds:
        raise PermissionDenied
    return get_object_or_404(file_imports_visible_to(user, kinds), pk=pk)
