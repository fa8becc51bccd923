"""Load the planning demo data into the demo office (run after seed_demo)."""

from planning.demo import build
from registry.management.app_demo import AppDemoCommand


class Command(AppDemoCommand):
    help = (
        "สร้างข้อมูลการวางแผนสาธิต: กรอบสมรรถนะ รอบการประเมินพร้อมคำตอบ กรอบยุทธศาสตร์ "
        "แผนพัฒนา 3 ปี แผนปฏิบัติการ และ ID Plan; ข้ามถ้ามีอยู่แล้ว"
    )
    build = staticmethod(build)
