"""manage.py rebuild_developed_hours: the nightly recount of the stored "developed" counts.

Every office's DevelopedHours rows are recounted from its passed enrolments and PLC meetings
and stored again (an office not built yet is built). With --verify, an office whose stored
rows differed from the recount is named with its schools and fiscal years, and the command
exits with status 1, so cron mails it (docs/deploy.md §5): a difference means some write
changed development hours without keeping the counts (reporting.developed.keeping).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from registry.models import Office
from reporting import developed


class Command(BaseCommand):
    help = (
        "นับจำนวนบุคลากรที่ได้รับการพัฒนาตามเกณฑ์ชั่วโมงที่เก็บไว้ใหม่จากผลการพัฒนาและ PLC / "
        "Recount the stored developed-hours counts of every office from the records."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--verify", action="store_true",
            help="รายงานสำนักงานที่จำนวนที่เก็บไว้ไม่ตรงกับการนับใหม่ และจบด้วยสถานะ 1 / "
                 "report offices whose stored counts differed and exit 1",
        )  # fmt: skip
        parser.add_argument("--office", type=int, action="append", help="office id (repeatable)")

    def handle(self, *args, **options):
        offices = Office.objects.order_by("pk")
        if options["office"]:
            offices = offices.filter(pk__in=options["office"])
        differences = []
        count = 0
        for office in offices:
            difference = developed.rebuild(office)
            count += 1
            if difference is not None:
                differences.append(difference)
                schools = ", ".join(
                    str(s) if s else "ไม่สังกัดโรงเรียน" for s in difference.schools[:20]
                )
                years = ", ".join(str(y) for y in difference.years)
                self.stderr.write(
                    f"{office.name}: จำนวนที่เก็บไว้ไม่ตรงกับการนับใหม่ (แก้ไขแล้ว) "
                    f"ปีงบประมาณ {years} โรงเรียน {schools} / stored counts differed from a "
                    f"recount (now corrected): fiscal years {years}, school ids {schools}"
                )
        self.stdout.write(f"นับใหม่แล้ว {count:,} สำนักงาน / recounted {count:,} offices")
        if options["verify"] and differences:
            raise CommandError(
                f"จำนวนที่เก็บไว้ไม่ตรง {len(differences)} สำนักงาน / "
                f"{len(differences)} offices' stored counts differed"
            )
