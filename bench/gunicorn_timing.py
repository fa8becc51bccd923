"""gunicorn configuration for the load benchmark: the product's gunicorn.conf.py unchanged, plus
hooks timing each request inside its worker.

The load bench runs `gunicorn -c bench/gunicorn_timing.py` with KRUPD_BENCH_TIMING_LOG naming a
file; every request appends one line to it, `kind<TAB>wall ms<TAB>CPU ms`:

- wall: from gunicorn handing the parsed request to Django until the response has been written
  (what the access log's %(D)s measures, minus the request parsing);
- CPU: the worker thread's own CPU time over the same span (`time.thread_time`), which other
  processes on a shared machine do not inflate, unlike wall time;
- kind: the URL pattern the request resolved to, with the names of its query parameters
  (`registry/people/?q`), so a list, its later pages and its search are told apart.

The hooks live here, never in the product's configuration: production needs none of this.
"""

from __future__ import annotations

import os
import runpy
import time
from pathlib import Path

_PRODUCT = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
globals().update({k: v for k, v in _PRODUCT.items() if not k.startswith("_")})

_LOG = os.environ.get("KRUPD_BENCH_TIMING_LOG", "")
_fd: list[int] = []  # opened lazily in each worker (a descriptor is not shared across forks)


def kind_of(path: str, query: str) -> str:
    """The URL pattern of `path` (`training/courses/<int:pk>/`), with the query's parameter
    names: one kind per page whatever the object or the searched words."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
        route = "/" + (match.route or "").lstrip("^").rstrip("$")
    except Resolver404:
        route = "(no page)"
    names = sorted({part.split("=", 1)[0] for part in query.split("&") if part})
    return route + ("?" + "&".join(names) if names else "")


def pre_request(worker, req):
    req.krupd_started = (time.perf_counter(), time.thread_time())


def post_request(worker, req, environ, resp):
    started = getattr(req, "krupd_started", None)
    if not _LOG or started is None:
        return
    wall = (time.perf_counter() - started[0]) * 1000
    cpu = (time.thread_time() - started[1]) * 1000
    if not _fd:
        _fd.append(os.open(_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644))
    # One short write per line on an O_APPEND descriptor: lines of the workers never interleave.
    line = f"{kind_of(req.path, req.query or '')}\t{wall:.3f}\t{cpu:.3f}\n"
    os.write(_fd[0], line.encode())


def read_timings(path: Path, offset: int) -> tuple[dict[str, list[tuple[float, float]]], int]:
    """{kind: [(wall ms, CPU ms), ...]} of the lines written since `offset`, and the new offset.
    Only whole lines are read; a line still being written is left for the next call."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        data = handle.read()
    whole = data[: data.rfind(b"\n") + 1]
    out: dict[str, list[tuple[float, float]]] = {}
    for line in whole.decode("utf-8", errors="replace").splitlines():
        kind, wall, cpu = line.rsplit("\t", 2)
        out.setdefault(kind, []).append((float(wall), float(cpu)))
    return out, offset + len(whole)
