"""The provincial inspector's round from opening to export: she opens the round, the office
writes and submits its report, she returns it with a comment, the office corrects and sends
it again, she accepts it, writes the province's summary and downloads the DOCX."""

import io

import pytest
from docx import Document
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.testing import make_office
from oversight.models import Province

PASSWORD = "krupd-browser-test"


@pytest.mark.browser
def test_it_runs_a_provincial_round_from_opening_to_export(page, browser, live_server, login):
    province = Province.objects.get(name="เพชรบุรี")
    office = make_office(code="7601", name="สพป.เพชรบุรี เขต 1")
    make_office(code="7602", name="สพป.เพชรบุรี เขต 2")  # never submits
    User.objects.create_user(username="province", password=PASSWORD,
                             role=Role.PROVINCE_INSPECTOR, province=province)  # fmt: skip
    User.objects.create_user(username="officer", password=PASSWORD,
                             role=Role.DEVELOPMENT_OFFICER, office=office)  # fmt: skip

    # The provincial inspector opens round 1.
    login(page, live_server, "province", PASSWORD)
    page.get_by_role("link", name="ตรวจราชการจังหวัด").click()
    form = page.locator("#open-round")
    form.get_by_label("ชื่อรอบการตรวจราชการ").fill("การตรวจราชการรอบที่ 1 จังหวัดเพชรบุรี")
    form.get_by_label("กำหนดส่ง").fill("31/03/2570")
    form.get_by_role("button", name="เปิดรอบ").click()
    expect(page.locator("h2")).to_have_text("การตรวจราชการรอบที่ 1 จังหวัดเพชรบุรี")
    offices = page.locator("#round-offices")
    expect(offices.locator("tr", has_text="สพป.เพชรบุรี เขต 1")).to_contain_text("ยังไม่ส่ง")
    round_url = page.url

    # The office writes its report and submits it.
    office_page = browser.new_context(locale="th-TH", timezone_id="Asia/Bangkok").new_page()
    login(office_page, live_server, "officer", PASSWORD)
    office_page.get_by_role("link", name="รายงาน·KPI").click()
    office_page.get_by_role("link", name="รายงานผลการตรวจราชการ").click()
    office_page.get_by_role("button", name="สร้าง/เปิดรายงาน").click()
    expect(office_page.locator("#report-status")).to_have_text("ร่าง")
    expect(office_page.locator("#submission")).to_contain_text("การตรวจราชการรอบที่ 1 จังหวัดเพชรบุรี")
    point = office_page.locator("article").first
    point.get_by_label("ปัจจัยขับเคลื่อนสู่ความสำเร็จ").fill("ผู้บริหารติดตามอย่างต่อเนื่อง")
    point.get_by_role("button", name="บันทึก", exact=True).click()
    office_page.locator("#submit-report").click()
    expect(office_page.locator("#report-status")).to_have_text("ส่งแล้ว")
    expect(office_page.locator("article").first.locator("textarea")).to_have_count(0)

    # The province reads what was sent and returns it with a comment.
    page.goto(round_url)
    expect(offices.locator("tr", has_text="สพป.เพชรบุรี เขต 1")).to_contain_text("ส่งแล้ว")
    expect(offices.locator("tr", has_text="สพป.เพชรบุรี เขต 2")).to_contain_text("ยังไม่ส่ง")
    page.get_by_role("link", name="เปิดดูรายงานที่ส่ง").click()
    expect(page.locator("body")).to_contain_text("ผู้บริหารติดตามอย่างต่อเนื่อง")
    review = page.locator("#review")
    review.get_by_label("ความเห็นถึงหน่วยงาน").fill("ขอให้เพิ่มจำนวนครูที่ได้รับการพัฒนา")
    page.once("dialog", lambda dialog: dialog.accept())  # returning asks for confirmation
    review.get_by_role("button", name="ส่งกลับแก้ไข").click()
    expect(offices.locator("tr", has_text="สพป.เพชรบุรี เขต 1")).to_contain_text("ส่งกลับแก้ไข")

    # The office sees the comment, corrects and sends again.
    office_page.reload()
    expect(office_page.locator("#report-status")).to_have_text("ส่งกลับแก้ไข")
    expect(office_page.locator("#province-comment")).to_contain_text("เพิ่มจำนวนครูที่ได้รับการพัฒนา")
    point = office_page.locator("article").first
    point.get_by_label("ปัจจัยขับเคลื่อนสู่ความสำเร็จ").fill("ครูได้รับการพัฒนา 120 คน")
    point.get_by_role("button", name="บันทึก", exact=True).click()
    office_page.locator("#submit-report").click()
    expect(office_page.locator(".flash").first).to_contain_text("ฉบับที่ 2")

    # The province accepts it, writes its summary of the first focus point and exports.
    page.goto(round_url)
    page.get_by_role("link", name="เปิดดูรายงานที่ส่ง").click()
    expect(page.locator("body")).to_contain_text("ครูได้รับการพัฒนา 120 คน")
    page.locator("#review").get_by_role("button", name="รับรายงาน").click()
    expect(offices.locator("tr", has_text="สพป.เพชรบุรี เขต 1")).to_contain_text("รับแล้ว")
    summary = page.locator("article").first
    summary.get_by_label("สรุปภาพรวมระดับจังหวัด").fill("ภาพรวมของจังหวัดเพชรบุรี")
    summary.get_by_role("button", name="บันทึกจุดเน้นที่").click()
    expect(page.locator(".flash").first).to_contain_text("บันทึกสรุประดับจังหวัด")
    with page.expect_download() as info:
        page.locator("#round-docx").click()
    doc = Document(io.BytesIO(open(info.value.path(), "rb").read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "สำนักงานศึกษาธิการจังหวัดเพชรบุรี" in text
    assert "ภาพรวมของจังหวัดเพชรบุรี" in text
    assert "สพป.เพชรบุรี เขต ๑\nครูได้รับการพัฒนา ๑๒๐ คน" in text
    assert "เขต ๒" not in text  # it never submitted
