"""Reads for PA, academic standing and debt pages, scoped to the user."""

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.queries import office_users_who_can
from accounts.roles import MANAGE_DEBT, MANAGE_PA, RATE_STAFF, Role, can
from krupd.lib import numerals, thai_dates
from krupd.lib.clipping import clip
from krupd.lib.numerals import format_hours
from registry import labels
from registry.models import TEACHING_TYPES, Office, Person, PositionChange
from registry.queries import people_counted_for
from staffing.queries import code_point_order

from . import scoring
from .models import (
    WORKLOAD_TOTAL_FIELD,
    CareerRules,
    DebtCase,
    DebtProfile,
    EvidenceKind,
    PAAgreement,
    PAArea,
    PAEdition,
    PAEvidence,
    PAIndicator,
    PAItem,
    PAStatus,
    PAWorkload,
    StandingRequest,
    StandingRule,
    WorkloadKind,
)

# PA agreements exist from fiscal year 2565 (the circular took effect on 1 October 2564); a
# teacher may start next year's a little ahead. A year outside is a typo or a doctored link
# (?fy=2600), never a year to write an agreement for.
PA_FIRST_FISCAL_YEAR = 2565


def pa_years(today: dt.date | None = None) -> tuple[int, int]:
    """The first and last fiscal year a PA page may be about."""
    current = thai_dates.fiscal_year(today or timezone.localdate())
    return min(PA_FIRST_FISCAL_YEAR, current), current + 1


def pa_year_refusal(fiscal_year: int, today: dt.date | None = None) -> str:
    """Why no PA may be about this fiscal year ("" when it may), in Thai."""
    low, high = pa_years(today)
    if low <= fiscal_year <= high:
        return ""
    return f"ปีงบประมาณ {fiscal_year} อยู่นอกช่วงที่จัดทำข้อตกลง (PA) ได้ (ปีงบประมาณ {low}–{high})"


def rules_for(office: Office) -> CareerRules:
    rules, _ = CareerRules.objects.get_or_create(office=office)
    return rules


def active_edition() -> PAEdition:
    return PAEdition.objects.filter(active=True).order_by("-id").first()


# ------------------------------------------------------------------------------------- PA


def agreements_visible_to(user) -> QuerySet[PAAgreement]:
    """Agreements with their scores: the teacher's own, their director's school, their
    evaluators', and the office PA staff. Inspectors get counts only, elsewhere."""
    rows = PAAgreement.objects.filter(person__office_id=user.office_id)
    if can(user, MANAGE_PA):
        return rows
    allowed = Q(evaluations__evaluator=user.pk)
    if user.person_id:
        allowed |= Q(person_id=user.person_id)
    if can(user, RATE_STAFF) and user.school_id:
        allowed |= Q(person__school_id=user.school_id)
    return rows.filter(allowed).distinct()


@dataclass
class Overall:
    submitted: int
    passed_all: bool | None
    mean_pct: Decimal | None


def overall(agreement: PAAgreement) -> Overall:
    """All three evaluators must pass the teacher; the mean is reported alongside."""
    done = [e for e in agreement.evaluations.all() if e.submitted_at]
    if not done:
        return Overall(0, None, None)
    mean = numerals.rounded(sum((e.total for e in done), Decimal("0")) / len(done))
    return Overall(len(done), all(e.passed for e in done) if len(done) == 3 else None, mean)


@dataclass
class StatusRow:
    label: str
    teachers: int
    by_status: dict
    passed: int


