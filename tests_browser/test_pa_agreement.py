"""The PA agreement (PA 1/ส) on a phone: a teacher writes and sends it, her director sends it
back with a note, she corrects and resends it, the director approves it. Going back to the
form after sending tells her it can no longer change; the director cannot approve her own."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from career.models import PAAgreement, PAStatus
from krupd.lib.thai_dates import fiscal_year
from krupd.testing import make_office, make_person, make_school
from tests_browser.helpers import fits_the_phone, phone_page

PASSWORD = "krupd-browser-test"


@pytest.mark.browser
def test_a_teacher_sends_her_pa_and_the_director_returns_then_approves_it(
    browser, live_server, login, db
):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    teacher = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    boss = make_person(office, school, first_name="สมหมาย", last_name="ใจกว้าง")
    User.objects.create_user(username="kru", password=PASSWORD, role=Role.TEACHER,
                             office=office, person=teacher)  # fmt: skip
    User.objects.create_user(username="director", password=PASSWORD, role=Role.SCHOOL_DIRECTOR,
                             office=office, school=school, person=boss)  # fmt: skip
    fy = fiscal_year(timezone.localdate())

    kru = phone_page(browser)
    login(kru, live_server, "kru", PASSWORD)
    kru.goto(f"{live_server.url}/career/pa/")
    kru.get_by_role("button", name=f"จัดทำข้อตกลงปีงบประมาณ {fy}").click()
    expect(kru.locator("h1")).to_have_text(f"ข้อตกลงในการพัฒนางาน ปีงบประมาณ {fy}")
    fits_the_phone(kru)
    form_url = kru.url
    kru.locator("[name=teaching_hours]").fill("๑๘")  # Thai digits in a number field
    kru.get_by_role("button", name="ส่งให้ผู้อำนวยการพิจารณา").click()
    # Nothing written yet: refused, naming the indicators still without tasks.
    expect(kru.locator(".flash-error")).to_contain_text("ยังไม่ได้กรอกงาน (Tasks) ของตัวชี้วัดที่ 1")
    tasks = kru.locator("textarea[name$='_tasks']")
    assert tasks.count() == 15
    for i in range(15):
        tasks.nth(i).fill(f"งานตัวชี้วัดที่ {i + 1}")
    kru.locator("[name=challenge_title]").fill("การอ่านออกเขียนได้ ป.1")
    kru.locator("[name=challenge_method]").fill("ฝึกอ่านรายวันด้วยนิทาน")
    kru.get_by_role("button", name="ส่งให้ผู้อำนวยการพิจารณา").click()
    expect(kru.locator(".flash")).to_contain_text("ส่งข้อตกลงให้ผู้อำนวยการพิจารณาแล้ว")
    a = PAAgreement.objects.get(person=teacher)
    assert a.status == PAStatus.SUBMITTED and a.teaching_hours == 18

    # Back to the form after sending: told why, nothing changes.
    kru.goto(form_url)
    expect(kru.locator(".flash")).to_contain_text("“เสนอผู้อำนวยการ” แล้ว แก้ไขไม่ได้")

    director = phone_page(browser)
    login(director, live_server, "director", PASSWORD)
    director.goto(f"{live_server.url}/career/pa/{a.pk}/")
    # Part 1 on her phone: an indicator a card, its tasks across the screen under their label
    # (four columns side by side squeezed them to a word a line).
    fits_the_phone(director)
    task = director.locator("#pa-part1 td[data-label='งาน (Tasks)']").first
    expect(task).to_contain_text("งานตัวชี้วัดที่ 1")
    assert task.bounding_box()["width"] >= 300
    director.get_by_label("ความเห็นผู้อำนวยการ").fill("เพิ่มตัวชี้วัดเชิงปริมาณของประเด็นท้าทาย")
    director.on("dialog", lambda d: d.accept())
    director.get_by_role("button", name="ส่งกลับแก้ไข").click()
    expect(director.locator("#pa-status")).to_have_text("ส่งกลับแก้ไข")
    expect(director.locator("dl.facts").first).to_contain_text("เพิ่มตัวชี้วัดเชิงปริมาณ")
    a.refresh_from_db()
    assert a.status == PAStatus.RETURNED

    kru.goto(f"{live_server.url}/career/pa/{a.pk}/")
    kru.get_by_role("button", name="แก้ไข/ส่งข้อตกลง").click()
    expect(kru.locator(".flash-warning")).to_contain_text("เพิ่มตัวชี้วัดเชิงปริมาณ")
    kru.locator("[name=challenge_quant]").fill("นักเรียนร้อยละ ๘๐ อ่านออก")
    kru.get_by_role("button", name="ส่งให้ผู้อำนวยการพิจารณา").click()
    expect(kru.locator(".flash")).to_contain_text("ส่งข้อตกลงให้ผู้อำนวยการพิจารณาแล้ว")

    director.reload()
    director.get_by_role("button", name="อนุมัติข้อตกลง").click()
    expect(director.locator("#pa-status")).to_have_text("ผู้อำนวยการอนุมัติ")
    a.refresh_from_db()
    assert a.status == PAStatus.APPROVED and a.challenge_quant == "นักเรียนร้อยละ ๘๐ อ่านออก"

    # The director's own agreement offers her no decision.
    director.goto(f"{live_server.url}/career/pa/")
    director.get_by_role("button", name=f"จัดทำข้อตกลงปีงบประมาณ {fy}").click()
    own = PAAgreement.objects.get(person=boss)
    PAAgreement.objects.filter(pk=own.pk).update(status=PAStatus.SUBMITTED)
    director.goto(f"{live_server.url}/career/pa/{own.pk}/")
    expect(director.get_by_role("button", name="อนุมัติข้อตกลง")).to_have_count(0)
