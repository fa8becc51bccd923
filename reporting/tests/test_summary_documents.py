"""The annual summaries' documents read as an office writes them: hours as 12.5, never
12.50; figures equal to their plain definition."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document

from accounts.roles import Role
from community import actions as community_actions
from community.models import PLCGroup, PLCLevel, PLCMeeting
from krupd.testing import make_person

pytestmark = pytest.mark.django_db
OFFICER = Role.DEVELOPMENT_OFFICER
FY = 2569


def test_the_plc_summary_writes_hours_as_the_office_does(client_for, users, office, school):
    members = [make_person(office, school) for _ in range(3)]
    group = community_actions.save_plc_group(
        acting_user=users[OFFICER],
        group=PLCGroup(office=office, level=PLCLevel.SCHOOL, school=school, name="PLC คณิต",
                       topic="การอ่าน", facilitator=members[0], academic_year=2568),
        members=members,
    )  # fmt: skip
    for day, hours in ((dt.date(2025, 11, 3), "2.5"), (dt.date(2026, 1, 5), "10")):
        community_actions.log_plc_meeting(
            acting_user=users[OFFICER],
            meeting=PLCMeeting(group=group, date=day, hours=Decimal(hours)),
            attendees=members,
        )
    response = client_for(OFFICER).get(f"/reports/summaries/plc/docx/?fy={FY}")
    assert response.status_code == 200
    table = Document(io.BytesIO(response.content)).tables[0]
    row = [c.text for c in table.rows[1].cells]
    # 1 group of 3 members, 2 meetings of 2.5 + 10 hours.
    assert row[1:6] == ["โรงเรียนบ้านหนองไผ่", "1", "3", "2", "12.5"]


def test_a_network_plcs_row_shows_no_count_it_does_not_have(client_for, users, office, school):
    members = [make_person(office, school) for _ in range(2)]
    group = community_actions.save_plc_group(
        acting_user=users[OFFICER],
        group=PLCGroup(office=office, level=PLCLevel.NETWORK, network=school.network,
                       name="PLC เครือข่าย", topic="การอ่าน", facilitator=members[0],
                       academic_year=2568),
        members=members,
    )  # fmt: skip
    community_actions.log_plc_meeting(
        acting_user=users[OFFICER],
        meeting=PLCMeeting(group=group, date=dt.date(2025, 11, 3), hours=Decimal("3")),
        attendees=members,
    )
    response = client_for(OFFICER).get(f"/reports/summaries/plc/docx/?fy={FY}")
    table = Document(io.BytesIO(response.content)).tables[0]
    row = [c.text for c in table.rows[1].cells]
    assert row[1:] == [school.network.name, "1", "2", "1", "3", "—"]


def test_every_summary_title_gives_the_year_as_an_official_document_does(
    client_for, users, office, school
):
    """The PLC and supervision summaries were titled "ปีงบประมาณ 2569" while the training one
    read "ปีงบประมาณ พ.ศ. 2569", as the office's documents write it."""
    members = [make_person(office, school) for _ in range(2)]
    community_actions.save_plc_group(
        acting_user=users[OFFICER],
        group=PLCGroup(office=office, level=PLCLevel.SCHOOL, school=school, name="PLC คณิต",
                       topic="การอ่าน", facilitator=members[0], academic_year=2568),
        members=members,
    )  # fmt: skip
    for kind in ("plc", "supervision"):
        response = client_for(OFFICER).get(f"/reports/summaries/{kind}/docx/?fy={FY}")
        assert response.status_code == 200
        title = Document(io.BytesIO(response.content)).paragraphs[0].text
        assert title.endswith(f"ปีงบประมาณ พ.ศ.\u00a0{FY}"), title  # the year kept with its era


def test_the_needs_summary_of_a_year_whose_round_is_still_open_says_so(client_for):
    """No closed round: the officer was told there was no needs round at all."""
    response = client_for(OFFICER).get(f"/reports/summaries/needs/docx/?fy={FY}", follow=True)
    text = response.content.decode()
    assert "ที่ปิดรับคำตอบแล้วถึงปีงบประมาณ พ.ศ. 2569" in text


