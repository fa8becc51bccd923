"""The account form's person is found with the people picker (search by name or ID among the
free people of the chosen school), not picked from a drop-down of every name."""

import pytest
from django.urls import reverse

from accounts import actions
from accounts.models import User
from accounts.roles import Role
from krupd.testing import make_person

pytestmark = pytest.mark.django_db

CREATE = reverse("accounts:user_create")


@pytest.fixture
def new_teacher(office, school):
    return make_person(office, school, first_name="มานี", last_name="มีนา", title="นางสาว")


def _rows(client, url, **params):
    return client.get(url, {"picker": "person", **params}, HTTP_HX_REQUEST="true")


def test_the_person_is_a_search_with_radio_buttons(client_for, new_teacher, school):
    page = client_for(Role.OFFICE_ADMIN).get(CREATE).content.decode()
    assert 'data-picker="person"' in page and 'name="person__q"' in page
    assert '<select name="person"' not in page
    # The picker's searches send the school chosen on the form along, and choosing a school
    # asks for its rows in the same request queue as the search.
    assert 'hx-include="closest .picker, #id_school"' in page
    assert 'hx-trigger="input delay:350ms, change from:#id_school"' in page
    assert 'hx-sync="this:replace"' in page
    assert (
        "hx-get" not in page.split('name="school"')[1].split(">")[0]
    )  # the menu itself asks nothing


def test_a_search_keeps_to_the_chosen_schools_free_people(
    client_for, school, other_school, new_teacher, other_teacher
):
    client = client_for(Role.OFFICE_ADMIN)
    rows = _rows(client, CREATE, person__q="มานี", school=school.pk).content.decode()
    assert "มานี" in rows and "เลือกหนึ่งคน" in rows
    assert "สมศรี" not in _rows(client, CREATE, school=school.pk).content.decode()  # has one
    rows = _rows(client, CREATE, school=other_school.pk).content.decode()
    assert "สมชาย" in rows and "มานี" not in rows
    by_id = _rows(client, CREATE, person__q=new_teacher.national_id[:9], school=school.pk)
    assert "มานี" in by_id.content.decode()
    assert new_teacher.national_id not in by_id.content.decode()  # found by it, never shown


def test_changing_the_school_brings_its_people_and_keeps_the_search(
    client_for, school, other_school, new_teacher, other_teacher
):
    client = client_for(Role.OFFICE_ADMIN)
    rows = _rows(client, CREATE, school=other_school.pk).content.decode()
    assert 'class="picker-results"' in rows and "สมชาย" in rows and "มานี" not in rows
    assert 'name="person__q"' not in rows  # only the rows are replaced, never the search box
    rows = _rows(client, CREATE, school=school.pk, person__q="สมชาย").content.decode()
    assert 'class="picker-name">' not in rows  # the search typed before applies to the new school


def test_the_admin_creates_a_teacher_account_posting_the_pickers_fields(
    client_for, school, new_teacher
):
    response = client_for(Role.OFFICE_ADMIN).post(
        CREATE,
        {
            "username": "manee",
            "role": Role.TEACHER,
            "school": school.pk,
            "person": new_teacher.pk,
            "person__q": "มานี",
            "person__shown__q": "มานี",
            "person__shown__school": "",
            "must_change_password": "on",
        },
    )
    assert response.status_code == 200 and "สร้างบัญชีผู้ใช้แล้ว" in response.content.decode()
    account = User.objects.get(username="manee")
    assert account.person == new_teacher and account.school == school


@pytest.mark.parametrize("role", [Role.DEVELOPMENT_OFFICER, Role.SCHOOL_DIRECTOR, Role.TEACHER])
def test_other_roles_may_not_search_or_post_the_account_form(client_for, role, new_teacher):
    client = client_for(role)
    assert _rows(client, CREATE, person__q="มานี").status_code == 403
    response = client.post(
        CREATE, {"username": "x1", "role": Role.TEACHER, "person": new_teacher.pk}
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="x1").exists()


def test_a_person_of_another_office_is_neither_found_nor_accepted(
    client_for, school, foreign_person
):
    client = client_for(Role.OFFICE_ADMIN)
    rows = _rows(client, CREATE, person__q="ต่างเขต").content.decode()
    assert f'value="{foreign_person.pk}"' not in rows and "ไม่พบบุคลากรตามตัวกรองนี้" in rows
    response = client.post(
        CREATE, {"username": "foreign1", "role": Role.SUPERVISOR, "person": foreign_person.pk}
    )
    assert actions.PERSON_OTHER_OFFICE in response.content.decode()
    assert not User.objects.filter(username="foreign1").exists()


def test_the_account_picker_filters_and_renders_in_a_fixed_number_of_queries(office, school, users):
    from django import forms
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.picker import ACCOUNTS, AccountsPickerField
    from registry.queries import PickFilter

    candidates = User.objects.filter(office=office)

    class Form(forms.Form):
        judges = AccountsPickerField(queryset=candidates, label="คณะกรรมการ")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            Form().as_p()
        return len(queries)

    # The school is the director's own or their person record's; the role is the position.
    assert set(ACCOUNTS.match(candidates, PickFilter(school=str(school.pk)))) == {
        users[Role.SCHOOL_DIRECTOR],
        users[Role.TEACHER],
    }
    assert list(ACCOUNTS.match(candidates, PickFilter(role=Role.SUPERVISOR))) == [
        users[Role.SUPERVISOR]
    ]
    assert list(ACCOUNTS.match(candidates, PickFilter(q="สมศรี"))) == [users[Role.TEACHER]]
    before = count()
    for i in range(20):
        person = make_person(office, school, first_name=f"เพิ่ม{i}")
        User.objects.create_user(f"extra{i}", role=Role.TEACHER, office=office, person=person)
    assert count() == before
