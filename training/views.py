"""Training pages. Each view: parse, load through access.py, call one action, render."""

from __future__ import annotations

import json
import math

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import (
    CONFIRM_FOLLOW_UP,
    MANAGE_TRAINING,
    NOMINATE_TRAINEES,
    VIEW_TRAINING_RESULTS,
    can,
)
from community.models import AwardCertificate
from credentials import verification as credential_verification
from credentials.keys import KeyUnavailable
from credentials.views import download as credential_download
from imports.access import may_import_kind
from imports.models import ImportKind
from krupd.downloads import file_download_response, safe_filename
from krupd.lib import query_params
from krupd.lib.numerals import format_hours
from krupd.lib.thai_dates import fiscal_year, format_thai_date
from krupd.middleware import content_security_policy
from registry.labels import with_workplace_labels
from registry.picker import picker_response
from registry.queries import people_visible_to

from . import access, actions, exports, queries, rosters
from . import lessons as lesson_rules
from . import results as completion
from .actions import TrainingError
from .certificates import (
    CREDENTIAL_STANDINGS,
    render_pdf,
    review_since,
    review_since_as_office_writes,
    typed_code,
)
from .forms import (
    ConfirmForm,
    CourseForm,
    FollowUpForm,
    LessonForm,
    ModuleForm,
    NominateForm,
    PaperScoresForm,
    QuestionsForm,
    RevokeForm,
    RulesForm,
    SessionForm,
    SurveyItemFormSet,
    UnconfirmForm,
    questions_as_text,
)
from .models import (
    CERTIFICATE_UNDER_REVIEW,
    Attendance,
    Certificate,
    CertificateBatch,
    CertificateStanding,
    CertificateStatus,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    Module,
    Question,
    Session,
    SessionDay,
    SurveyItem,
    TestKind,
)

RESULTS_PER_PAGE = 100


def _fy(request) -> int:
    return query_params.be_year(request.GET, "fy", default=fiscal_year(timezone.localdate()))


def _refuse(request, error: TrainingError):
    messages.error(request, " ".join(error.messages))


# ---------------------------------------------------------------- courses


@login_required
def courses(request):
    fy = _fy(request)
    q = request.GET.get("q", "").strip()
    finished = request.GET.get("show") == "finished"
    today = timezone.localdate()
    rows = queries.course_page(request.user, fiscal_year=fy, q=q, finished=finished, today=today)
    counts = queries.course_list_counts(request.user, fiscal_year=fy, q=q, today=today)
    show = "finished" if finished else "current"
    paginator = Paginator(rows, 30)
    paginator.count = counts[show]  # the tab's count just read: the paginator's own is the same
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = queries.with_seat_counts(list(page.object_list))
    mine = {}
    if request.user.person_id:
        # The user's enrolments in the courses of this page, not of the whole list.
        shown = [course.pk for course in page]
        mine = {
            e.course_id: e
            for e in Enrolment.objects.filter(person_id=request.user.person_id, course_id__in=shown)
        }
    context = {"page": page, "fy": fy, "q": q, "mine": mine, "show": show, "counts": counts,
               "query": f"fy={fy}&q={q}&show={show}"}  # fmt: skip
    return render(request, "training/courses.html", context)


@login_required
def course_create(request):
    access.require(request.user, MANAGE_TRAINING)
    course = Course(office=request.user.office, fiscal_year=fiscal_year(timezone.localdate()))
    form = CourseForm(request.POST or None, instance=course, office=request.user.office)
    if request.method == "POST" and form.is_valid():
        try:
            course = actions.save_course(acting_user=request.user, course=form.save(commit=False))
        except TrainingError as error:
            form.add_error("title", error)
            return render(request, "training/course_form.html", {"form": form, "course": None})
        if course.is_online and course.status == CourseStatus.DRAFT:
            messages.success(
                request,
                "สร้างหลักสูตรเป็นร่างแล้ว เพิ่มหน่วย บทเรียน ข้อสอบท้ายหน่วย และแบบทดสอบหลังเรียน แล้วจึงเปิดรับสมัคร",
            )
            return redirect("training:modules_manage", course_pk=course.pk)
        messages.success(request, "สร้างหลักสูตรแล้ว เพิ่มรุ่นการอบรมต่อได้เลย")
        return redirect("training:session_create", course_pk=course.pk)
    return render(request, "training/course_form.html", {"form": form, "course": None})


@login_required
def course_edit(request, pk: int):
    course = access.course_for_manage(request.user, pk)
    form = CourseForm(request.POST or None, instance=course, office=course.office)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_course(acting_user=request.user, course=form.save(commit=False))
        except TrainingError as error:
            form.add_error("status", error)
        else:
            messages.success(request, "บันทึกหลักสูตรแล้ว")
            return redirect("training:course_detail", pk=course.pk)
    return render(request, "training/course_form.html", {"form": form, "course": course})


@login_required
def course_detail(request, pk: int):
    user = request.user
    course = access.course_for_view(user, pk)
    sessions = queries.sessions_of(course)
    seats = queries.seats_by_session(course)
    for s in sessions:
        counts = seats.get(s.pk, {})
        s.taken = counts.get("enrolled", 0) + counts.get("pending", 0)
        s.waiting = counts.get("waitlisted", 0)
        s.free = max(0, s.capacity - s.taken)
    enrolment = access.own_enrolment(user, course)
    if enrolment is not None:
        enrolment.course = course  # the course just read, with its office
    modules = queries.modules_of(course) if course.is_online else []
    context = {
        "course": course,
        "sessions": sessions,
        "enrolment": enrolment,
        "may_manage": can(user, MANAGE_TRAINING),
        "may_nominate": can(user, NOMINATE_TRAINEES),
        "may_results": can(user, VIEW_TRAINING_RESULTS),
        "may_self_enrol": _may_self_enrol(user, course, enrolment),
        "has_test": queries.has_final_test_questions(course),
        "modules": modules,
    }
    context["requirements"] = completion.requirements(course)
    if context["may_manage"] and course.is_online and course.status == CourseStatus.DRAFT:
        context["draft_gaps"] = completion.online_course_gaps(course)
        context["is_draft_online"] = True
    if enrolment and enrolment.status == EnrolmentStatus.ENROLLED:
        context.update(_learner_context(enrolment, modules))
    return render(request, "training/course_detail.html", context)


def _may_self_enrol(user, course: Course, enrolment: Enrolment | None) -> bool:
    """The enrol button: open to self-enrolment, and the user has no live seat in it. Whether
    the user is in its target group is read last (it needs their person row)."""
    if not (user.person_id and course.self_enrol and course.status == CourseStatus.OPEN):
        return False
    if enrolment and enrolment.is_active:
        return False
    return course.accepts(user.person)


