"""The people picker's filters say their words whole on a 390-pixel phone and a 1280-pixel
screen: the "searching…" note once took a filter's place in the row, so the needs menu sat in
half a row and read "ทุกความต้องกา" on a phone."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.testing import make_office, make_person, make_school
from planning.models import Topic
from tests_browser.helpers import WAIT_MS, fits_the_phone, phone_page
from training import actions
from training.models import Course, Session

PASSWORD = "krupd-browser-test"

# How much of each menu's chosen words the box cannot show (0 when all of them fit).
CLIPPED = """picker => [...picker.querySelectorAll('.picker-filters select')].map(s => {
  const style = getComputedStyle(s);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const text = s.options[s.selectedIndex].text;
  return [text, Math.max(0, Math.ceil(ctx.measureText(text).width - room))];
})"""
# How much of the search box's hint the box cannot show (0 when all of it fits).
HINT_CLIPPED = """box => {
  const style = getComputedStyle(box, '::placeholder');
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const own = getComputedStyle(box);
  const room = box.clientWidth - parseFloat(own.paddingLeft) - parseFloat(own.paddingRight);
  return Math.max(0, Math.ceil(ctx.measureText(box.placeholder).width - room));
}"""


@pytest.mark.browser
def test_the_picker_menus_read_whole_on_a_phone_and_a_wide_screen(browser, live_server, login, db):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนอนุบาลเพชรบุรี")
    for i in range(3):
        make_person(office, school, first_name=f"ครูอนุบาล{i}", last_name="ใจดี")
    Topic.objects.create(office=office, name="การจัดการเรียนรู้เชิงรุก")
    officer = User.objects.create_user(username="officer", password=PASSWORD,
                                       role=Role.DEVELOPMENT_OFFICER, office=office)  # fmt: skip
    today = timezone.localdate()
    course = Course.objects.create(office=office, title="การวัดและประเมินผลตามสภาพจริง",
                                   mode="workshop", hours=Decimal("12"), fiscal_year=2570)  # fmt: skip
    session = actions.save_session(
        acting_user=officer,
        session=Session(course=course, start_date=today, end_date=today + dt.timedelta(days=1),
                        capacity=40, place="ห้องประชุมเพชรพัฒนา"),
    )  # fmt: skip

    page = phone_page(browser)
    login(page, live_server, "officer", PASSWORD)
    url = f"{live_server.url}/training/sessions/{session.pk}/nominate/"
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(url)
        picker = page.locator("[data-picker=people]")
        expect(picker.get_by_label("ความต้องการพัฒนา")).to_have_count(1)
        menus = picker.evaluate(CLIPPED)
        assert ["ทุกความต้องการพัฒนา", 0] in menus, (width, menus)
        assert all(cut == 0 for _, cut in menus), (width, menus)
        if width == 390:
            fits_the_phone(page)
        # The search box's hint reads whole (at 1280 px it was cut to "…หรือเลขประจำตัวประ").
        hint = picker.locator(".picker-search input").evaluate(HINT_CLIPPED)
        assert hint == 0, (width, hint)
        page.screenshot(path=f"/tmp/krupd-screens/picker-{width}.png")
    # The note still shows while a search is on its way, inside the search box.
    search = picker.get_by_placeholder("ค้นหาชื่อ นามสกุล หรือเลขประจำตัวประชาชน")
    search.fill("ครูอนุบาล1")
    expect(picker.locator(".picker-list li")).to_have_count(1, timeout=WAIT_MS)
    assert picker.locator(".picker-search .htmx-indicator").count() == 1
    page.context.close()
