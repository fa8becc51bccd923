"""National O-NET means typed by the office: who may open and change them, audited writes,
grades read from messy Thai text, and the SAR networks item showing the computed figure."""

import io
from decimal import Decimal

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from accounts.roles import Role
from community.models import NetworkGoal
from krupd.testing import make_school
from registry.models import AuditEntry
from reporting import actions
from reporting.evidence import EvidenceContext, gather
from reporting.models import OnetNationalMean, OnetResult, SarEdition
from reporting.onet import ONET_GRADES, grade_code
from reporting.reports import sar as sar_report

ADMIN, OFFICER, SUPERVISOR = Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR
DIRECTOR, TEACHER, INSPECTOR = Role.SCHOOL_DIRECTOR, Role.TEACHER, Role.INSPECTOR
URL = "/reports/onet/national/"
MATH = "คณิตศาสตร์"


@pytest.mark.parametrize("role", [ADMIN, OFFICER])
def test_office_admins_and_development_officers_open_the_page(client_for, role):
    response = client_for(role).get(URL)
    assert response.status_code == 200
    assert "ค่าเฉลี่ย O-NET ระดับประเทศ" in response.content.decode()


@pytest.mark.parametrize("role", [TEACHER, DIRECTOR, SUPERVISOR, INSPECTOR])
def test_other_roles_are_refused(client_for, office, role):
    row = OnetNationalMean.objects.create(office=office, academic_year=2567, grade="p6",
                                          subject=MATH, mean=Decimal("30"))  # fmt: skip
    client = client_for(role)
    assert client.get(URL).status_code == 403
    post = {"academic_year": 2567, "grade": "p6", "subject": MATH, "mean": "40"}
    assert client.post(URL, post).status_code == 403
    assert client.post(f"{URL}{row.pk}/delete/").status_code == 403
    row.refresh_from_db()
    assert row.mean == Decimal("30.00")


def test_an_officer_types_corrects_and_deletes_a_mean_each_audited(client_for, office):
    client = client_for(OFFICER)
    post = {"academic_year": "๒๕๖๗", "grade": "p6", "subject": MATH, "mean": "๓๒.๙๐",
            "source": "ประกาศผลการทดสอบ O-NET ชั้น ป.6 ปีการศึกษา 2567 ของ สทศ."}  # fmt: skip
    assert client.post(URL, post).status_code == 302
    row = OnetNationalMean.objects.get()
    assert (row.academic_year, row.mean) == (2567, Decimal("32.90"))
    # Typing the same year, grade and subject again corrects the row, not a second one.
    assert client.post(URL, {**post, "mean": "33.10"}).status_code == 302
    row.refresh_from_db()
    assert OnetNationalMean.objects.count() == 1 and row.mean == Decimal("33.10")
    entries = AuditEntry.objects.filter(object_type="onetnationalmean").order_by("id")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes["mean"] == ["32.90", "33.10"]
    page = client.get(URL).content.decode()
    assert "33.10" in page and "2,567" not in page
    # Out of range and not a number: a Thai message naming the field, nothing saved.
    bad = client.post(URL, {**post, "mean": "120"}).content.decode()
    assert "ค่าเฉลี่ยระดับประเทศ" in bad and OnetNationalMean.objects.get().mean == Decimal("33.10")
    assert client.post(f"{URL}{row.pk}/delete/").status_code == 302
    assert not OnetNationalMean.objects.exists()
    assert AuditEntry.objects.filter(object_type="onetnationalmean", action="delete").exists()


def test_another_offices_mean_cannot_be_opened_or_deleted(client_for, other_office):
    row = OnetNationalMean.objects.create(office=other_office, academic_year=2567, grade="p6",
                                          subject=MATH, mean=Decimal("30"))  # fmt: skip
    client = client_for(OFFICER)
    assert client.get(f"{URL}?id={row.pk}").status_code == 404
    assert client.post(f"{URL}{row.pk}/delete/").status_code == 404
    assert OnetNationalMean.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize(
    ("text", "code"),
    [("ป.6", "p6"), ("ป. ๖", "p6"), ("ประถมศึกษาปีที่ 6", "p6"), ("ม.3", "m3"), ("M3", "m3"),
     ("มัธยมศึกษาปีที่ ๖", "m6"), ("ป.5", ""), ("", ""), ("6", ""), (None, "")],
)  # fmt: skip
def test_grades_are_read_as_sheets_write_them(text, code):
    assert grade_code(text) == code


