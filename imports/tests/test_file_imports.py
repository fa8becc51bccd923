"""Whole-workbook imports (a competency framework, O-NET results): the upload request only
looks at the file's first bytes and zip directory, stores it and queues a job; the task
worker reads it within the import limits, writes it whole or not at all, and the job page
shows the outcome with every problem in Thai."""

import io

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from imports import actions, readers
from imports.models import FileImport, FileImportKind, FileImportStatus
from notifications.models import Notification
from planning.models import Framework
from reporting.models import OnetResult

from .conftest import upload_file
from .test_xlsx_limits import shared_strings, with_shared_strings

QUEUE_ONLY = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
FRAMEWORK_URL = "/planning/frameworks/import/"
ONET_URL = "/reports/onet/"


def framework_workbook(*, version: str = "1", items=(("D1", "ด้านการสอน", "A", "ออกแบบการเรียนรู้"),)):
    wb = openpyxl.Workbook()
    meta = wb.active
    meta.title = "ข้อมูลกรอบ"
    for key, value in [("รหัสกรอบ", "KP"), ("ฉบับ", version), ("ชื่อกรอบ", "สมรรถนะครู"),
                       ("ที่มา", "ว 9/2564"), ("คะแนนต่ำสุด", 1), ("คะแนนสูงสุด", 5)]:  # fmt: skip
        meta.append([key, value])
    sheet = wb.create_sheet("สมรรถนะ")
    sheet.append(["รหัสด้าน", "ชื่อด้าน", "รหัส", "สมรรถนะ/ตัวชี้วัด", "คำอธิบาย"])
    for item in items:
        sheet.append(list(item))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def onet_workbook(rows) -> bytes:
    from reporting.tests.helpers import onet_sheet

    return onet_sheet(rows)


def post(client, url: str, content: bytes, name: str = "file.xlsx"):
    return client.post(url, {"file": upload_file(name, content)})


def run_queued() -> FileImport:
    """What the task worker does with the one queued job."""
    job = FileImport.objects.get(status=FileImportStatus.QUEUED)
    actions.run_file_import(job_id=job.pk)
    job.refresh_from_db()
    return job


# ------------------------------------------------------------------------ the request only queues

# Each kind of whole-workbook import with a small valid workbook of its own.
BOTH_KINDS = pytest.mark.parametrize(
    ("url", "content"),
    [
        (FRAMEWORK_URL, framework_workbook()),
        (ONET_URL, onet_workbook([("1076100101", "คณิตศาสตร์", 2567, 41)])),
    ],
    ids=["framework", "onet"],  # the bytes carry a timestamp: parallel workers must agree
)


@BOTH_KINDS
def test_the_upload_request_stores_the_file_and_never_opens_the_workbook(
    client, admin, school_a, settings, parser_spy, url, content
):
    settings.TASKS = QUEUE_ONLY
    client.force_login(admin)
    response = post(client, url, content)
    job = FileImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:file_import", args=[job.pk])
    assert parser_spy == [] and job.status == FileImportStatus.QUEUED
    assert default_storage.exists(job.file.name)
    page = client.get(response["Location"]).content.decode()
    assert "รอเริ่มตรวจไฟล์" in page and "hx-get" in page


def test_the_worker_imports_a_framework_whole_and_deletes_the_upload(
    client, admin, settings, parser_spy
):
    settings.TASKS = QUEUE_ONLY
    client.force_login(admin)
    items = [("D1", "ด้านการสอน", "A", "ออกแบบการเรียนรู้", ""),
             ("D1", "ด้านการสอน", "B", "วัดและประเมินผล", "")]  # fmt: skip
    post(client, FRAMEWORK_URL, framework_workbook(items=items))
    stored = FileImport.objects.get().file.name
    job = run_queued()
    fw = Framework.objects.get(code="KP")
    assert job.status == FileImportStatus.DONE and job.result_id == fw.pk
    assert job.summary == f"นำเข้า {fw} แล้ว (2 ข้อ)" and parser_spy
    assert not job.file and not default_storage.exists(stored)
    page = client.get(reverse("imports:file_import", args=[job.pk])).content.decode()
    assert job.summary in page and reverse("planning:framework", args=[fw.pk]) in page
    assert Notification.objects.filter(recipient=admin, url__endswith=f"/files/{job.pk}/").exists()


