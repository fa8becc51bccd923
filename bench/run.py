"""One database's benchmarks, in a process of its own (settings are read once per process).

python -m bench.run --database sqlite --out part.json [--rows N] [--schools N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--schools", type=int, default=3_000)
    parser.add_argument("--workdir", default=tempfile.gettempdir())
    args = parser.parse_args(argv)

    var_dir = tempfile.mkdtemp(prefix=f"krupd-bench-{args.database}-")
    os.environ["KRUPD_VAR_DIR"] = var_dir
    # Time the work itself, not a queue: tasks run in this process.
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krupd.settings")
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from . import imports_bench

    workdir = Path(args.workdir)
    results = imports_bench.run(
        database=args.database, rows=args.rows, schools=args.schools, workdir=workdir
    )
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump([r.as_dict() for r in results], handle, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
