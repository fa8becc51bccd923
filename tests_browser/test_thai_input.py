"""An office PC with an English Chromium: the pages stay Thai, and a number typed with Thai
digits (๑๒) is taken as it is typed and saved as 12, on a phone-sized screen; a half-answered
survey comes back with a Thai message, not the browser's English one."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from career.models import PAAgreement
from krupd.testing import make_office, make_person, make_school
from tests_browser.conftest import CHROMIUM, CHROMIUM_ARGS

PASSWORD = "krupd-browser-test"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def english_phone(browser, no_csp_violations):
    """A phone-sized page of a Chromium started in English (``--lang=en-US``, Accept-Language
    en-US): what a shared office PC or a teacher's own phone often runs."""
    english = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--lang=en-US"], headless=True
    )
    context = english.new_context(
        viewport=PHONE, locale="en-US", timezone_id="Asia/Bangkok", is_mobile=True, has_touch=True
    )
    context.set_default_timeout(30_000)  # a loaded CI machine: slow, not wrong
    context.on("weberror", lambda error: no_csp_violations.append(f"script error: {error.error}"))
    yield context.new_page()
    context.close()
    english.close()


@pytest.mark.browser
def test_a_teacher_types_hours_in_thai_digits_on_an_english_phone(
    english_phone, live_server, login
):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    User.objects.create_user(
        username="kru", password=PASSWORD, role=Role.TEACHER, office=office, person=person
    )
    page = english_phone

    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("h2")).to_have_text("เข้าสู่ระบบ KruPD")
    expect(page.get_by_label("ชื่อผู้ใช้")).to_be_visible()
    login(page, live_server, "kru", PASSWORD)

    page.goto(f"{live_server.url}/career/pa/")
    page.get_by_role("button", name="จัดทำข้อตกลง").click()
    hours = page.get_by_label("ชั่วโมงสอนตามตารางสอน/สัปดาห์")
    # A text box with the number pad, not type=number (which drops Thai digits as typed).
    expect(hours).to_have_attribute("type", "text")
    expect(hours).to_have_attribute("inputmode", "decimal")
    hours.fill("")
    hours.press_sequentially("๑๒")
    expect(hours).to_have_value("๑๒")
    page.get_by_role("button", name="บันทึกร่าง").click()

    expect(page.locator(".flash")).to_contain_text("บันทึกร่างแล้ว")
    assert PAAgreement.objects.get(person=person).teaching_hours == Decimal("12")


@pytest.mark.browser
def test_an_english_phone_gets_the_surveys_thai_message_with_the_answers_kept(
    english_phone, live_server, login
):
    """The survey is checked on the server (novalidate): an English browser's own "Please
    select one of these options" never shows, and the Thai message names what is left."""
    import datetime as dt

    from django.utils import timezone

    from training import actions
    from training.models import Course, Session

    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    teacher = User.objects.create_user(
        username="kru", password=PASSWORD, role=Role.TEACHER, office=office, person=person
    )
    today = timezone.localdate()
    course = Course.objects.create(office=office, title="การอ่านเชิงวิเคราะห์", mode="workshop",
                                   hours=Decimal(6), fiscal_year=2570)  # fmt: skip
    session = actions.save_session(
        acting_user=teacher,
        session=Session(course=course, start_date=today - dt.timedelta(days=1), end_date=today,
                        capacity=10),
    )  # fmt: skip
    actions.enrol(acting_user=teacher, session=session, person=person)
    page = english_phone
    login(page, live_server, "kru", PASSWORD)
    page.goto(f"{live_server.url}/training/courses/{course.pk}/survey/")
    first = page.locator("fieldset.tr-q").first
    first.locator("input[value='4']").check()
    page.get_by_label("ข้อเสนอแนะ").fill("อยากให้มีตัวอย่างมากขึ้น")
    page.get_by_role("button", name="ส่งแบบประเมิน").click()
    expect(page.locator(".flash-error")).to_contain_text("ยังไม่ได้ตอบข้อ 2, 3, 4, 5")
    expect(page.locator("fieldset.tr-q").first.locator("input[value='4']")).to_be_checked()
    expect(page.get_by_label("ข้อเสนอแนะ")).to_have_value("อยากให้มีตัวอย่างมากขึ้น")


@pytest.mark.browser
def test_an_english_browser_refuses_an_empty_box_in_thai(english_phone, live_server):
    """The browser's own refusal (a required box left empty) is in Thai on an English browser,
    and is taken back once the box is filled, so the form can be sent."""
    page = english_phone
    page.goto(f"{live_server.url}/accounts/login/")
    username = page.get_by_label("ชื่อผู้ใช้")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    assert username.evaluate("e => e.validationMessage") == "กรุณากรอกช่องนี้"
    username.fill("kru")
    assert username.evaluate("e => e.validationMessage") == ""
    assert username.evaluate("e => e.checkValidity()")


@pytest.mark.browser
def test_an_english_phone_shows_a_thai_file_box_that_still_uploads(
    english_phone, live_server, login, tmp_path
):
    """An English browser draws a file box as "Choose File / No file chosen": the box wears a
    Thai face instead, and the file chosen through it is still sent and saved."""
    from django.utils import timezone

    from career import actions
    from career.models import PAEvidence
    from krupd.lib.thai_dates import fiscal_year

    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    user = User.objects.create_user(
        username="kru", password=PASSWORD, role=Role.TEACHER, office=office, person=person
    )
    agreement = actions.start_agreement(
        acting_user=user, person=person, fiscal_year=fiscal_year(timezone.localdate())
    )
    page = english_phone
    login(page, live_server, "kru", PASSWORD)
    page.goto(f"{live_server.url}/career/pa/{agreement.pk}/pack/section/1/")
    box = page.locator(".file-pick").first
    expect(box.locator(".file-button")).to_have_text("เลือกไฟล์")
    expect(box.locator(".file-name")).to_have_text("ยังไม่ได้เลือกไฟล์")
    file_input = box.locator("input[type=file]")
    # The browser's own box lies on top of the face, unseen, and takes the tap.
    assert file_input.evaluate("e => getComputedStyle(e).opacity") == "0"
    face, real = box.bounding_box(), file_input.bounding_box()
    assert real["width"] == face["width"] and real["height"] == face["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    picture = tmp_path / "แผนการสอน.pdf"
    picture.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    file_input.set_input_files(str(picture))
    expect(box.locator(".file-name")).to_have_text("แผนการสอน.pdf")
    box.screenshot(path="/tmp/krupd-screens/file-box-phone.png")
    page.get_by_label("ชื่อหลักฐาน").fill("แผนการจัดการเรียนรู้")
    page.get_by_role("button", name="แนบ", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("แนบ")
    assert PAEvidence.objects.get(agreement=agreement).title == "แผนการจัดการเรียนรู้"
