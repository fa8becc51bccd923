"""Schools and enrolment sheets, the mapping step, CSV encodings, formulas and staleness."""

import datetime as dt

import openpyxl
from django.urls import reverse

from imports import actions
from imports.models import BatchStatus, ImportBatch, ImportRow
from registry.models import AuditAction, AuditEntry, Enrolment, Network, Person, School

from .conftest import national_id, upload_file, xlsx_bytes
from .test_personnel import HEADER, errors_of, person_row

SCHOOL_HEADER = ["รหัสสถานศึกษา", "ชื่อสถานศึกษา", "ระดับ", "อำเภอ", "ตำบล", "เครือข่าย", "ละติจูด", "ลองจิจูด"]


def upload(client, kind, name, content):
    client.post(reverse("imports:upload"), {"kind": kind, "file": upload_file(name, content)})
    return ImportBatch.objects.latest("pk")


def apply(client, batch):
    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    return batch


def test_it_imports_schools_creating_networks(client, admin, school_a, school_x):
    content = xlsx_bytes([
        SCHOOL_HEADER,
        ["1076100101", "โรงเรียนบ้านหนึ่ง (ชื่อใหม่)", "ประถมศึกษา", "เมืองเพชรบุรี", "", "เครือข่ายเมือง 1", "", ""],
        ["1076100150", "โรงเรียนใหม่", "ขยายโอกาส", "ชะอำ", "ชะอำ", "เครือข่ายชายทะเล", "12.8", "99.96"],
        ["1076200101", "ของเขตอื่น", "ประถม", "", "", "", "", ""],
        ["10761001", "รหัสสั้น", "ประถม", "", "", "", "", ""],
        ["1076100151", "ไม่มีระดับ", "", "", "", "", "", ""],
        ["1076100152", "พิกัดผิด", "มัธยม", "", "", "", "123.5", "x"],
    ])  # fmt: skip
    client.force_login(admin)
    batch = upload(client, "schools", "schools.xlsx", content)
    errors = errors_of(batch)
    assert "สพป.เพชรบุรี เขต 2" in errors[(4, "รหัสสถานศึกษา")]
    assert "10 หลัก" in errors[(5, "รหัสสถานศึกษา")]
    assert "ไม่ได้กรอกระดับ" in errors[(6, "ระดับ")]
    assert "-90" in errors[(7, "ละติจูด")] and "ตัวเลข" in errors[(7, "ลองจิจูด")]
    assert (batch.count_new, batch.count_changed, batch.count_error) == (1, 1, 4)

    fixed = xlsx_bytes(
        [SCHOOL_HEADER]
        + [
            list(r)
            for r in openpyxl.load_workbook(__import__("io").BytesIO(content)).active.iter_rows(
                min_row=2, max_row=3, values_only=True
            )
        ]
    )
    batch = apply(client, upload(client, "schools", "schools.xlsx", fixed))
    assert batch.status == BatchStatus.APPLIED, batch.error_message
    new = School.objects.get(obec_code="1076100150")
    assert new.office == admin.office and new.level == "expansion"
    assert new.network.name == "เครือข่ายชายทะเล" and str(new.latitude) == "12.800000"
    assert School.objects.get(pk=school_a.pk).name == "โรงเรียนบ้านหนึ่ง (ชื่อใหม่)"
    assert Network.objects.filter(office=admin.office).count() == 2
    assert AuditEntry.objects.filter(object_type="school", action=AuditAction.CREATE).count() == 1
    assert AuditEntry.objects.filter(object_type="school", action=AuditAction.UPDATE).count() == 1

    again = upload(client, "schools", "schools.xlsx", fixed)
    assert (again.count_new, again.count_changed, again.count_unchanged) == (0, 0, 2)


