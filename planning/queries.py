"""Reads for planning pages: scoped to the user, aggregated in SQL, a fixed number of queries.

Needs analysis follows Thai needs-assessment practice: the modified Priority Needs Index
PNI = (I − D) / D on the means of the expected/importance level I and the current level D,
larger first (DOMAIN.md). Means and standard deviations come from SQL sums (Σx, Σx², n), so
the page costs the same few queries for ten answers or ten thousand.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from accounts.roles import Role
from krupd.lib import compiled_queries, numerals
from krupd.lib.likert import likert_band
from krupd.lib.numerals import format_percent, percent_of
from registry import labels
from registry.models import (
    AcademicStanding,
    LearningArea,
    Network,
    Person,
    PersonnelType,
    PersonStatus,
)

# Planned vs. actual: what a project delivered comes from training (courses linked to the
# project). Planning reads training through this one function and nothing else; training
# never imports planning (its only link back is the lazy "planning.Project" foreign key on a
# course), so the import graph stays one-way and the training app's tables stay its own.
from training.queries import ProjectActual, project_actuals

from .models import (
    Competency,
    Framework,
    IdPlan,
    IdPlanItem,
    IdPlanStatus,
    Mode,
    Plan,
    PlanEvent,
    PlanStatus,
    Project,
    ProjectReport,
    RaterKind,
    Rating,
    Response,
    Round,
    StrategicFrame,
    Topic,
    TopicAnswer,
)

OFFICE_WIDE = (Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR, Role.INSPECTOR)

# ---------------------------------------------------------------------------------------------
# Scoping


def frameworks_for(user) -> QuerySet[Framework]:
    return Framework.objects.filter(office_id=user.office_id)


def topics_for(user) -> QuerySet[Topic]:
    return Topic.objects.filter(office_id=user.office_id)


def rounds_for(user) -> QuerySet[Round]:
    return Round.objects.filter(office_id=user.office_id).select_related("framework")


def frames_for(user) -> QuerySet[StrategicFrame]:
    return StrategicFrame.objects.filter(office_id=user.office_id)


def plans_for(user) -> QuerySet[Plan]:
    return Plan.objects.filter(office_id=user.office_id)


def plan_submitter_id(plan: Plan) -> int | None:
    """The account that last submitted `plan` for approval (its history says who), or None."""
    return (
        PlanEvent.objects.filter(plan=plan, to_status=PlanStatus.SUBMITTED)
        .order_by("-id")
        .values_list("actor_id", flat=True)
        .first()
    )


def plans_awaiting_approval_by(user) -> QuerySet[Plan]:
    """The office's submitted plans this approver may decide: not those they submitted."""
    submitter = (
        PlanEvent.objects.filter(plan=OuterRef("pk"), to_status=PlanStatus.SUBMITTED)
        .order_by("-id")
        .values("actor_id")[:1]
    )
    plans = Plan.objects.filter(office_id=user.office_id, status=PlanStatus.SUBMITTED)
    # A plan with no recorded submission (made so by hand or an older version) waits too.
    return plans.annotate(submitter=Subquery(submitter)).filter(
        Q(submitter__isnull=True) | ~Q(submitter=user.pk)
    )


def responses_in_scope(user, rnd: Round) -> QuerySet[Response]:
    """Answers a user's pages may read: office roles all, a director their school, a teacher
    their own."""
    responses = Response.objects.filter(round=rnd)
    if user.role in OFFICE_WIDE and user.office_id == rnd.office_id:
        return responses
    if user.role == Role.SCHOOL_DIRECTOR and user.school_id:
        return responses.filter(person__school_id=user.school_id)
    if user.person_id:
        return responses.filter(person_id=user.person_id)
    return responses.none()


def round_targets(rnd: Round) -> QuerySet[Person]:
    """Everyone the round asks to self-assess: the office's people in service (not those who
    left) of the round's target types. The one definition: counts, pages and notices."""
    return Person.objects.filter(
        office_id=rnd.office_id, status=PersonStatus.ACTIVE, personnel_type__in=rnd.target_types
    )


def target_people(user, rnd: Round) -> QuerySet[Person]:
    """People the round asks to self-assess, limited to the user's scope."""
    people = round_targets(rnd)
    if user.role in OFFICE_WIDE and user.office_id == rnd.office_id:
        return people
    if user.role == Role.SCHOOL_DIRECTOR and user.school_id:
        return people.filter(school_id=user.school_id)
    return people.none()


def id_plans_counted_for(user) -> QuerySet[IdPlan]:
    """ID plans a user's summaries count: the office sees completion and topics, not plans."""
    plans = IdPlan.objects.filter(person__office_id=user.office_id)
    if user.role in OFFICE_WIDE:
        return plans
    return id_plans_in_scope(user)


