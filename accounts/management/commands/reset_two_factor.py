"""Turn off a user's two-factor sign-in when they lost both their phone and their recovery
codes. Audited; the user signs in with the password alone and can set it up again."""

from django.core.management.base import BaseCommand, CommandError

from accounts import actions
from accounts.models import User


class Command(BaseCommand):
    help = "ปิดการยืนยันตัวตนสองขั้นตอนของผู้ใช้ (เมื่อโทรศัพท์และรหัสสำรองหายทั้งคู่)"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"ไม่พบผู้ใช้ {username}")
        if actions.reset_two_factor(user=user):
            self.stdout.write(f"ปิดการยืนยันตัวตนสองขั้นตอนของ {username} แล้ว")
        else:
            self.stdout.write(f"{username} ไม่ได้เปิดใช้การยืนยันตัวตนสองขั้นตอนอยู่แล้ว")
