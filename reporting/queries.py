"""Reads for the dashboard, the home page's "needs action now" panel and the reports;
always scoped to what the user's role may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.roles import (
    APPROVE_PLANS,
    CONFIRM_FOLLOW_UP,
    EDIT_PEOPLE,
    MANAGE_ROUNDS,
    MANAGE_TRAINING,
    RATE_STAFF,
    RECORD_VISITS,
    SELF_ASSESS,
    VIEW_AGGREGATES,
    Role,
    can,
)
from krupd.lib import compiled_queries, numerals, thai_dates
from krupd.lib.natural import natural_key
from registry import labels
from registry.models import Network, Office, School

from .kpis import FORMULAS, KpiData, Part, growth_basis, like_key
from .models import (
    DRAFT_LABEL,
    LOCKED_STATUSES,
    InspectionSubmission,
    KpiKind,
    KpiTarget,
)

TREND_YEARS = 4
OFFICE_ROLES = (Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR, Role.INSPECTOR)


def current_fiscal_year() -> int:
    return thai_dates.fiscal_year(timezone.localdate())


def targets_for(office: Office) -> list[KpiTarget]:
    """The office's own targets, and the defaults for every code it has not overridden."""
    rows = KpiTarget.objects.filter(Q(office=None) | Q(office=office)).order_by(
        "sort_order", "code", F("office").asc(nulls_first=True)
    )
    by_code: dict[str, KpiTarget] = {}
    for t in rows:
        if t.office_id is not None or t.code not in by_code:
            by_code[t.code] = t
    return sorted(
        (t for t in by_code.values() if t.active and t.formula in FORMULAS),
        key=lambda t: (t.sort_order, t.code),
    )


def target_for(office: Office, code: str) -> KpiTarget | None:
    """One KPI's target as the office uses it (its own row, else the default): the one place a
    target such as the partnership growth a year is defined, for the dashboard and every page."""
    return next((t for t in targets_for(office) if t.code == code), None)


PARTNERSHIP_GROWTH = "partnerships"  # the plan's "การร่วมมือกับองค์กรภายนอกเพิ่มขึ้น ต่อปี"


# ----------------------------------------------------------------------------- scope


@dataclass(frozen=True)
class Scope:
    kind: str  # office | network | school
    label: str
    office: Office
    network: Network | None = None
    school: School | None = None

    def units(self, schools: list[dict]) -> set | None:
        """The KPI units this scope adds up; None = all of the office's."""
        if self.kind == "office":
            return None
        if self.kind == "network":
            ids = {s["id"] for s in schools if s["network_id"] == self.network.pk}
            return ids | {("network", self.network.pk)}
        return {self.school.pk}

    def schools_read(self) -> set[int] | None:
        """The schools whose figures this scope shows (KpiData.only_schools); None = all of
        the office's, and its own staff."""
        if self.kind == "school":
            return {self.school.pk}
        if self.kind == "network":
            schools = School.objects.filter(office=self.office, network=self.network)
            return set(schools.values_list("pk", flat=True))
        return None


def scope_for(user, *, network_id: int | None = None, school_id: int | None = None) -> Scope:
    """The scope asked for, if the user may see it; a director is always held to their school.
    Raises School/Network.DoesNotExist for anything outside the user's office."""
    office = user.office
    if user.role == Role.SCHOOL_DIRECTOR:
        school = School.objects.select_related("network").get(pk=user.school_id, office=office)
        return Scope("school", school.name, office, network=school.network, school=school)
    if school_id:
        school = School.objects.select_related("network").get(pk=school_id, office=office)
        return Scope("school", school.name, office, network=school.network, school=school)
    if network_id:
        network = Network.objects.get(pk=network_id, office=office)
        return Scope("network", network.name, office, network=network)
    return Scope("office", office.name, office)


# ------------------------------------------------------------------------- dashboard


@dataclass
class YearValue:
    fiscal_year: int
    value: float | None
    growth: float | None = None
    num: float = 0
    den: float = 0
    basis: str = ""  # growth KPIs: what the year is compared with


