"""Every write of the training app: courses, seats, attendance, tests, surveys, follow-up,
certificates and e-learning progress.

Each action is atomic and takes the acting user. Seats: every change to who holds a seat
in a session first locks that session's row (SELECT … FOR UPDATE on PostgreSQL; SQLite
serialises writers with BEGIN IMMEDIATE), then counts, so concurrent enrolments can never
overbook and a freed seat goes to the head of the waiting list in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Func, Max, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.roles import Role
from credentials import actions as credential_actions
from credentials.models import Credential
from krupd import repeats
from krupd.lib import compiled_queries, numerals, typed_text
from krupd.lib.clipping import clip
from krupd.lib.numerals import format_hours
from krupd.lib.thai_dates import format_thai_date
from notifications import events
from registry import audit
from registry.models import AuditAction, AuditEntry, Person
from reporting import developed

from . import access, queries, results
from . import lessons as lesson_rules
from .models import (
    CERTIFICATE_KEPT,
    CERTIFICATE_UNDER_REVIEW,
    SEAT_STATUSES,
    Attendance,
    AttendanceMethod,
    BatchStatus,
    Certificate,
    CertificateBatch,
    CertificateStanding,
    CertificateStatus,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    FollowUp,
    Lesson,
    LessonProgress,
    Module,
    Question,
    ResultSource,
    ResultStatus,
    Session,
    SessionDay,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
    TestAttempt,
    TestKind,
    TrainingRules,
)

CHECKIN_SALT = queries.CHECKIN_SALT

DEFAULT_SURVEY_ITEMS = [
    "เนื้อหาตรงกับความต้องการและนำไปใช้ในการปฏิบัติงานได้",
    "วิทยากรถ่ายทอดความรู้ได้ชัดเจน เข้าใจง่าย",
    "ระยะเวลาในการพัฒนาเหมาะสม",
    "สถานที่ สื่อ และสิ่งอำนวยความสะดวกเหมาะสม",
    "ความพึงพอใจต่อการพัฒนาในภาพรวม",
]


class TrainingError(ValidationError):
    """A refusal the person can understand; the message is Thai and safe to show."""


def rules_for(office) -> TrainingRules:
    rules, _ = TrainingRules.objects.get_or_create(office=office)
    return rules


def survey_items_for(office) -> list[SurveyItem]:
    items = list(SurveyItem.objects.filter(office=office, active=True))
    if not items and not SurveyItem.objects.filter(office=office).exists():
        SurveyItem.objects.bulk_create(
            SurveyItem(office=office, order=i, text=t)
            for i, t in enumerate(DEFAULT_SURVEY_ITEMS, start=1)
        )
        items = list(SurveyItem.objects.filter(office=office, active=True))
    return items


# ---------------------------------------------------------------- courses and sessions

COURSE_AUDIT_FIELDS = [
    "title", "mode", "hours", "fiscal_year", "target_types", "min_attendance_pct",
    "min_post_test_pct", "requires_approval", "self_enrol", "project", "status",
    "post_test_attempts", "test_days_after_end", "min_lesson_minutes", "requires_follow_up",
    "min_watched_pct",
]  # fmt: skip
# Editing any of these changes who passes: every participant is judged again at once.
COURSE_CRITERIA_FIELDS = {
    "mode", "hours", "min_attendance_pct", "min_post_test_pct", "post_test_attempts",
    "test_days_after_end", "requires_follow_up", "min_watched_pct",
}  # fmt: skip


@transaction.atomic
def save_course(*, acting_user, course: Course) -> Course:
    """Save a course. A self-paced course opens for enrolment only once it can be completed:
    a new one is kept as a draft until its modules, lessons and tests are in."""
    is_new = course.pk is None
    before = {} if is_new else audit.snapshot(Course.objects.get(pk=course.pk), COURSE_AUDIT_FIELDS)
    opening = course.status == CourseStatus.OPEN and before.get("status") != CourseStatus.OPEN
    if course.is_online and opening:
        gaps = results.online_course_gaps(course)
        if gaps and is_new:
            course.status = CourseStatus.DRAFT
        elif gaps:
            raise TrainingError(f"ยังเปิดรับสมัครไม่ได้: {'; '.join(gaps)}")
    if is_new:
        _refuse_repeated_course(course)
        course.created_by = acting_user
    # Passed hours without a stored credit year count in the course's year (CREDIT_YEAR).
    undated = [] if is_new else _passed_people(course=course, credit_fiscal_year__isnull=True)
    with developed.keeping(undated):
        _save_course(course, before, is_new, acting_user)
    return course


def _refuse_repeated_course(course: Course) -> None:
    """A new course saying exactly what one of the office's says is the same form posted
    twice (a double click, a reload): two of one course split its participants, results
    and certificate numbering. The office's row is taken first (FOR NO KEY UPDATE:
    enrolments referring to it do not wait), so two posts at the same moment take turns and
    the second sees the first (krupd.repeats; who made it is filled in after)."""
    if repeats.saved_already(course, parent=course.office, ignore=("created_by",)):
        raise TrainingError(
            f"หลักสูตร “{course.title}” ({course.get_mode_display()}) ปีงบประมาณ "
            f"{course.fiscal_year} บันทึกไว้แล้ว (ข้อมูลเหมือนกันทุกช่อง) จึงไม่สร้างซ้ำ "
            "ถ้าเป็นการอบรมอีกครั้ง ให้เพิ่มรุ่นในหลักสูตรเดิม"
        )


def _refuse_repeated_session(session: Session) -> None:
    """A new session saying exactly what one of the course's says is the same form posted
    twice: its seats counted twice and the course listed two of it. The course's row is
    taken first, as for courses."""
    if repeats.saved_already(session, parent=session.course):
        raise TrainingError(
            f"รุ่น “{session.name}” วันที่ {format_thai_date(session.start_date, style='long')} "
            "ของหลักสูตรนี้บันทึกไว้แล้ว (ข้อมูลเหมือนกันทุกช่อง) จึงไม่บันทึกซ้ำ"
        )


def _passed_people(**where) -> list[int]:
    return list(Enrolment.objects.filter(passed=True, **where).values_list("person_id", flat=True))


def _save_course(course: Course, before: dict, is_new: bool, acting_user) -> None:
    course.save()
    changes = audit.diff(before, audit.snapshot(course, COURSE_AUDIT_FIELDS))
    if is_new or changes:
        audit.record(
            actor=acting_user,
            action=AuditAction.CREATE if is_new else AuditAction.UPDATE,
            instance=course,
            changes=changes,
        )
    if not is_new and COURSE_CRITERIA_FIELDS & changes.keys():
        recompute_course(course, acting_user=acting_user)


@transaction.atomic
def save_session(*, acting_user, session: Session, day_hours: list | None = None) -> Session:
    """Save a session and keep one attendance day per calendar day of it, each of
    `day_hours[i]` hours (a half day, 0 for a weekend inside the session) or, without them,
    of the session's hours per day.

    New dates that would leave out a day with attendance are refused (naming the day), so
    no check-in is lost and no hour is credited on a day outside the session; a larger
    capacity moves people up from the waiting list at once.
    """
    # A passed result without a completion day counts as of its session's last day.
    undated = _passed_people(session_id=session.pk, completed_on__isnull=True) if session.pk else []
    with developed.keeping(undated):
        return _save_session(session, acting_user=acting_user, day_hours=day_hours)


def _save_session(session: Session, *, acting_user, day_hours: list | None = None) -> Session:
    if session.pk:
        Session.objects.select_for_update().get(pk=session.pk)
        refuse_dates_leaving_out_attendance(session)
        refuse_fewer_seats_than_taken(session)
    else:
        _refuse_repeated_session(session)
    session.save()
    dates = [
        session.start_date + dt.timedelta(days=n)
        for n in range((session.end_date - session.start_date).days + 1)
    ]
    if day_hours is not None and len(day_hours) != len(dates):
        raise TrainingError(f"รุ่นนี้มี {len(dates)} วัน แต่กำหนดชั่วโมงไว้ {len(day_hours)} วัน")
    wanted = dict(zip(dates, day_hours or [session.hours_per_day] * len(dates), strict=True))
    existing = {d.date: d for d in session.days.all()}
    for date in wanted.keys() - existing.keys():
        SessionDay.objects.create(session=session, date=date, hours=wanted[date])
    for date, row in existing.items():
        if date not in wanted:
            row.delete()  # no attendance on it (refused above)
        elif row.hours != wanted[date]:
            row.hours = wanted[date]
            row.save(update_fields=["hours"])
    _promote_waitlist(session, acting_user=acting_user)
    audit.record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        instance=session,
        office=session.course.office,
        changes={"capacity": [None, session.capacity], "dates": [None, str(session.start_date)]},
    )
    recompute_course(session.course, acting_user=acting_user, sessions=[session])
    return session


def refuse_dates_leaving_out_attendance(session: Session) -> None:
    """A session's dates may move only while every day with attendance stays inside them:
    otherwise its hours would be credited on a day the session no longer has (before it
    starts, say). The officer corrects that day's roll call first, which is audited."""
    outside = (
        SessionDay.objects.filter(session_id=session.pk, attendance__isnull=False)
        .exclude(date__range=(session.start_date, session.end_date))
        .annotate(people=Count("attendance"))
        .order_by("date")
    )
    if outside:
        days = ", ".join(
            f"{format_thai_date(d.date, style='long')} ({d.people} คน)" for d in outside
        )
        raise TrainingError(
            f"เปลี่ยนวันของรุ่นไม่ได้: วันที่ {days} มีการลงเวลาเข้าร่วมแล้วแต่อยู่นอกวันที่ใหม่ "
            "ให้แก้การเช็กชื่อของวันนั้นก่อน หรือกำหนดวันของรุ่นให้ครอบคลุมวันนั้น"
        )


def refuse_fewer_seats_than_taken(session: Session) -> None:
    """Seats may shrink only down to the people already holding one (enrolled or awaiting
    approval): fewer would leave more people seated than the session has seats, with nobody
    told whose seat is gone. The officer cancels enrolments first (each one audited), or
    keeps the capacity; the session row is locked, so no enrolment slips in between."""
    taken = _seats_taken(session)
    if session.capacity < taken:
        raise TrainingError(
            {
                "capacity": (
                    f"ลดจำนวนที่นั่งเหลือ {session.capacity:,} ไม่ได้: รุ่นนี้มีผู้ได้ที่นั่งแล้ว "
                    f"{taken:,} คน (ลงทะเบียนแล้วหรือรออนุมัติ) ให้ยกเลิกผู้ลงทะเบียนก่อน "
                    f"หรือกำหนดที่นั่งอย่างน้อย {taken:,}"
                )
            }
        )


# ---------------------------------------------------------------- enrolment and seats


def _seats_taken(session: Session) -> int:
    return session.enrolments.filter(status__in=SEAT_STATUSES).count()


def _status_for_seat(*, course: Course, approved: bool) -> str:
    if course.requires_approval and not approved:
        return EnrolmentStatus.PENDING
    return EnrolmentStatus.ENROLLED


def _source_for(acting_user, person: Person) -> str:
    """Self-enrolment, or a nomination by a director (own school) or the office."""
    role = acting_user.role
    if person.pk == acting_user.person_id:
        return EnrolmentSource.SELF
    if role == Role.SCHOOL_DIRECTOR:
        if not acting_user.school_id or person.school_id != acting_user.school_id:
            raise PermissionDenied
        return EnrolmentSource.DIRECTOR
    if role in (Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER):
        if person.office_id != acting_user.office_id:
            raise PermissionDenied
        return EnrolmentSource.OFFICE
    raise PermissionDenied


