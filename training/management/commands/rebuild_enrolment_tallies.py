"""manage.py rebuild_enrolment_tallies: the nightly recount of the stored enrolment counts.

Every office's EnrolmentTally rows (enrolled, passed and awaiting a result, per session of a
course) are recounted from its courses' enrolments and stored again. An office whose stored
rows differed from the recount is named with its courses; with --verify the command then
exits with status 1, so cron mails it (docs/deploy.md): the triggers on the enrolment table
keep the rows in every write, so a difference means enrolments were written with them off.
"""

from __future__ import annotations

from registry.summary_rebuild import SummaryRebuildCommand
from training import tallies


class Command(SummaryRebuildCommand):
    help = (
        "นับจำนวนผู้เข้าร่วม ผ่าน และรอผลของแต่ละรุ่นที่เก็บไว้ใหม่จากการลงทะเบียน / "
        "Recount the stored enrolment counts per course and session of every office."
    )

    def rebuild(self, office, *, verify: bool):
        # The recount always compares with the stored rows, so a difference is reported with
        # or without --verify; --verify sets the exit status.
        return tallies.rebuild(office)

    def report(self, difference: tallies.Difference) -> None:
        office = difference.office
        courses = ", ".join(str(c) for c in difference.courses[:20])
        more = len(difference.courses) - 20
        if more > 0:
            courses += f" และอีก {more:,} หลักสูตร / and {more:,} more"
        self.stderr.write(
            f"{office.code} {office.name}: จำนวนผู้เข้าร่วมที่เก็บไว้ไม่ตรงกับการนับใหม่ (แก้ไขแล้ว) "
            f"หลักสูตรรหัส {courses} / stored enrolment counts differed from a recount (now "
            f"corrected): course ids {courses}"
        )
