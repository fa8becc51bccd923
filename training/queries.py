"""Reads for training pages and reports: always scoped to what the user's role may see."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.core import signing
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.roles import Role

# PLC meetings are logged in the community app (a PLC group's cycle), not as enrolments, yet
# they belong in the person's PD record. Training reads them through this one function and
# nothing else of community: community's code imports nothing of training's data (its links
# back are the lazy "training.Course" foreign key on a visit and the model-free certificate
# page layout, training.certificates.render_certificate), so no query crosses the other way
# and a change in how PLC is logged reaches the transcript and "% developed" only through here.
from community.queries import plc_hours_by_person, plc_meetings_attended
from krupd.lib import compiled_queries, thai_dates
from registry import labels
from registry.models import AcademicStanding, Person, PersonnelType

from . import stats, tallies
from .models import (
    SEAT_STATUSES,
    Attendance,
    Certificate,
    CertificateStatus,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    EnrolmentTally,
    FollowUp,
    HourType,
    Module,
    Question,
    ResultSource,
    ResultStatus,
    Session,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
    TestAttempt,
    TestKind,
    course_mode_label,
)

OFFICE_ROLES = (Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER)

CHECKIN_SALT = "training.checkin"


def own_check_in(user, token: str) -> Attendance | None:
    """The user's own attendance on the day a check-in code names, once recorded: what the
    check-in page shows after the check-in (posted, then the page opened again), so a
    refresh shows it and sends nothing. An expired code still names its day here; a forged
    one names none."""
    if not user.person_id:
        return None
    try:
        data = signing.loads(token, salt=CHECKIN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), int):
        return None
    return (
        Attendance.objects.filter(
            day_id=data["d"],
            enrolment__person_id=user.person_id,
            enrolment__status=EnrolmentStatus.ENROLLED,
        )
        .select_related("day", "enrolment__person", "enrolment__course")
        .first()
    )


# The fiscal year an enrolment's credited hours count in: the year of the session days
# attended (results.judge stores it); a result judged before that was recorded falls back
# on the course's year. Transcripts, "% developed" and the KPI dashboard all use this.
CREDIT_YEAR = Coalesce("credit_fiscal_year", "course__fiscal_year")


def credited_in(enrolments: QuerySet[Enrolment], fiscal_years) -> QuerySet[Enrolment]:
    """Passed enrolments whose hours count in one of these fiscal years, with `credit_year`."""
    years = list(fiscal_years)
    # CREDIT_YEAR in `years`, spelt so that the database can use the credit-year index: a
    # condition on the COALESCE read every enrolment row of the office's people (1.86 million
    # over four years for 100,000 people) to find a year's.
    return (
        enrolments.filter(passed=True)
        .filter(
            Q(credit_fiscal_year__in=years)
            | Q(credit_fiscal_year__isnull=True, course__fiscal_year__in=years)
        )
        .annotate(credit_year=CREDIT_YEAR)
    )


def hours_by_credit_year(
    enrolments: QuerySet[Enrolment], *fields: str, years=None, until: dt.date | None = None
) -> list[dict]:
    """The one count of passed hours per fiscal year: one row per (fields…, credit_year)
    with `hours`, each attended day's hours in that day's fiscal year (a session across
    1 October gives its days before it to the year before: Enrolment.prior_year_hours).
    `years`: only these fiscal years. `until`: as of that day (a SAR round's last day), see
    counted_by. The KPI dashboard, "% developed", the per-school summary tables and their
    nightly verify, PLC hours, transcripts and the SAR all count this."""
    if years is None:
        last = enrolments.filter(passed=True).annotate(credit_year=CREDIT_YEAR)
        before = last.filter(prior_year_hours__gt=0)
    else:
        years = list(years)
        last = credited_in(enrolments, years)
        before = credited_in(enrolments.filter(prior_year_hours__gt=0), [y + 1 for y in years])
    if until is not None:
        last = last.filter(counted_by(until, back=0))
        before = before.filter(counted_by(until, back=1))
    merged: dict[tuple, dict] = {}
    parts = (
        (last, Sum(F("hours_credited") - F("prior_year_hours")), 0),
        (before, Sum("prior_year_hours"), 1),
    )
    for rows, total, back in parts:
        for r in rows.order_by().values(*fields, "credit_year").annotate(hours=total):
            r["credit_year"] -= back
            key = (*(r[f] for f in fields), r["credit_year"])
            row = merged.setdefault(key, {**r, "hours": Decimal("0")})
            row["hours"] += r["hours"] or 0
    return list(merged.values())


def counted_by(until: dt.date, *, back: int = 0) -> Q:
    """Passed enrolments (annotated with `credit_year`) whose hours of the fiscal year
    credit_year − back count as of `until`: those met by then (completed, or without a
    completion day, their session ended), and every one credited to a fiscal year that has
    ended by then. A year's figure at its last day is the year's own: a session of 28 Sep –
    2 Oct passed on 1 October, or a September session whose post-test was taken in October,
    still counts its September hours in the year that ends on 30 September, as the
    dashboard, "% developed" and the transcript count them (counted by the day each result
    was met, the SAR's second round left them out of the year they are credited to)."""
    met = Q(completed_on__lte=until) | Q(completed_on__isnull=True, session__end_date__lte=until)
    year = thai_dates.fiscal_year(until)
    ended = year if until >= thai_dates.fiscal_year_end(year) else year - 1
    return met | Q(credit_year__lte=ended + back)


def courses_visible_to(user) -> QuerySet[Course]:
    """Every role sees its office's courses; drafts only the office staff who write them."""
    if not user.is_authenticated or not user.office_id:
        return Course.objects.none()
    courses = Course.objects.filter(office_id=user.office_id)
    if user.role not in OFFICE_ROLES:
        courses = courses.exclude(status=CourseStatus.DRAFT)
    return courses


# Roles that see the office's enrolments by name; any other sees people (_people_seen_by).
NAMES_OFFICE_ENROLMENTS = (*OFFICE_ROLES, Role.SUPERVISOR)
# Roles whose counts cover the office's enrolments: inspectors count them without names.
COUNTS_OFFICE_ENROLMENTS = (*NAMES_OFFICE_ENROLMENTS, Role.INSPECTOR)


def enrolments_visible_to(user) -> QuerySet[Enrolment]:
    """Named enrolments: the office and supervisors all, a director their school, a teacher
    their own; inspectors see aggregates only."""
    rows = Enrolment.objects.all()
    if user.role in NAMES_OFFICE_ENROLMENTS:
        return rows.filter(course__office_id=user.office_id)
    people = _people_seen_by(user)
    return rows.filter(people) if people is not None else rows.none()


def follow_ups_to_confirm(user) -> QuerySet[Enrolment]:
    """Follow-up reports the user may confirm and nobody has yet: in their scope, not their
    own (access.follow_up_for_confirm refuses those), oldest report first."""
    rows = enrolments_visible_to(user).filter(
        follow_up__isnull=False, follow_up__confirmed_at__isnull=True
    )
    if user.person_id:
        rows = rows.exclude(person_id=user.person_id)
    return rows.order_by("follow_up__submitted_at", "pk")


def _people_seen_by(user, prefix: str = "person__") -> Q | None:
    """Whose enrolments a role limited to people sees: a director their school's people and
    their own, anyone else only their own (None: nobody). `prefix` leads from the rows
    filtered to the person; "" filters people themselves."""
    own = Q(**{f"{prefix}pk": user.person_id}) if user.person_id else None
    if user.role == Role.SCHOOL_DIRECTOR and user.school_id:
        school = Q(**{f"{prefix}school_id": user.school_id})
        return school | own if own else school
    return own


def enrolments_counted_for(user) -> QuerySet[Enrolment]:
    """What aggregates cover: inspectors count the whole office without seeing names."""
    if user.role == Role.INSPECTOR:
        return Enrolment.objects.filter(course__office_id=user.office_id)
    return enrolments_visible_to(user)


def enrolments_counted_in_year(user, *, fiscal_year: int) -> QuerySet[Enrolment]:
    """`enrolments_counted_for` the user, of the courses of one fiscal year.

    A role that counts the whole office's enrolments is answered from the year's courses. One
    that counts a school's people (or only its own) is answered from those people through the
    person index, the course's year checked per enrolment: asked as one join, SQLite (which
    keeps no planner statistics) started from every course of the year and looked up each
    enrolment's person, 5.8 s CPU for a director of 463 people in a 100,000-person office's
    year of 7,751 courses; from the people it reads their 8,500 enrolments, 0.05 s."""
    if user.role in COUNTS_OFFICE_ENROLMENTS:
        return enrolments_counted_for(user).filter(course__fiscal_year=fiscal_year)
    people = _people_seen_by(user, prefix="")
    if people is None:
        return Enrolment.objects.none()
    of_year = Exists(Course.objects.filter(pk=OuterRef("course_id"), fiscal_year=fiscal_year))
    return Enrolment.objects.filter(person__in=Person.objects.filter(people).values("pk")).filter(
        of_year
    )


def people_counted_for(user) -> QuerySet[Person]:
    people = Person.objects.filter(status="active")
    if user.role == Role.SCHOOL_DIRECTOR:
        return people.filter(school_id=user.school_id) if user.school_id else people.none()
    if user.role == Role.TEACHER:
        return people.filter(pk=user.person_id) if user.person_id else people.none()
    return people.filter(office_id=user.office_id)


def course_is_finished(today) -> Q:
    """Finished courses: marked so, or every session has ended. The rest (open, upcoming,
    under way, or without a session yet) are current."""
    from django.db.models import Exists, OuterRef

    from .models import Session

    sessions = Session.objects.filter(course_id=OuterRef("pk"))
    return Q(status=CourseStatus.FINISHED) | (
        Exists(sessions) & ~Exists(sessions.filter(end_date__gte=today))
    )


def course_list(
    user, *, fiscal_year: int | None, q: str = "", finished: bool | None = None, today=None
) -> QuerySet[Course]:
    courses = _courses_found(user, fiscal_year=fiscal_year, q=q)
    if finished is not None:
        ended = course_is_finished(today)
        courses = courses.filter(ended) if finished else courses.exclude(ended)
    return courses.order_by("-fiscal_year", "title", "id")


def course_page(
    user, *, fiscal_year: int | None, q: str = "", finished: bool, today
) -> QuerySet[Course] | compiled_queries.KeptPages:
    """course_list for the course list's paginator: as opened (no search), read by SQL
    compiled once per role, year, tab and day, the office swapped in (a page's LIMIT and
    OFFSET are parameters: compiled_queries.KeptPages)."""
    if q or not user.is_authenticated or not user.office_id:
        return course_list(user, fiscal_year=fiscal_year, q=q, finished=finished, today=today)

    def build(office_id: int):
        scope = SimpleNamespace(is_authenticated=True, office_id=office_id, role=user.role)
        return course_list(scope, fiscal_year=fiscal_year, finished=finished, today=today)

    return compiled_queries.KeptPages(
        ("training.course_page", user.role, fiscal_year, finished, today),
        build,
        user.office_id,
        using=compiled_queries.reading(Course),
    )


def with_seat_counts(courses: list[Course]) -> list[Course]:
    """Set `enrolled`, `pending`, `taken`, `waiting` and `seats` (the sessions' capacities
    summed) on each course given, two queries per 500 courses. `taken` is the seats held,
    enrolled or awaiting approval, as the course page counts its free seats: a list showing
    the enrolled only said 0/30 of a course whose 30 seats were all held by requests.
    Counted for the courses shown, not in the list's query: joining every course of an
    office's year to its enrolments and sessions took seconds."""
    by_status, seats = _seat_counts([course.pk for course in courses])
    for course in courses:
        counts = by_status.get(course.pk, {})
        course.enrolled = counts.get(EnrolmentStatus.ENROLLED, 0)
        course.pending = counts.get(EnrolmentStatus.PENDING, 0)
        course.taken = course.enrolled + course.pending
        course.waiting = counts.get(EnrolmentStatus.WAITLISTED, 0)
        course.seats = seats.get(course.pk)
    return courses


def _seat_counts(
    course_ids: list[int] | QuerySet[Course],
) -> tuple[dict[int, dict[str, int]], dict[int, int]]:
    """Per course id: its enrolled and waitlisted people by status, and its seats. The ids a
    list (a page's courses: read by SQL kept per length, compiled_queries.rows_for_ids) or a
    query of them (a whole list: Django prepares each id of a list one by one, half a second
    for a large office's 7,751 of a year)."""
    by_status: dict[int, dict[str, int]] = defaultdict(dict)
    seats: dict[int, int] = {}
    if isinstance(course_ids, QuerySet):
        status_rows = list(_enrolments_by_status(course_ids.values("pk")))
        seats.update(_seats_of(course_ids.values("pk")))
    else:
        status_rows, seat_rows = [], []
        for start in range(0, len(course_ids), 500):
            ids = course_ids[start : start + 500]
            status_rows += compiled_queries.rows_for_ids(
                "training.enrolments_by_status", _enrolments_by_status, ids,
                using=compiled_queries.reading(Enrolment),
            )  # fmt: skip
            seat_rows += compiled_queries.rows_for_ids(
                "training.seats_of", _seats_of, ids, using=compiled_queries.reading(Session)
            )
        seats.update(seat_rows)
    for course_id, status, n in status_rows:
        by_status[course_id][status] = n
    return by_status, seats


def _enrolments_by_status(course_ids) -> QuerySet:
    """(course id, status, people) of the people enrolled, awaiting approval and waitlisted
    in these courses."""
    return (
        Enrolment.objects.filter(course_id__in=course_ids)
        .filter(status__in=(*SEAT_STATUSES, EnrolmentStatus.WAITLISTED))
        .values("course_id", "status")
        .annotate(n=Count("id"))
        .values_list("course_id", "status", "n")
    )


def _seats_of(course_ids) -> QuerySet:
    """(course id, seats: its sessions' capacities summed) of these courses."""
    return (
        Session.objects.filter(course_id__in=course_ids)
        .values("course_id")
        .annotate(s=Sum("capacity"))
        .values_list("course_id", "s")
    )


COURSE_SUMMARY_FIELDS = ("id", "title", "mode", "hours", "fiscal_year", "status")


def course_summaries(user, *, fiscal_year: int | None) -> list[dict]:
    """The courses of `course_list` as plain rows, each with its enrolled people and seats:
    the fields named in COURSE_SUMMARY_FIELDS, "enrolled" and "seats". A large office runs
    thousands of courses a year (7,751 for 100,000 people): whole course objects cost more to
    build than the rows."""
    courses = course_list(user, fiscal_year=fiscal_year)
    rows = [
        dict(zip(COURSE_SUMMARY_FIELDS, values, strict=True))
        for values in courses.values_list(*COURSE_SUMMARY_FIELDS)
    ]
    by_status, seats = _seat_counts(courses)
    for row in rows:
        row["enrolled"] = by_status.get(row["id"], {}).get(EnrolmentStatus.ENROLLED, 0)
        row["seats"] = seats.get(row["id"])
    return rows


def _courses_found(user, *, fiscal_year: int | None, q: str) -> QuerySet[Course]:
    courses = courses_visible_to(user)
    if fiscal_year:
        courses = courses.filter(fiscal_year=fiscal_year)
    if q:
        courses = courses.filter(Q(title__icontains=q) | Q(competencies__icontains=q))
    return courses


def course_list_counts(user, *, fiscal_year: int | None, q: str = "", today=None) -> dict:
    """How many courses each tab of the course list holds, {"current": n, "finished": n}, in
    one query (a count per tab was two). Without a search (the list as opened) its SQL is
    compiled once per role, year and day, the office swapped in: one office's courses form
    one group, and an office with none gives no row."""
    if q or not user.is_authenticated or not user.office_id:
        counts = _courses_found(user, fiscal_year=fiscal_year, q=q).aggregate(
            total=Count("pk"), finished=Count("pk", filter=course_is_finished(today))
        )
        total, finished = counts["total"], counts["finished"]
    else:

        def build(office_id: int):
            scope = SimpleNamespace(is_authenticated=True, office_id=office_id, role=user.role)
            return (
                _courses_found(scope, fiscal_year=fiscal_year, q="")
                .values("office_id")
                .annotate(total=Count("pk"), finished=Count("pk", filter=course_is_finished(today)))
                .values_list("total", "finished")
            )

        rows = compiled_queries.rows_for(
            ("training.course_list_counts", user.role, fiscal_year, today),
            build,
            user.office_id,
            using=compiled_queries.reading(Course),
        )
        total, finished = rows[0] if rows else (0, 0)
    return {"current": total - finished, "finished": finished}


def sessions_of(course: Course) -> list[Session]:
    """The course's sessions in their order (every course page: compiled once)."""
    return compiled_queries.objects_for(
        "training.sessions_of",
        lambda course_id: Session.objects.filter(course_id=course_id),
        course.pk,
        using=compiled_queries.reading(Session),
    )


def modules_of(course: Course) -> list[Module]:
    """The course's modules in their order (every e-learning page: compiled once)."""
    return compiled_queries.objects_for(
        "training.modules_of",
        lambda course_id: Module.objects.filter(course_id=course_id),
        course.pk,
        using=compiled_queries.reading(Module),
    )


def certificate_standing(enrolment: Enrolment) -> tuple[Certificate | None, Certificate | None]:
    """(the participant's valid certificate of this enrolment, the first issued; the last
    revoked one when there is no valid one), from one statement compiled once: every learner's
    course page asks."""
    certificates = compiled_queries.objects_for(
        "training.certificate_standing",
        lambda enrolment_id: Certificate.objects.filter(
            enrolment_id=enrolment_id,
            status__in=(CertificateStatus.VALID, CertificateStatus.REVOKED),
        ).order_by("pk"),
        enrolment.pk,
        using=compiled_queries.reading(Certificate),
    )
    valid = next((c for c in certificates if c.status == CertificateStatus.VALID), None)
    if valid is not None:
        return valid, None
    revoked = [c for c in certificates if c.status == CertificateStatus.REVOKED]
    # The last revoked (one revoked without a time, which the actions never leave, counts
    # as the earliest).
    last = max(revoked, key=lambda c: (c.revoked_at is not None, c.revoked_at or 0, c.pk),
               default=None)  # fmt: skip
    return None, last


def has_final_test_questions(course: Course) -> bool:
    """Whether the course's pre/post test has questions to take online (compiled once)."""
    rows = compiled_queries.rows_for(
        "training.has_final_test_questions",
        lambda course_id: Question.objects.filter(
            course_id=course_id, module__isnull=True
        ).values_list("pk")[:1],
        course.pk,
        using=compiled_queries.reading(Question),
    )
    return bool(rows)


def other_fiscal_year_note(session: Session) -> str:
    """What an officer should know when a session starts outside its course's fiscal year:
    the results table lists the course under the year typed on it, while its hours count in
    the fiscal year of the days attended. Held early in the next year (a budget carried
    over) it is allowed; said, so that the two reports do not seem to disagree. "" when the
    session starts in the course's year."""
    held_in = thai_dates.fiscal_year(session.start_date)
    course = session.course
    if held_in == course.fiscal_year:
        return ""
    return (
        f"รุ่นนี้เริ่มวันที่ {thai_dates.format_thai_date(session.start_date)} ซึ่งอยู่ในปีงบประมาณ "
        f"{held_in} แต่หลักสูตรบันทึกไว้ในปีงบประมาณ {course.fiscal_year}: ตารางสรุปผลการพัฒนา"
        f"แสดงหลักสูตรในปี {course.fiscal_year} ส่วนชั่วโมงการพัฒนานับในปีงบประมาณของวันที่เข้าร่วม"
        " หากพิมพ์ปีงบประมาณของหลักสูตรผิด แก้ได้ที่หน้าแก้ไขหลักสูตร"
    )


def has_survey(office_id: int) -> bool:
    """Whether the office's learners answer a satisfaction survey: it has active items, or
    none at all yet (actions.survey_items_for then gives them the standard items). Every
    learner's course page asks: one statement compiled once, nothing written by a read."""
    rows = compiled_queries.rows_for(
        "training.has_survey",
        lambda office_id: (
            SurveyItem.objects.filter(office_id=office_id)
            .order_by("-active")
            .values_list("active")[:1]
        ),
        office_id,
        using=compiled_queries.reading(SurveyItem),
    )
    return not rows or bool(rows[0][0])


def seats_by_session(course: Course) -> dict[int, dict[str, int]]:
    """{session id: {status: enrolments}} of a course (every course page asks: its SQL is
    compiled once, the course swapped in)."""
    rows = compiled_queries.rows_for(
        "training.seats_by_session",
        lambda course_id: (
            Enrolment.objects.filter(course_id=course_id)
            .values("session_id", "status")
            .annotate(n=Count("id"))
            .values_list("session_id", "status", "n")
        ),
        course.pk,
        using=compiled_queries.reading(Enrolment),
    )
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for session_id, status, n in rows:
        out[session_id][status] = n
    return out


# ---------------------------------------------------------------- results (the SAR)


@dataclass(frozen=True)
class CourseBrief:
    """What a results table shows of a course. Plain values, not a model instance: a large
    office has ~7,750 courses a year, and building each as a Course cost a quarter of the
    results page's time."""

    pk: int
    title: str
    mode: str
    hours: Decimal

    @property
    def mode_label(self) -> str:
        return course_mode_label(self.mode)


@dataclass
class ResultRow:
    """One course of the results table. Participants, passed and % cover finished sessions
    only (the last day is over); people in sessions still running are counted apart."""

    number: int
    course: CourseBrief | None
    participants: int
    passed: int
    hours: Decimal | None
    satisfaction: float | None
    # Of the participants, those whose result is still open (a post-test window, a
    # follow-up to confirm): they are not yet in the denominator of the %.
    pending: int = 0
    open_participants: int = 0
    open_sessions: int = 0

    @property
    def decided(self) -> int:
        return self.participants - self.pending

    @property
    def pct(self) -> float | None:
        return pass_pct(self.passed, self.participants, self.pending)

    @property
    def satisfaction_band(self) -> str:
        return stats.likert_band(self.satisfaction)


def pass_pct(passed: int, participants: int, pending: int = 0) -> float | None:
    """Passed, as a share of the participants of finished sessions whose result is decided
    (passed or not passed): the one pass rate of every results table and report."""
    decided = participants - pending
    return passed * 100 / decided if decided else None


def pass_pct_text(passed: int, participants: int, pending: int = 0) -> str:
    """pass_pct as a document's "ร้อยละ" cell writes it where no column gives the pending
    results: "100.00 (ไม่รวมผู้รอผล 5 คน)", so 5 passed of 10 at 100 % adds up by hand."""
    from krupd.lib.numerals import format_percent

    text = format_percent(pass_pct(passed, participants, pending))
    return f"{text} (ไม่รวมผู้รอผล {pending:,} คน)" if pending else text


def course_result_counts(today=None) -> dict:
    """Annotations for a Course queryset with the results table's rule: participants, passed
    and still-pending results in finished sessions only (reports outside training use it,
    so every results table in the system counts the same people).

    Summed from the stored per-session counts (training.tallies) in a subquery per figure: a
    join to the enrolments counted a 100,000-person office's 465,000 of a year (0.7 s), and
    sums over a join would multiply with the other relations these reports annotate."""
    today = today or timezone.localdate()

    def ended(count: str):
        rows = (
            EnrolmentTally.objects.filter(course=OuterRef("pk"), session__end_date__lt=today)
            .order_by()
            .values("course")
            .annotate(total=Sum(count))
            .values("total")
        )
        return Coalesce(Subquery(rows), 0)

    return {"participants": ended("enrolled"), "passed": ended("passed"),
            "pending": ended("pending")}  # fmt: skip


def results_total(rows: list[ResultRow]) -> ResultRow:
    """The "รวม" row of the results table (pages, XLSX and DOCX use this one sum)."""
    return ResultRow(
        number=0,
        course=None,
        participants=sum(r.participants for r in rows),
        passed=sum(r.passed for r in rows),
        hours=None,
        satisfaction=None,
        pending=sum(r.pending for r in rows),
        open_participants=sum(r.open_participants for r in rows),
        open_sessions=sum(r.open_sessions for r in rows),
    )


def results_table(
    user, *, fiscal_year: int, today=None, satisfaction: bool = True
) -> list[ResultRow]:
    """Course, participants, passed, % (the SAR item 4), plus hours and satisfaction.
    Finished sessions only; open sessions and their people are shown separately.

    satisfaction=False leaves the survey means out (None) for documents that show none: a
    query of its own over the survey answers (0.1 s for a large office's year)."""
    today = today or timezone.localdate()
    counted = enrolments_counted_in_year(user, fiscal_year=fiscal_year).filter(
        status=EnrolmentStatus.ENROLLED
    )
    per_course = _enrolments_by_course(
        _enrolled_per_session(user, counted, fiscal_year=fiscal_year),
        office_id=user.office_id, fiscal_year=fiscal_year, today=today,
    )  # fmt: skip
    open_sessions = dict(
        Session.objects.filter(
            course__office_id=user.office_id, course__fiscal_year=fiscal_year,
            end_date__gte=today,
        )
        .values_list("course_id")
        .annotate(n=Count("id"))
    )  # fmt: skip
    means = _satisfaction_by_course(counted) if satisfaction else {}
    courses = (
        courses_visible_to(user)
        .filter(fiscal_year=fiscal_year)
        .exclude(status="draft")
        .order_by("id")
        .values_list("id", "title", "mode", "hours")
    )
    rows = []
    for number, values in enumerate(courses, start=1):
        course = CourseBrief(*values)
        counts = per_course.get(course.pk, {})
        rows.append(
            ResultRow(
                number=number,
                course=course,
                participants=counts.get("participants", 0),
                passed=counts.get("passed", 0),
                hours=course.hours,
                satisfaction=float(means[course.pk]) if course.pk in means else None,
                pending=counts.get("pending", 0),
                open_participants=counts.get("open_participants", 0),
                open_sessions=open_sessions.get(course.pk, 0),
            )
        )
    return rows


def _enrolled_per_session(user, counted, *, fiscal_year: int):
    """(course id, session id, enrolled, passed, pending) of the counted enrolments. A role
    that counts the office's whole year reads the stored tallies (training.tallies: one row
    per session, where counting the enrolments took a second for a 100,000-person office's
    465,000); one that counts some people counts their few thousand enrolments."""
    if user.role in COUNTS_OFFICE_ENROLMENTS:
        return tallies.per_session(user.office_id, fiscal_year)
    return (
        counted.order_by()
        .values_list("course_id", "session_id")
        .annotate(
            n=Count("id"),
            passed=Count("id", filter=Q(passed=True)),
            pending=Count("id", filter=Q(result=ResultStatus.PENDING)),
        )
    )


def _enrolments_by_course(per_session, *, office_id, fiscal_year: int, today) -> dict[int, dict]:
    """Per course: participants, passed and pending of its finished sessions, and the people
    of its sessions still running, from the counts per (course, session). The sessions' end
    dates are applied here: counting per session first lets the enrolment index (course,
    status, session, passed, result) or the stored tallies answer without joining every
    enrolment to its session (4 s for a 100,000-person office's 465,000 of a year)."""
    ended = set(
        Session.objects.filter(
            course__office_id=office_id, course__fiscal_year=fiscal_year, end_date__lt=today
        ).values_list("id", flat=True)
    )
    per_course: dict[int, dict] = {}
    for course_id, session_id, n, passed, pending in per_session:
        counts = per_course.setdefault(
            course_id, {"participants": 0, "passed": 0, "pending": 0, "open_participants": 0}
        )
        if session_id in ended:
            counts["participants"] += n
            counts["passed"] += passed
            counts["pending"] += pending
        else:
            counts["open_participants"] += n
    return per_course


def _satisfaction_by_course(counted) -> dict[int, Decimal]:
    """The mean survey score per course over the counted enrolments' answers. Read from the
    enrolments outwards: answers filtered by "enrolment in (…)" made SQLite fetch every
    enrolment row by id, 3.8 s for a large office's year even with no answers at all."""
    per_course = (
        counted.filter(survey__answers__score__isnull=False)
        .order_by()
        .values_list("course_id")
        .annotate(m=Avg("survey__answers__score"))
    )
    return dict(per_course)


# ---------------------------------------------------------------- evaluation of one course


@dataclass
class PersonScore:
    enrolment: Enrolment
    pre: float | None
    post: float | None

    @property
    def gain(self) -> float | None:
        return None if self.pre is None or self.post is None else self.post - self.pre

    @property
    def normalized_gain(self) -> float | None:
        if self.pre is None or self.post is None:
            return None
        return stats.normalized_gain(self.pre, self.post)


@dataclass
class ItemResult:
    text: str
    n: int
    mean: float | None
    sd: float | None

    @property
    def band(self) -> str:
        return stats.likert_band(self.mean)


@dataclass
class Evaluation:
    people: list[PersonScore]
    participants: int
    passed: int
    pre_mean: float | None = None
    pre_sd: float | None = None
    post_mean: float | None = None
    post_sd: float | None = None
    t_test: stats.PairedT | None = None
    class_gain: float | None = None
    mean_individual_gain: float | None = None
    items: list[ItemResult] = field(default_factory=list)
    overall_mean: float | None = None
    overall_sd: float | None = None
    responses: int = 0
    comments: list[str] = field(default_factory=list)
    follow_ups: int = 0
    follow_ups_confirmed: int = 0
    # Of the participants and those who passed, the ones in sessions that have ended: the
    # figures the results table shows for the course (it counts finished sessions only).
    finished_participants: int = 0
    finished_passed: int = 0

    @property
    def open_participants(self) -> int:
        return self.participants - self.finished_participants

    @property
    def overall_band(self) -> str:
        return stats.likert_band(self.overall_mean)

    @property
    def gain_band(self) -> str:
        return stats.gain_band(self.class_gain)


def evaluate_course(user, course: Course) -> Evaluation:
    """Pre/post statistics on people who sat both tests; survey means with Thai bands."""
    enrolments = list(
        enrolments_counted_for(user)
        .filter(course=course, status=EnrolmentStatus.ENROLLED)
        # Each one's survey response with it: the responses and comments below read it for
        # every participant, one query each before.
        .select_related("person__school", "survey", "session")
        .order_by("person__first_name", "id")
    )
    people = [
        PersonScore(
            enrolment=e,
            pre=float(e.pre_score_pct) if e.pre_score_pct is not None else None,
            post=float(e.post_score_pct) if e.post_score_pct is not None else None,
        )
        for e in enrolments
    ]
    today = timezone.localdate()
    finished = [e for e in enrolments if e.session.end_date < today]
    ev = Evaluation(
        people=people, participants=len(enrolments), passed=sum(e.passed for e in enrolments),
        finished_participants=len(finished), finished_passed=sum(e.passed for e in finished),
    )  # fmt: skip
    paired = [p for p in people if p.pre is not None and p.post is not None]
    pre, post = [p.pre for p in paired], [p.post for p in paired]
    ev.pre_mean, ev.pre_sd = stats.mean(pre), stats.sd(pre)
    ev.post_mean, ev.post_sd = stats.mean(post), stats.sd(post)
    ev.t_test = stats.paired_t_test(pre, post)
    ev.class_gain = stats.class_normalized_gain(pre, post)
    gains = [p.normalized_gain for p in paired if p.normalized_gain is not None]
    ev.mean_individual_gain = stats.mean(gains)
    answers = SurveyAnswer.objects.filter(response__enrolment__in=enrolments).select_related("item")
    by_item: dict[int, list[int]] = defaultdict(list)
    texts: dict[int, tuple[int, str]] = {}
    all_scores: list[int] = []
    for answer in answers:
        by_item[answer.item_id].append(answer.score)
        texts[answer.item_id] = (answer.item.order, answer.item.text)
        all_scores.append(answer.score)
    for item_id in sorted(by_item, key=lambda i: texts[i]):
        scores = by_item[item_id]
        ev.items.append(
            ItemResult(texts[item_id][1], len(scores), stats.mean(scores), stats.sd(scores))
        )
    ev.overall_mean, ev.overall_sd = stats.mean(all_scores), stats.sd(all_scores)
    responses = [e for e in enrolments if hasattr(e, "survey")]
    ev.responses = len(responses)
    ev.comments = [e.survey.comment for e in responses if e.survey.comment]
    follow = FollowUp.objects.filter(enrolment__in=enrolments)
    ev.follow_ups = follow.count()
    ev.follow_ups_confirmed = follow.filter(confirmed_at__isnull=False).count()
    return ev


# ---------------------------------------------------------------- a person's PD record


@dataclass
class Transcript:
    person: Person  # with workplace_label set (registry.labels.with_workplace_label)
    fiscal_year: int
    enrolments: list[Enrolment]
    hours_by_type: dict[str, Decimal]
    certificates: list[Certificate]
    target: Decimal
    # The part of hours_by_type["plc"] that comes from PLC meetings logged in community (the
    # rest is PLC-mode courses); already inside hours_by_type, never added to the total again.
    plc_logged_hours: Decimal = Decimal("0")
    # Those meetings, each a line of the record after the courses: the lines' hours add up to
    # total_hours (the record listed courses only, and its lines fell short of its total).
    plc_meetings: list = field(default_factory=list)

    @property
    def line_count(self) -> int:
        return len(self.enrolments) + len(self.plc_meetings)

    @property
    def total_hours(self) -> Decimal:
        return sum(self.hours_by_type.values(), Decimal("0"))

    @property
    def target_pct(self) -> float | None:
        return float(self.total_hours * 100 / self.target) if self.target else None

    @property
    def met_target(self) -> bool:
        return self.total_hours >= self.target


def transcript(person: Person, *, fiscal_year: int, target: Decimal) -> Transcript:
    enrolments = list(
        Enrolment.objects.filter(person=person)
        .alias(credit_year=CREDIT_YEAR)
        .filter(
            Q(credit_year=fiscal_year, passed=True)
            # a session across 1 October: its days before it count in this year too
            | Q(credit_year=fiscal_year + 1, passed=True, prior_year_hours__gt=0)
            | Q(course__fiscal_year=fiscal_year, passed=False)
        )
        .exclude(status__in=[EnrolmentStatus.CANCELLED, EnrolmentStatus.REJECTED])
        .select_related("course", "session")
        .order_by("session__start_date", "id")
    )
    hours = {t: Decimal("0") for t in HourType.values}
    for e in enrolments:
        e.hours_in_year = e.hours_in(fiscal_year)  # the line's hours, as the totals add up
        if e.passed:
            hours[e.course.hour_type] += e.hours_in_year
    # PLC hours come from two disjoint sets of rows: passed enrolments in PLC-mode courses
    # (added just above) and attended PLC meetings; each row counts once, both under "plc".
    # The meetings are read as the lines they are printed as; their sum is the logged hours
    # (the same meetings plc_hours_by_person counts for "% developed").
    meetings = plc_meetings_attended(person.pk, fiscal_year=fiscal_year)
    logged = sum((m.hours for m in meetings), Decimal("0"))
    hours[HourType.PLC] += logged
    certificates = list(valid_certificates(person.pk, fiscal_year))
    # The record names a namesake school with its OBEC code, as the office's lists do.
    labels.with_workplace_label(person)
    return Transcript(
        person, fiscal_year, enrolments, hours, certificates, target, logged, meetings
    )


# ---------------------------------------------------------------- office: % developed


@dataclass
class DevelopedRow:
    label: str
    total: int
    developed: int
    # The group's record (a school's id, None: the office's own staff) where a row of names
    # opens from it (the schools' rows).
    member: object = None

    @property
    def pct(self) -> float | None:
        return self.developed * 100 / self.total if self.total else None


def developed_report(
    user, *, fiscal_year: int, min_hours: Decimal
) -> dict[str, list[DevelopedRow]]:
    """Share of active personnel with at least `min_hours` development hours in the fiscal
    year (passed courses, PLC-mode ones included, plus PLC meetings logged in community), by
    school, personnel type and academic standing (feeds the KPI dashboard: the plan "≥ 80 %
    developed", the targets' 100 / 90 / 90 % targets)."""
    people = people_counted_for(user)
    tally = _developed_tally(user, people, fiscal_year=fiscal_year, min_hours=min_hours)
    # Each group is keyed by its record (school id, type, standing id), never by its name:
    # an office has several schools called "บ้านหนองบัว", and each is a row of its own,
    # named with its OBEC code (registry.labels).
    groups: dict[str, dict[object, list[int]]] = {"total": {}, "school": {}, "type": {},
                                                   "standing": {}}  # fmt: skip
    for (school_id, ptype, standing_id, developed), n in tally.items():
        for key, member in (("total", None), ("school", school_id), ("type", ptype),
                            ("standing", standing_id)):  # fmt: skip
            counts = groups[key].setdefault(member, [0, 0])
            counts[0] += n
            counts[1] += n if developed else 0
    type_labels = dict(PersonnelType.choices)
    school_labels = labels.school_labels(groups["school"])
    standings = {
        pk: (rank, name)
        for pk, name, rank in AcademicStanding.objects.filter(
            pk__in={a for a in groups["standing"] if a is not None}
        ).values_list("pk", "name", "rank")
    }
    standings[None] = (len(standings) + 100, NO_STANDING_LABEL)  # after every rung
    # (order, label) of each group's member: schools and types by their label, standings by
    # their rung; the id last, so that rows of one label keep one order.
    shown = {
        "total": lambda _member: (("",), "ทั้งหมด"),
        "school": lambda pk: ((school_labels[pk], pk or 0), school_labels[pk]),
        "type": lambda ptype: ((type_labels.get(ptype, ptype),), type_labels.get(ptype, ptype)),
        "standing": lambda pk: ((standings[pk][0], pk or 0), standings[pk][1]),
    }
    report = {}
    for key, values in groups.items():
        rows = sorted(
            ((*shown[key](member), t, d, member) for member, (t, d) in values.items()),
            key=lambda row: row[:2],
        )
        report[key] = [DevelopedRow(label, t, d, member) for _order, label, t, d, member in rows]
    return report


# People without a วิทยฐานะ on record (support staff, a standing not yet entered): not the
# rung called "ไม่มีวิทยฐานะ" (k1), which has a row of its own.
NO_STANDING_LABEL = "ไม่ระบุวิทยฐานะ"


def _developed_tally(user, people, *, fiscal_year: int, min_hours: Decimal) -> Counter:
    """(school id, personnel type, academic standing id, developed) → people. Read from each
    person's stored hours of the year (reporting.developed.PersonHours) once the office's are
    built: a count from the records read the year's enrolment rows of every person of the
    office (1.7 s of SQL for 100,000 people)."""
    from reporting import developed

    if not user.office_id or not developed.people_built(user.office_id):
        return counted_developed_tally(people, fiscal_year=fiscal_year, min_hours=min_hours)
    tally: Counter = Counter()
    for group, (n, done) in developed.developed_people(people, fiscal_year, min_hours).items():
        tally[*group, True] = done
        tally[*group, False] = n - done
    return +tally  # without the empty groups, as the count from the records


def development_hours(people, *, fiscal_year: int) -> dict[int, Decimal]:
    """{person id: development hours of the fiscal year} for these people (those with any):
    their passed courses' hours plus the PLC meetings they attended, as "% developed" counts."""
    hours = {
        r["person_id"]: r["hours"]
        for r in hours_by_credit_year(
            Enrolment.objects.filter(person__in=people), "person_id", years=[fiscal_year]
        )
    }
    for pk, h in plc_hours_by_person(people, fiscal_year=fiscal_year).items():
        hours[pk] = hours.get(pk, Decimal("0")) + h
    return hours


@dataclass
class NotDeveloped:
    person: Person
    hours: Decimal


def not_developed(
    user, *, school_id: int | None, fiscal_year: int, min_hours: Decimal
) -> list[NotDeveloped]:
    """Who one school's row of "% developed" counts as not yet developed (school_id None: the
    office's own staff), by name, with their hours of the year so far: the people the row
    counts that the viewer may also see by name (an inspector counts them, sees no one)."""
    from registry.queries import people_visible_to

    people = people_counted_for(user).filter(pk__in=people_visible_to(user).values("pk"))
    people = people.filter(school_id=school_id) if school_id else people.filter(school__isnull=True)
    hours = development_hours(people, fiscal_year=fiscal_year)
    return [
        NotDeveloped(person, hours.get(person.pk, Decimal("0")))
        for person in people.order_by("first_name", "last_name", "pk")
        if hours.get(person.pk, Decimal("0")) < min_hours
    ]


def counted_developed_tally(people, *, fiscal_year: int, min_hours: Decimal) -> Counter:
    """_developed_tally counted from every passed enrolment and PLC meeting of the year: the
    definition the stored hours are verified against."""
    hours = development_hours(people, fiscal_year=fiscal_year)
    developed_ids = {pk for pk, h in hours.items() if h >= min_hours}
    # Counted by plain ids first, then named: the people's rows carry no joined names, and the
    # four groupings fold a few thousand (school, type, standing, developed) counts rather than
    # every person four times (an office of 100,000 people spent most of the page there).
    # Unordered: sorting an office's people by name only to count them cost a third of the
    # page. Where nobody is developed (a year without training yet) the database counts them.
    groups_of = people.order_by()
    if developed_ids:
        tally = Counter(
            (school_id, ptype, standing_id, pk in developed_ids)
            for pk, school_id, ptype, standing_id in groups_of.values_list(
                "pk", "school_id", "personnel_type", "academic_standing_id"
            )
        )
    else:
        tally = Counter(
            {
                (school_id, ptype, standing_id, False): n
                for school_id, ptype, standing_id, n in groups_of.values_list(
                    "school_id", "personnel_type", "academic_standing_id"
                ).annotate(n=Count("pk"))
            }
        )
    return tally


def pre_post_counts(enrolment: Enrolment) -> dict[str, int]:
    return {
        kind: enrolment.attempts.filter(kind=kind, module__isnull=True).count()
        for kind in (TestKind.PRE, TestKind.POST)
    }


# ---------------------------------------------------------------- planning: project actuals


@dataclass
class ProjectActual:
    """What training delivered for one action-plan project (courses linked to it)."""

    courses: int = 0
    participants: int = 0  # distinct people enrolled in any of the project's courses
    passed: int = 0  # distinct people who passed at least one of them
    hours: Decimal = Decimal("0")  # development hours credited (person-hours)
    target_count: int | None = None
    # The pass rate's people, by the results table's rule: in finished sessions only, and
    # of them those with a decided result (passed or not passed), people counted once.
    decided: int = 0
    decided_passed: int = 0

    @property
    def pass_pct(self) -> float | None:
        """Share of the decided who passed (the one pass rate, training.queries.pass_pct)."""
        return pass_pct(self.decided_passed, self.decided)

    @property
    def reached_pct(self) -> float | None:
        """Share of the project's target count (people) who took part."""
        return self.participants * 100 / self.target_count if self.target_count else None


def project_actuals(
    targets: dict[int, int | None], *, office_id: int | None = None
) -> dict[int, ProjectActual]:
    """Actuals per planning project, from the (non-draft) courses linked to it: one grouped
    query whatever the number of projects, courses or enrolments. `targets` maps project id
    to its target count (people); every id gets a row, zeros when nothing is linked yet.
    Aggregates only (no names), so callers may show it to any role that sees the plan."""
    if not targets:
        return {}
    courses = Course.objects.filter(project_id__in=list(targets)).exclude(status=CourseStatus.DRAFT)
    if office_id is not None:
        courses = courses.filter(office_id=office_id)
    enrolled = Q(enrolments__status=EnrolmentStatus.ENROLLED)
    decided = (
        enrolled
        & Q(enrolments__session__end_date__lt=timezone.localdate())
        & ~Q(enrolments__result=ResultStatus.PENDING)
    )
    rows = courses.values("project_id").annotate(
        n_courses=Count("id", distinct=True),
        n_participants=Count("enrolments__person_id", filter=enrolled, distinct=True),
        n_passed=Count(
            "enrolments__person_id", filter=enrolled & Q(enrolments__passed=True), distinct=True
        ),
        n_hours=Sum("enrolments__hours_credited", filter=enrolled),
        n_decided=Count("enrolments__person_id", filter=decided, distinct=True),
        n_decided_passed=Count(
            "enrolments__person_id", filter=decided & Q(enrolments__passed=True), distinct=True
        ),
    )
    out = {pk: ProjectActual(target_count=target) for pk, target in targets.items()}
    for row in rows.order_by():
        actual = out[row["project_id"]]
        actual.courses = row["n_courses"]
        actual.participants = row["n_participants"]
        actual.passed = row["n_passed"]
        actual.hours = row["n_hours"] or Decimal("0")
        actual.decided = row["n_decided"]
        actual.decided_passed = row["n_decided_passed"]
    return out


# ---------------------------------------------------------------- paper score sheet


@dataclass
class PaperSheet:
    """What the paper score grid shows: participants in sheet order, the satisfaction items,
    what was typed before (initial values) and what participants already did online."""

    enrolments: list[Enrolment]
    items: list[SurveyItem]
    initial: dict = field(default_factory=dict)
    online_pre: set[int] = field(default_factory=set)
    online_survey: set[int] = field(default_factory=set)
    online_scores: dict[int, dict] = field(default_factory=dict)
    # {enrolment id: {"pre"/"post": "9/10"}}: scores in the cells that came from a file,
    # with their own full marks (a file's may differ from the sheet's).
    imported: dict[int, dict] = field(default_factory=dict)
    # Participants whose satisfaction answers in the cells came from a file (the results
    # import), and those whose recorded answers may leave an item blank: a file's (the import
    # takes a form with a question skipped) or answers that already leave one blank.
    imported_survey: set[int] = field(default_factory=set)
    blanks_allowed: set[int] = field(default_factory=set)
    question_count: int = 0


def paper_sheet(session: Session, items: list[SurveyItem]) -> PaperSheet:
    """Five queries whatever the number of participants."""
    from .rosters import sheet_order

    enrolments = sheet_order(
        session.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related(
            "person__school", "person__office"
        )
    )
    sheet = PaperSheet(enrolments=enrolments, items=items)
    ids = [e.pk for e in enrolments]
    sheet.question_count = Question.objects.filter(
        course_id=session.course_id, module__isnull=True
    ).count()
    attempts = TestAttempt.objects.filter(
        enrolment_id__in=ids, module__isnull=True, submitted_at__isnull=False
    ).order_by("started_at", "id")
    for a in attempts:
        if a.source != ResultSource.ONLINE:
            # Typed from paper or imported from a file: the session's offline score, which
            # the cell shows and corrects (actions._save_paper_attempt); the latest one.
            sheet.initial[f"{a.kind}-{a.enrolment_id}"] = a.score
            sheet.initial.setdefault(f"{a.kind}_max", a.max_score)
            if a.source == ResultSource.IMPORT:
                sheet.imported.setdefault(a.enrolment_id, {})[a.kind] = f"{a.score}/{a.max_score}"
            else:
                sheet.imported.get(a.enrolment_id, {}).pop(a.kind, None)
            continue
        scores = sheet.online_scores.setdefault(a.enrolment_id, {})
        if a.kind == TestKind.PRE:
            sheet.online_pre.add(a.enrolment_id)
            scores.setdefault("pre", a.pct)
        elif a.kind == TestKind.POST and (
            scores.get("post") is None or (a.pct or 0) > scores["post"]
        ):
            scores["post"] = a.pct
    for kind in ("pre", "post"):
        sheet.initial.setdefault(f"{kind}_max", sheet.question_count or None)
    responses = SurveyResponse.objects.filter(enrolment_id__in=ids)
    offline = {}
    for r in responses:
        if r.source == ResultSource.ONLINE:
            sheet.online_survey.add(r.enrolment_id)
            continue
        # Typed from paper or imported from a file: the cells show and correct them
        # (actions._save_paper_survey), as they do the offline scores.
        offline[r.pk] = r.enrolment_id
        sheet.initial[f"c-{r.enrolment_id}"] = r.comment
        if r.source == ResultSource.IMPORT:
            sheet.imported_survey.add(r.enrolment_id)
    shown = {item.pk for item in items}
    answered: dict[int, int] = {}
    for answer in SurveyAnswer.objects.filter(response_id__in=offline, item_id__in=shown):
        enrolment_id = offline[answer.response_id]
        sheet.initial[f"s{answer.item_id}-{enrolment_id}"] = answer.score
        answered[enrolment_id] = answered.get(enrolment_id, 0) + 1
    sheet.blanks_allowed = sheet.imported_survey | {
        enrolment_id
        for enrolment_id in offline.values()
        if answered.get(enrolment_id, 0) < len(shown)
    }
    return sheet


# ---------------------------------------------------------------- home page agenda


def sessions_starting(user, today, *, days: int) -> list[Session]:
    """Sessions that start within `days`: the office's own for its staff (with seats taken),
    otherwise the ones the user is enrolled in. Every home page asks: the SQL is compiled
    once a day, only the office's or person's id swapped in."""
    import datetime as dt

    from .models import Session

    window = Q(start_date__gte=today, start_date__lte=today + dt.timedelta(days=days))
    sessions = Session.objects.filter(window).select_related("course").order_by("start_date")
    if user.role in OFFICE_ROLES:
        return compiled_queries.objects_for(
            ("training.sessions_starting.office", today, days),
            lambda office_id: sessions.filter(course__office_id=office_id).annotate(
                taken=Count("enrolments", filter=Q(enrolments__status__in=["pending", "enrolled"]))
            ),
            user.office_id,
            using=compiled_queries.reading(Session),
        )
    if not user.person_id:
        return []
    return compiled_queries.objects_for(
        ("training.sessions_starting", today, days),
        lambda person_id: sessions.filter(
            enrolments__person_id=person_id, enrolments__status=EnrolmentStatus.ENROLLED
        ),
        user.person_id,
        using=compiled_queries.reading(Session),
    )


def learner_todo(person_id: int, today) -> list[tuple[str, int, str]]:
    """What a participant still has to do in sessions under way or just finished: the
    post-test (when the course has one, none is submitted yet and its window is still open)
    and the satisfaction survey (when the office asks one), as (what, course id, course
    title). One query, its SQL compiled once a day (every learner's home page asks it), and
    has_survey's for the office."""
    import datetime as dt

    from django.db.models import Exists, OuterRef

    def build(person_id: int):
        return (
            Enrolment.objects.filter(
                person_id=person_id,
                status=EnrolmentStatus.ENROLLED,
                session__start_date__lte=today,
                session__end_date__gte=today - dt.timedelta(days=30),
            )
            .annotate(
                has_test=Exists(
                    Question.objects.filter(course_id=OuterRef("course_id"), module__isnull=True)
                ),
                surveyed=Exists(SurveyResponse.objects.filter(enrolment_id=OuterRef("pk"))),
            )
            .order_by("session__start_date", "id")
            .values_list(
                "course_id", "course__title", "has_test", "post_score_pct", "surveyed",
                "session__end_date", "course__test_days_after_end", "course__office_id",
            )
        )  # fmt: skip

    rows = compiled_queries.rows_for(
        ("training.learner_todo", today),
        build,
        person_id,
        using=compiled_queries.reading(Enrolment),
    )
    todo = []
    for course_id, title, has_test, post_score, surveyed, end, test_days, office_id in rows:
        # Only what can still be done: a post-test whose window has closed (the days after
        # the session's end the course allows) was listed for 30 days all the same, and a
        # survey of an office that has switched off every item could never be answered.
        if has_test and post_score is None and today <= end + dt.timedelta(days=test_days):
            todo.append(("ทำแบบทดสอบหลังเรียน", course_id, title))
        if not surveyed and has_survey(office_id):
            todo.append(("ตอบแบบประเมินความพึงพอใจ", course_id, title))
    return todo


def valid_certificate_count(person_id: int, fiscal_year: int) -> int:
    """How many valid_certificates: the home page's line (its SQL compiled once a year)."""
    return len(
        compiled_queries.rows_for(
            ("training.valid_certificate_count", fiscal_year),
            lambda pk: valid_certificates(pk, fiscal_year).values_list("pk"),
            person_id,
            using=compiled_queries.reading(Certificate),
        )
    )


def valid_certificates(person_id: int, fiscal_year: int) -> QuerySet[Certificate]:
    """A person's certificates of a fiscal year's courses that still verify: the transcript
    lists these, and the home page counts them."""
    return Certificate.objects.filter(
        enrolment__person_id=person_id,
        status=CertificateStatus.VALID,
    ).filter(
        # The fiscal year the hours were credited to, as the transcript counts them.
        Q(enrolment__credit_fiscal_year=fiscal_year)
        | Q(enrolment__credit_fiscal_year__isnull=True, enrolment__course__fiscal_year=fiscal_year)
    )
