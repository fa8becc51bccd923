"""Test scores and satisfaction answers of one course session, one participant a row.

Made for the files workshops actually produce: a score sheet typed from paper tests, or the
CSV/XLSX a Google Form exports (a timestamp column, Thai question headers, the e-mail and
name the participant typed, quiz scores written "8 / 10"). Rows are matched to the
session's participants by national ID, else e-mail, else name (titles and spaces ignored).
Scores become submitted test attempts and answers a survey response, both marked as
imported, so results and evaluation reports count them like online ones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import replace
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from django.db.models import Max

from krupd.lib import thai_dates
from krupd.lib.clipping import clip
from krupd.lib.numerals import clean_text, fraction_typed, without_thousands_commas
from registry.models import AuditAction

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
    text_reader,
)
from .base import CHANGED, ERROR, NEW, UNCHANGED, Context, Existing, Importer, Outcome, Writer
from .personnel import NATIONAL_ID_ALIASES, PERSON_TITLES, title_at_start

MAX_ITEMS = 20  # survey statements an office may have; columns ข้อ 1 … ข้อ 20
SCORE_KEYS = ("pre_score", "post_score")
# The session's score sheet names each participant once, by ID and full name.
SESSION_SHEET_LEAVES_OUT = (
    "timestamp",
    "title",
    "first_name",
    "last_name",
    "email",
    "unknown_score",
)
ITEM_KEYS = tuple(f"item_{n}" for n in range(1, MAX_ITEMS + 1))
IDENTITY_KEYS = ("national_id", "email", "full_name", "first_name")

# Titles people type before their name in a form, removed before names are compared: a staff
# list's titles (personnel.PERSON_TITLES), "ครู", and the English ones without their dot.
TITLES = sorted(
    {*(title.lower() for title in PERSON_TITLES), "ครู", "mr", "mrs", "ms"}, key=len, reverse=True
)

# What a score sheet typed from paper says of someone who did not sit the test.
ABSENT_WORDS = ("ขาด", "ขาดสอบ", "ไม่ได้สอบ", "ไม่เข้าสอบ", "ไม่สอบ", "ไม่ได้ทำ", "ลา", "absent")
_ABSENT_KEYS = frozenset(norm_key(w) for w in ABSENT_WORDS)
_SCORE_PAIR = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:/|จาก|คะแนนจาก)\s*(\d+)(?:\s*คะแนน)?$")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")


def name_key(text: Any) -> str:
    """A name as compared: no titles (however many: "ว่าที่ร้อยตรี ดร."), spaces or
    punctuation."""
    cleaned = as_text(text).strip()
    return norm_key(cleaned[len(title_at_start(cleaned, TITLES)) :])


def read_score(value: Any, ctx: Context) -> str:
    """ "8", "8 / 10" (a Google Forms quiz), "๘ จาก ๑๐", "80%": kept as "8", "8/10", "80%";
    "ขาด" (did not sit the test): "", as an empty cell."""
    if isinstance(value, bool):
        raise CellError("ต้องเป็นคะแนน เช่น 8 หรือ 8/10")
    if isinstance(value, (dt.date, dt.time)):
        return _score_typed_as_date(value)
    if isinstance(value, (int, float, Decimal)) and 0 < value < 1:
        # A cell formatted as a percentage ("85%" in Excel or Google Sheets) holds 0.85; a
        # score is a whole number, so a fraction below 1 can only be one.
        return _percent_text(Decimal(str(value)) * 100)
    if isinstance(value, (int, float, Decimal)):
        text = str(int(value)) if value == int(value) else str(value)
    else:
        if norm_key(value) in _ABSENT_KEYS:
            return ""  # no score, as an empty cell: nothing recorded for this test
        text = without_thousands_commas(as_text(value).replace(" ", ""))
        text = text.removesuffix("คะแนน")
    percent = _PERCENT.match(text)
    if percent:
        if Decimal(percent.group(1)) > 100:
            raise CellError(f"ร้อยละเกิน 100 (ได้ “{text}”)")
        return _percent_text(Decimal(percent.group(1)))
    pair = _SCORE_PAIR.match(text)
    score, full = (pair.group(1), pair.group(2)) if pair else (text, None)
    half = fraction_typed(score)
    if half is not None and half > 0:  # "12.5", "๑๒.๕", "12,5": kept in whole points only
        from training.models import whole_points_only

        raise CellError("คะแนน" + whole_points_only(clip(as_text(value), 30)))
    try:
        number = Decimal(score)
    except InvalidOperation:
        raise CellError(f"ต้องเป็นคะแนน เช่น 8 หรือ 8/10 (ได้ “{clip(as_text(value), 30)}”)") from None
    if number != number.to_integral_value() or number < 0:
        raise CellError(f"คะแนนต้องเป็นจำนวนเต็มไม่ติดลบ (ได้ “{clip(as_text(value), 30)}”)")
    if full is None:
        return str(int(number))
    if not 0 < int(full) <= 1000:
        raise CellError(f"คะแนนเต็ม {full} ไม่ถูกต้อง")
    if number > int(full):
        raise CellError(f"คะแนน {int(number)} มากกว่าคะแนนเต็ม {full}")
    return f"{int(number)}/{int(full)}"


def _score_typed_as_date(value: dt.date | dt.time) -> str:
    """ "8/10" typed into Excel set to Thai (day/month) dates is stored as 8 October: the day
    is the score and the month the full marks. Only a score within its full marks is taken;
    a date read the other way round (an English month/day Excel: 10 August) never is one, so
    it is refused, as is any other date or time, with what Excel did and how to undo it."""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        if value.day <= value.month:
            return f"{value.day}/{value.month}"
        shown = thai_dates.format_thai_date(value)
    else:
        shown = value.isoformat()[:16]
    raise CellError(
        f"Excel เปลี่ยนคะแนนในช่องนี้เป็นวันที่หรือเวลา ({shown}) จึงอ่านคะแนนไม่ได้ "
        "กรุณาจัดรูปแบบคอลัมน์เป็นข้อความ (Text) แล้วพิมพ์คะแนนใหม่ เช่น 8/10"
    )


# The full marks a score column's heading states: "(20 คะแนน)", "(เต็ม 20)", "เต็ม 20 คะแนน",
# "(20)", "/20", "20 points".
_HEADER_FULL_MARKS = (
    re.compile(r"เต็ม\s*(\d{1,4})"),
    re.compile(r"\(\s*(\d{1,4})\s*(?:คะแนน|คะแนนเต็ม|points?|pts?\.?|marks?)?\s*\)", re.IGNORECASE),
    re.compile(r"(\d{1,4})\s*(?:คะแนน|points?|pts?\.?|marks?)\s*\)?$", re.IGNORECASE),
    re.compile(r"/\s*(\d{1,4})\s*\)?$"),
)


def full_marks_in_header(header: str) -> int | None:
    """The full marks a score column's heading states, or None."""
    text = clean_text(header)
    for pattern in _HEADER_FULL_MARKS:
        found = pattern.search(text)
        if found and 0 < int(found.group(1)) <= 1000:
            return int(found.group(1))
    return None