def id_plans_in_scope(user) -> QuerySet[IdPlan]:
    """ID plans a user may open: their own, or (a director) their school's teachers'."""
    plans = IdPlan.objects.filter(person__office_id=user.office_id)
    if user.role == Role.SCHOOL_DIRECTOR and user.school_id:
        return plans.filter(person__school_id=user.school_id)
    if user.person_id:
        return plans.filter(person_id=user.person_id)
    return plans.none()


def need_topics(office_id: int) -> QuerySet[Topic]:
    """The topics a people picker can filter by (the office's needs-survey catalogue)."""
    return Topic.objects.filter(office_id=office_id, active=True)


def people_with_open_need(topic_id: int) -> QuerySet[Person]:
    """Ids of people whose latest needs are for this topic: they asked for it in the office's
    latest survey round (self-assessment, submitted) or wrote it into their ID plan of the
    latest year. Used by the people picker to nominate exactly those who asked."""
    office_id = Topic.objects.filter(pk=topic_id).values_list("office_id", flat=True).first()
    if office_id is None:
        return Person.objects.none().values("pk")
    latest_round = Round.objects.filter(office_id=office_id).order_by("-year", "-opens")
    latest_year = (
        IdPlan.objects.filter(person__office_id=office_id).order_by("-year").values("year")[:1]
    )
    asked = TopicAnswer.objects.filter(
        topic_id=topic_id,
        response__round__in=latest_round.values("pk")[:1],
        response__rater_kind=RaterKind.SELF,
        response__submitted_at__isnull=False,
    ).values("response__person_id")
    planned = IdPlanItem.objects.filter(topic_id=topic_id, plan__year=latest_year).values(
        "plan__person_id"
    )
    return Person.objects.filter(Q(pk__in=asked) | Q(pk__in=planned)).values("pk")


def latest_reported_round(office_id: int, *, fiscal_year: int, closed_by) -> Round | None:
    """The needs round a report cites: the latest one of the year or before that closed
    before `closed_by` and has answers. A round still open, or one nobody answered, has no
    results to report yet (the annual summary, the SAR and the plans read the same round)."""
    return (
        Round.objects.filter(
            office_id=office_id,
            year__lte=fiscal_year,
            closes__lt=closed_by,
            responses__submitted_at__isnull=False,
        )
        .select_related("framework", "office")
        .order_by("-year", "-closes")
        .distinct()
        .first()
    )


def open_rounds(user, today=None) -> list[Round]:
    """The office's rounds open on `today`. Every home page of the office's staff asks: the
    SQL is compiled once (compiled_queries)."""
    if not user.office_id:
        return []
    return compiled_queries.objects_for(
        "planning.open_rounds",
        lambda office_id, day: Round.objects.filter(
            office_id=office_id, opens__lte=day, closes__gte=day
        ).select_related("framework"),
        (user.office_id, today or timezone.localdate()),
        using=compiled_queries.reading(Round),
    )


# ---------------------------------------------------------------------------------------------
# Statistics


def mean_sd(n: int, total: float, squares: float) -> tuple[float | None, float | None]:
    """Mean and sample standard deviation from n, Σx and Σx² (SD needs n ≥ 2)."""
    if not n:
        return None, None
    mean = total / n
    if n < 2:
        return mean, None
    variance = max((squares - n * mean * mean) / (n - 1), 0.0)
    return mean, math.sqrt(variance)


def pni(mean_i: float | None, mean_d: float | None) -> float | None:
    """PNI modified = (I − D) / D; None when there is no D or D = 0 (explained by `pni_note`)."""
    if mean_i is None or mean_d is None or mean_d == 0:
        return None
    return (mean_i - mean_d) / mean_d


def pni_note(n: int, mean_i: float | None, mean_d: float | None) -> str:
    if not n:
        return "ยังไม่มีผู้ตอบข้อนี้"
    if mean_d == 0:
        if mean_i:
            return "D เฉลี่ย = 0: หาร PNI ไม่ได้ (ความต้องการสูงสุด) จัดไว้อันดับแรก เรียงตาม I − D"
        return "I และ D เฉลี่ย = 0: ไม่มีความต้องการ"
    return ""


def likert(mean: float | None, fw: Framework | None = None) -> str:
    """Thai 5-point interpretation (krupd.lib.likert); only for 1–5 scales (others have no
    agreed bands)."""
    if mean is None or (fw is not None and (fw.scale_min, fw.scale_max) != (1, 5)):
        return ""
    return likert_band(mean)


