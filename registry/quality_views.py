"""Data-quality pages: the four qualities of the SAR for the office and for one school.

Who sees what: VIEW_AGGREGATES opens the pages; a school director is sent to their own
school's page; named problem lists need VIEW_PEOPLE too, so inspectors get counts per rule.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.roles import VIEW_AGGREGATES, VIEW_PEOPLE, Role, can
from krupd.db_router import reads_from_replica
from krupd.lib import query_params

from . import quality
from .access import may_move_staff, require
from .models import School
from .queries import (
    closed_schools_with_staff,
    office_networks,
    one_school_or_office,
    people_scope,
    people_visible_to,
    schools_visible_to,
    seconded_to_closed_schools,
)

PAGE_SIZE = 50


def _page(request, rows, param: str = "page"):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get(param))


def _query_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@login_required
@reads_from_replica
def office_quality(request):
    user = request.user
    require(user, VIEW_AGGREGATES)
    if user.role == Role.SCHOOL_DIRECTOR:
        if not user.school_id:
            raise PermissionDenied
        return redirect("registry:quality_school", pk=user.school_id)
    if user.office is None:
        raise PermissionDenied
    networks = office_networks(user.office_id)
    network = request.GET.get("network", "")
    # The office's schools (those its staff see), or a network's: a value that is no id
    # shows no school, not an error.
    schools = quality.OfficeSchools(query_params.object_id(network) if network else None)
    if not one_school_or_office(user)[0]:
        schools = School.objects.none()  # no role here sees some schools only
    report = quality.quality_report(
        office=user.office, schools=schools, include_office_people=not network
    )
    show_names = can(user, VIEW_PEOPLE)
    office_problems = None
    scope = people_scope(user)
    if show_names and report.office_people is not None and scope is not None:
        rows = quality.office_staff_problems(
            scope=scope, ctx=report.ctx, counted=report.office_people
        )
        office_problems = _page(request, rows)
    context = {
        "report": report,
        # Worst first, a page at a time: an office of 1,000 schools rendered them all at once.
        "schools_page": _page(request, report.schools, "schools"),
        "schools_query": _query_without(request, "schools"),
        "networks": networks,
        "network": network,
        "show_names": show_names,
        "office_problems": office_problems,
        "query": _query_without(request, "page"),
        "rules": quality.RULES,
        "closed_staff": closed_schools_with_staff(user, timezone.localdate()),
        "seconded_closed": seconded_to_closed_schools(user, timezone.localdate()),
        "may_move_staff": may_move_staff(user),
    }
    return render(request, "registry/quality.html", context)


@login_required
@reads_from_replica
def school_quality(request, pk: int):
    user = request.user
    require(user, VIEW_AGGREGATES)
    school = get_object_or_404(schools_visible_to(user).select_related("office", "network"), pk=pk)
    report = quality.quality_report(
        office=school.office, schools=schools_visible_to(user).filter(pk=school.pk)
    )
    unit = report.schools[0]
    rule_code = request.GET.get("rule", "")
    if rule_code not in quality.RULES_BY_CODE:
        rule_code = ""
    show_names = can(user, VIEW_PEOPLE)
    problems = None
    if show_names:
        rows = quality.school_problems(school=school, ctx=report.ctx, rule_code=rule_code)
        rows += quality.person_problems(
            people=people_visible_to(user).filter(school=school),
            ctx=report.ctx,
            rule_code=rule_code,
            counted=unit,
        )
        problems = _page(request, rows)
    context = {
        "school": school,
        "report": report,
        "unit": unit,
        "show_names": show_names,
        "problems": problems,
        "rule": quality.RULES_BY_CODE.get(rule_code),
        "query": _query_without(request, "page"),
        "is_director": user.role == Role.SCHOOL_DIRECTOR,
    }
    return render(request, "registry/quality_school.html", context)