# A heading that says its scores are percentages: "หลังเรียน (%)", "คะแนนหลังอบรม (ร้อยละ)".
_PERCENT_HEADING = re.compile(r"%|ร้อยละ|เปอร์เซ็นต์|percent", re.IGNORECASE)


def percent_heading(header: str) -> bool:
    """Whether a score column's heading states that its scores are percentages."""
    return bool(_PERCENT_HEADING.search(clean_text(header)))


def read_full_marks(value: Any, ctx: Context) -> int:
    text = as_text(value).replace(" ", "").removesuffix("คะแนน")
    if not text.isdigit() or not 0 < int(text) <= 1000:
        raise CellError(f"คะแนนเต็มต้องเป็นจำนวนเต็ม 1–1,000 (ได้ “{clip(as_text(value), 30)}”)")
    return int(text)


def read_likert(value: Any, ctx: Context) -> int:
    """1–5, or the words of a 5-level scale ("มากที่สุด"), or "5 - มากที่สุด"."""
    number = likert_level(value)
    if number is None or not 1 <= number <= 5:
        raise CellError(
            f"ระดับความพึงพอใจต้องเป็น 1–5 หรือ มากที่สุด/มาก/ปานกลาง/น้อย/น้อยที่สุด "
            f"(ได้ “{clip(as_text(value), 30)}”)"
        )
    return number


