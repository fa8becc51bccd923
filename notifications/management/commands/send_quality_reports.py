from django.core.management.base import BaseCommand

from notifications import scheduled


class Command(BaseCommand):
    help = (
        "สรุปปัญหาคุณภาพข้อมูลรายสัปดาห์ถึงผู้อำนวยการสถานศึกษา (รันสัปดาห์ละครั้ง) / "
        "Weekly data-quality problems to each school's director."
    )

    def handle(self, *args, **options):
        sent = scheduled.quality_reports()
        self.stdout.write(f"แจ้งผู้อำนวยการ {sent} คน / notified {sent} directors")
