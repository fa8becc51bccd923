"""Self-assessment answers of one assessment round, from a Google Forms responses sheet.

Offices run the yearly competency self-assessment in Google Forms: the responses sheet has a
time stamp ("ประทับเวลา"), the national ID, name and school columns, and one column per
question headed by the question's text, each item asked twice, "… [ระดับที่เป็นอยู่]" and
"… [ระดับที่คาดหวัง]" (a Forms grid writes "ระดับที่เป็นอยู่ [1.1 …]"). Question columns are
matched to the round's framework items by their wording (numbering, spaces, invisible
characters and the bracketed side ignored); what is not matched, the officer maps. People
are matched by national ID within the office. Each person's answers become their sent
self-assessment of the round, marked as imported, so the needs analysis (PNI) counts them.

A blank answer is not answered, never a zero. A form sent again: the latest time stamp
wins (actions._keep_latest). A person who already sent the form in the system keeps those
answers: the file's row is not imported, and the preview says so (their own answers, given
in the system, are not replaced by a copy the office holds).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from krupd.lib import thai_dates
from krupd.lib.clipping import clip
from krupd.lib.numerals import clean_text, to_arabic_digits
from registry.models import AuditAction

from ..readers import ImportFileError
from . import (
    CellError,
    Column,
    HeaderGuess,
    Spec,
    as_text,
    ignored,
    likert_level,
    norm_key,
    read_national_id,
)
from .base import CHANGED, NEW, UNCHANGED, Context, Existing, Importer, Outcome, Writer
from .personnel import NATIONAL_ID_ALIASES

CURRENT = "d"
EXPECTED = "i"
SIDE_LABELS = {CURRENT: "ระดับที่เป็นอยู่", EXPECTED: "ระดับที่คาดหวัง"}

# How forms name the two levels asked of each item (compared through norm_key).
SIDE_WORDS = {
    CURRENT: (
        "ระดับที่เป็นอยู่", "สภาพที่เป็นอยู่", "ระดับปัจจุบัน", "สภาพปัจจุบัน", "สภาพที่เป็นจริง",
        "ระดับที่เป็นจริง", "ที่เป็นอยู่", "ปัจจุบัน", "current", "d",
    ),
    EXPECTED: (
        "ระดับที่คาดหวัง", "สภาพที่คาดหวัง", "ระดับที่ควรจะเป็น", "สภาพที่ควรจะเป็น",
        "ระดับที่ต้องการ", "ที่คาดหวัง", "คาดหวัง", "ที่ควรจะเป็น", "expected", "i",
    ),
}  # fmt: skip
_SIDE_KEYS = sorted(
    ((norm_key(w), side) for side, words in SIDE_WORDS.items() for w in words),
    key=lambda pair: -len(pair[0]),
)
_BRACKETS = re.compile(r"\[([^\[\]]*)\]|\(([^()]*)\)")
# The numbering a question starts with: "1.1", "ข้อ 1.1", "1.1)", "๑.๑".
_NUMBERING = re.compile(r"^\s*(?:ข้อที่|ข้อ)?\s*(\d+(?:\s*\.\s*\d+)*)\s*[.)]?\s*")


def rating_key(side: str, competency_id: int) -> str:
    return f"{side}_{competency_id}"


def parse_rating_key(key: str) -> tuple[str, int] | None:
    side, _, number = key.partition("_")
    if side in SIDE_LABELS and number.isdigit():
        return side, int(number)
    return None


# ---------------------------------------------------------------------------- matching headers


@dataclass(frozen=True)
class Item:
    """A framework item as a question column is matched with it."""

    pk: int
    code: str
    name: str


def code_key(text: str) -> str:
    """An item's numbering as compared: Arabic digits, no spaces, no trailing dot."""
    return re.sub(r"\s+", "", to_arabic_digits(clean_text(text))).rstrip(".").lower()


def header_side(header: str) -> tuple[str | None, str]:
    """Which level a question column asks (current or expected) and the item's own text.

    "1.1 การใช้… [ระดับที่เป็นอยู่]" → ("d", "1.1 การใช้…"); a Forms grid "ระดับที่คาดหวัง
    [1.1 การใช้…]" → ("i", "1.1 การใช้…"); "1.1 การใช้… ระดับที่เป็นอยู่" → ("d", …)."""
    text = clean_text(header)
    parts = [
        (m.group(0), (m.group(1) or m.group(2) or "").strip()) for m in _BRACKETS.finditer(text)
    ]
    for whole, inner in parts:
        side = _side_of(inner)
        if side is not None:
            rest = text.replace(whole, " ", 1)
            return side, " ".join(rest.split())
    bare = " ".join(_BRACKETS.sub(" ", text).split())
    side = _side_of(bare)
    if side is not None and parts:  # the title names the level, the bracket the item
        return side, " ".join(inner for _whole, inner in parts)
    key = norm_key(bare)
    for word, side in _SIDE_KEYS:
        # Unbracketed, only a whole phrase ("… ระดับที่เป็นอยู่") says the level: an item's
        # own wording may end in "ปัจจุบัน" ("การใช้สื่อในยุคปัจจุบัน").
        if not word.startswith(_PHRASE_STARTS) or key == word:
            continue
        if key.endswith(word) or key.startswith(word):
            return side, _strip_side_words(bare, word)
    return None, text


_PHRASE_STARTS = (norm_key("ระดับ"), norm_key("สภาพ"))


def _side_of(text: str) -> str | None:
    key = norm_key(text)
    return next((side for word, side in _SIDE_KEYS if key == word), None)


def _strip_side_words(text: str, word: str) -> str:
    """The text without the side's words at its start or end ("… ระดับที่เป็นอยู่")."""
    for candidate in (w for words in SIDE_WORDS.values() for w in words):
        if norm_key(candidate) != word:
            continue
        stripped = re.sub(
            rf"^\s*{re.escape(candidate)}\s*[:\-–]?|[:\-–]?\s*{re.escape(candidate)}\s*$",
            "",
            text,
            flags=re.IGNORECASE,
        )
        if stripped != text:
            return stripped.strip()
    return text