@dataclass
class KpiRow:
    target: KpiTarget
    years: list[YearValue]
    unit: str
    available: bool = True  # False: not measured at this level (e.g. partnerships per school)

    @property
    def current(self) -> YearValue:
        return self.years[-1]

    @property
    def measured(self) -> float | None:
        """What is compared with the target: the value, or the growth for growth KPIs."""
        cur = self.current
        return cur.growth if self.target.kind == KpiKind.GROWTH else cur.value

    @property
    def status(self) -> str:
        return kpi_status(self.target.kind, self.measured, self.target.target)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


STATUS_LABELS = {
    "met": "บรรลุเป้าหมาย",
    "near": "ใกล้เป้าหมาย",
    "below": "ต่ำกว่าเป้าหมาย",
    "nodata": "ยังไม่มีข้อมูล",
}


def kpi_status(kind: str, measured: float | None, target: float | Decimal) -> str:
    """met: at or above target · near: within 10 % of a level target, or growing but below a
    growth target · below: otherwise · nodata: nothing to compare.

    Read on the value as reported (two decimals, half up: numerals.rounded), so the status
    agrees with the figure printed next to it: 79.995 % is printed 80.00 and meets 80."""
    if measured is None:
        return "nodata"
    shown, goal = numerals.rounded(measured), Decimal(str(target))
    if shown >= goal:
        return "met"
    if kind == KpiKind.GROWTH:
        return "near" if shown >= 0 else "below"
    return "near" if shown >= goal * Decimal("0.9") else "below"


# What each colour means, printed under every table of statuses (kpi_status's rule in words):
# "ใกล้เป้าหมาย" alone left a reader guessing why 6 % growth against a 10 % target is orange.
STATUS_LEGEND = (
    "สีเขียว = บรรลุเป้าหมาย · สีส้ม = ใกล้เป้าหมาย (ไม่ต่ำกว่าร้อยละ 90 ของเป้าหมาย; "
    "ตัวชี้วัดแบบเพิ่มขึ้นต่อปี: เพิ่มขึ้นแต่ยังไม่ถึงเป้าหมาย) · สีแดง = ต่ำกว่าเป้าหมาย"
)


@dataclass
class BreakdownRow:
    label: str
    url: str
    values: list[tuple[float | None, str]]  # (measured, status) per KPI


@dataclass
class Dashboard:
    scope: Scope
    fiscal_year: int
    years: list[int]
    kpis: list[KpiRow]
    breakdown_title: str = ""
    breakdown: list[BreakdownRow] = field(default_factory=list)

    def chart(self) -> dict:
        return {
            "years": [str(y) for y in self.years],
            "kpis": [
                {
                    "name": k.target.name,
                    "target": float(k.target.target),
                    "kind": k.target.kind,
                    "unit": k.unit,
                    "values": [_reported(v.value) for v in k.years],
                    "growth": [_reported(v.growth) for v in k.years],
                }
                for k in self.kpis
            ],
        }


def _reported(value: float | None) -> float | None:
    return numerals.rounded_float(value)


def _sum(parts: dict, units: set | None) -> Part | None:
    total, seen = Part(), False
    for unit, part in parts.items():
        if units is None or unit in units:
            total.add(part)
            seen = True
    return total if seen else None


def _row(
    target: KpiTarget,
    parts: dict,
    years: list[int],
    units: set | None,
    *,
    one_school: bool,
    today: dt.date,
) -> KpiRow:
    formula = FORMULAS[target.formula]
    if one_school and not formula.school_level:
        return KpiRow(target, [YearValue(fy, None) for fy in years], formula.unit, False)
    values = []
    previous = None
    for fy in [years[0] - 1, *years]:
        part = _sum(parts.get(fy, {}), units)
        value = formula.value_of(part)
        growth, basis = None, ""
        like = like_key(fy) in parts  # a year still running: the same months of the year before
        base = formula.value_of(_sum(parts[like_key(fy)], units)) if like else previous
        if value is not None and base:
            growth = (value - base) / base * 100
        if fy in years:
            if target.kind == KpiKind.GROWTH:
                basis = growth_basis(fy, like_period=like, today=today)
            values.append(
                YearValue(fy, value, growth, part.num if part else 0, part.den if part else 0,
                          basis=basis)
            )  # fmt: skip
        previous = value
    return KpiRow(target, values, formula.unit)


