"""Exports are in the import layout: exporting a list and importing it back changes nothing."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from imports.models import BatchStatus, ImportBatch, ImportRow
from registry.models import AuditAction, AuditEntry, Enrolment, Major

from .conftest import national_id, read_xlsx, upload_file


def export(client, kind, fmt, query=""):
    response = client.get(reverse("imports:export", args=[kind]) + f"?format={fmt}&{query}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def reimport(client, kind, name, content):
    client.post(reverse("imports:upload"), {"kind": kind, "file": upload_file(name, content)})
    batch = ImportBatch.objects.latest("pk")
    problems = [
        (r.row_number, r.errors, r.changes)
        for r in ImportRow.objects.filter(batch=batch).exclude(status="unchanged")
    ]
    return batch, problems


@pytest.fixture
def people(make_person, school_a, school_b):
    return [
        make_person(1, school=school_a, areas=["math", "science"], phone="081-234-5678", email="a@example.com",
                    position_number="00123", salary_grade="คศ.2", appointment_date=dt.date(2010, 5, 17),
                    highest_degree="master", first_name="  สมศรี  ", last_name="มี  ช่องว่าง"),
        make_person(2, school=None, personnel_type="supervisor", position="ศึกษานิเทศก์",
                    academic_standing=None, major=None, salary=None, birth_date=None, gender="male", title="นาย"),
        make_person(3, school=school_b, status="retired", salary=Decimal("51234.56"),
                    major=Major.objects.get(name="ภาษาอังกฤษ"), areas=["foreign"]),
        make_person(4, national_id=national_id(4, first="0"), school=school_b),
    ]  # fmt: skip


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_round_trips_personnel_exports_unchanged(client, admin, people, fmt):
    client.force_login(admin)
    content = export(client, "personnel", fmt, "status=")
    batch, problems = reimport(client, "personnel", f"people.{fmt}", content)
    assert batch.status == BatchStatus.VALIDATED, batch.error_message
    assert problems == []
    assert batch.count_unchanged == 4


def test_it_writes_ids_and_be_dates_as_text(client, admin, people):
    client.force_login(admin)
    rows = read_xlsx(export(client, "personnel", "xlsx", "status="))
    header = rows[0]
    assert header[:3] == ("ลำดับ", "เลขประจำตัวประชาชน", "คำนำหน้า")
    first = dict(zip(header, rows[1], strict=False))
    by_id = {r[1]: dict(zip(header, r, strict=False)) for r in rows[1:]}
    person = by_id[national_id(1)]
    assert person["วันบรรจุ"] == "17/05/2553" and isinstance(person["เลขที่ตำแหน่ง"], str)
    assert person["กลุ่มสาระที่สอน"] == "คณิตศาสตร์, วิทยาศาสตร์และเทคโนโลยี"
    assert by_id[national_id(4, first="0")]["เลขประจำตัวประชาชน"].startswith("0")
    assert first["ลำดับ"] == 1


def test_it_writes_csv_with_a_bom_for_excel(client, admin, people):
    client.force_login(admin)
    content = export(client, "personnel", "csv")
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][1] == "เลขประจำตัวประชาชน" and len(rows) == 1 + 3  # active only by default


def test_it_masks_national_ids_for_roles_that_may_not_see_them(client, supervisor, admin, people):
    client.force_login(supervisor)
    rows = read_xlsx(export(client, "personnel", "xlsx"))
    assert all("xxx" in r[1] for r in rows[1:])
    # A masked list still names every person (PDPA): who took it is audited, saying so.
    masked = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert masked.actor == supervisor and "ปิดบางส่วน" in masked.object_label
    client.force_login(admin)
    export(client, "personnel", "xlsx")
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="export").count() == 2
    full = AuditEntry.objects.filter(action=AuditAction.EXPORT).exclude(pk=masked.pk).get()
    assert "เลขประจำตัวประชาชนเต็ม" in full.object_label


def test_a_list_of_schools_is_not_audited(client, admin, people):
    client.force_login(admin)
    export(client, "schools", "xlsx")
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_it_filters_exports_like_the_list_page(client, admin, people, school_a):
    client.force_login(admin)
    rows = read_xlsx(export(client, "personnel", "xlsx", f"school={school_a.pk}"))
    assert [r[1] for r in rows[1:]] == [national_id(1)]


def test_it_scopes_a_directors_export_to_their_school(client, director, people):
    client.force_login(director)
    rows = read_xlsx(export(client, "personnel", "xlsx", "status="))
    assert [r[1] for r in rows[1:]] == [national_id(1)]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_it_round_trips_schools_and_enrolment(client, admin, school_a, school_b, fmt):
    school_a.latitude, school_a.longitude = Decimal("12.345678"), Decimal("99.1")
    school_a.save()
    for grade, students, rooms in (("k1", 12, 1), ("p1", 25, 1), ("p6", 31, 2)):
        Enrolment.objects.create(school=school_a, academic_year=2568, census_date=dt.date(2025, 6, 10),
                                 grade=grade, students=students, classrooms=rooms)  # fmt: skip
    Enrolment.objects.create(school=school_b, academic_year=2567, census_date=dt.date(2024, 6, 10),
                             grade="m1", students=40, classrooms=1)  # fmt: skip
    client.force_login(admin)
    batch, problems = reimport(client, "schools", f"s.{fmt}", export(client, "schools", fmt))
    assert problems == [] and batch.count_unchanged == 2
    batch, problems = reimport(client, "enrolment", f"e.{fmt}", export(client, "enrolment", fmt))
    assert problems == [] and batch.count_unchanged == 2


def test_it_offers_templates_that_import_their_example_row(client, admin, school_a):
    client.force_login(admin)
    for kind in ("personnel", "schools", "enrolment"):
        content = b"".join(client.get(reverse("imports:template", args=[kind])).streaming_content)
        batch, problems = reimport(client, kind, f"template-{kind}.xlsx", content)
        assert batch.status == BatchStatus.VALIDATED, (kind, batch.error_message, batch.notice)
        assert batch.count_error == 0, (kind, problems)


def test_the_templates_example_names_an_open_school(client, admin, school_a, school_b):
    """The office's first school closed (merged into another): the personnel template's
    example row names an open one, so it still imports as it stands."""
    import datetime as dt

    from registry.actions import close_school

    close_school(acting_user=None, school=school_a, closed_on=dt.date(2025, 5, 16),
                 merged_into=school_b, reason="")  # fmt: skip
    client.force_login(admin)
    content = b"".join(
        client.get(reverse("imports:template", args=["personnel"])).streaming_content
    )
    batch, problems = reimport(client, "personnel", "template-personnel.xlsx", content)
    assert batch.status == BatchStatus.VALIDATED, (batch.error_message, batch.notice)
    assert batch.count_error == 0, problems
