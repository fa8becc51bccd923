"""Timing, results and the printed table shared by all workloads."""

from __future__ import annotations

import json
import resource
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Result:
    database: str
    workload: str
    size: int
    unit: str
    seconds: float
    baseline: str = ""
    baseline_seconds: float | None = None
    # True when the baseline is the honest floor for the workload: the fastest way a
    # competent engineer would do the same work on the same data (see bench/floors.py).
    honest: bool = False
    peak_mib: float | None = None
    extra: dict = field(default_factory=dict)
    # The server's side of a load mix (bench/load_bench.py): time per kind of request and the
    # machine's load meanwhile; kept in var/bench/latest.json next to the compared fields.
    service: dict | None = None

    @property
    def throughput(self) -> float:
        return self.size / self.seconds if self.seconds else 0.0

    @property
    def ratio(self) -> float | None:
        if not self.baseline_seconds:
            return None
        return self.seconds / self.baseline_seconds

    def with_baseline(self, baseline: str, seconds: float) -> Result:
        self.baseline, self.baseline_seconds = baseline, seconds
        return self

    def as_dict(self) -> dict:
        return {**asdict(self), "throughput": self.throughput, "ratio": self.ratio}


@contextmanager
def timed():
    """with timed() as t: ...; t() → seconds elapsed."""
    start = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - start
    end.append(time.perf_counter())


def _cpu_seconds() -> float:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@contextmanager
def cpu_timed():
    """with cpu_timed() as t: ...; t() → CPU seconds of this process and the programs it ran:
    on a machine shared with other work, the part of the time that was this work's own."""
    start = _cpu_seconds()
    end: list[float] = []
    yield lambda: (end[0] if end else _cpu_seconds()) - start
    end.append(_cpu_seconds())


def peak_rss_mib() -> float:
    """Peak resident memory of this process since it started or since reset_peak_rss()
    (Linux's VmHWM; elsewhere the peak since the process started)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> None:
    """Start peak_rss_mib() again from the memory in use now (Linux), so that a workload's
    peak is its own, not that of a baseline measured before it in the same process."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def print_table(results: list[dict]) -> None:
    header = (
        f"{'db':<9}{'workload':<44}{'size':>10} {'unit':<8}{'time s':>9}{'per s':>11}"
        f"  {'× baseline':>10}  baseline (* = honest floor)"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else "—"
        print(
            f"{r['database']:<9}{r['workload']:<44}{r['size']:>10,} {r['unit']:<8}"
            f"{r['seconds']:>9.2f}{r['throughput']:>11,.0f}  {ratio:>10}  "
            f"{'* ' if r.get('honest') else ''}{r['baseline']}"
        )
        for key, value in r.get("extra", {}).items():
            print(f"{'':<9}  · {key}: {value}")


def write_json(path: str, results: list[dict], meta: dict) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"meta": meta, "results": results}, handle, ensure_ascii=False, indent=2)


COMPARABLE_FIELDS = ("workload", "size", "database", "seconds", "baseline", "baseline_seconds",
                     "ratio", "honest", "peak_mib")  # fmt: skip


def write_latest(path, results: list[dict], *, replace_only_these: bool = False) -> None:
    """The rows of one run, in the fixed shape runs are compared by (var/bench/latest.json).
    A run of some workloads only (`replace_only_these`) replaces their rows and keeps the
    others' from the last full run."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    rows = [
        {key: r.get(key) for key in COMPARABLE_FIELDS}
        | ({"service": r["service"]} if r.get("service") else {})
        for r in results
    ]
    if replace_only_these and Path(path).exists():
        ran = {(r["workload"], r["database"]) for r in rows}
        kept = json.loads(Path(path).read_text(encoding="utf-8"))
        rows = [r for r in kept if (r["workload"], r["database"]) not in ran] + rows
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(rows, handle, ensure_ascii=False, indent=2)


def start_django(var_dir) -> None:
    """Django for a benchmark process: its database under `var_dir`, migrated; background
    tasks run in this process (the work is timed, not a queue); no debug, quiet logs."""
    import os

    os.environ["KRUPD_VAR_DIR"] = str(var_dir)
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krupd.settings")
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