def pa_status(user, *, fiscal_year: int) -> list[StatusRow]:
    """Per school: teachers, agreements by status, and how many passed every evaluator."""
    people = people_counted_for(user).filter(status="active", personnel_type__in=TEACHING_TYPES)
    agreements = (
        PAAgreement.objects.filter(person__in=people, fiscal_year=fiscal_year)
        .select_related("person__school")
        .prefetch_related("evaluations")
    )
    rows: dict[int | None, StatusRow] = {}
    for school_id, name, n in _teachers_by_school(people):
        rows[school_id] = StatusRow(name, n, _zero_counts(), 0)
    for a in agreements:
        row = rows.setdefault(
            a.person.school_id, StatusRow(a.person.workplace_name, 0, _zero_counts(), 0)
        )
        row.by_status[a.status] += 1
        if overall(a).passed_all:
            row.passed += 1
    # Rows are the schools' (by id); two schools of one name are named with their OBEC codes.
    shown = labels.school_labels(rows)
    for school_id, row in rows.items():
        row.label = shown[school_id]
    return sorted(rows.values(), key=lambda r: r.label)


def _zero_counts() -> Counter:
    return Counter({s: 0 for s in PAStatus.values})


def _teachers_by_school(people):
    from django.db.models import Count

    for r in people.values("school_id", "school__name").annotate(n=Count("id")).order_by():
        yield r["school_id"], r["school__name"] or "สำนักงานเขตพื้นที่", r["n"]


# ---------------------------------------------------------------------- academic standing


@dataclass
class Readiness:
    person_id: int
    first_name: str
    rule: StandingRule
    since: dt.date | None
    years: int | None
    required: int
    ready: bool
    person: Person | None = None  # loaded for the rows shown (with_people)