def _learner_context(enrolment: Enrolment, modules: list) -> dict:
    course = enrolment.course
    has_survey = queries.has_survey(course.office_id)
    surveyed = hasattr(enrolment, "survey")
    opens, closes = completion.test_window(course, enrolment.session)
    today = timezone.localdate()
    # Read once: the result and the module list are judged from the same evidence.
    evidence = completion.gather(enrolment, modules=modules if course.is_online else None)
    tests = actions.final_tests(enrolment, evidence)
    states, waived = [], set()
    if course.is_online:  # what is required of this learner, asked once for both
        needed = completion.required(course, evidence)
        states = actions.module_states(enrolment, evidence, modules, needed)
        waived = actions.waived_modules(enrolment, evidence, modules, needed)
    left = actions.modules_left(states, waived)
    certificate, revoked = queries.certificate_standing(enrolment)
    return {
        "test_opens": opens,
        "test_closes": closes,
        "test_open": opens <= today <= closes,
        "ready_for_follow_up": completion.judge(course, evidence).ready_for_follow_up,
        "pre_done": tests.pre_done,
        "post_left": tests.post_left,
        "pre_left": tests.pre_left,
        "surveyed": surveyed,
        "survey_needed": has_survey and not surveyed,
        "certificate": certificate,
        # The day it was flagged, as the office writes dates; read only for one under review.
        "thai_digits": bool(certificate and certificate.needs_review)
        and actions.rules_for(course.office).thai_digits,
        "revoked_certificate": revoked,
        "follow_up": getattr(enrolment, "follow_up", None),
        "module_states": states,
        "waived_modules": waived,
        "post_test_locked": actions.post_test_locked_text(left) if left else "",
    }


# ---------------------------------------------------------------- sessions and seats


@login_required
def session_create(request, course_pk: int):
    course = access.course_for_manage(request.user, course_pk)
    form = SessionForm(request.POST or None, instance=Session(course=course))
    if request.method == "POST" and _session_saved(request, form, error_field="name"):
        messages.success(request, "เพิ่มรุ่นแล้ว")
        return redirect("training:course_detail", pk=course.pk)
    return render(request, "training/session_form.html", {"form": form, "course": course})


def _session_saved(request, form: SessionForm, *, error_field: str) -> bool:
    """Save the posted session with its per-day hours; a refusal goes on the form."""
    if not form.is_valid():
        return False
    try:
        actions.save_session(
            acting_user=request.user,
            session=form.save(commit=False),
            day_hours=form.cleaned_data["day_hours"],
        )
    except TrainingError as error:
        # A refusal about one box (the seats) goes to that box; others above the form.
        form.add_error(None if hasattr(error, "error_dict") else error_field, error)
        return False
    if note := queries.other_fiscal_year_note(form.instance):
        messages.warning(request, note)
    return True


@login_required
def session_edit(request, pk: int):
    session = access.session_for_manage(request.user, pk)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and _session_saved(request, form, error_field="start_date"):
        messages.success(request, "บันทึกรุ่นแล้ว")
        return redirect("training:roster", pk=session.pk)
    return render(request, "training/session_form.html", {"form": form, "course": session.course})


def _with_workplaces(enrolments) -> list:
    """The enrolments, each person's workplace_label set: their school's name, with its OBEC
    code where another participant's school has the same name (registry.labels)."""
    enrolments = list(enrolments)
    with_workplace_labels(e.person for e in enrolments)
    return enrolments


@login_required
def roster(request, pk: int):
    user = request.user
    if not (can(user, MANAGE_TRAINING) or can(user, NOMINATE_TRAINEES)):
        raise PermissionDenied
    session = access.session_for_view(user, pk)
    enrolments = _with_workplaces(
        queries.enrolments_visible_to(user)
        .filter(session=session)
        .select_related("person__school", "person__office")
        .order_by("status", "requested_at", "id")
    )
    context = {
        "session": session,
        "course": session.course,
        "enrolments": enrolments,
        "days": session.days.all(),
        "may_manage": can(user, MANAGE_TRAINING),
        "may_import_results": may_import_kind(user, ImportKind.RESULTS),
    }
    return render(request, "training/roster.html", context)


@login_required
@require_POST
def enrol(request, session_pk: int):
    if not request.user.person_id:
        access.session_for_view(request.user, session_pk)  # a session they can't see: 404
        raise PermissionDenied
    session, enrolment, refusal = actions.self_enrol(
        acting_user=request.user, session_pk=session_pk
    )
    if refusal:
        messages.error(request, refusal)
    else:
        messages.success(request, f"สถานะ: {enrolment.get_status_display()}")
    return redirect("training:course_detail", pk=session.course_id)


@login_required
def nominate(request, session_pk: int):
    session = access.session_for_nominate(request.user, session_pk)
    course = session.course
    people = people_visible_to(request.user).filter(status="active").select_related("school")
    if course.target_types:
        people = people.filter(personnel_type__in=course.target_types)
    already = Enrolment.objects.filter(
        course=course, status__in=["pending", "enrolled", "waitlisted"]
    ).values("person_id")
    people = people.order_by("school__name", "first_name")
    candidates = people.exclude(pk__in=already)
    # The picker offers those not yet in the course; a posted list may still name people
    # enrolled since the page was opened (a double click, Back and send again): enrolling
    # them again changes nothing, so the list is taken and they are counted apart, where
    # it was refused naming an internal number.
    posting = request.method == "POST"
    form = NominateForm(request.POST or None, people=people if posting else candidates)
    if partial := picker_response(request, form):
        return partial
    if posting and form.is_valid():
        in_course = set(already.filter(person__in=form.cleaned_data["people"]).values_list(
            "person_id", flat=True))  # fmt: skip
        enrolled, refused = actions.enrol_many(
            acting_user=request.user, session=session, people=form.cleaned_data["people"]
        )
        for person, reason in refused:
            messages.error(request, f"{person.full_name}: {reason}")
        results = {}
        for e in enrolled:
            if e.person_id not in in_course:
                results[e.get_status_display()] = results.get(e.get_status_display(), 0) + 1
        if results:
            summary = ", ".join(f"{k} {v:,} คน" for k, v in results.items())
            messages.success(request, f"ส่งรายชื่อแล้ว: {summary}")
        if in_course:
            messages.info(request, f"มีชื่อในหลักสูตรนี้อยู่แล้ว {len(in_course):,} คน (ไม่ส่งซ้ำ)")
        elif not results and not refused:
            messages.info(request, "ไม่มีผู้ที่ส่งรายชื่อเพิ่ม")
        # Everyone refused: their reasons above are the whole answer (a success saying
        # "ส่งรายชื่อแล้ว: " with nobody after it read as if they had been enrolled).
        return redirect("training:roster", pk=session.pk)
    form.fields["people"].queryset = candidates
    return render(
        request, "training/nominate.html", {"form": form, "session": session, "course": course}
    )


@login_required
@require_POST
def enrolment_cancel(request, pk: int):
    enrolment = access.enrolment_for_cancel(request.user, pk)
    try:
        actions.cancel_enrolment(acting_user=request.user, enrolment=enrolment)
        messages.success(
            request,
            f"ยกเลิกการลงทะเบียนของ {enrolment.person.full_name} แล้ว ที่นั่งส่งต่อให้ผู้รอคิวลำดับถัดไป (ถ้ามี)",
        )
    except TrainingError as error:
        _refuse(request, error)
    if enrolment.person_id == request.user.person_id:
        return redirect("training:course_detail", pk=enrolment.course_id)
    return redirect("training:roster", pk=enrolment.session_id)


