"""Pages of the provincial inspection round. The provincial inspector opens a round, follows
each office's submission, answers it, writes the province's summary and exports the DOCX;
regional inspectors and OBEC analysts read the rounds in their scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.roles import RUN_PROVINCE_INSPECTION, VIEW_PROVINCE_INSPECTION, can
from krupd.lib import query_params
from krupd.lib.thai_docx import DOCX_TYPE
from reporting.actions import policies_for
from reporting.forms import problem_rows_error, problems_from
from reporting.models import FocusPoint
from reporting.queries import current_fiscal_year

from . import access, inspection_actions, inspection_queries
from .inspection_forms import OpenRoundForm, PointSummaryForm, ReviewForm, RoundFrontForm
from .reports import inspection as report


def _errors(form) -> str:
    """The form's errors on one line, each after the label of its field."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)


@login_required
def rounds(request):
    access.require(request.user, VIEW_PROVINCE_INSPECTION)
    may_run = can(request.user, RUN_PROVINCE_INSPECTION) and request.user.province_id
    fy = current_fiscal_year()
    form = OpenRoundForm(
        initial={"fiscal_year": fy, "round_number": 1,
                 "title": f"การตรวจราชการและติดตามประเมินผลการจัดการศึกษา ปีงบประมาณ {fy}"}
    )  # fmt: skip
    if request.method == "POST":
        access.require(request.user, RUN_PROVINCE_INSPECTION)
        form = OpenRoundForm(request.POST)
        if form.is_valid():
            try:
                round_ = inspection_actions.open_round(
                    acting_user=request.user, province=request.user.province, **form.cleaned_data
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"เปิด{round_.title}แล้ว")
                return redirect("oversight:round", pk=round_.pk)
        else:
            messages.error(request, f"เปิดรอบไม่ได้ — {_errors(form)}")
    return render(
        request,
        "oversight/rounds.html",
        {"rounds": inspection_queries.rounds_in_scope(request.user),
         "form": form if may_run else None},
    )  # fmt: skip


@login_required
def round_detail(request, pk: int):
    round_ = access.round_for_view(request.user, pk)
    rows = inspection_queries.standings(round_, with_content=True)
    may_run = can(request.user, RUN_PROVINCE_INSPECTION)
    return render(
        request,
        "oversight/round_detail.html",
        {"round": round_, "rows": rows, "may_run": may_run,
         "policies": inspection_queries.province_report(round_, rows),
         "front": RoundFrontForm(instance=round_) if may_run else None,
         "missing": [r for r in rows if not r.in_report]},
    )  # fmt: skip


@login_required
@require_POST
def round_front(request, pk: int):
    round_ = access.round_for_run(request.user, pk)
    form = RoundFrontForm(request.POST, instance=type(round_).objects.get(pk=round_.pk))
    if form.is_valid():
        inspection_actions.save_round_front(
            acting_user=request.user, round_=round_, **form.cleaned_data
        )
        messages.success(request, "บันทึกชื่อรอบ กำหนดส่ง และคำนำแล้ว")
    else:
        messages.error(request, f"บันทึกไม่ได้ — {_errors(form)}")
    return redirect("oversight:round", pk=round_.pk)


@login_required
@require_POST
def round_summary(request, pk: int):
    round_ = access.round_for_run(request.user, pk)
    point = get_object_or_404(
        FocusPoint.objects.select_related("policy"),
        pk=query_params.object_id(request.POST.get("point", "")),
        policy__in=policies_for(round_.fiscal_year),
    )
    form = PointSummaryForm(request.POST)
    if error := problem_rows_error(request.POST):
        messages.error(request, f"ยังไม่ได้บันทึก — {error}")
    elif form.is_valid():
        inspection_actions.save_point_summary(
            acting_user=request.user, round_=round_, point=point, values=form.cleaned_data,
            problems=problems_from(request.POST),
        )  # fmt: skip
        messages.success(
            request, f"บันทึกสรุประดับจังหวัด จุดเน้นที่ {point.policy.number}.{point.number} แล้ว"
        )
    else:
        messages.error(request, f"บันทึกไม่ได้ — {_errors(form)}")
    return redirect(reverse("oversight:round", args=[round_.pk]) + f"#point-{point.pk}")


@login_required
def round_office(request, pk: int, office: int):
    round_ = access.round_for_view(request.user, pk)
    office_ = access.office_of_round(round_, office)
    standing = inspection_queries.standing_of(round_, office_)
    return render(
        request,
        "oversight/round_office.html",
        {"round": round_, "standing": standing,
         "versions": standing.report.versions.order_by("-number") if standing.report else [],
         "may_review": can(request.user, RUN_PROVINCE_INSPECTION)
         and standing.submission is not None and standing.submission.status == "submitted"},
    )  # fmt: skip


@login_required
@require_POST
def round_review(request, pk: int, office: int):
    round_ = access.round_for_run(request.user, pk)
    office_ = access.office_of_round(round_, office)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "กรุณาเลือกรับรายงานหรือส่งกลับแก้ไข")
        return redirect("oversight:round_office", pk=round_.pk, office=office_.pk)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        inspection_actions.review_submission(
            acting_user=request.user, round_=round_, office=office_, accept=accept,
            comment=form.cleaned_data["comment"],
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("oversight:round_office", pk=round_.pk, office=office_.pk)
    done = "รับรายงานของ" if accept else "ส่งรายงานกลับให้แก้ไข:"
    messages.success(request, f"{done} {office_.name} แล้ว")
    return redirect("oversight:round", pk=round_.pk)


@login_required
def round_docx(request, pk: int):
    round_ = access.round_for_view(request.user, pk)
    data = report.province_inspection_docx(
        round_, thai_digits=request.GET.get("digits", "thai") == "thai"
    )
    response = HttpResponse(data, content_type=DOCX_TYPE)
    name = f"inspection-{round_.province.code}-{round_.fiscal_year}-{round_.round_number}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
