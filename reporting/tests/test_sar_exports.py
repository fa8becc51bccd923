"""A SAR with many courses (queries.LARGE_SAR_COURSES) has its PDF and DOCX written by the task
worker: a page asks for the file, progress shows, and only the person who asked downloads it,
while they may still read the SAR, for a day. A small SAR downloads at once."""

import datetime as dt
import io
import re
import shutil

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from krupd.lib.numerals import to_thai_digits
from krupd.testing import make_person
from reporting import actions, queries
from reporting.models import SarEdition, SarExport
from reporting.tests.helpers import course, passed

ADMIN, OFFICER, INSPECTOR = Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.INSPECTOR
DIRECTOR, TEACHER = Role.SCHOOL_DIRECTOR, Role.TEACHER
FY = 2569


@pytest.fixture
def sar(users, office, school):
    c = course(office, fy=FY, title="การจัดการเรียนรู้เชิงรุก")
    passed(c, make_person(office, school))
    edition = SarEdition.objects.get(code="esa-2555")
    return actions.start_sar(acting_user=users[OFFICER], edition=edition, fiscal_year=FY)


@pytest.fixture
def large(monkeypatch):
    """Every SAR whose year has a course counts as large."""
    monkeypatch.setattr(queries, "LARGE_SAR_COURSES", 0)


def export_url(sar, fmt="pdf", query=""):
    return reverse("reporting:sar_export", args=[sar.pk, fmt]) + query


def ask(client, capture, url) -> SarExport:
    """Open the large SAR's file page and press its button, running the worker as it commits."""
    page = client.get(url)
    assert page.status_code == 200 and "sar-export-start" in page.content.decode()
    with capture(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    job = SarExport.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])
    job.refresh_from_db()
    return job


