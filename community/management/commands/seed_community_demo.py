"""Load the community demo data into the demo office (run after seed_demo)."""

from django.core.management.base import BaseCommand, CommandError

from community.demo import build, demo_office
from registry.models import Office


class Command(BaseCommand):
    help = "สร้างข้อมูลสาธิต PLC นิเทศ เครือข่าย ภาคี รางวัล และผลงานเด่น; ข้ามถ้ามีอยู่แล้ว"

    def add_arguments(self, parser):
        parser.add_argument("--office", help="รหัสเขตพื้นที่ (ค่าเริ่มต้น: เขตของผู้ใช้ admin)")
        parser.add_argument("--reset", action="store_true", help="ลบข้อมูลของเขตแล้วสร้างใหม่")

    def handle(self, *args, **options):
        if options["office"]:
            office = Office.objects.filter(code=options["office"]).first()
        else:
            office = demo_office()
        if office is None:
            raise CommandError("ไม่พบเขตพื้นที่ — รัน manage.py seed_demo ก่อน")
        build(office=office, reset=options["reset"], stdout=self.stdout)
