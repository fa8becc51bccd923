"""Helpers for browser tests: things a user does, said once."""

from playwright.sync_api import Page

LOGIN_PATH = "/accounts/login/"


def login(page: Page, live_server, username: str, password: str) -> None:
    """Log in through the real login page and wait until it has let us in.

    Fails with the page's own words when the login page does not move on (wrong password,
    throttled, missing form), instead of a bare timeout later in the test.
    """
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button:not([type]), [type=submit]").first.click()
    if page.url.split("?")[0].endswith(LOGIN_PATH):
        text = " ".join(page.locator("body").inner_text().split())
        raise AssertionError(f"login as {username!r} stayed on the login page: {text[:500]}")