def match_item(text: str, items: Iterable[Item]) -> Item | None:
    """The framework item a question's text names, tolerant of its numbering, spaces and
    invisible characters: the wording itself, else the numbering and a wording that contains
    or is contained in the item's, else a wording only one item contains, else the
    numbering alone when the question has no wording."""
    items = list(items)
    number_match = _NUMBERING.match(clean_text(text))
    number = code_key(number_match.group(1)) if number_match else ""
    wording = clean_text(text)[number_match.end() :] if number_match else clean_text(text)
    key = norm_key(wording)
    whole = norm_key(text)
    exact = [i for i in items if norm_key(i.name) in (key, whole)]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1 and number:
        coded = [i for i in exact if code_key(i.code) == number]
        return coded[0] if len(coded) == 1 else None
    by_code = [i for i in items if number and code_key(i.code) == number]
    if not key:
        return by_code[0] if len(by_code) == 1 else None
    close = [i for i in by_code if _contains(norm_key(i.name), key)]
    if len(close) == 1:
        return close[0]
    close = [i for i in items if _contains(norm_key(i.name), key)]
    return close[0] if len(close) == 1 else None


def _contains(name: str, key: str) -> bool:
    return len(key) >= 8 and len(name) >= 8 and (key in name or name in key)


def match_header(header: str, items: Iterable[Item]) -> str | None:
    """The field a question column feeds ("d_12": item 12's current level), or None."""
    side, text = header_side(header)
    if side is None:
        return None
    item = match_item(text, items)
    return rating_key(side, item.pk) if item else None


# ---------------------------------------------------------------------------- reading cells


