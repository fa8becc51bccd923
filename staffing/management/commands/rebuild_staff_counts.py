"""manage.py rebuild_staff_counts: the nightly recount of the stored staff counts per school.

Every stored snapshot and every office's current census day is recounted from the people rows
and stored again. A snapshot that was still current but differed from its recount is listed
and the command exits with status 1, so cron mails it (docs/deploy.md §5).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from krupd.lib import thai_dates
from staffing import actions


class Command(BaseCommand):
    help = (
        "นับจำนวนบุคลากรรายโรงเรียนที่เก็บไว้ใหม่ทั้งหมดจากข้อมูลบุคลากร และตรวจว่าตรงกับที่เก็บไว้ / "
        "Recount every stored per-school staff count from the people rows and check it."
    )

    def handle(self, *args, **options):
        rebuilt = actions.rebuild_staff_counts()
        for office, census, schools in rebuilt.differences:
            day = thai_dates.format_thai_date(census, style="long")
            self.stderr.write(
                f"{office.name} วันนับ {day}: จำนวนที่เก็บไว้ไม่ตรงกับการนับใหม่ {len(schools)} "
                f"โรงเรียน (แก้ไขแล้ว) / stored counts differed from a recount at "
                f"{len(schools)} schools (now corrected): school ids {schools[:20]}"
            )
        self.stdout.write(
            f"นับใหม่แล้ว {rebuilt.snapshots:,} ชุด / recounted {rebuilt.snapshots:,} snapshots"
        )
        if rebuilt.differences:
            raise CommandError(
                f"จำนวนที่เก็บไว้ไม่ตรง {len(rebuilt.differences)} ชุด / "
                f"{len(rebuilt.differences)} stored snapshots differed"
            )