def enrol(*, acting_user, session: Session, person: Person) -> Enrolment:
    """Self-enrolment, or a nomination by a director (own school) or the office.

    Returns the live enrolment; a second click returns the first one unchanged.
    """
    enrolled, refused = enrol_many(acting_user=acting_user, session=session, people=[person])
    if refused:
        raise TrainingError(refused[0][1])
    return enrolled[0]


def enrol_many(
    *, acting_user, session: Session, people
) -> tuple[list[Enrolment], list[tuple[Person, str]]]:
    """Enrol many people in one session at once (a nomination list), in the order given:
    seats first, then the waiting list. Returns the live enrolments (someone already
    enrolled keeps theirs, unchanged) and the people refused, each with the Thai reason.
    Someone the acting user may not nominate at all refuses the whole list."""
    people = list({p.pk: p for p in people}.values())
    sources = {p.pk: _source_for(acting_user, p) for p in people}
    _, enrolled, refused = _enrol_retrying(
        acting_user=acting_user, lock=lambda: locked_session(session.pk), people=people,
        sources=sources,
    )  # fmt: skip
    return enrolled, refused


def self_enrol(*, acting_user, session_pk: int) -> tuple[Session, Enrolment | None, str]:
    """A signed-in teacher enrolling themselves from the course page. The session, one the
    user may see (else Http404), is read and locked in one statement: the busiest write
    skips a separate read for the page's permission check.

    Returns the session, the live enrolment (a second click returns the first one) and, when
    refused, None and the Thai reason."""
    person = acting_user.person
    session, enrolled, refused = _enrol_retrying(
        acting_user=acting_user,
        lock=lambda: access.session_for_view(acting_user, session_pk, locked=True),
        people=[person],
        sources={person.pk: _source_for(acting_user, person)},
    )
    if refused:
        return session, None, refused[0][1]
    return session, enrolled[0], ""


def _enrol_retrying(*, acting_user, lock, people: list[Person], sources: dict):
    for attempt in range(3):
        try:
            return _enrol_locked(acting_user=acting_user, lock=lock, people=people,
                                 sources=sources)  # fmt: skip
        except IntegrityError:
            # Another request enrolled one of them in another session of the course at the
            # same moment; the retry finds that enrolment and keeps it.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _refusal(course: Course, person: Person, source: str) -> str:
    if not course.accepts(person):
        return "ไม่อยู่ในกลุ่มเป้าหมายของหลักสูตรนี้"
    if source == EnrolmentSource.SELF and not (
        course.self_enrol and course.status == CourseStatus.OPEN
    ):
        return "หลักสูตรนี้ไม่เปิดให้สมัครด้วยตนเอง"
    if course.status in (CourseStatus.FINISHED, CourseStatus.DRAFT):
        return "หลักสูตรนี้ไม่รับลงทะเบียน"
    return ""


def locked_session(session_id: int) -> Session:
    """A session with its course and office, its row locked until the transaction ends: who
    takes its seats is decided one request at a time. Only the session's row: FOR UPDATE on
    the joined course and office would make every enrolment of the office wait for this one,
    and so would every write that refers to them (an audit entry names the office)."""
    # Compiled once (every enrolment takes this lock): the SQL is the ORM's, only its id varies.
    found = compiled_queries.objects_for(
        "training.locked_session",
        lambda pk: (
            Session.objects.select_for_update(of=("self",))
            .select_related("course__office")
            .filter(pk=pk)
        ),
        session_id,
    )
    if not found:
        raise Session.DoesNotExist(f"no session {session_id}")
    return found[0]


def _places_and_seats(session: Session, people: list[Person]) -> tuple[dict[int, int], int]:
    """{person id: id of their live place in the session's course} and the seats taken in
    the session, in one statement (read after the session's lock: the count then includes
    every enrolment decided before this one). The count is a subquery that does not depend
    on the row, which the database evaluates once."""
    live = [*SEAT_STATUSES, EnrolmentStatus.WAITLISTED]

    def build(course_id, session_id, person_ids):
        place = Enrolment.objects.filter(
            course_id=course_id, person_id=OuterRef("pk"), status__in=live
        ).values("pk")[:1]
        taken = (
            Enrolment.objects.filter(session_id=session_id, status__in=SEAT_STATUSES)
            .order_by()
            .annotate(n=Func(F("pk"), function="COUNT"))
            .values("n")
        )
        return Person.objects.filter(pk__in=person_ids).values_list(
            "pk", Subquery(place), Subquery(taken)
        )

    # Self-enrolment (one person), the busiest write, runs SQL compiled once.
    rows = compiled_queries.rows_for_ids(
        "training.places_and_seats",
        build,
        [p.pk for p in people],
        fixed=(session.course_id, session.pk),
    )
    places = {person_id: place_id for person_id, place_id, _ in rows if place_id is not None}
    return places, (rows[0][2] or 0) if rows else 0


@transaction.atomic
def _enrol_locked(*, acting_user, lock, people: list[Person], sources: dict):
    """(session, live enrolments, refused people), with `lock()` the session locked."""
    session = lock()
    course = session.course
    places, taken = _places_and_seats(session, people)
    existing = {}
    if places:
        existing = {e.person_id: e for e in Enrolment.objects.filter(pk__in=places.values())}
    if all(p.pk in existing for p in people):
        # A second click (or a list of people already in the course) changes nothing: no
        # write, no result to judge.
        return session, [existing[p.pk] for p in people], []
    new, refused = [], []
    for person in people:
        if person.pk in existing:
            continue
        source = sources[person.pk]
        if reason := _refusal(course, person, source):
            refused.append((person, reason))
            continue
        approved = source == EnrolmentSource.OFFICE
        if taken < session.capacity:
            status = _status_for_seat(course=course, approved=approved)
            taken += 1
        else:
            status = EnrolmentStatus.WAITLISTED
        new.append(
            Enrolment(
                course=course,
                session=session,
                person=person,
                status=status,
                source=source,
                approved=approved,
                requested_by=acting_user if getattr(acting_user, "pk", None) else None,
            )
        )
    # Their first results are judged before the rows go in, so each row is written once.
    before = _judge_unsaved(new)
    Enrolment.objects.bulk_create(new)
    entries = [
        audit.entry(
            actor=acting_user,
            action=AuditAction.CREATE,
            instance=e,
            office=course.office,
            changes={"status": [None, e.get_status_display()]},
        )
        for e in new
    ]
    # The new rows' entries, then their first results', written together.
    flips = [_result_entry(e, b, acting_user) for e, b in zip(new, before, strict=True)]
    audit.record_many(entries + [entry for entry in flips if entry is not None])
    events.enrolments_changed(new, acting_user=acting_user)
    judged = {e.person_id: e for e in new}
    enrolled = [
        existing.get(p.pk) or judged[p.pk] for p in people if p.pk in existing or p.pk in judged
    ]
    return session, enrolled, refused


def _promote_waitlist(session: Session, *, acting_user) -> list[Enrolment]:
    """Fill free seats from the head of the waiting list. Caller holds the session lock.

    Not once the session is over: a seat freed afterwards (a no-show cancelled, a request
    refused late) would put someone into days already past, failing its attendance rule
    and telling them of a seat they can no longer use. They stay on the waiting list."""
    promoted = []
    if session.end_date < timezone.localdate():
        return promoted
    free = session.capacity - _seats_taken(session)
    if free <= 0:
        return promoted
    queue = session.enrolments.filter(status=EnrolmentStatus.WAITLISTED).order_by(
        "requested_at", "id"
    )[:free]
    for enrolment in queue:
        enrolment.status = _status_for_seat(course=session.course, approved=enrolment.approved)
        enrolment.decided_at = timezone.now()
        enrolment.save(update_fields=["status", "decided_at"])
        audit.record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            instance=enrolment,
            office=session.course.office,
            changes={"status": ["รอที่นั่ง", enrolment.get_status_display()]},
        )
        events.enrolment_changed(enrolment, promoted=True)
        promoted.append(refresh_result(enrolment, acting_user=acting_user))
    return promoted


def _lock(enrolment: Enrolment) -> tuple[Session, Enrolment]:
    session = locked_session(enrolment.session_id)
    return session, Enrolment.objects.select_for_update().get(pk=enrolment.pk)


@transaction.atomic
def cancel_enrolment(*, acting_user, enrolment: Enrolment) -> Enrolment:
    session, enrolment = _lock(enrolment)
    if enrolment.status not in (*SEAT_STATUSES, EnrolmentStatus.WAITLISTED):
        return enrolment
    # A roster holds many people: a refusal names whose enrolment it keeps.
    who = enrolment.person.full_name
    if enrolment.attendance.exists() or enrolment.certificates.exists():
        raise TrainingError(f"{who}: มีการลงเวลาหรือเกียรติบัตรแล้ว ยกเลิกไม่ได้")
    if enrolment.passed:
        # A self-paced course passed on a confirmed follow-up has no attendance and may have
        # no certificate yet: it is a completed development all the same.
        raise TrainingError(f"{who}: ผ่านการพัฒนาหลักสูตรนี้แล้ว ยกเลิกไม่ได้")
    before = enrolment.get_status_display()
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.decided_at = timezone.now()
    enrolment.save(update_fields=["status", "decided_at"])
    # The stored result follows the status (a cancelled enrolment is judged on it, not on
    # what was done before), as when a request is approved or refused.
    refresh_result(enrolment, acting_user=acting_user)
    audit.record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        instance=enrolment,
        office=session.course.office,
        changes={"status": [before, enrolment.get_status_display()]},
    )
    events.enrolment_changed(enrolment, acting_user=acting_user)
    _promote_waitlist(session, acting_user=acting_user)
    return enrolment


@transaction.atomic
def decide_enrolment(*, acting_user, enrolment: Enrolment, approve: bool) -> Enrolment:
    """Approve or reject a request. Approving a wait-listed request keeps its place in line."""
    session, enrolment = _lock(enrolment)
    if enrolment.status not in (EnrolmentStatus.PENDING, EnrolmentStatus.WAITLISTED):
        return enrolment
    before = enrolment.get_status_display()
    if approve:
        enrolment.approved = True
        if enrolment.status == EnrolmentStatus.PENDING:
            enrolment.status = EnrolmentStatus.ENROLLED
    else:
        enrolment.status = EnrolmentStatus.REJECTED
    enrolment.decided_at = timezone.now()
    enrolment.save(update_fields=["approved", "status", "decided_at"])
    audit.record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        instance=enrolment,
        office=session.course.office,
        changes={"status": [before, enrolment.get_status_display()], "approved": [None, approve]},
    )
    events.enrolment_decided(enrolment)
    if not approve:
        _promote_waitlist(session, acting_user=acting_user)
    return refresh_result(enrolment, acting_user=acting_user)


# ---------------------------------------------------------------- attendance


def checkin_token(day: SessionDay) -> str:
    return signing.dumps({"d": day.pk}, salt=CHECKIN_SALT, compress=False)


def day_for_token(token: str, *, max_age_seconds: int) -> SessionDay:
    try:
        data = signing.loads(token, salt=CHECKIN_SALT, max_age=max_age_seconds)
    except signing.SignatureExpired:
        raise TrainingError("รหัส QR หมดอายุแล้ว ให้สแกนรหัสใหม่บนหน้าจอ") from None
    except signing.BadSignature:
        raise TrainingError("รหัส QR ไม่ถูกต้อง") from None
    return SessionDay.objects.select_related("session__course__office").get(pk=data["d"])


