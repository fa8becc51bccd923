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
