"""Personnel sheets: every error reported where it is, nothing written before apply."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from imports.models import BatchStatus, ImportBatch, ImportRow, RowStatus
from registry.models import AuditAction, AuditEntry, Person, PositionChange, School

from .conftest import national_id, read_xlsx, upload_file, xlsx_bytes

HEADER = [
    "ลำดับ", "เลขประจำตัวประชาชน", "คำนำหน้าชื่อ", "ชื่อ", "นามสกุล", "เพศ", "วันเดือนปีเกิด",
    "ประเภทบุคลากร", "ตำแหน่ง", "วิทยฐานะ", "เลขที่ตำแหน่ง", "อันดับ", "เงินเดือน", "วันบรรจุ",
    "รหัสสถานศึกษา", "ชื่อสถานศึกษา", "วุฒิการศึกษาสูงสุด", "วิชาเอก", "กลุ่มสาระที่สอน",
    "โทรศัพท์", "อีเมล", "สถานะ",
]  # fmt: skip


def person_row(serial, **over):
    row = {
        "ลำดับ": serial, "เลขประจำตัวประชาชน": national_id(serial), "คำนำหน้าชื่อ": "นาย",
        "ชื่อ": f"สมชาย{serial}", "นามสกุล": "ใจดี", "เพศ": "ชาย", "วันเดือนปีเกิด": "15/03/2530",
        "ประเภทบุคลากร": "ครู", "ตำแหน่ง": "ครู", "วิทยฐานะ": "ชำนาญการ", "เลขที่ตำแหน่ง": str(1000 + serial),
        "อันดับ": "คศ.2", "เงินเดือน": "35,220", "วันบรรจุ": "1 มิ.ย. 2555", "รหัสสถานศึกษา": "1076100101",
        "ชื่อสถานศึกษา": "โรงเรียนบ้านหนึ่ง", "วุฒิการศึกษาสูงสุด": "ปริญญาตรี", "วิชาเอก": "คณิตศาสตร์",
        "กลุ่มสาระที่สอน": "คณิตศาสตร์, วิทยาศาสตร์", "โทรศัพท์": "081-234-5678",
        "อีเมล": f"t{serial}@example.com", "สถานะ": "ปฏิบัติงาน",
    }  # fmt: skip
    row.update(over)
    return [row[h] for h in HEADER]


def upload(client, kind, name, content):
    return client.post(
        reverse("imports:upload"), {"kind": kind, "file": upload_file(name, content)}
    )


def latest_batch():
    return ImportBatch.objects.latest("pk")


def errors_of(batch):
    return {
        (r.row_number, e["column"]): e["message"]
        for r in ImportRow.objects.filter(batch=batch, status=RowStatus.ERROR)
        for e in r.errors
    }


def test_it_imports_a_clean_sheet_and_a_second_import_changes_nothing(client, admin, school_a):
    content = xlsx_bytes([HEADER] + [person_row(i) for i in range(1, 6)])
    client.force_login(admin)
    response = upload(client, "personnel", "hrms.xlsx", content)
    batch = latest_batch()
    assert response.status_code == 302
    assert response.url == reverse("imports:detail", args=[batch.pk])
    assert batch.status == BatchStatus.VALIDATED, batch.error_message
    assert (batch.count_new, batch.count_error) == (5, 0)
    assert Person.objects.count() == 0  # nothing written before apply
    assert AuditEntry.objects.count() == 0

    response = client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED, batch.error_message
    assert Person.objects.count() == 5
    person = Person.objects.get(national_id=national_id(3))
    assert person.school == school_a
    assert person.birth_date == dt.date(1987, 3, 15)
    assert person.appointment_date == dt.date(2012, 6, 1)
    assert person.salary == Decimal("35220.00")
    assert person.academic_standing.code == "k2"
    assert person.major.name == "คณิตศาสตร์"
    assert sorted(a.code for a in person.areas_taught.all()) == ["math", "science"]
    assert person.gender == "male" and person.highest_degree == "bachelor"
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="person").count() == 5
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 1
    school_a.refresh_from_db()
    assert school_a.data_confirmed_at is not None

    audit_count = AuditEntry.objects.count()
    updated_at = Person.objects.get(national_id=national_id(3)).updated_at
    upload(client, "personnel", "hrms.xlsx", content)
    second = latest_batch()
    assert second.pk != batch.pk
    assert (second.count_new, second.count_changed, second.count_unchanged) == (0, 0, 5)
    client.post(reverse("imports:apply", args=[second.pk]))
    second.refresh_from_db()
    assert second.status == BatchStatus.APPLIED
    assert AuditEntry.objects.count() == audit_count
    assert Person.objects.get(national_id=national_id(3)).updated_at == updated_at


def test_it_reports_every_error_of_a_messy_sheet_with_row_and_column(
    client, admin, school_a, school_x, make_person
):
    make_person(90, office=school_x.office, school=school_x)
    rows = [
        ["รายชื่อข้าราชการครูและบุคลากรทางการศึกษา สพป.เพชรบุรี เขต 1"],  # row 1: title
        ["ข้อมูล ณ วันที่ ๑๐ มิถุนายน ๒๕๖๘"],  # row 2
        [" เลขประจำตัว ประชาชน ", *HEADER[2:]],  # row 3: header with stray spaces, no ลำดับ
        person_row(1)[1:],  # row 4: fine
        person_row(2, **{"เลขประจำตัวประชาชน": "๑๒๓๔๕๔๕๖๗๘๗๘๙"})[
            1:
        ],  # row 5: bad checksum (Thai digits)
        [None] * 5,  # row 6: blank, skipped silently
        person_row(3, **{"รหัสสถานศึกษา": "1076199999"})[1:],  # row 7: unknown school
        person_row(4, **{"รหัสสถานศึกษา": "1076200101"})[1:],  # row 8: school of another office
        person_row(1)[1:],  # row 9: duplicate of row 4
        person_row(5, **{"วันเดือนปีเกิด": "31/02/2530"})[1:],  # row 10: no such date
        person_row(6, **{"วิชาเอก": "คณิตศาสตร"})[1:],  # row 11: unknown major, close name
        person_row(7, **{"วันเดือนปีเกิด": "๑๕/๐๓/๒๕๒๘", "เงินเดือน": "๓๕,๒๒๐.๕๐"})[
            1:
        ],  # row 12: Thai digits fine
        person_row(8, **{"เพศ": "", "คำนำหน้าชื่อ": "นางสาว"})[1:],  # row 13: gender from title
        person_row(9, **{"วิทยฐานะ": "ชำนาญการพิเศษสุด"})[1:],  # row 14: unknown standing
        person_row(90)[1:],  # row 15: person of another office
        person_row(11, **{"อีเมล": "not-an-email", "เงินเดือน": "สามหมื่น"})[1:],  # row 16: two errors
        person_row(12, **{"ชื่อ": "x" * 1500})[1:],  # row 17: huge cell
    ]
    client.force_login(admin)
    upload(client, "personnel", "messy.xlsx", xlsx_bytes(rows))
    batch = latest_batch()
    assert batch.status == BatchStatus.VALIDATED, batch.error_message
    assert batch.header_row == 3
    errors = errors_of(batch)
    assert "หลักตรวจสอบไม่ตรง" in errors[(5, "เลขประจำตัว ประชาชน")]
    assert "ไม่พบรหัสสถานศึกษา 1076199999" in errors[(7, "รหัสสถานศึกษา")]
    assert "สพป.เพชรบุรี เขต 2" in errors[(8, "รหัสสถานศึกษา")]
    assert errors[(9, "เลขประจำตัว ประชาชน")].startswith("ข้อมูลซ้ำกับแถวที่ 4 ")
    assert errors[(4, "เลขประจำตัว ประชาชน")].startswith("ข้อมูลซ้ำกับแถวที่ 9 ")
    assert "ไม่มีวันที่ 31" in errors[(10, "วันเดือนปีเกิด")]
    assert "คณิตศาสตร์" in errors[(11, "วิชาเอก")] and "ใกล้เคียง" in errors[(11, "วิชาเอก")]
    assert "ไม่รู้จักวิทยฐานะ" in errors[(14, "วิทยฐานะ")]
    assert "สพป.เพชรบุรี เขต 2" in errors[(15, "เลขประจำตัว ประชาชน")]
    assert "อีเมล" in errors[(16, "อีเมล")] and "ตัวเลข" in errors[(16, "เงินเดือน")]
    assert "ยาวเกิน 1,000" in errors[(17, "ชื่อ")]
    assert {n for n, _ in errors} == {4, 5, 7, 8, 9, 10, 11, 14, 15, 16, 17}
    assert batch.count_error == 11
    assert batch.count_new == 2  # rows 12 and 13 (row 4 is repeated by row 9)
    row12 = ImportRow.objects.get(batch=batch, row_number=12)
    assert row12.values["birth_date"] == "1985-03-15" and row12.values["salary"] == "35220.50"
    assert ImportRow.objects.get(batch=batch, row_number=13).values["gender"] == "female"
    assert not ImportRow.objects.filter(batch=batch, row_number=6).exists()
    assert Person.objects.count() == 1  # only the other office's person from the fixture

    page = client.get(reverse("imports:detail", args=[batch.pk]))
    assert "ข้อมูลซ้ำกับแถวที่ 4" in page.content.decode()

    refused = client.post(reverse("imports:apply", args=[batch.pk]), follow=True)
    assert "ยังมีข้อผิดพลาด 11 แถว" in refused.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED
    assert Person.objects.count() == 1

    error_file = client.get(reverse("imports:error_file", args=[batch.pk]))
    assert error_file.status_code == 200
    cells = read_xlsx(b"".join(error_file.streaming_content))
    assert cells[2][0] == "ข้อผิดพลาด"
    assert cells[0][1].startswith("รายชื่อข้าราชการครู")  # title rows kept, row numbers match
    assert "ข้อมูลซ้ำกับแถวที่ 9" in cells[3][0]  # row 4 is fine but for row 9 repeating it
    assert "หลักตรวจสอบไม่ตรง" in cells[4][0]
    assert cells[4][1] == "๑๒๓๔๕๔๕๖๗๘๗๘๙"  # the original value, as typed
    assert "แถวที่ 16 คอลัมน์ “อีเมล”" in cells[15][0] and "“เงินเดือน”" in cells[15][0]


def test_it_reports_changes_and_applies_them_with_history(
    client, admin, school_a, school_b, make_person
):
    person = make_person(1, school=school_a, title="นาย", first_name="สมชาย1", gender="male",
                         birth_date=dt.date(1987, 3, 15), position_number="1001", salary_grade="คศ.2",
                         salary=Decimal("35220"), appointment_date=dt.date(2012, 6, 1),
                         highest_degree="bachelor", phone="081-234-5678", email="t1@example.com",
                         areas=["math", "science"])  # fmt: skip
    content = xlsx_bytes(
        [
            HEADER,
            person_row(
                1, **{"วิทยฐานะ": "ชำนาญการพิเศษ", "อันดับ": "คศ.3", "รหัสสถานศึกษา": "1076100102"}
            ),
        ]
    )
    client.force_login(admin)
    upload(client, "personnel", "update.xlsx", content)
    batch = latest_batch()
    assert batch.count_changed == 1, ImportRow.objects.get(batch=batch).errors
    row = ImportRow.objects.get(batch=batch)
    assert set(row.changes) == {"standing", "salary_grade", "school"}
    assert row.changes["standing"] == ["ชำนาญการ", "ชำนาญการพิเศษ"]
    page = client.get(reverse("imports:detail", args=[batch.pk]) + "?show=changed").content.decode()
    assert "ชำนาญการพิเศษ" in page and "โรงเรียนบ้านสอง" in page

    client.post(reverse("imports:apply", args=[batch.pk]))
    person.refresh_from_db()
    assert person.academic_standing.code == "k3" and person.school == school_b
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(person.pk))
    assert entry.changes["academic_standing"] == ["ชำนาญการ", "ชำนาญการพิเศษ"]
    assert entry.changes["school"] == ["โรงเรียนบ้านหนึ่ง", "โรงเรียนบ้านสอง"]
    assert set(PositionChange.objects.filter(person=person).values_list("field", flat=True)) == {
        "วิทยฐานะ", "อันดับ", "สถานศึกษา",
    }  # fmt: skip
    assert School.objects.get(pk=school_b.pk).data_confirmed_at is not None


@pytest.mark.parametrize("role", ["director"])
def test_it_limits_a_director_to_their_own_school(
    client, request, role, school_a, school_b, make_person
):
    user = request.getfixturevalue(role)
    make_person(20, school=school_b)
    content = xlsx_bytes([
        HEADER,
        person_row(1),  # own school: fine
        person_row(2, **{"รหัสสถานศึกษา": "1076100102"}),  # other school of the office
        person_row(20, **{"รหัสสถานศึกษา": "1076100101"}),  # moving someone from another school
        person_row(3, **{"รหัสสถานศึกษา": ""}),  # office staff
    ])  # fmt: skip
    client.force_login(user)
    upload(client, "personnel", "school.xlsx", content)
    batch = latest_batch()
    assert batch.scope_school == school_a
    errors = errors_of(batch)
    assert errors[(3, "รหัสสถานศึกษา")] == "ไม่มีสิทธิ์นำเข้าข้อมูลของสถานศึกษาอื่น"
    assert errors[(4, "เลขประจำตัวประชาชน")] == "ไม่มีสิทธิ์นำเข้าข้อมูลของสถานศึกษาอื่น"
    assert errors[(5, "รหัสสถานศึกษา")] == "ไม่มีสิทธิ์นำเข้าข้อมูลของสถานศึกษาอื่น"
    assert batch.count_new == 1 and batch.count_error == 3


def test_new_people_are_audited_as_the_web_form_records_them(client, admin, school_a, school_b):
    """Each created person's entry holds the whole snapshot the web form would record, read
    back from the stored person, and names the person as every page does."""
    from registry import audit
    from registry.actions import person_snapshot

    rows = [
        person_row(1),
        person_row(2, **{"วิทยฐานะ": "", "อันดับ": "", "เงินเดือน": "", "กลุ่มสาระที่สอน": ""}),
        person_row(3, **{"คำนำหน้าชื่อ": "นางสาว", "เพศ": "", "วันบรรจุ": "", "สถานะ": ""}),
    ]
    client.force_login(admin)
    upload(client, "personnel", "new.xlsx", xlsx_bytes([HEADER, *rows]))
    client.post(reverse("imports:apply", args=[latest_batch().pk]))
    assert latest_batch().status == BatchStatus.APPLIED
    people = Person.objects.select_related("school", "academic_standing", "major")
    assert people.count() == 3
    for person in people:
        entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(person.pk))
        areas = [a.name for a in person.areas_taught.all()]
        assert entry.changes == audit.diff({}, person_snapshot(person, areas))
        assert (entry.object_type, entry.object_label) == ("person", str(person))
        assert entry.actor == admin and entry.office == admin.office


def test_a_person_moved_by_an_import_takes_their_developed_hours_along(
    client, admin, school_a, school_b, make_person
):
    from reporting import developed
    from training.models import Course, Enrolment, Session

    person = make_person(1, school=school_a)
    course = Course.objects.create(
        office=admin.office, title="หลักสูตร", mode="workshop", hours=Decimal("6"), fiscal_year=2569
    )
    session = Session.objects.create(
        course=course, start_date=dt.date(2026, 1, 12), end_date=dt.date(2026, 1, 12), capacity=9
    )
    Enrolment.objects.create(
        course=course, session=session, person=person, status="enrolled", source="office",
        passed=True, hours_credited=Decimal("6"),
    )  # fmt: skip
    developed.rebuild(admin.office)
    content = xlsx_bytes([HEADER, person_row(1, **{"รหัสสถานศึกษา": "1076100102"})])
    client.force_login(admin)
    upload(client, "personnel", "move.xlsx", content)
    client.post(reverse("imports:apply", args=[latest_batch().pk]))
    person.refresh_from_db()
    assert person.school == school_b
    stored = developed.stored_counts(admin.office.pk)
    assert stored == developed.counts_of_office(admin.office.pk)
    assert {key[1] for key in stored} == {school_b.pk}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite setting")
def test_validation_and_apply_run_with_a_larger_sqlite_page_cache_then_restore_it(
    client, admin, school_a, monkeypatch
):
    from imports import actions

    def cache_size() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    before = cache_size()
    seen = []
    for name in ("_validate_book", "_apply"):
        original = getattr(actions, name)

        def watching(*args, _original=original, **kwargs):
            seen.append(cache_size())
            return _original(*args, **kwargs)

        monkeypatch.setattr(actions, name, watching)
    client.force_login(admin)
    upload(client, "personnel", "hrms.xlsx", xlsx_bytes([HEADER, person_row(1)]))
    batch = latest_batch()
    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED, batch.error_message
    assert seen == [-actions.SQLITE_IMPORT_CACHE_KIB] * 2
    assert cache_size() == before


def test_unchanged_rows_are_counted_and_listed_but_keep_no_values_and_still_confirm_schools(
    client, admin, school_a, school_b
):
    client.force_login(admin)
    at_b = {"รหัสสถานศึกษา": school_b.obec_code}
    upload(
        client, "personnel", "a.xlsx", xlsx_bytes([HEADER, person_row(1), person_row(2, **at_b)])
    )
    first = latest_batch()
    client.post(reverse("imports:apply", args=[first.pk]))
    School.objects.update(data_confirmed_at=None)
    # Someone edits the unchanged person between the preview and the apply: the import writes
    # nothing for an unchanged row, so the edit stays and the apply goes ahead.
    content = xlsx_bytes(
        [HEADER, person_row(1, **{"โทรศัพท์": "089-111-2222"}), person_row(2, **at_b)]
    )
    upload(client, "personnel", "b.xlsx", content)
    batch = latest_batch()
    assert (batch.count_changed, batch.count_unchanged) == (1, 1)
    unchanged = ImportRow.objects.get(batch=batch, status=RowStatus.UNCHANGED)
    assert unchanged.row_number == 3 and unchanged.label == "นายสมชาย2 ใจดี"
    assert unchanged.values == {"school": school_b.obec_code}  # all the apply reads of it
    changed = ImportRow.objects.get(batch=batch, status=RowStatus.CHANGED)
    assert changed.values["phone"] == "089-111-2222"
    page = client.get(reverse("imports:detail", args=[batch.pk]), {"show": "unchanged"})
    assert "นายสมชาย2 ใจดี" in page.content.decode()
    Person.objects.filter(national_id=national_id(2)).update(email="new@example.com")

    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED, batch.error_message
    assert Person.objects.get(national_id=national_id(1)).phone == "089-111-2222"
    assert Person.objects.get(national_id=national_id(2)).email == "new@example.com"
    # Every school the file names is confirmed, the unchanged person's too.
    assert not School.objects.filter(data_confirmed_at__isnull=True).exists()


def test_a_list_naming_its_school_without_the_code_finds_the_school_by_name(
    client, admin, school_a, school_b
):
    """A school's own list often has "โรงเรียน" and no รหัสสถานศึกษา: everyone new was made
    office staff (no school), the name column shown as "not imported"."""
    header = [h for h in HEADER if h != "รหัสสถานศึกษา"]
    named = {1: "โรงเรียนบ้านหนึ่ง", 2: "รร.บ้านสอง", 3: "บ้านหนึ่ง", 4: "โรงเรียนบ้านสาม", 5: ""}

    def row(serial):
        cells = person_row(serial, **{"ชื่อสถานศึกษา": named[serial]})
        return [c for h, c in zip(HEADER, cells, strict=True) if h != "รหัสสถานศึกษา"]

    client.force_login(admin)
    upload(client, "personnel", "school.xlsx", xlsx_bytes([header] + [row(s) for s in named]))
    batch = latest_batch()
    errors = errors_of(batch)
    assert list(errors) == [(5, "ชื่อสถานศึกษา")]
    assert errors[(5, "ชื่อสถานศึกษา")].startswith("ไม่พบสถานศึกษาชื่อ “โรงเรียนบ้านสาม” ในเขตพื้นที่ของท่าน")
    del named[4]
    upload(client, "personnel", "school.xlsx", xlsx_bytes([header] + [row(s) for s in named]))
    batch = latest_batch()
    assert batch.count_error == 0, errors_of(batch)
    client.post(reverse("imports:apply", args=[batch.pk]))
    schools = dict(Person.objects.values_list("national_id", "school__obec_code"))
    assert schools == {
        national_id(1): school_a.obec_code,
        national_id(2): school_b.obec_code,
        national_id(3): school_a.obec_code,
        national_id(5): None,  # no school named: office staff, as a blank code says
    }


def test_a_school_name_beside_the_code_changes_nothing(client, admin, school_a, make_person):
    make_person(1, school=school_a)
    rows = [HEADER, person_row(1, **{"ชื่อสถานศึกษา": "โรงเรียนที่ไม่มีในระบบ"})]
    client.force_login(admin)
    upload(client, "personnel", "both.xlsx", xlsx_bytes(rows))
    batch = latest_batch()
    assert batch.count_error == 0, errors_of(batch)
