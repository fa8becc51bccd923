"""Every write of the community app: atomic, takes the acting user, leaves an audit entry."""

import secrets
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.roles import EDIT_SETTINGS, MANAGE_AWARDS, NOMINATE_AWARDS, Role, can
from credentials import actions as credential_actions
from krupd import repeats, uploads
from krupd.lib import numerals, thai_dates, typed_text
from krupd.lib.clipping import clip
from krupd.lib.numerals import format_percent
from notifications import events
from registry import audit
from registry.models import AuditAction, Person, School
from reporting import developed

from . import awards, coaches, goal_measures, goal_rules, search
from .certificates import credential_claim
from .models import (
    MOU,
    AwardCertificate,
    AwardCertificateStatus,
    AwardCriterion,
    AwardLevel,
    AwardProgramme,
    AwardResult,
    AwardRound,
    BestPractice,
    CommunityRules,
    JointActivity,
    NetworkActivity,
    NetworkBudget,
    NetworkGoal,
    NetworkProfile,
    Nomination,
    NominationSource,
    Partner,
    PLCEvidence,
    PLCGroup,
    PLCMeeting,
    PracticeStatus,
    ResultOutcome,
    RoundStatus,
    Score,
    Visit,
    VisitStatus,
)
from .queries import academic_year_on, judge_conflict, rules_for, scoring_judge_ids


class CommunityError(ValidationError):
    """A rule of the domain refused the write; the message is for the user."""


def _record(acting_user, action, instance, office=None, changes=None, label=""):
    audit.record(
        actor=acting_user,
        action=action,
        instance=instance,
        office=office or getattr(instance, "office", None) or acting_user.office,
        changes=changes,
        object_label=label,
    )


# Said when the database refuses a row its checks let through: someone saved the same name
# a moment earlier (a double-clicked button, two officers at once).
SAVED_MEANWHILE = "บันทึกไม่ได้ เพราะมีข้อมูลเดียวกันนี้ถูกบันทึกไปแล้ว กรุณาตรวจสอบรายการแล้วลองอีกครั้ง"


def _check_and_save(instance) -> None:
    """Save one row after the model's own checks, refusing with a Thai CommunityError that
    names the field. A form checks only its own fields: a rule over a field the view set
    (the office of a partner's unique name) is checked here, and must reach the user as a
    message on the form, not as a server error."""
    try:
        instance.full_clean()
    except ValidationError as error:
        raise CommunityError(_labelled(instance, error)) from None
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            instance.save()
    except IntegrityError:
        raise CommunityError(SAVED_MEANWHILE) from None


REPEATED_ROW = repeats.REPEATED_ROW


def _refuse_repeat(row, *, parent) -> None:
    """A new row saying exactly what a saved one says is the same form posted twice: a
    double click, a reload (krupd.repeats; the parent's row is taken first)."""
    if repeats.saved_already(row, parent=parent):
        raise CommunityError(REPEATED_ROW)


