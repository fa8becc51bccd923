"""Imports that name a school closed or merged into another (ปิด/ยุบรวม)."""

import datetime as dt

from imports.models import BatchStatus
from registry import actions as registry_actions
from registry.models import AuditEntry, School

from .conftest import xlsx_bytes
from .test_kinds import SCHOOL_HEADER, apply, upload
from .test_personnel import HEADER, errors_of, person_row

CLOSED = dt.date(2025, 5, 16)


def _close(school, into=None):
    registry_actions.close_school(acting_user=None, school=school, closed_on=CLOSED,
                                  merged_into=into)  # fmt: skip


def _notes(batch) -> str:
    return " ".join(item for note in batch.preview_notes for item in note["items"])


def test_a_new_appointment_to_a_closed_school_is_refused_naming_the_row(
    client, admin, school_a, school_b, make_person
):
    make_person(2, school=school_a)
    _close(school_a, school_b)
    client.force_login(admin)
    batch = upload(client, "personnel", "hrms.xlsx", xlsx_bytes([
        HEADER,
        person_row(1),  # new, at the closed school: refused
        person_row(2),  # already there: imported as filed, with a warning to move them
        person_row(3, **{"รหัสสถานศึกษา": "1076100102", "ชื่อสถานศึกษา": "โรงเรียนบ้านสอง"}),
    ]))  # fmt: skip
    errors = errors_of(batch)
    message = errors[(2, "รหัสสถานศึกษา")]
    assert "โรงเรียนบ้านหนึ่ง (1076100101)" in message and "ยุบรวมกับโรงเรียนบ้านสอง" in message
    assert "บรรจุหรือแต่งตั้งบุคลากรใหม่ที่สถานศึกษานี้ไม่ได้" in message
    assert set(errors) == {(2, "รหัสสถานศึกษา")}
    assert "แถวที่ 3 คอลัมน์ รหัสสถานศึกษา: โรงเรียนบ้านหนึ่ง ปิด/ยุบรวมเมื่อ" in _notes(batch)
    assert (batch.count_new, batch.count_error) == (1, 1)


def test_moving_someone_into_a_closed_school_by_import_is_refused(
    client, admin, school_a, school_b, make_person
):
    person = make_person(1, school=school_b)
    _close(school_a)
    client.force_login(admin)
    batch = upload(client, "personnel", "hrms.xlsx", xlsx_bytes([HEADER, person_row(1)]))
    assert "ย้ายบุคลากรไปสถานศึกษานี้ไม่ได้" in errors_of(batch)[(2, "รหัสสถานศึกษา")]
    person.refresh_from_db()
    assert person.school == school_b


def test_a_school_that_closes_later_takes_new_people(client, admin, school_a):
    registry_actions.close_school(acting_user=None, school=school_a,
                                  closed_on=dt.date(2999, 1, 1))  # fmt: skip
    client.force_login(admin)
    batch = upload(client, "personnel", "hrms.xlsx", xlsx_bytes([HEADER, person_row(1)]))
    assert (batch.count_new, batch.count_error) == (1, 0)
    assert _notes(batch) == ""


CLOSING_HEADER = [*SCHOOL_HEADER, "วันที่ปิด/ยุบรวม", "ยุบรวมกับ (รหัสสถานศึกษา)", "เหตุผลการปิด/ยุบรวม"]


def _school_row(school, closed="", into="", reason=""):
    return [school.obec_code, school.name, "ประถมศึกษา", school.district, "",
            school.network.name if school.network else "", "", "", closed, into, reason]  # fmt: skip


def test_a_school_list_with_closing_columns_closes_and_opens_schools(
    client, admin, school_a, school_b
):
    client.force_login(admin)
    closing = xlsx_bytes([
        CLOSING_HEADER,
        _school_row(school_a, "16/05/2568", "1076100102", "นักเรียนน้อย"),
        _school_row(school_b),
    ])  # fmt: skip
    batch = apply(client, upload(client, "schools", "schools.xlsx", closing))
    assert batch.status == BatchStatus.APPLIED, batch.error_message
    school_a.refresh_from_db()
    assert (school_a.closed_on, school_a.merged_into, school_a.closure_reason) == (
        CLOSED, school_b, "นักเรียนน้อย"
    )  # fmt: skip
    entry = AuditEntry.objects.filter(object_type="school", object_id=str(school_a.pk)).latest("pk")
    assert entry.changes["closed_on"] == [None, "2025-05-16"]
    assert entry.changes["merged_into"] == [None, school_b.name]
    # The same file again changes nothing; a blank closing day opens the school again.
    again = upload(client, "schools", "schools.xlsx", closing)
    assert (again.count_changed, again.count_unchanged) == (0, 2)
    opening = xlsx_bytes([CLOSING_HEADER[:9], _school_row(school_a)[:9]])
    batch = apply(client, upload(client, "schools", "schools.xlsx", opening))
    assert batch.status == BatchStatus.APPLIED, batch.error_message
    school_a.refresh_from_db()
    assert (school_a.closed_on, school_a.merged_into, school_a.closure_reason) == (None, None, None)


def test_a_school_list_without_closing_columns_leaves_a_closing_as_it_is(
    client, admin, school_a, school_b
):
    _close(school_a, school_b)
    client.force_login(admin)
    batch = apply(client, upload(client, "schools", "schools.xlsx", xlsx_bytes([
        SCHOOL_HEADER, _school_row(school_a)[:8],
    ])))  # fmt: skip
    assert batch.status == BatchStatus.APPLIED, batch.error_message
    school_a.refresh_from_db()
    assert (school_a.closed_on, school_a.merged_into) == (CLOSED, school_b)


def test_a_school_list_refuses_a_merger_the_page_would_refuse(
    client, admin, school_a, school_b, school_x
):
    def school(code, name):
        return School.objects.create(office=admin.office, obec_code=code, name=name,
                                     level="primary")  # fmt: skip

    closed = school("1076100103", "โรงเรียนปิดแล้ว")
    _close(closed)
    c, d = school("1076100104", "โรงเรียนสาม"), school("1076100105", "โรงเรียนสี่")
    client.force_login(admin)
    batch = upload(client, "schools", "schools.xlsx", xlsx_bytes([
        CLOSING_HEADER,
        _school_row(school_a, "16/05/2568", "1076100101"),  # itself
        _school_row(school_b, "16/05/2568", "1076200101"),  # another office's
        _school_row(c, "", "1076100102"),  # merged without a day
        _school_row(d, "16/05/2568", "1076100103"),  # into a closed school
    ]))  # fmt: skip
    errors = errors_of(batch)
    header = "ยุบรวมกับ (รหัสสถานศึกษา)"
    assert "เดียวกับที่ปิดไม่ได้" in errors[(2, header)]
    assert "เขตพื้นที่อื่น" in errors[(3, header)]
    assert "ไม่ได้ระบุวันที่ปิด/ยุบรวม" in errors[(4, "วันที่ปิด/ยุบรวม")]
    assert "โรงเรียนปิดแล้ว (1076100103) ปิด/ยุบรวมแล้ว" in errors[(5, header)]
    assert batch.count_error == 4
    assert not School.objects.filter(closed_on__isnull=False).exclude(pk=closed.pk).exists()
