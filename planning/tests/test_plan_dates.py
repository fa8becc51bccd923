"""Dates that belong to a period: a plan's years as long as its kind allows, a strategy frame
at most the national strategy's 20 years, a needs round opening in its academic year (or the
one before, to plan it) and open at most a year, a project's activities within its plan's
fiscal years. Each refusal names the field and the allowed range in Thai."""

import pytest

from accounts.roles import Role
from planning.models import Activity, Plan, Round, StrategicFrame

from .test_form_edges import post_project

pytestmark = pytest.mark.django_db
OFFICER, ADMIN = Role.DEVELOPMENT_OFFICER, Role.OFFICE_ADMIN


def post_plan(client, **over):
    data = {"kind": "hr3y", "title": "แผนพัฒนาทรัพยากรบุคคล", "fiscal_year": "2569",
            "end_year": "2571", "introduction": ""}  # fmt: skip
    return client.post("/planning/plans/new/", {**data, **over})


@pytest.mark.parametrize("end", ["2599", "2026 ", "2572"])
def test_a_three_year_plan_spanning_more_is_refused_naming_the_range(client_for, office, end):
    """2599 (30 years), 2026 (CE for 2569 … read as 2569: fine) and 2572 (4 years)."""
    response = post_plan(client_for(OFFICER), end_year=end)
    if end.strip() == "2026":
        assert response.status_code == 302
        assert Plan.objects.get().end_year == 2569
        return
    assert response.status_code == 200
    page = response.content.decode()
    assert "แผนพัฒนาทรัพยากรบุคคล 3 ปี ครอบคลุมได้ไม่เกิน 3 ปีงบประมาณ" in page
    assert "(เริ่ม 2569 ถึงได้ไม่เกิน 2571)" in page
    assert not Plan.objects.exists()


def test_a_three_year_plan_of_three_years_is_taken(client_for, office):
    assert post_plan(client_for(OFFICER), end_year="๒๕๗๑").status_code == 302
    assert Plan.objects.get().end_year == 2571


def frame_post(**over):
    data = {"name": "ยุทธศาสตร์", "start_year": "2566", "end_year": "2570", "vision": "",
            "source": "", "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0",
            "kpis-TOTAL_FORMS": "0", "kpis-INITIAL_FORMS": "0"}  # fmt: skip
    return {**data, **over}


def test_a_frame_of_the_national_strategys_twenty_years_is_taken_a_longer_one_refused(
    client_for, office
):
    client = client_for(ADMIN)
    assert client.post("/planning/strategy/new/", frame_post(start_year="2561",
                                                              end_year="2580")).status_code == 302  # fmt: skip
    response = client.post("/planning/strategy/new/", frame_post(start_year="2561",
                                                                 end_year="2591"))  # fmt: skip
    assert response.status_code == 200
    assert "กรอบยุทธศาสตร์ครอบคลุมได้ไม่เกิน 20 ปีงบประมาณ (เริ่ม 2561 ถึงได้ไม่เกิน 2580)" in (
        response.content.decode()
    )
    assert StrategicFrame.objects.count() == 1


def round_post(fw, **over):
    data = {"name": "สำรวจความต้องการ", "year": "2569", "framework": fw.pk,
            "opens": "01/11/2568", "closes": "30/11/2568", "target_types": ["teacher"]}  # fmt: skip
    return {**data, **over}


@pytest.mark.parametrize(
    ("opens", "closes", "field_text"),
    [
        ("01/11/2568", "30/11/2570", "รอบสำรวจหนึ่งรอบเปิดรับได้ไม่เกินหนึ่งปี"),
        ("01/11/2568", "30/10/2568", "วันปิดรับต้องไม่ก่อนวันเปิดรับ"),
    ],
)
def test_a_needs_round_open_too_long_or_backwards_is_refused(
    client_for, office, fw, opens, closes, field_text
):
    response = client_for(OFFICER).post(
        "/planning/rounds/new/", round_post(fw, opens=opens, closes=closes)
    )
    assert response.status_code == 200
    assert field_text in response.content.decode()
    assert not Round.objects.exists()


# A round opened in another year than its own is taken: an office may survey late, or a test
# of the form may be dated otherwise; only an impossible span is refused.
@pytest.mark.parametrize(
    "opens", ["01/11/2568", "16/05/2568", "๑๕/๐๕/๒๕๗๐", "1/11/2025", "01/06/2565", "01/06/2570"]
)
def test_a_needs_round_of_any_opening_day_is_taken(client_for, office, fw, opens):
    from krupd.forms import ThaiDateField

    closes = ThaiDateField().clean(opens)
    response = client_for(OFFICER).post(
        "/planning/rounds/new/", round_post(fw, opens=opens, closes=closes.strftime("%d/%m/") +
                                            str(closes.year + 543))
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Round.objects.count() == 1


@pytest.fixture
def plan(office):
    return Plan.objects.create(office=office, kind="annual", title="แผนปฏิบัติการ 2569",
                               fiscal_year=2569, end_year=2569)  # fmt: skip


def activity(**over):
    data = {"act-TOTAL_FORMS": "1", "act-INITIAL_FORMS": "0", "act-0-name": "อบรม",
            "act-0-mode": "", "act-0-starts": "01/10/2568", "act-0-ends": "30/09/2569",
            "act-0-participants": ""}  # fmt: skip
    return {**data, **{f"act-0-{k}": v for k, v in over.items()}}


@pytest.mark.parametrize(
    ("starts", "ends", "text"),
    [
        ("01/06/2026", "01/03/2569", "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"),
    ],
)
def test_an_activity_ending_before_it_starts_is_refused(client_for, plan, starts, ends, text):
    response = post_project(client_for(OFFICER), plan, **activity(starts=starts, ends=ends))
    page = response.content.decode()
    assert response.status_code == 200
    assert text in page
    assert not Activity.objects.exists()


# An activity dated outside its plan's fiscal year is taken (carried over, or begun early).
@pytest.mark.parametrize(
    ("starts", "ends"), [("1/10/2025", "๓๐/๐๙/๒๕๖๙"), ("30/09/2568", "10/10/2569")]
)
def test_an_activity_of_its_plan_or_a_neighbouring_year_is_taken(client_for, plan, starts, ends):
    response = post_project(client_for(OFFICER), plan, **activity(starts=starts, ends=ends))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Activity.objects.get().ends.year == 2026


def test_a_needs_round_sent_twice_is_opened_once(client_for, office, fw):
    """The new-round form sent twice (a double click, a reload) opened two of one round:
    its targets were told twice and asked to answer both."""
    client = client_for(OFFICER)
    assert client.post("/planning/rounds/new/", round_post(fw)).status_code == 302
    again = client.post("/planning/rounds/new/", round_post(fw))
    assert again.status_code == 200
    assert "บันทึกไว้แล้ว (ข้อมูลเหมือนกันทุกช่อง)" in again.content.decode()
    assert Round.objects.count() == 1
