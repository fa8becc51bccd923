"""Pre-filled progress text for inspection questions, from what KruPD holds.

A FocusQuestion names its source by key (PREFILLS). Each function returns Thai lines for the
fiscal year, or [] when KruPD has nothing on it (the officer then writes the text). Debt
figures are counts only, never a name (career.queries.debt_summary).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from functools import reduce, wraps
from operator import or_

from django.apps import apps
from django.db.models import Count, Q
from django.utils import timezone

from krupd.lib import thai_dates
from krupd.lib.numerals import format_hours, format_percent, percent_of
from registry.models import TEACHING_TYPES, Office, Person

PA_WORDS = ("PA", "วิทยฐานะ", "ข้อตกลงในการพัฒนางาน")


def _mentions(field: str, word: str) -> Q:
    """A course text naming `word`. A Latin abbreviation (PA) is matched as written and
    not inside a longer Latin word: "Participatory", "Capacity Building" and "Mapping" held
    "pa" and counted as PA training. Thai words are matched anywhere (Thai runs words
    together)."""
    if word.isascii():
        return Q(**{f"{field}__regex": rf"(^|[^A-Za-z]){word}([^A-Za-z]|$)"})
    return Q(**{f"{field}__icontains": word})


def _courses(
    office: Office, fy: int, words: tuple[str, ...] = (), *, mode: str = "", digital: bool = False
) -> list[str]:
    if not apps.is_installed("training"):
        return []
    from training.models import Course, course_mode_label

    rows = Course.objects.filter(office=office, fiscal_year=fy).exclude(status="draft")
    if words:
        rows = rows.filter(
            reduce(or_, (_mentions("title", w) | _mentions("competencies", w) for w in words))
        )
    if mode:
        rows = rows.filter(mode=mode)
    if digital:
        rows = rows.filter(digital=True)
    from training.queries import course_result_counts

    # Finished sessions only, as the training results table counts them.
    counts = course_result_counts()
    rows = rows.annotate(n=counts["participants"], passed=counts["passed"]).order_by("id")
    # The four columns the line shows, not whole courses: an office's year of online courses
    # is thousands of rows, and building each Course (its JSON and dates) cost more than
    # the query did.
    return [
        f"{i}. {title} ({course_mode_label(mode)}) ผู้เข้ารับการพัฒนา {n:,} คน ผ่านเกณฑ์ {passed:,} คน"
        for i, (title, mode, n, passed) in enumerate(
            rows.values_list("title", "mode", "n", "passed"), 1
        )
    ]


def pa_training(office, fy):
    return _courses(office, fy, PA_WORDS)


def pa_status(office, fy):
    if not apps.is_installed("career"):
        return []
    from career.models import PAAgreement

    teachers = Person.objects.filter(
        office=office, status="active", personnel_type__in=TEACHING_TYPES
    ).count()
    by_status = dict(
        # The teachers' agreements, as the PA status page and the SAR count them.
        PAAgreement.objects.filter(
            person__office=office,
            person__status="active",
            person__personnel_type__in=TEACHING_TYPES,
            fiscal_year=fy,
        )
        .values_list("status")
        .annotate(n=Count("id"))
    )
    if not by_status:
        return []
    from career.models import PAStatus

    total = sum(by_status.values())
    lines = [
        f"ครูจัดทำข้อตกลงในการพัฒนางาน (PA) ปีงบประมาณ {fy} จำนวน {total:,} คน จากครู {teachers:,} คน"
    ]
    lines += [
        f"- {label} {by_status[value]:,} คน"
        for value, label in PAStatus.choices
        if by_status.get(value)
    ]
    return lines


def digital_training(office, fy):
    """Digital courses (tagged by the office) and the office's technology KPI for the year:
    the same definition as the dashboard, so the two documents never disagree."""
    lines = _courses(office, fy, digital=True)
    from .kpis import FORMULAS, KpiData
    from .queries import targets_for

    target = next((t for t in targets_for(office) if t.code == "tech-proficiency"), None)
    if target is None:
        return lines
    parts = FORMULAS[target.formula].compute(KpiData(office, [fy]), target.params or {})[fy]
    num = sum(p.num for p in parts.values())
    den = sum(p.den for p in parts.values())
    if den:
        lines.append(
            f"ครูมีสมรรถนะด้านเทคโนโลยีดิจิทัล (ผลประเมินสมรรถนะดิจิทัลหรือผ่านหลักสูตรด้านดิจิทัล) "
            f"{int(num):,} จาก {int(den):,} คน คิดเป็นร้อยละ {format_percent(percent_of(num, den))}"
        )
    return lines


def online_training(office, fy):
    return _courses(office, fy, mode="online")


def digital_follow_up(office, fy):
    if not apps.is_installed("training"):
        return []
    from training.models import FollowUp

    rows = FollowUp.objects.filter(
        enrolment__course__office=office, enrolment__course__fiscal_year=fy
    ).filter(enrolment__course__digital=True)
    # People, as the line says: a teacher who followed up two digital courses is one teacher
    # (counting reports said 3 คน for two people). Confirmed: with at least one confirmed.
    person = "enrolment__person"
    agg = rows.aggregate(
        n=Count(person, distinct=True),
        confirmed=Count(person, distinct=True, filter=Q(confirmed_at__isnull=False)),
    )
    if not agg["n"]:
        return []
    return [
        f"ครูรายงานการนำความรู้ด้านเทคโนโลยีดิจิทัลไปใช้ในการจัดการเรียนการสอน {agg['n']:,} คน "
        f"ผู้บริหาร/ศึกษานิเทศก์รับรองแล้ว {agg['confirmed']:,} คน"
    ]


def debt_clinic(office, fy):
    if not apps.is_installed("career"):
        return []
    from career.queries import debt_summary

    s = debt_summary(office)
    if not s["profiles"] and not s["cases"]:
        return []
    return [
        f"จัดทำฐานข้อมูลหนี้สินครูและบุคลากรทางการศึกษา {s['profiles']:,} ราย "
        f"มีเงินเดือนคงเหลือสุทธิต่ำกว่าร้อยละ {format_hours(s['threshold'])} จำนวน {s['below']:,} ราย",
        f"ลงทะเบียนขอรับการช่วยเหลือ {s['cases']:,} ราย",
    ]


def debt_results(office, fy):
    """Requests to the debt clinic by creditor, as the inspection report gives them ("ยื่นคำขอปรับ
    โครงสร้างหนี้กับสหกรณ์ออมทรัพย์ครู …"), each with its outcomes. Counts only, no names."""
    if not apps.is_installed("career"):
        return []
    from career.models import CaseOutcome, CreditorKind, DebtCase

    counts = {
        (r["creditor_kind"], r["outcome"]): r["n"]
        for r in DebtCase.objects.filter(person__office=office)
        .values("creditor_kind", "outcome")
        .annotate(n=Count("id"))
    }
    lines = []
    for kind, label in CreditorKind.choices:
        outcomes = [(o_label, counts.get((kind, o), 0)) for o, o_label in CaseOutcome.choices]
        total = sum(n for _label, n in outcomes)
        if total:
            detail = " ".join(f"{o_label} {n:,} ราย" for o_label, n in outcomes if n)
            lines.append(f"{len(lines) + 1}. ยื่นคำขอแก้ไขหนี้กับ{label} {total:,} ราย ({detail})")
    return lines


def _days_after_through(field: str, after: dt.date, through: dt.date) -> Q:
    """`field__date__gt=after, field__date__lte=through` (the days in the current time zone)
    as a range of instants. The __date form calls a Python function on every row on SQLite
    (a 100,000-person office's people: 1.7 s); the range compares the stored values."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(after + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    stop = dt.datetime.combine(through + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return Q(**{f"{field}__gte": start, f"{field}__lt": stop})


def technology_use(office, fy):
    start, end = thai_dates.fiscal_year_end(fy - 1), thai_dates.fiscal_year_end(fy)
    lines = []
    people = Person.objects.filter(office=office, status="active").count()
    updated = Person.objects.filter(
        _days_after_through("updated_at", start, end), office=office, status="active"
    ).count()
    if people:
        # Both counts are of the register as it is when the text is filled (a person's last
        # change only is kept): the line says so, and names the year ("ปีงบประมาณนี้" read as
        # the current one in a report of an earlier year).
        today = thai_dates.format_thai_date(timezone.localdate(), style="medium")
        lines.append(
            f"จัดเก็บข้อมูลสารสนเทศครูและบุคลากรทางการศึกษาในระบบ KruPD {people:,} คน "
            f"ปรับปรุงข้อมูลล่าสุดในปีงบประมาณ {fy} จำนวน {updated:,} คน (ข้อมูล ณ {today})"
        )
    from imports.models import ImportBatch

    n = ImportBatch.objects.filter(
        _days_after_through("created_at", start, end), office=office
    ).count()
    if n:
        lines.append(f"นำเข้าข้อมูลจากไฟล์ Excel/CSV {n:,} ครั้ง")
    if apps.is_installed("training"):
        qr = qr_check_ins(office, fy)
        certs = certificates_of_year(office, fy)
        if qr or certs:
            lines.append(
                f"ลงเวลาเข้ารับการพัฒนาด้วย QR Code {qr:,} ครั้ง ออกเกียรติบัตรอิเล็กทรอนิกส์ "
                f"ที่ตรวจสอบได้ออนไลน์ {certs:,} ฉบับ"
            )
    return lines


def qr_check_ins(office: Office, fy: int) -> int:
    """The QR check-ins (attendance rows recorded by QR) of the office's courses of the year.

    Counted from the session-day side: the year's courses' session days (a few thousand)
    and, per day, its attendance in the (day, method) index, without reading an attendance
    row. The straightforward count goes through the year's enrolments (465,000 in a
    100,000-person office, each looked up in 2.9 million attendance rows: 0.57 s); this one
    reads the same 715,000 index entries in order (0.04 s). The two agree because an
    attendance row is only ever written for a day of its enrolment's own session (check-in
    and roll call take the enrolment from the day's session), and a session belongs to its
    enrolments' course; reporting/tests/test_inspection_prefill.py holds the two side by side."""
    from training.models import Attendance, AttendanceMethod, SessionDay

    days = SessionDay.objects.filter(
        session__course__office=office, session__course__fiscal_year=fy
    )
    return Attendance.objects.filter(day__in=days, method=AttendanceMethod.QR).count()


