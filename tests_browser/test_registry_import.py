"""The officer's main flow: import a messy personnel sheet, fix the error, apply, find the
person, edit them, and see the change in the audit log."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from krupd.testing import make_office, make_school, valid_national_id

PASSWORD = "krupd-browser-test"
HEADER = "ลำดับ,เลขประจำตัวประชาชน,คำนำหน้า,ชื่อ,นามสกุล,เพศ,วันเดือนปีเกิด,ประเภทบุคลากร,ตำแหน่ง,วิทยฐานะ,รหัสสถานศึกษา,วิชาเอก,โทรศัพท์"


def _sheet(tmp_path, name: str, second_id: str) -> str:
    first_id = valid_national_id(7001)
    rows = [
        HEADER,
        f"๑,{first_id},นาง,มาลี,ทดสอบนำเข้า,หญิง,๑๕/๐๓/๒๕๓๐,ครู,ครู,ชำนาญการ,1076010001,คณิตศาสตร์,081-111-1111",
        ",,,,,,,,,,,,",
        f"2,{second_id},นาย,ปรีชา,แก้ไขแล้ว,ชาย,1 ม.ค. 2528,ครู,ครู,ไม่มีวิทยฐานะ,1076010001,ภาษาไทย,082-222-2222",
    ]
    path = tmp_path / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    return str(path)


def _upload(page, live_server, path: str) -> None:
    page.goto(f"{live_server.url}/imports/upload/")
    page.get_by_label("บุคลากร", exact=False).first.check()
    page.set_input_files("input[type=file]", path)
    page.get_by_role("button", name="อัปโหลดและตรวจสอบ").click()
    # Validation runs in the background; the batch page polls until it is done.
    expect(page.get_by_role("button", name="ยืนยันนำเข้า")).to_be_visible(timeout=30_000)


@pytest.mark.browser
def test_it_imports_fixes_applies_edits_and_audits(page, live_server, login, tmp_path):
    office = make_office()
    make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    User.objects.create_user(username="somsri.admin", password=PASSWORD, role="office_admin",
                             office=office)  # fmt: skip
    login(page, live_server, "somsri.admin", PASSWORD)

    # 1. A sheet with a bad national ID in its last row: the error names the row, nothing saved.
    _upload(page, live_server, _sheet(tmp_path, "messy.csv", "1234545678789"))
    expect(page.locator("body")).to_contain_text("หลักตรวจสอบ")
    expect(page.locator("body")).to_contain_text("4")
    expect(page.get_by_role("button", name="ยืนยันนำเข้า")).to_be_disabled()
    page.goto(f"{live_server.url}/registry/people/?q=มาลี")
    expect(page.locator("#people-table")).to_contain_text("ไม่พบบุคลากร")

    # 2. The fixed sheet validates cleanly and applies.
    _upload(page, live_server, _sheet(tmp_path, "fixed.csv", valid_national_id(7002)))
    page.get_by_role("button", name="ยืนยันนำเข้า").click()
    expect(page.locator("body")).to_contain_text("นำเข้าแล้ว", timeout=30_000)

    # 3. Find the person with the search box and edit their phone number.
    page.goto(f"{live_server.url}/registry/people/")
    page.get_by_placeholder("ชื่อ นามสกุล").fill("ปรีชา")
    page.get_by_role("button", name="ค้นหา").click()
    page.get_by_role("link", name="นายปรีชา แก้ไขแล้ว").click()
    page.get_by_role("button", name="แก้ไข", exact=True).click()
    page.get_by_label("โทรศัพท์").fill("๐๘๙-๐๐๐-๑๒๓๔")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.locator("body")).to_contain_text("089-000-1234")

    # 4. The audit log shows who changed what, before and after.
    page.get_by_role("button", name="ประวัติการแก้ไข").click()
    expect(page.locator("table")).to_contain_text("082-222-2222 → 089-000-1234")
    expect(page.locator("table")).to_contain_text("somsri.admin")


@pytest.mark.browser
def test_the_errors_of_an_import_are_read_whole_on_a_phone(browser, live_server, login, tmp_path):
    """On a phone the errors table ran four columns wide and put each message, the one thing
    to read, past the screen's right edge. Each file row is a card, its message across the
    screen under its own label."""
    from tests_browser.helpers import fits_the_phone, phone_page

    office = make_office()
    make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    User.objects.create_user(username="somsri.admin", password=PASSWORD, role="office_admin",
                             office=office)  # fmt: skip
    phone = phone_page(browser)
    login(phone, live_server, "somsri.admin", PASSWORD)
    _upload(phone, live_server, _sheet(tmp_path, "messy.csv", "1234545678789"))
    message = phone.locator("#batch-rows td[data-label='ข้อผิดพลาด']").first
    expect(message).to_contain_text("หลักตรวจสอบ")
    box = message.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["width"] >= 300, box
    fits_the_phone(phone)
    phone.context.close()