@dataclass
class ItemStat:
    key: int
    code: str
    name: str
    group: str  # domain name (competencies) or "" (topics)
    n: int
    mean_d: float | None
    sd_d: float | None
    mean_i: float | None
    sd_i: float | None
    pni: float | None
    note: str = ""
    rank: int | None = None
    chosen: int = 0  # topics: how many people picked it

    @property
    def gap(self) -> float | None:
        if self.mean_i is None or self.mean_d is None:
            return None
        return self.mean_i - self.mean_d

    @property
    def pni_label(self) -> str:
        if self.pni is not None:
            # Rounded as every report rounds (half up on the written value), as the
            # spreadsheet's cell is: 0.03125 printed 0.0312 here and 0.0313 there.
            return f"{numerals.rounded(self.pni, 4)}"
        if self.n and self.mean_d == 0 and self.mean_i:
            # PNI divides by D: with D = 0 it has no value. The item still ranks first
            # (see _sort_key), and the table says why instead of printing a symbol.
            return "หาค่าไม่ได้ (D = 0)"
        return "—"


def _sort_key(s: ItemStat):
    # D = 0 with I > 0 is the largest need of all; unanswered items come last.
    if s.pni is None:
        if s.n and s.mean_d == 0 and s.mean_i:
            return (0, -(s.gap or 0), s.code)
        return (2, 0, s.code)
    return (1, -round(s.pni, 6), s.code)


def rank_items(items: list[ItemStat]) -> list[ItemStat]:
    """Sort by need and give standard competition ranks (ties share a rank)."""
    items = sorted(items, key=_sort_key)
    previous, rank = None, 0
    for i, s in enumerate(items, start=1):
        if s.pni is None and not (s.n and s.mean_d == 0 and s.mean_i):
            s.rank = None
            continue
        key = _sort_key(s)[:2]
        if key != previous:
            rank, previous = i, key
        s.rank = rank
    return items


def _stat_values(qs, d: str, i: str):
    return qs.annotate(
        n=Count("id"),
        sum_d=Sum(d),
        sum_d2=Sum(F(d) * F(d)),
        sum_i=Sum(i),
        sum_i2=Sum(F(i) * F(i)),
    )


def _stat(row) -> dict:
    n = row["n"]
    mean_d, sd_d = mean_sd(n, float(row.get("sum_d") or 0), float(row.get("sum_d2") or 0))
    mean_i, sd_i = mean_sd(n, float(row.get("sum_i") or 0), float(row.get("sum_i2") or 0))
    return {
        "n": n,
        "mean_d": mean_d,
        "sd_d": sd_d,
        "mean_i": mean_i,
        "sd_i": sd_i,
        "pni": pni(mean_i, mean_d),
        "note": pni_note(n, mean_i, mean_d),
    }


# ---------------------------------------------------------------------------------------------
# Needs analysis

SLICES = {
    "school": ("response__school_id", "โรงเรียน"),
    "network": ("response__school__network_id", "เครือข่าย"),
    "type": ("response__personnel_type", "ประเภทบุคลากร"),
    "area": ("response__learning_area_id", "กลุ่มสาระ (วิชาเอก)"),
    "standing": ("response__standing_id", "วิทยฐานะ"),
}


@dataclass
class Heatmap:
    by: str
    label: str
    groups: list[tuple[object, str, int]]  # (key, label, respondents)
    cells: dict[tuple[int, object], ItemStat]

    def row(self, competency_id: int) -> list[ItemStat | None]:
        return [self.cells.get((competency_id, g[0])) for g in self.groups]


@dataclass
class NeedsAnalysis:
    round: Round
    source: str
    scope_label: str
    targets: int
    submitted: int  # every sent form analysed
    submitted_targets: int  # of them, from the people the round asks today
    drafts: int
    competencies: list[ItemStat]
    topics: list[ItemStat]
    modes: list[tuple[str, int]]
    free_texts: list[tuple[str, int]]
    heatmap: Heatmap | None
    warnings: list[str] = field(default_factory=list)
    # The modes people wrote themselves (a form's "อื่นๆ"), as free texts are: (text, people).
    other_modes: list[tuple[str, int]] = field(default_factory=list)

    @property
    def response_rate(self) -> Decimal | None:
        return percent_of(self.submitted_targets, self.targets)

    @property
    def is_empty(self) -> bool:
        return self.submitted == 0


def _slice_labels(by: str, keys: list) -> dict:
    keys = [k for k in keys if k is not None]
    if by == "school":  # two schools of one name are named with their OBEC codes
        return labels.school_labels(keys)
    if by == "network":
        return dict(Network.objects.filter(pk__in=keys).values_list("id", "name"))
    if by == "area":
        return dict(LearningArea.objects.filter(pk__in=keys).values_list("id", "name"))
    if by == "standing":
        return dict(AcademicStanding.objects.filter(pk__in=keys).values_list("id", "name"))
    return dict(PersonnelType.choices)


