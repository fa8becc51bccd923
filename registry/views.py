from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import (
    ABOVE_OFFICE_ROLES,
    EDIT_ENROLMENT,
    EDIT_SCHOOLS,
    EDIT_SETTINGS,
    VIEW_AUDIT_LOG,
    VIEW_PEOPLE,
    VIEW_SCHOOLS,
    can,
)

from . import access, actions, merge, queries
from .forms import (
    TITLES,
    ContactForm,
    EnrolmentForm,
    LearningAreaFormSet,
    MajorFormSet,
    MergePickForm,
    MoveStaffForm,
    OfficeRulesForm,
    PersonForm,
    SchoolClosureForm,
    SchoolForm,
    StandingFormSet,
)
from .labels import school_label, with_workplace_label, with_workplace_labels
from .models import (
    AuditAction,
    Enrolment,
    Grade,
    Person,
    PersonnelType,
    PersonStatus,
    School,
    SchoolLevel,
)
from .picker import picker_response

PAGE_SIZE = 50


def _page(request, rows, size: int = PAGE_SIZE):
    return Paginator(rows, size).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def home(request):
    user = request.user
    if user.role in ABOVE_OFFICE_ROLES:  # no office of their own: their home is the comparison
        return redirect("oversight:compare")
    context = {
        "counts": queries.headcounts(user),
        "school_count": queries.school_count(user),
        "today": timezone.localdate(),
        "needs_action": _needs_action(user),
        "agenda": _agenda(user),
    }
    return render(request, "registry/home.html", context)


def _needs_action(user) -> list:
    """The "needs action now" panel, from the reporting app when it is installed."""
    from django.apps import apps

    if not apps.is_installed("reporting"):
        return []
    from reporting.queries import needs_action

    return needs_action(user)


def _agenda(user):
    """Courses starting, a participant's open tests and surveys, ID plan and certificates."""
    from django.apps import apps

    if not apps.is_installed("reporting"):
        return None
    from reporting.queries import home_agenda

    return home_agenda(user)


@login_required
def people(request):
    access.require(request.user, VIEW_PEOPLE)
    f = queries.PeopleFilter(**{k: request.GET.get(k, v) for k, v in _filter_defaults().items()})
    page = _page(request, queries.people_page(request.user, f))
    context = {
        "page": page,
        "f": f,
        "query": _query_without_page(request),
        # the filters' choices as plain rows: an office can have hundreds of schools
        "schools": queries.school_choices(request.user),
        "networks": queries.office_networks(request.user.office_id),
        "types": PersonnelType.choices,
        "standings": queries.standing_choices(),
        "areas": queries.learning_area_choices(),
        "statuses": PersonStatus.choices,
    }
    template = "registry/_people_table.html" if request.htmx else "registry/people.html"
    return render(request, template, context)


def _filter_defaults() -> dict:
    return {f: getattr(queries.PeopleFilter, f) for f in queries.PeopleFilter.__dataclass_fields__}


@login_required
def person_detail(request, pk: int):
    person = access.person_for_view(request.user, pk)
    rules = actions.rules_for(person.office)
    context = {
        # A namesake school named with its OBEC code, as the lists of people name it.
        "person": with_workplace_label(person),
        "secondment_school": school_label(person.secondment_school)
        if person.secondment_school_id
        else "",
        "rules": rules,
        "retirement": person.retirement_date(retirement_age=rules.retirement_age),
        "areas": person.areas_taught.all(),
        "history": person.position_changes.select_related("recorded_by")[:50],
        "may_edit": can(request.user, "edit_people"),
        "may_delete": can(request.user, "delete_people"),
        "may_merge": access.may_merge_people(request.user)
        and person.office_id == request.user.office_id,
        "may_reveal": can(request.user, "view_full_national_id"),
        "is_self": person.pk == request.user.person_id,
    }
    return render(request, "registry/person_detail.html", context)


def _person_form(request, instance: Person):
    office = request.user.office
    return PersonForm(
        request.POST or None,
        instance=instance,
        schools=queries.schools_visible_to(request.user),
        rules=actions.rules_for(office),
    )


@login_required
def person_create(request):
    access.require(request.user, "edit_people")
    person = Person(office=request.user.office, school=request.user.school)
    form = _person_form(request, person)
    if request.method == "POST" and form.is_valid():
        person = actions.save_person(
            acting_user=request.user,
            person=form.save(commit=False),
            areas_taught=form.cleaned_data["areas_taught"],
        )
        messages.success(request, f"เพิ่ม {person.full_name} แล้ว")
        return redirect("registry:person_detail", pk=person.pk)
    return render(request, "registry/person_form.html", {"form": form, "titles": TITLES})


