"""The officer imports a workshop's Google Forms post-test and satisfaction answers from the
session's page: says which test the "คะแนน" column is, sees the preview, applies, and the
evaluation report counts the answers."""

import datetime as dt
import os
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from krupd.testing import make_office, make_person, make_school
from training.actions import survey_items_for
from training.models import Course, Enrolment, EnrolmentStatus, Session

PASSWORD = "krupd-browser-test"
PHONE = {"width": 390, "height": 844}


def _shot(page, name: str) -> None:
    """Screenshots for looking at the pages by eye, when KRUPD_SHOTS names a directory."""
    folder = os.environ.get("KRUPD_SHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def _google_form_csv(tmp_path, people, items) -> str:
    header = ["ประทับเวลา", "ที่อยู่อีเมล", "คะแนน", "ชื่อ - นามสกุล"]
    header += [f"ความพึงพอใจ [{item.text}]" for item in items] + ["ข้อเสนอแนะอื่นๆ"]
    lines = [",".join(header)]
    for n, person in enumerate(people):
        answers = ["5", "มากที่สุด", "4", "มาก", "5 - มากที่สุด"][: len(items)]
        row = [f"12/1/2026, 16:0{n}:00", f"p{n}@example.com", f"{7 + n} / 10", person.full_name]
        lines.append(",".join(f'"{c}"' for c in [*row, *answers, "ได้ความรู้มาก"]))
    lines.append('"รวม 3 คน",,,,,,,,,')
    path = tmp_path / "แบบทดสอบหลังเรียน (การตอบกลับ).csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.browser
def test_officer_imports_a_google_form_into_a_session(page, live_server, login, tmp_path):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    User.objects.create_user(
        username="officer", password=PASSWORD, role=Role.DEVELOPMENT_OFFICER, office=office
    )
    course = Course.objects.create(
        office=office, title="การจัดการเรียนรู้เชิงรุก", mode="workshop", hours=Decimal("6"),
        fiscal_year=2569,
    )  # fmt: skip
    session = Session.objects.create(
        course=course, name="รุ่นที่ 1", start_date=dt.date(2026, 1, 12),
        end_date=dt.date(2026, 1, 12), capacity=30, hours_per_day=Decimal("6"),
    )  # fmt: skip
    names = [("กุ้งนภา", "ปั้นน้ำใจ"), ("สมชาย", "รักเรียน"), ("มานี", "มีนา")]
    people = [
        make_person(office, school, first_name=first, last_name=last) for first, last in names
    ]
    for person in people:
        Enrolment.objects.create(
            course=course, session=session, person=person, status=EnrolmentStatus.ENROLLED,
            source="office",
        )  # fmt: skip
    items = survey_items_for(office)

    login(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/training/sessions/{session.pk}/")
    page.get_by_role("button", name="นำเข้าคะแนน/แบบประเมินจากไฟล์").click()
    _shot(page, "session-upload")
    page.set_input_files("input[type=file]", _google_form_csv(tmp_path, people, items))
    page.get_by_role("button", name="อัปโหลดและตรวจสอบ").click()

    # One "คะแนน" column: the officer says it is the post-test.
    expect(page.locator("body")).to_contain_text("เป็นคะแนนก่อนเรียนหรือหลังเรียน", timeout=30_000)
    page.get_by_role("button", name="จับคู่คอลัมน์").click()
    page.get_by_label("คอลัมน์ คะแนน", exact=True).select_option("post_score")
    _shot(page, "session-mapping")
    page.get_by_role("button", name="บันทึกและตรวจสอบ").click()
    expect(page.get_by_role("button", name="ยืนยันนำเข้า")).to_be_enabled(timeout=30_000)
    expect(page.locator("body")).to_contain_text("ข้ามแถวสรุปหรือหมายเหตุ 1 แถว")
    _shot(page, "session-preview")
    page.set_viewport_size(PHONE)
    _shot(page, "session-preview-phone")
    page.get_by_role("button", name="ยืนยันนำเข้า").click()
    expect(page.locator("body")).to_contain_text("นำเข้าแล้ว", timeout=30_000)

    page.goto(f"{live_server.url}/training/courses/{course.pk}/evaluation/")
    expect(page.locator("body")).to_contain_text(items[0].text)
    expect(page.locator("body")).to_contain_text("ได้ความรู้มาก")
    assert Enrolment.objects.filter(session=session, post_score_pct__isnull=False).count() == 3
