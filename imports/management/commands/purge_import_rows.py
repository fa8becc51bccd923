"""manage.py purge_import_rows [--dry-run]: the daily retention purge of import row data.

Every batch applied, or abandoned (failed, left waiting for a column mapping, validated with
errors), longer ago than its office's retention period (OfficeRules.import_retention_days,
default 90 days) loses its per-row data and its uploaded file; its counts and summary stay.
Files the task worker wrote for someone (large lists, which may hold national IDs, and large
SARs) are deleted a day after they were asked for.
Run it once a day (docs/deploy.md §5).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from imports import actions
from krupd import worker_files


class Command(BaseCommand):
    help = (
        "ลบข้อมูลรายแถวและไฟล์ที่อัปโหลดของการนำเข้าที่ครบระยะเก็บรักษาของแต่ละเขตพื้นที่ "
        "(คงไว้เฉพาะจำนวนสรุป) / Purge the row data and uploaded files of import batches past "
        "their office's retention period (counts are kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="นับอย่างเดียว ไม่ลบ / only count what would be purged, change nothing",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        report = actions.purge_expired_rows(dry_run=dry_run)
        if not dry_run:
            exports = worker_files.purge_every_kind()
            self.stdout.write(
                f"ลบไฟล์ส่งออกที่เกิน 1 วันแล้ว {exports:,} ไฟล์\n"
                f"Deleted {exports:,} export files older than a day"
            )
        if dry_run:
            self.stdout.write(
                f"ทดลอง (ไม่มีการเปลี่ยนแปลง): จะลบข้อมูลรายแถวของการนำเข้า {report.batches:,} "
                f"รายการ ({report.rows:,} แถว)\n"
                f"Dry run (nothing changed): would purge the row data of {report.batches:,} "
                f"import batches ({report.rows:,} rows)"
            )
            return
        self.stdout.write(
            f"ลบข้อมูลรายแถวของการนำเข้าแล้ว {report.batches:,} รายการ ({report.rows:,} แถว)\n"
            f"Purged the row data of {report.batches:,} import batches ({report.rows:,} rows)"
        )
