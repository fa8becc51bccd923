"""Planning pages. Each view parses, calls one action or query, and renders or redirects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import (
    APPROVE_PLANS,
    EDIT_FRAMEWORKS,
    EDIT_PLANS,
    EXPORT_DATA,
    MANAGE_ROUNDS,
    RATE_STAFF,
    SELF_ASSESS,
    VIEW_NEEDS,
    VIEW_PEOPLE,
    VIEW_PLANS,
    can,
)
from community.queries import academic_year_of_office
from imports.access import may_import_assessment
from imports.actions import start_file_import
from imports.models import FileImportKind
from imports.queries import recent_file_imports
from krupd.forms import error_messages
from krupd.lib import query_params
from krupd.lib.numerals import percent_of, rounded_float
from registry.access import awaiting_decision_by, decides_for
from registry.labels import with_workplace_label

from . import access, actions, exports, framework_xlsx, queries
from .forms import (
    ActivityFormSet,
    BudgetFormSet,
    CompetencyForm,
    CopyFrameworkForm,
    CopyPlanForm,
    DomainForm,
    FrameForm,
    FrameItemFormSet,
    FrameworkForm,
    IdPlanForm,
    IdPlanItemFormSet,
    ImportFrameworkForm,
    KpiFormSet,
    KpiResultFormSet,
    PlanForm,
    ProjectForm,
    ProjectKpiFormSet,
    ProjectReportForm,
    RoundForm,
    SpendingFormSet,
    TopicFormSet,
    scale_value,
)
from .models import (
    Competency,
    Domain,
    Framework,
    IdPlan,
    IdPlanStatus,
    Mode,
    Plan,
    PlanStatus,
    Project,
    ProjectReport,
    RaterKind,
    Response,
    Round,
    StrategicFrame,
    Topic,
)


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# ---------------------------------------------------------------------------------------------
# Hub


@login_required
def home(request):
    user = request.user
    if not any(can(user, c) for c in (SELF_ASSESS, VIEW_NEEDS, VIEW_PLANS, MANAGE_ROUNDS)):
        raise PermissionDenied
    today = timezone.localdate()
    rounds = list(queries.rounds_for(user)[:10])
    mine = {}
    if user.person_id:
        mine = {
            r.round_id: r
            for r in Response.objects.filter(person_id=user.person_id, rater_kind=RaterKind.SELF)
        }
    my_plan = (
        IdPlan.objects.filter(person_id=user.person_id).order_by("-year").first()
        if user.person_id
        else None
    )
    to_decide = 0
    if can(user, RATE_STAFF) and user.school_id:
        to_decide = awaiting_decision_by(
            user, IdPlan.objects.filter(status=IdPlanStatus.SUBMITTED)
        ).count()
    person_type = user.person.personnel_type if user.person_id else None
    context = {
        "rounds": [
            {"r": r, "open": r.is_open(today), "mine": mine.get(r.pk),
             "target": person_type in r.target_types}
            for r in rounds
        ],
        "my_plan": my_plan,
        "to_decide": to_decide,
        "plans": queries.plans_for(user)[:6] if can(user, VIEW_PLANS) else [],
        "may": _may(user),
    }  # fmt: skip
    return render(request, "planning/home.html", context)


def _may(user) -> dict:
    return {
        "frameworks": can(user, EDIT_FRAMEWORKS),
        "rounds": can(user, MANAGE_ROUNDS) and not user.school_id,
        "needs": can(user, VIEW_NEEDS),
        "rate": can(user, RATE_STAFF) and bool(user.school_id),
        "self": can(user, SELF_ASSESS) and bool(user.person_id),
        "plans": can(user, VIEW_PLANS),
        "edit_plans": can(user, EDIT_PLANS) and not user.school_id,
        "approve": can(user, APPROVE_PLANS),
        "export": can(user, EXPORT_DATA),
    }


# ---------------------------------------------------------------------------------------------
# Frameworks


@login_required
def frameworks(request):
    access.require(request.user, EDIT_FRAMEWORKS)
    return _frameworks_page(request, ImportFrameworkForm())


def _frameworks_page(request, import_form, status: int = 200):
    rows = queries.frameworks_for(request.user).annotate(
        items=Count("domains__competencies", distinct=True),
        used=Count("rounds", distinct=True),
    )
    return render(
        request,
        "planning/frameworks.html",
        {
            "frameworks": rows,
            "import_form": import_form,
            "import_errors": error_messages(import_form) if import_form.is_bound else [],
            "recent_imports": recent_file_imports(request.user, FileImportKind.FRAMEWORK),
            "may": _may(request.user),
        },
        status=status,
    )


@login_required
def framework_create(request):
    access.require(request.user, EDIT_FRAMEWORKS)
    fw = Framework(office=request.user.office, scale_labels=[])
    form = FrameworkForm(request.POST or None, instance=fw)
    if request.method == "POST" and form.is_valid():
        try:
            fw = actions.save_framework(acting_user=request.user, framework=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "สร้างกรอบสมรรถนะแล้ว")
            return redirect("planning:framework", pk=fw.pk)
    return render(request, "planning/form.html", {"form": form, "title": "กรอบสมรรถนะใหม่"})


@login_required
def framework_detail(request, pk: int):
    fw = access.framework_for_view(request.user, pk)
    domains = fw.domains.prefetch_related("competencies__levels")
    in_use = actions.framework_in_use(fw)
    return render(
        request,
        "planning/framework.html",
        {
            "fw": fw,
            "scale": [(v, fw.scale_label(v)) for v in fw.scale],
            "domains": domains,
            "in_use": in_use,
            "may_edit": can(request.user, EDIT_FRAMEWORKS) and not in_use,
            "may_copy": can(request.user, EDIT_FRAMEWORKS),
            "copy_form": CopyFrameworkForm(),
            "domain_form": DomainForm(),
            "versions": Framework.objects.filter(office_id=fw.office_id, code=fw.code),
        },
    )


@login_required
def framework_edit(request, pk: int):
    fw = access.framework_for_edit(request.user, pk)
    form = FrameworkForm(request.POST or None, instance=fw)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_framework(acting_user=request.user, framework=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "บันทึกแล้ว")
            return redirect("planning:framework", pk=fw.pk)
    return render(request, "planning/form.html", {"form": form, "title": f"แก้ไข {fw}"})


@login_required
@require_POST
def domain_save(request, pk: int):
    fw = access.framework_for_edit(request.user, pk)
    domain = Domain(framework=fw)
    if request.POST.get("id"):
        domain = get_object_or_404(
            Domain, framework=fw, pk=query_params.object_id(request.POST["id"])
        )
    form = DomainForm(request.POST, instance=domain)
    if form.is_valid():
        try:
            actions.save_domain(acting_user=request.user, domain=form.save(commit=False))
            messages.success(request, "บันทึกด้านแล้ว")
        except ValidationError as exc:
            messages.error(request, " ".join(_errors(exc)))
    else:
        messages.error(request, "บันทึกด้านไม่ได้: กรอกรหัสและชื่อด้าน")
    return redirect("planning:framework", pk=fw.pk)


@login_required
def competency_edit(request, pk: int, item: int | None = None):
    fw = access.framework_for_edit(request.user, pk)
    comp = (
        get_object_or_404(Competency, domain__framework=fw, pk=item)
        if item
        else Competency(domain=fw.domains.first())
    )
    form = CompetencyForm(request.POST or None, instance=comp, framework=fw)
    if request.method == "POST":
        if request.POST.get("delete") and comp.pk:
            try:
                actions.delete_competency(acting_user=request.user, competency=comp)
                messages.success(request, "ลบแล้ว")
                return redirect("planning:framework", pk=fw.pk)
            except ValidationError as exc:
                form.add_error(None, exc)
        elif form.is_valid():
            try:
                actions.save_competency(
                    acting_user=request.user,
                    competency=form.save(commit=False),
                    descriptors=form.descriptor_lines(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "บันทึกแล้ว")
                return redirect("planning:framework", pk=fw.pk)
    return render(
        request,
        "planning/form.html",
        {"form": form, "title": f"สมรรถนะ/ตัวชี้วัด · {fw}", "deletable": bool(comp.pk)},
    )


@login_required
@require_POST
def framework_copy(request, pk: int):
    fw = access.framework_for_edit(request.user, pk)
    form = CopyFrameworkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "กรุณาระบุชื่อฉบับใหม่")
        return redirect("planning:framework", pk=fw.pk)
    try:
        new = actions.copy_framework(
            acting_user=request.user, framework=fw, version=form.cleaned_data["version"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(_errors(exc)))
        return redirect("planning:framework", pk=fw.pk)
    messages.success(request, f"สร้างฉบับ {new.version} แล้ว แก้ไขฉบับใหม่ได้")
    return redirect("planning:framework", pk=new.pk)


@login_required
def framework_export(request, pk: int):
    fw = access.framework_for_view(request.user, pk)
    return _download(
        framework_xlsx.export_framework(fw),
        exports.XLSX_TYPE,
        f"framework-{fw.code}-{fw.version}.xlsx",
    )


@login_required
@require_POST
def framework_import(request):
    """Store the workbook after the upload field's look at its first bytes and zip directory,
    and queue the import; the job page shows its progress and every problem of the file."""
    access.require(request.user, EDIT_FRAMEWORKS)
    form = ImportFrameworkForm(request.POST, request.FILES)
    if form.is_valid():
        job = start_file_import(
            acting_user=request.user, kind=FileImportKind.FRAMEWORK,
            uploaded_file=form.cleaned_data["file"],
        )  # fmt: skip
        return redirect("imports:file_import", pk=job.pk)
    return _frameworks_page(request, form, status=400)


@login_required
def topics(request):
    access.require(request.user, EDIT_FRAMEWORKS)
    qs = queries.topics_for(request.user)
    formset = TopicFormSet(request.POST or None, queryset=qs)
    if request.method == "POST" and formset.is_valid():
        try:
            _save_topics(request, formset)
        except IntegrityError:  # the same name saved meanwhile (another tab, a double click)
            messages.error(request, TOPIC_SAVED_MEANWHILE)
            return redirect("planning:topics")
        messages.success(request, "บันทึกรายการหัวข้อแล้ว")
        return redirect("planning:topics")
    return render(request, "planning/topics.html", {"formset": formset})


TOPIC_SAVED_MEANWHILE = (
    "หัวข้อการพัฒนา: มีหัวข้อชื่อเดียวกันเพิ่งถูกบันทึก ไม่มีรายการใดถูกบันทึก กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง"
)


def _save_topics(request, formset) -> None:
    saved = formset.save(commit=False)  # also sets formset.deleted_objects
    actions.save_topics(
        acting_user=request.user,
        office=request.user.office,
        saved=saved,
        deleted=formset.deleted_objects,
    )


# ---------------------------------------------------------------------------------------------
# Rounds


@login_required
def rounds(request):
    user = request.user
    if not (can(user, MANAGE_ROUNDS) or can(user, VIEW_NEEDS) or can(user, RATE_STAFF)):
        raise PermissionDenied
    rows = queries.rounds_for(user).annotate(
        submitted=Count(
            "responses",
            filter=Q(responses__rater_kind=RaterKind.SELF, responses__submitted_at__isnull=False),
        )
    )
    if user.school_id:
        rows = queries.rounds_for(user)
    return render(request, "planning/rounds.html", {"rounds": rows, "may": _may(user)})


def _round_form(request, rnd: Round):
    return RoundForm(
        request.POST or None, instance=rnd, frameworks=queries.frameworks_for(request.user)
    )


@login_required
def round_create(request):
    access.require_office_wide(request.user, MANAGE_ROUNDS)
    year = academic_year_of_office(request.user.office_id, timezone.localdate())
    rnd = Round(office=request.user.office, year=year,
                target_types=["teacher", "assistant_teacher"])  # fmt: skip
    form = _round_form(request, rnd)
    if request.method == "POST" and form.is_valid():
        try:
            rnd = actions.save_round(acting_user=request.user, rnd=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "เปิดรอบการประเมินแล้ว")
            return redirect("planning:round", pk=rnd.pk)
    return render(request, "planning/form.html", {"form": form, "title": "รอบการประเมินใหม่"})


@login_required
def round_edit(request, pk: int):
    form = _round_form(request, access.round_for_manage(request.user, pk))
    if request.method == "POST" and form.is_valid():
        try:
            rnd = actions.save_round(acting_user=request.user, rnd=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "บันทึกแล้ว")
            return redirect("planning:round", pk=rnd.pk)
    return render(request, "planning/form.html", {"form": form, "title": "แก้ไขรอบการประเมิน"})


@login_required
def round_detail(request, pk: int):
    """Progress per school; who has not submitted (names only for roles that see people)."""
    user = request.user
    rnd = access.round_for_progress(user, pk)
    progress = queries.progress_by_school(user, rnd)
    school_id = query_params.object_id(request.GET.get("school"))
    missing = []
    if can(user, VIEW_PEOPLE):
        if user.school_id:
            missing = queries.not_submitted(user, rnd)
        elif school_id:
            missing = queries.not_submitted(user, rnd, school_id)
    totals = {
        "targets": sum(p.targets for p in progress),
        "submitted": sum(p.submitted for p in progress),
        "drafts": sum(p.drafts for p in progress),
        "rated": sum(p.rated_by_director for p in progress),
    }
    totals["pct"] = percent_of(totals["submitted"], totals["targets"])
    staff = queries.staff_for_rating(user, rnd) if _may(user)["rate"] else []
    return render(
        request,
        "planning/round.html",
        {"r": rnd, "progress": progress, "missing": missing, "totals": totals, "staff": staff,
         "may": _may(user), "open": rnd.is_open(timezone.localdate()),
         "may_import": may_import_assessment(user)},
    )  # fmt: skip


def _read_ratings(post, competencies, fw) -> tuple[dict, list[str]]:
    ratings, problems = {}, []
    for c in competencies:
        pair = []
        for prefix in ("d", "i"):
            try:
                pair.append(scale_value(post.get(f"{prefix}_{c.pk}"), fw.scale_min, fw.scale_max))
            except ValueError:
                problems.append(f"ข้อ {c.code}: ต้องเป็นตัวเลข")
                pair.append(None)
        ratings[c.pk] = tuple(pair)
    return ratings, problems


def _rating_text(value) -> str:
    """A rating as its radio button or option is valued: 0 is a rating (a scale may start at
    0, where "or" read it as unanswered: the page showed it blank and the next draft save
    dropped it); nothing is ""."""
    return "" if value is None else str(value)


def _assessment_context(rnd, response, post=None):
    fw = rnd.framework
    domains = list(fw.domains.prefetch_related("competencies__levels"))
    given = {}
    if response:
        given = {r.competency_id: (r.current, r.expected) for r in response.ratings.all()}
    if post is not None:
        given = {
            c.pk: (post.get(f"d_{c.pk}"), post.get(f"i_{c.pk}"))
            for d in domains
            for c in d.competencies.all()
        }
    rows = []
    for d in domains:
        items = []
        for c in d.competencies.all():
            cur, exp = given.get(c.pk, (None, None))
            items.append({"c": c, "d": _rating_text(cur), "i": _rating_text(exp)})
        rows.append({"domain": d, "items": items})
    return {"fw": fw, "domains": rows, "scale": [str(v) for v in fw.scale]}


@login_required
def self_assessment(request, pk: int):
    rnd, person = access.round_for_self(request.user, pk)
    response = (
        Response.objects.filter(round=rnd, person=person, rater_kind=RaterKind.SELF)
        .prefetch_related("ratings", "topics")
        .first()
    )
    offered = Q(active=True)
    if response is not None:
        offered |= Q(topicanswer__response=response)  # keep what they picked before
    catalogue = list(Topic.objects.filter(offered, office_id=rnd.office_id).distinct())
    errors = []
    post = None
    if request.method == "POST":
        post = request.POST
        competencies = list(Competency.objects.filter(domain__framework=rnd.framework))
        ratings, errors = _read_ratings(post, competencies, rnd.framework)
        topic_inputs = []
        for t in catalogue:
            try:
                cur = scale_value(post.get(f"td_{t.pk}"), 0, 0)
                exp = scale_value(post.get(f"ti_{t.pk}"), 0, 0)
            except ValueError:
                errors.append(f"หัวข้อ {t.name}: ต้องเป็นตัวเลข")
                continue
            if post.get(f"t_{t.pk}") or cur is not None or exp is not None:
                topic_inputs.append(actions.TopicInput(t.pk, "", cur, exp))
        for line in post.get("free_topics", "").splitlines()[:10]:
            if line.strip():
                topic_inputs.append(actions.TopicInput(None, line, None, None))
        if not errors:
            try:
                actions.save_response(
                    acting_user=request.user,
                    rnd=rnd,
                    person=person,
                    rater_kind=RaterKind.SELF,
                    ratings=ratings,
                    topics=topic_inputs,
                    modes=post.getlist("modes"),
                    reasons=post.get("reasons", ""),
                    submit="submit" in post,
                )
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                if "submit" in post:
                    messages.success(request, "ส่งแบบประเมินและแบบสำรวจความต้องการแล้ว ขอบคุณครับ/ค่ะ")
                    return redirect("planning:home")
                messages.success(request, "บันทึกร่างแล้ว กลับมาทำต่อได้จนถึงวันปิดรับ")
                return redirect("planning:self", pk=rnd.pk)
    chosen = {}
    free_topics = ""
    if response and post is None:
        chosen = {a.topic_id: a for a in response.topics.all() if a.topic_id}
        free_topics = "\n".join(a.free_text for a in response.topics.all() if a.free_text)
    topic_rows = []
    for t in catalogue:
        a = chosen.get(t.pk)
        if post is not None:
            checked, d, i = (
                bool(post.get(f"t_{t.pk}")),
                post.get(f"td_{t.pk}", ""),
                post.get(f"ti_{t.pk}", ""),
            )
        else:
            checked = a is not None
            d, i = (_rating_text(a.current), _rating_text(a.expected)) if a else ("", "")
        topic_rows.append({"t": t, "checked": checked, "d": d, "i": i})
    context = {
        "r": rnd,
        "person": person,
        "response": response,
        "errors": errors,
        "open": rnd.is_open(timezone.localdate()),
        "topic_rows": topic_rows,
        "modes": Mode.choices,
        "chosen_modes": post.getlist("modes") if post else (response.modes if response else []),
        "reasons": post.get("reasons", "") if post else (response.reasons if response else ""),
        "free_topics": post.get("free_topics", "") if post else free_topics,
        **_assessment_context(rnd, response, post),
    }
    return render(request, "planning/self.html", context, status=400 if errors else 200)


@login_required
def rate_staff(request, pk: int, person: int):
    rnd, person = access.staff_for_rating(request.user, pk, person)
    response = (
        Response.objects.filter(round=rnd, person=person, rater_kind=RaterKind.DIRECTOR)
        .prefetch_related("ratings")
        .first()
    )
    errors, post = [], None
    if request.method == "POST":
        post = request.POST
        competencies = list(Competency.objects.filter(domain__framework=rnd.framework))
        ratings, errors = _read_ratings(post, competencies, rnd.framework)
        if not errors:
            try:
                actions.save_response(
                    acting_user=request.user, rnd=rnd, person=person,
                    rater_kind=RaterKind.DIRECTOR, ratings=ratings, submit="submit" in post,
                )  # fmt: skip
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, f"บันทึกผลการประเมิน {person.full_name} แล้ว")
                return redirect("planning:round", pk=rnd.pk)
    context = {
        "r": rnd,
        "person": person,
        "response": response,
        "errors": errors,
        "open": rnd.is_open(timezone.localdate()),
        **_assessment_context(rnd, response, post),
    }
    return render(request, "planning/rate.html", context, status=400 if errors else 200)


# ---------------------------------------------------------------------------------------------
# Needs analysis


def _needs(request, pk: int):
    rnd = access.round_for_needs(request.user, pk)
    source = request.GET.get("source", RaterKind.SELF)
    if source not in RaterKind.values:
        source = RaterKind.SELF
    by = request.GET.get("by", "")
    if request.user.school_id and by in ("school", "network"):
        by = ""
    return queries.analyse_needs(
        request.user, rnd, source=source, by=by,
        show_free_text=can(request.user, VIEW_PEOPLE),
    )  # fmt: skip


@login_required
def needs(request, pk: int):
    a = _needs(request, pk)
    slices = dict(queries.SLICES)
    if request.user.school_id:
        slices = {k: v for k, v in slices.items() if k not in ("school", "network")}
    chart = {
        "labels": [f"{s.code}" for s in a.competencies if s.pni is not None][:15],
        "pni": [rounded_float(s.pni, 4) for s in a.competencies if s.pni is not None][:15],
    }
    return render(
        request,
        "planning/needs.html",
        {"a": a, "slices": slices, "by": request.GET.get("by", ""), "chart": chart,
         "query": request.GET.urlencode(), "may": _may(request.user),
         "sources": RaterKind.choices},
    )  # fmt: skip


@login_required
def needs_export(request, pk: int, fmt: str):
    access.require(request.user, EXPORT_DATA)
    a = _needs(request, pk)
    if fmt == "xlsx":
        return _download(exports.needs_xlsx(a), exports.XLSX_TYPE, f"needs-{a.round.pk}.xlsx")
    if fmt == "docx":
        data = exports.needs_docx(a, thai_digits=request.GET.get("digits") == "thai")
        return _download(data, exports.DOCX_TYPE, f"needs-{a.round.pk}.docx")
    raise PermissionDenied


# ---------------------------------------------------------------------------------------------
# Strategic frame


@login_required
def strategy(request):
    access.require(request.user, VIEW_PLANS)
    frames = list(queries.frames_for(request.user).prefetch_related("items", "kpis__strategy"))
    return render(
        request,
        "planning/strategy.html",
        {"frames": frames, "may_edit": can(request.user, EDIT_FRAMEWORKS),
         "measured": _measured(request.user, frames)},
    )  # fmt: skip


def _measured(user, frames) -> dict:
    """Dashboard results of this fiscal year for the KPIs the frames are measured by:
    {code: KpiRow}; one dashboard computation whatever the number of frames."""
    from django.apps import apps

    codes = {k.measure for f in frames for k in f.kpis.all() if k.measure}
    if not codes or not apps.is_installed("reporting") or user.role == "school_director":
        return {}
    from reporting import queries as reporting

    board = reporting.dashboard(
        user, fiscal_year=reporting.current_fiscal_year(), scope=reporting.scope_for(user)
    )
    return {k.target.code: k for k in board.kpis if k.target.code in codes}


@login_required
def frame_edit(request, pk: int | None = None):
    if pk:
        frame = access.frame_for_edit(request.user, pk)
    else:
        access.require(request.user, EDIT_FRAMEWORKS)
        frame = StrategicFrame(office=request.user.office)
    data = request.POST or None
    form = FrameForm(data, instance=frame)
    items = FrameItemFormSet(data, instance=frame, prefix="items")
    kpis = KpiFormSet(data, instance=frame, prefix="kpis")
    if request.method == "POST" and form.is_valid() and items.is_valid() and kpis.is_valid():
        with transaction.atomic():
            frame = form.save()
            items.instance = kpis.instance = frame
            items.save()
            kpis.save()
        messages.success(request, "บันทึกกรอบยุทธศาสตร์แล้ว")
        return redirect("planning:strategy")
    return render(request, "planning/frame_form.html", {"form": form, "items": items, "kpis": kpis})


# ---------------------------------------------------------------------------------------------
# Plans


@login_required
def plans(request):
    access.require(request.user, VIEW_PLANS)
    rows = queries.plans_for(request.user).annotate(
        n_projects=Count("projects", distinct=True),
        budget=Sum("projects__budget_lines__amount"),
    )
    return render(request, "planning/plans.html", {"plans": rows, "may": _may(request.user)})


def _plan_form(request, plan: Plan):
    return PlanForm(
        request.POST or None,
        instance=plan,
        frames=queries.frames_for(request.user),
        rounds=queries.rounds_for(request.user),
    )


@login_required
def plan_create(request):
    access.require_office_wide(request.user, EDIT_PLANS)
    today = timezone.localdate()
    from krupd.lib.thai_dates import fiscal_year

    fy = fiscal_year(today)
    plan = Plan(
        office=request.user.office, kind="annual", fiscal_year=fy, end_year=fy,
        frame=queries.frames_for(request.user).first(),
        needs_round=queries.rounds_for(request.user).first(),
    )  # fmt: skip
    form = _plan_form(request, plan)
    if request.method == "POST" and form.is_valid():
        plan = actions.save_plan(acting_user=request.user, plan=form.save(commit=False))
        messages.success(request, "สร้างแผนแล้ว เพิ่มโครงการได้เลย")
        return redirect("planning:plan", pk=plan.pk)
    return render(request, "planning/form.html", {"form": form, "title": "แผนใหม่"})


@login_required
def plan_edit(request, pk: int):
    plan = access.plan_for_edit(request.user, pk)
    form = _plan_form(request, plan)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_plan(acting_user=request.user, plan=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "บันทึกแล้ว")
            return redirect("planning:plan", pk=plan.pk)
    return render(request, "planning/form.html", {"form": form, "title": f"แก้ไข {plan}"})


def _plan_transitions(user, plan) -> list[str]:
    """The status buttons this user may press; not approving a plan they submitted."""
    found = [to for (frm, to), cap in actions.PLAN_TRANSITIONS.items()
             if frm == plan.status and can(user, cap)]  # fmt: skip
    if PlanStatus.APPROVED in found and queries.plan_submitter_id(plan) == user.pk:
        found.remove(PlanStatus.APPROVED)
    return found


@login_required
def plan_detail(request, pk: int):
    plan = access.plan_for_view(request.user, pk)
    projects = plan.projects.annotate(budget=Sum("budget_lines__amount")).prefetch_related(
        "strategies", "competencies", "topics"
    )
    may = _may(request.user)
    return render(
        request,
        "planning/plan.html",
        {"plan": plan, "projects": projects, "events": plan.events.all()[:30], "may": may,
         "editable": may["edit_plans"] and plan.status == PlanStatus.DRAFT,
         "copy_form": CopyPlanForm(initial={"fiscal_year": plan.fiscal_year + 1}),
         "transitions": _plan_transitions(request.user, plan)},
    )  # fmt: skip


@login_required
@require_POST
def plan_transition(request, pk: int, to: str):
    plan = access.plan_for_view(request.user, pk)
    if to not in PlanStatus.values:
        raise PermissionDenied
    try:
        actions.transition_plan(
            acting_user=request.user, plan_id=plan.pk, to_status=to,
            comment=request.POST.get("comment", ""),
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(_errors(exc)))
        return redirect("planning:plan", pk=plan.pk)
    messages.success(request, f"เปลี่ยนสถานะเป็น “{PlanStatus(to).label}” แล้ว")
    return redirect("planning:plan", pk=plan.pk)


@login_required
@require_POST
def plan_copy(request, pk: int):
    access.require_office_wide(request.user, EDIT_PLANS)
    plan = access.plan_for_view(request.user, pk)
    form = CopyPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "ระบุปีงบประมาณ พ.ศ. ของแผนใหม่")
        return redirect("planning:plan", pk=plan.pk)
    try:
        new = actions.copy_plan(
            acting_user=request.user, plan=plan, fiscal_year=form.cleaned_data["fiscal_year"]
        )
    except actions.AlreadyCopied as e:
        messages.info(request, e.messages[0])
        return redirect("planning:plan", pk=e.copy.pk)
    except actions.WorkflowError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("planning:plan", pk=plan.pk)
    messages.success(request, f"คัดลอกเป็นร่างแผนปี {new.fiscal_year} แล้ว")
    return redirect("planning:plan", pk=new.pk)


@login_required
def plan_docx(request, pk: int):
    plan = access.plan_for_view(request.user, pk)
    access.require(request.user, EXPORT_DATA)
    data = exports.plan_docx(
        plan,
        alignment=queries.alignment(request.user, plan),
        thai_digits=request.GET.get("digits") == "thai",
    )
    return _download(data, exports.DOCX_TYPE, f"plan-{plan.fiscal_year}-{plan.pk}.docx")


@login_required
def plan_alignment(request, pk: int):
    plan = access.plan_for_view(request.user, pk)
    top = query_params.bounded(request.GET, "top", default=5, low=1, high=50)
    al = queries.alignment(request.user, plan, top=top)
    return render(request, "planning/alignment.html", {"plan": plan, "al": al, "top": top})


@login_required
def project_results(request, pk: int, project: int):
    """A project's results report: figures computed from its courses and targets; the
    office's plan editors write the parts only they know and the KPI and spending results."""
    obj = access.project_for_view(request.user, pk, project)
    may_edit = can(request.user, EDIT_PLANS) and not request.user.school_id
    forms = None
    if may_edit:
        obj = access.project_for_report(request.user, pk, project)
        data = request.POST or None
        report = ProjectReport.objects.filter(project=obj).first() or ProjectReport(project=obj)
        forms = (
            ProjectReportForm(data, instance=report),
            KpiResultFormSet(data, instance=obj, prefix="kpi"),
            SpendingFormSet(data, instance=obj, prefix="spend"),
        )
        if request.method == "POST" and all(f.is_valid() for f in forms):
            actions.save_project_report(
                acting_user=request.user, project=obj, values=forms[0].cleaned_data,
                kpi_results=[(f.instance.pk, f.cleaned_data.get("actual")) for f in forms[1]],
                spending=[(f.instance.pk, f.cleaned_data.get("actual")) for f in forms[2]],
            )  # fmt: skip
            messages.success(request, "บันทึกรายงานผลการดำเนินงานโครงการแล้ว")
            return redirect("planning:project_results", pk=pk, project=obj.pk)
    elif request.method == "POST":
        raise PermissionDenied
    results = queries.project_results(obj)
    context = {"r": results, "plan": obj.plan, "forms": forms, "may": _may(request.user)}
    return render(request, "planning/project_results.html", context)


