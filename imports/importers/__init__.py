"""Sheet kinds: the columns each accepts, how a cell is read, how a row compares with the database.

One spec per kind (a tuple of `Column`) serves the importer, the exporter and the empty
template, so a list exported from the system imports back unchanged by construction:
`Column.parse(Column.format(value)) == value` for every value the database can hold.

Values are kept in a normalised, JSON-safe form ("comparable" values): text cleaned of
stray spaces and Thai digits, dates as ISO strings, money as "35220.00", references by
their natural key (school code, standing code, major name, learning-area codes). Rows
read from a file and records read from the database are both turned into this form and
compared field by field.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from krupd.lib import thai_dates, thai_id
from krupd.lib.clipping import clip
from krupd.lib.numerals import (
    clean_text,
    code_digits,
    is_ascii_digits,
    without_baht,
    without_thousands_commas,
)

MAX_CELL_CHARS = 1000
MEMO_SIZE = 50_000  # distinct values remembered per column and validation


def memo_key(raw: Any) -> tuple:
    """What a column's memo remembers a cell by. Equal values that are not the same cell get
    their own: 1, 1.0 and True by their type; 0.0 and -0.0, and Decimals written otherwise
    (1.0, 1.00), by how they print."""
    if raw.__class__ is float or raw.__class__ is Decimal:
        return (raw.__class__, repr(raw))
    return (raw.__class__, raw)


# Cells people type to mean "nothing here".
BLANK_TEXTS = frozenset({"-", "–", "—", "--", "n/a", "N/A"})
APOSTROPHES = frozenset("'‘’`")
_DIGIT_OR_PLUS = frozenset("0123456789+")
EXCEL_ERRORS = frozenset(
    {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)

# LibreOffice Calc's own error codes ("Err:502", "Err:504"), as its cells and CSVs show them.
_CALC_ERROR = re.compile(r"^Err:\d{3}$")


UNREADABLE_TEXT_MESSAGE = (
    "มีตัวอักษรที่อ่านไม่ได้ (ข้อความนี้ถูกวางมาจากไฟล์ที่บันทึกด้วยรหัสอักษรอื่น) กรุณาพิมพ์ช่องนี้ใหม่ แล้วบันทึกไฟล์เป็น CSV UTF-8"
)


class CellError(ValueError):
    """One cell cannot be read; the message is Thai and names what is wrong, not where."""


class _Formula:
    """A formula cell whose result was never calculated (the file was made by a program)."""

    def __repr__(self) -> str:
        return "FORMULA"


FORMULA = _Formula()


def prepare(raw: Any) -> Any:
    """First pass over any cell: blanks → None, text cleaned, unusable cells → CellError."""
    if raw is None:
        return None
    if raw is FORMULA:
        raise CellError("ช่องนี้เป็นสูตรที่ยังไม่มีผลลัพธ์ (เปิดไฟล์ใน Excel แล้วบันทึกใหม่ หรือคัดลอกแล้ววางแบบค่า)")
    if isinstance(raw, str):
        if len(raw) > MAX_CELL_CHARS:
            raise CellError(f"ข้อมูลยาวเกิน {MAX_CELL_CHARS:,} ตัวอักษร")
        # ASCII text cannot hold Thai digits or odd spaces: collapsing whitespace is enough.
        if raw.isascii():
            text = " ".join(raw.split())
        else:
            text = clean_text(raw)
            if "\ufffd" in text:  # a byte the file's encoding has no character for
                raise CellError(UNREADABLE_TEXT_MESSAGE)
        if text[:1] in APOSTROPHES and text[1:].lstrip()[:1] in _DIGIT_OR_PLUS:
            # '1234567890123: the apostrophe Excel users type to keep a number as text.
            text = text[1:].lstrip()
        if not text or text in BLANK_TEXTS:
            return None
        if (text[0] == "#" and text.upper() in EXCEL_ERRORS) or (
            text[0] == "E" and _CALC_ERROR.match(text)
        ):
            raise CellError(f"ช่องนี้มีค่าผิดพลาดจากสูตร ({text})")
        return text
    if isinstance(raw, float) and not math.isfinite(raw):
        raise CellError("ตัวเลขไม่ถูกต้อง")
    if isinstance(raw, (int, float, Decimal, dt.date, dt.datetime, dt.time, bool)):
        return raw
    return clean_text(raw) or None


def norm_key(text: Any) -> str:
    """Loose form for matching names and headers: no spaces, dots or punctuation, lower case,
    and Thai vowels typed the two ways people type them read as one: แ typed as เเ, and ำ
    typed as ํ + า (a tone mark between or not). "เเก้วตา" in a Google Form is the
    participant แก้วตา; it was "not found in the session"."""
    key = _PUNCT.sub("", clean_text(text).lower())
    if "เเ" in key or "\u0e4d" in key:
        key = _THAI_AM.sub(lambda m: f"{m[1]}{m[2]}ำ", key.replace("เเ", "แ"))
    return key


# Nikhahit then sara aa, with a tone mark typed between them or before: sara am (ำ).
_THAI_AM = re.compile("([\u0e48-\u0e4b]?)\u0e4d([\u0e48-\u0e4b]?)\u0e32")


_PUNCT = re.compile(r"[\s.*:_\-–—/\\'\"“”‘’()\[\],;]")
_PARENS = re.compile(r"\(.*?\)|\[.*?\]|（.*?）")


def header_keys(text: Any) -> list[str]:
    """The loose forms a header cell may match by: as written, then without a (note)."""
    full = norm_key(text)
    bare = norm_key(_PARENS.sub("", clean_text(text)))
    return [k for k in dict.fromkeys((full, bare)) if k]


# ---------------------------------------------------------------------------- cell readers
# Each reader takes a prepared cell (never None) and the import context, and returns the
# comparable value or raises CellError with a Thai message.


def as_text(value: Any) -> str:
    if isinstance(value, str):
        return value  # already cleaned by `prepare`
    if isinstance(value, bool):
        raise CellError("ต้องเป็นข้อความ")
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return thai_dates.format_thai_date(value if isinstance(value, dt.date) else value.date())
    return clean_text(value)


def text_reader(max_length: int) -> Callable[[Any, Any], str]:
    def read(value: Any, ctx: Any) -> str:
        text = as_text(value)
        if len(text) > max_length:
            raise CellError(f"ยาวเกิน {max_length} ตัวอักษร")
        return text

    return read


def digits_reader(length: int, what: str) -> Callable[[Any, Any], str]:
    """Codes such as the 10-digit school code; Excel may have turned them into numbers."""

    def read(value: Any, ctx: Any) -> str:
        if isinstance(value, bool):
            raise CellError(f"{what}ต้องเป็นตัวเลข {length} หลัก")
        if isinstance(value, float) and value == int(value):
            value = int(value)
        value = digits_written_as_number(value, what) or value
        text = code_digits(value)
        if not is_ascii_digits(text) or len(text) != length:
            raise CellError(f"{what}ต้องเป็นตัวเลข {length} หลัก (ได้ “{clip(clean_text(value), 30)}”)")
        return text

    return read


# How a CSV writes a code Excel held as a number: "1101700123456.0", or, when the column
# was too narrow, in scientific notation ("1.10170E+12"), which keeps only the digits shown.
_WHOLE_FLOAT = re.compile(r"^(\d+)\.0*$")
_SCIENTIFIC = re.compile(r"^(\d)(?:[.,](\d*))?\s*[eE]\s*\+?\s*(\d{1,2})$")
SCIENTIFIC_MESSAGE = (
    "{what} “{text}” ถูก Excel แสดงเป็นเลขยกกำลัง ตัวเลขบางหลักหายไปแล้ว "
    "กรุณาจัดรูปแบบคอลัมน์เป็นข้อความ (Text) แล้วพิมพ์เลขใหม่ให้ครบ"
)


def digits_written_as_number(value: Any, what: str) -> str | None:
    """The digits of a code a CSV wrote as a number, or None when the cell is not written
    so. Raises CellError when Excel's notation has lost digits (they cannot be guessed)."""
    if not isinstance(value, str):
        return None
    text = clean_text(value)
    whole = _WHOLE_FLOAT.match(text)
    if whole:
        return whole.group(1)
    scientific = _SCIENTIFIC.match(text)
    if scientific is None:
        return None
    lead, fraction, exponent = scientific.groups()
    fraction, places = fraction or "", int(exponent)
    if len(fraction) < places or fraction[places:].strip("0"):
        raise CellError(SCIENTIFIC_MESSAGE.format(what=what, text=clip(text, 30)))
    return lead + fraction[:places]


