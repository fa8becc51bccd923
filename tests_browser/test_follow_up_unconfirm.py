"""A follow-up confirmation taken back by the office, on a desktop: the office reads reports
course by course on the course's follow-up page (the schools confirm on phones from their
home page; the office has no such list, reporting.queries._follow_ups_waiting). The officer
takes the confirmation back with a reason → the report waits for confirmation again, the
certificate goes under review → the teacher's report page is a form to send again."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.lib.thai_dates import fiscal_year
from krupd.testing import make_office, make_person, make_school
from tests_browser.helpers import WAIT_MS
from training import actions
from training.models import Certificate, Course, Enrolment, FollowUp, Session

PASSWORD = "krupd-browser-test"


@pytest.mark.browser
def test_the_office_takes_a_follow_up_confirmation_back(page, browser, live_server, login):
    page.set_default_timeout(WAIT_MS)
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ",
                         academic_standing=None, major=None)  # fmt: skip
    officer = User.objects.create_user(
        username="officer", password=PASSWORD, role=Role.DEVELOPMENT_OFFICER, office=office
    )
    director = User.objects.create_user(
        username="director", password=PASSWORD, role=Role.SCHOOL_DIRECTOR, office=office,
        school=school,
    )  # fmt: skip
    kru = User.objects.create_user(
        username="kru", password=PASSWORD, role=Role.TEACHER, office=office, person=person
    )
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    course = Course.objects.create(office=office, title="การออกแบบการเรียนรู้ฐานสมรรถนะ",
                                   mode="workshop", hours=Decimal(6), requires_follow_up=True,
                                   fiscal_year=fiscal_year(yesterday))  # fmt: skip
    session = actions.save_session(
        acting_user=officer,
        session=Session(course=course, start_date=yesterday, end_date=yesterday, capacity=10),
    )
    enrolment = actions.enrol(acting_user=officer, session=session, person=person)
    actions.roll_call(acting_user=officer, day=session.days.get(), present_ids={enrolment.pk})
    follow_up = actions.submit_follow_up(
        acting_user=kru, enrolment=enrolment, use_level=4, report="ใช้ใบงานฐานสมรรถนะ ป.4"
    )
    actions.confirm_follow_up(acting_user=director, follow_up=follow_up, note="")
    actions.issue_certificate(acting_user=officer, enrolment=enrolment)
    assert Enrolment.objects.get(pk=enrolment.pk).passed

    login(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/training/courses/{course.pk}/")
    page.get_by_role("button", name="การติดตามผล").click()
    row = page.locator("tr", has_text="กุ้งนภา")
    expect(row).to_contain_text("รับรองแล้ว")
    row.locator("summary", has_text="ยกเลิกการยืนยัน").click()
    row.get_by_label("เหตุผลที่ยกเลิกการยืนยันรายงานของ").fill("ผู้อำนวยการกดรับรองผิดคน")
    row.get_by_role("button", name="บันทึกการยกเลิกการยืนยัน").click()
    expect(page.locator(".flash")).to_contain_text("ยกเลิกการยืนยันรายงานการนำไปใช้ของ")
    row = page.locator("tr", has_text="กุ้งนภา")
    expect(row).not_to_contain_text("รับรองแล้ว")
    expect(row.get_by_role("button", name="รับรอง")).to_be_visible()
    assert FollowUp.objects.get(pk=follow_up.pk).confirmed_at is None
    assert not Enrolment.objects.get(pk=enrolment.pk).passed
    assert Certificate.objects.get(enrolment=enrolment).needs_review

    # The teacher's report page is a form again, with what she sent.
    teacher = browser.new_context(locale="th-TH", timezone_id="Asia/Bangkok").new_page()
    teacher.set_default_timeout(WAIT_MS)
    login(teacher, live_server, "kru", PASSWORD)
    teacher.goto(f"{live_server.url}/training/courses/{course.pk}/follow-up/")
    expect(teacher.locator("#follow-up-confirmed")).to_have_count(0)
    report = teacher.get_by_label("การนำความรู้ไปใช้ในการปฏิบัติงาน")
    expect(report).to_have_value("ใช้ใบงานฐานสมรรถนะ ป.4")
    report.fill("ใช้ใบงานฐานสมรรถนะ ป.4 และขยายผลให้เพื่อนครู")
    teacher.get_by_role("button", name="ส่งรายงาน").click()
    expect(teacher.locator(".flash")).to_contain_text("รอผู้บริหาร/ศึกษานิเทศก์รับรอง")
    teacher.context.close()
    assert FollowUp.objects.get(pk=follow_up.pk).report.endswith("ขยายผลให้เพื่อนครู")