def refuse_future_day(day: SessionDay) -> None:
    """Attendance is a fact about a day that has begun; a future day cannot be recorded."""
    if day.date > timezone.localdate():
        raise TrainingError(
            f"ยังไม่ถึงวันที่ {format_thai_date(day.date, style='long')} บันทึกการเข้าร่วมล่วงหน้าไม่ได้"
        )


@transaction.atomic
def check_in(*, acting_user, token: str) -> Attendance:
    """The participant opened the QR on their own phone while logged in."""
    try:
        data = signing.loads(token, salt=CHECKIN_SALT)  # which day, hence whose rules
    except signing.BadSignature:
        raise TrainingError("รหัส QR ไม่ถูกต้อง") from None
    day = SessionDay.objects.select_related("session__course__office").filter(pk=data.get("d"))
    if not day.exists():
        raise TrainingError("รหัส QR ไม่ถูกต้อง")
    rules = rules_for(day[0].session.course.office)
    day = day_for_token(token, max_age_seconds=rules.checkin_minutes * 60)
    enrolment = Enrolment.objects.filter(
        session=day.session, person_id=acting_user.person_id, status=EnrolmentStatus.ENROLLED
    ).first()
    if enrolment is None:
        raise TrainingError("คุณไม่ได้ลงทะเบียนในรุ่นนี้")
    refuse_future_day(day)
    attendance, created = Attendance.objects.get_or_create(
        day=day,
        enrolment=enrolment,
        defaults={"method": AttendanceMethod.QR, "recorded_by": acting_user},
    )
    if created and day.date < timezone.localdate():
        # A past day's code (its QR page opened again after the day) corrects that day, as
        # a roll call after the day does: allowed, and audited with who was added.
        _audit_day(acting_user, day, {
            "correction": [None, _past_day_correction(day, "ลงเวลาย้อนหลังด้วย QR")],
            "added": [None, [enrolment.person.full_name]],
        })  # fmt: skip
    refresh_result(enrolment, acting_user=acting_user)
    return attendance


def _past_day_correction(day: SessionDay, what: str) -> str:
    """The audit line of a past day's attendance changed afterwards (BE date)."""
    return f"{what} วันที่ {format_thai_date(day.date, style='medium')}"


def _audit_day(acting_user, day: SessionDay, changes: dict) -> None:
    """The audit entry of a change to a day's attendance (roll call, a past day's QR)."""
    audit.record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        object_type="sessionday",
        object_id=str(day.pk),
        object_label=f"เช็กชื่อ {day.session} {format_thai_date(day.date, style='medium')}",
        office=day.session.course.office,
        changes=changes,
    )


def _day_audited(day: SessionDay) -> bool:
    """Whether a roll call (or a past day's QR check-in) of the day is audited already."""
    return AuditEntry.objects.filter(object_type="sessionday", object_id=str(day.pk)).exists()


def not_on_session(session: Session, ids, *, what: str) -> str:
    """Why a grid of a session's participants (a roll call, a paper score sheet) that names
    `ids` as rows cannot be saved ("" when every one is a participant of it now): each is
    named, with what they are now, when the session's office holds them; anyone else (of
    another office, or no longer in the system) is counted, never named. The grid is then
    refused whole (all or nothing), as other bad input is, rather than saved without them."""
    ids = set(ids)
    if ids:
        ids -= set(
            session.enrolments.filter(pk__in=ids, status=EnrolmentStatus.ENROLLED).values_list(
                "pk", flat=True
            )
        )
    if not ids:
        return ""
    known = (
        Enrolment.objects.filter(pk__in=ids, course__office_id=session.course.office_id)
        .select_related("person", "session")
        .order_by("person__first_name", "person__last_name", "id")
    )
    parts = []
    for e in known:
        if e.session_id == session.pk:
            parts.append(f"{e.person.full_name} ({e.get_status_display()})")
        else:
            parts.append(f"{e.person.full_name} (อยู่ใน{e.session.name} ไม่ใช่รุ่นนี้)")
    if others := len(ids) - len(parts):
        parts.append(f"รายชื่อที่ไม่ได้อยู่ในรุ่นนี้อีก {others} รายการ")
    return (
        f"ยังไม่ได้บันทึก{what} เพราะมีรายชื่อที่ไม่ได้เป็นผู้เข้าร่วมรุ่นนี้แล้ว: "
        f"{'; '.join(parts)} เปิดหน้านี้ใหม่เพื่อดูรายชื่อปัจจุบันแล้วบันทึกอีกครั้ง"
    )


@transaction.atomic
def roll_call(*, acting_user, day: SessionDay, present_ids: set[int]) -> int:
    """Set who was present on a day; returns how many are marked present.

    A future day is refused. Changing a day that has passed is a correction: the audit entry
    names who was added and who was removed."""
    refuse_future_day(day)
    enrolments = list(
        day.session.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related("person")
    )
    ids = {e.pk for e in enrolments}
    if refused := not_on_session(day.session, present_ids - ids, what="การเข้าร่วม"):
        # Someone ticked who is no longer a participant (cancelled since the page was
        # opened) or never was: the whole roll call is refused, naming them; it dropped
        # them and saved the rest, and the day's count was short by them without a word.
        raise TrainingError(refused)
    marked = set(day.attendance.values_list("enrolment_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(
            day=day, enrolment_id=pk, method=AttendanceMethod.ROLL_CALL, recorded_by=acting_user
        )
        for pk in present_ids - marked
    )
    day.attendance.filter(enrolment_id__in=marked - present_ids).delete()
    refresh_results(
        [e for e in enrolments if e.pk in (present_ids ^ marked)], acting_user=acting_user
    )
    if present_ids == marked & ids and _day_audited(day):
        # The same roll call sent again (a double click, a reload, a second officer with the
        # same ticks): nobody was added or removed, and no entry says the day was corrected.
        return len(present_ids)
    changes = {"present": [len(marked & ids), len(present_ids)]}
    if day.date < timezone.localdate():
        names = {e.pk: e.person.full_name for e in enrolments}
        changes["correction"] = [None, _past_day_correction(day, "แก้ไขการเข้าร่วมย้อนหลัง")]
        changes["added"] = [None, sorted(names[pk] for pk in present_ids - marked)]
        changes["removed"] = [sorted(names[pk] for pk in (marked & ids) - present_ids), None]
    _audit_day(acting_user, day, changes)
    return len(present_ids)


# ---------------------------------------------------------------- results


RESULT_FIELDS = [
    "hours_attended", "attendance_pct", "pre_score_pct", "post_score_pct", "passed", "result",
    "result_reasons", "hours_credited", "completed_on", "credit_fiscal_year", "prior_year_hours",
]  # fmt: skip
# What a flip's audit entry shows, before and after.
AUDITED_RESULT_FIELDS = ["result", "result_reasons", "hours_credited", "completed_on"]


def refresh_result(enrolment: Enrolment, *, acting_user=None) -> Enrolment:
    """Recompute one participant's result (see refresh_results), in the caller's transaction."""
    return refresh_results([enrolment], acting_user=acting_user)[0]


def refresh_results(enrolments, *, acting_user=None) -> list[Enrolment]:
    """Recompute participants' results from their course's criteria and the evidence
    (results.judge), in the caller's transaction, with a fixed number of queries however
    many there are (a whole course judged again, a day's roll call).

    The enrolment rows are locked first (in id order, so two recomputes never deadlock) and
    everything, criteria included, is read after the lock: a recompute running beside a
    check-in or a submitted test waits for it and then sees it, so the last writer always
    judges on all committed evidence. A change of result is audited with before and after;
    a valid certificate the new result no longer supports is flagged for the officer, never
    left silently valid. Returns the enrolments, freshly read, in id order."""
    ids = sorted({e.pk for e in enrolments})
    if not ids:
        return []
    with transaction.atomic():
        locked = list(
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("course__office", "session", "person")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        evidence = results.gather_many(locked)
        tests = {}
        for a in TestAttempt.objects.filter(
            enrolment_id__in=ids, submitted_at__isnull=False, module__isnull=True
        ).only("enrolment_id", "kind", "score", "max_score"):
            tests.setdefault(a.enrolment_id, []).append(a)
        audit.record_many(_judge_and_store(locked, evidence, tests, acting_user=acting_user))
        _review_certificates(locked, acting_user=acting_user)
    return locked


def _judge_unsaved(enrolments: list[Enrolment]) -> list[dict]:
    """Judge the first results of enrolments about to be inserted, as refresh_results would
    (on the course's side of the evidence: nothing refers to them yet), and put them on the
    rows; returns each one's audited fields before judging, for `_result_entry`."""
    before = [audit.snapshot(e, AUDITED_RESULT_FIELDS) for e in enrolments]
    for enrolment, evidence in zip(enrolments, results.gather_unsaved(enrolments), strict=True):
        _store_outcome(enrolment, results.judge(enrolment.course, evidence), [])
    return before


def _result_entry(enrolment: Enrolment, before: dict, acting_user) -> AuditEntry | None:
    """The audit entry of a change of result (None: the result did not change)."""
    changes = audit.diff(before, audit.snapshot(enrolment, AUDITED_RESULT_FIELDS))
    if "result" not in changes:
        return None
    return audit.entry(
        actor=acting_user,
        action=AuditAction.UPDATE,
        instance=enrolment,
        office=enrolment.course.office,
        object_label=f"ผลการพัฒนา {enrolment}",
        changes=changes,
    )


def _judge_and_store(enrolments, evidence: dict, tests: dict, *, acting_user) -> list[AuditEntry]:
    """Judge each enrolment on its evidence and save the results that changed; returns the
    audit entries (not yet written) of each change of result, with before and after."""
    changed, entries = [], []
    for enrolment in enrolments:
        before = audit.snapshot(enrolment, AUDITED_RESULT_FIELDS)
        stored = [getattr(enrolment, name) for name in RESULT_FIELDS]
        _store_outcome(
            enrolment,
            results.judge(enrolment.course, evidence[enrolment.pk]),
            tests.get(enrolment.pk, []),
        )
        if stored != [getattr(enrolment, name) for name in RESULT_FIELDS]:
            changed.append(enrolment)
        if entry := _result_entry(enrolment, before, acting_user):
            entries.append(entry)
    save_results(changed)
    return entries


def save_results(enrolments: list[Enrolment]) -> None:
    """Store judged results (and keep the stored "developed" counts) for enrolments whose
    result fields were set in memory. One UPDATE per distinct set of result values:
    participants of a course mostly share them, and bulk_update's CASE per row and field
    cost more than the judging itself."""
    groups: dict[str, tuple[dict, list[int]]] = {}
    for e in enrolments:
        values = {name: getattr(e, name) for name in RESULT_FIELDS}
        key = json.dumps(values, sort_keys=True, default=str)
        groups.setdefault(key, (values, []))[1].append(e.pk)
    # The stored "developed" counts change with the results, in this transaction.
    with developed.keeping(e.person_id for e in enrolments):
        for values, pks in groups.values():
            Enrolment.objects.filter(pk__in=pks).update(**values)


def _store_outcome(enrolment: Enrolment, outcome: results.Outcome, tests) -> None:
    """Put a judged outcome and the test scores on the enrolment (not saved)."""
    pre = [a.pct for a in tests if a.kind == TestKind.PRE]
    post = [a.pct for a in tests if a.kind == TestKind.POST]
    enrolment.pre_score_pct = pre[0] if pre else None
    enrolment.post_score_pct = max(post) if post else None
    enrolment.hours_attended = outcome.hours_attended
    enrolment.attendance_pct = outcome.attendance_pct
    enrolment.result = outcome.result
    enrolment.result_reasons = outcome.reasons
    enrolment.passed = outcome.passed
    enrolment.hours_credited = outcome.hours_credited
    enrolment.completed_on = outcome.completed_on
    enrolment.credit_fiscal_year = outcome.credit_fiscal_year
    enrolment.prior_year_hours = outcome.prior_year_hours


def _review_certificates(enrolments: list[Enrolment], *, acting_user) -> None:
    """Flag (or unflag) each valid certificate against the result as it now stands, with the
    moment it was flagged: every path that changes a result (a check-in, a test submitted or
    removed, criteria edited, a results import, the nightly judging) comes through here."""
    by_id = {e.pk: e for e in enrolments}
    now = timezone.now()
    for cert in Certificate.objects.filter(enrolment_id__in=by_id, status=CertificateStatus.VALID):
        enrolment = by_id[cert.enrolment_id]
        problems = []
        if not enrolment.passed:
            problems.append(enrolment.result_text)
        else:
            if cert.hours != enrolment.hours_credited:
                problems.append(
                    f"ชั่วโมงในเกียรติบัตร {format_hours(cert.hours)} "
                    f"ไม่ตรงกับที่นับได้ {format_hours(enrolment.hours_credited)}"
                )
            if cert.completed_on != enrolment.completed_on:
                problems.append("วันที่ผ่านการพัฒนาในเกียรติบัตรไม่ตรงกับผลปัจจุบัน")
        reason = clip("; ".join(problems), 500)
        if bool(problems) == cert.needs_review and reason == cert.review_reason:
            continue
        kept_despite = _kept_despite(cert.review_reason)
        if not cert.needs_review and kept_despite is not None:
            # The officer kept it: it stays so while the result is what it was kept with
            # (a session's capacity edited, another participant's day corrected…).
            if not problems or reason[:KEPT_REASON_CHARS] == kept_despite:
                continue
        old = [cert.needs_review, cert.review_reason]
        cert.needs_review = bool(problems)
        cert.review_reason = reason
        if cert.needs_review and not old[0]:
            cert.review_flagged_at = now
        elif old[0] and not cert.needs_review:
            cert.review_flagged_at = None
        cert.save(update_fields=["needs_review", "review_reason", "review_flagged_at"])
        audit.record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            instance=cert,
            office=enrolment.course.office,
            changes={
                "needs_review": [old[0], cert.needs_review],
                "review_reason": [old[1], reason],
            },
        )