def compute(
    office: Office,
    *,
    targets: list[KpiTarget],
    years: list[int],
    today: dt.date | None = None,
    schools: set[int] | None = None,
) -> tuple[KpiData, dict[int, dict]]:
    """Every target's parts over the given years: {target id: parts}; given `schools`, only
    the parts of those schools are complete (KpiData.only_schools)."""
    data = KpiData(office, years, today=today, schools=schools)
    return data, {t.pk: FORMULAS[t.formula].compute(data, t.params or {}) for t in targets}


def dashboard(user, *, fiscal_year: int, scope: Scope, today: dt.date | None = None) -> Dashboard:
    """KPIs of the scope over the last TREND_YEARS fiscal years up to `fiscal_year`, with a
    breakdown one level down (office → networks, network → schools). A fixed number of
    queries whatever the number of schools, people or years."""
    years = list(range(fiscal_year - TREND_YEARS + 1, fiscal_year + 1))
    targets = targets_for(scope.office)
    # A school's or a network's dashboard reads their schools' rows only (a director's: one
    # school of 1,000), not the whole office's.
    data, parts = compute(scope.office, targets=targets, years=years, today=today,
                          schools=scope.schools_read())  # fmt: skip
    units = scope.units(data.schools)
    one_school = scope.kind == "school"
    kpis = [
        _row(t, parts[t.pk], years, units, one_school=one_school, today=data.today) for t in targets
    ]
    board = Dashboard(scope=scope, fiscal_year=fiscal_year, years=years, kpis=kpis)
    if scope.kind == "school" or user.role == Role.SCHOOL_DIRECTOR:
        return board
    base = reverse("reporting:dashboard")
    groups: list[tuple[str, str, set]] = []
    in_year = _InTheYear(fiscal_year, targets, parts)
    if scope.kind == "office":
        board.breakdown_title = "รายเครือข่ายสถานศึกษา"
        networks: dict[int | None, tuple[str, set]] = {}
        existed: set[int | None] = set()  # the networks with a school of the year
        for s in data.schools:
            name = s["network__name"] or "ไม่สังกัดเครือข่าย"
            networks.setdefault(s["network_id"], (name, set()))[1].add(s["id"])
            if in_year(s):
                existed.add(s["network_id"])
        for nid, (name, ids) in sorted(networks.items(), key=lambda kv: natural_key(kv[1][0])):
            # A network none of whose schools existed in the year (each closed or merged into
            # another before it) is no row of it: a row of zeros reads as a network failing
            # its targets. Figures of the year counted at the network itself keep it.
            if nid not in existed and not (nid and in_year.counted(("network", nid))):
                continue
            url = f"{base}?fy={fiscal_year}&network={nid}" if nid else ""
            groups.append((name, url, ids | ({("network", nid)} if nid else set())))
        groups.append(("บุคลากรในสำนักงานเขตพื้นที่", "", {None}))
    else:
        board.breakdown_title = "รายโรงเรียน"
        members = [s for s in data.schools if s["network_id"] == scope.network.pk and in_year(s)]
        # Two schools of one name are named with their OBEC codes (registry.labels).
        shown = labels.distinct_labels((s["id"], s["name"], s["obec_code"]) for s in members)
        for s in members:
            url = f"{base}?fy={fiscal_year}&school={s['id']}"
            groups.append((shown[s["id"]], url, {s["id"]}))
    # The breakdown shows the scope's year only: its value and what its growth compares with
    # (the year before, or its months; _row takes the years in order, so the last year's
    # figures do not depend on the earlier ones), not each group's whole trend.
    shown = years[-1:]
    wanted = {*shown, shown[0] - 1, like_key(shown[0]), like_key(shown[0] - 1)}
    by_group = {t.pk: _parts_by_group({k: v for k, v in parts[t.pk].items() if k in wanted},
                                      [units for _, _, units in groups])
                for t in targets}  # fmt: skip
    for i, (label, url, _units) in enumerate(groups):
        values = []
        for t in targets:
            row = _row(t, by_group[t.pk][i], shown, None, one_school=scope.kind == "network",
                       today=data.today)  # fmt: skip
            values.append((row.measured, row.status))
        board.breakdown.append(BreakdownRow(label, url, values))
    return board


