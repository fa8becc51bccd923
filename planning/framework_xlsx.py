"""A competency framework as an XLSX workbook, both ways.

Layout (the export is the template for the import):
  sheet "ข้อมูลกรอบ": column A a label, column B its value — รหัสกรอบ, ฉบับ, ชื่อกรอบ, ที่มา,
      คะแนนต่ำสุด, คะแนนสูงสุด, then "ระดับ 1", "ระดับ 2" … with the meaning of each point;
  sheet "สมรรถนะ": one row per item — รหัสด้าน, ชื่อด้าน, รหัส, สมรรถนะ/ตัวชี้วัด, คำอธิบาย,
      ระดับ 1 … ระดับ N (the item's level descriptors).

Reading checks everything first and reports every problem with its sheet, row and column
in Thai; nothing is written unless the whole file is clean (actions.import_framework). The
upload request only stores the file; reading it is the task worker's job.
"""

from __future__ import annotations

import io
import itertools
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from imports import readers
from imports.importers import header_keys, norm_key
from krupd.lib.numerals import clean_text, parse_int
from krupd.lib.spreadsheets import workbook_bytes

from .actions import ParsedFramework, ParsedItem
from .models import Framework

META_SHEET = "ข้อมูลกรอบ"
ITEM_SHEET = "สมรรถนะ"
META_KEYS = ["รหัสกรอบ", "ฉบับ", "ชื่อกรอบ", "ที่มา", "คะแนนต่ำสุด", "คะแนนสูงสุด"]
ITEM_COLUMNS = ["รหัสด้าน", "ชื่อด้าน", "รหัส", "สมรรถนะ/ตัวชี้วัด", "คำอธิบาย"]
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")


