"""Pages work under a Content-Security-Policy without 'unsafe-inline' in script-src.

Charts are drawn by static/krupd/charts.js from json_script data; confirmations, auto-submitting
filters, "back" links and the people picker's search are data-attributes handled by
static/krupd/krupd.js. On a small demo office this walks the chart pages (screenshots of the
KPI dashboard and the staffing overview land in KRUPD_BROWSER_SCREENSHOTS) and uses each
behaviour once. The autouse ``no_csp_violations`` fixture fails the test on any refused script.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from planning.models import Competency, Domain, Framework, Round
from registry.demo import DEMO_PASSWORD, build_demo, create_demo_users
from registry.models import Office, Person
from reporting.queries import current_fiscal_year
from reporting.tests.helpers import course, passed
from training.models import ACTIVE_STATUSES, Enrolment

SCREENSHOTS = Path(os.environ.get("KRUPD_BROWSER_SCREENSHOTS", "/tmp/krupd-browser-screenshots"))


@pytest.fixture
def demo(db):
    """A small demo office: schools and people (staffing), needs rounds (planning), O-NET and
    SAR drafts (reporting) and passed courses in the last three fiscal years, so the KPI trends
    have bars. The teacher has one open enrolment to cancel."""
    from planning.demo import build as planning_demo
    from reporting.demo import build_reporting_demo

    summary = build_demo(schools=12, people=160)
    office = Office.objects.get(code=summary.demo_office_code)
    create_demo_users(office=office)
    planning_demo(office=office)
    build_reporting_demo(office=office)
    people = list(Person.objects.filter(office=office, school__isnull=False).order_by("pk"))
    fy = current_fiscal_year()
    for back, share in ((2, 4), (1, 3), (0, 2)):
        c = course(office, fy=fy - back, title=f"หลักสูตรสาธิต {fy - back}")
        for person in people[::share]:
            passed(c, person)
    teacher = User.objects.get(username="teacher").person
    passed(course(office, fy=fy, title="หลักสูตรที่ยังเปิดรับ", status="open"), teacher, passed_=False)
    return office


def drawn_charts(page) -> int:
    """How many canvases on the page carry a Chart.js chart, after checking none is missing."""
    canvases = page.locator("canvas[data-chart]")
    expect(canvases.first).to_be_visible()
    return page.evaluate(
        """() => [...document.querySelectorAll("canvas[data-chart]")]
                  .filter((c) => window.Chart && Chart.getChart(c)).length"""
    )


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.browser
def test_chart_pages_draw_their_charts(page, live_server, login, demo):
    login(page, live_server, "admin", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/reports/")
    kpis = page.locator("canvas[data-chart=kpi-trend]").count()
    assert kpis >= 3
    assert drawn_charts(page) == kpis
    shoot(page, "reporting-dashboard")

    page.goto(f"{live_server.url}/staffing/")
    assert drawn_charts(page) == 1
    shoot(page, "staffing-office")

    page.goto(f"{live_server.url}/staffing/schools/")
    assert drawn_charts(page) == 1
    page.goto(f"{live_server.url}/staffing/retirements/")
    assert drawn_charts(page) == 1

    needs_round = Round.objects.filter(office=demo).order_by("pk").first()
    page.goto(f"{live_server.url}/planning/rounds/{needs_round.pk}/needs/")
    assert drawn_charts(page) == 1


@pytest.mark.browser
def test_filters_submit_themselves_when_changed(page, live_server, login, demo):
    login(page, live_server, "admin", DEMO_PASSWORD)

    page.goto(f"{live_server.url}/reports/")
    select = page.locator("select[name=fy]")
    other = select.locator("option:not([selected])").first.get_attribute("value")
    with page.expect_navigation():
        select.select_option(other)
    assert f"fy={other}" in page.url
    expect(page.locator("select[name=fy]")).to_have_value(other)

    page.goto(f"{live_server.url}/registry/audit/")
    select = page.locator("select[name=action]")
    action = select.locator("option[value]:not([value=''])").first.get_attribute("value")
    with page.expect_navigation():
        select.select_option(action)
    assert f"action={action}" in page.url


@pytest.mark.browser
def test_delete_asks_first_and_cancel_goes_back(page, live_server, login, demo):
    framework = Framework.objects.create(office=demo, code="TEST", version="1", name="กรอบทดสอบ",
                                         scale_labels=["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"])  # fmt: skip
    domain = Domain.objects.create(framework=framework, code="T", name="ด้านทดสอบ", sort_order=1)
    spare = Competency.objects.create(domain=domain, code="T1", name="ตัวชี้วัดทดสอบ", sort_order=1)
    login(page, live_server, "admin", DEMO_PASSWORD)

    framework_url = f"{live_server.url}/planning/frameworks/{framework.pk}/"
    page.goto(framework_url)
    page.goto(f"{framework_url}items/{spare.pk}/")
    # "ยกเลิก" goes back to the page before, like the browser's back button.
    page.get_by_role("button", name="ยกเลิก").click()
    expect(page).to_have_url(framework_url)

    page.goto(f"{framework_url}items/{spare.pk}/")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.get_by_role("button", name="ลบ", exact=True).click()
    page.wait_for_timeout(300)  # a refused confirmation must not submit anything
    assert questions == ["ลบรายการนี้?"]
    assert Competency.objects.filter(pk=spare.pk).exists()

    page.once("dialog", lambda d: answer(d, True))
    with page.expect_navigation():
        page.get_by_role("button", name="ลบ", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("ลบแล้ว")
    assert not Competency.objects.filter(pk=spare.pk).exists()


@pytest.mark.browser
def test_enrolment_cancel_asks_before_the_form_is_sent(page, live_server, login, demo):
    teacher = User.objects.get(username="teacher")
    enrolment = (
        Enrolment.objects.filter(person=teacher.person, passed=False, status__in=ACTIVE_STATUSES)
        .order_by("pk")
        .first()
    )
    login(page, live_server, "teacher", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/training/courses/{enrolment.course_id}/")
    page.once("dialog", lambda d: d.dismiss())
    page.get_by_role("button", name="ยกเลิกการลงทะเบียน").click()
    page.wait_for_timeout(300)
    enrolment.refresh_from_db()
    assert enrolment.status in ACTIVE_STATUSES


@pytest.mark.browser
def test_debt_list_opens_the_chosen_persons_form(page, live_server, login, demo):
    """The debt list's "add" leads to a people picker; searching needs no inline script."""
    person = (
        Person.objects.filter(office=demo, status="active", debt_profile__isnull=True)
        .order_by("pk")
        .first()
    )
    login(page, live_server, "admin", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/career/debt/")
    page.get_by_role("button", name="+ บันทึกข้อมูลรายได้และหนี้สิน").click()
    picker = page.locator("[data-picker=person]")
    picker.locator("[name=person__q]").fill(person.first_name)
    row = picker.locator(f"input[name=person][value='{person.pk}']")
    expect(row).to_have_count(1)  # the search's rows, answered by htmx
    row.check()
    page.get_by_role("button", name="กรอกข้อมูลของผู้ที่เลือก").click()
    expect(page).to_have_url(f"{live_server.url}/career/debt/{person.pk}/edit/")


@pytest.mark.browser
def test_api_docs_load_from_this_site(page, live_server, login):
    """/api/docs is django-ninja's Swagger UI from its own static files (no CDN, no inline
    script), so the policy lets it run."""
    User.objects.create_user(username="api.reader", password="krupd-browser-test",
                             role="office_admin")  # fmt: skip
    login(page, live_server, "api.reader", "krupd-browser-test")
    page.goto(f"{live_server.url}/api/docs")
    expect(page.locator("#swagger-ui")).to_contain_text("KruPD API")
    expect(page.locator("#swagger-ui")).to_contain_text("/api/registry/")