def _percent_text(pct: Decimal) -> str:
    """A percentage score kept to one decimal ("66.6%"), cut rather than rounded: 59.96 %
    rounded would be 60.0 % and pass a 60 % criterion it did not reach (models.shown_pct)."""
    return f"{pct.quantize(Decimal('0.1'), rounding=ROUND_DOWN).normalize():f}%"


def _score_display(value, ctx) -> str:
    if not value:
        return ""
    score, full = value.split("/")
    return f"{score}/{full} ({Decimal(score) * 100 / Decimal(full):.1f}%)"


COLUMNS = (
    ignored("seq", "ลำดับ", "ลำดับที่", "ที่", "no", width=6),
    ignored(
        "timestamp",
        "ประทับเวลา",
        "timestamp",
        "วันที่ส่ง",
        "เวลาที่ส่ง",
        "วันเวลาที่ตอบ",
        help="เวลาที่ส่งแบบฟอร์ม ไม่ใช้ในการนำเข้า",
        width=18,
    ),  # fmt: skip
    Column(
        "national_id",
        "เลขประจำตัวประชาชน",
        aliases=NATIONAL_ID_ALIASES,
        read=read_national_id,
        example="3100600445635",
        width=17,
        help="ใช้จับคู่กับผู้เข้าร่วม ถ้าไม่มีจะจับคู่ด้วยอีเมลหรือชื่อ-นามสกุล",
    ),
    ignored("title", "คำนำหน้า", "คำนำหน้าชื่อ", "คำนำหน้านาม", width=10),
    Column(
        "full_name",
        "ชื่อ-นามสกุล",
        aliases=(
            "ชื่อ - นามสกุล",
            "ชื่อ-สกุล",
            "ชื่อและนามสกุล",
            "ชื่อ นามสกุล",
            "ชื่อผู้เข้าอบรม",
            "ชื่อผู้เข้ารับการอบรม",
            "ชื่อผู้ตอบ",
            "ชื่อ-นามสกุลผู้เข้าอบรม",
            "name",
            "full name",
        ),  # fmt: skip
        read=text_reader(200),
        example="นางสมศรี ใจดี",
        width=24,
        help="คำนำหน้าและการเว้นวรรคไม่มีผลต่อการจับคู่",
    ),
    Column("first_name", "ชื่อ", aliases=("ชื่อจริง",), read=text_reader(100), width=14),
    Column("last_name", "นามสกุล", aliases=("สกุล",), read=text_reader(100), width=14),
    Column(
        "email",
        "อีเมล",
        aliases=("ที่อยู่อีเมล", "email address", "e-mail", "email", "อีเมล์"),
        read=lambda v, ctx: as_text(v).replace(" ", "").lower(),
        width=22,
    ),
    ignored("school_name", "สถานศึกษา", "โรงเรียน", "ชื่อโรงเรียน", "ชื่อสถานศึกษา", "สังกัด", width=24),
    Column(
        "pre_score",
        "คะแนนก่อนเรียน",
        aliases=(
            "คะแนนทดสอบก่อนเรียน",
            "คะแนนก่อนอบรม",
            "คะแนนก่อนการพัฒนา",
            "ก่อนเรียน",
            "ก่อนอบรม",
            "pre-test",
            "pretest",
            "pre test",
            "คะแนน pre-test",
        ),  # fmt: skip
        read=read_score,
        display=_score_display,
        example="12/20",
        width=12,
        help="เช่น 12 หรือ 12/20 (แบบ Google Forms) หรือ 60%",
    ),
    Column(
        "post_score",
        "คะแนนหลังเรียน",
        aliases=(
            "คะแนนทดสอบหลังเรียน",
            "คะแนนหลังอบรม",
            "คะแนนหลังการพัฒนา",
            "หลังเรียน",
            "หลังอบรม",
            "post-test",
            "posttest",
            "post test",
            "คะแนน post-test",
        ),  # fmt: skip
        read=read_score,
        display=_score_display,
        example="17/20",
        width=12,
        help="เช่น 17 หรือ 17/20 (แบบ Google Forms) หรือ 85%",
    ),
    # A Google Forms quiz calls its score column just "คะแนน" / "Score": which test it is,
    # the officer says on the mapping page (it is never guessed).
    ignored("unknown_score", "คะแนน", "score", "คะแนนรวม", "total score", "points", width=10),
    Column(
        "max_score",
        "คะแนนเต็ม",
        aliases=("เต็ม", "full score", "total points", "คะแนนเต็มของแบบทดสอบ"),
        read=read_full_marks,
        blank=None,
        example=20,
        width=10,
        help="ใช้เมื่อช่องคะแนนเขียนเฉพาะคะแนนที่ได้; ว่างไว้ = จำนวนข้อของแบบทดสอบในระบบ",
    ),
    *(
        Column(
            key,
            f"ข้อ {n}",
            aliases=(f"ข้อที่ {n}", f"ความพึงพอใจข้อ {n}", f"ความพึงพอใจ ข้อ {n}"),
            read=read_likert,
            blank=None,
            display=lambda v, ctx: "" if v is None else str(v),
            example=5,
            width=10,
            help="ระดับ 1–5 หรือ มากที่สุด/มาก/ปานกลาง/น้อย/น้อยที่สุด",
        )
        for n, key in enumerate(ITEM_KEYS, start=1)
    ),
    Column(
        "comment",
        "ข้อเสนอแนะ",
        aliases=(
            "ข้อเสนอแนะอื่นๆ",
            "ข้อเสนอแนะเพิ่มเติม",
            "ความคิดเห็นเพิ่มเติม",
            "ความคิดเห็น",
            "ข้อเสนอแนะ/ความคิดเห็น",
            "comment",
            "comments",
        ),  # fmt: skip
        read=text_reader(2000),
        example="",
        width=30,
    ),
)

