from django.core.management.base import BaseCommand

from notifications import delivery, scheduled


class Command(BaseCommand):
    help = (
        "งานแจ้งเตือนประจำวัน: เตือนก่อนวันอบรม แบบประเมินความพึงพอใจ "
        "รอบประเมินที่เปิดและใกล้ปิด และอีเมลสรุปรายวัน "
        "(รันซ้ำในวันเดียวกันได้ ไม่แจ้งซ้ำ) / Daily: session reminders, round opened and "
        "deadline reminders, then the email digests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-digest", action="store_true", help="do not send the digests")

    def handle(self, *args, no_digest=False, **options):
        sessions = scheduled.session_reminders() + scheduled.survey_reminders()
        rounds = scheduled.round_reminders()
        self.stdout.write(
            f"เตือนก่อนวันอบรมและแบบประเมิน {sessions} · รอบประเมิน {rounds} / "
            f"session reminders {sessions}, round reminders {rounds}"
        )
        if not no_digest:
            digest = delivery.send_digests()
            self.stdout.write(
                f"อีเมลสรุปรายวัน {digest['emails']} ฉบับ ({digest['items']} เรื่อง) "
                f"ไม่สำเร็จ {digest['failed']} / digests {digest['emails']}"
            )
