"""An office admin makes a teacher's account from the accounts page (the person picker follows
the chosen school), hands over the generated password, and the teacher signs in with it and
must set their own password first. On a phone the person is found by a search."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.testing import make_office, make_person, make_school

PASSWORD = "krupd-browser-test"
TEACHERS_OWN = "ครูมานี-ตั้งเอง-2569"
PHONE = {"width": 390, "height": 844}
# How long a step may wait for the page on a busy shared machine (not a timing assertion).
WAIT_MS = 30_000
SHOTS = Path(os.environ.get("KRUPD_SCREENSHOTS", "/tmp/krupd-screens"))


@pytest.mark.browser
def test_an_admin_creates_a_teacher_account_and_the_teacher_signs_in(page, live_server, login):
    office = make_office()
    make_school(office, code="1076019998", name="โรงเรียนวัดอื่น")
    school = make_school(office, code="1076019999", name="โรงเรียนบ้านทดสอบ")
    manee = make_person(office, school, title="นางสาว", first_name="มานี", last_name="มีนา")
    User.objects.create_user("admin.b", password=PASSWORD, role=Role.OFFICE_ADMIN, office=office)

    login(page, live_server, "admin.b", PASSWORD)
    page.get_by_role("link", name="บัญชีผู้ใช้").click()
    expect(page.locator("h2")).to_contain_text("บัญชีผู้ใช้")
    page.get_by_role("button", name="+ สร้างบัญชีผู้ใช้").click()  # a link styled as a button
    form = page.locator("main form.account-form")
    form.locator("[name=username]").fill("manee.m")
    form.locator("[name=role]").select_option(Role.TEACHER)
    form.locator("[name=school]").select_option(label="โรงเรียนบ้านทดสอบ")
    person = form.locator(f"[name=person][value='{manee.pk}']")
    expect(person).to_have_count(1)  # the school's picker, loaded by htmx
    person.check()
    page.get_by_role("button", name="สร้างบัญชี").click()

    expect(page.locator("h2")).to_contain_text("สร้างบัญชีผู้ใช้แล้ว")
    expect(page.locator("#new-username")).to_have_text("manee.m")
    password = page.locator("#new-password").inner_text().strip()
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password)
    page.context.clear_cookies()

    # The teacher signs in with it and is asked for a password of their own first.
    login(page, live_server, "manee.m", password)
    expect(page.locator("h2")).to_contain_text("ตั้งรหัสผ่านใหม่ของคุณ")
    page.locator("[name=old_password]").fill(password)
    page.locator("[name=new_password1]").fill(TEACHERS_OWN)
    page.locator("[name=new_password2]").fill(TEACHERS_OWN)
    page.get_by_role("button", name="บันทึกรหัสผ่านใหม่").click()
    expect(page.locator("main")).to_contain_text("เปลี่ยนรหัสผ่านเรียบร้อยแล้ว")
    page.get_by_role("link", name="ข้อมูลของฉัน").click()
    expect(page.locator("h2")).to_contain_text("นางสาวมานี มีนา")
    user = User.objects.get(username="manee.m")
    assert user.person == manee and not user.must_change_password


@pytest.mark.browser
def test_on_a_phone_the_admin_finds_the_person_by_search_and_creates_the_account(
    browser, live_server, login
):
    office = make_office()
    school = make_school(office, code="1076019999", name="โรงเรียนบ้านทดสอบ")
    other = make_school(office, code="1076019998", name="โรงเรียนบ้านอื่น")
    make_person(office, other, first_name="สมพร", last_name="อื่นดี")
    for i in range(40):
        make_person(office, school, first_name=f"ครูคนที่{i:02d}", last_name="ทดสอบ")
    wanted = make_person(office, school, title="นาย", first_name="วีระพงษ์", last_name="ศรีสุข")
    User.objects.create_user("admin.p", password=PASSWORD, role=Role.OFFICE_ADMIN, office=office)
    context = browser.new_context(viewport=PHONE, locale="th-TH", timezone_id="Asia/Bangkok",
                                  is_mobile=True, has_touch=True)  # fmt: skip
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()

    login(page, live_server, "admin.p", PASSWORD)
    page.goto(f"{live_server.url}/accounts/users/new/")
    form = page.locator("main form.account-form")
    form.locator("[name=username]").fill("weerapong.s")
    form.locator("[name=role]").select_option(Role.TEACHER)
    picker = form.locator("[data-picker=person]")
    rows = picker.locator("input[type=radio][name=person]")
    form.locator("[name=school]").select_option(label="โรงเรียนบ้านอื่น")
    picker.locator("[name=person__q]").fill("วีระ")
    expect(picker).to_contain_text("ไม่พบ")  # nobody of that name at the other school
    # Choosing the school asks for its rows with the search already typed, in the same queue:
    # the box keeps its text and an answer that comes late never replaces a newer one.
    form.locator("[name=school]").select_option(label="โรงเรียนบ้านทดสอบ")
    expect(rows).to_have_count(2)  # ไม่ระบุ and the one match, searched within the school
    expect(picker.locator("[name=person__q]")).to_have_value("วีระ")
    picker.locator("[name=person__q]").fill("")
    expect(rows).to_have_count(42)  # ไม่ระบุ + the school's 41
    picker.locator("[name=person__q]").fill("วีระ")
    expect(rows).to_have_count(2)
    picker.get_by_text("นายวีระพงษ์ ศรีสุข").click()  # the whole row is the tap target
    expect(picker.locator(f"input[value='{wanted.pk}']")).to_be_checked()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the form scrolls sideways on a phone"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "account-person-picker-phone.png"), full_page=True)
    page.get_by_role("button", name="สร้างบัญชี").click()

    expect(page.locator("h2")).to_contain_text("สร้างบัญชีผู้ใช้แล้ว")
    expect(page.locator("#new-username")).to_have_text("weerapong.s")
    account = User.objects.get(username="weerapong.s")
    assert account.person == wanted and account.school == school
    context.close()