def test_choices_written_with_the_abbreviation_mark_or_a_note_are_read(client, admin, school_a):
    """ "ขยายโอกาสฯ" and "ประถมศึกษา (อ.1-ป.6)" were "ไม่รู้จักค่า"; a level nobody has still is."""
    content = xlsx_bytes([
        SCHOOL_HEADER,
        ["1076100150", "โรงเรียนใหม่", "ขยายโอกาสฯ", "", "", "", "", ""],
        ["1076100151", "โรงเรียนใหม่สอง", "ประถมศึกษา (อ.1-ป.6)", "", "", "", "", ""],
        ["1076100152", "โรงเรียนใหม่สาม", "อาชีวศึกษา (ปวช.)", "", "", "", "", ""],
    ])  # fmt: skip
    client.force_login(admin)
    batch = upload(client, "schools", "schools.xlsx", content)
    assert errors_of(batch) == {
        (4, "ระดับ"): "ไม่รู้จักค่า “อาชีวศึกษา (ปวช.)” (ใช้ได้: ประถมศึกษา, ขยายโอกาสทางการศึกษา, มัธยมศึกษา)"
    }
    batch = apply(client, upload(client, "schools", "schools.xlsx", xlsx_bytes(
        [SCHOOL_HEADER, *[r for r in read_rows(content)[1:3]]]
    )))  # fmt: skip
    assert batch.status == BatchStatus.APPLIED, batch.error_message
    levels = dict(School.objects.values_list("obec_code", "level"))
    assert (levels["1076100150"], levels["1076100151"]) == ("expansion", "primary")

    client.post(reverse("imports:upload"), {"kind": "personnel", "file": upload_file(
        "hrms.xlsx", xlsx_bytes([HEADER, person_row(
            1, **{"วุฒิการศึกษาสูงสุด": "ปริญญาโท (กศ.ม.)", "ประเภทบุคลากร": "ข้าราชการครูฯ"}
        )])
    )})  # fmt: skip
    batch = apply(client, ImportBatch.objects.latest("pk"))
    assert batch.status == BatchStatus.APPLIED, errors_of(batch) or batch.error_message
    person = Person.objects.get(national_id=national_id(1))
    assert (person.highest_degree, person.personnel_type) == ("master", "teacher")