def download(client, job) -> bytes:
    response = client.get(reverse("reporting:sar_export_download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def pdf_without_dates(data: bytes) -> bytes:
    """The PDF less its creation time and the file id fpdf2 derives from it."""
    data = re.sub(rb"/CreationDate \(D:[^)]*\)", b"", data)
    return re.sub(rb"/ID \[<[0-9A-F]+><[0-9A-F]+>\]", b"", data)


def docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    return "\n".join(parts)


def test_a_large_sar_pdf_is_written_by_the_worker_exactly_as_a_small_one_is(
    client_for, sar, monkeypatch, django_capture_on_commit_callbacks
):
    client = client_for(OFFICER)
    direct = client.get(export_url(sar))
    assert direct["Content-Type"] == "application/pdf" and not SarExport.objects.exists()
    monkeypatch.setattr(queries, "LARGE_SAR_COURSES", 0)
    job = ask(client, django_capture_on_commit_callbacks, export_url(sar))
    assert job.status == "done" and job.pages > 0
    assert job.total_steps and job.done_steps == job.total_steps
    page = client.get(reverse("reporting:sar_export_job", args=[job.pk])).content.decode()
    assert "ไฟล์พร้อมแล้ว" in page and "sar-export-download" in page
    response = client.get(reverse("reporting:sar_export_download", args=[job.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="sar-{FY}-round2-esa-2555.pdf"'
    written = b"".join(response.streaming_content)
    assert pdf_without_dates(written) == pdf_without_dates(direct.content)


def test_a_large_sar_docx_keeps_the_thai_digits_asked_for(
    client_for, sar, monkeypatch, django_capture_on_commit_callbacks
):
    client = client_for(OFFICER)
    direct = docx_text(client.get(export_url(sar, "docx", "?digits=thai")).content)
    assert "ระดับ ๑" in direct
    monkeypatch.setattr(queries, "LARGE_SAR_COURSES", 0)
    thai = ask(client, django_capture_on_commit_callbacks, export_url(sar, "docx", "?digits=thai"))
    assert thai.thai_digits and thai.status == "done"
    assert docx_text(download(client, thai)) == direct
    arabic = ask(client, django_capture_on_commit_callbacks, export_url(sar, "docx"))
    assert not arabic.thai_digits and "ระดับ ๑" not in docx_text(download(client, arabic))
    # Two different files: the Arabic-digit one does not replace the Thai-digit one.
    assert SarExport.objects.filter(status="done").count() == 2


def test_the_threshold_counts_the_years_courses_that_are_not_drafts(sar, office, monkeypatch):
    monkeypatch.setattr(queries, "LARGE_SAR_COURSES", 2)
    course(office, fy=FY, title="หลักสูตรที่สอง")
    course(office, fy=FY, title="ร่าง", status="draft")
    course(office, fy=FY - 1, title="ปีก่อน")
    assert not queries.sar_is_large(sar)  # two courses of the year: not more than two
    course(office, fy=FY, title="หลักสูตรที่สาม")
    assert queries.sar_is_large(sar)


def test_a_small_sar_downloads_at_once(client_for, sar):
    response = client_for(OFFICER).get(export_url(sar, "docx"))
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert not SarExport.objects.exists()


FILE_PAGES = ("reporting:sar_export_job", "reporting:sar_export_progress",
              "reporting:sar_export_download")  # fmt: skip


@pytest.mark.parametrize("name", FILE_PAGES)
def test_the_file_pages_allow_the_asker_and_refuse_other_roles(
    client_for, sar, large, django_capture_on_commit_callbacks, name
):
    job = ask(client_for(INSPECTOR), django_capture_on_commit_callbacks, export_url(sar))
    assert client_for(INSPECTOR).get(reverse(name, args=[job.pk])).status_code == 200
    for role in (DIRECTOR, TEACHER):
        assert client_for(role).get(reverse(name, args=[job.pk])).status_code == 403, role


def test_the_large_sar_page_allows_readers_and_refuses_school_roles(client_for, sar, large):
    assert client_for(INSPECTOR).get(export_url(sar)).status_code == 200
    for role in (DIRECTOR, TEACHER):
        assert client_for(role).get(export_url(sar)).status_code == 403
        assert client_for(role).post(export_url(sar)).status_code == 403
    assert not SarExport.objects.exists()


def test_only_the_person_who_asked_sees_and_downloads_the_file(
    client_for, users, office, sar, large, django_capture_on_commit_callbacks
):
    job = ask(client_for(OFFICER), django_capture_on_commit_callbacks, export_url(sar))
    for role in (ADMIN, INSPECTOR):  # colleagues who read the SAR themselves
        for name in FILE_PAGES:
            assert client_for(role).get(reverse(name, args=[job.pk])).status_code == 404


def test_the_asker_who_may_no_longer_read_the_sar_loses_the_file(
    client_for, users, sar, large, django_capture_on_commit_callbacks
):
    asker = users[OFFICER]
    job = ask(client_for(OFFICER), django_capture_on_commit_callbacks, export_url(sar))
    asker.role = TEACHER
    asker.save()
    assert (
        client_for(OFFICER).get(reverse("reporting:sar_export_download", args=[job.pk])).status_code
        == 403
    )


def test_the_worker_checks_the_right_again_and_says_why_not_in_thai(client_for, users, sar, large):
    client = client_for(OFFICER)
    client.post(export_url(sar))  # queued: the commit callback (the worker) does not run
    job = SarExport.objects.get()
    asker = users[OFFICER]
    asker.role = TEACHER
    asker.save()
    actions.run_sar_export(export_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.error == actions.SAR_EXPORT_NOT_ALLOWED
    assert not job.file_name and not job.size


def test_a_failure_is_told_in_thai_on_the_page(client_for, sar, large, monkeypatch):
    from reporting.render import pdf

    def broken(document, **kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr(pdf, "sar_pdf", broken)
    client = client_for(OFFICER)
    client.post(export_url(sar))
    job = SarExport.objects.get()
    actions.run_sar_export(export_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.error == actions.sar_export_failed_message()
    page = client.get(reverse("reporting:sar_export_job", args=[job.pk])).content.decode()
    assert "เกิดข้อผิดพลาดในระบบระหว่างเตรียมไฟล์รายงาน SAR" in page and "ลองอีกครั้ง" in page
    assert "font missing" not in page
    assert client.get(reverse("reporting:sar_export_download", args=[job.pk])).status_code == 404


def test_asking_again_while_it_runs_gives_the_running_one_and_a_stalled_one_is_replaced(
    client_for, sar, large
):
    client = client_for(OFFICER)
    first = client.post(export_url(sar))
    again = client.post(export_url(sar))
    assert first.url == again.url and SarExport.objects.count() == 1
    job = SarExport.objects.get()
    page = client.get(first.url).content.decode()
    assert "รอเริ่มเตรียมไฟล์" in page
    progress = client.get(reverse("reporting:sar_export_progress", args=[job.pk]))
    assert "every 1s" in progress.content.decode()
    # The worker died: no progress for longer than the stall limit.
    SarExport.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    assert "อาจถูกหยุดกลางคัน" in client.get(first.url).content.decode()
    assert client.post(export_url(sar)).url != first.url
    assert SarExport.objects.count() == 2


def test_the_progress_says_what_is_being_done(sar, users, large):
    job = SarExport.objects.create(report=sar, requested_by=users[OFFICER], file_format="pdf")
    assert queries.sar_export_progress(job)["phase"] == "รอเริ่มเตรียมไฟล์"
    job.status = "running"
    assert queries.sar_export_progress(job)["phase"] == "กำลังรวบรวมหลักฐานจากข้อมูลในระบบ"
    job.total_steps, job.done_steps, job.pages = 400, 100, 12
    progress = queries.sar_export_progress(job)
    assert (progress["phase"], progress["percent"], progress["pages"]) == (
        "กำลังเขียนไฟล์ PDF",
        25,
        12,
    )


def test_a_finished_file_reloads_the_progress_page(
    client_for, sar, large, django_capture_on_commit_callbacks
):
    client = client_for(OFFICER)
    job = ask(client, django_capture_on_commit_callbacks, export_url(sar))
    url = reverse("reporting:sar_export_progress", args=[job.pk])
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"


def test_a_newer_file_replaces_the_older_and_files_go_after_a_day(
    client_for, sar, large, django_capture_on_commit_callbacks
):
    client = client_for(OFFICER)
    first = ask(client, django_capture_on_commit_callbacks, export_url(sar))
    first_path = SarExport.directory() / first.file_name
    assert first_path.exists()
    second = ask(client, django_capture_on_commit_callbacks, export_url(sar))
    assert not first_path.exists() and not SarExport.objects.filter(pk=first.pk).exists()

    SarExport.objects.filter(pk=second.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    page = client.get(reverse("reporting:sar_export_job", args=[second.pk])).content.decode()
    assert "ไฟล์นี้ถูกลบแล้ว" in page
    assert client.get(reverse("reporting:sar_export_download", args=[second.pk])).status_code == 404
    call_command("purge_import_rows", stdout=io.StringIO())  # the daily purge, every kind
    assert not SarExport.objects.exists()
    assert not (SarExport.directory() / second.file_name).exists()


def test_another_persons_files_are_kept(client_for, sar, large, django_capture_on_commit_callbacks):
    mine = ask(client_for(OFFICER), django_capture_on_commit_callbacks, export_url(sar))
    theirs = ask(client_for(INSPECTOR), django_capture_on_commit_callbacks, export_url(sar))
    assert SarExport.objects.filter(pk__in=[mine.pk, theirs.pk], status="done").count() == 2


needs_pdftotext = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) reads the PDF's text"
)


@needs_pdftotext
def test_the_sar_pdf_is_written_in_thai_digits_when_asked_as_the_docx_is(client_for, sar):
    from krupd.tests.test_official_documents import pdf_text

    client = client_for(OFFICER)
    page = client.get(reverse("reporting:sar", args=[sar.pk])).content.decode()
    assert export_url(sar, "pdf", "?digits=thai") in page  # the SAR page offers it
    thai = pdf_text(client.get(export_url(sar, "pdf", "?digits=thai")).content)
    arabic = pdf_text(client.get(export_url(sar, "pdf")).content)
    assert f"ปีงบประมาณ พ.ศ. {FY}" in arabic and "ระดับ 1" in arabic
    # Every digit Thai: the year, the levels, the page numbers from page 2 (pdftotext drops
    # the spaces around a page number: compared without spaces).
    assert f"ปีงบประมาณ พ.ศ. {to_thai_digits(str(FY))}" in thai and "ระดับ ๑" in thai
    assert "-2-" in re.sub(r"\s", "", arabic) and "-๒-" in re.sub(r"\s", "", thai)
    assert not re.search(r"[0-9]", thai)


@needs_pdftotext
def test_a_large_sar_pdf_keeps_the_thai_digits_asked_for(
    client_for, sar, monkeypatch, django_capture_on_commit_callbacks
):
    from krupd.tests.test_official_documents import pdf_text

    client = client_for(OFFICER)
    direct = client.get(export_url(sar, "pdf", "?digits=thai")).content
    monkeypatch.setattr(queries, "LARGE_SAR_COURSES", 0)
    job = ask(client, django_capture_on_commit_callbacks, export_url(sar, "pdf", "?digits=thai"))
    assert job.thai_digits and job.status == "done" and job.format_label == "PDF (เลขไทย)"
    assert pdf_text(download(client, job)) == pdf_text(direct)
