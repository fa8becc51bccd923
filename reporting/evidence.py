"""Evidence for SAR sub-points, gathered from what KruPD already holds.

Each source is a function of (EvidenceContext, params) returning an Evidence: how strong
it is (sar_rules.Strength), what the office data says in one or two lines, links to the pages
that show it, the documents it stands for (the "เอกสาร/หลักฐานอ้างอิง" column) and, for some,
a table. A SarPoint names its source by key (SOURCES) and may set the threshold in params
(e.g. {"min": 80}). A source whose app or data is missing returns Strength.NONE and says so:
nothing is ever claimed without a row behind it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import ClassVar

from django.apps import apps
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from krupd.lib.numerals import format_percent, rounded
from krupd.lib.thai_dates import (
    academic_years_of_fiscal_year,
    fiscal_year_end,
    fiscal_year_start,
    format_thai_date,
    period_label,
    year_label,
)
from registry.models import Office, Person, PersonStatus

from .sar_rules import Strength


@dataclass
class Evidence:
    strength: Strength
    summary: str
    links: list[tuple[str, str]] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    # Tables shown with the evidence, each (title, header, rows): the title names the table
    # where it stands apart from the item's text (the PDF draws them after the item's table).
    table: tuple[str, list[str], list[list]] | None = None
    more_tables: list[tuple[str, list[str], list[list]]] = field(default_factory=list)
    # A table too wide for the SAR's evidence column, printed full width after the item
    # (as the SAR attaches its methods table): (title, header, rows).
    annex: tuple[str, list[str], list[list]] | None = None


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _missing(app_label: str) -> Evidence:
    return Evidence(Strength.NONE, f"ยังไม่มีข้อมูล (ระบบส่วน {app_label} ยังไม่พร้อม)")


def _pct(n: float, d: float) -> float | None:
    return n * 100 / d if d else None


def _fmt(value: float | None, places: int = 2) -> str:
    return format_percent(value, places)


def _meets(value: float | None, minimum: float, places: int = 2) -> bool:
    """Whether a figure reaches its criterion as printed beside it (rounded half up to
    `places`, as _fmt prints it): 79.996 % is printed 80.00 and meets 80, like a KPI."""
    return value is not None and rounded(value, places) >= Decimal(str(minimum))


@dataclass(frozen=True)
class PeriodCourse:
    """A course of the period as the evidence sources read it (EvidenceContext.courses)."""

    # The fields read from the period's course query, in order; need_links is the project's.
    QUERIED: ClassVar = ("id", "title", "mode", "status", "project_id", "first_day", "last_day",
                         "participants", "passed", "pending")  # fmt: skip

    pk: int
    title: str
    mode: str
    status: str
    project_id: int | None
    first_day: dt.date | None
    last_day: dt.date | None
    participants: int
    passed: int
    pending: int
    need_links: int

    @property
    def mode_label(self) -> str:
        from training.models import course_mode_label

        return course_mode_label(self.mode)


def _need_links(project_ids: set[int | None]) -> dict[int, int]:
    """{project id: the needs it answers (its topics and competencies)}: a course's
    need_links is its project's. Read per project, not joined to every course (the join
    multiplied each course by its project's topics times its competencies)."""
    from planning.models import Project

    return dict(
        Project.objects.filter(pk__in=project_ids - {None})
        .annotate(n=Count("topics", distinct=True) + Count("competencies", distinct=True))
        .values_list("pk", "n")
    )


