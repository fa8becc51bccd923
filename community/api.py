"""Read API for community: PLC groups, visits and their coverage, the awards table, and the
best-practice search. Scoped exactly like the pages; inspectors get counts, not people."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from accounts.roles import Role
from krupd.lib import thai_dates
from krupd.lib.pagination import PageNumberPagination

from . import access, queries
from .models import PLCMeeting, PracticeStatus

router = Router(tags=["ชุมชนการเรียนรู้"])


def _office_user(user) -> None:
    access.require_office_user(user)


def _no_inspector(user) -> None:
    """Lists that name people (members, people visited) are not for inspectors."""
    _office_user(user)
    if user.role == Role.INSPECTOR:
        raise PermissionDenied


class PLCGroupOut(Schema):
    id: int
    name: str
    level: str
    unit: str
    topic: str
    academic_year: int
    facilitator: str
    members: int
    meetings: int
    hours: Decimal


class VisitOut(Schema):
    id: int
    school_id: int
    school: str = Field(..., alias="school.name")
    kind: str
    status: str
    date: dt.date
    visitor_name: str
    focus: str
    next_visit: dt.date | None
    course_id: int | None


class SchoolRef(Schema):
    id: int
    obec_code: str
    name: str


class CoverageOut(Schema):
    term: str
    start: dt.date
    end: dt.date
    schools: int
    visited: int
    not_visited: list[SchoolRef]


class AwardRowOut(Schema):
    round_id: int
    programme: str
    title: str
    status: str
    nominated: int
    area: int
    region: int
    national: int


class AwardsTableOut(Schema):
    year: int
    rows: list[AwardRowOut]
    selected: int


class PracticeOut(Schema):
    id: int
    title: str
    school: str | None = Field(None, alias="school.name")
    learning_area: str | None = Field(None, alias="learning_area.name")
    level: str
    year: int
    status: str
    summary: str
    tags: list[str] = Field(..., alias="tag_list")
    owners: list[str]

    @staticmethod
    def resolve_owners(practice) -> list[str]:
        return [o.full_name for o in practice.owners.all()]


@router.get("/plc-groups", response=list[PLCGroupOut])
def plc_groups(request):
    _no_inspector(request.user)
    groups = (
        queries.plc_groups_visible_to(request.user)
        .select_related("school", "network", "office", "facilitator")
        .annotate(n_members=Count("members", distinct=True))
        .order_by("-academic_year", "name", "id")
    )
    totals = {
        g["group_id"]: (g["n"], g["h"])
        for g in PLCMeeting.objects.filter(group__in=groups)
        .values("group_id")
        .annotate(n=Count("id"), h=Sum("hours"))
    }
    return [
        PLCGroupOut(
            id=g.pk,
            name=g.name,
            level=g.level,
            unit=g.unit_name,
            topic=g.topic,
            academic_year=g.academic_year,
            facilitator=g.facilitator.full_name,
            members=g.n_members,
            meetings=totals.get(g.pk, (0, 0))[0],
            hours=totals.get(g.pk, (0, Decimal("0")))[1] or Decimal("0"),
        )
        for g in groups
    ]


@router.get("/visits", response=list[VisitOut])
@paginate(PageNumberPagination, page_size=100)
def visits(request):
    _no_inspector(request.user)
    return queries.visits_visible_to(request.user).select_related("school")


@router.get("/visits/coverage", response=CoverageOut)
def coverage(request):
    """Schools visited (counted) and not visited (listed) in the current term."""
    access.require_coverage(request.user)
    rules = queries.rules_for(request.user.office)
    term, start, end = queries.current_term(timezone.localdate(), rules)
    visited, not_visited = queries.coverage(request.user, start=start, end=end)
    return CoverageOut(
        term=term,
        start=start,
        end=end,
        schools=len(visited) + len(not_visited),
        visited=len(visited),
        not_visited=[SchoolRef(id=s.pk, obec_code=s.obec_code, name=s.name) for s in not_visited],
    )


@router.get("/awards/table", response=AwardsTableOut)
def awards_table(request, year: int | None = None):
    """The SAR's yearly table (counts only); without a year, the year the page opens on."""
    _office_user(request.user)
    office = request.user.office
    if year is None:
        year = queries.default_awards_year(office, current=thai_dates.be_year(timezone.localdate()))
    rows = queries.awards_table(office, year=year)
    return AwardsTableOut(
        year=year,
        rows=[
            AwardRowOut(
                round_id=r.pk,
                programme=r.programme.name,
                title=r.title,
                status=r.status,
                nominated=n,
                area=area,
                region=region,
                national=national,
            )
            for r, n, area, region, national in rows
        ],
        selected=sum(r[2] for r in rows),
    )


@router.get("/practices", response=list[PracticeOut])
@paginate(PageNumberPagination, page_size=50)
def practices(request, q: str = "", area: str = "", level: str = ""):
    """Thai full-text search; teachers get published items only."""
    _office_user(request.user)
    status = PracticeStatus.PUBLISHED if request.user.role == Role.TEACHER else ""
    return queries.practice_list(request.user, q=q.strip(), area=area, level=level, status=status)
