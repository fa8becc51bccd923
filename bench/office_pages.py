"""An office's data-quality page and KPI dashboard at a given size, on SQLite or PostgreSQL:
CPU and wall time per request, SQL statements per request, unchanged and right after one
person's edit, on a database kept between runs (built once per size).

    python -m bench.office_pages --people 100000 --db /tmp/office-100k  [--profile LABEL]
    DATABASE_URL=postgres://... python -m bench.office_pages --people 20000

CPU is this process's (time.process_time: on SQLite the database works in this process);
on PostgreSQL the server backend's CPU for the same requests is read from /proc (the server
runs on this machine) and shown beside it. Medians of --repeat requests; the load average
is printed, as the machine may be shared.
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

    start_django(db)


def _backend_cpu() -> float:
    """CPU seconds the PostgreSQL backend of this connection has used (0 on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--db", default=None, help="directory of the kept SQLite database")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", default=None, help="cProfile the requests of this label")
    args = parser.parse_args(argv)
    db = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="krupd-office-"))
    db.mkdir(parents=True, exist_ok=True)
    _setup(db)

    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from accounts.models import User
    from registry import actions
    from registry.demo import build_demo
    from registry.models import Office, Person

    started = time.perf_counter()
    build_demo(seed=100, offices=1, schools=max(1, args.people // 100), people=args.people)
    print(f"{connection.vendor}: demo ready in {time.perf_counter() - started:.0f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    office = Office.objects.annotate(n=Count("people")).order_by("-n").first()
    user, _ = User.objects.get_or_create(
        username="bench-office-admin", defaults={"role": "office_admin", "office": office}
    )
    ids = list(Person.objects.filter(office=office).order_by("pk").values_list("pk", flat=True))
    turn = iter(range(10**9))

    def edit() -> None:
        person = Person.objects.get(pk=ids[(next(turn) * 7919) % len(ids)])
        person.phone = "" if person.phone else "0812345678"
        actions.save_person(acting_user=user, person=person)

    client = Client()
    client.force_login(user)
    pages = [("quality", "registry:quality"), ("dashboard", "reporting:dashboard")]
    print(f"office of {office.n:,} people; load average {os.getloadavg()}", flush=True)
    with override_settings(ALLOWED_HOSTS=["*"]):
        for name, url_name in pages:
            url = reverse(url_name)
            for _ in range(2):
                assert client.get(url).status_code == 200
            for when, before in [("unchanged", None), ("after an edit", edit)]:
                label = f"{name}, {when}"
                if before:
                    before()
                with CaptureQueriesContext(connection) as captured:
                    client.get(url)
                queries = len(captured.captured_queries)
                profiler = None
                if args.profile == label:
                    import cProfile

                    profiler = cProfile.Profile(time.process_time)
                cpu, wall, server = [], [], []
                for _ in range(args.repeat):
                    if before:
                        before()
                    s_cpu, s_wall, s_server = (
                        time.process_time(),
                        time.perf_counter(),
                        (_backend_cpu()),
                    )
                    if profiler:
                        profiler.enable()
                    status = client.get(url).status_code
                    if profiler:
                        profiler.disable()
                    wall.append(time.perf_counter() - s_wall)
                    cpu.append(time.process_time() - s_cpu)
                    server.append(_backend_cpu() - s_server)
                    assert status == 200, status
                server_text = (
                    f"  server CPU {statistics.median(server) * 1000:6.1f} ms"
                    if connection.vendor == "postgresql"
                    else ""
                )
                print(
                    f"{label:26} CPU {statistics.median(cpu) * 1000:7.1f} ms  "
                    f"wall {statistics.median(wall) * 1000:7.1f} ms{server_text}  "
                    f"queries {queries}",
                    flush=True,
                )
                if profiler:
                    import pstats

                    stats = pstats.Stats(profiler).sort_stats("cumulative")
                    stats.print_stats(45)
                    stats.sort_stats("tottime").print_stats(25)
                    for q in captured.captured_queries:
                        print(f"{q['time']:>6}  {q['sql'][:300]}")
    print(f"load average at end {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
