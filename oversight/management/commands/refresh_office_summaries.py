"""Nightly: recompute every office's summary for the comparison above the office."""

from django.core.management.base import BaseCommand, CommandError

from oversight.actions import refresh_offices
from registry.models import Office


class Command(BaseCommand):
    help = "คำนวณข้อมูลสรุปรายเขตพื้นที่ (ตัวชี้วัด อัตรากำลัง PA หนี้สิน) สำหรับการเปรียบเทียบระดับจังหวัด ภาค และประเทศ"

    def add_arguments(self, parser):
        parser.add_argument("--office", action="append", default=[], help="รหัสเขตพื้นที่ (ซ้ำได้)")
        parser.add_argument("--fiscal-year", type=int, default=None, help="ปีงบประมาณ พ.ศ.")

    def handle(self, *args, **options):
        offices = Office.objects.order_by("code")
        if options["office"]:
            offices = offices.filter(code__in=options["office"])
            if not offices.exists():
                raise CommandError("ไม่พบเขตพื้นที่ตามรหัสที่ระบุ")

        def progress(done: int, total: int, office) -> None:
            self.stdout.write(f"  {done}/{total} {office.name}")

        n = refresh_offices(offices, fiscal_year=options["fiscal_year"], progress=progress)
        self.stdout.write(self.style.SUCCESS(f"คำนวณข้อมูลสรุปแล้ว {n} เขตพื้นที่"))