class EvidenceContext:
    """One office, fiscal year and reporting period (a half-year round of the SAR, or the
    whole year); data sets are loaded once and shared by the sources.

    Development work (courses and their follow-ups, PLC meetings, coaching visits) counts in
    the round whose months it took place in: a course in the round its first session starts.
    "Developed" people are counted as of the last day of the period (hours passed since the
    fiscal year began). Plans, registers, networks and awards are the state of the year."""

    def __init__(self, office: Office, fiscal_year: int, *, user=None, period=None):
        self.office = office
        self.fiscal_year = fiscal_year
        self.period = period or (fiscal_year_start(fiscal_year), fiscal_year_end(fiscal_year))
        self.academic_years = academic_years_of_fiscal_year(fiscal_year)
        self.user = user  # whose scope the staffing tables are read in (an office officer)

    @cached_property
    def quality(self):
        from registry.quality import OfficeSchools, quality_report

        # The office page's schools: those its checks cover (registry.quality.checked_on), not
        # a closed school left empty, whose never-updated data would pull the scores down.
        return quality_report(
            office=self.office, schools=OfficeSchools(), include_office_people=True
        )

    @cached_property
    def plans(self) -> list:
        if not apps.is_installed("planning"):
            return []
        from planning.models import Plan

        return list(
            Plan.objects.filter(
                office=self.office,
                fiscal_year__lte=self.fiscal_year,
                end_year__gte=self.fiscal_year,
            )
            .annotate(
                n_projects=Count("projects", distinct=True),
                n_strategy_links=Count("projects__strategies", distinct=True),
                n_need_links=Count("projects__topics", distinct=True)
                + Count("projects__competencies", distinct=True),
            )
            .order_by("kind", "-status", "id")
        )

    def plan(self, kind: str):
        rows = [p for p in self.plans if p.kind == kind]
        approved = [p for p in rows if p.status == "approved"]
        return (approved or rows or [None])[0]

    @cached_property
    def network_goals(self) -> list:
        """The networks' goals of the period's academic years, each measurable one with its
        result computed from the schools' data (community.goal_measures)."""
        if not apps.is_installed("community"):
            return []
        from community.goal_measures import with_results
        from community.models import NetworkGoal

        return with_results(
            list(
                NetworkGoal.objects.filter(
                    network__office=self.office, academic_year__in=self.academic_years
                )
                .select_related("network")
                .order_by("network__name", "academic_year", "id")
            )
        )

    @cached_property
    def next_year_plan_exists(self) -> bool:
        if not apps.is_installed("planning"):
            return False
        from planning.models import Plan

        return Plan.objects.filter(office=self.office, fiscal_year=self.fiscal_year + 1).exists()

    @cached_property
    def courses(self) -> list[PeriodCourse]:
        if not apps.is_installed("training"):
            return []
        from django.db.models import Max, Min

        from training.models import Course
        from training.queries import course_result_counts

        # The year's courses are those filed under it, as in the training results table; a
        # round takes those whose first session starts in its months, the year's first round
        # also those that started before the year (a course of next year's budget opened a
        # few days early) and its last round those held after it (a budget carried over,
        # which the course page allows): either was in no SAR at all.
        first, last = self.period
        if first == fiscal_year_start(self.fiscal_year):
            first = dt.date.min
        if last == fiscal_year_end(self.fiscal_year):
            last = dt.date.max
        starts_in_period = (
            Course.objects.filter(office=self.office, fiscal_year=self.fiscal_year)
            .annotate(first_day=Min("sessions__start_date"))
            .filter(first_day__range=(first, last))
            .values("pk")
        )
        # Participants and passes of finished sessions only, as the training results table.
        rows = list(
            Course.objects.filter(pk__in=starts_in_period)
            .exclude(status="draft")
            .annotate(
                first_day=Min("sessions__start_date"),
                last_day=Max("sessions__end_date"),
                **course_result_counts(),
            )
            .order_by("id")
            # The columns the sources read, not whole courses: a large office's round has
            # thousands, and building each Course (and grouping by all its columns) cost
            # three times the query (0.2 s against 0.06 s for 3,500 courses).
            .values_list(*PeriodCourse.QUERIED)
        )
        at_project = PeriodCourse.QUERIED.index("project_id")
        links = _need_links({row[at_project] for row in rows})
        return [PeriodCourse(*row, need_links=links.get(row[at_project], 0)) for row in rows]

    @cached_property
    def course_ids(self) -> list[int]:
        return [c.pk for c in self.courses]

    @cached_property
    def follow_ups(self) -> dict[str, int]:
        """The follow-up reports of the period's courses: n, and confirmed by a director or
        supervisor. Read once: three items' points and follow-ups ask, and the period's
        courses can be thousands (a list of ids Django turns into as many parameters)."""
        from training.models import FollowUp

        return FollowUp.objects.filter(enrolment__course__in=self.course_ids).aggregate(
            n=Count("id"), confirmed=Count("id", filter=Q(confirmed_at__isnull=False))
        )

    @cached_property
    def networks(self) -> list:
        """The office's networks with their schools, and (community) this year's goals and
        activities counted."""
        from registry.models import Network

        rows = Network.objects.filter(office=self.office).annotate(
            n_schools=Count("schools", distinct=True)
        )
        if apps.is_installed("community"):
            rows = rows.annotate(
                n_goals=Count(
                    "goals", filter=Q(goals__academic_year__in=self.academic_years), distinct=True
                ),
                n_activities=Count("activities", distinct=True),
            ).select_related("profile")
        return list(rows.order_by("name"))  # fmt: skip

    @cached_property
    def developed(self) -> tuple[int, int]:
        """(people developed, active people) from the start of the fiscal year to the end of
        the period, by the office's hour rule."""
        from .kpis import KpiData, developed_share

        data = KpiData(self.office, [self.fiscal_year], until=self.period[1])
        parts = developed_share(data, {})[self.fiscal_year]
        return int(sum(p.num for p in parts.values())), int(sum(p.den for p in parts.values()))


# ---------------------------------------------------------------------- data quality


