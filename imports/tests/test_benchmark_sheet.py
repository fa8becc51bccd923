"""The benchmark sheet writer produces files the importer reads without a single error."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from bench.personnel_sheet import write_personnel_sheet
from imports import progress
from imports.models import BatchStatus, ImportBatch
from registry.demo import iter_person_rows
from registry.models import Person

from .conftest import upload_file


def test_it_writes_demo_people_as_an_importable_personnel_sheet(
    client, admin, school_a, school_b, tmp_path
):
    path = tmp_path / "people.xlsx"
    rows = list(
        iter_person_rows(seed=1, people=60, school_codes=[school_a.obec_code, school_b.obec_code])
    )
    assert write_personnel_sheet(path, rows) == 60
    client.force_login(admin)
    content = path.read_bytes()
    client.post(
        reverse("imports:upload"), {"kind": "personnel", "file": upload_file("demo.xlsx", content)}
    )
    batch = ImportBatch.objects.latest("pk")
    assert (batch.status, batch.count_new, batch.count_error) == (BatchStatus.VALIDATED, 60, 0), (
        list(batch.rows.filter(status="error").values_list("row_number", "errors")[:3])
    )
    client.post(reverse("imports:apply", args=[batch.pk]))
    demo = rows[5]
    person = Person.objects.get(national_id=demo["national_id"])
    assert (person.first_name, person.birth_date, person.salary) == (
        demo["first_name"],
        demo["birth_date"],
        demo["salary"],
    )
    assert sorted(a.code for a in person.areas_taught.all()) == sorted(
        demo["areas_taught_codes"] or []
    )

    client.post(
        reverse("imports:upload"), {"kind": "personnel", "file": upload_file("demo.xlsx", content)}
    )
    again = ImportBatch.objects.latest("pk")
    assert (again.count_unchanged, again.count_new, again.count_changed) == (60, 0, 0)


def test_it_offers_to_start_again_when_a_worker_died(client, admin, school_a):
    client.force_login(admin)
    batch = ImportBatch.objects.create(
        office=admin.office, kind="personnel", uploaded_by=admin, original_name="x.xlsx",
        file_format="xlsx", status=BatchStatus.APPLYING,
    )  # fmt: skip
    url = reverse("imports:detail", args=[batch.pk])
    assert "ไม่มีความคืบหน้ามานาน" not in client.get(url).content.decode()
    ImportBatch.objects.filter(pk=batch.pk).update(
        updated_at=timezone.now() - dt.timedelta(hours=1)
    )
    progress.report(batch.pk, 10, 100)  # a live apply reports progress: not stalled
    assert "ไม่มีความคืบหน้ามานาน" not in client.get(url).content.decode()
    progress.clear(batch.pk)
    assert "ไม่มีความคืบหน้ามานาน" in client.get(url).content.decode()