def analyse_needs(
    user,
    rnd: Round,
    *,
    source: str = RaterKind.SELF,
    by: str = "",
    show_free_text: bool = True,
    office_wide: bool = False,
) -> NeedsAnalysis:
    """Ranked needs of a round. `office_wide` (alignment panels) counts the whole office
    whatever the viewer's scope: it shows only aggregates, never a name."""
    if office_wide:
        responses = Response.objects.filter(round=rnd, rater_kind=source)
    else:
        responses = responses_in_scope(user, rnd).filter(rater_kind=source)
    submitted_qs = responses.filter(submitted_at__isnull=False)
    target_qs = round_targets(rnd) if office_wide else target_people(user, rnd)
    counts = responses.aggregate(
        submitted=Count("id", filter=Q(submitted_at__isnull=False)),
        drafts=Count("id", filter=Q(submitted_at__isnull=True)),
        # The response rate counts the people the round asks today, as the round's progress
        # page does: a teacher who answered and then retired or moved out made "ส่งแล้ว 2 จาก
        # 1 คน (200.00%)". Her answers stay in the analysis, said apart (`former`).
        from_targets=Count(
            "id", filter=Q(submitted_at__isnull=False, person__in=target_qs.values("id"))
        ),
    )
    targets = target_qs.count()
    fw = rnd.framework
    competencies = list(Competency.objects.filter(domain__framework=fw).select_related("domain"))
    ratings = Rating.objects.filter(response__in=submitted_qs)
    stats = {
        row["competency_id"]: row
        for row in _stat_values(ratings.values("competency_id"), "current", "expected")
    }
    items = [
        ItemStat(c.pk, c.code, c.name, c.domain.name, **_stat(stats.get(c.pk, {"n": 0})))
        for c in competencies
    ]

    answers = TopicAnswer.objects.filter(response__in=submitted_qs)
    topic_rows = {
        row["topic_id"]: row
        for row in _stat_values(
            answers.filter(
                topic__isnull=False, current__isnull=False, expected__isnull=False
            ).values("topic_id"),
            "current",
            "expected",
        )
    }
    chosen = dict(
        answers.filter(topic__isnull=False)
        .values("topic_id")
        .annotate(c=Count("id"))
        .values_list("topic_id", "c")
    )
    topic_objs = Topic.objects.filter(
        Q(office_id=rnd.office_id, active=True) | Q(pk__in=list(chosen))
    )
    topics = [
        ItemStat(t.pk, "", t.name, "", chosen=chosen.get(t.pk, 0),
                 **_stat(topic_rows.get(t.pk, {"n": 0})))
        for t in topic_objs
    ]  # fmt: skip

    modes = Counter()
    for picked in submitted_qs.values_list("modes", flat=True):
        modes.update(m for m in picked or [] if m in Mode.values)
    free: list[tuple[str, int]] = []
    other_modes: list[tuple[str, int]] = []
    if show_free_text:
        free = tally_texts(
            answers.exclude(free_text="").values_list("response_id", "free_text"), limit=50
        )
        other_modes = tally_texts(
            (
                (pk, text)
                for pk, texts in submitted_qs.exclude(other_modes=[]).values_list(
                    "pk", "other_modes"
                )
                for text in texts or []
            ),
            limit=50,
        )

    heatmap = None
    if by in SLICES:
        column, label = SLICES[by]
        rows = list(_stat_values(ratings.values("competency_id", column), "current", "expected"))
        sizes = dict(
            submitted_qs.values(column.removeprefix("response__"))
            .annotate(c=Count("id"))
            .values_list(column.removeprefix("response__"), "c")
        )
        names = _slice_labels(by, list(sizes))
        groups = sorted(
            ((k, names.get(k, "ไม่ระบุ") if k is not None else "ไม่ระบุ", n)
             for k, n in sizes.items()),
            key=lambda g: g[1],
        )  # fmt: skip
        cells = {}
        for row in rows:
            cells[(row["competency_id"], row[column])] = ItemStat(
                row["competency_id"], "", "", "", **_stat(row)
            )
        heatmap = Heatmap(by, label, groups, cells)

    warnings = []
    if counts["submitted"] == 0:
        warnings.append(
            "ยังไม่มีแบบประเมินที่ส่งแล้วในรอบนี้ จึงยังคำนวณค่าเฉลี่ยและ PNI ไม่ได้"
            + (f" (มีร่างที่ยังไม่ส่ง {counts['drafts']} ฉบับ)" if counts["drafts"] else "")
        )
    elif targets and counts["from_targets"] < targets:
        warnings.append(
            f"ส่งแล้ว {counts['from_targets']:,} จาก {targets:,} คน "
            f"({format_percent(percent_of(counts['from_targets'], targets))}%) "
            "ผลนี้อาจยังไม่แทนทั้งกลุ่ม"
        )
    former = counts["submitted"] - counts["from_targets"]
    if former:
        warnings.append(
            f"นำคำตอบของผู้ที่ส่งแล้วแต่ไม่อยู่ในกลุ่มเป้าหมายขณะนี้ (ย้ายออก พ้นจากราชการ "
            f"หรือเปลี่ยนตำแหน่ง) มาวิเคราะห์ด้วย {former:,} คน"
        )
    if any(s.n and s.mean_d == 0 for s in items + topics):
        warnings.append("บางข้อมีค่า D เฉลี่ย = 0 จึงหาร PNI ไม่ได้ ดูหมายเหตุในตาราง")
    if fw.next_versions.exists():
        warnings.append(f"กรอบสมรรถนะมีฉบับใหม่แล้ว ผลรอบนี้ใช้ฉบับ {fw.version} ตามที่เปิดรอบไว้")
    scope = "ทั้งเขตพื้นที่"
    if user.role == Role.SCHOOL_DIRECTOR and not office_wide:
        scope = user.school.name if user.school_id else "-"
    return NeedsAnalysis(
        round=rnd,
        source=source,
        scope_label=scope,
        targets=targets,
        submitted=counts["submitted"],
        submitted_targets=counts["from_targets"],
        drafts=counts["drafts"],
        competencies=rank_items(items),
        topics=rank_items(topics),
        modes=[(Mode(m).label, modes.get(m, 0)) for m in Mode.values],
        free_texts=free,
        heatmap=heatmap,
        warnings=warnings,
        other_modes=other_modes,
    )


