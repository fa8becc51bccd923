"""The shape of the nightly commands that recount a stored per-school summary (data-quality
counts, staff counts) from the records: every office, or those named with --office, each in
its own short transaction while the application runs; with --verify, the stored rows are
compared with the recount first, each office that differed is reported, and the command ends
with status 1 so that cron mails it (docs/deploy.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from registry.models import Office


class SummaryRebuildCommand(BaseCommand):
    """Subclasses say how one office is rebuilt (`rebuild`: a difference, or None when the
    stored rows were right or not verified) and how a difference is reported (`report`)."""

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

    def rebuild(self, office: Office, *, verify: bool):
        raise NotImplementedError

    def report(self, difference) -> None:
        raise NotImplementedError

    def handle(self, *args, **options):
        offices = Office.objects.order_by("pk")
        if options["office"]:
            offices = offices.filter(code__in=options["office"])
        differences = count = 0
        for office in offices:
            difference = self.rebuild(office, verify=options["verify"])
            count += 1
            if difference is not None:
                differences += 1
                self.report(difference)
        self.stdout.write(f"นับใหม่แล้ว {count:,} สำนักงาน / recounted {count:,} offices")
        if options["verify"] and differences:
            raise CommandError(
                f"จำนวนที่เก็บไว้ไม่ตรง {differences} สำนักงาน / "
                f"{differences} offices' stored counts differed"
            )
