"""Browser-test fixtures: Playwright driving Debian's Chromium against pytest-django's
``live_server`` (a real HTTP server on a transactional test database).

Every test here is marked ``browser`` (the root conftest adds the mark to anything under
tests_browser/), so ``make test`` leaves them out and ``make browser-test`` / ``.ci/run``
run them. Chromium comes from Debian (``apt-get install chromium``): Playwright's own
browser download is never used.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests_browser import helpers

CHROMIUM = os.environ.get("KRUPD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# CI runs the live server, the test and Chromium on two shared cores: an assertion waits up to
# 15 s for the page to get there (Playwright's default is 5 s). A passing test waits no longer.
expect.set_options(timeout=15_000)

# Screenshots of failed browser tests land here (kept after the run, for a look).
ARTIFACTS = Path(os.environ.get("KRUPD_BROWSER_ARTIFACTS", "/tmp/krupd-browser-failures"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        message = (
            f"Chromium not found at {CHROMIUM}: apt-get install chromium (make browser-test does)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    # Playwright's sync API runs an asyncio loop in this thread, and Django refuses ORM
    # calls from a thread with a running loop. The tests' ORM calls are plain sync code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


_call_failed = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.stash[_call_failed] = report.failed
    return report


# Chromium logs every script, style or resource the Content-Security-Policy refuses with this
# phrase ("Refused to execute inline script because it violates the following Content Security
# Policy directive: ..."). A refused script is a behaviour that silently stopped working.
CSP_VIOLATION = "Content Security Policy"


@pytest.fixture(autouse=True)
def no_csp_violations(
    browser: Browser, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[list[str]]:
    """Every browser context a test opens (``page`` and any a test makes with
    ``browser.new_context``) reports CSP violations and uncaught script errors; the test fails
    if any page it visited logged one."""
    problems: list[str] = []
    new_context = browser.new_context

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)

        def on_console(message):
            if CSP_VIOLATION in message.text:
                problems.append(f"{message.page.url if message.page else '?'}: {message.text}")

        def on_error(error):
            problems.append(f"{error.page.url if error.page else '?'}: script error: {error.error}")

        context.on("console", on_console)
        context.on("weberror", on_error)
        return context

    monkeypatch.setattr(browser, "new_context", watched_context)
    yield problems
    if problems and not request.node.stash.get(_call_failed, False):
        pytest.fail("the pages logged CSP violations or script errors:\n" + "\n".join(problems))


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page in its own browser context: no cookies or storage shared between tests."""
    context = browser.new_context(locale="th-TH", timezone_id="Asia/Bangkok")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    if request.node.stash.get(_call_failed, False):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"{request.node.name}.png"
        try:
            page.screenshot(path=str(shot), full_page=True)
            print(f"\nscreenshot of the failed page ({page.url}): {shot}")
        except Exception as exc:  # a crashed page must not hide the real failure
            print(f"\nno screenshot: {exc}")
    context.close()


@pytest.fixture
def login():
    """``login(page, live_server, username, password)``: log in through /accounts/login/."""
    return helpers.login
