"""Reads for community pages: always scoped to what the user's role may see."""

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from accounts.models import User
from accounts.roles import (
    MANAGE_AWARDS,
    MANAGE_NETWORKS,
    MANAGE_PLC,
    PUBLISH_PRACTICES,
    RECORD_VISITS,
    Role,
    can,
)
from krupd.lib import compiled_queries, query_params, thai_dates
from registry import labels
from registry.models import Network, Office, Person, School
from registry.queries import open_on, schools_visible_to

from . import coaches
from .models import (
    AwardCertificate,
    AwardCertificateStatus,
    AwardLevel,
    AwardResult,
    AwardRound,
    BestPractice,
    CommunityRules,
    JointActivity,
    Nomination,
    Partner,
    PLCGroup,
    PLCLevel,
    PLCMeeting,
    PracticeStatus,
    ResultOutcome,
    RoundStatus,
    Visit,
    VisitStatus,
)

# Inspectors see counts (PLC activity, visit coverage), never the people in a group or visit.
OFFICE_WIDE = (Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR)


def rules_for(office: Office) -> CommunityRules:
    rules, _ = CommunityRules.objects.get_or_create(office=office)
    return rules


# ----------------------------------------------------------------------------------- PLC


def plc_groups_visible_to(user) -> QuerySet[PLCGroup]:
    groups = PLCGroup.objects.filter(office_id=user.office_id)
    if user.role in OFFICE_WIDE:
        return groups
    # Scoped through a subquery of ids, not a join on members: a join would be reused by a
    # later Count("members") and count only the matching member.
    # A meeting someone attended stays theirs after they leave the group: it is in their
    # hours, their transcript and their PA pack, which link to the group's page.
    if user.role == Role.SCHOOL_DIRECTOR and user.school_id:
        network_id = School.objects.filter(pk=user.school_id).values("network_id")
        ids = PLCGroup.objects.filter(
            Q(school_id=user.school_id)
            | Q(network_id__in=network_id)
            | Q(members__school_id=user.school_id)
            | Q(meetings__attendees__school_id=user.school_id)
        ).values("pk")
        return groups.filter(pk__in=ids)
    if user.person_id:
        ids = PLCGroup.objects.filter(
            Q(members=user.person_id)
            | Q(facilitator=user.person_id)
            | Q(meetings__attendees=user.person_id)
        ).values("pk")
        return groups.filter(pk__in=ids)
    return groups.none()


def may_log_plc(user, group: PLCGroup) -> bool:
    """Facilitator and members log their own meetings; PLC managers in scope log any."""
    if user.person_id and (
        group.facilitator_id == user.person_id or group.members.filter(pk=user.person_id).exists()
    ):
        return True
    if not can(user, MANAGE_PLC):
        return False
    if user.role == Role.SCHOOL_DIRECTOR:
        return group.school_id == user.school_id
    return group.office_id == user.office_id


def plc_hours_by_person(people, *, fiscal_year: int) -> dict[int, Decimal]:
    """PLC hours per person in a fiscal year: every logged meeting they attended counts."""
    start = thai_dates.fiscal_year_start(fiscal_year)
    end = thai_dates.fiscal_year_end(fiscal_year)
    rows = (
        PLCMeeting.attendees.through.objects.filter(
            person__in=people, plcmeeting__date__range=(start, end)
        )
        .values("person_id")
        .annotate(h=Sum("plcmeeting__hours"))
    )
    return {r["person_id"]: r["h"] for r in rows}


def plc_meetings_attended(person_id: int, *, fiscal_year: int) -> list[PLCMeeting]:
    """The meetings plc_hours_by_person counts for one person, each a line of her
    transcript (date, group, hours), oldest first: the lines add up to her logged hours."""
    start = thai_dates.fiscal_year_start(fiscal_year)
    end = thai_dates.fiscal_year_end(fiscal_year)
    return list(
        PLCMeeting.objects.filter(attendees__pk=person_id, date__range=(start, end))
        .select_related("group")
        .order_by("date", "id")
    )


