"""An office admin turns on two-factor sign-in from the password page, keeps the recovery
codes, and from then on signs in with a code from the app."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from accounts.models import User

PASSWORD = "krupd-browser-test"


@pytest.mark.browser
def test_it_turns_on_two_factor_and_then_asks_for_the_code(page, live_server, login):
    User.objects.create_user(username="somchai.admin", password=PASSWORD, role="office_admin")
    login(page, live_server, "somchai.admin", PASSWORD)

    page.goto(f"{live_server.url}/accounts/password/")
    page.get_by_role("link", name=re.compile("เปิดใช้การยืนยันตัวตนสองขั้นตอน")).click()
    expect(page.locator("svg.segno")).to_be_visible()  # the QR code, drawn without script
    secret = page.locator(".secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.get_by_label("รหัส 6 หลักจากแอปยืนยันตัวตน").fill(totp.now())
    page.get_by_role("button", name="เปิดใช้งาน").click()
    expect(page.locator(".recovery-codes li")).to_have_count(10)

    page.locator("summary", has_text="somchai.admin").click()
    page.get_by_role("button", name="ออกจากระบบ").click()
    page.get_by_label("ชื่อผู้ใช้").fill("somchai.admin")
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.locator("h2")).to_contain_text("ยืนยันตัวตนขั้นที่สอง")
    # The next step's code: the one that turned it on cannot be used again.
    page.get_by_label("รหัส 6 หลักจากแอปยืนยันตัวตน").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="ยืนยัน", exact=True).click()
    expect(page.locator("body")).to_contain_text("somchai.admin")
    expect(page).not_to_have_url(re.compile("/accounts/login"))