class _InTheYear:
    """Whether a school (a row of KpiData.schools) existed in a fiscal year, for the
    breakdowns: a school closed (or merged into another) by the year's first day did not,
    unless figures of the year are counted at it (its history stays); one open for part of
    the year did. A network existed in the year when one of its schools did."""

    def __init__(self, fiscal_year: int, targets: list[KpiTarget], parts: dict[int, dict]):
        self.start = thai_dates.fiscal_year_start(fiscal_year)
        self.units = {unit for t in targets for unit in parts[t.pk].get(fiscal_year, {})}

    def counted(self, unit) -> bool:
        """Whether figures of the year are counted at the unit (a school id, a network's)."""
        return unit in self.units

    def __call__(self, school: dict) -> bool:
        closed_on = school["closed_on"]
        return closed_on is None or closed_on > self.start or self.counted(school["id"])


def _parts_by_group(parts: dict, groups: list[set]) -> list[dict]:
    """Each group's parts summed over its units, in one pass over the units: summing every
    group over all the office's units took networks × KPIs × years × schools steps (most of a
    1,000-school office's dashboard). Per group, {key: {0: sum}}, or {key: {}} when none of
    its units has a part, so _row finds what _sum(parts[key], units) gives, added up in the
    same order."""
    member: dict[object, list[int]] = defaultdict(list)
    for i, units in enumerate(groups):
        for unit in units:
            member[unit].append(i)
    found: list[dict] = [{} for _ in groups]
    for key, unit_parts in parts.items():
        sums: dict[int, Part] = {}
        for unit, part in unit_parts.items():
            for i in member.get(unit, ()):
                sums.setdefault(i, Part()).add(part)
        for i, group in enumerate(found):
            group[key] = {0: sums[i]} if i in sums else {}
    return found


# ------------------------------------------------------------------ needs action now


@dataclass
class Action:
    label: str
    count: int
    url: str
    level: str = "warn"  # warn | bad | info


def needs_action(user, *, today: dt.date | None = None) -> list[Action]:
    """What someone in this role should deal with now: data problems, surveys not submitted,
    plans awaiting approval, courses filling up. Each check is one aggregate query and is
    skipped when its app is missing or the role has nothing to do with it."""
    today = today or timezone.localdate()
    if not user.is_authenticated or not user.office_id:
        return []
    actions: list[Action] = []
    checks = (
        _data_problems,
        _surveys_open,
        _plans_waiting,
        _pa_waiting,
        _follow_ups_waiting,
        _imports_waiting,
        _courses_filling,
        _visits_to_record,
        _own_todo,
    )
    for check in checks:
        try:
            actions.extend(check(user, today))
        except LookupError:  # an app or table that is not there yet
            continue
    return [a for a in actions if a.count]


def _data_problems(user, today) -> list[Action]:
    """Schools to bring up to date, counted by the rules of the data-quality page the lines
    link to (registry.quality.schools_to_update)."""
    if not can(user, VIEW_AGGREGATES) or not (can(user, EDIT_PEOPLE) or user.role in OFFICE_ROLES):
        return []
    from registry.quality import schools_to_update
    from registry.queries import one_school_or_office

    whole_office, school_id = one_school_or_office(user)
    if not (whole_office or school_id):
        return []  # no school in their view: nothing of theirs to bring up to date
    found = schools_to_update(user.office, school_id=school_id)
    url = reverse("registry:quality")
    return [
        Action(
            f"โรงเรียนที่ข้อมูลไม่เป็นปัจจุบัน (ปรับปรุงล่าสุดเกิน {found.freshness_days} วัน)",
            found.not_current,
            url,
        ),
        Action(f"โรงเรียนที่{found.no_enrolment_label}", found.no_enrolment, url, "bad"),
    ]


def _visits_to_record(user, today) -> list[Action]:
    """A supervisor's appointments whose day has passed without a record, counted by the
    query that lists them on the visits page the line links to."""
    if not apps.is_installed("community") or not can(user, RECORD_VISITS):
        return []
    from community.queries import count_visits_to_record

    n = count_visits_to_record(user, today=today)
    url = reverse("community:visits") + "?show=to_record"
    return [Action("นัดนิเทศที่เลยวันแล้ว ยังไม่บันทึกผล", n, url, "warn")]


