from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import (
    EDIT_REPORTS,
    EDIT_SETTINGS,
    MANAGE_AWARDS,
    MANAGE_NETWORKS,
    MANAGE_PLC,
    NOMINATE_AWARDS,
    PUBLISH_PRACTICES,
    RECORD_VISITS,
    Role,
    can,
)
from credentials import actions as credential_actions
from credentials.keys import KeyUnavailable
from credentials.views import download as credential_download
from krupd.downloads import file_download_response
from krupd.lib import numerals, query_params, thai_dates
from krupd.lib.natural import natural_sorted
from registry.labels import school_label, school_labels, with_workplace_labels
from registry.models import LearningArea, Network, Person, PersonnelType, School
from registry.picker import picker_response
from registry.queries import people_visible_to, schools_offered, schools_visible_to
from reporting import queries as reporting_queries

from . import access, actions, certificates, exports, goal_measures, queries
from .forms import (
    CommunityRulesForm,
    JointActivityForm,
    MOUForm,
    NetworkActivityForm,
    NetworkBudgetForm,
    NetworkGoalForm,
    NetworkProfileForm,
    NominationForm,
    PartnerForm,
    PLCGroupForm,
    PLCMeetingForm,
    PracticeForm,
    ResultForm,
    RoundForm,
    ScoreForm,
    VisitForm,
)
from .models import (
    AwardCertificate,
    AwardCertificateStatus,
    AwardLevel,
    AwardProgramme,
    AwardRound,
    BestPractice,
    NetworkActivity,
    NetworkBudget,
    NetworkGoal,
    NetworkProfile,
    Partner,
    PLCGroup,
    PLCLevel,
    PLCMeeting,
    PracticeLevel,
    PracticeStatus,
    ResultOutcome,
    RoundStatus,
    Score,
    Visit,
)


def _fy(request) -> int:
    today = thai_dates.fiscal_year(timezone.localdate())
    return query_params.be_year(request.GET, "fy", default=today)


def _office_people(user):
    """People a form may pick: the user's scope, or the whole office for office staff."""
    if user.role in (Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR):
        people = Person.objects.filter(office_id=user.office_id)
    else:
        people = people_visible_to(user)
    return people.filter(status="active").select_related("school").order_by("first_name")


def _fail(form, error) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
def home(request):
    access.require_office_user(request.user)
    context = {"counts": queries.hub_counts(request.user), "fy": _fy(request)}
    return render(request, "community/home.html", context)


@login_required
def settings(request):
    """Office admins: PLC hour target and term dates (audited). The partnership growth target
    is a KPI target (reporting's targets page), not a setting here."""
    access.require(request.user, EDIT_SETTINGS)
    rules = queries.rules_for(request.user.office)
    form = CommunityRulesForm(request.POST or None, instance=rules)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_rules(acting_user=request.user, rules=form.save(commit=False))
        except actions.CommunityError as e:
            _fail(form, e)
        else:
            messages.success(request, "บันทึกการตั้งค่าแล้ว")
            return redirect("community:settings")
    return render(
        request,
        "community/form.html",
        {
            "form": form,
            "title": "ตั้งค่างาน PLC นิเทศ และเครือข่าย",
            "help": "ค่าเหล่านี้ใช้ในรายงานชั่วโมง PLC การนับโรงเรียนที่ยังไม่ได้รับการนิเทศในภาคเรียน "
            "และการเติบโตของความร่วมมือกับภาคี ทุกการแก้ไขถูกบันทึกในประวัติการใช้งาน",
        },
    )


# ----------------------------------------------------------------------------------- PLC


@login_required
def plc_list(request):
    access.require_office_user(request.user)
    user = request.user
    groups = (
        queries.plc_groups_visible_to(user)
        .select_related("school", "network", "facilitator", "office")
        .annotate(
            n_members=Count("members", distinct=True), n_meetings=Count("meetings", distinct=True)
        )
        .order_by("-academic_year", "name", "id")
    )
    fy = _fy(request)
    my_hours = queries.plc_hours(user.person, fiscal_year=fy) if user.person_id else None
    context = {
        "page": Paginator(groups, 50).get_page(request.GET.get("page")),
        "fy": fy,
        "my_hours": my_hours,
        "target": queries.rules_for(user.office).plc_hour_target,
        "may_create": can(user, MANAGE_PLC),
    }
    return render(request, "community/plc_list.html", context)