def plc_total_hours_by_person(people, *, fiscal_year: int) -> dict[int, Decimal]:
    """A person's PLC hours of a fiscal year as her transcript and PA pack count them (PLC
    hours, training.queries.transcript): the meetings she attended plus her passed courses
    run as PLC credited to the year. The PLC pages measure the PLC target with these, so "my
    PLC hours" is one figure wherever it is shown."""
    from training.models import CourseMode, Enrolment, EnrolmentStatus
    from training.queries import hours_by_credit_year

    hours = dict(plc_hours_by_person(people, fiscal_year=fiscal_year))
    courses = hours_by_credit_year(
        Enrolment.objects.filter(person__in=people, course__mode=CourseMode.PLC).exclude(
            status__in=[EnrolmentStatus.CANCELLED, EnrolmentStatus.REJECTED]
        ),
        "person_id",
        years=[fiscal_year],
    )
    for r in courses:
        pk = r["person_id"]
        hours[pk] = hours.get(pk, Decimal("0")) + r["hours"]
    return hours


def plc_hours(person: Person, *, fiscal_year: int) -> Decimal:
    """One person's PLC hours of the year (plc_total_hours_by_person)."""
    return plc_total_hours_by_person([person.pk], fiscal_year=fiscal_year).get(
        person.pk, Decimal("0")
    )


def member_hours(group: PLCGroup) -> list[tuple[Person, Decimal, int]]:
    """(member, hours in this group, meetings attended), members first, then other attendees."""
    rows = (
        PLCMeeting.attendees.through.objects.filter(plcmeeting__group=group)
        .values("person_id")
        .annotate(h=Sum("plcmeeting__hours"), n=Count("plcmeeting_id"))
    )
    by_person = {r["person_id"]: (r["h"], r["n"]) for r in rows}
    people = list(group.members.select_related("school", "office").order_by("first_name"))
    ids = {p.pk for p in people}
    people += list(
        Person.objects.filter(pk__in=set(by_person) - ids)
        .select_related("school", "office")
        .order_by("first_name")
    )
    labels.with_workplace_labels(people)  # namesake schools with their codes
    return [(p, *by_person.get(p.pk, (Decimal("0"), 0))) for p in people]


@dataclass
class PLCActivityRow:
    label: str
    school_id: int | None
    groups: int = 0
    meetings: int = 0
    hours: Decimal = Decimal("0")
    members: int = 0
    reached_target: int = 0
    # People reaching the target are counted by their school (or the office, for its own
    # staff): a network's row has no such count.
    counts_reached: bool = True


