"""A SAR or an inspection report is started for the fiscal year the address or the form
names (?fy=, fy=). A year no office reports on (2600, a CE year's neighbour 2700, ten-plus
years back) starts nothing: the officer is told in Thai, naming the year and the range."""

import pytest
from django.contrib.messages import get_messages

from accounts.roles import Role
from krupd.lib import thai_dates
from reporting import actions, queries
from reporting.models import InspectionReport, SarEdition, SarReport

pytestmark = pytest.mark.django_db
OFFICER = Role.DEVELOPMENT_OFFICER


def _said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_range_is_the_current_year_some_back_and_the_next():
    refuse = thai_dates.fiscal_year_refusal
    assert refuse(2570, current=2570) == refuse(2571, current=2570) == ""
    assert refuse(2560, current=2570) == ""
    assert refuse(2572, current=2570) == (
        "ปีงบประมาณ 2572 อยู่นอกช่วงที่บันทึกข้อมูลได้ (ปีงบประมาณ 2560–2571)"
    )
    assert refuse(2559, current=2570).startswith("ปีงบประมาณ 2559 อยู่นอกช่วง")


@pytest.mark.parametrize("typed", ["2600", "๒๗๐๐", "2450"])
def test_a_far_year_starts_no_sar(client_for, office, typed):
    edition = SarEdition.objects.get(code="esa-2555")
    response = client_for(OFFICER).post(
        "/reports/sar/", {"edition": edition.pk, "fy": typed, "round": "1"}
    )
    assert response.status_code == 302 and response["Location"] == "/reports/sar/"
    assert not SarReport.objects.exists()
    assert any("อยู่นอกช่วงที่บันทึกข้อมูลได้" in m for m in _said(response))


def test_a_far_year_starts_no_inspection_report(client_for, office):
    response = client_for(OFFICER).post("/reports/inspection/?fy=2600")
    assert response.status_code == 302 and response["Location"] == "/reports/inspection/"
    assert not InspectionReport.objects.exists()
    assert any("ปีงบประมาณ 2600 อยู่นอกช่วง" in m for m in _said(response))


def test_the_current_year_still_starts_both(client_for, users, office):
    fy = queries.current_fiscal_year()
    edition = SarEdition.objects.get(code="esa-2555")
    client = client_for(OFFICER)
    assert client.post("/reports/sar/", {"edition": edition.pk, "fy": fy, "round": "1"})[
        "Location"
    ].startswith("/reports/sar/")
    assert SarReport.objects.get().fiscal_year == fy
    actions.start_inspection(acting_user=users[OFFICER], fiscal_year=fy)
    assert InspectionReport.objects.get().fiscal_year == fy
