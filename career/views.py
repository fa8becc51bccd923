from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import EDIT_SETTINGS, MANAGE_DEBT, MANAGE_PA, RATE_STAFF, can
from krupd import worker_files
from krupd.downloads import file_download_response, safe_filename
from krupd.lib import query_params, thai_dates
from registry.access import decides_for
from registry.labels import with_workplace_label, with_workplace_labels
from registry.models import TEACHING_TYPES, Person
from registry.picker import picker_response
from registry.queries import people_visible_to

from . import access, actions, exports, pack_zip, queries
from .forms import (
    AgreementForm,
    CareerRulesForm,
    ChallengeResultForm,
    DebtCaseForm,
    DebtPersonForm,
    DebtProfileForm,
    DeductionFormSet,
    EvaluationForm,
    EvaluatorsForm,
    EvidencePickForm,
    EvidenceUploadForm,
    SectionReportForm,
    StandingRequestForm,
    WorkloadFormSet,
    workload_lines,
)
from .models import (
    DebtCase,
    DebtProfile,
    PAAgreement,
    PAStatus,
    StandingRequest,
    WorkloadKind,
)
from .reference_data import EXPECTED_PRACTICE


def _asked_fy(request) -> int:
    """The fiscal year the address asks for (?fy=), the current one when it asks none."""
    today = thai_dates.fiscal_year(timezone.localdate())
    return query_params.be_year(request.GET, "fy", default=today)


def _fy(request) -> int:
    """The fiscal year a PA page shows: one outside the years a PA may be about (?fy=2600)
    is refused with a Thai message, and the page shows the current year instead."""
    fy = _asked_fy(request)
    if refusal := queries.pa_year_refusal(fy):
        messages.error(request, refusal)
        return thai_dates.fiscal_year(timezone.localdate())
    return fy


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
    if request.method == "POST":
        try:
            agreement = actions.start_agreement(
                acting_user=user, person=user.person, fiscal_year=_asked_fy(request)
            )
        except actions.CareerError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("career:pa_mine")
        return redirect("career:pa_edit", pk=agreement.pk)
    fy = _fy(request)
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
            "workplace": queries.agreement_workplace(agreement),
            "items": agreement.items.select_related("indicator"),
            "evaluations": evaluations,
            "overall": queries.overall(agreement),
            "expected": EXPECTED_PRACTICE.get(
                agreement.standing.code if agreement.standing else "", ""
            ),
            "pass_pct": queries.rules_for(agreement.person.office).pa_pass_pct,
            "is_owner": agreement.person_id == user.person_id,
            "may_decide": decides_for(user, agreement.person)
            and agreement.status == PAStatus.SUBMITTED,
            "may_assign": can(user, MANAGE_PA),
            "may_reopen": can(user, MANAGE_PA)
            and user.office_id == agreement.person.office_id
            and agreement.status == PAStatus.EVALUATED,
            "my_seat": my_seat,
        },
    )


@login_required
def pa_edit(request, pk: int):
    agreement = access.agreement_for_owner(request.user, pk)
    if closed := actions.agreement_closed_message(agreement):
        messages.error(request, closed)
        return redirect("career:pa_detail", pk=agreement.pk)
    items = agreement.items.select_related("indicator")
    form = AgreementForm(request.POST or None, instance=agreement, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_agreement(
                acting_user=request.user, agreement=form.save(commit=False), items=form.item_data()
            )
        except actions.CareerError as e:  # sent from another tab meanwhile
            messages.error(request, e.messages[0])
            return redirect("career:pa_detail", pk=agreement.pk)
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
    users = queries.evaluator_candidates(request.user.office_id)
    current = {e.seat: e.evaluator for e in agreement.evaluations.all()}
    form = EvaluatorsForm(
        request.POST or None, users=users, current=current, evaluated_person_id=agreement.person_id
    )
    if partial := picker_response(request, form):
        return partial
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
    if agreement.status == PAStatus.EVALUATED:  # the committee's result is locked
        messages.error(request, actions.EVALUATION_LOCKED)
        return redirect("career:pa_detail", pk=agreement.pk)
    if request.method == "GET":  # the page shows the teacher's agreement and scores so far
        access.record_pa_view(request.user, agreement)
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
@require_POST
def pa_reopen(request, pk: int):
    """The office reopens one evaluator's score of a complete result, with a reason."""
    agreement = access.agreement_for_assign(request.user, pk)
    try:
        seat = int(request.POST.get("seat", ""))
    except ValueError:
        seat = 0
    try:
        actions.reopen_evaluation(
            acting_user=request.user,
            agreement=agreement,
            seat=seat,
            reason=request.POST.get("reason", ""),
        )
    except actions.CareerError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, f"เปิดให้ผู้ประเมินคนที่ {seat} ประเมินอีกครั้งแล้ว")
    return redirect("career:pa_detail", pk=agreement.pk)