def plc_activity(user, *, fiscal_year: int) -> list[PLCActivityRow]:
    """PLC activity per school (school-level groups) and per network, for the fiscal year."""
    start = thai_dates.fiscal_year_start(fiscal_year)
    end = thai_dates.fiscal_year_end(fiscal_year)
    if user.role == Role.INSPECTOR:
        groups = PLCGroup.objects.filter(office_id=user.office_id)
    else:
        groups = plc_groups_visible_to(user)
    meetings = PLCMeeting.objects.filter(group__in=groups, date__range=(start, end))
    rules = rules_for(user.office) if user.office_id else None
    target = rules.plc_hour_target if rules else Decimal("50")
    # The year's groups: those of an academic year the fiscal year holds (formed, perhaps not
    # met yet) and those that met in it; not every group the school ever had.
    years = thai_dates.academic_years_of_fiscal_year(
        fiscal_year, term_one_opens=rules.term_opening(1) if rules else (5, 16)
    )
    groups = groups.filter(Q(academic_year__in=years) | Q(pk__in=meetings.values("group_id")))
    rows: dict[tuple, PLCActivityRow] = {}
    members: dict[tuple, set[int]] = defaultdict(set)
    for g in groups.select_related("school", "network"):
        key = (g.level, g.school_id or g.network_id)
        row = rows.setdefault(key, PLCActivityRow(label=g.unit_name, school_id=g.school_id))
        row.groups += 1
    # Members of a school or network, each person once however many of its groups she is in.
    through = PLCGroup.members.through.objects.filter(plcgroup__in=groups)
    for level, school_id, network_id, person_id in through.values_list(
        "plcgroup__level", "plcgroup__school_id", "plcgroup__network_id", "person_id"
    ):
        members[(level, school_id or network_id)].add(person_id)
    for key, people in members.items():
        rows[key].members = len(people)
    for m in meetings.values("group__level", "group__school_id", "group__network_id").annotate(
        n=Count("id"), h=Sum("hours")
    ):
        key = (m["group__level"], m["group__school_id"] or m["group__network_id"])
        if key in rows:
            rows[key].meetings += m["n"]
            rows[key].hours += m["h"] or 0
    # People reaching the yearly hour target, in the row of the person's school (the office's
    # own staff: the office's row). Whoever reached it is in one row: a school without a
    # group of its own (its teacher met in another school's group) gets a row for her.
    attendee_people = Person.objects.filter(plc_meetings__in=meetings).distinct()
    hours = plc_total_hours_by_person(attendee_people, fiscal_year=fiscal_year)
    reached_by_school = defaultdict(int)
    for pid, school_id in attendee_people.values_list("id", "school_id"):
        if hours.get(pid, 0) >= target:
            reached_by_school[school_id] += 1
    office_wide = user.role == Role.INSPECTOR or user.role in OFFICE_WIDE
    seen = set(schools_visible_to(user).filter(pk__in=[s for s in reached_by_school if s])
               .values_list("pk", flat=True))  # fmt: skip
    for school_id in reached_by_school:
        if school_id is None and office_wide:
            rows.setdefault((PLCLevel.OFFICE, None),
                            PLCActivityRow(label=user.office.name, school_id=None))  # fmt: skip
        elif school_id in seen:
            rows.setdefault((PLCLevel.SCHOOL, school_id),
                            PLCActivityRow(label="", school_id=school_id))  # fmt: skip
    # A school's rows by its id, named with its OBEC code where a namesake has a row too.
    shown = labels.school_labels(
        unit for (level, unit) in rows if level == PLCLevel.SCHOOL and unit is not None
    )
    for (level, unit), row in rows.items():
        if level == PLCLevel.SCHOOL:
            row.reached_target = reached_by_school.get(unit, 0)
            if unit is not None:
                row.label = shown[unit]
        elif level == PLCLevel.OFFICE:
            row.reached_target = reached_by_school.get(None, 0) if office_wide else 0
        row.counts_reached = level == PLCLevel.SCHOOL or (level == PLCLevel.OFFICE and office_wide)
    return sorted(rows.values(), key=lambda r: (-r.hours, r.label))


# ------------------------------------------------------------------------------- visits


def visit_scope(user) -> tuple[str, tuple[int, ...]] | None:
    """Which visits a user sees, as (shape, ids): the office's (those who record visits),
    their school's (a director) or those they took part in; None: none. A query compiled
    once per shape (compiled_queries) takes the shape as its key and the ids as arguments."""
    if not user.office_id:
        return None
    if can(user, RECORD_VISITS):
        return "office", (user.office_id,)
    if user.role == Role.SCHOOL_DIRECTOR and user.school_id:
        return "school", (user.office_id, user.school_id)
    if user.person_id:
        return "person", (user.office_id, user.person_id)
    return None


def _visits_in(shape: str, office_id: int, other_id: int | None = None) -> QuerySet[Visit]:
    visits = Visit.objects.filter(office_id=office_id)
    if shape == "school":
        return visits.filter(school_id=other_id)
    if shape == "person":
        return visits.filter(people=other_id).distinct()
    return visits


def visits_visible_to(user) -> QuerySet[Visit]:
    scope = visit_scope(user)
    return _visits_in(scope[0], *scope[1]) if scope else Visit.objects.none()


def academic_year_on(today: dt.date, rules: CommunityRules) -> int:
    """The academic year (BE) `today` is in, by the office's term-1 opening (not always 16 May:
    an office that opened on 1 June is still in last year's on 20 May)."""
    return thai_dates.academic_year(today, term_one_opens=rules.term_opening(1))


def academic_year_of_office(office_id: int | None, today: dt.date) -> int:
    """The academic year (BE) an office is in on `today`, by its own term-1 opening
    (academic_year_on): what every page that shows "this academic year" for an office reads.
    One read of the office's setting (its SQL compiled once), and no row written: an office
    that never saved its settings opens on the default 16 May."""
    return academic_year_on(today, term_rules_of(office_id))


def term_rules_of(office_id: int | None) -> CommunityRules:
    """The office's term settings as stored, read only (rules_for creates the row, for the
    pages that edit it); the defaults, unsaved, when the office has none."""
    if office_id is None:
        return CommunityRules()
    found = compiled_queries.objects_for(
        ("community.term_rules",),
        lambda office_id: CommunityRules.objects.filter(office_id=office_id),
        office_id,
        using=compiled_queries.reading(CommunityRules),
    )
    return found[0] if found else CommunityRules(office_id=office_id)


