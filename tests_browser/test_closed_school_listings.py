"""An office admin meets a merged school where only open schools belong: not offered for a new
account, not counted on the home page, and a person seconded to it is told on the data-quality
page, on a desktop and on a phone."""

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.testing import make_office, make_person, make_school
from registry.actions import close_school
from tests_browser.helpers import PHONE, WAIT_MS, fits_the_phone

PASSWORD = "krupd-browser-test"
SHOTS = Path(os.environ.get("KRUPD_SCREENSHOTS", "/tmp/krupd-screens"))
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def setup(db):
    office = make_office()
    small = make_school(office, code="1076010003", name="โรงเรียนบ้านหนองเล็ก")
    receiving = make_school(office, code="1076010004", name="โรงเรียนวัดใหญ่")
    make_person(office, receiving, first_name="ครูช่วยราชการ", last_name="ใจดี",
                secondment="out", secondment_school=small)  # fmt: skip
    close_school(acting_user=None, school=small, closed_on=dt.date(2025, 5, 16),
                 merged_into=receiving, reason="นักเรียนน้อย")  # fmt: skip
    User.objects.create_user(
        username="admin", password=PASSWORD, role=Role.OFFICE_ADMIN, office=office
    )
    return {"small": small, "receiving": receiving}


@pytest.mark.browser
@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_merged_school_is_left_out_and_its_secondee_is_told(page, live_server, login, setup,
                                                              size):  # fmt: skip
    page.set_default_timeout(WAIT_MS)  # the first page a busy shared machine serves
    page.set_viewport_size(size)
    login(page, live_server, "admin", PASSWORD)
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = size["width"]

    page.goto(f"{live_server.url}/")
    card = page.locator(".home-counts .card").filter(
        has=page.locator(".muted", has_text="สถานศึกษา").filter(has_not_text="ผู้บริหาร")
    )
    expect(card.locator(".big")).to_have_text("1")
    page.screenshot(path=str(SHOTS / f"closed-home-{width}.png"), full_page=True)

    page.goto(f"{live_server.url}/registry/quality/")
    told = page.locator("#seconded-closed")
    expect(told).to_contain_text("ช่วยราชการกับสถานศึกษาที่ปิดแล้ว 1 คน")
    expect(told).to_contain_text("ไปช่วยราชการที่โรงเรียนบ้านหนองเล็ก")
    expect(told.get_by_role("link", name="นางครูช่วยราชการ ใจดี")).to_be_visible()
    if width == PHONE["width"]:
        fits_the_phone(page)
    page.screenshot(path=str(SHOTS / f"closed-quality-{width}.png"), full_page=True)

    page.goto(f"{live_server.url}/accounts/users/new/")
    menu = page.get_by_label("สถานศึกษา", exact=True)
    assert "โรงเรียนวัดใหญ่" in menu.inner_text()
    assert "โรงเรียนบ้านหนองเล็ก" not in menu.inner_text()
    page.screenshot(path=str(SHOTS / f"closed-account-form-{width}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_networks_merged_school_is_named_apart(page, live_server, login, setup, size):
    from registry.models import Network, School

    network = Network.objects.create(office=setup["small"].office, name="เครือข่ายเมือง 1")
    School.objects.filter(pk__in=[setup["small"].pk, setup["receiving"].pk]).update(network=network)
    page.set_default_timeout(WAIT_MS)  # the first page a busy shared machine serves
    page.set_viewport_size(size)
    login(page, live_server, "admin", PASSWORD)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/community/networks/{network.pk}/")
    expect(page.get_by_role("heading", name="โรงเรียนในเครือข่าย (1)")).to_be_visible()
    expect(page.locator("#closed-schools")).to_contain_text("โรงเรียนบ้านหนองเล็ก")
    if size == PHONE:
        fits_the_phone(page)
    page.screenshot(path=str(SHOTS / f"closed-network-{size['width']}.png"), full_page=True)
