"""Who above the office sees which offices, and the only way oversight views load one office,
province or region from a request.

A provincial inspector sees the offices of her province, a regional inspector those of the
provinces of his region, an OBEC analyst every office. What they see of an office is its
aggregates only; the office-level apps already refuse them, since their roles carry none of
the office capabilities and they belong to no office.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.roles import RUN_PROVINCE_INSPECTION, VIEW_PROVINCE_INSPECTION, Role, can
from registry.models import Office

from .models import Province, Region


def require(user, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied


def provinces_in_scope(user) -> QuerySet[Province]:
    provinces = Province.objects.select_related("region")
    if user.role == Role.OBEC_ANALYST:
        return provinces
    if user.role == Role.REGION_INSPECTOR and user.region_id:
        return provinces.filter(region_id=user.region_id)
    if user.role == Role.PROVINCE_INSPECTOR and user.province_id:
        return provinces.filter(pk=user.province_id)
    return provinces.none()


def regions_in_scope(user) -> QuerySet[Region]:
    if user.role == Role.OBEC_ANALYST:
        return Region.objects.all()
    if user.role == Role.REGION_INSPECTOR and user.region_id:
        return Region.objects.filter(pk=user.region_id)
    return Region.objects.none()


def offices_in_scope(user) -> QuerySet[Office]:
    if user.role == Role.OBEC_ANALYST:
        return Office.objects.all()
    return Office.objects.filter(province__in=provinces_in_scope(user).values("name"))


def office_in_scope(user, pk: int) -> Office:
    return get_object_or_404(offices_in_scope(user), pk=pk)


def province_in_scope(user, pk: int) -> Province:
    return get_object_or_404(provinces_in_scope(user), pk=pk)


def region_in_scope(user, pk: int) -> Region:
    return get_object_or_404(regions_in_scope(user), pk=pk)


# ------------------------------------------------------------- the provincial inspection round


def round_for_view(user, pk: int):
    """A round of a province in the user's scope: provincial inspectors their own, regional
    inspectors and OBEC analysts read-only; 404 outside the scope, 403 for office users."""
    from .inspection_queries import rounds_in_scope

    require(user, VIEW_PROVINCE_INSPECTION)
    return get_object_or_404(rounds_in_scope(user), pk=pk)


def round_for_run(user, pk: int):
    """A round the provincial inspector of its province writes and answers submissions in."""
    require(user, RUN_PROVINCE_INSPECTION)
    return round_for_view(user, pk)


def office_of_round(round_, pk: int) -> Office:
    """An office of the round's province (404 for any other office)."""
    return get_object_or_404(Office, pk=pk, province=round_.province.name)
