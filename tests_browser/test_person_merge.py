"""On a 390-pixel phone, an office admin finds that one teacher has two records (her
surname changed after marriage), picks the other record from her page, compares the two,
confirms they are one person, keeps the newer one and merges: the other's history is hers."""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from career.models import PAAgreement
from career.queries import active_edition
from krupd.testing import make_office, make_person, make_school
from registry.models import AuditEntry, Person
from tests_browser.helpers import fits_the_phone, phone_page
from training.models import Course, Enrolment, Session

PASSWORD = "krupd-browser-test"
SHOTS = Path(os.environ.get("KRUPD_SCREENSHOTS", "/tmp/krupd-screens"))


@pytest.mark.browser
def test_an_admin_merges_a_teachers_two_records_on_a_phone(browser, live_server, login, db):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    other_school = make_school(office, code="1076010002", name="โรงเรียนวัดท่าไม้")
    keep = make_person(office, school, first_name="มาลี", last_name="วงศ์ใหญ่",
                       national_id="3100600445635")  # fmt: skip
    old = make_person(office, other_school, first_name="มาลี", last_name="ศรีสุข",
                      national_id="3100600445645", birth_date=dt.date(1980, 5, 1))  # fmt: skip
    course = Course.objects.create(office=office, title="การสอนอ่านเชิงรุก", mode="workshop",
                                   hours=Decimal(6), fiscal_year=2569)  # fmt: skip
    session = Session.objects.create(course=course, start_date=dt.date(2026, 1, 12),
                                     end_date=dt.date(2026, 1, 12), capacity=10)  # fmt: skip
    Enrolment.objects.create(course=course, session=session, person=old, status="enrolled",
                             source="office")  # fmt: skip
    PAAgreement.objects.create(person=old, edition=active_edition(), fiscal_year=2569)
    User.objects.create_user(username="admin", password=PASSWORD, role=Role.OFFICE_ADMIN,
                             office=office)  # fmt: skip

    page = phone_page(browser)
    login(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server.url}/registry/people/{keep.pk}/")
    page.get_by_role("button", name="รวมระเบียนซ้ำ").click()

    # The other record, found by its old surname with the people picker.
    page.get_by_placeholder("ค้นหาชื่อ นามสกุล หรือเลขประจำตัวประชาชน").fill("ศรีสุข")
    page.locator(f"input[name=other][value='{old.pk}']").check()
    page.get_by_role("button", name="เปรียบเทียบสองระเบียน").click()

    records = page.locator("#merge-records")
    expect(records).to_contain_text("นางมาลี วงศ์ใหญ่")
    expect(records).to_contain_text("นางมาลี ศรีสุข")
    expect(records).to_contain_text("3-1xxx-xxxxx-63-5")
    expect(records).to_contain_text("โรงเรียนวัดท่าไม้")
    holdings = page.locator("#merge-holdings")
    expect(holdings.locator("tr", has_text="การลงทะเบียนหลักสูตร")).to_contain_text("0")
    expect(holdings.locator("tr", has_text="ข้อตกลงในการพัฒนางาน (PA)")).to_contain_text("1")
    expect(page.locator("#merge-warnings")).to_contain_text("ชื่อ-นามสกุลไม่ตรงกัน")
    fits_the_phone(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "person-merge-390.png"), full_page=True)

    page.get_by_label("ตรวจสอบแล้ว ทั้งสองระเบียนเป็นบุคคลเดียวกัน").check()
    page.get_by_label("เก็บ นางมาลี วงศ์ใหญ่").check()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="รวมระเบียน", exact=True).click()

    expect(page.locator("body")).to_contain_text("เข้ากับ นางมาลี วงศ์ใหญ่ แล้ว")
    assert asked and asked[0].startswith("รวมสองระเบียนนี้เป็นระเบียนเดียว?")
    assert not Person.objects.filter(pk=old.pk).exists()
    assert Enrolment.objects.get().person_id == keep.pk
    assert PAAgreement.objects.get().person_id == keep.pk
    entry = AuditEntry.objects.get(object_type="person", object_id=str(keep.pk))
    assert entry.changes["รวมระเบียนซ้ำเข้ามา"] == [None, "นางมาลี ศรีสุข (3-1xxx-xxxxx-64-5)"]

    # The page at a desktop's width, for a look.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    wide = desk.new_page()
    login(wide, live_server, "admin", PASSWORD)
    third = make_person(office, other_school, first_name="มาลี", last_name="ศรีสุข")
    wide.goto(f"{live_server.url}/registry/people/{keep.pk}/merge/?other={third.pk}")
    expect(wide.locator("#merge-records")).to_contain_text("โรงเรียนวัดท่าไม้")
    wide.screenshot(path=str(SHOTS / "person-merge-1280.png"), full_page=True)
    desk.close()
    page.context.close()


