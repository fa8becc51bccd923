"""Events nobody's click raises: found by the daily and weekly commands
(`send_reminders`, `send_quality_reports`). Every notification carries a dedupe key, so
running a command twice on the same day tells nobody twice."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from krupd.lib.thai_dates import format_thai_date

from .actions import notify
from .kinds import Kind

DEADLINE_DAYS = 3  # "the round closes soon" this many days before it closes


def session_reminders(*, today: dt.date | None = None) -> int:
    """The day before a session starts, everyone with a seat is reminded: when, where (or
    the online link) and that attendance is by scanning the QR code on the day."""
    from training.models import Enrolment, EnrolmentStatus, Session

    today = today or timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    sent = 0
    sessions = Session.objects.filter(start_date=tomorrow).select_related("course")
    users = get_user_model().objects.filter(is_active=True)
    for session in sessions:
        person_ids = Enrolment.objects.filter(
            session=session, status=EnrolmentStatus.ENROLLED
        ).values("person_id")
        recipients = list(users.filter(person_id__in=person_ids))
        where = session.place or ""
        if session.online_link:
            where = f"{where} ลิงก์ {session.online_link}".strip()
        when = format_thai_date(session.start_date, style="long")
        text = (
            f"พรุ่งนี้ ({when}) เริ่มอบรม “{session.course.title}” {session.name}"
            + (f" ที่ {where}" if where else "")
            + " · ลงเวลาโดยสแกนคิวอาร์โค้ดที่วิทยากรแสดงด้วยโทรศัพท์ของคุณ"
        )
        sent += len(
            notify(
                kind=Kind.SESSION_REMINDER,
                recipients=recipients,
                title=text,
                outside_text=text,
                url=reverse("training:course_detail", args=[session.course_id]),
                dedupe_key=f"session-reminder:{session.pk}:{tomorrow.isoformat()}",
            )
        )
    return sent


def survey_reminders(*, today: dt.date | None = None) -> int:
    """On a session's last day, participants who have not answered the satisfaction survey
    are told it is open."""
    from training.models import Enrolment, EnrolmentStatus, Session

    today = today or timezone.localdate()
    sent = 0
    users = get_user_model().objects.filter(is_active=True)
    for session in Session.objects.filter(end_date=today).select_related("course"):
        person_ids = Enrolment.objects.filter(
            session=session, status=EnrolmentStatus.ENROLLED, survey__isnull=True
        ).values("person_id")
        sent += len(
            notify(
                kind=Kind.TEST_OPEN,
                recipients=list(users.filter(person_id__in=person_ids)),
                title=(
                    f"แบบประเมินความพึงพอใจหลักสูตร “{session.course.title}” เปิดให้ตอบแล้ว "
                    "ความเห็นของคุณช่วยปรับปรุงการพัฒนาครั้งต่อไป"
                ),
                url=reverse("training:survey", args=[session.course_id]),
                dedupe_key=f"survey-open:{session.pk}",
            )
        )
    return sent


def _round_targets(rnd):
    """Users who should answer a round's self-assessment and needs survey and have not."""
    from planning.models import RaterKind, Response
    from planning.queries import round_targets

    # Only people in service of the target types (a retired or transferred teacher whose
    # account is still open was told to self-assess in a round that does not count them).
    people = round_targets(rnd)
    answered = Response.objects.filter(round=rnd, rater_kind=RaterKind.SELF).values("person_id")
    return get_user_model().objects.filter(
        is_active=True, person__in=people.exclude(pk__in=answered)
    )


def round_opened(rnd, *, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    if not rnd.is_open(today):
        return 0
    return len(
        notify(
            kind=Kind.ROUND_OPENED,
            recipients=list(_round_targets(rnd)),
            title=(
                f"เปิดรอบ “{rnd.name}” แล้ว ประเมินตนเองและตอบแบบสำรวจความต้องการได้ถึง "
                f"{format_thai_date(rnd.closes, style='long')}"
            ),
            url=reverse("planning:self", args=[rnd.pk]),
            dedupe_key=f"round-opened:{rnd.pk}",
        )
    )


def round_reminders(*, today: dt.date | None = None) -> int:
    """Rounds opening today, and rounds closing within DEADLINE_DAYS: to those who have not
    answered yet."""
    from planning.models import Round

    today = today or timezone.localdate()
    sent = 0
    for rnd in Round.objects.filter(opens__lte=today, closes__gte=today):
        sent += round_opened(rnd, today=today)
        if (rnd.closes - today).days <= DEADLINE_DAYS:
            sent += len(
                notify(
                    kind=Kind.ROUND_DEADLINE,
                    recipients=list(_round_targets(rnd)),
                    title=(
                        f"รอบ “{rnd.name}” จะปิดรับ {format_thai_date(rnd.closes, style='long')} "
                        "คุณยังไม่ได้ประเมินตนเองและตอบแบบสำรวจความต้องการ"
                    ),
                    url=reverse("planning:self", args=[rnd.pk]),
                    dedupe_key=f"round-deadline:{rnd.pk}",
                )
            )
    return sent


def quality_reports(*, today: dt.date | None = None) -> int:
    """Weekly: each school director whose school has data-quality problems gets the count
    and a link to the school's problem list."""
    from registry.models import Office, School
    from registry.quality import checked_on, quality_report

    today = today or timezone.localdate()
    week = today.isocalendar()
    directors = get_user_model().objects.filter(
        role=Role.SCHOOL_DIRECTOR, is_active=True, school__isnull=False
    )
    sent = 0
    for office in Office.objects.filter(schools__in=directors.values("school_id")).distinct():
        by_school: dict[int, list] = {}
        for user in directors.filter(school__office=office):
            by_school.setdefault(user.school_id, []).append(user)
        # A school closed (or merged into another) and left empty has no data to keep: its
        # director is not told of its missing pupil numbers week after week.
        schools = School.objects.filter(pk__in=by_school).filter(checked_on(today))
        report = quality_report(office=office, schools=schools)
        for unit in report.schools:
            if not unit.problems:
                continue
            sent += len(
                notify(
                    kind=Kind.DATA_QUALITY,
                    recipients=by_school.get(unit.school_id, []),
                    title=(
                        f"ข้อมูลของ{unit.name} มีรายการที่ต้องแก้ไข {unit.problems:,} รายการ "
                        f"(ความพร้อมใช้ {unit.ready if unit.ready is not None else '–'} คะแนน)"
                    ),
                    url=reverse("registry:quality_school", args=[unit.school_id]),
                    dedupe_key=f"quality:{unit.school_id}:{week.year}-W{week.week:02d}",
                )
            )
    return sent