# ---------------------------------------------------------------------------------------------
# Progress per school


@dataclass
class SchoolProgress:
    school_id: int | None
    name: str
    targets: int
    submitted: int
    drafts: int
    rated_by_director: int

    @property
    def missing(self) -> int:
        return self.targets - self.submitted

    @property
    def pct(self) -> Decimal | None:
        return percent_of(self.submitted, self.targets)


def progress_by_school(user, rnd: Round) -> list[SchoolProgress]:
    """One grouped query: targets, self-assessments submitted/in draft, director ratings."""
    own = Q(assessments__round=rnd)
    rows = (
        target_people(user, rnd)
        .values("school_id", "school__name")
        .annotate(
            targets=Count("id", distinct=True),
            submitted=Count(
                "assessments",
                filter=own & Q(assessments__rater_kind=RaterKind.SELF)
                & Q(assessments__submitted_at__isnull=False),
            ),
            drafts=Count(
                "assessments",
                filter=own & Q(assessments__rater_kind=RaterKind.SELF)
                & Q(assessments__submitted_at__isnull=True),
            ),
            rated=Count(
                "assessments",
                filter=own & Q(assessments__rater_kind=RaterKind.DIRECTOR)
                & Q(assessments__submitted_at__isnull=False),
            ),
        )
        .order_by("school__name", "school__obec_code")
    )  # fmt: skip
    rows = list(rows)
    # Two schools of one name are named with their OBEC codes (registry.labels).
    shown = labels.school_labels(r["school_id"] for r in rows)
    return [
        SchoolProgress(r["school_id"], shown[r["school_id"]], r["targets"],
                       r["submitted"], r["drafts"], r["rated"])
        for r in rows
    ]  # fmt: skip


def not_submitted(user, rnd: Round, school_id: int | None = None) -> QuerySet[Person]:
    done = Response.objects.filter(
        round=rnd, rater_kind=RaterKind.SELF, submitted_at__isnull=False
    ).values("person_id")
    people = target_people(user, rnd).exclude(pk__in=done)
    if school_id is not None:
        people = people.filter(school_id=school_id)
    return people.select_related("school").order_by("school__name", "first_name")


def staff_for_rating(user, rnd: Round) -> list[dict]:
    """A director's staff in the round with their self and director response states."""
    people = list(
        target_people(user, rnd)
        .filter(school_id=user.school_id)
        .order_by("first_name", "last_name")
        .values("id", "title", "first_name", "last_name", "position")
    )
    states = {
        (r["person_id"], r["rater_kind"]): r["submitted_at"]
        for r in Response.objects.filter(round=rnd, person_id__in=[p["id"] for p in people]).values(
            "person_id", "rater_kind", "submitted_at"
        )
    }
    for p in people:
        p["self"] = states.get((p["id"], RaterKind.SELF), "none")
        p["director"] = states.get((p["id"], RaterKind.DIRECTOR), "none")
    return people


# ---------------------------------------------------------------------------------------------
# A person's own gaps, for the ID plan


def own_gaps(person_id: int, rnd: Round, limit: int = 5) -> list[dict]:
    """The person's largest I − D gaps in the round (their self-assessment), largest first."""
    rows = (
        Rating.objects.filter(
            response__round=rnd,
            response__person_id=person_id,
            response__rater_kind=RaterKind.SELF,
        )
        .annotate(gap=F("expected") - F("current"))
        .filter(gap__gt=0)
        .order_by("-gap", "competency__domain__sort_order", "competency__sort_order")
        .values("competency_id", "competency__code", "competency__name", "current", "expected",
                "gap")[:limit]
    )  # fmt: skip
    return list(rows)


# ---------------------------------------------------------------------------------------------
# ID plan summary for the office


@dataclass
class IdPlanSummary:
    rows: list[dict]
    totals: dict
    topics: list[tuple[str, int]]