def _labelled(instance, error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return error.messages
    found = []
    for name, errors in error.message_dict.items():
        try:
            label = instance._meta.get_field(name).verbose_name
        except FieldDoesNotExist:  # "__all__": a rule over several fields
            label = ""
        found += [f"{label}: {message}" if label else message for message in errors]
    return found


def _save(acting_user, instance, fields: list[str], office=None, label=""):
    """Save one row and audit what changed."""
    is_new = instance.pk is None
    before = {} if is_new else audit.snapshot(type(instance).objects.get(pk=instance.pk), fields)
    _check_and_save(instance)
    changes = audit.diff(before, audit.snapshot(instance, fields))
    if is_new or changes:
        action = AuditAction.CREATE if is_new else AuditAction.UPDATE
        _record(acting_user, action, instance, office=office, changes=changes, label=label)
    return instance


@transaction.atomic
def save_rules(*, acting_user, rules: CommunityRules) -> CommunityRules:
    """The office's PLC hour target and term dates."""
    if not can(acting_user, EDIT_SETTINGS) or acting_user.office_id != rules.office_id:
        raise CommunityError("ไม่มีสิทธิ์แก้ไขการตั้งค่า")
    fields = ["plc_hour_target", "term_one_opens", "term_two_opens"]
    before = audit.snapshot(CommunityRules.objects.get(pk=rules.pk), fields) if rules.pk else {}
    _check_and_save(rules)
    # Compare stored values (the form's Decimal("50") and the stored 50.0 are the same).
    after = audit.snapshot(CommunityRules.objects.get(pk=rules.pk), fields)
    if changes := audit.diff(before, after):
        _record(
            acting_user,
            AuditAction.UPDATE,
            rules,
            changes=changes,
            label=f"การตั้งค่างานชุมชน {rules.office.name}",
        )
    return rules


# ----------------------------------------------------------------------------------- PLC

PLC_FIELDS = [
    "level",
    "school",
    "network",
    "name",
    "topic",
    "target_learners",
    "learning_area",
    "facilitator",
    "academic_year",
]


@transaction.atomic
def save_plc_group(*, acting_user, group: PLCGroup, members) -> PLCGroup:
    if acting_user.role == Role.SCHOOL_DIRECTOR and group.school_id != acting_user.school_id:
        raise CommunityError("ผู้อำนวยการสร้างกลุ่ม PLC ได้เฉพาะของสถานศึกษาตนเอง")
    _refuse_repeat(group, parent=group.office)  # a new group's form posted twice
    _refuse_far_academic_year(group)
    if group.pk:
        _refuse_meetings_far_from_year(group)
    _save(acting_user, group, PLC_FIELDS)
    members = set(members) | {group.facilitator}
    if any(p.office_id != group.office_id for p in members):
        raise CommunityError("สมาชิกต้องเป็นบุคลากรในเขตพื้นที่เดียวกัน")
    group.members.set(members)
    return group


def _refuse_far_academic_year(group: PLCGroup) -> None:
    """A group is formed for a year near today, as records about a fiscal year are
    (thai_dates.FISCAL_YEARS_BACK/AHEAD): 2590 or 2468 is a year typed wrong."""
    current = academic_year_on(timezone.localdate(), rules_for(group.office))
    low = current - thai_dates.FISCAL_YEARS_BACK
    high = current + thai_dates.FISCAL_YEARS_AHEAD
    if group.academic_year and not low <= group.academic_year <= high:
        raise CommunityError(
            f"ปีการศึกษา {thai_dates.year_label(group.academic_year)} ของกลุ่ม PLC "
            f"อยู่นอกช่วงที่บันทึกได้ (ปีการศึกษา {thai_dates.year_label(low)}–{thai_dates.year_label(high)})"
        )


def plc_year_span(group: PLCGroup, *, margin: int = 0) -> tuple:
    """The first and last day of the group's academic year (with `margin` years either side),
    by the office's term-1 opening: the one reading of an academic year
    (community.queries.academic_year_on)."""
    opens = rules_for(group.office).term_opening(1)
    first = thai_dates.academic_year_span(group.academic_year - margin, term_one_opens=opens)[0]
    last = thai_dates.academic_year_span(group.academic_year + margin, term_one_opens=opens)[1]
    return first, last


def _year_span_text(group: PLCGroup) -> str:
    return (
        f"ปีการศึกษา {thai_dates.year_label(group.academic_year)} ของกลุ่มนี้ "
        f"({thai_dates.period_label(*plc_year_span(group))})"
    )


def plc_meeting_year_notice(meeting: PLCMeeting) -> str:
    """A meeting of the year next to its group's (begun in the term before, carried into the
    next) is recorded, and said, so a year typed wrong is seen: its hours count in the fiscal
    year of its date. "" when the meeting is within its group's year."""
    span = plc_year_span(meeting.group)
    if span[0] <= meeting.date <= span[1]:
        return ""
    return (
        f"วันที่ประชุม ({thai_dates.format_thai_date(meeting.date, style='medium')}) อยู่นอก"
        f"{_year_span_text(meeting.group)} — บันทึกไว้แล้ว หากกรอกปีผิด ให้แก้วันที่"
    )


def _refuse_meeting_far_from_year(meeting: PLCMeeting) -> None:
    """A group is the PLC of one academic year: a meeting more than a year from it is a year
    typed wrong (2565 for 2568, a CE year read as another), whose hours would count there."""
    allowed = plc_year_span(meeting.group, margin=1)
    if meeting.date and not allowed[0] <= meeting.date <= allowed[1]:
        raise CommunityError(
            f"วันที่ประชุม ({thai_dates.format_thai_date(meeting.date, style='medium')}) ห่างจาก"
            f"{_year_span_text(meeting.group)} เกินหนึ่งปี — บันทึกได้ตั้งแต่ "
            f"{thai_dates.format_thai_date(allowed[0], style='medium')} "
            f"ถึง {thai_dates.format_thai_date(allowed[1], style='medium')} "
            "ตรวจปี พ.ศ. ที่กรอก หรือบันทึกในกลุ่มของปีการศึกษานั้น"
        )


def _refuse_meetings_far_from_year(group: PLCGroup) -> None:
    """A group's year changed under meetings already logged would leave them far from it."""
    allowed = plc_year_span(group, margin=1)
    outside = group.meetings.exclude(date__range=allowed).order_by("date")
    if first := outside.first():
        raise CommunityError(
            f"เปลี่ยนเป็น{_year_span_text(group)} ไม่ได้: มีบันทึกการประชุม "
            f"{outside.count():,} ครั้งห่างจากปีนี้เกินหนึ่งปี (เช่น วันที่ "
            f"{thai_dates.format_thai_date(first.date, style='medium')})"
        )


def _refuse_future(day, label: str, advice: str) -> None:
    """A record of something that happened (a PLC meeting, a visit made) cannot be dated after
    today: its hours and coverage would count before it took place."""
    if day and day > timezone.localdate():
        raise CommunityError(f"{label} ({thai_dates.format_thai_date(day)}) ยังไม่ถึง — {advice}")


@transaction.atomic
def log_plc_meeting(
    *, acting_user, meeting: PLCMeeting, attendees, files=(), refuse_repeat: bool = False
) -> PLCMeeting:
    """Record one PLC meeting; each attendee earns its hours in their yearly PLC record.

    `refuse_repeat` (the page's form): a new record saying exactly what one of the group's
    records says is that record posted again, refused rather than counted twice. Imports and
    other callers may record two short meetings alike on a day."""
    allowed = set(meeting.group.members.values_list("pk", flat=True)) | {
        meeting.group.facilitator_id
    }
    attendees = list(attendees)
    if not attendees:
        raise CommunityError("ระบุผู้เข้าร่วมอย่างน้อย 1 คน")
    _refuse_future(meeting.date, "วันที่ประชุม PLC", "บันทึกการประชุมได้เมื่อประชุมแล้ว")
    _refuse_meeting_far_from_year(meeting)
    if any(p.pk not in allowed for p in attendees):
        raise CommunityError("ผู้เข้าร่วมต้องเป็นสมาชิกของกลุ่ม")
    if meeting.pk is None and refuse_repeat:
        # Taking the group's row first makes a double click's two posts take turns, so the
        # second sees the first's meeting.
        PLCGroup.objects.select_for_update().filter(pk=meeting.group_id).first()
        _refuse_repeated_meeting(meeting, attendees)
    meeting.recorded_by = acting_user
    meeting.full_clean(exclude=["recorded_by"])
    # The attendees' stored "developed" counts change with their PLC hours, in this transaction
    # (an edited meeting's former attendees too).
    former = list(meeting.attendees.values_list("pk", flat=True)) if meeting.pk else []
    with developed.keeping([*former, *(p.pk for p in attendees)]):
        meeting.save()
        meeting.attendees.set(attendees)
    # The same file picked twice (in this post, or already on the record) is kept once.
    kept = [e.file for e in meeting.evidence.all()]
    for f in files:
        if uploads.same_content(f, kept) is None:
            PLCEvidence.objects.create(meeting=meeting, file=f, label=clip(f.name, 200))
            kept.append(f)
    day = thai_dates.format_thai_date(meeting.date, style="medium")
    _record(
        acting_user,
        AuditAction.CREATE,
        meeting,
        office=meeting.group.office,
        label=f"PLC {meeting.group.name} {day}",
        changes={"hours": [None, str(meeting.hours)], "attendees": [None, len(attendees)]},
    )
    return meeting


# What a meeting record says; two new records of a group saying all of it on the same day are
# one meeting posted twice (a double click, a reload), which would count its hours twice.
MEETING_RECORD = ["date", "hours", "problem", "plan", "action", "observation", "reflection"]


def _refuse_repeated_meeting(meeting: PLCMeeting, attendees: list) -> None:
    same = PLCMeeting.objects.filter(
        group_id=meeting.group_id, **{f: getattr(meeting, f) for f in MEETING_RECORD}
    )
    wanted = sorted(p.pk for p in attendees)
    for earlier in same.prefetch_related("attendees"):
        if sorted(p.pk for p in earlier.attendees.all()) == wanted:
            raise CommunityError(
                f"บันทึกการประชุมวันที่ {thai_dates.format_thai_date(meeting.date)} นี้ไว้แล้ว "
                "(ข้อมูลและผู้เข้าร่วมเหมือนกันทุกช่อง) จึงไม่บันทึกซ้ำ"
            )


# ------------------------------------------------------------------------------- visits

VISIT_FIELDS = [
    "school",
    "kind",
    "status",
    "date",
    "visitor_name",
    "focus",
    "findings",
    "follow_up",
    "next_visit",
    "course",
    "course_ref",
]


@transaction.atomic
def save_visit(*, acting_user, visit: Visit, people) -> Visit:
    if visit.school.office_id != visit.office_id:
        raise CommunityError("สถานศึกษาไม่อยู่ในเขตพื้นที่")
    if visit.next_visit and visit.next_visit <= visit.date:
        raise CommunityError("วันนัดครั้งต่อไปต้องหลังวันนิเทศ")
    if visit.course_id and visit.course.office_id != visit.office_id:
        raise CommunityError("หลักสูตรที่ติดตามผลต้องเป็นของเขตพื้นที่เดียวกัน")
    _refuse_follow_up_before_course(visit)
    if visit.status == VisitStatus.DONE:
        _refuse_future(
            visit.date, "วันที่นิเทศ", "บันทึกผลได้เมื่อนิเทศแล้ว (การนิเทศที่ยังไม่ถึงวันให้บันทึกเป็นนัดหมาย)"
        )
    if visit.visitor_id is None:
        visit.visitor = acting_user
    if visit.pk is None:
        # The school's row taken first: a double click's two posts take turns.
        School.objects.select_for_update().filter(pk=visit.school_id).first()
        _refuse_repeated_visit(visit)
    # Who was visited stays on the record when they later move school or retire (editing the
    # findings used to drop them silently); someone added must be of the visited school.
    already = set(visit.people.values_list("pk", flat=True)) if visit.pk else set()
    people = list(people)
    outsiders = [p for p in people if p.pk not in already and p.school_id != visit.school_id]
    if outsiders:
        raise CommunityError(
            f"ผู้รับการนิเทศ: {', '.join(p.full_name for p in outsiders)} ไม่ได้สังกัด{visit.school}"
        )
    _refuse_coach_among_coached(visit, [p for p in people if p.pk not in already])
    _save(acting_user, visit, VISIT_FIELDS)
    visit.people.set(people)
    return visit


def _refuse_coach_among_coached(visit: Visit, added: list) -> None:
    """The supervisor or coach of a visit is not also one of those it supervised or coached:
    the visit would count as development she received (her PA evidence, the SAR's people
    coached) from herself. The coach is the visit's account's person, or any person the
    "supervisor/coach" box names by first and last name (with or without her title, "ศน."
    too; "ศน.ก และ ศน.ข", "นายสมชาย ใจดี และคณะ" name each)."""
    named = {coaches.name_without_titles(n) for n in coaches.coach_names(visit.visitor_name).names}
    named.discard("")
    for p in added:
        by_account = visit.visitor_id and visit.visitor.person_id == p.pk
        by_name = coaches.person_keys(p.first_name, p.last_name)[0] in named
        if by_account or by_name:
            raise CommunityError(
                f"ผู้รับการนิเทศ: {p.full_name} เป็นผู้นิเทศ/โค้ชของการนิเทศครั้งนี้เอง "
                "นิเทศหรือโค้ชตนเองไม่ได้ (นำชื่อออกจากผู้รับการนิเทศ หรือแก้ชื่อผู้นิเทศ/โค้ช)"
            )


def _refuse_follow_up_before_course(visit: Visit) -> None:
    """A visit follows up a course people attended: dated before the course's first
    session (a CE year read as BE, the wrong course picked) it followed up nothing, yet it
    counted as the course's follow-up."""
    if not visit.course_id:
        return
    first = visit.course.sessions.order_by("start_date").values_list("start_date", flat=True)
    starts = first.first()
    if starts and visit.date < starts:
        raise CommunityError(
            f"วันที่ ({thai_dates.format_thai_date(visit.date)}) ก่อนหลักสูตร “{visit.course.title}” "
            f"เริ่ม ({thai_dates.format_thai_date(starts)}) — การติดตามผลทำได้หลังเข้ารับการพัฒนา"
        )


def _refuse_repeated_visit(visit: Visit) -> None:
    """The same visitor's same kind of visit to the same school on the same day about the same
    focus is one visit posted twice: it would count twice in the supervision coverage."""
    same = Visit.objects.filter(
        school_id=visit.school_id, date=visit.date, kind=visit.kind,
        visitor_name=visit.visitor_name, focus=visit.focus,
    )  # fmt: skip
    if same.exists():
        raise CommunityError(
            f"บันทึกการนิเทศ {visit.school} วันที่ {thai_dates.format_thai_date(visit.date)} "
            f"เรื่อง “{visit.focus}” ไว้แล้ว จึงไม่บันทึกซ้ำ"
        )


# ----------------------------------------------------------------------------- networks


@transaction.atomic
def save_network_profile(*, acting_user, profile: NetworkProfile, committee) -> NetworkProfile:
    fields = ["kind", "chair", "secretary", "supervisor", "description"]
    _save(acting_user, profile, fields, office=profile.network.office, label=str(profile.network))
    profile.committee.set(committee)
    return profile


@transaction.atomic
def add_network_row(*, acting_user, row) -> object:
    """A goal, activity or budget line of a network."""
    assert isinstance(row, NetworkGoal | NetworkActivity | NetworkBudget)
    if isinstance(row, NetworkActivity):
        # Its participants and cost count in the year's network report once it took place.
        _refuse_future(row.date, "วันที่", "บันทึกกิจกรรมของเครือข่ายได้เมื่อจัดแล้ว")
    if isinstance(row, NetworkGoal) and row.measure:
        # Measured from the schools' data each time it is shown: the stored row says what is
        # measured and the target, never a result or a tick.
        row.text = goal_measures.goal_text(
            row.measure, subject=row.subject, grade_label=row.get_grade_display(),
            ratio=row.students_per_teacher,
        )  # fmt: skip
        row.target = f"ร้อยละ {format_percent(row.target_percent)}"
        row.actual, row.achieved = "", None
    elif isinstance(row, NetworkGoal):
        # A figure against a figure is judged, never ticked by hand (88 % ≠ a 100 % target).
        computed = goal_rules.judged(row.target, row.actual)
        if computed is not None:
            row.achieved = computed
    _refuse_repeat(row, parent=row.network)
    fields = [f.name for f in row._meta.concrete_fields if f.name not in ("id", "network")]
    return _save(acting_user, row, fields, office=row.network.office, label=str(row.network))


@transaction.atomic
def save_partner(*, acting_user, partner: Partner) -> Partner:
    return _save(acting_user, partner, ["name", "kind", "contact", "since"])


@transaction.atomic
def add_mou(*, acting_user, mou: MOU) -> MOU:
    # An MOU is recorded once signed (it may run from a later day: `starts`).
    _refuse_future(mou.signed_on, "วันที่ลงนาม", "บันทึก MOU ได้เมื่อลงนามแล้ว")
    _refuse_repeat(mou, parent=mou.partner)
    return _save(
        acting_user,
        mou,
        ["title", "signed_on", "starts", "ends", "scope"],
        office=mou.partner.office,
    )


def _refuse_activity_dates(activity: JointActivity) -> None:
    """What a partner gave is recorded once given, within the collaboration and, under an
    MOU, within its term: an activity dated next month, before the partner began working
    with the office, or outside its MOU (a CE year read as BE, day and month swapped) was
    counted in the fiscal year's resources and growth."""
    day = activity.date
    _refuse_future(day, "วันที่", "บันทึกกิจกรรมและทรัพยากรที่ได้รับได้เมื่อได้รับแล้ว")
    partner = activity.partner
    if partner.since and day < partner.since:
        raise CommunityError(
            f"วันที่ ({thai_dates.format_thai_date(day)}) ต้องไม่ก่อนวันเริ่มร่วมมือกับ{partner.name} "
            f"({thai_dates.format_thai_date(partner.since)})"
        )
    mou = activity.mou
    if mou is not None and (day < mou.starts or (mou.ends and day > mou.ends)):
        term = thai_dates.format_thai_date(mou.starts) + (
            f" – {thai_dates.format_thai_date(mou.ends)}" if mou.ends else " เป็นต้นไป"
        )
        raise CommunityError(
            f"วันที่ ({thai_dates.format_thai_date(day)}) อยู่นอกระยะเวลาของ MOU “{mou.title}” ({term})"
        )


@transaction.atomic
def add_joint_activity(*, acting_user, activity: JointActivity) -> JointActivity:
    if activity.mou_id and activity.mou.partner_id != activity.partner_id:
        raise CommunityError("MOU ที่เลือกไม่ใช่ของภาคีนี้")
    _refuse_activity_dates(activity)
    _refuse_repeat(activity, parent=activity.partner)
    fields = ["partner", "mou", "network", "date", "title", "cash", "in_kind_value", "in_kind"]
    return _save(acting_user, activity, fields)


# -------------------------------------------------------------------------------- awards


def _refuse_round_status(round_: AwardRound) -> None:
    """The form moves a round between draft, open and judging; results are announced only by
    decide_area_results (which writes them), and an announced round stays announced: its
    results and certificates were given on them."""
    before = (
        RoundStatus.DRAFT
        if round_.pk is None
        else AwardRound.objects.select_for_update().get(pk=round_.pk).status
    )
    if before == round_.status:
        return
    label = RoundStatus(round_.status).label
    if before == RoundStatus.CLOSED:
        raise CommunityError(
            f"สถานะ: รอบนี้ประกาศผลแล้ว เปลี่ยนเป็น “{label}” ไม่ได้ "
            "(ผลการคัดเลือกและเกียรติบัตรออกตามผลที่ประกาศ)"
        )
    if round_.status == RoundStatus.CLOSED:
        raise CommunityError(
            "สถานะ: “ประกาศผลแล้ว” เลือกจากแบบฟอร์มไม่ได้ — เมื่อกรรมการให้คะแนนแล้ว "
            "ใช้ปุ่ม “ประกาศผลระดับเขต” ในหน้ารอบการคัดเลือก"
        )
    if Score.objects.filter(nomination__round_id=round_.pk).exists() and (
        round_.status != RoundStatus.JUDGING
    ):
        raise CommunityError(f"สถานะ: กรรมการให้คะแนนแล้ว เปลี่ยนกลับเป็น “{label}” ไม่ได้")


def _refuse_round_settings(round_: AwardRound) -> None:
    """Settings no round can be judged by. 0 winners made the area's announcement take the
    lowest eligible average as its cut-off, so everyone at or above the minimum won; a
    minimum above 100 % let nobody win; a closing day years away from the round's year (a
    slip of the year) kept it open or closed for the wrong year."""
    if round_.winners is not None and round_.winners < 1:
        raise CommunityError("จำนวนผู้ได้รับคัดเลือกระดับเขต: ต้องอย่างน้อย 1 คน")
    if round_.min_score is not None and not 0 <= round_.min_score <= 100:
        raise CommunityError("คะแนนขั้นต่ำ (ร้อยละ): ต้องอยู่ระหว่าง 0–100")
    if round_.closes_on and round_.year:
        # A round of year Y closes in Y, the year before (the teachers'-day awards of Y close
        # in Y − 1) or the year after (a round named for a fiscal year).
        closes_be = thai_dates.be_year(round_.closes_on)
        if not round_.year - 1 <= closes_be <= round_.year + 1:
            raise CommunityError(
                f"ปิดรับการเสนอชื่อ ({thai_dates.format_thai_date(round_.closes_on)}): "
                f"รอบประจำปี {round_.year} ปิดรับได้ในปี {round_.year - 1}–{round_.year + 1}"
            )


def _refuse_twin_round(round_: AwardRound) -> None:
    """One round per programme, year and title: a double click on "open round" opened two,
    and nominations, judging and the yearly awards table then split (or counted twice)
    between them. The programme's row is taken first, so two posts take turns."""
    AwardProgramme.objects.select_for_update().filter(pk=round_.programme_id).first()
    twin = AwardRound.objects.filter(
        programme_id=round_.programme_id, year=round_.year, title=round_.title.strip()
    ).exclude(pk=round_.pk)
    if twin.exists():
        raise CommunityError(
            f"รอบ “{round_.title.strip()}” ประจำปี {round_.year} ของ{round_.programme.name} "
            "มีอยู่แล้ว จึงไม่บันทึกซ้ำ (แก้ไขรอบเดิม หรือตั้งชื่อรอบให้ต่างกัน)"
        )


@transaction.atomic
def save_round(*, acting_user, round_: AwardRound, criteria: list[dict], judges) -> AwardRound:
    """Round settings, its weighted criteria (replaced while nobody has scored) and judges."""
    fields = ["year", "title", "status", "closes_on", "allow_self", "winners", "min_score"]
    _refuse_round_settings(round_)
    _refuse_twin_round(round_)
    _refuse_round_status(round_)
    _save(acting_user, round_, fields, office=round_.programme.office)
    if criteria is not None:
        if Score.objects.filter(nomination__round=round_).exists():
            current = [(c.name, c.weight, c.max_score) for c in round_.criteria.all()]
            wanted = [(c["name"], c["weight"], c["max_score"]) for c in criteria]
            if current != wanted:
                raise CommunityError("มีการให้คะแนนแล้ว แก้ไขเกณฑ์ไม่ได้")
        else:
            round_.criteria.all().delete()
            AwardCriterion.objects.bulk_create(
                AwardCriterion(round=round_, order=i, **c) for i, c in enumerate(criteria, 1)
            )
    if judges is not None:
        if any(j.office_id != round_.programme.office_id for j in judges):
            raise CommunityError("กรรมการต้องเป็นผู้ใช้ในเขตพื้นที่เดียวกัน")
        round_.judges.set(judges)
        # An announced round's averages are what it was decided on: they stay.
        scored = Score.objects.filter(nomination__round=round_).exists()
        if scored and round_.status != RoundStatus.CLOSED:
            _refresh_averages(round_)
    return round_


@transaction.atomic
def nominate(
    *,
    acting_user,
    round_: AwardRound,
    person: Person,
    work_title: str,
    statement: str = "",
    file=None,
) -> Nomination:
    """A school (its director) or the office nominates someone in scope; a person may
    nominate themself when the round allows it."""
    round_ = AwardRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.OPEN:
        raise CommunityError("รอบนี้ไม่ได้เปิดรับการเสนอชื่อ")
    if not round_.accepts_nominations(timezone.localdate()):
        raise CommunityError(
            "รอบนี้ปิดรับการเสนอชื่อแล้วเมื่อวันที่ "
            + thai_dates.format_thai_date(round_.closes_on, style="long")
        )
    if person.office_id != round_.programme.office_id:
        raise CommunityError("ผู้ได้รับการเสนอชื่อต้องสังกัดเขตพื้นที่นี้")
    # Putting oneself forward is a self-nomination whoever does it: a director or officer
    # who nominates themself is not "the school" or "the office" nominating them.
    if person.pk == acting_user.person_id:
        if not round_.allow_self:
            raise CommunityError("รอบนี้ไม่เปิดให้เสนอตนเอง")
        source = NominationSource.SELF
    elif acting_user.role == Role.SCHOOL_DIRECTOR and can(acting_user, NOMINATE_AWARDS):
        if person.school_id != acting_user.school_id:
            raise CommunityError("เสนอชื่อได้เฉพาะบุคลากรในสถานศึกษาของตนเอง")
        source = NominationSource.SCHOOL
    elif can(acting_user, NOMINATE_AWARDS) and acting_user.office_id == person.office_id:
        source = NominationSource.OFFICE
    else:
        raise CommunityError("ไม่มีสิทธิ์เสนอชื่อบุคคลนี้")
    if Nomination.objects.filter(round=round_, person=person).exists():
        raise CommunityError(f"{person.full_name} ได้รับการเสนอชื่อในรอบนี้แล้ว")
    nomination = Nomination.objects.create(
        round=round_,
        person=person,
        school=person.school,
        source=source,
        nominated_by=acting_user,
        work_title=work_title,
        statement=statement,
        file=file or "",
    )
    _record(
        acting_user,
        AuditAction.CREATE,
        nomination,
        office=round_.programme.office,
        changes={"source": [None, source], "work_title": [None, work_title]},
    )
    events.nomination_created(nomination)
    return nomination


@transaction.atomic
def score_nomination(*, acting_user, nomination: Nomination, scores: dict[int, Decimal]):
    """A judge's scores for one nomination, then the nomination's average.

    The nomination row is locked first, so judges scoring the same nomination at the same
    moment take turns: each recomputes the average from every judge's saved scores, and the
    last one to commit leaves the right answer (no lost update)."""
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    round_ = nomination.round
    if round_.status != RoundStatus.JUDGING:
        raise CommunityError("รอบนี้ไม่ได้อยู่ในขั้นกรรมการพิจารณา")
    if not round_.judges.filter(pk=acting_user.pk).exists():
        raise CommunityError("ผู้ใช้นี้ไม่ใช่กรรมการของรอบนี้")
    if conflict := judge_conflict(acting_user, nomination):
        raise CommunityError(conflict)
    criteria = {c.pk: c for c in round_.criteria.all()}
    for cid, value in scores.items():
        c = criteria.get(cid)
        if c is None:
            raise CommunityError("เกณฑ์ไม่ถูกต้อง")
        if value is None or value < 0 or value > c.max_score:
            raise CommunityError(
                f"คะแนน “{c.name}” ต้องอยู่ระหว่าง 0–{numerals.format_figure(c.max_score)}"
            )
    given = dict(
        Score.objects.filter(nomination=nomination, judge=acting_user).values_list(
            "criterion_id", "score"
        )
    )
    changed = {cid: value for cid, value in scores.items() if given.get(cid) != value}
    for cid, value in changed.items():
        Score.objects.update_or_create(
            nomination=nomination,
            judge=acting_user,
            criterion_id=cid,
            defaults={"score": value},
        )
    _refresh_average(nomination, criteria.values())
    if not changed:
        # The same scores sent again (a double click, a reload): no entry says they changed.
        return nomination
    # Each criterion scored or corrected, old → new, by its name, as the paper grids audit
    # theirs (training.actions._save_paper_survey): a correction said what it replaced.
    _record(
        acting_user,
        AuditAction.UPDATE,
        nomination,
        office=round_.programme.office,
        changes={
            criteria[cid].name: [
                numerals.format_figure(given.get(cid)) or None,
                numerals.format_figure(value),
            ]
            for cid, value in changed.items()
        },
    )
    return nomination


def judge_totals(nomination: Nomination, criteria, judges=None) -> dict[int, Decimal | None]:
    """Each counting judge's total (scoring_judge_ids): the round's panel as it is now
    (`judges`, else read), so a judge taken off it, or one who may not judge this work, is not
    in the average."""
    crit = [awards.Criterion(c.pk, c.weight, c.max_score) for c in criteria]
    panel = nomination.round.judges.all() if judges is None else judges
    counting = scoring_judge_ids(nomination, panel)
    by_judge: dict[int, dict[int, Decimal]] = {}
    for s in Score.objects.filter(nomination=nomination, judge_id__in=counting):
        by_judge.setdefault(s.judge_id, {})[s.criterion_id] = s.score
    return {judge: awards.judge_total(crit, marks) for judge, marks in by_judge.items()}


def _refresh_average(nomination: Nomination, criteria, judges=None) -> None:
    totals = judge_totals(nomination, criteria, judges)
    average = awards.average(totals.values())
    scored = sum(1 for t in totals.values() if t is not None)
    if (nomination.average, nomination.judges_scored) != (average, scored):
        nomination.average, nomination.judges_scored = average, scored
        nomination.save(update_fields=["average", "judges_scored"])


def _refresh_averages(round_: AwardRound) -> None:
    """Every nomination's average and count again, by the round's panel as it is now (a judge
    taken off or added after scoring began), under the nominations' row locks."""
    criteria = list(round_.criteria.all())
    judges = list(round_.judges.all())
    for nomination in Nomination.objects.select_for_update().filter(round=round_):
        _refresh_average(nomination, criteria, judges)


@transaction.atomic
def decide_area_results(*, acting_user, round_: AwardRound, announced_on) -> list[AwardResult]:
    """Close the round: the `winners` highest averages at or above the minimum are selected
    at area level, the rest are not. Ties at the cut-off are all selected."""
    if not can(acting_user, MANAGE_AWARDS):
        raise CommunityError("ไม่มีสิทธิ์ประกาศผล")
    round_ = AwardRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status == RoundStatus.CLOSED:
        raise CommunityError("ประกาศผลรอบนี้แล้ว")
    _refresh_averages(round_)  # by the panel and the judging rule as they are at the decision
    ranked = [n for n in round_.nominations.order_by("-average", "id") if n.average is not None]
    eligible = [n for n in ranked if n.average >= round_.min_score]
    cut = eligible[round_.winners - 1].average if len(eligible) >= round_.winners else None
    winners = {n.pk for n in eligible if cut is None or n.average >= cut}
    results = []
    for n in round_.nominations.all():
        outcome = ResultOutcome.WINNER if n.pk in winners else ResultOutcome.NOT_SELECTED
        result, _ = AwardResult.objects.update_or_create(
            nomination=n,
            level=AwardLevel.AREA,
            defaults={"outcome": outcome, "announced_on": announced_on},
        )
        results.append(result)
    round_.status = RoundStatus.CLOSED
    round_.save(update_fields=["status"])
    _record(
        acting_user,
        AuditAction.UPDATE,
        round_,
        office=round_.programme.office,
        changes={
            "status": [RoundStatus.JUDGING, RoundStatus.CLOSED],
            "winners": [None, len(winners)],
        },
    )
    events.award_results(results)
    return results


@transaction.atomic
def record_result(
    *, acting_user, nomination: Nomination, level: str, outcome: str, announced_on, note: str = ""
) -> AwardResult:
    """Region and national results are announced elsewhere and recorded here; an area
    result is corrected here once the round has announced its own."""
    round_ = AwardRound.objects.select_for_update().get(pk=nomination.round_id)
    if acting_user.person_id and acting_user.person_id == nomination.person_id:
        # As with judging (score_nomination): nobody records the result of their own work.
        raise CommunityError("บันทึกผลการคัดเลือกผลงานของตนเองไม่ได้ ต้องให้ผู้ดูแลรางวัลท่านอื่นเป็นผู้บันทึก")
    if level == AwardLevel.AREA and round_.status != RoundStatus.CLOSED:
        raise CommunityError(
            "ระดับ: ผลระดับเขตพื้นที่มาจากการประกาศผลของรอบนี้ (ปุ่ม “ประกาศผลระดับเขต” เมื่อกรรมการให้คะแนนแล้ว)"
        )
    if outcome != ResultOutcome.WINNER:
        # A certificate says this person won: it goes first, or the verify page keeps
        # vouching for a result that no longer stands.
        certified = AwardCertificate.objects.filter(
            result__nomination=nomination, result__level=level,
            status=AwardCertificateStatus.VALID,
        ).first()  # fmt: skip
        if certified is not None:
            raise CommunityError(
                f"ผล: มีเกียรติบัตรเลขที่ {certified.number} ออกตามผลนี้แล้ว ต้องเพิกถอนเกียรติบัตรก่อนเปลี่ยนผล"
            )
    if level != AwardLevel.AREA:
        area = nomination.results.filter(level=AwardLevel.AREA).first()
        if area is None or area.outcome != ResultOutcome.WINNER:
            raise CommunityError("ต้องผ่านการคัดเลือกระดับเขตพื้นที่ก่อน")
    _refuse_result_date(nomination, level, announced_on)
    stored = nomination.results.filter(level=level).first()
    if stored is not None and (stored.outcome, stored.announced_on, stored.note) == (
        outcome, announced_on, note,
    ):  # fmt: skip
        # The same result sent again (a double click, a reload): nothing changed, so no
        # audit entry says it did.
        return stored
    result, _ = AwardResult.objects.update_or_create(
        nomination=nomination,
        level=level,
        defaults={"outcome": outcome, "announced_on": announced_on, "note": note},
    )
    _record(
        acting_user,
        AuditAction.UPDATE,
        nomination,
        office=nomination.round.programme.office,
        changes={f"result_{level}": [None, outcome]},
    )
    events.award_results([result])  # a winner is told once per level (a repeat says nothing)
    return result


# The order results are announced in: a level's result comes after the one below it.
_LEVEL_ORDER = [AwardLevel.AREA, AwardLevel.REGION, AwardLevel.NATIONAL]


def _refuse_result_date(nomination: Nomination, level: str, announced_on) -> None:
    """A result is recorded once announced, and a region's (the country's) announcement
    follows the area's (the region's): a result dated after today, or before a lower level's
    result or after a higher one's, is a typing slip (a CE year read as BE, a day and month
    swapped) that would print an impossible date on the certificate."""
    _refuse_future(announced_on, "วันที่ประกาศ", "บันทึกผลได้เมื่อประกาศผลแล้ว")
    rank = _LEVEL_ORDER.index(level)
    for other in nomination.results.exclude(level=level):
        below = _LEVEL_ORDER.index(other.level) < rank
        if (announced_on < other.announced_on) if below else (announced_on > other.announced_on):
            when = thai_dates.format_thai_date(other.announced_on)
            raise CommunityError(
                f"วันที่ประกาศ: ผล{AwardLevel(level).label}ต้องประกาศ"
                f"{'ไม่ก่อน' if below else 'ไม่หลัง'}ผล{other.get_level_display()} ({when})"
            )


# ------------------------------------------------------------------ award certificates

DEFAULT_SIGNER_TITLE = "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"


def _new_certificate_code() -> str:
    # Training's unambiguous alphabet, but 12 characters (~60 bits) where training's codes
    # have 10: both kinds verify at /verify/<code>/, and the lengths keep them apart.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


@transaction.atomic
def issue_award_certificates(
    *, acting_user, round_: AwardRound, signer_name: str = "", signer_title: str = ""
) -> list[AwardCertificate]:
    """A certificate for every winning result of the round (any level) that has no valid
    one yet; each is a snapshot of what it certifies. Returns the ones issued now."""
    if not can(acting_user, MANAGE_AWARDS):
        raise CommunityError("ไม่มีสิทธิ์ออกเกียรติบัตร")
    round_ = (
        AwardRound.objects.select_for_update(of=("self",))
        .select_related("programme__office")
        .get(pk=round_.pk)
    )
    if round_.status != RoundStatus.CLOSED:
        raise CommunityError("ออกเกียรติบัตรได้เมื่อประกาศผลแล้ว")
    # Boxes no form reads: trimmed as a form's box is (a pasted zero-width space is nothing).
    signer_name, signer_title = typed_text.trimmed(signer_name), typed_text.trimmed(signer_title)
    for text, field in ((signer_name, "signer_name"), (signer_title, "signer_title")):
        column = AwardCertificate._meta.get_field(field)
        if refused := typed_text.problem(
            text, longest=column.max_length, label=str(column.verbose_name)
        ):
            raise CommunityError(refused)
    office = round_.programme.office
    results = (
        AwardResult.objects.filter(nomination__round=round_, outcome=ResultOutcome.WINNER)
        .exclude(certificates__status=AwardCertificateStatus.VALID)
        .select_related("nomination__person")
        .order_by("level", "nomination__person__first_name", "id")
    )
    # One more than the highest number given in the round (the round is locked): a
    # certificate outlives its deleted result, and counting the round's linked ones gave
    # the next winner a number already printed.
    prefix = f"{round_.year}/A{round_.pk}/"
    given = AwardCertificate.objects.filter(office=office, number__startswith=prefix)
    first = numerals.next_serial(given.values_list("number", flat=True), prefix)
    today = timezone.localdate()
    issued = []
    for serial, result in enumerate(results, start=first):
        certificate = AwardCertificate.objects.create(
            office=office,
            result=result,
            code=_new_certificate_code(),
            number=f"{prefix}{serial:03d}",
            person_name=result.nomination.person.full_name,
            programme_name=round_.programme.name,
            round_title=round_.title,
            level=result.level,
            year=round_.year,
            work_title=result.nomination.work_title,
            office_name=office.name,
            announced_on=result.announced_on,
            issued_on=today,
            signer_name=signer_name,
            signer_title=signer_title or DEFAULT_SIGNER_TITLE,
            issued_by=acting_user,
        )
        _record(
            acting_user,
            AuditAction.CREATE,
            certificate,
            office=office,
            changes={"code": [None, certificate.code]},
        )
        issued.append(certificate)
    # Their signed credentials, issued with them (or later, on download, if the office
    # cannot sign yet).
    credential_actions.issue_if_possible([credential_claim(c, round_.programme) for c in issued])
    events.award_certificates_issued(issued)
    return issued


@transaction.atomic
def revoke_award_certificate(
    *, acting_user, certificate: AwardCertificate, reason: str
) -> AwardCertificate:
    if not can(acting_user, MANAGE_AWARDS):
        raise CommunityError("ไม่มีสิทธิ์เพิกถอนเกียรติบัตร")
    certificate = AwardCertificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != AwardCertificateStatus.VALID:
        raise CommunityError("เกียรติบัตรนี้ไม่ได้อยู่ในสถานะใช้ได้")
    reason = typed_text.trimmed(reason)  # a box no form reads, trimmed as a form's is
    if not reason:
        raise CommunityError("กรุณาระบุเหตุผล")
    longest = AwardCertificate._meta.get_field("revoke_reason").max_length
    if refused := typed_text.problem(reason, longest=longest):
        raise CommunityError(refused)
    certificate.status = AwardCertificateStatus.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = acting_user
    certificate.revoke_reason = reason
    certificate.save()
    credential_actions.revoke(certificate.code)  # its bit in the published status list
    _record(
        acting_user,
        AuditAction.UPDATE,
        certificate,
        changes={"status": ["ใช้ได้", "เพิกถอนแล้ว"], "reason": [None, certificate.revoke_reason]},
    )
    events.award_certificate_revoked(certificate)
    return certificate


# ------------------------------------------------------------------------ best practices

OWN_PRACTICE_PUBLISH_REFUSED = "เผยแพร่ผลงานของตนเองไม่ได้ ต้องให้ผู้ตรวจท่านอื่นเป็นผู้เผยแพร่"
PRACTICE_FIELDS = ["title", "school", "learning_area", "level", "year", "summary", "tags", "status"]


def _reindex(practice: BestPractice) -> None:
    owners = " ".join(p.full_name for p in practice.owners.all())
    practice.search_text = search.index_text(
        practice.title,
        practice.summary,
        practice.tags.replace(",", " "),
        owners,
        practice.school.name if practice.school_id else "",
        practice.learning_area.name if practice.learning_area_id else "",
    )
    BestPractice.objects.filter(pk=practice.pk).update(search_text=practice.search_text)


@transaction.atomic
def save_practice(*, acting_user, practice: BestPractice, owners) -> BestPractice:
    owners = list(owners)
    was = (
        BestPractice.objects.filter(pk=practice.pk).values_list("status", flat=True).first()
        if practice.pk
        else None
    )
    if (
        practice.status == PracticeStatus.PUBLISHED
        and was != PracticeStatus.PUBLISHED
        and acting_user.person_id in {p.pk for p in owners}
    ):
        # The form's status box is the same review as the publish button (publish_practice).
        raise CommunityError(OWN_PRACTICE_PUBLISH_REFUSED)
    if practice.pk is None:
        practice.created_by = acting_user
        # The new-practice form sent twice (a double click, a reload) listed the work twice.
        if repeats.saved_already(
            practice, parent=practice.office, ignore=("search_text", "published_at")
        ):
            raise CommunityError(REPEATED_ROW)
    if practice.status == PracticeStatus.PUBLISHED and practice.published_at is None:
        practice.published_at = timezone.now()
    _save(acting_user, practice, PRACTICE_FIELDS)
    practice.owners.set(owners)
    _reindex(practice)
    return practice


def is_practice_owner(user, practice: BestPractice) -> bool:
    return bool(user.person_id) and practice.owners.filter(pk=user.person_id).exists()


@transaction.atomic
def publish_practice(*, acting_user, practice: BestPractice, publish: bool = True):
    if publish and is_practice_owner(acting_user, practice):
        # Publishing is the review before every teacher sees it: not of one's own work.
        raise CommunityError(OWN_PRACTICE_PUBLISH_REFUSED)
    # Its row is taken and read as stored: a second click on "publish" (or a second reviewer
    # at the same moment) finds it published already and changes nothing; it moved the
    # publication date and audited a second publication.
    practice = BestPractice.objects.select_for_update().get(pk=practice.pk)
    before = practice.status
    wanted = PracticeStatus.PUBLISHED if publish else PracticeStatus.SUBMITTED
    if before == wanted:
        return practice
    practice.status = wanted
    practice.published_at = timezone.now() if publish else None
    practice.save(update_fields=["status", "published_at"])
    _record(
        acting_user, AuditAction.UPDATE, practice, changes={"status": [before, practice.status]}
    )
    return practice
