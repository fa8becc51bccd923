from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.roles import COMPARE_OFFICES
from krupd.lib import query_params
from reporting.queries import STATUS_LEGEND, current_fiscal_year

from . import access, actions, queries
from .models import SummaryRefresh


def _fiscal_year(request) -> int:
    return query_params.be_year(request.GET, "fy", default=current_fiscal_year())


@login_required
def compare(request):
    access.require(request.user, COMPARE_OFFICES)
    region = province = None
    if request.GET.get("province"):
        province = access.province_in_scope(
            request.user, query_params.object_id(request.GET["province"])
        )
    elif request.GET.get("region"):
        region = access.region_in_scope(request.user, query_params.object_id(request.GET["region"]))
    fy = _fiscal_year(request)
    context = {
        "board": queries.comparison(request.user, fiscal_year=fy, region=region, province=province),
        "fy": fy,
        "years": range(current_fiscal_year(), current_fiscal_year() - 5, -1),
        "refresh": _latest_refresh(request.user),
        "status_legend": STATUS_LEGEND,
    }
    return render(request, "oversight/compare.html", context)


@login_required
def office(request, pk: int):
    access.require(request.user, COMPARE_OFFICES)
    office = access.office_in_scope(request.user, pk)
    fy = _fiscal_year(request)
    context = {"trend": queries.office_trend(office, fiscal_year=fy), "fy": fy}
    return render(request, "oversight/office.html", context)


@login_required
@require_POST
def refresh(request):
    access.require(request.user, COMPARE_OFFICES)
    fy = query_params.be_year(request.POST, "fy", default=current_fiscal_year())
    try:
        actions.start_refresh(acting_user=request.user, fiscal_year=fy)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("oversight:compare")
    return redirect(f"{reverse('oversight:compare')}?fy={fy}")


@login_required
def refresh_progress(request):
    access.require(request.user, COMPARE_OFFICES)
    return render(request, "oversight/_refresh.html", {"refresh": _latest_refresh(request.user)})


def _latest_refresh(user) -> SummaryRefresh | None:
    return SummaryRefresh.objects.filter(requested_by=user).first()
