"""Every page and endpoint with an allowed and a refused role; documents opened and read."""

import io
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from accounts.roles import Role
from krupd.testing import make_person
from reporting import actions
from reporting.models import InspectionReport, SarEdition
from reporting.tests.helpers import course, onet_sheet, passed

ADMIN, OFFICER, SUPERVISOR = Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR
DIRECTOR, TEACHER, INSPECTOR = Role.SCHOOL_DIRECTOR, Role.TEACHER, Role.INSPECTOR
FY = 2569


@pytest.fixture
def sar(users):
    edition = SarEdition.objects.get(code="esa-2555")
    return actions.start_sar(acting_user=users[OFFICER], edition=edition, fiscal_year=FY)


@pytest.fixture
def inspection(users):
    return actions.start_inspection(acting_user=users[OFFICER], fiscal_year=FY)


@pytest.mark.parametrize(
    ("url", "allowed", "refused"),
    [
        ("/reports/", [OFFICER, DIRECTOR, INSPECTOR, SUPERVISOR], [TEACHER]),
        ("/reports/targets/", [ADMIN, INSPECTOR], [TEACHER]),
        ("/reports/onet/", [OFFICER, ADMIN], [INSPECTOR, DIRECTOR]),
        ("/reports/sar/", [OFFICER, INSPECTOR, SUPERVISOR], [DIRECTOR, TEACHER]),
        ("/reports/inspection/", [OFFICER, INSPECTOR], [DIRECTOR, TEACHER]),
        ("/reports/summaries/", [OFFICER, INSPECTOR], [DIRECTOR, TEACHER]),
        ("/reports/summaries/staffing/xlsx/", [OFFICER], [DIRECTOR, TEACHER]),
        ("/api/reporting/kpis", [OFFICER, DIRECTOR], [TEACHER]),
    ],
)
def test_it_allows_and_refuses_pages_by_role(client_for, url, allowed, refused):
    for role in allowed:
        assert client_for(role).get(url).status_code == 200, (role, url)
    for role in refused:
        assert client_for(role).get(url).status_code == 403, (role, url)


def test_it_scopes_documents_to_the_office(client_for, sar, inspection, other_office):
    from accounts.models import User

    stranger = User.objects.create_user("o2", password="x", role=OFFICER, office=other_office)
    client = client_for(OFFICER)
    client.force_login(stranger)
    assert client.get(f"/reports/sar/{sar.pk}/").status_code == 404
    assert client.get(f"/reports/inspection/{inspection.pk}/docx/").status_code == 404
    assert client_for(DIRECTOR).get(f"/reports/sar/{sar.pk}/export/docx/").status_code == 403
    assert client_for(INSPECTOR).get(f"/reports/sar/{sar.pk}/").status_code == 200


def test_it_shows_the_dashboard_with_drill_down(client_for, office, school, network):
    c = course(office, fy=FY, title="การใช้เทคโนโลยีดิจิทัล")
    passed(c, make_person(office, school))
    page = client_for(OFFICER).get(f"/reports/?fy={FY}")
    html = page.content.decode()
    assert "ครูที่ได้รับการพัฒนาทางวิชาชีพ" in html and network.name in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    # Each status colour says what it means: 6 % growth against a 10 % target is "near".
    assert "ใกล้เป้าหมาย (ไม่ต่ำกว่าร้อยละ 90 ของเป้าหมาย; ตัวชี้วัดแบบเพิ่มขึ้นต่อปี: เพิ่มขึ้นแต่" in html
    school_page = client_for(OFFICER).get(f"/reports/?fy={FY}&school={school.pk}")
    assert school.name in school_page.content.decode()
    assert client_for(OFFICER).get("/reports/?school=999999").status_code == 404
    api = client_for(OFFICER).get(f"/api/reporting/kpis?fy={FY}&network={network.pk}").json()
    assert api["scope"] == "network" and len(api["kpis"]) == 8