@pytest.mark.browser
def test_an_admin_keeps_both_records_details_choosing_where_they_differ(
    browser, live_server, login, db
):
    """The kept record was imported with few details; the other, typed in by hand, holds her
    phone, e-mail and birth date (carried over, said before the button) and her surname
    before marriage (she chooses it, here, over the kept record's)."""
    from registry.models import AcademicStanding, AuditAction

    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    keep = make_person(office, school, first_name="มาลี", last_name="วงศ์ใหญ่",
                       national_id="3100600445635", phone="", birth_date=None)  # fmt: skip
    old = make_person(office, school, first_name="มาลี", last_name="ศรีสุข",
                      national_id="3100600445645", phone="089-111-2222",
                      email="malee@example.ac.th", birth_date=dt.date(1985, 3, 15),
                      academic_standing=None)  # fmt: skip
    User.objects.create_user(username="admin", password=PASSWORD, role=Role.OFFICE_ADMIN,
                             office=office)  # fmt: skip

    def look(page, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=True)

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    wide = desk.new_page()
    login(wide, live_server, "admin", PASSWORD)
    wide.goto(f"{live_server.url}/registry/people/{keep.pk}/merge/?other={old.pk}")
    expect(wide.locator("#merge-choices")).to_contain_text("นามสกุล")
    look(wide, "person-merge-details-1280.png")
    desk.close()

    page = phone_page(browser)
    login(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server.url}/registry/people/{keep.pk}/merge/?other={old.pk}")
    carried = page.locator(f"#merge-carried-{keep.pk}")
    expect(carried).to_contain_text("จะนำข้อมูลที่ระเบียนที่เก็บไว้ยังไม่มีมาจากอีกระเบียน:")
    expect(carried).to_contain_text("โทรศัพท์ (089-111-2222)")
    expect(carried).to_contain_text("วันเกิด (15 มีนาคม 2528)")
    # Kept the other way round, the page says what that one would take instead.
    expect(page.locator(f"#merge-carried-{old.pk}")).to_be_hidden()
    surname = page.locator("#merge-choices [role=radiogroup][aria-label='นามสกุล']")
    expect(surname.locator(f"input[value='{keep.pk}']")).to_be_checked()
    page.get_by_label("เก็บ นางมาลี ศรีสุข").check()
    expect(surname.locator(f"input[value='{old.pk}']")).to_be_checked()
    expect(page.locator(f"#merge-carried-{old.pk}")).to_contain_text("วิทยฐานะ (ชำนาญการ)")
    expect(carried).to_be_hidden()
    page.get_by_label("เก็บ นางมาลี วงศ์ใหญ่").check()
    expect(carried).to_be_visible()
    # She keeps the record she opened, with the surname of the other.
    surname.locator(f"input[value='{old.pk}']").check()
    fits_the_phone(page)
    look(page, "person-merge-details-390.png")

    page.get_by_label("ตรวจสอบแล้ว ทั้งสองระเบียนเป็นบุคคลเดียวกัน").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="รวมระเบียน", exact=True).click()

    expect(page.locator("body")).to_contain_text("เข้ากับ นางมาลี ศรีสุข แล้ว")
    keep.refresh_from_db()
    assert (keep.last_name, keep.national_id) == ("ศรีสุข", "3100600445635")
    assert (keep.phone, keep.email, keep.birth_date) == (
        "089-111-2222", "malee@example.ac.th", dt.date(1985, 3, 15),
    )  # fmt: skip
    assert keep.academic_standing == AcademicStanding.objects.get(code="k2")  # its own

    # The log names the merge in its own words, and filters by it.
    page.goto(f"{live_server.url}/registry/audit/")
    page.get_by_label("การกระทำ").select_option(label="รวมระเบียน")
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("นามสกุล: ศรีสุข")
    assert AuditEntry.objects.filter(action=AuditAction.MERGE, object_id=str(keep.pk)).exists()
    fits_the_phone(page)
    look(page, "person-merge-audit-390.png")
    page.context.close()
