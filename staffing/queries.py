"""Staffing analysis reads: required vs. actual per school, office summary, tables of the SAR,
out-of-field teaching, retirement forecast, transfer proposals.

Every read is scoped with registry's scoping (a director sees their school, inspectors
aggregates only), and loads its data with a fixed number of aggregate queries whatever the
number of schools. Results carry the rule set they were computed with.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import itemgetter

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Collate, Concat, NullIf
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone

from accounts.roles import EDIT_ENROLMENT, EDIT_PEOPLE, VIEW_PEOPLE, Role, can
from krupd.lib import compiled_queries, numerals, thai_dates
from registry import labels as school_labels
from registry.access import may_move_staff
from registry.actions import (
    OFFICE_HISTORY_LABEL,
    POSITION_HISTORY_FIELDS,
    WORKPLACE_HISTORY_LABEL,
    rules_for,
)
from registry.models import (
    ADMINISTRATOR_TYPES,
    DEFAULT_CENSUS_DAY,
    LEFT_STATUSES,
    TEACHING_TYPES,
    Employment,
    Enrolment,
    LearningArea,
    Major,
    Office,
    OfficeRules,
    Person,
    PersonnelType,
    PersonStatus,
    PositionChange,
    School,
    SchoolLevel,
    Secondment,
    census_date,
    full_name_of,
)
from registry.queries import (
    counts_whole_office,
    people_counted_for,
    people_visible_to,
    schools_visible_to,
)

from . import rules as rl
from . import summary
from .models import AreaWeight, RuleRow, RuleSet

ADMIN_AREA = "admin"
UNMAPPED = "__unmapped__"
SHORT, BALANCED, SURPLUS, UNKNOWN = "short", "balanced", "surplus", "unknown"
STATUS_LABELS = {SHORT: "ขาด", BALANCED: "พอดี", SURPLUS: "เกิน", UNKNOWN: "คำนวณไม่ได้"}
PUPILS_MISSING = "ยังไม่ได้กรอกจำนวนนักเรียน"
LEVEL_LABELS = dict(SchoolLevel.choices)
LEVEL_SHORT = {"primary": "ประถมศึกษา", "expansion": "ขยายโอกาสฯ", "secondary": "มัธยมศึกษา"}


# ---------------------------------------------------------------------------------------------
# Rules in force


def rule_sets_for(office: Office | None) -> QuerySet[RuleSet]:
    """Rule sets an office may use: its own versions and the shared defaults."""
    return RuleSet.objects.filter(Q(office=office) | Q(office__isnull=True))


def rule_set_in_force(office: Office | None, on: dt.date) -> RuleSet | None:
    """The office's own latest version in force on `on`, else the shared default in force."""
    # An office has a handful of versions: one read, the choice made here.
    office_id = office.pk if office else None
    if office_id is None:
        sets = list(rule_sets_for(None).order_by("effective_date", "id"))
    else:
        sets = compiled_queries.objects_for(
            ("rule sets",),
            lambda office: rule_sets_for(office).order_by("effective_date", "id"),
            office_id,
            using=compiled_queries.reading(RuleSet),
        )
    for own in (True, False):
        in_force = [r for r in sets if (r.office_id == office_id) == own and r.effective_date <= on]
        if in_force:
            return in_force[-1]
    return sets[0] if sets else None


def bands_of(rule_set: RuleSet) -> list[rl.Band]:
    rows = compiled_queries.objects_for(
        ("rule rows",),
        lambda rule_set_id: RuleRow.objects.filter(rule_set_id=rule_set_id),
        rule_set.pk,
        using=compiled_queries.reading(RuleRow),
    )
    return [
        rl.Band(
            id=r.id, level=r.level, basis=r.basis, band_min=r.band_min, band_max=r.band_max,
            administrators=r.administrators, deputies=r.deputies, teachers=r.teachers,
            teachers_per_room=r.teachers_per_room, students_per_teacher=r.students_per_teacher,
            to_verify=r.to_verify, label=r.band_label,
        )
        for r in rows
    ]  # fmt: skip


def weights_of(rule_set: RuleSet) -> dict[str, dict[str, float]]:
    """{level: {area code: weight}} of a rule set."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for level, code, w in compiled_queries.rows_for(
        ("area weights",),
        lambda rule_set_id: AreaWeight.objects.filter(rule_set_id=rule_set_id).values_list(
            "level", "learning_area__code", "weight"
        ),
        rule_set.pk,
        using=compiled_queries.reading(AreaWeight),
    ):
        out[level][code] = w
    return dict(out)


def learning_areas() -> list[LearningArea]:
    """Every learning area (a dozen rows, read by every analysis)."""
    return compiled_queries.objects_for(
        ("learning areas",),
        lambda _: LearningArea.objects.all(),
        None,
        using=compiled_queries.reading(LearningArea),
    )


def census_date_for(office: Office | None, year_be: int, *, rules=None) -> dt.date:
    """The census day (10 June unless the office set another) of academic year `year_be`;
    `rules` saves reading the office's rules again when the caller has them."""
    if office is None:
        return census_date(DEFAULT_CENSUS_DAY, year_be)
    return (rules or rules_for(office)).census_date(year_be)


# ---------------------------------------------------------------------------------------------
# Who is counted on the census day

STATUS_HISTORY_LABEL = POSITION_HISTORY_FIELDS["status"]
STAFF_TYPES = (*ADMINISTRATOR_TYPES, *TEACHING_TYPES)


def _percent(part: int, whole: int, places: int = 2) -> float | None:
    """A staffing percentage as the reports print it (numerals.percent_of: half up, so a
    shortage of 1 in 800 is 0.13 %, not Python's 0.12), kept a float for pages and the API."""
    pct = numerals.percent_of(part, whole, places)
    return None if pct is None else float(pct)


def first_birth_date_retiring_after(census: dt.date, retirement_age: int) -> dt.date:
    """The earliest birth date whose retirement day (30 Sep of that fiscal year) is after
    `census`: anyone born on or after it was still in service on the census day."""
    lo = dt.date(census.year - retirement_age - 2, 1, 1)
    hi = dt.date(census.year - retirement_age + 2, 12, 31)
    while lo < hi:
        mid = lo + (hi - lo) // 2
        if thai_dates.retirement_date(mid, retirement_age=retirement_age) > census:
            hi = mid
        else:
            lo = mid + dt.timedelta(days=1)
    return lo


def in_service_on(census: dt.date, *, retirement_age: int = 60) -> Q:
    """People in service on the census day, whatever happened to them since.

    * appointed on or before the census day (no appointment date: assumed in service);
    * and either still active and not past their retirement day (30 September of the
      fiscal year they complete the retirement age, from the birth date) by the census day:
      someone who retired on 30 September 2568 and is still "ปฏิบัติงาน" in an import is not
      staff on 10 June 2569 (the data-quality page flags the record);
    * or marked as having left (LEFT_STATUSES) by a status change (position history "สถานะ",
      from "ปฏิบัติงาน") that took effect after the census day (the recorded day decides),
      or marked retired without any status history but with a retirement day after it.

    The status of the census day is what counts, both ways: when a status changed after it,
    the earliest such change's "from" is that day's status (someone retired before it and
    taken back after it was not in service then; someone who left after it and came back
    later was).
    """
    status_changes = PositionChange.objects.filter(
        person_id=OuterRef("pk"), field=STATUS_HISTORY_LABEL
    )
    after = status_changes.filter(effective_date__gt=census)
    changed_after = Exists(after)
    # The status of the census day, when a change after it tells it ("" when none does, so
    # the test below is false rather than NULL and the condition can be negated: exclude()).
    then = Coalesce(
        Subquery(after.order_by("effective_date", "pk").values("old_value")[:1]), Value("")
    )
    active_then = Q(Exact(then, Value(PersonStatus.ACTIVE.label)))
    retiring_after = Q(birth_date__gte=first_birth_date_retiring_after(census, retirement_age))
    retired_after = Q(status=PersonStatus.RETIRED) & ~Exists(status_changes) & retiring_after
    active = Q(status=PersonStatus.ACTIVE) & (Q(birth_date__isnull=True) | retiring_after)
    appointed = Q(appointment_date__isnull=True) | Q(appointment_date__lte=census)
    return appointed & (
        (active & (~changed_after | active_then))
        | (Q(status__in=LEFT_STATUSES) & active_then)
        | retired_after
    )


def moves_after(census: dt.date) -> QuerySet[PositionChange]:
    """Changes of workplace (position history "สถานศึกษา") that took effect after the census
    day (the recorded day decides, as for a status)."""
    return PositionChange.objects.filter(field=WORKPLACE_HISTORY_LABEL, effective_date__gt=census)


# school_on's value for "at no school": the office's own staff (0 is no school's id).
_NO_SCHOOL = 0


def school_on(census: dt.date):
    """The school a person was at on the census day, as an expression over Person: their
    school now, unless a change of workplace took effect after the census day, then the
    school that the earliest such change left (none: they were of the office's own staff).
    A change whose school left cannot be told (an old entry naming a school by a name two
    schools share, or a school since deleted) leaves them at their school now:
    `unplaced_moves` lists them for the analysis to say so."""
    left = Case(
        When(old_school__isnull=False, then=F("old_school_id")),
        When(old_value="", then=Value(_NO_SCHOOL)),
        default=OuterRef("school_id"),
        output_field=IntegerField(),
    )
    first = (
        moves_after(census).filter(person_id=OuterRef("pk"))
        .order_by("effective_date", "pk").annotate(left=left).values("left")[:1]
    )  # fmt: skip
    return NullIf(
        Coalesce(Subquery(first, output_field=IntegerField()), F("school_id")),
        Value(_NO_SCHOOL),
        output_field=IntegerField(),
    )


