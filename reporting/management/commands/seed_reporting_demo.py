from django.core.management.base import BaseCommand

from registry.models import Office
from reporting.demo import build_reporting_demo


class Command(BaseCommand):
    help = "Demo reporting data (O-NET means, SAR and inspection drafts) for the demo office"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2569)

    def handle(self, *args, **options):
        office = Office.objects.order_by("code").first()
        if office is None:
            self.stderr.write("ยังไม่มีเขตพื้นที่: รัน seed_demo ก่อน")
            return
        made = build_reporting_demo(office=office, seed=options["seed"])
        self.stdout.write(
            f"ข้อมูลรายงานสาธิต: ผล O-NET {made['onet']:,} แถว, ร่าง SAR และรายงานการตรวจราชการ "
            f"ให้ {office.name}"
        )