SPEC = Spec(COLUMNS)


def _score_pair(text: str) -> tuple[int, int]:
    score, full = text.split("/")
    return int(score), int(full)


class ResultsImporter(Importer):
    kind = "results"
    label = "คะแนนทดสอบและแบบประเมินความพึงพอใจ"
    spec = SPEC
    key_field = "national_id"
    allowed_for_director = False

    # -- the session's participants and the office's survey statements, loaded once

    def _load(self, ctx: Context) -> dict:
        loaded = ctx.extra.get("results")
        if loaded is not None:
            return loaded
        from training.actions import survey_items_for
        from training.models import Enrolment, EnrolmentStatus, Question

        session = ctx.session
        enrolments = list(
            Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
            .select_related("person")
            .order_by("id")
        )
        by_id, by_email, by_name = {}, {}, {}
        for e in enrolments:
            person = e.person
            by_id[person.national_id] = e
            if person.email:
                by_email.setdefault(person.email.strip().lower(), []).append(e)
            by_name.setdefault(norm_key(person.first_name + person.last_name), []).append(e)
        items = survey_items_for(session.course.office)
        loaded = {
            "by_pk": {e.pk: e for e in enrolments},
            "by_id": by_id,
            "by_email": by_email,
            "by_name": by_name,
            "items": {key: item for key, item in zip(ITEM_KEYS, items, strict=False)},
            "questions": Question.objects.filter(
                course_id=session.course_id, module__isnull=True
            ).count(),
        }
        ctx.extra["results"] = loaded
        return loaded

    def mapping_problems(self, mapped: Iterable[str]) -> list[str]:
        mapped = set(mapped)
        problems = []
        if not mapped & set(IDENTITY_KEYS):
            problems.append("ไม่พบคอลัมน์ที่ใช้ระบุผู้เข้าร่วม (เลขประจำตัวประชาชน อีเมล หรือชื่อ-นามสกุล)")
        if not mapped & {*SCORE_KEYS, *ITEM_KEYS}:
            problems.append(
                "ไม่พบคอลัมน์คะแนนก่อนเรียน คะแนนหลังเรียน หรือข้อของแบบประเมินความพึงพอใจ "
                "(ถ้าไฟล์มีคอลัมน์ “คะแนน” ให้เลือกว่าเป็นคะแนนก่อนหรือหลังเรียน)"
            )
        if "unknown_score" in mapped:
            problems.append("คอลัมน์ “คะแนน” เป็นคะแนนก่อนเรียนหรือหลังเรียน? เลือกที่หน้าจับคู่คอลัมน์")
        if "first_name" in mapped and "last_name" not in mapped:
            problems.append("มีคอลัมน์ “ชื่อ” แต่ไม่พบคอลัมน์ “นามสกุล”")
        return problems

    def complete_mapping(self, guess: HeaderGuess, office) -> None:
        """Map question headers to the office's survey statements by their wording, as a
        Google Form repeats them ("ความพึงพอใจ [วิทยากรถ่ายทอดความรู้ได้ชัดเจน]")."""
        from training.actions import survey_items_for

        wording = {
            norm_key(item.text): key
            for key, item in zip(ITEM_KEYS, survey_items_for(office), strict=False)
        }
        used = set(guess.mapping.values())
        for index, header in enumerate(guess.headers):
            if index in guess.mapping or not header:
                continue
            parts = [header, *re.findall(r"\[(.+?)\]", header)]
            for part in reversed(parts):
                key = _wording_match(norm_key(part), wording)
                if key and key not in used:
                    guess.mapping[index] = key
                    used.add(key)
                    guess.score += 1
                    break

    def field_labels(self, office) -> dict[str, str]:
        """Item fields named by the office's own statements ("ข้อ 2: วิทยากรถ่ายทอด…")."""
        from training.actions import survey_items_for

        items = dict(zip(ITEM_KEYS, survey_items_for(office), strict=False))
        labels = super().field_labels(office)
        for key in ITEM_KEYS:
            item = items.get(key)
            labels[key] += f": {item.text}" if item else " (แบบประเมินของเขตพื้นที่ไม่มีข้อนี้)"
        return labels

    def template_columns(self, office) -> list[Column]:
        """Item columns headed by the office's own statements, as many as it has."""
        from training.actions import survey_items_for

        items = dict(zip(ITEM_KEYS, survey_items_for(office), strict=False))
        columns = []
        for column in SPEC.columns:
            if column.key in SESSION_SHEET_LEAVES_OUT:
                continue
            if column.key in ITEM_KEYS:
                if column.key not in items:
                    continue
                column = replace(column, header=items[column.key].text, example=None)
            columns.append(column)
        return columns

    def template_records(self, *, user=None, session=None) -> list[dict]:
        """The session's participants, scores left for the officer to fill in."""
        from training.models import Enrolment, EnrolmentStatus

        if session is None:
            return [{"seq": 1}]
        enrolments = (
            Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
            .select_related("person__school", "person__office")
            .order_by("person__first_name", "person__last_name", "id")
        )
        blank = {c.key: None for c in SPEC.columns if c.key not in ("seq", "national_id")}
        return [
            {
                **blank,
                "seq": number,
                "national_id": e.person.national_id,
                "full_name": e.person.full_name,
                "school_name": e.person.workplace_name,
            }
            for number, e in enumerate(enrolments, start=1)
        ]

    def summary_column(self, mapping: dict[int, str]) -> int | None:
        for wanted in IDENTITY_KEYS:
            for idx, key in mapping.items():
                if key == wanted:
                    return idx
        return None

    # -- one row

    def check_row(self, values: dict, errors: list, ctx: Context) -> None:
        from training.actions import before_session_starts

        loaded = self._load(ctx)
        for key in IDENTITY_KEYS:  # identity problems go under the column the file has
            if key in ctx.headers:
                ctx.headers.setdefault("national_id", ctx.headers[key])
                break
        self._resolve_scores(values, errors, ctx, loaded)
        recorded = [k for k in (*SCORE_KEYS, *ITEM_KEYS) if values.get(k) not in (None, "")]
        if recorded and (too_early := before_session_starts(ctx.session)):
            errors.append(ctx.error(SPEC, recorded[0], too_early))
        for key in ITEM_KEYS:
            if values.get(key) is not None and key not in loaded["items"]:
                errors.append(ctx.error(SPEC, key, "แบบประเมินของเขตพื้นที่ไม่มีข้อนี้"))
        found, problem = self._identify(values, loaded)
        if found is None:
            errors.append(ctx.error(SPEC, "national_id", problem))
            return
        # A mistyped ID with a name that matches one participant is that participant.
        id_header = ctx.header(SPEC, "national_id")
        errors[:] = [e for e in errors if e["column"] != id_header]
        values["enrolment"] = found.pk
        for key in IDENTITY_KEYS + ("last_name",):
            values.pop(key, None)

    def _resolve_scores(self, values: dict, errors: list, ctx: Context, loaded: dict) -> None:
        # Plain scores are out of the คะแนนเต็ม column, else out of the other test's full marks
        # in the same row (pre- and post-tests are the same paper), else the online test's.
        written = [values[k].split("/")[1] for k in SCORE_KEYS if "/" in (values.get(k) or "")]
        column_marks = values.pop("max_score", None)
        in_pair = int(written[0]) if written else None
        for key in SCORE_KEYS:
            text = values.get(key)
            if not text:
                values.pop(key, None)
                continue
            # A paper score sheet states the full marks in the column's heading
            # ("คะแนนก่อนอบรม (20 คะแนน)"); a คะแนนเต็ม column on the row says it for the row.
            full_marks = (
                column_marks
                or full_marks_in_header(ctx.headers.get(key, ""))
                or in_pair
                or loaded["questions"]
                or None
            )
            if "/" not in text and not text.endswith("%"):
                if percent_heading(ctx.headers.get(key, "")):
                    # "90" under "หลังเรียน (%)" is 90 %; it was "full marks unknown".
                    if int(text) > 100:
                        errors.append(ctx.error(SPEC, key, f"ร้อยละเกิน 100 (ได้ “{text}”)"))
                        values.pop(key)
                        continue
                    text = f"{text}%"
            if text.endswith("%"):
                pct = Decimal(text[:-1])
                whole = pct == pct.to_integral_value()
                values[key] = f"{int(pct)}/100" if whole else f"{int(pct * 10)}/1000"
            elif "/" not in text:
                if full_marks is None:
                    message = "ไม่ทราบคะแนนเต็ม: เขียนเป็น 8/10 หรือเพิ่มคอลัมน์ “คะแนนเต็ม”"
                    errors.append(ctx.error(SPEC, key, message))
                    values.pop(key)
                    continue
                if int(text) > full_marks:
                    message = f"คะแนน {text} มากกว่าคะแนนเต็ม {full_marks}"
                    errors.append(ctx.error(SPEC, key, message))
                    values.pop(key)
                    continue
                values[key] = f"{text}/{full_marks}"

    def _identify(self, values: dict, loaded: dict):
        national_id = values.get("national_id")
        if national_id and national_id in loaded["by_id"]:
            return loaded["by_id"][national_id], ""
        email = values.get("email")
        if email and len(loaded["by_email"].get(email, [])) == 1:
            return loaded["by_email"][email][0], ""
        name = values.get("full_name") or (
            f"{values.get('first_name', '')}{values.get('last_name', '')}"
        )
        matches = loaded["by_name"].get(name_key(name), []) if name else []
        if len(matches) == 1:
            if (
                national_id
                and national_id != matches[0].person.national_id
                and len(national_id) == 13
            ):
                return None, (
                    f"เลขประจำตัวประชาชนไม่ตรงกับ {matches[0].person.full_name} ในรายชื่อผู้เข้าร่วมรุ่นนี้"
                )
            return matches[0], ""
        if len(matches) > 1:
            return (
                None,
                f"มีผู้เข้าร่วมชื่อ “{clip(as_text(name), 60)}” มากกว่าหนึ่งคน ต้องระบุเลขประจำตัวประชาชน",
            )
        shown = national_id or email or clip(as_text(name), 60) or "(ว่าง)"
        return None, f"ไม่พบ “{shown}” ในรายชื่อผู้เข้าร่วมรุ่นนี้ (ที่ลงทะเบียนแล้ว)"

    def row_key(self, values: dict) -> str | None:
        return str(values["enrolment"]) if values.get("enrolment") else None

    def row_label(self, values: dict, ctx: Context) -> str:
        enrolment = self._load(ctx)["by_pk"].get(values.get("enrolment"))
        return clip(enrolment.person.full_name, 200) if enrolment else ""

    def duplicate_message(self, other_rows: list[int]) -> str:
        rows = ", ".join(f"{n:,}" for n in other_rows)
        return f"ผู้เข้าร่วมคนเดียวกับแถวที่ {rows} (เช่น ส่งแบบฟอร์มซ้ำ) ให้เหลือแถวเดียว"

    # -- comparing with what is recorded

    def existing(self, keys: list[str], ctx: Context, *, for_update: bool = False) -> dict:
        from training.models import Enrolment, EnrolmentStatus, SurveyAnswer, TestAttempt

        enrolments = Enrolment.objects.filter(
            pk__in=[int(k) for k in keys], session=ctx.session, status=EnrolmentStatus.ENROLLED
        )
        if for_update:
            enrolments = enrolments.select_for_update()
        found = {
            str(pk): Existing(pk=pk, data={}, office_id=ctx.office.pk)
            for pk in enrolments.values_list("pk", flat=True)
        }
        attempts = TestAttempt.objects.filter(
            enrolment_id__in=[e.pk for e in found.values()],
            module__isnull=True,
            submitted_at__isnull=False,
        ).order_by("number")
        for enrolment_id, kind, source, score, full in attempts.values_list(
            "enrolment_id", "kind", "source", "score", "max_score"
        ):
            data = found[str(enrolment_id)].data
            if source == "online":
                data[f"online_{kind}"] = True
            else:
                data[f"{kind}_score"] = f"{score}/{full}"
        from training.models import SurveyResponse

        for enrolment_id, source, comment in SurveyResponse.objects.filter(
            enrolment_id__in=[e.pk for e in found.values()]
        ).values_list("enrolment_id", "source", "comment"):
            data = found[str(enrolment_id)].data
            data["survey"] = source
            data["comment"] = comment
        items = {item.pk: key for key, item in self._load(ctx)["items"].items()}
        for enrolment_id, item_id, score in SurveyAnswer.objects.filter(
            response__enrolment_id__in=[e.pk for e in found.values()]
        ).values_list("response__enrolment_id", "item_id", "score"):
            if item_id in items:
                found[str(enrolment_id)].data[items[item_id]] = score
        return found

    def classify(self, values: dict, existing: Existing | None, ctx: Context) -> Outcome:
        if existing is None:
            message = "ไม่อยู่ในรายชื่อผู้เข้าร่วมรุ่นนี้แล้ว (อาจถูกยกเลิกหลังการตรวจสอบ)"
            return Outcome(ERROR, errors=[ctx.error(SPEC, "national_id", message)])
        before = existing.data
        errors = []
        if values.get("pre_score") and before.get("online_pre"):
            errors.append(
                ctx.error(SPEC, "pre_score", "ทำแบบทดสอบก่อนเรียนในระบบแล้ว ไม่นำคะแนนจากไฟล์มาแทน")
            )
        answers = [k for k in (*ITEM_KEYS, "comment") if values.get(k) not in (None, "")]
        if answers and before.get("survey") == "online":
            errors.append(ctx.error(SPEC, answers[0], "ตอบแบบประเมินในระบบแล้ว ไม่นำคำตอบจากไฟล์มาแทน"))
        if errors:
            return Outcome(ERROR, errors=errors)
        changes = self.changes_between(
            {k: v for k, v in values.items() if v not in (None, "")}, before, ctx
        )
        if not changes:
            return Outcome(UNCHANGED, target_id=existing.pk)
        recorded = any(before.get(k) not in (None, "") for k in changes)
        return Outcome(CHANGED if recorded else NEW, changes=changes, target_id=existing.pk)

    # -- writing

    def apply(self, rows: list, existing: dict, ctx: Context, writer: Writer) -> None:
        from training.actions import paper_test_taken_at, recompute_course, refresh_result
        from training.models import (
            Enrolment,
            ResultSource,
            SurveyAnswer,
            SurveyResponse,
            TestAttempt,
        )
        from training.results import course_has_post_test

        loaded = self._load(ctx)
        todo = [r for r in rows if r.status in (NEW, CHANGED)]
        enrolments = Enrolment.objects.select_related("course", "session", "person").in_bulk(
            [r.target_id for r in todo]
        )
        # Sat at the session, typed later: dated as paper scores are (training.actions).
        now = paper_test_taken_at(ctx.session)
        course = ctx.session.course
        had_post_test = course_has_post_test(course)
        for row in todo:
            enrolment = enrolments[row.target_id]
            values = {k: v for k, v in row.values.items() if v not in (None, "")}
            for key in SCORE_KEYS:
                if key not in row.changes:
                    continue
                kind = key.removesuffix("_score")
                score, full = _score_pair(values[key])
                offline = TestAttempt.objects.filter(
                    enrolment=enrolment, kind=kind, module__isnull=True
                ).exclude(source=ResultSource.ONLINE)
                if not offline.update(
                    score=score, max_score=full, submitted_at=now, source=ResultSource.IMPORT
                ):
                    last = TestAttempt.objects.filter(
                        enrolment=enrolment, kind=kind, module__isnull=True
                    ).aggregate(n=Max("number"))["n"]
                    TestAttempt.objects.create(
                        enrolment=enrolment, kind=kind, number=(last or 0) + 1, score=score,
                        max_score=full, submitted_at=now, source=ResultSource.IMPORT,
                    )  # fmt: skip
            answered = {k: v for k, v in values.items() if k in ITEM_KEYS}
            if answered or "comment" in row.changes:
                response, _ = SurveyResponse.objects.get_or_create(
                    enrolment=enrolment, defaults={"source": ResultSource.IMPORT}
                )
                if "comment" in row.changes:
                    response.comment = values.get("comment", "")
                    response.save(update_fields=["comment"])
                items = [loaded["items"][k] for k in answered]
                SurveyAnswer.objects.filter(response=response, item__in=items).delete()
                SurveyAnswer.objects.bulk_create(
                    SurveyAnswer(response=response, item=loaded["items"][k], score=v)
                    for k, v in answered.items()
                )
            refresh_result(enrolment, acting_user=writer.actor)
            writer.audit(
                action=AuditAction.UPDATE,
                instance=enrolment,
                object_label=f"ผลการพัฒนา {enrolment.person.full_name} ({enrolment.course.title})",
                changes=row.changes,
            )
            if row.status == NEW:
                writer.created += 1
            else:
                writer.updated += 1
        if course_has_post_test(course) != had_post_test:
            # The file gave the course its post-test: it is now a criterion for everyone,
            # those the file does not name included (as when scores are typed from paper).
            recompute_course(course, acting_user=writer.actor)


def _wording_match(header_key: str, wording: dict[str, str]) -> str | None:
    if not header_key:
        return None
    if header_key in wording:
        return wording[header_key]
    # Forms often add a number or a prefix: "1. เนื้อหาตรงกับ…" or a shortened statement.
    hits = [
        key
        for text, key in wording.items()
        if len(text) >= 8 and (text in header_key or header_key in text and len(header_key) >= 8)
    ]
    return hits[0] if len(hits) == 1 else None


IMPORTER = ResultsImporter()
