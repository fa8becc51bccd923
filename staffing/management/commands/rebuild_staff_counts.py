"""manage.py rebuild_staff_counts: the nightly recount of the stored staff counts per school.

Every office's StaffCount rows are recounted from its people for the current year's census
day and stored again (an office not built yet is built), so the first staffing page of a new
academic year does not recount the office. With --verify, the stored rows are first compared
with a recount for the census day they were stored for; an office whose rows differed is named
with its schools, and the command exits with status 1, so cron mails it (docs/deploy.md): a
difference means some write changed people without keeping the counts (staffing.summary).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from krupd.lib import thai_dates
from registry.models import Office
from staffing import summary

SHOWN = 20  # differing schools named per office; the rest are counted


class Command(BaseCommand):
    help = (
        "นับจำนวนบุคลากรรายโรงเรียนที่เก็บไว้ใหม่จากข้อมูลบุคลากร / "
        "Recount the stored per-school staff counts of every office from its people."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--verify", action="store_true",
            help="รายงานสำนักงานที่จำนวนที่เก็บไว้ไม่ตรงกับการนับใหม่ และจบด้วยสถานะ 1 / "
                 "report offices whose stored counts differed and exit 1",
        )  # fmt: skip
        parser.add_argument(
            "--office", action="append", metavar="CODE",
            help="รหัสเขตพื้นที่ (ระบุได้หลายครั้ง) / office code (repeatable)",
        )  # fmt: skip

    def handle(self, *args, **options):
        offices = Office.objects.order_by("pk")
        if options["office"]:
            offices = offices.filter(code__in=options["office"])
        differences = count = 0
        for office in offices:
            # Each office in its own short transaction (rebuild), the application running.
            difference = summary.rebuild(office, verify=options["verify"])
            count += 1
            if difference is not None:
                differences += 1
                self._report(difference)
        self.stdout.write(f"นับใหม่แล้ว {count:,} สำนักงาน / recounted {count:,} offices")
        if options["verify"] and differences:
            raise CommandError(
                f"จำนวนที่เก็บไว้ไม่ตรง {differences} สำนักงาน / "
                f"{differences} offices' stored counts differed"
            )

    def _report(self, difference: summary.Difference) -> None:
        office, schools = difference.office, difference.schools
        day = thai_dates.format_thai_date(difference.census_date, style="long")
        self.stderr.write(
            f"{office.code} {office.name} วันนับ {day}: จำนวนที่เก็บไว้ไม่ตรงกับการนับใหม่ "
            f"{len(schools):,} โรงเรียน (แก้ไขแล้ว) / stored counts differed from a recount at "
            f"{len(schools):,} schools (now corrected)"
        )
        for school in schools[:SHOWN]:
            self.stderr.write(f"  {summary.school_label(school)}")
        if len(schools) > SHOWN:
            self.stderr.write(f"  … อีก {len(schools) - SHOWN:,} โรงเรียน / more schools")