def test_the_training_summarys_percentages_stand_on_the_right_as_the_counts(
    client_for, office, school
):
    """The counts were on the right of their cells and the percentages beside them on the
    left: "85.71" and "—" are texts, which the table put on the left."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from reporting.tests.helpers import course, passed

    c = course(office, fy=FY, title="อบรมครูผู้ช่วย")
    passed(c, make_person(office, school))
    response = client_for(OFFICER).get(f"/reports/summaries/training/docx/?fy={FY}")
    table = Document(io.BytesIO(response.content)).tables[0]
    for row in table.rows[1:]:  # the course and the totals
        counts, percent = row.cells[2].paragraphs[0], row.cells[4].paragraphs[0]
        assert counts.alignment == percent.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def _thai_cells(book: bytes) -> list:
    from openpyxl import load_workbook

    return [v for row in load_workbook(io.BytesIO(book)).active.iter_rows(values_only=True)
            for v in row if v is not None]  # fmt: skip


def test_the_summaries_offer_thai_digits_as_the_other_documents_do(
    client_for, users, office, school
):
    """The annual summaries had no Thai-digits option while transcripts, results and the SAR
    had: the same ?digits=thai|arabic now applies, the office's setting by default."""
    from training.actions import rules_for

    members = [make_person(office, school) for _ in range(2)]
    group = community_actions.save_plc_group(
        acting_user=users[OFFICER],
        group=PLCGroup(office=office, level=PLCLevel.SCHOOL, school=school, name="PLC คณิต",
                       topic="การอ่าน", facilitator=members[0], academic_year=2568),
        members=members,
    )  # fmt: skip
    community_actions.log_plc_meeting(
        acting_user=users[OFFICER],
        meeting=PLCMeeting(group=group, date=dt.date(2025, 11, 3), hours=Decimal("12.5")),
        attendees=members,
    )
    client = client_for(OFFICER)
    page = client.get(f"/reports/summaries/?fy={FY}").content.decode()
    assert "digits=thai" in page and "DOCX เลขไทย" in page

    docx = client.get(f"/reports/summaries/plc/docx/?fy={FY}&digits=thai").content
    doc = Document(io.BytesIO(docx))
    assert doc.paragraphs[0].text.endswith("ปีงบประมาณ พ.ศ.\u00a0๒๕๖๙")
    assert [c.text for c in doc.tables[0].rows[1].cells][3:6] == ["๒", "๑", "๑๒.๕"]
    cells = _thai_cells(client.get(f"/reports/summaries/plc/xlsx/?fy={FY}&digits=thai").content)
    assert "๑๒.๕" in cells and "๒" in cells and not any(isinstance(v, int | float) for v in cells)
    supervision = client.get(f"/reports/summaries/supervision/docx/?fy={FY}&digits=thai")
    assert "ร้อยละ ๐.๐๐" in "\n".join(
        p.text for p in Document(io.BytesIO(supervision.content)).paragraphs
    )

    # The office prints Thai digits: its summaries do by default, Arabic when asked.
    rules = rules_for(office)
    rules.thai_digits = True
    rules.save()
    assert "๑๒.๕" in _thai_cells(client.get(f"/reports/summaries/plc/xlsx/?fy={FY}").content)
    arabic = _thai_cells(client.get(f"/reports/summaries/plc/xlsx/?fy={FY}&digits=arabic").content)
    assert 12.5 in arabic


def test_summary_percentages_round_half_up_as_thai_offices_do(client_for, office, school):
    """1 of 32 passed is 3.125 %: reported 3.13 (half up), never 3.12 (half to even), on the
    page, in the DOCX and in the XLSX alike."""
    from reporting.tests.helpers import course
    from training.models import Enrolment

    c = course(office, fy=FY, title="อบรมปัดเศษ")
    for i in range(32):
        Enrolment.objects.create(
            course=c, session=c.sessions.first(), person=make_person(office, school),
            status="enrolled", source="office", passed=i == 0,
            result="passed" if i == 0 else "failed", hours_credited=Decimal("12" if i == 0 else "0"),
        )  # fmt: skip
    client = client_for(OFFICER)
    table = Document(
        io.BytesIO(client.get(f"/reports/summaries/training/docx/?fy={FY}").content)
    ).tables[0]
    assert [c.text for c in table.rows[1].cells][2:5] == ["32", "1", "3.13"]
    assert 3.13 in _thai_cells(client.get(f"/reports/summaries/training/xlsx/?fy={FY}").content)
    thai = Document(
        io.BytesIO(client.get(f"/reports/summaries/training/docx/?fy={FY}&digits=thai").content)
    )
    assert [c.text for c in thai.tables[0].rows[1].cells][2:5] == ["๓๒", "๑", "๓.๑๓"]
    page = client.get(f"/training/results/?fy={FY}").content.decode()
    assert "3.13" in page and "3.12" not in page


def test_a_school_outside_every_network_reads_a_dash_in_the_supervision_summary(
    client_for, office, school
):
    """The coverage page writes "—" for a school in no network; the summary left its cell
    empty, which reads as a name somebody forgot."""
    from openpyxl import load_workbook

    from krupd.testing import make_school

    make_school(office, code="1076010999", name="โรงเรียนบ้านเดี่ยว")
    client = client_for(OFFICER)
    sheet = load_workbook(
        io.BytesIO(client.get(f"/reports/summaries/supervision/xlsx/?fy={FY}").content)
    ).active
    rows = {r[2]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["โรงเรียนบ้านเดี่ยว"][3] == "—"
    assert rows[school.name][3] == school.network.name
    table = Document(
        io.BytesIO(client.get(f"/reports/summaries/supervision/docx/?fy={FY}").content)
    ).tables[0]
    cells = {row.cells[2].text: row.cells[3].text for row in table.rows[1:]}
    assert cells["โรงเรียนบ้านเดี่ยว"] == "—"