# Participants judged together by recompute_course: one set of queries per this many.
RECOMPUTE_CHUNK = 1000


def recompute_course(course: Course, *, acting_user, sessions=None) -> int:
    """Recompute every participant of a course (or of some of its sessions) after its
    criteria, tests, modules or days changed. Returns how many results flipped."""
    enrolments = Enrolment.objects.filter(course=course).exclude(
        status__in=[EnrolmentStatus.CANCELLED, EnrolmentStatus.REJECTED]
    )
    if sessions is not None:
        enrolments = enrolments.filter(session__in=sessions)
    before = dict(enrolments.values_list("pk", "result"))
    ids = sorted(before)
    flipped = 0
    for start in range(0, len(ids), RECOMPUTE_CHUNK):
        chunk = [Enrolment(pk=pk) for pk in ids[start : start + RECOMPUTE_CHUNK]]
        for after in refresh_results(chunk, acting_user=acting_user):
            flipped += after.result != before[after.pk]
    return flipped


# A nightly run looks this many days back, so a night or two missed still judges everyone.
LAPSE_LOOKBACK_DAYS = 7


def judge_lapsed_results(*, today=None, days: int = LAPSE_LOOKBACK_DAYS, everything=False) -> int:
    """Judge again the results still awaiting an outcome whose chance has passed: the
    session ended (its attendance can no longer grow) or its post-test window closed, within
    the last `days` days (every such session with `everything`). A result is judged when
    something is written, and nothing is written when a window simply closes: someone who
    never sat the post-test stayed "ยังไม่ผ่าน" for good, counted as awaiting a result and left
    out of the pass rate's denominator (5 of 10 passed read as 100 %). The nightly command
    judge_lapsed_results runs this. Returns how many results changed."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=days)
    lapsed = [
        pk
        for pk, end, test_days in Session.objects.filter(end_date__lt=today).values_list(
            "pk", "end_date", "course__test_days_after_end"
        )
        if everything or since <= end < today or since <= end + dt.timedelta(days=test_days) < today
    ]
    flipped = 0
    for start in range(0, len(lapsed), RECOMPUTE_CHUNK):
        pending = dict(
            Enrolment.objects.filter(
                session_id__in=lapsed[start : start + RECOMPUTE_CHUNK],
                status=EnrolmentStatus.ENROLLED,
                result=ResultStatus.PENDING,
            ).values_list("pk", "result")
        )
        ids = sorted(pending)
        for first in range(0, len(ids), RECOMPUTE_CHUNK):
            chunk = [Enrolment(pk=pk) for pk in ids[first : first + RECOMPUTE_CHUNK]]
            with transaction.atomic():
                flipped += sum(
                    after.result != pending[after.pk] for after in refresh_results(chunk)
                )
    return flipped


# ---------------------------------------------------------------- tests


def _attempt_limit(enrolment: Enrolment, kind: str, module: Module | None = None) -> int:
    """How many attempts a test allows: one pre-test, the course's post-test tries, the
    module's quiz tries. Every attempt opened counts, submitted or not."""
    if kind == TestKind.PRE:
        return 1
    if kind == TestKind.POST:
        return enrolment.course.post_test_attempts
    return module.quiz_attempts


def attempts_left(enrolment: Enrolment, kind: str, module: Module | None = None) -> int:
    used = enrolment.attempts.filter(kind=kind, module=module).count()
    return max(0, _attempt_limit(enrolment, kind, module) - used)


@dataclass(frozen=True)
class FinalTests:
    """Where a learner stands with the course's pre- and post-test (the course page)."""

    pre_done: bool
    pre_left: int
    post_left: int


def final_tests(enrolment: Enrolment, evidence: results.Evidence | None = None) -> FinalTests:
    """The pre- and post-test attempts read in one query, or none when the caller has the
    enrolment's evidence (`results.gather` read every attempt). Once the post-test is started
    the pre-test is closed (start_attempt refuses it), so no pre-test is left then."""
    if evidence is not None:
        used = list(evidence.final_attempts)
    else:
        used = [
            (kind, submitted_at is not None)
            for kind, submitted_at in enrolment.attempts.filter(
                module__isnull=True, kind__in=[TestKind.PRE, TestKind.POST]
            ).values_list("kind", "submitted_at")
        ]
    pre = [submitted for kind, submitted in used if kind == TestKind.PRE]
    posts = sum(kind == TestKind.POST for kind, _ in used)
    return FinalTests(
        pre_done=any(pre),
        pre_left=0 if posts else max(0, _attempt_limit(enrolment, TestKind.PRE) - len(pre)),
        post_left=max(0, _attempt_limit(enrolment, TestKind.POST) - posts),
    )


def open_attempt(enrolment: Enrolment, kind: str, module: Module | None = None):
    return enrolment.attempts.filter(kind=kind, module=module, submitted_at__isnull=True).first()


@transaction.atomic
def start_attempt(
    *, acting_user, enrolment: Enrolment, kind: str, module=None, answering: int | None = None
) -> TestAttempt:
    """Continue the open attempt, or start the next one if any are left.

    Attempts are rows created on opening the test, so closing the page and coming back
    (or logging in on another phone) continues the same attempt: limits cannot be reset.

    `answering` is the number of the attempt a posted form answers. When that attempt was
    sent already (a double click on "send", a reload of the sent form, Back and send again)
    it is returned as it is, submitted: the same answers sent twice used a second try (and
    the last try's answers were refused as "no tries left")."""
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course", "session")
        .get(pk=enrolment.pk)
    )
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise TrainingError("ต้องลงทะเบียนเรียบร้อยก่อนทำแบบทดสอบ")
    if answering is not None:
        sent = enrolment.attempts.filter(
            kind=kind, module=module, number=answering, submitted_at__isnull=False
        ).first()
        if sent is not None:
            return sent
    current = open_attempt(enrolment, kind, module)
    if current:
        return _on_current_questions(current, enrolment.course_id, module)
    if kind == TestKind.PRE and enrolment.attempts.filter(kind=TestKind.POST).exists():
        raise TrainingError("ทำแบบทดสอบหลังเรียนแล้ว ทำแบบทดสอบก่อนเรียนไม่ได้")
    if kind in (TestKind.PRE, TestKind.POST):
        refuse_outside_test_window(enrolment)
    if module is not None and not module_unlocked(enrolment, module):
        raise TrainingError("ต้องเรียนหน่วยก่อนหน้าให้ผ่านก่อน")
    online = enrolment.course.is_online  # only an online course has modules to finish first
    if kind == TestKind.POST and online:
        evidence = results.gather(enrolment)
        modules = list(Module.objects.filter(course_id=enrolment.course_id))
        needed = results.required(enrolment.course, evidence)  # asked once, for both
        states = module_states(enrolment, evidence, modules, needed)
        if left := modules_left(states, waived_modules(enrolment, evidence, modules, needed)):
            raise TrainingError(post_test_locked_text(left))
    if attempts_left(enrolment, kind, module) <= 0:
        raise TrainingError("ใช้สิทธิ์ทำแบบทดสอบครบแล้ว")
    questions = Question.objects.filter(course=enrolment.course, module=module)
    ids = list(questions.values_list("id", flat=True))
    if not ids:
        raise TrainingError("ยังไม่มีข้อสอบ")
    number = (
        enrolment.attempts.filter(kind=kind, module=module).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    return TestAttempt.objects.create(
        enrolment=enrolment,
        kind=kind,
        module=module,
        number=number,
        question_ids=ids,
        max_score=len(ids),
    )


def _on_current_questions(attempt: TestAttempt, course_id: int, module) -> TestAttempt:
    """An open attempt follows its test's questions as they are now. Saving the questions
    replaces them (new rows), and an attempt opened before was scored on questions that no
    longer existed: 0/0, the learner's answers dropped and the try used up. It stays the
    same try (same number), now on the current questions; a test emptied meanwhile leaves
    it as it was."""
    ids = list(
        Question.objects.filter(course_id=course_id, module=module).values_list("id", flat=True)
    )
    if ids and ids != attempt.question_ids:
        attempt.question_ids, attempt.max_score = ids, len(ids)
        attempt.save(update_fields=["question_ids", "max_score"])
    return attempt


def refuse_outside_test_window(enrolment: Enrolment) -> None:
    opens, closes = results.test_window(enrolment.course, enrolment.session)
    today = timezone.localdate()
    if today < opens:
        raise TrainingError(f"แบบทดสอบเปิดวันที่ {format_thai_date(opens, style='long')} (วันแรกของรุ่น)")
    if today > closes:
        raise TrainingError(f"แบบทดสอบปิดแล้วเมื่อวันที่ {format_thai_date(closes, style='long')}")


def score_answers(questions: list[Question], answers: dict[str, int]) -> int:
    return sum(1 for q in questions if answers.get(str(q.pk)) == q.correct)


@transaction.atomic
def submit_attempt(*, acting_user, attempt: TestAttempt, answers: dict[str, int]) -> TestAttempt:
    attempt = TestAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.submitted_at:
        return attempt
    by_id = Question.objects.in_bulk(attempt.question_ids)
    questions = [by_id[i] for i in attempt.question_ids if i in by_id]
    clean = {str(q.pk): answers[str(q.pk)] for q in questions if str(q.pk) in answers}
    attempt.answers = clean
    attempt.score = score_answers(questions, clean)
    attempt.max_score = len(questions)
    attempt.submitted_at = timezone.now()
    attempt.save()
    enrolment = refresh_result(attempt.enrolment, acting_user=acting_user)
    if enrolment.course.is_online and enrolment.passed:
        _auto_issue(enrolment, acting_user=acting_user)
    return attempt


@transaction.atomic
def save_questions(*, acting_user, course: Course, module: Module | None, rows: list[dict]):
    """Replace the question set (course test or a module quiz). Rows: text, choices, correct.
    A module quiz cannot be emptied: a module without questions could never be completed
    (an empty course test means the course has no post-test, which is the officer's call)."""
    if module is not None and not rows:
        raise TrainingError(f"แบบทดสอบท้ายหน่วยที่ {module.order} ต้องมีอย่างน้อย 1 ข้อ")
    Question.objects.filter(course=course, module=module).delete()
    Question.objects.bulk_create(
        Question(
            course=course,
            module=module,
            order=i,
            text=row["text"],
            choices=row["choices"],
            correct=row["correct"],
        )
        for i, row in enumerate(rows, start=1)
    )
    audit.record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        instance=course,
        changes={"questions": [None, len(rows)], "module": [None, str(module or "")]},
    )
    events.test_opened(course, module=module, questions=len(rows))
    # A test added (or removed) is a criterion changed: nobody passes on the old rules.
    recompute_course(course, acting_user=acting_user)