@login_required
def person_edit(request, pk: int):
    person = access.person_for_edit(request.user, pk)
    form = _person_form(request, person)
    if request.method == "GET":  # the form shows the whole stored national ID: audited (PDPA)
        actions.reveal_national_id(acting_user=request.user, person=person)
    if request.method == "POST" and form.is_valid():
        person = actions.save_person(
            acting_user=request.user,
            person=form.save(commit=False),
            areas_taught=form.cleaned_data["areas_taught"],
            effective_date=form.cleaned_data["effective_date"],
        )
        messages.success(request, f"บันทึกข้อมูล {person.full_name} แล้ว")
        return redirect("registry:person_detail", pk=person.pk)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "titles": TITLES, "person": form.instance},
    )


@login_required
def person_delete(request, pk: int):
    person = access.person_for_delete(request.user, pk)
    if request.method != "POST":
        refusal = actions.delete_refusal(person)  # said before the button, not after pressing it
    else:
        name = person.full_name
        try:  # delete_person judges the refusal itself, in the same moment as the deletion
            actions.delete_person(acting_user=request.user, person=person)
        except actions.PersonKept as kept:
            refusal = str(kept)
        else:
            messages.success(request, f"ลบ {name} แล้ว")
            return redirect("registry:people")
    context = {"person": person, "refusal": refusal}
    return render(request, "registry/person_delete.html", context)


@login_required
def person_merge(request, pk: int):
    """Merge a duplicate record of the same teacher into the one kept (registry.merge): pick
    the other record, compare the two side by side, choose which to keep, confirm."""
    person = access.person_for_merge(request.user, pk)
    candidates = queries.merge_candidates(request.user, person)
    data = request.POST if request.method == "POST" else request.GET
    form = MergePickForm(data if "other" in data else None, people=candidates)
    if partial := picker_response(request, form):
        return partial
    if not (form.is_bound and form.is_valid()):
        return render(request, "registry/person_merge.html", {"person": person, "form": form})
    other = form.cleaned_data["other"]
    errors = []
    if request.method == "POST":
        keep, duplicate = (other, person) if data.get("keep") == str(other.pk) else (person, other)
        try:
            merge.merge_people(
                acting_user=request.user,
                keep=keep,
                duplicate=duplicate,
                differences_confirmed=data.get("confirmed") == "1",
                choices=merge.posted_choices(data, keep=keep, duplicate=duplicate),
            )
        except merge.MergeRefused as refused:
            errors = refused.messages
        else:
            keep.refresh_from_db()  # its name may be the one chosen from the other record
            messages.success(request, f"รวม {merge.label(duplicate)} เข้ากับ {keep.full_name} แล้ว")
            return redirect("registry:person_detail", pk=keep.pk)
    records = with_workplace_labels([person, other])
    keep_pk = data.get("keep") if data.get("keep") == str(other.pk) else str(person.pk)
    refusals = merge.merge_refusals(keep=person, duplicate=other)
    context = {
        "person": person,
        "form": form,
        "other": other,
        "records": [
            {
                "person": p,
                "certificates": queries.certificates_held(p),
                "id_ok": merge.id_passes_check(p),
            }
            for p in records
        ],
        "holding_rows": queries.holdings_side_by_side(records),
        "refusals": refusals,
        "errors": [] if refusals else errors,
        "warnings": merge.merge_warnings(keep=person, duplicate=other),
        "keep": keep_pk,
        "details": merge.details_side_by_side(records, int(keep_pk), data),
    }
    return render(request, "registry/person_merge.html", context)


@login_required
@require_POST
def person_reveal_id(request, pk: int):
    person = access.person_for_full_id(request.user, pk)
    national_id = actions.reveal_national_id(acting_user=request.user, person=person)
    return render(request, "registry/_national_id.html", {"national_id": national_id})


@login_required
def me(request):
    if not request.user.person_id:
        raise PermissionDenied
    return redirect("registry:person_detail", pk=request.user.person_id)


