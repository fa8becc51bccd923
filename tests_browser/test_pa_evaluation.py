"""The PA committee on a phone: the third evaluator scores the teacher's agreement on the
form, the result is then locked (the form sends her back saying why), the office reopens
her score with a reason, and she corrects it on the same form, prefilled with her marks."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from career import actions
from career.models import PAAgreement, PAEvaluation, PAStatus
from krupd.testing import make_office, make_person, make_school
from tests_browser.helpers import fits_the_phone, phone_page

PASSWORD = "krupd-browser-test"


def _approved_agreement(office, school, teacher, users):
    a = actions.start_agreement(acting_user=users["kru"], person=teacher, fiscal_year=2569)
    for item in a.items.all():
        item.tasks = "ออกแบบการจัดการเรียนรู้เชิงรุก"
        item.save()
    a.challenge_title, a.challenge_method = "การอ่านออกเขียนได้ ป.1", "ฝึกอ่านรายวัน"
    a.save()
    actions.submit_agreement(acting_user=users["kru"], agreement=a)
    actions.decide_agreement(acting_user=users["director"], agreement=a, approve=True)
    seats = [users["ev1"], users["ev2"], users["ev3"]]
    actions.assign_evaluators(acting_user=users["officer"], agreement=a, evaluators=seats)
    ids = list(a.edition.indicators.values_list("pk", flat=True))
    for user in seats[:2]:
        e = PAEvaluation.objects.get(agreement=a, evaluator=user)
        actions.submit_evaluation(acting_user=user, evaluation=e, method=3, quant=3, qual=3,
                                  indicator_levels=dict.fromkeys(ids, 3))  # fmt: skip
    return a


def _score(page, level: str) -> None:
    groups = page.locator("fieldset.levels")
    assert groups.count() == 18  # 15 indicators and the challenge's three
    for i in range(18):
        groups.nth(i).locator(f"input[value='{level}']").check()
    page.get_by_role("button", name="บันทึกผลการประเมิน").click()


@pytest.mark.browser
def test_the_third_evaluator_scores_then_the_office_reopens_her_score(
    browser, live_server, login, db
):
    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่")
    teacher = make_person(office, school, first_name="กุ้งนภา", last_name="ปั้นน้ำใจ")
    make = User.objects.create_user
    users = {
        "kru": make("kru", password=PASSWORD, role=Role.TEACHER, office=office, person=teacher),
        "director": make("director", password=PASSWORD, role=Role.SCHOOL_DIRECTOR,
                         office=office, school=school),
        "officer": make("officer", password=PASSWORD, role=Role.DEVELOPMENT_OFFICER,
                        office=office),
        **{f"ev{i}": make(f"ev{i}", password=PASSWORD, role=Role.SUPERVISOR, office=office,
                          first_name=f"ศน.คนที่{i}") for i in (1, 2, 3)},
    }  # fmt: skip
    a = _approved_agreement(office, school, teacher, users)

    ev3 = phone_page(browser)
    login(ev3, live_server, "ev3", PASSWORD)
    ev3.goto(f"{live_server.url}/career/pa/{a.pk}/evaluate/")
    fits_the_phone(ev3)
    _score(ev3, "2")  # 15 × 2 + 10 + 5 + 5 = 50 %
    expect(ev3.locator(".flash")).to_contain_text("บันทึกผลการประเมินแล้ว: ร้อยละ 50")
    expect(ev3.locator("#pa-status")).to_have_text("ประเมินครบแล้ว")
    expect(ev3.locator("#pa-result")).to_have_text("ไม่ผ่าน")
    expect(ev3.get_by_role("link", name="ประเมิน (ผู้ประเมินคนที่ 3)")).to_have_count(0)
    ev3.goto(f"{live_server.url}/career/pa/{a.pk}/evaluate/")  # locked: back, told why
    expect(ev3.locator(".flash-error")).to_contain_text("ผลการประเมินถูกล็อก")

    office_page = phone_page(browser)
    login(office_page, live_server, "officer", PASSWORD)
    office_page.goto(f"{live_server.url}/career/pa/{a.pk}/")
    office_page.locator("#pa-reopen summary").click()
    office_page.locator("#pa-reopen select[name=seat]").select_option("3")
    office_page.get_by_label("เหตุผลที่เปิดการประเมินอีกครั้ง").fill("กรอกระดับต่ำกว่าบันทึกการประชุมกรรมการ")
    office_page.on("dialog", lambda d: d.accept())
    office_page.get_by_role("button", name="เปิดการประเมินอีกครั้ง").click()
    expect(office_page.locator(".flash")).to_contain_text("เปิดให้ผู้ประเมินคนที่ 3 ประเมินอีกครั้งแล้ว")
    expect(office_page.locator("#pa-status")).to_have_text("ผู้อำนวยการอนุมัติ")

    ev3.goto(f"{live_server.url}/career/pa/{a.pk}/evaluate/")
    expect(ev3.locator("fieldset.levels").first.locator("input[value='2']")).to_be_checked()
    _score(ev3, "3")
    expect(ev3.locator("#pa-result")).to_have_text("ผ่านทั้ง 3 คน")
    assert PAAgreement.objects.get(pk=a.pk).status == PAStatus.EVALUATED