def read_national_id(value: Any, ctx: Any) -> str:
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    written_as_number = digits_written_as_number(value, "เลขประจำตัวประชาชน")
    if written_as_number is not None:
        value, numeric = written_as_number, True
    text = thai_id.normalize_national_id(value)
    if numeric and len(text) == 12 and text.isdigit():
        # Excel drops the leading zero of IDs typed as numbers (0-prefixed IDs exist).
        text = "0" + text
    problem = thai_id.national_id_problem(
        text, allow_leading_zero_or_nine=ctx.allow_leading_zero_or_nine_id
    )
    if (
        problem
        and ctx.allow_leading_zero_or_nine_id
        and len(text) == 12
        and text.isdigit()
        and thai_id.is_valid_national_id("0" + text)
    ):
        # A CSV saved from a sheet that held the ID as a number: its leading zero is gone,
        # and the text no longer says it was a number. Not guessed back: said how to keep it.
        problem += (
            f" ถ้าเลขจริงคือ 0{text} แสดงว่า Excel ตัดเลข 0 ตัวหน้าออก "
            "กรุณาจัดรูปแบบคอลัมน์เป็นข้อความ (Text) แล้วพิมพ์เลขใหม่ให้ครบ 13 หลัก"
        )
    if problem:
        raise CellError(problem)
    return text


