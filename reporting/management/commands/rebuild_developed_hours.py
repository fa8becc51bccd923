"""manage.py rebuild_developed_hours: the nightly recount of the stored "developed" counts.

Every office's DevelopedHours rows are recounted from its passed enrolments and PLC meetings
and stored again (an office not built yet is built). An office whose stored rows differed
from the recount is named with its schools and fiscal years; with --verify the command then
exits with status 1, so cron mails it (docs/deploy.md §5): a difference means some write
changed development hours without keeping the counts (reporting.developed.keeping).
"""

from __future__ import annotations

from registry.summary_rebuild import SummaryRebuildCommand
from reporting import developed


class Command(SummaryRebuildCommand):
    help = (
        "นับจำนวนบุคลากรที่ได้รับการพัฒนาตามเกณฑ์ชั่วโมงที่เก็บไว้ใหม่จากผลการพัฒนาและ PLC / "
        "Recount the stored developed-hours counts of every office from the records."
    )

    def rebuild(self, office, *, verify: bool):
        # The recount always compares with the stored rows (it costs nothing extra), so a
        # difference is reported with or without --verify; --verify sets the exit status.
        return developed.rebuild(office)

    def report(self, difference: developed.Difference) -> None:
        office = difference.office
        schools = ", ".join(str(s) if s else "ไม่สังกัดโรงเรียน" for s in difference.schools[:20])
        years = ", ".join(str(y) for y in difference.years)
        self.stderr.write(
            f"{office.code} {office.name}: จำนวนที่เก็บไว้ไม่ตรงกับการนับใหม่ (แก้ไขแล้ว) "
            f"ปีงบประมาณ {years} โรงเรียน {schools} / stored counts differed from a "
            f"recount (now corrected): fiscal years {years}, school ids {schools}"
        )
