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


def passed_certificate(person, code: str, *, title: str, **fields):
    """A certificate of a 12-hour workshop the person passed on 13 January 2026 (issued the
    next day), made straight in the register, with `fields` on top (needs_review...)."""
    import datetime as dt
    from decimal import Decimal

    from training.models import Certificate, Course, Enrolment, Session

    office = person.office
    course = Course.objects.create(office=office, title=title, mode="workshop",
                                   hours=Decimal(12), fiscal_year=2569)  # fmt: skip
    session = Session.objects.create(course=course, start_date=dt.date(2026, 1, 12),
                                     end_date=dt.date(2026, 1, 13), capacity=10)  # fmt: skip
    enrolment = Enrolment.objects.create(
        course=course, session=session, person=person, status="enrolled", source="office",
        passed=True, result="passed", hours_credited=Decimal(12), credit_fiscal_year=2569,
        completed_on=dt.date(2026, 1, 13),
    )  # fmt: skip
    return Certificate.objects.create(
        enrolment=enrolment, code=code, number="2569/1/0001",
        person_name=person.full_name, course_title=course.title, office_name=office.name,
        hours=Decimal(12), completed_on=dt.date(2026, 1, 13), issued_on=dt.date(2026, 1, 14),
        **fields,
    )  # fmt: skip
