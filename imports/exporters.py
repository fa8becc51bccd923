"""Spreadsheets out: lists in the layout they import back, empty templates, error files.

Every list is written from the same column spec the importer reads, with the same
formatting functions, so exporting a list and importing the file changes nothing.
Dates are written as BE text (dd/mm/yyyy), national IDs and codes as text: Excel would
otherwise turn them into numbers and dates of its own.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from krupd.lib import thai_dates, thai_id, xlsx_writer
from krupd.lib.clipping import clip
from krupd.lib.spreadsheets import csv_text, write_only_row

from . import readers
from .importers import FORMULA, Column, get_importer
from .models import ImportBatch, ImportKind
from .queries import error_messages_by_row

ERROR_HEADER = "ข้อผิดพลาด"
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
ERROR_FILL = PatternFill("solid", fgColor="F8D7DA")
BOLD = Font(bold=True)
MAX_XLSX_TEXT = 32_000  # Excel keeps at most 32,767 characters in a cell
TEXT_KEYS = {"national_id", "school", "obec_code", "phone", "position_number", "birth_date",
             "appointment_date", "census_date"}  # fmt: skip

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_columns(kind: str) -> list[Column]:
    return [c for c in get_importer(kind).spec.columns if c.exported]


def export_table(
    *, user, kind: str, params: dict, full_ids: bool
) -> tuple[list[str], Iterator[list]]:
    """Header row and data rows of a list, scoped and filtered as on the list page."""
    importer = get_importer(kind)
    ctx = importer.export_context(user)
    columns = export_columns(kind)
    headers = [c.header for c in columns]

    # What each column does to its value, worked out once: a large office exports 100,000
    # rows of 26 columns, and asking every column again per row was a third of the work.
    plan = [
        (
            column.key,
            None if column.informational else column.fmt,
            not column.informational and column.key == "national_id" and not full_ids,
        )
        for column in columns
    ]

    def rows() -> Iterator[list]:
        for record in importer.export_records(user, params, ctx):
            cells = []
            for key, fmt, mask in plan:
                value = record.get(key, "")
                cell = fmt(value, ctx) if fmt is not None else "" if value is None else value
                cells.append(thai_id.mask_national_id(cell) if mask else cell)
            yield cells

    return headers, rows()


# Lists up to this many rows are written while the browser waits (about a second at most);
# longer ones, a large office's personnel, are written by the task worker with progress.
DIRECT_EXPORT_ROWS = 5_000


def export_size(*, user, kind: str, params: dict) -> int:
    """How many rows the list will have (one count query)."""
    return get_importer(kind).export_size(user, params)


def write_list(
    target: IO[bytes],
    *,
    user,
    kind: str,
    params: dict,
    full_ids: bool,
    file_format: str,
    progress: Callable[[int], None] | None = None,
) -> None:
    """A whole list into a file, as the list page filters it (for the task worker)."""
    headers, rows = export_table(user=user, kind=kind, params=params, full_ids=full_ids)
    if file_format == "csv":
        write_csv(target, headers, rows, progress=progress)
    else:
        title = dict(ImportKind.choices)[kind]
        write_xlsx(headers, rows, title=title, columns=export_columns(kind), target=target,
                   progress=progress)  # fmt: skip


def filename(kind: str, suffix: str, *, on=None) -> str:
    """krupd-personnel-25691205.xlsx: the list and the (Buddhist Era) day it was taken."""
    day = timezone.localdate(on) if on else timezone.localdate()
    return f"krupd-{kind}-{thai_dates.be_year(day)}{day:%m%d}.{suffix}"


# ---------------------------------------------------------------------------- CSV


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(headers: list[str], rows: Iterable[list]) -> Iterator[str]:
    """UTF-8 with a BOM: Excel opens Thai text correctly only when the BOM is there."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([csv_text(h) for h in headers])
    for row in rows:
        yield writer.writerow(["" if v is None else _csv_text(v) for v in row])


