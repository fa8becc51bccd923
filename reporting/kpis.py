"""KPI formulas: each computes, for every fiscal year asked and every school of an office,
a numerator and a denominator from the other apps' data.

A KpiTarget row names its formula by key (FORMULAS) and passes it `params` (personnel types,
keywords …), so what is counted is data the office can read and edit; how it is counted is
here, one short function each.

Every formula returns {fiscal_year: {unit: Part}} where unit is a school id, None for people
or records not attached to a school (the office's own staff), or ("network", id) for records
that belong to a network and not to a school. Networks and the office are sums of their
schools' parts, so a drill-down always adds up to the level above.

Values:
* level KPIs: value = numerator / denominator × 100 (a percentage of people);
* growth KPIs: the yearly value is numerator / denominator (a mean score, a count) and
  growth = (this year − previous year) / previous year × 100.

Queries: each data set is loaded once per dashboard (KpiData caches it) with an aggregate
query grouped by school, so the number of queries does not grow with schools, people or
years. Limits worth knowing: headcounts (denominators) are today's active register, the
same for every year shown — the registry keeps no yearly snapshot.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, reduce
from operator import or_

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from krupd.lib import thai_dates
from registry.models import Office, PersonStatus, School


def _default_developed_hours() -> Decimal:
    """The training rules' own default, so "developed" has one default wherever it is read."""
    from training.models import TrainingRules

    return TrainingRules._meta.get_field("developed_min_hours").default


@dataclass
class Part:
    num: float = 0.0
    den: float = 0.0

    def add(self, other: Part) -> None:
        self.num += other.num
        self.den += other.den


Parts = dict[int, dict[object, Part]]  # fiscal year → unit → part


