"""Load the career.demo data into the demo office (run after seed_demo)."""

from career.demo import build
from registry.management.app_demo import AppDemoCommand


class Command(AppDemoCommand):
    help = "สร้างข้อมูลสาธิต PA วิทยฐานะ และสถานีแก้หนี้ครู; ข้ามถ้ามีอยู่แล้ว"
    build = staticmethod(build)
