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
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from krupd.lib import thai_dates
from krupd.lib.clipping import clip
from krupd.lib.numerals import clean_text, to_arabic_digits
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


def read_sent_at(value: Any, ctx: Context) -> str:
    """The form's time stamp as ISO text (compared to find a person's latest form):
    a date-time cell, or text such as "12/7/2569, 10:15:30" or "7/12/2026 10:15:30 AM"."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time()).isoformat()
    text = as_text(value).replace(",", " ")
    try:
        date = thai_dates.parse_thai_date(text if not isinstance(value, (int, float)) else value)
    except (ValueError, OverflowError, ArithmeticError):
        date = None
    if date is None:
        raise CellError(f"อ่านวันเวลาที่ส่งแบบฟอร์มไม่ได้ (ได้ “{clip(as_text(value), 30)}”)")
    found = _TIME.search(text)
    moment = dt.time()
    if found:
        hour, minute, second = int(found[1]), int(found[2]), int(found[3] or 0)
        meridiem = (found[4] or "").lower().replace(".", "").replace(" ", "")
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59 or second > 59:
            raise CellError(f"เวลาไม่ถูกต้อง (ได้ “{clip(as_text(value), 30)}”)")
        moment = dt.time(hour, minute, second)
    return dt.datetime.combine(date, moment).isoformat()


_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*([AaPp]\.?\s*[Mm]\.?)?\s*(?:น\.?)?\s*$")


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

    def __init__(self, rnd=None) -> None:
        self.round = rnd
        self.items: list[Item] = []
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
        self.spec = Spec(tuple(columns))

    def for_batch(self, batch) -> AssessmentImporter:
        return AssessmentImporter(batch.round)

    def for_round(self, rnd) -> AssessmentImporter:
        return AssessmentImporter(rnd)

    # -- columns

    def complete_mapping(self, guess: HeaderGuess, office) -> None:
        """Question columns matched to the round's items by their wording."""
        used = set(guess.mapping.values())
        for index, header in enumerate(guess.headers):
            if index in guess.mapping or not header:
                continue
            key = match_header(header, self.items)
            if key and key not in used:
                guess.mapping[index] = key
                used.add(key)
                guess.score += 1

    def field_labels(self, office) -> dict[str, str]:
        labels = super().field_labels(office)
        for item in self.items:
            for side, label in SIDE_LABELS.items():
                labels[rating_key(side, item.pk)] = f"ข้อ {item.code} {item.name}: {label}"
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
        return ctx

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

    def row_key(self, values: dict) -> str | None:
        return str(values["person"]) if values.get("person") else None

    def row_label(self, values: dict, ctx: Context) -> str:
        return _person_name(values.get("person"), self._load(ctx)) if values.get("person") else ""

    def kept_unchanged(self, values: dict) -> dict:
        return {"person": values.get("person")}

    # -- comparing with what is recorded

    def existing(self, keys: list[str], ctx: Context, *, for_update: bool = False) -> dict:
        from planning.models import RaterKind, Rating, Response

        responses = Response.objects.filter(
            round=self.round, rater_kind=RaterKind.SELF, person_id__in=[int(k) for k in keys]
        )
        if for_update:
            responses = responses.select_for_update()
        found = {
            str(person_id): Existing(
                pk=pk, data={"source": source, "sent": sent is not None}, office_id=ctx.office.pk
            )
            for pk, person_id, source, sent in responses.values_list(
                "pk", "person_id", "source", "submitted_at"
            )
        }
        by_response = {e.pk: e for e in found.values()}
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
        if existing is not None and before.get("sent") and not changes:
            return Outcome(UNCHANGED, target_id=existing.pk)
        if not changes:  # a draft with the very same answers: sending it is the change
            changes["sent"] = ["ร่าง", "ส่งแล้ว"]
        status = CHANGED if existing is not None and before.get("sent") else NEW
        return Outcome(status, changes=changes, target_id=existing.pk if existing else None)

    # -- writing

    def apply(self, rows: list, existing: dict, ctx: Context, writer: Writer) -> None:
        from planning.actions import write_imported_self_assessment
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
            response = write_imported_self_assessment(
                acting_user=writer.actor,
                rnd=self.round,
                person=person,
                ratings=ratings,
                submitted_at=_sent_moment(row.values.get("sent_at"), writer.now),
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