def _surveys_open(user, today) -> list[Action]:
    """People (not forms) who have not submitted their self-assessment, one line per open
    round, counted by the same query as the round page's "not submitted" list it links to.
    A director also sees, per round, the staff she has not rated yet."""
    if not apps.is_installed("planning"):
        return []
    if not (
        can(user, MANAGE_ROUNDS) or user.role == Role.SCHOOL_DIRECTOR and can(user, RATE_STAFF)
    ):
        return []
    from planning.models import RaterKind, Response
    from planning.queries import not_submitted, open_rounds, target_people

    out = []
    for rnd in open_rounds(user, today):
        url = reverse("planning:round", args=[rnd.pk])
        missing = not_submitted(user, rnd).count()
        out.append(Action(f"บุคลากรที่ยังไม่ส่งแบบประเมินตนเอง · {rnd.name}", missing, url))
        if user.role == Role.SCHOOL_DIRECTOR and user.school_id:
            rated = Response.objects.filter(
                round=rnd, rater_kind=RaterKind.DIRECTOR, submitted_at__isnull=False
            ).values("person_id")
            to_rate = (
                target_people(user, rnd).filter(school_id=user.school_id).exclude(pk__in=rated)
            )
            out.append(Action(f"บุคลากรที่ท่านยังไม่ได้ประเมิน · {rnd.name}", to_rate.count(), url))
    return out


def _plans_waiting(user, today) -> list[Action]:
    if not apps.is_installed("planning"):
        return []
    from planning.queries import id_plans_in_scope, plans_awaiting_approval_by
    from registry.access import awaiting_decision_by

    out = []
    if can(user, APPROVE_PLANS):
        n = plans_awaiting_approval_by(user).count()  # not the ones they submitted themself
        out.append(Action("แผนพัฒนาที่รออนุมัติ", n, reverse("planning:plans"), "warn"))
    if user.role == Role.SCHOOL_DIRECTOR and can(user, RATE_STAFF) and user.school_id:
        # The school's ID plan page lists exactly id_plans_in_scope; count the same rows.
        n = awaiting_decision_by(user, id_plans_in_scope(user).filter(status="submitted")).count()
        out.append(Action("ID Plan ที่รอท่านพิจารณา", n, reverse("planning:idp_school"), "warn"))
    return out


def _pa_waiting(user, today) -> list[Action]:
    """PA agreements a director must approve or return (they list on the PA status page)."""
    if not apps.is_installed("career") or user.role != Role.SCHOOL_DIRECTOR:
        return []
    if not can(user, RATE_STAFF) or not user.school_id:
        return []
    from career.models import PAStatus
    from career.queries import agreements_visible_to
    from registry.access import awaiting_decision_by

    waiting = awaiting_decision_by(
        user, agreements_visible_to(user).filter(status=PAStatus.SUBMITTED)
    )
    years = sorted(set(waiting.values_list("fiscal_year", flat=True)))
    base = reverse("career:pa_status")
    return [
        Action(
            f"ข้อตกลงในการพัฒนางาน (PA) ที่รอท่านอนุมัติ · ปีงบประมาณ {fy}",
            waiting.filter(fiscal_year=fy).count(),
            f"{base}?fy={fy}",
        )
        for fy in years
    ]


def _follow_ups_waiting(user, today) -> list[Action]:
    """Teachers' reports of using what they learnt, waiting for a director's or supervisor's
    confirmation (a course that requires follow-up is passed only once it is confirmed)."""
    if not apps.is_installed("training") or not can(user, CONFIRM_FOLLOW_UP):
        return []
    if can(user, MANAGE_TRAINING):
        return []  # the office sees them course by course; confirming is the schools' work
    from training.queries import follow_ups_to_confirm

    n = follow_ups_to_confirm(user).count()
    return [Action("รายงานการนำไปใช้ที่รอท่านรับรอง", n, reverse("training:follow_ups_waiting"))]