def int_reader(
    *, minimum: int = 0, maximum: int = 10**9, units: tuple[str, ...] = ()
) -> Callable[[Any, Any], int]:
    """Whole numbers, also written with their unit after them ("25 คน") when `units` says
    which ones the column may carry."""

    def read(value: Any, ctx: Any) -> int:
        if isinstance(value, (dt.date, dt.datetime, dt.time)):
            raise CellError("ต้องเป็นจำนวนเต็ม")
        if units and isinstance(value, str):
            value = _without_unit(value, units)
        try:
            number = parse_int_cell(value)
        except (ValueError, ArithmeticError):
            raise CellError(f"ต้องเป็นจำนวนเต็ม (ได้ “{clip(clean_text(value), 30)}”)") from None
        if number is None:
            raise CellError("ต้องเป็นจำนวนเต็ม")
        if not minimum <= number <= maximum:
            shown = clip(clean_text(value), 30)  # the cell as typed, as the decimal reader says
            raise CellError(f"ต้องอยู่ระหว่าง {minimum:,} ถึง {maximum:,} (ได้ “{shown}”)")
        return number

    return read


def _without_unit(text: str, units: tuple[str, ...]) -> str:
    for unit in units:
        if text.endswith(unit) and text[: -len(unit)].strip():
            return text[: -len(unit)].strip()
    return text


def parse_int_cell(value: Any) -> int | None:
    from krupd.lib.numerals import parse_int

    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise ValueError("not whole")
        return int(value)
    return parse_int(value)


def decimal_reader(
    *, places: int, minimum: Decimal, maximum: Decimal, unit: str = ""
) -> Callable[[Any, Any], str]:
    quantum = Decimal(1).scaleb(-places)

    def read(value: Any, ctx: Any) -> str:
        if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime, dt.time)):
            raise CellError("ต้องเป็นตัวเลข")
        text = without_thousands_commas(clean_text(value).replace(" ", ""))
        if unit == "บาท":  # "฿35,220" as an accounting format shows it, "35,220 บ.", "35,220.-"
            text = without_baht(text)
        elif unit:
            text = text.removesuffix(unit)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(f"ต้องเป็นตัวเลข (ได้ “{clip(clean_text(value), 30)}”)") from None
        if not number.is_finite():
            raise CellError("ต้องเป็นตัวเลข")
        if not minimum <= number <= maximum:
            shown = clip(clean_text(value), 30)
            raise CellError(f"ต้องอยู่ระหว่าง {minimum:,} ถึง {maximum:,} (ได้ “{shown}”)")
        return str(number.quantize(quantum))

    return read


# What a date cell formatted as "General" shows: Excel's day number, 5 digits for 1927–2173.
_SERIAL_TEXT = re.compile(r"^\d{5}(?:\.0+)?$")


