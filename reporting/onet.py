"""Reading an O-NET results sheet: school code, subject, year, mean (optional grade).

The sheet's first row with a recognisable school-code header is the header row; columns are
found by name (Thai or English), so their order and extra columns do not matter. Every row is
checked before anything is saved; errors are Thai, one per problem, with the sheet row number.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO

from imports import readers
from imports.importers import (
    CellError,
    SummaryRows,
    digits_written_as_number,
    header_keys,
    norm_key,
    prepare,
)
from krupd.forms import without_unit
from krupd.lib import numerals
from krupd.lib.clipping import clip
from krupd.lib.numerals import (
    clean_text,
    code_digits,
    is_ascii_digits,
    without_thousands_commas,
)
from krupd.lib.thai_dates import (
    ThaiDateError,
    academic_year_in_title,
    be_year_typed,
    without_year_words,
)

HEADERS = {
    "school": ("รหัสสถานศึกษา", "รหัสโรงเรียน", "school code", "school_code", "obec_code"),
    "subject": ("วิชา", "รายวิชา", "subject"),
    "year": ("ปีการศึกษา", "ปี", "year", "academic_year"),
    "mean": ("คะแนนเฉลี่ย", "ค่าเฉลี่ย", "mean", "average"),
    "grade": ("ชั้น", "ระดับชั้น", "grade"),
}
REQUIRED = ("school", "subject", "year", "mean")

# The grades O-NET tests, keyed like registry.Grade; national means are published per grade.
ONET_GRADES = [("p6", "ป.6"), ("m3", "ม.3"), ("m6", "ม.6")]
# The subjects NIETS reports for these grades; an office's sheets may name others.
ONET_SUBJECTS = ["ภาษาไทย", "คณิตศาสตร์", "วิทยาศาสตร์", "ภาษาอังกฤษ", "สังคมศึกษา ศาสนาและวัฒนธรรม"]
_GRADE_WORDS = (("ประถมศึกษาปีที่", "p"), ("มัธยมศึกษาปีที่", "m"), ("ป", "p"), ("ม", "m"))
_GRADE_CODES = {code for code, _ in ONET_GRADES}


def grade_code(text: object) -> str:
    """The O-NET grade a sheet or form wrote ("ป.6", "ป 6", "ประถมศึกษาปีที่ ๖", "p6", "M.3"),
    as its code ("p6"); "" when it names no tested grade, so such a result is never matched
    with a national mean of a guessed grade."""
    words = clean_text(text).lower().replace(".", "").replace(" ", "")
    for word, prefix in _GRADE_WORDS:
        if words.startswith(word):
            words = prefix + words[len(word) :]
            break
    return words if words in _GRADE_CODES else ""


def subject_key(text: object) -> str:
    """A subject name as sheets and the national table are compared: spaces and digits
    normalised (clean_text), nothing else guessed."""
    return clean_text(text)


MAX_ROWS = 100_000
# What a mean may be typed with, as a form's box of this label takes it (krupd.forms).
MEAN_UNITS = "คะแนนเฉลี่ย (ร้อยละ)"


@dataclass
class OnetRow:
    line: int
    school_code: str
    subject: str
    academic_year: int
    mean: Decimal
    grade: str = ""


@dataclass
class Parsed:
    rows: list[OnetRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lines_read: int = 0  # sheet rows read, the header and blank rows included
    hidden_lines: list[int] = field(default_factory=list)  # rows read that the file hides
    # The year the sheet's title names ("ผลการทดสอบ O-NET ปีการศึกษา 2567") when the sheet has
    # no year column: every row's year.
    year_from_title: int | None = None


def _columns(header: tuple) -> dict[str, int]:
    """Columns found by name as the importers find theirs (imports.importers.header_keys):
    line breaks, spaces, dots and a bracketed note ("คะแนนเฉลี่ย (ร้อยละ)") do not matter."""
    found = {}
    names = [header_keys(v) if v is not None else [] for v in header]
    for key, options in HEADERS.items():
        wanted = {norm_key(option) for option in options}
        for i, keys in enumerate(names):
            if wanted.intersection(keys):
                found[key] = i
                break
    return found


def parse_onet(source: str | bytes | IO[bytes], *, school_codes: set[str], report=None) -> Parsed:
    """Rows of the results sheet of a stored file (its path) or of its bytes, in any format
    the importers take (.xlsx, .xls, .ods, CSV: `readers.open_stored`, with their limits and
    their Thai refusals of a file as a whole); `school_codes` are the office's schools
    (others are errors). Runs in the task worker (imports/actions.py `run_file_import`);
    `report(done, total)`, when given, hears how many rows have been read."""
    if not isinstance(source, str):  # read from a copy, as a stored upload is read
        with tempfile.NamedTemporaryFile() as copy:
            copy.write(source if isinstance(source, bytes) else source.read())
            copy.flush()
            return parse_onet(copy.name, school_codes=school_codes, report=report)
    out = Parsed()
    try:
        book = readers.open_stored(source)
    except readers.ImportFileError as error:
        out.errors.append(str(error))
        return out
    try:
        _read_rows(out, _results_sheet(book), school_codes, report or _quiet)
    except readers.ImportFileError as error:
        out.errors.append(str(error))
    finally:
        book.close()
    return out


def _results_sheet(book: readers.Book) -> readers.Sheet:
    """The first visible sheet with the header among its first rows: a workbook may open
    with a cover or notes sheet, and keep an older year's results on a hidden one. Without
    such a sheet, the first visible one (whose reading says what is missing)."""
    for name in book.sheet_names():
        sheet = book.sheet(name)
        if any("school" in _columns(cells) for _line, cells in sheet.head()):
            return sheet
    return book.sheet()


def _quiet(done: int, total: int) -> None:
    pass


def _read_rows(out: Parsed, sheet: readers.Sheet, school_codes: set[str], report) -> None:
    columns: dict[str, int] | None = None
    header_line = 0
    summaries: SummaryRows | None = None
    seen: dict[tuple, int] = {}
    estimate = sheet.total_estimate or 0
    title: list = []  # the cells above the header
    for line, values in readers.computed_rows(sheet, out.errors):
        out.lines_read = line
        report(line, max(line, estimate))
        if all(v is None or clean_text(v) == "" for v in values):
            continue  # blank rows, down to the last row a sheet's formatting reaches
        if line > MAX_ROWS:
            out.errors.append(f"ไฟล์มีเกิน {MAX_ROWS:,} แถว")
            break
        if columns is None:
            cols = _columns(values)
            if "school" in cols and "year" not in cols:
                out.year_from_title = academic_year_in_title(title)
            if "school" in cols:
                missing = [
                    HEADERS[k][0]
                    for k in REQUIRED
                    if k not in cols and not (k == "year" and out.year_from_title)
                ]
                if missing:
                    out.errors.append(f"แถวที่ {line}: ไม่พบคอลัมน์ {', '.join(missing)}")
                    return
                columns, header_line = cols, line
                summaries = SummaryRows(cols["school"], {cols["school"]: "school"})
            elif line <= readers.HEADER_SCAN_ROWS:  # a title is above the table, near the top
                title.extend(values)
            continue
        if summaries is not None and summaries.text(values) is not None:
            continue  # a totals, notes or signature line ("รวม", "ลงชื่อ ...")
        # A formula saved without its result was told as this row's problem (computed_rows)
        # and reads as an empty cell: the row's other problems are told, but it is no row.
        uncomputed = out.errors[-1:] == [f"แถวที่ {line}: {readers.UNCOMPUTED_FORMULA_MESSAGE}"]
        _row(out, line, values, columns, school_codes, seen, out.year_from_title, uncomputed)
    hidden = set(sheet.hidden_rows())
    out.hidden_lines = sorted({row.line for row in out.rows if row.line in hidden})
    if columns is None:
        out.errors.append("ไม่พบแถวหัวตาราง (ต้องมีคอลัมน์ รหัสสถานศึกษา วิชา ปีการศึกษา คะแนนเฉลี่ย)")
    elif not out.rows and not out.errors:
        out.errors.append(f"แถวที่ {header_line}: ไม่พบแถวข้อมูลใต้หัวตาราง")


class _NoMean(Exception):
    """The mean cell is empty or a dash: the school has no result for the subject."""


def _row(out: Parsed, line: int, values, columns, school_codes, seen, title_year=None,
         uncomputed: bool = False) -> None:  # fmt: skip
    def cell(key):
        if key == "year" and key not in columns:
            return title_year
        i = columns.get(key)
        return values[i] if i is not None and i < len(values) else None

    errors = []
    code = ""
    try:
        # The cell as every importer reads a code: the apostrophe that keeps it text
        # ("'1076100101"), an Excel error named, the dashes or spaces people write between
        # its digits ("10-7610-0101"), a code Excel held as a number ("1076100101.0", or
        # "1.0761E+09" with digits lost).
        typed = prepare(cell("school"))
        if isinstance(typed, float) and typed == int(typed):
            typed = int(typed)
        code = digits_written_as_number(typed, "รหัสสถานศึกษา") or (
            code_digits(typed) if typed is not None else ""
        )
    except CellError as error:
        errors.append(str(error))
    else:
        if not code:
            errors.append("ไม่มีรหัสสถานศึกษา")
        elif code not in school_codes:
            errors.append(f"ไม่พบรหัสสถานศึกษา {code} ในเขตพื้นที่นี้")
    subject = clean_text(cell("subject"))
    if not subject:
        errors.append("ไม่มีชื่อวิชา")
    year = None
    year_text = without_thousands_commas(without_year_words(cell("year")))  # "ปีการศึกษา 2567"
    if year_text.endswith(".0"):
        year_text = year_text[:-2]
    if not is_ascii_digits(year_text):
        errors.append(f"ปีการศึกษา “{year_text}” ไม่ใช่ตัวเลข")
    else:
        try:  # BE as typed, a CE year converted, two digits as BE ("67")
            year = be_year_typed(int(year_text))
        except (ThaiDateError, ValueError):  # ValueError: more digits than int() reads
            year = 0
        if not 2540 <= year <= 2700:
            errors.append(f"ปีการศึกษา {year_text} ไม่อยู่ในช่วงที่เป็นไปได้")
            year = None
    mean = None
    # A mean is a score out of 100: "45.23%" (typed so, or a percentage-formatted cell read
    # as the percentage it shows, in any format), "ร้อยละ 45.23" and "45.23 คะแนน" are 45.23.
    mean_text = without_thousands_commas(clean_text(without_unit(cell("mean"), MEAN_UNITS)))
    try:
        if mean_text in ("", "-", "–", "—"):
            raise _NoMean
        mean = Decimal(mean_text)
        if not mean.is_finite():  # "nan", "inf": words Decimal reads as numbers
            raise InvalidOperation
        if not Decimal("0") <= mean <= Decimal("100"):
            errors.append(f"คะแนนเฉลี่ย {mean_text} ต้องอยู่ระหว่าง 0 ถึง 100")
        mean = numerals.rounded(mean)
    except _NoMean:
        errors.append("ไม่มีคะแนนเฉลี่ย (ถ้าไม่มีผลสอบวิชานี้ ให้ลบแถวนี้ออก)")
    except InvalidOperation:
        errors.append(f"คะแนนเฉลี่ย “{clean_text(cell('mean'))}” ไม่ใช่ตัวเลข")
    # The grade is kept as its code ("p6"), however the sheet writes it ("ป.6", "ป 6",
    # "ประถมศึกษาปีที่ ๖"): one school's subject of a year is one row whichever way the next
    # year's sheet writes it, and a grade O-NET does not test is not taken as one.
    grade_text = clean_text(cell("grade"))
    grade = grade_code(grade_text)
    if grade_text and not grade:
        errors.append(f"ชั้น “{clip(grade_text, 30)}” ไม่ใช่ชั้นที่สอบ O-NET (ใช้ ป.6 ม.3 หรือ ม.6)")
    if not errors and not uncomputed:
        key = (code, year, grade, subject)
        if key in seen:
            errors.append(f"ซ้ำกับแถวที่ {seen[key]} (โรงเรียน ปี ชั้น และวิชาเดียวกัน)")
        else:
            seen[key] = line
    if errors:
        out.errors.extend(f"แถวที่ {line}: {e}" for e in errors)
        return
    if not uncomputed:
        out.rows.append(OnetRow(line, code, subject, year, mean, grade))
