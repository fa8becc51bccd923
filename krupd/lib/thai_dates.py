"""Buddhist Era dates, Thai month names, fiscal and academic years.

Dates are stored in the Common Era; people read and type the Buddhist Era
(BE = CE + 543). Input may use either era, Thai or Arabic digits, Thai month
names or abbreviations, and the separators offices actually use.
"""

import calendar
import datetime as dt
import re

from .numerals import clean_text, to_thai_digits

BE_OFFSET = 543

MONTHS_LONG = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]  # fmt: skip
MONTHS_SHORT = [
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
]  # fmt: skip
# Monday first, as date.weekday() counts.
THAI_WEEKDAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")

# Month names as people type them: full, abbreviated with and without dots ("15 มี.ค. 30",
# "15 มีค 2530", "15 มีนาคม 2530"), spoken short forms ("15 มีนา 30"), and English ones that
# systems with an English locale export ("15 Mar 1987", "15-Mar-87").
MONTHS_SPOKEN = [
    "มกรา", "กุมภา", "มีนา", "เมษา", "พฤษภา", "มิถุนา",
    "กรกฎา", "สิงหา", "กันยา", "ตุลา", "พฤศจิกา", "ธันวา",
]  # fmt: skip
MONTHS_ENGLISH = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_MONTH_LOOKUP: dict[str, int] = {}
for _i, (_long, _short, _spoken, _english) in enumerate(
    zip(MONTHS_LONG, MONTHS_SHORT, MONTHS_SPOKEN, MONTHS_ENGLISH, strict=True), start=1
):
    _MONTH_LOOKUP[_long] = _i
    _MONTH_LOOKUP[_short] = _i
    _MONTH_LOOKUP[_short.replace(".", "")] = _i
    _MONTH_LOOKUP[_spoken] = _i
    _MONTH_LOOKUP[_english] = _i
    _MONTH_LOOKUP[_english[:3]] = _i
_MONTH_LOOKUP["sept"] = 9

_NUMERIC = re.compile(r"^(\d{1,4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,4})$")
# "1 ม.ค. 2568", "1-ม.ค.-68" (Excel's d-mmm-yy in a Thai locale), "1 มกราคม พ.ศ. 2568".
_WORDED = re.compile(
    r"^(\d{1,2})\s*[-/]?\s*([ก-๙.]+|[a-z]+\.?)\s*[-/,]?\s*(?:[พค]\.?\s*ศ\.?)?\s*(\d{2,4})$",
    re.IGNORECASE,
)
# What may come around a date without changing it: "วันที่ 1 มกราคม 2568" (or "วันพุธที่ …"
# as letters date themselves), and the time of day a system exports after it
# ("2025-01-01 00:00:00", "1/1/2568 8:30 น.").
# "ณ วันที่ …" opens a date in a report's heading.
_DAY_WORD = re.compile(rf"^(?:ณ\s*)?วัน(?:(?:{'|'.join((*THAI_WEEKDAYS, 'พฤหัส'))})\s*)?(?:ที่)?\s*")
# An official letter names the month and the year: "วันที่ ๑๕ เดือนมีนาคม พ.ศ. ๒๕๓๐", also
# "… เดือน มีนาคม ปี ๒๕๓๐". The words say what comes next and are dropped.
_MONTH_AND_YEAR_WORDS = re.compile(r"(?:(?<=\d)|(?<=\s))เดือน\s*|(?:(?<=[ก-๙.])|(?<=\s))ปี\s*(?=\d)")
# The time a system exports after a date, 24-hour or with AM/PM as an English-locale
# system or a Google Form writes it ("15/3/2530 8:30:00 AM").
_TIME_OF_DAY = re.compile(
    r"(?:[\sTt]+(?:เวลา\s*)?\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?"
    r"\s*(?:น\.?|[AaPp]\.?\s*[Mm]\.?)?)$"
)
_AFTER_DATE = re.compile(r"(?:\s*\([^()]*\))?(?<=[\d)])\s*\.?$|(?<=\d)\.$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")  # 25680101 or 20250101, as some systems export

# Excel stores dates as days since 1899-12-30 (accounting for its 1900 leap-year bug).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


