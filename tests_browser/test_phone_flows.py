"""Everyday flows on a 390-pixel phone, each step leading to the next: the officer builds a
self-paced course and opens it from its modules page; a teacher learns it on her phone, is led
from a passed module to the final test, and reports how she used it; her director is told of
the report on her home page and confirms it there. And a teacher's self-assessment and the ID
plan drawn from it, whose tables are a card per item on a phone."""

import datetime as dt
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.lib.thai_dates import fiscal_year
from krupd.testing import make_office, make_person, make_school
from tests_browser.helpers import WAIT_MS, fits_the_phone, phone_page
from training.models import Course, Enrolment, FollowUp

PASSWORD = "krupd-browser-test"
SHOTS = Path(os.environ.get("KRUPD_SCREENSHOTS", "/tmp/krupd-screens"))
QUIZ = "1. AI ย่อมาจากข้อใด\n*ก. Artificial Intelligence\nข. Automatic Input"


def _answer_first_choices_right(page) -> None:
    for fieldset in page.locator("fieldset.tr-q").all():
        fieldset.locator("input[type=radio]").first.check()
    page.get_by_role("button", name="ส่งคำตอบ").click()


@pytest.mark.browser
def test_an_online_course_is_built_learned_reported_and_confirmed(
    page, browser, live_server, login, db
):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ",
                         academic_standing=None, major=None)  # fmt: skip
    User.objects.create_user(username="officer", password=PASSWORD,
                             role=Role.DEVELOPMENT_OFFICER, office=office)  # fmt: skip
    User.objects.create_user(username="kru", password=PASSWORD, role=Role.TEACHER,
                             office=office, person=person)  # fmt: skip
    User.objects.create_user(username="director", password=PASSWORD,
                             role=Role.SCHOOL_DIRECTOR, office=office, school=school)  # fmt: skip
    today = timezone.localdate()
    # A reading lesson with no minimum time: the lesson page's own timing is tested elsewhere.
    course = Course.objects.create(office=office, title="การใช้ AI ช่วยออกแบบการสอน",
                                   mode="online", hours=Decimal(6), fiscal_year=fiscal_year(today),
                                   min_lesson_minutes=0, status="draft")  # fmt: skip

    # The officer builds it on its modules page: what is missing is listed until nothing is.
    page.set_default_timeout(WAIT_MS)
    login(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/training/courses/{course.pk}/")
    expect(page.locator("#course-readiness")).to_contain_text("ยังไม่มีหน่วยการเรียน")
    page.locator("#course-readiness").get_by_role("button", name="หน่วยการเรียนออนไลน์").click()
    expect(page.get_by_label("ลำดับ").first).to_have_value("1")
    page.get_by_label("ชื่อหน่วย").fill("รู้จัก AI")
    page.get_by_role("button", name="เพิ่มหน่วย").click()
    lesson_form = page.locator("form:has(button[name=add_lesson])")
    lesson_form.get_by_label("ชื่อบทเรียน").fill("AI คืออะไร")
    lesson_form.get_by_label("เนื้อหา").fill("AI ช่วยครูออกแบบใบงานได้ แต่ครูต้องตรวจสอบเสมอ")
    lesson_form.get_by_role("button", name="เพิ่มบทเรียน").click()
    page.get_by_role("link", name="แบบทดสอบท้ายหน่วย (0 ข้อ)").click()
    page.get_by_label("ข้อสอบ").fill(QUIZ)
    page.get_by_role("button", name="บันทึกข้อสอบ").click()
    readiness = page.locator("#course-readiness")
    expect(readiness).to_contain_text("ยังไม่มีแบบทดสอบหลังเรียน")
    readiness.get_by_role("button", name="เพิ่มแบบทดสอบก่อน/หลังเรียน").click()
    page.get_by_label("ข้อสอบ").fill(QUIZ)
    page.get_by_role("button", name="บันทึกข้อสอบ").click()
    page.get_by_role("button", name="เปิดรับสมัคร").click()
    expect(page.locator(".flash")).to_contain_text("เปิดรับสมัครแล้ว")
    page.get_by_label("วันเริ่ม").fill(f"{today:%d/%m}/{today.year + 543}")
    page.get_by_label("วันสิ้นสุด").fill(f"{today:%d/%m}/{today.year + 544}")
    page.get_by_label("จำนวนที่นั่ง").fill("๑๐๐")
    page.get_by_role("button", name="บันทึกรุ่น").click()
    expect(page.locator(".flash")).to_contain_text("เพิ่มรุ่นแล้ว")

    # The teacher learns it on her phone; each page leads to the next.
    kru = phone_page(browser)
    login(kru, live_server, "kru", PASSWORD)
    kru.goto(f"{live_server.url}/training/courses/{course.pk}/")
    kru.get_by_role("button", name="ลงทะเบียน").click()
    # The post-test ends the course: locked, saying which modules are left, until they are done.
    expect(kru.locator("#post-test-locked")).to_contain_text("ยังเหลือหน่วยที่ 1")
    expect(kru.get_by_role("button", name="ทำแบบทดสอบหลังเรียน")).to_have_count(0)
    fits_the_phone(kru)
    kru.screenshot(path=str(SHOTS / "online-course-post-test-locked-phone.png"), full_page=True)
    kru.get_by_role("button", name="เข้าเรียน").click()
    kru.get_by_role("button", name="เปิดบทเรียน").click()
    kru.locator("[data-read-end]").scroll_into_view_if_needed()
    kru.get_by_role("button", name="เรียนบทนี้แล้ว").click()
    kru.get_by_role("button", name="ทำแบบทดสอบท้ายหน่วย").click()
    _answer_first_choices_right(kru)
    expect(kru.locator(".flash")).to_contain_text("ได้ 1/1")
    fits_the_phone(kru)
    kru.get_by_role("button", name="ผ่านครบทุกหน่วยแล้ว ไปทำแบบทดสอบหลังเรียน").click()
    kru.get_by_role("button", name="ทำแบบทดสอบหลังเรียน").click()
    _answer_first_choices_right(kru)
    expect(kru.locator("#my-enrolment")).to_contain_text("ผ่านเกณฑ์")
    kru.get_by_role("button", name="ตอบแบบประเมิน").click()
    for fieldset in kru.locator("fieldset.tr-q").all():
        fieldset.locator("input[value='5']").check()
    kru.get_by_role("button", name="ส่งแบบประเมิน").click()
    expect(kru.get_by_role("button", name="ดาวน์โหลดเกียรติบัตร")).to_be_visible()
    kru.get_by_role("button", name="รายงานการนำไปใช้").click()
    level = kru.get_by_role("radio")
    expect(level).to_have_count(5)  # 1–5, none ticked: no blank "— เลือก —" answer
    expect(kru.locator("input[type=radio]:checked")).to_have_count(0)
    kru.get_by_label("4").check()
    kru.get_by_label("การนำความรู้ไปใช้ในการปฏิบัติงาน").fill("ใช้ AI ช่วยออกแบบใบงาน ป.4")
    kru.get_by_role("button", name="ส่งรายงาน").click()
    expect(kru.locator(".flash")).to_contain_text("รอผู้บริหาร/ศึกษานิเทศก์รับรอง")
    fits_the_phone(kru)
    SHOTS.mkdir(parents=True, exist_ok=True)
    kru.screenshot(path=str(SHOTS / "online-course-done-phone.png"), full_page=True)
    kru.context.close()

    # Her director is told on his home page and confirms from the list it leads to.
    director = phone_page(browser)
    login(director, live_server, "director", PASSWORD)
    waiting = director.locator(".needs-action li", has_text="รายงานการนำไปใช้ที่รอท่านรับรอง")
    expect(waiting.locator(".badge")).to_have_text("1")
    waiting.get_by_role("link").click()
    expect(director.locator("#follow-ups")).to_contain_text("ใช้ AI ช่วยออกแบบใบงาน ป.4")
    director.get_by_role("button", name="รับรอง").click()
    expect(director.locator(".flash")).to_contain_text("รับรองรายงานการนำไปใช้ของ")
    expect(director.locator("#follow-ups")).to_contain_text("ไม่มีรายงานที่รอรับรอง")
    fits_the_phone(director)
    director.context.close()
    assert FollowUp.objects.get(enrolment__person=person).confirmed_at is not None
    assert Enrolment.objects.get(person=person).passed


@pytest.mark.browser
def test_a_teacher_self_assesses_on_a_phone(browser, live_server, login, db):
    from planning.models import Competency, Domain, Framework, Response, Round, Topic

    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    User.objects.create_user(username="kru", password=PASSWORD, role=Role.TEACHER,
                             office=office, person=person)  # fmt: skip
    fw = Framework.objects.create(office=office, code="DL", version="1", name="ทักษะดิจิทัล",
                                  scale_labels=["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"])  # fmt: skip
    domain = Domain.objects.create(framework=fw, code="U", name="การใช้", sort_order=1)
    for order, name in enumerate(["ใช้อุปกรณ์และโปรแกรมพื้นฐานในการทำงาน",
                                  "ใช้แพลตฟอร์มการเรียนรู้ออนไลน์ในการสอน"], start=1):  # fmt: skip
        Competency.objects.create(domain=domain, code=f"U{order}", name=name, sort_order=order)
    Topic.objects.create(office=office, name="การสร้างสื่อการสอนดิจิทัล")
    today = dt.date.today()
    rnd = Round.objects.create(office=office, year=2569, framework=fw, name="ประเมินทักษะดิจิทัล",
                               opens=today - dt.timedelta(days=3), closes=today + dt.timedelta(days=3),
                               target_types=["teacher"])  # fmt: skip

    kru = phone_page(browser)
    login(kru, live_server, "kru", PASSWORD)
    kru.goto(f"{live_server.url}/planning/rounds/{rnd.pk}/self/")
    fits_the_phone(kru)
    # Each item is a card: its scales are rows of large tap targets under their own labels.
    choice = kru.get_by_role("radiogroup", name="D U1").get_by_text("2")
    box = choice.bounding_box()
    assert box["height"] >= 40 and box["width"] >= 40, box
    for code in ("U1", "U2"):
        kru.get_by_role("radiogroup", name=f"D {code}").get_by_label("2").check()
        kru.get_by_role("radiogroup", name=f"I {code}").get_by_label("5").check()
    kru.get_by_label("การสร้างสื่อการสอนดิจิทัล", exact=True).check()
    SHOTS.mkdir(parents=True, exist_ok=True)
    kru.screenshot(path=str(SHOTS / "self-assessment-phone.png"), full_page=True)
    kru.get_by_role("button", name="ส่งแบบประเมิน").click()
    expect(kru.locator(".flash")).to_contain_text("ส่งแบบประเมินและแบบสำรวจความต้องการแล้ว")
    assert Response.objects.get(person=person, round=rnd).submitted_at is not None

    # Her ID plan follows from it: each topic is a card whose boxes take the screen's width.
    kru.goto(f"{live_server.url}/planning/id-plans/")
    kru.get_by_role("button", name="ID Plan ปี 2569").click()
    title = kru.locator("#id_items-0-title")
    expect(title).to_have_value("ใช้อุปกรณ์และโปรแกรมพื้นฐานในการทำงาน")
    assert title.bounding_box()["width"] >= 300
    fits_the_phone(kru)
    kru.locator("#id_goal").fill("สร้างสื่อดิจิทัลใช้ในชั้นเรียนได้เอง")
    # On a wide screen the same table is a table: each heading over its column. The page's
    # figure-card grid (.cards) made it a grid, the headings in one cell beside the rows.
    wide = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = wide.new_page()
    login(desk, live_server, "kru", PASSWORD)
    desk.goto(kru.url)
    table = desk.locator("table.cards").first
    assert table.evaluate("e => getComputedStyle(e).display") == "table"
    heads = table.locator("thead th")
    cells = table.locator("tbody tr").first.locator("td")
    assert heads.count() >= 2
    for i in range(min(heads.count(), cells.count())):
        head, cell = heads.nth(i).bounding_box(), cells.nth(i).bounding_box()
        assert abs(head["x"] - cell["x"]) <= 2 and head["y"] < cell["y"], (i, head, cell)
    wide.close()
    kru.get_by_role("button", name="ส่งให้ผู้บริหารพิจารณา").click()
    expect(kru.locator("#idp-status")).to_have_text("รอผู้บริหารพิจารณา")
    kru.context.close()


@pytest.mark.browser
def test_a_director_reads_an_id_plan_on_a_phone_a_card_per_topic(browser, live_server, login, db):
    """The director's reading of a submitted ID plan was a four-column table on a phone: its
    heading "ผลที่คาดว่าจะได้รับ" a syllable a line, the method cut to "อบรม / เชิง / ปฏิบัติ /
    การ". Each topic is a card, each field across the screen under its own label."""
    from planning.models import IdPlan, IdPlanItem

    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    User.objects.create_user(username="director", password=PASSWORD,
                             role=Role.SCHOOL_DIRECTOR, office=office, school=school)  # fmt: skip
    plan = IdPlan.objects.create(person=person, year=2569, school=school, status="submitted",
                                 submitted_at=timezone.now(), goal="สร้างสื่อดิจิทัลได้เอง")  # fmt: skip
    IdPlanItem.objects.create(plan=plan, title="การวัดและประเมินผลการเรียนรู้", mode="workshop",
                              period="ภาคเรียนที่ 2",
                              expected_outcome="ออกแบบเครื่องมือวัดผลตามสภาพจริงใช้ในชั้น ป.4 ได้")  # fmt: skip

    director = phone_page(browser)
    login(director, live_server, "director", PASSWORD)
    director.goto(f"{live_server.url}/planning/id-plans/{plan.pk}/")
    fits_the_phone(director)
    outcome = director.locator("#idp-items td[data-label='ผลที่คาดว่าจะได้รับ']")
    expect(outcome).to_contain_text("ออกแบบเครื่องมือวัดผลตามสภาพจริง")
    assert outcome.bounding_box()["width"] >= 300
    method = director.locator("#idp-items td[data-label='วิธีการ']")
    assert method.bounding_box()["height"] < 80  # "อบรมเชิงปฏิบัติการ" on a line or two
    SHOTS.mkdir(parents=True, exist_ok=True)
    director.screenshot(path=str(SHOTS / "id-plan-director-phone.png"), full_page=True)
    director.context.close()


@pytest.mark.browser
def test_a_director_reads_the_schools_id_plans_on_a_phone_a_card_per_plan(
    browser, live_server, login, db
):
    """The school's list of ID plans was a five-column table on a phone that scrolled sideways
    in its box, the status cut to "อนุมัติแ". Each plan is a card like the people list's: the
    name, then each figure after its label, and the link to open it."""
    from planning.models import IdPlan

    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="พิมพ์พนิดา", last_name="แก้วเจริญรุ่งเรือง")
    User.objects.create_user(username="director", password=PASSWORD,
                             role=Role.SCHOOL_DIRECTOR, office=office, school=school)  # fmt: skip
    IdPlan.objects.create(person=person, year=2569, school=school, status="approved")

    director = phone_page(browser)
    login(director, live_server, "director", PASSWORD)
    director.goto(f"{live_server.url}/planning/id-plans/school/")
    fits_the_phone(director)
    box = director.locator("div.scroll:has(table)").first
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), "the list scrolls sideways"
    status = director.locator("#idp-plans td[data-label='สถานะ']")
    expect(status).to_contain_text("อนุมัติแล้ว")
    assert "สถานะ" in status.evaluate("e => getComputedStyle(e, '::before').content")
    name = director.locator("#idp-plans tbody td:first-child")
    expect(name).to_have_text("นางพิมพ์พนิดา แก้วเจริญรุ่งเรือง")
    assert name.bounding_box()["width"] >= 300  # across the card, not a column
    director.locator("#idp-plans").get_by_role("link", name="เปิด").click()
    expect(director).to_have_url(re.compile(r"/planning/id-plans/\d+/$"))
    director.context.close()