# ---------------------------------------------------------------- survey and follow-up


@transaction.atomic
def submit_survey(
    *, acting_user, enrolment: Enrolment, scores: dict[int, int], comment: str
) -> SurveyResponse:
    # The participant's row is taken first and read as stored: two sendings at once (a
    # double tap) take turns, and the second finds the first one's answers, not a server
    # error on the one-response constraint.
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course__office", "session")
        .get(pk=enrolment.pk)
    )
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise TrainingError("ต้องเป็นผู้เข้าร่วมจึงตอบแบบประเมินได้")
    # Satisfaction with a course is said once it has begun: online as on paper or in a file.
    if too_early := before_session_starts(enrolment.session):
        raise TrainingError(too_early)
    if hasattr(enrolment, "survey"):
        raise TrainingError("ตอบแบบประเมินแล้ว")
    items = {i.pk: i for i in survey_items_for(enrolment.course.office)}
    if not items:
        # The office has switched every item off: an empty response would count as answered.
        raise TrainingError("สำนักงานเขตพื้นที่ยังไม่ได้เปิดใช้ข้อคำถามแบบประเมินความพึงพอใจ")
    if set(scores) != set(items) or any(not 1 <= s <= 5 for s in scores.values()):
        # Name the questions by the numbers the form shows, so a long form is finished,
        # not searched through.
        missing = [str(n) for n, pk in enumerate(items, start=1) if not 1 <= scores.get(pk, 0) <= 5]
        raise TrainingError(f"กรุณาตอบทุกข้อ (1–5): ยังไม่ได้ตอบข้อ {', '.join(missing)}")
    # A NUL pasted in is refused by PostgreSQL as a server error; a comment is as long as
    # the results import reads one.
    if refused := typed_text.problem(comment.strip(), longest=2000, label="ข้อเสนอแนะ"):
        raise TrainingError(refused)
    response = SurveyResponse.objects.create(enrolment=enrolment, comment=comment.strip())
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, item=items[pk], score=score) for pk, score in scores.items()
    )
    return response


@dataclass
class PaperRow:
    """One participant's line of a paper score sheet; None / empty means "not on paper"."""

    enrolment: Enrolment
    pre: int | None = None
    post: int | None = None
    survey: dict[int, int] = field(default_factory=dict)  # survey item id → 1..5
    comment: str = ""


def _save_paper_attempt(enrolment, kind, score, max_score, acting_user) -> dict | None:
    """Create, change or remove the one offline attempt of a kind (typed from paper, or
    imported from a file: the grid's cell shows either, queries.paper_sheet); None when
    nothing changed, else what changed, old → new ("คะแนน", and "ที่มา" when a file's score
    is corrected), each score as the grid shows it ("8/10"; None for none). A score the
    results import brought in is corrected here like a typed one: correcting it beside the
    import added a second attempt, and the wrong one, if the higher, still counted (the best
    post-test attempt counts)."""
    offline = list(
        enrolment.attempts.filter(kind=kind, module=None)
        .exclude(source=ResultSource.ONLINE)
        .order_by("number", "id")
    )
    if score is None:
        if not offline:
            return None
        TestAttempt.objects.filter(pk__in=[a.pk for a in offline]).delete()
        was = offline[-1]
        changes = {"คะแนน": [_score_text(was.score, was.max_score), None]}
        if was.source != ResultSource.PAPER:
            changes["ที่มา"] = [ResultSource(was.source).label, None]
        return changes
    if offline:
        paper, extra = offline[-1], offline[:-1]
        if paper.source == ResultSource.IMPORT:
            # Out of the file's own full marks, which the cell shows beside it ("จากไฟล์
            # 9/10"): the sheet's may be another file's (a percentage is out of 100).
            max_score = paper.max_score
        if not extra and (paper.score, paper.max_score) == (score, max_score):
            return None
        changes = {
            "คะแนน": [_score_text(paper.score, paper.max_score), _score_text(score, max_score)]
        }
        if paper.source != ResultSource.PAPER:
            changes["ที่มา"] = [ResultSource(paper.source).label, ResultSource.PAPER.label]
        # Two offline scores of one test (typed, then imported) are one score corrected.
        TestAttempt.objects.filter(pk__in=[a.pk for a in extra]).delete()
        paper.score, paper.max_score, paper.recorded_by = score, max_score, acting_user
        paper.source = ResultSource.PAPER
        paper.save(update_fields=["score", "max_score", "recorded_by", "source"])
        return changes
    number = (
        enrolment.attempts.filter(kind=kind, module=None).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    TestAttempt.objects.create(
        enrolment=enrolment,
        kind=kind,
        number=number,
        score=score,
        max_score=max_score,
        source=ResultSource.PAPER,
        recorded_by=acting_user,
        submitted_at=paper_test_taken_at(enrolment.session),
    )
    return {"คะแนน": [None, _score_text(score, max_score)]}


def _score_text(score, max_score) -> str:
    return f"{score}/{max_score}" if max_score else str(score)


PAPER_TEST_LABELS = {TestKind.PRE: "คะแนนก่อนเรียน", TestKind.POST: "คะแนนหลังเรียน"}


def _audit_paper_scores(enrolment, changes: dict, acting_user) -> None:
    """One participant's test scores corrected on the paper grid, audited item by item,
    old → new, as the satisfaction answers beside them are (_save_paper_survey): a score
    typed into an empty cell is new, not a correction, and is counted by the sheet's entry."""
    if all(before is None for before, _ in changes.values()):
        return
    removed = all(after is None for _, after in changes.values())
    audit.record(
        actor=acting_user,
        action=AuditAction.DELETE if removed else AuditAction.UPDATE,
        instance=enrolment,
        object_label=f"คะแนนจากกระดาษ {enrolment.person.full_name} ({enrolment.course.title})",
        office=enrolment.course.office,
        changes=changes,
    )


def paper_test_taken_at(session: Session) -> dt.datetime:
    """When a test recorded from a paper sheet or a file was sat, for its attempt: the sheet
    is typed after the fact, but the test was sat at the session, so no later than the end of
    its last day (now, while the session still runs). The result it completes is then dated
    within the session (the certificate's "passed on", the record's date), not on the day
    the sheet was typed, months later and in another fiscal year."""
    last_moment = timezone.make_aware(dt.datetime.combine(session.end_date, dt.time(23, 59)))
    return min(timezone.now(), last_moment)


def _save_paper_survey(enrolment, scores: dict[int, int], comment: str, acting_user, items) -> bool:
    """Create, change or remove the one offline satisfaction response (typed from paper, or
    imported from a file: the grid's cells show either, queries.paper_sheet); True when
    anything changed. Answers the results import brought in are corrected here like typed
    ones, as scores are (_save_paper_attempt): the corrected response is the office's own
    record (from paper), and the correction is audited item by item, old → new. Only the
    grid's items are compared and replaced: a sheet saved again as it was writes nothing.
    What the participant answered online stays."""
    current = SurveyResponse.objects.filter(enrolment=enrolment).first()
    if current is not None and current.source == ResultSource.ONLINE:
        return False  # answered online: the participant's own answers stay
    if current is None:
        if not scores:
            return False
        current = SurveyResponse.objects.create(
            enrolment=enrolment, comment=comment, source=ResultSource.PAPER, recorded_by=acting_user
        )
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(response=current, item_id=item_id, score=score)
            for item_id, score in scores.items()
        )
        return True
    shown = [item.pk for item in items]
    before = dict(current.answers.filter(item_id__in=shown).values_list("item_id", "score"))
    if before == scores and current.comment == comment:
        return False
    changes = {
        f"ข้อ {n}": [before.get(pk), scores.get(pk)]
        for n, pk in enumerate(shown, start=1)
        if before.get(pk) != scores.get(pk)
    }
    if current.comment != comment:
        changes["ข้อเสนอแนะ"] = [current.comment, comment]
    removed = not scores and not comment
    if current.source != ResultSource.PAPER:
        changes["ที่มา"] = [
            ResultSource(current.source).label,
            None if removed else ResultSource.PAPER.label,
        ]
    entry = {"instance": current, "object_id": str(current.pk)}
    if removed:
        current.delete()
    else:
        current.comment, current.recorded_by = comment, acting_user
        current.source = ResultSource.PAPER
        current.save(update_fields=["comment", "recorded_by", "source"])
        current.answers.filter(item_id__in=shown).delete()
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(response=current, item_id=item_id, score=score)
            for item_id, score in scores.items()
        )
    audit.record(
        actor=acting_user,
        action=AuditAction.DELETE if removed else AuditAction.UPDATE,
        **entry,
        object_label=(
            f"แบบประเมินความพึงพอใจ {enrolment.person.full_name} ({enrolment.course.title})"
        ),
        office=enrolment.course.office,
        changes=changes,
    )
    return True


def before_session_starts(session: Session) -> str:
    """Why scores and answers cannot be recorded yet ("" once the session has begun): a
    test or a satisfaction form is taken at the session, never before its first day."""
    if session.start_date <= timezone.localdate():
        return ""
    return (
        f"รุ่นนี้เริ่มวันที่ {format_thai_date(session.start_date, style='long')} "
        "บันทึกคะแนนหรือแบบประเมินก่อนวันแรกของรุ่นไม่ได้"
    )


