"""Read API for planning, scoped exactly like the pages (same access/queries functions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from accounts.roles import EDIT_FRAMEWORKS, SELF_ASSESS, VIEW_NEEDS, VIEW_PLANS, can

from . import access, queries
from .models import IdPlan, RaterKind

router = Router(tags=["การวางแผนพัฒนา"])


class FrameworkOut(Schema):
    id: int
    code: str
    version: str
    name: str
    source: str
    scale_min: int
    scale_max: int


class RoundOut(Schema):
    id: int
    name: str
    year: int
    opens: dt.date
    closes: dt.date
    framework_id: int
    target_types: list[str]


class ItemStatOut(Schema):
    rank: int | None
    id: int
    code: str
    name: str
    group: str
    n: int
    mean_d: float | None
    sd_d: float | None
    mean_i: float | None
    sd_i: float | None
    pni: float | None
    note: str
    chosen: int


class NeedsOut(Schema):
    round_id: int
    source: str
    scope: str
    targets: int
    submitted: int
    drafts: int
    warnings: list[str]
    competencies: list[ItemStatOut]
    topics: list[ItemStatOut]


class ProgressOut(Schema):
    school_id: int | None
    school: str
    targets: int
    submitted: int
    drafts: int
    rated_by_director: int


class PlanOut(Schema):
    id: int
    kind: str
    title: str
    fiscal_year: int
    end_year: int
    status: str


class CoverageOut(Schema):
    kind: str
    rank: int | None
    name: str
    pni: float | None
    projects: list[str]


class AlignmentOut(Schema):
    plan_id: int
    top: int
    coverage: list[CoverageOut]
    projects_without_need: list[str]
    budget_by_strategy: list[tuple[str, Decimal]]
    budget_by_need: list[tuple[str, Decimal]]
    total_budget: Decimal


class IdPlanOut(Schema):
    id: int
    year: int
    status: str
    items: list[str]

    @staticmethod
    def resolve_items(plan) -> list[str]:
        return [i.title for i in plan.items.all()]


def _stat(s) -> dict:
    return {
        "rank": s.rank, "id": s.key, "code": s.code, "name": s.name, "group": s.group, "n": s.n,
        "mean_d": s.mean_d, "sd_d": s.sd_d, "mean_i": s.mean_i, "sd_i": s.sd_i, "pni": s.pni,
        "note": s.note, "chosen": s.chosen,
    }  # fmt: skip


@router.get("/frameworks", response=list[FrameworkOut])
def frameworks(request):
    if not (can(request.user, EDIT_FRAMEWORKS) or can(request.user, VIEW_NEEDS)):
        raise PermissionDenied
    return list(queries.frameworks_for(request.user))


@router.get("/rounds", response=list[RoundOut])
def rounds(request):
    if not any(
        can(request.user, c) for c in ("manage_rounds", "view_needs", "rate_staff", "self_assess")
    ):
        raise PermissionDenied
    return list(queries.rounds_for(request.user))


@router.get("/rounds/{round_id}/needs", response=NeedsOut)
def needs(request, round_id: int, source: str = RaterKind.SELF):
    rnd = access.round_for_needs(request.user, round_id)
    if source not in RaterKind.values:
        source = RaterKind.SELF
    a = queries.analyse_needs(request.user, rnd, source=source, show_free_text=False)
    return {
        "round_id": rnd.pk, "source": source, "scope": a.scope_label, "targets": a.targets,
        "submitted": a.submitted, "drafts": a.drafts, "warnings": a.warnings,
        "competencies": [_stat(s) for s in a.competencies],
        "topics": [_stat(s) for s in a.topics],
    }  # fmt: skip


@router.get("/rounds/{round_id}/progress", response=list[ProgressOut])
def progress(request, round_id: int):
    rnd = access.round_for_progress(request.user, round_id)
    return [
        {"school_id": p.school_id, "school": p.name, "targets": p.targets,
         "submitted": p.submitted, "drafts": p.drafts, "rated_by_director": p.rated_by_director}
        for p in queries.progress_by_school(request.user, rnd)
    ]  # fmt: skip


@router.get("/plans", response=list[PlanOut])
def plans(request):
    access.require(request.user, VIEW_PLANS)
    return list(queries.plans_for(request.user))


@router.get("/plans/{plan_id}/alignment", response=AlignmentOut)
def alignment(request, plan_id: int, top: int = 5):
    plan = access.plan_for_view(request.user, plan_id)
    al = queries.alignment(request.user, plan, top=max(1, min(top, 50)))
    return {
        "plan_id": plan.pk,
        "top": al.top,
        "coverage": [
            {
                "kind": c.kind,
                "rank": c.stat.rank,
                "name": c.stat.name,
                "pni": c.stat.pni,
                "projects": c.projects,
            }
            for c in al.coverage
        ],  # fmt: skip
        "projects_without_need": al.projects_without_need,
        "budget_by_strategy": al.by_strategy,
        "budget_by_need": al.by_need,
        "total_budget": al.total_budget,
    }


@router.get("/id-plans/mine", response=list[IdPlanOut])
def my_id_plans(request):
    access.require(request.user, SELF_ASSESS)
    if not request.user.person_id:
        raise PermissionDenied
    return list(IdPlan.objects.filter(person_id=request.user.person_id).prefetch_related("items"))