class KpiData:
    """The office's data sets, each loaded at most once, shared by every formula."""

    def __init__(self, office: Office, years: list[int], *, today=None, until=None, schools=None):
        self.office = office
        self.years = sorted(years)
        self.today = today or _today()
        self.until = until  # count passed hours only up to this day (a SAR round's end)
        # Only these schools' figures are read (a school's or a network's dashboard): the
        # per-school data sets load their rows only, so the parts of any other unit (another
        # school, the office's own staff) are incomplete. None: all.
        self.only_schools: set[int] | None = None if schools is None else set(schools)

    @cached_property
    def schools(self) -> list[dict]:
        return list(
            School.objects.filter(office=self.office)
            .order_by("obec_code")
            .values("id", "name", "obec_code", "network_id", "network__name", "closed_on")
        )

    @cached_property
    def _quality_rows(self):
        """The office's stored data-quality counts (registry.quality_counts, one row a school,
        kept as people change) and the context they answer: read once for the headcounts and
        the readiness scores, not grouped from its people at every dashboard."""
        from registry import quality_counts
        from registry.quality import context_for

        ctx = context_for(self.office)
        return ctx, quality_counts.office_rows(self.office, ctx)

    @cached_property
    def headcount(self) -> dict[tuple[int | None, str], int]:
        """Active people by (school, personnel type), from the stored counts; of the schools
        read only (only_schools), so that no formula walks the others'."""
        from registry import quality_counts

        found = quality_counts.headcounts(self.office, self._quality_rows[1])
        if self.only_schools is not None:
            found = {key: n for key, n in found.items() if key[0] in self.only_schools}
        return found

    @cached_property
    def developed_min_hours(self) -> Decimal:
        from training.models import TrainingRules

        hours = (
            TrainingRules.objects.filter(office=self.office)
            .values_list("developed_min_hours", flat=True)
            .first()
        )
        return hours if hours is not None else _default_developed_hours()

    @cached_property
    def training_years(self) -> set[int]:
        """Fiscal years with at least one course: other years have no data, not 0 %."""
        if not apps.is_installed("training"):
            return set()
        from training.models import Course

        from . import developed

        courses = Course.objects.filter(office=self.office).exclude(status="draft")
        return developed.years_with_rows(self.office.pk, courses, self.years)

    @cached_property
    def _digital_courses(self) -> dict[int, set[str]]:
        """The statuses of the office's digital courses by fiscal year, for the years shown:
        few rows, read through the index of digital courses (training 0015)."""
        from training.models import Course

        rows = (
            Course.objects.filter(office=self.office, fiscal_year__in=self.years, digital=True)
            .values_list("fiscal_year", "status")
            .order_by()
            .distinct()
        )
        found: dict[int, set[str]] = defaultdict(set)
        for fy, status in rows:
            found[fy].add(status)
        return found

    def passed_hours(self, keywords: tuple[str, ...] = ()) -> list[dict]:
        """One row per (person, fiscal year) with passed development hours, optionally only
        courses whose title or competencies mention a keyword."""
        key = ("passed_hours", keywords)
        cache = self.__dict__.setdefault("_passed", {})
        if key in cache:
            return cache[key]
        if not apps.is_installed("training"):
            cache[key] = []
            return []
        from training.models import Enrolment
        from training.queries import hours_by_credit_year

        # Hours count in the fiscal year of the session days attended, for the office's own
        # people wherever the course ran (as "% developed" and the transcript count them).
        rows = Enrolment.objects.filter(
            person__office=self.office, person__status=PersonStatus.ACTIVE
        )
        if keywords:
            rows = rows.filter(
                reduce(
                    or_,
                    (Q(course__title__icontains=k) | Q(course__competencies__icontains=k)
                     for k in keywords),
                )
            )  # fmt: skip
        # As of `until` (a SAR round's last day): training.queries.counted_by.
        cache[key] = hours_by_credit_year(
            rows, "person_id", "person__school_id", "person__personnel_type", years=self.years,
            until=self.until,
        )  # fmt: skip
        return cache[key]

    def development_hours(self) -> list[dict]:
        """One row per (person, fiscal year) with the hours that make a person "developed":
        passed course hours plus PLC meetings attended (community), the same hours the
        training app's "% developed" report adds up (training.queries.developed_report)."""
        if "_development" in self.__dict__:
            return self.__dict__["_development"]
        passed, plc = self.passed_hours(), self._plc_hours()
        if plc:
            merged: dict[tuple[int, int], dict] = {}
            for r in [*passed, *plc]:
                row = merged.setdefault((r["person_id"], r["credit_year"]), {**r, "hours": 0})
                row["hours"] += r["hours"] or 0
            passed = list(merged.values())
        self.__dict__["_development"] = passed
        return passed

    def developed_counts(self, min_hours: Decimal) -> tuple[Counter, set[int]]:
        """People with at least `min_hours` development hours, counted by (fiscal year, school,
        personnel type), and the years with any hours: read from the counts kept as the
        records change (reporting.developed), or counted from the records (counted_developed)
        for an office not built yet or a cut-off day that has no stored counts."""
        from . import developed

        bucket = developed.bucket_for(self.years, self.until)
        if bucket is None or not self.developed_built:
            return self.counted_developed(min_hours)
        cache = self.__dict__.setdefault("_stored_developed", {})
        if min_hours not in cache:
            cache[min_hours] = developed.developed_counts(
                self.office.pk, self.years, bucket, min_hours, schools=self.only_schools
            )
        return cache[min_hours]

    @cached_property
    def developed_built(self) -> bool:
        from . import developed

        return developed.is_built(self.office.pk)

    def counted_developed(self, min_hours: Decimal) -> tuple[Counter, set[int]]:
        """developed_counts counted from every passed enrolment and PLC meeting of the years:
        the definition the stored counts are verified against. Counted once for every KPI
        that asks (each "developed" KPI of a group of people used to walk every person's row)."""
        cache = self.__dict__.setdefault("_developed", {})
        if min_hours not in cache:
            counts: Counter = Counter()
            years = set()
            for r in self.development_hours():
                years.add(r["credit_year"])
                if r["hours"] is not None and r["hours"] >= min_hours:
                    who = (r["person__school_id"], r["person__personnel_type"])
                    counts[r["credit_year"], *who] += 1
            cache[min_hours] = (counts, years)
        return cache[min_hours]

    def _plc_hours(self) -> list[dict]:
        """PLC meeting hours per person and fiscal year, in one query for all years shown."""
        if not apps.is_installed("community"):
            return []
        from community.models import PLCMeeting

        first = thai_dates.fiscal_year_start(min(self.years))
        last = thai_dates.fiscal_year_end(max(self.years))
        if self.until is not None:
            last = min(last, self.until)
        rows = (
            PLCMeeting.attendees.through.objects.filter(
                person__office=self.office, person__status=PersonStatus.ACTIVE,
                plcmeeting__date__range=(first, last),
            )
            .annotate(y=ExtractYear("plcmeeting__date"), m=ExtractMonth("plcmeeting__date"))
            .values("person_id", "person__school_id", "person__personnel_type", "y", "m")
            .annotate(hours=Sum("plcmeeting__hours"))
            .order_by()
        )  # fmt: skip
        return [
            {**r, "credit_year": r["y"] + thai_dates.BE_OFFSET + (1 if r["m"] >= 10 else 0)}
            for r in rows
        ]

    def _digital_sets(self, params: dict) -> tuple[dict, set[int]]:
        """{(fiscal year, school, type): people} counted digital, and the years with any
        evidence (an assessment round of the framework, or a digital course)."""
        key = ("digital", params.get("framework_code", ""), str(params.get("min_level", 3)))
        cache = self.__dict__.setdefault("_digital", {})
        if key in cache:
            return cache[key]
        people: dict[int, set[int]] = defaultdict(set)  # fiscal year → person ids
        who: dict[int, tuple] = {}
        years: set[int] = set()
        if apps.is_installed("training"):
            from training.models import Enrolment
            from training.queries import credited_in

            digital = self._digital_courses
            years |= {fy for fy, statuses in digital.items() if statuses - {"draft"}}
            # A pass counts in the fiscal year its hours are credited to (the session days
            # attended, training.queries.CREDIT_YEAR), as "developed" and the transcript
            # count it: a digital course the office filed under 2569 but held in October
            # 2569 is evidence of fiscal year 2570, not of 2569. A draft's passes count (a
            # course may go back to draft after its results); its year is measured only
            # once a course other than a draft gives evidence in it.
            # The office's own people (one who moved to another office is counted there, as
            # in "developed"), on the evidence of the courses the office tagged.
            passes = credited_in(
                Enrolment.objects.filter(
                    course__office=self.office, course__digital=True,
                    person__office=self.office, person__status=PersonStatus.ACTIVE,
                ),
                self.years,
            )  # fmt: skip
            for r in (
                passes.values("person_id", "person__school_id", "person__personnel_type",
                              "credit_year", "course__status")
                .order_by()  # DISTINCT over these columns, not the enrolments' ordering too
                .distinct()
            ):  # fmt: skip
                people[r["credit_year"]].add(r["person_id"])
                who[r["person_id"]] = (r["person__school_id"], r["person__personnel_type"])
                if r["course__status"] != "draft":
                    years.add(r["credit_year"])
        code = params.get("framework_code")
        if code and apps.is_installed("planning"):
            from django.db.models import Avg

            from planning.models import Rating, Round

            min_level = Decimal(str(params.get("min_level", 3)))
            rounds = {
                r.pk: thai_dates.fiscal_year(r.closes)
                for r in Round.objects.filter(office=self.office, framework__code=code)
                if thai_dates.fiscal_year(r.closes) in self.years
            }
            rated = (
                Rating.objects.filter(
                    response__round_id__in=rounds, response__rater_kind="self",
                    response__submitted_at__isnull=False,
                    response__person__office=self.office,
                    response__person__status=PersonStatus.ACTIVE,
                )
                .values("response__round_id", "response__person_id",
                        "response__person__school_id", "response__person__personnel_type")
                .annotate(level=Avg("current"))
            )  # fmt: skip
            for r in rated:
                fy = rounds[r["response__round_id"]]
                years.add(fy)
                if Decimal(str(r["level"])) >= min_level:
                    people[fy].add(r["response__person_id"])
                    who[r["response__person_id"]] = (
                        r["response__person__school_id"], r["response__person__personnel_type"]
                    )  # fmt: skip
        counts: dict[tuple, int] = defaultdict(int)
        for fy, ids in people.items():
            for pid in ids:
                counts[(fy, *who[pid])] += 1
        cache[key] = (dict(counts), years)
        return cache[key]

    def digital_people(self, params: dict) -> dict:
        return self._digital_sets(params)[0]

    def digital_years(self, params: dict) -> set[int]:
        return self._digital_sets(params)[1]

    @cached_property
    def onet(self) -> list[dict]:
        """Sum and count of subject means per school and academic year."""
        from .models import OnetResult

        academic_years = [fy - 1 for fy in self.years] + [min(self.years) - 2]
        results = OnetResult.objects.of_office(self.office)
        if self.only_schools is not None:
            results = results.filter(school_id__in=self.only_schools)
        return list(
            results.filter(academic_year__in=academic_years)
            .order_by()
            .values("school_id", "academic_year")
            .annotate(total=Sum("mean"), n=Count("id"))
        )

    @cached_property
    def joint_activities(self) -> list[dict]:
        """Joint activities with partners counted by network, year and month, and of those, the
        ones on or before the same day a year before today (growth's like period)."""
        if not apps.is_installed("community"):
            return []
        from community.models import JointActivity

        return list(
            JointActivity.objects.filter(office=self.office)
            .order_by()
            .annotate(y=ExtractYear("date"), m=ExtractMonth("date"))
            .values("network_id", "y", "m")
            .annotate(
                n=Count("id"),
                # Those of the like period a year before today (kpis.like_period_end).
                like=Count("id", filter=Q(date__lte=like_period_end(self.today))),
            )
        )

    @cached_property
    def readiness(self) -> dict[int, int | None]:
        """Today's data-readiness score (0–100) of every school, as the data-quality page
        scores it, from the stored counts the headcounts read (not the page's whole report)."""
        from registry.quality import school_readiness

        ctx, rows = self._quality_rows
        return school_readiness(self.office, ctx, rows)


