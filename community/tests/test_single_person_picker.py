"""Choosing one person (a PLC's facilitator, a network's chair, a standing request's teacher)
uses the people picker's search in single-choice mode, not a drop-down of every person."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from krupd.testing import make_person
from registry.models import PersonnelType

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(office, school):
    return [
        make_person(office, school, first_name=name, personnel_type=PersonnelType.TEACHER)
        for name in ("สมหญิง", "สมชาย", "วิภาดา")
    ]


def test_plc_facilitator_is_a_search_with_radio_buttons(client_for, staff):
    page = client_for(Role.SUPERVISOR).get(reverse("community:plc_create")).content.decode()
    assert 'data-picker="facilitator"' in page
    assert 'name="facilitator__q"' in page
    assert '<select name="facilitator"' not in page
    assert 'type="radio" name="facilitator"' in page


def test_searching_the_facilitator_picker_narrows_to_one_choice(client_for, staff):
    url = reverse("community:plc_create")
    rows = client_for(Role.SUPERVISOR).get(
        url, {"picker": "facilitator", "facilitator__q": "วิภาดา"}, HTTP_HX_REQUEST="true"
    )
    html = rows.content.decode()
    assert "วิภาดา" in html and "สมหญิง" not in html
    assert "เลือกหนึ่งคน" in html and "เลือกทั้งหมดตามตัวกรอง" not in html


def test_an_optional_single_choice_offers_nobody(client_for, staff, network, school):
    page = client_for(Role.DEVELOPMENT_OFFICER).get(
        reverse("community:network_edit", args=[network.pk])
    )
    html = page.content.decode()
    assert 'data-picker="chair"' in html
    assert 'type="radio" name="chair" value=""' in html  # ไม่ระบุ


def test_standing_request_person_is_picked_by_search_and_saved(client_for, staff):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    url = reverse("career:standing_request")
    page = client.get(url).content.decode()
    assert 'data-picker="person"' in page and "ผู้ยื่นขอ" in page
    rows = client.get(url, {"picker": "person", "person__q": "สมชาย"}, HTTP_HX_REQUEST="true")
    assert "สมชาย" in rows.content.decode() and "สมหญิง" not in rows.content.decode()


def test_a_teacher_may_not_open_the_standing_request_picker(client_for, staff):
    url = reverse("career:standing_request")
    response = client_for(Role.TEACHER).get(url, {"picker": "person", "person__q": "สม"})
    assert response.status_code == 403
