"""Teacher enrols on a phone and is wait-listed → the bell shows it → a seat frees up →
the bell counts the promotion → the inbox opens the course."""

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.testing import make_office, make_person, make_school
from training import actions
from training.models import Course, Session

PASSWORD = "krupd-browser-test"
PHONE = {"width": 390, "height": 844}
# KRUPD_SCREENSHOTS=/some/dir keeps pictures of the pages for a human to look at.
SHOTS = os.environ.get("KRUPD_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.mark.browser
def test_a_waitlisted_teacher_is_told_of_her_seat_and_opens_the_course(browser, live_server, login):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    kru_person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ",
                             academic_standing=None, major=None)  # fmt: skip
    first_person = make_person(office, school, first_name="สมชาย", last_name="มาก่อน",
                               academic_standing=None, major=None)  # fmt: skip
    officer = User.objects.create_user(
        username="officer", password=PASSWORD, role=Role.DEVELOPMENT_OFFICER, office=office
    )
    User.objects.create_user(
        username="kru", password=PASSWORD, role=Role.TEACHER, office=office, person=kru_person,
        email="kru@example.org",
    )  # fmt: skip
    today = timezone.localdate()
    course = Course.objects.create(
        office=office, title="การจัดการเรียนรู้เชิงรุก", mode="workshop", hours=Decimal("6"),
        fiscal_year=2569, self_enrol=True, status="open", created_by=officer,
    )  # fmt: skip
    session = actions.save_session(
        acting_user=officer,
        session=Session(course=course, name="รุ่นที่ 1", start_date=today + dt.timedelta(days=3),
                        end_date=today + dt.timedelta(days=3), capacity=1,
                        hours_per_day=Decimal("6"), place="ห้องประชุมเพชรพัฒนา"),
    )  # fmt: skip
    first = actions.enrol(acting_user=officer, session=session, person=first_person)

    phone = browser.new_context(viewport=PHONE, locale="th-TH", timezone_id="Asia/Bangkok",
                                is_mobile=True, has_touch=True)  # fmt: skip
    phone.set_default_timeout(10_000)
    kru = phone.new_page()
    login(kru, live_server, "kru", PASSWORD)
    expect(kru.get_by_test_id("bell")).not_to_contain_text("1")
    kru.goto(f"{live_server.url}/training/courses/{course.pk}/")
    kru.get_by_role("button", name="ขอรอที่นั่ง").click()
    expect(kru.get_by_test_id("bell")).to_contain_text("1")

    # The first participant's seat is cancelled by the office: the teacher moves up.
    actions.cancel_enrolment(acting_user=officer, enrolment=first)
    kru.reload()
    expect(kru.get_by_test_id("bell")).to_contain_text("2")
    kru.get_by_test_id("bell").click()
    expect(kru.locator("h2")).to_have_text("กล่องข้อความ")
    promoted = kru.locator(".notif-unread a.notif-title", has_text="ได้ที่นั่งแล้ว")
    expect(promoted).to_be_visible()
    # Nothing on the phone is wider than the screen.
    assert kru.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(kru, "inbox-390")
    promoted.click()
    expect(kru).to_have_url(f"{live_server.url}/training/courses/{course.pk}/")
    expect(kru.get_by_test_id("bell")).to_contain_text("1")

    kru.goto(f"{live_server.url}/notifications/preferences/")
    expect(kru.locator("h2")).to_have_text("ตั้งค่าการแจ้งเตือน")
    shot(kru, "preferences-390")
    kru.get_by_label("อีเมล: ได้รับเกียรติบัตร").check()
    kru.get_by_role("button", name="บันทึกการตั้งค่า").click()
    expect(kru.locator(".flash")).to_contain_text("บันทึกการตั้งค่าการแจ้งเตือนแล้ว")
    expect(kru.get_by_label("อีเมล: ได้รับเกียรติบัตร")).to_be_checked()
    phone.close()

    if SHOTS:  # the office admin's page and the desktop inbox, for looking at
        User.objects.create_user(username="admin", password=PASSWORD, role=Role.OFFICE_ADMIN,
                                 office=office)  # fmt: skip
        desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
        page = desk.new_page()
        login(page, live_server, "admin", PASSWORD)
        page.goto(f"{live_server.url}/notifications/office/")
        shot(page, "office-desktop")
        page.goto(f"{live_server.url}/notifications/preferences/")
        shot(page, "preferences-desktop")
        desk.close()
