"""Reads for PA, academic standing and debt pages, scoped to the user."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from accounts.queries import office_users_who_can
from accounts.roles import MANAGE_DEBT, MANAGE_PA, RATE_STAFF, Role, can
from registry.models import TEACHING_TYPES, Office, Person, PositionChange
from registry.queries import people_counted_for

from . import scoring
from .models import (
    CareerRules,
    DebtCase,
    DebtProfile,
    PAAgreement,
    PAEdition,
    PAStatus,
    StandingRule,
)


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
    mean = (sum((e.total for e in done), Decimal("0")) / len(done)).quantize(Decimal("0.01"))
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
    person: Person
    rule: StandingRule
    since: dt.date | None
    years: int | None
    required: int
    ready: bool


def _years_between(start: dt.date, end: dt.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def standing_readiness(people, *, as_of: dt.date) -> list[Readiness]:
    """Who meets the tenure condition for the next standing on `as_of` (rules as data).

    Time in the current standing runs from the last recorded change of standing in the
    person's history, else from the appointment date."""
    rules = {r.from_standing_id: r for r in StandingRule.objects.select_related("to_standing")}
    people = list(
        people.filter(academic_standing_id__in=rules, status="active").select_related(
            "academic_standing", "school"
        )
    )
    changed = dict(
        PositionChange.objects.filter(person__in=people, field="วิทยฐานะ")
        .values("person_id")
        .annotate(last=models_max("effective_date"))
        .values_list("person_id", "last")
    )
    out = []
    for p in people:
        rule = rules[p.academic_standing_id]
        since = changed.get(p.pk) or p.appointment_date
        years = _years_between(since, as_of) if since else None
        required = rule.min_years
        if p.highest_degree == "doctorate" and rule.min_years_with_doctorate is not None:
            required = rule.min_years_with_doctorate
        elif (
            p.highest_degree in ("master", "doctorate") and rule.min_years_with_masters is not None
        ):
            required = rule.min_years_with_masters
        out.append(
            Readiness(p, rule, since, years, required, years is not None and years >= required)
        )
    return sorted(out, key=lambda r: (not r.ready, r.person.first_name))


def models_max(field: str):
    from django.db.models import Max

    return Max(field)


# ---------------------------------------------------------------------------------- debt


def debt_officers(office: Office):
    """Who may handle a debt case of the office: its users holding the debt capability."""
    return office_users_who_can(office.pk, MANAGE_DEBT).order_by("first_name", "username")


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
