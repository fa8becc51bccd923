"""Thai digits (๐–๙) on input and output.

Official documents often carry Thai digits; people paste them into forms and
spreadsheets. Input is normalised to Arabic digits; output can be rendered in
Thai digits on request.
"""

import re
from decimal import ROUND_HALF_UP, Context, Decimal

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
# Characters that take no room and mean nothing in Thai text, copied in from web pages, Word
# and PDFs: the zero-width space, non-joiner and joiner, the left-to-right and right-to-left
# marks, the word joiner and invisible operators, the soft hyphen, the directional embeddings
# and isolates, and the byte-order mark. Left in, a header "ชื่อ" with a joiner in it was
# "not found", and an ID or a name that looked right matched nothing.
INVISIBLE = (
    "\u00ad\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
# clean_text in one pass: Thai digits to Arabic, a non-breaking space to a space, the
# invisible characters dropped.
_CLEAN = {**_TO_ARABIC, 0x00A0: " ", **dict.fromkeys(map(ord, INVISIBLE))}
# Whether a text holds any of those: a search in C, where `translate` looks every character
# up in the mapping. Most cells hold none, and an import cleans a million of them.
_HAS_CLEANABLE = re.compile("[" + THAI_DIGITS + "\u00a0" + INVISIBLE + "]").search


def to_arabic_digits(text: str) -> str:
    """Replace every Thai digit with its Arabic digit; other characters are kept."""
    return text.translate(_TO_ARABIC)


def to_thai_digits(text: str) -> str:
    """Replace every Arabic digit with its Thai digit; other characters are kept."""
    return str(text).translate(_TO_THAI)


def is_ascii_digits(text: str) -> bool:
    """Whether `text` is one or more of the digits 0–9: a whole number or a code as typed,
    once Thai digits are made Arabic (clean_text, code_digits). ``str.isdigit()`` also passes
    a superscript "²", a circled "①" and the digits of other scripts, on which ``int()`` fails
    or which no code here is written in."""
    return text.isascii() and text.isdigit()


def clean_text(value: object) -> str:
    """Normalise a spreadsheet or form cell: Thai digits to Arabic, collapse whitespace.

    Non-breaking spaces and invisible characters (zero-width spaces, joiners, direction
    marks, soft hyphens) show up in data copied from Word and web pages.
    """
    if value is None:
        return ""
    text = value if value.__class__ is str else str(value)
    if _HAS_CLEANABLE(text):
        text = text.translate(_CLEAN)
    return " ".join(text.split())


# What people put between the digits of a code (a national ID, a school code) to read it:
# spaces, dots, the hyphen and the dashes and minus signs Word, PDFs and web pages turn it into
# ("3–1006–00445–63–5" copied from a letter), and the thousands commas of a cell Excel held as
# a formatted number ("3,100,600,445,635" in a CSV saved from it).
_CODE_SEPARATORS = re.compile(r"[\s.,\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")


def code_digits(value: object) -> str:
    """A code as typed, without the separators people write between its digits, Thai digits
    as Arabic; the result may still be no code (the caller checks length and digits)."""
    return _CODE_SEPARATORS.sub("", clean_text(value))


# A thousands comma: after a digit, before exactly three digits. Any other comma ("1,5" or
# "35.220,00", a decimal comma as a European-set computer writes it) is left in, so the number
# is refused rather than read ten or a thousand times too large.
_THOUSANDS_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def without_thousands_commas(text: str) -> str:
    """`text` without the commas that group thousands ("1,234,567.5" → "1234567.5"); other
    commas stay."""
    return _THOUSANDS_COMMA.sub("", text) if "," in text else text


# How Thai documents write an amount of money with its unit: "35,220 บาท", "35,220 บ.",
# "35,220 บาทถ้วน", "฿35,220", and "35,220.-" (whole baht, as a budget line or a cheque writes
# it), alone or together ("35,220.- บาท").
_BAHT_WORDS = ("บาทถ้วน", "บาท", "บ.", "บ")


def without_baht(text: str) -> str:
    """An amount as typed (cleaned), without the baht sign and words written with it; any
    other text is returned as it is, to be refused as no number."""
    text = text.strip().removeprefix("฿").strip()
    for word in _BAHT_WORDS:
        if text.endswith(word) and text[: -len(word)].strip():
            text = text[: -len(word)].strip()
            break
    text = text.removesuffix("฿").strip()
    for tail in (".-", "-"):
        if text.endswith(tail) and text[: -len(tail)].rstrip()[-1:].isdigit():
            return text[: -len(tail)].rstrip()
    return text


def parse_int(value: object) -> int | None:
    """Read an integer written with Thai or Arabic digits and optional thousands separators.

    Returns None for an empty cell; raises ValueError for anything that is not a whole number.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != int(value):
            raise ValueError("not a whole number")
        return int(value)
    text = without_thousands_commas(clean_text(value).replace(" ", ""))
    if not text:
        return None
    if text.endswith(".0"):
        text = text[:-2]
    if not (text.isascii() and text.lstrip("-").isdigit()):
        raise ValueError("not a whole number")
    return int(text)


def rounded(value: object, places: int = 2) -> Decimal:
    """A figure as a Thai report writes it: `places` decimals, a half rounded up (away from
    zero), on the written value (0.125 → 0.13, where float rounding gives 0.12). The one
    rounding of reported percentages, means and ratios; what a status or band compares."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        return number  # nothing to round (an infinite or undefined float)
    # Enough digits for the whole figure and its decimals: the default context's 28 would
    # refuse a 27-digit figure to 2 places.
    digits = Context(prec=max(28, number.adjusted() + places + 2))
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=digits)