def _quality(ctx: EvidenceContext, params: dict, attr: str, label: str) -> Evidence:
    total = ctx.quality.total
    score = getattr(total, attr)
    if score is None or not total.people:
        return Evidence(Strength.NONE, f"{label}: ยังไม่มีข้อมูลบุคลากรให้ตรวจ")
    minimum = float(params.get("min", 80))
    strength = Strength.CLEAR if _meets(score, minimum, 1) else Strength.WEAK
    return Evidence(
        strength,
        f"{label} {_fmt(score, 1)} คะแนน (เกณฑ์ {minimum:g}) จากบุคลากร {total.people:,} คน "
        f"{len(ctx.quality.schools):,} โรงเรียน",
        links=[("คุณภาพข้อมูลสารสนเทศ", _url("registry:quality"))],
        documents=["ข้อมูลสารสนเทศครูและบุคลากรทางการศึกษา (รายงานคุณภาพข้อมูลสารสนเทศ)"],
    )


def data_complete(ctx, params):
    return _quality(ctx, params, "complete", "ความครบถ้วน")


def data_correct(ctx, params):
    return _quality(ctx, params, "correct", "ความถูกต้อง")


def data_current(ctx, params):
    return _quality(ctx, params, "current", "ความเป็นปัจจุบัน")


def data_ready(ctx, params):
    """Data ready for use, and what the SAR shows it used for under item 1: the staffing
    summary and tables, out-of-field teachers, and the needs analysis."""
    ev = _quality(ctx, params, "ready", "ความพร้อมใช้")
    if not ev.strength:
        return ev
    if apps.is_installed("staffing") and ctx.user is not None:
        _staffing_information(ctx, ev)
    if apps.is_installed("planning") and ctx.user is not None:
        _needs_information(ctx, ev)
    return ev


def _staffing_information(ctx, ev: Evidence) -> None:
    from staffing.exports import summary_lines
    from staffing.queries import analyse, out_of_field_totals, year_counted_by

    a = analyse(ctx.user, academic_year=year_counted_by(ctx.office, ctx.period[1]))
    if not a.summary.schools_total:
        return
    ev.lines += ["ข้อมูลอัตรากำลังของสถานศึกษาเป็นรายโรงและในภาพรวม"] + summary_lines(a)
    rows = [[label, *per, total] for _code, label, per, total in a.by_area.rows]
    rows.append(["รวม", *a.by_area.totals, a.by_area.grand_total])
    ev.more_tables.append(
        (f"{a.summary.actual_label} แยกตามกลุ่มสาระ", ["วิชา", *a.by_area.level_labels, "รวม"], rows)
    )
    oof = out_of_field_totals(ctx.user)
    if oof.total_teachers:
        # Out-of-field teaching is recorded as it is now (the register keeps no history of
        # the areas taught), and counts contract teachers: unlike the census-day lines above
        # it, so it says what it counts and when.
        today = format_thai_date(timezone.localdate(), style="medium")
        ev.lines.append(
            f"ครูสอนไม่ตรงวิชาเอก {oof.total_out:,} คน จากครูผู้สอนทุกประเภทการจ้าง "
            f"{oof.total_teachers:,} คน (ร้อยละ {_fmt(_pct(oof.total_out, oof.total_teachers))}; "
            f"ข้อมูล ณ {today})"
        )
        if oof.by_area:
            ev.more_tables.append((
                "ครูสอนไม่ตรงวิชาเอก แยกตามกลุ่มสาระการเรียนรู้",
                ["กลุ่มสาระการเรียนรู้ที่สอนไม่ตรงวิชาเอก", "จำนวนครู (คน)"],
                [[label, n] for _code, label, n in oof.by_area],
            ))  # fmt: skip
    ev.documents.append("ข้อมูลอัตรากำลังครูและบุคลากรทางการศึกษา และข้อมูลครูสอนไม่ตรงวิชาเอก")
    ev.links.append(("อัตรากำลัง", _url("staffing:office")))


def _needs_information(ctx, ev: Evidence) -> None:
    from planning.queries import analyse_needs, latest_reported_round

    # Closed by the end of the period, and by today: a round still open has no results yet.
    closed_by = min(ctx.period[1] + dt.timedelta(days=1), timezone.localdate())
    rnd = latest_reported_round(ctx.office.pk, fiscal_year=ctx.fiscal_year, closed_by=closed_by)
    if rnd is None:
        return
    a = analyse_needs(ctx.user, rnd, office_wide=True)
    top = [s for s in a.competencies if s.rank][:5]
    if top:
        ev.lines.append(f"ผลการวิเคราะห์ความต้องการจำเป็นในการพัฒนา ({rnd.name}) 5 อันดับแรก")
        ev.lines += [f"{s.rank}. {s.name} (PNI {s.pni_label})" for s in top]
        ev.documents.append(f"รายงานผลการประเมินความต้องการจำเป็นในการพัฒนา {rnd.name}")


# ------------------------------------------------------------------------------ plans


