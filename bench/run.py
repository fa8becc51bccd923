"""One database's benchmarks, in a process of its own (settings are read once per process).

python -m bench.run --database sqlite --out part.json --parts import,training [--rows N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

PARTS = (
    "import", "transfers", "training", "credentials", "national", "large", "load", "notifications",
    "oversight",
)  # fmt: skip


def enrolment_threads(database: str) -> int:
    """Client threads of the concurrent-enrolment benchmark.

    PostgreSQL takes 50, a full room of teachers clicking at once. SQLite has one writer at a
    time and its busy handler polls with sleeps of up to 100 ms, so 50 threads in one process
    measure those sleeps and the interpreter lock, not the enrolment: on a loaded machine the
    run stalled for minutes. Four threads still contend for every seat.
    """
    return 50 if database == "postgres" else 4


def _setup(database: str) -> None:
    os.environ["KRUPD_VAR_DIR"] = tempfile.mkdtemp(prefix=f"krupd-bench-{database}-")
    template = os.environ.get("KRUPD_BENCH_SQLITE_TEMPLATE")
    if database == "sqlite" and template:
        # A database the run has migrated once (bench/__main__.py); migrate below then has
        # nothing left to apply.
        shutil.copyfile(template, Path(os.environ["KRUPD_VAR_DIR"]) / "krupd.sqlite3")
    from .core import start_django

    start_django(os.environ["KRUPD_VAR_DIR"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--parts", default="import")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--schools", type=int, default=300)
    parser.add_argument("--certificates", type=int, default=1_250)
    parser.add_argument("--scale", type=float, default=1.0, help="share of national size")
    parser.add_argument("--load-seconds", type=float, default=20.0)
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=100_000, help="the large office's size")
    parser.add_argument(
        "--offices", type=int, default=245, help="offices of the national comparison"
    )
    parser.add_argument(
        "--enrolments-per-person-year",
        type=int,
        default=5,
        help="national training data: enrolments per teacher and fiscal year",
    )
    parser.add_argument(
        "--enrolment-people", type=int, default=500, help="clicks of the enrolment benchmark"
    )
    parser.add_argument("--workdir", default=tempfile.gettempdir())
    args = parser.parse_args(argv)
    parts = args.parts.split(",")
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")

    _setup(args.database)
    from . import credentials_bench, imports_bench, national_bench, training_bench
    from .core import peak_rss_mib

    def measured(rows):
        # Peak memory of this process so far: each part runs in a process of its own.
        for row in rows:
            if row.peak_mib is None:
                row.peak_mib = round(peak_rss_mib(), 1)
        return rows

    db = args.database
    results = []
    if "import" in parts:
        results += measured(imports_bench.run(
            database=db, rows=args.rows, schools=args.schools, workdir=Path(args.workdir)
        ))  # fmt: skip
    if "transfers" in parts:
        office = national_bench.large_office()
        results += measured(national_bench.transfers(database=db, office=office))
    if "training" in parts:
        results += measured(training_bench.certificates(database=db, count=args.certificates))
        results += measured(training_bench.certificate_batch(database=db, count=args.certificates))
        results += measured(credentials_bench.credentials(database=db, count=args.certificates))
        results += measured(training_bench.enrolment(
            database=db, threads=enrolment_threads(db), people=args.enrolment_people
        ))  # fmt: skip
    elif "credentials" in parts:  # only the credentials workload (training includes it)
        results += measured(credentials_bench.credentials(database=db, count=args.certificates))
    if "notifications" in parts:
        from . import notifications_bench

        results += measured(notifications_bench.reminders(database=db, count=args.reminders))
    if "national" in parts:
        built = national_bench.build(
            scale=args.scale, enrolments_per_person_year=args.enrolments_per_person_year
        )
        print(f"  national data built: {built}", flush=True)
        results += measured(national_bench.staffing(database=db))
        results += measured(national_bench.reporting(database=db))
        results += measured(national_bench.keeping_developed(database=db))
        from . import oversight_bench

        results += measured(oversight_bench.refresh(database=db))
    if "oversight" in parts:
        from . import oversight_bench

        results += measured(oversight_bench.comparison(database=db, offices=args.offices))
    if "large" in parts:
        results += measured(national_bench.large_office_pages(database=db, people=args.people))
    if "load" in parts:
        from . import load_bench

        results += measured(load_bench.run(database=db, seconds=args.load_seconds))
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump([r.as_dict() for r in results], handle, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