# Who is expected to write an ID plan each academic year: active teachers and assistant
# teachers. The summary's denominator and the director's "not yet written" list both read it.
ID_PLAN_TYPES = (PersonnelType.TEACHER, PersonnelType.ASSISTANT_TEACHER)


def expected_to_plan(prefix: str = "") -> Q:
    """People expected to write an ID plan (ID_PLAN_TYPES, active); `prefix` reads them
    through a relation ("person__")."""
    return Q(**{f"{prefix}status": "active", f"{prefix}personnel_type__in": ID_PLAN_TYPES})


def teachers_without_id_plan(user, year: int) -> QuerySet[Person]:
    """The director's school's teachers expected to write an ID plan who have none of `year`
    (not even a draft): whom to remind. Nobody for a user without a school."""
    if not user.school_id:
        return Person.objects.none()
    school = {"office_id": user.office_id, "school_id": user.school_id}
    return (
        Person.objects.filter(expected_to_plan(), **school)
        .exclude(id_plans__year=year)
        .order_by("first_name", "last_name", "pk")
    )


def id_plan_summary(user, year: int) -> IdPlanSummary:
    # Plans and teachers are counted over the same people (expected_to_plan): a retired
    # teacher's approved plan made a school "2 of 1 approved, 200 %".
    plans = id_plans_counted_for(user).filter(expected_to_plan("person__"), year=year)
    by_school = {
        r["person__school_id"]: r
        for r in plans.values("person__school_id").annotate(
            total=Count("id"),
            submitted=Count("id", filter=Q(status=IdPlanStatus.SUBMITTED)),
            returned=Count("id", filter=Q(status=IdPlanStatus.RETURNED)),
            approved=Count("id", filter=Q(status=IdPlanStatus.APPROVED)),
        )
    }
    staff = (
        Person.objects.filter(expected_to_plan(), office_id=user.office_id)
        .values("school_id", "school__name")
        .annotate(n=Count("id"))
        .order_by("school__name", "school__obec_code")
    )
    if user.role == Role.SCHOOL_DIRECTOR:
        staff = staff.filter(school_id=user.school_id)
    staff = list(staff)
    shown = labels.school_labels(s["school_id"] for s in staff)
    rows, totals = [], Counter()
    for s in staff:
        r = by_school.get(s["school_id"], {})
        row = {
            "school": shown[s["school_id"]],
            "teachers": s["n"],
            "plans": r.get("total", 0),
            "submitted": r.get("submitted", 0),
            "returned": r.get("returned", 0),
            "approved": r.get("approved", 0),
        }
        row["pct"] = percent_of(row["approved"], row["teachers"])
        totals.update({k: v for k, v in row.items() if isinstance(v, int)})
        rows.append(row)
    totals = dict(totals)
    totals["pct"] = percent_of(totals.get("approved", 0), totals.get("teachers"))
    topics = tally_texts(
        IdPlanItem.objects.filter(plan__in=plans).values_list("plan_id", "title"), limit=30
    )
    return IdPlanSummary(rows, totals, topics)


def text_key(text: str) -> str:
    """What two typed titles share when they are one topic: spaces, invisible marks, Thai or
    Arabic digits and letter case aside."""
    return " ".join(numerals.clean_text(text).split()).casefold()


def tally_texts(pairs, *, limit: int) -> list[tuple[str, int]]:
    """(owner, text) pairs → [(text as first written, owners who wrote it)], most first.

    Counts people, not rows: a teacher who wrote a topic twice in her ID plan is one teacher
    ("2 คน" was printed), and "การวิจัยในชั้นเรียน" typed with a double space or an invisible
    mark is the same topic, not a second row."""
    owners: dict[str, set] = {}
    shown: dict[str, str] = {}
    for owner, text in pairs:
        key = text_key(text)
        if not key:
            continue
        shown.setdefault(key, " ".join(text.split()))
        owners.setdefault(key, set()).add(owner)
    ranked = sorted(owners, key=lambda k: (-len(owners[k]), shown[k]))
    return [(shown[k], len(owners[k])) for k in ranked[:limit]]


def money(value) -> Decimal:
    return numerals.rounded(Decimal(value or 0))


# ---------------------------------------------------------------------------------------------
# Alignment of a plan with needs and strategy


@dataclass
class NeedCoverage:
    kind: str  # "competency" or "topic"
    stat: ItemStat
    projects: list[str]

    @property
    def covered(self) -> bool:
        return bool(self.projects)


@dataclass
class Alignment:
    plan: Plan
    needs: NeedsAnalysis | None
    top: int
    coverage: list[NeedCoverage]
    projects_without_need: list[str]
    by_strategy: list[tuple[str, Decimal]]
    by_need: list[tuple[str, Decimal]]
    projects: list[dict]  # each with "training": ProjectActual (computed from training)
    total_budget: Decimal
    total_actual: Decimal | None  # None until any actual figure is recorded
    training_total: ProjectActual = field(default_factory=ProjectActual)

    @property
    def uncovered(self) -> list[NeedCoverage]:
        return [c for c in self.coverage if not c.covered]