def _plan_evidence(plan, *, ok: bool, what: str, detail: str) -> Evidence:
    if plan is None:
        gap = " " if what.endswith(")") else ""  # "(ภายใน 3 ปี) ที่…", "ประจำปีที่…"
        return Evidence(Strength.NONE, f"ไม่พบ{what}{gap}ที่ครอบคลุมปีงบประมาณนี้ในระบบ")
    link = [(plan.title, _url("planning:plan", plan.pk))]
    docs = [f"{plan.title} ({plan.get_status_display()})"]
    if plan.status == "approved" and ok:
        return Evidence(Strength.CLEAR, f"{plan.title} อนุมัติแล้ว {detail}", link, docs)
    state = plan.get_status_display() if plan.status != "approved" else detail
    return Evidence(Strength.WEAK, f"{plan.title} — {state}", link, docs)


def plan_policy(ctx, params):
    plan = ctx.plan("annual")
    if not apps.is_installed("planning"):
        return _missing("การวางแผน")
    ok = plan is not None and plan.frame_id is not None and plan.n_strategy_links > 0
    detail = (
        f"โครงการ {plan.n_projects} โครงการ เชื่อมโยงกลยุทธ์ {plan.n_strategy_links} รายการ"
        if plan
        else ""
    )
    if plan is not None and not ok:
        detail = "ยังไม่เชื่อมโยงโครงการกับกรอบยุทธศาสตร์/นโยบาย"
    return _plan_evidence(plan, ok=ok, what="แผนปฏิบัติการประจำปี", detail=detail)


def plan_needs(ctx, params):
    if not apps.is_installed("planning"):
        return _missing("การวางแผน")
    plan = ctx.plan("annual")
    ok = plan is not None and plan.needs_round_id is not None and plan.n_need_links > 0
    detail = (
        f"อ้างอิงผลการประเมินความต้องการจำเป็น เชื่อมโยงความต้องการ {plan.n_need_links} รายการ"
        if ok
        else "ยังไม่เชื่อมโยงโครงการกับผลการประเมินความต้องการจำเป็น"
    )
    return _plan_evidence(plan, ok=ok, what="แผนปฏิบัติการประจำปี", detail=detail)


def plan_short(ctx, params):
    if not apps.is_installed("planning"):
        return _missing("การวางแผน")
    short = [p for p in ctx.plans if p.end_year - p.fiscal_year + 1 < 3]
    plan = ([p for p in short if p.status == "approved"] or short or [None])[0]
    return _plan_evidence(plan, ok=True, what="แผนระยะสั้น (ภายใน 3 ปี)", detail="")


def plan_long(ctx, params):
    if not apps.is_installed("planning"):
        return _missing("การวางแผน")
    long = [p for p in ctx.plans if p.end_year - p.fiscal_year + 1 >= 3]
    plan = ([p for p in long if p.status == "approved"] or long or [None])[0]
    return _plan_evidence(
        plan,
        ok=True,
        what="แผนระยะยาว (3 ปีขึ้นไป)",
        detail=f"ปีงบประมาณ {plan.years_label}" if plan else "",
    )


# ---------------------------------------------------------------------------- methods


def methods_coverage(ctx, params):
    if not apps.is_installed("training"):
        return _missing("การพัฒนา")
    developed, total = ctx.developed
    modes = Counter(c.mode_label for c in ctx.courses)
    if not ctx.courses or not developed:
        return Evidence(Strength.NONE, "ยังไม่มีผลการพัฒนาในรอบนี้")
    pct = _pct(developed, total)
    minimum = float(params.get("min", 80))
    return Evidence(
        Strength.CLEAR if _meets(pct, minimum) else Strength.WEAK,
        f"บุคลากรได้รับการพัฒนาตามเกณฑ์ {developed:,} จาก {total:,} คน ร้อยละ {_fmt(pct)} "
        f"(เกณฑ์ร้อยละ {minimum:g}, นับถึง {format_thai_date(ctx.period[1], style='medium')}) "
        f"ด้วย {len(modes)} รูปแบบ {len(ctx.courses)} หลักสูตร",
        links=[("ผลการพัฒนา", _url("training:courses"))],
        documents=["วิธีการ/รูปแบบการพัฒนาครูและบุคลากรทางการศึกษา"],
        lines=[f"{mode} {n} หลักสูตร" for mode, n in modes.most_common()],
        annex=(
            "วิธีการ รูปแบบ การพัฒนาข้าราชการครูและบุคลากรทางการศึกษา "
            f"ปีงบประมาณ {year_label(ctx.fiscal_year)} ({period_label(*ctx.period)})",
            *methods_table(ctx),
        ),
    )


METHODS_HEADER = [
    "ที่",
    "ชื่อหลักสูตร/โครงการ",
    "วัน เวลา ในการจัดกิจกรรม/โครงการ",
    "สถานที่ในการพัฒนา/อบรม/ประชุม",
    "วิธีการ/รูปแบบ",
    "จำนวนผู้เข้าอบรม/พัฒนา",
    "จำนวนผู้ผ่านการอบรม/พัฒนา",
    "คิดเป็นร้อยละ",
]


