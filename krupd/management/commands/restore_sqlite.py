"""manage.py restore_sqlite PATH: put a backup made by backup_sqlite back in place."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from ._sqlite import copy, default_database_path, integrity, row_count


class Command(BaseCommand):
    help = (
        "กู้คืนฐานข้อมูล SQLite จากไฟล์สำรอง PATH; ถ้าฐานข้อมูลปัจจุบันมีข้อมูลอยู่ต้องใช้ --force "
        "และควรหยุดเว็บและ db_worker ก่อน"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="ไฟล์สำรองที่ได้จาก backup_sqlite")
        parser.add_argument(
            "--database", dest="db_path", help="ไฟล์ฐานข้อมูลปลายทาง (ค่าเริ่มต้น: ของระบบ)"
        )
        parser.add_argument("--force", action="store_true", help="เขียนทับฐานข้อมูลที่มีข้อมูลอยู่")

    def handle(self, *args, path, db_path, force, **options):
        backup = Path(path)
        target = Path(db_path) if db_path else default_database_path()
        if not backup.exists():
            raise CommandError(f"ไม่พบไฟล์สำรอง {backup}")
        result = integrity(backup)
        if result != "ok":
            raise CommandError(f"ไฟล์สำรองเสียหาย (integrity_check: {result}) ไม่กู้คืน")
        rows = row_count(target)
        if rows and not force:
            raise CommandError(
                f"ฐานข้อมูล {target} มีข้อมูลอยู่ {rows:,} แถว: ไม่กู้คืนทับ "
                "(ใช้ --force หากแน่ใจ และหยุดเว็บกับ db_worker ก่อน)"
            )
        connections.close_all()
        target.parent.mkdir(parents=True, exist_ok=True)
        copy(backup, target)
        result = integrity(target)
        if result != "ok":
            raise CommandError(f"กู้คืนแล้วแต่ integrity_check ไม่ผ่าน: {result}")
        self.stdout.write(f"กู้คืนแล้ว: {target} ({row_count(target):,} แถว) จาก {backup}")
