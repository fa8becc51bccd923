"""An approved วิทยฐานะ request changes the person's standing in the registry, with its
history dated the day it took effect; a request for a standing not above the current one is
refused on the field."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from career.models import RequestStatus, StandingRequest
from krupd.lib import thai_dates
from registry.models import AcademicStanding, AuditEntry

pytestmark = pytest.mark.django_db


def _post(client, person, standing_code: str, status: str, request=None, **extra):
    url = (
        reverse("career:standing_request_edit", args=[request.pk])
        if request
        else reverse("career:standing_request")
    )
    data = {
        "person": person.pk,
        "to_standing": AcademicStanding.objects.get(code=standing_code).pk,
        "submitted_on": "01/03/2569",
        "status": status,
        "note": "",
        **extra,
    }
    return client.post(url, data)


def test_approving_a_request_promotes_the_person_from_the_day_it_took_effect(
    client_for, teacher_person
):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    assert teacher_person.academic_standing.code == "k2"
    response = _post(client, teacher_person, "k3", RequestStatus.SUBMITTED)
    assert response.status_code == 302
    teacher_person.refresh_from_db()
    assert teacher_person.academic_standing.code == "k2"  # not yet approved
    request = StandingRequest.objects.get()
    response = _post(client, teacher_person, "k3", RequestStatus.APPROVED, request=request,
                     effective_date="15/03/2569")  # fmt: skip
    assert response.status_code == 302
    teacher_person.refresh_from_db()
    assert teacher_person.academic_standing.code == "k3"
    assert teacher_person.salary_grade == "คศ.3"
    history = {c.field: c for c in teacher_person.position_changes.all()}
    assert history["วิทยฐานะ"].old_value == "ชำนาญการ"
    assert history["วิทยฐานะ"].new_value == "ชำนาญการพิเศษ"
    assert history["วิทยฐานะ"].effective_date == dt.date(2026, 3, 15)
    assert history["อันดับ"].new_value == "คศ.3"
    assert AuditEntry.objects.filter(
        object_type="person", object_id=str(teacher_person.pk), action="update"
    ).exists()


def test_an_approval_without_a_date_takes_effect_on_the_submission_day(client_for, teacher_person):
    response = _post(client_for(Role.DEVELOPMENT_OFFICER), teacher_person, "k3", "approved")
    assert response.status_code == 302
    change = teacher_person.position_changes.get(field="วิทยฐานะ")
    assert change.effective_date == dt.date(2026, 3, 1)


def test_it_refuses_a_standing_not_above_the_current_one(client_for, teacher_person):
    response = _post(client_for(Role.DEVELOPMENT_OFFICER), teacher_person, "k2", "submitted")
    assert response.status_code == 200
    assert "วิทยฐานะที่ขอต้องสูงกว่าวิทยฐานะปัจจุบัน (ชำนาญการ)" in str(
        response.context["form"].errors["to_standing"]
    )
    assert not StandingRequest.objects.exists()


def test_it_refuses_an_effective_date_in_the_future(client_for, teacher_person):
    later = thai_dates.format_thai_date(timezone.localdate() + dt.timedelta(days=2))
    response = _post(client_for(Role.DEVELOPMENT_OFFICER), teacher_person, "k3", "approved",
                     effective_date=later)  # fmt: skip
    assert response.status_code == 200
    assert "วันที่มีผลต้องไม่เป็นวันในอนาคต" in str(response.context["form"].errors)
    teacher_person.refresh_from_db()
    assert teacher_person.academic_standing.code == "k2"
    assert not StandingRequest.objects.exists()


def test_the_note_of_an_approved_request_can_still_be_edited(client_for, teacher_person):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    assert _post(client, teacher_person, "k3", "approved").status_code == 302
    request = StandingRequest.objects.get()
    response = _post(client, teacher_person, "k3", "approved", request=request, note="ครบ")
    assert response.status_code == 302
    assert teacher_person.position_changes.filter(field="วิทยฐานะ").count() == 1


def test_an_approved_request_keeps_its_person_standing_and_state(client_for, teacher_person):
    """After approval the officer could switch the request to another teacher, another
    standing or back to "submitted": the registry kept the standing it had given, so the
    request and the registry disagreed. Now the form says which field cannot change and keeps
    what was typed; nothing is saved."""
    client = client_for(Role.DEVELOPMENT_OFFICER)
    assert _post(client, teacher_person, "k3", "approved").status_code == 302
    request = StandingRequest.objects.get()
    page = _post(client, teacher_person, "k4", RequestStatus.SUBMITTED, request=request,
                 note="พิมพ์ไว้")  # fmt: skip
    assert page.status_code == 200
    assert "คำขอนี้อนุมัติแล้ว แก้ไข“ขอวิทยฐานะ”และ“สถานะ”ไม่ได้" in page.content.decode()
    assert "พิมพ์ไว้" in page.content.decode()
    request.refresh_from_db()
    assert (request.to_standing.code, request.status, request.note) == ("k3", "approved", "")


def test_an_officer_never_approves_their_own_standing_request(client_for, users, school):
    from krupd.testing import make_person

    officer = users[Role.DEVELOPMENT_OFFICER]
    officer.person = make_person(officer.office, school, first_name="เจ้าหน้าที่", last_name="เอง")
    officer.save()
    client = client_for(Role.DEVELOPMENT_OFFICER)
    page = _post(client, officer.person, "k3", "approved")
    assert page.status_code == 200 and "เรื่องของตนเอง" in page.content.decode()
    assert not StandingRequest.objects.exists()
    assert _post(client, officer.person, "k3", RequestStatus.SUBMITTED).status_code == 302


def test_a_request_sent_twice_is_saved_once(client_for, teacher_person):
    """The new-request form sent twice (a double click, a reload) saved two requests of the
    same person for the same standing, both counted as waiting."""
    client = client_for(Role.DEVELOPMENT_OFFICER)
    assert _post(client, teacher_person, "k3", RequestStatus.SUBMITTED).status_code == 302
    again = _post(client, teacher_person, "k3", RequestStatus.SUBMITTED)
    assert again.status_code == 200
    assert "บันทึกไว้แล้ว (ข้อมูลเหมือนกันทุกช่อง)" in again.content.decode()
    assert StandingRequest.objects.filter(person=teacher_person).count() == 1