class FrameworkFileError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def export_framework(fw: Framework) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = META_SHEET
    values = [fw.code, fw.version, fw.name, fw.source, fw.scale_min, fw.scale_max]
    for r, (key, value) in enumerate(zip(META_KEYS, values, strict=True), start=1):
        ws.cell(r, 1, key).font = Font(bold=True)
        ws.cell(r, 2, value)
    for i, value in enumerate(fw.scale):
        ws.cell(len(META_KEYS) + 1 + i, 1, f"ระดับ {value}").font = Font(bold=True)
        ws.cell(len(META_KEYS) + 1 + i, 2, fw.scale_label(value))
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 60

    ws = wb.create_sheet(ITEM_SHEET)
    header = ITEM_COLUMNS + [f"ระดับ {v}" for v in fw.scale]
    for c, h in enumerate(header, start=1):
        cell = ws.cell(1, c, h)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    row = 2
    for domain in fw.domains.prefetch_related("competencies__levels"):
        for comp in domain.competencies.all():
            levels = {lv.value: lv.descriptor for lv in comp.levels.all()}
            cells = [domain.code, domain.name, comp.code, comp.name, comp.description]
            cells += [levels.get(v, "") for v in fw.scale]
            for c, v in enumerate(cells, start=1):
                ws.cell(row, c, v).alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
    for i, width in enumerate([10, 28, 10, 40, 40] + [30] * len(fw.scale), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    return workbook_bytes(wb)


def _cell(col: int, row: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _value(row: list, i: int | None) -> str:
    return clean_text(row[i]) if i is not None and i < len(row) else ""


def _heading_keys(cells) -> list[list[str]]:
    """Each heading cell's loose forms: as written, then without a note in brackets
    ("ระดับ 1 (ต้องปรับปรุง)" is the column "ระดับ 1", "รหัส (ตัวชี้วัด)" the column "รหัส"),
    as the importers match their headers (header_keys)."""
    return [header_keys(c) for c in cells]


def _column(header: list[list[str]], name: str) -> int | None:
    """The first column whose heading is `name`, as written or without its note."""
    key = norm_key(name)
    for form in (0, -1):  # a heading as written first: "รหัส" before "รหัส (เดิม)"
        for col, keys in enumerate(header):
            if keys and keys[form] == key:
                return col
    return None


def _item_header(rows) -> tuple[int, list[list[str]]]:
    """(row number, the loose forms of each cell) of the items sheet's header: the first
    row that names the item-code column, among the first rows (a title may stand above
    it); the first row when none does, so the errors name what is missing there. `rows`
    goes on from the row after it."""
    first: tuple[int, list[list[str]]] | None = None
    for number, cells in rows:
        keys = _heading_keys(cells)
        first = first or (number, keys)
        if _column(keys, "รหัส") is not None:
            return number, keys
        if number >= readers.HEADER_SCAN_ROWS:
            break
    return first or (1, [])


def _sub_heading_levels(
    header: list[list[str]], below: list, columns: dict[str, int], scale: list[int]
) -> dict[int, int] | None:
    """The level columns a second heading row names ({level: column}), when the row under
    the header is one: every item column's cell in it is empty or repeats its heading (a
    heading merged down two rows), and some other cell names a level of the scale, as
    "ระดับ 2" or as the number 2 under a heading spread across the columns. None when the
    row is not a heading (an item, a blank row)."""
    cells = _heading_keys(below) + [[]] * max(0, len(header) - len(below))
    for col in columns.values():
        if cells[col] and cells[col] != header[col]:
            return None
    item_cols = set(columns.values())
    levels: dict[int, int] = {}
    spread = False  # under a heading of its own, spread right over the merged columns
    for col, keys in enumerate(cells):
        if col < len(header) and header[col]:
            spread = col not in item_cols
        if col in item_cols or not keys:
            continue
        for v in scale:
            if norm_key(f"ระดับ {v}") in keys or (spread and str(v) in keys):
                levels.setdefault(v, col)
    return levels or None


def read_framework(source: str | bytes | IO[bytes]) -> ParsedFramework:
    """Parse and validate a framework workbook (a stored file's path, or its bytes);
    FrameworkFileError lists every problem. Runs in the task worker (imports/actions.py
    `run_file_import`): the workbook is read within the importers' limits on unpacked size
    and shared strings, which refuse a zip bomb with a Thai message."""
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    try:
        book = readers.XlsxBook(source)
    except readers.ImportFileError:
        raise FrameworkFileError(["ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) ที่อ่านได้"]) from None
    try:
        return _read_book(book)
    except readers.ImportFileError as error:
        raise FrameworkFileError([str(error)]) from None
    finally:
        book.close()


def _read_book(book: readers.XlsxBook) -> ParsedFramework:
    errors: list[str] = []
    missing = [name for name in (META_SHEET, ITEM_SHEET) if not book.has_sheet(name)]
    if missing:
        raise FrameworkFileError(
            [f"ไม่พบแผ่นงาน “{name}” (ใช้แบบฟอร์มที่ส่งออกจากระบบ)" for name in missing]
        )

    # Labels and headers are matched as the importers match theirs (norm_key): a line break,
    # a space or a colon typed into a label ("คะแนนต่ำสุด :") does not hide it.
    meta: dict[str, tuple[object, int]] = {}
    meta_where = f"แผ่นงาน “{META_SHEET}” แถว {{number}}"
    meta_sheet = book.sheet(META_SHEET)
    # Rows a filter (or Hide) kept out of sight are read like the others; the result lists
    # them by sheet, as the personnel and schools imports' previews do, so none comes in unseen.
    hidden_meta = set(meta_sheet.hidden_rows())
    hidden_read: dict[str, list[int]] = {}
    noted: dict[str, tuple[object, int]] = {}
    for r, row in readers.computed_rows(meta_sheet, errors, meta_where):
        if row and row[0] is not None:
            # "ระดับ 1 (น้อยที่สุด)" labels the point 1, as the items sheet's headings read;
            # a label as written comes first.
            keys = header_keys(row[0])
            if keys:
                meta.setdefault(keys[0], (row[1] if len(row) > 1 else None, r))
                noted.setdefault(keys[-1], (row[1] if len(row) > 1 else None, r))
            if r in hidden_meta:
                hidden_read.setdefault(META_SHEET, []).append(r)
    meta = {**noted, **meta}

    def text(key: str, limit: int, required: bool = True) -> str:
        value, r = meta.get(norm_key(key), (None, None))
        value = clean_text(value)
        where = f"แผ่นงาน “{META_SHEET}” " + (f"แถว {r} คอลัมน์ B" if r else f"แถว “{key}”")
        if required and not value:
            errors.append(f"{where} ({key}): ต้องกรอก")
        if len(value) > limit:
            errors.append(f"{where} ({key}): ยาวเกิน {limit} ตัวอักษร")
        return value

    def number(key: str) -> int | None:
        value, r = meta.get(norm_key(key), (None, None))
        where = f"แผ่นงาน “{META_SHEET}” " + (f"แถว {r} คอลัมน์ B" if r else f"แถว “{key}”")
        try:
            n = parse_int(value)
        except ValueError:
            errors.append(f"{where} ({key}): “{clean_text(value)}” ไม่ใช่จำนวนเต็ม")
            return None
        if n is None:
            errors.append(f"{where} ({key}): ต้องกรอก")
        elif not 0 <= n <= 10:
            errors.append(f"{where} ({key}): ต้องอยู่ระหว่าง 0–10")
            return None
        return n

    code, version = text("รหัสกรอบ", 30), text("ฉบับ", 30)
    name, source = text("ชื่อกรอบ", 200), text("ที่มา", 300, required=False)
    lo, hi = number("คะแนนต่ำสุด"), number("คะแนนสูงสุด")
    if lo is not None and hi is not None and hi <= lo:
        errors.append(f"แผ่นงาน “{META_SHEET}”: คะแนนสูงสุด ({hi}) ต้องมากกว่าคะแนนต่ำสุด ({lo})")
        hi = None
    scale = list(range(lo, hi + 1)) if lo is not None and hi is not None else []
    labels = [clean_text(meta.get(norm_key(f"ระดับ {v}"), ("", 0))[0]) or str(v) for v in scale]

    item_sheet = book.sheet(ITEM_SHEET)
    hidden = set(item_sheet.hidden_rows())
    rows = readers.computed_rows(item_sheet, errors, f"แผ่นงาน “{ITEM_SHEET}” แถว {{number}}")
    header_row, header = _item_header(rows)
    columns = {}
    for key in ITEM_COLUMNS:
        col = _column(header, key)
        if col is not None:
            columns[key] = col
        elif key != "คำอธิบาย":
            errors.append(f"แผ่นงาน “{ITEM_SHEET}” แถว {header_row}: ไม่พบคอลัมน์ “{key}”")
    level_cols = {v: col for v in scale if (col := _column(header, f"ระดับ {v}")) is not None}
    if errors and not columns.get("รหัส"):
        raise FrameworkFileError(errors)
    # A heading of two rows: "ระดับพฤติกรรม" merged over "ระดับ 1 … ระดับ 5" (or "1 … 5"),
    # the item columns' headings merged down beside it. The row below is part of the heading,
    # not an item: it was read as a competency named "สมรรถนะ/ตัวชี้วัด", and the level
    # descriptors under it were dropped without a word.
    below = next(rows, None)
    if below is not None:
        sub_levels = _sub_heading_levels(header, list(below[1] or ()), columns, scale)
        if sub_levels is None:
            rows = itertools.chain([below], rows)
        else:
            level_cols = {**sub_levels, **level_cols}

    items: list[ParsedItem] = []
    domain_names: dict[str, tuple[str, int]] = {}
    seen: dict[tuple[str, str], int] = {}
    for r, row in rows:
        row = list(row or ())
        if not any(clean_text(v) for v in row):
            continue

        values = {key: _value(row, columns.get(key)) for key in ITEM_COLUMNS}
        for key, limit in (("รหัสด้าน", 20), ("ชื่อด้าน", 200), ("รหัส", 20),
                           ("สมรรถนะ/ตัวชี้วัด", 300)):  # fmt: skip
            col = columns.get(key)
            where = f"แผ่นงาน “{ITEM_SHEET}” แถว {r} คอลัมน์ {get_column_letter((col or 0) + 1)}"
            if not values[key]:
                errors.append(f"{where} ({key}): ต้องกรอก")
            elif len(values[key]) > limit:
                errors.append(f"{where} ({key}): ยาวเกิน {limit} ตัวอักษร")
        d_code, d_name, c_code = values["รหัสด้าน"], values["ชื่อด้าน"], values["รหัส"]
        if d_code and d_name:
            known = domain_names.setdefault(d_code, (d_name, r))
            if known[0] != d_name:
                errors.append(
                    f"แผ่นงาน “{ITEM_SHEET}” แถว {r}: รหัสด้าน {d_code} ชื่อ “{d_name}” "
                    f"ไม่ตรงกับแถว {known[1]} (“{known[0]}”)"
                )
        if d_code and c_code:
            first = seen.setdefault((d_code, c_code), r)
            if first != r:
                errors.append(
                    f"แผ่นงาน “{ITEM_SHEET}” แถว {r} คอลัมน์ "
                    f"{get_column_letter(columns['รหัส'] + 1)}: รหัส {c_code} ซ้ำกับแถว {first}"
                )
        descriptors = [
            clean_text(row[level_cols[v]]) if v in level_cols and level_cols[v] < len(row) else ""
            for v in scale
        ]
        if r in hidden:
            hidden_read.setdefault(ITEM_SHEET, []).append(r)
        items.append(
            ParsedItem(d_code, d_name, c_code, values["สมรรถนะ/ตัวชี้วัด"],
                       values["คำอธิบาย"], descriptors)
        )  # fmt: skip
        if len(items) > 500:
            errors.append(f"แผ่นงาน “{ITEM_SHEET}”: มีเกิน 500 ข้อ")
            break
    if not items:
        errors.append(f"แผ่นงาน “{ITEM_SHEET}”: ไม่มีสมรรถนะ/ตัวชี้วัดเลย")
    if errors:
        raise FrameworkFileError(errors)
    return ParsedFramework(code, version, name, source, lo, hi, labels, items, hidden_read)
