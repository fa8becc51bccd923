from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts.roles import EDIT_REPORTS, can
from imports.actions import start_file_import
from imports.models import FileImportKind
from imports.queries import recent_file_imports
from krupd import worker_files
from krupd.db_router import reads_from_replica
from krupd.downloads import file_download_response
from krupd.forms import error_messages
from krupd.lib import query_params
from krupd.lib.thai_dates import HALF_YEAR_ROUNDS
from krupd.lib.thai_docx import DOCX_TYPE
from registry.models import Network, School

from . import access, actions, queries
from .forms import (
    AttachmentForm,
    FocusAnswerForm,
    InspectionFrontForm,
    NationalMeanForm,
    OnetUploadForm,
    SarEntryForm,
    problem_rows_error,
    problems_from,
)
from .kpis import FORMULAS, KpiData
from .models import InspectionReport, OnetNationalMean, OnetResult, SarEdition, SarReport
from .reports import inspection as inspection_report
from .reports import sar as sar_report
from .reports import summaries


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _fiscal_year(request) -> int:
    return query_params.be_year(request.GET, "fy", default=queries.current_fiscal_year())


def _int(request, name: str) -> int | None:
    return query_params.object_id(request.GET.get(name, "")) or None


# ------------------------------------------------------------------------- dashboard


@login_required
@reads_from_replica
def dashboard(request):
    access.require_dashboard(request.user)
    fy = _fiscal_year(request)
    try:
        scope = queries.scope_for(
            request.user, network_id=_int(request, "network"), school_id=_int(request, "school")
        )
    except (School.DoesNotExist, Network.DoesNotExist) as exc:
        raise Http404 from exc
    board = queries.dashboard(request.user, fiscal_year=fy, scope=scope)
    context = {
        "board": board,
        "fy": fy,
        "years": range(queries.current_fiscal_year() - 4, queries.current_fiscal_year() + 2),
        "may_edit": can(request.user, EDIT_REPORTS),
        "status_legend": queries.STATUS_LEGEND,
    }
    return render(request, "reporting/dashboard.html", context)


@login_required
def targets(request):
    access.require_dashboard(request.user)
    office = request.user.office
    if request.method == "POST":
        access.require(request.user, EDIT_REPORTS)
        try:
            actions.save_office_target(
                acting_user=request.user,
                code=request.POST.get("code", ""),
                target=_decimal(request.POST.get("target", "")),
            )
            messages.success(request, "บันทึกเป้าหมายแล้ว")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("reporting:targets")
    return render(
        request,
        "reporting/targets.html",
        {
            "targets": queries.targets_for(office),
            "may_edit": can(request.user, EDIT_REPORTS),
            "formulas": {code: f.label for code, f in FORMULAS.items()},
            "developed_hours": KpiData(office, []).developed_min_hours,
        },
    )


def _decimal(text: str):
    """A target as typed: Thai digits, thousands commas and "ร้อยละ"/"%" around it allowed.
    "nan" and "Infinity" are words Python's Decimal reads as numbers: refused like any word."""
    from decimal import Decimal, InvalidOperation

    from krupd.forms import normalise_number

    typed = normalise_number(text)
    typed = typed.removeprefix("ร้อยละ").removesuffix("%")
    try:
        value = Decimal(typed)
    except InvalidOperation as exc:
        raise ValidationError("เป้าหมายต้องเป็นตัวเลข") from exc
    if not value.is_finite():
        raise ValidationError("เป้าหมายต้องเป็นตัวเลข")
    if not -100 <= value <= 1000:
        raise ValidationError("เป้าหมายต้องอยู่ระหว่าง -100 ถึง 1,000")
    return value


