"""A one-time two-factor set-up link, from the server: for the first office admin of a
deployment that forces two-factor sign-in on office admins (nobody can issue it in the web
page yet). Audited like a link from the office admin's account page."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from accounts import actions
from accounts.models import User


class Command(BaseCommand):
    help = "สร้างลิงก์ตั้งค่าการยืนยันตัวตนสองขั้นตอนแบบใช้ครั้งเดียว ให้ผู้ใช้ในบทบาทที่บังคับใช้"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"ไม่พบผู้ใช้ {username}")
        try:
            token = actions.issue_two_factor_setup_link(acting_user=None, user=user)
        except actions.AccountError as error:
            raise CommandError(error.message) from None
        path = reverse("accounts:two_factor_setup_link", args=[token])
        self.stdout.write(settings.KRUPD_BASE_URL.rstrip("/") + path)
        hours = settings.KRUPD_2FA_SETUP_LINK_HOURS
        self.stdout.write(f"ใช้ได้ครั้งเดียว ภายใน {hours} ชั่วโมง ส่งให้ {username} ทางช่องทางที่ปลอดภัย")
