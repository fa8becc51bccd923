"""Import and export pages. Each view: check access, call one action or query, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from krupd import worker_files

from . import access, actions, exporters, queries
from .forms import MappingForm, UploadForm
from .importers import get_importer
from .models import (
    BatchStatus,
    FileImportKind,
    FileImportStatus,
    ImportKind,
    RowStatus,
)
from .readers import ImportFileError

PAGE_SIZE = 50


@login_required
def batch_list(request):
    access.require_import(request.user)
    page = Paginator(queries.batches_visible_to(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "imports/list.html",
        {"page": page, "kinds": access.import_kinds_for(request.user)},
    )


def _upload(request, kinds, **into):
    """The upload form of an import page, and on a valid POST the batch it started: the
    redirect to its page (None until then). `into`: the session or round the page imports
    into, for the pages started from those."""
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            batch = actions.start_import(
                acting_user=request.user,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
                file_format=form.file_format,
                **into,
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return form, redirect("imports:detail", pk=batch.pk)
    return form, None


@login_required
def upload(request):
    access.require_import(request.user)
    kinds = access.import_kinds_for(request.user)
    if not kinds:
        raise PermissionDenied  # e.g. a school director with no school set on their account
    form, started = _upload(request, kinds)
    if started:
        return started
    kind_columns = [(kind, label, get_importer(kind).spec.columns) for kind, label in kinds]
    return render(
        request,
        "imports/upload.html",
        {"form": form, "kinds": kinds, "kind_columns": kind_columns},
    )


@login_required
def session_upload(request, session_pk: int):
    """Scores and survey answers of one course session, from the session's page."""
    session = access.session_for_results_import(request.user, session_pk)
    kinds = [(k, label) for k, label in ImportKind.choices if k in access.SESSION_KINDS]
    form, started = _upload(request, kinds, session=session)
    if started:
        return started
    importer = get_importer(ImportKind.RESULTS)
    return render(
        request,
        "imports/session_upload.html",
        {
            "form": form,
            "session": session,
            "course": session.course,
            "columns": importer.template_columns(request.user.office),
            "recent": queries.session_batches(request.user, session),
        },
    )


@login_required
def round_upload(request, round_pk: int):
    """Self-assessment answers of one assessment round from a Google Forms responses file,
    from the round's page."""
    rnd = access.round_for_assessment_import(request.user, round_pk)
    kinds = [(k, label) for k, label in ImportKind.choices if k in access.ROUND_KINDS]
    form, started = _upload(request, kinds, rnd=rnd)
    if started:
        return started
    importer = get_importer(ImportKind.ASSESSMENT).for_round(rnd)
    return render(
        request,
        "imports/round_upload.html",
        {
            "form": form,
            "round": rnd,
            "framework": rnd.framework,
            "items": importer.items,
            "recent": queries.round_batches(request.user, rnd),
        },
    )


@login_required
def session_template(request, session_pk: int):
    """The session's participants with empty score and survey columns, ready to fill in."""
    session = access.session_for_results_import(request.user, session_pk)
    tmp = exporters.template_file(ImportKind.RESULTS, user=request.user, session=session)
    return exporters.xlsx_response(tmp, f"krupd-scores-session-{session.pk}.xlsx")


@login_required
def template_download(request, kind: str):
    access.require_import(request.user)
    if not access.may_import_kind(request.user, kind) or kind in access.ROUND_KINDS:
        raise Http404  # a round's file is the office's own Google Form: no template
    tmp = exporters.template_file(kind, user=request.user)
    return exporters.xlsx_response(tmp, f"krupd-template-{kind}.xlsx")


