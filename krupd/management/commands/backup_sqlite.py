"""manage.py backup_sqlite PATH: an online, consistent copy of the SQLite database."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ._sqlite import copy, default_database_path, integrity


class Command(BaseCommand):
    help = (
        "สำรองฐานข้อมูล SQLite ขณะระบบทำงานอยู่ (sqlite3 online backup) ไปยังไฟล์ PATH "
        "แล้วตรวจความสมบูรณ์ของไฟล์สำรอง"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="ไฟล์ปลายทาง เช่น /backup/krupd-2569-06-10.sqlite3")
        parser.add_argument("--database", dest="db_path", help="ไฟล์ฐานข้อมูลต้นทาง (ค่าเริ่มต้น: ของระบบ)")
        parser.add_argument("--force", action="store_true", help="เขียนทับไฟล์ปลายทางที่มีอยู่")

    def handle(self, *args, path, db_path, force, **options):
        source = Path(db_path) if db_path else default_database_path()
        target = Path(path)
        if not source.exists():
            raise CommandError(f"ไม่พบไฟล์ฐานข้อมูล {source}")
        if target.exists() and not force:
            raise CommandError(f"มีไฟล์ {target} อยู่แล้ว (ใช้ --force เพื่อเขียนทับ)")
        if target.resolve() == source.resolve():
            raise CommandError("ไฟล์ปลายทางต้องไม่ใช่ไฟล์ฐานข้อมูลเดียวกัน")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        started = time.monotonic()
        copy(source, partial)
        result = integrity(partial)
        if result != "ok":
            partial.unlink(missing_ok=True)
            raise CommandError(f"ไฟล์สำรองไม่สมบูรณ์ (integrity_check: {result})")
        os.replace(partial, target)  # a half-written backup never carries the final name
        size = target.stat().st_size / (1024 * 1024)
        self.stdout.write(
            f"สำรองข้อมูลแล้ว: {target} ({size:,.1f} MB, {time.monotonic() - started:.1f} วินาที)"
        )