def test_the_worker_refuses_a_framework_with_errors_and_writes_nothing(client, admin, settings):
    settings.TASKS = QUEUE_ONLY
    client.force_login(admin)
    items = [("D1", "ด้านการสอน", "A", "ออกแบบการเรียนรู้"), ("D1", "ด้านอื่น", "A", "")]
    post(client, FRAMEWORK_URL, framework_workbook(items=items))
    job = run_queued()
    assert job.status == FileImportStatus.FAILED and not Framework.objects.exists()
    assert job.errors == [
        "แผ่นงาน “สมรรถนะ” แถว 3 คอลัมน์ D (สมรรถนะ/ตัวชี้วัด): ต้องกรอก",
        "แผ่นงาน “สมรรถนะ” แถว 3: รหัสด้าน D1 ชื่อ “ด้านอื่น” ไม่ตรงกับแถว 2 (“ด้านการสอน”)",
        "แผ่นงาน “สมรรถนะ” แถว 3 คอลัมน์ C: รหัส A ซ้ำกับแถว 2",
    ]
    page = client.get(reverse("imports:file_import", args=[job.pk])).content.decode()
    assert "นำเข้าไม่ได้ พบปัญหา 3 รายการ" in page and "ซ้ำกับแถว 2" in page
    assert reverse("planning:frameworks") in page  # upload again from there


def test_a_framework_version_that_exists_is_refused_by_the_worker(client, admin):
    client.force_login(admin)
    post(client, FRAMEWORK_URL, framework_workbook())
    post(client, FRAMEWORK_URL, framework_workbook())
    first, second = FileImport.objects.order_by("pk")
    assert first.status == FileImportStatus.DONE and second.status == FileImportStatus.FAILED
    assert second.errors == ["มีกรอบ KP ฉบับ 1 อยู่แล้ว — เปลี่ยนฉบับในแผ่นงาน “ข้อมูลกรอบ”"]
    assert Framework.objects.count() == 1


def test_onet_rows_are_written_all_or_nothing_by_the_worker(client, officer, school_a):
    client.force_login(officer)
    good = (school_a.obec_code, "คณิตศาสตร์", 2567, 41)
    post(client, ONET_URL, onet_workbook([good, ("9999999999", "ภาษาไทย", "๒๕๖๗", "abc")]))
    failed = FileImport.objects.get()
    assert failed.status == FileImportStatus.FAILED and not OnetResult.objects.exists()
    assert failed.errors == [
        "แถวที่ 4: ไม่พบรหัสสถานศึกษา 9999999999 ในเขตพื้นที่นี้",
        "แถวที่ 4: คะแนนเฉลี่ย “abc” ไม่ใช่ตัวเลข",
    ]
    response = post(client, ONET_URL, onet_workbook([good]))
    page = client.get(response["Location"]).content.decode()
    assert "นำเข้าผล O-NET แล้ว: เพิ่ม 1 แถว" in page
    assert OnetResult.objects.get().mean == 41


def test_onet_school_codes_are_read_as_every_importer_reads_a_code(
    client, officer, school_a, school_b
):
    """ "10-7610-0101" and "'1076100102" were "ไม่พบรหัสสถานศึกษา"; an Excel error is named."""
    client.force_login(officer)
    rows = [
        ("10-7610-0101", "คณิตศาสตร์", 2567, 41),
        ("'1076100102", "คณิตศาสตร์", 2567, 38),
        ("1076 1001 02", "ภาษาไทย", 2567, 45),
        ("#N/A", "ภาษาไทย", 2567, 45),
    ]
    post(client, ONET_URL, onet_workbook(rows))
    failed = FileImport.objects.get()
    assert failed.errors == ["แถวที่ 6: ช่องนี้มีค่าผิดพลาดจากสูตร (#N/A)"]
    assert not OnetResult.objects.exists()
    post(client, ONET_URL, onet_workbook(rows[:3]))
    assert sorted(OnetResult.objects.values_list("school__obec_code", "subject", "mean")) == [
        ("1076100101", "คณิตศาสตร์", 41),
        ("1076100102", "คณิตศาสตร์", 38),
        ("1076100102", "ภาษาไทย", 45),
    ]


def test_an_uncomputed_formula_is_named_by_its_row(client, officer, school_a):
    """openpyxl saves "=…" as a formula without its result, as programs that make files do."""
    client.force_login(officer)
    post(client, ONET_URL, onet_workbook([(school_a.obec_code, "คณิตศาสตร์", 2567, "=40+1")]))
    errors = FileImport.objects.get().errors
    assert errors[0] == f"แถวที่ 3: {readers.UNCOMPUTED_FORMULA_MESSAGE}"
    assert not OnetResult.objects.exists()


# ------------------------------------------------------------------------ zip and string bombs


@pytest.mark.parametrize("url", [FRAMEWORK_URL, ONET_URL])
def test_a_zip_bomb_is_refused_from_its_zip_directory_without_a_job(client, admin, parser_spy, url):
    client.force_login(admin)
    bomb = with_shared_strings(framework_workbook(), shared_strings(2_000_000))
    assert len(bomb) < 400_000  # tens of megabytes packed into a few hundred kilobytes
    response = post(client, url, bomb)
    assert response.status_code == 400
    assert "เมื่อขยายออกมีขนาดใหญ่ผิดปกติ" in response.content.decode()
    assert not FileImport.objects.exists() and parser_spy == []


