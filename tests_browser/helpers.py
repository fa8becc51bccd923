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


PHONE = {"width": 390, "height": 844}
# How long a step may wait for the page on a busy shared machine (not a timing assertion).
WAIT_MS = 30_000


def phone_page(browser) -> Page:
    """A new page in a Thai phone's browser (390 px wide, touch, Bangkok time)."""
    context = browser.new_context(viewport=PHONE, locale="th-TH", timezone_id="Asia/Bangkok",
                                  is_mobile=True, has_touch=True)  # fmt: skip
    context.set_default_timeout(WAIT_MS)
    return context.new_page()


def fits_the_phone(page: Page) -> None:
    """Nothing is wider than the phone's screen: a wide table scrolls inside its own box."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width}px)"