@transaction.atomic
def record_paper_scores(
    *,
    acting_user,
    session: Session,
    rows: list[PaperRow],
    pre_max: int | None,
    post_max: int | None,
) -> int:
    """Save the scores and satisfaction answers an officer typed from paper sheets.

    They are stored as ordinary test attempts and survey responses marked "from paper", so
    results, pass/fail and the course evaluation count them like online ones. A cleared cell
    removes what was typed before; what participants did online is never overwritten.
    Returns how many participants' records changed."""
    course = session.course
    if too_early := before_session_starts(session):
        if any(row.pre is not None or row.post is not None or row.survey for row in rows):
            raise TrainingError(too_early)
    had_test = results.course_has_post_test(course)
    items = survey_items_for(course.office)
    changed, rescore = 0, []
    for row in rows:
        e = row.enrolment
        if e.session_id != session.pk or e.status != EnrolmentStatus.ENROLLED:
            raise TrainingError(f"{e.person.full_name} ไม่ได้เป็นผู้เข้าร่วมรุ่นนี้")
        scores = {}
        for kind, score, top in (
            (TestKind.PRE, row.pre, pre_max),
            (TestKind.POST, row.post, post_max),
        ):
            for what, change in (
                _save_paper_attempt(e, kind, score, top, acting_user) or {}
            ).items():
                label = PAPER_TEST_LABELS[kind]
                scores[label if what == "คะแนน" else f"{what}{label}"] = change
        tests = bool(scores)
        _audit_paper_scores(e, scores, acting_user)
        survey = _save_paper_survey(e, row.survey, row.comment.strip(), acting_user, items)
        if tests:
            rescore.append(e)
        changed += tests or survey
    if results.course_has_post_test(course) != had_test:
        # The course gained (or lost) its post-test: everyone's pass/fail depends on it now.
        recompute_course(course, acting_user=acting_user)
    else:
        for e in rescore:
            refresh_result(e, acting_user=acting_user)
    if not changed:
        # The same sheet saved again (a double click, a reload): no entry says it changed.
        return 0
    audit.record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        object_type="session",
        object_id=str(session.pk),
        object_label=f"กรอกคะแนนจากกระดาษ {session}",
        office=session.course.office,
        changes={"participants": [None, changed]},
    )
    return changed


@transaction.atomic
def submit_follow_up(*, acting_user, enrolment: Enrolment, use_level: int, report: str):
    """Send (or, until it is confirmed, send again) the report of use at work. A confirmed
    report is refused: sending it again wiped the confirmation, and with it a course passed
    on it (its hours, the "developed" count) and the standing of its certificate."""
    current = FollowUp.objects.select_for_update().filter(enrolment=enrolment).first()
    if current is not None and current.confirmed_at is not None:
        raise TrainingError(
            "รายงานการนำไปใช้นี้ได้รับการรับรองแล้วเมื่อวันที่ "
            f"{format_thai_date(timezone.localdate(current.confirmed_at), style='long')} "
            "และเป็นหลักฐานการผ่านหลักสูตรของท่าน จึงส่งใหม่หรือแก้ไขไม่ได้"
        )
    outcome = results.judge(enrolment.course, results.gather(enrolment))
    if not (enrolment.passed or outcome.ready_for_follow_up):
        raise TrainingError("รายงานการนำไปใช้ได้เมื่อผ่านเกณฑ์อื่นของหลักสูตรครบแล้ว")
    follow_up, _ = FollowUp.objects.update_or_create(
        enrolment=enrolment,
        defaults={"use_level": use_level, "report": report.strip(), "confirmed_at": None},
    )
    refresh_result(enrolment, acting_user=acting_user)
    return follow_up


@transaction.atomic
def confirm_follow_up(*, acting_user, follow_up: FollowUp, note: str) -> FollowUp:
    """Confirm a report once. A second confirmation (a double click, a second director)
    changes nothing: it moved the day the course was passed, and with it the certificate's
    date and the fiscal year its hours count in."""
    follow_up = (
        FollowUp.objects.select_for_update().select_related("enrolment").get(pk=follow_up.pk)
    )
    if follow_up.confirmed_at is not None:
        return follow_up
    follow_up.confirmed_by = acting_user
    follow_up.confirmed_at = timezone.now()
    follow_up.confirmer_note = note.strip()
    follow_up.save()
    audit.record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        instance=follow_up,
        office=follow_up.enrolment.course.office,
        object_label=f"รับรองการติดตามผล {follow_up.enrolment}",
        changes={"confirmed": [False, True]},
    )
    refresh_result(follow_up.enrolment, acting_user=acting_user)
    return follow_up


UNCONFIRM_REASON_LONGEST = 300


@transaction.atomic
def unconfirm_follow_up(*, acting_user, follow_up: FollowUp, reason: str) -> FollowUp:
    """Take back a confirmation given by mistake (the office's decision, with its reason,
    audited): the report is open again for the participant to send and for a director or
    supervisor to confirm. The result is judged again (refresh_results): a course passed on
    the confirmation is no longer passed, and its certificate goes under review there."""
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("enrolment__person", "enrolment__course__office", "confirmed_by")
        .get(pk=follow_up.pk)
    )
    name = follow_up.enrolment.person.full_name
    if follow_up.confirmed_at is None:
        raise TrainingError(f"รายงานการนำไปใช้ของ {name} ยังไม่ได้รับการรับรอง")
    reason = reason.strip()
    if not reason:
        raise TrainingError("กรุณาระบุเหตุผลที่ยกเลิกการยืนยัน")
    label = "เหตุผลที่ยกเลิกการยืนยัน"
    if refused := typed_text.problem(reason, longest=UNCONFIRM_REASON_LONGEST, label=label):
        raise TrainingError(refused)
    before = {
        "confirmed_at": follow_up.confirmed_at.isoformat(),
        "confirmed_by": getattr(follow_up.confirmed_by, "username", None),
        "confirmer_note": follow_up.confirmer_note,
    }
    follow_up.confirmed_by = None
    follow_up.confirmed_at = None
    follow_up.confirmer_note = ""
    follow_up.save(update_fields=["confirmed_by", "confirmed_at", "confirmer_note"])
    audit.record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        instance=follow_up,
        office=follow_up.enrolment.course.office,
        object_label=f"ยกเลิกการยืนยันการติดตามผล {follow_up.enrolment}",
        changes={
            "confirmed": [True, False],
            **{field_name: [value, None] for field_name, value in before.items() if value},
            "reason": [None, reason],
        },
    )
    refresh_result(follow_up.enrolment, acting_user=acting_user)
    return follow_up


# ---------------------------------------------------------------- e-learning


def module_states(
    enrolment: Enrolment,
    evidence: results.Evidence | None = None,
    modules: list[Module] | None = None,
    needed: tuple | None = None,
) -> list[tuple[Module, bool, bool]]:
    """Every module of the enrolment's course in order, with (unlocked, done): done as the
    completion rule judges it (results.ModuleEvidence.complete), unlocked when every earlier
    module is done. A fixed number of queries whatever the number of modules and lessons;
    none for the evidence or the modules when the caller has already read them
    (`results.gather`, the course's modules in order); `needed`, results.required of that
    evidence, when the caller has it (it also asks waived_modules)."""
    if modules is None:
        modules = list(Module.objects.filter(course_id=enrolment.course_id))
    if evidence is None:
        evidence = results.gather(enrolment)
    min_pct = enrolment.course.min_watched_pct
    if needed is None:
        needed = results.required(enrolment.course, evidence)
    states, all_before_done = [], True
    for module, ev, own in zip(modules, evidence.modules, needed, strict=False):
        # Done on what is required of this learner: a lesson added after they had completed
        # the course does not undo the module; a module not required locks nothing after it.
        done = ev.complete(min_pct) or (own is not None and own.complete(min_pct))
        states.append((module, all_before_done, done))
        all_before_done = all_before_done and (done or own is None)
    return states


def waived_modules(
    enrolment: Enrolment, evidence: results.Evidence, modules, needed: tuple | None = None
) -> set[int]:
    """The ids of the modules (the course's, in order) not required of this learner: added
    after they had completed the course (results.required gives them as None; `needed`, when
    the caller has it already). They may still study them."""
    if needed is None:
        needed = results.required(enrolment.course, evidence)
    return {m.pk for m, own in zip(modules, needed, strict=False) if own is None}


def modules_left(states, waived: set[int] = frozenset()) -> list[Module]:
    """The modules of `module_states` not yet done (but those `waived`). The post-test is the
    end of an online course: it opens when every module is done, as each module opens when
    the one before is (a learner who took it first could pass the course on the test
    alone)."""
    return [module for module, _, done in states if not done and module.pk not in waived]


def post_test_locked_text(left: list[Module]) -> str:
    orders = ", ".join(str(m.order) for m in left)
    return f"ทำแบบทดสอบหลังเรียนได้เมื่อเรียนผ่านครบทุกหน่วย (ยังเหลือหน่วยที่ {orders})"


def module_done(enrolment: Enrolment, module: Module) -> bool:
    return next(done for m, _, done in module_states(enrolment) if m.pk == module.pk)


def module_unlocked(enrolment: Enrolment, module: Module) -> bool:
    return next(unlocked for m, unlocked, _ in module_states(enrolment) if m.pk == module.pk)


# The lesson page reports every 30 seconds while it is in view; a gap longer than this
# (the page hidden, the phone asleep) counts as this much and no more.
ENGAGED_SECONDS_PER_REPORT = 60


def _lesson_for_learner(enrolment: Enrolment, lesson: Lesson) -> None:
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise TrainingError("ต้องลงทะเบียนเรียบร้อยก่อน")
    if not module_unlocked(enrolment, lesson.module):
        raise TrainingError("ต้องเรียนหน่วยก่อนหน้าให้ผ่านก่อน")


@transaction.atomic
def open_lesson(*, acting_user, enrolment: Enrolment, lesson: Lesson) -> LessonProgress:
    """The learner opened the lesson page: start (or continue) counting their time."""
    _lesson_for_learner(enrolment, lesson)
    now = timezone.now()
    progress, created = LessonProgress.objects.get_or_create(
        enrolment=enrolment, lesson=lesson, defaults={"opened_at": now, "last_seen_at": now}
    )
    if not created and progress.completed_at is None:
        # Reopening starts a new stretch; time away from the page is not counted.
        progress.last_seen_at = now
        progress.save(update_fields=["last_seen_at"])
    return progress


@transaction.atomic
def record_lesson_time(
    *,
    acting_user,
    enrolment: Enrolment,
    lesson: Lesson,
    position: float | None = None,
    duration: float | None = None,
    read_to_end: bool = False,
) -> LessonProgress:
    """A report from the lesson page in view: add the time since the last report (capped);
    with it, how far the video has been watched without skipping (`position`, of
    `duration` seconds) and whether the end of the text has been reached."""
    progress = (
        LessonProgress.objects.select_for_update()
        .filter(enrolment=enrolment, lesson=lesson)
        .first()
    )
    if progress is None:
        progress = open_lesson(acting_user=acting_user, enrolment=enrolment, lesson=lesson)
        progress = LessonProgress.objects.select_for_update().get(pk=progress.pk)
    now = timezone.now()
    fields = []
    if progress.completed_at is None:
        gap = (now - (progress.last_seen_at or now)).total_seconds()
        progress.engaged_seconds += int(min(max(gap, 0), ENGAGED_SECONDS_PER_REPORT))
        progress.last_seen_at = now
        fields += ["engaged_seconds", "last_seen_at"]
    if position is not None and lesson_rules.media(lesson).measured:
        _record_watching(lesson, progress, position=position, duration=duration, now=now)
        fields += ["watched_seconds", "watch_reported_at"]
    if read_to_end and progress.read_to_end_at is None:
        progress.read_to_end_at = now
        fields.append("read_to_end_at")
    if fields:
        progress.save(update_fields=fields)
    return progress


