"""The career API: counts only, each endpoint opened by an allowed role and refused to another."""

import datetime as dt
from decimal import Decimal as D

import pytest

from accounts.roles import Role
from career import actions
from career.models import DebtCase
from registry.models import AuditEntry

ADMIN, OFFICER, INSPECTOR = Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.INSPECTOR
DIRECTOR, TEACHER, SUPERVISOR = Role.SCHOOL_DIRECTOR, Role.TEACHER, Role.SUPERVISOR


def test_pa_status_gives_counts_per_school(client, users, teacher_person, other_teacher):
    actions.start_agreement(acting_user=users[TEACHER], person=teacher_person, fiscal_year=2568)
    client.force_login(users[INSPECTOR])
    body = client.get("/api/career/pa/status?fy=2568").json()
    assert body["teachers"] == 2 and body["totals"]["draft"] == 1
    by_school = {r["school"]: (r["teachers"], r["by_status"]["draft"]) for r in body["rows"]}
    assert by_school == {"โรงเรียนบ้านหนองไผ่": (1, 1), "โรงเรียนวัดท่าไม้": (1, 0)}
    assert "สมศรี" not in str(body)
    client.force_login(users[DIRECTOR])  # their own school only
    assert [r["school"] for r in client.get("/api/career/pa/status?fy=2568").json()["rows"]] == [
        "โรงเรียนบ้านหนองไผ่"
    ]
    for role in (TEACHER, SUPERVISOR):
        client.force_login(users[role])
        assert client.get("/api/career/pa/status").status_code == 403, role


@pytest.fixture
def debt(users, teacher_person):
    actions.save_debt_profile(
        acting_user=users[ADMIN],
        person=teacher_person,
        gross=D("30000"),
        other_income=D("0"),
        deductions=[
            {
                "creditor_kind": "coop",
                "creditor": "สหกรณ์ออมทรัพย์ครูเพชรบุรี",
                "monthly": D("21500"),
                "outstanding": D("900000"),
            }
        ],
    )
    case = DebtCase(
        person=teacher_person,
        opened_on=dt.date(2025, 3, 1),
        creditor_kind="coop",
        request="ขอปรับโครงสร้างหนี้",
    )
    return actions.save_debt_case(acting_user=users[ADMIN], case=case)


def test_debt_summary_gives_counts_without_personal_data(client, users, debt):
    before = AuditEntry.objects.count()
    client.force_login(users[INSPECTOR])
    body = client.get("/api/career/debt/summary").json()
    assert (body["profiles"], body["below_threshold"], body["cases"]) == (1, 1, 1)
    assert {c["key"]: c["count"] for c in body["by_creditor"]}["coop"] == 1
    assert {c["key"]: c["count"] for c in body["by_outcome"]}["pending"] == 1
    text = str(body)
    assert "สมศรี" not in text and "สหกรณ์ออมทรัพย์ครูเพชรบุรี" not in text
    assert AuditEntry.objects.count() == before  # counts only: not an audited read
    for role in (TEACHER, DIRECTOR):
        client.force_login(users[role])
        assert client.get("/api/career/debt/summary").status_code == 403, role
