"""Demo courses, enrolments, tests, surveys and certificates for the demo office."""

from django.core.management.base import BaseCommand, CommandError

from registry.management.app_demo import office_or_error
from reporting.developed import rebuild
from training.demo import build_training_demo


class Command(BaseCommand):
    help = (
        "สร้างข้อมูลสาธิตการพัฒนา (หลักสูตร ผู้เข้าร่วม ผลทดสอบ ความพึงพอใจ เกียรติบัตร) "
        "ให้เขตสาธิต; รันหลัง seed_demo; ถ้ามีหลักสูตรอยู่แล้วจะข้าม (ใช้ --reset เพื่อสร้างใหม่)"
    )

    def add_arguments(self, parser):
        parser.add_argument("--office", help="รหัสเขต (ค่าเริ่มต้น: เขตของผู้ใช้ admin)")
        parser.add_argument("--seed", type=int, default=2569)
        parser.add_argument("--reset", action="store_true")

    def handle(self, *args, **options):
        office = office_or_error(options["office"])
        try:
            made = build_training_demo(
                office=office, seed=options["seed"], reset=options["reset"], stdout=self.stdout
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if made is None:
            self.stdout.write(f"{office.name} มีหลักสูตรอยู่แล้ว ข้าม (ใช้ --reset เพื่อสร้างใหม่)")
        # The demo's results are written directly: count the stored "developed" people afresh.
        rebuild(office)