@login_required
@require_POST
def enrolment_decide(request, pk: int):
    enrolment = access.enrolment_for_decision(request.user, pk)
    approve = request.POST.get("approve") == "1"
    actions.decide_enrolment(acting_user=request.user, enrolment=enrolment, approve=approve)
    messages.success(request, "อนุมัติแล้ว" if approve else "ไม่อนุมัติ")
    return redirect("training:roster", pk=enrolment.session_id)


# ---------------------------------------------------------------- attendance


@login_required
def day_qr(request, pk: int):
    day = access.day_for_manage(request.user, pk)
    rules = actions.rules_for(day.session.course.office)
    token = actions.checkin_token(day)
    url = request.build_absolute_uri(reverse("training:checkin", args=[token]))
    svg = segno.make(url, error="m").svg_inline(scale=6, dark="#0f3d62")
    context = {
        "day": day,
        "session": day.session,
        "svg": svg,
        "url": url,
        "present": day.attendance.count(),
        "enrolled": day.session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count(),
        "minutes": rules.checkin_minutes,
        # Refresh well before the token expires, so a code on screen is always valid.
        "refresh_seconds": max(20, rules.checkin_minutes * 60 // 2),
    }
    template = "training/_qr.html" if request.htmx else "training/day_qr.html"
    return render(request, template, context)


@login_required
def checkin(request, token: str):
    """Post, then redirect to this page, which shows the check-in recorded: a refresh (or
    Back) on a phone shows it again and sends nothing. A refused check-in wrote nothing and
    is shown at once, with what to do."""
    context = {"token": token}
    if request.method == "POST":
        try:
            attendance = actions.check_in(acting_user=request.user, token=token)
        except TrainingError as error:
            context["error"] = " ".join(error.messages)
        else:
            day = format_thai_date(attendance.day.date, style="long")
            messages.success(request, f"ลงเวลาเข้าร่วมวันที่ {day} แล้ว")
            return redirect("training:checkin", token=token)
    elif attendance := queries.own_check_in(request.user, token):
        context["attendance"] = attendance
        context["course"] = attendance.enrolment.course
    return render(request, "training/checkin.html", context)


def _posted_ids(posted, name: str) -> set[int]:
    return {query_params.object_id(v) for v in posted.getlist(name)} - {0}


@login_required
def roll_call(request, pk: int):
    day = access.day_for_manage(request.user, pk)
    enrolments = rosters.sheet_order(
        day.session.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related(
            "person__school", "person__office"
        )
    )
    if request.method == "POST":
        late = set()
        if request.POST.get("all_present"):
            present = {e.pk for e in enrolments}
        else:
            present = _posted_ids(request.POST, "present")
            if request.POST.get("shown"):
                # The page as it was opened said who was marked then ("was"): only the boxes
                # the officer changed change. Someone who checked in by QR while the page was
                # open (not on it as marked, so not unticked by anyone) stays present; a
                # stale page or a resubmit no longer deletes their check-in.
                was = _posted_ids(request.POST, "was")
                on_list = {e.pk for e in enrolments}
                now = set(day.attendance.values_list("enrolment_id", flat=True)) & on_list
                late = now - was - present
                present |= now - (was - present)
        try:
            n = actions.roll_call(acting_user=request.user, day=day, present_ids=present)
        except TrainingError as error:
            _refuse(request, error)
            return redirect("training:roll_call", pk=day.pk)
        kept = f" (รวมผู้ลงเวลาด้วย QR ระหว่างเช็กชื่อ {len(late)} คน)" if late else ""
        messages.success(
            request,
            f"บันทึกการเข้าร่วมวันที่ {format_thai_date(day.date, style='medium')}: "
            f"มา {n} จาก {len(enrolments)} คน{kept}",
        )
        next_day = day.session.days.filter(date__gt=day.date).first()
        if request.POST.get("next") and next_day:
            return redirect("training:roll_call", pk=next_day.pk)
        return redirect("training:roster", pk=day.session_id)
    marked = set(day.attendance.values_list("enrolment_id", flat=True))
    context = {
        "day": day,
        "session": day.session,
        "days": day.session.days.all(),
        "enrolments": _with_workplaces(enrolments),
        "marked": marked,
        "has_next": day.session.days.filter(date__gt=day.date).exists(),
    }
    return render(request, "training/roll_call.html", context)


@login_required
def sign_in_sheet(request, pk: int, day_pk: int | None = None):
    """The printable ใบลงชื่อ: one day's, or every day of the session one after another."""
    session = access.session_for_manage(request.user, pk)
    days = list(session.days.all())
    if day_pk is not None:
        days = [get_object_or_404(SessionDay, pk=day_pk, session=session)]
    enrolments = session.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related(
        "person__school", "person__office"
    )
    rules = actions.rules_for(session.course.office)
    data = rosters.sign_in_sheet_pdf(
        session, days, list(enrolments), thai_digits=_thai_digits(request, rules)
    )
    suffix = f"-{days[0].date:%Y%m%d}" if day_pk is not None else ""
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sign-in-{session.pk}{suffix}.pdf"'
    return response


@login_required
def roster_download(request, pk: int):
    """The roster as a workbook: the office's whole session, a director's own school."""
    user = request.user
    if not (can(user, MANAGE_TRAINING) or can(user, NOMINATE_TRAINEES)):
        raise PermissionDenied
    session = access.session_for_view(user, pk)
    enrolments = list(
        queries.enrolments_visible_to(user)
        .filter(session=session)
        .select_related("person__school", "person__office", "person__academic_standing")
    )
    days = list(session.days.all())
    present = set(
        Attendance.objects.filter(day__session=session).values_list("day_id", "enrolment_id")
    )
    digits = _thai_digits(request, actions.rules_for(session.course.office))
    return exports.xlsx_response(
        rosters.roster_xlsx(session, days, enrolments, present, thai_digits=digits),
        f"roster-{session.pk}.xlsx",
    )


@login_required
def paper_scores(request, pk: int):
    """Type pre/post scores and satisfaction answers from a paper session's sheets."""
    session = access.session_for_manage(request.user, pk)
    course = session.course
    sheet = queries.paper_sheet(session, actions.survey_items_for(course.office))
    _with_workplaces(sheet.enrolments)
    cells = PaperScoresForm.cell_names(sheet.enrolments, sheet.items)
    shown = {name: _cell_text(sheet.initial.get(name)) for name in cells}
    posted = _unchanged_as_now(request.POST, shown) if request.method == "POST" else None
    form = PaperScoresForm(
        posted,
        initial=sheet.initial,
        enrolments=sheet.enrolments,
        items=sheet.items,
        online_pre=sheet.online_pre,
        online_survey=sheet.online_survey,
        blanks_allowed=sheet.blanks_allowed,
    )
    posting = request.method == "POST"
    refused = _typed_off_sheet(request.POST, shown, sheet, session) if posting else ""
    if refused:  # said beside any other error: all of it is refused
        form.add_error(None, refused)
    elif posting and form.is_valid():
        try:
            n = actions.record_paper_scores(
                acting_user=request.user,
                session=session,
                rows=form.rows(),
                pre_max=form.cleaned_data["pre_max"],
                post_max=form.cleaned_data["post_max"],
            )
        except TrainingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"บันทึกคะแนนจากกระดาษแล้ว (เปลี่ยนแปลง {n} คน)")
            return redirect("training:roster", pk=session.pk)
    rows = [
        {
            "number": number,
            "enrolment": e,
            "pre": form[f"pre-{e.pk}"],
            "post": form[f"post-{e.pk}"],
            "answers": [form[f"s{item.pk}-{e.pk}"] for item in sheet.items],
            "comment": form[f"c-{e.pk}"],
            "online": sheet.online_scores.get(e.pk, {}),
            "imported": sheet.imported.get(e.pk, {}),
        }
        for number, e in enumerate(sheet.enrolments, start=1)
    ]
    # What the page showed, sent back with it: on a refused post, what it showed first.
    opened = request.POST.get("opened") if request.method == "POST" else None
    context = {"session": session, "course": course, "form": form, "rows": rows, "sheet": sheet,
               "opened": opened or json.dumps(shown, ensure_ascii=False)}  # fmt: skip
    return render(request, "training/paper_scores.html", context)


