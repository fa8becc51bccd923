"""A teacher downloads her certificate's signed credential on a phone; anyone checks it on
the public verification page by uploading the file; an edited copy is caught."""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.testing import make_office, make_person, make_school
from training import actions
from training.models import Course, Session

PASSWORD = "krupd-browser-test"
PHONE = {"width": 390, "height": 844}
# Set to a directory to keep screenshots of the pages this test visits (for a look).
SHOTS = os.environ.get("KRUPD_SCREENSHOTS", "")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.mark.browser
def test_a_teacher_downloads_her_credential_and_anyone_verifies_it(
    browser, live_server, login, tmp_path
):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ",
                         academic_standing=None, major=None)  # fmt: skip
    officer = User.objects.create_user(
        username="officer", password=PASSWORD, role=Role.DEVELOPMENT_OFFICER, office=office
    )
    User.objects.create_user(
        username="kru", password=PASSWORD, role=Role.TEACHER, office=office, person=person
    )
    course = Course.objects.create(
        office=office, title="การจัดการเรียนรู้เชิงรุก (Active Learning)", mode="workshop",
        hours=Decimal("12"), fiscal_year=2569, competencies="การออกแบบการเรียนรู้เชิงรุก",
    )  # fmt: skip
    session = actions.save_session(
        acting_user=officer,
        session=Session(course=course, name="รุ่นที่ 1", start_date=dt.date(2026, 1, 12),
                        end_date=dt.date(2026, 1, 13), capacity=5, hours_per_day=Decimal("6")),
    )  # fmt: skip
    enrolment = actions.enrol(acting_user=officer, session=session, person=person)
    enrolment.passed, enrolment.hours_credited = True, Decimal("12")
    enrolment.completed_on = dt.date(2026, 1, 13)
    enrolment.save()
    cert = actions.issue_certificate(acting_user=officer, enrolment=enrolment)

    phone = browser.new_context(viewport=PHONE, locale="th-TH", timezone_id="Asia/Bangkok",
                                is_mobile=True, has_touch=True, accept_downloads=True)  # fmt: skip
    phone.set_default_timeout(10_000)
    kru = phone.new_page()
    login(kru, live_server, "kru", PASSWORD)
    kru.goto(f"{live_server.url}/training/courses/{course.pk}/")
    with kru.expect_download() as download:
        kru.get_by_role("button", name="เครดเดนเชียลดิจิทัล").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == f"credential-{cert.code}.jwt"

    # Anyone, on a phone, without logging in: the code's page, then the uploaded file.
    anyone = browser.new_context(viewport=PHONE, locale="th-TH").new_page()
    anyone.goto(f"{live_server.url}/verify/{cert.code}/")
    expect(anyone.locator("#credential-check")).to_contain_text("ลายมือชื่อดิจิทัลถูกต้อง")
    shot(anyone, "verify-code-phone")
    anyone.locator("#credential-upload input[type=file]").set_input_files(str(saved))
    anyone.get_by_role("button", name="ตรวจสอบไฟล์").click()
    verdict = anyone.locator("#verification")
    expect(verdict).to_contain_text("ลายมือชื่อดิจิทัลถูกต้อง")
    expect(verdict).to_contain_text("นางกุ้งนภา ปั้นน้ำใจ")
    expect(verdict).to_contain_text("การจัดการเรียนรู้เชิงรุก (Active Learning)")
    expect(verdict).to_contain_text(office.name)
    shot(anyone, "verify-upload-phone")

    # An edited copy (one character of the signed content changed) is caught.
    token = saved.read_text()
    header, payload, signature = token.split(".")
    middle = len(payload) // 2
    flipped = "A" if payload[middle] != "A" else "B"
    edited = tmp_path / "edited.jwt"
    edited.write_text(f"{header}.{payload[:middle]}{flipped}{payload[middle + 1 :]}.{signature}")
    anyone.locator("#credential-upload input[type=file]").set_input_files(str(edited))
    anyone.get_by_role("button", name="ตรวจสอบไฟล์").click()
    expect(anyone.locator("#verification")).to_contain_text("✗")
    expect(anyone.locator("#verification")).not_to_contain_text("นางกุ้งนภา")
    shot(anyone, "verify-tampered-phone")

    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    wide = desktop.new_page()
    wide.goto(f"{live_server.url}/verify/{cert.code}/")
    shot(wide, "verify-code-desktop")
    wide.locator("#credential-upload input[type=file]").set_input_files(str(saved))
    wide.get_by_role("button", name="ตรวจสอบไฟล์").click()
    expect(wide.locator("#verification")).to_contain_text("ยังใช้ได้")
    shot(wide, "verify-upload-desktop")
    phone.close()
    desktop.close()
