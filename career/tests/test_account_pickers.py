"""Choosing accounts and people in career pages with the people picker: the three PA
evaluators, the officer handling a debt case, and whose debts to record next."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from career import actions
from career.models import DebtCase, DebtProfile, PAEvaluation
from krupd.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(users, teacher_person):
    return actions.start_agreement(
        acting_user=users[Role.TEACHER], person=teacher_person, fiscal_year=2568
    )


@pytest.fixture
def evaluators(office):
    return [
        make_user(f"eval{i}", Role.SUPERVISOR, office, first_name=name, last_name="ประเมิน")
        for i, name in enumerate(("อรุณ", "บุษบา", "จันทร์เพ็ญ"), 1)
    ]


def _rows(client, url, name, **params):
    return client.get(url, {"picker": name, **params}, HTTP_HX_REQUEST="true").content.decode()


def _seats(evaluators) -> dict:
    data = {}
    for seat, user in enumerate(evaluators, 1):
        data |= {f"seat{seat}": user.pk, f"seat{seat}__q": "", f"seat{seat}__shown__role": ""}
    return data


# ------------------------------------------------------------------ PA evaluators


def test_each_evaluator_seat_is_a_search_among_the_offices_accounts(
    client_for, agreement, evaluators, users
):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    url = reverse("career:pa_assign", args=[agreement.pk])
    page = client.get(url).content.decode()
    for seat in (1, 2, 3):
        assert f'data-picker="seat{seat}"' in page and f'<select name="seat{seat}"' not in page
    assert 'placeholder="ค้นหาชื่อ นามสกุล ชื่อผู้ใช้ หรืออีเมล"' in page
    rows = _rows(client, url, "seat2", seat2__q="บุษบา")
    assert "บุษบา ประเมิน" in rows and "อรุณ" not in rows and "ศึกษานิเทศก์" in rows
    by_role = _rows(client, url, "seat1", seat1__role=Role.SCHOOL_DIRECTOR)
    assert "director1" in by_role and "บุษบา" not in by_role
    assert "inspector1" not in _rows(client, url, "seat1", seat1__q="inspector")
    teacher = users[Role.TEACHER]  # the one being evaluated
    assert f'value="{teacher.pk}"' not in _rows(client, url, "seat1", seat1__role=Role.TEACHER)
    response = client.post(url, _seats([teacher, *evaluators[:2]]))
    assert "ผู้รับการประเมินเป็นผู้ประเมินตนเองไม่ได้" in response.content.decode()


def test_the_officer_assigns_three_evaluators_posting_the_pickers_fields(
    client_for, agreement, evaluators
):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    url = reverse("career:pa_assign", args=[agreement.pk])
    response = client.post(url, _seats(evaluators))
    assert response.status_code == 302
    seated = PAEvaluation.objects.filter(agreement=agreement).order_by("seat")
    assert [e.evaluator for e in seated] == evaluators


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.SCHOOL_DIRECTOR, Role.TEACHER])
def test_other_roles_may_not_search_or_assign_evaluators(client_for, role, agreement, evaluators):
    client = client_for(role)
    url = reverse("career:pa_assign", args=[agreement.pk])
    assert client.get(url, {"picker": "seat1", "seat1__q": "อรุณ"}).status_code == 403
    assert client.post(url, _seats(evaluators)).status_code == 403
    assert not PAEvaluation.objects.filter(agreement=agreement).exists()


def test_an_account_of_another_office_or_an_inspector_is_refused_naming_the_seat(
    client_for, agreement, evaluators, other_office, users
):
    stranger = make_user("stranger1", Role.SUPERVISOR, other_office, first_name="ต่างเขต")
    client = client_for(Role.DEVELOPMENT_OFFICER)
    url = reverse("career:pa_assign", args=[agreement.pk])
    rows = _rows(client, url, "seat1", seat1__q="ต่างเขต")
    assert f'value="{stranger.pk}"' not in rows and "ไม่พบผู้ใช้ตามตัวกรองนี้" in rows
    response = client.post(url, _seats([evaluators[0], stranger, users[Role.INSPECTOR]]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "ผู้ประเมินคนที่ 2: เลือกได้เฉพาะผู้ใช้ที่เปิดใช้งานของเขตพื้นที่นี้" in html
    assert "ผู้ประเมินคนที่ 3: เลือกได้เฉพาะผู้ใช้" in html
    assert not PAEvaluation.objects.filter(agreement=agreement).exists()


# ------------------------------------------------------------------ debt clinic


@pytest.fixture
def case(users, teacher_person):
    return DebtCase.objects.create(
        person=teacher_person,
        opened_on=dt.date(2025, 3, 1),
        creditor_kind="coop",
        request="ขอปรับโครงสร้างหนี้",
    )


def _case_data(officer) -> dict:
    return {
        "opened_on": "1/3/2568",
        "creditor_kind": "coop",
        "request": "ขอปรับโครงสร้างหนี้",
        "assigned_officer": officer.pk if officer else "",
        "assigned_officer__q": "",
        "outcome": "pending",
        "outcome_note": "",
    }


def test_the_debt_officer_is_picked_by_search_and_saved(client_for, case, users):
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("career:debt_case_edit", args=[case.person_id, case.pk])
    page = client.get(url).content.decode()
    assert 'data-picker="assigned_officer"' in page
    assert '<select name="assigned_officer"' not in page
    assert "admin1" in _rows(client, url, "assigned_officer", assigned_officer__q="admin")
    response = client.post(url, _case_data(users[Role.OFFICE_ADMIN]))
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.assigned_officer == users[Role.OFFICE_ADMIN]


def test_only_the_debt_clinic_opens_a_case_and_its_officer_is_of_the_clinic(
    client_for, case, users, other_office
):
    url = reverse("career:debt_case_edit", args=[case.person_id, case.pk])
    for role in (Role.DEVELOPMENT_OFFICER, Role.TEACHER):
        assert client_for(role).get(url, {"picker": "assigned_officer"}).status_code in (403, 404)
        assert client_for(role).post(url, _case_data(users[Role.OFFICE_ADMIN])).status_code in (
            403,
            404,
        )
    stranger = make_user("stranger1", Role.OFFICE_ADMIN, other_office)
    client = client_for(Role.OFFICE_ADMIN)
    for refused in (stranger, users[Role.SUPERVISOR]):
        response = client.post(url, _case_data(refused))
        assert "เจ้าหน้าที่ผู้รับผิดชอบ: เลือกได้เฉพาะผู้ใช้ของเขตพื้นที่นี้" in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_officer is None


def test_whose_debts_to_record_is_picked_by_search(
    client_for, teacher_person, other_teacher, foreign_person
):
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("career:debt_new")
    assert url in client.get(reverse("career:debt_list")).content.decode()
    page = client.get(url).content.decode()
    assert 'data-picker="person"' in page and '<select name="person"' not in page
    rows = _rows(client, url, "person", person__q="สมชาย")
    assert "สมชาย" in rows and "สมศรี" not in rows
    rows = _rows(client, url, "person", person__q="ต่างเขต")
    assert f'value="{foreign_person.pk}"' not in rows and "ไม่พบบุคลากรตามตัวกรองนี้" in rows
    response = client.get(url, {"person": other_teacher.pk, "person__q": "สมชาย"})
    assert response.url == reverse("career:debt_edit", args=[other_teacher.pk])
    refused = client.get(url, {"person": foreign_person.pk})
    assert refused.status_code == 200
    assert "เลือกได้เฉพาะบุคลากรของเขตพื้นที่นี้ที่ยังไม่มีข้อมูล" in refused.content.decode()
    assert client_for(Role.DEVELOPMENT_OFFICER).get(url, {"picker": "person"}).status_code == 403
    assert not DebtProfile.objects.exists()
