"""Every form of the product's pages (reports' own forms aside: their rendering is tested in
reporting) answers messy input without a server error: each form a page shows is posted back with every
box filled with one hostile value (Thai digits, "1,234 บาท", "+5", 1e30, NaN, blank, spaces
only, over-long text, markup, a 29 February of a BE year without one, a year 2400 or 9999…).

Pages come from the access matrix's resolver walk and are opened by the users of the full demo
office (their own rows), each page as the first role that may open it.
"""

from __future__ import annotations

import html.parser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role

from .test_access_matrix import LIST_ROUTES, OBJECT_ROUTES, foreign_kwargs
from .test_access_matrix import world as foreign_world  # noqa: F401 - the module fixture

# Every page is walked for its status and HTML only (conftest.no_template_contexts).
pytestmark = pytest.mark.usefixtures("no_template_contexts")

APPS = ("accounts", "community", "notifications", "credentials", "oversight", "registry",
        "training", "planning", "career", "staffing", "imports")  # fmt: skip
# Each page is posted by the first of these who may open it (the oversight rounds by the
# provincial inspector, whose province holds the demo office).
ROLES = [Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR, Role.SCHOOL_DIRECTOR,
         Role.TEACHER, Role.INSPECTOR, Role.PROVINCE_INSPECTOR, Role.REGION_INSPECTOR,
         Role.OBEC_ANALYST]  # fmt: skip
HOSTILE = [
    "๑๒๓",
    "1,234 บาท",
    "+5",
    "-1",
    "1e30",
    "NaN",
    "   ",
    "ก" * 5000,
    "<script>alert(1)</script>",
    "29/02/2566",
    "01/01/2400",
    "99999999999999999999",
]
# What lands in an upload box: a PDF that is no PDF, an empty file, a program renamed, a page.
BAD_FILES = {
    "pdf": ("x.pdf", b"%PDF-1.4 not really", "application/pdf"),
    "empty": ("empty.pdf", b"", "application/pdf"),
    "exe": ("report.xlsx", b"MZ\x90\x00" + bytes(200), "application/octet-stream"),
    "html": ("page.docx", b"<html><script>alert(1)</script></html>", "text/html"),
}
MARKUP = "<script>alert(1)</script>"
# Posts each app's forms must at least have taken, so a page walk that finds no form fails
# (128, 1,070, 34, 6 and 596 when written).
MIN_POSTS = {"accounts": 100, "community": 1000, "notifications": 30, "credentials": 5,
             "oversight": 500, "registry": 50, "training": 50, "planning": 50, "career": 50,
             "staffing": 50, "imports": 5}  # fmt: skip
# Pages that sign the user out or whose forms need a live second factor.
SKIP_PAGES = {"accounts:logout"}


