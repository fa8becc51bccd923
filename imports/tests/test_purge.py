"""Retention of import row data (PDPA): a finished batch keeps its counts, loses its rows.

An applied or abandoned batch's stored rows (full national IDs, salaries) and its uploaded
file are deleted once the office's retention period is over (`purge_import_rows`, daily) or
when an office admin asks from the batch page. A batch validated but never applied counts as
abandoned once the period is over; batches being validated or applied are never touched, and
every purge is in the audit log.
"""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from imports import actions
from imports.models import PURGEABLE, BatchStatus, ImportBatch, ImportRow
from registry.models import AuditAction, AuditEntry, OfficeRules

from .conftest import upload_file, xlsx_bytes
from .test_personnel import HEADER, person_row

PURGED_NOTICE = "ลบข้อมูลรายแถวแล้วเมื่อ"


def _upload(client, user, rows, name="hrms.xlsx") -> ImportBatch:
    client.force_login(user)
    client.post(
        reverse("imports:upload"),
        {"kind": "personnel", "file": upload_file(name, xlsx_bytes([HEADER, *rows]))},
    )
    client.logout()
    return ImportBatch.objects.latest("pk")


def _applied(client, admin, first=1, count=3) -> ImportBatch:
    batch = _upload(client, admin, [person_row(i) for i in range(first, first + count)])
    client.force_login(admin)
    client.post(reverse("imports:apply", args=[batch.pk]))
    client.logout()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED, batch.error_message
    return batch


def _with_errors(client, admin) -> ImportBatch:
    rows = [person_row(1), person_row(2, **{"เลขประจำตัวประชาชน": "1234567890123"})]
    batch = _upload(client, admin, rows, name="errors.xlsx")
    assert batch.status == BatchStatus.VALIDATED and batch.count_error == 1
    return batch


def _age(batch: ImportBatch, days: int) -> None:
    """Move the batch's apply (or last activity) `days` days into the past."""
    when = timezone.now() - dt.timedelta(days=days)
    fields = {"updated_at": when}
    if batch.applied_at:
        fields["applied_at"] = when
    ImportBatch.objects.filter(pk=batch.pk).update(**fields)


def _rows(batch) -> int:
    return ImportRow.objects.filter(batch=batch).count()


@pytest.fixture
def applied(client, admin, school_a):
    return _applied(client, admin)


@pytest.fixture
def other_director(office, school_b):
    return User.objects.create_user(
        username="director_b", password="x", role=Role.SCHOOL_DIRECTOR, office=office,
        school=school_b,
    )  # fmt: skip


# ------------------------------------------------------------------- the office admin's button


def test_an_admin_purges_a_batch_keeping_its_counts(
    client, admin, applied, django_capture_on_commit_callbacks
):
    upload = applied.file.name
    assert _rows(applied) == 3 and default_storage.exists(upload)
    client.force_login(admin)
    page = client.get(reverse("imports:detail", args=[applied.pk])).content.decode()
    assert reverse("imports:purge", args=[applied.pk]) in page and "data-confirm=" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:purge", args=[applied.pk]))
    assert response.status_code == 302

    applied.refresh_from_db()
    assert applied.rows_purged_at is not None and _rows(applied) == 0
    assert not applied.file and not default_storage.exists(upload)
    assert (applied.status, applied.count_new, applied.count_error) == (BatchStatus.APPLIED, 3, 0)
    entry = AuditEntry.objects.get(action=AuditAction.DELETE, object_type="importbatch")
    assert entry.actor == admin and entry.office_id == applied.office_id
    assert entry.object_id == str(applied.pk) and "ผู้ดูแลระบบสั่งลบ" in entry.object_label
    assert entry.changes["ข้อมูลรายแถว"] == ["3 แถว", "ลบแล้ว"]

    page = client.get(reverse("imports:detail", args=[applied.pk])).content.decode()
    assert PURGED_NOTICE in page and "ลบข้อมูลรายแถว 3 แถว" in page  # notice and message
    assert "ไม่มีแถวในกลุ่มนี้" not in page  # no empty row table pretending nothing was there
    assert reverse("imports:purge", args=[applied.pk]) not in page
    history = client.get(reverse("imports:list")).content.decode()
    assert "ลบข้อมูลรายแถวแล้ว" in history and applied.original_name in history


