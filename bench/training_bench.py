"""Certificates and enrolment, reported through the shared table (see training/bench.py)."""

from __future__ import annotations

from .core import Result


def certificates(*, database: str, count: int) -> list[Result]:
    from training.bench import bench_certificates

    r = bench_certificates(count)
    return [
        Result(
            database=database,
            workload="bulk certificates (one zip)",
            size=r["n"],
            unit="certs",
            seconds=r["bulk_seconds"],
            baseline=f"bare fpdf2, one document per certificate (timed on {r['bare_sample']})",
            baseline_seconds=r["bare_fpdf2_seconds"],
            extra={"zip MiB": round(r["zip_bytes"] / 2**20, 1)},
        )
    ]


def enrolment(*, database: str, threads: int, people: int) -> list[Result]:
    from training.bench import bench_enrolment

    r = bench_enrolment(threads, people)
    serial_seconds = r["people"] / r["serial_per_second"]
    return [
        Result(
            database=database,
            workload=f"enrolment, {r['threads']} concurrent threads",
            size=r["people"],
            unit="clicks",
            seconds=r["people"] / r["concurrent_per_second"],
            baseline="the same enrolments one by one",
            baseline_seconds=serial_seconds,
            extra={
                "seats": r["capacity"],
                "enrolled / wait-listed": f"{r['enrolled']} / {r['waitlisted']}",
                "lock retries": r["retries"],
            },
        )
    ]
