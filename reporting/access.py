"""The only way reporting views load one object by id: scoped to the user's office, refused
with 403 for a missing capability and 404 for anything outside the office."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import EDIT_REPORTS, VIEW_OFFICE_REPORTS, VIEW_REPORTS, can

from .models import (
    FocusAnswer,
    InspectionReport,
    OnetNationalMean,
    SarAttachment,
    SarEntry,
    SarReport,
)


def require(user, capability: str) -> None:
    if not can(user, capability) or not user.office_id:
        raise PermissionDenied


def require_dashboard(user) -> None:
    require(user, VIEW_REPORTS)


def require_office_reports(user) -> None:
    """Office-level documents: no school-bound user reads them."""
    require(user, VIEW_OFFICE_REPORTS)
    if user.school_id and not can(user, EDIT_REPORTS):
        raise PermissionDenied


def sar_for_view(user, pk: int) -> SarReport:
    require_office_reports(user)
    return get_object_or_404(
        SarReport.objects.select_related("edition", "office"), pk=pk, office_id=user.office_id
    )


def sar_attachment_for_download(user, pk: int) -> SarAttachment:
    """A SAR entry's attached document: for whoever reads the SAR (sar_detail). Files are
    never served publicly; 404 outside the office or when the file is missing."""
    require_office_reports(user)
    attachment = get_object_or_404(
        SarAttachment.objects.select_related("entry"),
        pk=pk,
        entry__report__office_id=user.office_id,
    )
    sar_for_view(user, attachment.entry.report_id)
    if not attachment.file:
        raise Http404
    return attachment


def sar_entry_for_edit(user, report_pk: int, entry_pk: int) -> SarEntry:
    require(user, EDIT_REPORTS)
    return get_object_or_404(
        SarEntry.objects.select_related("report", "item__indicator"),
        pk=entry_pk,
        report_id=report_pk,
        report__office_id=user.office_id,
    )


def inspection_for_view(user, pk: int) -> InspectionReport:
    require_office_reports(user)
    return get_object_or_404(InspectionReport, pk=pk, office_id=user.office_id)


def focus_answer_for_edit(user, report_pk: int, answer_pk: int) -> FocusAnswer:
    require(user, EDIT_REPORTS)
    return get_object_or_404(
        FocusAnswer.objects.select_related("report", "point__policy"),
        pk=answer_pk,
        report_id=report_pk,
        report__office_id=user.office_id,
    )


def national_mean_for_edit(user, pk: int) -> OnetNationalMean:
    """A national O-NET mean the office typed: office admins and development officers only."""
    require(user, EDIT_REPORTS)
    return get_object_or_404(OnetNationalMean, pk=pk, office_id=user.office_id)


def sar_export_for_user(user, pk: int):
    """A large SAR's file written by the worker: only the person who asked for it (404 for
    anyone else), and only while they may still read that SAR."""
    from .models import SarExport

    require_office_reports(user)
    export = get_object_or_404(
        SarExport.objects.select_related("report__edition"), pk=pk, requested_by=user
    )
    sar_for_view(user, export.report_id)
    return export