def _imports_waiting(user, today) -> list[Action]:
    """Imports checked and waiting for someone to look at them and apply (or fix)."""
    if not apps.is_installed("imports"):
        return []
    from imports.queries import count_batches_waiting

    n = count_batches_waiting(user)
    return [Action("ไฟล์นำเข้าที่ตรวจแล้ว รอยืนยันการนำเข้า", n, reverse("imports:list"), "warn")]


def _courses_filling(user, today) -> list[Action]:
    if not apps.is_installed("training"):
        return []
    from training.models import Enrolment, EnrolmentStatus, EnrolmentTally, Session

    if can(user, MANAGE_TRAINING):
        label = "รุ่นการอบรมที่ใกล้เต็ม (≥ 80% ของที่นั่ง)"
    elif user.role in (Role.SCHOOL_DIRECTOR, Role.TEACHER):
        label = "หลักสูตรที่เปิดรับและใกล้เต็ม รีบสมัคร"
    else:
        return []

    def build(office_id: int):
        # Seats taken = enrolled + awaiting approval. The enrolled are read from the session's
        # stored count (training.tallies), the few awaiting approval counted: counting every
        # enrolment of the office's upcoming sessions grew with them (59 ms of database time
        # at 32,000 enrolments), on every home page.
        enrolled = EnrolmentTally.objects.filter(
            course_id=OuterRef("course_id"), session_id=OuterRef("pk")
        ).values("enrolled")[:1]
        awaiting = (
            Enrolment.objects.filter(session_id=OuterRef("pk"), status=EnrolmentStatus.PENDING)
            .order_by()
            .annotate(n=Func(F("pk"), function="COUNT"))
            .values("n")
        )
        return (
            Session.objects.filter(
                course__office_id=office_id, course__status="open", start_date__gte=today
            )
            .annotate(taken=Coalesce(Subquery(enrolled), 0) + Coalesce(Subquery(awaiting), 0))
            .filter(taken__gte=F("capacity") * 0.8)
            .values_list("pk")
        )

    # Every home page but an inspector's asks: the SQL is compiled once a day.
    sessions = compiled_queries.rows_for(
        ("reporting.courses_filling", today),
        build,
        user.office_id,
        using=compiled_queries.reading(Session),
    )
    return [Action(label, len(sessions), reverse("training:courses"), "info")]


def _own_todo(user, today) -> list[Action]:
    """A teacher's own open self-assessment."""
    if user.role != Role.TEACHER or not can(user, SELF_ASSESS) or not user.person_id:
        return []
    if not apps.is_installed("planning"):
        return []
    from planning.models import Response, Round

    def build(office_id: int, person_id: int):
        open_rounds = Round.objects.filter(office_id=office_id, opens__lte=today, closes__gte=today)
        done = Response.objects.filter(
            person_id=person_id, rater_kind="self", submitted_at__isnull=False
        ).values("round_id")
        return open_rounds.exclude(pk__in=done).values_list("pk")

    # Every teacher's home page asks: the SQL is compiled once a day.
    rounds = compiled_queries.rows_for(
        ("reporting.own_todo", today),
        build,
        (user.office_id, user.person_id),
        using=compiled_queries.reading(Round),
    )
    return [Action("แบบประเมินตนเองที่ยังไม่ได้ส่ง", len(rounds), reverse("planning:home"), "warn")]


# ------------------------------------------------------------------ the home page's agenda


@dataclass
class AgendaItem:
    label: str
    url: str
    note: str = ""


@dataclass
class Agenda:
    """What the home page lists by name (the "needs action" panel gives counts)."""

    sessions: list[AgendaItem] = field(default_factory=list)
    todo: list[AgendaItem] = field(default_factory=list)
    id_plan: AgendaItem | None = None
    certificates: AgendaItem | None = None
    # A supervisor's own visits in the visits page's 60-day calendar (the first few by name)
    # and how many there are in all, as that page's "mine" tab lists them.
    visits: list[AgendaItem] = field(default_factory=list)
    visits_total: int = 0
    visits_url: str = ""


