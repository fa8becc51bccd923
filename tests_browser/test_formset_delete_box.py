"""The "ลบ" (remove this row) box of a table of rows typed into (an ID plan's topics) is a
square box to tick, on a phone and on a wide screen: the planning pages' compact-table style
gave every input a 4-rem minimum width, which drew the box as a flat 64 × 10 px bar."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.testing import make_office, make_person, make_school
from tests_browser.helpers import phone_page

PASSWORD = "krupd-browser-test"


@pytest.mark.browser
def test_the_remove_box_of_an_id_plan_topic_is_a_square_to_tick(browser, live_server, login, db):
    from planning.models import IdPlan, IdPlanItem

    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    User.objects.create_user(username="kru", password=PASSWORD, role=Role.TEACHER,
                             office=office, person=person)  # fmt: skip
    plan = IdPlan.objects.create(person=person, year=2569, school=school, status="draft")
    IdPlanItem.objects.create(plan=plan, title="การวัดและประเมินผลการเรียนรู้", mode="workshop")

    page = phone_page(browser)
    login(page, live_server, "kru", PASSWORD)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"{live_server.url}/planning/id-plans/{plan.pk}/")
        box = page.locator("input[type=checkbox][name$='-DELETE']").first
        expect(box).to_be_visible()
        size = box.bounding_box()
        assert abs(size["width"] - size["height"]) < 2, (width, size)
        assert size["height"] >= 16, (width, size)
        box.check()
        expect(box).to_be_checked()
    page.context.close()
