"""A list longer than DIRECT_EXPORT_ROWS is written by the task worker: a page asks for it,
progress shows, and only the person who asked downloads the file, for a day."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from imports import actions, exporters
from imports.models import ListExport
from krupd.worker_files import FileStatus
from registry.models import AuditAction, AuditEntry

from .conftest import _user, national_id, read_xlsx


@pytest.fixture
def long_lists(monkeypatch):
    """Every list with more than two rows counts as long."""
    monkeypatch.setattr(exporters, "DIRECT_EXPORT_ROWS", 2)


@pytest.fixture
def people(make_person, school_a, school_b):
    return [make_person(i, school=school_a if i % 2 else school_b) for i in range(1, 6)]


def export_url(kind="personnel", fmt="xlsx", query=""):
    return reverse("imports:export", args=[kind]) + f"?format={fmt}{query}"


def ask(client, capture, url):
    """Open the export page and press its button, running the worker as it commits."""
    page = client.get(url)
    assert page.status_code == 200 and "list-export-start" in page.content.decode()
    with capture(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    return ListExport.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])


def download(client, job):
    response = client.get(reverse("imports:list_export_download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def direct(client, url):
    return b"".join(client.get(url).streaming_content)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_long_list_is_written_by_the_worker_exactly_as_a_short_one_is(
    client, admin, people, monkeypatch, django_capture_on_commit_callbacks, fmt
):
    client.force_login(admin)
    short = direct(client, export_url(fmt=fmt))
    monkeypatch.setattr(exporters, "DIRECT_EXPORT_ROWS", 2)
    job = ask(client, django_capture_on_commit_callbacks, export_url(fmt=fmt))
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.processed_rows) == (FileStatus.DONE, 5, 5)
    page = client.get(reverse("imports:list_export", args=[job.pk])).content.decode()
    assert "ไฟล์พร้อมแล้ว" in page and "list-export-download" in page
    long = download(client, job)
    if fmt == "xlsx":
        assert read_xlsx(long) == read_xlsx(short)
    else:
        assert long == short
        rows = list(csv.reader(io.StringIO(long.decode("utf-8-sig"))))
        assert len(rows) == 6


def test_the_page_keeps_the_list_filters_and_says_how_long_the_list_is(
    client, admin, people, school_a, long_lists, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    page = client.get(export_url(query=f"&school={school_a.pk}")).content.decode()
    assert "<strong>3</strong> แถว" in page
    job = ask(
        client, django_capture_on_commit_callbacks, export_url(query=f"&school={school_a.pk}")
    )
    assert job.params == {"school": str(school_a.pk)}
    ids = {row[1] for row in read_xlsx(download(client, job))[1:]}
    assert ids == {national_id(1), national_id(3), national_id(5)}


def test_a_short_list_is_still_a_file_at_once(client, admin, people):
    client.force_login(admin)
    response = client.get(export_url())
    assert response["Content-Type"] == exporters.XLSX_TYPE
    assert not ListExport.objects.exists()


def test_only_the_person_who_asked_sees_and_downloads_the_file(
    client, admin, office, teacher, people, long_lists, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    job = ask(client, django_capture_on_commit_callbacks, export_url())
    colleague = _user("admin2", "office_admin", office)
    client.force_login(colleague)
    for name in (
        "imports:list_export",
        "imports:list_export_progress",
        "imports:list_export_download",
    ):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    client.force_login(teacher)
    assert client.get(reverse("imports:list_export", args=[job.pk])).status_code == 403
    assert client.post(export_url()).status_code == 403


def test_full_national_ids_are_audited_once_when_asked_for_and_masked_otherwise(
    client, admin, supervisor, people, long_lists, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    job = ask(client, django_capture_on_commit_callbacks, export_url())
    assert job.full_ids
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="export").count() == 1
    assert national_id(1) in {row[1] for row in read_xlsx(download(client, job))}
    client.force_login(supervisor)
    masked = ask(client, django_capture_on_commit_callbacks, export_url())
    assert not masked.full_ids
    assert national_id(1) not in {row[1] for row in read_xlsx(download(client, masked))}
    # The masked list is audited too (it names every person), saying its IDs were masked.
    entries = AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="export")
    assert entries.count() == 2
    assert entries.filter(actor=supervisor, object_label__contains="ปิดบางส่วน").count() == 1


def test_asking_twice_while_it_runs_queues_it_once(client, admin, people, long_lists):
    client.force_login(admin)
    client.post(export_url())  # the worker never runs: the commit callback is not executed
    client.post(export_url())
    job = ListExport.objects.get()
    page = client.get(reverse("imports:list_export", args=[job.pk])).content.decode()
    assert "รอเริ่มเตรียมไฟล์" in page
    progress = client.get(reverse("imports:list_export_progress", args=[job.pk]))
    assert progress.status_code == 200 and "every 1s" in progress.content.decode()


def test_a_newer_file_replaces_the_older_and_files_go_after_a_day(
    client, admin, people, long_lists, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    first = ask(client, django_capture_on_commit_callbacks, export_url())
    first.refresh_from_db()
    first_path = ListExport.directory() / first.file_name
    assert first_path.exists()
    second = ask(client, django_capture_on_commit_callbacks, export_url())
    second.refresh_from_db()
    assert not first_path.exists() and not ListExport.objects.filter(pk=first.pk).exists()

    ListExport.objects.filter(pk=second.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    page = client.get(reverse("imports:list_export", args=[second.pk])).content.decode()
    assert "ไฟล์นี้ถูกลบแล้ว" in page
    assert client.get(reverse("imports:list_export_download", args=[second.pk])).status_code == 404
    call_command("purge_import_rows", stdout=io.StringIO())
    assert not ListExport.objects.exists()
    assert not (ListExport.directory() / second.file_name).exists()


def test_the_purge_also_removes_what_a_killed_worker_left(client, admin, people, long_lists):
    client.force_login(admin)
    client.post(export_url())  # queued; say the worker died half-way through writing it
    job = ListExport.objects.get()
    ListExport.directory().mkdir(parents=True, exist_ok=True)
    part = ListExport.directory() / f"{job.pk}-0123456789abcdef.part"
    part.write_bytes(b"rows written so far")
    ListExport.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    assert actions.purge_expired_exports() == 1
    assert not part.exists()


def test_a_person_who_lost_the_right_gets_no_file(client, office, people, long_lists):
    asker = _user("clerk", "office_admin", office)
    client.force_login(asker)
    client.post(export_url())
    job = ListExport.objects.get()
    asker.role = "teacher"
    asker.save()
    actions.run_list_export(export_id=job.pk)
    job.refresh_from_db()
    assert job.status == FileStatus.FAILED and job.error == actions.EXPORT_NOT_ALLOWED
    assert not job.file_name


def test_enrolment_counts_one_row_per_school_and_year(
    client, admin, school_a, school_b, long_lists, django_capture_on_commit_callbacks
):
    from registry.models import Enrolment

    for school in (school_a, school_b):
        for year in (2567, 2568):
            for grade in ("p1", "p2"):
                Enrolment.objects.create(school=school, academic_year=year, grade=grade,
                                         students=10, classrooms=1,
                                         census_date=dt.date(year - 543, 6, 10))  # fmt: skip
    client.force_login(admin)
    job = ask(client, django_capture_on_commit_callbacks, export_url("enrolment"))
    job.refresh_from_db()
    assert job.total_rows == job.processed_rows == 4
    assert len(read_xlsx(download(client, job))) == 5
