"""A criterion added after attendance: the officer adds a post-test to a course whose
attendance is taken → the roster shows everyone "ยังไม่ผ่าน: ยังไม่ได้ทำแบบทดสอบหลังเรียน" →
a teacher takes it on a phone → passes → the certificate carries the day it was passed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.lib.thai_dates import fiscal_year, format_thai_date
from krupd.testing import make_office, make_person, make_school
from training import actions
from training.models import Certificate, Course, Session

PASSWORD = "krupd-browser-test"
PHONE = {"width": 390, "height": 844}
QUESTIONS = """1. PLC ย่อมาจากข้อใด
ก. Public Library Center
*ข. Professional Learning Community

2. การเรียนรู้เชิงรุกเน้นสิ่งใด
*ก. ผู้เรียนลงมือทำและสะท้อนคิด
ข. ครูบรรยายตลอดคาบ"""


@pytest.mark.browser
def test_a_post_test_added_after_attendance_is_required_of_everyone(
    page, browser, live_server, login
):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    officer = User.objects.create_user(
        username="officer", password=PASSWORD, role=Role.DEVELOPMENT_OFFICER, office=office
    )
    people = [
        make_person(office, school, first_name=name, academic_standing=None, major=None)
        for name in ("กุ้งนภา", "สมชาย")
    ]
    User.objects.create_user(
        username="kru", password=PASSWORD, role=Role.TEACHER, office=office, person=people[0]
    )
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    course = Course.objects.create(office=office, title="การออกแบบการเรียนรู้ฐานสมรรถนะ",
                                   mode="workshop", hours=Decimal(6),
                                   fiscal_year=fiscal_year(yesterday))  # fmt: skip
    session = actions.save_session(
        acting_user=officer,
        session=Session(course=course, start_date=yesterday, end_date=yesterday, capacity=10),
    )
    enrolments = [actions.enrol(acting_user=officer, session=session, person=p) for p in people]
    actions.roll_call(
        acting_user=officer, day=session.days.get(), present_ids={e.pk for e in enrolments}
    )

    # Attendance taken: both passed. The officer then adds the post-test.
    login(page, live_server, "officer", PASSWORD)
    roster_url = f"{live_server.url}/training/sessions/{session.pk}/"
    page.goto(roster_url)
    expect(page.locator("td.r-result").first).to_have_text(f"ผ่าน {format_thai_date(yesterday)}")
    page.goto(f"{live_server.url}/training/courses/{course.pk}/")
    page.get_by_role("button", name="ข้อสอบก่อน/หลังเรียน").click()
    page.get_by_label("ข้อสอบ").fill(QUESTIONS)
    page.get_by_role("button", name="บันทึกข้อสอบ").click()
    page.goto(roster_url)
    results = page.locator("td.r-result")
    expect(results).to_have_count(2)
    for cell in results.all():
        expect(cell).to_have_text("ยังไม่ผ่าน: ยังไม่ได้ทำแบบทดสอบหลังเรียน")

    # A teacher takes it on a phone and passes.
    phone = browser.new_context(viewport=PHONE, locale="th-TH", timezone_id="Asia/Bangkok",
                                is_mobile=True, has_touch=True)  # fmt: skip
    phone.set_default_timeout(10_000)
    kru = phone.new_page()
    login(kru, live_server, "kru", PASSWORD)
    kru.goto(f"{live_server.url}/training/courses/{course.pk}/")
    expect(kru.locator("#my-result")).to_contain_text("ยังไม่ได้ทำแบบทดสอบหลังเรียน")
    expect(kru.locator("#requirements")).to_contain_text("คะแนนแบบทดสอบหลังเรียนไม่น้อยกว่าร้อยละ 60")
    kru.get_by_role("button", name="ทำแบบทดสอบหลังเรียน").click()
    for fieldset, index in zip(kru.locator("fieldset.tr-q").all(), [1, 0], strict=True):
        fieldset.locator("input[type=radio]").nth(index).check()
    kru.get_by_role("button", name="ส่งคำตอบ").click()
    today = timezone.localdate()
    expect(kru.locator("#my-result")).to_contain_text(
        f"ผ่าน · ผ่านเมื่อ {format_thai_date(today, style='long')} · นับ 6 ชั่วโมง"
    )
    assert kru.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    kru.get_by_role("button", name="ตอบแบบประเมิน").click()
    for fieldset in kru.locator("fieldset.tr-q").all():
        fieldset.locator("input[value='5']").check()
    kru.get_by_role("button", name="ส่งแบบประเมิน").click()
    kru.get_by_role("button", name="รับเกียรติบัตร").click()
    expect(kru.get_by_role("button", name="ดาวน์โหลดเกียรติบัตร")).to_be_visible()
    kru.screenshot(path="/tmp/krupd-browser-screenshots/training-result-phone.png", full_page=True)

    # The certificate carries the day the last criterion (the post-test) was met.
    cert = Certificate.objects.get(enrolment=enrolments[0])
    assert cert.completed_on == today and cert.hours == 6
    # The other participant has still not taken it.
    page.goto(roster_url)
    expect(page.locator("td.r-result").nth(1)).to_have_text("ยังไม่ผ่าน: ยังไม่ได้ทำแบบทดสอบหลังเรียน")
    page.screenshot(path="/tmp/krupd-browser-screenshots/training-roster.png", full_page=True)
    phone.close()