@login_required
def project_results_docx(request, pk: int, project: int):
    obj = access.project_for_view(request.user, pk, project)
    access.require(request.user, EXPORT_DATA)
    data = exports.results_docx(
        obj.plan, [queries.project_results(obj)], thai_digits=request.GET.get("digits") == "thai"
    )
    return _download(
        data, exports.DOCX_TYPE, f"project-results-{obj.plan.fiscal_year}-{obj.pk}.docx"
    )


@login_required
def plan_results_docx(request, pk: int):
    plan = access.plan_for_view(request.user, pk)
    access.require(request.user, EXPORT_DATA)
    results = [
        queries.project_results(p) for p in plan.projects.prefetch_related("kpis", "budget_lines")
    ]
    data = exports.results_docx(plan, results, thai_digits=request.GET.get("digits") == "thai")
    return _download(data, exports.DOCX_TYPE, f"plan-results-{plan.fiscal_year}-{plan.pk}.docx")


@login_required
def project_edit(request, pk: int, project: int | None = None):
    if project:
        obj = access.project_for_edit(request.user, pk, project)
        plan = obj.plan
    else:
        plan = access.plan_for_edit(request.user, pk)
        # After the last-but-one was deleted, count + 1 repeated the last project's number.
        last = plan.projects.aggregate(n=Max("number"))["n"] or 0
        obj = Project(plan=plan, number=last + 1)
    if plan.status != PlanStatus.DRAFT:
        messages.error(request, "แผนนี้ไม่ใช่ฉบับร่าง แก้ไขโครงการไม่ได้")
        return redirect("planning:plan", pk=plan.pk)
    data = request.POST or None
    form = ProjectForm(data, instance=obj, plan=plan)
    if request.method == "GET" and not obj.pk:
        form.initial.update(
            {k: request.GET.getlist(k) for k in ("competencies", "topics") if k in request.GET}
        )
    sets = [
        ActivityFormSet(data, instance=obj, prefix="act"),
        BudgetFormSet(data, instance=obj, prefix="bud"),
        ProjectKpiFormSet(data, instance=obj, prefix="kpi"),
    ]
    if request.method == "POST" and request.POST.get("delete") and obj.pk:
        actions.delete_project(acting_user=request.user, project=obj)
        messages.success(request, "ลบโครงการแล้ว")
        return redirect("planning:plan", pk=plan.pk)
    if request.method == "POST" and form.is_valid() and all(s.is_valid() for s in sets):
        try:
            with transaction.atomic():
                obj = actions.save_project(
                    acting_user=request.user,
                    project=form.save(commit=False),
                    strategies=form.cleaned_data["strategies"],
                    competencies=form.cleaned_data["competencies"],
                    topics=form.cleaned_data["topics"],
                )
                for s in sets:
                    s.instance = obj
                    s.save()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"บันทึกโครงการ {obj.name} แล้ว")
            return redirect("planning:plan", pk=plan.pk)
    return render(
        request,
        "planning/project_form.html",
        {"form": form, "sets": sets, "plan": plan, "obj": obj},
    )


