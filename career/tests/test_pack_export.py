"""The pack's ZIP as a file the task worker writes (krupd.worker_files): what the page says
while it runs, a failure in Thai, a build the worker left hanging asked for again, the
one-day keep time and purge, and the migration that carried the old rows over."""

import datetime as dt
import importlib
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.roles import Role
from career import actions
from career.models import PAPackExport
from krupd.worker_files import STALL_AFTER, FileStatus

pytestmark = pytest.mark.django_db
FY = 2569


@pytest.fixture
def agreement(users, teacher_person):
    return actions.start_agreement(
        acting_user=users[Role.TEACHER], person=teacher_person, fiscal_year=FY
    )


def _pack_url(agreement) -> str:
    return f"/career/pa/{agreement.pk}/pack/"


def _build(client, agreement, callbacks):
    with callbacks(execute=True):  # the task worker's run
        client.post(f"/career/pa/{agreement.pk}/pack/zip/")
    return agreement.exports.order_by("-pk").first()


def test_the_page_says_queued_then_building_as_before(client, users, agreement):
    client.force_login(users[Role.TEACHER])
    client.post(f"/career/pa/{agreement.pk}/pack/zip/")  # queued; the worker has not run
    export = agreement.exports.get()
    assert export.status == FileStatus.QUEUED and export.file_format == "zip"
    assert "รอคิว 0 / … ไฟล์" in client.get(_pack_url(agreement)).content.decode()
    PAPackExport.objects.filter(pk=export.pk).update(status=FileStatus.RUNNING, done=5, total=9)
    progress = client.get(f"/career/pa/{agreement.pk}/pack/zip/{export.pk}/").content.decode()
    assert "กำลังรวมไฟล์ 5 / 9 ไฟล์" in progress and "hx-trigger" in progress


def test_a_failure_shows_a_thai_message_not_the_exception(
    client, users, agreement, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("/srv/krupd/career/pack_zip.py: disk full")

    monkeypatch.setattr("career.pack_zip.write_pack_zip", broken)
    client.force_login(users[Role.TEACHER])
    export = _build(client, agreement, django_capture_on_commit_callbacks)
    assert export.status == FileStatus.FAILED and export.error == actions.pack_failed_message()
    page = client.get(_pack_url(agreement)).content.decode()
    assert "รวมแฟ้มไม่สำเร็จ: เกิดข้อผิดพลาดในระบบระหว่างรวมแฟ้มหลักฐาน PA" in page
    assert "disk full" not in page and "pack_zip" not in page
    assert not export.file_name  # nothing offered (a part file waits for the purge)
    assert not list(PAPackExport.directory().glob(f"{export.pk}-*.zip"))


def test_a_build_the_worker_left_hanging_may_be_asked_for_again(client, users, agreement):
    client.force_login(users[Role.TEACHER])
    client.post(f"/career/pa/{agreement.pk}/pack/zip/")
    client.post(f"/career/pa/{agreement.pk}/pack/zip/")  # still running: not queued twice
    hanging = agreement.exports.get()
    PAPackExport.objects.filter(pk=hanging.pk).update(
        status=FileStatus.RUNNING, updated_at=timezone.now() - STALL_AFTER - dt.timedelta(1)
    )
    page = client.get(_pack_url(agreement)).content.decode()
    assert "กรุณากดรวมแฟ้มอีกครั้ง" in page and "hx-trigger" not in page
    client.post(f"/career/pa/{agreement.pk}/pack/zip/")
    assert agreement.exports.count() == 2


def test_the_zip_is_kept_a_day_then_purged_with_the_other_worker_files(
    client, users, agreement, django_capture_on_commit_callbacks
):
    client.force_login(users[Role.TEACHER])
    failed = PAPackExport.objects.create(agreement=agreement, requested_by=users[Role.TEACHER],
                                         file_format="zip", status=FileStatus.FAILED)  # fmt: skip
    export = _build(client, agreement, django_capture_on_commit_callbacks)
    assert export.status == FileStatus.DONE
    assert not PAPackExport.objects.filter(pk=failed.pk).exists()  # older builds go
    path = PAPackExport.directory() / export.file_name
    assert path.exists() and export.file_name.startswith(f"{export.pk}-")
    download = f"/career/pa/{agreement.pk}/pack/zip/{export.pk}/download/"
    response = client.get(download)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    b"".join(response.streaming_content)

    PAPackExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - dt.timedelta(days=2)
    )
    assert client.get(download).status_code == 404
    assert "pack-zip-download" not in client.get(_pack_url(agreement)).content.decode()
    call_command("purge_import_rows", stdout=io.StringIO())
    assert not agreement.exports.exists() and not path.exists()


