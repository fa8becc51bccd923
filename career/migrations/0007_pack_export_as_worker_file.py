"""The PA pack's ZIP joins the files the task worker writes (krupd.worker_files): it gains the
shared fields (file_format, updated_at), its status takes FileStatus, and its asker is kept
(a deleted account takes its files with it, as for the other kinds).

Existing rows are carried over:
- status: the old values map to FileStatus (TO_FILE_STATUS; the stored words were the same,
  only the labels change) and back on reverse;
- updated_at is when the build last moved (finished, else asked for), so a build the old
  worker left hanging reads as stalled and may be asked for again;
- a finished file is renamed to the shared "<id>-<random>.zip", so the purge of the shared
  life finds it; the row keeps the new name, which the old code reads as well;
- a failure shows the Thai message of the new code, not the exception the old one stored;
- a row whose asker's account was deleted goes, with its file (an out-of-date convenience
  copy; it can be built again).
"""

import secrets
from pathlib import Path

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TO_FILE_STATUS = {"queued": "queued", "running": "running", "done": "done", "failed": "failed"}
FROM_FILE_STATUS = {new: old for old, new in TO_FILE_STATUS.items()}
FAILED_MESSAGE = (
    "เกิดข้อผิดพลาดในระบบระหว่างรวมแฟ้มหลักฐาน PA กรุณาลองใหม่ หากยังไม่ได้ให้แจ้งผู้ดูแลระบบ"
)


def _packs_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "career" / "packs"


def to_worker_files(apps, schema_editor):
    PAPackExport = apps.get_model("career", "PAPackExport")
    packs = _packs_dir()
    # .update(), not .save(): save() would stamp updated_at (auto_now) with the present.
    for export in PAPackExport.objects.order_by("pk").iterator():
        row = PAPackExport.objects.filter(pk=export.pk)
        if export.requested_by_id is None:
            if export.file_name:
                (packs / export.file_name).unlink(missing_ok=True)
            row.delete()
            continue
        changes = {
            "status": TO_FILE_STATUS.get(export.status, "failed"),
            "updated_at": export.finished_at or export.created_at,
        }
        if changes["status"] == "failed":
            changes["error"] = FAILED_MESSAGE
        old_file = packs / export.file_name if export.file_name else None
        if old_file and old_file.exists() and not export.file_name.startswith(f"{export.pk}-"):
            new_name = f"{export.pk}-{secrets.token_hex(8)}.zip"
            old_file.rename(packs / new_name)
            changes["file_name"] = new_name
        row.update(**changes)


def from_worker_files(apps, schema_editor):
    PAPackExport = apps.get_model("career", "PAPackExport")
    for new, old in FROM_FILE_STATUS.items():
        PAPackExport.objects.filter(status=new).update(status=old)


class Migration(migrations.Migration):
    dependencies = [
        ("career", "0006_award_certificates_as_evidence"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="papackexport",
            name="file_format",
            field=models.CharField(default="zip", max_length=4),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="papackexport",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.RunPython(to_worker_files, from_worker_files),
        migrations.AlterField(
            model_name="papackexport",
            name="requested_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="papackexport",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "รอเริ่ม"),
                    ("running", "กำลังเตรียมไฟล์"),
                    ("done", "พร้อมดาวน์โหลด"),
                    ("failed", "เตรียมไฟล์ไม่สำเร็จ"),
                ],
                default="queued",
                max_length=10,
                verbose_name="สถานะ",
            ),
        ),
        migrations.AlterField(
            model_name="papackexport",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="ขอเมื่อ"),
        ),
        migrations.AlterField(
            model_name="papackexport",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="เสร็จเมื่อ"),
        ),
        migrations.AlterModelOptions(
            name="papackexport",
            options={
                "ordering": ["-created_at", "-id"],
                "verbose_name": "แฟ้มหลักฐาน PA (ZIP)",
                "verbose_name_plural": "แฟ้มหลักฐาน PA (ZIP)",
            },
        ),
    ]
