"""Training benchmarks (python -m bench.training_workloads [--count 1250] [--threads 50]).

1. Certificates: bulk generation of N certificates (what the background task does: one
   document, fonts embedded and subset once, shared title shaped once, zipped) against the
   baseline measured in the same run: rendering one certificate N times with bare fpdf2
   (new FPDF, add_font, shaping, output each time).
2. Enrolment throughput: T threads enrolling concurrently into one session (row lock on
   PostgreSQL, BEGIN IMMEDIATE on SQLite), against the same enrolments done one by one.

Needs a migrated database (set DATABASE_URL for PostgreSQL; SQLite uses KRUPD_VAR_DIR).
Prints ratios, never pass/fail on wall-clock time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path


def _certificates(n: int):
    from training.models import Certificate

    return [
        Certificate(
            code=f"BENCH{i:05d}",
            number=f"2569/1/{i:04d}",
            person_name=f"นางสาวกุ้งนภา ปั้นน้ำใจ {i}",
            course_title="ประชุมสัมมนาทางวิชาการแลกเปลี่ยนเรียนรู้ พัฒนาครูทั้งระบบ ปี 2569",
            office_name="สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเพชรบุรี เขต 1",
            hours=Decimal("6"),
            # 1,250 people pass in several sessions: five end dates.
            completed_on=dt.date(2026, 8, 20) - dt.timedelta(days=7 * (i % 5)),
            issued_on=dt.date(2026, 8, 21),
            signer_name="นายสมศักดิ์ ตั้งใจทำ",
            signer_title="ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาเพชรบุรี เขต 1",
        )
        for i in range(n)
    ]


BARE_SAMPLE = 150


def bench_certificates(n: int) -> dict:
    from bench.core import cpu_timed
    from training import certificates

    certs = _certificates(n)
    base = "http://127.0.0.1:8000/"
    out = Path(tempfile.mkdtemp(prefix="krupd-bench-")) / "bulk.zip"
    # What a worker process does once in its life (load the Thai word list that line
    # breaking uses, parse the fonts), done before any timing: the floors measured after
    # this would otherwise find it done.
    certificates.render_pdf(_certificates(1)[0], base=base)
    started = time.perf_counter()
    with cpu_timed() as bulk_cpu:
        certificates.render_many_to_zip(certs, out, base=base)
    bulk = time.perf_counter() - started
    # The baseline renders each certificate as a document of its own, as a script calling
    # fpdf2 would. Its cost per certificate does not change with N, so it is timed on a
    # sample and scaled: rendering all 1,250 one by one took minutes of the benchmark.
    sample = certs[:BARE_SAMPLE]
    started = time.perf_counter()
    total = 0
    for cert in sample:
        total += len(certificates.render_pdf(cert, base=base))
    one_by_one = (time.perf_counter() - started) * len(certs) / max(1, len(sample))
    return {
        "n": n,
        "bulk_seconds": bulk,
        "bulk_cpu_seconds": bulk_cpu(),
        "bare_fpdf2_seconds": one_by_one,
        "bare_sample": len(sample),
        "ratio": one_by_one / bulk,
        "zip_bytes": out.stat().st_size,
        "bare_total_bytes": total,
    }


def bench_enrolment(threads: int, people: int) -> dict:
    from django.db import connection

    from accounts.models import User
    from accounts.roles import Role
    from krupd.testing import make_office, make_person, make_school, valid_national_id
    from training import actions
    from training.models import Course, Session

    stamp = str(int(time.time()))[-4:]
    office = make_office(code=f"B{stamp}", name=f"เขตทดสอบความเร็ว {stamp}")
    school = make_school(office, code=f"99{stamp}0000"[:10], name="โรงเรียนทดสอบ")
    officer = User.objects.create_user(
        username=f"bench-officer-{stamp}", role=Role.DEVELOPMENT_OFFICER, office=office
    )
    persons = [
        make_person(
            office,
            school,
            national_id=valid_national_id(int(stamp) * 10_000 + i),
            academic_standing=None,
            major=None,
        )  # fmt: skip
        for i in range(2 * people)
    ]
    users = {
        p.pk: User.objects.create_user(
            username=f"b{stamp}-{p.pk}", role=Role.TEACHER, office=office, person=p
        )  # fmt: skip
        for p in persons
    }
    course = Course.objects.create(
        office=office, title="bench", mode="seminar", hours=6, fiscal_year=2569
    )

    def session(capacity):
        s = Session(course=course, start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 1, 1),
                    capacity=capacity)  # fmt: skip
        return actions.save_session(acting_user=officer, session=s)

    serial_session = session(people // 5)
    started = time.perf_counter()
    for p in persons[:people]:
        actions.enrol(acting_user=users[p.pk], session=serial_session, person=p)
    serial = time.perf_counter() - started
    course2 = Course.objects.create(
        office=office, title="bench2", mode="seminar", hours=6, fiscal_year=2569
    )
    course = course2  # session() reads it: the concurrent run gets a course of its own
    concurrent_session = session(people // 5)
    barrier = threading.Barrier(threads)
    retries = [0]

    def click(p):
        from django.db import OperationalError, close_old_connections

        close_old_connections()
        try:
            barrier.wait(timeout=60) if p.pk in first_wave else None
            while True:
                try:
                    return actions.enrol(
                        acting_user=users[p.pk], session=concurrent_session, person=p
                    ).status
                except OperationalError:
                    retries[0] += 1
                    time.sleep(0.005)
        finally:
            connection.close()

    group = persons[people:]
    first_wave = {p.pk for p in group[:threads]}
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        statuses = list(pool.map(click, group))
    concurrent = time.perf_counter() - started
    return {
        "people": people,
        "threads": threads,
        "capacity": people // 5,
        "serial_per_second": people / serial,
        "concurrent_per_second": people / concurrent,
        "enrolled": statuses.count("enrolled"),
        "waitlisted": statuses.count("waitlisted"),
        "retries": retries[0],
        "vendor": connection.vendor,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1250)
    parser.add_argument("--threads", type=int, default=50)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--skip-enrolment", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krupd.settings")
    import django

    django.setup()
    logging_quiet()
    c = bench_certificates(args.count)
    print(
        f"certificates  n={c['n']}: bulk {c['bulk_seconds']:.1f} s "
        f"({c['n'] / c['bulk_seconds']:.0f}/s) · one at a time with bare fpdf2 "
        f"{c['bare_fpdf2_seconds']:.1f} s ({c['n'] / c['bare_fpdf2_seconds']:.1f}/s) · "
        f"ratio {c['ratio']:.1f}× · zip {c['zip_bytes'] / 1e6:.1f} MB vs "
        f"{c['bare_total_bytes'] / 1e6:.1f} MB of single PDFs"
    )
    if not args.skip_enrolment:
        e = bench_enrolment(args.threads, args.people)
        print(
            f"enrolment     {e['vendor']}, {e['people']} people, capacity {e['capacity']}: "
            f"one by one {e['serial_per_second']:.0f}/s · {e['threads']} threads "
            f"{e['concurrent_per_second']:.0f}/s · enrolled {e['enrolled']}, "
            f"wait-listed {e['waitlisted']}, lock retries {e['retries']}"
        )


def logging_quiet() -> None:
    import logging

    logging.getLogger("fontTools").setLevel(logging.WARNING)


if __name__ == "__main__":
    main()
