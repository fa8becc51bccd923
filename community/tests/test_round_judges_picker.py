"""An award round's judges are chosen with the people picker over the office's accounts
(search, filter by role and school, select all filtered), not from a list box."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from community.models import AwardProgramme, AwardRound
from krupd.testing import make_user

pytestmark = pytest.mark.django_db

CREATE = reverse("community:round_create")


@pytest.fixture
def programme(office):
    return AwardProgramme.objects.create(office=office, name="ครูดีในดวงใจ", organiser="สพฐ.")


@pytest.fixture
def panel(office):
    return [
        make_user(f"judge{i}", Role.SUPERVISOR, office, first_name=name, last_name="กรรมการ")
        for i, name in enumerate(("ประภา", "ประยูร", "ชุติมา"), 1)
    ]


def _data(programme, judges, **extra) -> dict:
    return {
        "programme": programme.pk,
        "year": "2569",
        "title": "ครูดีในดวงใจ ครั้งที่ 21",
        "status": "draft",
        "winners": "3",
        "min_score": "60",
        "criteria": "ผลงานที่ปรากฏต่อผู้เรียน | 40 | 10\nการครองตน | 60 | 10",
        "judges": [j.pk for j in judges],
        "judges__q": "",
        **extra,
    }


def _rows(client, url, **params):
    return client.get(url, {"picker": "judges", **params}, HTTP_HX_REQUEST="true").content.decode()


def test_judges_are_a_search_with_checkboxes_and_select_all(client_for, panel):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    page = client.get(CREATE).content.decode()
    assert 'data-picker="judges"' in page and '<select name="judges"' not in page
    assert 'type="checkbox" name="judges__all"' in page
    rows = _rows(client, CREATE, judges__q="ประ")
    assert "ประภา กรรมการ" in rows and "ประยูร กรรมการ" in rows and "ชุติมา" not in rows
    assert "ศึกษานิเทศก์" in rows  # the role tells two namesakes apart


def test_the_officer_saves_judges_ticked_and_all_of_a_filter(client_for, programme, panel, users):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    response = client.post(CREATE, _data(programme, panel[:1]))
    assert response.status_code == 302
    round_ = AwardRound.objects.get()
    assert list(round_.judges.all()) == panel[:1]
    # "Select all filtered" with the filter "ประ" takes both whose names match.
    data = _data(programme, [], judges__all="1", judges__shown__q="ประ")
    response = client.post(reverse("community:round_edit", args=[round_.pk]), data)
    assert response.status_code == 302
    assert set(round_.judges.all()) == set(panel[:2])


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.SCHOOL_DIRECTOR, Role.TEACHER])
def test_other_roles_may_not_search_or_save_judges(client_for, role, programme, panel):
    client = client_for(role)
    assert client.get(CREATE, {"picker": "judges", "judges__q": "ประ"}).status_code == 403
    assert client.post(CREATE, _data(programme, panel)).status_code == 403
    assert not AwardRound.objects.exists()


def test_an_account_of_another_office_is_neither_found_nor_accepted(
    client_for, programme, panel, other_office
):
    stranger = make_user("stranger1", Role.SUPERVISOR, other_office, first_name="ต่างเขต")
    client = client_for(Role.DEVELOPMENT_OFFICER)
    rows = _rows(client, CREATE, judges__q="ต่างเขต")
    assert f'value="{stranger.pk}"' not in rows and "ไม่พบผู้ใช้ตามตัวกรองนี้" in rows
    response = client.post(CREATE, _data(programme, [panel[0], stranger]))
    assert response.status_code == 200
    assert "คณะกรรมการ: เลือกได้เฉพาะผู้ใช้ที่เปิดใช้งานของเขตพื้นที่นี้" in response.content.decode()
    assert not AwardRound.objects.exists()
