"""Server CPU and SQL queries per request of the most loaded pages, in-process.

Each page is fetched by Django's test client as its user: a few warm-up requests, then
`--repeat` timed ones; the CPU time (time.process_time, this process only: the database is
SQLite in-process, or a PostgreSQL server whose CPU is not counted) of each is taken and the
median reported, with the queries of one request. On a shared machine CPU time, unlike wall
time, does not count the time other processes held the cores; the load average is printed.

    python -m bench.page_cpu [--db PATH] [--repeat 30] [--profile LABEL]

--db keeps the SQLite database (the load bench's office, built on the first run) for the
next run. --profile prints the cProfile of LABEL's timed requests instead.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _setup(db: Path) -> None:
    from bench.core import start_django

    start_django(db.parent)


def _data() -> dict:
    """The load bench's office and courses (built once per database)."""
    from accounts.models import User
    from bench import load_bench
    from training.models import Course

    if not Course.objects.filter(title="e-Training 5 หน่วย (ทดสอบภาระระบบ)").exists():
        teachers, session, names, course20 = load_bench._prepare()
        officer = User.objects.get(username="officer")
        load_bench._elearning_course(course20.office, officer, teachers, modules=5)
    course20 = Course.objects.get(title="e-Training 20 หน่วย (ทดสอบภาระระบบ)")
    course5 = Course.objects.get(title="e-Training 5 หน่วย (ทดสอบภาระระบบ)")
    seminar = Course.objects.get(title="ทดสอบภาระระบบ")
    from registry.models import Person

    name = Person.objects.filter(office=course20.office).values_list("first_name", flat=True)[0]
    learner = load_bench._enrolled_in(course20)
    return {"course20": course20.pk, "course5": course5.pk, "seminar": seminar.pk,
            "name": name, "learner": learner}  # fmt: skip


def pages(d: dict) -> dict[str, tuple[str, str]]:
    import urllib.parse

    search = "/registry/people/?q=" + urllib.parse.quote(d["name"])
    return {
        "/healthz": ("officer", "/healthz"),
        "home (officer)": ("officer", "/"),
        "home (director)": ("director", "/"),
        "home (teacher)": ("teacher", "/"),
        "dashboard (moodle: learner /)": (d["learner"], "/"),
        "people list": ("officer", "/registry/people/"),
        "people list p7": ("officer", "/registry/people/?page=7"),
        "schools list": ("officer", "/registry/schools/"),
        "data quality": ("officer", "/registry/quality/"),
        "search": ("officer", search),
        "course list": ("officer", "/training/"),
        "course page (seminar)": (d["learner"], f"/training/courses/{d['seminar']}/"),
        "e-learning 5 modules": (d["learner"], f"/training/courses/{d['course5']}/"),
        "e-learning 20 modules": (d["learner"], f"/training/courses/{d['course20']}/"),
    }


def measure(user: str, path: str, repeat: int, profile: bool = False) -> tuple[float, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=user))
    for _ in range(3):
        status = client.get(path).status_code
        if status != 200:
            raise RuntimeError(f"{path} as {user}: {status}")
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    # (counted now: the next request's request_started signal empties the log)
    queries = [q["sql"] for q in captured.captured_queries]
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        client.get(path)
        samples.append(time.process_time() - start)
    if profiler is not None:
        import pstats

        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(40)
        stats.print_stats(r"^(?!.*(site-packages|/lib/python3|\{))", 50)  # the project's own
        for sql in queries:
            print(sql[:400])
    return statistics.median(samples) * 1000, len(queries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=None)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", default=None)
    parser.add_argument("--only", default=None, help="labels containing this text")
    args = parser.parse_args(argv)
    db = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="krupd-cpu-")) / "x"
    db.parent.mkdir(parents=True, exist_ok=True)
    _setup(db)
    from django.test.utils import override_settings

    d = _data()
    with override_settings(ALLOWED_HOSTS=["*"]):
        print(f"load average before: {os.getloadavg()}")
        for label, (user, path) in pages(d).items():
            if args.profile and label != args.profile:
                continue
            if args.only and args.only not in label:
                continue
            ms, queries = measure(user, path, args.repeat, profile=bool(args.profile))
            print(f"{label:34} CPU p50 {ms:7.1f} ms  queries {queries:3}", flush=True)
        print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