def test_a_director_reads_the_people_list_on_a_phone_a_card_per_person(
    browser, live_server, login, db
):
    """The people list was a seven-column table on a phone: it scrolled sideways and wrapped
    a masked ID over four lines. Each person is a card, each figure after its label on a line
    of its own, and the sortable headers stay above the cards as sort links that work."""
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    other = make_school(office, code="1076010002", name="โรงเรียนกกกอก")
    make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    make_person(office, other, first_name="ฮัมดี", last_name="สาและ")
    User.objects.create_user(username="admin", password=PASSWORD, role=Role.OFFICE_ADMIN,
                             office=office)  # fmt: skip

    phone = phone_page(browser)
    login(phone, live_server, "admin", PASSWORD)
    phone.goto(f"{live_server.url}/registry/people/")
    fits_the_phone(phone)
    school_cell = phone.locator("#people-table td[data-label='สถานศึกษา']").first
    expect(school_cell).to_contain_text("โรงเรียน")
    assert school_cell.bounding_box()["width"] >= 300  # across the card, not a column
    label = school_cell.evaluate("e => getComputedStyle(e, '::before').content")
    assert "สถานศึกษา" in label
    masked = phone.locator("#people-table td[data-label='เลขประจำตัวประชาชน'] code").first
    assert masked.bounding_box()["height"] < 40  # one line
    first_name = phone.locator("#people-table tbody td:first-child a").first
    expect(first_name).to_have_text("นางกุ้งนภา ปั้นน้ำใจ")
    phone.locator("#people-table thead").get_by_role("link", name="สถานศึกษา").click()
    expect(first_name).to_have_text("นางฮัมดี สาและ")  # โรงเรียนกกกอก sorts first
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "people-list-phone.png"), full_page=True)
    phone.context.close()


