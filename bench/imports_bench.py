"""Import of a national-size personnel sheet, against merely reading the same file.

Two reading baselines: the import's own XLSX reader with no checks (what validating and
applying add on top of reading), and openpyxl's read-only mode (what an office's own script
would use). openpyxl takes minutes on a 100,000-row sheet, so its ratio is measured only on
sheets up to OPENPYXL_BASELINE_MAX_ROWS; `make bench` runs such a sheet first.
"""

from __future__ import annotations

import gc
from pathlib import Path

from django.core.files import File
from django.db import connection, transaction
from django.urls import reverse

from .core import Result, cpu_timed, peak_rss_mib, timed

SEED = 4242
# People in the sheet get serial numbers far from the demo office's, so IDs never collide.
SERIAL_OFFSET = 50_000_000
OPENPYXL_BASELINE_MAX_ROWS = 20_000


def _prepare(*, rows: int, schools: int, workdir: Path):
    from accounts.models import User
    from bench.personnel_sheet import write_personnel_sheet
    from registry.demo import build_demo, iter_person_rows
    from registry.models import Office, School

    build_demo(seed=SEED, offices=1, schools=schools, people=schools, stdout=None)
    office = Office.objects.order_by("id").first()
    codes = list(School.objects.filter(office=office).values_list("obec_code", flat=True))
    user, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"role": "office_admin", "office": office}
    )
    # A task worker serves many imports and loads its URL conf (the finished-import notice
    # links to the batch) once: seconds of module imports that are no part of an import.
    reverse("imports:list")
    path = workdir / f"personnel-{rows}.xlsx"
    if not path.exists():
        people = iter_person_rows(
            seed=SEED, people=rows, school_codes=codes, serial_offset=SERIAL_OFFSET
        )
        write_personnel_sheet(path, people)
    return user, path


def _read_with_openpyxl(path: Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def _read_with_stream(path: Path) -> int:
    from imports.xlsx_stream import XlsxStream

    stream = XlsxStream(str(path))
    try:
        return sum(1 for _ in stream.rows(stream.sheets[0]["part"]))
    finally:
        stream.close()


def _import(user, path: Path):
    """(batch, validate (wall s, CPU s), apply (wall s, CPU s)): CPU time beside wall time,
    since the machine a benchmark runs on is often shared with other work."""
    from imports.actions import request_apply, start_import

    with path.open("rb") as handle, timed() as validate, cpu_timed() as validate_cpu:
        batch = start_import(
            acting_user=user, kind="personnel", uploaded_file=File(handle, path.name)
        )
    batch.refresh_from_db()
    applied = (0.0, 0.0)
    if batch.count_error == 0 and (batch.count_new or batch.count_changed):
        with timed() as apply, cpu_timed() as apply_cpu:
            request_apply(acting_user=user, batch=batch)
        applied = (apply(), apply_cpu())
        batch.refresh_from_db()
    return batch, (validate(), validate_cpu()), applied


def _native_floor(path: Path) -> tuple[float, float]:
    """The honest floor: a native (Rust) XLSX reader, python-calamine, and a bulk load of the
    same rows as text into a scratch table (executemany on SQLite, COPY on PostgreSQL). What a
    script that only loads the sheet would take; validating is extra work the import does.
    Returns (wall s, CPU s)."""
    from python_calamine import CalamineWorkbook

    with timed() as elapsed, cpu_timed() as cpu:
        workbook = CalamineWorkbook.from_path(str(path))
        rows = workbook.get_sheet_by_index(0).iter_rows()
        header = next(rows)
        width = len(header)
        columns = ", ".join(f"c{i} text" for i in range(width))
        as_text = (["" if v is None else str(v) for v in row][:width] for row in rows)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"CREATE UNLOGGED TABLE bench_floor ({columns})")
                with cursor.copy("COPY bench_floor FROM STDIN") as copy:
                    for row in as_text:
                        copy.write_row(row)
            else:
                cursor.execute(f"CREATE TABLE bench_floor ({columns})")
                insert = f"INSERT INTO bench_floor VALUES ({', '.join(['%s'] * width)})"
                chunk = []
                for row in as_text:
                    chunk.append(row + [""] * (width - len(row)))
                    if len(chunk) == 10_000:
                        cursor.executemany(insert, chunk)
                        chunk = []
                cursor.executemany(insert, chunk)
            cursor.execute("DROP TABLE bench_floor")
        workbook.close()
    return elapsed(), cpu()


