"""Officer opens the KPI dashboard, drills into a network and a school, opens the SAR, edits
a narrative, and downloads the DOCX with what was written."""

import io

import pytest
from docx import Document
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.testing import make_office, make_person, make_school
from registry.models import Network
from reporting.queries import current_fiscal_year
from reporting.tests.helpers import course, passed

PASSWORD = "krupd-browser-test"


@pytest.mark.browser
def test_it_drills_down_and_writes_the_sar(page, live_server, login):
    office = make_office()
    network = Network.objects.create(office=office, name="เครือข่ายบ้านลาด")
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่", network=network)
    fy = current_fiscal_year()
    c = course(office, fy=fy, title="การใช้เทคโนโลยีดิจิทัลในชั้นเรียน")
    for _ in range(3):
        passed(c, make_person(office, school))
    make_person(office, school)
    User.objects.create_user(username="officer", password=PASSWORD,
                             role=Role.DEVELOPMENT_OFFICER, office=office)  # fmt: skip

    login(page, live_server, "officer", PASSWORD)
    page.get_by_role("link", name="รายงาน·KPI").click()
    card = page.locator("#kpi-teachers-developed")
    expect(card).to_contain_text("75.00%")  # 3 of 4 teachers, to 2 places as the status reads it
    page.get_by_role("link", name="เครือข่ายบ้านลาด").click()
    page.get_by_role("link", name="โรงเรียนบ้านหนองไผ่").click()
    expect(page.locator("h2")).to_contain_text("โรงเรียนบ้านหนองไผ่")
    expect(page.locator("#kpi-teachers-developed")).to_contain_text("3 จาก 4 คน")

    page.get_by_role("link", name="รายงานการประเมินตนเอง (SAR)").click()
    page.get_by_role("button", name="สร้าง/เปิดรายงาน SAR").click()
    expect(page.locator("h2")).to_contain_text(f"ปีงบประมาณ {fy}")
    item = page.locator("article").filter(has_text="มีระบบข้อมูลสารสนเทศในการพัฒนาครู").first
    form = item.locator("form.sar-entry")
    form.get_by_label("ปัจจัย/วิธีการที่ทำให้สำเร็จ / Best Practice").fill("ผู้บริหารสนับสนุนการจัดทำข้อมูล")
    form.get_by_label("ระดับคุณภาพที่เจ้าหน้าที่ตัดสิน").select_option("3")
    form.get_by_role("button", name="บันทึกข้อ 1").click()
    expect(page.locator(".flash")).to_contain_text("บันทึกข้อ 1 แล้ว")
    expect(
        page.locator("article")
        .filter(has_text="มีระบบข้อมูลสารสนเทศในการพัฒนาครู")
        .first.locator(".final")
    ).to_have_text("ระดับ 3")

    with page.expect_download() as info:
        page.locator("#sar-docx").click()
    doc = Document(io.BytesIO(open(info.value.path(), "rb").read()))
    text = "\n".join(cell.text for t in doc.tables for row in t.rows for cell in row.cells)
    assert "ผู้บริหารสนับสนุนการจัดทำข้อมูล" in text
    assert "☑ ระดับ 3" in text


@pytest.mark.browser
def test_a_large_sar_pdf_is_prepared_then_downloaded(page, live_server, login, monkeypatch):
    """A SAR with many courses (here: any) is written by the task worker: its PDF link leads
    to a page that asks for the file, and the download is offered when it is ready."""
    from reporting import queries

    monkeypatch.setattr(queries, "LARGE_SAR_COURSES", 0)
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    c = course(office, fy=current_fiscal_year(), title="การใช้เทคโนโลยีดิจิทัลในชั้นเรียน")
    passed(c, make_person(office, school))
    User.objects.create_user(username="officer", password=PASSWORD,
                             role=Role.DEVELOPMENT_OFFICER, office=office)  # fmt: skip

    login(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/reports/sar/")
    page.get_by_role("button", name="สร้าง/เปิดรายงาน SAR").click()
    page.get_by_role("button", name="PDF").click()
    expect(page.locator("body")).to_contain_text("ระบบจะเขียนไฟล์ในเบื้องหลัง")
    page.get_by_role("button", name="เตรียมไฟล์ PDF").click()
    download_button = page.get_by_role("button", name="ดาวน์โหลด PDF")
    expect(download_button).to_be_visible(timeout=30_000)
    expect(page.locator("body")).to_contain_text("ไฟล์พร้อมแล้ว")
    with page.expect_download() as download:
        download_button.click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert open(download.value.path(), "rb").read().startswith(b"%PDF")