# The CE years a typed date may fall in, whichever era it is written in: BE 2443–2743. A BE
# year of 2400 (CE 1857) or 9999 (CE 9456) is a slip of the keyboard, never a birth or a
# training day; so is a CE year past 2200, where 2300 is neither era.
FIRST_YEAR, LAST_YEAR = 1900, 2200


class ThaiDateError(ValueError):
    """The text is not a date; the message is Thai and safe to show to the person who typed it."""


def _full_year(year: int, *, two_digit_era_be: bool = True) -> int:
    """Turn a written year (BE or CE, maybe two digits) into a CE year.

    Years >= 2400 are Buddhist Era. Two-digit years are BE (Thai paperwork writes "30" for 2530).
    """
    if year < 100:
        year += 2500 if two_digit_era_be else 1900
        if year > dt.date.today().year + BE_OFFSET + 10:
            year -= 100
    if year >= 2400:
        if not FIRST_YEAR <= year - BE_OFFSET <= LAST_YEAR:
            raise ThaiDateError(
                f"ปี พ.ศ. {year} อยู่นอกช่วงที่ใช้ได้ "
                f"(พ.ศ. {FIRST_YEAR + BE_OFFSET}–{LAST_YEAR + BE_OFFSET})"
            )
        return year - BE_OFFSET
    if FIRST_YEAR <= year <= LAST_YEAR:
        return year
    raise ThaiDateError(f"ปี {year} ไม่ใช่ปี พ.ศ. หรือ ค.ศ. ที่ใช้ได้")


# The words a year is written after ("ปีการศึกษา ๒๕๖๘", "ปีงบประมาณ พ.ศ. 2569", "พ.ศ. 2568").
_YEAR_WORDS = re.compile(r"^(?:ปีการศึกษา|ปีงบประมาณ|ปีงบ|ปี)?\s*(?:พ\.?\s*ศ\.?)?\s*(?=\d)")


def without_year_words(text: str) -> str:
    """A typed year without the words written before it: "ปีการศึกษา ๒๕๖๘" → "2568" (Thai
    digits as Arabic); other text is returned cleaned, as it was."""
    cleaned = clean_text(text)
    return _YEAR_WORDS.sub("", cleaned)


def be_year_typed(year: int) -> int:
    """The BE year meant by a year typed into a BE year field, read like a date's year: BE
    as typed (2569), a CE year converted (2026 → 2569), two digits as BE (69 → 2569).
    Anything else raises ThaiDateError (a Thai message)."""
    return _full_year(year) + BE_OFFSET


# The academic year a sheet's title names: "ข้อมูลนักเรียน ปีการศึกษา ๒๕๖๘ ภาคเรียนที่ ๑",
# "ผลการทดสอบ O-NET ปีการศึกษา พ.ศ. 2567"; a range ("ปีการศึกษา 2566–2567") names both.
# "ปีการศึกษา 2567/1" is its first term, "2567/2568" two years.
_TITLE_YEAR = re.compile(r"ปีการศึกษา\s*(?:พ\.?\s*ศ\.?\s*)?(\d{1,5})(?:\s*[-–—/]\s*(\d{2,5}))?(?!\d)")


def academic_year_in_title(cells) -> int | None:
    """The one academic year (BE) that a sheet's title lines name, for a sheet that says its
    year once above the table instead of in a column (as a DMC export does). None when they
    name none, or more than one (a range, or two titles of two years): a year is never
    guessed. Only text cells are titles; a number is a value, not a heading."""
    years: set[int] = set()
    for cell in cells:
        if not isinstance(cell, str) or "ปีการศึกษา" not in cell:
            continue
        for match in _TITLE_YEAR.finditer(clean_text(cell)):
            for written in match.groups():
                if written is None:
                    continue
                if len(written) not in (2, 4):  # "ปีการศึกษา 1": not a year
                    return None
                try:
                    years.add(be_year_typed(int(written)))
                except ThaiDateError:
                    return None
    return years.pop() if len(years) == 1 else None


