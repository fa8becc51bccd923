"""Every school filter keeps a school closed or merged into another (its people and records
stay findable by it) and says so after its name, "(ปิด/ยุบรวม)", as the people page's does:
the accounts list's, the people picker's and the out-of-field page's list of schools. One
closing on a day still to come reads as open; forms for a new record still offer open
schools only."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from krupd.testing import make_person, make_school, make_user
from registry.actions import close_school
from registry.labels import CLOSED_SCHOOL_MARK, school_filter_labels
from registry.models import LearningArea, Major, School
from registry.picker import school_menu

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 1, 10)


def _close(school, day=dt.date(2025, 5, 16)):
    close_school(acting_user=None, school=school, closed_on=day, merged_into=None,
                 reason="นักเรียนน้อย")  # fmt: skip


def test_the_label_marks_a_school_closed_by_today_and_names_namesakes_by_code():
    rows = [
        (1, "บ้านหนองบัว", "1076010001", None),
        (2, "บ้านหนองบัว", "1076010002", dt.date(2025, 5, 16)),
        (3, "บ้านนา", "1076010003", TODAY),  # closed from today on
        (4, "บ้านไร่", "1076010004", TODAY + dt.timedelta(days=1)),  # closes tomorrow
    ]
    assert school_filter_labels(rows, TODAY) == {
        1: "บ้านหนองบัว (1076010001)",
        2: "บ้านหนองบัว (1076010002) (ปิด/ยุบรวม)",
        3: "บ้านนา (ปิด/ยุบรวม)",
        4: "บ้านไร่",
    }
    assert CLOSED_SCHOOL_MARK == "(ปิด/ยุบรวม)"


def test_the_accounts_list_filter_keeps_a_closed_school_and_says_so(
    client_for, office, school, other_school
):
    make_user("teacher.closed", Role.TEACHER, office=office, school=other_school)
    _close(other_school)
    later = make_school(office, code="1076019990", name="โรงเรียนปิดภายหลัง")
    _close(later, day=dt.date(2999, 1, 1))
    client = client_for(Role.OFFICE_ADMIN)
    page = client.get(reverse("accounts:users")).content.decode()
    assert f">{other_school.name} (ปิด/ยุบรวม)</option>" in page
    assert f">{school.name}</option>" in page and ">โรงเรียนปิดภายหลัง</option>" in page
    # Still found by it.
    found = client.get(reverse("accounts:users"), {"school": other_school.pk})
    assert "teacher.closed" in found.content.decode()
    # The account form still offers open schools only.
    form = client.get(reverse("accounts:user_create")).content.decode()
    assert other_school.name not in form


def test_the_people_pickers_school_menu_says_a_school_is_closed(office, school, other_school):
    _close(other_school)
    later = make_school(office, code="1076019990", name="โรงเรียนปิดภายหลัง")
    _close(later, day=dt.date(2999, 1, 1))
    menu = school_menu(School.objects.filter(office=office))
    assert dict(menu.choices) == {
        school.pk: school.name,
        other_school.pk: f"{other_school.name} (ปิด/ยุบรวม)",
        later.pk: "โรงเรียนปิดภายหลัง",
    }


def test_a_picker_page_lists_a_closed_school_whose_people_are_chosen_among(
    client_for, office, school, other_school
):
    """The people picker of a page (a PLC group's members) offers the people still placed at
    a closed school; its school menu says the school is closed."""
    make_person(office, school, first_name="เปิด")
    make_person(office, other_school, first_name="ยังอยู่")
    _close(other_school)
    page = client_for(Role.OFFICE_ADMIN).get(reverse("community:plc_create")).content.decode()
    assert f">{other_school.name} (ปิด/ยุบรวม)</option>" in page


def test_the_out_of_field_schools_list_says_a_school_is_closed(client_for, office, school):
    closed = make_school(office, code="1076019991", name="โรงเรียนบ้านเล็ก")
    thai = LearningArea.objects.get(code="thai")
    for where, name in ((school, "หนึ่ง"), (closed, "สอง")):
        person = make_person(office, where, first_name=name,
                             major=Major.objects.get(name="คณิตศาสตร์"))  # fmt: skip
        person.areas_taught.set([thai])
    _close(closed)
    page = client_for(Role.OFFICE_ADMIN).get(reverse("staffing:out_of_field")).content.decode()
    assert f'?school={closed.pk}">โรงเรียนบ้านเล็ก (ปิด/ยุบรวม)</a>' in page
    assert f'?school={school.pk}">{school.name}</a>' in page