def _plc_form(request, instance):
    user = request.user
    schools = schools_offered(user, keep=instance.school_id)
    networks = queries.networks_visible_to(user)
    people = _office_people(user)
    if instance.pk:  # members stay choosable after they move school or retire
        people = (
            Person.objects.filter(
                Q(pk__in=people)
                | Q(pk__in=instance.members.values("pk"))
                | Q(pk=instance.facilitator_id)
            )
            .select_related("school")
            .order_by("first_name")
        )
    return PLCGroupForm(
        request.POST or None,
        instance=instance,
        people=people,
        schools=schools,
        networks=networks,
    )


@login_required
def plc_create(request):
    access.require(request.user, MANAGE_PLC)
    user = request.user
    group = PLCGroup(
        office=user.office,
        academic_year=queries.academic_year_on(
            timezone.localdate(), queries.rules_for(user.office)
        ),
        created_by=user,
        level=PLCLevel.SCHOOL,
        school=user.school,
    )
    form = _plc_form(request, group)
    if partial := picker_response(request, form):
        return partial
    if request.method == "POST" and form.is_valid():
        try:
            group = actions.save_plc_group(
                acting_user=user,
                group=form.save(commit=False),
                members=form.cleaned_data["members"],
            )
        except actions.CommunityError as e:
            _fail(form, e)
        else:
            messages.success(request, f"สร้างกลุ่ม {group.name} แล้ว")
            return redirect("community:plc_detail", pk=group.pk)
    return render(request, "community/form.html", {"form": form, "title": "สร้างกลุ่ม PLC"})


@login_required
def plc_edit(request, pk: int):
    group = access.plc_group_for_edit(request.user, pk)
    form = _plc_form(request, group)
    if partial := picker_response(request, form):
        return partial
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_plc_group(
                acting_user=request.user,
                group=form.save(commit=False),
                members=form.cleaned_data["members"],
            )
        except actions.CommunityError as e:
            _fail(form, e)
        else:
            return redirect("community:plc_detail", pk=group.pk)
    return render(request, "community/form.html", {"form": form, "title": f"แก้ไข {group.name}"})


@login_required
def plc_detail(request, pk: int):
    group = access.plc_group_for_view(request.user, pk)
    meetings = group.meetings.prefetch_related("attendees", "evidence")
    context = {
        "group": group,
        "meetings": meetings,
        "hours": queries.member_hours(group),
        "total_hours": meetings.aggregate(h=Sum("hours"))["h"] or Decimal("0"),
        "may_log": queries.may_log_plc(request.user, group),
        "may_edit": can(request.user, MANAGE_PLC)
        and (
            request.user.role != Role.SCHOOL_DIRECTOR or group.school_id == request.user.school_id
        ),
    }
    return render(request, "community/plc_detail.html", context)


