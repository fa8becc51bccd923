"""Load the synthetic demo office (and, for benchmarks, a whole synthetic country)."""

import unicodedata

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from registry.demo import BATCH_SIZE, DEFAULT_SEED, build_demo, create_demo_users
from registry.models import Office


class Command(BaseCommand):
    help = (
        "สร้างข้อมูลสาธิต: เขตพื้นที่ตามแบบ สพป.เพชรบุรี เขต 1 (104 โรงเรียน ~1,000 คน) "
        "และผู้ใช้สาธิตหนึ่งคนต่อบทบาท; ค่า --seed เดิมให้ข้อมูลเดิมทุกครั้ง"
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--offices", type=int, default=1)
        parser.add_argument("--schools", type=int, default=104, help="รวมทุกเขต")
        parser.add_argument("--people", type=int, default=1000, help="รวมทุกเขต")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="ลบเขตที่มีรหัสเดียวกันแล้วสร้างใหม่ (ปกติจะข้ามเขตที่มีอยู่แล้ว)",
        )
        parser.add_argument("--no-users", action="store_true", help="ไม่สร้างผู้ใช้สาธิต")

    def handle(self, *args, **options):
        try:
            summary = build_demo(
                seed=options["seed"],
                offices=options["offices"],
                schools=options["schools"],
                people=options["people"],
                reset=options["reset"],
                batch_size=options["batch_size"],
                stdout=self.stdout,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if apps.is_installed("reporting"):  # leave every office's "developed" counts built
            from reporting.developed import rebuild
            from reporting.models import DevelopedHoursBuilt

            built = DevelopedHoursBuilt.objects.values("office_id")
            for office in Office.objects.exclude(pk__in=built):
                rebuild(office)
        if options["no_users"]:
            return
        office = Office.objects.get(code=summary.demo_office_code)
        logins = create_demo_users(office=office)
        if apps.is_installed("oversight"):  # the users above the office, in the same table
            from oversight.demo import create_oversight_users

            logins += create_oversight_users()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"เข้าสู่ระบบด้วยบัญชีสาธิต ({office.name}):"))
        width = max(len(login.username) for login in logins)
        self.stdout.write(f"  {_pad('ชื่อผู้ใช้', width)}  {_pad('รหัสผ่าน', 11)}  บทบาท — เห็นอะไร")
        for login in logins:
            self.stdout.write(
                f"  {_pad(login.username, width)}  {_pad(login.password, 11)}  "
                f"{login.role} — {login.sees}"
            )


def _pad(text: str, width: int) -> str:
    """Pad to a width on screen: Thai vowel and tone marks sit on a letter and take none."""
    shown = sum(1 for c in text if unicodedata.category(c) != "Mn")
    return text + " " * max(0, width - shown)
