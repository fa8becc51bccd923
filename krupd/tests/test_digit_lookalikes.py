"""Characters Python calls digits that are no number here: a superscript "²", a circled "①".

``str.isdigit()`` passes them, and ``int()`` then fails on them (a server error), or a code
made of them ("¹²³…") was stored as if typed with 0–9. Every number or code read from a
person's typing is checked with ``numerals.is_ascii_digits`` (Thai digits made Arabic first,
as before) or read with ``query_params``; those are refused in Thai or match nothing.
"""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from krupd.lib.numerals import is_ascii_digits
from krupd.testing import *  # noqa: F403 (fixtures)

LOOKALIKES = ["²", "①", "¹²", "٣"]  # superscripts, a circled one, an Arabic-Indic three


def test_only_0_to_9_are_digits():
    assert is_ascii_digits("2569") and is_ascii_digits("0")
    for text in [*LOOKALIKES, "", " 1", "-1", "1.5", "๒๕๖๙"]:
        assert not is_ascii_digits(text), text  # Thai digits are made Arabic by the caller


@pytest.mark.django_db
@pytest.mark.parametrize("value", [*LOOKALIKES, pytest.param("9" * 5000, id="5000-digits")])
def test_a_picker_asked_for_a_lookalike_id_answers_its_list(client_for, office, value):
    from training.models import Course, Session

    course = Course.objects.create(
        office=office, title="หลักสูตรทดสอบ", mode="workshop", hours=6, fiscal_year=2569
    )
    day = dt.date(2026, 2, 1)
    session = Session.objects.create(course=course, start_date=day, end_date=day, capacity=40)
    client = client_for(Role.DEVELOPMENT_OFFICER)
    response = client.get(
        reverse("training:nominate", args=[session.pk]),
        {"picker": "people", "people": [value, "5"]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("section", ["²", "①", pytest.param("9" * 5000, id="5000-digits")])
def test_a_pa_pack_section_that_is_no_number_is_not_found(client_for, users, teacher_person,
                                                         section):  # fmt: skip
    from career import actions

    agreement = actions.start_agreement(
        acting_user=users[Role.TEACHER], person=teacher_person, fiscal_year=2569
    )
    client = client_for(Role.TEACHER)
    assert client.get(f"/career/pa/{agreement.pk}/pack/section/1/").status_code == 200
    assert client.get(f"/career/pa/{agreement.pk}/pack/section/๑/").status_code == 200
    response = client.get(f"/career/pa/{agreement.pk}/pack/section/{section}/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()


@pytest.mark.parametrize("text", ["²/06", "10/⁶", "①/①"])
def test_a_census_day_of_lookalike_digits_names_no_day(text):
    from registry.models import census_day_parts

    assert census_day_parts(text) is None
    assert census_day_parts("๑๐/๐๖") == (10, 6)


@pytest.mark.django_db
def test_a_school_code_of_lookalike_digits_is_refused(office):
    from registry.forms import SchoolForm

    data = {"obec_code": "¹⁰⁷⁶⁰¹⁰⁰⁰¹", "name": "โรงเรียนทดสอบ", "level": "primary",
            "district": "เมือง"}  # fmt: skip
    form = SchoolForm(data, office=office)
    assert not form.is_valid()
    assert form.errors["obec_code"] == ["รหัสสถานศึกษาต้องเป็นตัวเลข 10 หลัก"]
    typed = SchoolForm({**data, "obec_code": "๑๐๗๖๐๑๐๐๐๑"}, office=office)
    assert typed.is_valid(), typed.errors
    assert typed.cleaned_data["obec_code"] == "1076010001"  # stored as before


@pytest.mark.django_db
def test_an_onet_year_of_lookalike_digits_is_a_row_error(school):
    from reporting.onet import parse_onet
    from reporting.tests.helpers import onet_sheet

    data = onet_sheet([(school.obec_code, "คณิตศาสตร์", "²⁵⁶⁷", 45.5)])
    parsed = parse_onet(data, school_codes={school.obec_code})
    assert parsed.errors == ["แถวที่ 3: ปีการศึกษา “²⁵⁶⁷” ไม่ใช่ตัวเลข"]