def _years_between(start: dt.date, end: dt.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _tenure_cutoff(as_of: dt.date, years: int) -> dt.date:
    """The latest start of a tenure of at least `years` whole years on `as_of`:
    _years_between(start, as_of) >= years exactly when start <= this date (29 Feb → 28 Feb)."""
    return thai_dates.years_before(as_of, years)


def _required_years(rule: StandingRule) -> list[tuple[Q, int]]:
    """Years the rule asks of each highest degree, the first matching entry applying."""
    masters = rule.min_years if rule.min_years_with_masters is None else rule.min_years_with_masters
    doctorate = masters if rule.min_years_with_doctorate is None else rule.min_years_with_doctorate
    return [(Q(highest_degree="doctorate"), doctorate), (Q(highest_degree="master"), masters),
            (Q(), rule.min_years)]  # fmt: skip


def _required(rule: StandingRule, degree: str) -> int:
    if degree == "doctorate" and rule.min_years_with_doctorate is not None:
        return rule.min_years_with_doctorate
    if degree in ("master", "doctorate") and rule.min_years_with_masters is not None:
        return rule.min_years_with_masters
    return rule.min_years


class ReadinessList:
    """Who meets the tenure condition, those ready first then by first name, read a page at a
    time (a Paginator's object list): the database decides who is ready and sorts, so a page
    of a large office reads its hundred rows, not every teacher."""

    def __init__(self, rows: QuerySet, rules: dict, as_of: dt.date):
        self.rows, self.rules, self.as_of = rows, rules, as_of
        counts = rows.aggregate(total=Count("pk"), n_ready=Count("pk", filter=Q(ready=True)))
        self.total, self.ready = counts["total"], counts["n_ready"]

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __iter__(self):
        return iter(self[0 : self.total])

    def __getitem__(self, page: slice) -> list[Readiness]:
        order = code_point_order(F("first_name"), self.rows.db)
        out = []
        for pk, first_name, standing_id, since, degree in self.rows.order_by(
            "-ready", order, "pk"
        ).values_list("pk", "first_name", "academic_standing_id", "since", "highest_degree")[page]:
            rule = self.rules[standing_id]
            years = _years_between(since, self.as_of) if since else None
            required = _required(rule, degree)
            ready = years is not None and years >= required
            out.append(Readiness(pk, first_name, rule, since, years, required, ready))
        return out


def standing_readiness(people, *, as_of: dt.date) -> ReadinessList:
    """Who meets the tenure condition for the next standing on `as_of` (rules as data).

    Time in the current standing runs from the last recorded change of standing in the
    person's history, else from the appointment date."""
    rules = {r.from_standing_id: r for r in StandingRule.objects.select_related("to_standing")}
    last_change = (
        PositionChange.objects.filter(person_id=OuterRef("pk"), field="วิทยฐานะ")
        .order_by("-effective_date")
        .values("effective_date")[:1]
    )
    rows = (
        people.filter(academic_standing_id__in=rules, status="active")
        .annotate(since=Coalesce(Subquery(last_change), F("appointment_date")))
        .order_by()
    )
    # Ready: the tenure began on or before the cutoff of the years the person's standing and
    # degree require (a comparison of dates each database makes natively). The cutoff is
    # chosen first and compared once: a comparison in each branch repeated the `since`
    # subquery in each (some fifteen per teacher, most of a large office's page).
    cutoff = Case(
        *[When(Q(academic_standing_id=standing_id) & degree,
               then=Value(_tenure_cutoff(as_of, years)))
          for standing_id, rule in rules.items() for degree, years in _required_years(rule)],
        default=None,
        output_field=DateField(),
    )  # fmt: skip
    ready = Case(When(since__lte=cutoff, then=Value(True)), default=Value(False),
                 output_field=BooleanField())  # fmt: skip
    return ReadinessList(rows.annotate(ready=ready), rules, as_of)


def standing_requests(people: QuerySet[Person]) -> QuerySet[StandingRequest]:
    """The requests of these people. Each request is checked against them (`people` filtered
    by its person), not they all listed for the requests to be matched against: that list cost
    0.1 s for a large office with no request at all."""
    return StandingRequest.objects.filter(
        Exists(people.filter(pk=OuterRef("person_id")))
    ).select_related("person", "to_standing")


def with_people(rows: list[Readiness]) -> list[Readiness]:
    """The rows with their people loaded (name, workplace, standing), in one query; each
    person's workplace_label set (registry.labels: namesake schools with their codes)."""
    people = Person.objects.select_related("academic_standing", "school", "office").in_bulk(
        [r.person_id for r in rows]
    )
    for r in rows:
        r.person = people[r.person_id]
    labels.with_workplace_labels(people.values())
    return rows


def models_max(field: str):
    from django.db.models import Max

    return Max(field)


# ---------------------------------------------------------------------------------- debt


def evaluator_candidates(office_id) -> QuerySet:
    """Who may sit on a PA evaluation: the office's active accounts, except the inspectors
    (who only read)."""
    return User.objects.filter(office_id=office_id, is_active=True).exclude(role=Role.INSPECTOR)


def debt_officers(office: Office):
    """Who may handle a debt case of the office: its users holding the debt capability."""
    return office_users_who_can(office.pk, MANAGE_DEBT).order_by("first_name", "username")


def people_without_debt_profile(office_id) -> QuerySet[Person]:
    """Whose income and debts the debt clinic may start recording: the office's active staff
    without a record yet."""
    return Person.objects.filter(office_id=office_id, status="active", debt_profile__isnull=True)


def debt_people(user) -> QuerySet[Person]:
    """People whose debt records the user may open: the debt clinic sees the office; anyone
    else only themself."""
    if can(user, MANAGE_DEBT):
        return Person.objects.filter(office_id=user.office_id)
    if user.person_id:
        return Person.objects.filter(pk=user.person_id)
    return Person.objects.none()


@dataclass
class DebtPosition:
    gross: Decimal
    deductions: Decimal
    net: Decimal
    net_pct: Decimal | None
    meets_rule: bool | None
    threshold: Decimal


def debt_position(profile: DebtProfile, *, threshold: Decimal) -> DebtPosition:
    gross = profile.gross_salary + profile.other_income
    deductions = sum((d.monthly for d in profile.deductions.all()), Decimal("0"))
    return DebtPosition(
        gross,
        deductions,
        gross - deductions,
        scoring.net_salary_pct(gross, deductions),
        scoring.meets_net_rule(gross, deductions, threshold),
        threshold,
    )


def debt_summary(office: Office) -> dict:
    """Counts only, never a name: what inspectors and the development group may see."""
    threshold = rules_for(office).debt_net_min_pct
    profiles = DebtProfile.objects.filter(person__office=office).prefetch_related("deductions")
    below = 0
    n = 0
    for p in profiles:
        n += 1
        if debt_position(p, threshold=threshold).meets_rule is False:
            below += 1
    cases = DebtCase.objects.filter(person__office=office)
    from .models import CaseOutcome, CreditorKind, Deduction

    by_outcome = dict(Counter(cases.values_list("outcome", flat=True)))
    by_creditor = dict(Counter(cases.values_list("creditor_kind", flat=True)))
    outstanding = Deduction.objects.filter(profile__person__office=office).aggregate(
        s=Sum("outstanding")
    )["s"]
    return {
        "threshold": threshold,
        "profiles": n,
        "below": below,
        "cases": cases.count(),
        "by_outcome": [(label, by_outcome.get(v, 0)) for v, label in CaseOutcome.choices],
        "by_creditor": [(label, by_creditor.get(v, 0)) for v, label in CreditorKind.choices],
        "outstanding": outstanding or Decimal("0"),
    }


def is_office_pa_user(user) -> bool:
    return can(user, MANAGE_PA) or user.role == Role.INSPECTOR


# ---------------------------------------------------------------------- PA evidence pack


def cycle_dates(fiscal_year: int) -> tuple[dt.date, dt.date]:
    """A PA cycle is the fiscal year: 1 October of the year before to 30 September."""
    return thai_dates.fiscal_year_start(fiscal_year), thai_dates.fiscal_year_end(fiscal_year)


def agreement_workplace(a: PAAgreement) -> str:
    """Where an agreement's teacher works, as its pages and documents name it: the school the
    agreement was made at (else where they work now), a namesake school with its OBEC code
    (registry.labels), as the office's lists name it."""
    if a.school_id:
        return labels.school_label(a.school)
    return labels.person_workplace_label(a.person)


def cycle_terms(fiscal_year: int) -> str:
    """The two terms a PA cycle covers, as the form names them."""
    return f"ภาคเรียนที่ 2/{fiscal_year - 1} และภาคเรียนที่ 1/{fiscal_year}"


@dataclass
class LedgerLine:
    date: dt.date | None
    kind: str
    title: str
    hours: Decimal | None  # None: a record that carries no hours (a supervision visit)
    reference: str
    url: str
    code: str = ""  # the certificate's verification code in `reference`, written as issued


@dataclass
class Ledger:
    lines: list[LedgerLine]
    training_hours: Decimal
    plc_hours: Decimal
    total_hours: Decimal
    target: Decimal


E_LEARNING = "การเรียนออนไลน์ (e-Learning)"


def dev_ledger(person: Person, *, fiscal_year: int) -> Ledger:
    """Development hours of the cycle from KruPD's own records, one line per record.

    Hours are the transcript's (training.queries.transcript): passed courses credited to
    the fiscal year and PLC meetings attended, so the pack, the transcript and the office's
    "% developed" never disagree. Supervision and coaching received, and awards announced in
    the cycle, are listed as evidence; they carry no hours of their own.
    """
    from community.models import PLCMeeting, Visit, VisitStatus
    from community.queries import valid_award_certificates
    from training.actions import rules_for as training_rules
    from training.models import Certificate, CertificateStatus, CourseMode
    from training.queries import transcript

    record = transcript(
        person, fiscal_year=fiscal_year, target=training_rules(person.office).yearly_hour_target
    )
    passed = [e for e in record.enrolments if e.passed]
    certificates = {
        cert.enrolment_id: cert
        for cert in Certificate.objects.filter(
            enrolment__in=passed, status=CertificateStatus.VALID
        ).only("enrolment_id", "code", "status", "needs_review", "review_flagged_at")
    }
    lines = []
    for e in passed:
        cert = certificates.get(e.pk)
        code = cert.code if cert else ""
        reference = f"รหัสเกียรติบัตร {code}" if code else "ยังไม่ได้ออกเกียรติบัตร"
        if cert and cert.needs_review:
            # Its verification page says so, and since when: the self-report must not cite
            # it as standing.
            reference += f" ({under_review_words(cert)})"
        lines.append(
            LedgerLine(
                e.completed_on or e.session.start_date,
                E_LEARNING if e.course.mode == CourseMode.ONLINE else e.course.get_mode_display(),
                e.course.title,
                e.hours_in_year,
                reference,
                reverse("training_verify", args=[code])
                if code
                else reverse("training:course_detail", args=[e.course_id]),
                code,
            )
        )
    start, end = cycle_dates(fiscal_year)
    for m in (
        PLCMeeting.objects.filter(attendees=person, date__range=(start, end))
        .select_related("group")
        .order_by("date", "id")
    ):
        lines.append(
            LedgerLine(
                m.date,
                "ชุมชนการเรียนรู้ทางวิชาชีพ (PLC)",
                clip(f"{m.group.name}: {m.problem or 'บันทึกกิจกรรม PLC'}", 200),
                m.hours,
                "บันทึกกิจกรรม PLC",
                reverse("community:plc_detail", args=[m.group_id]),
            )
        )
    for v in Visit.objects.filter(
        people=person, status=VisitStatus.DONE, date__range=(start, end)
    ).order_by("date", "id"):
        lines.append(
            LedgerLine(
                v.date,
                f"ได้รับ{v.get_kind_display()}",
                f"{v.focus} (โดย {v.visitor_name})",
                None,
                "บันทึกการนิเทศ",
                reverse("community:visit_detail", args=[v.pk]),
            )
        )
    for c in valid_award_certificates(person.pk, start=start, end=end):
        lines.append(
            LedgerLine(
                c.announced_on,
                f"รางวัล{c.get_level_display()}",
                award_title(c),
                None,
                f"เกียรติบัตรรางวัลเลขที่ {c.number} รหัส {c.code}",
                reverse("training_verify", args=[c.code]),
            )
        )
    lines.sort(key=lambda line: (line.date or start, line.kind))
    plc = record.hours_by_type.get("plc", Decimal("0"))
    return Ledger(lines, record.total_hours - plc, plc, record.total_hours, record.target)


def award_title(certificate) -> str:
    """An award as the pack names it: the award, its level and year, and the work."""
    name = certificate.programme_name
    name = name if name.startswith("รางวัล") else f"รางวัล{name}"
    title = f"{name} {certificate.get_level_display()} ประจำปี {certificate.year}"
    return f"{title}: {certificate.work_title}" if certificate.work_title else title


def plc_label(group_name: str) -> str:
    """A PLC group's name led by "PLC" once ("PLC อ่านคล่อง", never "PLC PLC อ่านคล่อง")."""
    return group_name if group_name.upper().startswith("PLC") else f"PLC {group_name}"


@dataclass
class EvidenceOption:
    """One of the teacher's records she may attach: key is "kind:id" for the form."""

    key: str
    kind: str
    title: str
    detail: str


def evidence_options(person: Person, *, fiscal_year: int) -> list[EvidenceOption]:
    """Her records of the cycle that can serve as evidence: valid certificates, PLC
    meetings attended, supervision received, award certificates of results announced in the
    cycle, and best practices she owns (any year)."""
    from community.models import BestPractice, PLCMeeting, Visit, VisitStatus
    from community.queries import valid_award_certificates
    from training.models import CERTIFICATE_UNDER_REVIEW
    from training.queries import valid_certificates

    start, end = cycle_dates(fiscal_year)
    out = [
        EvidenceOption(
            f"certificate:{c.pk}",
            EvidenceKind.CERTIFICATE,
            c.course_title,
            f"เลขที่ {c.number} · {format_hours(c.hours)} ชั่วโมง · รหัสตรวจสอบ {c.code}",
        )
        # One waiting for the office's review is not offered (nor stands, mark_lapsed) until
        # the office keeps it: it went into the pack and its ZIP as if it stood.
        for c in valid_certificates(person.pk, fiscal_year)
        .exclude(CERTIFICATE_UNDER_REVIEW)
        .order_by("completed_on", "id")
    ]
    out += [
        EvidenceOption(
            f"plc:{m.pk}",
            EvidenceKind.PLC,
            f"บันทึก {plc_label(m.group.name)} {thai_dates.format_thai_date(m.date, style='medium')}",
            f"{thai_dates.format_thai_date(m.date)} · {format_hours(m.hours)} ชั่วโมง"
            + (f" · {clip(m.problem, 80)}" if m.problem else ""),
        )
        for m in PLCMeeting.objects.filter(attendees=person, date__range=(start, end))
        .select_related("group")
        .order_by("date", "id")
    ]
    out += [
        EvidenceOption(
            f"visit:{v.pk}",
            EvidenceKind.VISIT,
            f"{v.get_kind_display()}: {v.focus}",
            f"{thai_dates.format_thai_date(v.date)} · โดย {v.visitor_name}",
        )
        for v in Visit.objects.filter(
            people=person, status=VisitStatus.DONE, date__range=(start, end)
        ).order_by("date", "id")
    ]
    out += [
        EvidenceOption(
            f"award:{c.pk}",
            EvidenceKind.AWARD,
            award_title(c),
            f"ประกาศผล {thai_dates.format_thai_date(c.announced_on)} · เลขที่ {c.number} · "
            f"รหัสตรวจสอบ {c.code}",
        )
        for c in valid_award_certificates(person.pk, start=start, end=end)
    ]
    out += [
        EvidenceOption(
            f"practice:{p.pk}",
            EvidenceKind.PRACTICE,
            p.title,
            f"ปี {p.year} · {p.get_level_display()}",
        )
        for p in BestPractice.objects.filter(owners=person).order_by("-year", "id")
    ]
    return out


@dataclass
class PackSection:
    """One indicator (or, with indicator None, the challenge issue) and its evidence."""

    number: str
    title: str
    item: PAItem | None
    evidence: list[PAEvidence]
    indicator: PAIndicator | None = None
    area: str = ""
    # Evidence whose record no longer stands as hers in the cycle (lapsed_reason): shown to
    # the reader with why, never counted, zipped or cited in the self-report.
    lapsed: list[PAEvidence] = dataclasses.field(default_factory=list)


@dataclass
class Pack:
    agreement: PAAgreement
    workload: dict[str, list[PAWorkload]]
    sections: list[PackSection]
    ledger: Ledger

    @property
    def empty_sections(self) -> list[PackSection]:
        return [s for s in self.sections if not s.evidence]

    @property
    def evidence_count(self) -> int:
        return sum(len(s.evidence) for s in self.sections)


# The records a piece of evidence may link to, read with it wherever evidence is listed.
EVIDENCE_RECORDS = ("certificate", "plc_meeting__group", "visit", "practice", "award_certificate")
CHALLENGE_NUMBER = "ท้าทาย"  # the challenge issue's place in the pack, after indicator 15
CHALLENGE_SECTION = "challenge"  # its address on the pack's pages
NO_EVIDENCE = "ยังไม่มีหลักฐาน"


def pack(agreement: PAAgreement) -> Pack:
    """Everything evaluators read, in the order they read it: indicators 1–15 by area, then
    the challenge issue; each with its evidence in the order the teacher put it."""
    workload = {k: [] for k in WorkloadKind.values}
    for line in agreement.workload.all():
        workload[line.kind].append(line)
    evidence = mark_lapsed(agreement, agreement.evidence.select_related(*EVIDENCE_RECORDS))
    by_indicator: dict[int | None, list[PAEvidence]] = {}
    lapsed: dict[int | None, list[PAEvidence]] = {}
    for e in evidence:
        (lapsed if e.lapsed_reason else by_indicator).setdefault(e.indicator_id, []).append(e)
    sections = [
        PackSection(
            str(item.indicator.number),
            item.indicator.text,
            item,
            by_indicator.get(item.indicator_id, []),
            item.indicator,
            PAArea(item.indicator.area).label,
            lapsed.get(item.indicator_id, []),
        )
        for item in agreement.items.select_related("indicator")
    ]
    sections.append(
        PackSection(
            CHALLENGE_NUMBER,
            f"ประเด็นท้าทาย: {agreement.challenge_title or '(ยังไม่ได้ระบุ)'}",
            None,
            by_indicator.get(None, []),
            lapsed=lapsed.get(None, []),
        )
    )
    return Pack(
        agreement,
        workload,
        sections,
        dev_ledger(agreement.person, fiscal_year=agreement.fiscal_year),
    )


# The column each kind of linked evidence keeps its record in.
RECORD_FIELD = {
    EvidenceKind.CERTIFICATE: "certificate_id",
    EvidenceKind.PLC: "plc_meeting_id",
    EvidenceKind.VISIT: "visit_id",
    EvidenceKind.PRACTICE: "practice_id",
    EvidenceKind.AWARD: "award_certificate_id",
}


# Why a linked record no longer serves as her evidence, by kind (mark_lapsed).
LAPSED_REASONS = {
    EvidenceKind.CERTIFICATE: "เกียรติบัตรนี้ถูกเพิกถอนหรือออกฉบับใหม่แทนแล้ว จึงใช้เป็นหลักฐานไม่ได้",
    EvidenceKind.AWARD: "เกียรติบัตรรางวัลนี้ถูกเพิกถอนแล้ว จึงใช้เป็นหลักฐานไม่ได้",
    EvidenceKind.PLC: "บันทึก PLC นี้ไม่มีชื่อท่านเป็นผู้เข้าร่วมในรอบการประเมินนี้แล้ว",
    EvidenceKind.VISIT: "การนิเทศนี้ไม่ได้บันทึกว่าท่านได้รับการนิเทศในรอบการประเมินนี้แล้ว",
    EvidenceKind.PRACTICE: "ท่านไม่ได้เป็นเจ้าของผลงานนี้แล้ว",
}


def under_review_words(cert) -> str:
    """ "อยู่ระหว่างการตรวจสอบของสำนักงาน", with since when where the day is known, as the
    certificate's verification page says it."""
    from training.certificates import review_since

    since = review_since(cert)
    return "อยู่ระหว่างการตรวจสอบของสำนักงาน" + (f" ตั้งแต่วันที่ {since}" if since else "")


def under_review_reason(cert) -> str:
    return f"เกียรติบัตรนี้{under_review_words(cert)} (ผลการพัฒนาถูกแก้ไขหลังออก) จึงยังใช้เป็นหลักฐานไม่ได้"


def mark_lapsed(agreement: PAAgreement, evidence) -> list[PAEvidence]:
    """The evidence with `lapsed_reason` set ("" while it stands): a linked record stands
    while it is still one evidence_options offers her for the cycle, the one definition of
    "her record of the cycle" that attaching used. A certificate revoked after it was
    attached stayed in the pack, the ZIP and the self-report as if valid (and a PLC log she
    was taken off, a visit cancelled, a practice handed to someone else)."""
    evidence = list(evidence)
    linked = [e for e in evidence if e.kind in LAPSED_REASONS]
    standing = (
        {o.key for o in evidence_options(agreement.person, fiscal_year=agreement.fiscal_year)}
        if linked
        else set()
    )
    for e in evidence:
        e.lapsed_reason = ""
        if e.kind in LAPSED_REASONS:
            if f"{e.kind}:{getattr(e, RECORD_FIELD[e.kind])}" not in standing:
                e.lapsed_reason = LAPSED_REASONS[e.kind]
                # Still valid yet not hers to show: under the office's review.
                if e.kind == EvidenceKind.CERTIFICATE and e.certificate.status == "valid":
                    e.lapsed_reason = under_review_reason(e.certificate)
    return evidence


def evidence_url(e: PAEvidence) -> str:
    """Where a piece of evidence can be opened: the record's own page, the file, the link."""
    if e.kind == EvidenceKind.CERTIFICATE:
        return reverse("training_verify", args=[e.certificate.code])
    if e.kind == EvidenceKind.AWARD:  # training and award certificates verify on one page
        return reverse("training_verify", args=[e.award_certificate.code])
    if e.kind == EvidenceKind.PLC:
        return reverse("community:plc_detail", args=[e.plc_meeting.group_id])
    if e.kind == EvidenceKind.VISIT:
        return reverse("community:visit_detail", args=[e.visit_id])
    if e.kind == EvidenceKind.PRACTICE:
        return reverse("community:practice_detail", args=[e.practice_id])
    if e.kind == EvidenceKind.FILE:
        return reverse("career:pack_evidence_file", args=[e.agreement_id, e.pk])
    return e.url


def latest_pack_export(agreement: PAAgreement):
    """The pack's newest ZIP build still kept (krupd.worker_files.KEPT_FOR), if any."""
    from krupd import worker_files

    kept = worker_files.still_kept(agreement.exports.all(), 1)
    return kept[0] if kept else None


@dataclass
class WorkloadSuggestion:
    kind: str
    title: str
    hours: Decimal
    source: str  # where the line came from, shown beside it until the teacher saves


TEACHING_WEEKS = 40  # two terms of twenty weeks: PLC hours of a cycle → hours per week


def suggested_workload(agreement: PAAgreement) -> list[WorkloadSuggestion]:
    """Workload lines for an agreement that has none yet, from what KruPD knows: last
    year's agreement lines if there are any; else the learning areas she teaches, her PLC
    groups of the cycle (hours per week from the hours she attended) and the totals already
    typed on the agreement."""
    from community.models import PLCGroup, PLCMeeting

    previous = PAWorkload.objects.filter(
        agreement__person_id=agreement.person_id,
        agreement__fiscal_year=agreement.fiscal_year - 1,
    ).order_by("position", "id")
    if previous:
        source = f"จากข้อตกลงปีงบประมาณ {agreement.fiscal_year - 1}"
        return [WorkloadSuggestion(w.kind, w.title, w.hours, source) for w in previous]
    out = []
    areas = list(agreement.person.areas_taught.order_by("name"))
    for area in areas:
        hours = agreement.teaching_hours if len(areas) == 1 else Decimal("0")
        out.append(
            WorkloadSuggestion(
                WorkloadKind.TEACHING,
                f"รายวิชากลุ่มสาระการเรียนรู้{area.name}",
                hours,
                "กลุ่มสาระที่สอนจริงในทะเบียนบุคลากร",
            )
        )
    if not areas and agreement.teaching_hours:
        out.append(
            WorkloadSuggestion(
                WorkloadKind.TEACHING, "รายวิชาตามตารางสอน", agreement.teaching_hours, "ข้อตกลงนี้"
            )
        )
    start, end = cycle_dates(agreement.fiscal_year)
    groups = PLCGroup.objects.filter(
        members=agreement.person,
        academic_year__in=[agreement.fiscal_year - 1, agreement.fiscal_year],
    ).order_by("name")
    for group in groups:
        attended = PLCMeeting.objects.filter(
            group=group, attendees=agreement.person, date__range=(start, end)
        ).aggregate(h=Sum("hours"))["h"] or Decimal("0")
        per_week = numerals.rounded(attended * 2 / TEACHING_WEEKS, 0) / 2  # to the ½ hour, half up
        out.append(
            WorkloadSuggestion(
                WorkloadKind.SUPPORT,
                f"ชุมชนการเรียนรู้ทางวิชาชีพ (PLC) {group.name}",
                per_week,
                f"เข้าร่วม PLC {format_hours(attended)} ชั่วโมงในรอบนี้ ÷ {TEACHING_WEEKS} สัปดาห์",
            )
        )
    for kind, field in WORKLOAD_TOTAL_FIELD.items():
        if kind != WorkloadKind.TEACHING and getattr(agreement, field):
            already = sum((w.hours for w in out if w.kind == kind), Decimal("0"))
            rest = getattr(agreement, field) - already
            if rest > 0:
                out.append(WorkloadSuggestion(kind, WorkloadKind(kind).label, rest, "ข้อตกลงนี้"))
    return out