def _record_watching(lesson: Lesson, progress: LessonProgress, *, position, duration, now) -> None:
    """Keep the video's length (the longest any player reported) and the learner's furthest
    continuous position, believed only as far as the time since the last report allows."""
    if duration and 0 < duration <= lesson_rules.LONGEST_VIDEO_SECONDS:
        if int(duration) > (lesson.video_seconds or 0):
            lesson.video_seconds = int(duration)
            Lesson.objects.filter(pk=lesson.pk).update(video_seconds=lesson.video_seconds)
    progress.watched_seconds = lesson_rules.believable_position(
        watched=progress.watched_seconds,
        reported=max(0.0, float(position)),
        duration=lesson.video_seconds or 0,
        since=progress.watch_reported_at or progress.opened_at,
        now=now,
    )
    progress.watch_reported_at = now


def lesson_minutes_needed(enrolment: Enrolment, progress: LessonProgress | None) -> int:
    """Whole minutes still to spend on a lesson before it can be marked done."""
    needed = enrolment.course.min_lesson_minutes * 60 - (
        progress.engaged_seconds if progress else 0
    )
    return max(0, -(-needed // 60))


@transaction.atomic
def complete_lesson(*, acting_user, enrolment: Enrolment, lesson: Lesson) -> None:
    """Mark a lesson done, only once the learner has spent the course's minimum time on it,
    watched the required part of its video or read its text to the end."""
    _lesson_for_learner(enrolment, lesson)
    progress = record_lesson_time(acting_user=acting_user, enrolment=enrolment, lesson=lesson)
    if progress.completed_at is None:
        left = lesson_minutes_needed(enrolment, progress)
        missing = lesson_rules.unmet(enrolment.course, lesson, progress)
        if left:
            spent = progress.engaged_seconds // 60
            missing.insert(
                0,
                f"บทนี้ต้องเรียนอย่างน้อย {enrolment.course.min_lesson_minutes} นาที "
                f"(เรียนไปแล้ว {spent} นาที เหลืออีก {left} นาที)",
            )
        if missing:
            raise TrainingError(missing)
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at"])
    enrolment = refresh_result(enrolment, acting_user=acting_user)
    if enrolment.passed:
        _auto_issue(enrolment, acting_user=acting_user)


@transaction.atomic
def save_module(*, acting_user, module: Module) -> Module:
    """Add or edit a module; its course's participants are judged again (a new module is a
    new requirement for everyone who had not yet completed the course when it was added:
    its moment is kept, and whoever had met every criterion before it keeps their result,
    hours and certificate, results.waived). Two modules of one number are refused: learners
    saw two "หน่วยที่ 1" (the reasons of a result named neither apart), and a double click
    added the module twice, each one more to complete."""
    is_new = module.pk is None
    if is_new:
        module.added_at = timezone.now()
    same = Module.objects.filter(course_id=module.course_id, order=module.order).exclude(
        pk=module.pk
    )
    if taken := same.first():
        raise TrainingError(f"หลักสูตรนี้มีหน่วยที่ {module.order} แล้ว (“{taken.title}”) ใช้ลำดับอื่น")
    module.save()
    audit.record(
        actor=acting_user,
        action=AuditAction.CREATE if is_new else AuditAction.UPDATE,
        instance=module,
        office=module.course.office,
        changes={"title": [None, module.title], "quiz_pass_pct": [None, module.quiz_pass_pct]},
    )
    recompute_course(module.course, acting_user=acting_user)
    return module


@transaction.atomic
def save_lesson(*, acting_user, lesson: Lesson) -> Lesson:
    """Add or edit a lesson; two lessons of one number in a module are refused, as modules.
    A new lesson is required of everyone who had not completed the course when it was added
    (its moment is kept, as a module's: results.required)."""
    is_new = lesson.pk is None
    if is_new:
        lesson.added_at = timezone.now()
    same = Lesson.objects.filter(module_id=lesson.module_id, order=lesson.order).exclude(
        pk=lesson.pk
    )
    if taken := same.first():
        raise TrainingError(
            f"หน่วยที่ {lesson.module.order} มีบทที่ {lesson.order} แล้ว (“{taken.title}”) ใช้ลำดับอื่น"
        )
    # What the lesson played before this save (a new link or clip is another video).
    was = Lesson.objects.filter(pk=lesson.pk).values_list("video_url", "file").first()
    lesson.save()
    if was is not None and (was[0], was[1] or "") != (lesson.video_url, lesson.file.name or ""):
        _video_replaced(lesson)
    course = lesson.module.course
    audit.record(
        actor=acting_user,
        action=AuditAction.CREATE if is_new else AuditAction.UPDATE,
        instance=lesson,
        office=course.office,
        changes={"title": [None, lesson.title], "module": [None, str(lesson.module)]},
    )
    recompute_course(course, acting_user=acting_user)
    return lesson


def _video_replaced(lesson: Lesson) -> None:
    """The lesson now plays another video (a new link or clip): its length is learnt again
    from the players of the new one, and where learners had got to in the old one says
    nothing of the new one. The length kept was the old video's (the longest reported wins),
    so a shorter new video could never be watched to the course's % and no one could finish
    the lesson. A lesson already completed stays completed (judged on what it now plays)."""
    lesson.video_seconds = None
    Lesson.objects.filter(pk=lesson.pk).update(video_seconds=None)
    LessonProgress.objects.filter(lesson=lesson, completed_at__isnull=True).update(
        watched_seconds=0, watch_reported_at=None
    )


# ---------------------------------------------------------------- certificates


def _new_code() -> str:
    # 10 characters of an unambiguous alphabet: ~50 bits, unguessable, easy to type.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def valid_until(course: Course, passed_on: dt.date) -> dt.date | None:
    """The last day a certificate of someone who passed on `passed_on` counts, when the course
    sets a validity (29 February rolls back to the 28th in a year without one). It runs from
    the pass, not from the issue: counted from the issue, a certificate issued months late,
    or reissued to correct a name, gained validity the holder never earned."""
    years = course.certificate_valid_years
    if not years:
        return None
    try:
        return passed_on.replace(year=passed_on.year + years)
    except ValueError:
        return passed_on.replace(year=passed_on.year + years, day=28)


def _snapshot_certificate(enrolment: Enrolment, *, acting_user, replaces=None) -> Certificate:
    course = enrolment.course
    return _certificate_for(
        enrolment,
        serial=_next_serial(course),
        rules=rules_for(course.office),
        today=timezone.localdate(),
        acting_user=acting_user,
        replaces=replaces,
    )


def _number_prefix(course: Course) -> str:
    return f"{course.fiscal_year}/{course.pk}/"


def _next_serial(course: Course) -> int:
    """The serial of the course's next certificate number: one more than the highest given,
    counting the certificates of person records deleted since (they keep their numbers and
    still verify), so no number is ever given twice. Counting the course's certificates gave
    a deleted record's successor a number already printed. The course row is locked first:
    two certificates of one course issued at once are numbered one after the other."""
    list(Course.objects.select_for_update().filter(pk=course.pk).values_list("pk", flat=True))
    prefix = _number_prefix(course)
    numbers = [
        *Certificate.objects.filter(enrolment__course=course).values_list("number", flat=True),
        *Certificate.objects.filter(enrolment__isnull=True, number__startswith=prefix).values_list(
            "number", flat=True
        ),
    ]
    return numerals.next_serial(numbers, prefix)


def _certificate_for(
    enrolment: Enrolment, *, serial: int, rules: TrainingRules, today, acting_user, replaces=None
) -> Certificate:
    """The certificate as it will be printed: a snapshot of the participant, the course and
    its signer today, numbered `serial` within the course."""
    course = enrolment.course
    completed_on = enrolment.completed_on or today
    return Certificate(
        enrolment=enrolment,
        code=_new_code(),
        number=f"{_number_prefix(course)}{serial:04d}",
        person_name=enrolment.person.full_name,
        course_title=course.title,
        office_name=course.office.name,
        hours=enrolment.hours_credited,
        completed_on=completed_on,
        issued_on=today,
        valid_until=valid_until(course, completed_on),
        signer_name=course.signer_name or rules.signer_name,
        signer_title=course.signer_title or rules.signer_title,
        replaces=replaces,
        issued_by=acting_user if getattr(acting_user, "pk", None) else None,
    )


def certifiable(enrolment: Enrolment) -> bool:
    """Whether a certificate may be issued to this participant: an enrolled participant whose
    stored result is a pass (results.judge passes enrolled participants only; the status is
    asked again so that no stale result of a cancelled or refused enrolment is certified)."""
    return enrolment.passed and enrolment.status == EnrolmentStatus.ENROLLED


CERTIFIABLE = Q(passed=True, status=EnrolmentStatus.ENROLLED)  # certifiable(), in a query


@transaction.atomic
def issue_certificate(
    *, acting_user, enrolment: Enrolment, sign_credential: bool = True
) -> Certificate:
    """Issue (or return) the valid certificate of a participant who passed. A bulk batch
    passes sign_credential=False and signs all its credentials at once afterwards."""
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course__office", "person")
        .get(pk=enrolment.pk)
    )
    current = enrolment.certificates.filter(status=CertificateStatus.VALID).first()
    if current:
        return current
    if not certifiable(enrolment):
        raise TrainingError(f"ยังไม่ผ่านเกณฑ์ของหลักสูตร ({enrolment.result_text})")
    certificate = _snapshot_certificate(enrolment, acting_user=acting_user)
    certificate.save()
    audit.record(
        actor=acting_user,
        action=AuditAction.CREATE,
        instance=certificate,
        office=enrolment.course.office,
        changes={"code": [None, certificate.code]},
    )
    if sign_credential:
        _sign_credential(certificate, enrolment.course)
    events.certificate_issued(certificate)
    return certificate


@transaction.atomic
def issue_missing_certificates(*, acting_user, course: Course) -> list[Certificate]:
    """What issue_certificate does (without signing) for every participant of the course who
    passed and has no valid certificate: the same certificates, numbered in the same order,
    audited and announced the same way, in a few statements for the whole course rather
    than about fifteen per participant. A course's batch signs their credentials after."""
    candidates = (
        Enrolment.objects.select_for_update(of=("self",))
        .filter(CERTIFIABLE, course=course)
        .exclude(certificates__status=CertificateStatus.VALID)
        # A revoked certificate stays revoked: issuing again is reissue_certificate, the
        # office's decision per person with a reason. The batch re-issued it while the
        # result was still a pass, undoing the revocation.
        .exclude(certificates__status=CertificateStatus.REVOKED)
        .select_related("course__office", "person")
    )
    enrolments = list(candidates)
    # Looked at again once locked: a participant's own download may have issued theirs
    # while this waited for the lock.
    issued_meanwhile = set(
        Certificate.objects.filter(
            enrolment__course=course, status=CertificateStatus.VALID
        ).values_list("enrolment_id", flat=True)
    )
    enrolments = [e for e in enrolments if certifiable(e) and e.pk not in issued_meanwhile]
    if not enrolments:
        return []
    office = course.office
    rules = rules_for(office)
    first = _next_serial(course)
    today = timezone.localdate()
    certificates = Certificate.objects.bulk_create(
        _certificate_for(e, serial=first + i, rules=rules, today=today, acting_user=acting_user)
        for i, e in enumerate(enrolments)
    )
    audit.record_many(
        [
            audit.entry(
                actor=acting_user,
                action=AuditAction.CREATE,
                instance=c,
                office=office,
                changes={"code": [None, c.code]},
            )
            for c in certificates
        ]
    )
    events.certificates_issued(certificates)
    return certificates


def _sign_credential(certificate: Certificate, course: Course) -> None:
    """The certificate's signed Open Badges credential, issued with it (an office without a
    signing key yet gets it later, when it is first downloaded or the course's batch runs)."""
    from .certificates import credential_claim

    credential_actions.issue_if_possible([credential_claim(certificate, course)])


@transaction.atomic
def certificate_credential(certificate: Certificate) -> Credential:
    """The certificate's signed credential, signed now when its office could not sign at
    issue (keys.KeyUnavailable while it still cannot). A certificate revoked or replaced
    before its credential was signed had no status-list bit to set then: its credential is
    revoked as it is signed, so no verifier, here or outside, ever finds it valid."""
    from .certificates import credential_claim

    course = Course.objects.select_related("office", "project").get(
        pk=certificate.enrolment.course_id
    )
    credential = credential_actions.ensure(credential_claim(certificate, course))
    if certificate.status != CertificateStatus.VALID and credential.revoked_at is None:
        credential_actions.revoke(certificate.code)
        credential.refresh_from_db()
    return credential


def revoked_without_valid(course: Course) -> list[Certificate]:
    """The last revoked certificate of each participant of the course who passed but holds
    no valid one: those the course's batch leaves out (and says so), in number order."""
    latest: dict[int, Certificate] = {}
    for cert in (
        Certificate.objects.filter(enrolment__course=course, status=CertificateStatus.REVOKED)
        .filter(enrolment__passed=True, enrolment__status=EnrolmentStatus.ENROLLED)
        .exclude(enrolment__certificates__status=CertificateStatus.VALID)
        .order_by("revoked_at", "id")
    ):
        latest[cert.enrolment_id] = cert
    return sorted(latest.values(), key=lambda c: c.number)


def revoked_certificate(enrolment: Enrolment) -> Certificate | None:
    """The participant's last revoked certificate, when they hold no valid one. Issuing
    again after a revocation is the office's decision, per person with a reason
    (reissue_certificate): the holder's own request, a self-paced course's completion and
    the course's batch do not."""
    return queries.certificate_standing(enrolment)[1]


def issue_own_certificate(*, acting_user, enrolment: Enrolment) -> Certificate:
    """A participant asking for their certificate (the course page's button): as
    issue_certificate, except that a revoked one is not replaced by asking. The button
    issued a new valid certificate the day after the office revoked the old one."""
    if revoked := revoked_certificate(enrolment):
        raise TrainingError(
            f"เกียรติบัตรเลขที่ {revoked.number} ถูกเพิกถอนแล้ว ({revoked.revoke_reason}) "
            "การออกเกียรติบัตรใหม่ให้ติดต่อเจ้าหน้าที่ผู้รับผิดชอบหลักสูตร"
        )
    return issue_certificate(acting_user=acting_user, enrolment=enrolment)


def _auto_issue(enrolment: Enrolment, *, acting_user) -> None:
    """A self-paced course issues its certificate itself once passed (all modules and the
    final test, as its page states), except after the office revoked one: a lesson reviewed
    after a revocation issued a new one."""
    if revoked_certificate(enrolment):
        return
    if not enrolment.certificates.filter(status=CertificateStatus.VALID).exists():
        issue_certificate(acting_user=acting_user, enrolment=enrolment)


@transaction.atomic
def revoke_certificate(*, acting_user, certificate: Certificate, reason: str) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != CertificateStatus.VALID:
        raise TrainingError("เกียรติบัตรนี้ไม่ได้อยู่ในสถานะใช้ได้")
    if not reason.strip():
        raise TrainingError("กรุณาระบุเหตุผล")
    longest = Certificate._meta.get_field("revoke_reason").max_length
    if refused := typed_text.problem(reason.strip(), longest=longest):
        raise TrainingError(refused)
    certificate.status = CertificateStatus.REVOKED
    certificate.needs_review = False
    certificate.review_flagged_at = None
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = acting_user
    certificate.revoke_reason = reason.strip()
    certificate.save()
    credential_actions.revoke(certificate.code)  # its bit in the published status list
    audit.record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        instance=certificate,
        office=certificate.enrolment.course.office,
        changes={"status": ["ใช้ได้", "เพิกถอนแล้ว"], "reason": [None, certificate.revoke_reason]},
    )
    events.certificate_revoked(certificate)
    return certificate