def _shares(amount: Decimal, parts: int) -> list[Decimal]:
    """`amount` in `parts` shares of whole satang that add up to it: 1,000 baht in three is
    333.34 + 333.33 + 333.33 (three shares of 333.33 printed a column of 999.99 under a
    total of 1,000.00)."""
    satang = int(money(amount) * 100)
    base, extra = divmod(satang, parts)
    return [Decimal(base + (i < extra)) / 100 for i in range(parts)]


def _split(amounts: dict[int, Decimal], links: dict[int, list], label) -> list[tuple[str, Decimal]]:
    """Budget per linked item; a project linked to k items gives each 1/k of its budget, so
    the column adds up to the plan's total (the remainder goes to "not linked")."""
    totals: Counter = Counter()
    for project_id, amount in amounts.items():
        keys = sorted(links.get(project_id) or [None], key=repr)
        for key, share in zip(keys, _shares(amount, len(keys)), strict=True):
            totals[key] += share
    rows = [(label(k), money(v)) for k, v in totals.items() if k is not None]
    rows.sort(key=lambda r: -r[1])
    if totals.get(None):
        rows.append(("(ไม่ได้เชื่อมโยง)", money(totals[None])))
    return rows


def alignment(user, plan: Plan, *, top: int = 5) -> Alignment:
    projects = list(
        Project.objects.filter(plan=plan)
        .annotate(budget=Sum("budget_lines__amount"), actual=Sum("budget_lines__actual"))
        .values("id", "number", "name", "target_count", "budget", "actual")
    )
    # Spending stays as typed on the budget lines; people and hours come from training.
    delivered = project_actuals(
        {p["id"]: p["target_count"] for p in projects}, office_id=plan.office_id
    )
    for p in projects:
        p["training"] = delivered[p["id"]]
    names = {p["id"]: p["name"] for p in projects}
    ids = list(names)
    through_s = Project.strategies.through.objects.filter(project_id__in=ids)
    through_c = Project.competencies.through.objects.filter(project_id__in=ids)
    through_t = Project.topics.through.objects.filter(project_id__in=ids)
    strategies: dict[int, list] = {}
    strategy_names = {}
    for pid, sid, num, text in through_s.values_list(
        "project_id", "frameitem_id", "frameitem__number", "frameitem__text"
    ):
        strategies.setdefault(pid, []).append(sid)
        strategy_names[sid] = f"กลยุทธ์ {num}. {text}"
    comp_links: dict[int, list] = {}
    need_names = {}
    for pid, cid, code, name in through_c.values_list(
        "project_id", "competency_id", "competency__code", "competency__name"
    ):
        comp_links.setdefault(pid, []).append(("c", cid))
        need_names[("c", cid)] = f"{code} {name}"
    for pid, tid, name in through_t.values_list("project_id", "topic_id", "topic__name"):
        comp_links.setdefault(pid, []).append(("t", tid))
        need_names[("t", tid)] = name

    needs = None
    coverage = []
    if plan.needs_round_id:
        needs = analyse_needs(user, plan.needs_round, show_free_text=False, office_wide=True)
        projects_of: dict[tuple, list[str]] = {}
        for pid, keys in comp_links.items():
            for key in keys:
                projects_of.setdefault(key, []).append(names[pid])
        for kind, letter, items in (
            ("competency", "c", needs.competencies),
            ("topic", "t", needs.topics),
        ):
            for stat in [s for s in items if s.rank is not None][:top]:
                coverage.append(
                    NeedCoverage(kind, stat, sorted(projects_of.get((letter, stat.key), [])))
                )  # fmt: skip
    amounts = {p["id"]: Decimal(p["budget"] or 0) for p in projects}
    return Alignment(
        plan=plan,
        needs=needs,
        top=top,
        coverage=coverage,
        projects_without_need=[p["name"] for p in projects if p["id"] not in comp_links],
        by_strategy=_split(amounts, strategies, strategy_names.get),
        by_need=_split(amounts, comp_links, need_names.get),
        projects=projects,
        total_budget=money(sum(amounts.values())),
        total_actual=(
            money(sum(Decimal(p["actual"] or 0) for p in projects))
            if any(p["actual"] is not None for p in projects)
            else None
        ),
        training_total=ProjectActual(
            courses=sum(a.courses for a in delivered.values()),
            # Per-project distinct people, added up: a person in two projects counts twice.
            participants=sum(a.participants for a in delivered.values()),
            passed=sum(a.passed for a in delivered.values()),
            hours=sum((a.hours for a in delivered.values()), Decimal("0")),
        ),
    )


# ---------------------------------------------------------------------------------------------
# A project's results report


