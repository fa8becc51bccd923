"""Load the community demo data into the demo office (run after seed_demo)."""

from community.demo import build
from registry.management.app_demo import AppDemoCommand


class Command(AppDemoCommand):
    help = "สร้างข้อมูลสาธิต PLC นิเทศ เครือข่าย ภาคี รางวัล และผลงานเด่น; ข้ามถ้ามีอยู่แล้ว"
    build = staticmethod(build)
