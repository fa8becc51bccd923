"""A teacher's development record on a 390-pixel phone: its courses and PLC meetings, the
total they add up to, and a certificate under review with its reason, without the page
scrolling sideways."""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from community.models import PLCGroup, PLCLevel, PLCMeeting
from krupd.testing import make_office, make_person, make_school
from tests_browser.helpers import fits_the_phone, passed_certificate, phone_page

PASSWORD = "krupd-browser-test"
SHOTS = Path(os.environ.get("KRUPD_SCREENSHOTS", "/tmp/krupd-screens"))


@pytest.mark.browser
def test_the_record_adds_up_on_a_phone(browser, live_server, login, db):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ",
                         academic_standing=None, major=None)  # fmt: skip
    User.objects.create_user(username="kru", password=PASSWORD, role=Role.TEACHER,
                             office=office, person=person)  # fmt: skip
    passed_certificate(
        person, "ABCDEFGH23", title="การจัดการเรียนรู้เชิงรุก (Active Learning)",
        needs_review=True, review_reason="ไม่ผ่าน: เวลาเข้าร่วม 50% ยังไม่ถึงเกณฑ์ 80%",
    )  # fmt: skip
    group = PLCGroup.objects.create(office=office, level=PLCLevel.SCHOOL, school=school,
                                    name="PLC อ่านออกเขียนได้ ชั้นประถมศึกษาปีที่ 1–3",
                                    topic="อ่านไม่คล่อง", facilitator=person,
                                    academic_year=2568)  # fmt: skip
    meeting = PLCMeeting.objects.create(group=group, date=dt.date(2025, 11, 20),
                                        hours=Decimal("2.5"))  # fmt: skip
    meeting.attendees.add(person)

    page = phone_page(browser)
    login(page, live_server, "kru", PASSWORD)
    page.goto(f"{live_server.url}/training/people/{person.pk}/transcript/?fy=2569")
    expect(page.locator("#transcript-total")).to_contain_text("14.5")
    expect(page.locator(".tr-plc-meeting")).to_contain_text("20/11/2568")
    expect(page.locator(".tr-certificate-review")).to_contain_text("รอเจ้าหน้าที่ตรวจสอบ")
    fits_the_phone(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "transcript-phone.png"), full_page=True)


# Each cell of a table whose right edge lies past its box's (cut off, or scrolled to).
CUT_CELLS = """table => {
  const box = table.closest('.scroll') || table.parentElement;
  const right = box.getBoundingClientRect().right;
  return [...table.querySelectorAll('td, th')]
    .filter(c => c.offsetParent && c.getBoundingClientRect().right > right + 1)
    .map(c => c.innerText.trim().slice(0, 30));
}"""


@pytest.mark.browser
def test_the_record_is_a_card_per_line_on_a_phone(browser, live_server, login, db):
    """The record's lines were a five-column table on a phone: its box scrolled sideways and the
    results column read "ยังไม่ผ… 08/12/25…". Each line is a card: the course, then each figure
    after its label; the certificates likewise, their PDF button on the screen."""
    from training.models import Course, Enrolment, Session

    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    User.objects.create_user(username="kru", password=PASSWORD, role=Role.TEACHER,
                             office=office, person=person)  # fmt: skip
    passed_certificate(person, "ABCDEFGH23", title="การจัดการเรียนรู้เชิงรุก (Active Learning)")
    course = Course.objects.create(office=office, title="การวัดและประเมินผลตามสภาพจริง",
                                   mode="workshop", hours=Decimal(12), fiscal_year=2569)  # fmt: skip
    session = Session.objects.create(course=course, start_date=dt.date(2026, 2, 2),
                                     end_date=dt.date(2026, 2, 3), capacity=10)  # fmt: skip
    Enrolment.objects.create(course=course, session=session, person=person, status="enrolled",
                             source="office", result="pending",
                             result_reasons=["เวลาเข้าร่วม 50% ยังไม่ถึงเกณฑ์ 80%"])  # fmt: skip

    page = phone_page(browser)
    login(page, live_server, "kru", PASSWORD)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"{live_server.url}/training/people/{person.pk}/transcript/?fy=2569")
        page.screenshot(path=str(SHOTS / f"transcript-cards-{width}.png"), full_page=True)
    fits_the_phone(page)
    lines = page.locator("table:has(#transcript-total)")
    certificates = page.locator("#certificates + .scroll table")
    for table in (lines, certificates):
        assert table.evaluate(CUT_CELLS) == [], table.evaluate(CUT_CELLS)
    result = lines.locator("td[data-label='ผล']").first
    expect(result).to_contain_text("ผ่าน")
    assert "ผล" in result.evaluate("e => getComputedStyle(e, '::before').content")
    expect(lines).to_contain_text("ยังไม่ผ่าน: เวลาเข้าร่วม 50% ยังไม่ถึงเกณฑ์ 80%")
    course_cell = lines.locator("tbody td:first-child").first
    assert course_cell.bounding_box()["width"] >= 300  # across the card, not a column
    expect(page.locator("#transcript-total")).to_contain_text("12")
    assert page.locator("#transcript-total").bounding_box()["width"] <= 390
    pdf = certificates.get_by_role("button", name="PDF")
    box = pdf.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    page.context.close()