def at_schools_on(census: dt.date, schools) -> tuple[Q, Q]:
    """Filter for people who were at one of `schools` (ids; None in it: the office's own
    staff) on the census day: (who may have been, found through the indexes of their school
    now and of the school a later change of workplace left; who was, of people annotated
    `census_school` by school_on)."""
    ids = [s for s in schools if s is not None]
    moved = moves_after(census)
    found = Q(school_id__in=ids) | Q(pk__in=moved.filter(old_school_id__in=ids).values("person_id"))
    placed = Q(census_school__in=ids)
    if None in schools:
        found |= Q(school__isnull=True) | Q(
            pk__in=moved.filter(old_school__isnull=True, old_value="").values("person_id")
        )
        placed |= Q(census_school__isnull=True)
    return found, placed


def office_on(office_id: int, census: dt.date) -> tuple[Q, Q]:
    """Filter for people who were of the office on the census day, whatever office they are
    of now (a move to another office after it: counted at the school they left, in the
    office they left; not in the one they joined): (who may have been: its people now and
    those a later change of workplace took from one of its schools; who was, of people
    annotated `census_school` by school_on). Someone of its own staff that day who moved
    to another office since is told by no school: neither office counts them (the staff
    counts are of schools)."""
    found = Q(office_id=office_id) | Q(
        pk__in=moves_after(census).filter(old_school__office_id=office_id).values("person_id")
    )
    moved = PositionChange.objects.filter(
        person_id=OuterRef("pk"), effective_date__gt=census,
        field__in=[WORKPLACE_HISTORY_LABEL, OFFICE_HISTORY_LABEL],
    )  # fmt: skip
    joined = PositionChange.objects.filter(
        person_id=OuterRef("pk"), effective_date__gt=census, field=OFFICE_HISTORY_LABEL
    )
    # Most people moved nowhere since: theirs without the census-day school's subquery.
    placed = (
        (Q(office_id=office_id) & ~Exists(moved))
        | Q(census_school__in=School.objects.filter(office_id=office_id).values("id"))
        | (Q(census_school__isnull=True, office_id=office_id) & ~Exists(joined))
    )
    return found, placed


def unplaced_moves(census: dt.date) -> QuerySet[PositionChange]:
    """The earliest change of workplace after the census day of each person, when it does not
    tell which school they left (school_on counts them at their school now)."""
    earliest = (
        moves_after(census).filter(person_id=OuterRef("person_id")).order_by("effective_date", "pk")
    )
    return (
        moves_after(census)
        .filter(old_school__isnull=True)
        .exclude(old_value="")
        .filter(pk=Subquery(earliest.values("pk")[:1]))
    )


def works_in(school_ids, census: dt.date) -> Q:
    """Working at one of the schools on the census day: in post there (the school they were
    at that day: school_on, annotated `census_school`) and not seconded out, or seconded out
    to it; a secondment ended by then is none (_grouped_staff)."""
    ended = secondment_ended_by(census)
    back = Q(secondment=Secondment.IN, secondment_school__isnull=False) & ended
    away = (Q(secondment=Secondment.OUT) & ~ended) | back
    return (Q(census_school__in=school_ids) & ~away) | (
        away & Q(secondment_school_id__in=school_ids)
    )


def _counted_people(user, census: dt.date) -> QuerySet[Person]:
    """People the user's aggregates cover; a director's also covers staff seconded to them,
    staff of another school whose secondment names theirs (seconded in elsewhere from
    their register, or back from such a secondment by the census day: _grouped_staff), and
    staff who moved away from their school after the census day (school_on)."""
    people = people_counted_for(user)
    if user.role == Role.SCHOOL_DIRECTOR and user.school_id:
        people = people | Person.objects.filter(
            office_id=user.office_id, secondment_school_id=user.school_id
        ).exclude(secondment=Secondment.NONE)
        # Wherever they are now: a move to another office too (office_on).
        people = people | Person.objects.filter(
            pk__in=moves_after(census).filter(old_school_id=user.school_id).values("person_id"),
        )
    return people


def _staff_kinds(count_contract: bool) -> Q:
    """Civil servants on administrator/teacher lines; contract teachers when the rule counts
    them (the analysis lists them either way)."""
    civil = Q(employment=Employment.CIVIL_SERVANT, personnel_type__in=STAFF_TYPES)
    contract = ~Q(employment=Employment.CIVIL_SERVANT) & (
        Q(personnel_type__in=TEACHING_TYPES) | Q(employment=Employment.CONTRACT_TEACHER)
    )
    return civil | contract if count_contract else civil


# ---------------------------------------------------------------------------------------------
# Per-school analysis


# What each kind of data problem is called on the problems page and in the workbook.
PROBLEM_KIND_LABELS = {"enrolment": "ข้อมูลนักเรียน", "major": "วิชาเอก", "rules": "เกณฑ์",
                       "status": "สถานะบุคลากร", "workplace": "สถานศึกษาเดิม",
                       "closed": "สถานศึกษาที่ปิดแล้ว", "vacancy": "อัตราว่าง"}  # fmt: skip


@dataclass
class Problem:
    kind: str  # a key of PROBLEM_KIND_LABELS
    message: str
    url: str = ""
    link_label: str = ""
    school: str = ""

    @property
    def kind_label(self) -> str:
        return PROBLEM_KIND_LABELS[self.kind]


@dataclass
class SchoolResult:
    id: int
    obec_code: str
    name: str
    level: str
    latitude: float | None
    longitude: float | None
    # The name as tables print it: with the OBEC code where another school of the analysis
    # has the same name (registry.labels), so a transfer "บ้านหนองบัว → บ้านหนองบัว" says
    # which is which.
    label: str = ""
    students: int | None = None
    classrooms: int | None = None
    band_label: str = ""
    band_to_verify: bool = False
    required_admin: int | None = None
    required_teachers: int | None = None
    actual_admin: int = 0  # working here on the census day (what the criterion compares)
    actual_teachers: int = 0
    unmapped_teachers: int = 0
    # How actual is made up: civil-servant positions of this school's จ.18 held on the census
    # day (register), minus those seconded out, plus those seconded in; contract teachers
    # (พนักงานราชการ/ครูอัตราจ้าง/ลูกจ้าง) added only when the rule set counts them.
    register: int = 0
    seconded_out: int = 0
    seconded_in: int = 0
    contract_staff: int = 0
    contract_counted: bool = False
    vacant: int = 0  # estimate: positions left by leavers that nobody holds
    area_actual: dict = field(default_factory=dict)  # area code -> teachers (admin: admins)
    # Required administrators under "admin", and teachers by area code when the rule splits
    # them for this level (area_split); "admin" alone when it does not.
    area_required: dict = field(default_factory=dict)
    area_split: bool = False
    area_demand: dict = field(default_factory=dict)  # only for short schools; None = any area

    @property
    def level_label(self) -> str:
        return LEVEL_SHORT.get(self.level, self.level)

    @property
    def computable(self) -> bool:
        return self.required_teachers is not None

    @property
    def pupils_missing(self) -> bool:
        """No pupils of the year entered (or 0): no criterion applies, so the pages say
        PUPILS_MISSING where the required figure would be, not a shortage."""
        return not self.students

    @property
    def required(self) -> int | None:
        if not self.computable:
            return None
        return self.required_admin + self.required_teachers

    @property
    def actual(self) -> int:
        return self.actual_admin + self.actual_teachers

    @property
    def civil_actual(self) -> int:
        """Civil servants working here: register − seconded out + seconded in."""
        return self.register - self.seconded_out + self.seconded_in

    @property
    def contract_in_actual(self) -> int:
        return self.contract_staff if self.contract_counted else 0

    @property
    def diff(self) -> int | None:
        """Surplus (+) or shortage (−) of positions, administrators and teachers together."""
        return None if not self.computable else self.actual - self.required

    @property
    def pct(self) -> float | None:
        if not self.computable:
            return None
        return _percent(self.diff, self.required)

    @property
    def status(self) -> str:
        if not self.computable:
            return UNKNOWN
        return SHORT if self.diff < 0 else SURPLUS if self.diff > 0 else BALANCED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def area_gap(self, code: str) -> int | None:
        if code == ADMIN_AREA:
            return None if not self.computable else self.actual_admin - self.required_admin
        if not self.area_split:
            # No criterion per area: 4 Thai teachers are not "ภาษาไทยเกิน 4" (the required
            # administrators, always in area_required, made it look like a split).
            return None
        return self.area_actual.get(code, 0) - self.area_required.get(code, 0)


@dataclass
class Summary:
    schools_by_level: dict
    schools_total: int
    actual_admin: int
    actual_teachers: int
    actual_total: int
    register: int
    seconded_out: int
    seconded_in: int
    contract_staff: int
    contract_counted: bool
    vacant: int
    required_total: int
    diff: int
    pct: float | None
    short_schools: int
    short_positions: int
    surplus_schools: int
    surplus_positions: int
    balanced_schools: int
    unknown_schools: int
    # Schools without pupils of the year (SchoolResult.pupils_missing), whose staff are in the
    # actual figures but in no difference or percentage, and how many staff that is.
    pupils_missing_schools: int = 0
    pupils_missing_actual: int = 0
    # The actual staff of the schools whose criterion could be applied: what the required
    # total, the difference and the percentage compare with (actual_total is every school's).
    computed_actual: int = 0

    @property
    def computed_schools(self) -> int:
        """Schools whose criterion could be applied: item 3's difference covers only them."""
        return self.short_schools + self.surplus_schools + self.balanced_schools

    @property
    def actual_label(self) -> str:
        """What item 2's figure counts: the จ.18 register, and the contract teachers when the
        rule set counts them (they hold no จ.18 position, so "ตาม จ.18" alone misnamed them)."""
        if self.contract_counted and self.contract_staff:
            return "จำนวนครูตาม จ.18 รวมพนักงานราชการ/ครูอัตราจ้างที่นับตามเกณฑ์"
        return "จำนวนครูตาม จ.18"