def methods_table(ctx) -> tuple[list[str], list[list]]:
    """The SAR's item 4 table "วิธีการ รูปแบบ การพัฒนาข้าราชการครูและบุคลากรทางการศึกษา": one
    row per course of the period (its sessions' dates and places, its mode, participants and
    passes of finished sessions), then the period's PLC meetings by level and coaching or
    mentoring visits by kind. PLC and visits have no pass rule, so those cells stay "—"."""
    from training.models import Session
    from training.queries import pass_pct_text

    places: dict[int, list[str]] = {}
    for course_id, place in (
        Session.objects.filter(course_id__in=ctx.course_ids)
        .exclude(place="")
        .order_by("start_date", "id")
        .values_list("course_id", "place")
    ):
        if place not in places.setdefault(course_id, []):
            places[course_id].append(place)
    rows = [
        [c.title, period_label(c.first_day, c.last_day), ", ".join(places.get(c.pk, [])) or "—",
         c.mode_label, c.participants, c.passed,
         pass_pct_text(c.passed, c.participants, c.pending)]
        for c in ctx.courses
    ]  # fmt: skip
    if apps.is_installed("community"):
        rows += _plc_rows(ctx) + _visit_rows(ctx)
    return METHODS_HEADER, [[i, *row] for i, row in enumerate(rows, start=1)]


def _plc_rows(ctx) -> list[list]:
    from django.db.models import Max, Min

    from community.models import PLCLevel, PLCMeeting

    meetings = PLCMeeting.objects.filter(group__office=ctx.office, date__range=ctx.period)
    rows = []
    for level in PLCLevel:
        of_level = meetings.filter(group__level=level)
        span = of_level.aggregate(
            first=Min("date"), last=Max("date"), groups=Count("group", distinct=True),
            n=Count("id", distinct=True), people=Count("attendees", distinct=True),
            schools=Count("group__school", distinct=True),
            networks=Count("group__network", distinct=True),
        )  # fmt: skip
        if not span["n"]:
            continue
        where = {
            PLCLevel.SCHOOL: f"สถานศึกษา {span['schools']:,} แห่ง",
            PLCLevel.NETWORK: f"เครือข่าย {span['networks']:,} เครือข่าย",
            PLCLevel.OFFICE: ctx.office.name,
        }[level]
        rows.append([
            f"ชุมชนการเรียนรู้ทางวิชาชีพ (PLC) {level.label} {span['groups']:,} กลุ่ม "
            f"{span['n']:,} ครั้ง",
            period_label(span["first"], span["last"]), where,
            "ชุมชนการเรียนรู้ทางวิชาชีพ (PLC)", span["people"], "—", "—",
        ])  # fmt: skip
    return rows


def _visit_rows(ctx) -> list[list]:
    from django.db.models import Max, Min

    from community.models import Visit, VisitKind, VisitStatus

    visits = Visit.objects.filter(
        office=ctx.office, status=VisitStatus.DONE, date__range=ctx.period,
        kind__in=[VisitKind.COACHING, VisitKind.MENTORING],
    )  # fmt: skip
    rows = []
    for kind in (VisitKind.COACHING, VisitKind.MENTORING):
        span = visits.filter(kind=kind).aggregate(
            first=Min("date"), last=Max("date"), n=Count("id", distinct=True),
            people=Count("people", distinct=True), schools=Count("school", distinct=True),
        )  # fmt: skip
        if not span["n"]:
            continue
        rows.append([
            f"{kind.label}ในสถานศึกษา {span['n']:,} ครั้ง", period_label(span["first"], span["last"]),
            f"สถานศึกษา {span['schools']:,} แห่ง", kind.label, span["people"], "—", "—",
        ])  # fmt: skip
    return rows


def methods_fit_work(ctx, params):
    if not apps.is_installed("training"):
        return _missing("การพัฒนา")
    rows = ctx.follow_ups
    if not rows["n"]:
        return Evidence(Strength.NONE, "ยังไม่มีรายงานการนำความรู้ไปใช้ในการปฏิบัติงาน")
    return Evidence(
        Strength.CLEAR if rows["confirmed"] else Strength.WEAK,
        f"รายงานการนำความรู้ไปใช้ในการปฏิบัติงาน {rows['n']:,} ฉบับ "
        f"ผู้บริหาร/ศึกษานิเทศก์รับรองแล้ว {rows['confirmed']:,} ฉบับ",
        documents=["รายงานการติดตามผลการนำความรู้ไปใช้หลังการพัฒนา"],
    )


def methods_fit_needs(ctx, params):
    if not apps.is_installed("training"):
        return _missing("การพัฒนา")
    if not ctx.courses:
        return Evidence(Strength.NONE, "ยังไม่มีหลักสูตรในรอบนี้")  # courses starting in the period
    linked = [c for c in ctx.courses if c.need_links]
    if not linked:
        return Evidence(Strength.NONE, "หลักสูตรยังไม่เชื่อมโยงกับความต้องการจำเป็นในแผน")
    share = _pct(len(linked), len(ctx.courses))
    minimum = float(params.get("min", 50))
    return Evidence(
        Strength.CLEAR if _meets(share, minimum) else Strength.WEAK,
        f"หลักสูตรที่ตอบความต้องการจำเป็นตามแผน {len(linked)} จาก {len(ctx.courses)} หลักสูตร "
        f"(ร้อยละ {_fmt(share)})",
        documents=["ผลการประเมินความต้องการจำเป็นในการพัฒนา"],
    )


