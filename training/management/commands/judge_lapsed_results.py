"""manage.py judge_lapsed_results: the nightly judging of results whose chance has passed.

A result is judged whenever something is written (attendance, a test, a lesson), but a
session ending or a post-test window closing writes nothing: whoever had not met a criterion
by then stayed "awaiting a result" for good, left out of the results table's pass rate.
This judges them again (training.actions.judge_lapsed_results); run it once a night
(docs/deploy.md). --all judges every pending result of every ended session (after upgrading).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from training import actions


class Command(BaseCommand):
    help = (
        "ตัดสินผลการพัฒนาที่ยังรอผลอีกครั้งเมื่อรุ่นจบหรือหมดเวลาทำแบบทดสอบหลังเรียน / "
        "Judge again the pending results of sessions that ended or whose post-test closed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=actions.LAPSE_LOOKBACK_DAYS,
            help="ย้อนหลังกี่วัน / how many days back to look (default 7)",
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="ทุกรุ่นที่จบแล้ว / every ended session, however long ago",
        )

    def handle(self, *args, days: int, all: bool, **options):
        changed = actions.judge_lapsed_results(days=days, everything=all)
        self.stdout.write(f"ผลการพัฒนาที่เปลี่ยน {changed:,} คน / results changed: {changed:,}")
