from django.core.management.base import BaseCommand

from oversight.demo import build


class Command(BaseCommand):
    help = "สร้างข้อมูลสาธิตระดับเหนือเขตพื้นที่: เขตพื้นที่ข้างเคียงในสองจังหวัด และข้อมูลสรุปรายเขต"

    def handle(self, *args, **options):
        n = build(stdout=self.stdout)
        self.stdout.write(f"คำนวณข้อมูลสรุปแล้ว {n} เขตพื้นที่")
