"""A reading lesson on a phone: the "เรียนบทนี้แล้ว" button waits until the end of the text
has been scrolled into view (the page reports it), then the lesson is marked done; a video
lesson's page says how much of the video must be watched."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.lib.thai_dates import fiscal_year
from krupd.testing import make_office, make_person, make_school
from training import actions
from training.models import Course, Enrolment, Lesson, Module, Question, Session

PASSWORD = "krupd-browser-test"
PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
def test_a_reading_lesson_is_done_once_read_to_its_end(browser, live_server, login):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    officer = User.objects.create_user(
        username="officer", password=PASSWORD, role=Role.DEVELOPMENT_OFFICER, office=office
    )
    person = make_person(office, school, first_name="กุ้งนภา", academic_standing=None, major=None)
    User.objects.create_user(
        username="kru", password=PASSWORD, role=Role.TEACHER, office=office, person=person
    )
    today = timezone.localdate()
    course = Course.objects.create(office=office, title="e-Training การอ่านเชิงวิเคราะห์",
                                   mode="online", hours=Decimal(3), fiscal_year=fiscal_year(today),
                                   min_lesson_minutes=0, min_watched_pct=80)  # fmt: skip
    module = Module.objects.create(course=course, order=1, title="หน่วยที่ว่าด้วยการอ่าน")
    body = "\n\n".join(f"ย่อหน้าที่ {i}: เนื้อหาการอ่านเชิงวิเคราะห์สำหรับครู" for i in range(1, 60))
    reading = Lesson.objects.create(module=module, order=1, title="บทอ่าน", body=body)
    video = Lesson.objects.create(module=module, order=2, title="บทวิดีโอ",
                                  video_url="https://cdn.example.org/clip.webm")  # fmt: skip
    Question.objects.create(course=course, module=module, text="ข้อ 1", choices=["ก", "ข"],
                            correct=0)  # fmt: skip
    session = actions.save_session(
        acting_user=officer,
        session=Session(course=course, start_date=today - dt.timedelta(days=1), end_date=today,
                        capacity=10),
    )  # fmt: skip
    actions.enrol(acting_user=officer, session=session, person=person)

    phone = browser.new_context(viewport=PHONE, locale="th-TH", timezone_id="Asia/Bangkok",
                                is_mobile=True, has_touch=True)  # fmt: skip
    phone.set_default_timeout(10_000)
    kru = phone.new_page()
    login(kru, live_server, "kru", PASSWORD)
    kru.goto(f"{live_server.url}/training/lessons/{reading.pk}/")
    done = kru.get_by_role("button", name="เรียนบทนี้แล้ว")
    expect(done).to_be_disabled()
    expect(kru.locator("[data-unmet]")).to_contain_text("ยังอ่านเนื้อหาไม่ถึงท้ายบท")
    kru.screenshot(path="/tmp/krupd-browser-screenshots/lesson-reading-phone.png")
    kru.locator("[data-read-end]").scroll_into_view_if_needed()
    expect(done).to_be_enabled()
    done.click()
    expect(kru.get_by_text("บันทึกว่าเรียน “บทอ่าน” แล้ว")).to_be_visible()
    assert reading.pk in set(
        Enrolment.objects.get(person=person)
        .lessons_done.filter(completed_at__isnull=False)
        .values_list("lesson_id", flat=True)
    )

    kru.goto(f"{live_server.url}/training/lessons/{video.pk}/")
    expect(kru.locator("video[data-video]")).to_be_attached()
    expect(kru.locator("[data-watch-note]")).to_contain_text("หลักสูตรกำหนดอย่างน้อย 80%")
    expect(kru.get_by_role("button", name="เรียนบทนี้แล้ว")).to_be_disabled()
    assert kru.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    kru.screenshot(path="/tmp/krupd-browser-screenshots/lesson-video-phone.png", full_page=True)
    phone.close()