@BOTH_KINDS
def test_a_string_bomb_inside_the_limits_of_the_zip_is_queued_and_refused_by_the_worker(
    client, admin, school_a, settings, monkeypatch, parser_spy, url, content
):
    """Shared strings the zip directory cannot show: the request queues the file without
    reading it; the worker stops at the shared-string limit with the importers' Thai message."""
    settings.TASKS = QUEUE_ONLY
    monkeypatch.setattr(readers, "MAX_SHARED_STRINGS", 50)
    client.force_login(admin)
    response = post(client, url, with_shared_strings(content, shared_strings(51)))
    assert response.status_code == 302 and parser_spy == []
    job = run_queued()
    assert job.status == FileImportStatus.FAILED
    assert job.errors == [readers.TOO_MANY_STRINGS_MESSAGE]
    assert not Framework.objects.exists() and not OnetResult.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert readers.TOO_MANY_STRINGS_MESSAGE in page


def test_too_much_shared_string_text_is_refused_by_the_worker(client, admin, monkeypatch):
    monkeypatch.setattr(readers, "MAX_SHARED_STRING_CHARS", 100)
    client.force_login(admin)
    post(client, FRAMEWORK_URL, with_shared_strings(framework_workbook(), shared_strings(101)))
    assert FileImport.objects.get().errors == [readers.TOO_MANY_STRINGS_MESSAGE]


def test_a_broken_workbook_is_refused_by_the_worker_in_thai(client, admin, settings):
    """A zip whose directory looks like a workbook but whose parts are not XML."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml")
    client.force_login(admin)
    post(client, FRAMEWORK_URL, out.getvalue())
    post(client, ONET_URL, out.getvalue())
    framework, onet = FileImport.objects.order_by("pk")
    assert framework.errors == ["ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) ที่อ่านได้"]
    assert onet.errors == [readers.CORRUPT_XLSX_MESSAGE]  # as the other importers say it


def test_the_worker_refuses_when_the_uploader_lost_the_right(client, admin, settings):
    settings.TASKS = QUEUE_ONLY
    client.force_login(admin)
    post(client, FRAMEWORK_URL, framework_workbook())
    admin.role = "teacher"
    admin.save(update_fields=["role"])
    job = run_queued()
    assert job.status == FileImportStatus.FAILED and job.errors == [actions.FILE_IMPORT_NOT_ALLOWED]
    assert not Framework.objects.exists()


def test_a_job_is_run_once(client, admin):
    client.force_login(admin)
    post(client, FRAMEWORK_URL, framework_workbook())
    job = FileImport.objects.get()
    actions.run_file_import(job_id=job.pk)  # a second delivery of the same task
    assert Framework.objects.count() == 1 and FileImport.objects.get().status == "done"


# ------------------------------------------------------------------------ who may


def test_upload_and_job_pages_by_role(
    client, admin, officer, director, teacher, inspector, other_admin, school_a, settings
):
    settings.TASKS = QUEUE_ONLY
    framework_job = FileImport.objects.create(
        office=admin.office, kind=FileImportKind.FRAMEWORK, uploaded_by=admin, original_name="a"
    )
    onet_job = FileImport.objects.create(
        office=admin.office, kind=FileImportKind.ONET, uploaded_by=officer, original_name="b"
    )
    cases = [
        # (job, roles allowed, roles refused)
        (framework_job, [admin], [officer, director, teacher, inspector, other_admin]),
        (onet_job, [admin, officer], [director, teacher, inspector, other_admin]),
    ]
    for job, allowed, refused in cases:
        for name in ("imports:file_import", "imports:file_import_progress"):
            url = reverse(name, args=[job.pk])
            for user in allowed:
                client.force_login(user)
                assert client.get(url).status_code == 200, (user.username, url)
            for user in refused:
                client.force_login(user)
                assert client.get(url).status_code in (403, 404), (user.username, url)
    for url, content, allowed, refused in [
        (FRAMEWORK_URL, framework_workbook(), admin, officer),
        (ONET_URL, onet_workbook([]), officer, director),
    ]:
        client.force_login(refused)
        assert post(client, url, content).status_code == 403
        client.force_login(allowed)
        assert post(client, url, content).status_code == 302
    assert FileImport.objects.filter(status=FileImportStatus.QUEUED).count() == 4


def test_the_progress_partial_reloads_the_page_when_done(client, admin):
    client.force_login(admin)
    post(client, FRAMEWORK_URL, framework_workbook())
    job = FileImport.objects.get()
    url = reverse("imports:file_import_progress", args=[job.pk])
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