def date_reader(
    *,
    earliest: dt.date,
    latest_years_ahead: int = 1,
    not_after_today: bool = False,
    at_least_years_ago: int = 0,
) -> Callable[[Any, Any], str]:
    """Dates in BE or CE, Thai or Arabic digits, Thai month names, or Excel serial numbers.

    The latest date accepted is the end of the year `latest_years_ahead` from now, or today
    for things that have already happened (an appointment), or today `at_least_years_ago`
    years back (a birth date of someone of working age).
    """

    def read(value: Any, ctx: Any) -> str:
        if isinstance(value, dt.time):
            raise CellError("ไม่ใช่วันที่")
        if isinstance(value, str) and _SERIAL_TEXT.match(value):
            value = int(float(value))  # a date column saved as "General", then as CSV
        elif _is_year_number(value):
            # A year typed alone into a date cell (1987, 2530). Read as Excel's day number it
            # would be a day of 1905–1907, which no column accepts: say the day is missing.
            value = str(int(value))
        try:
            date = thai_dates.parse_thai_date(value)
        except (ValueError, OverflowError, ArithmeticError) as error:
            message = str(error) if isinstance(error, thai_dates.ThaiDateError) else ""
            raise CellError(message or "อ่านวันที่ไม่ได้ (ใช้รูปแบบ วว/ดด/ปปปป เช่น 15/03/2530)") from None
        if date is None:
            raise CellError("อ่านวันที่ไม่ได้")
        today = getattr(ctx, "today", None) or timezone.localdate()
        latest = latest_date(latest_years_ahead, not_after_today, at_least_years_ago, today)
        if not earliest <= date <= latest:
            raise CellError(
                f"วันที่ {thai_dates.format_thai_date(date)} อยู่นอกช่วงที่เป็นไปได้ "
                f"({thai_dates.format_thai_date(earliest)} – {thai_dates.format_thai_date(latest)})"
            )
        return date.isoformat()

    return read


def _is_year_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return False
    return value == int(value) and 1900 <= value <= thai_dates.LAST_YEAR + thai_dates.BE_OFFSET


def latest_date(
    years_ahead: int, not_after_today: bool, at_least_years_ago: int, today: dt.date
) -> dt.date:
    """`today` is the office's day (timezone.localdate), not the server's UTC one; a
    validation takes it once for all its rows (Context.today)."""
    if at_least_years_ago:
        return _years_before(today, at_least_years_ago)
    if not_after_today:
        return today
    return today.replace(year=today.year + years_ahead, month=12, day=31)


def _years_before(date: dt.date, years: int) -> dt.date:
    try:
        return date.replace(year=date.year - years)
    except ValueError:  # 29 February
        return date.replace(year=date.year - years, day=28)


def choice_reader(lookup: dict[str, str], shown: Iterable[str]) -> Callable[[Any, Any], str]:
    """Choices written as Thai labels (or their common variants, or the stored code)."""
    table = {norm_key(k): v for k, v in lookup.items()}
    accepted = ", ".join(shown)

    def read(value: Any, ctx: Any) -> str:
        found = table.get(norm_key(value))
        if found is None:
            # "ขยายโอกาสฯ", "ประถมศึกษา (อ.1-ป.6)", "ปริญญาโท (กศ.ม.)": the choice with the
            # abbreviation mark or a note in brackets after it.
            text = _PARENS.sub(" ", clean_text(value)).strip().removesuffix("ฯลฯ").rstrip("ฯ ")
            found = table.get(norm_key(text)) if text else None
        if found is None:
            raise CellError(f"ไม่รู้จักค่า “{clip(clean_text(value), 40)}” (ใช้ได้: {accepted})")
        return found

    return read


# Likert answers as Google Forms and paper sheets write them, on a 5-level scale.
LIKERT_WORDS = {
    "มากที่สุด": 5, "ดีมาก": 5, "พึงพอใจมากที่สุด": 5,
    "มาก": 4, "ดี": 4, "พึงพอใจมาก": 4,
    "ปานกลาง": 3, "พอใช้": 3, "พึงพอใจปานกลาง": 3,
    "น้อย": 2, "พึงพอใจน้อย": 2, "ควรปรับปรุง": 2,
    "น้อยที่สุด": 1, "ปรับปรุง": 1, "พึงพอใจน้อยที่สุด": 1, "ต้องปรับปรุง": 1,
}  # fmt: skip
_LIKERT_KEYS = {norm_key(k): v for k, v in LIKERT_WORDS.items()}
_LEADING_LEVEL = re.compile(r"^\s*(\d{1,2})(?:\D|$)")