def _results_table(ctx) -> tuple[str, list[str], list[list]]:
    from training.queries import pass_pct_text

    rows = [
        [i, c.title, c.participants, c.passed, pass_pct_text(c.passed, c.participants, c.pending)]
        for i, c in enumerate(ctx.courses, start=1)
    ]
    return (
        "ผลการพัฒนาครูและบุคลากรทางการศึกษา จำแนกตามหลักสูตร",
        ["ที่", "ชื่อหลักสูตร", "จำนวนผู้เข้าอบรม/พัฒนา", "จำนวนผู้ผ่าน", "ร้อยละ"],
        rows,
    )


def projects_complete(ctx, params):
    if not apps.is_installed("planning") or not apps.is_installed("training"):
        return _missing("การวางแผน/การพัฒนา")
    plan = ctx.plan("annual")
    if plan is None or not plan.n_projects:
        return Evidence(Strength.NONE, "ไม่พบโครงการตามแผนปฏิบัติการของปีนี้")
    delivered = {c.project_id for c in ctx.courses if c.project_id}
    from planning.models import Project

    projects = list(Project.objects.filter(plan=plan).values_list("pk", flat=True))
    done = len([p for p in projects if p in delivered])
    ev = Evidence(
        Strength.CLEAR if done == len(projects) and plan.status == "approved" else
        Strength.WEAK if done else Strength.NONE,
        f"ดำเนินการพัฒนาแล้ว {done} จาก {len(projects)} โครงการตามแผนปฏิบัติการ",
        links=[(plan.title, _url("planning:plan", plan.pk))],
        documents=[f"โครงการพัฒนาครูและบุคลากรทางการศึกษา ตาม{plan.title}"],
    )  # fmt: skip
    if ctx.courses:
        ev.table = _results_table(ctx)
    awards = _awards_table(ctx)
    if awards:
        ev.more_tables.append(awards)
        ev.documents.append("ตารางการคัดเลือกข้าราชการครูและบุคลากรทางการศึกษาเพื่อรับรางวัล")
    return ev


def _awards_table(ctx) -> tuple[str, list[str], list[list]] | None:
    """The SAR's item 5 table: ที่ / รายการคัดเลือก / จำนวนผู้ได้รับการคัดเลือก."""
    if not apps.is_installed("community"):
        return None
    from community.queries import award_year_for, awards_table

    year = award_year_for(ctx.office, fiscal_year=ctx.fiscal_year)
    rows = awards_table(ctx.office, year=year) if year else []
    if not rows:
        return None
    return (
        "การคัดเลือกข้าราชการครูและบุคลากรทางการศึกษาเพื่อรับรางวัล",
        ["ที่", "รายการคัดเลือก", "จำนวนผู้ได้รับการคัดเลือก"],
        [[i, r.title, f"{area} คน"] for i, (r, _n, area, _region, _national) in
         enumerate(rows, start=1)],
    )  # fmt: skip


def projects_on_time(ctx, params):
    if not apps.is_installed("training"):
        return _missing("การพัฒนา")
    linked = [c for c in ctx.courses if c.project_id]
    if not linked:
        return Evidence(Strength.NONE, "ยังไม่มีหลักสูตรที่ผูกกับโครงการตามแผน")
    finished = [c for c in linked if c.status == "finished"]
    return Evidence(
        Strength.CLEAR if len(finished) == len(linked) else
        Strength.WEAK if finished else Strength.NONE,
        f"หลักสูตรตามโครงการดำเนินการเสร็จในปีงบประมาณ {len(finished)} จาก {len(linked)} หลักสูตร",
        documents=["รายงานผลการดำเนินงานตามแผนปฏิบัติการ"],
    )  # fmt: skip


# --------------------------------------------------------------------------- networks