def academic_year_opens(academic_year: int, rules: CommunityRules) -> dt.date:
    """The first day of BE academic year `academic_year`: its term 1's opening by the office's
    setting (16 May unless the office set another day), as academic_year_on reads it."""
    return _day_of(academic_year - thai_dates.BE_OFFSET, *rules.term_opening(1))


def current_term(today: dt.date, rules: CommunityRules) -> tuple[str, dt.date, dt.date]:
    """(label, first day, last day) of the school term containing `today`, from the office's
    term openings: term 1 of academic year Y opens in Y (16 May by default) and runs to the
    day before term 2 (1 Nov by default; a January opening is in the next calendar year);
    term 2 runs to the day before term 1 of Y + 1."""
    opens_one = rules.term_opening(1)
    year = academic_year_on(today, rules)
    ce = year - thai_dates.BE_OFFSET
    month, day = rules.term_opening(2)
    term1 = academic_year_opens(year, rules)
    term2 = _day_of(ce + (1 if month < opens_one[0] else 0), month, day)
    next_year = academic_year_opens(year + 1, rules)
    if term1 <= today < term2:
        return f"ภาคเรียนที่ 1/{year}", term1, term2 - dt.timedelta(days=1)
    return f"ภาคเรียนที่ 2/{year}", term2, next_year - dt.timedelta(days=1)


def _day_of(year: int, month: int, day: int) -> dt.date:
    # A 29 February setting falls on 28 February in a year without one.
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def upcoming_visits(
    user, *, today: dt.date, days: int = 60, mine: bool = False
) -> list[tuple[dt.date, str, Visit]]:
    """Planned visits and agreed next visits within `days`, in date order; `mine`: only the
    visits this user makes (the supervisor's own calendar)."""
    scope = visit_scope(user)
    if scope is None:
        return []
    shape, ids = scope

    def build(*args):
        # args: the scope's ids, the visitor's id when `mine`, the first and last day.
        visits = _visits_in(shape, *args[: len(ids)]).select_related("school")
        if mine:
            visits = visits.filter(visitor_id=args[len(ids)])
        first, last = args[-2:]
        # One query for both kinds: a visit is either planned or done, never both.
        return visits.filter(
            Q(status=VisitStatus.PLANNED, date__range=(first, last))
            | Q(status=VisitStatus.DONE, next_visit__range=(first, last))
        )

    # The home page of everyone who records visits asks: the SQL is compiled once per shape.
    found = compiled_queries.objects_for(
        ("community.upcoming_visits", shape, mine),
        build,
        (*ids, *([user.pk] if mine else []), today, today + dt.timedelta(days=days)),
        using=compiled_queries.reading(Visit),
    )
    rows = [
        (v.date, "นัดหมาย", v) if v.status == VisitStatus.PLANNED else (v.next_visit, "นัดครั้งต่อไป", v)
        for v in found
    ]
    return sorted(rows, key=lambda r: (r[0], r[2].school.name))


def visits_to_record(user, *, today: dt.date) -> QuerySet[Visit]:
    """This user's own appointments whose day has passed without a record of the visit:
    what the supervisor writes up (or marks cancelled) next."""
    return _to_record(visits_visible_to(user), user.pk, today)


def _to_record(visits: QuerySet[Visit], user_id: int, today: dt.date) -> QuerySet[Visit]:
    return visits.filter(visitor_id=user_id, status=VisitStatus.PLANNED, date__lt=today)


def count_visits_to_record(user, *, today: dt.date) -> int:
    """How many visits_to_record lists (the home page's line), compiled once per shape."""
    scope = visit_scope(user)
    if scope is None:
        return 0
    shape, ids = scope
    return compiled_queries.count_for(
        ("community.count_visits_to_record", shape),
        lambda *args: _to_record(_visits_in(shape, *args[:-2]), *args[-2:]),
        (*ids, user.pk, today),
        using=compiled_queries.reading(Visit),
    )


