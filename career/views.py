from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.roles import EDIT_SETTINGS, MANAGE_DEBT, MANAGE_PA, RATE_STAFF, Role, can
from krupd.lib import query_params, thai_dates
from registry.models import TEACHING_TYPES, Person
from registry.picker import picker_response
from registry.queries import people_visible_to

from . import access, actions, exports, queries
from .forms import (
    AgreementForm,
    CareerRulesForm,
    DebtCaseForm,
    DebtProfileForm,
    DeductionFormSet,
    EvaluationForm,
    EvaluatorsForm,
    StandingRequestForm,
)
from .models import DebtCase, DebtProfile, PAAgreement, PAStatus, StandingRequest
from .reference_data import EXPECTED_PRACTICE


def _fy(request) -> int:
    today = thai_dates.fiscal_year(timezone.localdate())
    return query_params.be_year(request.GET, "fy", default=today)


def _fail(form, error) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
def home(request):
    if not request.user.office_id:
        raise PermissionDenied
    return render(request, "career/home.html", {"fy": _fy(request)})


@login_required
def settings(request):
    """Office admins: the PA pass mark and the debt net-pay threshold (audited)."""
    access.require(request.user, EDIT_SETTINGS)
    rules = queries.rules_for(request.user.office)
    form = CareerRulesForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_rules(acting_user=request.user, rules=form.save(commit=False))
        except actions.CareerError as e:
            _fail(form, e)
        else:
            messages.success(request, "บันทึกการตั้งค่าแล้ว")
            return redirect("career:settings")
    return render(request, "career/form.html", {"form": form, "title": "ตั้งค่า PA และหนี้สินครู"})


# ------------------------------------------------------------------------------------- PA


@login_required
def pa_mine(request):
    user = request.user
    if not user.person_id:
        raise PermissionDenied
    fy = _fy(request)
    if request.method == "POST":
        agreement = actions.start_agreement(acting_user=user, person=user.person, fiscal_year=fy)
        return redirect("career:pa_edit", pk=agreement.pk)
    agreements = PAAgreement.objects.filter(person_id=user.person_id).prefetch_related(
        "evaluations"
    )
    rows = [(a, queries.overall(a)) for a in agreements]
    evaluating = PAAgreement.objects.filter(evaluations__evaluator=user).select_related("person")
    return render(
        request,
        "career/pa_mine.html",
        {
            "rows": rows,
            "fy": fy,
            "has_current": any(a.fiscal_year == fy for a, _ in rows),
            "evaluating": evaluating,
        },
    )


@login_required
def pa_detail(request, pk: int):
    user = request.user
    agreement = access.agreement_for_view(user, pk)
    evaluations = list(agreement.evaluations.select_related("evaluator"))
    my_seat = next((e for e in evaluations if e.evaluator_id == user.pk), None)
    return render(
        request,
        "career/pa_detail.html",
        {
            "a": agreement,
            "items": agreement.items.select_related("indicator"),
            "evaluations": evaluations,
            "overall": queries.overall(agreement),
            "expected": EXPECTED_PRACTICE.get(
                agreement.standing.code if agreement.standing else "", ""
            ),
            "pass_pct": queries.rules_for(agreement.person.office).pa_pass_pct,
            "is_owner": agreement.person_id == user.person_id,
            "may_decide": can(user, RATE_STAFF)
            and agreement.person.school_id == user.school_id
            and agreement.status == PAStatus.SUBMITTED,
            "may_assign": can(user, MANAGE_PA),
            "my_seat": my_seat,
        },
    )


@login_required
def pa_edit(request, pk: int):
    agreement = access.agreement_for_owner(request.user, pk)
    items = agreement.items.select_related("indicator")
    form = AgreementForm(request.POST or None, instance=agreement, items=items)
    if request.method == "POST" and form.is_valid():
        actions.save_agreement(
            acting_user=request.user, agreement=form.save(commit=False), items=form.item_data()
        )
        if "submit" in request.POST:
            try:
                actions.submit_agreement(acting_user=request.user, agreement=agreement)
            except actions.CareerError as e:
                _fail(form, e)
                return render(request, "career/pa_edit.html", {"form": form, "a": agreement})
            messages.success(request, "ส่งข้อตกลงให้ผู้อำนวยการพิจารณาแล้ว")
        else:
            messages.success(request, "บันทึกร่างแล้ว")
        return redirect("career:pa_detail", pk=agreement.pk)
    return render(request, "career/pa_edit.html", {"form": form, "a": agreement})


