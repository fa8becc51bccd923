"""Employment type and secondment (ช่วยราชการ): the form, audit, history, detail page, quality."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from krupd.testing import make_person, make_school
from registry import quality
from registry.models import (
    AuditEntry,
    Employment,
    PersonnelType,
    PositionChange,
    Secondment,
)

from .test_quality import TODAY, good_teacher, problem_codes
from .test_views import _person_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(office):
    return quality.context_for(office, today=TODAY)


def _edit_post(person, **overrides):
    data = _person_post(
        national_id=person.national_id, first_name=person.first_name, school=person.school_id
    )
    data.update(overrides)
    return data


def test_a_secondment_saved_in_the_form_is_audited_and_kept_in_history(
    client_for, teacher_person, other_school
):
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("registry:person_edit", args=[teacher_person.pk])
    response = client.post(
        url,
        _edit_post(teacher_person, secondment="out", secondment_school=other_school.pk,
                   secondment_until="30/09/2570", employment="civil_servant"),
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    teacher_person.refresh_from_db()
    assert teacher_person.secondment == Secondment.OUT
    assert teacher_person.secondment_school == other_school
    assert teacher_person.secondment_until == dt.date(2027, 9, 30)
    entry = AuditEntry.objects.filter(action="update", object_id=str(teacher_person.pk)).latest(
        "at"
    )
    assert entry.changes["secondment"] == ["", "ไปช่วยราชการ"]
    assert entry.changes["secondment_school"] == [None, other_school.name]
    history = dict(
        PositionChange.objects.filter(person=teacher_person).values_list("field", "new_value")
    )
    assert history["การช่วยราชการ"] == "ไปช่วยราชการ"
    assert history["สถานศึกษาที่ช่วยราชการ"] == other_school.name

    page = client.get(reverse("registry:person_detail", args=[teacher_person.pk])).content.decode()
    assert "ไปช่วยราชการ" in page and other_school.name in page and "ข้าราชการ" in page


def test_the_form_defaults_to_civil_servant_and_checks_secondment_fields(
    client_for, teacher_person, school, other_school
):
    client = client_for(Role.OFFICE_ADMIN)
    url = reverse("registry:person_edit", args=[teacher_person.pk])
    response = client.post(url, _edit_post(teacher_person, secondment_school=other_school.pk))
    assert response.status_code == 200 and "ไม่ได้เลือกการช่วยราชการ" in response.content.decode()
    response = client.post(
        url, _edit_post(teacher_person, secondment="out", secondment_school=school.pk)
    )
    assert "ต้องไม่ใช่สถานศึกษาต้นสังกัด" in response.content.decode()
    response = client.post(url, _edit_post(teacher_person, employment="contract_teacher"))
    assert response.status_code == 302
    teacher_person.refresh_from_db()
    assert teacher_person.employment == Employment.CONTRACT_TEACHER and teacher_person.is_contract
    history = PositionChange.objects.filter(person=teacher_person, field="ประเภทการจ้าง").get()
    assert (history.old_value, history.new_value) == ("ข้าราชการ", "ครูอัตราจ้าง")


def test_quality_flags_secondments_without_a_school_or_past_their_end(office, ctx, school):
    other = make_school(office, code="1076010009", name="โรงเรียนปลายทาง")
    no_school = good_teacher(school, secondment=Secondment.OUT)
    ended = good_teacher(school, secondment=Secondment.IN, secondment_school=other,
                         secondment_until=TODAY - dt.timedelta(days=1))  # fmt: skip
    fine = good_teacher(school, secondment=Secondment.OUT, secondment_school=other,
                        secondment_until=TODAY)  # fmt: skip
    assert "secondment_school" in problem_codes(no_school, ctx)
    assert "secondment_ended" in problem_codes(ended, ctx)
    assert problem_codes(fine, ctx) == set()


def test_quality_flags_an_employee_line_recorded_as_a_civil_servant(office, ctx, school):
    employee = make_person(office, school, personnel_type=PersonnelType.EMPLOYEE,
                           academic_standing=None)  # fmt: skip
    assert "employment_type" in problem_codes(employee, ctx)
    employee.employment = Employment.GOVERNMENT_EMPLOYEE
    employee.save()
    assert "employment_type" not in problem_codes(employee, ctx)