# Figures that more than one source states (the year's certificates: technology_use and
# e_services), counted once per prefills() call, as each source is computed once: the count
# reads the year's certificates through their enrolments (0.03 s in a 100,000-person office).
# Outside prefills() (a single prefill(), a test) a figure is counted afresh.
_shared_figures: ContextVar[dict | None] = ContextVar("inspection_shared_figures", default=None)


def _counted_once(figure: Callable[[Office, int], int]) -> Callable[[Office, int], int]:
    @wraps(figure)
    def once(office, fy):
        memo = _shared_figures.get()
        if memo is None:
            return figure(office, fy)
        key = (figure.__name__, office.pk, fy)
        if key not in memo:
            memo[key] = figure(office, fy)
        return memo[key]

    return once


@_counted_once
def certificates_of_year(office, fy) -> int:
    """Certificates issued for the office's courses of the fiscal year, each once: a copy that
    a newer one replaced (issued again with a corrected name, or after a revocation) is the
    same certificate as its replacement, not one more."""
    from training.models import Certificate

    return Certificate.objects.filter(
        enrolment__course__office=office, enrolment__course__fiscal_year=fy,
        replaced_by__isnull=True,
    ).count()  # fmt: skip


def e_services(office, fy):
    if not apps.is_installed("training"):
        return []
    n = certificates_of_year(office, fy)
    return [f"ให้บริการตรวจสอบเกียรติบัตรอิเล็กทรอนิกส์ผ่าน QR Code ({n:,} ฉบับ)"] if n else []