# ------------------------------------------------------------------------------ formulas


def _types(params: dict) -> set[str]:
    return set(params.get("types") or [])


def developed_share(data: KpiData, params: dict) -> Parts:
    """Share of active people of the given types with at least the office's "developed"
    hours (TrainingRules.developed_min_hours, or params.min_hours) in the year: passed course
    hours and PLC meetings attended (KpiData.development_hours)."""
    min_hours = Decimal(str(params.get("min_hours", data.developed_min_hours)))
    developed, years_with_hours = data.developed_counts(min_hours)
    types = _types(params)
    parts: Parts = {fy: defaultdict(Part) for fy in data.years}
    # A year is measured once it has a course or any development hours (PLC meetings count
    # as course hours do); a year with neither has no data, not 0 %.
    measured = data.training_years | years_with_hours
    for (school_id, ptype), n in data.headcount.items():
        if not types or ptype in types:
            for fy in measured:
                parts[fy][school_id].den += n
    for (fy, school_id, ptype), n in developed.items():
        if not types or ptype in types:
            parts[fy][school_id].num += n
    return parts


def digital_competent_share(data: KpiData, params: dict) -> Parts:
    """Share of active people of the given types who, in the fiscal year, either were assessed
    at params.min_level or above (mean of their own ratings, current state D) in a round of
    the competency framework params.framework_code, or passed a course the office tagged as
    digital (Course.digital). Evidence only: a course title is never read."""
    types = _types(params)
    years = data.digital_years(params)
    parts: Parts = {fy: defaultdict(Part) for fy in data.years}
    for (school_id, ptype), n in data.headcount.items():
        if not types or ptype in types:
            for fy in years:
                parts[fy][school_id].den += n
    for (fy, school_id, ptype), n in data.digital_people(params).items():
        if fy in parts and (not types or ptype in types):
            parts[fy][school_id].num += n
    return parts


