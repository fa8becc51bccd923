"""PLC activity by school keeps schools of one name apart (several "บ้านหนองบัว" in one office,
told apart by their OBEC code): each is its own row, named with its code, on the page and in
the office's summary document and workbook."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from accounts.roles import Role
from community import actions, queries
from community.models import PLCGroup, PLCLevel, PLCMeeting
from krupd.testing import make_person, make_school

pytestmark = pytest.mark.django_db
OFFICER = Role.DEVELOPMENT_OFFICER


def _group(users, office, school, hours):
    members = [make_person(office, school) for _ in range(2)]
    group = actions.save_plc_group(
        acting_user=users[OFFICER],
        group=PLCGroup(office=office, level=PLCLevel.SCHOOL, school=school, name="PLC คณิต",
                       topic="การอ่าน", facilitator=members[0], academic_year=2568),
        members=members,
    )  # fmt: skip
    actions.log_plc_meeting(
        acting_user=users[OFFICER],
        meeting=PLCMeeting(group=group, date=dt.date(2025, 11, 3), hours=Decimal(hours)),
        attendees=members,
    )


def test_two_schools_of_one_name_have_a_row_each_named_with_their_codes(
    client_for, users, office, school
):
    twin = make_school(office, code="1076010009", name=school.name)
    _group(users, office, school, "3")
    _group(users, office, twin, "2")
    rows = queries.plc_activity(users[OFFICER], fiscal_year=2569)
    assert [(r.label, r.hours) for r in rows] == [
        (f"{school.name} (1076010001)", Decimal("3")),
        (f"{school.name} (1076010009)", Decimal("2")),
    ]
    client = client_for(OFFICER)
    page = client.get("/community/plc/activity/?fy=2569").content.decode()
    assert f"{school.name} (1076010009)" in page
    docx = client.get("/reports/summaries/plc/docx/?fy=2569").content
    table = Document(io.BytesIO(docx)).tables[0]
    assert [c.text for c in table.columns[1].cells[1:]] == [r.label for r in rows]
    xlsx = load_workbook(io.BytesIO(client.get("/reports/summaries/plc/xlsx/?fy=2569").content))
    labels = [c.value for c in xlsx.active["B"]]
    assert {r.label for r in rows} <= set(labels)
