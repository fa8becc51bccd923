"""Every page answers a hostile query string without a server error: a year, page, id or any
other parameter set to text, a negative or a huge number, Thai digits, a NUL byte.

Pages come from the access matrix's resolver walk; each page is opened as the office admin
of the full demo office (real rows behind every list and
detail page), and its parameters are the ones the page's own forms and links use plus every
name any view reads from the query string.
"""

import re

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import Role

from .test_access_matrix import LIST_ROUTES, OBJECT_ROUTES, foreign_kwargs
from .test_access_matrix import world as foreign_world  # noqa: F401 - the module fixture

# Every page is walked for its status and HTML only (conftest.no_template_contexts).
pytestmark = pytest.mark.usefixtures("no_template_contexts")


# A plain Thai-digit year is a real value (read as 2569); quotes and markup must reach no
# query or page unescaped.
HOSTILE = ["abc", "-5", "9" * 25, "๒๕๖๙x", "\x00", "๒๕๖๙", "' OR 1=1--<b>"]
# Every name a view reads from the query string (grep GET.get / GET[ / filter dataclasses).
KNOWN = ["fy", "year", "years", "page", "id", "school", "network", "standing", "area",
         "learning_area", "status", "type", "action", "q", "rules", "rule", "top", "format",
         "show", "sort", "by", "code", "source", "below", "digits", "user", "round", "kind",
         "course", "person", "personnel_type", "position", "next", "province", "region",
         "level", "competencies", "topics", "picker", "edition", "module"]  # fmt: skip
NAME = re.compile(r'\bname="([A-Za-z_][\w-]*)"')


def _pages(world):
    from django.urls import reverse

    for route in LIST_ROUTES + OBJECT_ROUTES:
        kwargs = foreign_kwargs(route, world.foreign) if route.int_args else {}
        if kwargs is None or (route.str_args and not set(route.str_args) <= set(kwargs)):
            continue
        try:
            yield route.name, reverse(route.name, kwargs=kwargs)
        except Exception:  # noqa: BLE001 - a page needing a value we cannot make up
            continue


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OFFICE_ADMIN])  # the role that opens the most pages
def test_no_page_answers_a_hostile_query_string_with_a_server_error(foreign_world, role):  # noqa: F811
    world = foreign_world
    user = User.objects.filter(office=world.foreign, role=role).first()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    failures, tried = [], 0
    for name, url in _pages(world):
        if name in ("accounts:logout",):
            continue
        first = client.get(url)
        if first.status_code >= 500:
            failures.append(f"{name} {url} → {first.status_code}")
            continue
        html = "" if first.streaming else first.content.decode("utf-8", "replace")
        params = sorted(set(KNOWN) | set(NAME.findall(html)) - {"csrfmiddlewaretoken"})
        for value in HOSTILE:
            response = client.get(url, {p: value for p in params})
            tried += 1
            if response.status_code >= 500:
                failures.append(f"{name} {url} ={value!r} → {response.status_code}")
    assert tried > 400
    assert not failures, "\n".join(failures)


def test_nul_characters_never_reach_a_view(rf):
    """PostgreSQL text cannot hold NUL: ?q=%00 would be a database error on every search."""
    from krupd.middleware import NulFreeQueryMiddleware

    seen = {}

    def view(request):
        seen.update({k: request.GET.getlist(k) for k in request.GET})
        return None

    NulFreeQueryMiddleware(view)(rf.get("/registry/people/?q=%00ครู%00&school=1&x%00=2"))
    assert seen == {"q": ["ครู"], "school": ["1"], "x": ["2"]}


# An id in the address past what a database id holds (2**63 - 1), and far past it.
PAST_THE_RANGE = [2**63, 10**30]


@pytest.mark.django_db
def test_no_page_answers_an_id_past_the_database_range_with_a_server_error(foreign_world):  # noqa: F811
    """Every page with an object id in its address, each id in turn set past the range, by
    the office admin and the teacher: "not found" (or refused), never a server error. Django
    checks the range of ``pk=`` lookups only; a lookup through a foreign key
    (``agreement_id=pk``) handed the number to SQLite, which raised OverflowError."""
    from django.urls import reverse

    world = foreign_world
    clients = []
    for role in (Role.OFFICE_ADMIN, Role.TEACHER):
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.filter(office=world.foreign, role=role).first())
        clients.append(client)
    failures, tried = [], 0
    for route in OBJECT_ROUTES:
        kwargs = foreign_kwargs(route, world.foreign)
        if kwargs is None:
            continue
        for kwarg, _ in route.int_args:
            for huge in PAST_THE_RANGE:
                url = reverse(route.name, kwargs={**kwargs, kwarg: huge})
                for client in clients:
                    response = client.get(url)
                    tried += 1
                    if response.status_code != 404:
                        failures.append(f"{route.name} {kwarg}={huge} → {response.status_code}")
    assert tried > 400
    assert not failures, "\n".join(failures)
