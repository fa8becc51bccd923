"""The planning cycle in a real browser: a teacher self-assesses and drafts an ID plan, the
director approves it, the officer reads the ranked needs, builds a project for the top need,
and the alignment panel shows that need as covered."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from accounts.models import User
from planning.models import (
    Competency,
    Domain,
    Framework,
    IdPlan,
    Plan,
    Project,
    Round,
    Topic,
)
from registry.models import Office, Person, School

PASSWORD = "krupd-browser-test"


def _person(office, school, first, personnel_type="teacher"):
    serial = Person.objects.count() + 1
    return Person.objects.create(
        office=office, school=school, national_id=f"31000000000{serial:02d}", title="นาง",
        first_name=first, last_name="ทดสอบ", gender="female", personnel_type=personnel_type,
        position="ครู" if personnel_type == "teacher" else "ผู้อำนวยการสถานศึกษา",
    )  # fmt: skip


def _page(browser):
    """Another user's browser (own cookies), with the same short timeout as `page`."""
    context = browser.new_context(locale="th-TH", timezone_id="Asia/Bangkok")
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def cast(db):
    office = Office.objects.create(
        code="7601", name="สพป.เพชรบุรี เขต 1", kind="spp", province="เพชรบุรี"
    )
    school = School.objects.create(
        office=office, obec_code="1076010001", name="โรงเรียนบ้านหนองไผ่", level="primary"
    )
    teacher = _person(office, school, "สมศรี")
    director = _person(office, school, "อรลักษณ์", "director")
    fw = Framework.objects.create(office=office, code="TC", version="1", name="สมรรถนะครู",
                                  scale_labels=["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"])  # fmt: skip
    domain = Domain.objects.create(framework=fw, code="F", name="สมรรถนะประจำสายงาน", sort_order=1)
    weak = Competency.objects.create(
        domain=domain, code="F4", name="การวิจัยเพื่อพัฒนาผู้เรียน", sort_order=1
    )
    Competency.objects.create(domain=domain, code="F1", name="การจัดการเรียนรู้", sort_order=2)
    Topic.objects.create(office=office, name="การวิจัยในชั้นเรียน", competency_code="F4")
    today = dt.date.today()
    rnd = Round.objects.create(office=office, year=2568, framework=fw, name="ประเมินสมรรถนะ 2568",
                               opens=today - dt.timedelta(days=3), closes=today + dt.timedelta(days=3),
                               target_types=["teacher"])  # fmt: skip
    plan = Plan.objects.create(office=office, kind="annual", title="แผนปฏิบัติการ 2569",
                               fiscal_year=2569, end_year=2569, needs_round=rnd)  # fmt: skip
    User.objects.create_user(
        "teacher.b", password=PASSWORD, role="teacher", office=office, person=teacher
    )
    User.objects.create_user("director.b", password=PASSWORD, role="school_director", office=office,
                             school=school, person=director)  # fmt: skip
    User.objects.create_user(
        "officer.b", password=PASSWORD, role="development_officer", office=office
    )
    return {"rnd": rnd, "plan": plan, "weak": weak, "teacher": teacher}


@pytest.mark.browser
def test_it_runs_needs_to_plan_to_alignment(browser, page, live_server, login, cast):
    rnd, plan, weak = cast["rnd"], cast["plan"], cast["weak"]

    # The teacher rates F4 low (2 → 5) and F1 as expected (4 → 4), picks a topic and submits.
    login(page, live_server, "teacher.b", PASSWORD)
    page.goto(f"{live_server.url}/planning/rounds/{rnd.pk}/self/")
    page.get_by_role("radiogroup", name="D F4").get_by_label("2").check()
    page.get_by_role("radiogroup", name="I F4").get_by_label("5").check()
    page.get_by_role("radiogroup", name="D F1").get_by_label("4").check()
    page.get_by_role("radiogroup", name="I F1").get_by_label("4").check()
    page.get_by_label("การวิจัยในชั้นเรียน", exact=True).check()
    page.get_by_label("ชุมชนการเรียนรู้ทางวิชาชีพ (PLC)").check()
    page.get_by_role("button", name="ส่งแบบประเมิน").click()
    expect(page.locator(".flash")).to_contain_text("ส่งแบบประเมินและแบบสำรวจความต้องการแล้ว")

    # … then drafts an ID plan, pre-filled from the largest gap, and sends it to the director.
    page.goto(f"{live_server.url}/planning/id-plans/")
    page.get_by_role("button", name="ID Plan ปี 2568").click()
    expect(page.locator("#id_items-0-title")).to_have_value("การวิจัยในชั้นเรียน")
    page.locator("#id_goal").fill("ทำวิจัยในชั้นเรียนได้ด้วยตนเอง")
    page.get_by_role("button", name="ส่งให้ผู้บริหารพิจารณา").click()
    expect(page.locator("#idp-status")).to_have_text("รอผู้บริหารพิจารณา")

    # The director approves it.
    director = _page(browser)
    login(director, live_server, "director.b", PASSWORD)
    director.goto(f"{live_server.url}/planning/id-plans/school/")
    director.get_by_role("link", name="พิจารณา").click()
    director.get_by_label("ความเห็น").fill("เหมาะสม")
    director.get_by_role("button", name="อนุมัติ").click()
    expect(director.locator(".flash")).to_contain_text("อนุมัติแล้ว")
    assert IdPlan.objects.get(person=cast["teacher"]).status == "approved"

    # The officer sees the ranked needs, F4 first, and builds a project for it.
    officer = _page(browser)
    login(officer, live_server, "officer.b", PASSWORD)
    officer.goto(f"{live_server.url}/planning/rounds/{rnd.pk}/needs/")
    first = officer.locator("#ranked tbody tr").first
    expect(first).to_contain_text("F4 การวิจัยเพื่อพัฒนาผู้เรียน")
    expect(first).to_contain_text("1.5000")
    officer.goto(f"{live_server.url}/planning/plans/{plan.pk}/alignment/")
    expect(officer.locator("#coverage tr.uncovered").first).to_contain_text("F4")
    officer.goto(f"{live_server.url}/planning/plans/{plan.pk}/")
    officer.get_by_role("button", name="เพิ่มโครงการ").click()
    officer.get_by_label("ชื่อโครงการ").fill("โครงการส่งเสริมการวิจัยในชั้นเรียน")
    officer.get_by_label("F4 การวิจัยเพื่อพัฒนาผู้เรียน").check()
    officer.locator("#id_bud-0-item").fill("ค่าตอบแทนวิทยากร")
    officer.locator("#id_bud-0-amount").fill("๑๒,๐๐๐")
    officer.get_by_role("button", name="บันทึกโครงการ").click()
    expect(officer.locator(".flash")).to_contain_text("บันทึกโครงการ")
    assert list(Project.objects.get(plan=plan).competencies.all()) == [weak]

    # The alignment panel now shows the top need as covered.
    officer.get_by_role("button", name="ความสอดคล้องกับความต้องการ").click()
    row = officer.locator("#coverage tr", has_text="F4")
    expect(row).to_contain_text("มีโครงการแล้ว")
    expect(row).to_contain_text("โครงการส่งเสริมการวิจัยในชั้นเรียน")
    expect(officer.locator("body")).to_contain_text("12,000.00")
