"""The PA workload table (PA 1/ส hours a week) on a teacher's phone: each row is a card whose
boxes fit the screen, and the table saves with its two spare rows left blank."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from career import actions
from career.models import PAAgreement
from krupd.lib.thai_dates import fiscal_year
from krupd.testing import make_office, make_person, make_school
from tests_browser.helpers import PHONE, fits_the_phone, phone_page

PASSWORD = "krupd-browser-test"
SHOTS = Path("/tmp/krupd-screens")


@pytest.mark.browser
def test_a_teacher_types_her_workload_on_a_phone(browser, live_server, login, db):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    user = User.objects.create_user(username="kru", password=PASSWORD, role=Role.TEACHER,
                                    office=office, person=person)  # fmt: skip
    agreement = actions.start_agreement(
        acting_user=user, person=person, fiscal_year=fiscal_year(timezone.localdate())
    )
    page = phone_page(browser)
    login(page, live_server, "kru", PASSWORD)
    page.goto(f"{live_server.url}/career/pa/{agreement.pk}/pack/workload/")
    page.locator("[name=w-0-title]").fill("ท21101 ภาษาไทยพื้นฐาน")
    page.locator("[name=w-0-hours]").fill("๑๘")
    page.locator("[name=w-1-kind]").select_option(label="งานส่งเสริมและสนับสนุนการจัดการเรียนรู้")
    page.locator("[name=w-1-title]").fill("ครูที่ปรึกษา")
    page.locator("[name=w-1-hours]").fill("๑.๕")
    # Every box of the table is on the screen, none cut off inside a sideways-scrolling box.
    fits_the_phone(page)
    boxes = page.locator("main table input:not([type=hidden]), main table select")
    for i in range(boxes.count()):
        box = boxes.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], i
    assert page.locator("[name=w-0-kind]").bounding_box()["width"] > PHONE["width"] / 2
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "pa-workload-phone.png"), full_page=True)
    # The rows she did not use are left out, not refused as half filled.
    page.get_by_role("button", name="บันทึกภาระงาน").click()
    expect(page.locator(".flash")).to_contain_text("บันทึกภาระงานแล้ว")
    assert list(agreement.workload.values_list("title", "hours")) == [
        ("ท21101 ภาษาไทยพื้นฐาน", Decimal("18")),
        ("ครูที่ปรึกษา", Decimal("1.5")),
    ]
    saved = PAAgreement.objects.get(pk=agreement.pk)
    assert (saved.teaching_hours, saved.support_hours) == (Decimal("18"), Decimal("1.5"))
    page.context.close()