@dataclass
class ResultLine:
    """One row of "ผลการดำเนินงานเทียบกับเป้าหมาย": a target, what was achieved, and whether
    it was reached (None: no figure to compare)."""

    label: str
    target: str
    actual: str
    reached: bool | None = None

    @property
    def verdict(self) -> str:
        return {True: "บรรลุเป้าหมาย", False: "ไม่บรรลุเป้าหมาย"}.get(self.reached, "—")


@dataclass
class ProjectResults:
    project: Project
    report: ProjectReport | None
    courses: list  # the project's courses with first_day, last_day, participants, passed, pending
    delivered: ProjectActual
    lines: list[ResultLine]

    def text(self, name: str) -> str:
        return getattr(self.report, name, "") if self.report else ""


def figure(value) -> str:
    """A typed figure (a KPI's baseline or target) as the plan writes it on every page and
    document: "80", "12.5", "0"; "—" when none was typed."""
    return "—" if value is None or value == "" else numerals.format_figure(value)


def _pct_of(n, d) -> str:
    return f"ร้อยละ {format_percent(percent_of(n, d))}" if d else ""


def with_unit(value, unit: str) -> str:
    """A figure with its unit in Thai order: "200 คน", "180,000 บาท", but "ร้อยละ 80" (the
    word comes first), "ร้อยละ 80 (ไม่น้อยกว่า)" for a unit typed "ร้อยละ (ไม่น้อยกว่า)"."""
    figure, unit = numerals.format_figure(value), (unit or "").strip()
    if unit.startswith("ร้อยละ"):
        return f"ร้อยละ {figure} {unit.removeprefix('ร้อยละ').strip()}".strip()
    return f"{figure} {unit}".strip()


def project_results(project: Project) -> ProjectResults:
    """The figures of a project's results report, from the courses linked to it (people
    counted once across courses, passes by the course rule) and the plan's targets, KPIs
    and budget lines with the results the office recorded on them. Seven queries whatever
    the number of courses or people."""
    from django.db.models import Max, Min

    from training.models import Course, CourseStatus
    from training.queries import course_result_counts

    courses = list(
        Course.objects.filter(project=project, office_id=project.plan.office_id)
        .exclude(status=CourseStatus.DRAFT)
        .annotate(first_day=Min("sessions__start_date"), last_day=Max("sessions__end_date"),
                  **course_result_counts())
        .order_by("first_day", "id")
    )  # fmt: skip
    delivered = project_actuals(
        {project.pk: project.target_count}, office_id=project.plan.office_id
    )[project.pk]
    lines = []
    groups = f" ({project.target_groups})" if project.target_groups else ""
    if project.target_count:
        lines.append(ResultLine(
            f"ผู้เข้ารับการพัฒนา{groups}",
            f"{project.target_count:,} คน",
            f"{delivered.participants:,} คน "
            f"({_pct_of(delivered.participants, project.target_count)} ของเป้าหมาย)"
            if courses else "ยังไม่ได้ดำเนินการ",
            delivered.participants >= project.target_count if courses else None,
        ))  # fmt: skip
    if delivered.participants:
        # Passes as every results table counts them: of the people whose session has ended
        # and whose result is decided; the rest are named apart, never counted as not passed.
        waiting = delivered.participants - delivered.decided
        actual = (
            f"{delivered.decided_passed:,} คน "
            f"(ร้อยละ {format_percent(delivered.pass_pct)} ของผู้เข้ารับการพัฒนา)"
            if delivered.decided
            else "ยังไม่มีผู้ที่จบรุ่นและทราบผล"
        )
        if waiting:
            actual += f" · ยังอยู่ระหว่างการพัฒนาหรือรอผล {waiting:,} คน"
        lines.append(ResultLine("ผู้ผ่านการพัฒนาตามเกณฑ์ของหลักสูตร", "—", actual))
    for k in project.kpis.all():
        target = with_unit(k.target, k.unit) if k.target is not None else "—"
        if k.actual is None:
            lines.append(ResultLine(k.text, target, "ยังไม่ได้บันทึกผล"))
            continue
        reached = k.actual >= k.target if k.target is not None else None
        lines.append(ResultLine(k.text, target, with_unit(k.actual, k.unit), reached))
    budget = list(project.budget_lines.all())
    if budget:
        planned = sum((b.amount for b in budget), Decimal(0))
        spent = [b.actual for b in budget if b.actual is not None]
        used = sum(spent, Decimal(0))
        lines.append(ResultLine(
            "งบประมาณ", f"{numerals.format_figure(planned)} บาท",
            f"ใช้จริง {numerals.format_figure(used)} บาท"
            + (f" ({_pct_of(used, planned)})" if planned else "")
            if spent else "ยังไม่ได้บันทึกการใช้จ่ายจริง",
        ))  # fmt: skip
    report = ProjectReport.objects.filter(project=project).first()
    return ProjectResults(project, report, courses, delivered, lines)
