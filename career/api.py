"""Read API for career: counts only. PA status per school and the debt clinic summary name
nobody, so reading them is not audited (opening a person's debt record is, in career.access)."""

from decimal import Decimal

from django.utils import timezone
from ninja import Router, Schema

from krupd.lib import query_params, thai_dates

from . import access, queries
from .models import CaseOutcome, CreditorKind, PAStatus

router = Router(tags=["PA และหนี้สินครู"])


class PAStatusRowOut(Schema):
    school: str
    teachers: int
    by_status: dict[str, int]
    passed: int


class PAStatusOut(Schema):
    fiscal_year: int
    rows: list[PAStatusRowOut]
    totals: dict[str, int]
    teachers: int
    passed: int


class CountOut(Schema):
    key: str
    label: str
    count: int


class DebtSummaryOut(Schema):
    threshold_pct: Decimal
    profiles: int
    below_threshold: int
    cases: int
    by_outcome: list[CountOut]
    by_creditor: list[CountOut]
    outstanding: Decimal


@router.get("/pa/status", response=PAStatusOut)
def pa_status(request, fy: int | None = None):
    """Per school (directors: their own): teachers, agreements by status, passed all three."""
    access.require_pa_status(request.user)
    # Read as the pages read ?fy= (2026 and 69 ask for 2569; nonsense is the current year).
    default = thai_dates.fiscal_year(timezone.localdate())
    fy = query_params.be_year({"fy": fy} if fy is not None else {}, "fy", default=default)
    rows = queries.pa_status(request.user, fiscal_year=fy)
    return PAStatusOut(
        fiscal_year=fy,
        rows=[
            PAStatusRowOut(
                school=r.label,
                teachers=r.teachers,
                by_status={s: r.by_status.get(s, 0) for s in PAStatus.values},
                passed=r.passed,
            )
            for r in rows
        ],
        totals={s: sum(r.by_status.get(s, 0) for r in rows) for s in PAStatus.values},
        teachers=sum(r.teachers for r in rows),
        passed=sum(r.passed for r in rows),
    )


def _counts(keys, rows) -> list[CountOut]:
    """queries.debt_summary lists (label, count) in the order of the choices."""
    return [CountOut(key=k, label=label, count=n) for k, (label, n) in zip(keys, rows, strict=True)]


@router.get("/debt/summary", response=DebtSummaryOut)
def debt_summary(request):
    access.require_debt_summary(request.user)
    s = queries.debt_summary(request.user.office)
    return DebtSummaryOut(
        threshold_pct=s["threshold"],
        profiles=s["profiles"],
        below_threshold=s["below"],
        cases=s["cases"],
        by_outcome=_counts(CaseOutcome.values, s["by_outcome"]),
        by_creditor=_counts(CreditorKind.values, s["by_creditor"]),
        outstanding=s["outstanding"],
    )