# The day a sheet's title says its figures are of: "ข้อมูลบุคลากร ณ วันที่ 10 มิถุนายน 2569",
# "ข้อมูล ณ 10 มิ.ย. 69", "ข้อมูลนักเรียน ณ วันที่ ๑๐/๐๖/๒๕๖๘", "วันนับข้อมูล 10 มิ.ย. 2568".
# The words before it say it is the data's day, not the day the sheet was printed or signed.
_TITLE_DAY = re.compile(
    r"(?:ณ|วันที่นับข้อมูล|วันนับข้อมูล)\s*(?:วันที่\s*)?"
    r"(\d{1,2}(?:\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}"
    r"|\s*[-/]?\s*(?:เดือน\s*)?[ก-๙.]+\s*(?:[พค]\.?\s*ศ\.?\s*)?(?:ปี\s*)?\d{2,4}))(?!\d)"
)


def date_in_title(cells) -> dt.date | None:
    """The one day a sheet's title lines say its figures are of ("ข้อมูล ณ วันที่ 10 มิถุนายน
    2569"), read by parse_thai_date; None when they name none, a day that is no date, or two
    different days: a day is never guessed. Only text cells are titles."""
    days: set[dt.date] = set()
    for cell in cells:
        if not isinstance(cell, str):
            continue
        for match in _TITLE_DAY.finditer(clean_text(cell)):
            try:
                day = parse_thai_date(match.group(1))
            except (ThaiDateError, ValueError, OverflowError):
                return None
            if day is not None:
                days.add(day)
    return days.pop() if len(days) == 1 else None