def likert_level(value: Any, words: dict[str, int] | None = None) -> int | None:
    """The level a rating cell gives: a whole number (Thai digits too), a Likert word
    ("มากที่สุด" is 5; `words`, already through `norm_key`, name a scale's own levels first),
    or a number before its word ("5 - มากที่สุด"). None when the cell gives none; whether
    the level is on the scale is the caller's to say."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return int(value) if value == int(value) else None
    text = as_text(value)
    key = norm_key(text)
    number = (words or {}).get(key)
    if number is None:
        number = _LIKERT_KEYS.get(key)
    if number is None:
        lead = _LEADING_LEVEL.match(text)
        number = int(lead.group(1)) if lead else None
    return number


def close_names(text: str, names: Iterable[str], n: int = 3) -> str:
    matches = difflib.get_close_matches(clean_text(text), list(names), n=n, cutoff=0.5)
    return ", ".join(matches)


def format_date(value: str | None) -> str:
    """ISO date → dd/mm/yyyy BE text, which `date_reader` reads back to the same date."""
    if not value:
        return ""
    return thai_dates.format_thai_date(dt.date.fromisoformat(value))


# ---------------------------------------------------------------------------- summary rows

# How the lines offices put between or under the data begin: totals ("รวม 40 คน",
# "รวมทั้งสิ้น"), notes ("หมายเหตุ ..."), signatures ("ลงชื่อ ... ผู้รายงาน").
# Score and results sheets end with their averages ("ค่าเฉลี่ย", "เฉลี่ยระดับเขต") and the
# comparison rows national results carry ("ระดับประเทศ", "ระดับจังหวัด").
SUMMARY_WORDS = (
    "รวม", "ยอดรวม", "ทั้งหมด", "ทั้งสิ้น", "หมายเหตุ", "ลงชื่อ", "ผู้รายงาน", "ผู้จัดทำ",
    "ผู้รับรอง", "ข้อมูล ณ", "เฉลี่ย", "ค่าเฉลี่ย", "ระดับประเทศ", "ระดับเขต", "ระดับจังหวัด",
    "ระดับสังกัด", "total", "sum", "average", "mean", "note", "remark",
)  # fmt: skip
_SUMMARY_START = re.compile(
    r"^[\s*#(\[]*(" + "|".join(re.escape(w) for w in SUMMARY_WORDS) + r")", re.IGNORECASE
)


def summary_text(value: Any) -> str | None:
    """The cell's text when it opens a totals or notes line, else None."""
    if not isinstance(value, str):
        return None
    start = value.lstrip()[:1]
    if not start or start.isdigit() or start in APOSTROPHES:
        return None  # an ID, a code, a number: the common case, decided without cleaning
    text = clean_text(value)
    return clip(text, 200) if _SUMMARY_START.match(text) else None


def summary_row_text(cells: tuple, key_index: int | None) -> str | None:
    """The text of a totals or notes line, or None for a data row.

    The key cell (the national ID, the school code) decides: a line whose key cell says
    "รวม 40 คน" or "หมายเหตุ" is a summary; so is a line with an empty key cell and such a
    word in another cell. A key cell holding anything else is data, whatever the rest says.
    Without a key column, the first non-empty cell decides.
    """
    if key_index is None:
        first = next((c for c in cells if c is not None and str(c).strip()), None)
        return summary_text(first)
    key = cells[key_index] if key_index < len(cells) else None
    if key is not None and str(key).strip():
        return summary_text(key)
    return next((found for c in cells if (found := summary_text(c))), None)


# The words that open a sheet's footer: the lines under them (the signatory's name in
# brackets, their position, the date) carry no key and are part of it too.
FOOTER_WORDS = ("ลงชื่อ", "หมายเหตุ", "ผู้รายงาน", "ผู้จัดทำ", "ผู้รับรอง", "note", "remark")
_FOOTER_START = re.compile(
    r"^[\s*#(\[]*(" + "|".join(re.escape(w) for w in FOOTER_WORDS) + r")", re.IGNORECASE
)


class SummaryRows:
    """`summary_row_text` row after row, which also knows the footer: once a signature or
    notes line has been seen, a line whose key cell is empty or holds no digit ("(นายสมชาย
    ใจดี)", "ผู้อำนวยการโรงเรียน…": every key is a number) belongs to it, until a line with
    a key shows the data going on."""

    # Keys that are always numbers; a name (a results sheet matched by name) is not one.
    NUMBER_KEYS = frozenset({"national_id", "obec_code", "school"})

    def __init__(self, key_index: int | None, mapping: dict[int, str]) -> None:
        self.key_index = key_index
        self.number_key = mapping.get(key_index) in self.NUMBER_KEYS
        self.in_footer = False

    def text(self, cells: tuple) -> str | None:
        found = summary_row_text(cells, self.key_index)
        if found is not None:
            self.in_footer = self.in_footer or bool(_FOOTER_START.match(found))
            return found
        if self.key_index is not None and (found := self._count_under_the_key(cells)):
            return found
        if not self.in_footer or self.key_index is None:
            return None
        key = cells[self.key_index] if self.key_index < len(cells) else None
        text = "" if key is None else str(key).strip()
        if text and (not self.number_key or any(ch.isdigit() for ch in text)):
            self.in_footer = False  # data again
            return None
        first = next((c for c in cells if c is not None and str(c).strip()), None)
        return None if first is None else clip(clean_text(first), 200)

    def _count_under_the_key(self, cells: tuple) -> str | None:
        """ "รวม | 10 คน": a totals line whose word sits in a column before the key (the
        running-number column) and whose count lands under the key. A key cell with fewer
        digits than any ID or code cannot be one, so the line is the totals, not a row whose
        ID is wrong. Under a name (a score sheet matched by name) only a count is one: a
        number, maybe with its unit ("3 คน"), is nobody's name."""
        assert self.key_index is not None
        key = cells[self.key_index] if self.key_index < len(cells) else None
        if key is None or isinstance(key, bool):
            return None
        if self.number_key:
            if sum(ch.isdigit() for ch in str(key)) >= _KEY_DIGITS:
                return None
        elif not _COUNT.match(clean_text(key)):
            return None
        before = [c for c in cells[: self.key_index] if c is not None and str(c).strip()]
        if not before or summary_text(before[0]) is None:
            return None
        shown = [clean_text(c) for c in cells[: self.key_index + 1] if c is not None]
        return clip(" ".join(t for t in shown if t), 200)


