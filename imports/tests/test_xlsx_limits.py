"""Zip bombs and string bombs in an uploaded XLSX are refused with a Thai message, and the
upload request itself never opens the workbook (only the zip's directory)."""

import io
import zipfile

import pytest
from django.urls import reverse

from imports import readers
from imports.models import BatchStatus, ImportBatch

from .conftest import upload_file, xlsx_bytes
from .test_personnel import HEADER, person_row


def with_shared_strings(content: bytes, strings_xml: bytes) -> bytes:
    """The same workbook with `strings_xml` as its sharedStrings.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != "xl/sharedStrings.xml":
                dst.writestr(info.filename, src.read(info.filename), zipfile.ZIP_DEFLATED)
        dst.writestr("xl/sharedStrings.xml", strings_xml, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def shared_strings(count: int, text: str = "ก") -> bytes:
    body = f"<si><t>{text}</t></si>".encode() * count
    return (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.'
            b'org/spreadsheetml/2006/main">' + body + b"</sst>")  # fmt: skip


def upload(client, content: bytes):
    return client.post(
        reverse("imports:upload"), {"kind": "personnel", "file": upload_file("a.xlsx", content)}
    )


def test_a_zip_bomb_is_refused_on_the_upload_page(client, admin, school_a):
    client.force_login(admin)
    bomb = with_shared_strings(xlsx_bytes([HEADER, person_row(1)]), shared_strings(2_000_000))
    assert len(bomb) < 400_000  # tens of megabytes packed into a few hundred kilobytes
    response = upload(client, bomb)
    assert response.status_code == 200
    assert readers.UNPACKED_TOO_LARGE_MESSAGE in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_too_many_shared_strings_are_refused_by_the_validation(
    client, admin, school_a, monkeypatch
):
    monkeypatch.setattr(readers, "MAX_SHARED_STRINGS", 50)
    client.force_login(admin)
    content = xlsx_bytes([HEADER, person_row(1)])
    upload(client, with_shared_strings(content, shared_strings(51)))
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.FAILED
    assert batch.error_message == readers.TOO_MANY_STRINGS_MESSAGE


def test_too_much_shared_string_text_is_refused(client, admin, school_a, monkeypatch):
    monkeypatch.setattr(readers, "MAX_SHARED_STRING_CHARS", 100)
    client.force_login(admin)
    content = xlsx_bytes([HEADER, person_row(1)])
    upload(client, with_shared_strings(content, shared_strings(101)))
    assert ImportBatch.objects.get().error_message == readers.TOO_MANY_STRINGS_MESSAGE


def test_the_upload_request_does_not_open_the_workbook(
    client, admin, school_a, monkeypatch, parser_spy
):
    opened = parser_spy
    monkeypatch.setattr("imports.actions._enqueue_validation", lambda batch: None)
    client.force_login(admin)
    upload(client, xlsx_bytes([HEADER, person_row(1)]))
    assert ImportBatch.objects.exists() and opened == []


@pytest.mark.parametrize("total_mb", [1])
def test_the_total_unpacked_size_is_limited(client, admin, school_a, monkeypatch, total_mb):
    monkeypatch.setattr(readers, "MAX_UNPACKED_BYTES", total_mb * 1024 * 1024)
    client.force_login(admin)
    content = with_shared_strings(
        xlsx_bytes([HEADER, person_row(1)]), shared_strings(200_000, text="ข้อความ")
    )
    assert readers.UNPACKED_TOO_LARGE_MESSAGE in upload(client, content).content.decode()


def test_the_mapping_page_shows_sample_values_without_opening_the_file(
    client, admin, school_a, monkeypatch
):
    """The samples under each header are taken by the background validation; the page only
    reads them from the batch. They are row data, so purging the rows clears them too."""
    from imports import actions, xlsx_stream

    client.force_login(admin)
    upload(client, xlsx_bytes([["หมายเลข ปชช.", "name"], ["3100500123456", "สมหญิง"]]))
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.NEEDS_MAPPING
    assert batch.samples == {"0": ["3100500123456"], "1": ["สมหญิง"]}
    opened = []
    monkeypatch.setattr(xlsx_stream.XlsxStream, "__init__", lambda *a, **k: opened.append(a))
    page = client.get(reverse("imports:mapping", args=[batch.pk])).content.decode()
    assert "สมหญิง" in page and opened == []
    actions.purge_batch_rows(acting_user=admin, batch=batch)
    batch.refresh_from_db()
    assert batch.samples == {}


def _batch_with_an_error(client, admin) -> ImportBatch:
    rows = [HEADER, person_row(1), person_row(2, **{"เลขประจำตัวประชาชน": "1234567890123"})]
    client.force_login(admin)
    upload(client, xlsx_bytes(rows))
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.VALIDATED and batch.count_error == 1
    return batch


def test_the_error_file_is_written_by_the_worker_and_only_served_by_the_page(
    client, admin, school_a, monkeypatch, django_capture_on_commit_callbacks
):
    from imports import exporters, xlsx_stream

    batch = _batch_with_an_error(client, admin)
    stored = exporters.stored_error_file(batch)
    assert stored is not None  # written right after the validation
    opened = []
    monkeypatch.setattr(xlsx_stream.XlsxStream, "__init__", lambda *a, **k: opened.append(a))
    response = client.get(reverse("imports:error_file", args=[batch.pk]))
    assert response.status_code == 200 and opened == []
    assert b"".join(response.streaming_content) == stored.read_bytes()
    monkeypatch.undo()
    from imports import actions

    with django_capture_on_commit_callbacks(execute=True):
        actions.purge_batch_rows(acting_user=admin, batch=batch)
    assert not stored.exists()  # it holds the rows: purged with them


def test_a_missing_error_file_is_queued_and_the_page_says_it_is_being_prepared(
    client, admin, school_a, settings
):
    from imports import actions, exporters

    batch = _batch_with_an_error(client, admin)
    exporters.delete_error_files(batch.pk)  # a batch validated before files were kept
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = client.get(reverse("imports:error_file", args=[batch.pk]), follow=True)
    assert "ระบบกำลังเตรียมไฟล์พร้อมคอลัมน์ข้อผิดพลาด" in response.content.decode()
    assert exporters.stored_error_file(batch) is None
    actions.run_error_file(batch_id=batch.pk)  # what the queued task does
    assert client.get(reverse("imports:error_file", args=[batch.pk])).status_code == 200