# ---------------------------------------------------------------------------------------------
# ID plans


@login_required
def my_id_plan(request):
    access.require(request.user, SELF_ASSESS)
    if not request.user.person_id:
        raise PermissionDenied
    plans = IdPlan.objects.filter(person_id=request.user.person_id).order_by("-year")
    rounds = queries.rounds_for(request.user)
    return render(request, "planning/idp_mine.html", {"plans": plans, "rounds": rounds})


@login_required
@require_POST
def id_plan_start(request, pk: int):
    rnd, person = access.round_for_self(request.user, pk)
    plan = actions.start_id_plan(acting_user=request.user, person=person, year=rnd.year, rnd=rnd)
    return redirect("planning:idp", pk=plan.pk)


@login_required
def id_plan(request, pk: int):
    plan = access.id_plan_for_view(request.user, pk)
    is_owner = plan.person_id == request.user.person_id
    editable = is_owner and plan.status in (IdPlanStatus.DRAFT, IdPlanStatus.RETURNED)
    form = formset = None
    if editable:
        data = request.POST or None
        form = IdPlanForm(data, instance=plan)
        formset = IdPlanItemFormSet(data, instance=plan, prefix="items")
        if request.method == "POST" and form.is_valid() and formset.is_valid():
            try:
                with transaction.atomic():
                    actions.ensure_id_plan_editable(
                        IdPlan.objects.select_for_update().get(pk=plan.pk)
                    )
                    form.save()
                    formset.save()
            except ValidationError as exc:  # sent from another tab meanwhile
                messages.error(request, " ".join(_errors(exc)))
                return redirect("planning:idp", pk=plan.pk)
            if "submit" in request.POST:
                try:
                    actions.transition_id_plan(
                        acting_user=request.user, plan_id=plan.pk, to_status=IdPlanStatus.SUBMITTED
                    )
                except ValidationError as exc:
                    messages.error(request, " ".join(_errors(exc)))
                    return redirect("planning:idp", pk=plan.pk)
                messages.success(request, "ส่งแผนให้ผู้บริหารพิจารณาแล้ว")
            else:
                messages.success(request, "บันทึกแล้ว")
            return redirect("planning:idp", pk=plan.pk)
    elif request.method == "POST" and is_owner:
        # Back to the form after sending it: say why nothing was saved, not a bare 403.
        try:
            actions.ensure_id_plan_editable(plan)
        except ValidationError as exc:
            messages.error(request, " ".join(_errors(exc)))
        return redirect("planning:idp", pk=plan.pk)
    elif request.method == "POST":
        raise PermissionDenied
    decide = decides_for(request.user, plan.person) and plan.status == IdPlanStatus.SUBMITTED
    suggestions = []
    if editable and plan.round_id:
        suggestions = actions.id_plan_suggestions(plan.person, plan.round)
    with_workplace_label(plan.person)  # a namesake school named with its OBEC code
    return render(
        request,
        "planning/idp.html",
        {"plan": plan, "form": form, "formset": formset, "decide": decide,
         "items": plan.items.select_related("competency", "topic"),
         "events": plan.events.all(), "suggestions": suggestions},
    )  # fmt: skip


