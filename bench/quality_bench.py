"""The data-quality page and the office KPI dashboard of one large office, unchanged and right
after one person's edit, and the CPU one `save_person` costs (with and without keeping the
stored data-quality counts, registry.quality_counts).

python -m bench.quality_bench --people 20000

CPU time (time.process_time: SQLite works inside this process, so it is the work) is
reported next to wall time, with the load average: the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def _median_request(client, url: str, before=None, repeat: int = 3) -> tuple[float, float, int]:
    cpu, wall = [], []
    status = 0
    for _ in range(repeat):
        if before:
            before()
        started_cpu, started = time.process_time(), time.perf_counter()
        status = client.get(url).status_code
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return statistics.median(cpu), statistics.median(wall), status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args(argv)

    from .run import _setup

    _setup("sqlite")
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from registry import actions
    from registry.demo import build_demo
    from registry.models import Office, Person

    print(f"load average at start: {os.getloadavg()}", flush=True)
    started = time.perf_counter()
    build_demo(seed=100, offices=1, schools=max(1, args.people // 100), people=args.people)
    print(f"demo built in {time.perf_counter() - started:.0f} s", flush=True)
    office = Office.objects.annotate(n=Count("people")).order_by("-n").first()
    user, _ = User.objects.get_or_create(
        username="bench-quality-admin", defaults={"role": "office_admin", "office": office}
    )
    client = Client()
    client.force_login(user)
    ids = list(Person.objects.filter(office=office).order_by("pk").values_list("pk", flat=True))
    turn = iter(range(10**9))

    def edit() -> None:
        person = Person.objects.get(pk=ids[(next(turn) * 7919) % len(ids)])
        person.phone = "" if person.phone else "0812345678"
        actions.save_person(acting_user=user, person=person)

    rows = []
    for label, name in [("data-quality page", "registry:quality"),
                        ("KPI dashboard page", "reporting:dashboard")]:  # fmt: skip
        url = reverse(name)
        client.get(url)  # first visit: settings rows, whatever is built once
        for when, before in [("unchanged", None), ("right after one edit", edit)]:
            cpu, wall, status = _median_request(client, url, before)
            rows.append((f"{label}, {when}", cpu, wall, status))

    def save_cost() -> tuple[float, float]:
        cpu, wall = [], []
        for _ in range(args.edits):
            started_cpu, started = time.process_time(), time.perf_counter()
            edit()
            cpu.append(time.process_time() - started_cpu)
            wall.append(time.perf_counter() - started)
        return statistics.median(cpu), statistics.median(wall)

    cpu, wall = save_cost()
    rows.append(("save_person (median of edits)", cpu, wall, 0))
    keeping = getattr(actions, "quality_counts", None)
    if keeping is not None:
        recount = keeping.recount
        keeping.recount = lambda units: None
        try:
            cpu, wall = save_cost()
        finally:
            keeping.recount = recount
        rows.append(("save_person without recounting quality counts", cpu, wall, 0))
    print(f"office of {office.n:,} people; load average at end: {os.getloadavg()}")
    for label, cpu, wall, status in rows:
        shown = f" (HTTP {status})" if status else ""
        print(f"{label:55s} CPU {cpu * 1000:8.1f} ms  wall {wall * 1000:8.1f} ms{shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