def coverage(user, *, start: dt.date, end: dt.date) -> tuple[list[School], list[School]]:
    """(schools visited in the period, schools not visited), among schools the user sees: a
    school closed (or merged into another) by the period's first day is not one of them, unless
    it was visited in the period (its visits stay counted)."""
    done = Visit.objects.filter(
        school=OuterRef("pk"), status=VisitStatus.DONE, date__range=(start, end)
    )
    schools = (
        schools_visible_to(user)
        .annotate(visited=Exists(done))
        .filter(open_on(start) | Q(visited=True))
        .order_by("obec_code")
    )
    visited, not_visited = [], []
    for s in schools.select_related("network"):
        (visited if s.visited else not_visited).append(s)
    return visited, not_visited


# ----------------------------------------------------------------------------- networks


def networks_visible_to(user) -> QuerySet[Network]:
    networks = Network.objects.filter(office_id=user.office_id)
    if user.role == Role.SCHOOL_DIRECTOR:
        return networks.filter(schools=user.school_id)
    if user.role == Role.TEACHER:
        return networks.none()
    return networks


def network_list(user, today: dt.date | None = None) -> QuerySet[Network]:
    """The networks with their schools open `today` (a school closed or merged into another
    by then is no longer one of them), goals and activities counted."""
    open_today = open_on(today or timezone.localdate(), "schools__")
    return (
        networks_visible_to(user)
        .select_related("profile__chair", "profile__secretary", "profile__supervisor")
        .annotate(
            n_schools=Count("schools", distinct=True, filter=open_today),
            n_goals=Count("goals", distinct=True),
            n_activities=Count("activities", distinct=True),
        )
        .order_by("name")
    )


def network_schools(network: Network, today: dt.date | None = None) -> tuple[list, list]:
    """The network's schools by name as (open `today`, closed or merged into another by
    then): the network page lists the first as its schools and names the others apart."""
    today = today or timezone.localdate()
    schools = network.schools.select_related("merged_into").order_by("name")
    open_, closed = [], []
    for school in schools:
        (closed if school.is_closed_on(today) else open_).append(school)
    return open_, closed


def partners_visible_to(user) -> QuerySet[Partner]:
    if user.role == Role.TEACHER or not user.office_id:
        return Partner.objects.none()
    return Partner.objects.filter(office_id=user.office_id)


@dataclass
class GrowthRow:
    fiscal_year: int
    partners: int
    activities: int
    mous: int
    cash: Decimal
    in_kind: Decimal
    growth_pct: float | None = None
    met_target: bool | None = None
    basis: str = ""  # what the growth compares with

    @property
    def resources(self) -> Decimal:
        return self.cash + self.in_kind


def partnership_target(office: Office) -> Decimal | None:
    """The yearly partnership growth target: the office's KPI target of the plan's success
    indicator (set on the KPI targets page), the one definition the dashboard also uses."""
    from reporting.queries import PARTNERSHIP_GROWTH, target_for

    row = target_for(office, PARTNERSHIP_GROWTH)
    return row.target if row is not None else None


def partnership_growth(office: Office, *, today: dt.date | None = None) -> list[GrowthRow]:
    """Per fiscal year: partners active (with a joint activity), activities, new MOUs and
    resources mobilised; growth = change in joint activities against the previous year,
    compared with the office's yearly target (partnership_target). The fiscal year still
    running is compared with the same days of the year before, like the KPI dashboard."""
    from reporting.kpis import growth_basis, like_period_end

    today = today or timezone.localdate()
    running, like_end = thai_dates.fiscal_year(today), like_period_end(today)
    same_months_last_year = 0
    target = partnership_target(office)
    years: dict[int, GrowthRow] = {}

    def row(fy: int) -> GrowthRow:
        return years.setdefault(fy, GrowthRow(fy, 0, 0, 0, Decimal("0"), Decimal("0")))

    partners_by_year: dict[int, set[int]] = defaultdict(set)
    for a in JointActivity.objects.filter(office=office).only(
        "date", "partner_id", "cash", "in_kind_value"
    ):
        fy = thai_dates.fiscal_year(a.date)
        if fy == running - 1 and a.date <= like_end:
            same_months_last_year += 1
        r = row(fy)
        r.activities += 1
        r.cash += a.cash
        r.in_kind += a.in_kind_value
        partners_by_year[fy].add(a.partner_id)
    from .models import MOU

    for signed in MOU.objects.filter(partner__office=office).values_list("signed_on", flat=True):
        row(thai_dates.fiscal_year(signed)).mous += 1
    ordered = [years[fy] for fy in sorted(years)]
    previous = None
    for r in ordered:
        r.partners = len(partners_by_year.get(r.fiscal_year, ()))
        like = r.fiscal_year == running
        base = same_months_last_year if like else previous.activities if previous else 0
        r.basis = growth_basis(r.fiscal_year, like_period=like, today=today)
        if previous is not None and previous.fiscal_year == r.fiscal_year - 1 and base:
            r.growth_pct = (r.activities - base) * 100 / base
            r.met_target = r.growth_pct >= float(target) if target is not None else None
        previous = r
    return ordered