@pytest.mark.browser
def test_an_officer_reads_a_courses_certificates_on_a_phone_a_card_per_certificate(
    browser, live_server, login, db
):
    """A course's certificate list was a six-column table on a phone: the status and the
    PDF, reissue and revoke buttons sat off the screen's right edge, reached only by scrolling
    the table sideways. Each certificate is a card with its buttons in it."""
    from tests_browser.helpers import passed_certificate

    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    cert = passed_certificate(person, "ABCDEFGH23", title="การจัดการเรียนรู้เชิงรุก")
    User.objects.create_user(username="officer", password=PASSWORD,
                             role=Role.DEVELOPMENT_OFFICER, office=office)  # fmt: skip

    phone = phone_page(browser)
    login(phone, live_server, "officer", PASSWORD)
    phone.goto(f"{live_server.url}/training/courses/{cert.enrolment.course_id}/certificates/")
    fits_the_phone(phone)
    box = phone.locator("div.scroll:has(table)").last
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), "the list scrolls sideways"
    status = phone.locator("#certificate-list td[data-label='สถานะ']")
    expect(status).to_contain_text("ใช้ได้")
    assert "สถานะ" in status.evaluate("e => getComputedStyle(e, '::before').content")
    for button in ("ออกใหม่", "เพิกถอน"):
        shown = phone.locator("#certificate-list").get_by_role("button", name=button)
        right = shown.bounding_box()["x"] + shown.bounding_box()["width"]
        assert right <= 390, f"{button} is off the screen ({right}px)"
    phone.context.close()