@login_required
def detail(request, pk: int):
    batch = access.batch_for_user(request.user, pk)
    retention = queries.retention_days(batch.office_id)
    show = request.GET.get("show") or ""
    if show not in RowStatus.values:
        show = RowStatus.ERROR if batch.count_error else RowStatus.CHANGED
        if not batch.count_error and not batch.count_changed and batch.count_new:
            show = RowStatus.NEW  # the tab that has something to look at
    page = None
    if batch.status in (BatchStatus.VALIDATED, BatchStatus.APPLIED) and not batch.rows_purged:
        page = Paginator(queries.batch_rows(batch, show), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    return render(
        request,
        "imports/detail.html",
        {
            "batch": batch,
            "show": show,
            "page": page,
            "rows": queries.rows_for_display(batch, page) if page else [],
            "tabs": [
                (RowStatus.ERROR, "ผิดพลาด", batch.count_error),
                (RowStatus.CHANGED, "เปลี่ยนแปลง", batch.count_changed),
                (RowStatus.NEW, "เพิ่มใหม่", batch.count_new),
                (RowStatus.UNCHANGED, "ไม่เปลี่ยนแปลง", batch.count_unchanged),
            ],
            "progress": queries.progress_of(batch),
            "stalled": batch.is_stalled(last_activity=queries.apply_heartbeat(batch)),
            "purge_due_at": queries.purge_due_at(batch, retention),
            "retention_days": retention,
            "may_purge": batch.may_purge_rows and access.may_purge_rows(request.user),
            "upload_url": _upload_url(batch),
            # A new row's values are what it brings (scores, answers), not a record's code.
            "new_rows_show_values": batch.kind in (ImportKind.RESULTS, ImportKind.ASSESSMENT),
        },
    )


def _upload_url(batch) -> str:
    if batch.session_id:
        return reverse("imports:session_upload", args=[batch.session_id])
    if batch.round_id:
        return reverse("imports:round_upload", args=[batch.round_id])
    return reverse("imports:upload")


@login_required
def progress_partial(request, pk: int):
    batch = access.batch_for_user(request.user, pk)
    if not batch.is_running and request.htmx:
        return HttpResponseClientRefresh()  # done: reload the page to show the preview
    return render(
        request,
        "imports/_progress.html",
        {"batch": batch, "progress": queries.progress_of(batch)},
    )


@login_required
def mapping(request, pk: int):
    batch = access.batch_for_user(request.user, pk)
    if batch.rows_purged:
        messages.error(request, actions.PURGED)
        return redirect("imports:detail", pk=batch.pk)
    if batch.status not in (BatchStatus.NEEDS_MAPPING, BatchStatus.VALIDATED, BatchStatus.FAILED):
        return redirect("imports:detail", pk=batch.pk)
    if not batch.headers:
        raise Http404
    form = MappingForm(request.POST or None, batch=batch, samples=queries.sample_values(batch))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_mapping(
                acting_user=request.user, batch=batch, mapping=form.cleaned_data["mapping"]
            )
        except actions.ApplyRefused as error:
            messages.error(request, str(error))
        return redirect("imports:detail", pk=batch.pk)
    return render(request, "imports/mapping.html", {"batch": batch, "form": form})


@login_required
@require_POST
def apply(request, pk: int):
    batch = access.batch_for_user(request.user, pk)
    try:
        actions.request_apply(acting_user=request.user, batch=batch)
    except actions.ApplyRefused as error:
        messages.error(request, str(error))
    return redirect("imports:detail", pk=batch.pk)


@login_required
@require_POST
def revalidate(request, pk: int):
    batch = access.batch_for_user(request.user, pk)
    try:
        actions.revalidate(acting_user=request.user, batch=batch)
    except actions.ApplyRefused as error:
        messages.error(request, str(error))
    return redirect("imports:detail", pk=batch.pk)


@login_required
@require_POST
def purge_rows(request, pk: int):
    """An office admin deletes a finished batch's row data and uploaded file now (PDPA)."""
    batch = access.batch_for_purge(request.user, pk)
    try:
        rows = actions.purge_batch_rows(acting_user=request.user, batch=batch)
    except actions.PurgeRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"ลบข้อมูลรายแถว {rows:,} แถวและไฟล์ที่อัปโหลดแล้ว คงไว้เฉพาะจำนวนสรุปของการนำเข้า",
        )
    return redirect("imports:detail", pk=batch.pk)


@login_required
def error_file(request, pk: int):
    batch = access.batch_for_user(request.user, pk)
    if batch.rows_purged:
        messages.error(
            request,
            "ไม่มีไฟล์ข้อผิดพลาดให้ดาวน์โหลด: ลบข้อมูลรายแถวและไฟล์ที่อัปโหลดของการนำเข้านี้แล้ว ตามระยะเก็บรักษาข้อมูล",
        )
        return redirect("imports:detail", pk=batch.pk)
    if batch.status not in (BatchStatus.VALIDATED, BatchStatus.APPLIED) or not batch.count_error:
        raise Http404
    path = exporters.stored_error_file(batch)
    if path is None:
        actions.request_error_file(batch)  # written by the worker, never by this request
        path = exporters.stored_error_file(batch)
    if path is None:
        messages.info(request, ERROR_FILE_PREPARING)
        return redirect("imports:detail", pk=batch.pk)
    actions.record_error_file(acting_user=request.user, batch=batch)
    return exporters.xlsx_response(path.open("rb"), f"krupd-errors-{batch.pk}.xlsx")