# -------------------------------------------------------------------------------- awards


def rounds_visible_to(user) -> QuerySet[AwardRound]:
    rounds = AwardRound.objects.filter(programme__office_id=user.office_id).select_related(
        "programme"
    )
    if can(user, MANAGE_AWARDS):
        return rounds
    return rounds.filter(
        Q(status__in=[RoundStatus.OPEN, RoundStatus.JUDGING, RoundStatus.CLOSED])
        | Q(judges=user.pk)
    ).distinct()


def judge_candidates(office_id) -> QuerySet:
    """Who an award round's judges are chosen among: the office's active accounts."""
    return User.objects.filter(office_id=office_id, is_active=True)


def is_judge(user, round_: AwardRound) -> bool:
    return round_.judges.filter(pk=user.pk).exists()


def judge_conflict(judge, nomination: Nomination) -> str:
    """Why a judge of the round may not score this nomination, "" when they may: nobody
    judges their own work. The one rule of who judges whom: the score form, the average and
    the round's "judges who scored" count all follow it. (Whether a director may judge her
    own school's nominee is the office's choice of panel: no circular rules it out.)"""
    if judge.person_id and judge.person_id == nomination.person_id:
        return "กรรมการให้คะแนนผลงานของตนเองไม่ได้"
    return ""


def scoring_judge_ids(nomination: Nomination, judges) -> set[int]:
    """The round's judges (`judges`: its panel now) whose scores count for this nomination:
    a judge taken off the panel, or one who may not judge it (judge_conflict), counts not."""
    return {j.pk for j in judges if not judge_conflict(j, nomination)}


def nominations_visible_to(user, round_: AwardRound) -> QuerySet[Nomination]:
    rows = round_.nominations.select_related("person", "school")
    if can(user, MANAGE_AWARDS) or is_judge(user, round_):
        return rows
    if round_.status == RoundStatus.CLOSED:
        # Announced results are public honours: winners only, without scores (see template).
        return rows.filter(results__level=AwardLevel.AREA, results__outcome=ResultOutcome.WINNER)
    if user.role == Role.SCHOOL_DIRECTOR and user.school_id:
        return rows.filter(school_id=user.school_id)
    if user.person_id:
        return rows.filter(person_id=user.person_id)
    return rows.none()


def awards_table(office: Office, *, year: int) -> list[tuple[AwardRound, int, int, int, int]]:
    """The SAR's yearly awards table: per selection, how many were selected, and at which
    level: (round, nominated, selected at area, region, national)."""
    rounds = (
        AwardRound.objects.filter(programme__office=office, year=year)
        .select_related("programme")
        .annotate(
            n_nominated=Count("nominations", distinct=True),
            n_area=_count_level(AwardLevel.AREA),
            n_region=_count_level(AwardLevel.REGION),
            n_national=_count_level(AwardLevel.NATIONAL),
        )
        .order_by("programme__name", "id")
    )
    return [(r, r.n_nominated, r.n_area, r.n_region, r.n_national) for r in rounds]


def awards_table_totals(rows) -> tuple[int, int, int, int]:
    """The awards table's "รวม" row: (nominated, selected at area, region, national), summed
    over its rounds; the page and the workbook print the same four."""
    return tuple(sum(r[i] for r in rows) for i in (1, 2, 3, 4))


def _count_level(level: str) -> Count:
    return Count(
        "nominations__results",
        filter=Q(
            nominations__results__level=level,
            nominations__results__outcome=ResultOutcome.WINNER,
        ),
        distinct=True,
    )


def award_years(office: Office) -> list[int]:
    return sorted(
        set(AwardRound.objects.filter(programme__office=office).values_list("year", flat=True)),
        reverse=True,
    )