SCHOOLS_PER_PAGE = 50


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
    # Where each teacher works, a namesake school named with its OBEC code (registry.labels).
    with_workplace_labels(a.person for a, _ov in agreements)
    if agreements:
        access.record_pa_list_view(request.user, fy)
    if request.GET.get("format") == "xlsx":
        if not agreements and not can(request.user, MANAGE_PA):
            raise PermissionDenied
        response = HttpResponse(
            exports.pa_summary_xlsx(request.user.office, fy, agreements),
            content_type=exports.XLSX_TYPE,
        )
        response["Content-Disposition"] = f'attachment; filename="pa-{fy}.xlsx"'
        return response
    # The schools a page at a time: an office of 1,000 schools rendered every row (most of the
    # page's time); the totals below the table stay the whole office's.
    schools = Paginator(rows, SCHOOLS_PER_PAGE).get_page(
        query_params.page_number(request.GET, "schools_page")
    )
    return render(
        request,
        "career/pa_status.html",
        {
            "rows": rows,
            "schools": schools,
            "schools_query": query_params.query_without(request.GET, "schools_page"),
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
    data = exports.agreement_docx(agreement, thai_digits=_digits(request))
    return _docx(data, f"pa-{agreement.fiscal_year}-{agreement.pk}.docx")


# ---------------------------------------------------------------------- academic standing

READINESS_PER_PAGE = 100


@login_required
def standing(request):
    access.require_readiness(request.user)
    user = request.user
    people = people_visible_to(user).filter(personnel_type__in=TEACHING_TYPES)
    readiness = queries.standing_readiness(people, as_of=timezone.localdate())
    requests = queries.standing_requests(people)
    # A page of teachers at a time, those ready first: a large office has tens of thousands.
    page = Paginator(readiness, READINESS_PER_PAGE).get_page(query_params.page_number(request.GET))
    queries.with_people(page.object_list)
    return render(
        request,
        "career/standing.html",
        {
            "readiness": page,
            "page_query": query_params.query_without(request.GET, "page"),
            "ready": readiness.ready,
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
        try:
            actions.save_standing_request(
                acting_user=request.user,
                request=form.save(commit=False),
                effective_date=form.cleaned_data["effective_date"],
            )
        except actions.CareerError as e:  # the form keeps what was typed
            _fail(form, e)
        else:
            return redirect("career:standing")
    return render(request, "career/form.html", {"form": form, "title": "คำขอมี/เลื่อนวิทยฐานะ"})


# ---------------------------------------------------------------------------------- debt


@login_required
def debt_list(request):
    access.require_debt_list(request.user)
    threshold = queries.rules_for(request.user.office).debt_net_min_pct
    profiles = (
        DebtProfile.objects.filter(person__office_id=request.user.office_id)
        .select_related("person__school", "person__office")
        .prefetch_related("deductions")
    )
    with_workplace_labels(p.person for p in profiles)
    rows = [(p, queries.debt_position(p, threshold=threshold)) for p in profiles]
    if request.GET.get("below"):
        rows = [r for r in rows if r[1].meets_rule is False]
    rows.sort(key=lambda r: (r[1].net_pct is None, r[1].net_pct or 0))
    return render(
        request,
        "career/debt_list.html",
        {"rows": rows, "threshold": threshold, "below": request.GET.get("below")},
    )


@login_required
def debt_new(request):
    """Whose income and debts to record next, found with the people picker. Only names are
    shown here (no figures), so opening it is not recorded like the debt pages."""
    access.require(request.user, MANAGE_DEBT)
    form = DebtPersonForm(
        request.GET if "person" in request.GET else None,
        people=queries.people_without_debt_profile(request.user.office_id),
    )
    if partial := picker_response(request, form):
        return partial
    if form.is_bound and form.is_valid():
        return redirect("career:debt_edit", person_pk=form.cleaned_data["person"].pk)
    return render(request, "career/debt_new.html", {"form": form})


@login_required
def debt_detail(request, person_pk: int):
    person = access.debt_person_for_view(request.user, person_pk)
    threshold = queries.rules_for(person.office).debt_net_min_pct
    profile = DebtProfile.objects.filter(person=person).prefetch_related("deductions").first()
    return render(
        request,
        "career/debt_detail.html",
        {
            # Who this is, where they work (a namesake school with its OBEC code), as the
            # debt list names them: two teachers of one name are told apart.
            "person": with_workplace_label(person),
            "profile": profile,
            "position": queries.debt_position(profile, threshold=threshold) if profile else None,
            "cases": DebtCase.objects.filter(person=person).select_related("assigned_officer"),
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
    form = DebtCaseForm(
        request.POST or None, instance=case, officers=queries.debt_officers(person.office)
    )
    if partial := picker_response(request, form):
        return partial
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_debt_case(acting_user=request.user, case=form.save(commit=False))
        except actions.CareerError as error:
            form.add_error("assigned_officer", error)
        else:
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


# ---------------------------------------------------------------------- PA evidence pack


def _digits(request) -> bool:
    return request.GET.get("digits") == "thai"


def _docx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=exports.DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def pack(request, pk: int):
    """The evidence pack: workload, development hours, evidence per indicator and the
    challenge issue. The teacher edits; her director and evaluators read the same page."""
    agreement = access.agreement_for_view(request.user, pk)
    content = queries.pack(agreement)
    is_owner = agreement.person_id == request.user.person_id
    for section in content.sections:
        _with_links(section.evidence)
        _with_links(section.lapsed)
    return render(
        request,
        "career/pack.html",
        {
            "a": agreement,
            "workplace": queries.agreement_workplace(agreement),
            "pack": content,
            "workload": [(WorkloadKind(k).label, lines) for k, lines in content.workload.items()],
            "may_edit": is_owner and agreement.status != PAStatus.EVALUATED,
            "may_edit_workload": is_owner
            and agreement.status in (PAStatus.DRAFT, PAStatus.RETURNED),
            "export": queries.latest_pack_export(agreement),
            "sections": content.sections,
            "terms": queries.cycle_terms(agreement.fiscal_year),
            "no_evidence": queries.NO_EVIDENCE,
        },
    )


@login_required
def pack_workload(request, pk: int):
    agreement = access.agreement_for_owner(request.user, pk)
    if closed := actions.agreement_closed_message(agreement):
        messages.error(request, closed)
        return redirect("career:pack", pk=agreement.pk)
    lines = list(agreement.workload.all())
    suggestions = [] if lines else queries.suggested_workload(agreement)
    initial = [{"kind": w.kind, "title": w.title, "hours": w.hours} for w in lines or suggestions]
    formset = WorkloadFormSet(request.POST or None, initial=initial, prefix="w")
    if request.method == "POST" and formset.is_valid():
        try:
            actions.save_workload(
                acting_user=request.user, agreement=agreement, lines=workload_lines(formset)
            )
        except actions.CareerError as e:
            messages.error(request, e.messages[0])
        else:
            messages.success(request, "บันทึกภาระงานแล้ว")
            return redirect("career:pack", pk=agreement.pk)
    return render(
        request,
        "career/pack_workload.html",
        {"a": agreement, "formset": formset, "suggestions": suggestions},
    )


@login_required
def pack_section(request, pk: int, section: str):
    """One indicator (or the challenge issue): the self-report text, the teacher's records
    to pick from, and a file or link upload."""
    agreement = access.pack_for_owner(request.user, pk)
    item = None
    if section != queries.CHALLENGE_SECTION:
        number = query_params.whole_number(section)
        if number is None:
            raise Http404
        item = get_object_or_404(
            agreement.items.select_related("indicator"), indicator__number=number
        )
    indicator = item.indicator if item else None
    options = queries.evidence_options(agreement.person, fiscal_year=agreement.fiscal_year)
    action = request.POST.get("action") if request.method == "POST" else None
    report_form = (
        SectionReportForm(
            request.POST if action == "report" else None, initial={"report": item.report}
        )
        if item
        else ChallengeResultForm(
            request.POST if action == "report" else None,
            initial={
                "actual_quant": agreement.challenge_actual_quant,
                "actual_qual": agreement.challenge_actual_qual,
            },
        )
    )
    pick_form = EvidencePickForm(request.POST if action == "pick" else None, options=options)
    upload_form = EvidenceUploadForm(
        request.POST if action == "upload" else None,
        request.FILES if action == "upload" else None,
    )
    done = _pack_section_post(request, agreement, item, action, report_form, pick_form, upload_form)
    if done:
        return redirect(request.path)
    evidence = _with_links(
        queries.mark_lapsed(
            agreement,
            agreement.evidence.filter(indicator=indicator).select_related(
                *queries.EVIDENCE_RECORDS
            ),
        )
    )
    attached = {
        f"{e.kind}:{getattr(e, actions.RECORD_FIELD[e.kind])}"
        for e in evidence
        if e.kind in actions.RECORD_FIELD
    }
    return render(
        request,
        "career/pack_section.html",
        {
            "a": agreement,
            "item": item,
            "indicator": indicator,
            "evidence": [e for e in evidence if not e.lapsed_reason],
            "lapsed": [e for e in evidence if e.lapsed_reason],
            "no_evidence": queries.NO_EVIDENCE,
            "options": options,
            "attached": attached,
            "report_form": report_form,
            "pick_form": pick_form,
            "upload_form": upload_form,
        },
    )


def _with_links(evidence) -> list:
    evidence = list(evidence)
    for e in evidence:
        e.link = queries.evidence_url(e)
    return evidence


def _pack_section_post(request, agreement, item, action, report_form, pick_form, upload_form):
    """Apply one of the section page's three forms; True when it was saved."""
    indicator = item.indicator if item else None
    user = request.user
    try:
        if action == "report" and report_form.is_valid():
            d = report_form.cleaned_data
            actions.save_section_report(
                acting_user=user, agreement=agreement, item=item, report=d.get("report", ""),
                actual_quant=d.get("actual_quant", ""), actual_qual=d.get("actual_qual", ""),
            )  # fmt: skip
            messages.success(request, "บันทึกผลการดำเนินงานแล้ว")
            return True
        if action == "pick" and pick_form.is_valid():
            made = actions.attach_records(
                acting_user=user,
                agreement=agreement,
                indicator=indicator,
                keys=pick_form.cleaned_data["keys"],
            )
            messages.success(request, f"แนบหลักฐานแล้ว {len(made)} รายการ")
            return True
        if action == "upload" and upload_form.is_valid():
            d = upload_form.cleaned_data
            actions.attach_file_or_link(
                acting_user=user, agreement=agreement, indicator=indicator, title=d["title"],
                file=d.get("file"), url=d.get("url", ""),
            )  # fmt: skip
            messages.success(request, "แนบหลักฐานแล้ว")
            return True
    except actions.CareerError as e:
        form = {"report": report_form, "pick": pick_form}.get(action, upload_form)
        _fail(form, e)
    return False


def _back_to(request, pk: int) -> str:
    """The page the evidence list was on (the pack or one of its sections), else the pack."""
    back = query_params.local_path(request.POST.get("next", ""), request.get_host())
    return back or reverse("career:pack", args=[pk])


@login_required
@require_POST
def pack_evidence_remove(request, pk: int, evidence_pk: int):
    evidence = access.evidence_for_owner(request.user, pk, evidence_pk)
    actions.remove_evidence(acting_user=request.user, evidence=evidence)
    messages.success(request, f"นำ “{evidence.title}” ออกแล้ว")
    return redirect(_back_to(request, pk))


@login_required
@require_POST
def pack_evidence_move(request, pk: int, evidence_pk: int):
    evidence = access.evidence_for_owner(request.user, pk, evidence_pk)
    actions.move_evidence(
        acting_user=request.user, evidence=evidence, up=request.POST.get("dir") == "up"
    )
    return redirect(_back_to(request, pk))


@login_required
def pack_evidence_file(request, pk: int, evidence_pk: int):
    evidence = access.evidence_file_for_view(request.user, pk, evidence_pk)
    ext = evidence.file.name.rsplit(".", 1)[-1]
    return file_download_response(evidence.file, filename=f"{evidence.title}.{ext}")


@login_required
def pack_report(request, pk: int):
    agreement = access.agreement_for_view(request.user, pk)
    content = queries.pack(agreement)
    names = pack_zip.evidence_file_names(pack_zip.plan(content))
    data = exports.self_report_docx(content, names, thai_digits=_digits(request))
    return _docx(data, f"pa-report-{agreement.fiscal_year}-{agreement.pk}.docx")


@login_required
@require_POST
def pack_zip_start(request, pk: int):
    agreement = access.agreement_for_view(request.user, pk)
    actions.start_pack_export(
        acting_user=request.user,
        agreement=agreement,
        thai_digits=request.POST.get("digits") == "thai",
    )
    return redirect(reverse("career:pack", args=[pk]) + "#zip")


@login_required
def pack_zip_progress(request, pk: int, export_pk: int):
    export = access.pack_export_for_view(request.user, pk, export_pk)
    return render(request, "career/_pack_export.html", {"export": export, "a": export.agreement})


@login_required
def pack_zip_download(request, pk: int, export_pk: int):
    export = access.pack_export_for_view(request.user, pk, export_pk)
    response = worker_files.download(
        export,
        filename=f"แฟ้มหลักฐาน PA {export.agreement.fiscal_year} "
        f"{safe_filename(export.agreement.person.full_name)}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    actions.record_pack_download(acting_user=request.user, export=export)  # only a file sent
    return response
