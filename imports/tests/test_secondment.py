"""Personnel sheets with the optional employment and secondment (ช่วยราชการ) columns."""

import datetime as dt

import pytest
from django.urls import reverse

from imports.importers import CellError, get_importer
from imports.models import ImportRow
from registry.models import AuditEntry, Employment, Person, PositionChange, Secondment

from .conftest import national_id, read_xlsx, xlsx_bytes
from .test_exports import export, reimport
from .test_personnel import HEADER, errors_of, latest_batch, person_row, upload

EXTRA = ["ประเภทการจ้าง", "การช่วยราชการ", "สถานศึกษาที่ช่วยราชการ", "ช่วยราชการถึง"]


def row_with(serial, employment="", secondment="", school="", until="", **over):
    return person_row(serial, **over) + [employment, secondment, school, until]


def test_it_imports_employment_and_secondments_written_in_thai(
    client, admin, school_a, school_b, school_x
):
    rows = [
        HEADER + EXTRA,
        row_with(1),
        row_with(2, "ครูอัตราจ้าง"),
        row_with(3, "ข้าราชการ", "ไปช่วยราชการ", "1076100102", "30/09/2570"),
        row_with(4, "", "มาช่วยราชการ", "1076200101"),  # from a school of another office
        row_with(5, "พนักงานราชการ", "ไม่ได้ช่วยราชการ"),
    ]
    client.force_login(admin)
    upload(client, "personnel", "hrms.xlsx", xlsx_bytes(rows))
    batch = latest_batch()
    assert (batch.count_new, batch.count_error) == (5, 0), errors_of(batch)
    client.post(reverse("imports:apply", args=[batch.pk]))
    people = {p.national_id: p for p in Person.objects.all()}
    plain, contract, out, came, gov = (people[national_id(i)] for i in range(1, 6))
    assert (plain.employment, plain.secondment) == (Employment.CIVIL_SERVANT, "")
    assert contract.employment == Employment.CONTRACT_TEACHER
    assert (out.secondment, out.secondment_school, out.secondment_until) == (
        Secondment.OUT, school_b, dt.date(2027, 9, 30),
    )  # fmt: skip
    assert (came.secondment, came.secondment_school) == (Secondment.IN, school_x)
    assert (gov.employment, gov.secondment) == (Employment.GOVERNMENT_EMPLOYEE, "")
    created = AuditEntry.objects.get(object_type="person", object_id=str(out.pk))
    assert created.changes["secondment"] == [None, "ไปช่วยราชการ"]

    # Imported again unchanged, then one secondment ends: history records it.
    upload(client, "personnel", "hrms.xlsx", xlsx_bytes(rows))
    assert latest_batch().count_unchanged == 5
    rows[3] = row_with(3, "ข้าราชการ", "", "", "")
    upload(client, "personnel", "hrms.xlsx", xlsx_bytes(rows))
    batch = latest_batch()
    assert batch.count_changed == 1, errors_of(batch)
    changes = ImportRow.objects.get(batch=batch, status="changed").changes
    assert set(changes) == {"secondment", "secondment_school", "secondment_until"}
    client.post(reverse("imports:apply", args=[batch.pk]))
    out.refresh_from_db()
    assert (out.secondment, out.secondment_school, out.secondment_until) == ("", None, None)
    fields = set(PositionChange.objects.filter(person=out).values_list("field", flat=True))
    assert {"การช่วยราชการ", "สถานศึกษาที่ช่วยราชการ"} <= fields


def test_it_accepts_header_aliases_and_a_file_without_the_new_columns(client, admin, school_a):
    rows = [
        HEADER + ["การจ้าง", "ช่วยราชการ", "โรงเรียนที่ช่วยราชการ", "สิ้นสุดการช่วยราชการ"],
        row_with(1, "ลูกจ้างประจำ"),
    ]
    client.force_login(admin)
    upload(client, "personnel", "a.xlsx", xlsx_bytes(rows))
    batch = latest_batch()
    assert batch.count_new == 1, errors_of(batch)
    client.post(reverse("imports:apply", args=[batch.pk]))
    person = Person.objects.get()
    assert person.employment == Employment.EMPLOYEE
    # A sheet without the columns leaves them as they are.
    upload(client, "personnel", "b.xlsx", xlsx_bytes([HEADER, person_row(1)]))
    assert latest_batch().count_unchanged == 1


def test_it_reports_bad_secondment_cells(client, admin, school_a, school_b):
    rows = [
        HEADER + EXTRA,
        row_with(1, "ครูพิเศษ"),
        row_with(2, "", "ไปเที่ยว"),
        row_with(3, "", "ไปช่วยราชการ", "9999999999"),
        row_with(4, "", "", "1076100102"),
        row_with(5, "", "ไปช่วยราชการ", "1076100101"),  # its own school
    ]
    client.force_login(admin)
    upload(client, "personnel", "bad.xlsx", xlsx_bytes(rows))
    errors = errors_of(latest_batch())
    assert "ไม่รู้จักค่า" in errors[(2, "ประเภทการจ้าง")]
    assert "ไม่รู้จักค่า" in errors[(3, "การช่วยราชการ")]
    assert "ไม่พบรหัสสถานศึกษา" in errors[(4, "สถานศึกษาที่ช่วยราชการ")]
    assert "ไม่ได้ระบุการช่วยราชการ" in errors[(5, "การช่วยราชการ")]
    assert "ต้องไม่ใช่สถานศึกษาต้นสังกัด" in errors[(6, "สถานศึกษาที่ช่วยราชการ")]


@pytest.mark.parametrize(
    "key, value",
    [
        ("employment", "contract_teacher"),
        ("employment", "civil_servant"),
        ("secondment", "out"),
        ("secondment", "in"),
        ("secondment", ""),
        ("secondment_school", "1076100102"),
        ("secondment_until", "2027-09-30"),
    ],
)
def test_it_reads_back_every_new_value_it_exports(office, school_a, school_b, key, value):
    importer = get_importer("personnel")
    ctx = importer.context(office=office)
    column = importer.spec.by_key[key]
    assert column.parse(column.to_cell(value, ctx), ctx) == value
    with pytest.raises(CellError):
        column.parse("ค่าแปลก ๆ", ctx)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_exporter_writes_the_new_columns_and_they_import_back_unchanged(
    client, admin, school_a, school_b, make_person, fmt
):
    make_person(1, school=school_a, secondment=Secondment.OUT, secondment_school=school_b,
                secondment_until=dt.date(2027, 3, 31))  # fmt: skip
    make_person(2, school=school_a, employment=Employment.CONTRACT_TEACHER)
    make_person(3, school=school_b, secondment=Secondment.IN, secondment_school=None)
    client.force_login(admin)
    content = export(client, "personnel", fmt)
    batch, problems = reimport(client, "personnel", f"people.{fmt}", content)
    assert problems == [] and batch.count_unchanged == 3
    if fmt == "csv":
        return
    rows = read_xlsx(content)
    header = rows[0]
    data = [dict(zip(header, r, strict=False)) for r in rows[1:] if any(r)]
    by_id = {r["เลขประจำตัวประชาชน"]: r for r in data}
    assert by_id[national_id(1)]["การช่วยราชการ"] == "ไปช่วยราชการ"
    assert by_id[national_id(1)]["สถานศึกษาที่ช่วยราชการ"] == "1076100102"
    assert by_id[national_id(2)]["ประเภทการจ้าง"] == "ครูอัตราจ้าง"
    assert by_id[national_id(2)]["การช่วยราชการ"] in ("", None)