def home_agenda(user, *, today: dt.date | None = None) -> Agenda:
    today = today or timezone.localdate()
    agenda = Agenda()
    if not user.is_authenticated or not user.office_id:
        return agenda
    if apps.is_installed("training"):
        _training_agenda(user, today, agenda)
    if apps.is_installed("planning") and user.person_id and can(user, SELF_ASSESS):
        _id_plan_agenda(user, today, agenda)
    if apps.is_installed("community") and can(user, RECORD_VISITS):
        _visits_agenda(user, today, agenda)
    if apps.is_installed("career"):
        _pa_evaluations_agenda(user, agenda)
    return agenda


# PA evaluations named on the home page one by one; more are summed up in one line.
HOME_PA_EVALUATIONS = 10


def _pa_evaluations_agenda(user, agenda: Agenda) -> None:
    """PA agreements this user was appointed to evaluate and has not scored yet, by name
    (a supervisor or director on a teacher's evaluation committee)."""
    from career.models import PAEvaluation, PAStatus

    # Every home page asks: the SQL is compiled once, only the user's id swapped in.
    pending = compiled_queries.objects_for(
        "reporting.pa_evaluations_agenda",
        lambda user_id: (
            PAEvaluation.objects.filter(
                evaluator_id=user_id, submitted_at__isnull=True, agreement__status=PAStatus.APPROVED
            )
            .select_related("agreement__person")
            .order_by("agreement__fiscal_year", "agreement__person__first_name")
        ),
        user.pk,
        using=compiled_queries.reading(PAEvaluation),
    )
    for evaluation in pending[:HOME_PA_EVALUATIONS]:
        a = evaluation.agreement
        agenda.todo.append(
            AgendaItem(
                f"ประเมิน PA ของ {a.person.full_name} ปีงบประมาณ {a.fiscal_year}",
                reverse("career:pa_evaluate", args=[a.pk]),
            )
        )
    if len(pending) > HOME_PA_EVALUATIONS:
        more = len(pending) - HOME_PA_EVALUATIONS
        agenda.todo.append(
            AgendaItem(f"และ PA ที่รอท่านประเมินอีก {more} ฉบับ", reverse("career:pa_status"))
        )


# Visits named on the home page; the rest are behind "all N".
HOME_VISITS = 5


def _visits_agenda(user, today, agenda: Agenda) -> None:
    from community.queries import upcoming_visits

    rows = upcoming_visits(user, today=today, mine=True)
    agenda.visits_total = len(rows)
    agenda.visits_url = reverse("community:visits") + "?show=mine"
    for day, what, visit in rows[:HOME_VISITS]:
        when = thai_dates.format_thai_date(day, style="medium")
        agenda.visits.append(
            AgendaItem(
                f"{visit.school.name} · {visit.focus}",
                reverse("community:visit_detail", args=[visit.pk]),
                f"{what} {when} · {visit.get_kind_display()}",
            )
        )


def _training_agenda(user, today, agenda: Agenda) -> None:
    from training import queries as training

    office = user.role in (Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER)
    days = 7 if office else 30
    for s in training.sessions_starting(user, today, days=days):
        when = thai_dates.format_thai_date(s.start_date, style="medium")
        if office:
            url = reverse("training:roster", args=[s.pk])
            note = f"เริ่ม {when} · ลงทะเบียน {s.taken}/{s.capacity} คน"
        else:
            url = reverse("training:course_detail", args=[s.course_id])
            note = f"เริ่ม {when}{' · ' + s.place if s.place else ''}"
        agenda.sessions.append(AgendaItem(f"{s.course.title} · {s.name}", url, note))
    if not user.person_id:
        return
    for what, course_id, title in training.learner_todo(user.person_id, today):
        url = reverse("training:course_detail", args=[course_id])
        agenda.todo.append(AgendaItem(f"{what}: {title}", url))
    fy = thai_dates.fiscal_year(today)
    n = training.valid_certificate_count(user.person_id, fy)
    agenda.certificates = AgendaItem(
        f"เกียรติบัตรปีงบประมาณ {fy}: {n} ฉบับ", reverse("training:my_transcript") + "#certificates"
    )


