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
        assert title.endswith(f"ปีงบประมาณ พ.ศ. {FY}"), title


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
