"""The public verification page a certificate's QR opens, on a 390-pixel phone, no login:
a certificate under the office's review says so at the top (it said "✓ … ยังใช้ได้"), and
the page fits the screen."""

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from krupd.testing import make_office, make_person, make_school
from tests_browser.helpers import fits_the_phone, passed_certificate, phone_page

SHOTS = Path(os.environ.get("KRUPD_SCREENSHOTS", "/tmp/krupd-screens"))


@pytest.mark.browser
def test_a_certificate_under_review_says_so_on_a_phone(browser, live_server, db):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ",
                         academic_standing=None, major=None)  # fmt: skip
    passed_certificate(
        person, "ABCDEFGH23", needs_review=True,
        title="การจัดการเรียนรู้เชิงรุก (Active Learning) ที่เน้นการคิดขั้นสูง",
        review_reason="ไม่ผ่าน: เวลาเข้าร่วม 50% ยังไม่ถึงเกณฑ์ 80%",
        review_flagged_at=dt.datetime(2026, 12, 5, 9, 30, tzinfo=ZoneInfo("Asia/Bangkok")),
        signer_name="นายสมชาย ตัวอย่าง",
        signer_title="ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาเพชรบุรี เขต 1",
    )  # fmt: skip

    page = phone_page(browser)
    page.goto(f"{live_server.url}/verify/ABCDEFGH23/")
    verdict = page.locator("#verification")
    expect(verdict).to_contain_text("อยู่ระหว่างการตรวจสอบของสำนักงาน")
    expect(verdict).not_to_contain_text("ยังใช้ได้")
    # Since when, in the Buddhist Era: a flag of yesterday is not one of months ago.
    expect(page.locator("#standing")).to_have_text("อยู่ระหว่างการตรวจสอบ (ตั้งแต่วันที่ 5 ธันวาคม 2569)")
    expect(page.locator("#review-since")).to_have_text("อยู่ระหว่างการตรวจสอบตั้งแต่วันที่ 5 ธันวาคม 2569")
    expect(page.locator("body")).not_to_contain_text("50%")  # the reason is the office's
    fits_the_phone(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "verify-under-review-phone.png"), full_page=True)

    page.goto(f"{live_server.url}/verify/NOSUCHCODE/")
    expect(page.locator("#verification")).to_contain_text("ไม่พบเกียรติบัตรรหัส")
    fits_the_phone(page)
    page.screenshot(path=str(SHOTS / "verify-unknown-phone.png"), full_page=True)
