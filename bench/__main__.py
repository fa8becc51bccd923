"""make bench: run every workload on SQLite (and PostgreSQL when it can be started here).

Prints one table of workload, size, time, throughput and the ratio to a baseline measured in
the same run, and writes the same to bench-results.json and, in the shape runs are compared
by, to var/bench/latest.json. Where a workload has an older baseline and an honest floor
(bench/floors.py), both rows are printed; the floor is marked *. No pass/fail on wall-clock
time.

    python -m bench                        the full suite
    python -m bench --quick                every workload at small sizes, to try the suite
    python -m bench --parts notifications  only the named workloads (comma-separated, from
                                           bench.run.PARTS), at full size unless --quick
    python -m bench --parts national --no-sqlite
                                           the country's data and reports on PostgreSQL
                                           only (building the data takes about an hour)
    python -m bench --no-postgres          the full run's SQLite half
    python -m bench --no-sqlite            the full run's PostgreSQL half (the two halves
                                           side by side, a core each, take about half the
                                           time of the full run)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .core import print_table, write_json, write_latest
from .run import PARTS

ROOT = Path(__file__).resolve().parent.parent
FAILED: list[str] = []
NATIONAL_ROWS = 450_000  # personnel of every OBEC office
LATEST = ROOT / "var" / "bench" / "latest.json"
# Workloads PostgreSQL runs as well in the full run (one process each); SQLite runs every
# workload. The national part (about an hour to build the country's data) runs on PostgreSQL
# only when named: --parts national --no-sqlite.
POSTGRES_PARTS = ("import", "training", "large", "load")
POSTGRES_WHEN_NAMED = (*POSTGRES_PARTS, "national", "transfers")


def _migrate(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "manage.py", "migrate", "--verbosity", "0"],
                            cwd=ROOT, env=env)  # fmt: skip


def _sqlite_template(workdir: Path, env: dict, pg_env: dict | None = None) -> Path:
    """A SQLite database with every migration applied, made once per run: each SQLite part
    starts from a copy of it instead of migrating afresh (about 40 s of CPU each).

    With `pg_env`, PostgreSQL's database is migrated at the same time, on the other core:
    both wait for each other before any workload is timed, and the PostgreSQL parts then
    find nothing left to migrate."""
    template = workdir / "migrated" / "krupd.sqlite3"
    if not template.exists():
        template.parent.mkdir(exist_ok=True)
        print("\n▶ sqlite: one migrated database for every part"
              + (" (and PostgreSQL's, beside it)" if pg_env else ""), flush=True)  # fmt: skip
        running = [_migrate({**env, "KRUPD_VAR_DIR": str(template.parent)})]
        if pg_env:
            running.append(_migrate(pg_env))
        codes = [process.wait() for process in running]
        if any(codes):
            raise SystemExit(f"migrate failed (exit codes {codes})")
    return template


def _run_part(database: str, parts: str, args, workdir: Path, env: dict, **extra) -> list[dict]:
    """Run some workloads in a fresh process (own settings, own database, own peak memory)."""
    out = workdir / f"part-{database}-{parts.replace(',', '-')}-{extra.get('rows', '')}.json"
    if database == "sqlite":
        env = {**env, "KRUPD_BENCH_SQLITE_TEMPLATE": str(_sqlite_template(workdir, env))}
    options = {"rows": args.rows, "certificates": args.certificates, "scale": args.scale,
               "load-seconds": args.load_seconds, "reminders": args.reminders,
               "people": args.people, "enrolment-people": args.enrolment_people,
               "enrolments-per-person-year": args.enrolments_per_person_year, **extra}  # fmt: skip
    command = [
        sys.executable, "-m", "bench.run", "--database", database, "--out", str(out),
        "--parts", parts, "--workdir", str(workdir),
    ] + [f"--{key}={value}" for key, value in options.items()]  # fmt: skip
    print(f"\n▶ {database}: {' '.join(command[2:])}", flush=True)
    finished = subprocess.run(command, cwd=ROOT, env=env)
    if finished.returncode != 0:
        # One broken workload must not throw away the others' figures: note it and go on.
        FAILED.append(f"{database} {parts} (exit {finished.returncode})")
        return []
    results = json.loads(out.read_text(encoding="utf-8"))
    print_table(results)
    return results


def _start_postgres() -> dict | None:
    script = ROOT / "scripts" / "pg-start.sh"
    try:
        output = subprocess.run(
            [str(script)], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"(PostgreSQL could not be started, skipping it: {error})")
        return None
    values = {}
    for line in output.splitlines():
        line = line.removeprefix("export ").strip()
        if "=" in line:
            key, value = line.split("=", 1)
            values[key] = value.strip("'\"")
    return values


# Programs some workloads call, and the Debian package that brings each: the certificates'
# template floor rasterises its background page once per batch with pdftoppm.
SYSTEM_TOOLS = {"pdftoppm": "poppler-utils"}


def _install_system_tools() -> None:
    """A fresh machine has none of SYSTEM_TOOLS: install them from Debian's apt when running
    as root (as scripts/pg-start.sh does for PostgreSQL); otherwise say which to install, and
    the workloads that need them fail alone, named at the end."""
    missing = sorted({pkg for tool, pkg in SYSTEM_TOOLS.items() if not shutil.which(tool)})
    if not missing:
        return
    if os.geteuid() != 0:
        print(f"(missing programs: install them with: sudo apt-get install -y {' '.join(missing)})")
        return
    print(f"\n▶ installing {', '.join(missing)} from apt", flush=True)
    quiet = {"stdout": subprocess.DEVNULL}
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], env=apt_env, check=False, **quiet)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=int(os.environ.get("BENCH_ROWS", 100_000)))
    parser.add_argument("--certificates", type=int, default=1_250)
    parser.add_argument(
        "--scale", type=float, default=1.0, help="national data as a share of 29,000 schools"
    )
    parser.add_argument("--load-seconds", type=float, default=20.0, help="length of each load mix")
    parser.add_argument(
        "--reminders", type=int, default=10_000, help="LINE reminders of one session day"
    )
    parser.add_argument(
        "--people", type=int, default=100_000, help="size of the one large office's pages"
    )
    parser.add_argument(
        "--enrolments-per-person-year",
        type=int,
        default=5,
        help="national training data: enrolments per teacher and fiscal year (5 ≈ 9 million "
        "nationally); lower it where generating them takes too long",
    )
    parser.add_argument(
        "--enrolment-people", type=int, default=500, help="clicks of the enrolment benchmark"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, to try the suite")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--no-sqlite",
        action="store_true",
        help="only the PostgreSQL runs (of the named parts, or of the full run); with "
        "--no-postgres on another machine or core, the two halves make the full run",
    )
    parser.add_argument(
        "--national-import",
        action="store_true",
        help=f"only import a {NATIONAL_ROWS:,}-row personnel sheet (all of OBEC) on SQLite: "
        "time and peak memory; about 20 minutes, so not part of the default run",
    )
    parser.add_argument(
        "--parts",
        default="",
        help=f"only these workloads, comma-separated ({', '.join(PARTS)}); all by default",
    )
    parser.add_argument("--out", default=str(ROOT / "bench-results.json"))
    args = parser.parse_args()
    wanted = [p for p in args.parts.split(",") if p]
    unknown = set(wanted) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}; known: {', '.join(PARTS)}")
    if args.quick:
        args.rows, args.certificates, args.scale, args.load_seconds = 2_000, 50, 0.01, 3.0
        args.reminders = 300
        args.people = 2_000
        args.enrolment_people = 100

    _install_system_tools()
    workdir = Path(tempfile.mkdtemp(prefix="krupd-bench-"))
    env = {**os.environ}
    env.pop("DATABASE_URL", None)
    if args.national_import:
        args.rows = NATIONAL_ROWS
        results = _run_part("sqlite", "import", args, workdir, env, schools=3_000)
        return _finish(args, results)
    if wanted:
        return _finish(args, _run_some(wanted, args, workdir, env))
    if args.no_sqlite:
        return _finish(args, _postgres_only(args, workdir, env))
    # PostgreSQL starts first, so that its migrations run beside the SQLite template's.
    pg = None if args.no_postgres else _start_postgres()
    pg_env = {**env, **pg} if pg else None
    try:
        _sqlite_template(workdir, env, pg_env)
        if args.quick and pg_env:
            # Quick: the two databases' parts side by side, a core each, so that trying the
            # suite takes half the time. Each ratio is still against a baseline measured in
            # the same process at the same moment; the full run keeps the databases apart so
            # that neither's timings share the machine with the other's.
            with ThreadPoolExecutor(max_workers=2) as pool:
                on_sqlite = pool.submit(_sqlite_parts, args, workdir, env)
                on_postgres = pool.submit(_postgres_parts, args, workdir, pg_env)
                results = on_sqlite.result() + on_postgres.result()
        else:
            results = _sqlite_parts(args, workdir, env)
            if pg_env:
                results += _postgres_parts(args, workdir, pg_env)
    finally:
        if pg:
            subprocess.run([str(ROOT / "scripts" / "pg-stop.sh"), pg.get("KRUPD_PG_DIR", "")])
    return _finish(args, results)


def _sqlite_parts(args, workdir: Path, env: dict) -> list[dict]:
    # An import at a fifth of the size, in a process of its own: its peak memory stays
    # close to the full-size run's if imports stream, and it carries the openpyxl baseline.
    small = _run_part("sqlite", "import", args, workdir, env, rows=max(1, args.rows // 5))
    results = [r for r in small if r["workload"].startswith("import")]
    results += _run_part("sqlite", "import", args, workdir, env)
    results += _run_part("sqlite", "training", args, workdir, env)
    results += _run_part("sqlite", "notifications", args, workdir, env)
    results += _run_part("sqlite", "transfers,national", args, workdir, env)
    # The national comparison at the country's 245 offices in every run (quick included):
    # it reads only summary rows, which the part makes without building the national people.
    results += _run_part("sqlite", "oversight", args, workdir, env)
    results += _run_part("sqlite", "large", args, workdir, env)
    return results


def _postgres_parts(args, workdir: Path, pg_env: dict) -> list[dict]:
    results = _run_part("postgres", "import", args, workdir, pg_env)
    results += _run_part("postgres", "training", args, workdir, pg_env)
    results += _run_part("postgres", "large", args, workdir, pg_env)
    # Load before oversight: the oversight part fills the country's office codes with empty
    # offices, and the load part needs the demo office's people.
    results += _run_part("postgres", "load", args, workdir, pg_env)
    results += _run_part("postgres", "oversight", args, workdir, pg_env)
    return results


def _postgres_only(args, workdir: Path, env: dict) -> list[dict]:
    """The full run's PostgreSQL half, every part in the full run's order."""
    pg = _start_postgres()
    if not pg:
        FAILED.append("postgres (the server could not be started)")
        return []
    try:
        return _postgres_parts(args, workdir, {**env, **pg})
    finally:
        subprocess.run([str(ROOT / "scripts" / "pg-stop.sh"), pg.get("KRUPD_PG_DIR", "")])


def _run_some(wanted: list[str], args, workdir: Path, env: dict) -> list[dict]:
    """Only the named workloads: together in one SQLite process, and each PostgreSQL also
    runs in its own process."""
    on_postgres = [p for p in wanted if p in POSTGRES_WHEN_NAMED]
    pg = _start_postgres() if on_postgres and not args.no_postgres else None
    try:
        results = []
        if not args.no_sqlite:
            _sqlite_template(workdir, env, {**env, **pg} if pg else None)
            results += _run_part("sqlite", ",".join(wanted), args, workdir, env)
        for part in on_postgres if pg else ():
            results += _run_part("postgres", part, args, workdir, {**env, **pg})
    finally:
        if pg:
            subprocess.run([str(ROOT / "scripts" / "pg-stop.sh"), pg.get("KRUPD_PG_DIR", "")])
    return results


def _finish(args, results: list[dict]) -> int:
    print("\n=== all results ===")
    print_table(results)
    meta = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "rows": args.rows,
    }
    write_json(args.out, results, meta)
    write_latest(LATEST, results, replace_only_these=bool(args.parts))
    print(f"\nresults written to {args.out} and {LATEST}")
    if FAILED:
        print("workloads that failed: " + "; ".join(FAILED))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