def _make(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        message = f"ไม่มีวันที่ {day} เดือน {month} ปี พ.ศ. {year + BE_OFFSET}"
        if month > 12 and 1 <= day <= 12:
            # "3/15/1987": month first, as a system set to English writes dates.
            message += (
                f" (อ่านแบบ วัน/เดือน/ปี ถ้าเขียนเดือนก่อนวัน ให้สลับเป็น {month}/{day}/{year + BE_OFFSET})"
            )
        raise ThaiDateError(message) from None


# A time of day as people write it: "21.00", "21:00", "21.00 น.", "๒๑.๐๐", "21" (the hour
# alone), "9:05:30" (seconds, as a Google Form's time stamp has them), "1:05:00 PM" or
# "1.05 p.m." (an English-locale system), "เวลา 08.30 น.".
_CLOCK = re.compile(
    r"(?:เวลา\s*)?(\d{1,2})(?:\s*[:.]\s*(\d{2})(?:\s*[:.]\s*(\d{2}))?)?"
    r"\s*(?:([AaPp])\.?\s*[Mm]\.?)?\s*(?:น\s*\.?)?"
)
# Where such a time begins after a date in the same cell ("12/7/2569, 10:15:30",
# "2026-07-12T09:00:00").
TIME_AFTER_DATE = re.compile(
    r"(?:[\s,]+|(?<=\d)[Tt])(?:เวลา\s*)?\d{1,2}\s*[:.]\s*\d{2}(?:\s*[:.]\s*\d{2})?"
    r"\s*(?:[AaPp]\.?\s*[Mm]\.?)?\s*(?:น\s*\.?)?\s*$"
)


def parse_time_of_day(value: object) -> dt.time | None:
    """A time of day as people write it (Thai or Arabic digits, a dot or a colon, "น.",
    seconds, AM/PM): blank → None; anything else that is no time of day → ThaiDateError
    (its message Thai). With AM/PM, 12 AM is midnight and 1–11 PM the afternoon."""
    text = clean_text(value)
    if not text:
        return None
    found = _CLOCK.fullmatch(text)
    if found is None:
        raise ThaiDateError(f"“{text[:20]}” ไม่ใช่เวลา")
    hour, minute, second = (int(g or 0) for g in found.group(1, 2, 3))
    meridiem = (found.group(4) or "").lower()
    if meridiem == "p" and hour < 12:
        hour += 12
    elif meridiem == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        raise ThaiDateError(f"“{text[:20]}” ไม่ใช่เวลา (ชั่วโมง 0–23 นาที 0–59)")
    return dt.time(hour, minute, second)


def parse_thai_date(value: object) -> dt.date | None:
    """Read a date the way Thai offices write it. Empty → None; unreadable → ThaiDateError.

    Accepts date/datetime objects, Excel serial numbers, d/m/y (BE or CE), y-m-d (ISO, BE or CE),
    and "d month y" with full or abbreviated Thai month names.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        # Spreadsheets typed in BE but stored as dates end up centuries ahead.
        return _make(_full_year(value.year), value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            day = _EXCEL_EPOCH + dt.timedelta(days=int(value))
            return _make(_full_year(day.year), day.month, day.day)
        raise ThaiDateError("ตัวเลขนี้ไม่ใช่วันที่")
    text = clean_text(value)
    if not text or text in {"-", "–"}:
        return None
    typed = text  # as the refusal quotes it
    text = text.replace("พ.ศ.", "").replace("พศ", "").strip()
    text = _TIME_OF_DAY.sub("", _DAY_WORD.sub("", text)).strip()
    if "เดือน" in text or "ปี" in text:
        text = _MONTH_AND_YEAR_WORDS.sub(" ", text).strip()
    # What may follow a date in a letter or a list: the weekday in brackets, a full stop.
    text = _AFTER_DATE.sub("", text)
    match = _COMPACT.match(text)
    if match and int(match.group(1)) >= 1900:
        return _make(_full_year(int(match.group(1))), int(match.group(2)), int(match.group(3)))
    match = _NUMERIC.match(text)
    if match:
        a, b, c = (int(g) for g in match.groups())
        if len(match.group(1)) == 4:  # year first: 2530-03-15
            return _make(_full_year(a), b, c)
        return _make(_full_year(c), b, a)
    match = _WORDED.match(text)
    if match:
        day, month_name, year = match.groups()
        month = _MONTH_LOOKUP.get(month_name) or _MONTH_LOOKUP.get(month_name.replace(".", ""))
        english = month_name.isascii()
        if month is None and english:
            month = _MONTH_LOOKUP.get(month_name.lower().rstrip("."))
        if month is None:
            raise ThaiDateError(f"ไม่รู้จักชื่อเดือน “{month_name}”")
        # "15-Mar-87" comes from an English-locale system: its two-digit year is CE.
        return _make(_full_year(int(year), two_digit_era_be=not english), month, int(day))
    match = _ENGLISH_MONTH_FIRST.match(text)
    if match and (month := _MONTH_LOOKUP.get(match.group(1).lower().rstrip("."))):
        # The month's name says which number is the day: no order to guess, unlike 3/10/2024.
        day, year = match.group(2), match.group(3)
        return _make(_full_year(int(year), two_digit_era_be=False), month, int(day))
    raise ThaiDateError(_partial_date_message(text, typed) or _unreadable_message(typed))


# An English-locale system's or a Google Sheet's date, the month named first: "Oct 1, 2024",
# "October 1, 2024", "Tuesday, October 1, 2024", "Sep. 30 24".
_ENGLISH_MONTH_FIRST = re.compile(
    r"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?([a-z]+\.?)\s*(\d{1,2})(?:st|nd|rd|th)?"
    r"(?:\s*,\s*|\s+)(\d{2}|\d{4})$",
    re.IGNORECASE,
)
# A month and a year without the day ("มิถุนายน 2555", "มิ.ย. 55"), as a register of
# appointments often writes them; a year alone ("2530").
_MONTH_YEAR = re.compile(
    r"^([ก-๙.]+|[a-z]+\.?)\s*[-/,]?\s*(?:[พค]\.?\s*ศ\.?)?\s*(\d{2}|\d{4})$", re.IGNORECASE
)
_YEAR_ONLY = re.compile(r"^(?:ปี\s*)?(?:[พค]\.?\s*ศ\.?)?\s*(\d{4})$")


def _unreadable_message(typed: str) -> str:
    return f"อ่านวันที่ “{typed}” ไม่ได้ (ใช้รูปแบบ วว/ดด/ปปปป เช่น 15/03/2530)"


def _partial_date_message(text: str, typed: str) -> str | None:
    """Why a date with its day (or its day and month) left out cannot be read: the day is
    not guessed, the message says what to add."""
    year_only = _YEAR_ONLY.match(text)
    if year_only and 1900 <= int(year_only.group(1)) <= LAST_YEAR + BE_OFFSET:
        year = _be_example(year_only.group(1))
        return f"“{typed}” มีแต่ปี ไม่มีวันและเดือน กรุณากรอกให้ครบ วว/ดด/ปปปป (เช่น 15/03/{year})"
    month_year = _MONTH_YEAR.match(text)
    if month_year:
        name = month_year.group(1)
        month = _MONTH_LOOKUP.get(name) or _MONTH_LOOKUP.get(name.replace(".", ""))
        month = month or _MONTH_LOOKUP.get(name.lower().rstrip("."))
        if month:
            return (
                f"“{typed}” มีแต่เดือนและปี ไม่มีวันที่ กรุณากรอกวันที่ให้ครบ "
                f"(เช่น 1 {MONTHS_LONG[month - 1]} {_be_example(month_year.group(2))})"
            )
    return None


def _be_example(year: str) -> str:
    """The typed year as an example shows it: in BE (a CE year 1987 as 2530)."""
    return str(int(year) + BE_OFFSET) if len(year) == 4 and int(year) < 2400 else year


def be_year(date: dt.date) -> int:
    return date.year + BE_OFFSET


def year_label(year: int | None, *, thai_digits: bool = False) -> str:
    """A BE year as text, never grouped like a quantity ("2570", not "2,570"): every page and
    document that prints a year in a table passes it through here first."""
    if year is None or year == "":
        return ""
    text = str(int(year))
    return to_thai_digits(text) if thai_digits else text


def format_thai_date(
    date: dt.date | None, *, style: str = "short", thai_digits: bool = False
) -> str:
    """Render a date in BE: short "15/03/2530", medium "15 มี.ค. 2530", long "15 มีนาคม 2530"."""
    if date is None:
        return ""
    if isinstance(date, dt.datetime):
        # A stored moment is shown as the day it was in Thailand (from 17:00 UTC that is
        # already the next day), never as its UTC date.
        if date.tzinfo is not None:
            from django.utils import timezone

            date = timezone.localtime(date)
        date = date.date()
    year = be_year(date)
    if style == "long":
        text = f"{date.day} {MONTHS_LONG[date.month - 1]} {year}"
    elif style == "medium":
        text = f"{date.day} {MONTHS_SHORT[date.month - 1]} {year}"
    else:
        text = f"{date.day:02d}/{date.month:02d}/{year}"
    return to_thai_digits(text) if thai_digits else text


def fiscal_year(date: dt.date) -> int:
    """BE fiscal year a date falls in: FY2569 runs 1 Oct 2568 – 30 Sep 2569."""
    return be_year(date) + (1 if date.month >= 10 else 0)


# A record about a fiscal year (a report, a summary, an agreement) is about a year near
# today: some back (one written late, or filled in from older files), the current one, and
# the next (prepared ahead). A year beyond, typed into an address or a form (?fy=2600), is a
# typo or a doctored link, never a year to write for.
FISCAL_YEARS_BACK, FISCAL_YEARS_AHEAD = 10, 1


def fiscal_year_refusal(
    year: int, *, current: int, back: int = FISCAL_YEARS_BACK, ahead: int = FISCAL_YEARS_AHEAD
) -> str:
    """Why nothing may be written about fiscal `year` while `current` is the current one, in
    Thai ("" when it may be)."""
    low, high = current - back, current + ahead
    if low <= year <= high:
        return ""
    return f"ปีงบประมาณ {year} อยู่นอกช่วงที่บันทึกข้อมูลได้ (ปีงบประมาณ {low}–{high})"


def fiscal_year_start(fy_be: int) -> dt.date:
    return dt.date(fy_be - BE_OFFSET - 1, 10, 1)


def fiscal_year_end(fy_be: int) -> dt.date:
    return dt.date(fy_be - BE_OFFSET, 9, 30)


HALF_YEAR_ROUNDS = {1: "รอบ 6 เดือนแรก", 2: "รอบ 6 เดือนหลัง"}


def fiscal_half(fy_be: int, round_number: int) -> tuple[dt.date, dt.date]:
    """First and last day of a half-year reporting round of a fiscal year, as the SAR reports
    its work: round 1 = 1 Oct – 31 Mar, round 2 = 1 Apr – 30 Sep."""
    year = fy_be - BE_OFFSET
    if round_number == 1:
        return dt.date(year - 1, 10, 1), dt.date(year, 3, 31)
    return dt.date(year, 4, 1), dt.date(year, 9, 30)


def period_label(start: dt.date, end: dt.date, *, thai_digits: bool = False) -> str:
    """ "1 ต.ค. 2568 – 31 มี.ค. 2569": a date range as reports print it (one day: that day)."""
    first = format_thai_date(start, style="medium", thai_digits=thai_digits)
    if end == start:
        return first
    return f"{first} – {format_thai_date(end, style='medium', thai_digits=thai_digits)}"


def academic_year(date: dt.date, *, term_one_opens: tuple[int, int] = (5, 16)) -> int:
    """BE academic year: a year opens with term 1 (16 May by default) and runs until the next."""
    opens = dt.date(date.year, *term_one_opens)
    return be_year(date) if date >= opens else be_year(date) - 1


def academic_year_span(
    year_be: int, *, term_one_opens: tuple[int, int] = (5, 16)
) -> tuple[dt.date, dt.date]:
    """First and last day of BE academic year `year_be`, as academic_year reads them."""
    first = dt.date(year_be - BE_OFFSET, *term_one_opens)
    return first, first.replace(year=first.year + 1) - dt.timedelta(days=1)


def academic_years_of_fiscal_year(
    fy_be: int, *, term_one_opens: tuple[int, int] = (5, 16)
) -> tuple[int, ...]:
    """The BE academic years a fiscal year overlaps, oldest first: FY2569 (1 Oct 2568 –
    30 Sep 2569) holds the end of academic year 2568 and the start of 2569."""
    first = academic_year(fiscal_year_start(fy_be), term_one_opens=term_one_opens)
    last = academic_year(fiscal_year_end(fy_be), term_one_opens=term_one_opens)
    return tuple(range(first, last + 1))


def reaches_age_on(birth_date: dt.date, age: int) -> dt.date:
    """The day a person completes `age` whole years, as Thai law counts age: the day before
    the birthday's anniversary (age counts from the day of birth, that day included; cabinet
    resolution นร 0205/ว 42, 13 Mar 2538). Born 1 Oct 1966 → 30 Sep 2026; born 29 Feb 1964 →
    28 Feb 2024 (a leap year: its anniversary is 29 Feb) and 28 Feb 2025 (1 Mar − 1 day)."""
    return _birthday_in(birth_date, birth_date.year + age) - dt.timedelta(days=1)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` calendar years earlier (29 Feb → 28 Feb in a year without one):
    someone who started on or before it has served `years` whole years on `day`."""
    year = day.year - years
    return dt.date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def retirement_date(birth_date: dt.date, *, retirement_age: int = 60) -> dt.date:
    """End of the fiscal year (30 Sep) in which the person completes the retirement age.

    Someone born on 1 October completes 60 years on 30 September, the last day of a fiscal
    year, and retires that day; someone born on 2 October completes them on 1 October and
    serves one more year (the civil-service pension act, section 19, read with the age rule
    of reaches_age_on).
    """
    return fiscal_year_end(fiscal_year(reaches_age_on(birth_date, retirement_age)))


def first_birth_date_in_service(day: dt.date, *, retirement_age: int = 60) -> dt.date:
    """The earliest birth date whose retirement day (retirement_date) is not before `day`:
    those born earlier had retired by then. Their age is completed from 1 Oct of the fiscal
    year of `day`, so they were born from 2 Oct `retirement_age` years before it."""
    start = fiscal_year_start(fiscal_year(day)) + dt.timedelta(days=1)
    return start.replace(year=start.year - retirement_age)


def _birthday_in(birth_date: dt.date, year: int) -> dt.date:
    """The anniversary of a birth date in `year`; a 29 February birthday falls on 1 March in
    a year without one."""
    if birth_date.month == 2 and birth_date.day == 29:
        return dt.date(year, 3, 1) if not _is_leap(year) else dt.date(year, 2, 29)
    return birth_date.replace(year=year)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