def network_built(ctx, params):
    nets = ctx.networks
    if not nets:
        return Evidence(Strength.NONE, "ยังไม่มีเครือข่ายสถานศึกษาในระบบ")
    if not apps.is_installed("community"):
        return Evidence(
            Strength.WEAK, f"มีเครือข่ายสถานศึกษา {len(nets)} เครือข่าย (ยังไม่มีข้อมูลการดำเนินงาน)"
        )
    working = [
        n for n in nets
        if getattr(n, "profile", None) and n.profile.chair_id and (n.n_goals or n.n_activities)
    ]  # fmt: skip
    minimum = int(params.get("min", 1))
    goals = ctx.network_goals
    return Evidence(
        Strength.CLEAR if len(working) >= minimum else Strength.WEAK,
        f"เครือข่ายสถานศึกษา {len(nets)} เครือข่าย ({sum(n.n_schools for n in nets)} โรงเรียน) "
        f"มีประธาน เป้าหมาย/กิจกรรมในปีนี้ {len(working)} เครือข่าย",
        links=[("เครือข่ายสถานศึกษา", _url("community:networks"))],
        documents=["รายชื่อเครือข่ายยกระดับคุณภาพการศึกษา และคำสั่งแต่งตั้งคณะกรรมการเครือข่าย"],
        lines=[f"{n.name} ({n.n_schools} โรงเรียน)" for n in nets],
        # Full width after the item, as the SAR lists the networks' goals (too wide for the
        # evidence column).
        annex=(
            "เป้าหมายและผลการดำเนินงานของเครือข่าย ปีการศึกษา "
            + "–".join(year_label(y) for y in ctx.academic_years),
            GOAL_HEADER,
            [_goal_row(i, g) for i, g in enumerate(goals, start=1)],
        )
        if goals
        else None,
    )


GOAL_HEADER = ["ที่", "เครือข่าย", "เป้าหมาย", "ปีการศึกษา", "ค่าเป้าหมาย", "ผลที่ได้", "ผล"]


def _goal_row(number: int, goal) -> list:
    """A goal as the SAR's networks item reports it: measurable goals with the figure
    computed from the schools' data, the others with what the officers recorded."""
    first = [number, goal.network.name, goal.text, year_label(goal.academic_year), goal.target]
    if goal.result is not None:
        return [*first, goal.result.summary, goal.result.verdict]
    verdict = {True: "บรรลุ", False: "ไม่บรรลุ", None: "ยังไม่ได้ประเมิน"}[goal.achieved]
    return [*first, goal.actual or "—", verdict]


def network_guidelines(ctx, params):
    if not apps.is_installed("community"):
        return _missing("เครือข่าย")
    nets = ctx.networks
    if not nets:
        return Evidence(Strength.NONE, "ยังไม่มีเครือข่ายสถานศึกษาในระบบ")
    with_plan = [
        n for n in nets
        if n.n_goals or (getattr(n, "profile", None) and n.profile.description.strip())
    ]  # fmt: skip
    if not with_plan:
        return Evidence(Strength.NONE, "เครือข่ายยังไม่ได้บันทึกแนวทางหรือเป้าหมายการดำเนินงาน")
    return Evidence(
        Strength.CLEAR if len(with_plan) == len(nets) else Strength.WEAK,
        f"เครือข่ายที่กำหนดแนวทาง/เป้าหมายการดำเนินงาน {len(with_plan)} จาก {len(nets)} เครือข่าย",
        links=[("เครือข่ายสถานศึกษา", _url("community:networks"))],
        documents=["แนวทางการส่งเสริม สนับสนุนและพัฒนาการบริหารจัดการเครือข่าย"],
    )


def network_innovation(ctx, params):
    if not apps.is_installed("community"):
        return _missing("คลังผลงาน")
    from community.models import BestPractice

    counts = BestPractice.objects.filter(office=ctx.office, year__in=ctx.academic_years).aggregate(
        published=Count("id", filter=Q(status="published")),
        other=Count("id", filter=~Q(status="published")),
    )
    if not counts["published"] and not counts["other"]:
        return Evidence(Strength.NONE, "ยังไม่มีผลงาน Best Practice/นวัตกรรมของปีนี้ในคลัง")
    return Evidence(
        Strength.CLEAR if counts["published"] else Strength.WEAK,
        f"ผลงาน Best Practice/นวัตกรรมที่เผยแพร่ {counts['published']} เรื่อง "
        f"อยู่ระหว่างตรวจ/ร่าง {counts['other']} เรื่อง",
        links=[("คลัง Best Practice", _url("community:practices"))],
        documents=["คลังผลงาน Best Practice และนวัตกรรม"],
    )


# ------------------------------------------------------------- promoting, honouring


def pa_agreements(ctx, params):
    if not apps.is_installed("career"):
        return _missing("PA")
    from career.models import PAAgreement
    from registry.models import TEACHING_TYPES

    teachers = Person.objects.filter(
        office=ctx.office, status=PersonStatus.ACTIVE, personnel_type__in=TEACHING_TYPES
    ).count()
    # The agreements of the teachers counted (active, teaching), as the PA status page and
    # the inspection report count them: a retired teacher's agreement made "approved of the
    # teachers" more than 100 %.
    counts = PAAgreement.objects.filter(
        person__office=ctx.office,
        person__status=PersonStatus.ACTIVE,
        person__personnel_type__in=TEACHING_TYPES,
        fiscal_year=ctx.fiscal_year,
    ).aggregate(n=Count("id"), approved=Count("id", filter=Q(status__in=["approved", "evaluated"])))
    if not counts["n"]:
        return Evidence(Strength.NONE, "ยังไม่มีข้อตกลงในการพัฒนางาน (PA) ของปีนี้ในระบบ")
    share = _pct(counts["approved"], teachers)
    minimum = float(params.get("min", 80))
    return Evidence(
        Strength.CLEAR if _meets(share, minimum) else Strength.WEAK,
        f"ครูจัดทำข้อตกลง PA {counts['n']:,} คน ผู้อำนวยการอนุมัติแล้ว {counts['approved']:,} คน "
        f"(ร้อยละ {_fmt(share)} ของครู {teachers:,} คน)",
        links=[("PA·วิทยฐานะ", _url("career:home"))],
        documents=["ข้อตกลงในการพัฒนางาน (PA) ของข้าราชการครู"],
    )


