"""A director's or teacher's account follows their person record's school: a record moved to
another school (the person form, an import) moves what the account may see and decide, at
once, without anyone editing the account; moved out of the office or to no school, the account
sees no school's rows."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from krupd.testing import PASSWORD, make_office, make_person, make_school, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    office = make_office()
    old = make_school(office, code="1076100001", name="โรงเรียนเดิม")
    new = make_school(office, code="1076100002", name="โรงเรียนใหม่")
    director = make_person(office, old, first_name="ผู้อำนวยการ", personnel_type="director")
    user = make_user("moved-director", Role.SCHOOL_DIRECTOR, office, school=old, person=director)
    in_old = make_person(office, old, first_name="ครูเดิม")
    in_new = make_person(office, new, first_name="ครูใหม่")
    return office, old, new, director, user, in_old, in_new


def _status(client, person) -> int:
    return client.get(reverse("registry:person_detail", args=[person.pk])).status_code


def test_a_director_moved_to_another_school_sees_the_new_school_not_the_old(client, world):
    office, old, new, director, user, in_old, in_new = world
    client.force_login(user)
    assert (_status(client, in_old), _status(client, in_new)) == (200, 404)
    director.school = new
    director.save(update_fields=["school"])
    assert (_status(client, in_old), _status(client, in_new)) == (404, 200)


def test_a_director_moved_out_of_the_office_or_to_no_school_sees_no_school(client, world):
    office, old, new, director, user, in_old, in_new = world
    client.force_login(user)
    director.school = None
    director.save(update_fields=["school"])
    assert (_status(client, in_old), _status(client, in_new)) == (404, 404)
    elsewhere = make_office(code="7602", name="สพป.เพชรบุรี เขต 2")
    director.office, director.school = elsewhere, make_school(elsewhere, code="1076200001",
                                                               name="โรงเรียนเขตสอง")  # fmt: skip
    director.save(update_fields=["office", "school"])
    assert (_status(client, in_old), _status(client, in_new)) == (404, 404)


def test_a_password_change_writes_only_the_password(client, world):
    office, old, new, director, user, in_old, in_new = world
    director.school = new
    director.save(update_fields=["school"])
    client.force_login(user)
    data = {"old_password": PASSWORD, "new_password1": "ครูใหม่ปีนี้ 2569!",
            "new_password2": "ครูใหม่ปีนี้ 2569!"}  # fmt: skip
    assert client.post(reverse("accounts:password_change"), data).status_code == 302
    stored = User.objects.get(pk=user.pk)
    assert stored.check_password("ครูใหม่ปีนี้ 2569!")
    assert stored.school_id == old.pk  # the account's own school is the admin's to change
