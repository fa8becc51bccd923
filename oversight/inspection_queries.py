"""Reads for the provincial inspection round: which rounds a user sees, where each office of
the province stands, and what the offices submitted, merged per focus point for the page and
the province's DOCX.

What the province reads of an office is the version it submitted (reporting.InspectionVersion)
— the office's own words as sent, never its draft and never a person's record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from registry.models import Office
from reporting.actions import policies_for
from reporting.models import (
    InspectionReport,
    InspectionSubmission,
    InspectionVersion,
    SubmissionStatus,
)
from reporting.queries import status_badge, status_label

from .access import provinces_in_scope
from .models import InspectionRound, RoundPointSummary

NOT_SUBMITTED = "ยังไม่ส่ง"
# Versions that go into the province's report: waiting for an answer, or accepted.
IN_REPORT = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


def rounds_in_scope(user) -> QuerySet[InspectionRound]:
    return InspectionRound.objects.filter(province__in=provinces_in_scope(user)).select_related(
        "province"
    )


def round_for(office: Office, fiscal_year: int, round_number: int) -> InspectionRound | None:
    """The round of the office's province that a report of that year and round answers."""
    return (
        InspectionRound.objects.filter(
            province__name=office.province, fiscal_year=fiscal_year, round_number=round_number
        )
        .select_related("province")
        .first()
    )


def offices_of(round_: InspectionRound) -> QuerySet[Office]:
    return Office.objects.filter(province=round_.province.name).order_by("code")


@dataclass
class OfficeStanding:
    office: Office
    report: InspectionReport | None = None
    submission: InspectionSubmission | None = None
    version: InspectionVersion | None = None  # the latest version sent for this round

    @property
    def status(self) -> str:
        """ยังไม่ส่ง until the office sends something for the round; then the submission's
        status (ส่งแล้ว / ส่งกลับแก้ไข / รับแล้ว)."""
        return status_label(self.submission) if self.submission else NOT_SUBMITTED

    @property
    def badge(self) -> str:
        return status_badge(self.submission) if self.submission else "badge-bad"

    @property
    def in_report(self) -> bool:
        return self.submission is not None and self.submission.status in IN_REPORT


def standings(round_: InspectionRound, *, with_content: bool = False) -> list[OfficeStanding]:
    """Every office of the province with its report, submission and latest version for the
    round, in four queries whatever the number of offices."""
    rows = {o.pk: OfficeStanding(o) for o in offices_of(round_)}
    reports = InspectionReport.objects.filter(
        office_id__in=rows, fiscal_year=round_.fiscal_year
    ).select_related("office")
    by_report = {}
    for report in reports:
        rows[report.office_id].report = report
        by_report[report.pk] = rows[report.office_id]
    for submission in InspectionSubmission.objects.filter(
        report_id__in=by_report, round_number=round_.round_number
    ):
        by_report[submission.report_id].submission = submission
    versions = InspectionVersion.objects.filter(
        report_id__in=by_report, round_number=round_.round_number
    ).order_by("report_id", "-number")
    if not with_content:
        versions = versions.defer("content")
    for version in versions:
        row = by_report[version.report_id]
        if row.version is None:
            row.version = version
    return list(rows.values())


def standing_of(round_: InspectionRound, office: Office) -> OfficeStanding:
    return next(s for s in standings(round_, with_content=True) if s.office.pk == office.pk)


# ------------------------------------------------------------------ the province's report


@dataclass
class Contribution:
    """One office's text for one focus point, as submitted."""

    office: str
    point: dict  # a point of InspectionVersion.content["points"]


@dataclass
class PointView:
    point: object  # reporting.FocusPoint
    summary: RoundPointSummary | None
    contributions: list[Contribution] = field(default_factory=list)

    @property
    def number(self) -> str:
        return f"{self.point.policy.number}.{self.point.number}"

    def progress_by_question(self) -> list[tuple[object, list[tuple[str, str]]]]:
        """Each progress item with every office's answer to it: [(question, [(office, text)])]."""
        out = []
        for q in self.point.questions.all():
            answers = [
                (c.office, p["text"])
                for c in self.contributions
                for p in c.point["progress"]
                if p["question"] == q.pk and p["text"].strip()
            ]
            out.append((q, answers))
        return out

    def office_texts(self, name: str) -> list[tuple[str, str]]:
        """[(office, text)] of the offices that wrote something in the field `name`."""
        return [(c.office, c.point[name]) for c in self.contributions if c.point[name].strip()]

    def office_problems(self) -> list[tuple[str, str, str]]:
        return [
            (c.office, p["problem"], p["solution"])
            for c in self.contributions
            for p in c.point["problems"]
        ]


@dataclass
class PolicyView:
    policy: object
    points: list[PointView]


def province_report(
    round_: InspectionRound, rows: list[OfficeStanding] | None = None
) -> list[PolicyView]:
    """The policies of the round's year → focus points, each with the province's summary and
    the contributions of the offices whose version goes into the report."""
    rows = rows if rows is not None else standings(round_, with_content=True)
    summaries = {
        s.point_id: s
        for s in RoundPointSummary.objects.filter(round=round_).prefetch_related("problems")
    }
    by_point: dict[int, list[Contribution]] = {}
    for row in rows:
        if row.in_report and row.version is not None:
            for point in row.version.content.get("points", []):
                by_point.setdefault(point["point"], []).append(Contribution(row.office.name, point))
    out = []
    for policy in policies_for(round_.fiscal_year):
        points = [
            PointView(point, summaries.get(point.pk), by_point.get(point.pk, []))
            for point in policy.points.all()
        ]
        out.append(PolicyView(policy, points))
    return out