def _copy_baseline(path: Path) -> float | None:
    """PostgreSQL only: COPY the same rows into an unlogged scratch table (the floor for a load)."""
    if connection.vendor != "postgresql":
        return None
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    header = next(rows)
    columns = ", ".join(f"c{i} text" for i in range(len(header)))
    with connection.cursor() as cursor, timed() as elapsed:
        cursor.execute(f"CREATE UNLOGGED TABLE bench_copy ({columns})")
        with cursor.copy("COPY bench_copy FROM STDIN") as copy:
            for row in rows:
                copy.write_row(["" if v is None else str(v) for v in row])
        cursor.execute("DROP TABLE bench_copy")
    workbook.close()
    return elapsed()


def run(*, database: str, rows: int, schools: int, workdir: Path) -> list[Result]:
    user, path = _prepare(rows=rows, schools=schools, workdir=workdir)
    gc.collect()
    with timed() as read:
        read_rows = _read_with_stream(path) - 1
    baselines = [("the import's XLSX reader alone, same file", read())]
    if rows <= OPENPYXL_BASELINE_MAX_ROWS:
        with timed() as openpyxl_read:
            _read_with_openpyxl(path)
        baselines.append(("openpyxl read-only read of the same file", openpyxl_read()))
    copy_seconds = _copy_baseline(path)
    if copy_seconds:
        baselines.append(("PostgreSQL COPY of the same rows", copy_seconds))
    with transaction.atomic():
        floor_seconds, floor_cpu = _native_floor(path)
    floor_name = "native reader (python-calamine) + bulk load of the same rows"
    baselines.append((floor_name, floor_seconds))

    def cpu_columns(validate: tuple, apply: tuple) -> dict:
        """Wall and CPU seconds of each step and the CPU ratio to the floor: on a shared
        machine the CPU ratio is the one that says how much work the import does."""
        cpu = validate[1] + apply[1]
        return {
            "validate s (wall / CPU)": f"{validate[0]:.2f} / {validate[1]:.2f}",
            "apply s (wall / CPU)": f"{apply[0]:.2f} / {apply[1]:.2f}",
            "CPU s (import / floor)": f"{cpu:.2f} / {floor_cpu:.2f}",
            "validate CPU s": round(validate[1], 2),
            "apply CPU s": round(apply[1], 2),
            "floor CPU s": round(floor_cpu, 2),
            "cpu ratio": round(cpu / floor_cpu, 2) if floor_cpu else None,
            "wall ratio": round((validate[0] + apply[0]) / floor_seconds, 2),
        }

    batch, validate, apply = _import(user, path)
    details = {
        "validate s": round(validate[0], 2),
        "apply s": round(apply[0], 2),
        **cpu_columns(validate, apply),
        "rows new/changed/unchanged/error": (
            f"{batch.count_new}/{batch.count_changed}/{batch.count_unchanged}/{batch.count_error}"
        ),
        "peak RSS MiB": round(peak_rss_mib(), 1),
    }

    def rows(workload: str, seconds: float, against: list, extra: dict) -> list[Result]:
        """One row per baseline; the details go with the first."""
        return [
            Result(database=database, workload=workload, size=read_rows, unit="rows",
                   seconds=seconds, baseline=name, baseline_seconds=baseline_seconds,
                   honest=name == floor_name, extra=extra if index == 0 else {})
            for index, (name, baseline_seconds) in enumerate(against)
        ]  # fmt: skip

    results = rows("import personnel: validate + apply", validate[0] + apply[0], baselines, details)
    again, revalidate, reapply = _import(user, path)
    extra = {
        "rows unchanged": again.count_unchanged,
        **cpu_columns(revalidate, reapply),
        "peak RSS MiB": round(peak_rss_mib(), 1),
    }
    results += rows("re-import the same file (no changes)", revalidate[0] + reapply[0],
                    [baselines[0], (floor_name, floor_seconds)], extra)  # fmt: skip
    return results
