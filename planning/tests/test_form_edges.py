"""What an office types into the plan and project forms: Thai digits, thousands commas, "บาท"
after an amount, a year in CE, a negative amount, a blank name. Each is read as meant or
refused with a Thai message that names the field, and nothing is half-written."""

import io
from decimal import Decimal

import pytest
from docx import Document

from accounts.roles import Role
from planning.models import BudgetLine, Plan, Project

pytestmark = pytest.mark.django_db
OFFICER = Role.DEVELOPMENT_OFFICER


@pytest.fixture
def plan(office):
    return Plan.objects.create(office=office, kind="annual", title="แผนปฏิบัติการ 2569",
                               fiscal_year=2569, end_year=2569)  # fmt: skip


def project_post(**over) -> dict:
    data = {
        "number": "1", "name": "อบรมครูผู้ช่วย", "rationale": "", "objectives": "",
        "target_groups": "ครูผู้ช่วย", "target_count": "๔๐", "expected_results": "", "owner": "",
        "act-TOTAL_FORMS": "0", "act-INITIAL_FORMS": "0",
        "bud-TOTAL_FORMS": "1", "bud-INITIAL_FORMS": "0",
        "bud-0-item": "ค่าอาหาร", "bud-0-amount": "12,500 บาท", "bud-0-source": "งบพัฒนาบุคลากร",
        "bud-0-actual": "",
        "kpi-TOTAL_FORMS": "0", "kpi-INITIAL_FORMS": "0",
    }  # fmt: skip
    data.update(over)
    return data


def post_project(client, plan, **over):
    return client.post(f"/planning/plans/{plan.pk}/projects/new/", project_post(**over))


@pytest.mark.parametrize("typed", ["12,500 บาท", "๑๒,๕๐๐", "12500.00 บาท", "฿12,500", "12,500บาท"])
def test_an_amount_is_read_as_typed_with_commas_thai_digits_and_baht(client_for, plan, typed):
    response = post_project(client_for(OFFICER), plan, **{"bud-0-amount": typed})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert BudgetLine.objects.get(project__plan=plan).amount == Decimal("12500")