def award_year_for(office: Office, *, fiscal_year: int) -> int | None:
    """The award year a report of a fiscal year shows: awards are named by their own year
    ("ประจำปี 2568"), so it is the latest award year up to that fiscal year (None: none)."""
    return max((y for y in award_years(office) if y <= fiscal_year), default=None)


def default_awards_year(office: Office, *, current: int) -> int:
    """The year the awards table opens on: the current year when it has results, else the
    latest year that has any, else the current year (or the latest year with a round)."""
    with_results = set(
        AwardResult.objects.filter(nomination__round__programme__office=office).values_list(
            "nomination__round__year", flat=True
        )
    )
    if current in with_results:
        return current
    if with_results:
        return max(with_results)
    years = award_years(office)
    return current if current in years or not years else years[0]


def results_of(round_: AwardRound) -> dict[int, dict[str, AwardResult]]:
    by_nomination: dict[int, dict[str, AwardResult]] = defaultdict(dict)
    for r in AwardResult.objects.filter(nomination__round=round_):
        by_nomination[r.nomination_id][r.level] = r
    return by_nomination


def valid_award_certificates(person_id: int, *, start: dt.date, end: dt.date):
    """A person's award certificates that still verify, for results announced between `start`
    and `end` (a PA cycle): what she may show as evidence and what her ledger lists."""
    return AwardCertificate.objects.filter(
        result__nomination__person_id=person_id,
        status=AwardCertificateStatus.VALID,
        announced_on__range=(start, end),
    ).order_by("announced_on", "level", "id")


# ------------------------------------------------------------------------ best practices


def practices_visible_to(user) -> QuerySet[BestPractice]:
    """Published items: everyone in the office. Drafts: their owners and creator, and the
    reviewers (publishers)."""
    rows = BestPractice.objects.filter(office_id=user.office_id)
    if can(user, PUBLISH_PRACTICES):
        return rows
    mine = Q(created_by=user.pk)
    if user.person_id:
        mine |= Q(owners=user.person_id)
    if user.role == Role.SCHOOL_DIRECTOR and user.school_id:
        mine |= Q(school_id=user.school_id)
    return rows.filter(Q(status=PracticeStatus.PUBLISHED) | mine).distinct()


def practice_list(user, *, q: str = "", area: str = "", level: str = "", status: str = ""):
    from .search import search

    rows = practices_visible_to(user)
    if area:
        rows = rows.filter(learning_area_id=query_params.object_id(area))
    if level:
        rows = rows.filter(level=level)
    if status:
        rows = rows.filter(status=status)
    rows = search(rows, q)
    return rows.select_related("school", "learning_area").prefetch_related(
        Prefetch("owners", queryset=Person.objects.only("id", "title", "first_name", "last_name"))
    )


@dataclass
class Hub:
    counts: dict = field(default_factory=dict)


def hub_counts(user) -> dict[str, int]:
    today = timezone.localdate()
    return {
        "plc_groups": plc_groups_visible_to(user).count(),
        "visits_upcoming": len(upcoming_visits(user, today=today, days=30)),
        "rounds_open": rounds_visible_to(user).filter(status=RoundStatus.OPEN).count(),
        "practices": practices_visible_to(user).filter(status=PracticeStatus.PUBLISHED).count(),
        "networks": networks_visible_to(user).count(),
        "partners": partners_visible_to(user).count(),
    }


def may_manage_network(user, network: Network) -> bool:
    return can(user, MANAGE_NETWORKS) and network.office_id == user.office_id


def coach_name_warnings(visit: Visit) -> list[str]:
    """What the page says of the people a visit's "supervisor/coach" box names ("ศน.ก และคณะ",
    "ศน.ก, ศน.ข"): each name that is nobody of the office's people, or two of them, is
    said, never guessed; the box is kept as typed. The recording account's own name (the box's
    default) is its coach already."""
    own = visit.visitor.get_full_name() if visit.visitor_id else ""
    if not visit.visitor_name or visit.visitor_name == own:
        return []
    names = coaches.coach_names(visit.visitor_name)
    people = Person.objects.filter(
        office_id=visit.office_id, first_name__in=coaches.first_words(names)
    ).only("title", "first_name", "last_name")
    field = Visit._meta.get_field("visitor_name").verbose_name
    return coaches.coach_problems(coaches.match_coaches(names, people), field=field)
