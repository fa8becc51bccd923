from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import EDIT_STAFFING_RULES, EXPORT_DATA, PLAN_TRANSFERS, VIEW_PEOPLE, can
from krupd.db_router import reads_from_replica
from krupd.lib import query_params
from registry.models import LearningArea

from . import access, actions, exports, queries
from . import transfers as transfer_plans
from .forms import AreaWeightsForm, CopyRuleSetForm, RuleRowFormSet, RuleSetForm
from .models import RuleSet

SCHOOLS_PER_PAGE = 50
PEOPLE_PER_PAGE = 100


def _year(request) -> int:
    return query_params.be_year(
        request.GET, "year", default=queries.default_year(request.user.office)
    )


def _analysis(request, **kwargs) -> queries.Analysis:
    rule_set = None
    if rules_id := query_params.object_id(request.GET.get("rules")):
        rule_set = get_object_or_404(queries.rule_sets_for(request.user.office), pk=rules_id)
    return queries.analyse(request.user, academic_year=_year(request), rule_set=rule_set, **kwargs)


def _context(request, a: queries.Analysis, **extra) -> dict:
    return {
        "a": a,
        "s": a.summary,
        # The analysis's own parameters only: the nav and summary links add their filters.
        "query": query_params.query_only(request.GET, "year", "rules"),
        "rule_sets": queries.rule_sets_for(request.user.office),
        "may_export": can(request.user, EXPORT_DATA),
        "may_plan": can(request.user, PLAN_TRANSFERS) and not request.user.school_id,
        "may_list_people": can(request.user, VIEW_PEOPLE),
        "may_edit_rules": can(request.user, EDIT_STAFFING_RULES),
        "pupils_missing": queries.PUPILS_MISSING,
        **extra,
    }


@login_required
@reads_from_replica
def office(request):
    access.require_analysis(request.user)
    a = _analysis(request)
    chart = {
        "areas": [label for _c, label, _p, _t in a.by_area.rows],
        "levels": a.by_area.level_labels,
        "actual": [per for _c, _l, per, _t in a.by_area.rows],
        "demand": {label: total for _c, label, _p, total in a.demand_by_area.rows},
    }
    return render(
        request,
        "staffing/office.html",
        _context(request, a, chart=chart, demand_note=exports.DEMAND_NOTE),
    )


@login_required
@reads_from_replica
def schools(request):
    access.require_analysis(request.user)
    a = _analysis(request)
    status = request.GET.get("status", "")
    rows = [s for s in a.schools if not status or s.status == status]
    order = request.GET.get("sort", "diff")
    if order == "diff":
        rows.sort(key=lambda s: (s.diff is None, s.diff if s.diff is not None else 0, s.obec_code))
    elif order == "-diff":
        rows.sort(key=lambda s: (s.diff is None, -(s.diff or 0), s.obec_code))
    # A page of schools at a time: an office of 1,000 schools rendered every row and bar
    # (most of the page's time); the totals below the table stay the whole office's.
    page = Paginator(rows, SCHOOLS_PER_PAGE).get_page(query_params.page_number(request.GET))
    chart = {
        "labels": [s.label for s in page if s.diff],
        "diff": [s.diff for s in page if s.diff],
    }
    return render(
        request,
        "staffing/schools.html",
        _context(request, a, rows=page, page=page, status=status,
                 statuses=queries.STATUS_LABELS, sort=order, chart=chart,
                 page_query=query_params.query_without(request.GET, "page")),
    )  # fmt: skip


@login_required
@reads_from_replica
def school(request, pk: int):
    school = access.school_for_analysis(request.user, pk)
    a = _analysis(request, schools=queries.schools_visible_to(request.user).filter(pk=pk))
    if not a.schools:  # closed (or merged into another) by the census day: not counted
        messages.info(
            request,
            f"{school.name} {school.closure_label} ก่อนวันนับข้อมูล {a.census_be} "
            f"จึงไม่อยู่ในการวิเคราะห์อัตรากำลังปีการศึกษา {a.academic_year}",
        )
        return redirect("registry:school_detail", pk=school.pk)
    res = a.schools[0]
    area_rows = []
    codes = set(res.area_actual) | set(res.area_required) | set(res.area_demand or {})
    for area in a.areas:
        if area.code in codes:
            area_rows.append((area, res.area_actual.get(area.code, 0),
                              res.area_required.get(area.code), res.area_gap(area.code),
                              res.area_demand.get(area.code, 0)))  # fmt: skip
    people = []
    if can(request.user, VIEW_PEOPLE):
        people = queries.school_people(request.user, school)
    return render(
        request,
        "staffing/school.html",
        _context(request, a, school=school, res=res, area_rows=area_rows, people=people,
                 unmapped_demand=res.area_demand.get(None, 0)),
    )  # fmt: skip