class _Forms(html.parser.HTMLParser):
    """The POST forms of a page: action and [name, kind, value, options, attrs] of each field,
    the value being what the page shows (an edit form's stored values)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = {"action": a.get("action"), "fields": []}
                self.forms.append(self._form)
            else:
                self._form = None
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"].append([a["name"], kind, a.get("value", ""), [], a])
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], "textarea", "", [], a]
            self._form["fields"].append(self._textarea)
        elif tag == "select" and a.get("name"):
            self._select = [a["name"], "select", None, [], a]
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select[3].append(a.get("value", ""))
            if "selected" in a:
                self._select[2] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


TEXT_KINDS = ("text", "textarea", "email", "url", "tel", "search", "")


def _posts(html_text: str, url: str):
    parser = _Forms()
    parser.feed(html_text)
    for form in parser.forms:
        action = form["action"] or url
        if not action.startswith("/") or "logout" in action:
            continue
        yield action, form["fields"]


def _plausible(kind: str, value: str, options: list, attrs: dict) -> str:
    """What a careful user would type: the shown value, else a value fitting the box."""
    if kind == "select":
        if value:
            return value
        chosen = [v for v in options if v]
        return chosen[0] if chosen else ""
    if value.strip() or kind not in TEXT_KINDS:
        return value
    css = attrs.get("class", "")
    if "input-date" in css:
        return "01/06/2569"
    if "input-year" in css:
        return "2569"
    if "input-number" in css or attrs.get("inputmode") in ("numeric", "decimal"):
        return "1"
    if kind == "email":
        return "a@example.com"
    if kind == "url":
        return "https://example.com/"
    return "ทดสอบ"


def _data(fields, target: str | None = None, value: str = ""):
    data = {}
    for name, kind, shown, options, attrs in fields:
        if name == "csrfmiddlewaretoken":
            continue
        if kind == "file":
            upload = BAD_FILES.get(value) if name == target else None
            data[name] = SimpleUploadedFile(*(upload or BAD_FILES["pdf"]))
            continue
        typed = value if name == target else _plausible(kind, shown or "", options, attrs)
        if kind in ("checkbox", "select") and name in data:
            data[name] = [*([data[name]] if isinstance(data[name], str) else data[name]), typed]
        else:
            data[name] = typed
    return data


def _pages(world, app: str):
    for route in LIST_ROUTES + OBJECT_ROUTES:
        if route.namespace != app or route.name in SKIP_PAGES:
            continue
        kwargs = foreign_kwargs(route, world.foreign) if route.int_args else {}
        if kwargs is None:
            continue
        try:
            yield route.name, reverse(route.name, kwargs=kwargs)
        except Exception:  # noqa: BLE001 - a page needing a value we cannot make up
            continue


def _problem(client, response, value: str) -> str:
    """What is wrong with the answer: a server error, or the markup shown unescaped on the
    page that answers (the form again, or the page it sends the user to)."""
    if response.status_code >= 500:
        return str(response.status_code)
    if value != MARKUP:
        return ""
    if response.status_code == 302 and response["Location"].startswith("/"):
        response = client.get(response["Location"])
    if response.status_code == 200 and not response.streaming:
        if "text/html" in response.get("Content-Type", "") and MARKUP in response.content.decode():
            return "markup shown unescaped"
    return ""


# Posts of hostile values one form may take. A form of a few boxes gets every value in every
# box; a long one (a rating sheet, a rule table: dozens of boxes) gets each value in some of
# its boxes and each box at least one value, taking turns, so that every value still meets
# the form and the suite's time does not grow with the number of boxes (all 12 in every box
# took the planning and staffing pages about four minutes each; capped, 35 s and 21 s).
MAX_HOSTILE_POSTS = 96


def _hostile_posts(names: list[str]) -> list[tuple[str, str]]:
    if not names:
        return []
    each = max(1, min(len(HOSTILE), MAX_HOSTILE_POSTS // len(names)))
    return [
        (name, HOSTILE[(i + j) % len(HOSTILE)]) for i, name in enumerate(names) for j in range(each)
    ]


# One test per app: the parallel test workers share them out (about 1,800 posts in all).
@pytest.mark.django_db
@pytest.mark.parametrize("app", APPS)
def test_no_form_answers_messy_input_with_a_server_error(foreign_world, app):  # noqa: F811
    world = foreign_world
    clients = []
    for role in ROLES:
        client = Client(raise_request_exception=False)
        user = User.objects.filter(office=world.foreign, role=role).first()
        client.force_login(user or world.users[role])
        clients.append((role, client))
    failures, tried = [], 0
    for name, url in _pages(world, app):
        for role, client in clients:
            page = client.get(url)
            if page.status_code != 200 or page.streaming:
                continue
            if "text/html" not in page.get("Content-Type", ""):
                break
            for action, fields in _posts(page.content.decode(), url):
                posts = [(None, ""), (None, "")]  # the second: a double click, a reload
                posts += _hostile_posts([f[0] for f in fields if f[1] in TEXT_KINDS])
                posts += [(f[0], k) for f in fields if f[1] == "file" for k in BAD_FILES]
                for target, value in posts:
                    response = client.post(action, _data(fields, target, value))
                    tried += 1
                    problem = _problem(client, response, value)
                    if problem:
                        failures.append(
                            f"{role} {name} POST {action} {target}={value[:20]!r} → {problem}"
                        )
            break
    # What every post wrote to the audit log still reads on its pages.
    admin = clients[0][1]
    for query in ("", "?page=2", "?action=create"):
        log = admin.get(reverse("registry:audit") + query)
        if log.status_code != 200:
            failures.append(f"audit log {query} → {log.status_code}")
    assert tried > MIN_POSTS[app]
    assert not failures, "\n".join(failures)