def test_the_dashboard_prints_no_zero_denominator_and_counts_as_whole_numbers(client_for, office):
    """A KPI with nobody to count says "no data" without "0 จาก 0 คน"; a count of activities
    is a whole number ("กิจกรรมปีนี้ 2"), not "2.00"."""
    from django.utils import timezone

    from community.models import JointActivity, Partner, PartnerKind
    from reporting.models import KpiTarget

    KpiTarget.objects.filter(office=None, code="partnerships").update(kind="growth")
    today = timezone.localdate()
    partner = Partner.objects.create(
        office=office, name="บริษัทเพื่อการศึกษา", kind=PartnerKind.choices[0][0], since=today
    )
    for _ in range(2):
        JointActivity.objects.create(office=office, partner=partner, date=today, title="กิจกรรม")
    html = client_for(OFFICER).get("/reports/").content.decode()
    assert "0 จาก 0 คน" not in html
    assert "กิจกรรมปีนี้ 2 " in html and "กิจกรรมปีนี้ 2.00" not in html


def test_it_imports_onet_through_the_page(client_for, school):
    sheet = onet_sheet([(school.obec_code, "คณิตศาสตร์", 2567, 41)])
    upload = io.BytesIO(sheet)
    upload.name = "onet.xlsx"
    page = client_for(OFFICER).post("/reports/onet/", {"file": upload}, follow=True)
    assert "เพิ่ม 1 แถว" in page.content.decode()
    bad = io.BytesIO(onet_sheet([("123", "คณิตศาสตร์", 2567, 41)]))
    bad.name = "bad.xlsx"
    page = client_for(OFFICER).post("/reports/onet/", {"file": bad}, follow=True)
    assert "แถวที่ 3: ไม่พบรหัสสถานศึกษา 123" in page.content.decode()
    assert "ไม่มีข้อมูลใดถูกบันทึกลงระบบ" in page.content.decode()


def test_it_saves_targets_only_for_editors(client_for, office):
    assert (
        client_for(INSPECTOR)
        .post("/reports/targets/", {"code": "teachers-developed", "target": "85"})
        .status_code
        == 403
    )
    client_for(OFFICER).post("/reports/targets/", {"code": "teachers-developed", "target": "๘๕"})
    assert office.kpi_targets.get(code="teachers-developed").target == Decimal("85")


@pytest.mark.parametrize(
    "typed, stored",
    [("ร้อยละ 90", Decimal("90")), ("92.5%", Decimal("92.5")), ("๙๕", Decimal("95"))],
)
def test_a_target_is_read_with_its_percent_sign_or_word(client_for, office, typed, stored):
    client_for(OFFICER).post("/reports/targets/", {"code": "teachers-developed", "target": typed})
    assert office.kpi_targets.get(code="teachers-developed").target == stored


@pytest.mark.parametrize(
    "typed, message",
    [("nan", "เป้าหมายต้องเป็นตัวเลข"), ("Infinity", "เป้าหมายต้องเป็นตัวเลข"),
     ("แปดสิบ", "เป้าหมายต้องเป็นตัวเลข"), ("5000", "เป้าหมายต้องอยู่ระหว่าง -100 ถึง 1,000")],
)  # fmt: skip
def test_a_target_that_is_no_figure_is_refused_in_thai(client_for, office, typed, message):
    page = client_for(OFFICER).post(
        "/reports/targets/", {"code": "teachers-developed", "target": typed}, follow=True
    )
    assert page.status_code == 200 and message in page.content.decode()
    assert not office.kpi_targets.filter(code="teachers-developed").exists()


def _docx_text(data: bytes) -> tuple[Document, str]:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return doc, "\n".join(parts)


