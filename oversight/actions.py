"""Writing the per-office summaries that every view above the office reads.

Each office's summary is computed by the same functions its own pages use (the KPI formulas,
the staffing analysis, the PA status and the debt summary), run as an inspector of that office
would see them: aggregates only. So a figure on the national comparison is always the figure
the office shows itself. Refreshed nightly by `refresh_office_summaries` and on demand in the
task worker; one office at a time, each in its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from career.models import CaseOutcome, DebtCase
from career.queries import debt_summary, pa_status
from krupd.lib import thai_dates
from registry.models import TEACHING_TYPES, Office, Person, PersonStatus, School
from registry.queries import open_on
from reporting.kpis import like_key
from reporting.queries import TREND_YEARS, compute, current_fiscal_year, targets_for
from staffing.queries import analyse

from .models import OfficeSummary, RefreshStatus, SummaryRefresh

# Debt cases that the clinic has brought to an outcome.
SETTLED_OUTCOMES = (CaseOutcome.RESTRUCTURED, CaseOutcome.CONSOLIDATED, CaseOutcome.CLOSED)


def _reader_of(office: Office) -> User:
    """An unsaved inspector of the office: the office's own queries, scoped to aggregates."""
    return User(username="", role=Role.INSPECTOR, office=office)


def refresh_office(office: Office, *, fiscal_year: int | None = None) -> list[OfficeSummary]:
    """The office's summaries for `fiscal_year` and the trend years before it.

    KPI parts and PA figures are counted for each year. Head counts, staffing and debt have
    no history: they are how the office stands today, so they are written under the fiscal
    year running today only, and a year that has ended keeps what its last refresh while it
    ran wrote (a refresh of 2568 in 2570 wrote today's staff and debt under 2568, and every
    nightly refresh gave the years before today's head counts, the PA share's denominator)."""
    fiscal_year = fiscal_year or current_fiscal_year()
    running = current_fiscal_year()
    years = list(range(fiscal_year - TREND_YEARS + 1, fiscal_year + 1))
    reader = _reader_of(office)
    targets = targets_for(office)
    _data, parts = compute(office, targets=targets, years=years)
    now = timezone.now()
    today = _standing_today(office, reader) if running in years else {}
    written = []
    with transaction.atomic():
        for year in years:
            kpi_parts = {}
            for target in targets:
                kpi_parts[target.code] = _total(parts[target.pk].get(year, {}))
                like = parts[target.pk].get(like_key(year))
                if like is not None:  # a year still running: what its growth is measured on
                    kpi_parts[target.code]["like"] = _total(like)
            pa_rows = pa_status(reader, fiscal_year=year)
            values = {
                "computed_at": now,
                "kpi_parts": kpi_parts,
                "pa_agreements": sum(
                    n for row in pa_rows for status, n in row.by_status.items() if status != "draft"
                ),
                "pa_passed": sum(row.passed for row in pa_rows),
            }
            if year == running:
                values.update(today)
            summary, _ = OfficeSummary.objects.update_or_create(
                office=office, fiscal_year=year, defaults=values
            )
            written.append(summary)
    return written


def _standing_today(office: Office, reader: User) -> dict:
    """The summary's figures that are how the office stands today: head counts, the staffing
    analysis and the debt clinic."""
    active = Person.objects.filter(office=office, status=PersonStatus.ACTIVE)
    analysis = analyse(reader)
    staffing = analysis.summary
    debt = debt_summary(office)
    settled = DebtCase.objects.filter(person__office=office, outcome__in=SETTLED_OUTCOMES)
    return {
        "data_changed_at": Person.objects.filter(office=office).aggregate(t=Max("updated_at"))["t"],
        # Schools open today, as the head counts beside it are today's: one closed or merged
        # into another is no longer one of the office's (registry.queries.open_on).
        "schools": School.objects.filter(office=office)
        .filter(open_on(timezone.localdate()))
        .count(),
        "people": active.count(),
        "teachers": active.filter(personnel_type__in=TEACHING_TYPES).count(),
        "staffing_year": analysis.academic_year,
        "staffing_required": staffing.required_total,
        "staffing_actual": staffing.actual_total,
        "short_positions": staffing.short_positions,
        "short_schools": staffing.short_schools,
        "surplus_positions": staffing.surplus_positions,
        "debt_profiles": debt["profiles"],
        "debt_below_threshold": debt["below"],
        "debt_cases": debt["cases"],
        "debt_cases_settled": settled.count(),
    }


def _total(units: dict) -> dict:
    return {"num": sum(p.num for p in units.values()), "den": sum(p.den for p in units.values())}


def refresh_offices(
    offices: Iterable[Office],
    *,
    fiscal_year: int | None = None,
    progress: Callable[[int, int, Office], None] | None = None,
) -> int:
    offices = list(offices)
    for done, office in enumerate(offices, start=1):
        refresh_office(office, fiscal_year=fiscal_year)
        if progress:
            progress(done, len(offices), office)
    return len(offices)


def start_refresh(*, acting_user, fiscal_year: int) -> SummaryRefresh:
    """Queue a recomputation of every office in the user's scope (one at a time is running),
    for a fiscal year near today: ?fy=2600 would fill every office's summary for it."""
    from . import access, tasks

    refusal = thai_dates.fiscal_year_refusal(fiscal_year, current=current_fiscal_year())
    if refusal:
        raise ValidationError(refusal)

    running = SummaryRefresh.objects.filter(
        requested_by=acting_user, status__in=[RefreshStatus.QUEUED, RefreshStatus.RUNNING]
    ).first()
    if running:
        return running
    refresh = SummaryRefresh.objects.create(
        requested_by=acting_user,
        fiscal_year=fiscal_year,
        total=access.offices_in_scope(acting_user).count(),
    )
    transaction.on_commit(lambda: tasks.refresh_summaries.enqueue(refresh.pk))
    return refresh


def run_refresh(*, refresh_id: int) -> SummaryRefresh:
    from . import access

    refresh = SummaryRefresh.objects.select_related("requested_by").get(pk=refresh_id)
    SummaryRefresh.objects.filter(pk=refresh.pk).update(status=RefreshStatus.RUNNING)
    offices = access.offices_in_scope(refresh.requested_by).order_by("code")

    def progress(done: int, total: int, office: Office) -> None:
        SummaryRefresh.objects.filter(pk=refresh.pk).update(
            done=done, total=total, current=office.name
        )

    try:
        refresh_offices(offices, fiscal_year=refresh.fiscal_year, progress=progress)
    except Exception as exc:  # the page must say it failed, not spin forever
        SummaryRefresh.objects.filter(pk=refresh.pk).update(
            status=RefreshStatus.FAILED,
            error=f"คำนวณไม่สำเร็จ: {exc.__class__.__name__}",
            finished_at=timezone.now(),
        )
        raise
    SummaryRefresh.objects.filter(pk=refresh.pk).update(
        status=RefreshStatus.DONE, finished_at=timezone.now(), current=""
    )
    refresh.refresh_from_db()
    return refresh