def onet_mean(data: KpiData, params: dict) -> Parts:
    """Mean of the O-NET subject means of the academic year that ends in the fiscal year
    (academic year Y is tested in February of Y+1, i.e. fiscal year Y+1)."""
    parts: Parts = {fy: defaultdict(Part) for fy in [min(data.years) - 1, *data.years]}
    for r in data.onet:
        fy = r["academic_year"] + 1
        if fy in parts:
            parts[fy][r["school_id"]].add(Part(float(r["total"]), r["n"]))
    return parts


def like_period_end(today):
    """The same day a year before (28 February for a 29 February): the last day of the
    previous fiscal year's like period. Whole months compared 1–6 December with all of the
    December before, and every running year looked like it fell early in each month."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def growth_basis(fiscal_year: int, *, like_period: bool, today) -> str:
    """What a year's growth is measured against, in words: a year still running against the
    same days of the year before (1 October to today's date), a finished year against the
    whole year before. Every growth figure (KPI dashboard, partnerships page, inspection
    report) says it the same way."""
    if like_period:
        first = thai_dates.fiscal_year_start(fiscal_year - 1)
        days = thai_dates.period_label(first, like_period_end(today))
        return f"เทียบกับช่วงเดียวกันของปีงบประมาณ {fiscal_year - 1} ({days})"
    return f"เทียบกับทั้งปีงบประมาณ {fiscal_year - 1}"


def like_key(fiscal_year: int) -> tuple[str, int]:
    """Parts key of the previous fiscal year's days that the (unfinished) fiscal_year has
    had so far (like_period_end): growth compares like with like."""
    return ("like", fiscal_year)


def joint_activities(data: KpiData, params: dict) -> Parts:
    """Joint activities with partners (community app) in the fiscal year; a network's own
    activities are counted on the network, the rest on the office. For the fiscal year still
    running, the same months of the year before are kept apart (like_key), so its growth is
    measured against them and not against a whole year."""
    current = thai_dates.fiscal_year(data.today)
    parts: Parts = {fy: defaultdict(Part) for fy in [min(data.years) - 1, *data.years]}
    if current in data.years:
        parts[like_key(current)] = defaultdict(Part)
    for r in data.joint_activities:
        fy = r["y"] + thai_dates.BE_OFFSET + (1 if r["m"] >= 10 else 0)
        unit = ("network", r["network_id"]) if r["network_id"] else None
        if fy in parts:
            parts[fy][unit].add(Part(r["n"], 0))
        if fy == current - 1 and like_key(current) in parts:
            parts[like_key(current)][unit].add(Part(r["like"], 0))
    if data.joint_activities:  # once the office records any, a year without one counts 0
        for key in parts:
            parts[key][None].den = 1
    return parts


def data_readiness(data: KpiData, params: dict) -> Parts:
    """Mean data-readiness score (พร้อมใช้, registry/quality.py) of the schools; computed for
    the current fiscal year only, since the score describes the data as it is today."""
    current = thai_dates.fiscal_year(data.today)
    parts: Parts = {fy: defaultdict(Part) for fy in data.years}
    if current in parts:
        for school_id, ready in data.readiness.items():
            if ready is not None:
                parts[current][school_id].add(Part(ready, 1))
    return parts


def _today():
    from django.utils import timezone

    return timezone.localdate()


@dataclass(frozen=True)
class Formula:
    label: str
    compute: Callable[[KpiData, dict], Parts]
    unit: str = "%"
    value: str = "percent"  # percent: num / den × 100 · mean: num / den · count: num

    def value_of(self, part: Part | None) -> float | None:
        if part is None:
            return None
        if self.value == "count":
            return part.num if part.den or part.num else None
        if not part.den:
            return None
        # One division of the exact count: 29 × 100 / 100 is 29.0 where 29 / 100 × 100 is
        # 28.999999999999996, which a target of 29 % would call unmet.
        return part.num * (100 if self.value == "percent" else 1) / part.den

    school_level: bool = True  # meaningful per school (joint activities are not)


FORMULAS: dict[str, Formula] = {
    "developed_share": Formula("ร้อยละของบุคลากรที่ได้รับการพัฒนาตามเกณฑ์ชั่วโมง", developed_share),
    "digital_competent_share": Formula(
        "ร้อยละของบุคลากรที่มีสมรรถนะด้านเทคโนโลยีดิจิทัล (ผลประเมินหรือผ่านหลักสูตรด้านดิจิทัล)",
        digital_competent_share,
    ),
    "onet_mean": Formula("คะแนนเฉลี่ย O-NET (เฉลี่ยทุกวิชา)", onet_mean, unit="คะแนน", value="mean"),
    "joint_activities": Formula(
        "จำนวนกิจกรรมร่วมกับภาคีเครือข่าย",
        joint_activities,
        unit="กิจกรรม",
        value="count",
        school_level=False,
    ),
    "data_readiness": Formula(
        "คะแนนความพร้อมใช้ของข้อมูลสารสนเทศ", data_readiness, unit="คะแนน", value="mean"
    ),
}
