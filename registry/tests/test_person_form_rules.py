"""The person form refuses what the data-quality page would flag, with a Thai message on the
field, and saves nothing: dates (future birth, appointed before 18), a position number
another active civil servant holds, and career changes dated when they took effect."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from krupd.lib import thai_dates
from krupd.testing import valid_national_id
from registry import quality
from registry.models import (
    AcademicStanding,
    AuditEntry,
    Employment,
    Person,
    PersonnelType,
    PersonStatus,
)

pytestmark = pytest.mark.django_db

DATE_RULES = ("age_today", "appointed_young", "appointed_old", "appointment_future")


def _be(day: dt.date) -> str:
    return thai_dates.format_thai_date(day)


def _post(school, **overrides):
    data = {
        "national_id": valid_national_id(),
        "title": "นาย",
        "first_name": "ใหม่",
        "last_name": "ทดสอบ",
        "gender": "male",
        "birth_date": "01/06/2530",
        "personnel_type": "teacher",
        "position": "ครู",
        "appointment_date": "16/05/2555",
        "status": "active",
        "school": school.pk,
    }
    data.update(overrides)
    return data


def _refused(response, field: str, words: str) -> None:
    assert response.status_code == 200
    form = response.context["form"]
    assert words in " ".join(form.errors.get(field, [])), form.errors
    assert not Person.objects.filter(first_name="ใหม่").exists()
    assert not AuditEntry.objects.filter(action="create").exists()


def test_it_refuses_a_birth_date_in_the_future(client_for, school):
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:person_create"),
        _post(school, birth_date="01/01/2600", appointment_date=""),
    )
    _refused(response, "birth_date", "วันเกิดเป็นวันในอนาคต")


def test_it_refuses_an_appointment_a_day_before_the_eighteenth_birthday(client_for, school):
    # Born 31 Dec 2543, appointed 1 Jan 2561: the years differ by 18, the age is 17.
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:person_create"),
        _post(school, birth_date="31/12/2543", appointment_date="01/01/2561"),
    )
    _refused(response, "appointment_date", "บรรจุก่อนอายุครบ 18 ปี")


def test_it_takes_an_appointment_on_the_eighteenth_birthday(client_for, school):
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:person_create"),
        _post(school, birth_date="31/12/2543", appointment_date="31/12/2561"),
    )
    assert response.status_code == 302


def test_it_refuses_an_appointment_in_the_future(client_for, school):
    later = timezone.localdate() + dt.timedelta(days=40)
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:person_create"), _post(school, appointment_date=_be(later))
    )
    _refused(response, "appointment_date", "วันบรรจุเป็นวันในอนาคต")


def test_it_refuses_an_active_child(client_for, school):
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:person_create"),
        _post(school, birth_date="01/01/2560", appointment_date=""),
    )
    _refused(response, "birth_date", "อายุปัจจุบันไม่อยู่ในช่วง 18–70 ปี")


DAYS = st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2040, 12, 31))


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(birth=st.one_of(st.none(), DAYS), appointed=st.one_of(st.none(), DAYS), today=DAYS)
def test_the_forms_date_checks_are_the_quality_rules(office, school, birth, appointed, today):
    """person_date_problems (Python, before saving) finds a problem on a field exactly when
    the data-quality rules on that field (SQL) would flag the saved person."""
    person = Person.objects.filter(school=school).first() or Person.objects.create(
        office=office, school=school, national_id=valid_national_id(), title="นาย",
        first_name="ก", last_name="ข", gender="male", personnel_type="teacher", position="ครู",
    )  # fmt: skip
    Person.objects.filter(pk=person.pk).update(birth_date=birth, appointment_date=appointed)
    ctx = quality.context_for(office, today=today)
    people = Person.objects.filter(pk=person.pk)
    flagged = {
        code
        for code in DATE_RULES
        if people.filter(quality.RULES_BY_CODE[code].problem_q(ctx)).exists()
    }
    found = quality.person_date_problems(
        birth_date=birth, appointment_date=appointed, today=today, active=True
    )
    flagged_birth = "age_today" in flagged
    flagged_appointment = bool(flagged & {"appointed_young", "appointed_old", "appointment_future"})
    assert ("birth_date" in found) == flagged_birth
    # A future appointment is reported before its age; otherwise the same rules.
    assert ("appointment_date" in found) == flagged_appointment


# ---------------------------------------------------------------------------------------------
# One holder per position number


def test_it_refuses_a_position_number_another_active_civil_servant_holds(
    client_for, school, teacher_person
):
    Person.objects.filter(pk=teacher_person.pk).update(position_number="1234")
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:person_create"), _post(school, position_number="๑๒ ๓๔")
    )
    _refused(response, "position_number", "เลขที่ตำแหน่ง 1234 มีข้าราชการที่ปฏิบัติงานอยู่ครองแล้ว")


@pytest.mark.parametrize(
    "holder, newcomer",
    [
        ({"status": PersonStatus.RETIRED}, {}),  # the number fell vacant: it may be reused
        ({"status": PersonStatus.RESIGNED}, {}),
        ({}, {"employment": "contract_teacher"}),  # contract staff hold no จ.18 number
    ],
)
def test_it_takes_a_position_number_nobody_in_service_holds(
    client_for, school, teacher_person, holder, newcomer
):
    Person.objects.filter(pk=teacher_person.pk).update(position_number="1234", **holder)
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:person_create"), _post(school, position_number="1234", **newcomer)
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Person.objects.get(first_name="ใหม่").position_number == "1234"


def test_a_person_keeps_their_own_position_number_when_edited(client_for, school, teacher_person):
    Person.objects.filter(pk=teacher_person.pk).update(position_number="1234")
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:person_edit", args=[teacher_person.pk]),
        _post(school, national_id=teacher_person.national_id, first_name="สมศรี",
              position_number="1234", position="ครูชำนาญการ"),
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors


# ---------------------------------------------------------------------------------------------
# Leaving service on the day it took effect


def _leave(client, person, status: str, effective: str):
    return client.post(
        reverse("registry:person_edit", args=[person.pk]),
        _post(person.school, national_id=person.national_id, first_name=person.first_name,
              status=status, effective_date=effective),
    )  # fmt: skip


def test_a_resignation_recorded_late_keeps_its_date_for_the_census(
    client_for, users, office, school, teacher_person, other_teacher
):
    from staffing import queries as staffing

    census = staffing.census_date_for(office, 2569)
    assert census == dt.date(2026, 6, 10)
    client = client_for(Role.OFFICE_ADMIN)

    def counted() -> int:
        analysis = staffing.analyse(users[Role.OFFICE_ADMIN], academic_year=2569)
        return sum(s.actual_teachers for s in analysis.schools)

    assert counted() == 2
    # Resigned on 1 July 2569, after the census day: still counted on 10 June 2569.
    assert _leave(client, teacher_person, "resigned", "01/07/2569").status_code == 302
    change = teacher_person.position_changes.get(field="สถานะ")
    assert (change.effective_date, change.old_value, change.new_value) == (
        dt.date(2026, 7, 1), "ปฏิบัติงาน", "ลาออก",
    )  # fmt: skip
    assert counted() == 2
    # Died on 1 June 2569, before it, recorded only now: not counted.
    assert _leave(client, other_teacher, "deceased", "01/06/2569").status_code == 302
    assert counted() == 1


def test_it_refuses_an_effective_date_in_the_future(client_for, teacher_person):
    later = timezone.localdate() + dt.timedelta(days=3)
    response = _leave(client_for(Role.OFFICE_ADMIN), teacher_person, "resigned", _be(later))
    assert response.status_code == 200
    assert "วันที่มีผลต้องไม่เป็นวันในอนาคต" in response.context["form"].errors["effective_date"][0]
    teacher_person.refresh_from_db()
    assert teacher_person.status == PersonStatus.ACTIVE
    assert not teacher_person.position_changes.exists()


def test_a_new_person_form_asks_no_effective_date(client_for):
    html = client_for(Role.OFFICE_ADMIN).get(reverse("registry:person_create")).content.decode()
    assert 'name="effective_date"' not in html


# ---------------------------------------------------------------------------------------------
# Standing, employment and secondment as the data-quality page reads them

FIELD_RULES = {
    "standing_type": "academic_standing",
    "employment_type": "employment",
    "secondment_ended": "secondment_until",
}


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    personnel_type=st.sampled_from(list(PersonnelType)),
    employment=st.sampled_from(list(Employment)),
    standing=st.sampled_from([None, "assistant", "k1", "k2", "k3"]),
    secondment=st.sampled_from(["", "in", "out"]),
    until=st.one_of(st.none(), DAYS),
    today=DAYS,
)
def test_the_forms_other_checks_are_the_quality_rules(
    office, school, personnel_type, employment, standing, secondment, until, today
):
    person = Person.objects.filter(school=school).first() or Person.objects.create(
        office=office, school=school, national_id=valid_national_id(), title="นาย",
        first_name="ก", last_name="ข", gender="male", personnel_type="teacher", position="ครู",
    )  # fmt: skip
    Person.objects.filter(pk=person.pk).update(
        personnel_type=personnel_type,
        employment=employment,
        academic_standing=AcademicStanding.objects.filter(code=standing).first(),
        secondment=secondment,
        secondment_until=until,
    )
    ctx = quality.context_for(office, today=today)
    people = Person.objects.filter(pk=person.pk)
    flagged = {
        field
        for code, field in FIELD_RULES.items()
        if people.filter(quality.RULES_BY_CODE[code].problem_q(ctx)).exists()
    }
    found = quality.person_field_problems(
        personnel_type=personnel_type, employment=employment, standing_code=standing,
        secondment=secondment, secondment_until=until, today=today,
    )  # fmt: skip
    assert set(found) == flagged


@pytest.mark.parametrize(
    "overrides, field, words",
    [
        ({"personnel_type": "employee", "position": "นักการ"}, "employment",
         "ประเภทบุคลากรเป็นลูกจ้าง/พนักงานราชการ แต่ประเภทการจ้างเป็นข้าราชการ"),
        ({"personnel_type": "teacher", "academic_standing": "assistant"}, "academic_standing",
         "วิทยฐานะไม่สอดคล้องกับประเภทบุคลากร"),
        ({"secondment": "out", "secondment_until": "30/09/2560"}, "secondment_until",
         "พ้นกำหนดช่วยราชการแล้ว"),
    ],
)  # fmt: skip
def test_it_refuses_what_the_quality_page_would_flag(client_for, school, overrides, field, words):
    if "academic_standing" in overrides:
        overrides["academic_standing"] = AcademicStanding.objects.get(code="assistant").pk
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:person_create"), _post(school, **overrides)
    )
    _refused(response, field, words)


def test_the_error_summary_names_the_fields_to_correct(client_for, school):
    response = client_for(Role.OFFICE_ADMIN).post(
        reverse("registry:person_create"),
        _post(school, first_name="", birth_date="01/01/2600", appointment_date=""),
    )
    html = response.content.decode()
    summary = html[html.index("กรุณาแก้ไขข้อมูลที่มีข้อความสีแดง") :].split("</p>")[0]
    assert summary.endswith("(2 ช่อง): ชื่อ, วันเกิด (พ.ศ.)")