@pytest.mark.parametrize("field", ["bud-0-amount", "bud-0-actual"])
def test_a_negative_amount_is_refused_naming_the_field_and_nothing_is_saved(
    client_for, plan, field
):
    response = post_project(client_for(OFFICER), plan, **{field: "-500"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "ต้องไม่ติดลบ" in page
    assert not Project.objects.filter(plan=plan).exists()
    assert not BudgetLine.objects.exists()


def test_a_word_for_an_amount_is_refused_in_thai(client_for, plan):
    response = post_project(client_for(OFFICER), plan, **{"bud-0-amount": "หนึ่งหมื่น"})
    assert response.status_code == 200
    assert "งบประมาณ (บาท)" in response.content.decode()
    assert "กรุณากรอกตัวเลข" in response.content.decode()
    assert not Project.objects.exists()


def test_a_plan_year_typed_in_ce_is_stored_in_be(client_for, office):
    response = client_for(OFFICER).post("/planning/plans/new/", {
        "kind": "hr3y", "title": "แผนพัฒนาทรัพยากรบุคคล 3 ปี", "fiscal_year": "2026",
        "end_year": "๒๕๗๑", "introduction": "",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = Plan.objects.get(title="แผนพัฒนาทรัพยากรบุคคล 3 ปี")
    assert (plan.fiscal_year, plan.end_year) == (2569, 2571)


def test_a_project_without_activities_budget_or_kpis_says_so_in_the_plan(client_for, plan):
    Project.objects.create(plan=plan, number=1, name="โครงการยังไม่ได้วางกิจกรรม")
    response = client_for(OFFICER).get(f"/planning/plans/{plan.pk}/docx/")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "ยังไม่ได้กำหนดกิจกรรม" in text
    assert "ยังไม่ได้กำหนดงบประมาณ" in text
    assert "ยังไม่ได้กำหนดตัวชี้วัด" in text
    # No table is left with a header row and nothing under it.
    assert all(len(t.rows) > 1 for t in doc.tables)


def test_an_activity_with_one_date_shows_that_day_without_a_dangling_dash(client_for, plan):
    import datetime as dt

    from planning.models import Activity

    project = Project.objects.create(plan=plan, number=1, name="อบรมครูผู้ช่วย")
    Activity.objects.create(project=project, name="ปฐมนิเทศ", starts=dt.date(2025, 11, 1))
    Activity.objects.create(project=project, name="ติดตามผล", starts=dt.date(2026, 2, 2),
                            ends=dt.date(2026, 2, 3))  # fmt: skip
    response = client_for(OFFICER).get(f"/planning/plans/{plan.pk}/docx/")
    doc = Document(io.BytesIO(response.content))
    periods = [row.cells[3].text for t in doc.tables for row in t.rows[1:]
               if len(row.cells) == 5 and row.cells[1].text in ("ปฐมนิเทศ", "ติดตามผล")]  # fmt: skip
    assert periods == ["1 พ.ย. 2568", "2 ก.พ. 2569 – 3 ก.พ. 2569"]


def test_the_plans_needs_table_says_which_list_each_rank_belongs_to(plan):
    """Competencies and topics are ranked apart, each from 1: without a column naming the
    list, the plan's table read "1 … 5, 1 … 3" as one broken ranking."""
    from types import SimpleNamespace

    from planning.exports import plan_docx
    from planning.queries import NeedCoverage

    def stat(rank, code, name, pni):
        return SimpleNamespace(rank=rank, code=code, name=name, pni_label=pni)

    coverage = [
        NeedCoverage("competency", stat(1, "C1", "การวัดและประเมินผล", "0.7441"), []),
        NeedCoverage("topic", stat(1, "", "การจัดการเรียนรู้เชิงรุก", "0.9665"), ["โครงการ ก"]),
    ]
    doc = Document(io.BytesIO(plan_docx(plan, alignment=SimpleNamespace(coverage=coverage))))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "ประเภท")
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == [
        ["สมรรถนะ", "1", "C1 การวัดและประเมินผล", "0.7441", "ยังไม่มี"],
        ["หัวข้อ", "1", "การจัดการเรียนรู้เชิงรุก", "0.9665", "โครงการ ก"],
    ]


def test_a_plan_without_frame_needs_or_projects_numbers_its_parts_from_one(client_for, plan):
    client = client_for(OFFICER)
    doc = Document(io.BytesIO(client.get(f"/planning/plans/{plan.pk}/docx/").content))
    text = [p.text for p in doc.paragraphs]
    assert [t for t in text if t.startswith("ส่วนที่")] == ["ส่วนที่ 1 โครงการ/กิจกรรม"]
    assert "ยังไม่มีโครงการในแผนนี้" in text
    results = client.get(f"/planning/plans/{plan.pk}/results/docx/")
    assert results.status_code == 200
    text = [p.text for p in Document(io.BytesIO(results.content)).paragraphs]
    assert "ยังไม่มีโครงการในแผนนี้" in text


def test_the_results_report_names_the_year_once(client_for, plan):
    """A plan titled "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2569" (as the demo's and the plan page
    suggest) gave a results report headed "…ตามแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2569" and,
    three lines under it, "ปีงบประมาณ พ.ศ. 2569" again. A title without the year still has
    the year line."""
    client = client_for(OFFICER)

    def heading() -> list[str]:
        results = client.get(f"/planning/plans/{plan.pk}/results/docx/")
        return [p.text for p in Document(io.BytesIO(results.content)).paragraphs][:4]

    assert heading()[-1] == "ปีงบประมาณ พ.ศ.\u00a02569"  # "แผนปฏิบัติการ 2569"
    plan.title = "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. ๒๕๖๙"
    plan.save()
    text = heading()
    assert text[0] == "รายงานผลการดำเนินงานตามแผนปฏิบัติการประจำปีงบประมาณ พ.ศ.\u00a0๒๕๖๙"
    assert not any(t.startswith("ปีงบประมาณ") for t in text), text


def test_a_frame_ending_before_it_starts_is_refused_naming_the_year(client_for, office):
    from planning.models import StrategicFrame

    response = client_for(Role.OFFICE_ADMIN).post("/planning/strategy/new/", {
        "name": "ยุทธศาสตร์การพัฒนาครู", "start_year": "2570", "end_year": "2566", "vision": "",
        "source": "", "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0",
        "kpis-TOTAL_FORMS": "0", "kpis-INITIAL_FORMS": "0",
    })  # fmt: skip
    assert response.status_code == 200
    assert "ถึงปีงบประมาณต้องไม่ก่อนปีที่เริ่ม" in response.content.decode()
    assert not StrategicFrame.objects.exists()


def test_an_annual_plan_spanning_years_is_refused(client_for, office):
    response = client_for(OFFICER).post("/planning/plans/new/", {
        "kind": "annual", "title": "แผนปฏิบัติการ", "fiscal_year": "2569", "end_year": "2571",
        "introduction": "",
    })  # fmt: skip
    assert response.status_code == 200
    assert "แผนปฏิบัติการประจำปีต้องสิ้นสุดในปีงบประมาณเดียวกับที่เริ่ม" in response.content.decode()
    assert not Plan.objects.exists()


def test_a_project_sent_twice_is_added_once(client_for, plan):
    """The new-project form sent twice (a double click, a reload) added the project twice,
    so the plan counted its budget twice. The second is refused in Thai with the form kept;
    a project that says anything else is still added."""
    client = client_for(OFFICER)
    assert post_project(client, plan).status_code == 302
    again = post_project(client, plan)
    assert again.status_code == 200
    assert "บันทึกไว้แล้ว (ข้อมูลเหมือนกันทุกช่อง)" in again.content.decode()
    assert Project.objects.filter(plan=plan).count() == 1
    assert BudgetLine.objects.filter(project__plan=plan).count() == 1
    assert post_project(client, plan, number="2", name="อบรมครูพี่เลี้ยง").status_code == 302
    assert Project.objects.filter(plan=plan).count() == 2