def _typed_off_sheet(posted, shown: dict[str, str], sheet, session) -> str:
    """Why the sheet is refused whole ("" when it is not): cells typed into that it no
    longer has, for participants no longer on it (cancelled since the page was opened, or
    never of this session: actions.not_on_session names them), or answers of those on it
    to a satisfaction item no longer asked. They were dropped without a word while the rest
    was saved. A cell left as the page showed it sends nothing."""
    try:
        opened = json.loads(posted.get("opened") or "null")
    except ValueError:
        opened = None
    opened = opened if isinstance(opened, dict) else {}
    rows_shown = {e.pk: e.person.full_name for e in sheet.enrolments}
    strays, lost = set(), set()
    for name in posted:
        if name in shown or (posted_row := PaperScoresForm.row_of_cell(name)) is None:
            continue
        if posted.get(name, "").strip() == str(opened.get(name, "")).strip():
            continue
        row = query_params.object_id(posted_row)
        if row in rows_shown:
            lost.add(row)
        else:
            strays.add(row or -1)  # an id no record can have: counted, as another's is
    if refused := actions.not_on_session(session, strays, what="คะแนนจากกระดาษ"):
        return refused
    if not lost:
        return ""
    names = ", ".join(sorted(rows_shown[row] for row in lost))
    return (
        "ยังไม่ได้บันทึกคะแนนจากกระดาษ เพราะแบบประเมินความพึงพอใจเปลี่ยนไปหลังจากเปิดหน้านี้ "
        f"(คำตอบของ {names} อยู่ในข้อที่ไม่มีแล้ว) เปิดหน้านี้ใหม่แล้วกรอกอีกครั้ง"
    )


def _cell_text(value) -> str:
    return "" if value is None else str(value)


def _unchanged_as_now(posted, now: dict[str, str]):
    """The posted sheet with every cell the officer left as the page showed it taken as it
    is now. Two officers typing one workshop's sheets (one the pre-test, one the post-test):
    the second to save posted the other's cells as blank, as her page had shown them, and
    so deleted them. A participant enrolled since the page was opened has no cells in it:
    theirs stay as they are too. Only the cells typed into change."""
    try:
        opened = json.loads(posted.get("opened") or "null")
    except ValueError:
        opened = None
    if not isinstance(opened, dict):
        return posted  # a page without what it showed: every cell as posted
    data = posted.copy()
    for name, current in now.items():
        if name not in data or data.get(name, "").strip() == str(opened.get(name, "")).strip():
            data[name] = current
    return data


# ---------------------------------------------------------------- tests and question bank


@login_required
def questions(request, course_pk: int, module_pk: int | None = None):
    course = access.course_for_manage(request.user, course_pk)
    module = get_object_or_404(Module, pk=module_pk, course=course) if module_pk else None
    current = Question.objects.filter(course=course, module=module)
    form = QuestionsForm(request.POST or None, initial={"text": questions_as_text(current)})
    if request.method == "POST" and form.is_valid():
        rows = form.cleaned_data["text"]
        try:
            actions.save_questions(
                acting_user=request.user, course=course, module=module, rows=rows
            )
        except TrainingError as error:
            form.add_error("text", error)
        else:
            messages.success(request, f"บันทึกข้อสอบ {len(rows)} ข้อ")
            # A module's quiz, or the final test of a course still being built, belongs to
            # the building page: it shows what is left and opens the course.
            if module or (course.is_online and course.status == CourseStatus.DRAFT):
                return redirect("training:modules_manage", course_pk=course.pk)
            return redirect("training:course_detail", pk=course.pk)
    return render(
        request, "training/questions.html", {"form": form, "course": course, "module": module}
    )


@login_required
def take_test(request, course_pk: int, kind: str, module_pk: int | None = None):
    if kind not in TestKind.values:
        raise Http404
    course = access.course_for_view(request.user, course_pk)
    enrolment = access.own_enrolment_or_404(request.user, course)
    module = get_object_or_404(Module, pk=module_pk, course=course) if module_pk else None
    if (kind == TestKind.MODULE) != (module is not None):
        raise Http404
    back = (
        reverse("training:module", args=[module.pk])
        if module
        else reverse("training:course_detail", args=[course.pk])
    )
    answering = None
    if request.method == "POST":  # the try the form was opened on (a page from before: none)
        answering = query_params.whole_number(request.POST.get("attempt", "")) or None
    try:
        attempt = actions.start_attempt(
            acting_user=request.user,
            enrolment=enrolment,
            kind=kind,
            module=module,
            answering=answering,
        )
    except TrainingError as error:
        _refuse(request, error)
        return redirect(back)
    if attempt.submitted_at:  # that try was sent already: nothing is sent again
        sent = f"{TestKind(kind).label} ครั้งที่ {attempt.number} ส่งคำตอบไปแล้ว"
        messages.info(request, f"{sent}: ได้ {attempt.score}/{attempt.max_score}")
        return redirect(back)
    by_id = Question.objects.in_bulk(attempt.question_ids)
    items = [by_id[i] for i in attempt.question_ids if i in by_id]
    error = ""
    if request.method == "POST" and _answers_other_questions(request.POST, attempt):
        # The office saved the test's questions while this page was open: the answers are to
        # questions that are gone. Nothing is scored; the same try goes on with the new ones.
        error = (
            "ข้อสอบชุดนี้เพิ่งถูกแก้ไขระหว่างที่คุณทำอยู่ กรุณาตอบใหม่อีกครั้ง "
            f"(ยังเป็นครั้งที่ {attempt.number} เดิม ไม่เสียสิทธิ์)"
        )
    elif request.method == "POST":
        answers = {}
        for q in items:
            value = request.POST.get(f"q{q.pk}", "")
            if (choice := query_params.whole_number(value)) is not None:
                answers[str(q.pk)] = choice
        attempt = actions.submit_attempt(acting_user=request.user, attempt=attempt, answers=answers)
        pct = "" if attempt.pct is None else f" ({format_hours(attempt.pct)}%)"
        messages.success(
            request, f"{TestKind(kind).label}: ได้ {attempt.score}/{attempt.max_score}{pct}"
        )
        return redirect(back)
    context = {
        "error": error,
        "course": course,
        "module": module,
        "kind_label": TestKind(kind).label,
        "attempt": attempt,
        "items": items,
        "back": back,
    }
    return render(request, "training/test.html", context)


