"""A PA is about a fiscal year read from the page's address (?fy=). A year no PA can be about
(?fy=2600, a year before PA existed) starts nothing and is refused in Thai; the pages show
the current year instead, saying why."""

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from accounts.roles import Role
from career import actions, queries
from career.models import PAAgreement
from krupd.lib import thai_dates

pytestmark = pytest.mark.django_db
TEACHER, ADMIN = Role.TEACHER, Role.OFFICE_ADMIN


def _said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("typed", ["2600", "2700", "2564", "๒๖๐๐"])
def test_a_teacher_cannot_start_a_pa_for_a_nonsense_year(client, users, teacher_person, typed):
    client.force_login(users[TEACHER])
    response = client.post(f"/career/pa/?fy={typed}")
    assert response.status_code == 302 and response["Location"] == "/career/pa/"
    assert not PAAgreement.objects.exists()
    said = _said(response)
    assert len(said) == 1 and "อยู่นอกช่วงที่จัดทำข้อตกลง (PA) ได้" in said[0], said
    assert str(int(typed.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")))) in said[0]


def test_the_current_and_next_year_and_a_short_year_start_one(client, users, teacher_person):
    current = thai_dates.fiscal_year(timezone.localdate())
    client.force_login(users[TEACHER])
    for typed in (str(current), str(current + 1), str(current - 2)[-2:]):
        assert client.post(f"/career/pa/?fy={typed}").status_code == 302
    assert sorted(PAAgreement.objects.values_list("fiscal_year", flat=True)) == [
        current - 2,
        current,
        current + 1,
    ]


def test_the_action_refuses_a_year_outside_the_range(users, teacher_person):
    low, high = queries.pa_years()
    for year in (low - 1, high + 1, 2600):
        with pytest.raises(actions.CareerError, match=f"ปีงบประมาณ {year} อยู่นอกช่วง"):
            actions.start_agreement(
                acting_user=users[TEACHER], person=teacher_person, fiscal_year=year
            )
    assert not PAAgreement.objects.exists()


@pytest.mark.parametrize("url, role", [("/career/pa/", TEACHER), ("/career/pa/status/", ADMIN)])
def test_the_pages_say_the_year_is_refused_and_show_the_current_one(
    client, users, teacher_person, url, role
):
    client.force_login(users[role])
    response = client.get(f"{url}?fy=2600")
    assert response.status_code == 200
    assert response.context["fy"] == thai_dates.fiscal_year(timezone.localdate())
    assert any("ปีงบประมาณ 2600 อยู่นอกช่วง" in m for m in _said(response))