def _id_plan_agenda(user, today, agenda: Agenda) -> None:
    from planning.models import IdPlan

    # The office's academic year, by its own term-1 opening (16 May without the community app).
    if apps.is_installed("community"):
        from community.queries import academic_year_of_office

        year = academic_year_of_office(user.office_id, today)
    else:
        year = thai_dates.academic_year(today)

    def build(person_id: int):
        plans = IdPlan.objects.filter(person_id=person_id, year=year)
        return (plans if plans.ordered else plans.order_by("pk"))[:1]  # as .first()

    # Every learner's home page asks: the SQL is compiled once a year, the person swapped in.
    found = compiled_queries.objects_for(
        ("reporting.id_plan_agenda", year),
        build,
        user.person_id,
        using=compiled_queries.reading(IdPlan),
    )
    plan = found[0] if found else None
    url = reverse("planning:idp_mine")
    if plan is None:
        agenda.id_plan = AgendaItem(f"ID Plan ปีการศึกษา {year}", url, "ยังไม่ได้จัดทำ")
    else:
        agenda.id_plan = AgendaItem(f"ID Plan ปีการศึกษา {year}", url, plan.get_status_display())


# ------------------------------------------ the inspection report's standing with its province


def submission_for(report) -> InspectionSubmission | None:
    """The report's submission for the round it currently answers (None: still a draft)."""
    return InspectionSubmission.objects.filter(
        report=report, round_number=report.round_number
    ).first()


def status_label(submission: InspectionSubmission | None) -> str:
    """ร่าง / ส่งแล้ว / ส่งกลับแก้ไข / รับแล้ว, the one wording every page uses."""
    return submission.get_status_display() if submission else DRAFT_LABEL


def is_locked(submission: InspectionSubmission | None) -> bool:
    return submission is not None and submission.status in LOCKED_STATUSES


def status_badge(submission: InspectionSubmission | None) -> str:
    """The badge class that goes with status_label."""
    if submission is None:
        return ""
    return {"submitted": "badge-warn", "returned": "badge-bad", "accepted": "badge-good"}[
        submission.status
    ]


def onet_subjects(office: Office) -> list[str]:
    """Subject names the office's O-NET sheets used: the choices a national mean or a network
    goal offers besides the standard ones, so names match what was imported."""
    from .models import OnetResult

    return list(
        OnetResult.objects.of_office(office)
        .order_by("subject")
        .values_list("subject", flat=True)
        .distinct()
    )


# ---------------------------------------------------------------------- large SAR files

# A SAR of a fiscal year with more courses than this has its PDF and DOCX written by the task
# worker (actions.start_sar_export): its annex lists each course of the round, and a 100,000-
# person office's (3,500 courses, about 170 PDF pages) took 5 s of CPU while the browser
# waited. The demo office's year has a few dozen courses and downloads at once.
LARGE_SAR_COURSES = 400


def sar_is_large(report) -> bool:
    """Whether the SAR's files are written by the task worker. Told by one count, before the
    SAR's evidence is gathered (gathering a large office's takes most of a second itself):
    the courses of its fiscal year, of which the annex lists those of its round."""
    if not apps.is_installed("training"):
        return False
    from training.models import Course

    courses = Course.objects.filter(office_id=report.office_id, fiscal_year=report.fiscal_year)
    return courses.exclude(status="draft").count() > LARGE_SAR_COURSES


def recent_sar_exports(user, report, count: int = 5) -> list:
    """The person's own files of this SAR that are still kept, newest first."""
    from krupd import worker_files

    from .models import SarExport

    mine = SarExport.objects.filter(requested_by=user, report=report)
    return worker_files.still_kept(mine, count)


def sar_export_progress(export) -> dict:
    """What the progress page says: the phase, and the steps (items and table rows) written of
    all of them, with the PDF's pages so far."""
    if export.status == "queued":
        return {"phase": "รอเริ่มเตรียมไฟล์", "done": 0, "total": 0, "pages": 0}
    if not export.total_steps:
        return {"phase": "กำลังรวบรวมหลักฐานจากข้อมูลในระบบ", "done": 0, "total": 0, "pages": 0}
    return {
        "phase": f"กำลังเขียนไฟล์ {export.file_format.upper()}",
        "done": export.done_steps,
        "total": export.total_steps,
        "percent": export.done_steps * 100 // export.total_steps,
        "pages": export.pages,
    }