def read_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(__import__("io").BytesIO(content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_it_reads_a_two_row_enrolment_header_with_merged_cells(client, admin, school_a, school_b):
    top = ["รายงานจำนวนนักเรียน ปีการศึกษา 2568"]
    header1 = ["รหัสสถานศึกษา", "ชื่อสถานศึกษา", "ปีการศึกษา", "อ.1", None, "ป.1", None, None, None, "รวม"]
    header2 = [None, None, None, "นักเรียน", "ห้องเรียน", "ชาย", "หญิง", "รวม", "ห้องเรียน", None]
    rows = [
        top, header1, header2,
        ["1076100101", "บ้านหนึ่ง", "๒๕๖๘", 20, 1, 10, 12, 22, 1, 42],
        ["1076100102", "บ้านสอง", 2025, None, None, 5, 5, 10, 1, 10],  # CE year, blank = 0
        [None, "รวม", None, 20, 1, 15, 17, 32, 2, 52],  # totals row: skipped
    ]  # fmt: skip
    content = xlsx_bytes(rows, merges=["A1:J1", "A2:A3", "D2:E2", "F2:I2"])
    client.force_login(admin)
    batch = upload(client, "enrolment", "dmc.xlsx", content)
    assert batch.status == BatchStatus.VALIDATED, (batch.error_message, batch.notice)
    assert batch.header_row == 3
    assert (batch.count_new, batch.count_error) == (2, 0), errors_of(batch)
    assert ImportRow.objects.get(batch=batch, row_number=5).values["year"] == 2568
    batch = apply(client, batch)
    assert batch.status == BatchStatus.APPLIED, batch.error_message
    school_a.refresh_from_db()
    assert (school_a.total_students, school_a.total_classrooms) == (42, 2)
    assert school_a.size_band == "ขนาดเล็ก" and school_a.data_confirmed_at is not None
    p1 = Enrolment.objects.get(school=school_a, academic_year=2568, grade="p1")
    assert (p1.students, p1.classrooms, p1.census_date) == (22, 1, dt.date(2025, 6, 10))
    assert not Enrolment.objects.filter(school=school_b, grade="k1").exists()

    again = upload(client, "enrolment", "dmc.xlsx", content)
    assert (again.count_unchanged, again.count_changed, again.count_new) == (2, 0, 0)


def test_it_asks_for_a_mapping_when_headers_are_unknown(client, admin, school_a):
    content = xlsx_bytes([
        ["หมายเลข ปชช.", "name", "นามสกุล", "ตำแหน่งงาน", "คำนำหน้า"],
        [national_id(1), "สมหญิง", "ดีมาก", "ครู", "นาง"],
    ])  # fmt: skip
    client.force_login(admin)
    batch = upload(client, "personnel", "odd.xlsx", content)
    assert batch.status == BatchStatus.NEEDS_MAPPING
    assert "เลขประจำตัวประชาชน" in batch.notice and "ชื่อ" in batch.notice
    response = client.get(reverse("imports:mapping", args=[batch.pk]))
    page = response.content.decode()
    assert "หมายเลข ปชช." in page and "สมหญิง" in page
    assert response.context["form"]["col_3"].value() == "position"  # suggested: ตำแหน่งงาน
    assert response.context["form"]["col_2"].value() == "last_name"  # recognised

    bad = client.post(
        reverse("imports:mapping", args=[batch.pk]),
        {"col_0": "national_id", "col_1": "national_id"},
    )
    assert "เลือกได้คอลัมน์เดียว" in bad.content.decode()
    response = client.post(
        reverse("imports:mapping", args=[batch.pk]),
        {
            "col_0": "national_id",
            "col_1": "first_name",
            "col_2": "last_name",
            "col_3": "position",
            "col_4": "title",
        },
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED and batch.count_new == 1, errors_of(batch)
    apply(client, batch)
    person = Person.objects.get(national_id=national_id(1))
    assert (person.gender, person.personnel_type, person.status) == ("female", "teacher", "active")


def test_it_reads_csv_in_thai_windows_encoding_and_utf8(client, admin, school_a):
    lines = [",".join(HEADER)] + [",".join(f'"{c}"' for c in person_row(i)) for i in (1, 2)]
    text = "\r\n".join(lines) + "\r\n"
    client.force_login(admin)
    cp874 = upload(client, "personnel", "hrms.csv", text.encode("cp874"))
    assert cp874.status == BatchStatus.VALIDATED and cp874.count_new == 2, (
        cp874.error_message,
        errors_of(cp874),
    )
    utf8 = upload(client, "personnel", "hrms.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert utf8.count_new == 2
    assert (
        ImportRow.objects.get(batch=utf8, row_number=2).values
        == ImportRow.objects.get(batch=cp874, row_number=2).values
    )
    tab_text = "\n".join(
        "\t".join(str(c) for c in row) for row in [HEADER, person_row(1), person_row(2)]
    )
    tabbed = upload(client, "personnel", "hrms.txt", tab_text.encode("utf-8"))
    assert tabbed.count_new == 2, (tabbed.error_message, tabbed.notice)


def test_it_reports_formulas_without_a_cached_value(client, admin, school_a):
    row = person_row(1)
    row[HEADER.index("เงินเดือน")] = "=30000+5000"
    client.force_login(admin)
    batch = upload(client, "personnel", "formula.xlsx", xlsx_bytes([HEADER, row]))
    assert "สูตร" in errors_of(batch)[(2, "เงินเดือน")]


def test_it_validates_again_instead_of_applying_when_the_data_changed(
    client, admin, school_a, make_person
):
    client.force_login(admin)
    batch = upload(
        client, "personnel", "a.xlsx", xlsx_bytes([HEADER, person_row(1), person_row(2)])
    )
    assert batch.count_new == 2
    make_person(2, school=school_a)  # someone adds the same person meanwhile
    batch = apply(client, batch)
    assert batch.status == BatchStatus.VALIDATED
    assert "เปลี่ยนไป" in batch.notice
    assert (batch.count_new, batch.count_changed) == (1, 1)
    assert not Person.objects.filter(national_id=national_id(1)).exists()  # nothing half-written
    assert not AuditEntry.objects.filter(action=AuditAction.IMPORT).exists()


def test_it_leaves_nothing_when_apply_fails_half_way(client, admin, school_a, monkeypatch):
    client.force_login(admin)
    batch = upload(
        client, "personnel", "a.xlsx", xlsx_bytes([HEADER] + [person_row(i) for i in range(1, 5)])
    )
    monkeypatch.setattr(actions, "CHUNK_SIZE", 2)
    calls = []
    original = actions.progress.report

    def crash_after_first_chunk(*args):
        calls.append(args)
        original(*args)
        raise RuntimeError("worker killed")

    monkeypatch.setattr(actions.progress, "report", crash_after_first_chunk)
    batch = apply(client, batch)
    assert calls and batch.status == BatchStatus.FAILED
    assert "ไม่มีข้อมูลใดถูกบันทึก" in batch.error_message
    assert Person.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_it_accepts_the_error_file_back_once_fixed(client, admin, school_a):
    import io

    client.force_login(admin)
    content = xlsx_bytes(
        [["ทะเบียนบุคลากร"], HEADER, person_row(1), person_row(2, **{"เพศ": "ชายหญิง"})]
    )
    batch = upload(client, "personnel", "a.xlsx", content)
    assert batch.count_error == 1
    response = client.get(reverse("imports:error_file", args=[batch.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet["A4"].value.startswith("แถวที่ 4 คอลัมน์ “เพศ”: ไม่รู้จักค่า")
    assert sheet.cell(row=4, column=2 + HEADER.index("เพศ")).fill.fgColor.rgb.endswith("F8D7DA")
    sheet.cell(row=4, column=2 + HEADER.index("เพศ")).value = "ชาย"
    buffer = io.BytesIO()
    workbook.save(buffer)
    fixed = upload(client, "personnel", "a-fixed.xlsx", buffer.getvalue())
    assert (fixed.status, fixed.count_new, fixed.count_error, fixed.header_row) == (
        BatchStatus.VALIDATED,
        2,
        0,
        2,
    )