def _answers_other_questions(posted, attempt) -> bool:
    """Whether a test form answers questions that are not the attempt's (replaced since the
    page was opened)."""
    asked = {str(pk) for pk in attempt.question_ids}
    answered = {key[1:] for key in posted if key.startswith("q") and key[1:].isdigit()}
    return bool(answered - asked)


# ---------------------------------------------------------------- survey and follow-up


@login_required
def survey(request, course_pk: int):
    course = access.course_for_view(request.user, course_pk)
    enrolment = access.own_enrolment_or_404(request.user, course)
    items = actions.survey_items_for(course.office)
    error = None
    scores: dict[int, int] = {}
    if request.method == "POST":
        for item in items:
            value = request.POST.get(f"item{item.pk}", "")
            if value in {"1", "2", "3", "4", "5"}:
                scores[item.pk] = int(value)
        try:
            actions.submit_survey(
                acting_user=request.user,
                enrolment=enrolment,
                scores=scores,
                comment=request.POST.get("comment", ""),
            )
        except TrainingError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "ขอบคุณที่ตอบแบบประเมินความพึงพอใจ")
            return redirect("training:course_detail", pk=course.pk)
    return render(
        request,
        "training/survey.html",
        {
            "course": course,
            # A refused form shows what was chosen and typed, to finish rather than redo.
            "rows": [(item, scores.get(item.pk)) for item in items],
            "comment": request.POST.get("comment", ""),
            "error": error,
            "done": hasattr(enrolment, "survey"),
            "scale": [5, 4, 3, 2, 1],
        },  # fmt: skip
    )


@login_required
def follow_up(request, course_pk: int):
    course = access.course_for_view(request.user, course_pk)
    enrolment = access.own_enrolment_or_404(request.user, course)
    current = getattr(enrolment, "follow_up", None)
    form = FollowUpForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_follow_up(
                acting_user=request.user,
                enrolment=enrolment,
                use_level=form.cleaned_data["use_level"],
                report=form.cleaned_data["report"],
            )
        except TrainingError as error:
            # Refused on this page, with the level and the report as typed (a redirect to
            # the course page dropped them).
            form.add_error(None, error)
        else:
            messages.success(request, "ส่งรายงานการนำไปใช้แล้ว รอผู้บริหาร/ศึกษานิเทศก์รับรอง")
            return redirect("training:course_detail", pk=course.pk)
    # A confirmed report is the record the course was passed on: shown, no longer sent.
    confirmed = current if current is not None and current.confirmed_at else None
    context = {"course": course, "form": form, "confirmed": confirmed}
    return render(request, "training/follow_up.html", context)


@login_required
def follow_ups(request, course_pk: int):
    access.require(request.user, CONFIRM_FOLLOW_UP)
    course = access.course_for_view(request.user, course_pk)
    rows = _with_workplaces(
        queries.enrolments_visible_to(request.user)
        .filter(course=course, follow_up__isnull=False)
        .select_related("person__school", "person__office", "follow_up")
    )
    context = {
        "course": course,
        "rows": rows,
        "form": ConfirmForm(),
        # The office takes a confirmation back (access.follow_up_for_unconfirm).
        "can_unconfirm": access.is_office_staff(request.user),
    }
    return render(request, "training/follow_ups.html", context)


@login_required
def follow_ups_waiting(request):
    """Every report waiting for the user's confirmation, whatever its course: where the
    director's (or supervisor's) home page sends them."""
    access.require(request.user, CONFIRM_FOLLOW_UP)
    rows = queries.follow_ups_to_confirm(request.user).select_related(
        "person__school", "person__office", "follow_up", "course"
    )
    page = Paginator(rows, 50).get_page(query_params.page_number(request.GET))
    page.object_list = _with_workplaces(page.object_list)
    context = {"course": None, "rows": page, "page": page, "form": ConfirmForm()}
    return render(request, "training/follow_ups.html", context)


@login_required
@require_POST
def follow_up_confirm(request, pk: int):
    item = access.follow_up_for_confirm(request.user, pk)
    form = ConfirmForm(request.POST)
    form.is_valid()
    name = item.enrolment.person.full_name
    if item.confirmed_at is not None:
        messages.info(request, f"รายงานของ {name} ได้รับการรับรองไว้แล้ว")
    else:
        actions.confirm_follow_up(
            acting_user=request.user, follow_up=item, note=form.cleaned_data.get("note", "")
        )
        messages.success(request, f"รับรองรายงานการนำไปใช้ของ {name} แล้ว")
    if request.POST.get("from") == "waiting":  # back to the list of every course's reports
        return redirect("training:follow_ups_waiting")
    return redirect("training:follow_ups", course_pk=item.enrolment.course_id)


@login_required
@require_POST
def follow_up_unconfirm(request, pk: int):
    """The office takes back a confirmation, with its reason: the report is open again."""
    item = access.follow_up_for_unconfirm(request.user, pk)
    form = UnconfirmForm(request.POST)
    name = item.enrolment.person.full_name
    if not form.is_valid():
        problems = " ".join(e for errors in form.errors.values() for e in errors)
        messages.error(request, f"ยังไม่ได้ยกเลิกการยืนยันรายงานของ {name}: {problems}")
    else:
        try:
            actions.unconfirm_follow_up(
                acting_user=request.user, follow_up=item, reason=form.cleaned_data["reason"]
            )
        except TrainingError as error:
            _refuse(request, error)
        else:
            messages.success(
                request,
                f"ยกเลิกการยืนยันรายงานการนำไปใช้ของ {name} แล้ว "
                "ผู้เข้าร่วมแก้ไขและส่งรายงานใหม่ได้ และรอการรับรองอีกครั้ง",
            )
    return redirect("training:follow_ups", course_pk=item.enrolment.course_id)


# ---------------------------------------------------------------- results and evaluation


@login_required
def evaluation(request, course_pk: int):
    course = access.course_for_results(request.user, course_pk)
    ev = queries.evaluate_course(request.user, course)
    show_names = request.user.role != "inspector"
    return render(
        request, "training/evaluation.html", {"course": course, "ev": ev, "show_names": show_names}
    )


