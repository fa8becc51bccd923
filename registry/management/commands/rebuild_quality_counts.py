"""manage.py rebuild_quality_counts: the nightly recount of the stored data-quality counts.

Every office's QualityCount rows (one a school) are recounted from its people as of today
and stored again (an office not built yet is built), so the first report of the day does not
recount the office for the rules comparing with today. With --verify, the stored rows are
first compared with a recount for the day they were stored for; an office whose rows
differed is named with its schools and rules, and the command exits with status 1, so cron
mails it (docs/deploy.md): a difference means some write changed people without keeping the counts
(registry.quality_counts.recount).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from registry import quality_counts
from registry.models import Office, PersonnelType
from registry.quality import RULES_BY_CODE

SHOWN = 20  # differing rows named per office; the rest are counted


class Command(BaseCommand):
    help = (
        "นับจำนวนตามเกณฑ์คุณภาพข้อมูลที่เก็บไว้ของทุกโรงเรียนใหม่จากข้อมูลบุคลากร / "
        "Recount the stored data-quality counts of every office from its people."
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
        differences = 0
        count = 0
        for office in offices:
            # Each office in its own short transaction (rebuild), the application running.
            difference = quality_counts.rebuild(office, verify=options["verify"])
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

    def _report(self, difference: quality_counts.Difference) -> None:
        office = difference.office
        self.stderr.write(
            f"{office.code} {office.name}: จำนวนที่เก็บไว้ไม่ตรงกับการนับใหม่ (แก้ไขแล้ว) "
            f"{len(difference.rows):,} รายการ / stored counts differed from a recount "
            f"(now corrected): {len(difference.rows):,} rows"
        )
        for school, what, stored, counted in difference.rows[:SHOWN]:
            rule = RULES_BY_CODE.get(what)
            label = rule.label if rule else LABELS.get(what, what)
            self.stderr.write(
                f"  {quality_counts.school_label(school)} | {label} ({what}): "
                f"เก็บไว้ / stored {_shown(stored)} นับใหม่ / counted {_shown(counted)}"
            )
        if len(difference.rows) > SHOWN:
            self.stderr.write(f"  … อีก {len(difference.rows) - SHOWN:,} รายการ / more rows")


LABELS = {"people": "จำนวนบุคลากรและวันที่ปรับปรุงล่าสุด", "types": "จำนวนบุคลากรแยกตามประเภท"}


def _shown(value) -> str:
    """(checked, failed), (people, last update) or ((type, people), ...) as plain text; none
    stored/counted: 0."""
    if value is None:
        return "0"
    if all(isinstance(pair, tuple) for pair in value):
        names = dict(PersonnelType.choices)
        return ", ".join(f"{names.get(t) or t or 'ไม่ระบุ'} {n:,}" for t, n in value) or "0"
    first, second = value
    if hasattr(second, "isoformat"):
        return f"{first:,} คน / people, {second:%Y-%m-%d %H:%M:%S}"
    return f"{first:,}/{second:,} (ตรวจ/ไม่ผ่าน / checked/failed)"