def read_sent_at(value: Any, ctx: Context | None) -> str:
    """The form's time stamp as ISO text (compared to find a person's latest form):
    a date-time cell, or text such as "12/7/2569, 10:15:30" or "7/12/2026 10:15:30 AM".
    Which of a text date's first two numbers is the day is the column's (DAY_FIRST unless
    `date_order` found otherwise in ctx.extra["date_order"])."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time()).isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        date_part, time_part = value, None  # Excel's day number
    else:
        date_part, time_part = split_sent_at(as_text(value))
        order = (getattr(ctx, "extra", None) or {}).get("date_order", DAY_FIRST)
        parts = _DAY_AND_MONTH.match(date_part)
        if parts and order == MONTH_FIRST:
            date_part = f"{parts[3]}/{parts[1]}/{parts[4]}"
    try:
        date = thai_dates.parse_thai_date(date_part)
    except (ValueError, OverflowError, ArithmeticError):
        date = None
    if date is None:
        raise CellError(f"อ่านวันเวลาที่ส่งแบบฟอร์มไม่ได้ (ได้ “{clip(as_text(value), 30)}”)")
    try:
        moment = thai_dates.parse_time_of_day(time_part) or dt.time()
    except thai_dates.ThaiDateError:
        raise CellError(f"เวลาไม่ถูกต้อง (ได้ “{clip(as_text(value), 30)}”)") from None
    return dt.datetime.combine(date, moment).isoformat()


def split_sent_at(text: str) -> tuple[str, str]:
    """A time stamp's date and time of day as written: "12/7/2569, 10:15:30" → ("12/7/2569",
    "10:15:30"); "2026-07-12T09:00:00" → ("2026-07-12", "09:00:00"); no time → (text, "")."""
    text = clean_text(text)
    found = thai_dates.TIME_AFTER_DATE.search(text)
    if found is None:
        return text, ""
    return text[: found.start()].strip(" ,"), found.group(0).strip(" ,Tt")


# ---------------------------------------------------------------------------- day or month first

DAY_FIRST = "dmy"
MONTH_FIRST = "mdy"
ORDER_LABELS = {DAY_FIRST: "วัน/เดือน/ปี", MONTH_FIRST: "เดือน/วัน/ปี"}
# A date whose first two numbers may be either the day or the month: "7/12/2026", "7-12-2569".
_DAY_AND_MONTH = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})$")


@dataclass
class DateOrder:
    """How a time-stamp column writes its dates, read from every cell of it."""

    order: str  # DAY_FIRST or MONTH_FIRST
    evidence: tuple[int, str] | None  # (row, cell) that decided it; None when nothing did
    ambiguous: int  # cells that read either way


def date_order(cells: Iterable[tuple[int, Any]], header: str) -> DateOrder:
    """Day or month first, from the whole column: a first number over 12 anywhere says the
    day comes first (a Thai-locale Form's "13/7/2569"), a second one over 12 says the month
    does (an English-locale Form's "7/13/2026"); both in one column is no reading at all
    (ImportFileError naming the column); neither, the Thai Form's order, day first."""
    day_first = month_first = None
    ambiguous = 0
    for number, raw in cells:
        if not isinstance(raw, str):
            continue  # a date cell, a day number: no order to read
        parts = _DAY_AND_MONTH.match(split_sent_at(raw)[0])
        if parts is None:
            continue
        first, second = int(parts[1]), int(parts[3])
        if first > 12 and second <= 12 and day_first is None:
            day_first = (number, clip(clean_text(raw), 30))
        elif second > 12 and first <= 12 and month_first is None:
            month_first = (number, clip(clean_text(raw), 30))
        elif first <= 12 and second <= 12:
            ambiguous += 1
    if day_first and month_first:
        raise ImportFileError(
            f"คอลัมน์ “{header}” เขียนวันที่ปนกันสองแบบ: แถวที่ {day_first[0]:,} “{day_first[1]}” "
            f"ต้องเป็นวัน/เดือน/ปี แต่แถวที่ {month_first[0]:,} “{month_first[1]}” ต้องเป็นเดือน/วัน/ปี "
            "จึงอ่านวันที่ในคอลัมน์นี้ไม่ได้ (แก้ให้เป็นแบบเดียวกันทั้งคอลัมน์ แล้วอัปโหลดใหม่)"
        )
    if month_first:
        return DateOrder(MONTH_FIRST, month_first, ambiguous)
    return DateOrder(DAY_FIRST, day_first, ambiguous)


def date_order_note(found: DateOrder, header: str) -> list[dict]:
    """What the preview says of the reading used, where some cell could be read both ways."""
    if not found.ambiguous:
        return []
    label = ORDER_LABELS[found.order]
    if found.evidence is None:
        why = (
            f"ทุกแถวอ่านได้ทั้งสองแบบ จึงอ่านแบบ {label} ตามที่ Google Forms ภาษาไทยบันทึก "
            "(ถ้าไฟล์มาจาก Google Forms ที่ตั้งภาษาอังกฤษ เช่น 7/12/2026 คือ 12 กรกฎาคม "
            "ให้ตรวจวันที่ในรายการก่อนยืนยัน)"
        )
    else:
        row, cell = found.evidence
        why = f"ตามแถวที่ {row:,} “{cell}” ซึ่งอ่านได้แบบ {label} เท่านั้น"
    return [{"title": f"อ่านวันที่ในคอลัมน์ “{header}” แบบ {label}", "items": [why]}]


def scale_words(labels: list[str], scale_min: int) -> dict[str, int]:
    """A framework's own names of its levels ("น้อยที่สุด" … "มากที่สุด"), by norm_key."""
    return {norm_key(label): scale_min + i for i, label in enumerate(labels) if norm_key(label)}


def read_level(value: Any, ctx: Context) -> int:
    """A level on the round's framework scale: a number (Thai digits too), the framework's own
    names of its levels, or, on a 1–5 scale, the Likert words มากที่สุด … น้อยที่สุด (on
    another scale those words say no certain level)."""
    low, high, words = ctx.extra["scale"]
    five = low == 1 and high == 5
    if five or not isinstance(value, str) or re.match(r"^\s*\d", value):
        number = likert_level(value, words)
    else:
        number = words.get(norm_key(value))
    if number is None:
        raise CellError(
            f"อ่านระดับไม่ได้ (ได้ “{clip(as_text(value), 30)}”) ใช้ตัวเลข {low}–{high}"
            + (" หรือ มากที่สุด/มาก/ปานกลาง/น้อย/น้อยที่สุด" if five else "")
        )
    if not low <= number <= high:
        raise CellError(f"ระดับ {number} อยู่นอกมาตราส่วนของกรอบสมรรถนะ ({low}–{high})")
    return number


def _level_display(value, ctx) -> str:
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------- the needs survey

# The needs survey's questions, as a form asks them, by the field each feeds; a header is
# matched by containing one of these (through norm_key, numbering and notes in brackets
# left out), in this order: "หัวข้ออื่นที่ต้องการพัฒนา" is the typed topics, not the list.
NEEDS_QUESTIONS = {
    "free_topics": (
        "หัวข้ออื่น", "เรื่องอื่น", "หัวข้อการพัฒนาอื่น", "หัวข้อที่ต้องการพัฒนาเพิ่มเติม",
        "เรื่องที่ต้องการพัฒนาเพิ่มเติม", "อื่นๆที่ต้องการพัฒนา",
    ),
    "modes": (
        "รูปแบบการพัฒนา", "วิธีการพัฒนา", "รูปแบบที่ต้องการ", "รูปแบบการอบรม", "ช่องทางการพัฒนา",
        "วิธีการที่ต้องการ",
    ),
    "reasons": ("เหตุผล", "ความจำเป็นที่ต้องพัฒนา", "ความต้องการเพิ่มเติม"),
    "topics": (
        "หัวข้อที่ต้องการ", "หัวข้อการพัฒนา", "เรื่องที่ต้องการพัฒนา", "ต้องการพัฒนา",
        "ต้องการได้รับการพัฒนา", "หลักสูตรที่ต้องการ",
    ),
}  # fmt: skip
_NEEDS_KEYS = [(field, norm_key(p)) for field, phrases in NEEDS_QUESTIONS.items() for p in phrases]
NEEDS_FIELDS = ("topics", "free_topics", "modes", "reasons")
NEEDS_LABELS = {
    "topics": "หัวข้อที่ต้องการพัฒนา",
    "free_topics": "หัวข้ออื่นที่ต้องการพัฒนา",
    "modes": "รูปแบบการพัฒนาที่ต้องการ",
    "reasons": "เหตุผล/ความจำเป็นที่ต้องพัฒนา",
}
TOPIC_ROW = "topic_"  # a checkbox grid's row naming one topic: "topic_12"

# How forms name the development modes (planning.models.Mode), through norm_key.
MODE_WORDS = {
    "workshop": (
        "อบรมเชิงปฏิบัติการ", "อบรม", "การอบรม", "ฝึกอบรม", "การฝึกอบรม", "ประชุมเชิงปฏิบัติการ",
        "workshop",
    ),
    "online": (
        "อบรมออนไลน์", "ออนไลน์", "การอบรมออนไลน์", "เรียนออนไลน์", "e-Training", "eTraining",
        "e-Learning", "online", "ออนไลน์เรียนด้วยตนเอง",
    ),
    "coaching": (
        "การโค้ช/พี่เลี้ยง", "การโค้ช", "โค้ช", "coaching", "พี่เลี้ยง", "ระบบพี่เลี้ยง", "mentoring",
        "coaching and mentoring", "การโค้ชและพี่เลี้ยง",
    ),
    "plc": (
        "ชุมชนการเรียนรู้ทางวิชาชีพ (PLC)", "ชุมชนการเรียนรู้ทางวิชาชีพ", "PLC",
        "ชุมชนแห่งการเรียนรู้ทางวิชาชีพ",
    ),
    "study_visit": ("ศึกษาดูงาน", "การศึกษาดูงาน", "ดูงาน", "study visit"),
}  # fmt: skip
MODE_ORDER = tuple(MODE_WORDS)  # planning.models.Mode's order
MODE_SHOWN = ("อบรม", "อบรมออนไลน์ (e-Training)", "การโค้ช/พี่เลี้ยง", "PLC", "ศึกษาดูงาน")
_MODE_KEYS = {norm_key(w): mode for mode, words in MODE_WORDS.items() for w in words}
# A grid's own answers that say only whether the row is wanted.
_YES = {norm_key(w) for w in ("ต้องการ", "ต้องการพัฒนา", "ใช่", "เลือก", "✓", "✔", "yes")}
_NO = {norm_key(w) for w in ("ไม่ต้องการ", "ไม่ต้องการพัฒนา", "ไม่", "ไม่ใช่", "no")}
# The "other" answer of a checkbox list: "อื่นๆ: การสอนเด็กพิเศษ", "อื่น ๆ (โปรดระบุ) …".
_OTHER = re.compile(
    r"^(?:อื่น\s*ๆ|อื่น|other|others)\s*(?:\([^()]*\))?\s*[:：\-–]?\s*(?=\S)(.*)$", re.IGNORECASE
)
_NEEDS_PREFIX = re.compile(
    r"^\s*(?:ตอนที่\s*\d+\s*[:.\-–]?\s*)?(?:ข้อที่|ข้อ)?\s*(?:\d+(?:\s*\.\s*\d+)*\s*[.)]?\s+)?"
)
_GRID = re.compile(r"^(.*?)\s*\[([^\[\]]+)\]\s*$")
FREE_TOPICS_MOST = 10  # as the person's own form takes them (a line each)


def is_needs_key(key: str) -> bool:
    return key in NEEDS_FIELDS or key.startswith(TOPIC_ROW)


def needs_question(text: str) -> str | None:
    """The needs field a question's wording asks for ("topics", "free_topics", "modes",
    "reasons"), whatever its numbering ("ตอนที่ 2", "5."), spacing and notes in brackets."""
    key = norm_key(_PARENS_NOTE.sub(" ", _NEEDS_PREFIX.sub("", clean_text(text))))
    if not key:
        return None
    return next((field for field, phrase in _NEEDS_KEYS if phrase in key), None)


_PARENS_NOTE = re.compile(r"\([^()]*\)|（[^（）]*）")


def match_needs_header(header: str, topics: dict[str, int]) -> str | None:
    """The needs field a column feeds: a question's column ("topics", "modes", …), or a
    checkbox grid's row "คำถาม [หัวข้อ]" naming one of the topics (`topics`: norm_key of a
    name → its pk) under the topics or modes question ("topic_12"); None for neither."""
    text = clean_text(header)
    grid = _GRID.match(text)
    if grid:
        field = needs_question(grid[1])
        if field not in ("topics", "modes"):
            return None
        pk = topic_of(grid[2], topics)
        return f"{TOPIC_ROW}{pk}" if pk else None
    return needs_question(text)


def topic_of(text: str, topics: dict[str, int]) -> int | None:
    """The catalogue topic a choice names, numbering and spacing aside."""
    cleaned = clean_text(text)
    for candidate in (cleaned, _NUMBERING.sub("", cleaned, count=1)):
        pk = topics.get(norm_key(candidate))
        if pk:
            return pk
    return None


def mode_of(text: str) -> str | None:
    """The development mode a choice names: "อบรม", "e-Training", "PLC", "Coaching", also
    with a note in brackets ("อบรมออนไลน์ (e-Training)": the whole, else the note, else the
    rest)."""
    cleaned = clean_text(text)
    found = _MODE_KEYS.get(norm_key(cleaned))
    if found:
        return found
    inner = " ".join(m[1] or m[2] for m in _BRACKETS.finditer(cleaned))
    bare = _BRACKETS.sub(" ", cleaned)
    return _MODE_KEYS.get(norm_key(inner)) or _MODE_KEYS.get(norm_key(bare))


def checkbox_answers(text: str, known: Callable[[str], bool]) -> list[tuple[str, str]]:
    """A checkbox question's answers as Google Forms joins them in one cell ("A, B, อื่นๆ:
    C"): ("choice", text) for each, a choice whose own name holds ", " kept whole (`known`
    says which texts are choices), and ("other", text) for the typed "อื่นๆ: …" answer,
    which takes the rest of the cell up to the next choice (what is typed may hold ", ")."""
    parts = [p.strip() for p in clean_text(text).split(",")]
    answers: list[tuple[str, str]] = []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            joined = ", ".join(parts[i:j])
            if j - i > 1 and known(joined):
                answers.append(("choice", joined))
                i = j
                break
        else:
            other = _OTHER.match(parts[i])
            if other and not known(parts[i]):
                j = i + 1
                while j < len(parts) and not known(parts[j]):
                    j += 1
                typed = ", ".join([other[1].strip(), *parts[i + 1 : j]]).strip(" ,")
                if typed:
                    answers.append(("other", typed))
                i = j
            else:
                if parts[i]:
                    answers.append(("choice", parts[i]))
                i += 1
    return answers


def read_topics(value: Any, ctx: Context) -> dict:
    """The topics question's cell: the catalogue topics picked ("ids"), the typed ones
    ("free"), and what is neither ("unknown", warned by row_warnings and not imported)."""
    topics = ctx.extra["topics"]
    found: dict[str, list] = {"ids": [], "free": [], "unknown": []}
    for kind, text in checkbox_answers(as_text(value), lambda t: bool(topic_of(t, topics))):
        if kind == "other":
            found["free"].append(clip(text, 200))
        elif pk := topic_of(text, topics):
            found["ids"].append(pk)
        else:
            found["unknown"].append(text)
    return found


def read_modes(value: Any, ctx: Context) -> dict:
    """The modes question's cell: the modes picked, and the person's own ("other"): what is
    none of the choices, as Google Forms writes its "Other" answer (the typed text alone),
    or a typed "อื่นๆ: …" (the text after it). Both are kept with the response
    (Response.other_modes), as typed; they were warned and dropped. Text without "อื่นๆ:"
    ("unmatched") may also be a choice mistyped: the preview says it is kept as the
    person's own mode, by row and column."""
    found: dict[str, list] = {"modes": [], "other": [], "unmatched": []}
    for kind, text in checkbox_answers(as_text(value), lambda t: mode_of(t) is not None):
        mode = mode_of(text) if kind == "choice" else None
        if mode:
            found["modes"].append(mode)
        elif text.strip():
            found["other"].append(clip(text.strip(), 200))
            if kind == "choice":
                found["unmatched"].append(text)
    return found


def read_topic_row(value: Any, ctx: Context) -> dict:
    """A checkbox grid's row naming a topic: wanted unless it says no ("ไม่ต้องการ"); the
    modes it picks for it are the person's modes."""
    found: dict[str, Any] = {"want": False, "modes": [], "unknown": []}
    for kind, text in checkbox_answers(as_text(value), lambda t: mode_of(t) is not None):
        key = norm_key(text)
        mode = mode_of(text) if kind == "choice" else None
        if key in _NO:
            continue
        found["want"] = True
        if mode:
            found["modes"].append(mode)
        elif key not in _YES:
            found["unknown"].append(text if kind == "choice" else f"อื่นๆ: {text}")
    return found


def read_free_text(value: Any, ctx: Context) -> str:
    return as_text(value).strip()


def _needs_display(value, ctx) -> str:
    return value or ""


BASE_COLUMNS = (
    ignored("seq", "ลำดับ", "ลำดับที่", "ที่", "no", width=6),
    Column(
        "sent_at",
        "ประทับเวลา",
        aliases=("timestamp", "วันที่ส่ง", "เวลาที่ส่ง", "วันเวลาที่ตอบ", "วันเวลาที่ส่ง"),
        read=read_sent_at,
        blank=None,
        display=lambda v, ctx: v.replace("T", " ") if v else "",
        width=18,
        help="ใช้เลือกคำตอบล่าสุดของผู้ที่ส่งแบบฟอร์มซ้ำ",
    ),
    Column(
        "national_id",
        "เลขประจำตัวประชาชน",
        aliases=NATIONAL_ID_ALIASES,
        required=True,
        read=read_national_id,
        needs_value=True,
        width=17,
    ),
    ignored("title", "คำนำหน้า", "คำนำหน้าชื่อ", "คำนำหน้านาม", width=10),
    ignored(
        "full_name",
        "ชื่อ-นามสกุล",
        "ชื่อ - นามสกุล",
        "ชื่อ-สกุล",
        "ชื่อและนามสกุล",
        "ชื่อ นามสกุล",
        "ชื่อผู้ตอบ",
        "ชื่อผู้ประเมิน",
        "name",
        "full name",
        help="จับคู่บุคลากรด้วยเลขประจำตัวประชาชน",
    ),  # fmt: skip
    ignored("first_name", "ชื่อ", "ชื่อจริง", help="จับคู่บุคลากรด้วยเลขประจำตัวประชาชน"),
    ignored("last_name", "นามสกุล", "สกุล", help="จับคู่บุคลากรด้วยเลขประจำตัวประชาชน"),
    ignored("email", "อีเมล", "ที่อยู่อีเมล", "email address", "e-mail", "email", "อีเมล์"),
    ignored(
        "school_name",
        "สถานศึกษา",
        "โรงเรียน",
        "ชื่อโรงเรียน",
        "ชื่อสถานศึกษา",
        "สังกัด",
        help="ใช้สถานศึกษาตามทะเบียนบุคลากร",
    ),  # fmt: skip
    ignored("position", "ตำแหน่ง", help="ใช้ตำแหน่งตามทะเบียนบุคลากร"),
)

SPEC = Spec(BASE_COLUMNS)


class AssessmentImporter(Importer):
    kind = "assessment"
    label = "แบบประเมินสมรรถนะตนเอง"
    spec = SPEC
    key_field = "national_id"
    allowed_for_director = False
    warnings_title = "ข้อควรทราบ {count} รายการ"
    latest_by = "sent_at"
    whole_columns = ("sent_at",)

    def __init__(self, rnd=None) -> None:
        self.round = rnd
        self.items: list[Item] = []
        self.topics: dict[int, str] = {}
        if rnd is None:
            return
        from planning.models import Competency

        self.items = [
            Item(c.pk, c.code, c.name)
            for c in Competency.objects.filter(domain__framework_id=rnd.framework_id)
        ]
        columns = list(BASE_COLUMNS)
        for item in self.items:
            for side, label in SIDE_LABELS.items():
                columns.append(
                    Column(
                        rating_key(side, item.pk),
                        f"{item.code} {item.name} [{label}]",
                        read=read_level,
                        blank=None,
                        display=_level_display,
                        width=10,
                    )
                )
        from planning.models import Topic

        # The topics a person's own form offers: the office's topics in the survey.
        self.topics = dict(
            Topic.objects.filter(office_id=rnd.office_id, active=True).values_list("pk", "name")
        )
        columns += [
            Column("topics", NEEDS_LABELS["topics"], read=read_topics, blank=None, width=30),
            Column("free_topics", NEEDS_LABELS["free_topics"], read=read_free_text, blank=""),
            Column("modes", NEEDS_LABELS["modes"], read=read_modes, blank=None, width=24),
            Column("reasons", NEEDS_LABELS["reasons"], read=read_free_text, blank=""),
        ]
        for pk, name in self.topics.items():
            columns.append(
                Column(
                    f"{TOPIC_ROW}{pk}",
                    f"{NEEDS_LABELS['topics']} [{name}]",
                    read=read_topic_row,
                    blank=None,
                )
            )
        self.spec = Spec(tuple(columns))

    def for_batch(self, batch) -> AssessmentImporter:
        return AssessmentImporter(batch.round)

    def for_round(self, rnd) -> AssessmentImporter:
        return AssessmentImporter(rnd)

    # -- columns

    def complete_mapping(self, guess: HeaderGuess, office) -> None:
        """Question columns matched to the round's items by their wording, and the needs
        survey's columns by theirs (a grid's row "คำถาม [หัวข้อ]" by its topic)."""
        for index, key in list(guess.mapping.items()):
            if is_needs_key(key):  # by a name alone: a grid's row reads as its question
                del guess.mapping[index]
        used = set(guess.mapping.values())
        topics = {norm_key(name): pk for pk, name in self.topics.items()}
        for index, header in enumerate(guess.headers):
            if index in guess.mapping or not header:
                continue
            key = match_header(header, self.items)
            if key is None and header_side(header)[0] is None:
                key = match_needs_header(header, topics)
            if key and key not in used:
                guess.mapping[index] = key
                used.add(key)
                guess.score += 1

    def field_labels(self, office) -> dict[str, str]:
        labels = super().field_labels(office)
        for item in self.items:
            for side, label in SIDE_LABELS.items():
                labels[rating_key(side, item.pk)] = f"ข้อ {item.code} {item.name}: {label}"
        for key, label in NEEDS_LABELS.items():
            labels[key] = f"ความต้องการในการพัฒนา: {label}"
        for pk, name in self.topics.items():
            labels[f"{TOPIC_ROW}{pk}"] = f"ความต้องการในการพัฒนา: หัวข้อ “{name}” (ตารางตัวเลือก)"
        return labels

    def mapping_problems(self, mapped: Iterable[str]) -> list[str]:
        problems = super().mapping_problems(mapped)
        rated = [parsed for key in mapped if (parsed := parse_rating_key(key))]
        if not rated:
            problems.append(
                "ไม่พบคอลัมน์คำถามที่ตรงกับข้อของกรอบสมรรถนะในรอบนี้ "
                "(เลือกที่หน้าจับคู่คอลัมน์ว่าคอลัมน์ใดเป็นระดับที่เป็นอยู่หรือระดับที่คาดหวังของข้อใด)"
            )
        sides: dict[int, set[str]] = {}
        for side, pk in rated:
            sides.setdefault(pk, set()).add(side)
        for item in self.items:
            found = sides.get(item.pk)
            if found and len(found) == 1:
                missing = SIDE_LABELS[EXPECTED if CURRENT in found else CURRENT]
                problems.append(f"ข้อ {item.code} {clip(item.name, 60)}: ไม่พบคอลัมน์{missing}")
        return problems

    # -- the round, its people and their answers, loaded once

    def context(self, *, office, scope_school=None) -> Context:
        ctx = super().context(office=office, scope_school=scope_school)
        fw = self.round.framework
        ctx.extra["scale"] = (
            fw.scale_min,
            fw.scale_max,
            scale_words(fw.scale_labels, fw.scale_min),
        )
        ctx.extra["topics"] = {norm_key(name): pk for pk, name in self.topics.items()}
        from planning.models import Topic

        # Every topic's name, for a kept answer that names one no longer in the survey.
        ctx.extra["topic_names"] = dict(
            Topic.objects.filter(office_id=self.round.office_id).values_list("pk", "name")
        )
        ctx.extra["closed_topics"] = {
            norm_key(name) for pk, name in ctx.extra["topic_names"].items() if pk not in self.topics
        }
        return ctx

    def read_whole_column(self, key: str, cells: list, ctx: Context, header: str) -> list[dict]:
        """The time stamps' day–month order, from the whole column (date_order)."""
        found = date_order(cells, header)
        ctx.extra["date_order"] = found.order
        return date_order_note(found, header)

    def _load(self, ctx: Context) -> dict:
        loaded = ctx.extra.get("assessment")
        if loaded is not None:
            return loaded
        from planning.models import RaterKind, Response
        from registry.models import Person, full_name_of

        people, names = {}, {}
        for nid, pk, ptype, title, first, last in (
            Person.objects.filter(office=ctx.office)
            .order_by()
            .values_list("national_id", "pk", "personnel_type", "title", "first_name", "last_name")
        ):
            people[nid] = (pk, ptype)
            names[pk] = clip(full_name_of(title, first, last), 200)
        sent = dict(
            Response.objects.filter(round=self.round, rater_kind=RaterKind.SELF)
            .values_list("person_id", "source")
            .filter(submitted_at__isnull=False)
        )
        drafts = set(
            Response.objects.filter(
                round=self.round, rater_kind=RaterKind.SELF, submitted_at__isnull=True
            ).values_list("person_id", flat=True)
        )
        loaded = {"people": people, "sent": sent, "drafts": drafts, "names": names}
        ctx.extra["assessment"] = loaded
        return loaded

    # -- one row

    def check_row(self, values: dict, errors: list, ctx: Context) -> None:
        national_id = values.get("national_id")
        if not national_id:
            return  # unreadable: said under its column already
        loaded = self._load(ctx)
        found = loaded["people"].get(national_id)
        if found is None:
            errors.append(ctx.error(self.spec, "national_id", _unknown_person(national_id)))
            return
        pk, personnel_type = found
        if personnel_type not in self.round.target_types:
            from registry.models import PersonnelType

            shown = dict(PersonnelType.choices).get(personnel_type, personnel_type)
            message = (
                f"{_person_name(pk, loaded)} เป็น{shown} ซึ่งไม่อยู่ในกลุ่มเป้าหมายของรอบนี้ "
                f"({', '.join(self.round.target_labels)})"
            )
            errors.append(ctx.error(self.spec, "national_id", message))
            return
        values["person"] = pk
        answered = [k for k in values if parse_rating_key(k) and values[k] is not None]
        unreadable = [e for e in errors if e["column"] != ctx.header(self.spec, "national_id")]
        if not answered and not unreadable:
            first = next((k for k in ctx.headers if parse_rating_key(k)), "national_id")
            errors.append(ctx.error(self.spec, first, "ไม่ได้ตอบข้อใดเลย (ลบแถวนี้ออก หรือกรอกคำตอบ)"))

    def row_warnings(self, values: dict, ctx: Context) -> list[dict[str, str]]:
        """An item answered on one level only is not counted (the PNI needs both); a person
        who sent the form in the system keeps those answers; a draft is replaced."""
        warnings = []
        for item in self.items:
            d, i = rating_key(CURRENT, item.pk), rating_key(EXPECTED, item.pk)
            if d not in values or i not in values:
                # Not in the file, or a cell already reported as an error (its reading is
                # not among the values): the error says what is wrong, not "not answered".
                continue
            given = [k for k in (d, i) if values.get(k) is not None]
            if len(given) == 1:
                missing = SIDE_LABELS[EXPECTED if given[0] == d else CURRENT]
                message = f"ตอบข้อนี้ไม่ครบ (ไม่ได้ตอบ{missing}) ข้อนี้จึงไม่นับ"
                warnings.append(ctx.error(self.spec, given[0], message))
                values[given[0]] = None
        warnings += self._needs(values, ctx)
        person = values.get("person")
        if person is not None:
            loaded = self._load(ctx)
            if loaded["sent"].get(person) == "online":
                message = (
                    f"{_person_name(person, loaded)} ส่งแบบประเมินตนเองในระบบแล้ว "
                    "ใช้คำตอบในระบบ ไม่นำคำตอบจากไฟล์มาแทน"
                )
                warnings.append(ctx.error(self.spec, "national_id", message))
            elif person in loaded["drafts"]:
                message = (
                    f"{_person_name(person, loaded)} มีร่างแบบประเมินในระบบที่ยังไม่ส่ง "
                    "คำตอบจากไฟล์จะแทนร่างนั้นและนับเป็นส่งแล้ว"
                )
                warnings.append(ctx.error(self.spec, "national_id", message))
        return warnings

    def _needs(self, values: dict, ctx: Context) -> list[dict[str, str]]:
        """The needs survey's columns of a row as one answer, values["needs"]: the parts the
        file has ("topics" with the typed ones, "modes", "reasons"), as the person's own
        form gives them. A checkbox answer that is none of the choices is warned, by row
        and column, and not imported."""
        warnings: list[dict[str, str]] = []
        keys = [k for k in list(values) if is_needs_key(k)]
        if not keys:
            return warnings
        ids: list[int] = []
        free: list[str] = []
        modes: list[str] = []
        other_modes: list[str] = []
        reasons = ""
        for key in keys:
            found = values.pop(key)
            if key == "topics" and found:
                ids += found["ids"]
                free += found["free"]
                for text in found["unknown"]:
                    if norm_key(text) in ctx.extra.get("closed_topics", ()):
                        message = (
                            f"“{clip(text, 60)}” เป็นหัวข้อที่ปิดการใช้ในแบบสำรวจแล้ว จึงไม่นำเข้า "
                            "(เปิดใช้หัวข้อนี้อีกครั้งก่อน ถ้าต้องการนับ)"
                        )
                    else:
                        message = (
                            f"“{clip(text, 60)}” ไม่ตรงกับหัวข้อการพัฒนาในแบบสำรวจของเขตพื้นที่ "
                            "จึงไม่นำเข้า (แก้ให้ตรงกับชื่อหัวข้อ หรือเขียน “อื่นๆ: …” "
                            "ถ้าเป็นหัวข้อที่เขียนเพิ่ม)"
                        )
                    warnings.append(ctx.error(self.spec, key, message))
            elif key == "free_topics" and found:
                free.append(clip(found, 200))
            elif key == "reasons":
                reasons = found or ""
            elif key == "modes" and found:
                modes += found["modes"]
                other_modes += found["other"]
                warnings += self._unknown_modes(key, found["unmatched"], ctx, kept=True)
            elif key.startswith(TOPIC_ROW) and found:
                if found["want"]:
                    ids.append(int(key.removeprefix(TOPIC_ROW)))
                modes += found["modes"]
                warnings += self._unknown_modes(key, found["unknown"], ctx)
        if len(free) > FREE_TOPICS_MOST:
            message = (
                f"เขียนหัวข้ออื่นมา {len(free)} หัวข้อ นำเข้า {FREE_TOPICS_MOST} หัวข้อแรก "
                "(แบบสำรวจรับหัวข้อที่เขียนเพิ่มได้ไม่เกิน 10 หัวข้อ)"
            )
            where = "free_topics" if "free_topics" in keys else "topics"
            warnings.append(ctx.error(self.spec, where, message))
            free = free[:FREE_TOPICS_MOST]
        needs: dict[str, Any] = {}
        if any(k in ("topics", "free_topics") or k.startswith(TOPIC_ROW) for k in keys):
            needs["topics"] = sorted(set(ids))
            needs["free"] = list(dict.fromkeys(f for f in free if f))
        if "modes" in keys or any(k.startswith(TOPIC_ROW) for k in keys):
            needs["modes"] = [m for m in MODE_ORDER if m in modes]
        if "modes" in keys:
            needs["other_modes"] = list(dict.fromkeys(other_modes))
        if "reasons" in keys:
            needs["reasons"] = reasons
        values["needs"] = needs
        return warnings

    def _unknown_modes(
        self, key: str, unknown: list[str], ctx: Context, *, kept: bool = False
    ) -> list[dict]:
        """A mode answer that is none of the survey's: in the modes question it is the
        person's own mode ("อื่นๆ"), kept (`kept`); in a checkbox grid's row, not imported."""
        outcome = "จึงเก็บไว้เป็นรูปแบบอื่นที่ผู้ตอบระบุเอง (อื่นๆ)" if kept else "จึงไม่นำเข้า"
        return [
            ctx.error(
                self.spec,
                key,
                f"“{clip(text, 60)}” ไม่ใช่รูปแบบการพัฒนาที่แบบสำรวจมีให้เลือก "
                f"({'/'.join(MODE_SHOWN)}) {outcome}",
            )
            for text in unknown
        ]

    def row_key(self, values: dict) -> str | None:
        return str(values["person"]) if values.get("person") else None

    def row_label(self, values: dict, ctx: Context) -> str:
        return _person_name(values.get("person"), self._load(ctx)) if values.get("person") else ""

    def kept_unchanged(self, values: dict) -> dict:
        return {"person": values.get("person")}

    # -- comparing with what is recorded

    def existing(self, keys: list[str], ctx: Context, *, for_update: bool = False) -> dict:
        from planning.models import RaterKind, Rating, Response, TopicAnswer

        responses = Response.objects.filter(
            round=self.round, rater_kind=RaterKind.SELF, person_id__in=[int(k) for k in keys]
        )
        if for_update:
            responses = responses.select_for_update()
        found = {
            str(person_id): Existing(
                pk=pk,
                data={
                    "source": source,
                    "sent": sent is not None,
                    "needs": {
                        "topics": [],
                        "free": [],
                        "modes": modes or [],
                        "reasons": reasons,
                        "other_modes": other_modes or [],
                    },
                },
                office_id=ctx.office.pk,
            )
            for pk, person_id, source, sent, modes, reasons, other_modes in responses.values_list(
                "pk", "person_id", "source", "submitted_at", "modes", "reasons", "other_modes"
            )
        }
        by_response = {e.pk: e for e in found.values()}
        for response_id, topic_id, free_text in (
            TopicAnswer.objects.filter(response_id__in=list(by_response))
            .order_by("pk")
            .values_list("response_id", "topic_id", "free_text")
        ):
            needs = by_response[response_id].data["needs"]
            if topic_id:
                needs["topics"] = sorted({*needs["topics"], topic_id})
            elif free_text:
                needs["free"].append(free_text)
        for response_id, cid, d, i in Rating.objects.filter(
            response_id__in=list(by_response)
        ).values_list("response_id", "competency_id", "current", "expected"):
            data = by_response[response_id].data
            data[rating_key(CURRENT, cid)] = d
            data[rating_key(EXPECTED, cid)] = i
        return found

    def classify(self, values: dict, existing: Existing | None, ctx: Context) -> Outcome:
        before = existing.data if existing else {}
        if before.get("sent") and before.get("source") == "online":
            return Outcome(UNCHANGED, target_id=existing.pk)  # kept: said by row_warnings
        after = _answers(values, self.items)
        shown_before = {k: v for k, v in before.items() if parse_rating_key(k)}
        changes = {}
        for item in self.items:
            for side in SIDE_LABELS:
                key = rating_key(side, item.pk)
                if shown_before.get(key) != after.get(key):
                    changes[key] = [
                        _level_display(shown_before.get(key), ctx),
                        _level_display(after.get(key), ctx),
                    ]
        changes.update(_needs_changes(values.get("needs") or {}, before.get("needs"), ctx))
        if existing is not None and before.get("sent") and not changes:
            return Outcome(UNCHANGED, target_id=existing.pk)
        if not changes:  # a draft with the very same answers: sending it is the change
            changes["sent"] = ["ร่าง", "ส่งแล้ว"]
        status = CHANGED if existing is not None and before.get("sent") else NEW
        return Outcome(status, changes=changes, target_id=existing.pk if existing else None)

    # -- writing

    def apply(self, rows: list, existing: dict, ctx: Context, writer: Writer) -> None:
        from planning.actions import TopicInput, write_imported_self_assessment
        from registry.models import Person

        todo = [r for r in rows if r.status in (NEW, CHANGED)]
        people = Person.objects.select_related("major").in_bulk([int(r.key) for r in todo if r.key])
        for row in todo:
            person = people[int(row.key)]
            answers = _answers(row.values, self.items)
            ratings = {
                item.pk: (
                    answers[rating_key(CURRENT, item.pk)],
                    answers[rating_key(EXPECTED, item.pk)],
                )
                for item in self.items
                if rating_key(CURRENT, item.pk) in answers
            }
            needs = row.values.get("needs") or {}
            topics = None
            if "topics" in needs:
                topics = [TopicInput(pk, "", None, None) for pk in needs["topics"]]
                topics += [TopicInput(None, text, None, None) for text in needs["free"]]
            response = write_imported_self_assessment(
                acting_user=writer.actor,
                rnd=self.round,
                person=person,
                ratings=ratings,
                submitted_at=_sent_moment(row.values.get("sent_at"), writer.now),
                topics=topics,
                modes=needs.get("modes"),
                reasons=needs.get("reasons"),
                other_modes=needs.get("other_modes"),
            )
            writer.audit(
                action=AuditAction.UPDATE,
                object_type="assessment",
                object_id=str(response.pk),
                object_label=f"{self.round.name}: {person.full_name} (นำเข้าจาก Google Forms)",
                changes={"submitted": [None, len(ratings)]},
            )
            if row.status == NEW:
                writer.created += 1
            else:
                writer.updated += 1


def _answers(values: dict, items: list[Item]) -> dict[str, int]:
    """The items answered on both levels, as rating keys → levels."""
    answers = {}
    for item in items:
        d = values.get(rating_key(CURRENT, item.pk))
        i = values.get(rating_key(EXPECTED, item.pk))
        if d is not None and i is not None:
            answers[rating_key(CURRENT, item.pk)] = d
            answers[rating_key(EXPECTED, item.pk)] = i
    return answers


def _needs_changes(after: dict, before: dict | None, ctx: Context) -> dict[str, list[str]]:
    """The needs survey's parts the file has that differ from what is kept, as shown."""
    before = {"topics": [], "free": [], "modes": [], "reasons": "", "other_modes": [],
              **(before or {})}  # fmt: skip
    changes = {}
    if "topics" in after:
        old = (sorted(before["topics"]), sorted(before["free"]))
        if old != (sorted(after["topics"]), sorted(after["free"])):
            changes["topics"] = [_topics_shown(before, ctx), _topics_shown(after, ctx)]
    if "modes" in after:
        # The person's own modes ("อื่นๆ") are compared when the file has the modes
        # question (a checkbox grid alone gives none): shown with the modes, as answered.
        others = "other_modes" in after
        old = (sorted(before["modes"]), sorted(before["other_modes"]) if others else [])
        new = (sorted(after["modes"]), sorted(after.get("other_modes", [])))
        if old != new:
            changes["modes"] = [
                _modes_shown(before["modes"], before["other_modes"]),
                _modes_shown(after["modes"], after.get("other_modes", before["other_modes"])),
            ]
    if "reasons" in after and before["reasons"] != after["reasons"]:
        changes["reasons"] = [clip(before["reasons"], 200), clip(after["reasons"], 200)]
    return changes


def _topics_shown(needs: dict, ctx: Context) -> str:
    names = ctx.extra.get("topic_names", {})
    shown = [names.get(pk, f"หัวข้อที่ {pk}") for pk in needs["topics"]]
    return ", ".join(shown + [f"อื่นๆ: {text}" for text in needs["free"]])


def _modes_shown(modes: list[str], other_modes: list[str] = ()) -> str:
    from planning.models import Mode

    labels = dict(Mode.choices)
    return ", ".join([labels.get(m, m) for m in modes] + [f"อื่นๆ: {t}" for t in other_modes])


def _sent_moment(sent_at: str | None, now: dt.datetime) -> dt.datetime:
    """When the form was sent (the office's time zone), or the import's time without one."""
    if not sent_at:
        return now
    return timezone.make_aware(dt.datetime.fromisoformat(sent_at))


def _person_name(pk: int, loaded: dict) -> str:
    return loaded["names"].get(pk, "")


def _unknown_person(national_id: str) -> str:
    from registry.models import Person

    if Person.objects.filter(national_id=national_id).exists():
        return f"เลขประจำตัวประชาชน {national_id} เป็นบุคลากรของหน่วยงานอื่น ไม่ใช่ของเขตพื้นที่นี้"
    return f"ไม่พบเลขประจำตัวประชาชน {national_id} ในทะเบียนบุคลากรของเขตพื้นที่"


IMPORTER = AssessmentImporter()