@dataclass
class AreaTable:
    """Rows = learning areas, columns = school levels, like the SAR's tables."""

    levels: list[str]
    rows: list[tuple[str, str, list[int], int]]  # code, label, per level, total
    totals: list[int]
    grand_total: int

    @property
    def level_labels(self) -> list[str]:
        return [LEVEL_SHORT.get(lv, lv) for lv in self.levels]


@dataclass
class Analysis:
    office: Office | None
    academic_year: int
    census_date: dt.date
    rule_set: RuleSet | None
    schools: list[SchoolResult]
    areas: list[LearningArea]
    problems: list[Problem]
    summary: Summary
    by_area: AreaTable
    demand_by_area: AreaTable
    levels_with_weights: set[str]

    @property
    def rule_label(self) -> str:
        return self.rule_set.label if self.rule_set else "ไม่มีเกณฑ์อัตรากำลัง"

    @property
    def rule_version(self) -> str:
        return self.rule_set.version if self.rule_set else ""

    @property
    def contract_label(self) -> str:
        if self.rule_set is None:
            return "ไม่นับพนักงานราชการ/ครูอัตราจ้าง/ลูกจ้างเป็นอัตรากำลังครู"
        return self.rule_set.contract_staff_label

    @property
    def census_be(self) -> str:
        return thai_dates.format_thai_date(self.census_date, style="long")


def _active_staff(user) -> QuerySet[Person]:
    """People the analysis counts: aggregates cover the whole scope, even for inspectors."""
    return (
        people_counted_for(user)
        .filter(status=PersonStatus.ACTIVE, school__isnull=False)
        .filter(personnel_type__in=[*ADMINISTRATOR_TYPES, *TEACHING_TYPES])
    )


def default_year(office: Office | None = None) -> int:
    """The academic year the staffing figures are of unless one is asked for: the latest
    whose census day has come (OfficeRules.counted_academic_year, as the data-quality page
    reads it), so from 16 May to 9 June the pages show last year's counts, not a year
    without any pupils counted yet."""
    return year_counted_by(office, timezone.localdate())


def year_counted_by(office: Office | None, day: dt.date) -> int:
    """The academic year whose census day is the latest on or before `day` (and today), in
    the office's own census day: the staffing a report of a period ending on `day` cites. A
    first-round SAR (to 31 March) cites the census of the June before it, not the one after."""
    rules = rules_for(office) if office is not None else OfficeRules()
    return rules.counted_academic_year(min(day, timezone.localdate()))


class _Scope:
    """The schools and people an analysis reads, and how it reads them.

    An office-wide user (office staff, inspectors) reading all of the office's schools gets
    every query compiled once per shape and role and run with the office's id
    (krupd.lib.compiled_queries): nationally, Django's query building cost more than the
    database's work. The queries are built by the same functions either way."""

    def __init__(self, user, schools: QuerySet[School] | None):
        self.user = user
        self.whole_office = schools is None and counts_whole_office(user)
        self.schools = schools_visible_to(user) if schools is None else schools

    def rows(self, key: tuple, build) -> list[tuple]:
        """The rows of `build(user, schools)`, a values_list queryset."""
        if not self.whole_office:
            return list(build(self.user, self.schools))
        user = self.user

        def for_office(office_id: int) -> QuerySet:
            member = get_user_model()(role=user.role, office_id=office_id)
            return build(member, schools_visible_to(member))

        using = compiled_queries.reading(Person)
        return compiled_queries.rows_for((*key, user.role), for_office, user.office_id,
                                         using=using)  # fmt: skip


def _school_rows(user, schools: QuerySet[School]) -> QuerySet:
    return schools.order_by("obec_code").values_list(
        "id", "obec_code", "name", "level", "latitude", "longitude", "closed_on"
    )


def _enrolment_rows(year: int):
    def build(user, schools: QuerySet[School]) -> QuerySet:
        return (
            Enrolment.objects.filter(school_id__in=schools.values("id"), academic_year=year)
            .values("school_id")
            .annotate(students=Sum("students"), rooms=Sum("classrooms"))
            .values_list("school_id", "students", "rooms")
        )

    return build


def analyse(
    user,
    *,
    academic_year: int | None = None,
    rule_set: RuleSet | None = None,
    schools: QuerySet[School] | None = None,
) -> Analysis:
    """The whole staffing analysis of the user's scope, in a fixed number of queries."""
    office = user.office
    year = academic_year or default_year(office)
    office_rules = rules_for(office) if office else None
    census = census_date_for(office, year, rules=office_rules)
    rule_set = rule_set or rule_set_in_force(office, census)
    count_contract = bool(rule_set and rule_set.count_contract_staff)
    retirement_age = office_rules.retirement_age if office_rules else 60
    may_list_people = can(user, VIEW_PEOPLE)
    may_edit_people = can(user, EDIT_PEOPLE)
    may_edit_enrolment = can(user, EDIT_ENROLMENT)
    scope = _Scope(user, schools)

    results: dict[int, SchoolResult] = {}
    # Schools closed (or merged into another) by the census day are not listed: a school
    # closed since is, for the census days before its closing (School.is_closed_on).
    closed: dict[int, tuple[str, str, dt.date]] = {}
    for school_id, obec_code, name, level, latitude, longitude, closed_on in scope.rows(
        ("schools",), _school_rows
    ):
        if closed_on is not None and closed_on <= census:
            closed[school_id] = (name, obec_code, closed_on)
            continue
        results[school_id] = SchoolResult(
            id=school_id, obec_code=obec_code, name=name, level=level, latitude=latitude,
            longitude=longitude,
        )  # fmt: skip
    shown = school_labels.distinct_labels((r.id, r.name, r.obec_code) for r in results.values())
    for res in results.values():
        res.label = shown[res.id]
    for school_id, students, rooms in scope.rows(("enrolment", year), _enrolment_rows(year)):
        res = results.get(school_id)
        if res:
            res.students, res.classrooms = students, rooms

    areas = learning_areas()
    area_codes = {str(a.id): a.code for a in areas}
    staff = _staff_counts(user, scope, census, retirement_age)
    for res in results.values():
        _fill_counts(res, staff.get(res.id), count_contract, area_codes)
    problems: list[Problem] = []
    _closed_school_problems(user, staff, closed, problems)

    bands = bands_of(rule_set) if rule_set else []
    bands_by_level: dict[str, list[rl.Band]] = defaultdict(list)
    for band in bands:
        bands_by_level[band.level].append(band)
    weights = weights_of(rule_set) if rule_set else {}
    rules_url = reverse("staffing:rule_set", args=[rule_set.pk]) if rule_set else ""
    if rule_set is None:
        problems.append(Problem("rules", "ยังไม่มีเกณฑ์อัตรากำลัง", reverse("staffing:rules"), "เพิ่มเกณฑ์"))
    levels = {r.level for r in results.values()}
    for bp in rl.band_problems(bands, levels=levels) if rule_set else []:
        problems.append(
            Problem("rules", f"เกณฑ์{LEVEL_LABELS.get(bp.level, bp.level)}: {bp.message}",
                    rules_url, "แก้ไขเกณฑ์")
        )  # fmt: skip

    for res in results.values():
        school_label = f"{res.name} ({res.obec_code})"
        enrol_url = ""
        if not res.students:
            enrol_url = reverse(
                "registry:school_enrolment" if may_edit_enrolment else "registry:school_detail",
                args=[res.id],
            )
        if res.students is None:
            problems.append(
                Problem("enrolment", f"ไม่มีข้อมูลนักเรียนปีการศึกษา {year}", enrol_url,
                        "กรอกจำนวนนักเรียน", school_label)
            )  # fmt: skip
            continue
        if res.students == 0:
            problems.append(
                Problem("enrolment", f"จำนวนนักเรียนปีการศึกษา {year} เป็น 0", enrol_url,
                        "ตรวจจำนวนนักเรียน", school_label)
            )  # fmt: skip
            continue
        band, matches = rl.find_band(
            bands_by_level.get(res.level, ()), level=res.level, students=res.students,
            classrooms=res.classrooms or 0,
        )  # fmt: skip
        if band is None:
            if rule_set is not None:
                problems.append(
                    Problem("rules", f"ไม่มีช่วงเกณฑ์สำหรับ{LEVEL_LABELS.get(res.level)} "
                            f"นักเรียน {res.students} คน {res.classrooms} ห้อง", rules_url,
                            "แก้ไขเกณฑ์", school_label)
                )  # fmt: skip
            continue
        if len(matches) > 1:
            problems.append(
                Problem("rules", f"เข้าได้หลายช่วงเกณฑ์ ({', '.join(b.label for b in matches)}) "
                        f"ใช้ช่วง {band.label}", rules_url, "แก้ไขเกณฑ์", school_label)
            )  # fmt: skip
        req = rl.required(band, students=res.students, classrooms=res.classrooms or 0)
        res.required_admin, res.required_teachers = req.administrators, req.teachers
        res.band_label, res.band_to_verify = band.label, band.to_verify
        level_weights = weights.get(res.level)
        if level_weights:
            res.area_split = True
            res.area_required = {
                k: v for k, v in rl.apportion(res.required_teachers, level_weights).items() if v
            }
        res.area_required[ADMIN_AREA] = res.required_admin
    _demand_from_own_data(user, results)

    _person_problems(scope, results, problems, may_list_people, may_edit_people,
                     census, retirement_age, count_contract)  # fmt: skip
    school_list = list(results.values())
    ordered_levels = [lv for lv in SchoolLevel.values if lv in levels]
    return Analysis(
        office=office,
        academic_year=year,
        census_date=census,
        rule_set=rule_set,
        schools=school_list,
        areas=areas,
        problems=problems,
        summary=summarise(school_list, contract_counted=count_contract),
        by_area=_area_table(school_list, areas, ordered_levels, lambda r: r.area_actual),
        demand_by_area=_area_table(
            [r for r in school_list if r.status == SHORT], areas, ordered_levels,
            lambda r: r.area_demand,
        ),
        levels_with_weights=set(weights),
    )  # fmt: skip