# ------------------------------------------------------------------------- the migration

BEFORE = [("career", "0006_award_certificates_as_evidence")]
AFTER = [("career", "0007_pack_export_as_worker_file")]
migration = importlib.import_module("career.migrations.0007_pack_export_as_worker_file")


def test_every_old_status_maps_to_a_file_status_and_back():
    assert set(migration.TO_FILE_STATUS) == {"queued", "running", "done", "failed"}
    assert set(migration.TO_FILE_STATUS.values()) == set(FileStatus.values)
    for old, new in migration.TO_FILE_STATUS.items():
        assert migration.FROM_FILE_STATUS[new] == old


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_carries_old_rows_over_and_back(users, agreement, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    old_apps = _migrate(BEFORE)
    OldExport = old_apps.get_model("career", "PAPackExport")
    teacher = users[Role.TEACHER].pk
    asked = timezone.now() - dt.timedelta(hours=3)
    finished = asked + dt.timedelta(minutes=1)
    packs = tmp_path / "career" / "packs"
    packs.mkdir(parents=True)
    (packs / "pa-2569-1-3.zip").write_bytes(b"PK old zip")
    (packs / "pa-2569-1-9.zip").write_bytes(b"PK orphan")
    rows = {
        status: OldExport.objects.create(
            agreement_id=agreement.pk, requested_by_id=teacher, status=status
        )  # fmt: skip
        for status in ("queued", "running", "failed")
    }
    rows["done"] = OldExport.objects.create(
        agreement_id=agreement.pk, requested_by_id=teacher, status="done",
        file_name="pa-2569-1-3.zip", finished_at=finished,
    )  # fmt: skip
    OldExport.objects.filter(pk__in=[r.pk for r in rows.values()]).update(created_at=asked)
    OldExport.objects.filter(pk=rows["failed"].pk).update(error="Traceback: /srv/x.py")
    orphan = OldExport.objects.create(agreement_id=agreement.pk, requested_by_id=None,
                                      status="done", file_name="pa-2569-1-9.zip")  # fmt: skip

    _migrate(AFTER)
    carried = {e.pk: e for e in PAPackExport.objects.all()}
    assert orphan.pk not in carried and not (packs / "pa-2569-1-9.zip").exists()
    for old_status, row in rows.items():
        export = carried[row.pk]
        assert export.status == FileStatus(old_status) and export.file_format == "zip"
        assert export.updated_at == (finished if old_status == "done" else asked)
    assert carried[rows["running"].pk].is_stalled()  # the old worker's hanging build
    assert carried[rows["failed"].pk].error == actions.pack_failed_message()
    done = carried[rows["done"].pk]
    assert done.file_name.startswith(f"{done.pk}-") and not (packs / "pa-2569-1-3.zip").exists()
    assert (packs / done.file_name).read_bytes() == b"PK old zip"

    old_apps = _migrate(BEFORE)
    OldExport = old_apps.get_model("career", "PAPackExport")
    back = dict(OldExport.objects.values_list("pk", "status"))
    assert back == {row.pk: status for status, row in rows.items()}
    _migrate(AFTER)


def test_downloading_the_zip_is_audited_and_refused_to_others(
    client, users, agreement, django_capture_on_commit_callbacks
):
    """The pack's ZIP (agreement, scores, every evidence file) left the system with no trail."""
    from registry.models import AuditAction, AuditEntry

    client.force_login(users[Role.TEACHER])
    export = _build(client, agreement, django_capture_on_commit_callbacks)
    url = f"/career/pa/{agreement.pk}/pack/zip/{export.pk}/download/"
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()
    client.force_login(users[Role.SUPERVISOR])
    assert client.get(url).status_code in (403, 404)
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()
    client.force_login(users[Role.TEACHER])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content)
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.actor == users[Role.TEACHER] and entry.object_id == str(agreement.pk)
    assert entry.object_label.startswith(f"ดาวน์โหลดแฟ้มหลักฐาน PA {FY}")
