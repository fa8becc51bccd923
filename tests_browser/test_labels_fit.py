"""Words that wrapped or hid on a 390-pixel phone: a PLC meeting's attendee whose name runs
onto a second line, and the ID plan summary's year box with no word beside it."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from community.models import PLCGroup, PLCLevel
from krupd.testing import make_office, make_person, make_school
from tests_browser.helpers import fits_the_phone, phone_page

PASSWORD = "krupd-browser-test"
SHOTS = Path(os.environ.get("KRUPD_SCREENSHOTS", "/tmp/krupd-screens"))

# The left edge of each line a name's words take (one number when every line starts together).
LINE_STARTS = """label => {
  const range = document.createRange();
  range.setStartAfter(label.querySelector('input'));
  range.setEnd(label, label.childNodes.length);
  const lines = [...range.getClientRects()].filter(r => r.width > 1);
  return [...new Set(lines.map(r => Math.round(r.top)))].map(
    top => Math.round(Math.min(...lines.filter(r => Math.round(r.top) === top).map(r => r.left))));
}"""


@pytest.mark.browser
def test_an_attendees_wrapped_name_starts_each_line_together(browser, live_server, login, db):
    """A name wrapped at 390 px put its second line ("เพชรบุรี)") further in than its first."""
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนอนุบาลเมืองเพชรบุรีวิทยาคารเพชรบุรี")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจเจริญรุ่งเรือง")
    other = make_person(office, school, first_name="พิมพ์พนิดา", last_name="แก้วเจริญรุ่งเรือง")
    User.objects.create_user(username="kru", password=PASSWORD, role=Role.TEACHER,
                             office=office, person=person)  # fmt: skip
    group = PLCGroup.objects.create(office=office, level=PLCLevel.SCHOOL, school=school,
                                    name="PLC อ่านออกเขียนได้", topic="อ่านไม่คล่อง",
                                    facilitator=person, academic_year=2568)  # fmt: skip
    group.members.add(person, other)

    page = phone_page(browser)
    login(page, live_server, "kru", PASSWORD)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"{live_server.url}/community/plc/{group.pk}/log/")
        page.screenshot(path=str(SHOTS / f"plc-log-{width}.png"), full_page=True)
    fits_the_phone(page)
    names = page.locator("fieldset", has_text="ผู้เข้าร่วม").locator("label")
    expect(names).to_have_count(2)
    for i in range(2):
        name = names.nth(i)
        starts = name.evaluate(LINE_STARTS)
        assert len(starts) >= 2, starts  # the name does wrap on a phone
        assert len(set(starts)) == 1, (name.inner_text(), starts)
    page.context.close()


@pytest.mark.browser
def test_the_id_plan_summarys_year_box_says_what_it_is(browser, live_server, login, db):
    """The year box stood alone beside "แสดง", its name only for a screen reader; the other
    year boxes say "ปีการศึกษา" or "ปีงบประมาณ" beside them."""
    office = make_office()
    User.objects.create_user(username="officer", password=PASSWORD,
                             role=Role.DEVELOPMENT_OFFICER, office=office)  # fmt: skip
    page = phone_page(browser)
    login(page, live_server, "officer", PASSWORD)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"{live_server.url}/planning/id-plans/summary/?year=2569")
        page.screenshot(path=str(SHOTS / f"idp-summary-{width}.png"), full_page=True)
        year = page.get_by_label("ปีการศึกษา", exact=True)
        expect(year).to_have_value("2569")
        label = page.locator("label", has=page.locator("input[name=year]"))
        expect(label).to_be_visible()
        expect(label).to_contain_text("ปีการศึกษา")
        box = label.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (width, box)
    fits_the_phone(page)
    page.context.close()


@pytest.mark.browser
def test_the_certificates_to_review_are_a_card_each_on_a_phone(browser, live_server, login, db):
    """The table of certificates to review was five columns on a phone: its box scrolled
    sideways and the reason and the revoke/keep boxes sat off the screen."""
    from tests_browser.helpers import passed_certificate

    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    cert = passed_certificate(
        person, "ABCDEFGH23", title="การจัดการเรียนรู้เชิงรุก (Active Learning)",
        needs_review=True, review_reason="ไม่ผ่าน: เวลาเข้าร่วม 50% ยังไม่ถึงเกณฑ์ 80%",
    )  # fmt: skip
    User.objects.create_user(username="officer", password=PASSWORD,
                             role=Role.DEVELOPMENT_OFFICER, office=office)  # fmt: skip
    page = phone_page(browser)
    login(page, live_server, "officer", PASSWORD)
    url = f"{live_server.url}/training/courses/{cert.enrolment.course_id}/certificates/"
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(url)
        page.screenshot(path=str(SHOTS / f"certificates-review-{width}.png"), full_page=True)
    fits_the_phone(page)
    table = page.locator("#flagged table")
    right = table.evaluate("t => t.closest('.scroll').getBoundingClientRect().right")
    for cell in table.locator("tbody td").all():
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= right + 1, (cell.inner_text(), box, right)
    keep = table.get_by_role("button", name="คงไว้")
    box = keep.bounding_box()
    assert box["x"] + box["width"] <= 390, box
    page.context.close()