def rounded_whole(value: object) -> int:
    """int(rounded(value, 0)): a whole score as reports round it (82.5 is 83). A float from 0
    to 2**52 is rounded without the Decimal (a page of scores rounds one a school): its
    written value (repr) has the same whole part, and a fraction of at least a half exactly
    when the float's own fraction (exact, x - floor x) is at least 0.5 (equal by test)."""
    if type(value) is float and 0 <= value < 2**52:
        whole = int(value)
        return whole + 1 if value - whole >= 0.5 else whole
    return int(rounded(value, 0))


def rounded_float(value: object, places: int = 2) -> float | None:
    """rounded() as a float, for a spreadsheet's number cell or a chart; None stays None."""
    return None if value is None else float(rounded(value, places))


def percent_of(part: object, whole: object, places: int = 2) -> Decimal | None:
    """part / whole × 100, rounded as reports round it; None when there is no whole (no data
    is never 0 %). Computed in decimal, so 29 of 100 is 29.00, not 28.999999999999996."""
    if not whole:
        return None
    return rounded(Decimal(str(part)) * 100 / Decimal(str(whole)), places)


def format_hours(value: object, *, thai_digits: bool = False) -> str:
    """Hours (or a percentage) as an office writes them: 12, 12.5, 1,234.5 — never 12.0.

    The one formatter for hours on pages, certificates, transcripts and exports.
    """
    if value is None or value == "":
        return ""
    number = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.1f}"
    return to_thai_digits(text) if thai_digits else text


def format_figure(value: object) -> str:
    """A weight, a full mark or a score as an office writes it: 40, 12.5, 0.25, 1,000 —
    never the stored column's 40.00 (as the pages' floatformat:-2 shows it)."""
    if value is None or value == "":
        return ""
    number = rounded(value, 2)
    return f"{number:,.0f}" if number == number.to_integral_value() else f"{number.normalize():,f}"


def format_percent(value: object, places: int = 2, *, thai_digits: bool = False) -> str:
    """A percentage as reports write it after "ร้อยละ": 75.00, 1,234.50 (half rounded up),
    "—" when there is nothing to show (no data is never printed as 0)."""
    if value is None or value == "":
        return "—"
    text = f"{rounded(value, places):,.{places}f}"
    return to_thai_digits(text) if thai_digits else text


def next_serial(numbers, prefix: str) -> int:
    """One more than the highest serial of the document numbers written `prefix` + digits
    (certificates: "2569/12/007"), 1 when there is none; others are left out. The highest,
    not a count: a number stays given when its record is deleted, so it is never given again."""
    serials = (n.removeprefix(prefix) for n in numbers if n.startswith(prefix))
    return 1 + max((int(s) for s in serials if s.isdigit()), default=0)


