"""Account forms offer no school closed or merged into another (ปิด/ยุบรวม): a new account is
refused one, saying so; an account already at one keeps it, shown and saved unchanged."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts import actions
from accounts.models import User
from accounts.roles import Role
from krupd.testing import make_person, make_school
from registry.actions import close_school

pytestmark = pytest.mark.django_db

CREATE = reverse("accounts:user_create")
SCHOOL_ACCOUNTS = reverse("accounts:school_accounts")


def _close(school, into=None, day=dt.date(2025, 5, 16)):
    close_school(acting_user=None, school=school, closed_on=day, merged_into=into,
                 reason="นักเรียนน้อย")  # fmt: skip


def _offered(response) -> set[str]:
    field = response.context["form"]["school"]
    return {str(value) for value, _label in field.field.widget.choices if value != ""}


def test_the_account_form_offers_open_schools_only(client_for, school, other_school):
    _close(other_school, into=school)
    response = client_for(Role.OFFICE_ADMIN).get(CREATE)
    assert _offered(response) == {str(school.pk)}
    assert other_school.name not in response.content.decode()


def test_a_school_closing_on_a_day_to_come_is_still_offered(client_for, school, other_school):
    _close(other_school, day=dt.date(2999, 1, 1))
    response = client_for(Role.OFFICE_ADMIN).get(CREATE)
    assert _offered(response) == {str(school.pk), str(other_school.pk)}


def test_a_new_account_at_a_closed_school_is_refused_in_thai(client_for, office, other_school):
    person = make_person(office, other_school, first_name="มานี", last_name="มีนา")
    _close(other_school)
    response = client_for(Role.OFFICE_ADMIN).post(CREATE, {
        "username": "manee.m", "role": Role.SCHOOL_DIRECTOR, "school": other_school.pk,
        "person": person.pk,
    })  # fmt: skip
    assert response.status_code == 200
    assert actions.SCHOOL_CLOSED in response.content.decode()
    assert not User.objects.filter(username="manee.m").exists()


def test_an_account_at_a_closed_school_shows_and_saves_unchanged(client_for, users, school):
    director = users[Role.SCHOOL_DIRECTOR]  # runs `school`
    _close(school)
    client = client_for(Role.OFFICE_ADMIN)
    edit = reverse("accounts:user_edit", args=[director.pk])
    response = client.get(edit)
    assert str(school.pk) in _offered(response)
    assert response.context["form"]["school"].value() == school.pk
    saved = client.post(edit, {"first_name": "ใหม่", "last_name": director.last_name,
                               "role": director.role, "school": school.pk, "is_active": "on"})  # fmt: skip
    assert saved.status_code == 302
    director.refresh_from_db()
    assert (director.school, director.first_name) == (school, "ใหม่")


def test_another_account_may_not_be_moved_to_a_closed_school(client_for, users, school,
                                                             other_school):  # fmt: skip
    supervisor = users[Role.SUPERVISOR]
    _close(other_school)
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("accounts:user_edit", args=[supervisor.pk]),
        {"first_name": "ก", "last_name": "ข", "role": Role.SCHOOL_DIRECTOR,
         "school": other_school.pk, "is_active": "on"},
    )  # fmt: skip
    assert actions.SCHOOL_CLOSED in response.content.decode()
    supervisor.refresh_from_db()
    assert supervisor.role == Role.SUPERVISOR and supervisor.school is None


def test_a_closed_schools_teacher_accounts_are_neither_offered_nor_made(client_for, office,
                                                                        school, other_school):  # fmt: skip
    make_person(office, other_school, first_name="กานดา", last_name="ก")
    _close(other_school)
    client = client_for(Role.OFFICE_ADMIN)
    assert _offered(client.get(SCHOOL_ACCOUNTS)) == {str(school.pk)}
    response = client.post(SCHOOL_ACCOUNTS, {"school": other_school.pk})
    assert actions.SCHOOL_CLOSED in response.content.decode()
    assert not User.objects.filter(school=other_school).exists()


@pytest.mark.parametrize("role", [Role.DEVELOPMENT_OFFICER, Role.SCHOOL_DIRECTOR, Role.TEACHER])
def test_the_account_forms_stay_refused_to_other_roles(client_for, role, school):
    client = client_for(role)
    assert client.get(CREATE).status_code in (403, 404)
    assert client.get(SCHOOL_ACCOUNTS).status_code in (403, 404)


def test_the_account_and_person_forms_offer_the_same_schools(users, office, school,
                                                             other_school):  # fmt: skip
    """One condition (registry.queries.offered_today): open today, and the record's own. The
    person form narrows its queryset to them; the account forms list them and read any
    school of the office, so that a closed one is refused saying it is closed."""
    from accounts.forms import AccountForm
    from registry.actions import rules_for
    from registry.forms import PersonForm
    from registry.models import Person
    from registry.queries import schools_visible_to

    later = make_school(office, code="1076019990", name="โรงเรียนปิดภายหลัง")
    close_school(acting_user=None, school=later, closed_on=dt.date(2999, 1, 1), merged_into=None,
                 reason="นักเรียนน้อย")  # fmt: skip
    _close(other_school)
    admin = users[Role.OFFICE_ADMIN]

    def person_offers(person):
        form = PersonForm(instance=person, schools=schools_visible_to(admin),
                          rules=rules_for(office))  # fmt: skip
        return {str(s.pk) for s in form.fields["school"].queryset}

    def account_offers(account):
        choices = AccountForm(instance=account, acting_user=admin).fields["school"].widget.choices
        return {str(value) for value, _label in choices if value != ""}

    assert person_offers(Person(office=office)) == account_offers(User(office=office))
    assert account_offers(User(office=office)) == {str(school.pk), str(later.pk)}
    stays = make_person(office, other_school, first_name="ยังอยู่")
    account = User(office=office, role=Role.TEACHER, school=other_school, person=stays)
    assert person_offers(stays) == account_offers(account) == {
        str(school.pk), str(later.pk), str(other_school.pk)
    }  # fmt: skip