ERROR_FILE_PREPARING = "ระบบกำลังเตรียมไฟล์พร้อมคอลัมน์ข้อผิดพลาด กรุณากดดาวน์โหลดอีกครั้งในอีกสักครู่"


# The list page each export is taken from, to go back to.
EXPORT_LIST_PAGES = {
    ImportKind.PERSONNEL: "registry:people",
    ImportKind.SCHOOLS: "registry:schools",
    ImportKind.ENROLMENT: "registry:schools",
}


@login_required
def export(request, kind: str):
    """A list as a file. A short one is written into the response; a long one (more than
    DIRECT_EXPORT_ROWS) gets a page that asks the task worker to write it (POST)."""
    kind = access.export_kind(request.user, kind)
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    params = {k: v for k, v in request.GET.items() if k not in ("format", "page")}
    full_ids = kind == ImportKind.PERSONNEL and access.can_see_full_national_id(request.user)
    size = exporters.export_size(user=request.user, kind=kind, params=params)
    if size > exporters.DIRECT_EXPORT_ROWS:
        if request.method == "POST":
            job = actions.start_list_export(
                acting_user=request.user, kind=kind, file_format=fmt, params=params,
                full_ids=full_ids,
            )  # fmt: skip
            return redirect("imports:list_export", pk=job.pk)
        return render(
            request,
            "imports/export_large.html",
            {
                "kind_label": dict(ImportKind.choices)[kind],
                "fmt": fmt,
                "size": size,
                "full_ids": full_ids,
                "back_url": _list_page(kind, params),
                "recent": queries.recent_list_exports(request.user, kind),
            },
        )
    headers, rows = exporters.export_table(
        user=request.user, kind=kind, params=params, full_ids=full_ids
    )
    actions.record_export(acting_user=request.user, kind=kind, params=params, full_ids=full_ids)
    if fmt == "csv":
        return exporters.csv_response(headers, rows, exporters.filename(kind, "csv"))
    columns = exporters.export_columns(kind)
    tmp = exporters.write_xlsx(headers, rows, title=dict(ImportKind.choices)[kind], columns=columns)
    return exporters.xlsx_response(tmp, exporters.filename(kind, "xlsx"))


def _list_page(kind: str, params: dict) -> str:
    return reverse(EXPORT_LIST_PAGES[kind]) + (f"?{urlencode(params)}" if params else "")


@login_required
def list_export(request, pk: int):
    job = access.list_export_for_user(request.user, pk)
    return render(
        request,
        "imports/list_export.html",
        {
            "job": job,
            "expired": job.is_expired(),
            "back_url": _list_page(job.kind, job.params),
            "again_url": reverse("imports:export", args=[job.kind])
            + "?"
            + urlencode({**job.params, "format": job.file_format}),
        },
    )


@login_required
def list_export_progress(request, pk: int):
    job = access.list_export_for_user(request.user, pk)
    if not job.is_running and request.htmx:
        return HttpResponseClientRefresh()  # done: reload the page to show the download
    return render(request, "imports/_export_progress.html", {"job": job})


@login_required
def list_export_download(request, pk: int):
    job = access.list_export_for_user(request.user, pk)
    name = exporters.filename(job.kind, job.file_format, on=job.created_at)
    content_type = "text/csv; charset=utf-8" if job.file_format == "csv" else exporters.XLSX_TYPE
    return worker_files.download(job, filename=name, content_type=content_type)


# Where each whole-workbook import is started (and started again), and what a finished
# import made: (upload page, page of the record made or None).
FILE_IMPORT_PAGES = {
    FileImportKind.FRAMEWORK: ("planning:frameworks", "planning:framework"),
    FileImportKind.ONET: ("reporting:onet", None),
}


@login_required
def file_import(request, pk: int):
    """A whole-workbook import: progress while the worker reads it, then what was written or
    every problem found, by sheet, row and column."""
    job = access.file_import_for_user(request.user, pk)
    upload_page, result_page = FILE_IMPORT_PAGES[job.kind]
    result_url = ""
    if job.status == FileImportStatus.DONE and result_page and job.result_id:
        result_url = reverse(result_page, args=[job.result_id])
    return render(
        request,
        "imports/file_import.html",
        {
            "job": job,
            "progress": queries.file_import_progress(job),
            "upload_url": reverse(upload_page),
            "result_url": result_url,
        },
    )


@login_required
def file_import_progress(request, pk: int):
    job = access.file_import_for_user(request.user, pk)
    if not job.is_running and request.htmx:
        return HttpResponseClientRefresh()  # done: reload the page to show the outcome
    return render(
        request,
        "imports/_file_progress.html",
        {"job": job, "progress": queries.file_import_progress(job)},
    )
