"""The Content-Security-Policy runs scripts from static files only, and no page needs more.

script-src has no 'unsafe-inline', so a browser refuses any inline script: a <script> block
without src, an on*= attribute, a javascript: link, htmx's hx-on (it needs eval). Templates ask
for behaviour with data-attributes (static/krupd/krupd.js) and draw charts from json_script
data (static/krupd/charts.js). These tests fail on a template or page that would break that
rule, naming the file and line, before a browser silently ignores the code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.roles import Role
from krupd.middleware import content_security_policy
from krupd.testing import *  # noqa: F403 - the users-per-role fixtures

# Every page is walked for its status and HTML only (conftest.no_template_contexts).
pytestmark = pytest.mark.usefixtures("no_template_contexts")


TEMPLATE_DIRS = [Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", [])]
STATIC_KRUPD = Path(settings.BASE_DIR) / "static" / "krupd"

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
SRC_ATTR = re.compile(r"\ssrc\s*=", re.IGNORECASE)
JSON_TYPE = re.compile(r"""\stype\s*=\s*["']?application/(ld\+)?json\b""", re.IGNORECASE)
# Inline code that does not need a <script> tag: event-handler attributes (onclick=, onsubmit=
# …), javascript: addresses, htmx's hx-on / hx-vars and js: values (all evaluated as code).
INLINE_CODE = [
    (re.compile(r"""(?:^|[\s"'])on[a-z]{3,}\s*=""", re.IGNORECASE), "on*= event attribute"),
    (re.compile(r"javascript\s*:", re.IGNORECASE), "javascript: address"),
    (re.compile(r"\b(?:data-)?hx-on\b", re.IGNORECASE), "hx-on attribute"),
    (re.compile(r"\b(?:data-)?hx-vars\b", re.IGNORECASE), "hx-vars attribute"),
    (re.compile(r"""\b(?:data-)?hx-\w+\s*=\s*["']\s*js:""", re.IGNORECASE), "htmx js: value"),
]


def inline_code(html: str) -> list[tuple[int, str]]:
    """(line, what) for each piece of inline executable code in an HTML page or template."""
    found = []
    for match in SCRIPT_TAG.finditer(html):
        attrs = match.group(1)
        if not SRC_ATTR.search(attrs) and not JSON_TYPE.search(attrs):
            line = html.count("\n", 0, match.start()) + 1
            found.append((line, f"inline <script> ({match.group(0)[:60]})"))
    for number, text in enumerate(html.splitlines(), start=1):
        for pattern, what in INLINE_CODE:
            if pattern.search(text):
                found.append((number, f"{what}: {text.strip()[:100]}"))
    return sorted(found)


def template_files() -> list[Path]:
    return sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*.html"))


def script_src(policy: str) -> list[str]:
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    return directives.get("script-src", directives.get("default-src", []))


def test_the_checker_finds_each_kind_of_inline_code():
    page = "\n".join(
        [
            "<p>ok</p>",
            "<script>alert(1)</script>",
            '<button onclick="go()">',
            '<select name="fy" onchange="this.form.submit()">',
            '<a href="javascript:history.back()">',
            '<div hx-on:click="go()">',
            "<div hx-vals='js:{\"a\": 1}'>",
            '<script src="/static/x.js" defer></script>',
            '<script id="d" type="application/json">{"a": 1}</script>',
            '<canvas data-chart="pni" data-chart-data="chart-data"></canvas>',
            '<p class="button">version=2 · config=on</p>',
        ]
    )
    assert [line for line, _ in inline_code(page)] == [2, 3, 4, 5, 6, 7]


def test_templates_carry_no_inline_script():
    files = template_files()
    assert len(files) > 50, TEMPLATE_DIRS  # the scan really reached the templates
    problems = [
        f"{path.relative_to(settings.BASE_DIR)}:{line}: {what}"
        for path in files
        for line, what in inline_code(path.read_text(encoding="utf-8"))
    ]
    assert not problems, (
        "inline script is blocked by the Content-Security-Policy; use a data-attribute "
        "handled by static/krupd/krupd.js (data-confirm, data-autosubmit, data-back, "
        "data-goto) or a chart set-up in static/krupd/charts.js:\n" + "\n".join(problems)
    )


def test_the_policy_refuses_inline_script_and_eval(client):
    policy = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    sources = script_src(policy)
    assert sources == ["'self'"], policy
    assert policy == content_security_policy()


def test_every_chart_a_template_names_has_a_set_up():
    charts_js = (STATIC_KRUPD / "charts.js").read_text(encoding="utf-8")
    defined = set(re.findall(r'^\s*"([\w-]+)": function', charts_js, re.MULTILINE))
    used = {
        name
        for path in template_files()
        for name in re.findall(r'data-chart="([\w-]+)"', path.read_text(encoding="utf-8"))
    }
    assert used, "no template draws a chart: the pattern above is stale"
    assert used <= defined, f"charts without a set-up in charts.js: {sorted(used - defined)}"


def _pages_without_arguments(resolver=None, prefix=""):
    """Every URL of the site that takes no argument, as a path."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if "<" in route or "(?P" in route or route.startswith(("admin/", "^admin")):
            continue
        if isinstance(entry, URLResolver):
            yield from _pages_without_arguments(entry, prefix + route)
        elif isinstance(entry, URLPattern) and not route.startswith("^"):
            yield "/" + prefix + route


@pytest.mark.django_db
def test_rendered_pages_carry_no_inline_script(client_for):
    """What views send (templates plus any HTML built in Python): no inline script either."""
    checked, problems = 0, []
    for role in (Role.OFFICE_ADMIN, Role.TEACHER):
        client = client_for(role)
        for path in sorted(set(_pages_without_arguments())):
            response = client.get(path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            checked += 1
            html = response.content.decode()
            problems += [f"{path} ({role}):{line}: {what}" for line, what in inline_code(html)]
    assert checked > 30
    assert not problems, "\n".join(problems)