def csv_response(headers: list[str], rows: Iterable[list], name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _csv_lines(headers, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def write_csv(
    target: IO[bytes],
    headers: list[str],
    rows: Iterable[list],
    *,
    progress: Callable[[int], None] | None = None,
) -> None:
    lines = _csv_lines(headers, rows)
    target.write(next(lines).encode())  # the header row is not counted
    done = xlsx_writer.write_batched(target, lines, progress)
    if progress:
        progress(done)


def _csv_text(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:f}"
    return csv_text(value)


# ---------------------------------------------------------------------------- XLSX


def _clean(value: Any) -> Any:
    if value is FORMULA:
        return None
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return value[:MAX_XLSX_TEXT]
    return value


def _header_cells(ws, headers: list[str]) -> list[WriteOnlyCell]:
    """Header cells, styled (and, like every row here, text that looks like a formula stays
    text: krupd/lib/spreadsheets.py)."""
    cells = []
    for text in headers:
        cell = WriteOnlyCell(ws, value=_clean(text))
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cells.append(cell)
    return write_only_row(ws, cells)


def _setup_columns(ws, columns: list[Column], offset: int = 0) -> None:
    for i, column in enumerate(columns, start=1 + offset):
        dimension = ws.column_dimensions[get_column_letter(i)]
        dimension.width = column.width
        if column.key in TEXT_KEYS:
            dimension.number_format = "@"  # typed IDs and dates stay text


def write_xlsx(
    headers: list[str],
    rows: Iterable[list],
    *,
    title: str,
    columns: list[Column] | None = None,
    target: IO[bytes] | None = None,
    progress: Callable[[int], None] | None = None,
) -> IO[bytes]:
    """A list as a one-sheet workbook, written row by row (memory stays flat), rewound for
    reading: into `target`, or a temporary file. IDs, codes and dates stay text."""
    target = target if target is not None else tempfile.TemporaryFile(suffix=".xlsx")
    columns = columns or []
    xlsx_writer.write_table(
        target,
        title=title,
        headers=headers,
        rows=rows,
        widths=[c.width for c in columns],
        text_columns={i for i, c in enumerate(columns) if c.key in TEXT_KEYS},
        progress=progress,
    )
    target.seek(0)
    return target


def _saved(workbook: Workbook):
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(tmp)
    tmp.seek(0)
    return tmp


def xlsx_response(tmp, name: str) -> FileResponse:
    return FileResponse(tmp, as_attachment=True, filename=name, content_type=XLSX_TYPE)


def template_file(kind: str, *, user=None, session=None):
    """Headers, example rows that pass validation as they are, and a sheet explaining each
    column. The example names the user's own school, or for a session its participants."""
    importer = get_importer(kind)
    office = getattr(user, "office", None)
    columns = importer.template_columns(office) if office else export_columns(kind)
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title="ข้อมูล")
    _setup_columns(ws, columns)
    ws.freeze_panes = "A2"
    ws.append(_header_cells(ws, [c.header for c in columns]))
    for record in importer.template_records(user=user, session=session):
        ws.append(write_only_row(ws, [_clean(record.get(c.key, c.example)) for c in columns]))

    notes = workbook.create_sheet(title="คำอธิบาย")
    notes.column_dimensions["A"].width = 26
    notes.column_dimensions["B"].width = 14
    notes.column_dimensions["C"].width = 70
    notes.append(_header_cells(notes, ["คอลัมน์", "ต้องมี", "คำอธิบาย"]))
    label = dict(ImportKind.choices)[kind]
    for column in columns:
        if column.informational:
            note = "ไม่นำเข้า (ใส่ไว้เพื่ออ่านง่าย)"
        else:
            parts = [column.help]
            if column.aliases:
                parts.append("ชื่อหัวคอลัมน์อื่นที่รับได้: " + ", ".join(column.aliases[:4]))
            note = " · ".join(p for p in parts if p)
        required = "ต้องมี" if column.required else ""
        notes.append(write_only_row(notes, [column.header, required, note]))
    notes.append([])
    notes.append(write_only_row(notes, [f"แม่แบบ{label} · KruPD", "", importer.__doc__ or ""]))
    notes.append(["", "", "ลบแถวตัวอย่างก่อนนำเข้า · วันที่ใช้ พ.ศ. หรือ ค.ศ. ก็ได้ · ใช้เลขไทยได้"])
    return _saved(workbook)


def _error_files_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "errors"


def _error_file_path(batch: ImportBatch) -> Path:
    """One file per validation: a new validation's errors never come from an older one's."""
    stamp = f"{batch.validated_at:%Y%m%d%H%M%S%f}" if batch.validated_at else "0"
    return _error_files_dir() / f"{int(batch.pk)}-{stamp}.xlsx"


def store_error_file(batch: ImportBatch) -> None:
    """Write the batch's error file where web and worker both see it (MEDIA_ROOT). Runs in
    the task worker after the validation: it reads the whole upload again, which no page
    request does."""
    path = _error_file_path(batch)
    delete_error_files(batch.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = error_file(batch)
    partial = path.with_suffix(".part")
    with tmp, open(partial, "wb") as out:
        shutil.copyfileobj(tmp, out)
    os.replace(partial, path)  # the page never sees half a file


def stored_error_file(batch: ImportBatch) -> Path | None:
    path = _error_file_path(batch)
    return path if path.exists() else None


def delete_error_files(batch_id: int) -> None:
    """Every error file of a batch (they hold its rows: national IDs and all)."""
    for old in _error_files_dir().glob(f"{int(batch_id)}-*"):
        old.unlink(missing_ok=True)


def error_file(batch: ImportBatch):
    """The uploaded rows as they were, with a first column saying what is wrong in each.

    Row numbers match the original file, so the messages on the preview page point to the
    same rows here; cells with a problem are shaded.
    """
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(title=clip(batch.sheet_name or "ข้อมูล", 31))
    ws.column_dimensions["A"].width = 60
    header_index = {text: i for i, text in enumerate(batch.headers or []) if text}
    errors = error_messages_by_row(batch)
    pending = next(errors, None)
    with readers.open_sheet(batch.file.path, batch.file_format, batch.sheet_name) as sheet:
        for number, cells in sheet.rows():
            values = [_clean(v) for v in cells]
            while values and values[-1] in (None, ""):
                values.pop()
            if number < batch.header_row:
                ws.append(write_only_row(ws, [None, *values]))
                continue
            if number == batch.header_row:
                ws.append(_header_cells(ws, [ERROR_HEADER, *[v or "" for v in values]]))
                continue
            while pending is not None and pending[0] < number:
                pending = next(errors, None)
            if pending is None or pending[0] != number:
                ws.append(write_only_row(ws, [None, *values]))
                continue
            row_errors = pending[1]
            message = "; ".join(
                f"แถวที่ {number} คอลัมน์ “{e['column']}”: {e['message']}" for e in row_errors
            )
            first = WriteOnlyCell(ws, value=_clean(message))
            first.fill = ERROR_FILL
            first.alignment = Alignment(wrap_text=True, vertical="top")
            bad = {header_index[e["column"]] for e in row_errors if e["column"] in header_index}
            values += [None] * (max(bad, default=-1) + 1 - len(values))
            out: list[Any] = [first]
            for i, value in enumerate(values):
                if i in bad:
                    cell = WriteOnlyCell(ws, value=value)
                    cell.fill = ERROR_FILL
                    out.append(cell)
                else:
                    out.append(value)
            ws.append(write_only_row(ws, out))
    return _saved(workbook)
