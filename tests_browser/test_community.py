"""A school nominates a teacher → a judge scores → the office announces → the results table."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from community import actions
from community.models import AwardProgramme, AwardRound, RoundStatus
from krupd.testing import make_office, make_person, make_school

PASSWORD = "krupd-browser-test"


@pytest.mark.browser
def test_it_runs_a_nomination_to_the_awards_table(page, live_server, login):
    office = make_office()
    school = make_school(office, code="1076019999", name="โรงเรียนบ้านทดสอบ")
    teacher = make_person(office, school, first_name="มาลี", last_name="ดีเด่น")
    User.objects.create_user(
        "dir.b", password=PASSWORD, role=Role.SCHOOL_DIRECTOR, office=office, school=school
    )
    judge = User.objects.create_user(
        "judge.b", password=PASSWORD, role=Role.SUPERVISOR, office=office
    )
    admin = User.objects.create_user(
        "admin.b", password=PASSWORD, role=Role.OFFICE_ADMIN, office=office
    )
    programme = AwardProgramme.objects.create(office=office, name="ครูดีในดวงใจ", organiser="คุรุสภา")
    round_ = AwardRound.objects.create(
        programme=programme, year=2568, title="ครูดีในดวงใจ 2568", status=RoundStatus.OPEN, winners=1
    )
    actions.save_round(
        acting_user=admin,
        round_=round_,
        judges=[judge],
        criteria=[
            {"name": "ผลงานต่อผู้เรียน", "weight": Decimal("60"), "max_score": Decimal("10")},
            {"name": "การเป็นแบบอย่าง", "weight": Decimal("40"), "max_score": Decimal("10")},
        ],
    )

    # The school nominates its teacher.
    login(page, live_server, "dir.b", PASSWORD)
    page.goto(f"{live_server.url}/community/awards/rounds/{round_.pk}/")
    page.locator(f"a[href$='/rounds/{round_.pk}/nominate/']").click()
    page.check(f"input[name=person][value='{teacher.pk}']")  # the people picker's radio
    page.fill("input[name=work_title]", "สอนอ่านด้วยนิทานพื้นบ้าน")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#results")).to_contain_text("มาลี ดีเด่น")
    page.context.clear_cookies()

    # The judge scores it: 8/10 × 60 + 9/10 × 40 = 48 + 36 = 84.
    AwardRound.objects.filter(pk=round_.pk).update(status=RoundStatus.JUDGING)
    login(page, live_server, "judge.b", PASSWORD)
    page.goto(f"{live_server.url}/community/awards/rounds/{round_.pk}/")
    page.locator("a[href*='/score/']").click()
    inputs = page.locator("main form input[inputmode=decimal]")
    inputs.nth(0).fill("8")
    inputs.nth(1).fill("๙")  # Thai digits are accepted
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#results")).to_contain_text("84.00")
    page.context.clear_cookies()

    # The office announces the area result; the yearly table counts one selected.
    login(page, live_server, "admin.b", PASSWORD)
    page.goto(f"{live_server.url}/community/awards/rounds/{round_.pk}/")
    page.locator("form[action$='/decide/'] button").click()
    expect(page.locator("#results")).to_contain_text("ได้รับรางวัล")
    page.goto(f"{live_server.url}/community/awards/table/?year=2568")
    expect(page.locator("#awards-table tbody")).to_contain_text("ครูดีในดวงใจ 2568")
    expect(page.locator("#awards-table tbody")).to_contain_text("1 คน")
    page.screenshot(path="/tmp/community-shots/20-browser-awards-table.png", full_page=True)


@pytest.mark.browser
def test_a_supervisor_records_a_follow_up_visit_on_a_phone(browser, live_server, login):
    """At the school, on a phone: the course the visit follows up is found by typing part of
    its title into the picker (an office has thousands of courses a year), then saved."""
    from training.models import Course

    office = make_office()
    school = make_school(office, code="1076018888", name="โรงเรียนบ้านนิเทศ")
    make_person(office, school, first_name="สมศรี", last_name="ตั้งใจ")
    User.objects.create_user("sn.b", password=PASSWORD, role=Role.SUPERVISOR, office=office)
    for i in range(120):  # more than the picker shows at once
        Course.objects.create(office=office, title=f"หลักสูตรทั่วไป {i + 1}", mode="workshop",
                              hours=Decimal("6"), fiscal_year=2569, status="open")  # fmt: skip
    wanted = Course.objects.create(office=office, title="การสอนแบบโครงงานฐานวิจัย",
                                   mode="workshop", hours=Decimal("12"), fiscal_year=2568,
                                   status="closed")  # fmt: skip

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="th-TH",
                                timezone_id="Asia/Bangkok", is_mobile=True, has_touch=True)  # fmt: skip
    phone.set_default_timeout(10_000)
    page = phone.new_page()
    login(page, live_server, "sn.b", PASSWORD)
    page.goto(f"{live_server.url}/community/visits/new/")
    page.select_option("select[name=school]", str(school.pk))
    page.select_option("select[name=kind]", "follow_up")
    page.fill("input[name=date]", "15/06/2568")
    page.fill("input[name=visitor_name]", "ศน.ทดสอบ")
    page.fill("input[name=focus]", "การนำโครงงานไปใช้ในห้องเรียน")
    expect(page.locator("[data-picker=course]")).to_contain_text("หลักสูตรแรก")  # not all 121
    page.fill("input[name=course__q]", "โครงงาน")
    choice = page.locator(f"input[name=course][value='{wanted.pk}']")
    expect(choice).to_be_visible()
    choice.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("การสอนแบบโครงงานฐานวิจัย")
    phone.close()
