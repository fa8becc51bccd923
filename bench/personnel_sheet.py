"""Helpers for benchmarks: write demo people as a personnel sheet in the import layout.

`registry.demo.iter_person_rows` yields plain dicts (model values, `date`s, `Decimal`s); this
turns them into the spreadsheet an office would upload, through the same column spec the
exporter uses, so a benchmark measures the real import path on a realistic file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook

from imports.importers import get_importer

# registry.demo key → personnel column key, where the names differ.
DEMO_KEYS = {
    "standing_code": "standing",
    "school_code": "school",
    "major_name": "major",
    "areas_taught_codes": "areas_taught",
    "secondment_school_code": "secondment_school",
}


def _comparable(row: dict) -> dict[str, Any]:
    """A demo row in the importer's comparable form (ISO dates, text money, code lists)."""
    values: dict[str, Any] = {}
    for key, value in row.items():
        key = DEMO_KEYS.get(key, key)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif key == "salary" and value is not None:
            value = f"{value:.2f}"
        elif value is None and key not in ("salary", "birth_date", "appointment_date"):
            value = [] if key == "areas_taught" else ""
        values[key] = value
    return values


def write_personnel_sheet(path: str | os.PathLike, rows: Iterable[dict]) -> int:
    """Write `rows` (dicts from registry.demo.iter_person_rows) as an XLSX; return the count.

    Streams through openpyxl's write-only mode, so memory stays flat for any number of rows.
    Needs Django set up (it reads standings, majors and learning areas for their names).
    """
    importer = get_importer("personnel")
    ctx = _export_context()
    columns = list(importer.spec.columns)
    schools: dict[str, str] = {}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="บุคลากร")
    sheet.append([c.header for c in columns])
    count = 0
    for count, row in enumerate(rows, start=1):
        record = _comparable(row)
        record["seq"] = count
        record["school_name"] = schools.get(record.get("school") or "", "")
        sheet.append(
            [
                record.get(c.key, "") if c.informational else c.to_cell(record.get(c.key), ctx)
                for c in columns
            ]
        )
    workbook.save(os.fspath(path))
    return count


def _export_context():
    """Reference lookups only: the sheet writer needs names, not an office."""
    from imports.importers.base import Context
    from registry.models import AcademicStanding, LearningArea, Major

    areas = {a.code: a for a in LearningArea.objects.all()}
    return Context(
        office=None,
        extra={
            "standings": {s.code: s for s in AcademicStanding.objects.all()},
            "majors": {m.name: m for m in Major.objects.all()},
            "areas": areas,
            "schools": {},
        },
    )
