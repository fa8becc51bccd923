"""Cross-cutting HTTP behaviour: security headers on every response, and a clear Thai 503
page (never a half-finished action) when the database is unreachable."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.template import loader
from django.template.loader import render_to_string
from django.views import defaults

from krupd.lib.query_params import MAX_ID

logger = logging.getLogger("krupd.availability")

DB_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def content_security_policy(extra: dict[str, list[str]] | None = None) -> str:
    """The CSP header value from ``settings.CONTENT_SECURITY_POLICY`` (directive → sources),
    with `extra` sources added for one page (a view that embeds a YouTube player)."""
    policy = {k: list(v) for k, v in settings.CONTENT_SECURITY_POLICY.items()}
    for directive, sources in (extra or {}).items():
        policy.setdefault(directive, list(policy.get("default-src", [])))
        policy[directive] += sources
    return "; ".join(
        f"{directive} {' '.join(sources)}".strip() for directive, sources in policy.items()
    )


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy. Django's SecurityMiddleware already sets
    X-Content-Type-Options, Referrer-Policy and Cross-Origin-Opener-Policy; X-Frame-Options
    comes from XFrameOptionsMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.csp)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


def database_unavailable_response() -> HttpResponse:
    """The 503 page, rendered without the request context: its processors would query the
    database that is down."""
    body = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that fails because the database is unreachable answers 503 with a Thai page.

    Every write in KruPD goes through an atomic action (or a whole-request transaction), so
    the failed request has saved nothing; once the database is back the next request works,
    with no manual repair (Django reconnects on its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DB_ERRORS):
            logger.error("database unavailable on %s %s: %s", request.method, request.path,
                         exception)  # fmt: skip
            return database_unavailable_response()
        return None


def is_unique_violation(exception: BaseException) -> bool:
    """A uniqueness rule's refusal (PostgreSQL's SQLSTATE 23505; SQLite's message), not any
    other integrity error."""
    if not isinstance(exception, IntegrityError):
        return False
    if getattr(exception.__cause__, "sqlstate", None) == "23505":
        return True
    return str(exception).startswith("UNIQUE constraint failed")


class RepeatedWriteMiddleware:
    """A write the database refuses by its own uniqueness rule answers 409 with a Thai page.

    Forms and actions check what must be unique before writing and say so in Thai; but two
    sendings of one form in the same instant (a double tap on a slow phone, two tabs) can both
    pass that check, and the database refuses the second. That was a server error page saying
    nothing of what happened. Every write is an atomic action, so the refused sending saved
    nothing: the page says so, and that the first sending's row is there to look at. The page
    is rendered without the request's context, as the 500 page is: in a test's (or an outer)
    transaction the failed statement leaves no query possible until it ends. (The API only
    reads.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_unique_violation(exception):
            return None  # a missing or wrong reference is a fault: the 500 page
        logger.warning("a repeated write refused on %s %s: %s", request.method, request.path,
                       exception)  # fmt: skip
        return HttpResponse(render_to_string("409.html"), status=409)


def server_error(request, *args, **kwargs):
    """handler500: the same 503 page when an error outside the views (a middleware) was the
    database; otherwise Django's plain 500 page."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DB_ERRORS):
        return database_unavailable_response()
    return defaults.server_error(request, *args, **kwargs)


class NulFreeQueryMiddleware:
    """Drops NUL characters (0x00) from the query string before any view reads it.

    PostgreSQL text cannot hold NUL, so a search or filter carrying one (``?q=%00``) would end
    in a database error on every list page; a NUL never means anything in a filter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in "".join(f"{k}{''.join(v)}" for k, v in request.GET.lists()):
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class ObjectIdRangeMiddleware:
    """An address whose object id is past what a database id holds is not found (Thai 404).

    ``<int:pk>`` matches any run of digits: /career/pa/1000000000000000000000000000000/evaluate/
    reached the view, and a lookup through a foreign key (``agreement_id=pk``) handed the
    number to the database, which cannot take it (SQLite: OverflowError, a server error).
    Django's own range check covers ``pk=`` lookups only. No row has such an id, so every
    view's answer would be "not found": it is given here, before any view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and value > MAX_ID:
                raise Http404
        return None


PAGE_METHODS = ("GET", "HEAD", "POST")
API_PREFIX = "/api/"
WRONG_METHOD_API_DETAIL = "ที่อยู่นี้ไม่รับคำขอแบบนี้"


def method_not_allowed_response(request, allowed) -> HttpResponse:
    """405 in Thai: the site's page, or for the API a JSON ``detail`` like its other errors."""
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": WRONG_METHOD_API_DETAIL}, status=405)
    else:
        response = HttpResponse(render_to_string("405.html", request=request), status=405)
    response["Allow"] = ", ".join(allowed)
    return response


class WrongMethodMiddleware:
    """A request with a method its address does not take is answered 405 in Thai.

    No page takes PUT, PATCH or DELETE (nor any method but GET, HEAD and POST): a form page
    answered them with its empty form, as if the request meant something, so they are refused
    here before any view (OPTIONS included: no page answers it). A view's own 405 (a button's
    POST-only action opened with GET, from a bookmark or a typed address) came with an empty
    page, and the API's with English ("Method not allowed"): both get the Thai answer, the
    ``Allow`` header kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in PAGE_METHODS and not request.path.startswith(API_PREFIX):
            return method_not_allowed_response(request, PAGE_METHODS)
        response = self.get_response(request)
        if response.status_code == 405 and not getattr(response, "streaming", False):
            allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
            return method_not_allowed_response(request, allowed or PAGE_METHODS)
        return response


class ThaiErrorPagesMiddleware:
    """The Thai error pages in the site's layout also when DEBUG is on.

    With DEBUG on, Django answers a missing page (no such address, or a view's Http404) and a
    bad request with its English developer pages, which a person trying `make run` takes for
    the product. Those always get the Thai 404 and 400 pages here. An unexpected error keeps
    Django's traceback page for developers (``manage.py runserver``) unless
    ``settings.DEVELOPER_ERROR_PAGES`` is off, as `make run` sets it: then it is the Thai 500
    page, and the traceback goes to the console log as in production. A refusal (403) needs
    nothing here: Django uses the site's 403 page whatever DEBUG says."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            # No URL matched: Django's developer page lists the URL patterns.
            return defaults.page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if not settings.DEBUG or isinstance(exception, (*DB_ERRORS, PermissionDenied)):
            return None  # DatabaseUnavailableMiddleware and Django's handlers answer these
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, SuspiciousOperation | BadRequest):
            return defaults.bad_request(request, exception)
        if settings.DEVELOPER_ERROR_PAGES:
            return None
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", request.path, exc_info=exception
        )
        return defaults.server_error(request)