def _closed_school_problems(
    user,
    staff: dict[int, summary.SchoolStaff],
    closed: dict[int, tuple[str, str, dt.date]],
    problems: list,
) -> None:
    """People still counted on the census day at a school closed (or merged) by then, which
    the analysis does not list: named per school, to be moved."""
    may_move = None
    for school_id, (name, code, closed_on) in closed.items():
        counts = staff.get(school_id)
        left = counts.register + counts.contract_staff if counts else 0
        if not left:
            continue
        if may_move is None:
            may_move = may_move_staff(user)
        day = thai_dates.format_thai_date(closed_on, style="long")
        url = reverse("registry:school_move_staff" if may_move else "registry:school_detail",
                      args=[school_id])  # fmt: skip
        problems.append(Problem(
            "closed",
            f"บุคลากรในสถานศึกษาที่ปิดแล้ว {left} คน: สถานศึกษาปิด/ยุบรวมเมื่อ {day} "
            "จึงไม่นับในอัตรากำลัง ณ วันนับข้อมูล ให้ย้ายไปสถานศึกษาที่ยังเปิดอยู่",
            url, "ย้ายบุคลากร" if may_move else "ดูสถานศึกษา", f"{name} ({code})",
        ))  # fmt: skip


def office_census(office: Office, academic_year: int | None = None) -> tuple[dt.date, int]:
    """The census day of the year (the current one by default) and the retirement age."""
    census = census_date_for(office, academic_year or default_year(office))
    return census, rules_for(office).retirement_age


def recount_office(office: Office, census: dt.date, retirement_age: int) -> summary.Counts:
    """Every school's counts of an office, from the people rows (no stored counts read)."""
    return _counts(*staff_rows(office.pk, census, retirement_age))


# A count of at most this many schools runs its queries compiled per school (a write's one or
# two schools); more, one query over all of them.
_COMPILED_SCHOOLS = 4


def staff_rows(office_id: int, census: dt.date, retirement_age: int,
               schools: set[int | None] | None = None, *,
               using: str | None = None) -> tuple[list[tuple], list[tuple]]:  # fmt: skip
    """The rows of _grouped_staff and _vacancies over the office's people who were at one of
    `schools` on the census day (school_on; None in it: the office's own staff; `schools`
    None: every person).

    The queries are compiled once per census day and retirement age and run with each
    office's (and school's) id (krupd.lib.compiled_queries): they are built by the same code
    as a director's counts, only their SQL is reused."""
    using = using or compiled_queries.reading(Person)

    def rows(query, school: int | None | str = "all"):
        def build(office_id: int, school_id: int | None = None) -> QuerySet:
            of_office, in_office = office_on(office_id, census)
            people = Person.objects.filter(of_office)
            if school != "all":
                found, placed = at_schools_on(census, {school_id})
                people = people.filter(found).annotate(census_school=school_on(census))
                people = people.filter(placed)
            else:
                people = people.annotate(census_school=school_on(census))
            people = people.filter(in_office)
            return query(people, in_service_on(census, retirement_age=retirement_age), census)

        kind = school if school in ("all", None) else "school"
        key = (query.__name__, census, retirement_age, kind)
        ids = office_id if school in ("all", None) else (office_id, school)
        return compiled_queries.rows_for(key, build, ids, using=using)

    if schools is None:
        return rows(_grouped_staff), rows(_vacancies)
    if len(schools) <= _COMPILED_SCHOOLS:
        ordered = sorted(schools, key=lambda s: s or 0)
        grouped = [row for s in ordered for row in rows(_grouped_staff, s)]
        vacancies = [row for s in ordered if s is not None for row in rows(_vacancies, s)]
        return grouped, vacancies
    found, placed = at_schools_on(census, schools)
    of_office, in_office = office_on(office_id, census)
    people = Person.objects.using(using).filter(found, of_office)
    people = people.annotate(census_school=school_on(census)).filter(placed, in_office)
    in_service = in_service_on(census, retirement_age=retirement_age)
    return (list(_grouped_staff(people, in_service, census)),
            list(_vacancies(people, in_service, census)))  # fmt: skip


def census_schools_of(office_id: int, census: dt.date, schools: set[int | None],
                      people: list[int] | None = None) -> set[int | None]:  # fmt: skip
    """The schools where the office's people now at `schools` (or these `people`, by id) were
    on the census day, when a change of workplace since moved them (school_on): a write to
    them recounts those schools too, whose counts hold them (staffing.summary)."""
    moved = Person.objects.filter(
        office_id=office_id, pk__in=moves_after(census).values("person_id")
    )
    if people is not None:
        moved = moved.filter(pk__in=people)
    else:
        ids = [s for s in schools if s is not None]
        now = (
            Q(school_id__in=ids) | Q(school__isnull=True)
            if None in schools
            else Q(school_id__in=ids)
        )
        moved = moved.filter(now)
    return set(
        moved.annotate(census_school=school_on(census))
        .values_list("census_school", flat=True).distinct().order_by()
    )  # fmt: skip


def _staff_counts(user, scope: _Scope, census: dt.date,
                  retirement_age: int) -> dict[int, summary.SchoolStaff]:  # fmt: skip
    """Staff and vacancies of the user's schools on the census day. An office-wide user's are
    the office's stored counts (staffing.summary), kept by every write of its people."""
    if counts_whole_office(user):
        # A few of the office's schools (one school's page): only their stored rows, not the
        # whole office's folded (a tenth of a second for an office of 100,000 people).
        schools = None if scope.whole_office else scope.schools.values_list("id", flat=True)
        return summary.office_counts(user.office, census, retirement_age, schools=schools)
    in_service = in_service_on(census, retirement_age=retirement_age)
    school_ids = scope.schools.values("id")
    people = (
        _counted_people(user, census).annotate(census_school=school_on(census))
        .filter(Q(census_school__in=school_ids) | Q(secondment_school_id__in=school_ids))
    )  # fmt: skip
    vacancy_people = people.filter(census_school__in=school_ids)
    return _counts(
        _grouped_staff(people, in_service, census), _vacancies(vacancy_people, in_service, census)
    )


def _counts(grouped, vacancies) -> dict[int, summary.SchoolStaff]:
    """Per-school counts from the rows of _grouped_staff and _vacancies."""
    counts = summary.tally(grouped)
    for school_id, n in vacancies:
        counts.setdefault(school_id, summary.SchoolStaff()).vacant = n
    return counts


def secondment_ended_by(census: dt.date) -> Q:
    """A secondment whose last day (ช่วยราชการถึงวันที่) came before the census day: on that
    day its person worked at the school holding their position again."""
    return ~Q(secondment=Secondment.NONE) & Q(secondment_until__lt=census)


def _grouped_staff(people: QuerySet[Person], in_service: Q, census: dt.date) -> QuerySet:
    """`people` in service on the census day by school, secondment on that day, employment,
    type and the learning area of their major (grouping by the major itself returned a row for
    nearly every second person nationally, for Python to fold), with how many (summary.tally's
    rows). A secondment that had ended by the census day is none: seconded out, the person is
    counted at their own school; seconded in, at the school they came from, which holds their
    position (secondment "" with that school beside it, summary.tally). The school is the one
    they were at on the census day (school_on), not the one they moved to since."""
    ended = secondment_ended_by(census)
    return (
        _with_census_school(people, census).filter(in_service)
        .filter(_staff_kinds(count_contract=True))
        .annotate(
            on_census=Case(When(ended, then=Value("")), default=F("secondment"),
                           output_field=CharField()),
            other_on_census=Case(
                When(~Q(secondment=Secondment.NONE) & ~(Q(secondment=Secondment.OUT) & ended),
                     then=F("secondment_school_id")),
                default=None, output_field=IntegerField(),
            ),
        )
        .values_list("census_school", "on_census", "other_on_census", "employment",
                     "personnel_type", "major__learning_area_id")
        .annotate(n=Count("id"))
        .order_by()
    )  # fmt: skip


def _with_census_school(people: QuerySet[Person], census: dt.date) -> QuerySet[Person]:
    """`people` annotated with the school they were at on the census day (school_on), unless
    their filter already did."""
    if "census_school" in people.query.annotations:
        return people
    return people.annotate(census_school=school_on(census))