@login_required
def results(request):
    access.require(request.user, VIEW_TRAINING_RESULTS)
    fy = _fy(request)
    rows = queries.results_table(request.user, fiscal_year=fy)
    if request.GET.get("format") == "xlsx":
        rules = actions.rules_for(request.user.office)
        data = exports.results_xlsx(
            rows, fiscal_year=fy, office=request.user.office, signer_name=rules.signer_name,
            signer_title=rules.signer_title, today=timezone.localdate(),
            thai_digits=_thai_digits(request, rules),
        )  # fmt: skip
        return exports.xlsx_response(data, f"training-results-{fy}.xlsx")
    totals = queries.results_total(rows)
    # The courses a page at a time: a large office runs thousands a year; the totals stay
    # the year's, and the XLSX holds every course.
    page = Paginator(rows, RESULTS_PER_PAGE).get_page(query_params.page_number(request.GET))
    context = {"rows": page, "page": page, "fy": fy, "totals": totals,
               "query": query_params.query_without(request.GET, "page"),
               "thai_digits": actions.rules_for(request.user.office).thai_digits}  # fmt: skip
    return render(request, "training/results.html", context)


SCHOOLS_PER_PAGE = 50


@login_required
def developed(request):
    access.require(request.user, VIEW_TRAINING_RESULTS)
    fy = _fy(request)
    rules = actions.rules_for(request.user.office)
    report = queries.developed_report(
        request.user, fiscal_year=fy, min_hours=rules.developed_min_hours
    )
    # The schools a page at a time: an office of 1,000 schools rendered every row (most of the
    # page's time); the office's totals, by type and by standing above stay the whole office's.
    schools = Paginator(report["school"], SCHOOLS_PER_PAGE).get_page(
        query_params.page_number(request.GET, "schools_page")
    )
    # Who a school's row counts as not yet developed, by name: opened from the row (a school
    # director's page has one row, opened at once). "office": the office's own staff.
    # Only for who may see these people by name (an inspector counts them, sees no one).
    names_shown = people_visible_to(request.user).exists()
    opened = request.GET.get("school", "")
    if len(report["school"]) == 1:
        opened = str(report["school"][0].member or "office")
    row = next((r for r in report["school"] if str(r.member or "office") == opened), None)
    missing = None
    if row and names_shown:
        missing = queries.not_developed(request.user, school_id=row.member, fiscal_year=fy,
                                        min_hours=rules.developed_min_hours)  # fmt: skip
    return render(
        request,
        "training/developed.html",
        {"report": report, "fy": fy, "rules": rules, "schools": schools,
         "schools_query": query_params.query_without(request.GET, "schools_page"),
         "school_query": query_params.query_without(request.GET, "school"),
         "opened": row, "missing": missing, "names_shown": names_shown},
    )  # fmt: skip


# ---------------------------------------------------------------- certificates


@login_required
@require_POST
def my_certificate(request, course_pk: int):
    course = access.course_for_view(request.user, course_pk)
    enrolment = access.own_enrolment_or_404(request.user, course)
    if queries.has_survey(course.office_id) and not hasattr(enrolment, "survey"):
        messages.error(request, "กรุณาตอบแบบประเมินความพึงพอใจก่อนรับเกียรติบัตร")
        return redirect("training:survey", course_pk=course.pk)
    try:
        cert = actions.issue_own_certificate(acting_user=request.user, enrolment=enrolment)
    except TrainingError as error:
        _refuse(request, error)
        return redirect("training:course_detail", pk=course.pk)
    messages.success(request, f"ออกเกียรติบัตรแล้ว รหัสตรวจสอบ {cert.code}")
    return redirect("training:course_detail", pk=course.pk)


@login_required
def certificate_pdf(request, pk: int):
    """The PDF, carrying the signed credential when the office can sign (see certificates.py)."""
    cert = access.certificate_for_download(request.user, pk)
    office = cert.enrolment.course.office if cert.enrolment else request.user.office
    try:
        token = _credential_of(cert).token
    except KeyUnavailable:
        token = ""
    data = render_pdf(
        cert,
        base=request.build_absolute_uri("/"),
        thai_digits=actions.rules_for(office).thai_digits,
        credential=token,
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{cert.code}.pdf"'
    return response


def _credential_of(cert: Certificate):
    return actions.certificate_credential(cert)


@login_required
def certificate_credential(request, pk: int):
    """The certificate's signed Open Badges 3.0 credential: ?format=json for the JSON form."""
    cert = access.certificate_for_download(request.user, pk)
    try:
        credential = _credential_of(cert)
    except KeyUnavailable as error:
        messages.error(request, str(error))
        return redirect("training:course_detail", pk=cert.enrolment.course_id)
    return credential_download(credential, request.GET.get("format", "jwt"))


@login_required
def certificates(request, course_pk: int):
    course = access.course_for_manage(request.user, course_pk)
    rows = (
        Certificate.objects.filter(enrolment__course=course)
        # The enrolment for Certificate.standing: the list says what the public page says.
        .select_related("replaces", "enrolment")
        .order_by("number", "-id")
    )
    revoked = actions.revoked_without_valid(course)
    passed_without = (
        course.enrolments.filter(actions.CERTIFIABLE)
        .exclude(certificates__status=CertificateStatus.VALID)
        .count()
    ) - len(revoked)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    flagged = list(
        Certificate.objects.filter(CERTIFICATE_UNDER_REVIEW)
        .filter(enrolment__course=course, status=CertificateStatus.VALID)
        .select_related("enrolment")
        .order_by("number")
    )
    # Since when each is under review, as the office writes dates (Thai digits if it does).
    thai_digits = actions.rules_for(course.office).thai_digits
    for cert in (*page.object_list, *flagged):
        cert.review_since = review_since(cert, thai_digits=thai_digits)
    context = {
        "course": course,
        "page": page,
        "query": "",
        "passed_without": passed_without,
        "flagged": flagged,
        "batch": course.batches.first(),
        "revoked": revoked,
        "reissuable": {c.pk for c in revoked},
        "form": RevokeForm(),
    }
    return render(request, "training/certificates.html", context)


@login_required
@require_POST
def certificate_revoke(request, pk: int):
    cert = access.certificate_for_manage(request.user, pk)
    try:
        actions.revoke_certificate(
            acting_user=request.user, certificate=cert, reason=request.POST.get("reason", "")
        )
        messages.success(request, f"เพิกถอนเกียรติบัตร {cert.code} แล้ว")
    except TrainingError as error:
        _refuse(request, error)
    return redirect("training:certificates", course_pk=cert.enrolment.course_id)


@login_required
@require_POST
def certificate_keep(request, pk: int):
    """The officer reviewed a flagged certificate and keeps it valid, with a reason."""
    cert = access.certificate_for_manage(request.user, pk)
    try:
        actions.keep_certificate(
            acting_user=request.user, certificate=cert, note=request.POST.get("note", "")
        )
        messages.success(request, f"คงเกียรติบัตร {cert.code} ไว้แล้ว (บันทึกเหตุผลไว้ในประวัติ)")
    except TrainingError as error:
        _refuse(request, error)
    return redirect("training:certificates", course_pk=cert.enrolment.course_id)


@login_required
@require_POST
def certificate_reissue(request, pk: int):
    cert = access.certificate_for_manage(request.user, pk)
    try:
        new = actions.reissue_certificate(
            acting_user=request.user, certificate=cert, reason=request.POST.get("reason", "")
        )
        messages.success(request, f"ออกเกียรติบัตรฉบับใหม่ {new.code} แทน {cert.code} แล้ว")
    except TrainingError as error:
        _refuse(request, error)
    return redirect("training:certificates", course_pk=cert.enrolment.course_id)


@login_required
@require_POST
def batch_start(request, course_pk: int):
    course = access.course_for_manage(request.user, course_pk)
    actions.start_certificate_batch(
        acting_user=request.user, course=course, base_url=request.build_absolute_uri("/")
    )
    return redirect("training:certificates", course_pk=course.pk)


@login_required
def batch_progress(request, pk: int):
    access.require(request.user, MANAGE_TRAINING)
    batch = get_object_or_404(
        CertificateBatch.objects.filter(course__office_id=request.user.office_id), pk=pk
    )
    return render(request, "training/_batch.html", {"batch": batch, "course": batch.course})


@login_required
def batch_download(request, pk: int):
    access.require(request.user, MANAGE_TRAINING)
    batch = get_object_or_404(
        CertificateBatch.objects.filter(course__office_id=request.user.office_id, status="done"),
        pk=pk,
    )
    path = actions.batch_dir() / batch.file_name
    if not batch.file_name or not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=batch.file_name)