@login_required
@reads_from_replica
def problems(request):
    access.require_analysis(request.user)
    a = _analysis(request)
    return render(request, "staffing/problems.html", _context(request, a))


@login_required
@reads_from_replica
def export(request, fmt: str):
    access.require_analysis(request.user)
    access.require(request.user, EXPORT_DATA)
    if fmt not in ("xlsx", "docx", "pdf"):
        return HttpResponse(status=404)
    a = _analysis(request)
    name = f"staffing-{a.academic_year}"
    thai_digits = request.GET.get("digits") == "thai"  # the report's documents, as the SAR's
    if fmt == "xlsx":
        body = exports.analysis_xlsx(a)
        ctype = exports.XLSX_TYPE
    elif fmt == "docx":
        body = exports.analysis_docx(a, thai_digits=thai_digits)
        ctype = exports.DOCX_TYPE
    else:
        body = exports.analysis_pdf(a, thai_digits=thai_digits)
        ctype = "application/pdf"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@reads_from_replica
def out_of_field(request):
    access.require_analysis(request.user)
    school_id = request.GET.get("school", "")
    area = request.GET.get("area", "")
    oof = queries.out_of_field(request.user)
    if request.GET.get("format") == "xlsx":
        return _out_of_field_workbook(request, oof)
    page = None
    if can(request.user, VIEW_PEOPLE):
        people = queries.out_of_field_page_list(
            request.user, oof, school=query_params.object_id(school_id) or "", area=area
        )
        page = Paginator(people, 50).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        shown = oof.school_labels()
        for person in page.object_list:  # a namesake school named with its OBEC code
            person.school_label = shown.get(person.school_id) or person.workplace_name
    params = request.GET.copy()
    params.pop("page", None)
    # The schools with out-of-field teachers a page at a time (an office of 1,000 schools
    # rendered every row); the totals above stay the office's. They filter the names by school,
    # so they are labelled as a school filter is: a closed school says so.
    labels = oof.school_filter_labels(timezone.localdate())
    schools = Paginator(
        [{**s, "label": labels[s["id"]]} for s in oof.by_school if s["out"]], SCHOOLS_PER_PAGE
    ).get_page(query_params.page_number(request.GET, "schools_page"))
    return render(
        request,
        "staffing/out_of_field.html",
        {"oof": oof, "page": page, "school_id": school_id, "area": area,
         "schools": schools,
         "schools_query": query_params.query_without(request.GET, "schools_page"),
         "may_plan": can(request.user, PLAN_TRANSFERS) and not request.user.school_id,
         "may_export": can(request.user, EXPORT_DATA),
         "query": params.urlencode()},
    )  # fmt: skip


def _out_of_field_workbook(request, oof: queries.OutOfField) -> HttpResponse:
    access.require(request.user, EXPORT_DATA)
    people = None
    if can(request.user, VIEW_PEOPLE):
        people = queries.out_of_field_people(request.user)
    office = request.user.office.name if request.user.office else ""
    return _xlsx(exports.out_of_field_xlsx(oof, people, office), "staffing-out-of-field")


