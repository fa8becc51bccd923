"""An OBEC analyst opens the comparison of offices, sorts it, drills down region → province →
office, and starts a refresh of the summaries; on a phone the table scrolls."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.testing import make_office, make_person, make_school
from oversight.actions import refresh_offices
from oversight.models import Province, Region
from reporting.queries import current_fiscal_year
from reporting.tests.helpers import course, passed

PASSWORD = "krupd-browser-test"


def _office(code, name, province, *, people, developed):
    office = make_office(code, name)
    office.province = province
    office.save()
    school = make_school(office, code=f"10{code}0001", name=f"โรงเรียน{code}")
    c = course(office, fy=current_fiscal_year(), title="การจัดการเรียนรู้เชิงรุก")
    for n in range(people):
        person = make_person(office, school)
        if n < developed:
            passed(c, person)
    return office


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_the_analyst_drills_down_to_an_office(page, live_server, login, width):
    page.set_viewport_size({"width": width, "height": 900})
    region = Region.objects.get(number=7)
    Province.objects.filter(name__in=["เพชรบุรี", "ราชบุรี"]).update(region=region)
    offices = [
        _office("7601", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเพชรบุรี เขต 1", "เพชรบุรี", people=4, developed=3),
        _office("7602", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเพชรบุรี เขต 2", "เพชรบุรี", people=4, developed=1),
        _office("7001", "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาราชบุรี เขต 1", "ราชบุรี", people=2, developed=2),
    ]  # fmt: skip
    refresh_offices(offices[:2])  # ราชบุรี เขต 1 has no summary yet
    User.objects.create_user(username="obec", password=PASSWORD, role=Role.OBEC_ANALYST)

    login(page, live_server, "obec", PASSWORD)
    expect(page.locator("h2")).to_contain_text("ทั้งประเทศ")
    page.get_by_role("link", name="สำนักงานศึกษาธิการภาค 7").click()
    expect(page.locator("h2")).to_contain_text("สำนักงานศึกษาธิการภาค 7")
    ratchaburi = page.locator("tbody tr").filter(has_text="ราชบุรี")
    expect(ratchaburi).to_contain_text("ยังไม่มีข้อมูล")
    page.get_by_role("link", name="เพชรบุรี").click()
    rows = page.locator("table.compare tbody tr")
    expect(rows).to_have_count(2)
    # 3 of 4 and 1 of 4 developed; the province's total is 4 of 8.
    expect(rows.nth(0)).to_contain_text("75.0")
    expect(rows.nth(1)).to_contain_text("25.0")
    expect(page.locator("table.compare tfoot")).to_contain_text("50.0")
    heading = page.locator("table.compare thead th").filter(has_text="ครูที่ได้รับการพัฒนา").first
    heading.click()
    expect(rows.nth(0)).to_contain_text("เขต 2")  # ascending: 25 % first
    heading.click()
    expect(rows.nth(0)).to_contain_text("เขต 1")

    page.get_by_role("link", name="สพป.เพชรบุรี เขต 1").click()
    expect(page.locator("h2")).to_contain_text("เพชรบุรี เขต 1")
    expect(page.get_by_text("ข้อมูล ณ")).to_be_visible()
    page.go_back()
    page.get_by_role("button", name="คำนวณข้อมูลสรุปใหม่").click()
    expect(page.locator("#refresh")).to_contain_text("เขตพื้นที่")
