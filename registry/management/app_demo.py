"""The shape every app's seed_<app>_demo command shares: pick the demo office, build, or explain."""

from django.core.management.base import BaseCommand, CommandError

from registry.demo import demo_office

NO_OFFICE = "ไม่พบเขตพื้นที่ — รัน manage.py seed_demo ก่อน"


def office_or_error(code: str | None):
    office = demo_office(code)
    if office is None:
        raise CommandError(NO_OFFICE)
    return office


class AppDemoCommand(BaseCommand):
    """Subclasses set `help` and `build` (a function taking office, reset, stdout)."""

    build = None

    def add_arguments(self, parser):
        parser.add_argument("--office", help="รหัสเขตพื้นที่ (ค่าเริ่มต้น: เขตของผู้ใช้ admin)")
        parser.add_argument("--reset", action="store_true", help="ลบข้อมูลของเขตแล้วสร้างใหม่")

    def handle(self, *args, **options):
        office = office_or_error(options["office"])
        type(self).build(office=office, reset=options["reset"], stdout=self.stdout)
        # The demo writes its records directly, not through the actions that keep the stored
        # "developed" counts: count them afresh, so the demo office is left built.
        from reporting.developed import rebuild

        rebuild(office)