def _vacancies(people: QuerySet[Person], in_service: Q, census: dt.date) -> QuerySet:
    """Vacant positions, as far as the registry shows them: position numbers of civil
    servants who had left by the census day that nobody in service then holds (a number
    once per school). A leaver without a number cannot be told: not counted, and named on
    the problems page (_unnumbered_leavers)."""
    # Held that day by someone of the office then: not by one who joined it since (office_on).
    joined = PositionChange.objects.filter(
        person_id=OuterRef("pk"), field=OFFICE_HISTORY_LABEL, effective_date__gt=census
    )
    held = (
        Person.objects.filter(
            office_id=OuterRef("office_id"), position_number=OuterRef("position_number")
        )
        .filter(in_service)
        .exclude(Exists(joined))
    )
    return (
        _with_census_school(people, census)
        .filter(census_school__isnull=False, employment=Employment.CIVIL_SERVANT)
        .filter(personnel_type__in=STAFF_TYPES)
        .exclude(position_number="")
        .exclude(in_service)
        .exclude(Exists(held))
        .values_list("census_school")
        .annotate(n=Count("position_number", distinct=True))
        .order_by()
    )


def _fill_counts(res: SchoolResult, staff: summary.SchoolStaff | None, count_contract: bool,
                 area_codes: dict[str, str]) -> None:  # fmt: skip
    """A school's row from its counts: actual = civil servants working here, plus contract
    staff when the rule set counts them."""
    res.contract_counted = count_contract
    if staff is None:
        return
    res.register, res.seconded_out, res.seconded_in = (
        staff.register,
        staff.seconded_out,
        staff.seconded_in,
    )
    res.vacant, res.contract_staff = staff.vacant, staff.contract_staff
    for tally in (staff.civil, staff.contract) if count_contract else (staff.civil,):
        if tally.admin:
            res.actual_admin += tally.admin
            res.area_actual[ADMIN_AREA] = res.area_actual.get(ADMIN_AREA, 0) + tally.admin
        for area, n in tally.teachers_by_area.items():
            res.actual_teachers += n
            code = area_codes.get(area, UNMAPPED)
            if code == UNMAPPED:
                res.unmapped_teachers += n
            res.area_actual[code] = res.area_actual.get(code, 0) + n


def school_people(user, school: School) -> list[Person]:
    """The active people working at a school (its own, less none: those seconded out are
    listed too, and those seconded to it), as its staffing page lists them."""
    here = Q(school=school) | Q(secondment=Secondment.OUT, secondment_school=school)
    # The school's people by its indexes first, then read in order by id: with the office's
    # condition and the order in one query, SQLite (no statistics) went through all the
    # people of a 100,000-person office in that order for one school's 300.
    ids = list(
        people_visible_to(user)
        .filter(pk__in=Person.objects.filter(here).values("pk"))
        .filter(status=PersonStatus.ACTIVE)
        .values_list("pk", flat=True)
        .order_by()
    )
    return list(
        Person.objects.filter(pk__in=ids)
        .select_related("major__learning_area", "academic_standing", "school", "secondment_school")
        .prefetch_related("areas_taught")
        .order_by("personnel_type", "first_name")
    )


def _unmapped_teachers(census: dt.date, retirement_age: int, count_contract: bool, *,
                       few_schools: bool = False):  # fmt: skip
    """Teachers counted on the census day whose major has no learning area (up to 500), as
    plain rows: a large office lists up to 500 of them. `few_schools`: the schools are a
    few of the office's (one school's page)."""

    def build(user, schools: QuerySet[School]) -> QuerySet:
        people = people_visible_to(user)
        if few_schools:
            # Found through the indexes of a person's school and secondment school: with
            # only the office's condition to go by, SQLite (which keeps no statistics here)
            # read all of a 100,000-person office's people for one school.
            ids = schools.values("id")
            moved = moves_after(census).filter(old_school_id__in=ids).values("person_id")
            people = people.filter(
                pk__in=Person.objects.filter(
                    Q(school_id__in=ids) | Q(secondment_school_id__in=ids) | Q(pk__in=moved)
                ).values("pk")
            )
        return (
            people.annotate(census_school=school_on(census))
            .filter(in_service_on(census, retirement_age=retirement_age),
                    works_in(schools.values("id"), census), _staff_kinds(count_contract))
            .exclude(personnel_type__in=ADMINISTRATOR_TYPES)
            .filter(Q(major__isnull=True) | Q(major__learning_area__isnull=True))
            .order_by("school_id", "first_name")
            .values_list("pk", "title", "first_name", "last_name", "census_school", "secondment",
                         "secondment_school_id", "major_id", "major__name")[:500]
        )  # fmt: skip

    return build


def _past_retirement(census: dt.date, retirement_age: int, count_contract: bool):
    """Staff still "ปฏิบัติงาน" in the register whose retirement day came by the census day
    (in_service_on leaves them out of the count), up to 500, as plain rows."""

    def build(user, schools: QuerySet[School]) -> QuerySet:
        born_before = first_birth_date_retiring_after(census, retirement_age)
        return (
            people_visible_to(user)
            .filter(status=PersonStatus.ACTIVE, birth_date__lt=born_before,
                    school_id__in=schools.values("id"))
            .filter(_staff_kinds(count_contract))
            .order_by("school_id", "first_name")
            .values_list("pk", "title", "first_name", "last_name", "school_id",
                         "birth_date")[:500]
        )  # fmt: skip

    return build


def _unplaced(census: dt.date):
    """People counted at their school now though they moved after the census day, because the
    change does not tell which school they left (unplaced_moves), up to 500, as plain rows."""

    def build(user, schools: QuerySet[School]) -> QuerySet:
        people = people_counted_for(user).filter(school_id__in=schools.values("id"))
        return (
            unplaced_moves(census).filter(person__in=people)
            .order_by("person__school_id", "person__first_name", "pk")
            .values_list("person_id", "person__title", "person__first_name",
                         "person__last_name", "person__school_id", "old_value",
                         "effective_date")[:500]
        )  # fmt: skip

    return build


def _unnumbered_leavers(census: dt.date, retirement_age: int):
    """Civil servants on administrator/teacher lines who had left by the census day without
    a position number (เลขที่ตำแหน่ง), up to 500, as plain rows: whether their position stood
    empty cannot be told, so _vacancies leaves them out and the problems page names them."""

    def build(user, schools: QuerySet[School]) -> QuerySet:
        return (
            people_counted_for(user)
            .filter(school_id__in=schools.values("id"), status__in=LEFT_STATUSES,
                    employment=Employment.CIVIL_SERVANT, personnel_type__in=STAFF_TYPES,
                    position_number="")
            .exclude(in_service_on(census, retirement_age=retirement_age))
            .order_by("school_id", "first_name", "pk")
            .values_list("pk", "title", "first_name", "last_name", "school_id", "status")[:500]
        )  # fmt: skip

    return build


def _person_problems(scope: _Scope, results, problems, may_list_people, may_edit_people,
                     census, retirement_age, count_contract):  # fmt: skip
    """Teachers without a major mapped to a learning area, and staff left out of the count
    because they are past retirement though still active in the register: named with a link
    if the user may see people, else counted per school."""
    if may_list_people:
        edit = reverse("registry:person_edit" if may_edit_people else "registry:person_detail",
                       args=[987654321])  # fmt: skip
        for pk, title, first, last, school_id, born in scope.rows(
            ("past retirement", census, retirement_age, count_contract),
            _past_retirement(census, retirement_age, count_contract),
        ):
            res = results.get(school_id)
            retired = thai_dates.retirement_date(born, retirement_age=retirement_age)
            problems.append(Problem(
                "status",
                f"{full_name_of(title, first, last)}: เกษียณอายุราชการเมื่อ "
                f"{thai_dates.format_thai_date(retired, style='long')} แต่ยังมีสถานะปฏิบัติงาน "
                f"(ไม่นับในอัตรากำลัง ณ วันนับข้อมูล)",
                edit.replace("987654321", str(pk)), "แก้ไขสถานะ",
                f"{res.name} ({res.obec_code})" if res else "",
            ))  # fmt: skip
    for pk, title, first, last, school_id, old, moved in scope.rows(
        ("unplaced moves", census), _unplaced(census)
    ):
        res = results.get(school_id)
        who = f"{full_name_of(title, first, last)}: " if may_list_people else "บุคลากร 1 คน "
        problems.append(Problem(
            "workplace",
            f"{who}ย้ายสถานศึกษาเมื่อ {thai_dates.format_thai_date(moved, style='long')} "
            f"หลังวันนับข้อมูล แต่ระบุไม่ได้ว่าสถานศึกษาเดิม “{old}” คือสถานศึกษาใด "
            f"(นับไว้ที่สถานศึกษาปัจจุบัน)",
            reverse("registry:person_detail", args=[pk]) if may_list_people else "",
            "ดูประวัติ" if may_list_people else "",
            f"{res.name} ({res.obec_code})" if res else "",
        ))  # fmt: skip
    for pk, title, first, last, school_id, status in scope.rows(
        ("unnumbered leavers", census, retirement_age), _unnumbered_leavers(census, retirement_age)
    ):
        res = results.get(school_id)
        who = f"{full_name_of(title, first, last)}: " if may_list_people else "บุคลากร 1 คน "
        problems.append(Problem(
            "vacancy",
            f"{who}{PersonStatus(status).label}แล้วโดยไม่มีเลขที่ตำแหน่ง จึงบอกไม่ได้ว่าตำแหน่งว่างหรือไม่ "
            f"(ไม่นับในอัตราว่าง กรอกเลขที่ตำแหน่งเดิมเพื่อให้นับได้)",
            reverse("registry:person_edit" if may_edit_people else "registry:person_detail",
                    args=[pk]) if may_list_people else "",
            "กรอกเลขที่ตำแหน่ง" if may_edit_people else "ดูข้อมูล" if may_list_people else "",
            f"{res.name} ({res.obec_code})" if res else "",
        ))  # fmt: skip
    if may_list_people:
        named = scope.rows(
            ("unmapped teachers", census, retirement_age, count_contract),
            _unmapped_teachers(census, retirement_age, count_contract,
                               few_schools=not scope.whole_office),
        )  # fmt: skip
        # One URL pattern for up to 500 rows: resolved once, the id put in per person.
        marker = 987654321
        pattern = reverse(
            "registry:person_edit" if may_edit_people else "registry:person_detail", args=[marker]
        )
        for pk, title, first, last, school_id, secondment, seconded_to, major_id, major in named:
            res = results.get(seconded_to if secondment == Secondment.OUT else school_id)
            name = full_name_of(title, first, last)
            what = "ไม่มีวิชาเอก" if major_id is None else f"วิชาเอก “{major}” ไม่ได้จับคู่กลุ่มสาระ"
            url = pattern.replace(str(marker), str(pk))
            problems.append(
                Problem("major", f"{name}: {what} (นับในอัตราครู แต่ไม่เข้ากลุ่มสาระใด)",
                        url, "แก้ไขวิชาเอก", f"{res.name} ({res.obec_code})" if res else "")
            )  # fmt: skip
    else:
        for res in results.values():
            if res.unmapped_teachers:
                problems.append(
                    Problem("major", f"ครู {res.unmapped_teachers} คนไม่มีวิชาเอกที่จับคู่กลุ่มสาระ",
                            school=f"{res.name} ({res.obec_code})")
                )  # fmt: skip