def test_a_purged_batch_explains_itself_instead_of_serving_rows_or_files(client, admin, school_a):
    batch = _with_errors(client, admin)
    actions.purge_batch_rows(acting_user=admin, batch=batch)
    client.force_login(admin)

    response = client.get(reverse("imports:error_file", args=[batch.pk]), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("imports:detail", args=[batch.pk])
    assert "ไม่มีไฟล์ข้อผิดพลาดให้ดาวน์โหลด" in page and PURGED_NOTICE in page

    for show in ("error", "new", "changed", "unchanged"):
        page = client.get(reverse("imports:detail", args=[batch.pk]), {"show": show})
        assert PURGED_NOTICE in page.content.decode()
    page = page.content.decode()
    assert reverse("imports:error_file", args=[batch.pk]) not in page
    assert reverse("imports:apply", args=[batch.pk]) not in page
    assert reverse("imports:mapping", args=[batch.pk]) not in page

    response = client.get(reverse("imports:mapping", args=[batch.pk]))
    assert response.status_code == 302
    response = client.post(reverse("imports:revalidate", args=[batch.pk]), follow=True)
    assert "ลบข้อมูลรายแถวและไฟล์ที่อัปโหลดของการนำเข้านี้แล้ว" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED and batch.rows_purged_at is not None
    with pytest.raises(actions.ApplyRefused):
        actions.save_mapping(acting_user=admin, batch=batch, mapping={0: "national_id"})


def test_a_clean_batch_nobody_applied_can_be_discarded_and_then_not_applied(
    client, admin, school_a
):
    batch = _upload(client, admin, [person_row(1)])
    assert batch.status == BatchStatus.VALIDATED and batch.count_error == 0
    client.force_login(admin)
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert reverse("imports:purge", args=[batch.pk]) in page
    client.post(reverse("imports:purge", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.rows_purged_at is not None and _rows(batch) == 0
    with pytest.raises(actions.ApplyRefused):
        actions.request_apply(acting_user=admin, batch=batch)


def test_a_batch_being_validated_cannot_be_purged(client, admin, school_a):
    batch = _upload(client, admin, [person_row(1)])
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.VALIDATING)
    client.force_login(admin)
    response = client.post(reverse("imports:purge", args=[batch.pk]), follow=True)
    assert "ระหว่างที่ระบบกำลังตรวจสอบหรือนำเข้า" in response.content.decode()
    batch.refresh_from_db()
    assert batch.rows_purged_at is None and _rows(batch) == 1
    assert not AuditEntry.objects.filter(action=AuditAction.DELETE).exists()


def test_the_purge_button_is_post_only(client, admin, applied):
    client.force_login(admin)
    assert client.get(reverse("imports:purge", args=[applied.pk])).status_code == 405


@pytest.mark.parametrize(
    "who, refused", [("teacher", 403), ("inspector", 403), ("other_director", 403),
                     ("director", 403), ("officer", 403), ("supervisor", 403),
                     ("other_admin", 404)],
)  # fmt: skip
def test_only_the_office_admin_may_purge(client, request, applied, who, refused, other_director):
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("imports:purge", args=[applied.pk])).status_code == refused
    applied.refresh_from_db()
    assert applied.rows_purged_at is None and _rows(applied) == 3
    with pytest.raises(PermissionDenied):
        actions.purge_batch_rows(acting_user=request.getfixturevalue(who), batch=applied)
    assert _rows(applied) == 3


def test_the_button_is_shown_to_admins_only(client, officer, applied):
    client.force_login(officer)
    page = client.get(reverse("imports:detail", args=[applied.pk])).content.decode()
    assert reverse("imports:purge", args=[applied.pk]) not in page
    assert "จะถูกลบอัตโนมัติเมื่อครบ 90 วัน" in page


# ------------------------------------------------------------------------- the daily purge


def test_the_daily_purge_follows_each_offices_retention(
    client, admin, other_admin, office, other_office, school_a, school_x
):
    OfficeRules.objects.create(office=office, import_retention_days=30)
    old = _applied(client, admin, first=1)
    recent = _applied(client, admin, first=10)
    _age(old, 31)
    _age(recent, 29)
    # The other office keeps the default 90 days (it has no rules row at all).
    rows = [person_row(20, **{"รหัสสถานศึกษา": school_x.obec_code, "ชื่อสถานศึกษา": school_x.name})]
    kept = _upload(client, other_admin, rows)
    client.force_login(other_admin)
    client.post(reverse("imports:apply", args=[kept.pk]))
    kept.refresh_from_db()
    assert kept.status == BatchStatus.APPLIED, kept.error_message
    _age(kept, 60)

    report = actions.purge_expired_rows()

    assert (report.batches, report.rows) == (1, 3)
    for batch in (old, recent, kept):
        batch.refresh_from_db()
    assert old.rows_purged_at is not None and _rows(old) == 0 and old.count_new == 3
    assert recent.rows_purged_at is None and _rows(recent) == 3
    assert kept.rows_purged_at is None and _rows(kept) == 1
    entry = AuditEntry.objects.get(action=AuditAction.DELETE)
    assert entry.actor is None and entry.actor_name == "ระบบ"
    assert entry.object_id == str(old.pk) and "ครบระยะเก็บรักษา 30 วัน" in entry.object_label

    _age(kept, 91)
    assert actions.purge_expired_rows().batches == 1
    kept.refresh_from_db()
    assert kept.rows_purged_at is not None
    assert actions.purge_expired_rows().batches == 0  # nothing twice


def test_the_daily_purge_takes_abandoned_batches_but_never_running_ones(client, admin, school_a):
    with_errors = _with_errors(client, admin)
    awaiting_apply = _upload(client, admin, [person_row(5)])
    running = {}
    for status in (BatchStatus.UPLOADED, BatchStatus.VALIDATING, BatchStatus.APPLYING):
        batch = _upload(client, admin, [person_row(6)])
        ImportBatch.objects.filter(pk=batch.pk).update(status=status)
        running[status] = batch
    for batch in (with_errors, awaiting_apply, *running.values()):
        _age(batch, 400)

    report = actions.purge_expired_rows()

    assert (report.batches, report.rows) == (2, 3)
    assert _rows(with_errors) == 0
    assert _rows(awaiting_apply) == 0  # validated 400 days ago and never applied: abandoned
    for batch in running.values():
        batch.refresh_from_db()
        assert batch.rows_purged_at is None and _rows(batch) == 1


@pytest.mark.parametrize("status", BatchStatus.values)
@pytest.mark.parametrize("errors", [0, 2])
def test_may_purge_rows_agrees_with_the_query(office, status, errors):
    batch = ImportBatch.objects.create(
        office=office, kind="personnel", status=status, count_error=errors, file="x.xlsx"
    )
    in_query = ImportBatch.objects.filter(PURGEABLE, pk=batch.pk).exists()
    assert batch.may_purge_rows == in_query
    expected = status in ("applied", "failed", "needs_mapping", "validated")
    assert in_query == expected


def test_the_command_dry_run_changes_nothing(client, admin, applied):
    _age(applied, 100)
    out = io.StringIO()
    call_command("purge_import_rows", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "ทดลอง" in text and "Dry run" in text and "1 import batches (3 rows)" in text
    applied.refresh_from_db()
    assert applied.rows_purged_at is None and _rows(applied) == 3 and applied.file
    assert not AuditEntry.objects.filter(action=AuditAction.DELETE).exists()

    out = io.StringIO()
    call_command("purge_import_rows", stdout=out)
    assert "Purged the row data of 1 import batches (3 rows)" in out.getvalue()
    assert "ลบข้อมูลรายแถวของการนำเข้าแล้ว 1 รายการ" in out.getvalue()
    applied.refresh_from_db()
    assert applied.rows_purged_at is not None and _rows(applied) == 0


# ------------------------------------------------------------------------ the office setting


def test_the_retention_period_is_an_audited_office_setting(client, admin, officer, office):
    data = {
        "retirement_age": "60",
        "freshness_days": "180",
        "allow_leading_zero_or_nine_id": "on",
        "census_day": "10/06",
        "import_retention_days": "30",
    }
    client.force_login(officer)
    assert client.post(reverse("registry:settings"), data).status_code == 403
    client.force_login(admin)
    assert client.post(reverse("registry:settings"), data).status_code == 302
    assert OfficeRules.objects.get(office=office).import_retention_days == 30
    entry = AuditEntry.objects.get(object_type="officerules")
    assert entry.changes["import_retention_days"] == [90, 30]
    assert ("เก็บข้อมูลรายแถวของไฟล์นำเข้าไว้ (วัน)", "90", "30") in entry.readable_changes()

    response = client.post(reverse("registry:settings"), {**data, "import_retention_days": "0"})
    assert response.status_code == 200  # refused: at least one day
    assert OfficeRules.objects.get(office=office).import_retention_days == 30
