"""Officer creates a course → teacher enrols on a phone → checks in by QR → pre/post tests
and survey → certificate → public verification; officer sees the SAR results table."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.lib.thai_dates import fiscal_year, format_thai_date
from krupd.testing import make_office, make_person, make_school

PASSWORD = "krupd-browser-test"
PHONE = {"width": 390, "height": 844}

QUESTIONS = """1. PLC ย่อมาจากข้อใด
ก. Public Library Center
*ข. Professional Learning Community

2. การเรียนรู้เชิงรุกเน้นสิ่งใด
*ก. ผู้เรียนลงมือทำและสะท้อนคิด
ข. ครูบรรยายตลอดคาบ"""


def answer(page, first_choice_index: list[int]) -> None:
    for fieldset, index in zip(
        page.locator("fieldset.tr-q").all(), first_choice_index, strict=True
    ):
        fieldset.locator("input[type=radio]").nth(index).check()
    page.get_by_role("button", name="ส่งคำตอบ").click()


@pytest.mark.browser
def test_it_runs_a_course_from_creation_to_verified_certificate(page, browser, live_server, login):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ",
                         academic_standing=None, major=None)  # fmt: skip
    User.objects.create_user(
        username="officer", password=PASSWORD, role=Role.DEVELOPMENT_OFFICER, office=office
    )
    User.objects.create_user(
        username="kru", password=PASSWORD, role=Role.TEACHER, office=office, person=person
    )
    today = timezone.localdate()

    # The officer creates the course, a one-day session today, and the test.
    login(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/training/courses/new/")
    page.get_by_label("ชื่อหลักสูตร").fill("การจัดการเรียนรู้เชิงรุก รุ่นทดสอบ")
    page.get_by_label("รูปแบบการพัฒนา").select_option("workshop")
    page.get_by_label("จำนวนชั่วโมงตามหลักสูตร").fill("6")
    page.get_by_label("ปีงบประมาณ (พ.ศ.)").fill(str(fiscal_year(today)))
    page.get_by_role("button", name="บันทึก").click()
    page.get_by_label("วันเริ่ม").fill(format_thai_date(today))
    page.get_by_label("วันสิ้นสุด").fill(format_thai_date(today))
    page.get_by_label("จำนวนที่นั่ง").fill("30")
    page.get_by_role("button", name="บันทึกรุ่น").click()
    expect(page.locator("h2")).to_contain_text("การจัดการเรียนรู้เชิงรุก รุ่นทดสอบ")
    course_url = page.url
    page.get_by_role("button", name="ข้อสอบก่อน/หลังเรียน").click()
    page.get_by_label("ข้อสอบ").fill(QUESTIONS)
    page.get_by_role("button", name="บันทึกข้อสอบ").click()
    expect(page.locator(".flash")).to_contain_text("2 ข้อ")

    # The teacher enrols from a phone.
    phone = browser.new_context(viewport=PHONE, locale="th-TH", timezone_id="Asia/Bangkok",
                                is_mobile=True, has_touch=True)  # fmt: skip
    phone.set_default_timeout(10_000)
    kru = phone.new_page()
    login(kru, live_server, "kru", PASSWORD)
    kru.goto(course_url)
    kru.get_by_role("button", name="ลงทะเบียน").click()
    expect(kru.locator("#my-enrolment")).to_contain_text("ลงทะเบียนแล้ว")
    kru.get_by_role("button", name="ทำแบบทดสอบก่อนเรียน").click()
    answer(kru, [1, 1])  # one of two right
    expect(kru.locator("#my-enrolment")).to_contain_text("50%")

    # The officer shows the QR; the teacher opens it on the phone and checks in.
    page.goto(course_url)
    page.get_by_role("button", name="รายชื่อ/ลงเวลา").click()
    page.get_by_role("link", name="แสดง QR").click()
    expect(page.locator("#qr svg")).to_be_visible()
    checkin_url = page.locator("#checkin-link").get_attribute("href")
    kru.goto(checkin_url)
    kru.get_by_role("button", name="ลงเวลาเข้าร่วม").click()
    expect(kru.locator("h2")).to_contain_text("ลงเวลาแล้ว")

    # Post-test, survey, certificate.
    kru.goto(course_url)
    kru.get_by_role("button", name="ทำแบบทดสอบหลังเรียน").click()
    answer(kru, [1, 0])  # both right
    expect(kru.locator("#my-enrolment")).to_contain_text("ผ่านเกณฑ์")
    kru.get_by_role("button", name="ตอบแบบประเมิน").click()
    for fieldset in kru.locator("fieldset.tr-q").all():
        fieldset.locator("input[value='5']").check()
    kru.get_by_label("ข้อเสนอแนะ").fill("ได้ความรู้นำไปใช้ได้จริง")
    kru.get_by_role("button", name="ส่งแบบประเมิน").click()
    kru.get_by_role("button", name="รับเกียรติบัตร").click()
    expect(kru.get_by_role("button", name="ดาวน์โหลดเกียรติบัตร")).to_be_visible()
    code_link = kru.locator("#my-enrolment a", has_text="รหัส")
    code = code_link.inner_text().split()[-1]

    # The public verification page (no login) shows what was issued.
    anonymous = browser.new_context(viewport=PHONE, locale="th-TH").new_page()
    anonymous.goto(f"{live_server.url}/verify/{code}/")
    expect(anonymous.locator("#verification")).to_contain_text("ยังใช้ได้")
    expect(anonymous.locator("#verification")).to_contain_text("นางกุ้งนภา ปั้นน้ำใจ")
    expect(anonymous.locator("#verification")).to_contain_text("การจัดการเรียนรู้เชิงรุก รุ่นทดสอบ")
    # One character off, never the code itself (a real code can end in X).
    wrong_code = code[:-1] + ("Y" if code.endswith("X") else "X")
    anonymous.goto(f"{live_server.url}/verify/{wrong_code}/")
    expect(anonymous.locator("#verification")).to_contain_text("ไม่พบเกียรติบัตร")

    # The officer sees the results table: today's session has not ended, so it is shown as
    # open and not yet counted in participants, passed and %.
    page.goto(f"{live_server.url}/training/results/")
    row = page.locator("#results-table tbody tr").first
    expect(row).to_contain_text("การจัดการเรียนรู้เชิงรุก รุ่นทดสอบ")
    expect(row.locator("td").nth(2)).to_have_text("0")
    expect(row.locator("td").nth(3)).to_have_text("0")
    expect(row.locator("td").nth(4)).to_have_text("—")
    expect(row.locator("td").nth(7)).to_contain_text("5.00")
    expect(row.locator("td").nth(8)).to_have_text("1 รุ่น · 1 คน")
    phone.close()
