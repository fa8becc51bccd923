"""Dashboard figures for other tools (spreadsheets, BI): same scoping as the pages."""

from django.http import Http404
from ninja import Router, Schema

from registry.models import Network, School

from . import access, queries

router = Router(tags=["reporting"])


class YearOut(Schema):
    fiscal_year: int
    value: float | None
    growth: float | None


class KpiOut(Schema):
    code: str
    name: str
    kind: str
    target: float
    unit: str
    status: str
    source: str
    years: list[YearOut]


class DashboardOut(Schema):
    scope: str
    label: str
    fiscal_year: int
    kpis: list[KpiOut]


@router.get("/kpis", response=DashboardOut)
def kpis(request, fy: int | None = None, network: int | None = None, school: int | None = None):
    """KPI values, trend and status against target for the office, a network or a school."""
    access.require_dashboard(request.user)
    try:
        scope = queries.scope_for(request.user, network_id=network, school_id=school)
    except (School.DoesNotExist, Network.DoesNotExist) as exc:
        raise Http404 from exc
    board = queries.dashboard(
        request.user, fiscal_year=fy or queries.current_fiscal_year(), scope=scope
    )
    return {
        "scope": scope.kind,
        "label": scope.label,
        "fiscal_year": board.fiscal_year,
        "kpis": [
            {
                "code": k.target.code,
                "name": k.target.name,
                "kind": k.target.kind,
                "target": float(k.target.target),
                "unit": k.unit,
                "status": k.status,
                "source": k.target.source,
                "years": [
                    {"fiscal_year": y.fiscal_year, "value": y.value, "growth": y.growth}
                    for y in k.years
                ],
            }
            for k in board.kpis
        ],
    }