@login_required
def id_plan_export(request, pk: int, fmt: str):
    """The ID plan as the paper the teacher signs and the director approves: whoever may open
    the plan's page may print it (id_plan_for_view)."""
    plan = access.id_plan_for_view(request.user, pk)
    thai_digits = request.GET.get("digits") == "thai"
    name = f"id-plan-{plan.year}-{plan.pk}.{fmt}"
    if fmt == "pdf":
        data = exports.id_plan_pdf(plan, thai_digits=thai_digits)
        return _download(data, "application/pdf", name)
    data = exports.id_plan_docx(plan, thai_digits=thai_digits)
    return _download(data, exports.DOCX_TYPE, name)


@login_required
@require_POST
def id_plan_decide(request, pk: int, to: str):
    plan = access.id_plan_for_decision(request.user, pk)
    if to not in (IdPlanStatus.APPROVED, IdPlanStatus.RETURNED):
        raise PermissionDenied
    try:
        actions.transition_id_plan(
            acting_user=request.user, plan_id=plan.pk, to_status=to,
            comment=request.POST.get("comment", ""),
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(_errors(exc)))
        return redirect("planning:idp", pk=plan.pk)
    messages.success(request, f"{IdPlanStatus(to).label}: {plan.person.full_name}")
    return redirect("planning:idp_school")


@login_required
def id_plans_school(request):
    access.require(request.user, RATE_STAFF)
    if not request.user.school_id:
        raise PermissionDenied
    plans = (
        queries.id_plans_in_scope(request.user)
        .select_related("person")
        .annotate(n_items=Count("items"))
        .order_by("status", "person__first_name")
    )
    year = academic_year_of_office(request.user.office_id, timezone.localdate())
    without = queries.teachers_without_id_plan(request.user, year)
    context = {"plans": plans, "year": year, "without": without}
    return render(request, "planning/idp_school.html", context)


@login_required
def id_plan_summary(request):
    access.require(request.user, VIEW_NEEDS)
    this_year = academic_year_of_office(request.user.office_id, timezone.localdate())
    year = query_params.be_year(request.GET, "year", default=this_year)
    summary = queries.id_plan_summary(request.user, year)
    return render(request, "planning/idp_summary.html", {"s": summary, "year": year})