@login_required
def my_data_export(request):
    person = access.own_person(request.user)
    response = JsonResponse(
        queries.own_data_export(person), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="krupd-my-data-{person.pk}.json"'
    return response


@login_required
def my_contact(request):
    person = access.own_person(request.user)
    form = ContactForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        actions.update_own_contact(
            acting_user=request.user,
            person=person,
            phone=form.cleaned_data["phone"],
            email=form.cleaned_data["email"],
        )
        messages.success(request, "บันทึกข้อมูลติดต่อแล้ว")
        return redirect("registry:me")
    return render(request, "registry/my_contact.html", {"form": form, "person": person})


@login_required
def schools(request):
    access.require(request.user, VIEW_SCHOOLS)
    f = queries.SchoolFilter(
        **{k: request.GET.get(k, "") or v for k, v in vars(queries.SchoolFilter()).items()}
    )
    page = _page(request, queries.school_page(request.user, f))
    context = {
        "page": page,
        "f": f,
        "query": _query_without_page(request),
        "networks": queries.office_networks(request.user.office_id),
        "levels": SchoolLevel.choices,
        "bands": queries.size_bands_of_office(request.user.office_id),
        "closed_choices": queries.SCHOOL_CLOSED_CHOICES[1:],
        "may_edit": can(request.user, EDIT_SCHOOLS),
    }
    template = "registry/_schools_table.html" if request.htmx else "registry/schools.html"
    return render(request, template, context)


@login_required
def school_detail(request, pk: int):
    school = access.school_for_view(request.user, pk)
    year = Enrolment.objects.filter(school=school).order_by("-academic_year").first()
    enrolment = []
    if year:
        enrolment = list(Enrolment.objects.filter(school=school, academic_year=year.academic_year))
        order = {g.value: i for i, g in enumerate(Grade)}
        enrolment.sort(key=lambda row: order[row.grade])
    staff = queries.people_visible_to(request.user).filter(school=school, status="active")
    closed = school.is_closed_on(timezone.localdate())
    context = {
        "school": school,
        "closed": closed,
        # Still placed at a school that has closed: listed to be moved (move_staff).
        "closed_staff": list(staff.order_by("first_name", "last_name", "id")) if closed else [],
        "may_move_staff": closed and access.may_move_staff(request.user),
        "enrolment": enrolment,
        "year": year,
        "staff_by_type": staff.values("personnel_type")
        .annotate(n=Count("id"))
        .order_by("personnel_type"),
        "type_labels": dict(PersonnelType.choices),
        "may_edit": can(request.user, EDIT_SCHOOLS),
        "may_edit_enrolment": can(request.user, EDIT_ENROLMENT),
        "may_list_people": can(request.user, VIEW_PEOPLE),
    }
    return render(request, "registry/school_detail.html", context)


@login_required
def school_close(request, pk: int):
    """Record that the school closed or was merged into another (ปิด/ยุบรวม)."""
    school = access.school_for_edit(request.user, pk)
    form = SchoolClosureForm(request.POST or None, school=school, initial={
        "closed_on": school.closed_on, "merged_into": school.merged_into_id,
        "reason": school.closure_reason or "",
    })  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            school = actions.close_school(
                acting_user=request.user,
                school=school,
                closed_on=form.cleaned_data["closed_on"],
                merged_into=form.cleaned_data["merged_into"],
                reason=form.cleaned_data["reason"],
            )
        except actions.ClosureRefused as refused:  # became closed meanwhile
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, f"บันทึกการปิด/ยุบรวม {school.name} แล้ว")
            return redirect("registry:school_detail", pk=school.pk)
    return render(request, "registry/school_close.html", {"form": form, "school": school})


@login_required
@require_POST
def school_reopen(request, pk: int):
    """Undo a recorded closing (audited)."""
    school = access.school_for_edit(request.user, pk)
    school = actions.reopen_school(acting_user=request.user, school=school)
    messages.success(request, f"ยกเลิกการปิด/ยุบรวม {school.name} แล้ว")
    return redirect("registry:school_detail", pk=school.pk)


@login_required
def school_move_staff(request, pk: int):
    """Move the people still placed at a closed school, by default to the school it was
    merged into, each through the person's own change of workplace (position history)."""
    school = access.school_for_moving_staff(request.user, pk)
    today = timezone.localdate()
    if not school.is_closed_on(today):
        messages.error(request, f"{school.name} ยังไม่ได้ปิด/ยุบรวม จึงไม่ต้องย้ายบุคลากรออก")
        return redirect("registry:school_detail", pk=school.pk)
    form = MoveStaffForm(request.POST or None, school=school, today=today)
    people = queries.people_visible_to(request.user).filter(
        school=school, status=PersonStatus.ACTIVE
    )
    if request.method == "POST" and form.is_valid():
        to_school = form.cleaned_data["to_school"]
        moved = actions.move_people(
            acting_user=request.user,
            people=list(people.order_by("pk")),
            to_school=to_school,
            effective_date=form.cleaned_data["effective_date"],
        )
        messages.success(request, f"ย้ายบุคลากร {moved} คน ไป{to_school.name} แล้ว")
        return redirect("registry:school_detail", pk=school.pk)
    context = {
        "form": form,
        "school": school,
        "people": list(people.order_by("first_name", "last_name", "id")),
    }
    return render(request, "registry/school_move_staff.html", context)


