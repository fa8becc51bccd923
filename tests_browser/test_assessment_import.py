"""The officer brings the self-assessment answers the office collected in Google Forms into
an assessment round from the round's page: uploads, reads the preview (the topics each
teacher wants developed among it), applies, and the needs analysis (PNI) counts the
answers."""

import datetime as dt
import os

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.testing import make_office, make_person, make_school
from planning.models import Competency, Domain, Framework, Response, Round, Topic

PASSWORD = "krupd-browser-test"
ITEMS = ("การใช้เทคโนโลยีดิจิทัลในการจัดการเรียนรู้", "การออกแบบการเรียนรู้เชิงรุก")
TOPICS = ("การวัดและประเมินผลตามสภาพจริง", "การจัดการเรียนรู้แบบ Active Learning")


def _shot(page, name: str) -> None:
    """Screenshots for looking at the pages by eye, when KRUPD_SHOTS names a directory."""
    folder = os.environ.get("KRUPD_SHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.mark.browser
def test_officer_imports_a_google_forms_self_assessment_into_a_round(
    page, live_server, login, tmp_path
):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    User.objects.create_user(
        username="officer", password=PASSWORD, role=Role.DEVELOPMENT_OFFICER, office=office
    )
    fw = Framework.objects.create(office=office, code="DC", version="2569", name="สมรรถนะดิจิทัล")
    domain = Domain.objects.create(framework=fw, code="1", name="ด้านการใช้", sort_order=1)
    for n, name in enumerate(ITEMS, start=1):
        Competency.objects.create(domain=domain, code=f"1.{n}", name=name, sort_order=n)
    rnd = Round.objects.create(
        office=office, year=2569, name="ประเมินสมรรถนะ 2569", framework=fw,
        opens=dt.date(2026, 7, 1), closes=dt.date(2026, 7, 31), target_types=["teacher"],
    )  # fmt: skip
    for n, name in enumerate(TOPICS, start=1):
        Topic.objects.create(office=office, name=name, sort_order=n)
    people = [
        make_person(office, school, first_name=first, last_name="ใจดี")
        for first in ("กุ้งนภา", "สมชาย")
    ]
    header = ["ประทับเวลา", "เลขประจำตัวประชาชน", "ชื่อ - นามสกุล"]
    header += [f"1.{n} {name} [{side}]" for n, name in enumerate(ITEMS, start=1)
               for side in ("ระดับที่เป็นอยู่", "ระดับที่คาดหวัง")]  # fmt: skip
    header += ["ตอนที่ 2 หัวข้อที่ต้องการพัฒนา (ตอบได้มากกว่า 1 ข้อ)", "รูปแบบการพัฒนาที่ต้องการ"]
    rows = [
        ["12/7/2569, 9:00:00", people[0].national_id, "กุ้งนภา", "1", "1", "1", "1", "", ""],
        ["12/7/2569, 9:05:00", people[1].national_id, "สมชาย", "2", "มากที่สุด", "3", "4",
         f"{TOPICS[1]}, อื่นๆ: การสอนเด็กพิเศษเรียนร่วม", "PLC, อบรม"],
        ["12/7/2569, 10:00:00", people[0].national_id, "กุ้งนภา", "3", "5", "", "",
         TOPICS[0], "e-Training"],
    ]  # fmt: skip
    path = tmp_path / "แบบประเมินสมรรถนะ (การตอบกลับ).csv"
    lines = [",".join(header)] + [",".join(f'"{c}"' for c in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    login(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/planning/rounds/{rnd.pk}/")
    _shot(page, "round-page")
    page.get_by_role("button", name="นำเข้าคำตอบจาก Google Forms").click()
    _shot(page, "round-upload")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="อัปโหลดและตรวจสอบ").click()
    expect(page.get_by_role("button", name="ยืนยันนำเข้า")).to_be_enabled(timeout=30_000)
    expect(page.locator("body")).to_contain_text("ส่งแบบฟอร์มซ้ำ 1 คน")
    # The needs survey's answers are in the preview, by teacher.
    expect(page.locator("body")).to_contain_text(f"{TOPICS[1]}, อื่นๆ: การสอนเด็กพิเศษเรียนร่วม")
    expect(page.locator("body")).to_contain_text(TOPICS[0])
    expect(page.locator("body")).to_contain_text("ความต้องการในการพัฒนา: รูปแบบการพัฒนาที่ต้องการ")
    _shot(page, "round-preview")
    page.get_by_role("button", name="ยืนยันนำเข้า").click()
    expect(page.locator("body")).to_contain_text("นำเข้าแล้ว", timeout=30_000)
    assert Response.objects.filter(round=rnd, source="import").count() == 2
    assert Response.objects.get(person=people[1]).modes == ["workshop", "plc"]
    assert Response.objects.get(person=people[0]).topics.get().topic.name == TOPICS[0]

    page.goto(f"{live_server.url}/planning/rounds/{rnd.pk}/needs/")
    expect(page.locator("body")).to_contain_text(ITEMS[0])
    _shot(page, "round-needs")
