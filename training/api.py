"""Read API for training: courses, results (the SAR table), one's own record; certificate
verification is public. Scoped exactly like the pages."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from accounts.roles import VIEW_TRAINING_RESULTS, can
from krupd.lib import query_params
from krupd.lib.thai_dates import fiscal_year as fiscal_year_of

from . import queries
from .certificates import review_day, review_since_as_office_writes, typed_code
from .models import Certificate

router = Router(tags=["การพัฒนา"])


class CourseOut(Schema):
    id: int
    title: str
    mode: str
    hours: Decimal
    fiscal_year: int
    status: str
    enrolled: int
    seats: int | None


class ResultOut(Schema):
    number: int
    course_id: int
    course: str
    participants: int
    passed: int
    pct: float | None
    hours: Decimal
    satisfaction: float | None
    satisfaction_band: str
    pending: int
    open_sessions: int
    open_participants: int


class EnrolmentOut(Schema):
    course_id: int
    course: str
    status: str
    hours_credited: Decimal
    passed: bool
    result: str
    result_reasons: list[str]
    completed_on: dt.date | None
    pre_score_pct: Decimal | None
    post_score_pct: Decimal | None


class CertificateOut(Schema):
    code: str
    number: str
    status: str
    person_name: str
    course_title: str
    hours: Decimal
    completed_on: dt.date
    issued_on: dt.date
    office_name: str
    valid_until: dt.date | None = None
    # Past its valid_until: the verification page says so, and a caller reading only
    # "status": "valid" took an expired certificate for a current one.
    expired: bool = False
    # What the certificate is worth today (training.models.CertificateStanding): "status" stays
    # "valid" for one under the officer's review, which must not be relied on.
    standing: str
    standing_label: str
    # Since when one is under the office's review: the day (a date, for programs) and the
    # same day as people read it (Buddhist Era, Thai digits when the office writes them);
    # null and "" while it is not under review or the day is not known.
    under_review_since: dt.date | None = None
    under_review_since_label: str = ""

    @staticmethod
    def resolve_expired(obj) -> bool:
        return bool(obj.valid_until and obj.valid_until < timezone.localdate())

    @staticmethod
    def resolve_standing_label(obj) -> str:
        return obj.get_standing_display()

    @staticmethod
    def resolve_under_review_since(obj) -> dt.date | None:
        return review_day(obj)

    @staticmethod
    def resolve_under_review_since_label(obj) -> str:
        return review_since_as_office_writes(obj)


def _fy(fy: int | None) -> int:
    """The BE fiscal year asked for, read as the pages read ?fy= (query_params.be_year):
    2026 and 69 ask for 2569; a CE year answered an empty list, as if nothing ran in it."""
    default = fiscal_year_of(timezone.localdate())
    return query_params.be_year({"fy": fy} if fy is not None else {}, "fy", default=default)


@router.get("/courses", response=list[CourseOut])
def courses(request, fy: int | None = None):
    return _as_read(request, queries.course_summaries(request.user, fiscal_year=_fy(fy)))


def _as_read(request, rows: list[dict]):
    """A list answered as read, not checked row by row against its schema: a large office's
    year holds thousands of courses (7,751 for 100,000 people), and building then checking
    each row's schema object took 3.7 of the course list's 4 s. The rows hold the schema's
    fields from typed values (tests compare the answer with the schema's); the JSON is
    rendered as every answer is."""
    from krupd.api import api  # the API this router is part of (it imports the router)

    return api.create_response(request, rows, status=200)


@router.get("/results", response=list[ResultOut])
def results(request, fy: int | None = None):
    if not can(request.user, VIEW_TRAINING_RESULTS):
        raise PermissionDenied
    rows = [
        {
            "number": r.number,
            "course_id": r.course.pk,
            "course": r.course.title,
            "participants": r.participants,
            "passed": r.passed,
            "pct": r.pct,
            "hours": r.hours,
            "satisfaction": r.satisfaction,
            "satisfaction_band": r.satisfaction_band,
            "pending": r.pending,
            "open_sessions": r.open_sessions,
            "open_participants": r.open_participants,
        }
        for r in queries.results_table(request.user, fiscal_year=_fy(fy))
    ]
    return _as_read(request, rows)  # ResultOut's fields: a year holds thousands of courses


@router.get("/me/enrolments", response=list[EnrolmentOut])
def my_enrolments(request):
    if not request.user.person_id:
        raise PermissionDenied
    rows = queries.enrolments_visible_to(request.user).filter(person_id=request.user.person_id)
    return [
        EnrolmentOut(
            course_id=e.course_id,
            course=e.course.title,
            status=e.status,
            hours_credited=e.hours_credited,
            passed=e.passed,
            result=e.result,
            result_reasons=e.result_reasons,
            completed_on=e.completed_on,
            pre_score_pct=e.pre_score_pct,
            post_score_pct=e.post_score_pct,
        )  # fmt: skip
        for e in rows.select_related("course")
    ]


@router.get("/certificates/{code}", response=CertificateOut, auth=None)
def verify(request, code: str):
    """Public: what was issued under a verification code."""
    return get_object_or_404(
        Certificate.objects.select_related("enrolment"), code=typed_code(code)[0]
    )
