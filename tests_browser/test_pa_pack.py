"""A teacher on her phone builds her PA evidence pack: starts this year's agreement, attaches
a certificate, a PLC log and her award certificate to an indicator, and downloads the ZIP for
the DPA system."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from community import actions as community_actions
from community.models import (
    AwardLevel,
    AwardProgramme,
    AwardResult,
    AwardRound,
    Nomination,
    PLCGroup,
    PLCLevel,
    PLCMeeting,
    ResultOutcome,
    RoundStatus,
)
from krupd.lib.thai_dates import fiscal_year
from krupd.testing import make_office, make_person, make_school
from training import actions as training_actions
from training.models import Course, Enrolment, Session

PASSWORD = "krupd-browser-test"
PHONE = {"width": 390, "height": 844}


def _records(office, school, person, officer) -> None:
    """A course she passed this fiscal year (certificate issued) and a PLC meeting."""
    today = timezone.localdate()
    fy = fiscal_year(today)
    course = Course.objects.create(
        office=office, title="การออกแบบการเรียนรู้เชิงรุก", mode="workshop", hours=Decimal("12"),
        fiscal_year=fy,
    )  # fmt: skip
    session = Session.objects.create(course=course, start_date=today, end_date=today, capacity=5)
    enrolment = Enrolment.objects.create(
        course=course, session=session, person=person, status="enrolled", source="office",
        passed=True, hours_credited=Decimal("12"), completed_on=today, credit_fiscal_year=fy,
    )  # fmt: skip
    training_actions.issue_certificate(acting_user=officer, enrolment=enrolment)
    group = PLCGroup.objects.create(
        office=office, level=PLCLevel.SCHOOL, school=school, name="อ่านคล่อง ป.2",
        topic="อ่านไม่คล่อง", facilitator=person, academic_year=fy - 1,
    )  # fmt: skip
    meeting = PLCMeeting.objects.create(
        group=group, date=today, hours=Decimal("3"), problem="นักเรียนอ่านจับใจความไม่ได้"
    )
    meeting.attendees.set([person])


def _award(office, person, admin) -> None:
    """An award she won at area level, announced today, with its certificate issued."""
    programme = AwardProgramme.objects.create(office=office, name="ครูดีศรีเพชร", organiser="สพป.")
    round_ = AwardRound.objects.create(programme=programme, year=fiscal_year(timezone.localdate()),
                                       title="ครูดีศรีเพชร", status=RoundStatus.CLOSED)  # fmt: skip
    nomination = Nomination.objects.create(round=round_, person=person, school=person.school,
                                           source="office", work_title="นิทานพาอ่าน")  # fmt: skip
    AwardResult.objects.create(nomination=nomination, level=AwardLevel.AREA,
                               outcome=ResultOutcome.WINNER,
                               announced_on=timezone.localdate())  # fmt: skip
    community_actions.issue_award_certificates(acting_user=admin, round_=round_)


@pytest.mark.browser
def test_a_teacher_builds_her_pack_and_downloads_the_zip(browser, live_server, login):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    person = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    officer = User.objects.create_user(
        username="officer", password=PASSWORD, role=Role.DEVELOPMENT_OFFICER, office=office
    )
    User.objects.create_user(
        username="kru", password=PASSWORD, role=Role.TEACHER, office=office, person=person
    )
    _records(office, school, person, officer)
    admin = User.objects.create_user(
        username="admin", password=PASSWORD, role=Role.OFFICE_ADMIN, office=office
    )
    _award(office, person, admin)

    context = browser.new_context(viewport=PHONE, locale="th-TH", timezone_id="Asia/Bangkok",
                                  is_mobile=True, has_touch=True, accept_downloads=True)  # fmt: skip
    page = context.new_page()
    login(page, live_server, "kru", PASSWORD)
    page.get_by_role("button", name="PA และแฟ้มหลักฐานของฉัน").click()
    page.get_by_role("button", name="จัดทำข้อตกลงปีงบประมาณ").click()
    page.goto(page.url.replace("/edit/", "/"))  # the agreement's page
    page.locator("#pa-pack").click()
    expect(page.locator("h1")).to_contain_text("แฟ้มหลักฐาน PA")
    # 12 h course + 3 h PLC; the award is listed but counts no hours.
    expect(page.locator("#ledger-total")).to_have_text("15")

    # Indicator 13 (self-development): the certificate, the PLC log and her award, from her
    # records.
    page.locator("#section-13").get_by_text("แนบหลักฐาน/รายงานผล").click()
    page.get_by_label("การออกแบบการเรียนรู้เชิงรุก").check()
    page.get_by_label("บันทึก PLC อ่านคล่อง ป.2", exact=False).check()
    page.get_by_label("รางวัลครูดีศรีเพชร ระดับเขตพื้นที่", exact=False).check()
    page.get_by_role("button", name="แนบหลักฐานที่เลือก").click()
    expect(page.locator(".flash")).to_contain_text("แนบหลักฐานแล้ว 3 รายการ")
    page.locator("nav[aria-label=breadcrumb]").get_by_text("แฟ้มหลักฐาน PA").click()
    section = page.locator("#section-13")
    expect(section).to_contain_text("การออกแบบการเรียนรู้เชิงรุก")
    expect(section).to_contain_text("บันทึก PLC อ่านคล่อง ป.2")
    expect(section).to_contain_text("รางวัลครูดีศรีเพชร ระดับเขตพื้นที่")
    expect(page.locator("#section-12")).to_contain_text("ยังไม่มีหลักฐาน")

    page.get_by_role("button", name="รวมแฟ้มหลักฐานเป็น ZIP").click()
    link = page.locator("#pack-zip-download")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    names = zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read())).namelist()
    assert names[0] == "00 สารบัญหลักฐาน.pdf"
    folder = [n for n in names if n.startswith("13 ตัวชี้วัดที่ 13/")]
    assert len(folder) == 3 and folder[0].endswith("การออกแบบการเรียนรู้เชิงรุก.pdf")
    assert "รางวัลครูดีศรีเพชร ระดับเขตพื้นที่" in folder[2]
    context.close()
