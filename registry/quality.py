"""Data quality of the personnel information system: the four qualities of the SAR.

An office's personnel information must be ครบถ้วน (complete), ถูกต้อง (correct),
เป็นปัจจุบัน (current) and พร้อมใช้ (ready to use). This module measures the four, per
school and for the office, with read-only queries.

What is checked is declared once, in RULES: each rule names its quality, its Thai label,
which records it is checked on (`applies`) and the SQL condition a record breaks it with
(`fails`). Adding a check is one entry there; the pages, counts and problem lists follow.

Scores (each 0–100; None when nothing could be checked):

* completeness / correctness — for every rule of that quality, the share of the records it
  is checked on that pass it; then the plain mean over the rules. Each rule weighs the same,
  so a school missing its enrolment loses as much as one whose people all lack a phone
  number. Only active people count (status "ปฏิบัติงาน"); a correctness rule is only checked
  on records where the fields it reads are filled (a missing date is a completeness problem,
  not a correctness one).
* currency — from the last time the school's data was touched: the later of
  School.data_confirmed_at (last confirmation or import) and the newest Person.updated_at of
  its people. 100 while that is at most OfficeRules.freshness_days old, falling in a straight
  line to 0 at twice that age; 0 if never. The office figure is the mean over its schools.
* readiness (พร้อมใช้) = 0.4 × completeness + 0.4 × correctness + 0.2 × currency, rounded.
  A part that could not be measured is left out and the other weights rescaled.

Counting is done with aggregate SQL grouped by school, so the number of queries does not
grow with the number of schools or people. Every check runs inside the database, the
national-ID checksum and age arithmetic included (krupd.lib.db_functions), so nothing is
streamed into Python row by row. The people counts are stored per school and kept by every
write that changes them (registry.quality_counts), so a report reads them instead of
recounting the office.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import add, itemgetter, or_

from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils import timezone

from krupd.lib import compiled_queries, numerals, thai_dates, thai_id
from krupd.lib.db_functions import NationalIdIsValid, age_span

from . import quality_counts
from .actions import rules_for
from .models import (
    TEACHING_TYPES,
    Employment,
    Enrolment,
    Office,
    OfficeRules,
    Person,
    PersonnelType,
    PersonStatus,
    School,
)
from .queries import open_on


class Quality(models.TextChoices):
    COMPLETE = "complete", "ครบถ้วน"
    CORRECT = "correct", "ถูกต้อง"
    CURRENT = "current", "เป็นปัจจุบัน"
    READY = "ready", "พร้อมใช้"


QUALITY_HELP = {
    Quality.COMPLETE: "ข้อมูลที่จำเป็นกรอกไว้ครบ เช่น วันเกิด วันบรรจุ วุฒิ วิชาเอก โทรศัพท์ "
    "พิกัดและจำนวนนักเรียนของโรงเรียน",
    Quality.CORRECT: "ข้อมูลที่กรอกไว้สมเหตุสมผล เช่น เลขประจำตัวประชาชนถูกตามหลักตรวจสอบ "
    "อายุและวันบรรจุเป็นไปได้ วิทยฐานะตรงกับประเภทบุคลากร",
    Quality.CURRENT: "ข้อมูลได้รับการปรับปรุงหรือยืนยันภายในระยะเวลาที่เขตพื้นที่กำหนด",
    Quality.READY: "คะแนนรวม = 0.4 × ครบถ้วน + 0.4 × ถูกต้อง + 0.2 × เป็นปัจจุบัน",
}

READINESS_WEIGHTS = {Quality.COMPLETE: 0.4, Quality.CORRECT: 0.4, Quality.CURRENT: 0.2}

PERSON = "person"
SCHOOL = "school"
COMPLETE = Quality.COMPLETE
CORRECT = Quality.CORRECT

# Plausible ages for someone in service, at appointment and today.
MIN_AGE, MAX_AGE = 18, 70

# Latitude/longitude box around Thailand, for catching swapped or mistyped coordinates.
THAI_LATITUDE = (5.5, 20.6)
THAI_LONGITUDE = (97.3, 105.7)


@dataclass(frozen=True)
class Context:
    """What some rules compare against: today, the current academic year, the office rules."""

    today: dt.date
    academic_year: int
    rules: OfficeRules

    @property
    def sql_key(self) -> tuple:
        """Everything of the context the rules' conditions read, for the key of a query
        compiled once (compiled_queries): the day, the academic year, the office's retirement
        age and national-ID setting."""
        rules = self.rules
        return (self.today, self.academic_year, rules.retirement_age,
                rules.allow_leading_zero_or_nine_id)  # fmt: skip


@dataclass(frozen=True)
class Rule:
    """One data-quality check.

    fails: SQL condition true when a record breaks the rule (a Q, or a function of the
    Context returning one).
    applies: which records the rule is checked on (None: all of them).
    shows: fields displayed as "the current value" next to a problem.
    fix: URL name of the page where a school problem is corrected (people: their record).
    """

    code: str
    label: str
    quality: str
    subject: str
    fails: Q | Callable[[Context], Q]
    applies: Q | None = None
    shows: tuple[str, ...] = ()
    fix: str = "registry:person_detail"

    @property
    def quality_label(self) -> str:
        return Quality(self.quality).label

    def fails_q(self, ctx: Context) -> Q:
        return self.fails(ctx) if callable(self.fails) else self.fails

    def problem_q(self, ctx: Context) -> Q:
        fails = self.fails_q(ctx)
        return fails if self.applies is None else self.applies & fails


def _years_before(day: dt.date, years: int) -> dt.date:
    return thai_dates.years_before(day, years)


def _age_on_below(date_field: str, years: int) -> Q:
    """Younger than `years` whole years on `date_field` (native date arithmetic on each
    backend: Django's date extracts run in Python on SQLite, row by row)."""
    return Q(LessThan(age_span("birth_date", date_field), years * 10_000))


def _age_on_above(date_field: str, years: int) -> Q:
    """Older than `years` whole years (at least `years` + 1) on `date_field`."""
    return Q(GreaterThanOrEqual(age_span("birth_date", date_field), (years + 1) * 10_000))


def _age_today_fails(ctx: Context) -> Q:
    # Younger than MIN_AGE, or at least MAX_AGE + 1, on ctx.today.
    return Q(birth_date__gt=_years_before(ctx.today, MIN_AGE)) | Q(
        birth_date__lte=_years_before(ctx.today, MAX_AGE + 1)
    )


def _past_retirement(ctx: Context) -> Q:
    # Retired (30 Sep of the fiscal year the retirement age is completed) before today.
    age = ctx.rules.retirement_age
    return Q(birth_date__lt=thai_dates.first_birth_date_in_service(ctx.today, retirement_age=age))


def _no_area_taught() -> Q:
    taught = Person.areas_taught.through.objects.filter(person_id=OuterRef("pk"))
    return Q(~Exists(taught))


def _bad_national_id(ctx: Context) -> Q:
    valid = NationalIdIsValid(
        "national_id", allow_leading_zero_or_nine=ctx.rules.allow_leading_zero_or_nine_id
    )
    return ~Q(valid)


def _no_enrolment_this_year(ctx: Context) -> Q:
    rows = Enrolment.objects.filter(school_id=OuterRef("pk"), academic_year=ctx.academic_year)
    return Q(~Exists(rows))


_ASSISTANT = PersonnelType.ASSISTANT_TEACHER
_HAS_COORDINATES = Q(latitude__isnull=False, longitude__isnull=False)
_OUTSIDE_THAILAND = (
    Q(latitude__lt=THAI_LATITUDE[0])
    | Q(latitude__gt=THAI_LATITUDE[1])
    | Q(longitude__lt=THAI_LONGITUDE[0])
    | Q(longitude__gt=THAI_LONGITUDE[1])
)
_STANDING_MISMATCH = (
    (Q(personnel_type=_ASSISTANT) & ~Q(academic_standing__code="assistant"))
    | (~Q(personnel_type=_ASSISTANT) & Q(academic_standing__code="assistant"))
    | Q(personnel_type=PersonnelType.EMPLOYEE)
)
_TEACHERS = Q(personnel_type__in=TEACHING_TYPES)
_SECONDED = ~Q(secondment="")
_BOTH_DATES = Q(birth_date__isnull=False, appointment_date__isnull=False)

RULES: list[Rule] = [
    # ครบถ้วน: people
    Rule("birth_date", "ไม่ได้กรอกวันเกิด", COMPLETE, PERSON, Q(birth_date__isnull=True)),
    Rule("gender", "ไม่ได้ระบุเพศ", COMPLETE, PERSON, Q(gender="")),
    Rule("position", "ไม่ได้กรอกตำแหน่ง", COMPLETE, PERSON, Q(position="")),
    Rule("personnel_type", "ไม่ได้ระบุประเภทบุคลากร", COMPLETE, PERSON, Q(personnel_type="")),
    Rule("appointment_date", "ไม่ได้กรอกวันบรรจุ", COMPLETE, PERSON, Q(appointment_date__isnull=True)),
    Rule("highest_degree", "ไม่ได้กรอกวุฒิการศึกษาสูงสุด", COMPLETE, PERSON, Q(highest_degree="")),
    Rule("major", "ไม่ได้กรอกวิชาเอก", COMPLETE, PERSON, Q(major__isnull=True)),
    Rule("phone", "ไม่ได้กรอกเบอร์โทรศัพท์", COMPLETE, PERSON, Q(phone="")),
    Rule(
        "standing",
        "ครูไม่ได้ระบุวิทยฐานะ",
        COMPLETE,
        PERSON,
        Q(academic_standing__isnull=True),
        applies=_TEACHERS & Q(employment=Employment.CIVIL_SERVANT),
        shows=("personnel_type",),
    ),
    Rule(
        "secondment_school",
        "ช่วยราชการแต่ไม่ได้ระบุสถานศึกษาที่ช่วยราชการ",
        COMPLETE,
        PERSON,
        Q(secondment_school__isnull=True),
        applies=_SECONDED,
        shows=("secondment",),
    ),
    # ครบถ้วน: schools
    Rule(
        "coordinates",
        "ไม่ได้กรอกพิกัดที่ตั้งโรงเรียน",
        COMPLETE,
        SCHOOL,
        ~_HAS_COORDINATES,
        fix="registry:school_detail",
    ),
    Rule(
        "network",
        "ไม่ได้ระบุเครือข่ายสถานศึกษา",
        COMPLETE,
        SCHOOL,
        Q(network__isnull=True),
        fix="registry:school_detail",
    ),
    Rule(
        "enrolment",
        "ไม่มีข้อมูลนักเรียนปีการศึกษาปัจจุบัน",
        COMPLETE,
        SCHOOL,
        _no_enrolment_this_year,
        fix="registry:school_enrolment",
    ),
    # ถูกต้อง: people
    Rule(
        "national_id",
        "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบ)",
        CORRECT,
        PERSON,
        _bad_national_id,
        shows=("national_id",),
    ),
    Rule(
        "major_area",
        "วิชาเอกของครูยังไม่ได้จับคู่กับกลุ่มสาระ",
        CORRECT,
        PERSON,
        Q(major__learning_area__isnull=True),
        applies=_TEACHERS & Q(major__isnull=False),
        shows=("major",),
    ),
    Rule(
        "age_today",
        f"อายุปัจจุบันไม่อยู่ในช่วง {MIN_AGE}–{MAX_AGE} ปี",
        CORRECT,
        PERSON,
        _age_today_fails,
        applies=Q(birth_date__isnull=False),
        shows=("birth_date",),
    ),
    Rule(
        "appointed_young",
        f"บรรจุก่อนอายุครบ {MIN_AGE} ปี",
        CORRECT,
        PERSON,
        _age_on_below("appointment_date", MIN_AGE),
        applies=_BOTH_DATES,
        shows=("birth_date", "appointment_date"),
    ),
    Rule(
        "appointed_old",
        f"บรรจุเมื่ออายุเกิน {MAX_AGE} ปี",
        CORRECT,
        PERSON,
        _age_on_above("appointment_date", MAX_AGE),
        applies=_BOTH_DATES,
        shows=("birth_date", "appointment_date"),
    ),
    Rule(
        "appointment_future",
        "วันบรรจุเป็นวันในอนาคต",
        CORRECT,
        PERSON,
        lambda ctx: Q(appointment_date__gt=ctx.today),
        applies=Q(appointment_date__isnull=False),
        shows=("appointment_date",),
    ),
    Rule(
        "areas_taught",
        "ครูยังไม่ได้ระบุกลุ่มสาระที่สอน",
        CORRECT,
        PERSON,
        lambda ctx: _no_area_taught(),
        applies=_TEACHERS,
        shows=("personnel_type",),
    ),
    Rule(
        "standing_type",
        "วิทยฐานะไม่สอดคล้องกับประเภทบุคลากร",
        CORRECT,
        PERSON,
        _STANDING_MISMATCH,
        applies=Q(academic_standing__isnull=False),
        shows=("personnel_type", "academic_standing"),
    ),
    Rule(
        "secondment_ended",
        "พ้นกำหนดช่วยราชการแล้ว แต่ยังไม่ได้ปรับปรุงข้อมูล",
        CORRECT,
        PERSON,
        lambda ctx: Q(secondment_until__lt=ctx.today),
        applies=_SECONDED & Q(secondment_until__isnull=False),
        shows=("secondment", "secondment_until"),
    ),
    Rule(
        "past_retirement",
        "เลยวันเกษียณอายุราชการแล้ว แต่ยังมีสถานะปฏิบัติงาน",
        CORRECT,
        PERSON,
        _past_retirement,
        applies=Q(employment=Employment.CIVIL_SERVANT, birth_date__isnull=False),
        shows=("birth_date",),
    ),
    Rule(
        "employment_type",
        "ประเภทบุคลากรเป็นลูกจ้าง/พนักงานราชการ แต่ประเภทการจ้างเป็นข้าราชการ",
        CORRECT,
        PERSON,
        Q(employment=Employment.CIVIL_SERVANT),
        applies=Q(personnel_type=PersonnelType.EMPLOYEE),
        shows=("personnel_type", "employment"),
    ),
    # ถูกต้อง: schools
    Rule(
        "coordinates_place",
        "พิกัดโรงเรียนอยู่นอกประเทศไทย",
        CORRECT,
        SCHOOL,
        _OUTSIDE_THAILAND,
        applies=_HAS_COORDINATES,
        shows=("latitude", "longitude"),
        fix="registry:school_detail",
    ),
]

RULES_BY_CODE = {rule.code: rule for rule in RULES}


def whole_years(birth: dt.date, on: dt.date) -> int:
    """Whole years of age on `on`, as the rules count them in SQL (age_span: the year, month
    and day read as one number, so a birthday's anniversary completes the year)."""
    return (_date_number(on) - _date_number(birth)) // 10_000


def _date_number(day: dt.date) -> int:
    return day.year * 10_000 + day.month * 100 + day.day


def person_date_problems(
    *, birth_date: dt.date | None, appointment_date: dt.date | None, today: dt.date,
    active: bool,
) -> dict[str, str]:  # fmt: skip
    """{field: Thai message} for the dates a person form must refuse: the correctness rules
    above on birth and appointment dates (age_today, appointed_young, appointed_old,
    appointment_future), read in Python for one person before anything is saved; equal to
    the rules' SQL by test. A birth date in the future gets its own, plainer message."""
    problems = {}
    if birth_date and birth_date > today:
        problems["birth_date"] = "วันเกิดเป็นวันในอนาคต กรุณาตรวจสอบปี พ.ศ."
    elif birth_date and active and not MIN_AGE <= whole_years(birth_date, today) <= MAX_AGE:
        problems["birth_date"] = RULES_BY_CODE["age_today"].label + " กรุณาตรวจสอบปี พ.ศ."
    if appointment_date and appointment_date > today:
        problems["appointment_date"] = RULES_BY_CODE["appointment_future"].label
    elif birth_date and appointment_date:
        age = whole_years(birth_date, appointment_date)
        if age < MIN_AGE:
            problems["appointment_date"] = RULES_BY_CODE["appointed_young"].label
        elif age > MAX_AGE:
            problems["appointment_date"] = RULES_BY_CODE["appointed_old"].label
    return problems


def person_field_problems(
    *, personnel_type: str, employment: str, standing_code: str | None, secondment: str,
    secondment_until: dt.date | None, today: dt.date,
) -> dict[str, str]:  # fmt: skip
    """{field: Thai message} for the other correctness rules a person form can check before
    saving (standing_type, employment_type, secondment_ended), read in Python; equal to the
    rules' SQL by test."""
    problems = {}
    if standing_code is not None and (
        (personnel_type == _ASSISTANT) != (standing_code == "assistant")
        or personnel_type == PersonnelType.EMPLOYEE
    ):
        problems["academic_standing"] = RULES_BY_CODE["standing_type"].label
    if personnel_type == PersonnelType.EMPLOYEE and employment == Employment.CIVIL_SERVANT:
        problems["employment"] = RULES_BY_CODE["employment_type"].label
    if secondment and secondment_until and secondment_until < today:
        problems["secondment_until"] = (
            RULES_BY_CODE["secondment_ended"].label + " (หากสิ้นสุดแล้ว ให้เลือก “ไม่ได้ช่วยราชการ”)"
        )
    return problems


PERSON_RULES = [r for r in RULES if r.subject == PERSON]
SCHOOL_RULES = [r for r in RULES if r.subject == SCHOOL]
assert len(RULES_BY_CODE) == len(RULES), "rule codes must be unique"


# ---------------------------------------------------------------------------- scores


@dataclass
class RuleCount:
    rule: Rule
    checked: int = 0
    failed: int = 0

    @property
    def passed(self) -> int:
        return self.checked - self.failed

    @property
    def pass_pct(self) -> float | None:
        return None if not self.checked else 100 * self.passed / self.checked


# A unit's counts are two lists in RULES' order (an office of 1,000 schools made 25,000
# RuleCount objects per report); RuleCount is what pages and tests read, made on demand.
RULE_INDEX = {rule.code: i for i, rule in enumerate(RULES)}
_PERSON_RULE_INDEX = [RULE_INDEX[rule.code] for rule in PERSON_RULES]
_QUALITY_RULES = {
    quality: [i for i, rule in enumerate(RULES) if rule.quality == quality]
    for quality in (Quality.COMPLETE, Quality.CORRECT)
}


def _items(positions: list[int]) -> Callable[[list], tuple]:
    """The items at these positions of a list, as a tuple, taken in C (itemgetter; of one
    position it gives the item itself): the page scores and adds up every school's counts
    rule by rule."""
    if len(positions) == 1:
        only = positions[0]
        return lambda values: (values[only],)
    return itemgetter(*positions) if positions else lambda values: ()


_OF_QUALITY = {quality: _items(rules) for quality, rules in _QUALITY_RULES.items()}


def quality_score(checked: list[int], failed: list[int], quality: str) -> float | None:
    """Mean over the rules of one quality of the share of checked records that pass (counts
    in RULES' order)."""
    of_quality = _OF_QUALITY[quality]
    rates = [
        100 * (c - f) / c for c, f in zip(of_quality(checked), of_quality(failed), strict=True) if c
    ]
    return sum(rates) / len(rates) if rates else None


def days_since(last_update: dt.datetime | None, now: dt.datetime) -> int | None:
    """Whole days from a unit's latest update to `now` (None: never updated)."""
    return None if last_update is None else max(0, (now - last_update).days)


def is_current(days: int | None, freshness_days: int) -> bool:
    """The page's "เป็นปัจจุบัน" (green): updated at most freshness_days whole days ago."""
    return days is not None and days <= freshness_days


def currency_score(days: int | None, freshness_days: int) -> float:
    """100 up to freshness_days old, straight down to 0 at twice that; 0 if never updated."""
    if days is None:
        return 0.0
    if days <= freshness_days:
        return 100.0
    if freshness_days <= 0 or days >= 2 * freshness_days:
        return 0.0
    return 100.0 * (2 * freshness_days - days) / freshness_days


def readiness_score(
    complete: float | None, correct: float | None, current: float | None
) -> int | None:
    """0.4 × completeness + 0.4 × correctness + 0.2 × currency; unmeasured parts left out."""
    # (pairs and lists rather than dicts: the page scores every school; the same sums)
    parts = [
        (v, w) for v, w in zip((complete, correct, current), _WEIGHTS, strict=True) if v is not None
    ]
    if not parts:
        return None
    total = sum([v * w for v, w in parts]) / sum([w for _v, w in parts])
    return numerals.rounded_whole(total)  # half up: 82.5 is 83 (round() gave 82)


_WEIGHTS = tuple(READINESS_WEIGHTS[q] for q in (Quality.COMPLETE, Quality.CORRECT, Quality.CURRENT))


def score_badge(value: float | None) -> str:
    """Colour of a 0–100 score: good from 90, warning from 70, bad below."""
    if value is None:
        return ""
    if value >= 90:
        return "badge-good"
    return "badge-warn" if value >= 70 else "badge-bad"


@dataclass
class Unit:
    """One school, or the office's own people (school_id None), with its counts and scores."""

    school_id: int | None
    name: str
    obec_code: str = ""
    network: str = ""
    people: int = 0
    # Records each rule was checked on and failed it, in RULES' order.
    checked: list[int] = field(default_factory=lambda: [0] * len(RULES))
    failed: list[int] = field(default_factory=lambda: [0] * len(RULES))
    last_update: dt.datetime | None = None
    days_since: int | None = None
    complete: float | None = None
    correct: float | None = None
    current: float | None = None
    ready: int | None = None
    freshness_days: int = 0

    @property
    def counts(self) -> dict[str, RuleCount]:
        """{rule code: RuleCount}, made from the lists (reading them changes nothing)."""
        return {rule.code: RuleCount(rule, self.checked[i], self.failed[i])
                for i, rule in enumerate(RULES)}  # fmt: skip

    @property
    def problems(self) -> int:
        return sum(self.failed)

    @property
    def is_current(self) -> bool:
        return is_current(self.days_since, self.freshness_days)

    @property
    def currency_badge(self) -> str:
        """badge-good when current, badge-warn up to twice the limit, badge-bad beyond or never."""
        if self.is_current:
            return "badge-good"
        if self.days_since is not None and self.days_since <= 2 * self.freshness_days:
            return "badge-warn"
        return "badge-bad"

    @property
    def ready_badge(self) -> str:
        return score_badge(self.ready)

    def rule_counts(self, *, only_problems: bool = False) -> list[RuleCount]:
        rows = list(self.counts.values())
        return [c for c in rows if c.failed] if only_problems else rows


def _finish(unit: Unit, *, now: dt.datetime, freshness_days: int, with_currency: bool) -> Unit:
    unit.freshness_days = freshness_days
    unit.days_since = days_since(unit.last_update, now)
    unit.complete = quality_score(unit.checked, unit.failed, Quality.COMPLETE)
    unit.correct = quality_score(unit.checked, unit.failed, Quality.CORRECT)
    if with_currency:
        unit.current = currency_score(unit.days_since, freshness_days)
    unit.ready = readiness_score(unit.complete, unit.correct, unit.current)
    return unit


# ------------------------------------------------------------------------- counting


def context_for(office: Office, *, today: dt.date | None = None) -> Context:
    """Today, the office rules and the academic year whose enrolment should be on file.

    The academic year (BE) opens on 16 May, but its enrolment is only counted on the
    office's census day (10 June by default); before that day last year's counts are current.
    """
    today = today or timezone.localdate()
    rules = rules_for(office)
    return Context(today=today, academic_year=rules.counted_academic_year(today), rules=rules)


def active_people(office: Office) -> QuerySet[Person]:
    return Person.objects.filter(office=office, status=PersonStatus.ACTIVE)


def people_counts_query(people: QuerySet[Person], ctx: Context) -> QuerySet:
    """Per-rule checked/failed counts, the number of people and their latest update, grouped
    by school and personnel type, as one query of rows of COUNT_COLUMNS: the full count, and
    the recount of the schools a write changed (registry.quality_counts), so each rule's
    condition is written once, in RULES. count_rows adds up each school's rows."""
    annotations = {"n_people": Count("pk"), "last_person": Max("updated_at")}
    for rule in PERSON_RULES:
        annotations[f"c_{rule.code}"] = (
            Count("pk", filter=rule.applies) if rule.applies is not None else Count("pk")
        )
        annotations[f"f_{rule.code}"] = Count("pk", filter=rule.problem_q(ctx))
    return (
        people.order_by().values("school_id", "personnel_type").annotate(**annotations)
        .values_list("school_id", "personnel_type", *annotations)
    )  # fmt: skip


COUNT_COLUMNS = ("school_id", "personnel_type", "n_people", "last_person",
                 *(f"{p}_{r.code}" for r in PERSON_RULES for p in ("c", "f")))  # fmt: skip


def count_rows(rows) -> list[dict]:
    """Rows of people_counts_query (however it was run) as one dict a school (school_id None:
    the office's own staff): n_people, last_person, counts [checked, failed, checked, failed,
    ...] of each rule of PERSON_RULES in order, and types {personnel type: active people} (the
    KPI dashboard's headcounts). The stored rows (registry.quality_counts) have the same
    shape."""
    schools: dict[int | None, dict] = {}
    width = len(PERSON_RULES)
    for row in rows:
        school_id, ptype, n, last = row[:4]
        found = schools.get(school_id)
        if found is None:
            found = schools[school_id] = {"school_id": school_id, "n_people": 0,
                                          "last_person": None, "counts": [0] * (2 * width),
                                          "types": {}}  # fmt: skip
        found["n_people"] += n
        found["last_person"] = _latest(found["last_person"], last)
        found["types"][ptype] = found["types"].get(ptype, 0) + n
        counts = found["counts"]
        for i, value in enumerate(row[4:]):
            counts[i] += value
    return list(schools.values())


def counts_by_rule(counts: list[int]) -> dict[str, tuple[int, int]]:
    """A row's counts as {rule code: (checked, failed)}, for the rules checked on anyone."""
    return {rule.code: (counts[2 * j], counts[2 * j + 1])
            for j, rule in enumerate(PERSON_RULES) if counts[2 * j]}  # fmt: skip


def count_people(people: QuerySet[Person], ctx: Context) -> list[dict]:
    """people_counts_query's rows, a dict a school (count_rows)."""
    return count_rows(people_counts_query(people, ctx))


def _add_people(rows: list[dict], units: dict) -> None:
    """Add count_people's rows to the units of their schools (others are not asked for)."""
    for row in rows:
        unit = units.get(row["school_id"])
        if unit is None:
            continue
        unit.people += row["n_people"]
        unit.last_update = _latest(unit.last_update, row["last_person"])
        counts = row["counts"] + [0]
        unit.checked = list(map(add, unit.checked, _ROW_CHECKED(counts)))
        unit.failed = list(map(add, unit.failed, _ROW_FAILED(counts)))


# Where each rule's checked and failed counts are in a row's counts ([checked, failed, ...]
# of each PERSON_RULES) with a 0 appended, in RULES' order (a school rule's: the 0): a row
# is added to its unit list by list, not one element at a time (~100 schools x 25 rules).
_PERSON_SLOT = {i: j for j, i in enumerate(_PERSON_RULE_INDEX)}
_ROW_CHECKED = _items([2 * _PERSON_SLOT[i] if i in _PERSON_SLOT else 2 * len(PERSON_RULES)
                       for i in range(len(RULES))])  # fmt: skip
_ROW_FAILED = _items([2 * _PERSON_SLOT[i] + 1 if i in _PERSON_SLOT else 2 * len(PERSON_RULES)
                      for i in range(len(RULES))])  # fmt: skip


# School rules checked on every school: their checked count is 1, not selected.
_ALWAYS_CHECKED = [RULE_INDEX[rule.code] for rule in SCHOOL_RULES if rule.applies is None]


def _school_rule_flags(ctx: Context) -> dict:
    """The school rules' 0/1 columns: c_<code> (checked; only for rules not checked on every
    school) and f_<code> (failed)."""
    flags = {}
    for rule in SCHOOL_RULES:
        if rule.applies is not None:
            flags[f"c_{rule.code}"] = Case(
                When(rule.applies, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        flags[f"f_{rule.code}"] = Case(
            When(rule.problem_q(ctx), then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    return flags


# The names of _school_rule_flags' columns, in its order (they do not depend on the context).
_SCHOOL_FLAG_NAMES = tuple(
    name
    for rule in SCHOOL_RULES
    for name in ((f"c_{rule.code}",) if rule.applies is not None else ()) + (f"f_{rule.code}",)
)


def _count_schools(schools: QuerySet[School], ctx: Context, units: dict) -> None:
    """A unit per school with its name and its school rules' counts: one row per school with a
    0/1 column per school rule."""
    flags = _school_rule_flags(ctx)
    rows = (
        schools.order_by()
        .annotate(**flags)
        .values_list("id", "data_confirmed_at", "name", "obec_code", "network__name", *flags)
    )
    _school_units(rows, flags, units, names=True)


@dataclass(frozen=True)
class OfficeSchools:
    """The schools of the report's office, or of one of its networks: quality_report then
    reads them and their stored counts by SQL compiled once per day (the office data-quality
    page, and the KPI dashboard's readiness), not by a queryset built at each request."""

    network_id: int | None = None

    @property
    def ids(self) -> tuple[int, ...]:
        """The arguments of the kept queries after the office's id."""
        return () if self.network_id is None else (self.network_id,)


def office_schools(office_id: int, *network_id: int) -> QuerySet[School]:
    """The office's schools, or those of the one network given (OfficeSchools)."""
    schools = School.objects.filter(office_id=office_id)
    return schools.filter(network_id=network_id[0]) if network_id else schools


def checked_on(day: dt.date) -> Q:
    """The schools the office's data-quality checks cover on `day`: those open, and one
    closed (or merged into another) while active people are still placed there, whose records
    are still to be kept until they are moved. A closed school left empty has no data to
    keep: it is neither a row of the page, nor a school short of pupil numbers or out of
    date on the home page, nor a score in the dashboard's data readiness."""
    staff = Person.objects.filter(school=OuterRef("pk"), status=PersonStatus.ACTIVE)
    return open_on(day) | Q(Exists(staff))


def _count_office_schools(
    office_id: int, ctx: Context, units: dict, *, among: OfficeSchools = OfficeSchools(),
    names: bool = False,
) -> None:  # fmt: skip
    """_count_schools of the office's schools (`among`), its SQL compiled once per day
    (krupd.lib.compiled_queries): building the query of the rules' conditions cost the KPI
    dashboard more CPU than running it for a 200-school office (the readiness scores of 200
    schools: 12.8 -> 8.3 ms), and the data-quality page half of its own."""
    shown = ("name", "obec_code", "network__name") if names else ()

    def build(*ids):
        flags = _school_rule_flags(ctx)  # the conditions are built only to compile them
        return (
            office_schools(*ids).filter(checked_on(ctx.today)).order_by().annotate(**flags)
            .values_list("id", "data_confirmed_at", *shown, *flags)
        )  # fmt: skip

    # Everything the SQL depends on besides the ids: the day and year the rules compare
    # with, the rules, and which columns and schools it reads.
    key = ("school rule flags", ctx.sql_key, tuple(rule.code for rule in SCHOOL_RULES), names,
           among.network_id is None)  # fmt: skip
    rows = compiled_queries.rows_for(
        key, build, (office_id, *among.ids), using=compiled_queries.reading(School)
    )
    _school_units(rows, _SCHOOL_FLAG_NAMES, units, names=names)


def _school_units(rows, flags: Iterable[str], units: dict, *, names: bool) -> None:
    """Units from rows of (id, data_confirmed_at, [name, obec_code, network name,] *flags)."""
    first_flag = 5 if names else 2
    slots = [(name[0] == "c", RULE_INDEX[name[2:]]) for name in flags]
    for row in rows:
        unit = Unit(school_id=row[0], name="", last_update=row[1])
        if names:
            unit.name, unit.obec_code, unit.network = row[2], row[3], row[4] or ""
        checked, failed = unit.checked, unit.failed
        for i in _ALWAYS_CHECKED:
            checked[i] = 1
        for (is_checked, i), value in zip(slots, row[first_flag:], strict=True):
            (checked if is_checked else failed)[i] = value
        units[row[0]] = unit


def _latest(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    if a is None or b is None:
        return a or b
    return max(a, b)


OFFICE_UNIT_NAME = "บุคลากรในสำนักงานเขตพื้นที่"


@dataclass
class Report:
    """Scores of a set of schools (plus, optionally, the office's own people)."""

    office: Office
    ctx: Context
    schools: list[Unit]
    office_people: Unit | None
    total: Unit

    @property
    def freshness_days(self) -> int:
        return self.ctx.rules.freshness_days

    @property
    def current_schools(self) -> int:
        return sum(1 for u in self.schools if u.is_current)

    def cards(self) -> list[dict]:
        """The four summary cards, in the SAR's order."""
        values = {
            Quality.COMPLETE: self.total.complete,
            Quality.CORRECT: self.total.correct,
            Quality.CURRENT: self.total.current,
            Quality.READY: self.total.ready,
        }
        return [
            {
                "quality": q,
                "label": q.label,
                "value": values[q],
                "badge": score_badge(values[q]),
                "help": QUALITY_HELP[q],
            }
            for q in Quality
        ]


def worst_first(units: Iterable[Unit]) -> list[Unit]:
    """Lowest readiness first; ties by completeness, correctness, then name."""

    def key(u: Unit):
        return (
            -1 if u.ready is None else u.ready,
            -1 if u.complete is None else u.complete,
            -1 if u.correct is None else u.correct,
            u.name,
        )

    return sorted(units, key=key)


@dataclass
class SchoolsToUpdate:
    """What the home page asks schools to bring up to date, counted by the data-quality
    page's own rules (the page its lines link to), so both give the same numbers."""

    not_current: int  # shown not current (Unit.is_current): latest update too old, or none
    freshness_days: int  # the office's limit
    no_enrolment: int  # failing the "enrolment" rule: no pupil numbers for this academic year
    no_enrolment_label: str


def schools_to_update(
    office: Office, *, school_id: int | None = None, now: dt.datetime | None = None
) -> SchoolsToUpdate:
    """SchoolsToUpdate of the office's schools (or of the one `school_id`: a director's), in
    two counts. A school's latest update is its confirmation or a change to one of its active
    people (stored: quality_counts): one whose staff records were just corrected is current
    here as on the page, though it has not pressed "confirm"."""
    now = now or timezone.now()
    ctx = context_for(office, today=timezone.localdate(now))
    freshness = ctx.rules.freshness_days
    # Unit.is_current in SQL: days_since <= freshness, days_since = whole days of (now -
    # update), i.e. now - update < freshness + 1 days, i.e. update > now - (freshness + 1) days.
    after = now - dt.timedelta(days=freshness + 1)
    quality_counts.make_answer(office, ctx)
    enrolment = RULES_BY_CODE["enrolment"]

    def build(office_id, after, today, *one_school):
        # Every home page of the office's staff asks this: its SQL is compiled once per
        # academic year (the enrolment rule's), not at each request (see compiled_queries).
        people_changed = quality_counts.QualityCount.objects.filter(
            office_id=office_id, school=OuterRef("pk"), last_update__gt=after
        )
        schools = School.objects.filter(office_id=office_id).filter(checked_on(today))
        if one_school:
            schools = schools.filter(pk=one_school[0])
        return (
            schools.order_by()
            .values("office_id")
            .annotate(
                current=Count(
                    "pk", filter=Q(data_confirmed_at__gt=after) | Q(Exists(people_changed))
                ),
                all=Count("pk"),
                no_enrolment=Count("pk", filter=enrolment.problem_q(ctx)),
            )
            .values_list("current", "all", "no_enrolment")
        )

    rows = compiled_queries.rows_for(
        ("registry.schools_to_update", ctx.academic_year, bool(school_id)),
        build,
        (office.pk, after, ctx.today, *([school_id] if school_id else [])),
        using=compiled_queries.reading(School),
    )
    current, total, no_enrolment = rows[0] if rows else (0, 0, 0)
    return SchoolsToUpdate(
        not_current=total - current,
        freshness_days=freshness,
        no_enrolment=no_enrolment,
        no_enrolment_label=enrolment.label,
    )


def quality_report(
    *,
    office: Office,
    schools: QuerySet[School] | OfficeSchools,
    include_office_people: bool = False,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    counted: bool = False,
) -> Report:
    """Scores for every school in `schools` (worst first) and the total over them.

    The total pools the rule counts of every school (and of the office's own people when
    include_office_people), so a rule's rate is over all records it was checked on; its
    currency is the mean of the schools' currency scores.

    People are counted from the office's stored counts (registry.quality_counts, built from
    the records first if they do not answer for today); `counted` counts from the records
    instead: the full count the stored counts are checked against. `schools` as
    OfficeSchools (the office's, or a network's): read by SQL compiled once per day.
    """
    ctx = context_for(office, today=today)
    now = now or timezone.now()
    freshness = ctx.rules.freshness_days
    units: dict[int | None, Unit] = {}
    if isinstance(schools, OfficeSchools):
        among = schools
        _count_office_schools(office.pk, ctx, units, among=among, names=True)
        schools = office_schools(office.pk, *among.ids)
    else:
        among = None
        schools = schools.filter(office=office)
        _count_schools(schools, ctx, units)
    if include_office_people:
        units[None] = Unit(school_id=None, name=OFFICE_UNIT_NAME)
    if counted:
        people = active_people(office).filter(school__in=schools.values("pk"))
        if include_office_people:
            people = active_people(office).filter(
                Q(school__in=schools.values("pk")) | Q(school__isnull=True)
            )
        rows = count_people(people, ctx)
    elif among is not None:
        rows = quality_counts.office_people_rows(
            office, ctx, among.ids, include_office_people=include_office_people
        )
    else:
        rows = quality_counts.people_rows(
            office, ctx, schools, include_office_people=include_office_people
        )
    _add_people(rows, units)

    school_units = [u for key, u in units.items() if key is not None]
    for unit in school_units:
        _finish(unit, now=now, freshness_days=freshness, with_currency=True)
    office_unit = units.get(None)
    if office_unit is not None:
        _finish(office_unit, now=now, freshness_days=freshness, with_currency=False)

    total = Unit(school_id=None, name=office.name)
    for unit in units.values():
        total.people += unit.people
        total.last_update = _latest(total.last_update, unit.last_update)
    if units:  # each rule's counts summed over the units, column by column
        total.checked = list(map(sum, zip(*(u.checked for u in units.values()), strict=True)))
        total.failed = list(map(sum, zip(*(u.failed for u in units.values()), strict=True)))
    _finish(total, now=now, freshness_days=freshness, with_currency=False)
    if school_units:
        total.current = sum(u.current for u in school_units) / len(school_units)
        total.ready = readiness_score(total.complete, total.correct, total.current)
    return Report(
        office=office,
        ctx=ctx,
        schools=worst_first(school_units),
        office_people=office_unit,
        total=total,
    )


def school_readiness(
    office: Office, ctx: Context, rows: list[dict], *, now: dt.datetime | None = None
) -> dict[int, int | None]:
    """Each school of the office and its readiness score, as quality_report scores it, from
    the office's people rows (quality_counts.office_rows, or count_people's): the KPI
    dashboard's data-readiness KPI, without the page's names, total and order."""
    now = now or timezone.now()
    units: dict[int | None, Unit] = {}
    _count_office_schools(office.pk, ctx, units)
    _add_people(rows, units)
    freshness = ctx.rules.freshness_days
    return {
        school_id: _finish(unit, now=now, freshness_days=freshness, with_currency=True).ready
        for school_id, unit in units.items()
    }


# ---------------------------------------------------------------------- problem lists


@dataclass
class Problem:
    """One broken rule on one record, with what the record holds now."""

    rule: Rule
    person: Person | None = None
    school: School | None = None
    values: list[tuple[str, object, bool]] = field(default_factory=list)  # label, value, is_date

    @property
    def fix_url_name(self) -> str:
        return self.rule.fix


def _display(obj: models.Model, path: str) -> tuple[str, object, bool]:
    model_field = obj._meta.get_field(path)
    label = str(model_field.verbose_name)
    if path == "national_id":
        return label, thai_id.mask_national_id(obj.national_id), False
    if model_field.choices:
        return label, getattr(obj, f"get_{path}_display")(), False
    value = getattr(obj, path)
    is_date = isinstance(value, dt.date)
    return label, "" if value is None else (value if is_date else str(value)), is_date


def _problem(rule: Rule, *, person=None, school=None) -> Problem:
    obj = person if person is not None else school
    return Problem(
        rule=rule, person=person, school=school, values=[_display(obj, p) for p in rule.shows]
    )


def person_problems(
    *, people: QuerySet[Person], ctx: Context, rule_code: str = "", counted: Unit | None = None
) -> list[Problem]:
    """Every broken person rule among `people` (already scoped to one school or the office).

    One query: the people with at least one problem, each with a flag per rule. Meant for
    one school's people, not a whole office. With `counted`, the report's counts of the same
    people, only the rules they found broken are checked (none: no query): checking every
    rule over an office's 4,000 own staff took most of a 100,000-person office's page.
    """
    rules = _rules_broken(rule_code, counted)
    if not rules:
        return []
    return _person_problems(_with_problems(people, rules, ctx), rules)


def office_staff_problems(
    *, scope: tuple[str, int], ctx: Context, counted: Unit | None = None
) -> list[Problem]:
    """person_problems of the office's own staff (no school) among the people of `scope`
    (registry.queries.people_scope: column and id), by SQL compiled once per day and set of
    rules: the office data-quality page's list."""
    rules = _rules_broken("", counted)
    if not rules:
        return []
    column, id_ = scope
    people = compiled_queries.objects_for(
        ("registry.office_staff_problems", column, ctx.sql_key, tuple(r.code for r in rules)),
        lambda id_: _with_problems(
            Person.objects.filter(**{column: id_}, school__isnull=True), rules, ctx
        ),
        id_,
        using=compiled_queries.reading(Person),
    )
    return _person_problems(people, rules)


def _rules_broken(rule_code: str, counted: Unit | None) -> list[Rule]:
    """The person rules to check: one (`rule_code`) or all, less those `counted` found kept."""
    return [
        r for r in PERSON_RULES
        if (not rule_code or r.code == rule_code)
        and (counted is None or counted.failed[RULE_INDEX[r.code]])
    ]  # fmt: skip


def _with_problems(people: QuerySet[Person], rules: list[Rule], ctx: Context) -> QuerySet[Person]:
    """The active people breaking at least one of `rules`, with a bad_<code> flag per rule."""
    flags = {
        f"bad_{r.code}": Case(
            When(r.problem_q(ctx), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        for r in rules
    }
    return (
        people.filter(status=PersonStatus.ACTIVE)
        .filter(reduce(or_, [r.problem_q(ctx) for r in rules]))
        .select_related("academic_standing", "major")
        .annotate(**flags)
        .order_by("first_name", "last_name", "pk")
    )


def _person_problems(people: Iterable[Person], rules: list[Rule]) -> list[Problem]:
    found = []
    for person in people:
        for rule in rules:
            if getattr(person, f"bad_{rule.code}"):
                found.append(_problem(rule, person=person))
    return found


def school_problems(*, school: School, ctx: Context, rule_code: str = "") -> list[Problem]:
    rules = [r for r in SCHOOL_RULES if not rule_code or r.code == rule_code]
    if not rules:
        return []
    flags = {
        f"bad_{r.code}": Case(
            When(r.problem_q(ctx), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        for r in rules
    }
    row = School.objects.filter(pk=school.pk).annotate(**flags).get()
    return [_problem(r, school=row) for r in rules if getattr(row, f"bad_{r.code}")]