def award_winners(ctx, params):
    """The selections of the award year the report shows (the latest up to its fiscal year,
    as the awards table and the annual summary name it), counted from that table: the line
    and the table beside it are the same figures. Counting nominations of two academic years
    gave a sentence the table under it did not add up to."""
    if not apps.is_installed("community"):
        return _missing("รางวัล")
    from community.queries import award_year_for, awards_table

    year = award_year_for(ctx.office, fiscal_year=ctx.fiscal_year)
    rows = awards_table(ctx.office, year=year) if year else []
    nominated = sum(n for _round, n, *_levels in rows)
    if not nominated:
        return Evidence(Strength.NONE, "ยังไม่มีการเสนอชื่อเพื่อรับรางวัลในปีนี้")
    selected = sum(area for _round, _n, area, _region, _national in rows)
    ev = Evidence(
        Strength.CLEAR if selected else Strength.WEAK,
        f"การคัดเลือกเพื่อรับรางวัล ประจำปี {year_label(year)} {len(rows):,} รายการ "
        f"เสนอชื่อ {nominated:,} ราย ได้รับการคัดเลือก {selected:,} ราย",
        links=[("รางวัลและการเชิดชูเกียรติ", _url("community:awards"))],
        documents=["ตารางการคัดเลือกข้าราชการครูและบุคลากรทางการศึกษาเพื่อรับรางวัล"],
    )
    ev.more_tables.append(_awards_table(ctx))
    return ev


# ------------------------------------------------------------------------- follow-up


def follow_up_training(ctx, params):
    """Follow-up results used to adjust the process: confirmed follow-up reports this year and
    a plan for the next fiscal year already drafted from them."""
    if not apps.is_installed("training"):
        return _missing("การพัฒนา")
    confirmed = ctx.follow_ups["confirmed"]
    has_next = ctx.next_year_plan_exists
    strength = (
        Strength.CLEAR if confirmed and has_next else Strength.WEAK if confirmed or has_next
        else Strength.NONE
    )  # fmt: skip
    return Evidence(
        strength,
        f"ผลการติดตามที่รับรองแล้ว {confirmed:,} ฉบับ; "
        + ("มีแผนของปีงบประมาณถัดไปแล้ว" if has_next else "ยังไม่มีแผนของปีงบประมาณถัดไป"),
    )


def follow_up_networks(ctx, params):
    if not apps.is_installed("community"):
        return _missing("เครือข่าย")
    from community.models import NetworkGoal

    # A measurable goal is evaluated once its data gives a figure; the others once ticked.
    evaluated = sum(
        1 for g in ctx.network_goals
        if (g.result.value is not None if g.result is not None else g.achieved is not None)
    )  # fmt: skip
    next_goals = NetworkGoal.objects.filter(
        network__office=ctx.office, academic_year__gt=max(ctx.academic_years)
    ).count()
    strength = (
        Strength.CLEAR if evaluated and next_goals else Strength.WEAK if evaluated or next_goals
        else Strength.NONE
    )  # fmt: skip
    return Evidence(
        strength,
        f"ประเมินผลเป้าหมายเครือข่ายแล้ว {evaluated} เป้าหมาย กำหนดเป้าหมายปีถัดไป {next_goals} เป้าหมาย",
    )


SOURCES: dict[str, Callable[[EvidenceContext, dict], Evidence]] = {
    "data_complete": data_complete,
    "data_correct": data_correct,
    "data_current": data_current,
    "data_ready": data_ready,
    "plan_policy": plan_policy,
    "plan_needs": plan_needs,
    "plan_short": plan_short,
    "plan_long": plan_long,
    "methods_coverage": methods_coverage,
    "methods_fit_work": methods_fit_work,
    "methods_fit_needs": methods_fit_needs,
    "projects_complete": projects_complete,
    "projects_on_time": projects_on_time,
    "network_built": network_built,
    "network_guidelines": network_guidelines,
    "network_innovation": network_innovation,
    "pa_agreements": pa_agreements,
    "award_winners": award_winners,
    "follow_up_training": follow_up_training,
    "follow_up_networks": follow_up_networks,
}


def gather(ctx: EvidenceContext, key: str, params: dict | None = None) -> Evidence:
    source = SOURCES.get(key)
    if source is None:
        return Evidence(Strength.NONE, f"ไม่รู้จักแหล่งหลักฐาน “{key}”")
    return source(ctx, params or {})