# The fewest digits a key of `SummaryRows.NUMBER_KEYS` has (a school code has 10, an ID 13):
# a cell with fewer is a count or a note, whatever column it sits in.
_KEY_DIGITS = 8
# A count as a totals line writes it: "40", "1,234", "40 คน".
_COUNT = re.compile(r"^\d[\d,]*(?:\.\d+)?\s*(?:คน|ราย|โรง|โรงเรียน|แห่ง|รายการ)?$")


class HeaderRepeats:
    """The header written again further down: a list printed page by page repeats its title
    and header on each page, and lists pasted together from several files carry each file's.
    A row equal to one of the rows down to the header (as text, spaces and digits cleaned)
    is such a copy, never data. The key cell is compared first, so a data row (whose key is
    an ID or a code) costs one comparison."""

    def __init__(self, rows_to_header: list[tuple], key_index: int | None) -> None:
        self.key_index = key_index
        self.rows = {t for cells in rows_to_header if (t := _row_text(cells))}
        self.keys = {self._key(cells) for cells in rows_to_header if _row_text(cells)}

    def _key(self, cells: tuple) -> Any:
        if self.key_index is None:
            return None
        key = cells[self.key_index] if self.key_index < len(cells) else None
        return None if key is None or key == "" else _cell_text(key)

    def matches(self, cells: tuple) -> bool:
        if self.key_index is not None:
            key = cells[self.key_index] if self.key_index < len(cells) else None
            if key is None or key == "":
                if None not in self.keys:
                    return False
            elif key.__class__ is not str or key[:1].isdigit() or _cell_text(key) not in self.keys:
                return False  # a data row: an ID, a code, a name no header row has
        return _row_text(cells) in self.rows


def _row_text(cells: tuple) -> tuple[str, ...]:
    texts = [_cell_text(c) for c in cells]
    while texts and not texts[-1]:
        texts.pop()
    return tuple(texts)


# ---------------------------------------------------------------------------- the spec


