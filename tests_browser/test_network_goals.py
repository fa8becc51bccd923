"""An officer sees a network goal waiting for the national O-NET mean, types the mean from
the network page's link, and the goal shows its figure computed from the schools' results."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from community.models import NetworkGoal
from krupd.testing import make_office, make_school
from registry.models import Network
from reporting.models import OnetResult

PASSWORD = "krupd-browser-test"
MATH = "คณิตศาสตร์"


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_officer_types_the_national_mean_and_the_goal_is_measured(
    page, live_server, login, width
):
    office = make_office()
    network = Network.objects.create(office=office, name="เครือข่ายบ้านลาด")
    for n, mean in enumerate(("45", "38", "31", "29")):
        school = make_school(office, code=f"107601000{n}", name=f"โรงเรียนบ้านลาด {n + 1}",
                             network=network)  # fmt: skip
        OnetResult.objects.create(school=school, academic_year=2567, grade="ป.6", subject=MATH,
                                  mean=Decimal(mean))  # fmt: skip
    NetworkGoal.objects.create(
        network=network, academic_year=2567, measure="onet_above_national", subject=MATH,
        grade="p6", target_percent=Decimal("80"), target="ร้อยละ 80.00",
        text="ร้อยละของโรงเรียนในเครือข่ายที่มีคะแนนเฉลี่ย O-NET วิชาคณิตศาสตร์ ชั้น ป.6 "
        "สูงกว่าค่าเฉลี่ยระดับประเทศ",
    )  # fmt: skip
    User.objects.create_user(username="officer", password=PASSWORD,
                             role=Role.DEVELOPMENT_OFFICER, office=office)  # fmt: skip
    page.set_viewport_size({"width": width, "height": 900})

    login(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/community/networks/{network.pk}/")
    goals = page.locator("table").filter(has_text="ค่าเป้าหมาย")
    expect(goals).to_contain_text("ยังไม่มีข้อมูล (ยังไม่ได้บันทึกค่าเฉลี่ย O-NET ระดับประเทศ")
    page.get_by_role("link", name="กรอกค่าเฉลี่ยระดับประเทศ").click()

    form = page.locator("form").filter(has_text="ค่าเฉลี่ยระดับประเทศ").first
    form.get_by_label("ปีการศึกษา").fill("๒๕๖๗")
    form.get_by_label("ชั้น").select_option("p6")
    form.get_by_label("วิชา").select_option(MATH)
    form.get_by_label("ค่าเฉลี่ยระดับประเทศ").fill("30.00")
    form.get_by_label("ที่มา").fill("ประกาศผลการทดสอบ O-NET ชั้น ป.6 ปีการศึกษา 2567 ของ สทศ.")
    form.get_by_role("button", name="บันทึก").click()
    expect(page.locator(".flash")).to_contain_text("บันทึกค่าเฉลี่ยระดับประเทศ ป.6 คณิตศาสตร์ 2567")
    expect(page.locator("table")).to_contain_text("30.00")

    page.goto(f"{live_server.url}/community/networks/{network.pk}/")
    expect(goals).to_contain_text("ร้อยละ 75.00 (3 จาก 4 โรงเรียน)")
    expect(goals).to_contain_text("ไม่บรรลุ")
