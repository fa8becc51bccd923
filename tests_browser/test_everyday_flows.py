"""Everyday office flows: nominating a whole school's teachers through the people picker on a
phone, typing paper post-test scores, printing the sign-in sheet, and a director approving a
pending ID plan from her home page."""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.testing import make_office, make_person, make_school
from tests_browser.helpers import PHONE, WAIT_MS, phone_page
from training import actions
from training.models import Course, Enrolment, ResultSource, Session, TestAttempt

PASSWORD = "krupd-browser-test"
# Screenshots for a look by eye (the phone roster, each role's home).
SHOTS = Path(os.environ.get("KRUPD_SCREENSHOTS", "/tmp/krupd-screens"))


@pytest.fixture
def office_setup(db):
    office = make_office()
    big = make_school(office, code="1076010001", name="โรงเรียนอนุบาลเพชรบุรี")
    small = make_school(office, code="1076010002", name="โรงเรียนวัดท่าไม้")
    teachers = [
        make_person(office, big, first_name=f"ครูอนุบาล{i:02d}", last_name="ใจดี") for i in range(30)
    ]
    others = [make_person(office, small, first_name=f"ครูท่าไม้{i}", last_name="รักเรียน")
              for i in range(5)]  # fmt: skip
    officer = User.objects.create_user(
        username="officer", password=PASSWORD, role=Role.DEVELOPMENT_OFFICER, office=office
    )
    today = timezone.localdate()
    course = Course.objects.create(office=office, title="การวัดและประเมินผลตามสภาพจริง",
                                   mode="workshop", hours=Decimal("12"), fiscal_year=2570)  # fmt: skip
    session = actions.save_session(
        acting_user=officer,
        session=Session(course=course, start_date=today, end_date=today + dt.timedelta(days=1),
                        capacity=40, place="ห้องประชุมเพชรพัฒนา"),
    )  # fmt: skip
    return {"office": office, "big": big, "teachers": teachers, "others": others,
            "course": course, "session": session, "officer": officer}  # fmt: skip


@pytest.mark.browser
def test_officer_nominates_a_whole_school_on_a_phone(browser, live_server, login, office_setup):
    session = office_setup["session"]
    page = phone_page(browser)
    login(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/training/sessions/{session.pk}/nominate/")
    picker = page.locator("[data-picker=people]")
    picker.get_by_label("สถานศึกษา").select_option(label="โรงเรียนอนุบาลเพชรบุรี")
    # The list narrows to the school (an htmx request answered by the page itself).
    expect(picker.locator(".picker-list li")).to_have_count(30)
    search = picker.get_by_placeholder("ค้นหาชื่อ นามสกุล หรือเลขประจำตัวประชาชน")
    search.fill("ครูอนุบาล0")
    expect(picker.locator(".picker-list li")).to_have_count(10)
    search.press("Enter")  # a search box inside the form must not send the nominations
    search.fill("")
    expect(picker.locator(".picker-list li")).to_have_count(30)
    assert not Enrolment.objects.exists()
    expect(picker).to_contain_text("เลือกทั้งหมดตามตัวกรอง (30 คน)")
    picker.get_by_label("เลือกทั้งหมดตามตัวกรอง (30 คน)").check()
    expect(picker.locator("[data-count-of=people]")).to_have_text("30")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "picker-phone.png"), full_page=False)
    page.get_by_role("button", name="ส่งรายชื่อ").click()
    expect(page.locator(".flash")).to_contain_text("ลงทะเบียนแล้ว 30 คน")
    enrolled = Enrolment.objects.filter(session=session, status="enrolled")
    assert enrolled.count() == 30
    assert set(enrolled.values_list("person__school__name", flat=True)) == {"โรงเรียนอนุบาลเพชรบุรี"}
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "roster-phone.png"), full_page=True)
    # Cancelling a seat asks first; refusing the question leaves the enrolment alone.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="ยกเลิก").first.click()
    assert Enrolment.objects.filter(session=session, status="enrolled").count() == 30
    page.context.close()


@pytest.mark.browser
def test_officer_types_paper_scores_and_prints_the_sign_in_sheet(
    page, live_server, login, office_setup, tmp_path
):
    session, officer = office_setup["session"], office_setup["officer"]
    page.set_default_timeout(WAIT_MS)
    people = office_setup["teachers"][:3]
    enrolments = [actions.enrol(acting_user=officer, session=session, person=p) for p in people]
    login(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/training/sessions/{session.pk}/")

    # Roll call, day one: everyone came.
    page.get_by_role("link", name="เช็กชื่อ").first.click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="มาครบทุกคน (3 คน)").click()
    expect(page.locator(".flash")).to_contain_text("มา 3 จาก 3 คน")

    # The sign-in sheet downloads as a PDF.
    with page.expect_download() as download:
        page.get_by_role("button", name="ใบลงชื่อทุกวัน (PDF)").click()
    pdf = tmp_path / "sign-in.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    # Paper post-test scores, typed with Thai digits in one cell.
    page.get_by_role("button", name="กรอกคะแนนจากกระดาษ").click()
    page.get_by_label("คะแนนเต็มแบบทดสอบหลังเรียน").fill("20")
    rows = {e.pk: page.locator(f"input[name=post-{e.pk}]") for e in enrolments}
    rows[enrolments[0].pk].fill("๑๘")
    rows[enrolments[1].pk].fill("15")
    rows[enrolments[2].pk].fill("25")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "paper-scores.png"), full_page=True)
    page.get_by_role("button", name="บันทึกคะแนน").click()
    expect(page.locator(".flash-error")).to_contain_text("คะแนนหลังเรียน 25 เกินคะแนนเต็ม 20")
    assert not TestAttempt.objects.exists()  # nothing half-written
    page.locator(f"input[name=post-{enrolments[2].pk}]").fill("12")
    page.get_by_role("button", name="บันทึกคะแนน").click()
    expect(page.locator(".flash")).to_contain_text("บันทึกคะแนนจากกระดาษแล้ว")
    scores = sorted(
        TestAttempt.objects.filter(source=ResultSource.PAPER).values_list("score", flat=True)
    )
    assert scores == [12, 15, 18]
    assert Enrolment.objects.get(pk=enrolments[0].pk).post_score_pct == Decimal("90.0")


