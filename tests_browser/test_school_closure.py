"""An officer records that a small school was merged into another (ยุบรวม), moves its people
to the receiving school, finds it on the schools list only when asked, and undoes it."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.testing import make_office, make_person, make_school
from registry.models import AuditEntry, PositionChange, School

PASSWORD = "krupd-browser-test"


@pytest.fixture
def setup(db):
    office = make_office()
    small = make_school(office, code="1076010003", name="โรงเรียนบ้านหนองเล็ก")
    receiving = make_school(office, code="1076010004", name="โรงเรียนวัดใหญ่")
    teachers = [make_person(office, small, first_name=f"ครูหนองเล็ก{i}", last_name="ใจดี")
                for i in range(2)]  # fmt: skip
    User.objects.create_user(
        username="admin", password=PASSWORD, role=Role.OFFICE_ADMIN, office=office
    )
    return {"small": small, "receiving": receiving, "teachers": teachers}


@pytest.mark.browser
def test_an_officer_merges_a_school_moves_its_people_and_undoes_it(page, live_server, login, setup):
    small, receiving = setup["small"], setup["receiving"]
    login(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server.url}/registry/schools/{small.pk}/")
    page.get_by_role("button", name="บันทึกการปิด/ยุบรวม", exact=True).click()

    # Merging into itself is not offered; a day that is no date is refused naming the field.
    form = page.locator("form[novalidate]")
    assert "โรงเรียนบ้านหนองเล็ก" not in form.get_by_label("ยุบรวมกับสถานศึกษา").inner_text()
    form.get_by_label("วันที่ปิด/ยุบรวม (พ.ศ.)").fill("31/02/2568")
    form.get_by_role("button", name="บันทึกการปิด/ยุบรวม").click()
    expect(page.locator("form[novalidate]")).to_contain_text("ไม่มีวันที่ 31 เดือน 2")
    form = page.locator("form[novalidate]")
    form.get_by_label("วันที่ปิด/ยุบรวม (พ.ศ.)").fill("๑๖/๐๕/๒๕๖๘")
    form.get_by_label("ยุบรวมกับสถานศึกษา").select_option(label="โรงเรียนวัดใหญ่")
    form.get_by_label("เหตุผล").fill("นักเรียนน้อยกว่า 20 คน ตามนโยบายควบรวม")
    form.get_by_role("button", name="บันทึกการปิด/ยุบรวม").click()

    closure = page.locator("#closure")
    expect(closure).to_contain_text("ปิด/ยุบรวมเมื่อ 16 พฤษภาคม 2568")
    expect(closure).to_contain_text("บุคลากรในสถานศึกษาที่ปิดแล้ว 2 คน")
    small.refresh_from_db()
    assert (small.closed_on, small.merged_into) == (dt.date(2025, 5, 16), receiving)

    closure.get_by_role("button", name="ย้ายบุคลากรไปโรงเรียนวัดใหญ่").click()
    expect(page.get_by_label("ย้ายไปสถานศึกษา")).to_have_value(str(receiving.pk))
    page.get_by_role("button", name="ย้ายบุคลากร", exact=True).click()
    expect(page.locator("body")).to_contain_text("ย้ายบุคลากร 2 คน ไปโรงเรียนวัดใหญ่ แล้ว")
    expect(page.locator("#closure")).not_to_contain_text("บุคลากรในสถานศึกษาที่ปิดแล้ว")
    for teacher in setup["teachers"]:
        teacher.refresh_from_db()
        assert teacher.school == receiving
        change = PositionChange.objects.get(person=teacher, field="สถานศึกษา")
        assert (change.effective_date, change.old_school) == (dt.date(2025, 5, 16), small)

    # The list hides it until asked, then marks it.
    page.goto(f"{live_server.url}/registry/schools/")
    table = page.locator("#schools-table")
    expect(table).to_contain_text("โรงเรียนวัดใหญ่")
    expect(table).not_to_contain_text("โรงเรียนบ้านหนองเล็ก")
    page.get_by_label("สถานศึกษาที่ปิด/ยุบรวม").select_option(value="all")
    expect(table).to_contain_text("โรงเรียนบ้านหนองเล็ก")
    expect(table.locator("tr", has_text="โรงเรียนบ้านหนองเล็ก")).to_contain_text("ปิด/ยุบรวม")

    # Undone: open again, and the undoing is in the audit log.
    table.get_by_role("link", name="โรงเรียนบ้านหนองเล็ก").click()
    page.once("dialog", lambda dialog: dialog.accept())  # "ยกเลิกการปิด/ยุบรวม … ใช่หรือไม่"
    page.get_by_role("button", name="ยกเลิกการปิด/ยุบรวม").click()
    expect(page.locator("body")).to_contain_text("ยกเลิกการปิด/ยุบรวม โรงเรียนบ้านหนองเล็ก แล้ว")
    expect(page.locator("#closure")).to_have_count(0)
    assert School.objects.get(pk=small.pk).closed_on is None
    assert AuditEntry.objects.filter(object_type="school", object_id=str(small.pk)).count() == 2
