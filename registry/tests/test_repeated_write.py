"""Two sendings of one form in the same instant both pass the form's own "already there"
check; the database's uniqueness rule refuses the second. The person then reads a Thai page
saying nothing was saved (409), not the server error page, and nothing of that sending is
written. Any other integrity fault stays a server error."""

from unittest import mock

import pytest
from django.db import IntegrityError
from django.urls import reverse

from accounts.roles import Role
from krupd.middleware import is_unique_violation
from krupd.testing import make_person
from registry.forms import PersonForm
from registry.models import AuditEntry, Person

pytestmark = pytest.mark.django_db


def _new_person(school, national_id: str) -> dict:
    return {
        "national_id": national_id, "title": "นาย", "first_name": "ส่งซ้ำ",
        "last_name": "พร้อมกัน", "gender": "male", "birth_date": "01/06/2530",
        "personnel_type": "teacher", "position": "ครู", "appointment_date": "16/05/2555",
        "status": "active", "school": school.pk,
    }  # fmt: skip


def test_the_second_of_two_simultaneous_sendings_reads_a_thai_page_and_saves_nothing(
    client_for, office, school
):
    first = make_person(office, school)
    people, entries = Person.objects.count(), AuditEntry.objects.count()
    # The form's check ran before the first sending was saved: it found nothing.
    with mock.patch.object(PersonForm, "validate_unique", lambda form: None):
        response = client_for(Role.OFFICE_ADMIN).post(
            reverse("registry:person_create"), _new_person(school, first.national_id)
        )
    assert response.status_code == 409
    page = response.content.decode()
    assert "ไม่ได้บันทึก เพราะรายการนี้มีอยู่แล้ว" in page
    assert "การส่งครั้งนี้ไม่ได้บันทึกข้อมูลใด ๆ" in page
    assert (Person.objects.count(), AuditEntry.objects.count()) == (people, entries)


class _DriverError(Exception):
    """As psycopg's errors: the SQLSTATE on the driver's exception, the IntegrityError's
    cause."""

    def __init__(self, sqlstate: str):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def test_only_a_uniqueness_refusal_is_told_so():
    assert is_unique_violation(IntegrityError("UNIQUE constraint failed: registry_person.x"))
    unique = IntegrityError("duplicate key value violates unique constraint")
    unique.__cause__ = _DriverError("23505")
    assert is_unique_violation(unique)
    missing = IntegrityError("FOREIGN KEY constraint failed")
    assert not is_unique_violation(missing)
    not_null = IntegrityError("null value in column violates not-null constraint")
    not_null.__cause__ = _DriverError("23502")
    assert not is_unique_violation(not_null)
    assert not is_unique_violation(ValueError("UNIQUE constraint failed"))