@login_required
@require_POST
def pa_decide(request, pk: int):
    agreement = access.agreement_for_approval(request.user, pk)
    try:
        actions.decide_agreement(
            acting_user=request.user,
            agreement=agreement,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
    except actions.CareerError as e:
        messages.error(request, e.messages[0])
    return redirect("career:pa_detail", pk=agreement.pk)


@login_required
def pa_assign(request, pk: int):
    agreement = access.agreement_for_assign(request.user, pk)
    users = (
        User.objects.filter(office_id=request.user.office_id, is_active=True)
        .exclude(role__in=[Role.INSPECTOR])
        .order_by("username")
    )
    current = {e.seat: e.evaluator for e in agreement.evaluations.all()}
    form = EvaluatorsForm(request.POST or None, users=users, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            actions.assign_evaluators(
                acting_user=request.user, agreement=agreement, evaluators=form.evaluators()
            )
        except actions.CareerError as e:
            _fail(form, e)
        else:
            return redirect("career:pa_detail", pk=agreement.pk)
    return render(
        request, "career/form.html", {"form": form, "title": f"แต่งตั้งผู้ประเมิน — {agreement}"}
    )


@login_required
def pa_evaluate(request, pk: int):
    evaluation = access.evaluation_for_evaluator(request.user, pk)
    agreement = evaluation.agreement
    indicators = agreement.edition.indicators.all()
    form = EvaluationForm(request.POST or None, indicators=indicators, evaluation=evaluation)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            result = actions.submit_evaluation(
                acting_user=request.user,
                evaluation=evaluation,
                indicator_levels=form.levels(),
                method=d["method"],
                quant=d["quant"],
                qual=d["qual"],
                comment=d["comment"],
            )
        except actions.CareerError as e:
            _fail(form, e)
        else:
            messages.success(request, f"บันทึกผลการประเมินแล้ว: ร้อยละ {result.total}")
            return redirect("career:pa_detail", pk=agreement.pk)
    return render(
        request,
        "career/pa_evaluate.html",
        {
            "form": form,
            "a": agreement,
            "items": agreement.items.select_related("indicator"),
        },
    )


@login_required
def pa_status(request):
    access.require_pa_status(request.user)
    fy = _fy(request)
    rows = queries.pa_status(request.user, fiscal_year=fy)
    agreements = []
    if can(request.user, MANAGE_PA) or can(request.user, RATE_STAFF):
        agreements = [
            (a, queries.overall(a))
            for a in queries.agreements_visible_to(request.user)
            .filter(fiscal_year=fy)
            .select_related("person__school")
            .prefetch_related("evaluations")
        ]
    if request.GET.get("format") == "xlsx":
        if not agreements and not can(request.user, MANAGE_PA):
            raise PermissionDenied
        response = HttpResponse(
            exports.pa_summary_xlsx(request.user.office, fy, agreements),
            content_type=exports.XLSX_TYPE,
        )
        response["Content-Disposition"] = f'attachment; filename="pa-{fy}.xlsx"'
        return response
    return render(
        request,
        "career/pa_status.html",
        {
            "rows": rows,
            "fy": fy,
            "agreements": agreements,
            "statuses": PAStatus.choices,
            "totals": {s: sum(r.by_status.get(s, 0) for r in rows) for s, _ in PAStatus.choices},
            "teachers": sum(r.teachers for r in rows),
            "passed": sum(r.passed for r in rows),
        },
    )


@login_required
def pa_export(request, pk: int):
    agreement = access.agreement_for_view(request.user, pk)
    response = HttpResponse(exports.agreement_docx(agreement), content_type=exports.DOCX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="pa-{agreement.fiscal_year}-{agreement.pk}.docx"'
    )
    return response


# ---------------------------------------------------------------------- academic standing


@login_required
def standing(request):
    access.require_readiness(request.user)
    user = request.user
    people = people_visible_to(user).filter(personnel_type__in=TEACHING_TYPES)
    readiness = queries.standing_readiness(people, as_of=timezone.localdate())
    requests = StandingRequest.objects.filter(person__in=people).select_related(
        "person", "to_standing"
    )
    return render(
        request,
        "career/standing.html",
        {
            "readiness": readiness,
            "ready": sum(1 for r in readiness if r.ready),
            "requests": requests,
            "may_manage": can(user, MANAGE_PA),
        },
    )


@login_required
def standing_request(request, pk: int | None = None):
    access.require(request.user, MANAGE_PA)
    instance = StandingRequest()
    if pk is not None:
        instance = get_object_or_404(
            StandingRequest.objects.filter(person__office_id=request.user.office_id), pk=pk
        )
    people = Person.objects.filter(
        office_id=request.user.office_id, status="active", personnel_type__in=TEACHING_TYPES
    ).order_by("first_name")
    form = StandingRequestForm(request.POST or None, instance=instance, people=people)
    if partial := picker_response(request, form):
        return partial
    if request.method == "POST" and form.is_valid():
        actions.save_standing_request(acting_user=request.user, request=form.save(commit=False))
        return redirect("career:standing")
    return render(request, "career/form.html", {"form": form, "title": "คำขอมี/เลื่อนวิทยฐานะ"})


# ---------------------------------------------------------------------------------- debt


@login_required
def debt_list(request):
    access.require_debt_list(request.user)
    threshold = queries.rules_for(request.user.office).debt_net_min_pct
    profiles = (
        DebtProfile.objects.filter(person__office_id=request.user.office_id)
        .select_related("person__school")
        .prefetch_related("deductions")
    )
    rows = [(p, queries.debt_position(p, threshold=threshold)) for p in profiles]
    if request.GET.get("below"):
        rows = [r for r in rows if r[1].meets_rule is False]
    rows.sort(key=lambda r: (r[1].net_pct is None, r[1].net_pct or 0))
    people = (
        Person.objects.filter(office_id=request.user.office_id, status="active")
        .exclude(debt_profile__isnull=False)
        .order_by("first_name")
        .only("id", "title", "first_name", "last_name")
    )
    return render(
        request,
        "career/debt_list.html",
        {"rows": rows, "threshold": threshold, "people": people, "below": request.GET.get("below")},
    )


@login_required
def debt_detail(request, person_pk: int):
    person = access.debt_person_for_view(request.user, person_pk)
    threshold = queries.rules_for(person.office).debt_net_min_pct
    profile = DebtProfile.objects.filter(person=person).prefetch_related("deductions").first()
    return render(
        request,
        "career/debt_detail.html",
        {
            "person": person,
            "profile": profile,
            "position": queries.debt_position(profile, threshold=threshold) if profile else None,
            "cases": DebtCase.objects.filter(person=person),
            "threshold": threshold,
            "may_manage": can(request.user, MANAGE_DEBT),
        },
    )


@login_required
def debt_mine(request):
    if not request.user.person_id:
        raise PermissionDenied
    return debt_detail(request, request.user.person_id)


@login_required
def debt_edit(request, person_pk: int):
    person = access.debt_person_for_edit(request.user, person_pk)
    profile = DebtProfile.objects.filter(person=person).first()
    initial = (
        [
            {
                "creditor_kind": d.creditor_kind,
                "creditor": d.creditor,
                "monthly": d.monthly,
                "outstanding": d.outstanding,
            }
            for d in profile.deductions.all()
        ]
        if profile
        else []
    )
    form = DebtProfileForm(
        request.POST or None,
        initial={
            "gross": profile.gross_salary if profile else person.salary,
            "other_income": profile.other_income if profile else Decimal("0"),
        },
    )
    formset = DeductionFormSet(request.POST or None, initial=initial, prefix="d")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines = [
            {
                "creditor_kind": f["creditor_kind"],
                "creditor": f["creditor"],
                "monthly": f["monthly"],
                "outstanding": f.get("outstanding") or Decimal("0"),
            }
            for f in formset.cleaned_data
            if f and not f.get("DELETE")
        ]
        actions.save_debt_profile(
            acting_user=request.user,
            person=person,
            gross=form.cleaned_data["gross"],
            other_income=form.cleaned_data["other_income"],
            deductions=lines,
        )
        return redirect("career:debt_detail", person_pk=person.pk)
    return render(
        request, "career/debt_edit.html", {"form": form, "formset": formset, "person": person}
    )


@login_required
def debt_case(request, person_pk: int, pk: int | None = None):
    person = access.debt_person_for_edit(request.user, person_pk)
    case = (
        access.debt_case_for_edit(request.user, pk)
        if pk
        else DebtCase(person=person, opened_on=timezone.localdate())
    )
    if case.person_id != person.pk:
        raise PermissionDenied
    form = DebtCaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        actions.save_debt_case(acting_user=request.user, case=form.save(commit=False))
        return redirect("career:debt_detail", person_pk=person.pk)
    return render(
        request, "career/form.html", {"form": form, "title": f"คำขอแก้ไขหนี้ — {person.full_name}"}
    )


@login_required
def debt_summary(request):
    access.require_debt_summary(request.user)
    return render(
        request, "career/debt_summary.html", {"s": queries.debt_summary(request.user.office)}
    )