@login_required
def onet_import(request):
    """The upload stores the sheet after the upload field's look at its first bytes and zip
    directory; the task worker reads and writes it (imports/actions.py `run_file_import`)."""
    access.require(request.user, EDIT_REPORTS)
    form = OnetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = start_file_import(
            acting_user=request.user,
            kind=FileImportKind.ONET,
            uploaded_file=form.cleaned_data["file"],
            file_format=form.file_format,
        )
        return redirect("imports:file_import", pk=job.pk)
    years = (
        OnetResult.objects.of_office(request.user.office)
        .values_list("academic_year", flat=True)
        .distinct()
        .order_by("-academic_year")
    )
    return render(
        request,
        "reporting/onet.html",
        {
            "form": form,
            "years": list(years),
            "recent_imports": recent_file_imports(request.user, FileImportKind.ONET),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def onet_national(request):
    """National O-NET means per year, grade and subject, typed by the office from NIETS'
    results; network goals compare their schools with them."""
    access.require(request.user, EDIT_REPORTS)
    office = request.user.office
    source = request.POST if request.method == "POST" else request.GET
    editing = query_params.object_id(source.get("id", "")) or None
    instance = (
        access.national_mean_for_edit(request.user, editing)
        if editing
        else OnetNationalMean(office=office)
    )
    form = NationalMeanForm(
        request.POST or None, instance=instance, subjects=queries.onet_subjects(office)
    )
    if request.method == "POST" and form.is_valid():
        try:
            row = actions.save_national_mean(acting_user=request.user, row=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, f"บันทึกค่าเฉลี่ยระดับประเทศ {row} แล้ว")
            return redirect("reporting:onet_national")
    rows = OnetNationalMean.objects.filter(office=office)
    return render(
        request,
        "reporting/onet_national.html",
        {"form": form, "rows": rows, "editing": instance if instance.pk else None},
    )


@login_required
@require_POST
def onet_national_delete(request, pk: int):
    row = access.national_mean_for_edit(request.user, pk)
    label = str(row)
    actions.delete_national_mean(acting_user=request.user, row=row)
    messages.success(request, f"ลบค่าเฉลี่ยระดับประเทศ {label} แล้ว")
    return redirect("reporting:onet_national")


# ------------------------------------------------------------------------------- SAR


@login_required
def sar_list(request):
    access.require_office_reports(request.user)
    fy = _fiscal_year(request)
    if request.method == "POST":
        access.require(request.user, EDIT_REPORTS)
        edition = get_object_or_404(
            SarEdition, pk=query_params.object_id(request.POST.get("edition")), active=True
        )
        fy = query_params.be_year(request.POST, "fy", default=fy)
        round_number = 1 if request.POST.get("round") == "1" else 2
        try:
            report = actions.start_sar(
                acting_user=request.user, edition=edition, fiscal_year=fy, round_number=round_number
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("reporting:sar_list")
        return redirect("reporting:sar", pk=report.pk)
    reports = SarReport.objects.filter(office=request.user.office).select_related("edition")
    context = {
        "reports": reports,
        "editions": SarEdition.objects.filter(active=True),
        "rounds": sorted(HALF_YEAR_ROUNDS.items()),
        "fy": fy,
        "may_edit": can(request.user, EDIT_REPORTS),
    }
    return render(request, "reporting/sar_list.html", context)


@login_required
def sar_detail(request, pk: int):
    report = access.sar_for_view(request.user, pk)
    document = sar_report.build(report)
    may_edit = can(request.user, EDIT_REPORTS)
    forms = {}
    if may_edit:
        forms = {v.entry.pk: SarEntryForm(instance=v.entry) for v in document.items if v.entry}
    context = {"report": report, "doc": document, "may_edit": may_edit, "forms": forms,
               "attach_form": AttachmentForm()}  # fmt: skip
    return render(request, "reporting/sar_detail.html", context)


@login_required
@require_POST
def sar_entry_save(request, pk: int, entry: int):
    sar_entry = access.sar_entry_for_edit(request.user, pk, entry)
    form = SarEntryForm(request.POST, instance=sar_entry)
    if not form.is_valid():
        messages.error(
            request, "บันทึกไม่ได้: " + "; ".join(m for e in form.errors.values() for m in e)
        )
        return redirect(reverse("reporting:sar", args=[pk]) + f"#item-{sar_entry.item_id}")
    document = sar_report.build(sar_entry.report)
    suggested = next(
        (v.suggestion.level for v in document.items if v.item.pk == sar_entry.item_id), None
    )
    sar_entry.refresh_from_db()
    actions.save_sar_entry(
        acting_user=request.user,
        entry=sar_entry,
        values=form.cleaned_data,
        suggested_level=suggested,
    )
    messages.success(request, f"บันทึกข้อ {sar_entry.item.number} แล้ว")
    return redirect(reverse("reporting:sar", args=[pk]) + f"#item-{sar_entry.item_id}")


@login_required
@require_POST
def sar_attach(request, pk: int, entry: int):
    sar_entry = access.sar_entry_for_edit(request.user, pk, entry)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        actions.attach_sar_document(
            acting_user=request.user, entry=sar_entry, label=form.cleaned_data["label"],
            file=form.cleaned_data["file"],
        )  # fmt: skip
        messages.success(request, "แนบเอกสารแล้ว")
    else:
        messages.error(request, "แนบเอกสารไม่ได้: " + " ".join(error_messages(form)))
    return redirect(reverse("reporting:sar", args=[pk]) + f"#item-{sar_entry.item_id}")


@login_required
def sar_attachment_file(request, pk: int):
    """A SAR attachment, for whoever reads the SAR (access.py); never a public media link."""
    return file_download_response(access.sar_attachment_for_download(request.user, pk).file)


SAR_FILE_TYPES = {"docx": DOCX_TYPE, "pdf": "application/pdf"}


def _sar_file_name(report, fmt: str) -> str:
    return f"sar-{report.fiscal_year}-round{report.round_number}-{report.edition.code}.{fmt}"


@login_required
@require_http_methods(["GET", "POST"])
def sar_export(request, pk: int, fmt: str):
    """The SAR as DOCX or PDF. A small SAR is written into the response; a large one
    (queries.sar_is_large) gets a page that asks the task worker to write it (POST)."""
    report = access.sar_for_view(request.user, pk)
    if fmt not in SAR_FILE_TYPES:
        raise Http404
    thai_digits = request.GET.get("digits") == "thai"
    if queries.sar_is_large(report):
        if request.method == "POST":
            job = actions.start_sar_export(
                acting_user=request.user, report=report, file_format=fmt, thai_digits=thai_digits
            )
            return redirect("reporting:sar_export_job", pk=job.pk)
        return render(
            request,
            "reporting/sar_export_large.html",
            {"report": report, "fmt": fmt, "thai_digits": thai_digits,
             "recent": queries.recent_sar_exports(request.user, report)},
        )  # fmt: skip
    document = sar_report.build(report)
    if fmt == "docx":
        data = sar_report.sar_docx(document, thai_digits=thai_digits)
    else:
        from .render.pdf import sar_pdf

        data = sar_pdf(document, thai_digits=thai_digits)
    return _download(data, SAR_FILE_TYPES[fmt], _sar_file_name(report, fmt))


def _sar_export_again_url(job) -> str:
    url = reverse("reporting:sar_export", args=[job.report_id, job.file_format])
    return url + ("?digits=thai" if job.thai_digits else "")


@login_required
def sar_export_job(request, pk: int):
    """A large SAR's file: progress while the worker writes it, then the download, or why
    it could not be written."""
    job = access.sar_export_for_user(request.user, pk)
    return render(
        request,
        "reporting/sar_export.html",
        {"job": job, "report": job.report, "expired": job.is_expired(),
         "progress": queries.sar_export_progress(job), "again_url": _sar_export_again_url(job)},
    )  # fmt: skip


@login_required
def sar_export_progress(request, pk: int):
    job = access.sar_export_for_user(request.user, pk)
    if not job.is_running and request.htmx:
        return HttpResponseClientRefresh()  # done: reload the page to show the download
    return render(
        request,
        "reporting/_sar_export_progress.html",
        {"job": job, "progress": queries.sar_export_progress(job)},
    )


@login_required
def sar_export_download(request, pk: int):
    job = access.sar_export_for_user(request.user, pk)
    return worker_files.download(
        job, filename=_sar_file_name(job.report, job.file_format),
        content_type=SAR_FILE_TYPES[job.file_format],
    )  # fmt: skip


# ------------------------------------------------------------------------ inspection


@login_required
def inspection(request):
    access.require_office_reports(request.user)
    fy = _fiscal_year(request)
    if request.method == "POST":
        access.require(request.user, EDIT_REPORTS)
        try:
            report = actions.start_inspection(acting_user=request.user, fiscal_year=fy)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("reporting:inspection")
        return redirect("reporting:inspection_report", pk=report.pk)
    from .models import InspectionReport

    reports = InspectionReport.objects.filter(office=request.user.office)
    policies = actions.policies_for(fy)
    return render(
        request,
        "reporting/inspection_list.html",
        {"reports": reports, "fy": fy, "policies": policies,
         "may_edit": can(request.user, EDIT_REPORTS)},
    )  # fmt: skip


@login_required
def inspection_report_view(request, pk: int):
    report = access.inspection_for_view(request.user, pk)
    policies = inspection_report.build(report)
    submission = queries.submission_for(report)
    may_submit = can(request.user, EDIT_REPORTS)
    may_edit = may_submit and not queries.is_locked(submission)
    practices = _practices(request.user) if may_edit else []
    from oversight.inspection_queries import round_for

    return render(
        request,
        "reporting/inspection_detail.html",
        {"report": report, "policies": policies, "may_edit": may_edit, "practices": practices,
         "may_submit": may_submit, "submission": submission,
         "status": queries.status_label(submission), "badge": queries.status_badge(submission),
         "round": round_for(report.office, report.fiscal_year, report.round_number),
         "versions": report.versions.order_by("-number"),
         "front": InspectionFrontForm(instance=report) if may_submit else None,
         "questions_year": actions.questions_year(report.fiscal_year)},
    )  # fmt: skip


@login_required
@require_POST
def inspection_submit(request, pk: int):
    access.require(request.user, EDIT_REPORTS)
    report = access.inspection_for_view(request.user, pk)
    try:
        version = actions.submit_inspection(acting_user=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"ส่งรายงานรอบที่ {version.round_number} ถึงจังหวัดแล้ว (ฉบับที่ {version.number})"
        )
    return redirect("reporting:inspection_report", pk=report.pk)


def _practices(user) -> list:
    from django.apps import apps

    if not apps.is_installed("community"):
        return []
    from community.models import BestPractice

    return list(
        BestPractice.objects.filter(office_id=user.office_id, status="published")
        .select_related("school")
        .order_by("-year", "title")[:200]
    )


@login_required
@require_POST
def inspection_front_save(request, pk: int):
    access.require(request.user, EDIT_REPORTS)
    report = access.inspection_for_view(request.user, pk)
    form = InspectionFrontForm(request.POST, instance=InspectionReport.objects.get(pk=report.pk))
    if form.is_valid():
        try:
            actions.save_inspection_front(
                acting_user=request.user, report=report, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "บันทึกรอบการตรวจราชการและคำนำแล้ว")
    else:
        messages.error(request, "รอบที่ต้องเป็นรอบที่ 1 หรือ 2")
    return redirect("reporting:inspection_report", pk=report.pk)


@login_required
@require_POST
def inspection_answer_save(request, pk: int, answer: int):
    focus = access.focus_answer_for_edit(request.user, pk, answer)
    try:
        actions.ensure_editable(focus.report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reporting:inspection_report", pk=pk)
    if request.POST.get("refresh"):
        n = actions.refresh_prefill(acting_user=request.user, answer=focus)
        messages.success(request, f"ดึงข้อมูลล่าสุดแล้ว ({n} รายการเปลี่ยน)")
        return redirect(reverse("reporting:inspection_report", args=[pk]) + f"#point-{focus.pk}")
    if error := problem_rows_error(request.POST):
        messages.error(request, f"ยังไม่ได้บันทึกจุดเน้นที่ {focus.point} — {error}")
        return redirect(reverse("reporting:inspection_report", args=[pk]) + f"#point-{focus.pk}")
    form = FocusAnswerForm(request.POST, instance=focus)
    if not form.is_valid():  # e.g. a NUL character pasted from another program
        messages.error(
            request, f"ยังไม่ได้บันทึกจุดเน้นที่ {focus.point} — " + " ".join(error_messages(form))
        )
        return redirect(reverse("reporting:inspection_report", args=[pk]) + f"#point-{focus.pk}")
    values = dict(form.cleaned_data)
    picked = request.POST.get("practice", "")
    if picked_id := query_params.object_id(picked):
        practice = next((p for p in _practices(request.user) if p.pk == picked_id), None)
        if practice is not None:
            owner = practice.school.name if practice.school_id else ""
            values["best_practice"] = f"{practice.title} {owner}\n{practice.summary}".strip()
            values["best_practice_ref"] = practice.pk
    progress = {
        query_params.object_id(k.split("_", 1)[1]): v for k, v in request.POST.items()
        if k.startswith("progress_") and query_params.object_id(k.split("_", 1)[1])
    }  # fmt: skip
    actions.save_focus_answer(
        acting_user=request.user, answer=focus, values=values, progress=progress,
        problems=problems_from(request.POST),
    )  # fmt: skip
    messages.success(request, f"บันทึกจุดเน้นที่ {focus.point} แล้ว")
    return redirect(reverse("reporting:inspection_report", args=[pk]) + f"#point-{focus.pk}")


@login_required
def inspection_docx(request, pk: int):
    report = access.inspection_for_view(request.user, pk)
    data = inspection_report.inspection_docx(
        report, thai_digits=request.GET.get("digits", "thai") == "thai"
    )
    return _download(data, DOCX_TYPE, f"inspection-{report.fiscal_year}.docx")


# ---------------------------------------------------------------- annual summaries


@login_required
@reads_from_replica
def summaries_page(request):
    access.require_office_reports(request.user)
    fy = _fiscal_year(request)
    return render(
        request,
        "reporting/summaries.html",
        {
            "fy": fy,
            "kinds": summaries.available(request.user, fiscal_year=fy),
            "thai_digits": _summary_thai_digits(request),
        },
    )


def _summary_thai_digits(request) -> bool:
    """Thai digits in an annual summary as in the office's other documents (transcripts,
    results): the office's setting, unless the link asks for Thai or Arabic digits."""
    asked = request.GET.get("digits")
    if asked in ("thai", "arabic"):
        return asked == "thai"
    if not apps.is_installed("training"):
        return False
    from training.actions import rules_for

    return rules_for(request.user.office).thai_digits


@login_required
@reads_from_replica
def summary_export(request, kind: str, fmt: str):
    access.require_office_reports(request.user)
    if fmt not in ("xlsx", "docx"):
        raise Http404
    fy = _fiscal_year(request)
    try:
        data, filename = summaries.export(
            request.user, kind=kind, fmt=fmt, fiscal_year=fy,
            thai_digits=_summary_thai_digits(request),
        )  # fmt: skip
    except summaries.NoData as exc:
        messages.warning(request, str(exc))
        return redirect(reverse("reporting:summaries") + f"?fy={fy}")
    except KeyError as exc:
        raise Http404 from exc
    except PermissionDenied:
        raise
    content_type = DOCX_TYPE if fmt == "docx" else summaries.XLSX_TYPE
    return _download(data, content_type, filename)