def verify(request, code: str):
    """Public: anyone holding a certificate (or its QR) can see what was really issued, and
    the check of its signed credential (signature and revocation list) as an outside
    verifier would make it."""
    code, refused = typed_code(code)
    if refused:
        # Typed on a Thai keyboard, or symbols in the address: the lookup form's reason, not
        # "no certificate with code ฟหกด…", and nothing looked up.
        context = {"cert": None, "code": "", "typed": code, "refused": refused, **_upload_limit()}
        return render(request, "training/verify.html", context, status=404)
    # The enrolment is read with it: Certificate.standing asks whether the holder's result
    # still supports it.
    cert = Certificate.objects.filter(code=code).select_related("replaced_by", "enrolment").first()
    if cert is None:
        signature = credential_verification.verify_stored(code)
    else:
        # The standing is read once, here: the credential check is handed it rather than
        # reading the certificate again from the register.
        standing = cert.standing
        signature = credential_verification.verify_stored(
            code, held=CREDENTIAL_STANDINGS.get(standing)
        )
    if cert is None:
        # Community award certificates verify at the same address (their codes are 12
        # characters, training's 10, so the two kinds never share a code).
        award = AwardCertificate.objects.filter(code=code).first()
        if award is not None:
            return render(
                request,
                "community/award_verify.html",
                {"cert": award, "code": code, "signature": signature, **_upload_limit()},
            )
    context = {"cert": cert, "code": code, "signature": signature, **_upload_limit()}
    if cert is not None:
        context["standing"] = standing
        context["standing_label"] = CertificateStanding(standing).label
        context["review_since"] = review_since_as_office_writes(cert)
    return render(request, "training/verify.html", context, status=200 if cert else 404)