@given(st.text(alphabet="ปมระถยศกษาีท่ .0123456789๐๑๒๓๔๕๖๗๘๙pmPM\u00a0\u200b", max_size=25))
def test_any_messy_grade_text_reads_as_a_tested_grade_or_none(text):
    assert grade_code(text) in {code for code, _ in ONET_GRADES} | {""}


# ----------------------------------------------------------------------------------- SAR


@pytest.fixture
def measured_network(office, network, school):
    """Four schools, three above a national maths mean of 30.00 in 2568; goal 80 %."""
    schools = [school] + [
        make_school(office, code=f"10760100{n}", name=f"โรงเรียนเครือข่าย {n}", network=network)
        for n in (21, 22, 23)
    ]
    for s, mean in zip(schools, ("45", "38", "31", "29"), strict=True):
        OnetResult.objects.create(school=s, academic_year=2568, grade="ป.6", subject=MATH,
                                  mean=Decimal(mean))  # fmt: skip
    NetworkGoal.objects.create(
        network=network, academic_year=2568, measure="onet_above_national", subject=MATH,
        grade="p6", target_percent=Decimal("80"), text="ร้อยละของโรงเรียนที่สูงกว่าประเทศ",
        target="ร้อยละ 80.00",
    )  # fmt: skip
    return network


def test_the_sar_networks_item_reports_the_computed_goal(users, office, measured_network):
    ctx = EvidenceContext(office, 2569)
    title, header, rows = gather(ctx, "network_built", {"min": 1}).annex
    assert title == "เป้าหมายและผลการดำเนินงานของเครือข่าย ปีการศึกษา 2568–2569"
    assert header[-2:] == ["ผลที่ได้", "ผล"]
    assert rows == [[
        1, "เครือข่ายเมือง 1", "ร้อยละของโรงเรียนที่สูงกว่าประเทศ", "2568", "ร้อยละ 80.00",
        "ยังไม่มีข้อมูล (ยังไม่ได้บันทึกค่าเฉลี่ย O-NET ระดับประเทศ ชั้น ป.6 วิชาคณิตศาสตร์ "
        "ปีการศึกษา 2568)", "ยังไม่มีข้อมูล",
    ]]  # fmt: skip
    assert gather(EvidenceContext(office, 2569), "follow_up_networks").summary.startswith(
        "ประเมินผลเป้าหมายเครือข่ายแล้ว 0 เป้าหมาย"
    )
    OnetNationalMean.objects.create(office=office, academic_year=2568, grade="p6", subject=MATH,
                                    mean=Decimal("30.00"))  # fmt: skip
    ctx = EvidenceContext(office, 2569)
    row = gather(ctx, "network_built", {"min": 1}).annex[2][0]
    assert row[-2:] == ["ร้อยละ 75.00 (3 จาก 4 โรงเรียน)", "ไม่บรรลุ"]
    assert gather(ctx, "follow_up_networks").summary.startswith(
        "ประเมินผลเป้าหมายเครือข่ายแล้ว 1 เป้าหมาย"
    )
    edition = SarEdition.objects.get(code="esa-2555")
    report = actions.start_sar(acting_user=users[OFFICER], edition=edition, fiscal_year=2569)
    docx = Document(io.BytesIO(sar_report.sar_docx(sar_report.build(report))))
    goal_rows = [
        [c.text for c in r.cells] for t in docx.tables for r in t.rows
        if r.cells[0].text == "1" and "เครือข่ายเมือง 1" in r.cells[1].text
    ]  # fmt: skip
    assert goal_rows[0][-2:] == ["ร้อยละ 75.00 (3 จาก 4 โรงเรียน)", "ไม่บรรลุ"]
    paragraphs = [p.text for p in docx.paragraphs]
    assert "เป้าหมายและผลการดำเนินงานของเครือข่าย ปีการศึกษา 2568–2569" in paragraphs


def test_the_sar_pages_and_pdf_show_the_goal_table(client_for, users, measured_network):
    client = client_for(OFFICER)
    edition = SarEdition.objects.get(code="esa-2555")
    report = actions.start_sar(acting_user=users[OFFICER], edition=edition, fiscal_year=2569)
    page = client.get(f"/reports/sar/{report.pk}/").content.decode()
    assert "เป้าหมายและผลการดำเนินงานของเครือข่าย" in page
    assert "ยังไม่ได้บันทึกค่าเฉลี่ย O-NET ระดับประเทศ" in page
    response = client.get(f"/reports/sar/{report.pk}/export/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