@pytest.mark.browser
def test_director_approves_a_pending_id_plan_from_her_home(page, live_server, login, db):
    from planning.models import IdPlan, IdPlanItem

    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    teacher = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    User.objects.create_user(username="director", password=PASSWORD,
                             role=Role.SCHOOL_DIRECTOR, office=office, school=school)  # fmt: skip
    plan = IdPlan.objects.create(person=teacher, year=2569, school=school, status="submitted",
                                 goal="ใช้การประเมินตามสภาพจริงในทุกรายวิชา")  # fmt: skip
    IdPlanItem.objects.create(plan=plan, title="การวัดและประเมินผลตามสภาพจริง")
    page.set_default_timeout(WAIT_MS)
    login(page, live_server, "director", PASSWORD)
    page.goto(f"{live_server.url}/")
    waiting = page.locator(".needs-action li", has_text="ID Plan ที่รอท่านพิจารณา")
    expect(waiting.locator(".badge")).to_have_text("1")
    expect(page.get_by_role("button", name="เพิ่มบุคลากร")).to_have_count(0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "home-director.png"), full_page=True)
    waiting.get_by_role("link").click()
    page.get_by_role("link", name="พิจารณา").click()
    page.get_by_role("button", name="อนุมัติ", exact=True).click()
    plan.refresh_from_db()
    assert plan.status == "approved"
    page.goto(f"{live_server.url}/")
    expect(page.locator(".needs-action")).not_to_contain_text("ID Plan ที่รอท่านพิจารณา")


@pytest.mark.browser
@pytest.mark.parametrize(
    "role", ["office_admin", "development_officer", "supervisor", "teacher", "inspector"]
)
def test_each_roles_home_on_a_phone(browser, live_server, login, role, db):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    extra = {"person": person} if role == "teacher" else {}
    User.objects.create_user(username="u", password=PASSWORD, role=role, office=office, **extra)
    page = phone_page(browser)
    login(page, live_server, "u", PASSWORD)
    expect(page.locator("h3", has_text="ต้องดำเนินการตอนนี้")).to_be_visible()
    expect(page.get_by_role("button", name="เพิ่มบุคลากร")).to_have_count(
        1 if role in ("office_admin", "development_officer") else 0
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"home-{role}.png"), full_page=True)
    page.context.close()


@pytest.mark.browser
def test_supervisor_picks_a_plc_facilitator_by_search_on_a_phone(browser, live_server, login, db):
    """One person (here a PLC's facilitator) is found by typing, not scrolled for in a
    drop-down of the whole office."""
    from community.models import PLCGroup

    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    for i in range(40):
        make_person(office, school, first_name=f"ครูหนองไผ่{i:02d}", last_name="ใจดี")
    chosen = make_person(office, school, first_name="วิภาดา", last_name="ศรีสุข")
    User.objects.create_user(username="supervisor", password=PASSWORD, role=Role.SUPERVISOR,
                             office=office)  # fmt: skip
    page = phone_page(browser)
    login(page, live_server, "supervisor", PASSWORD)
    page.goto(f"{live_server.url}/community/plc/new/")
    page.get_by_label("สถานศึกษา", exact=True).first.select_option(label="โรงเรียนบ้านหนองไผ่")
    page.get_by_label("ชื่อกลุ่ม").fill("PLC ครูภาษาไทย")
    page.get_by_label("ประเด็น/หัวข้อ").fill("การอ่านออกเขียนได้")
    picker = page.locator("[data-picker=facilitator]")
    expect(picker).to_contain_text("เลือกหนึ่งคน")
    picker.get_by_placeholder("ค้นหาชื่อ นามสกุล หรือเลขประจำตัวประชาชน").fill("วิภาดา")
    expect(picker.locator(".picker-list li")).to_have_count(1)
    picker.get_by_label("วิภาดา ศรีสุข", exact=False).check()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "picker-single-phone.png"), full_page=True)
    # The page fits the phone: nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="บันทึก").click()
    expect(page.locator("h1")).to_contain_text("PLC ครูภาษาไทย")
    assert PLCGroup.objects.get().facilitator == chosen
    page.context.close()