@login_required
def plc_log(request, pk: int):
    group = access.plc_group_for_log(request.user, pk)
    form = PLCMeetingForm(
        request.POST or None, request.FILES or None, group=group, instance=PLCMeeting(group=group)
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = actions.log_plc_meeting(
                acting_user=request.user,
                meeting=form.save(commit=False),
                attendees=form.cleaned_data["attendees"],
                refuse_repeat=True,
                files=form.cleaned_data["files"],
            )
        except actions.CommunityError as e:
            _fail(form, e)
        else:
            messages.success(request, "บันทึกกิจกรรม PLC แล้ว ชั่วโมงถูกนับให้ผู้เข้าร่วมทุกคน")
            if notice := actions.plc_meeting_year_notice(meeting):
                messages.warning(request, notice)
            return redirect("community:plc_detail", pk=group.pk)
    return render(
        request,
        "community/form.html",
        {
            "form": form,
            "title": f"บันทึกกิจกรรม PLC — {group.name}",
            "multipart": True,
            "help": "บันทึกตามวงจร PLC: ปัญหา → วางแผน → ปฏิบัติ → สังเกต → สะท้อนผล",
        },
    )


@login_required
def plc_activity(request):
    access.require_plc_activity(request.user)
    fy = _fy(request)
    rows = queries.plc_activity(request.user, fiscal_year=fy)
    context = {
        "rows": rows,
        "fy": fy,
        "target": queries.rules_for(request.user.office).plc_hour_target,
        "totals": {
            "groups": sum(r.groups for r in rows),
            "meetings": sum(r.meetings for r in rows),
            "hours": sum((r.hours for r in rows), Decimal("0")),
            "reached": sum(r.reached_target for r in rows),
        },
    }
    return render(request, "community/plc_activity.html", context)


# ------------------------------------------------------------------------------- visits


VISIT_TABS = [
    ("", "ทั้งหมด"),
    ("mine", "การนิเทศของฉัน"),
    ("to_record", "เลยวันนัดแล้ว ยังไม่บันทึกผล"),
]


@login_required
def visits(request):
    access.require_office_user(request.user)
    today = timezone.localdate()
    # show: "mine" (the visits this user makes) or "to_record" (own appointments past their
    # day, not yet written up): the lists the home page counts link to.
    show = request.GET.get("show", "")
    rows = queries.visits_visible_to(request.user)
    if show == "mine":
        rows = rows.filter(visitor=request.user)
    elif show == "to_record":
        rows = queries.visits_to_record(request.user, today=today)
    context = {
        "show": show,
        "tabs": VISIT_TABS,
        "query": f"show={show}" if show else "",
        "upcoming": queries.upcoming_visits(request.user, today=today, mine=show == "mine"),
        "page": Paginator(rows.select_related("school").prefetch_related("people"), 50).get_page(
            request.GET.get("page")
        ),
        "may_record": can(request.user, RECORD_VISITS),
        "may_coverage": can(request.user, RECORD_VISITS) or request.user.role == Role.INSPECTOR,
    }
    return render(request, "community/visits.html", context)


def _visit_form(request, instance):
    user = request.user
    people = Person.objects.filter(office_id=user.office_id, status="active", school__isnull=False)
    if instance.pk:  # those visited stay choosable after they move school or retire
        people = Person.objects.filter(
            Q(pk__in=people) | Q(pk__in=instance.people.values("pk"))
        ).distinct()
    # Courses of the office, through the relation (community imports nothing of training).
    courses = Visit.course.field.related_model.objects.filter(office_id=user.office_id)
    return VisitForm(
        request.POST or None,
        instance=instance,
        schools=schools_offered(user, keep=instance.school_id),
        people=people.select_related("school").order_by("school__name", "first_name"),
        courses=courses.exclude(status="draft"),
    )


@login_required
def visit_create(request):
    access.require(request.user, RECORD_VISITS)
    user = request.user
    visit = Visit(
        office=user.office,
        visitor=user,
        date=timezone.localdate(),
        visitor_name=user.get_full_name() or user.username,
    )
    if school_id := query_params.object_id(request.GET.get("school")):
        visit.school = schools_visible_to(user).filter(pk=school_id).first()
    form = _visit_form(request, visit)
    if partial := picker_response(request, form):
        return partial
    if request.method == "POST" and form.is_valid():
        try:
            visit = actions.save_visit(
                acting_user=user, visit=form.save(commit=False), people=form.cleaned_data["people"]
            )
        except actions.CommunityError as e:
            _fail(form, e)
        else:
            messages.success(request, "บันทึกการนิเทศแล้ว")
            for warning in queries.coach_name_warnings(visit):
                messages.warning(request, warning)
            return redirect("community:visit_detail", pk=visit.pk)
    return render(request, "community/form.html", {"form": form, "title": "บันทึกการนิเทศ/โค้ช"})


@login_required
def visit_edit(request, pk: int):
    visit = access.visit_for_edit(request.user, pk)
    form = _visit_form(request, visit)
    if partial := picker_response(request, form):
        return partial
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_visit(
                acting_user=request.user,
                visit=form.save(commit=False),
                people=form.cleaned_data["people"],
            )
        except actions.CommunityError as e:
            _fail(form, e)
        else:
            for warning in queries.coach_name_warnings(visit):
                messages.warning(request, warning)
            return redirect("community:visit_detail", pk=visit.pk)
    return render(request, "community/form.html", {"form": form, "title": "แก้ไขการนิเทศ"})


@login_required
def visit_detail(request, pk: int):
    visit = access.visit_for_view(request.user, pk)
    return render(
        request,
        "community/visit_detail.html",
        {
            "visit": visit,
            "people": visit.people.all(),
            "may_edit": access.may_edit_visit(request.user, visit),
        },
    )


@login_required
def coverage(request):
    access.require_coverage(request.user)
    rules = queries.rules_for(request.user.office)
    label, start, end = queries.current_term(timezone.localdate(), rules)
    visited, not_visited = queries.coverage(request.user, start=start, end=end)
    total = len(visited) + len(not_visited)
    return render(
        request,
        "community/coverage.html",
        {
            "term": label,
            "start": start,
            "end": end,
            "visited": visited,
            "not_visited": not_visited,
            "total": total,
            "pct": numerals.percent_of(len(visited), total, 1),
            "may_record": can(request.user, RECORD_VISITS),
        },
    )


# ----------------------------------------------------------------------------- networks


@login_required
def networks(request):
    access.require_office_user(request.user)
    if request.user.role == Role.TEACHER:
        raise PermissionDenied
    return render(
        request,
        "community/networks.html",
        {
            "networks": natural_sorted(queries.network_list(request.user), key=lambda n: n.name),
            "may_manage": can(request.user, MANAGE_NETWORKS),
        },
    )


@login_required
def network_detail(request, pk: int):
    network = access.network_for_view(request.user, pk)
    profile = (
        NetworkProfile.objects.filter(network=network)
        .select_related("chair", "secretary", "supervisor")
        .first()
    )
    schools, closed_schools = queries.network_schools(network)
    return render(
        request,
        "community/network_detail.html",
        {
            "network": network,
            "profile": profile,
            "committee": profile.committee.all() if profile else [],
            "schools": schools,
            "closed_schools": closed_schools,
            "goals": goal_measures.with_results(list(network.goals.select_related("network"))),
            "may_edit_national": can(request.user, EDIT_REPORTS),
            "activities": network.activities.all()[:50],
            "budgets": network.budgets.all(),
            "budget_total": network.budgets.aggregate(s=Sum("amount"))["s"] or 0,
            "partner_resources": network.jointactivity_set.aggregate(
                c=Sum("cash"), k=Sum("in_kind_value")
            ),
            "may_manage": queries.may_manage_network(request.user, network),
        },
    )


@login_required
def network_edit(request, pk: int):
    network = access.network_for_edit(request.user, pk)
    profile = NetworkProfile.objects.filter(network=network).first() or NetworkProfile(
        network=network
    )
    people = Person.objects.filter(office_id=network.office_id, status="active").select_related(
        "school"
    )
    form = NetworkProfileForm(
        request.POST or None,
        instance=profile,
        # The network's schools as a list of ids, not a join: SQLite then reads their people
        # through the school index instead of every person of the office (4 pickers a page).
        people=people.filter(
            school__in=School.objects.filter(network=network).values("pk")
        ).order_by("first_name"),
        supervisors=people.filter(personnel_type=PersonnelType.SUPERVISOR).order_by("first_name"),
    )
    if partial := picker_response(request, form):
        return partial
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_network_profile(
                acting_user=request.user,
                profile=form.save(commit=False),
                committee=form.cleaned_data["committee"],
            )
        except actions.CommunityError as e:
            _fail(form, e)
        else:
            return redirect("community:network_detail", pk=network.pk)
    return render(request, "community/form.html", {"form": form, "title": f"ข้อมูลเครือข่าย {network}"})


_NETWORK_ROWS = {
    "goal": (NetworkGoal, NetworkGoalForm, "เพิ่มเป้าหมายเครือข่าย"),
    "activity": (NetworkActivity, NetworkActivityForm, "เพิ่มกิจกรรมเครือข่าย"),
    "budget": (NetworkBudget, NetworkBudgetForm, "เพิ่มงบประมาณที่ได้รับ"),
}


@login_required
def network_add(request, pk: int, kind: str):
    network = access.network_for_edit(request.user, pk)
    if kind not in _NETWORK_ROWS:
        raise PermissionDenied
    model, form_class, title = _NETWORK_ROWS[kind]
    extra = {"subjects": reporting_queries.onet_subjects(network.office)} if kind == "goal" else {}
    form = form_class(request.POST or None, instance=model(network=network), **extra)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_network_row(acting_user=request.user, row=form.save(commit=False))
        except actions.CommunityError as e:
            _fail(form, e)
        else:
            return redirect("community:network_detail", pk=network.pk)
    context = {"form": form, "title": f"{title} — {network}"}
    if kind == "goal":
        context["help"] = (
            "เป้าหมายที่วัดจากข้อมูลในระบบได้ ให้เลือกตัวชี้วัด ชั้น วิชา และเป้าหมายร้อยละของโรงเรียน "
            "ระบบคำนวณผลจากข้อมูลของโรงเรียนในเครือข่ายทุกครั้งที่แสดง (ไม่ต้องกรอกผลที่ได้) "
            "เป้าหมายอื่นให้เขียนเป้าหมาย ค่าเป้าหมาย และผลที่ได้เอง"
        )
    return render(request, "community/form.html", context)


@login_required
def partners(request):
    access.require_partners(request.user)
    office = request.user.office
    rows = queries.partners_visible_to(request.user).annotate(
        n_mous=Count("mous", distinct=True),
        n_activities=Count("activities", distinct=True),
        cash=Sum("activities__cash"),
        in_kind=Sum("activities__in_kind_value"),
    )
    return render(
        request,
        "community/partners.html",
        {
            "partners": rows,
            "growth": queries.partnership_growth(office),
            "target": queries.partnership_target(office),
            "may_manage": can(request.user, MANAGE_NETWORKS),
        },
    )


@login_required
def partner_create(request):
    access.require(request.user, MANAGE_NETWORKS)
    form = PartnerForm(request.POST or None, instance=Partner(office=request.user.office))
    if request.method == "POST" and form.is_valid():
        try:
            partner = actions.save_partner(
                acting_user=request.user, partner=form.save(commit=False)
            )
        except actions.CommunityError as e:
            _fail(form, e)
        else:
            return redirect("community:partner_detail", pk=partner.pk)
    return render(request, "community/form.html", {"form": form, "title": "เพิ่มภาคีเครือข่าย"})


@login_required
def partner_detail(request, pk: int):
    partner = access.partner_for_view(request.user, pk)
    return render(
        request,
        "community/partner_detail.html",
        {
            "partner": partner,
            "mous": partner.mous.all(),
            "activities": partner.activities.select_related("mou", "network"),
            "may_manage": can(request.user, MANAGE_NETWORKS),
            "today": timezone.localdate(),
        },
    )


@login_required
def partner_add(request, pk: int, kind: str):
    partner = access.partner_for_edit(request.user, pk)
    if kind == "mou":
        from .models import MOU

        form = MOUForm(request.POST or None, request.FILES or None, instance=MOU(partner=partner))
        title = "เพิ่มบันทึกข้อตกลง (MOU)"
    elif kind == "activity":
        from .models import JointActivity

        form = JointActivityForm(
            request.POST or None,
            partner=partner,
            networks=Network.objects.filter(office_id=partner.office_id),
            instance=JointActivity(partner=partner, office=partner.office),
        )
        title = "เพิ่มกิจกรรมและทรัพยากรที่ได้รับ"
    else:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            if kind == "mou":
                actions.add_mou(acting_user=request.user, mou=form.save(commit=False))
            else:
                actions.add_joint_activity(
                    acting_user=request.user, activity=form.save(commit=False)
                )
        except actions.CommunityError as e:
            _fail(form, e)
        else:
            return redirect("community:partner_detail", pk=partner.pk)
    return render(
        request,
        "community/form.html",
        {"form": form, "title": f"{title} — {partner}", "multipart": kind == "mou"},
    )


# -------------------------------------------------------------------------------- awards


@login_required
def awards(request):
    access.require_office_user(request.user)
    user = request.user
    rounds = queries.rounds_visible_to(user).annotate(n=Count("nominations"))
    return render(
        request,
        "community/awards.html",
        {
            "rounds": rounds,
            "programmes": AwardProgramme.objects.filter(office_id=user.office_id),
            "judging": rounds.filter(judges=user.pk, status=RoundStatus.JUDGING),
            "may_manage": can(user, MANAGE_AWARDS),
        },
    )


def _round_form(request, instance):
    office_id = request.user.office_id
    return RoundForm(
        request.POST or None,
        instance=instance,
        programmes=AwardProgramme.objects.filter(office_id=office_id),
        judges=queries.judge_candidates(office_id),
    )


def _save_round_form(request, form):
    try:
        return actions.save_round(
            acting_user=request.user,
            round_=form.save(commit=False),
            criteria=form.cleaned_data["criteria"],
            judges=list(form.cleaned_data["judges"]),
        )
    except actions.CommunityError as e:
        _fail(form, e)
        return None


@login_required
def round_create(request):
    access.require(request.user, MANAGE_AWARDS)
    year = thai_dates.be_year(timezone.localdate())
    form = _round_form(request, AwardRound(year=year))
    if partial := picker_response(request, form):
        return partial
    if request.method == "POST" and form.is_valid():
        round_ = _save_round_form(request, form)
        if round_:
            return redirect("community:round_detail", pk=round_.pk)
    return render(request, "community/form.html", {"form": form, "title": "เปิดรอบการคัดเลือก"})


@login_required
def round_edit(request, pk: int):
    round_ = access.round_for_manage(request.user, pk)
    form = _round_form(request, round_)
    if partial := picker_response(request, form):
        return partial
    if request.method == "POST" and form.is_valid():
        if _save_round_form(request, form):
            return redirect("community:round_detail", pk=round_.pk)
    return render(request, "community/form.html", {"form": form, "title": f"แก้ไข {round_}"})


@login_required
def round_detail(request, pk: int):
    user = request.user
    round_ = access.round_for_view(user, pk)
    nominations = list(queries.nominations_visible_to(user, round_))
    certificates_of = _certificates_by_nomination(user, round_)
    # Each nominee's school as the office's lists name it: a namesake with its OBEC code.
    shown = school_labels(n.school_id for n in nominations)
    for n in nominations:
        n.award_certificates = certificates_of.get(n.pk, [])
        n.school_label = shown[n.school_id] if n.school_id else ""
    judge = queries.is_judge(user, round_)
    judges = list(round_.judges.all())
    for n in nominations:
        # Who may score this work (queries.judge_conflict): the count its "scored" is out of.
        n.judge_count = len(queries.scoring_judge_ids(n, judges))
        n.may_score = judge and not queries.judge_conflict(user, n)
    scored_by_me = set(
        Score.objects.filter(judge=user, nomination__round=round_).values_list(
            "nomination_id", flat=True
        )
    )
    return render(
        request,
        "community/round_detail.html",
        {
            "round": round_,
            "criteria": round_.criteria.all(),
            "judges": judges,
            "nominations": nominations,
            "results": queries.results_of(round_),
            "default_signer_title": actions.DEFAULT_SIGNER_TITLE,
            "is_judge": judge,
            "scored_by_me": scored_by_me,
            "see_scores": can(user, MANAGE_AWARDS) or judge,
            "may_manage": can(user, MANAGE_AWARDS),
            "may_nominate": round_.accepts_nominations(timezone.localdate())
            and (can(user, NOMINATE_AWARDS) or (round_.allow_self and user.person_id)),
            "today": timezone.localdate(),
        },
    )


@login_required
def nominate(request, pk: int):
    user = request.user
    round_ = access.round_for_nominate(user, pk)
    if can(user, NOMINATE_AWARDS):
        people = _office_people(user)
    else:
        people = Person.objects.filter(pk=user.person_id)
    form = NominationForm(request.POST or None, request.FILES or None, people=people)
    if partial := picker_response(request, form):
        return partial
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.nominate(
                acting_user=user,
                round_=round_,
                person=d["person"],
                work_title=d["work_title"],
                statement=d["statement"],
                file=d["file"],
            )
        except actions.CommunityError as e:
            _fail(form, e)
        else:
            messages.success(request, f"เสนอชื่อ {d['person'].full_name} แล้ว")
            return redirect("community:round_detail", pk=round_.pk)
    return render(
        request,
        "community/form.html",
        {"form": form, "title": f"เสนอชื่อ — {round_}", "multipart": True},
    )


@login_required
def score(request, pk: int):
    nomination = access.nomination_for_scoring(request.user, pk)
    if conflict := queries.judge_conflict(request.user, nomination):
        messages.error(request, f"{nomination.person.full_name}: {conflict}")
        return redirect("community:round_detail", pk=nomination.round_id)
    criteria = nomination.round.criteria.all()
    current = dict(
        Score.objects.filter(nomination=nomination, judge=request.user).values_list(
            "criterion_id", "score"
        )
    )
    form = ScoreForm(request.POST or None, criteria=criteria, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            actions.score_nomination(
                acting_user=request.user, nomination=nomination, scores=form.scores()
            )
        except actions.CommunityError as e:
            _fail(form, e)
        else:
            messages.success(request, f"บันทึกคะแนน {nomination.person.full_name} แล้ว")
            return redirect("community:round_detail", pk=nomination.round_id)
    school = school_label(nomination.school) if nomination.school_id else ""
    return render(
        request, "community/score.html", {"form": form, "nomination": nomination, "school": school}
    )


@login_required
@require_POST
def round_decide(request, pk: int):
    round_ = access.round_for_manage(request.user, pk)
    try:
        results = actions.decide_area_results(
            acting_user=request.user, round_=round_, announced_on=timezone.localdate()
        )
    except actions.CommunityError as e:
        messages.error(request, e.messages[0])
    else:
        selected = sum(1 for r in results if r.outcome == ResultOutcome.WINNER)
        said = f"ประกาศผลระดับเขตพื้นที่แล้ว: ได้รับการคัดเลือก {selected:,} คน จาก {len(results):,} คน"
        if selected > round_.winners:
            # Ties at the cut-off are all selected (decide_area_results): said, not hidden.
            said += (
                f" (มากกว่าที่กำหนด {round_.winners:,} คน เพราะคะแนนเฉลี่ยเท่ากันที่ลำดับสุดท้าย"
                " จึงได้รับการคัดเลือกทุกคน)"
            )
        messages.success(request, said)
    return redirect("community:round_detail", pk=round_.pk)


@login_required
def nomination_result(request, pk: int):
    nomination = access.nomination_for_result(request.user, pk)
    form = ResultForm(
        request.POST or None,
        initial={"level": AwardLevel.REGION, "announced_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_result(
                acting_user=request.user, nomination=nomination, **form.cleaned_data
            )
        except actions.CommunityError as e:
            _fail(form, e)
        else:
            return redirect("community:round_detail", pk=nomination.round_id)
    return render(
        request,
        "community/form.html",
        {"form": form, "title": f"บันทึกผลการคัดเลือก — {nomination.person}"},
    )


def _certificates_by_nomination(user, round_) -> dict[int, list[AwardCertificate]]:
    """Valid award certificates of the round: all for award managers, one's own otherwise.
    Managers also see the revoked ones with their reason (the public page says only that
    and when a certificate was revoked)."""
    rows = AwardCertificate.objects.filter(result__nomination__round=round_).select_related(
        "result__nomination"
    )
    if not can(user, MANAGE_AWARDS):
        if not user.person_id:
            return {}
        rows = rows.filter(
            result__nomination__person_id=user.person_id, status=AwardCertificateStatus.VALID
        )
    out: dict[int, list[AwardCertificate]] = {}
    for cert in rows.order_by("result__level", "id"):
        out.setdefault(cert.result.nomination_id, []).append(cert)
    return out


@login_required
@require_POST
def award_certificates_issue(request, pk: int):
    round_ = access.round_for_manage(request.user, pk)
    try:
        issued = actions.issue_award_certificates(
            acting_user=request.user,
            round_=round_,
            signer_name=request.POST.get("signer_name", ""),
            signer_title=request.POST.get("signer_title", ""),
        )
    except actions.CommunityError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request,
            f"ออกเกียรติบัตร {len(issued)} ฉบับ" if issued else "ผู้ได้รับรางวัลมีเกียรติบัตรครบแล้ว",
        )
    return redirect("community:round_detail", pk=round_.pk)


def _level(data) -> str:
    level = data.get("level", AwardLevel.AREA)
    return level if level in AwardLevel.values else AwardLevel.AREA


@login_required
def award_certificate_pdf(request, pk: int):
    """The valid certificate of a nomination's result at ?level= (area by default)."""
    cert = access.award_certificate_for_download(request.user, pk, _level(request.GET))
    try:
        token = _award_credential(cert).token
    except KeyUnavailable:
        token = ""
    data = certificates.render_pdf(cert, base=request.build_absolute_uri("/"), credential=token)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="award-certificate-{cert.code}.pdf"'
    return response


def _award_credential(cert: AwardCertificate):
    programme = AwardProgramme.objects.select_related("office").get(
        rounds__nominations__results__certificates=cert
    )
    return credential_actions.ensure(certificates.credential_claim(cert, programme))


@login_required
def award_certificate_credential(request, pk: int):
    """The award certificate's signed Open Badges 3.0 credential (?level=, ?format=json)."""
    cert = access.award_certificate_for_download(request.user, pk, _level(request.GET))
    try:
        credential = _award_credential(cert)
    except KeyUnavailable as error:
        messages.error(request, str(error))
        return redirect("community:round_detail", pk=cert.result.nomination.round_id)
    return credential_download(credential, request.GET.get("format", "jwt"))


@login_required
@require_POST
def award_certificate_revoke(request, pk: int):
    cert = access.award_certificate_for_manage(request.user, pk, _level(request.POST))
    try:
        actions.revoke_award_certificate(
            acting_user=request.user, certificate=cert, reason=request.POST.get("reason", "")
        )
    except actions.CommunityError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, "เพิกถอนเกียรติบัตรแล้ว")
    return redirect("community:round_detail", pk=cert.result.nomination.round_id)


@login_required
def awards_table(request):
    access.require_office_user(request.user)
    office = request.user.office
    years = queries.award_years(office)
    current = thai_dates.be_year(timezone.localdate())
    year = query_params.be_year(request.GET, "year", default=0)
    if not year:
        year = queries.default_awards_year(office, current=current)
    years = sorted(set(years) | {year}, reverse=True)
    rows = queries.awards_table(office, year=year)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            exports.awards_table_xlsx(office, year, rows), content_type=exports.XLSX_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="awards-{year}.xlsx"'
        return response
    return render(
        request,
        "community/awards_table.html",
        {"rows": rows, "year": year, "years": years, "totals": queries.awards_table_totals(rows)},
    )


# ------------------------------------------------------------------------ best practices


@login_required
def practices(request):
    access.require_office_user(request.user)
    q = request.GET.get("q", "").strip()
    area, level, status = (request.GET.get(k, "") for k in ("area", "level", "status"))
    rows = queries.practice_list(request.user, q=q, area=area, level=level, status=status)
    context = {
        "page": Paginator(rows, 20).get_page(request.GET.get("page")),
        "q": q,
        "area": area,
        "level": level,
        "status": status,
        "areas": LearningArea.objects.all(),
        "levels": PracticeLevel.choices,
        "statuses": PracticeStatus.choices,
        "query": request.GET.urlencode(),
        "may_publish": can(request.user, PUBLISH_PRACTICES),
        "may_add": access.may_add_practice(request.user),
    }
    template = "community/_practice_rows.html" if request.htmx else "community/practices.html"
    return render(request, template, context)


def _practice_form(request, instance):
    user = request.user
    if user.role == Role.TEACHER:
        schools = School.objects.filter(pk=user.person.school_id if user.person_id else None)
    else:
        schools = schools_offered(user, keep=instance.school_id)
    return PracticeForm(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        people=_office_people(user),
        schools=schools,
        may_publish=can(user, PUBLISH_PRACTICES),
    )


@login_required
def practice_create(request):
    access.require_add_practice(request.user)
    user = request.user
    practice = BestPractice(
        office=user.office,
        year=thai_dates.be_year(timezone.localdate()),
        school=user.person.school if user.person_id else None,
    )
    form = _practice_form(request, practice)
    if partial := picker_response(request, form):
        return partial
    if user.person_id:
        form.fields["owners"].initial = [user.person_id]
    if request.method == "POST" and form.is_valid():
        try:
            practice = actions.save_practice(
                acting_user=user,
                practice=form.save(commit=False),
                owners=form.cleaned_data["owners"],
            )
        except actions.CommunityError as e:
            _fail(form, e)
        else:
            return redirect("community:practice_detail", pk=practice.pk)
    return render(
        request,
        "community/form.html",
        {"form": form, "title": "เพิ่มผลงานเด่น/แนวปฏิบัติที่ดี", "multipart": True},
    )


@login_required
def practice_edit(request, pk: int):
    practice = access.practice_for_edit(request.user, pk)
    form = _practice_form(request, practice)
    if partial := picker_response(request, form):
        return partial
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_practice(
                acting_user=request.user,
                practice=form.save(commit=False),
                owners=form.cleaned_data["owners"],
            )
        except actions.CommunityError as e:
            _fail(form, e)
        else:
            return redirect("community:practice_detail", pk=practice.pk)
    return render(
        request,
        "community/form.html",
        {"form": form, "title": f"แก้ไข {practice}", "multipart": True},
    )


@login_required
def practice_detail(request, pk: int):
    practice = access.practice_for_view(request.user, pk)
    may_edit = True
    try:
        access.practice_for_edit(request.user, pk)
    except PermissionDenied:
        may_edit = False
    return render(
        request,
        "community/practice_detail.html",
        {
            "p": practice,
            "owners": with_workplace_labels(practice.owners.select_related("school", "office")),
            "may_edit": may_edit,
            # Withdrawing one's own is fine; publishing it is another reviewer's.
            "may_publish": can(request.user, PUBLISH_PRACTICES)
            and (
                practice.status == PracticeStatus.PUBLISHED
                or not actions.is_practice_owner(request.user, practice)
            ),
        },
    )


@login_required
@require_POST
def practice_publish(request, pk: int):
    practice = access.practice_for_publish(request.user, pk)
    try:
        actions.publish_practice(
            acting_user=request.user, practice=practice, publish=request.POST.get("publish") != "0"
        )
    except actions.CommunityError as e:
        messages.error(request, e.messages[0])
    return redirect("community:practice_detail", pk=practice.pk)


# ------------------------------------------------------------ uploaded files (access.py)


@login_required
def plc_evidence_file(request, pk: int):
    return file_download_response(access.plc_evidence_for_download(request.user, pk).file)


@login_required
def mou_file(request, pk: int):
    return file_download_response(access.mou_for_download(request.user, pk).file)


@login_required
def nomination_file(request, pk: int):
    return file_download_response(access.nomination_file_for_download(request.user, pk).file)


@login_required
def practice_file(request, pk: int):
    return file_download_response(access.practice_file_for_download(request.user, pk).file)
