"""An office admin imports a competency framework from its page: the first file has mistakes,
the import's page lists them by sheet, row and column and nothing is saved; the corrected
file is imported and opens as the new framework. An officer imports O-NET results on a phone,
and from LibreOffice (.ods) and Excel 97–2003 (.xls) files."""

from decimal import Decimal

from playwright.sync_api import expect

from imports.tests.test_file_imports import framework_workbook, onet_workbook
from krupd.testing import PASSWORD, make_office, make_school, make_user
from planning.models import Framework
from reporting.models import OnetResult


def choose_file(page, content: bytes, name: str) -> None:
    page.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": content}
    )


def test_a_framework_file_with_mistakes_then_corrected(page, live_server, login):
    office = make_office()
    make_user("admin", "office_admin", office)
    login(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server.url}/planning/frameworks/")

    bad = [("D1", "ด้านการสอน", "A", "ออกแบบการเรียนรู้"), ("D1", "ด้านอื่น", "A", "")]
    choose_file(page, framework_workbook(items=bad), "กรอบสมรรถนะ.xlsx")
    page.get_by_role("button", name="ตรวจและนำเข้า").click()
    expect(page.locator("h2")).to_contain_text("นำเข้ากรอบสมรรถนะ")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("นำเข้าไม่ได้ พบปัญหา 3 รายการ")
    expect(page.locator("ol.problems")).to_contain_text("แถว 3 คอลัมน์ C: รหัส A ซ้ำกับแถว 2")
    assert not Framework.objects.exists()

    page.get_by_role("button", name="อัปโหลดไฟล์ใหม่").click()
    expect(page.locator("details.recent-imports")).to_contain_text("นำเข้าไม่ได้ (3 ปัญหา)")
    good = [("D1", "ด้านการสอน", "A", "ออกแบบการเรียนรู้"), ("D1", "ด้านการสอน", "B", "วัดผล")]
    choose_file(page, framework_workbook(items=good), "กรอบสมรรถนะ-แก้ไข.xlsx")
    page.get_by_role("button", name="ตรวจและนำเข้า").click()
    expect(page.get_by_role("status").first).to_contain_text("(2 ข้อ)")
    page.get_by_role("button", name="เปิดกรอบสมรรถนะที่นำเข้า").click()
    expect(page.locator("body")).to_contain_text("วัดผล")
    assert Framework.objects.get().code == "KP"


def test_onet_results_on_a_phone(browser, live_server, login):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    make_user("officer", "development_officer", office)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="th-TH", timezone_id="Asia/Bangkok"
    )
    page = context.new_page()
    login(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/reports/onet/")
    choose_file(page, onet_workbook([(school.obec_code, "คณิตศาสตร์", 2567, 41.5)]), "onet.xlsx")
    page.get_by_role("button", name="ตรวจและนำเข้า").click()
    expect(page.get_by_role("status").first).to_contain_text("เพิ่ม 1 แถว")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the import's page is {width}px wide on a 390px phone"
    assert OnetResult.objects.get().school == school
    context.close()


def test_an_officer_imports_from_libreoffice_and_old_excel(page, live_server, login):
    """O-NET results saved by LibreOffice (.ods) and a personnel sheet saved by Excel 97–2003
    (.xls): each is taken by its page, a percentage mean read as the percentage shown, and
    the rows the file hides named for the officer."""
    from imports.tests.test_older_formats import Percent, ods_bytes, typed_row, xls_bytes
    from imports.tests.test_personnel import HEADER

    office = make_office()
    school = make_school(office, code="1076100101", name="โรงเรียนบ้านหนึ่ง")
    make_user("officer", "development_officer", office)
    login(page, live_server, "officer", PASSWORD)

    page.goto(f"{live_server.url}/reports/onet/")
    expect(page.locator("main")).to_contain_text("OpenDocument (.ods)")
    results = [
        ["ผลการทดสอบ O-NET ปีการศึกษา ๒๕๖๗"],
        ["รหัสสถานศึกษา", "วิชา", "ปีการศึกษา", "คะแนนเฉลี่ย", "ชั้น"],
        [school.obec_code, "คณิตศาสตร์", "๒๕๖๗", Percent(0.4525, "0.00%"), "ป.6"],
        [school.obec_code, "ภาษาไทย", 2567, "๕๐.๒๕", "ป.๖"],
    ]
    choose_file(page, ods_bytes(results, hidden_rows={4}, filtered=True), "ผล O-NET.ods")
    page.get_by_role("button", name="ตรวจและนำเข้า").click()
    status = page.get_by_role("status").first
    expect(status).to_contain_text("เพิ่ม 2 แถว")
    expect(status).to_contain_text("มีแถวที่ถูกซ่อนในไฟล์ 1 แถว")
    assert sorted(OnetResult.objects.values_list("subject", "mean")) == [
        ("คณิตศาสตร์", Decimal("45.25")),
        ("ภาษาไทย", Decimal("50.25")),
    ]

    page.goto(f"{live_server.url}/imports/upload/")
    page.get_by_label("บุคลากร", exact=False).first.check()
    people = [HEADER, typed_row(1, **{"รหัสสถานศึกษา": school.obec_code}),
              typed_row(2, **{"รหัสสถานศึกษา": school.obec_code})]  # fmt: skip
    choose_file(page, xls_bytes(people, hidden_rows={3}), "บุคลากร.xls")
    page.get_by_role("button", name="อัปโหลดและตรวจสอบ").click()
    expect(page.get_by_role("button", name="ยืนยันนำเข้า")).to_be_visible(timeout=30_000)
    expect(page.locator("main")).to_contain_text("มีแถวที่ถูกซ่อนในไฟล์ 1 แถว")
    expect(page.locator("main")).to_contain_text("แถวที่ 3")
