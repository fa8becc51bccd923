"""Writes of the provincial inspection round: opening it, its front matter, the province's
summary of a focus point, and the answer to an office's submission. Atomic and audited;
the audit entries of an answer carry the office, so the office sees them in its own log."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from registry.audit import record
from registry.models import AuditAction, Office
from reporting import actions as reporting_actions
from reporting.models import FocusPoint, InspectionSubmission

from .models import (
    InspectionRound,
    Province,
    RoundPointSummary,
    RoundProblem,
    due_date_problem,
)


def _refuse_due_date(fiscal_year: int, due_date: dt.date) -> None:
    if problem := due_date_problem(fiscal_year, due_date):
        raise ValidationError(problem)


@transaction.atomic
def open_round(
    *,
    acting_user,
    province: Province,
    fiscal_year: int,
    round_number: int,
    title: str,
    due_date: dt.date,
) -> InspectionRound:
    _refuse_due_date(fiscal_year, due_date)
    if not reporting_actions.policies_for(fiscal_year).exists():
        raise ValidationError(
            f"ยังไม่มีประเด็นการตรวจราชการของปีงบประมาณ {fiscal_year} หรือปีก่อนหน้าในระบบ"
        )
    if InspectionRound.objects.filter(
        province=province, fiscal_year=fiscal_year, round_number=round_number
    ).exists():
        raise ValidationError(
            f"จังหวัด{province}เปิดการตรวจราชการรอบที่ {round_number} ปีงบประมาณ {fiscal_year} ไว้แล้ว"
        )
    try:
        with transaction.atomic():
            round_ = InspectionRound.objects.create(
                province=province, fiscal_year=fiscal_year, round_number=round_number,
                title=title.strip(), due_date=due_date, opened_by=acting_user,
            )  # fmt: skip
    except IntegrityError:  # opened by someone else a moment ago
        raise ValidationError(f"เปิดรอบที่ {round_number} ปีงบประมาณ {fiscal_year} ไว้แล้ว") from None
    record(actor=acting_user, action=AuditAction.CREATE, instance=round_)
    return round_


@transaction.atomic
def save_round_front(
    *, acting_user, round_: InspectionRound, title: str, due_date: dt.date, foreword: str
) -> InspectionRound:
    _refuse_due_date(round_.fiscal_year, due_date)
    before = {"title": round_.title, "due_date": round_.due_date, "foreword": round_.foreword}
    round_.title, round_.due_date, round_.foreword = title.strip(), due_date, foreword.strip()
    round_.save(update_fields=["title", "due_date", "foreword", "updated_at"])
    changes = {
        k: [str(v), str(getattr(round_, k))] for k, v in before.items() if v != getattr(round_, k)
    }
    if changes:
        record(actor=acting_user, action=AuditAction.UPDATE, instance=round_, changes=changes)
    return round_


@transaction.atomic
def save_point_summary(
    *,
    acting_user,
    round_: InspectionRound,
    point: FocusPoint,
    values: dict[str, str],
    problems: list[tuple[str, str]],
) -> RoundPointSummary:
    """The province's text for one focus point; the problems table is replaced as a whole."""
    summary, _ = RoundPointSummary.objects.get_or_create(round=round_, point=point)
    for name in ("summary", "success_factors", "area_suggestions", "policy_suggestions"):
        setattr(summary, name, values.get(name, "").strip())
    summary.updated_by = acting_user
    summary.save()
    summary.problems.all().delete()
    RoundProblem.objects.bulk_create(
        [
            RoundProblem(summary=summary, order=i, problem=p, solution=s)
            for i, (p, s) in enumerate(problems, 1)
        ]  # fmt: skip
    )
    record(actor=acting_user, action=AuditAction.UPDATE, instance=summary,
           object_label=f"สรุประดับจังหวัด จุดเน้นที่ {point.policy.number}.{point.number}")  # fmt: skip
    return summary


def review_submission(
    *, acting_user, round_: InspectionRound, office: Office, accept: bool, comment: str
) -> InspectionSubmission:
    """Accept the office's report for the round, or return it with comments."""
    submission = InspectionSubmission.objects.filter(
        report__office=office,
        report__fiscal_year=round_.fiscal_year,
        round_number=round_.round_number,
    ).first()
    if submission is None:
        raise ValidationError(f"{office.name} ยังไม่ส่งรายงานรอบนี้")
    return reporting_actions.review_inspection(
        acting_user=acting_user, submission=submission, accept=accept, comment=comment
    )