@pytest.mark.browser
def test_a_teacher_reads_the_plc_groups_on_a_phone_a_card_per_group(
    browser, live_server, login, db
):
    """The PLC list was an eight-column table on a phone: only the group's name, level and
    unit showed, the topic, facilitator, members and meetings off the screen's right edge.
    Each group is a card, its name then each figure after its label."""
    from community.models import PLCGroup, PLCLevel

    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    User.objects.create_user(username="kru", password=PASSWORD, role=Role.TEACHER,
                             office=office, person=person)  # fmt: skip
    group = PLCGroup.objects.create(office=office, level=PLCLevel.SCHOOL, school=school,
                                    name="PLC อ่านออกเขียนได้ ป.1", topic="อ่านไม่คล่อง",
                                    facilitator=person, academic_year=2569)  # fmt: skip
    group.members.add(person)

    phone = phone_page(browser)
    login(phone, live_server, "kru", PASSWORD)
    phone.goto(f"{live_server.url}/community/plc/")
    fits_the_phone(phone)
    box = phone.locator("div.scroll:has(table)").first
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), "the list scrolls sideways"
    facilitator = phone.locator("#plc-groups td[data-label='ผู้อำนวยความสะดวก']")
    expect(facilitator).to_have_text("นางกุ้งนภา ปั้นน้ำใจ")
    assert facilitator.bounding_box()["x"] + facilitator.bounding_box()["width"] <= 390
    assert "ผู้อำนวยความสะดวก" in facilitator.evaluate("e => getComputedStyle(e, '::before').content")
    phone.locator("#plc-groups").get_by_role("link", name="PLC อ่านออกเขียนได้ ป.1").click()
    expect(phone).to_have_url(re.compile(rf"/community/plc/{group.pk}/$"))
    phone.context.close()


