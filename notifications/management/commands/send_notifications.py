from django.core.management.base import BaseCommand

from notifications.delivery import deliver, due_ids


class Command(BaseCommand):
    help = (
        "ส่งการแจ้งเตือนทางอีเมลและ LINE ที่ถึงเวลาส่งซ้ำหรือค้างอยู่ (รันทุก 5 นาที) / "
        "Send email and LINE deliveries that are due for a retry or were never picked up."
    )

    def handle(self, *args, **options):
        counts = deliver(due_ids())
        self.stdout.write(
            f"ส่งสำเร็จ {counts['sent']} · รอส่งซ้ำ {counts['retry']} · ไม่สำเร็จ {counts['failed']} / "
            f"sent {counts['sent']}, retrying {counts['retry']}, failed {counts['failed']}"
        )