# A kept certificate's review_reason: the officer's note, then what it was kept despite (the
# result's problems then), so that judging again with the same result does not flag it anew.
KEPT = CERTIFICATE_KEPT
KEPT_DESPITE = " · เมื่อ: "
KEPT_REASON_CHARS = 240
KEPT_NOTE_CHARS = 250  # the officer's note; with the rest, within review_reason's 500


def _kept_reason(note: str, problems: str) -> str:
    return f"{KEPT}{note[:KEPT_NOTE_CHARS]}{KEPT_DESPITE}{problems[:KEPT_REASON_CHARS]}"


def _kept_despite(review_reason: str) -> str | None:
    """What a kept certificate was kept despite; "" for one kept before this was recorded
    (kept until the result has problems again); None when it was not kept."""
    if not review_reason.startswith(KEPT):
        return None
    return review_reason.rpartition(KEPT_DESPITE)[2] if KEPT_DESPITE in review_reason else ""


@transaction.atomic
def keep_certificate(*, acting_user, certificate: Certificate, note: str) -> Certificate:
    """The officer looked at a flagged certificate and decided it stays valid (for example,
    the holder sat the course under the criteria of the time). The decision and its reason
    are audited; the flag stays cleared until the result changes again."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("enrolment")
        .get(pk=certificate.pk)
    )
    # Under review: flagged, or (read with its enrolment) a result that does not support it.
    if certificate.standing != CertificateStanding.UNDER_REVIEW:
        raise TrainingError("เกียรติบัตรนี้ไม่ได้รอการตรวจสอบ")
    if not note.strip():
        raise TrainingError("กรุณาระบุเหตุผลที่คงเกียรติบัตรไว้")
    if refused := typed_text.problem(note.strip(), longest=KEPT_NOTE_CHARS):
        raise TrainingError(refused)
    before, flagged = certificate.review_reason, certificate.needs_review
    certificate.needs_review = False
    certificate.review_reason = _kept_reason(note.strip(), before)
    certificate.review_flagged_at = None
    certificate.save(update_fields=["needs_review", "review_reason", "review_flagged_at"])
    audit.record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        instance=certificate,
        office=certificate.enrolment.course.office,
        changes={
            "needs_review": [flagged, False],
            "review_reason": [before, certificate.review_reason],
        },
    )
    return certificate


@transaction.atomic
def reissue_certificate(*, acting_user, certificate: Certificate, reason: str = "") -> Certificate:
    """A new certificate with today's data (e.g. a corrected name); the old one is kept,
    marked as replaced, and its verification page points to the new one. Issuing again
    after a revocation undoes the office's decision, so it needs the reason, audited."""
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    reason = reason.strip()
    if old.status == CertificateStatus.REVOKED and not reason:
        raise TrainingError(f"เกียรติบัตรเลขที่ {old.number} ถูกเพิกถอนแล้ว กรุณาระบุเหตุผลที่ออกใหม่")
    longest = Certificate._meta.get_field("revoke_reason").max_length
    if reason and (refused := typed_text.problem(reason, longest=longest)):
        raise TrainingError(refused)
    enrolment = Enrolment.objects.select_related("course__office", "person").get(
        pk=old.enrolment_id
    )
    if not certifiable(enrolment):
        raise TrainingError("ผู้เข้าร่วมไม่ผ่านเกณฑ์แล้ว ออกใหม่ไม่ได้")
    if Certificate.objects.filter(replaces=old).exists():
        # One certificate is replaced once: the next correction starts from its replacement.
        raise TrainingError("ฉบับนี้มีฉบับใหม่ออกแทนแล้ว ให้ออกใหม่จากฉบับล่าสุด")
    if old.status == CertificateStatus.VALID:
        old.status = CertificateStatus.REPLACED
        old.save(update_fields=["status"])
        credential_actions.revoke(old.code)
    elif enrolment.certificates.filter(status=CertificateStatus.VALID).exists():
        raise TrainingError("มีเกียรติบัตรฉบับที่ใช้ได้อยู่แล้ว")
    new = _snapshot_certificate(enrolment, acting_user=acting_user, replaces=old)
    new.save()
    audit.record(
        actor=acting_user,
        action=AuditAction.CREATE,
        instance=new,
        office=enrolment.course.office,
        changes={"replaces": [None, old.code], "code": [None, new.code]}
        | ({"reason": [None, reason]} if reason else {}),
    )
    _sign_credential(new, enrolment.course)
    events.certificate_issued(new)
    return new


def batch_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "training" / "batches"
    path.mkdir(parents=True, exist_ok=True)
    return path


@transaction.atomic
def start_certificate_batch(*, acting_user, course: Course, base_url: str = "") -> CertificateBatch:
    running = course.batches.filter(status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING]).first()
    if running:
        return running
    batch = CertificateBatch.objects.create(
        course=course, requested_by=acting_user, base_url=base_url
    )
    from . import tasks

    transaction.on_commit(lambda: tasks.generate_certificates.enqueue(batch.pk))
    return batch


def run_certificate_batch(*, batch_id: int) -> CertificateBatch:
    """Issue what is missing (one transaction), then render every valid certificate of the
    course into one zip, reporting progress on the batch row as it goes."""
    from .certificates import course_achievement_document, credential_claim, render_many_to_zip

    batch = CertificateBatch.objects.select_related("course__office", "course__project").get(
        pk=batch_id
    )
    user = batch.requested_by
    started = time.perf_counter()
    CertificateBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)
    try:
        issue_missing_certificates(acting_user=user, course=batch.course)
        skipped = [
            {"name": c.person_name, "number": c.number, "reason": c.revoke_reason}
            for c in revoked_without_valid(batch.course)
        ]
        CertificateBatch.objects.filter(pk=batch.pk).update(skipped_revoked=skipped)
        # A certificate waiting for the officer's review (its holder's result no longer
        # supports it) is not printed with the others until the officer decides.
        certificates = list(
            Certificate.objects.filter(
                enrolment__course=batch.course, status=CertificateStatus.VALID
            )
            .exclude(CERTIFICATE_UNDER_REVIEW)
            .order_by("number")
        )
        CertificateBatch.objects.filter(pk=batch.pk).update(total=len(certificates))
        # The credentials of the certificates just issued (and of any issued before their
        # office could sign), signed here in the worker, all at once.
        achievement = course_achievement_document(batch.course)
        credential_actions.issue(
            [credential_claim(c, batch.course, achievement=achievement) for c in certificates]
        )
        tokens = dict(
            Credential.objects.filter(code__in=[c.code for c in certificates]).values_list(
                "code", "token"
            )
        )

        def progress(done: int) -> None:
            CertificateBatch.objects.filter(pk=batch.pk).update(done=done)

        name = f"certificates-{batch.course_id}-{batch.pk}.zip"
        render_many_to_zip(
            certificates,
            batch_dir() / name,
            base=batch.base_url or None,
            progress=progress,
            thai_digits=rules_for(batch.course.office).thai_digits,
            credentials=tokens,
        )
        CertificateBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.DONE,
            done=len(certificates),
            file_name=name,
            finished_at=timezone.now(),
            seconds=time.perf_counter() - started,
        )
    except Exception as exc:  # the page must show the failure, not spin forever
        CertificateBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    batch.refresh_from_db()
    return batch
