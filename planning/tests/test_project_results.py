"""A project's results report: figures from the project's courses against the plan's targets
(hand-counted), results the office records against KPIs and budget lines, the written parts,
who may read and write it, and the DOCX in its official order."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document

from accounts.roles import Role
from krupd.testing import make_person
from planning import queries
from planning.models import BudgetLine, Plan, Project, ProjectKpi, ProjectReport
from registry.models import AuditEntry
from training.models import Course, Enrolment, Session

pytestmark = pytest.mark.django_db

OFFICER, DIRECTOR, INSPECTOR = Role.DEVELOPMENT_OFFICER, Role.SCHOOL_DIRECTOR, Role.INSPECTOR
TEACHER = Role.TEACHER


@pytest.fixture
def project(office, school):
    plan = Plan.objects.create(office=office, kind="annual", title="แผนปฏิบัติการ 2569",
                               fiscal_year=2569, end_year=2569, status="approved")  # fmt: skip
    p = Project.objects.create(plan=plan, number=1, name="พัฒนาครูผู้ช่วย",
                               target_groups="ครูผู้ช่วย", target_count=4,
                               objectives="เพื่อพัฒนาสมรรถนะ", owner="นางสาวพัฒนา ครูดี")  # fmt: skip
    ProjectKpi.objects.create(project=p, text="ครูผู้ช่วยผ่านการประเมิน", target=Decimal("100"),
                              unit="ร้อยละ")  # fmt: skip
    BudgetLine.objects.create(project=p, item="ค่าอาหาร", amount=Decimal("20000"))
    people = [make_person(office, school) for _ in range(3)]
    for title, start, who in (("ปฐมนิเทศ", dt.date(2025, 11, 10), people),
                              ("ติดตามผล", dt.date(2026, 2, 2), people[:1])):  # fmt: skip
        course = Course.objects.create(office=office, title=title, mode="workshop",
                                       hours=Decimal("6"), fiscal_year=2569, project=p,
                                       status="finished")  # fmt: skip
        session = Session.objects.create(course=course, start_date=start, end_date=start,
                                         capacity=30, place="ห้องประชุม")  # fmt: skip
        for i, person in enumerate(who):
            ok = i < 2
            Enrolment.objects.create(course=course, session=session, person=person,
                                     status="enrolled", source="office", passed=ok,
                                     result="passed" if ok else "failed")  # fmt: skip
    return p


def test_the_figures_come_from_the_projects_courses_and_targets(project):
    r = queries.project_results(project)
    assert [c.title for c in r.courses] == ["ปฐมนิเทศ", "ติดตามผล"]
    assert [(c.participants, c.passed) for c in r.courses] == [(3, 2), (1, 1)]
    people, passed, kpi, budget = r.lines
    # 3 different people of a target of 4: 75 %, not reached.
    assert (people.target, people.actual, people.reached) == (
        "4 คน",
        "3 คน (ร้อยละ 75.00 ของเป้าหมาย)",
        False,
    )
    assert passed.actual == "2 คน (ร้อยละ 66.67 ของผู้เข้ารับการพัฒนา)"
    assert (kpi.target, kpi.actual, kpi.verdict) == ("ร้อยละ 100", "ยังไม่ได้บันทึกผล", "—")
    assert (budget.target, budget.actual) == ("20,000 บาท", "ยังไม่ได้บันทึกการใช้จ่ายจริง")


def test_a_course_still_running_is_not_counted_as_not_passed(office, school, project):
    from django.utils import timezone

    today = timezone.localdate()
    course = Course.objects.create(office=office, title="ยังไม่จบ", mode="workshop",
                                   hours=Decimal("6"), fiscal_year=2569, project=project)  # fmt: skip
    session = Session.objects.create(course=course, start_date=today, capacity=30,
                                     end_date=today + dt.timedelta(days=2))  # fmt: skip
    for _ in range(9):
        Enrolment.objects.create(course=course, session=session, person=make_person(office, school),
                                 status="enrolled", source="office")  # fmt: skip
    passed = queries.project_results(project).lines[1]
    # 2 of the 3 decided passed; the 9 in the running session are apart, not "not passed".
    assert passed.actual == ("2 คน (ร้อยละ 66.67 ของผู้เข้ารับการพัฒนา) · ยังอยู่ระหว่างการพัฒนาหรือรอผล 9 คน")
    # A project whose only course has not ended yet has no pass rate at all.
    project.courses.exclude(pk=course.pk).update(project=None)
    passed = queries.project_results(project).lines[1]
    assert passed.actual == "ยังไม่มีผู้ที่จบรุ่นและทราบผล · ยังอยู่ระหว่างการพัฒนาหรือรอผล 9 คน"


def test_an_officer_records_results_on_an_approved_plan(client_for, project):
    kpi, line = project.kpis.get(), project.budget_lines.get()
    url = f"/planning/plans/{project.plan_id}/projects/{project.pk}/results/"
    page = client_for(OFFICER).get(url)
    assert page.status_code == 200 and "ครูผู้ช่วยผ่านการประเมิน" in page.content.decode()
    response = client_for(OFFICER).post(url, {
        "summary": "ดำเนินการครบทุกกิจกรรม", "quality_results": "", "success_factors": "",
        "problems": "งบประมาณล่าช้า", "suggestions": "ควรจัดต้นปีงบประมาณ",
        "kpi-TOTAL_FORMS": "1", "kpi-INITIAL_FORMS": "1", "kpi-0-id": kpi.pk,
        "kpi-0-project": project.pk, "kpi-0-actual": "๙๕",
        "spend-TOTAL_FORMS": "1", "spend-INITIAL_FORMS": "1", "spend-0-id": line.pk,
        "spend-0-project": project.pk, "spend-0-actual": "18,500",
    })  # fmt: skip
    assert response.status_code == 302
    kpi.refresh_from_db()
    line.refresh_from_db()
    assert (kpi.actual, line.actual) == (Decimal("95"), Decimal("18500"))
    assert ProjectReport.objects.get(project=project).problems == "งบประมาณล่าช้า"
    assert AuditEntry.objects.filter(object_type="projectreport").exists()
    r = queries.project_results(project)
    assert (r.lines[2].actual, r.lines[2].reached) == ("ร้อยละ 95", False)
    assert r.lines[3].actual == "ใช้จริง 18,500 บาท (ร้อยละ 92.50)"


def test_a_bad_figure_is_refused_with_a_thai_message_and_nothing_saved(client_for, project):
    kpi = project.kpis.get()
    url = f"/planning/plans/{project.plan_id}/projects/{project.pk}/results/"
    response = client_for(OFFICER).post(url, {
        "summary": "สรุป", "kpi-TOTAL_FORMS": "1", "kpi-INITIAL_FORMS": "1", "kpi-0-id": kpi.pk,
        "kpi-0-project": project.pk, "kpi-0-actual": "เก้าสิบ",
        "spend-TOTAL_FORMS": "0", "spend-INITIAL_FORMS": "0",
    })  # fmt: skip
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not ProjectReport.objects.filter(project=project).exists()


@pytest.mark.parametrize("role", [DIRECTOR, INSPECTOR])
def test_readers_see_the_report_but_may_not_write_it(client_for, project, role):
    url = f"/planning/plans/{project.plan_id}/projects/{project.pk}/results/"
    client = client_for(role)
    assert client.get(url).status_code == 200
    assert client.post(url, {"summary": "x"}).status_code == 403
    assert not ProjectReport.objects.filter(project=project).exists()


def test_a_teacher_may_not_open_the_report(client_for, project):
    base = f"/planning/plans/{project.plan_id}"
    client = client_for(TEACHER)
    assert client.get(f"{base}/projects/{project.pk}/results/").status_code == 403
    assert client.get(f"{base}/results/docx/").status_code == 403


def test_the_docx_reports_each_project_in_the_official_order(client_for, project):
    ProjectReport.objects.create(project=project, summary="ดำเนินการครบ", problems="")
    base = f"/planning/plans/{project.plan_id}"
    for url in (f"{base}/projects/{project.pk}/results/docx/", f"{base}/results/docx/"):
        response = client_for(OFFICER).get(url)
        assert response.status_code == 200, url
        doc = Document(io.BytesIO(response.content))
        text = [p.text for p in doc.paragraphs]
        headings = [t for t in text if t[:3].rstrip(". ").isdigit() and t[:1].isdigit()]
        assert [h.split(" ")[0] for h in headings] == [
            "1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "9.", "10.", "11."
        ]  # fmt: skip
        assert "ดำเนินการครบ" in text and "(นางสาวพัฒนา ครูดี)" in text
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        assert "ปฐมนิเทศ" in cells and "10 พ.ย. 2568" in cells and "ไม่บรรลุเป้าหมาย" in cells


def test_a_project_not_started_and_a_zero_budget_read_as_plain_thai(project):
    """No course yet: "not carried out yet", not "0 คน (ร้อยละ 0.00 ของเป้าหมาย)". Spending on
    a budget of 0 baht: the amount alone, not "ใช้จริง 500 บาท ()"."""
    project.courses.update(project=None)
    project.budget_lines.update(amount=Decimal("0"), actual=Decimal("500"))
    people, kpi, budget = queries.project_results(project).lines
    assert (people.actual, people.verdict) == ("ยังไม่ได้ดำเนินการ", "—")
    assert budget.actual == "ใช้จริง 500 บาท"


@pytest.mark.parametrize(
    "value, unit, text",
    [(Decimal("80"), "ร้อยละ", "ร้อยละ 80"), (Decimal("80.50"), "ร้อยละ (ไม่น้อยกว่า)",
      "ร้อยละ 80.5 (ไม่น้อยกว่า)"), (Decimal("1200"), "คน", "1,200 คน"),
     (Decimal("3"), "", "3")],
)  # fmt: skip
def test_a_figure_is_written_with_its_unit_in_thai_order(value, unit, text):
    assert queries.with_unit(value, unit) == text


def test_the_plan_and_its_results_repeat_each_tables_header_on_every_page(client_for, project):
    """A plan's tables (projects, budget, indicators) and its results report ran onto the
    next page under no header: Word and LibreOffice repeat a row marked w:tblHeader."""
    from docx.oxml.ns import qn

    base = f"/planning/plans/{project.plan_id}"
    for url in (f"{base}/docx/", f"{base}/results/docx/",
                f"{base}/projects/{project.pk}/results/docx/"):  # fmt: skip
        doc = Document(io.BytesIO(client_for(OFFICER).get(url).content))
        assert doc.tables, url
        for table in doc.tables:
            header = table.rows[0]._tr.trPr
            assert header is not None and header.find(qn("w:tblHeader")) is not None, url