def summarise(schools: list[SchoolResult], *, contract_counted: bool = False) -> Summary:
    """The SAR's summary, from the per-school rows (so the two can never disagree)."""
    by_level: dict[str, int] = {}
    for lv in SchoolLevel.values:
        n = sum(1 for s in schools if s.level == lv)
        if n:
            by_level[lv] = n
    # Each school's difference once (a large office's page used to recompute it a dozen times
    # per school through the properties).
    known = [(s, s.diff) for s in schools if s.computable]
    required_total = sum(s.required for s, _ in known)
    diff = sum(d for _, d in known)
    short = [d for _, d in known if d < 0]
    surplus = [d for _, d in known if d > 0]
    return Summary(
        schools_by_level=by_level,
        schools_total=len(schools),
        actual_admin=sum(s.actual_admin for s in schools),
        actual_teachers=sum(s.actual_teachers for s in schools),
        actual_total=sum(s.actual for s in schools),
        register=sum(s.register for s in schools),
        seconded_out=sum(s.seconded_out for s in schools),
        seconded_in=sum(s.seconded_in for s in schools),
        contract_staff=sum(s.contract_staff for s in schools),
        contract_counted=contract_counted,
        vacant=sum(s.vacant for s in schools),
        required_total=required_total,
        diff=diff,
        pct=_percent(diff, required_total),
        short_schools=len(short),
        short_positions=-sum(short),
        surplus_schools=len(surplus),
        surplus_positions=sum(surplus),
        balanced_schools=sum(1 for _, d in known if d == 0),
        unknown_schools=len(schools) - len(known),
        pupils_missing_schools=sum(1 for s in schools if s.pupils_missing),
        pupils_missing_actual=sum(s.actual for s in schools if s.pupils_missing),
        computed_actual=sum(s.actual for s, _ in known),
    )


def _area_table(schools, areas, levels, pick) -> AreaTable:
    counts: dict[tuple, int] = defaultdict(int)
    for s in schools:
        for code, n in pick(s).items():
            counts[(code, s.level)] += n
    ordered = [a for a in areas if a.code == ADMIN_AREA] + [
        a for a in areas if a.code != ADMIN_AREA
    ]
    rows = []
    for area in ordered:
        per = [counts[(area.code, lv)] for lv in levels]
        if area.is_core or area.code == ADMIN_AREA or any(per):
            rows.append((area.code, area.short_name, per, sum(per)))
    for code, label in ((UNMAPPED, "ไม่ระบุวิชาเอก/ไม่จับคู่"), (None, "ไม่ระบุกลุ่มสาระ")):
        per = [counts[(code, lv)] for lv in levels]
        if any(per):
            rows.append((code or "", label, per, sum(per)))
    totals = [sum(r[2][i] for r in rows) for i in range(len(levels))]
    return AreaTable(levels=levels, rows=rows, totals=totals, grand_total=sum(totals))


# ---------------------------------------------------------------------------------------------
# Out-of-field teaching


def _out_of_field_exists():
    Through = Person.areas_taught.through
    return Exists(
        Through.objects.filter(person_id=OuterRef("pk")).exclude(
            learningarea_id=OuterRef("major__learning_area_id")
        )
    )


@dataclass
class OutOfField:
    by_school: list[dict]  # school id, name, teachers, out_of_field, pct
    by_area: list[tuple[str, str, int]]  # area code, label, people teaching it out of field
    by_school_area: dict  # (school id, area code) -> n
    total_teachers: int
    total_out: int
    not_judged: int  # teachers without a mapped major or without areas taught
    # The names list's counts (out_of_field_people: every school of the people the user may
    # see, None for those without one), which locate a page of names (OutOfFieldPeople).
    listed_by_school: dict = field(default_factory=dict)  # school id or None -> n
    listed_by_school_area: dict = field(default_factory=dict)  # (school id or None, code) -> n
    closed_on: dict = field(default_factory=dict)  # school id -> its closing day, if it has one

    def school_labels(self) -> dict[int, str]:
        """Each school's name as lists print it: with its OBEC code where a namesake is
        listed too (registry.labels)."""
        return school_labels.distinct_labels(
            (s["id"], s["name"], s["obec_code"]) for s in self.by_school
        )

    def school_filter_labels(self, today: dt.date) -> dict[int, str]:
        """The labels of the page's schools list, which filters the names by school: as
        every school filter labels them (registry.labels.school_filter_labels), so a school
        closed (or merged into another) whose teachers are still placed there says so."""
        rows = [(s["id"], s["name"], s["obec_code"], self.closed_on.get(s["id"]))
                for s in self.by_school]  # fmt: skip
        return school_labels.school_filter_labels(rows, today)


def _teachers_of(user, schools) -> QuerySet[Person]:
    return _active_staff(user).filter(
        school_id__in=schools.values("id"), personnel_type__in=TEACHING_TYPES
    )


def _out_of_field_by_school_area(teachers: QuerySet[Person]) -> dict[tuple[int, str], int]:
    """{(school id, area code): teachers who teach that area outside their major's area}."""
    pairs = (
        Person.areas_taught.through.objects.filter(
            person__in=teachers, person__major__learning_area__isnull=False
        )
        .exclude(learningarea_id=F("person__major__learning_area_id"))
        .values("person__school_id", "learningarea__code")
        .annotate(n=Count("person_id", distinct=True))
    )
    return {(r["person__school_id"], r["learningarea__code"]): r["n"] for r in pairs}


# The area taught of a person teaching several (an area id never equals it).
SEVERAL_AREAS = "several"


def _out_of_field(major_area: int | None, area: int | str | None) -> bool:
    """The rule: a teacher is out of field when their major has a learning area and they
    teach another one (SEVERAL_AREAS, several areas taught, always is)."""
    return major_area is not None and area is not None and area != major_area


def out_of_field(user, *, schools: QuerySet[School] | None = None) -> OutOfField:
    """Teachers teaching a learning area other than their major's area: counts by school/area.

    One pass over the teachers and the areas they teach (a row per area taught) gives every
    figure: a teacher is out of field when their major has a learning area and they teach
    another one. Three passes (by school and area, the page of names and its count) took over
    a second for an office of 100,000 people. The same pass counts the names list of those
    who may see people (its population: out_of_field_people)."""
    if schools is None:
        schools = schools_visible_to(user)
    may_list = can(user, VIEW_PEOPLE)
    school_rows = list(
        schools.order_by("obec_code").values("id", "obec_code", "name", "level", "closed_on")
    )
    closed_on = {s["id"]: day for s in school_rows if (day := s.pop("closed_on")) is not None}
    counted_schools = {s["id"] for s in school_rows}
    teachers = people_counted_for(user).filter(
        status=PersonStatus.ACTIVE, personnel_type__in=TEACHING_TYPES
    )
    if not may_list:
        teachers = teachers.filter(school_id__in=schools.values("id"))
    rows = compiled_queries.plain_rows(
        teachers.values_list(
            "id", "school_id", "major__learning_area_id", "areas_taught"
        ).order_by()
    )
    # Counted in C (Counter, itemgetter): a loop of Python over every row cost more than the
    # query. A row is a pair (person, area taught), or a person teaching none (area None).
    pairs = Counter(map(itemgetter(1, 2, 3), rows))  # (school, major's area, area taught)
    rows_per_person = Counter(map(itemgetter(0), rows))
    # People: those with one row as their pair; those teaching several areas (a few) once each.
    people = pairs.copy()
    several = {person for person, n in rows_per_person.items() if n > 1}
    if several:
        teaching_several = {}
        for person, school_id, major_area, area in rows:
            if person in several:
                people[(school_id, major_area, area)] -= 1
                teaching_several[person] = (school_id, major_area)
        people.update((*key, SEVERAL_AREAS) for key in teaching_several.values())
    code_of = {a.id: a.code for a in learning_areas()}
    by_school_area: dict[tuple[int, str], int] = defaultdict(int)
    listed_area: dict[tuple[int | None, str], int] = defaultdict(int)
    for (school_id, major_area, area), n in pairs.items():
        if _out_of_field(major_area, area):
            listed_area[(school_id, code_of[area])] += n
            if school_id in counted_schools:
                by_school_area[(school_id, code_of[area])] += n
    per_school: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # teachers, out, not judged
    listed: dict[int | None, int] = defaultdict(int)
    for (school_id, major_area, area), n in people.items():
        out = _out_of_field(major_area, area)
        if out:
            listed[school_id] += n
        if school_id in counted_schools and n:
            counts = per_school[school_id]
            counts[0] += n
            if out:
                counts[1] += n
            if major_area is None or area is None:
                counts[2] += n
    rows = []
    for s in school_rows:
        n, out, _ = per_school.get(s["id"], (0, 0, 0))
        rows.append({**s, "teachers": n, "out": out,
                     "pct": _percent(out, n, 1)})  # fmt: skip
    area_totals: dict[str, int] = defaultdict(int)
    for (_sid, code), n in by_school_area.items():
        area_totals[code] += n
    by_area = [
        (a.code, a.short_name, area_totals[a.code])
        for a in learning_areas()
        if area_totals.get(a.code)
    ]
    return OutOfField(
        by_school=rows,
        by_area=by_area,
        by_school_area=dict(by_school_area),
        total_teachers=sum(r["teachers"] for r in rows),
        total_out=sum(r["out"] for r in rows),
        not_judged=sum(c[2] for c in per_school.values()),
        listed_by_school=dict(listed) if may_list else {},
        listed_by_school_area=dict(listed_area) if may_list else {},
        closed_on=closed_on,
    )