@dataclass(frozen=True)
class Column:
    """One column of a sheet kind.

    key: the field's name in comparable values. header: the canonical Thai header, written by
    the exporter and the template. aliases: other headers offices use. required: the header
    must be present (mapped) for the file to be validated. read: cell → comparable value
    (None for informational columns, which the importer ignores). blank: the value of an empty
    cell (a callable for mutable values); needs_value: an empty cell is an error instead.
    fmt: comparable value → cell for export.
    display: comparable value → text on the preview page.
    exported: False for a column read from files but never written by the exporter or the
    template (a full name a file may give instead of its parts).
    """

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    read: Callable[[Any, Any], Any] | None = None
    blank: Any = ""
    needs_value: bool = False
    fmt: Callable[[Any, Any], Any] | None = None
    display: Callable[[Any, Any], str] | None = None
    example: Any = ""
    help: str = ""
    width: int = 16
    memo: bool = False  # few distinct values (choices, names, dates): remember each reading
    exported: bool = True

    @property
    def informational(self) -> bool:
        return self.read is None

    def parse(self, raw: Any, ctx: Any) -> Any:
        """Read one raw cell; raises CellError with a Thai message."""
        return self.convert(prepare(raw), ctx)

    def convert(self, value: Any, ctx: Any) -> Any:
        """Read a cell already through `prepare` (None means empty)."""
        if value is None:
            if self.needs_value:
                raise CellError(f"ไม่ได้กรอก{self.header}")
            return self.blank() if callable(self.blank) else self.blank
        if self.memo:
            memo = ctx.extra.setdefault("_memo", {}).setdefault(self.key, {})
            key = memo_key(value)
            hit = memo.get(key)
            if hit is None:
                try:
                    hit = self._read(value, ctx)
                except CellError as error:
                    hit = error
                if len(memo) < MEMO_SIZE:
                    memo[key] = hit
            if isinstance(hit, CellError):
                raise CellError(str(hit))
            return list(hit) if isinstance(hit, list) else hit
        return self._read(value, ctx)

    def read_cell(self, raw: Any, ctx: Any, memo: dict | None = None) -> tuple[bool, Any]:
        """A raw cell read as `parse` reads it: (whether it is empty, its value or the
        CellError raised). Given a `memo` (a column of few distinct values), each distinct
        cell is prepared and read once per validation (an empty one too)."""
        if memo is None:
            return self._read_cell(raw, ctx)
        key = memo_key(raw)
        hit = memo.get(key)
        if hit is None:
            hit = self._read_cell(raw, ctx)
            if len(memo) < MEMO_SIZE:
                memo[key] = hit
        return (hit[0], list(hit[1])) if isinstance(hit[1], list) else hit

    def _read_cell(self, raw: Any, ctx: Any) -> tuple[bool, Any]:
        try:
            value = prepare(raw)
        except CellError as error:
            return False, error
        if value is not None and not self.memo:
            # `convert` and `_read` in one frame: a column of distinct values (IDs, names,
            # phone numbers) comes here for every row.
            try:
                return False, self.read(value, ctx)  # type: ignore[misc]
            except CellError as error:
                return False, error
            except (ValueError, TypeError, ArithmeticError, OverflowError):
                return False, CellError(f"อ่านค่า “{clip(clean_text(value), 40)}” ไม่ได้")
        try:
            return value is None, self.convert(value, ctx)
        except CellError as error:
            return value is None, error

    def _read(self, value: Any, ctx: Any) -> Any:
        assert self.read is not None
        try:
            return self.read(value, ctx)
        except CellError:
            raise
        except (ValueError, TypeError, ArithmeticError, OverflowError):
            raise CellError(f"อ่านค่า “{clip(clean_text(value), 40)}” ไม่ได้") from None

    def to_cell(self, value: Any, ctx: Any) -> Any:
        if self.fmt is not None:
            return self.fmt(value, ctx)
        return "" if value is None else value

    def show(self, value: Any, ctx: Any) -> str:
        if self.display is not None:
            return self.display(value, ctx)
        cell = self.to_cell(value, ctx)
        return "" if cell is None else str(cell)


def ignored(key: str, header: str, *aliases: str, **kwargs: Any) -> Column:
    """A column the importer accepts but does not read (e.g. ลำดับ, the informational name)."""
    return Column(key=key, header=header, aliases=aliases, read=None, **kwargs)


# Columns any kind may carry that are never imported: our own error column, running numbers.
COMMON_IGNORED = (
    ignored("_errors", "ข้อผิดพลาด", "ข้อผิดพลาดจากการตรวจสอบ"),
    ignored("_note", "หมายเหตุ"),
)


@dataclass
class HeaderGuess:
    """Where the header is and which file column feeds which field."""

    row_number: int  # last header row (1-based); data starts on the next row
    headers: list[str]  # header text per file column, as shown to the user
    mapping: dict[int, str]  # file column index → column key
    score: int = 0
    depth: int = 1