def test_it_edits_the_sar_and_exports_it_in_seed_003_layout(client_for, sar, office, school):
    c = course(office, fy=FY, title="การจัดการเรียนรู้เชิงรุก")
    passed(c, make_person(office, school))
    entry = sar.entries.get(item__number="1", item__indicator__number="2")
    client = client_for(OFFICER)
    assert client.get(f"/reports/sar/{sar.pk}/").status_code == 200
    response = client.post(
        f"/reports/sar/{sar.pk}/entries/{entry.pk}/",
        {"officer_level": "3", "success_factors": "การสนับสนุนของผู้บริหารหน่วยงาน",
         "problems": "", "points_to_develop": "", "guidelines": "พัฒนาระบบข้อมูล",
         "office_data": "", "extra_evidence": "คำสั่งแต่งตั้งคณะทำงาน"},
    )  # fmt: skip
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.officer_level == 3 and entry.updated_by.username == "officer1"
    assert (
        client_for(INSPECTOR).post(f"/reports/sar/{sar.pk}/entries/{entry.pk}/", {}).status_code
        == 403
    )

    data = client.get(f"/reports/sar/{sar.pk}/export/docx/?digits=thai").content
    doc, text = _docx_text(data)
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 29.7 and round(section.page_height.cm, 1) == 21.0
    table = doc.tables[0]
    assert len(table.columns) == 5
    assert table.rows[0].cells[0].text == "ระดับคุณภาพ"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert "การสนับสนุนของผู้บริหารหน่วยงาน" in text and "คำสั่งแต่งตั้งคณะทำงาน" in text
    assert "☑ ระดับ ๓" in text  # the officer's level, in Thai digits
    assert "ประเด็นที่ ๕.๕" in text
    run = doc.paragraphs[0].runs[0]._element
    assert run.rPr.rFonts.get(qn("w:cs")) == "TH SarabunPSK"
    assert "PAGE" in "".join(section.header._element.itertext())
    pdf = client.get(f"/reports/sar/{sar.pk}/export/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_it_claims_no_evidence_for_an_empty_office(sar):
    from reporting.reports.sar import build

    doc = build(sar)
    assert len(doc.items) == 7
    network_items = [v for v in doc.items if v.indicator.number == "1"]
    # The empty test office has one network but no profile, goals or activities.
    for v in doc.items:
        for p in v.points:
            if p.evidence.strength:
                assert p.evidence.summary and "ยังไม่มี" not in p.evidence.summary
    # No evidence: level 1 of the rubric ("done, but without evidence"), said in those words.
    empty = [v for v in doc.items if v.item.number in ("2", "3", "5") and v.indicator.number == "2"]
    assert empty and all(v.suggestion.level == 1 for v in empty)
    assert all("ไม่พบร่องรอยหลักฐานในระบบ" in v.suggestion.reason for v in empty)
    assert network_items


def test_it_prefills_and_exports_the_inspection_report(client_for, inspection, office, school):
    answers = inspection.answers.order_by("point__policy__number", "point__number")
    assert [f"{a.point.policy.number}.{a.point.number}" for a in answers] == [
        "2.3",
        "2.4",
        "5.1",
        "5.2",
        "5.3",
        "6.1",
        "6.2",
    ]
    tech = answers.get(point__policy__number=6, point__number=1).progress.get(question__number=1)
    assert "จัดเก็บข้อมูลสารสนเทศครูและบุคลากรทางการศึกษาในระบบ KruPD" in tech.text
    answer = answers.get(point__policy__number=5, point__number=2)
    client = client_for(OFFICER)
    client.post(
        f"/reports/inspection/{inspection.pk}/answers/{answer.pk}/",
        {"success_factors": "ผู้บริหารให้ความร่วมมือ", "best_practice": "", "area_suggestions": "",
         "policy_suggestions": "ควรเพิ่มงบประมาณ", "problem_1": "ระยะเวลาจำกัด",
         "solution_1": "วางแผนร่วมกับโรงเรียน"},
    )  # fmt: skip
    assert answer.problems.get().solution == "วางแผนร่วมกับโรงเรียน"
    doc, text = _docx_text(client.get(f"/reports/inspection/{inspection.pk}/docx/").content)
    assert "นโยบายที่ ๕ การส่งเสริมสนับสนุนวิชาชีพครู" in text
    assert "๕.๒.๓ ปัญหาและอุปสรรคของการดำเนินงาน" in text
    assert "ปัญหา/อุปสรรค" in text and "๑. วางแผนร่วมกับโรงเรียน" in text
    assert "ระดับนโยบาย" in text and "ควรเพิ่มงบประมาณ" in text
    assert (
        client_for(SUPERVISOR)
        .post(f"/reports/inspection/{inspection.pk}/answers/{answer.pk}/", {})
        .status_code
        == 403
    )
    assert InspectionReport.objects.count() == 1


def test_an_answer_the_form_refuses_is_said_in_thai_not_a_server_error(client_for, inspection):
    from reporting.models import FocusAnswer

    answer = FocusAnswer.objects.filter(report=inspection).first()
    page = client_for(OFFICER).post(
        f"/reports/inspection/{inspection.pk}/answers/{answer.pk}/",
        {"success_factors": "ผู้บริหาร\x00ให้ความร่วมมือ", "policy_suggestions": "ควรเพิ่มงบ"},
        follow=True,
    )
    assert page.status_code == 200
    assert f"ยังไม่ได้บันทึกจุดเน้นที่ {answer.point}" in page.content.decode()
    answer.refresh_from_db()
    assert (answer.success_factors, answer.policy_suggestions) == ("", "")


def test_the_inspection_report_opens_with_cover_foreword_and_contents(client_for, inspection):
    url = f"/reports/inspection/{inspection.pk}/front/"
    assert client_for(SUPERVISOR).post(url, {"round_number": "2"}).status_code == 403
    assert client_for(INSPECTOR).post(url, {"round_number": "2"}).status_code == 403
    client = client_for(OFFICER)  # one test client: log in as the officer last
    client.post(url, {"round_number": "2", "foreword": ""})
    inspection.refresh_from_db()
    assert inspection.round_number == 2
    doc, text = _docx_text(client.get(f"/reports/inspection/{inspection.pk}/docx/").content)
    lines = text.splitlines()
    assert "รอบที่ ๒ ประจำปีงบประมาณ พ.ศ.\u00a0๒๕๖๙" in lines  # era kept with its year
    assert lines.index("คำนำ") < lines.index("สารบัญ")
    assert "รอบที่ ๒ ประจำปีงบประมาณ พ.ศ.\u00a0๒๕๖๙ โดยมีรายละเอียด" in text  # the foreword
    assert "จุดเน้นที่ ๒.๓ การพัฒนาครูในด้านการวัดและประเมินผล" in text  # the contents
    client.post(url, {"round_number": "2", "foreword": "คำนำของเขตเอง"})
    doc, text = _docx_text(client.get(f"/reports/inspection/{inspection.pk}/docx/").content)
    assert "คำนำของเขตเอง" in text and "โดยมีรายละเอียดในแต่ละประเด็น" not in text


def test_it_says_when_a_year_reuses_an_earlier_years_questions(client_for, users):
    from reporting import actions as reporting_actions

    report = reporting_actions.start_inspection(acting_user=users[OFFICER], fiscal_year=2570)
    page = client_for(OFFICER).get(f"/reports/inspection/{report.pk}/").content.decode()
    assert "รายงานนี้ใช้ประเด็นของปีงบประมาณ 2566" in page


def test_it_reports_debt_clinic_results_by_creditor(office, school):
    import datetime as dt

    from career.models import DebtCase
    from reporting.inspection import debt_results

    person = make_person(office, school)
    for kind, outcome in (("coop", "restructured"), ("coop", "pending"), ("gsb", "consolidated")):
        DebtCase.objects.create(person=person, opened_on=dt.date(2025, 1, 5), creditor_kind=kind,
                                request="ขอปรับโครงสร้างหนี้", outcome=outcome)  # fmt: skip
    assert debt_results(office, FY) == [
        "1. ยื่นคำขอแก้ไขหนี้กับสหกรณ์ออมทรัพย์ครู 2 ราย (รอดำเนินการ 1 ราย ปรับโครงสร้างหนี้แล้ว 1 ราย)",
        "2. ยื่นคำขอแก้ไขหนี้กับธนาคารออมสิน 1 ราย (รวมหนี้แล้ว 1 ราย)",
    ]


def test_it_exports_annual_summaries(client_for, office, school):
    c = course(office, fy=FY, title="อบรมครูผู้ช่วย")
    passed(c, make_person(office, school))
    client = client_for(OFFICER)
    wb = load_workbook(io.BytesIO(client.get(f"/reports/summaries/training/xlsx/?fy={FY}").content))
    values = [c for row in wb.active.iter_rows(values_only=True) for c in row if c is not None]
    assert "อบรมครูผู้ช่วย" in values
    doc, text = _docx_text(client.get(f"/reports/summaries/training/docx/?fy={FY}").content)
    assert "จำนวนผู้ผ่านการอบรม/พัฒนา" in text and "อบรมครูผู้ช่วย" in text
    for kind in ("staffing", "supervision", "training"):
        for fmt in ("xlsx", "docx"):
            assert client.get(f"/reports/summaries/{kind}/{fmt}/?fy={FY}").status_code == 200
            thai = client.get(f"/reports/summaries/{kind}/{fmt}/?fy={FY}&digits=thai")
            assert thai.status_code == 200 and thai.content[:2] == b"PK"
    missing = client.get(f"/reports/summaries/awards/xlsx/?fy={FY}", follow=True)
    assert "ยังไม่มีการคัดเลือก" in missing.content.decode()
    assert client.get("/reports/summaries/nothing/xlsx/").status_code == 404


def test_it_shows_what_needs_action_on_the_home_page(client_for, office, school, users):
    from planning.models import Plan

    Plan.objects.create(office=office, kind="annual", title="แผนปฏิบัติการ", fiscal_year=FY,
                        end_year=FY, status="submitted")  # fmt: skip
    html = client_for(ADMIN).get("/").content.decode()
    assert "ต้องดำเนินการตอนนี้" in html and "แผนพัฒนาที่รออนุมัติ" in html
    assert "แผนพัฒนาที่รออนุมัติ" not in client_for(TEACHER).get("/").content.decode()


def test_the_home_pages_school_counts_are_the_data_quality_pages(
    client_for, office, school, other_school
):
    """The "needs action" lines about schools link to the data-quality page, so they count by
    its rules: a school is not current when its latest update (its confirmation or a change
    to one of its people) is more than the limit in whole days ago, and lacks pupil numbers
    when it has none for this academic year (an older year's do not count)."""
    import datetime as dt

    from django.utils import timezone

    from registry import quality
    from registry.models import Enrolment, School
    from registry.quality_counts import rebuild

    now = timezone.now()
    # Never confirmed, but a person changed today: current on the page.
    School.objects.filter(pk=school.pk).update(data_confirmed_at=None)
    make_person(office, school)
    # Confirmed 180 days and some hours ago: 180 whole days, still within a 180-day limit.
    School.objects.filter(pk=other_school.pk).update(
        data_confirmed_at=now - dt.timedelta(days=180, hours=20)
    )
    ctx = quality.context_for(office)
    Enrolment.objects.create(school=other_school, academic_year=ctx.academic_year - 1,
                             census_date=dt.date(2000, 6, 10), grade="p1", students=30,
                             classrooms=1)  # fmt: skip
    School.objects.filter(pk=other_school.pk).update(total_students=30)
    rebuild(office)

    def lines():
        response = client_for(ADMIN).get("/")
        return {a.label: a.count for a in response.context["needs_action"]}

    report = quality.quality_report(office=office, schools=School.objects.filter(office=office))
    assert all(unit.is_current for unit in report.schools)
    found = lines()
    assert not any(label.startswith("โรงเรียนที่ข้อมูลไม่เป็นปัจจุบัน") for label in found)
    # Both lack this year's pupil numbers, though one has last year's (and a total).
    assert found["โรงเรียนที่ไม่มีข้อมูลนักเรียนปีการศึกษาปัจจุบัน"] == 2

    # A day later the confirmed school is 181 days old: not current on both.
    School.objects.filter(pk=other_school.pk).update(
        data_confirmed_at=now - dt.timedelta(days=181, hours=1)
    )
    report = quality.quality_report(office=office, schools=School.objects.filter(office=office))
    assert sum(not unit.is_current for unit in report.schools) == 1
    assert lines()["โรงเรียนที่ข้อมูลไม่เป็นปัจจุบัน (ปรับปรุงล่าสุดเกิน 180 วัน)"] == 1