@dataclass
class OutOfFieldTotals:
    total_teachers: int
    total_out: int
    by_area: list[tuple[str, str, int]]  # as OutOfField.by_area


def out_of_field_totals(user) -> OutOfFieldTotals:
    """out_of_field(user)'s total_teachers, total_out and by_area alone, by the same rule (a
    teacher is out of field when their major has a learning area and they teach another
    one), for a document that states only these (the SAR's item 1). Reads only the teachers
    of the user's schools and counts them in sets, without the per-school table and the
    names list's counts: 0.12 s instead of 0.19 s for a 100,000-person office's 92,000."""
    teachers = _teachers_of(user, schools_visible_to(user))
    rows = compiled_queries.plain_rows(
        teachers.values_list("id", "major__learning_area_id", "areas_taught").order_by()
    )  # a row per (teacher, area taught), or a teacher teaching none (area None)
    out = [(person, area) for person, major_area, area in rows if _out_of_field(major_area, area)]
    per_area = Counter(map(itemgetter(1), out))
    return OutOfFieldTotals(
        total_teachers=len(set(map(itemgetter(0), rows))),
        total_out=len(set(map(itemgetter(0), out))),
        by_area=[
            (a.code, a.short_name, per_area[a.id]) for a in learning_areas() if per_area[a.id]
        ],
    )


class OutOfFieldPeople:
    """The names behind the counts, in the list's order (school code, first name), read a
    page at a time (a Paginator's object list): some 10,000 in an office of 100,000 people.

    A page reads only the people of the schools it spans, located from the counts of
    out_of_field (the same pass), not by finding and sorting every one of them in the
    database; the list's count is those counts' sum."""

    def __init__(self, people: QuerySet[Person], groups: list[tuple[int | None, int]]):
        self.people = people  # out_of_field_people, with its filters
        self.groups = groups  # (school id or None, people), in the list's order
        self.total = sum(n for _school, n in groups)

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, page: slice) -> list[Person]:
        start, stop = max(page.start or 0, 0), min(page.stop, self.total)
        if start >= stop:
            return []
        spanned, skip, seen = [], 0, 0
        for school_id, n in self.groups:
            if seen + n > start and seen < stop:
                if not spanned:
                    skip = start - seen
                spanned.append(school_id)
            seen += n
        ids = [s for s in spanned if s is not None]
        where = Q(school_id__in=ids)
        if None in spanned:
            where |= Q(school__isnull=True)
        return list(self.people.filter(where)[skip : skip + stop - start])


def out_of_field_people(user, *, school: int | str = "", area: str = "") -> QuerySet[Person]:
    """The people behind the counts; only for users who may see people."""
    people = (
        people_visible_to(user)
        .filter(status=PersonStatus.ACTIVE, personnel_type__in=TEACHING_TYPES)
        .filter(major__learning_area__isnull=False)
        .filter(_out_of_field_exists())
    )
    if school:
        people = people.filter(school_id=school)
    if area:
        # The join to the areas taught can repeat a person: only then is DISTINCT needed
        # (over 100,000 people it doubled the cost of the page and of its count).
        people = (
            people.filter(areas_taught__code=area)
            .exclude(major__learning_area__code=area)
            .distinct()
        )
    # Schools in code point order, as OutOfFieldPeople locates them; those without a school
    # last on every database; the id settles equal names.
    code = code_point_order(F("school__obec_code"), people.db).asc(nulls_last=True)
    return (
        people.select_related("school", "major__learning_area")
        .prefetch_related("areas_taught")
        .order_by(code, "first_name", "id")
    )


def out_of_field_page_list(user, oof: OutOfField, *, school: int | str = "",
                           area: str = "") -> OutOfFieldPeople:  # fmt: skip
    """out_of_field_people as a list a Paginator reads a page at a time, counted by `oof`
    (out_of_field of the same user)."""
    if area:
        per_school: dict = defaultdict(int)
        for (school_id, code), n in oof.listed_by_school_area.items():
            if code == area:
                per_school[school_id] += n
    else:
        per_school = oof.listed_by_school
    if school:
        per_school = {int(school): per_school.get(int(school), 0)}
    codes = {s["id"]: s["obec_code"] for s in oof.by_school}
    if missing := [s for s in per_school if s is not None and s not in codes]:
        # A person of the user's whose school is not among the counted ones (rare).
        codes.update(School.objects.filter(id__in=missing).values_list("id", "obec_code"))
    groups = sorted(
        ((s, n) for s, n in per_school.items() if n),
        key=lambda g: (g[0] is None, codes.get(g[0], "")),
    )
    return OutOfFieldPeople(out_of_field_people(user, school=school, area=area), groups)


def _own_demand(res: SchoolResult, out_by_area: dict[str, int]) -> dict:
    """A short school's shortage by what it needs, from its own data: the administrators it
    lacks against the criterion, then the learning areas it now covers with out-of-field
    teachers (a teacher of that major is what it lacks), the rest of unknown area (None)."""
    shortage = -res.diff
    gaps = {ADMIN_AREA: max(0, (res.required_admin or 0) - res.actual_admin), **out_by_area}
    if sum(gaps.values()) < shortage:
        gaps[None] = shortage - sum(gaps.values())
    return {k: v for k, v in rl.apportion(shortage, gaps).items() if v}


def _demand_from_own_data(user, results: dict[int, SchoolResult]) -> None:
    """Each short school's need by learning area, from this office's register (majors vs.
    areas taught), never from another office's proportions: the one code path behind the
    page, the API, the XLSX/DOCX and the SAR's "ความต้องการครู" table."""
    short = [r for r in results.values() if r.status == SHORT]
    if not short:
        return
    # Only the (school, area) counts are needed here, not out_of_field's per-school table.
    teachers = _teachers_of(user, School.objects.filter(id__in=[r.id for r in short]))
    per_school: dict[int, dict[str, int]] = defaultdict(dict)
    for (school_id, code), n in _out_of_field_by_school_area(teachers).items():
        per_school[school_id][code] = n
    for r in short:
        r.area_demand = _own_demand(r, per_school.get(r.id, {}))


# ---------------------------------------------------------------------------------------------
# Retirement forecast


@dataclass
class Retirements:
    first_fy: int
    years: list[int]
    short_term_years: list[int]  # < 3 years ahead
    long_term_years: list[int]
    by_year: list[dict]  # fy, retiring, cumulative, projected short positions, schools short
    by_area: list[tuple[str, str, list[int], int]]
    by_school: list[dict]
    missing_birth_date: int
    retirement_age: int
    people: RetiringPeople | list  # empty unless the user may see people


def born_retiring_in(fy: int, retirement_age: int) -> tuple[dt.date, dt.date]:
    """First and last birth date of those who retire at the end of fiscal year `fy`.

    Retiring in FY F means completing the age between 1 Oct before F and 30 Sep of F
    (thai_dates.retirement_date), the day before the birthday's anniversary, so being born
    between 2 Oct and 1 Oct `retirement_age` years earlier (born 1 Oct 1966: FY2569, born
    2 Oct 1966: FY2570); a 29 February birthday completes it on 28 Feb, inside the window."""
    day = dt.timedelta(days=1)
    first, last = thai_dates.fiscal_year_start(fy) + day, thai_dates.fiscal_year_end(fy) + day
    return (
        first.replace(year=first.year - retirement_age),
        last.replace(year=last.year - retirement_age),
    )


NO_BIRTH_DATE = 0  # the retirement year of those whose birth date is not known


def _retirement_fy(years: list[int], retirement_age: int) -> Case:
    # Date ranges, not arithmetic on the birth date: plain comparisons each database evaluates
    # natively (Django's year extraction runs Python per row on SQLite).
    return Case(
        When(birth_date__isnull=True, then=Value(NO_BIRTH_DATE)),
        *[When(birth_date__range=born_retiring_in(fy, retirement_age), then=Value(fy))
          for fy in years],
        output_field=IntegerField(),
    )  # fmt: skip


def _area_of(personnel_type: str, code: str | None) -> str:
    return ADMIN_AREA if personnel_type in ADMINISTRATOR_TYPES else code or UNMAPPED


