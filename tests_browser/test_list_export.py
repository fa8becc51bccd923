"""An office admin exports a personnel list too long to write while the browser waits: the
list's export button leads to a page that asks for the file, progress shows, and the file
downloads when it is ready."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from accounts.models import User
from imports import exporters
from krupd.testing import make_office, make_person, make_school

PASSWORD = "krupd-browser-test"


@pytest.mark.browser
def test_a_long_list_is_prepared_then_downloaded(page, live_server, login, monkeypatch):
    monkeypatch.setattr(exporters, "DIRECT_EXPORT_ROWS", 2)  # three people make a long list
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    for i, name in enumerate(("มาลี", "ปรีชา", "สมศรี")):
        make_person(office, school, first_name=name, last_name=f"ทดสอบ{i}")
    User.objects.create_user(username="somsri.admin", password=PASSWORD, role="office_admin",
                             office=office)  # fmt: skip
    login(page, live_server, "somsri.admin", PASSWORD)

    page.goto(f"{live_server.url}/registry/people/")
    page.get_by_role("button", name="ส่งออก XLSX").click()
    expect(page.locator("body")).to_contain_text("รายการนี้มี 3 แถว")
    page.get_by_role("button", name="เตรียมไฟล์ XLSX").click()
    download_button = page.get_by_role("button", name="ดาวน์โหลด XLSX")
    expect(download_button).to_be_visible(timeout=30_000)
    expect(page.locator("body")).to_contain_text("ไฟล์พร้อมแล้ว")
    with page.expect_download() as download:
        download_button.click()
    assert download.value.suggested_filename.startswith("krupd-personnel-")
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    names = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"มาลี", "ปรีชา", "สมศรี"}

    page.get_by_role("button", name="กลับไปหน้ารายการ").click()
    expect(page).to_have_url(f"{live_server.url}/registry/people/")