# ------------------------------------------------------------------ hours written as a time span
# How people write a length of time where a number of hours is asked for: as a clock shows it
# ("3:30"), in words ("3 ชั่วโมง 30 นาที", "๓ ชม. ๓๐ นาที", "2 ชั่วโมงครึ่ง") or in minutes alone
# ("90 นาที"). A number of hours with a point ("3.30", "3.30 ชม.") is not one of these: it is
# the decimal 3.3 hours, as it has always been read, and stays the caller's to read.
_HOUR_WORD = r"(?:ชั่วโมง|ชม\.?|hours?|hrs?\.?)"
_MINUTE_WORD = r"(?:นาที|minutes?|mins?\.?)"
_CLOCK_SPAN = re.compile(rf"^(\d{{1,3}})\s*:\s*(\d{{2}})\s*(?:{_HOUR_WORD})?$", re.IGNORECASE)
_WORDED_SPAN = re.compile(
    rf"^(?:(\d{{1,3}})\s*{_HOUR_WORD}\s*(ครึ่ง)?)?\s*(?:(\d{{1,4}})\s*{_MINUTE_WORD})?$",
    re.IGNORECASE,
)


class HoursError(ValueError):
    """A time span that cannot be recorded as hours; the message is Thai, names what was typed
    and says what to type instead."""


def hours_of_time_span(value: object, *, places: int = 1) -> Decimal | None:
    """Hours with decimals of a length of time written as a time span: "3:30" → 3.5,
    "3 ชั่วโมง 30 นาที" and "๓ ชม. ๓๐ นาที" → 3.5, "2 ชั่วโมงครึ่ง" → 2.5, "90 นาที" → 1.5.

    None when `value` is not written so (a number, "3.30", "3.30 ชม.", text that is no time):
    the caller reads it as it always did. Raises HoursError for a span that is one but cannot
    be kept: minutes of 60 or more after the hours ("3:75"), or minutes that are no whole
    number of the `places` decimals hours are kept to (20 minutes are 0.333… hours; hours kept
    to one decimal take minutes 6 at a time): the message says the figure to type, never a
    guess stored."""
    if not isinstance(value, str):
        return None
    text = clean_text(value)
    if not text:
        return None
    clock = _CLOCK_SPAN.match(text)
    if clock:
        hours, minutes, half = int(clock[1]), int(clock[2]), False
    else:
        worded = _WORDED_SPAN.match(text)
        # A span in words names minutes, or hours and a half; "3 ชั่วโมง" alone is a number
        # of hours with its unit, which the caller reads.
        if worded is None or (worded[3] is None and worded[2] is None):
            return None
        hours, minutes, half = int(worded[1] or 0), int(worded[3] or 0), bool(worded[2])
        if worded[1] is None:  # minutes alone: "90 นาที"
            hours, minutes = divmod(minutes, 60)
        elif half and worded[3] is not None:  # "2 ชั่วโมงครึ่ง 10 นาที": not one length of time
            raise HoursError(f"อ่านเวลา “{text}” ไม่ได้ (เขียนเช่น 2 ชั่วโมง 30 นาที หรือ 2.5)")
    if minutes >= 60:
        raise HoursError(f"“{text}”: นาทีต้องน้อยกว่า 60 (เขียนเช่น 3:30 หรือ 3 ชั่วโมง 30 นาที)")
    total = Decimal(hours * 60 + minutes + (30 if half else 0)) / 60
    quantum = Decimal(1).scaleb(-places)
    kept = total.quantize(quantum, rounding=ROUND_HALF_UP)
    if kept != total:
        step = 60 // 10**places if 60 % 10**places == 0 else None
        steps = f" หรือเวลาที่ลงตัวทีละ {step} นาที" if step else ""
        raise HoursError(
            f"“{text}” เท่ากับ {rounded(total, 3).normalize():f} ชั่วโมง ซึ่งบันทึกเป็นทศนิยม "
            f"{places} ตำแหน่งไม่ได้พอดี กรุณากรอกเป็นชั่วโมง เช่น {kept:f}{steps}"
        )
    return kept


# A number with a decimal comma, as a computer set to a European locale writes it ("12,5"):
# one or two digits after the comma group no thousands.
_DECIMAL_COMMA = re.compile(r"^(\d+),(\d{1,2})$")


def fraction_typed(value: object) -> Decimal | None:
    """The number of a cell or box typed with a fraction ("12.5", "๑๒.๕", "12,5", the number
    12.5), or None when it is a whole number or no number. For a figure kept in whole units
    (a test's score), to say that the half is what cannot be kept, not that no number was
    typed."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    else:
        text = without_thousands_commas(clean_text(value).replace(" ", ""))
        text = _DECIMAL_COMMA.sub(r"\1.\2", text)
        try:
            number = Decimal(text)
        except ArithmeticError:
            return None
    if not number.is_finite() or number == number.to_integral_value():
        return None
    return number