def _upload_limit() -> dict:
    return {"upload_max_mb": credential_verification.MAX_UPLOAD_BYTES // 2**20}


def verify_lookup(request):
    code, refused = typed_code(request.GET.get("code", ""))
    if code and not refused:
        return redirect("training_verify", code=code)
    context = {
        "cert": None,
        "code": "",
        "typed": code,
        "refused": refused,
        "lookup": True,
        **_upload_limit(),
    }
    return render(request, "training/verify.html", context, status=400 if refused else 200)


# ---------------------------------------------------------------- PD record


@login_required
def my_transcript(request):
    if not request.user.person_id:
        raise PermissionDenied
    url = reverse("training:transcript", args=[request.user.person_id])
    query = request.GET.copy()  # the rest of the link (format=pdf, digits=…) goes along
    query["fy"] = _fy(request)
    return redirect(f"{url}?{query.urlencode()}")


@login_required
def transcript(request, person_pk: int):
    person = get_object_or_404(
        people_visible_to(request.user).select_related("school"), pk=person_pk
    )
    fy = _fy(request)
    rules = actions.rules_for(person.office)
    record = queries.transcript(person, fiscal_year=fy, target=rules.yearly_hour_target)
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        data = exports.transcript_xlsx(
            record, signer_name=rules.signer_name, signer_title=rules.signer_title,
            today=timezone.localdate(), thai_digits=_thai_digits(request, rules),
        )  # fmt: skip
        return exports.xlsx_response(data, f"transcript-{fy}.xlsx")
    if fmt == "pdf":
        pdf = exports.transcript_pdf(
            record,
            signer_name=rules.signer_name,
            signer_title=rules.signer_title,
            today=timezone.localdate(),
            thai_digits=_thai_digits(request, rules),
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="transcript-{fy}.pdf"'
        return response
    return render(
        request,
        "training/transcript.html",
        {"t": record, "fy": fy, "thai_digits": rules.thai_digits},
    )


def _thai_digits(request, rules) -> bool:
    """Thai digits in a document: the office's setting, unless the link asks otherwise."""
    asked = request.GET.get("digits")
    return rules.thai_digits if asked not in ("thai", "arabic") else asked == "thai"


# ---------------------------------------------------------------- settings


@login_required
def training_settings(request):
    access.require(request.user, MANAGE_TRAINING)
    office = request.user.office
    rules = actions.rules_for(office)
    actions.survey_items_for(office)
    form = RulesForm(request.POST or None, instance=rules, prefix="rules")
    formset = SurveyItemFormSet(
        request.POST or None, queryset=SurveyItem.objects.filter(office=office), prefix="items"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            form.save()
            for item in formset.save(commit=False):
                item.office = office
                item.save()
        messages.success(request, "บันทึกการตั้งค่าแล้ว")
        return redirect("training:settings")
    return render(request, "training/settings.html", {"form": form, "formset": formset})


# ---------------------------------------------------------------- e-learning


@login_required
def modules_manage(request, course_pk: int):
    """Build a self-paced course: add modules and lessons, see what it still lacks, and open
    it for enrolment from here once it lacks nothing."""
    course = access.course_for_manage(request.user, course_pk)
    modules = list(course.modules.prefetch_related("lessons", "questions"))
    # The lesson form adds to the module just chosen (kept when the form is refused), else
    # to the newest: that is where an officer building the course top-down is working.
    chosen = query_params.object_id(request.POST.get("module", "")) if request.POST else 0
    target = next((m for m in modules if m.pk == chosen), modules[-1] if modules else None)
    module_form = ModuleForm(
        request.POST if "add_module" in request.POST else None,
        prefix="m",
        initial={"order": _next_order(m.order for m in modules)},
    )
    lesson_form = LessonForm(
        request.POST if "add_lesson" in request.POST else None,
        request.FILES if "add_lesson" in request.POST else None,
        prefix="l",
        initial={"order": _next_order(x.order for x in target.lessons.all()) if target else 1},
    )
    if "add_module" in request.POST and module_form.is_valid():
        module = module_form.save(commit=False)
        module.course = course
        try:
            actions.save_module(acting_user=request.user, module=module)
        except TrainingError as error:
            module_form.add_error("order", error)
        else:
            messages.success(request, f"เพิ่มหน่วยที่ {module.order} แล้ว เพิ่มบทเรียนของหน่วยนี้ต่อได้เลย")
            return redirect("training:modules_manage", course_pk=course.pk)
    if "add_lesson" in request.POST and lesson_form.is_valid():
        module = get_object_or_404(Module, pk=chosen, course=course)
        lesson = lesson_form.save(commit=False)
        lesson.module = module
        try:
            actions.save_lesson(acting_user=request.user, lesson=lesson)
        except TrainingError as error:
            lesson_form.add_error("order", error)
        else:
            messages.success(request, f"เพิ่มบทเรียน “{lesson.title}” ในหน่วยที่ {module.order} แล้ว")
            return redirect("training:modules_manage", course_pk=course.pk)
    if "open_course" in request.POST:
        course.status = CourseStatus.OPEN
        try:
            actions.save_course(acting_user=request.user, course=course)
        except TrainingError as error:
            _refuse(request, error)
            return redirect("training:modules_manage", course_pk=course.pk)
        messages.success(request, "เปิดรับสมัครแล้ว เพิ่มรุ่นเพื่อให้ผู้เรียนลงทะเบียนได้")
        if course.sessions.exists():
            return redirect("training:course_detail", pk=course.pk)
        return redirect("training:session_create", course_pk=course.pk)
    context = {
        "course": course,
        "modules": modules,
        "target": target,
        "gaps": completion.online_course_gaps(course),
        "has_final_test": course.questions.filter(module__isnull=True).exists(),
        "module_form": module_form,
        "lesson_form": lesson_form,
    }
    return render(request, "training/modules_manage.html", context)


def _next_order(orders) -> int:
    """The number a new module or lesson most likely takes: one after the last."""
    return max(orders, default=0) + 1


@login_required
def module(request, pk: int):
    module, enrolment = access.module_for_learner(request.user, pk)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise PermissionDenied
    states = actions.module_states(enrolment)
    place = next(i for i, (m, _u, _d) in enumerate(states) if m.pk == module.pk)
    _m, unlocked, module_done = states[place]
    # Where a learner goes once this module is passed: the next module, or back to the
    # course for its final test (the page must not end in a dead end).
    next_module = states[place + 1][0] if place + 1 < len(states) else None
    if not unlocked:
        messages.error(request, "ต้องเรียนหน่วยก่อนหน้าให้ผ่านก่อน")
        return redirect("training:course_detail", pk=module.course_id)
    done = set(
        enrolment.lessons_done.filter(completed_at__isnull=False).values_list(
            "lesson_id", flat=True
        )
    )
    attempts = enrolment.attempts.filter(module=module, submitted_at__isnull=False)
    context = {
        "module": module,
        "course": module.course,
        "lessons": module.lessons.all(),
        "done": done,
        "attempts": attempts,
        "left": actions.attempts_left(enrolment, TestKind.MODULE, module),
        "has_quiz": module.questions.exists(),
        "module_done": module_done,
        "next_module": next_module,
        "course_passed": enrolment.passed,
    }
    return render(request, "training/module.html", context)


def _lesson_and_enrolment(user, pk: int):
    lesson = get_object_or_404(Lesson.objects.select_related("module__course"), pk=pk)
    module, enrolment = access.module_for_learner(user, lesson.module_id)
    return lesson, enrolment


def _lesson_state(enrolment, lesson, progress) -> dict:
    """What the lesson page shows and its script updates: minutes still needed, % of the
    video watched, and what else the lesson asks before it can be marked done."""
    minutes_left = actions.lesson_minutes_needed(enrolment, progress)
    unmet = lesson_rules.unmet(enrolment.course, lesson, progress)
    return {
        "minutes_left": minutes_left,
        "watched_pct": lesson_rules.watched_pct(lesson, progress),
        "unmet": unmet,
        "ready": not minutes_left and not unmet,
    }


@login_required
def lesson(request, pk: int):
    """One lesson on its own page, so the time spent on it can be counted."""
    lesson, enrolment = _lesson_and_enrolment(request.user, pk)
    try:
        progress = actions.open_lesson(acting_user=request.user, enrolment=enrolment, lesson=lesson)
    except TrainingError as error:
        _refuse(request, error)
        return redirect("training:course_detail", pk=lesson.module.course_id)
    media = lesson_rules.media(lesson, file_url=reverse("training:lesson_file", args=[lesson.pk]))
    context = {
        "lesson": lesson,
        "module": lesson.module,
        "course": lesson.module.course,
        "progress": progress,
        "media": media,
        "reading": lesson_rules.is_reading(lesson),
        **_lesson_state(enrolment, lesson, progress),
    }
    response = render(request, "training/lesson.html", context)
    extra = lesson_rules.player_sources(media)
    if extra:  # the player's sources are allowed on this page only
        response["Content-Security-Policy"] = content_security_policy(extra)
    return response


def _posted_seconds(request, name: str) -> float | None:
    try:
        value = float(request.POST.get(name, ""))
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


@login_required
@require_POST
def lesson_time(request, pk: int):
    """The lesson page, in view, reports every 15–30 seconds (with the video's position and
    whether the text was read to the end); answers what is still needed."""
    lesson, enrolment = _lesson_and_enrolment(request.user, pk)
    try:
        progress = actions.record_lesson_time(
            acting_user=request.user,
            enrolment=enrolment,
            lesson=lesson,
            position=_posted_seconds(request, "position"),
            duration=_posted_seconds(request, "duration"),
            read_to_end=request.POST.get("read_end") == "1",
        )
    except TrainingError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=409)
    state = _lesson_state(enrolment, lesson, progress)
    if state["watched_pct"] is not None:
        state["watched_pct"] = int(state["watched_pct"])
    return JsonResponse(state)


@login_required
@require_POST
def lesson_done(request, pk: int):
    lesson, enrolment = _lesson_and_enrolment(request.user, pk)
    try:
        actions.complete_lesson(acting_user=request.user, enrolment=enrolment, lesson=lesson)
    except TrainingError as error:
        _refuse(request, error)
        return redirect("training:lesson", pk=lesson.pk)
    messages.success(request, f"บันทึกว่าเรียน “{lesson.title}” แล้ว")
    return redirect("training:module", pk=lesson.module_id)


@login_required
def lesson_file(request, pk: int):
    """A lesson's attachment, for enrolled learners and the office only (access.py)."""
    lesson = access.lesson_file_for_download(request.user, pk)
    return file_download_response(
        lesson.file, filename=safe_filename(lesson.file.name, f"lesson-{pk}")
    )