@pytest.mark.browser
def test_a_province_inspector_opens_a_round_from_a_phone(browser, live_server, login, db):
    """The province's list of inspection rounds was a six-column table on a phone: the link
    that opens a round sat off the screen's right edge, behind a sideways scroll. Each round
    is a card, its link on the screen."""
    from oversight.models import InspectionRound, Province

    province = Province.objects.get(name="เพชรบุรี")
    rnd = InspectionRound.objects.create(
        province=province, fiscal_year=2570, round_number=1, due_date=dt.date(2027, 3, 31),
        title="การตรวจราชการและติดตามประเมินผลการจัดการศึกษา ปีงบประมาณ 2570",
    )  # fmt: skip
    User.objects.create_user(username="province", password=PASSWORD,
                             role=Role.PROVINCE_INSPECTOR, province=province)  # fmt: skip

    phone = phone_page(browser)
    login(phone, live_server, "province", PASSWORD)
    phone.goto(f"{live_server.url}/oversight/inspection/")
    fits_the_phone(phone)
    box = phone.locator("div.scroll:has(table)").first
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth"), "the list scrolls sideways"
    opener = phone.get_by_role("link", name="เปิด", exact=True)
    assert opener.bounding_box()["x"] + opener.bounding_box()["width"] <= 390
    due = phone.locator("#inspection-rounds td[data-label='กำหนดส่ง']")
    assert "กำหนดส่ง" in due.evaluate("e => getComputedStyle(e, '::before').content")
    opener.click()
    expect(phone).to_have_url(re.compile(rf"/oversight/inspection/rounds/{rnd.pk}/$"))
    phone.context.close()
