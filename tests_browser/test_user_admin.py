"""An office admin makes a teacher's account from the accounts page (the person list follows
the chosen school), hands over the generated password, and the teacher signs in with it and
must set their own password first."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.testing import make_office, make_person, make_school

PASSWORD = "krupd-browser-test"
TEACHERS_OWN = "ครูมานี-ตั้งเอง-2569"


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
    person = form.locator("[name=person]")
    expect(person.locator(f"option[value='{manee.pk}']")).to_have_count(1)  # loaded by htmx
    person.select_option(str(manee.pk))
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