@dataclass
class Spec:
    """The columns of one sheet kind and the header-matching table built from them."""

    columns: tuple[Column, ...]
    _lookup: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for column in (*self.columns, *COMMON_IGNORED):
            for name in (column.header, *column.aliases):
                for key in header_keys(name):
                    self._lookup.setdefault(key, column.key)
        self.by_key = {c.key: c for c in (*self.columns, *COMMON_IGNORED)}

    def match(self, text: Any) -> str | None:
        for key in header_keys(text):
            found = self._lookup.get(key)
            if found:
                return found
        return None

    def suggest(self, text: Any) -> str | None:
        """A likely field for a header that matches no name exactly ("ตำแหน่งงาน" → ตำแหน่ง).

        Only a suggestion for the mapping page, which the user confirms; automatic detection
        uses exact names so that a file is never read into the wrong fields unseen.
        """
        found = self.match(text)
        if found:
            return None if found.startswith("_") else found
        key = norm_key(text)
        if len(key) < 3:
            return None
        best, best_len = None, 0
        for name, column_key in self._lookup.items():
            if len(name) >= 3 and (name in key or key in name) and len(name) > best_len:
                if not self.by_key[column_key].informational:
                    best, best_len = column_key, len(name)
        return best

    @property
    def required_keys(self) -> list[str]:
        return [c.key for c in self.columns if c.required]

    @property
    def importable(self) -> list[Column]:
        return [c for c in self.columns if not c.informational]

    def detect_header(self, first_rows: list[tuple[int, tuple]]) -> HeaderGuess:
        """Find the header among the first rows: one row, or two rows of a merged block.

        Title rows above the header, merged cells (only the top-left cell carries text when a
        file is read in streaming mode) and two-row headers such as "อ.1" over "นักเรียน" and
        "ห้องเรียน" are all common in files offices download from other systems.
        """
        best: HeaderGuess | None = None
        rows = [(n, tuple(_cell_text(c) for c in cells)) for n, cells in first_rows]
        for i, (number, cells) in enumerate(rows):
            candidates = [self._guess(number, [cells], depth=1)]
            if i + 1 < len(rows):
                next_number, next_cells = rows[i + 1]
                candidates.append(self._guess(next_number, [cells, next_cells], depth=2))
            for guess in candidates:
                if best is None or _better(guess, best, self.required_keys):
                    best = guess
        if best is None:
            return HeaderGuess(row_number=0, headers=[], mapping={}, score=0)
        return best

    def _guess(self, number: int, block: list[tuple[str, ...]], *, depth: int) -> HeaderGuess:
        width = max(len(r) for r in block)
        block = [tuple(r) + ("",) * (width - len(r)) for r in block]
        if depth == 2:
            top = _forward_fill(block[0], block[1])
            options = [
                [" ".join(p for p in (top[c], block[1][c]) if p) for c in range(width)],
                # Thai names the thing after what of it: "สถานศึกษา" over "รหัส | ชื่อ" are
                # "รหัสสถานศึกษา" and "ชื่อสถานศึกษา".
                [" ".join(p for p in (block[1][c], top[c]) if p) for c in range(width)],
                list(block[1]),
                list(block[0]),
            ]
        else:
            options = [list(block[0])]
        headers: list[str] = []
        mapping: dict[int, str] = {}
        used: set[str] = set()
        for c in range(width):
            chosen = next((opt[c] for opt in options if opt[c]), "")
            for opt in options:
                key = self.match(opt[c]) if opt[c] else None
                if key and key not in used:
                    chosen = opt[c]
                    mapping[c] = key
                    used.add(key)
                    break
            headers.append(chosen)
        while headers and not headers[-1]:
            headers.pop()
        score = sum(1 for k in used if not k.startswith("_"))
        return HeaderGuess(
            row_number=number, headers=headers, mapping=mapping, score=score, depth=depth
        )


def _better(guess: HeaderGuess, best: HeaderGuess, required: list[str]) -> bool:
    def rank(g: HeaderGuess) -> tuple:
        found_required = sum(1 for k in required if k in g.mapping.values())
        return (found_required, g.score, -g.depth)

    return rank(guess) > rank(best)


def _forward_fill(top: tuple[str, ...], below: tuple[str, ...]) -> list[str]:
    """Spread a horizontally merged top cell over the columns whose lower cell has text."""
    filled: list[str] = []
    last = ""
    for c, text in enumerate(top):
        if text:
            last = text
            filled.append(text)
        elif below[c] and last:
            filled.append(last)
        else:
            last = "" if not below[c] else last
            filled.append("")
    return filled


def _cell_text(value: Any) -> str:
    if value is None or value is FORMULA:
        return ""
    text = clean_text(value)
    return text[:200]  # a key compared with keys cut the same way, not shown


# ---------------------------------------------------------------------------- registry

KINDS = ("schools", "personnel", "enrolment", "results", "assessment")


def get_importer(kind: str):
    """The importer object for a sheet kind ("schools", "personnel", "enrolment", "results")."""
    if kind == "schools":
        from .schools import IMPORTER
    elif kind == "personnel":
        from .personnel import IMPORTER
    elif kind == "enrolment":
        from .enrolment import IMPORTER
    elif kind == "results":
        from .results import IMPORTER
    elif kind == "assessment":
        from .assessment import IMPORTER
    else:
        raise KeyError(kind)
    return IMPORTER


def importer_for(batch):
    """The importer of a batch's kind, with what that batch is for (an assessment round's
    items as its columns): every page and task that reads or writes a batch uses this one."""
    return get_importer(batch.kind).for_batch(batch)
