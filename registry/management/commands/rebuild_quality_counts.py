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

from registry import quality_counts
from registry.models import PersonnelType
from registry.quality import RULES_BY_CODE
from registry.summary_rebuild import SummaryRebuildCommand

SHOWN = 20  # differing rows named per office; the rest are counted


class Command(SummaryRebuildCommand):
    help = (
        "นับจำนวนตามเกณฑ์คุณภาพข้อมูลที่เก็บไว้ของทุกโรงเรียนใหม่จากข้อมูลบุคลากร / "
        "Recount the stored data-quality counts of every office from its people."
    )

    def rebuild(self, office, *, verify: bool):
        return quality_counts.rebuild(office, verify=verify)

    def report(self, difference: quality_counts.Difference) -> None:
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