def _xlsx(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@reads_from_replica
def retirements(request):
    access.require_analysis(request.user)
    a = _analysis(request)
    horizon = query_params.bounded(request.GET, "years", default=10, low=1, high=40)
    r = queries.retirements(request.user, a, horizon=horizon)
    if request.GET.get("format") == "xlsx":
        access.require(request.user, EXPORT_DATA)
        names = r.people[0 : len(r.people)] if can(request.user, VIEW_PEOPLE) else None
        body = exports.retirements_xlsx(a, r, names)
        return _xlsx(body, f"staffing-retirements-{a.academic_year}")
    # The names a page at a time: a 100,000-person office has some 20,000 retiring within
    # ten years, and rendering every row took most of the page's seconds.
    people = Paginator(r.people, PEOPLE_PER_PAGE).get_page(query_params.page_number(request.GET))
    # Likewise the schools: an office of 1,000 schools rendered a row of ten years for each.
    schools = Paginator(r.by_school, SCHOOLS_PER_PAGE).get_page(
        query_params.page_number(request.GET, "schools_page")
    )
    chart = {
        "years": [str(y["fy"]) for y in r.by_year],
        "retiring": [y["retiring"] for y in r.by_year],
        "short": [y["short_positions"] for y in r.by_year],
    }
    return render(
        request,
        "staffing/retirements.html",
        _context(
            request,
            a,
            r=r,
            horizon=len(r.years),
            chart=chart,
            people=people,
            page_query=query_params.query_without(request.GET, "page"),
            schools=schools,
            schools_query=query_params.query_without(request.GET, "schools_page"),
        ),
    )


@login_required
@reads_from_replica
def transfers(request):
    access.require_transfers(request.user)
    a = _analysis(request)
    plan = transfer_plans.transfer_plan(request.user, a)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(exports.transfers_xlsx(plan), content_type=exports.XLSX_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="staffing-transfers-{a.academic_year}.xlsx"'
        )
        return response
    return render(request, "staffing/transfers.html", _context(request, a, plan=plan))


# ---------------------------------------------------------------------------------------------
# Rules


@login_required
def rules(request):
    access.require_analysis(request.user)
    sets = queries.rule_sets_for(request.user.office).select_related("office")
    in_force = queries.rule_set_in_force(
        request.user.office,
        queries.census_date_for(request.user.office, queries.default_year(request.user.office)),
    )
    return render(
        request,
        "staffing/rules.html",
        {"sets": sets, "in_force": in_force,
         "may_plan": can(request.user, PLAN_TRANSFERS) and not request.user.school_id,
         "may_edit_rules": can(request.user, EDIT_STAFFING_RULES)},
    )  # fmt: skip


@login_required
def rule_set(request, pk: int):
    rs = access.rule_set_for_view(request.user, pk)
    level_order = {lv: i for i, lv in enumerate(queries.LEVEL_SHORT)}
    rows = sorted(rs.rows.all(), key=lambda r: (level_order.get(r.level, 9), r.basis, r.band_min))
    bands = queries.bands_of(rs)
    levels = {r.level for r in rows} | set(
        queries.schools_visible_to(request.user).values_list("level", flat=True).distinct()
    )
    weights = queries.weights_of(rs)
    areas = list(LearningArea.objects.exclude(code="admin"))
    weight_levels = [lv for lv in queries.LEVEL_SHORT if lv in weights]
    weight_rows = [(a, [weights.get(lv, {}).get(a.code) for lv in weight_levels]) for a in areas]
    return render(
        request,
        "staffing/rule_set.html",
        {"rs": rs, "rows": rows,
         "band_problems": queries.rl.band_problems(bands, levels=levels),
         "weight_levels": [queries.LEVEL_SHORT[lv] for lv in weight_levels],
         "weight_rows": weight_rows,
         "may_edit": can(request.user, EDIT_STAFFING_RULES)
                     and rs.office_id == request.user.office_id,
         "may_copy": can(request.user, EDIT_STAFFING_RULES),
         "copy_form": CopyRuleSetForm(office=request.user.office)},
    )  # fmt: skip


@login_required
def rule_set_edit(request, pk: int):
    rs = access.rule_set_for_edit(request.user, pk)
    form = RuleSetForm(request.POST or None, instance=rs)
    formset = RuleRowFormSet(request.POST or None, instance=rs)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        actions.save_rule_set(
            acting_user=request.user, rule_set=form.save(commit=False), rows_formset=formset
        )
        messages.success(request, "บันทึกเกณฑ์แล้ว")
        return redirect("staffing:rule_set", pk=rs.pk)
    return render(
        request, "staffing/rule_set_edit.html", {"rs": rs, "form": form, "formset": formset}
    )


@login_required
def rule_set_weights(request, pk: int):
    rs = access.rule_set_for_edit(request.user, pk)
    form = AreaWeightsForm(request.POST or None, rule_set=rs)
    if request.method == "POST" and form.is_valid():
        actions.set_area_weights(acting_user=request.user, rule_set=rs, weights=form.weights())
        messages.success(request, "บันทึกสัดส่วนครูตามกลุ่มสาระแล้ว")
        return redirect("staffing:rule_set", pk=rs.pk)
    return render(request, "staffing/rule_set_weights.html", {"rs": rs, "form": form})


@login_required
@require_POST
def rule_set_copy(request, pk: int):
    source = access.rule_set_for_copy(request.user, pk)
    form = CopyRuleSetForm(request.POST, office=request.user.office)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("staffing:rule_set", pk=source.pk)
    try:
        copy = actions.copy_rule_set(
            acting_user=request.user,
            source=source,
            office=request.user.office,
            version=form.cleaned_data["version"],
            effective_date=form.cleaned_data["effective_date"],
        )
    except actions.VersionTaken as e:  # the first click of a double click made it
        messages.info(request, e.messages[0])
        return redirect("staffing:rule_set", pk=e.rule_set.pk)
    messages.success(request, f"สร้างเกณฑ์ฉบับ {copy.version} ของเขตแล้ว แก้ไขได้")
    return redirect("staffing:rule_set", pk=copy.pk)


__all__ = ["RuleSet"]