class RetiringPeople:
    """The names of those retiring, sorted by fiscal year, school (name, then OBEC code) and
    name, read a page at a time (a Paginator's object list): a 100,000-person office has some
    20,000 of them.

    A page reads only the people of the (year, school) groups it spans, located from
    the counts already grouped, not by sorting every one of them in the database."""

    def __init__(
        self,
        retiring: QuerySet,
        groups: list[tuple[int, str, list[int], int]],
        retirement_age: int,
        school_labels: dict[int, str] | None = None,
    ):
        self.retiring, self.retirement_age = retiring, retirement_age
        # Each school's name as the analysis prints it (SchoolResult.label), so that the
        # rows of two schools of one name say which is which.
        self.school_labels = school_labels or {}
        self.groups = groups  # (fy, school name, school ids, people), in the list's order
        self.total = sum(n for *_key, n in groups)

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, page: slice) -> list[dict]:
        start, stop = max(page.start or 0, 0), min(page.stop, self.total)
        if start >= stop:
            return []
        spanned, schools, skip, seen = [], set(), 0, 0
        for fy, _name, school_ids, n in self.groups:
            if seen + n > start and seen < stop:
                if not spanned:
                    skip = start - seen
                # The birth dates, not the computed year: an index finds those schools' rows.
                born = born_retiring_in(fy, self.retirement_age)
                spanned.append(Q(school_id__in=school_ids, birth_date__range=born))
                schools.update(school_ids)
            seen += n
        db = self.retiring.db
        name = Concat("title", "first_name", Value(" "), "last_name", output_field=CharField())
        rows = (
            self.retiring.filter(school_id__in=schools)
            .filter(reduce(operator.or_, spanned))
            .values("id", "title", "first_name", "last_name", "personnel_type", "fy",
                    "school_id", "school__name", code=F("major__learning_area__code"))
            .order_by("fy", code_point_order(F("school__name"), db),
                      code_point_order(F("school__obec_code"), db), code_point_order(name, db),
                      "id")
        )[skip : skip + stop - start]  # fmt: skip
        return [
            {"id": r["id"], "name": f"{r['title']}{r['first_name']} {r['last_name']}",
             "school": self.school_labels.get(r["school_id"], r["school__name"]),
             "area": _area_of(r["personnel_type"], r["code"]),
             "fy": r["fy"], "type": PersonnelType(r["personnel_type"]).label}
            for r in rows
        ]  # fmt: skip


def code_point_order(expression, db: str):
    # Python's order of strings (code points), which SQLite's default collation already is;
    # PostgreSQL's default follows the server's locale.
    return Collate(expression, "C") if connections[db].vendor == "postgresql" else expression


def _retiring_staff(user, schools: QuerySet[School]) -> QuerySet[Person]:
    """The people the forecast counts: civil servants in service at one of `schools`."""
    return _active_staff(user).filter(
        school_id__in=schools.values("id"), employment=Employment.CIVIL_SERVANT
    )


def _retiring_per_year(years: list[int], retirement_age: int, *fields: str, each_year: bool):
    """A _Scope.rows query: those retiring in each of `years`, counted by `fields`, as rows of
    (*fields, fiscal year, people).

    `each_year`: a grouping of its own per year (UNION ALL), each over its year's birth
    dates, for a query compiled once (an office-wide user's): each part reads its window
    from the office's birth-date index (person_office_birth) and sorts a tenth of the rows
    into its groups. For a 100,000-person office SQLite took 14 ms where one grouping by a
    fiscal year computed per person took 27. Else that one grouping: a school's query is
    built at each request, and building ten parts cost more than its few people's count."""

    def build(user, schools: QuerySet[School]) -> QuerySet:
        staff = _retiring_staff(user, schools)
        if not each_year:
            first = born_retiring_in(years[0], retirement_age)[0]
            last = born_retiring_in(years[-1], retirement_age)[1]
            return (
                staff.filter(birth_date__range=(first, last))
                .annotate(fy=_retirement_fy(years, retirement_age))
                .values_list(*fields, "fy")
                .annotate(n=Count("id"))
                .order_by()
            )
        per_year = [
            staff.filter(birth_date__range=born_retiring_in(fy, retirement_age))
            .values_list(*fields)
            .annotate(fy=Value(fy, output_field=IntegerField()), n=Count("id"))
            .order_by()
            for fy in years
        ]
        return per_year[0].union(*per_year[1:], all=True)

    return build


def retirements(
    user,
    analysis: Analysis,
    *,
    horizon: int = 10,
    today: dt.date | None = None,
    schools: QuerySet[School] | None = None,
) -> Retirements:
    """Who retires in each of the next `horizon` fiscal years (the current one first), and the
    shortage that would follow if nobody were replaced (required stays as in `analysis`).
    `schools`: those `analysis` was made for (analyse's; None: all the user may see).

    Two queries count them, by school and by type and major, each compiled once per day for
    an office-wide user (_Scope), and the names are read a page at a time: neither the number
    of queries nor the rows read for names grow with the office."""
    horizon = max(1, min(10, horizon))
    today = today or timezone.localdate()
    age = rules_for(user.office).retirement_age if user.office else 60
    first = thai_dates.fiscal_year(today)
    years = list(range(first, first + horizon))
    scope = _Scope(user, schools)
    # Counted twice, by school and by major (one grouping by school, type and major gave
    # 21,700 groups to add up here), and those without a birth date on their own.
    key = ("retiring", tuple(years), age)
    each_year = scope.whole_office  # compiled once: see _retiring_per_year
    per_school_year: dict[tuple[int, int], int] = {
        (school_id, fy): n
        for school_id, fy, n in scope.rows(
            (*key, "school"), _retiring_per_year(years, age, "school_id", each_year=each_year)
        )
    }
    per_major_year = scope.rows(
        (*key, "major"),
        _retiring_per_year(years, age, "personnel_type", "major_id", each_year=each_year),
    )
    per_year: dict[int, int] = defaultdict(int)
    for (_school_id, fy), n in per_school_year.items():
        per_year[fy] += n
    missing = _retiring_staff(user, scope.schools).filter(birth_date__isnull=True).count()
    area_of_major = dict(
        Major.objects.filter(id__in={m for _t, m, _y, _n in per_major_year if m is not None})
        .values_list("id", "learning_area__code")
    )  # fmt: skip
    per_area_year: dict[tuple[str, int], int] = defaultdict(int)
    for personnel_type, major_id, fy, n in per_major_year:
        per_area_year[(_area_of(personnel_type, area_of_major.get(major_id)), fy)] += n
    people: RetiringPeople | list = []
    if can(user, VIEW_PEOPLE):
        # (fy, school name, OBEC code) -> [school ids, people]: a school's people together,
        # those of two schools of one name one school after the other (by code), each row
        # naming its school by its label.
        by_name: dict[tuple[int, str, str], list] = {}
        names = {s.id: (s.name, s.obec_code) for s in analysis.schools}
        listed = {s.id: i for i, s in enumerate(analysis.schools)}
        for (school_id, fy), n in per_school_year.items():
            group = by_name.setdefault((fy, *names[school_id]), [[], 0])
            group[0].append(school_id)
            group[1] += n
        # Without the list of every school: a page names its few, which an index then finds.
        everyone = _active_staff(user).filter(employment=Employment.CIVIL_SERVANT)
        people = RetiringPeople(
            everyone.annotate(fy=_retirement_fy(years, age)),
            [(fy, name, sorted(ids, key=listed.get) if len(ids) > 1 else ids, n)
             for (fy, name, _code), (ids, n) in sorted(by_name.items())],
            age,
            {s.id: s.label for s in analysis.schools},
        )  # fmt: skip
    by_year = []
    cumulative = 0
    # Each school's surplus read once (a computed property), not once a year.
    left = {s.id: s.diff for s in analysis.schools if s.computable}
    for fy in years:
        n = per_year.get(fy, 0)
        cumulative += n
        short_positions = short_schools = 0
        for school_id in left:
            d = left[school_id] = left[school_id] - per_school_year.get((school_id, fy), 0)
            if d < 0:
                short_positions += -d
                short_schools += 1
        by_year.append(
            {"fy": fy, "offset": fy - first + 1, "retiring": n, "cumulative": cumulative,
             "short_positions": short_positions, "short_schools": short_schools}
        )  # fmt: skip
    labels = {a.code: a.short_name for a in analysis.areas}
    labels[UNMAPPED] = "ไม่ระบุวิชาเอก"
    area_codes = [a.code for a in analysis.areas if a.code == ADMIN_AREA]
    area_codes += [a.code for a in analysis.areas if a.code != ADMIN_AREA] + [UNMAPPED]
    by_area = []
    for code in area_codes:
        per = [per_area_year.get((code, fy), 0) for fy in years]
        if any(per):
            by_area.append((code, labels.get(code, code), per, sum(per)))
    by_school = []
    for s in analysis.schools:
        per = [per_school_year.get((s.id, fy), 0) for fy in years]
        if any(per):
            short_term = sum(per[:2])
            by_school.append(
                {"id": s.id, "name": s.label, "obec_code": s.obec_code, "diff": s.diff,
                 "per_year": per, "short_term": short_term, "long_term": sum(per) - short_term,
                 "projected": None if s.diff is None else s.diff - sum(per)}
            )  # fmt: skip
    return Retirements(
        first_fy=first, years=years, short_term_years=years[:2], long_term_years=years[2:],
        by_year=by_year, by_area=by_area, by_school=by_school, missing_birth_date=missing,
        retirement_age=age, people=people,
    )  # fmt: skip