@login_required
def school_create(request):
    access.require(request.user, EDIT_SCHOOLS)
    form = SchoolForm(
        request.POST or None,
        instance=School(office=request.user.office),
        office=request.user.office,
    )
    if request.method == "POST" and form.is_valid():
        school = actions.save_school(acting_user=request.user, school=form.save(commit=False))
        messages.success(request, f"เพิ่ม {school.name} แล้ว")
        return redirect("registry:school_detail", pk=school.pk)
    return render(request, "registry/school_form.html", {"form": form})


@login_required
def school_edit(request, pk: int):
    school = access.school_for_edit(request.user, pk)
    form = SchoolForm(request.POST or None, instance=school, office=school.office)
    if request.method == "POST" and form.is_valid():
        school = actions.save_school(acting_user=request.user, school=form.save(commit=False))
        messages.success(request, f"บันทึก {school.name} แล้ว")
        return redirect("registry:school_detail", pk=school.pk)
    return render(request, "registry/school_form.html", {"form": form, "school": school})


@login_required
def school_enrolment(request, pk: int):
    school = access.school_for_enrolment(request.user, pk)
    form = EnrolmentForm(request.POST or None, initial=_enrolment_initial(school))
    if request.method == "POST" and form.is_valid():
        actions.set_enrolment(
            acting_user=request.user,
            school=school,
            academic_year=form.cleaned_data["academic_year"],
            census_date=form.cleaned_data["census_date"],
            counts=form.counts(),
        )
        messages.success(request, f"บันทึกจำนวนนักเรียน {school.name} แล้ว")
        return redirect("registry:school_detail", pk=school.pk)
    return render(request, "registry/school_enrolment.html", {"form": form, "school": school})


def _enrolment_initial(school: School) -> dict:
    """Start from the latest year on file, so a new year is a matter of correcting numbers."""
    rows = list(Enrolment.objects.filter(school=school).order_by("-academic_year"))
    if not rows:
        from community.queries import academic_year_of_office

        year = academic_year_of_office(school.office_id, timezone.localdate())
        return {
            "academic_year": year,
            "census_date": actions.rules_for(school.office).census_date(year),
        }
    latest = rows[0].academic_year
    initial = {"academic_year": latest, "census_date": rows[0].census_date}
    for row in rows:
        if row.academic_year == latest:
            initial[f"{row.grade}_students"] = row.students
            initial[f"{row.grade}_rooms"] = row.classrooms
    return initial


@login_required
def audit_log(request):
    access.require(request.user, VIEW_AUDIT_LOG)
    entries = queries.audit_entries_for(
        request.user,
        object_type=request.GET.get("type", ""),
        object_id=request.GET.get("id", ""),
    )
    action = request.GET.get("action", "")
    if action:
        entries = entries.filter(action=action)
    page = _page(request, entries)
    links = queries.audit_links(page.object_list, office_id=request.user.office_id)
    for e in page:
        e.link = links.get(e.pk, "")
    context = {
        "page": page,
        "query": _query_without_page(request),
        "actions": AuditAction.choices,
        "action": action,
    }
    return render(request, "registry/audit.html", context)


@login_required
def office_settings(request):
    access.require(request.user, EDIT_SETTINGS)
    rules = actions.rules_for(request.user.office)
    form = OfficeRulesForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        actions.update_office_rules(acting_user=request.user, rules=form.save(commit=False))
        messages.success(request, "บันทึกการตั้งค่าแล้ว")
        return redirect("registry:settings")
    return render(request, "registry/settings.html", {"form": form, "rules": rules})


# Reference lists an office keeps correct itself: which formset edits which list.
REFERENCE_LISTS = {
    "majors": (MajorFormSet, "วิชาเอกและกลุ่มสาระที่ตรง", "majors"),
    "standings": (StandingFormSet, "วิทยฐานะ", "standings"),
    "areas": (LearningAreaFormSet, "กลุ่มสาระการเรียนรู้", "areas"),
}


@login_required
def reference_list(request, kind: str):
    access.require(request.user, EDIT_SETTINGS)
    if kind not in REFERENCE_LISTS:
        raise Http404
    formset_class, label, _ = REFERENCE_LISTS[kind]
    formset = formset_class(request.POST or None)
    if request.method == "POST" and formset.is_valid():
        saved = actions.save_reference_rows(
            acting_user=request.user, office=request.user.office, formset=formset, label=label
        )
        messages.success(request, f"บันทึก{label}แล้ว {saved} รายการ")
        return redirect("registry:reference", kind=kind)
    context = {"formset": formset, "label": label, "kind": kind, "lists": REFERENCE_LISTS}
    return render(request, "registry/reference.html", context)
