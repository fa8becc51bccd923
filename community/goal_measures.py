"""Network goals measured from the network's schools' data, as the SAR's networks item sets
them ("ผลสัมฤทธิ์ของโรงเรียนต้องสูงกว่าค่าเฉลี่ยของ สพฐ."): each kind is a school-level test, and
the goal's value is the percentage of the network's schools that pass it, against a target
percentage. A school without the data the test needs is left out of the count and named; a
goal with no school to count, or without the national mean it compares with, has no value
("ยังไม่มีข้อมูล"), never 0 and never achieved. Nothing here is stored: every page and document
computes it from the current data, so a late-entered national mean changes the result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from krupd.lib.numerals import format_hours, format_percent
from krupd.lib.thai_dates import year_label

NO_DATA = "ยังไม่มีข้อมูล"


@dataclass(frozen=True)
class SchoolTest:
    """What one school's data says for a goal: passed (True/False) or None (no data)."""

    passed: bool | None
    detail: str = ""


@dataclass(frozen=True)
class Measure:
    label: str  # {subject}, {grade} and {ratio} are filled from the goal
    test: Callable[[GoalData, object, int], SchoolTest]
    needs_national: bool = False
    fields: tuple[str, ...] = ("grade", "subject")  # what the goal must set besides its target


@dataclass
class GoalResult:
    value: Decimal | None = None  # percent of counted schools, 2 places
    met: int = 0
    counted: int = 0
    schools: int = 0
    missing: list[str] = field(default_factory=list)  # schools left out: no data
    reason: str = ""  # why there is no value
    target: Decimal | None = None
    national: Decimal | None = None
    rows: list[tuple[str, str, bool | None]] = field(default_factory=list)  # school, detail, passed

    @property
    def achieved(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target

    @property
    def summary(self) -> str:
        """The result as the goal table and the SAR print it."""
        if self.value is None:
            return f"{NO_DATA} ({self.reason})" if self.reason else NO_DATA
        if not self.missing:
            return f"ร้อยละ {format_percent(self.value)} ({self.met} จาก {self.counted} โรงเรียน)"
        return (
            f"ร้อยละ {format_percent(self.value)} ({self.met} จาก {self.counted} โรงเรียนที่มีข้อมูล "
            f"ไม่มีข้อมูล {len(self.missing)} โรงเรียน)"
        )

    @property
    def verdict(self) -> str:
        return {True: "บรรลุ", False: "ไม่บรรลุ", None: NO_DATA}[self.achieved]


# ---------------------------------------------------------------------------------- tests


def _onet_above_national(data: GoalData, goal, school_id: int) -> SchoolTest:
    mean = data.school_mean(school_id, goal.academic_year, goal.grade, goal.subject)
    national = data.national_mean(goal.network.office_id, goal.academic_year, goal.grade,
                                  goal.subject)  # fmt: skip
    if mean is None or national is None:
        return SchoolTest(None)
    return SchoolTest(
        mean > national, f"{format_percent(mean)} (ประเทศ {format_percent(national)})"
    )


def _onet_rose(data: GoalData, goal, school_id: int) -> SchoolTest:
    year = goal.academic_year
    now = data.school_mean(school_id, year, goal.grade, goal.subject)
    before = data.school_mean(school_id, year - 1, goal.grade, goal.subject)
    if now is None or before is None:
        return SchoolTest(None)
    return SchoolTest(now > before, f"{format_percent(before)} → {format_percent(now)}")


def _teacher_ratio(data: GoalData, goal, school_id: int) -> SchoolTest:
    """Pupils per teacher at most the goal's figure (1 : 20), from the school's enrolment of
    the academic year and the teachers working there on that year's census day (civil
    servants who are not administrators, as the staffing analysis counts them)."""
    students = data.students(school_id, goal.academic_year)
    teachers = data.teachers(goal.network.office_id, goal.academic_year, school_id)
    if not students:
        return SchoolTest(None)
    if not teachers:
        return SchoolTest(False, f"นักเรียน {students} คน ไม่มีครู")
    ratio = Decimal(students) / teachers
    shown = ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return SchoolTest(
        ratio <= goal.students_per_teacher,
        f"นักเรียน {students} คน ครู {teachers} คน (1 : {format_hours(shown)})",
    )


MEASURES: dict[str, Measure] = {
    "onet_above_national": Measure(
        "ร้อยละของโรงเรียนในเครือข่ายที่มีคะแนนเฉลี่ย O-NET วิชา{subject} ชั้น {grade} สูงกว่าค่าเฉลี่ยระดับประเทศ",
        _onet_above_national,
        needs_national=True,
    ),
    "onet_rose": Measure(
        "ร้อยละของโรงเรียนในเครือข่ายที่มีคะแนนเฉลี่ย O-NET วิชา{subject} ชั้น {grade} สูงขึ้นจากปีการศึกษาก่อน",
        _onet_rose,
    ),
    "teacher_ratio": Measure(
        "ร้อยละของโรงเรียนในเครือข่ายที่มีอัตราส่วนครูต่อนักเรียนไม่เกิน 1 : {ratio}",
        _teacher_ratio,
        fields=("students_per_teacher",),
    ),
}
MEASURE_CHOICES = [
    (key, m.label.format(subject=" (ที่เลือก)", grade="(ที่เลือก)", ratio="(ที่กำหนด)"))
    for key, m in MEASURES.items()
]


def goal_text(measure: str, *, subject: str = "", grade_label: str = "", ratio=None) -> str:
    """The goal as it is written on the network page and in the SAR."""
    return MEASURES[measure].label.format(subject=subject, grade=grade_label, ratio=ratio)


# ----------------------------------------------------------------------------------- data


class GoalData:
    """The schools, O-NET results and national means the goals need, read in three queries
    whatever the number of goals and schools."""

    def __init__(self, goals: list):
        from registry.models import School
        from reporting.models import OnetNationalMean, OnetResult
        from reporting.onet import grade_code, subject_key

        from .models import CommunityRules

        measured = [g for g in goals if g.measure in MEASURES]
        networks = {g.network_id for g in measured}
        years = {g.academic_year for g in measured} | {g.academic_year - 1 for g in measured}
        offices = {g.network.office_id for g in measured}
        self.schools: dict[int, list[tuple[int, str]]] = {}
        self.closed_on: dict[int, dt.date] = {}  # the schools closed or merged into another
        # The offices' settings of when an academic year opens, read with their schools (an
        # office that never saved them has the defaults): the cut-off of a school's closing.
        self._rules: dict[int, CommunityRules] = {}
        for s in (
            School.objects.filter(network_id__in=networks)
            .order_by("name")
            .values(
                "id", "name", "network_id", "closed_on", "office_id",
                "office__community_rules__term_one_opens",
            )
        ):  # fmt: skip
            self.schools.setdefault(s["network_id"], []).append((s["id"], s["name"]))
            if s["closed_on"] is not None:
                self.closed_on[s["id"]] = s["closed_on"]
            if s["office_id"] not in self._rules:
                rules = self._rules[s["office_id"]] = CommunityRules(office_id=s["office_id"])
                if opens := s["office__community_rules__term_one_opens"]:
                    rules.term_one_opens = opens
        school_ids = [sid for rows in self.schools.values() for sid, _ in rows]
        self._means: dict[tuple, Decimal] = {}
        if school_ids and years:
            for r in OnetResult.objects.filter(
                school_id__in=school_ids, academic_year__in=years
            ).values_list("school_id", "academic_year", "grade", "subject", "mean"):
                self._means[(r[0], r[1], grade_code(r[2]), subject_key(r[3]))] = r[4]
        self._national: dict[tuple, Decimal] = {}
        if offices and years:
            for r in OnetNationalMean.objects.filter(
                office_id__in=offices, academic_year__in=years
            ).values_list("office_id", "academic_year", "grade", "subject", "mean"):
                self._national[(r[0], r[1], r[2], subject_key(r[3]))] = r[4]
        self._subject_key = subject_key
        self._students: dict[tuple[int, int], int] = {}
        self._teachers: dict[tuple[int, int], dict[int, int]] = {}
        ratio_goals = [g for g in measured if g.measure == "teacher_ratio"]
        if ratio_goals and school_ids:
            self._read_ratio_data(ratio_goals, school_ids)

    def _read_ratio_data(self, goals: list, school_ids: list[int]) -> None:
        from django.db.models import Sum

        from registry.models import Enrolment
        from staffing.queries import office_census
        from staffing.summary import office_counts

        years = {g.academic_year for g in goals}
        for r in (
            Enrolment.objects.filter(school_id__in=school_ids, academic_year__in=years)
            .values("school_id", "academic_year")
            .annotate(n=Sum("students"))
        ):
            self._students[(r["school_id"], r["academic_year"])] = r["n"] or 0
        # Teachers as the staffing analysis counts them: the office's stored per-school
        # counts on the year's census day (kept by every write of its people).
        for office, year in {(g.network.office, g.academic_year) for g in goals}:
            census, retirement_age = office_census(office, year)
            counts = office_counts(office, census, retirement_age)
            self._teachers[(office.pk, year)] = {
                school: sum(staff.civil.teachers_by_area.values())
                for school, staff in counts.items()
            }

    def academic_year_opens(self, office_id: int, year: int) -> dt.date:
        """The first day of the office's academic year `year`, by its own setting of when
        term 1 opens (community.queries.academic_year_opens)."""
        from .models import CommunityRules
        from .queries import academic_year_opens

        return academic_year_opens(year, self._rules.get(office_id) or CommunityRules())

    def students(self, school_id: int, year: int) -> int | None:
        return self._students.get((school_id, year))

    def teachers(self, office_id: int, year: int, school_id: int) -> int:
        return self._teachers.get((office_id, year), {}).get(school_id, 0)

    def school_mean(self, school_id: int, year: int, grade: str, subject: str) -> Decimal | None:
        return self._means.get((school_id, year, grade, self._subject_key(subject)))

    def national_mean(self, office_id: int, year: int, grade: str, subject: str) -> Decimal | None:
        return self._national.get((office_id, year, grade, self._subject_key(subject)))


def measure_goals(goals: list) -> dict[int, GoalResult]:
    """Result of every measurable goal of `goals` (select_related network), by goal id."""
    data = GoalData(goals)
    return {g.pk: measure_goal(g, data) for g in goals if g.measure in MEASURES}


def with_results(goals: list) -> list:
    """`goals` (select_related network), each with `.result`: its GoalResult when measurable,
    None for a goal the officers write and judge."""
    results = measure_goals(goals)
    for goal in goals:
        goal.result = results.get(goal.pk)
    return goals


def measure_goal(goal, data: GoalData) -> GoalResult:
    measure = MEASURES[goal.measure]
    # A school closed (or merged into another) by the academic year's first day (the office's
    # term 1 opening) did not exist in the year: it is neither a school of the goal nor one
    # "without data", unless it has the year's data (its history stays).
    opens = data.academic_year_opens(goal.network.office_id, goal.academic_year)
    schools = [
        (school_id, name)
        for school_id, name in data.schools.get(goal.network_id, [])
        if not (school_id in data.closed_on and data.closed_on[school_id] <= opens
                and measure.test(data, goal, school_id).passed is None)
    ]  # fmt: skip
    result = GoalResult(target=goal.target_percent, schools=len(schools))
    grade = goal.get_grade_display()
    if measure.needs_national:
        result.national = data.national_mean(
            goal.network.office_id, goal.academic_year, goal.grade, goal.subject
        )
        if result.national is None:
            result.reason = (
                f"ยังไม่ได้บันทึกค่าเฉลี่ย O-NET ระดับประเทศ ชั้น {grade} วิชา{goal.subject} "
                f"ปีการศึกษา {year_label(goal.academic_year)}"
            )
            return result
    if not schools:
        result.reason = "เครือข่ายยังไม่มีโรงเรียน"
        return result
    for school_id, name in schools:
        test = measure.test(data, goal, school_id)
        result.rows.append((name, test.detail, test.passed))
        if test.passed is None:
            result.missing.append(name)
            continue
        result.counted += 1
        result.met += test.passed
    if not result.counted:
        result.reason = (
            f"ไม่มีผล O-NET ชั้น {grade} วิชา{goal.subject} ของโรงเรียนในเครือข่าย "
            f"ปีการศึกษา {year_label(goal.academic_year)}"
            + (f" หรือปีการศึกษา {year_label(goal.academic_year - 1)}"
               if goal.measure == "onet_rose" else "")
        )  # fmt: skip
        return result
    result.value = (Decimal(result.met * 100) / result.counted).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return result