def partnerships(office, fy):
    if not apps.is_installed("community"):
        return []
    from community.queries import partnership_growth

    rows = {r.fiscal_year: r for r in partnership_growth(office)}
    r = rows.get(fy)
    if r is None:
        return []
    line = (
        f"ร่วมมือกับภาคีเครือข่าย {r.partners:,} หน่วยงาน จัดกิจกรรมร่วมกัน {r.activities:,} กิจกรรม "
        f"ลงนามบันทึกข้อตกลงใหม่ {r.mous:,} ฉบับ ระดมทรัพยากรได้ {format_percent(r.resources)} บาท"
    )
    if r.growth_pct is not None:
        # Up or down in words, against what the partners page and the dashboard compare it
        # with (a running year: the same months of the year before): "เพิ่มขึ้นร้อยละ -77.78
        # จากปีก่อน" was printed for a December measured against a whole year.
        word = "เพิ่มขึ้น" if r.growth_pct >= 0 else "ลดลง"
        line += f" (กิจกรรม{word}ร้อยละ {format_percent(abs(r.growth_pct))} {r.basis})"
    return [line]


def networks(office, fy):
    from registry.models import Network

    rows = Network.objects.filter(office=office).annotate(n=Count("schools")).order_by("name")
    if not rows:
        return []
    return [
        f"ขับเคลื่อนการจัดการศึกษาผ่านเครือข่ายสถานศึกษา {len(rows)} เครือข่าย "
        f"({sum(r.n for r in rows):,} โรงเรียน)"
    ]


PREFILLS: dict[str, Callable[[Office, int], list[str]]] = {
    "pa_training": pa_training,
    "pa_status": pa_status,
    "digital_training": digital_training,
    "online_training": online_training,
    "digital_follow_up": digital_follow_up,
    "debt_clinic": debt_clinic,
    "debt_results": debt_results,
    "technology_use": technology_use,
    "e_services": e_services,
    "partnerships": partnerships,
    "networks": networks,
}


def prefill(key: str, office: Office, fiscal_year: int) -> str:
    source = PREFILLS.get(key)
    if source is None:
        return ""
    try:
        return "\n".join(source(office, fiscal_year))
    except (LookupError, ImportError):  # an app's model not there yet
        return ""


def prefills(keys: Iterable[str], office: Office, fiscal_year: int) -> dict[str, str]:
    """Each key's text, computed once: several questions share a source (the digital and
    online course lists each answer two), and a source reads up to a year of training; a
    figure several sources state is counted once (_counted_once)."""
    shared = _shared_figures.set({})
    try:
        return {key: prefill(key, office, fiscal_year) for key in set(keys)}
    finally:
        _shared_figures.reset(shared)
