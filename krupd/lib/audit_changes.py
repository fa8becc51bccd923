"""The one shape of an audit entry's `changes`, for every kind of entry:
``{label: [before, after]}`` where each value is text, a number, true/false, nothing, a list of
those, or a mapping of text to those. An event without a "before" (an export, an import)
writes ``[None, value]``. Checked when written, so the audit page can always show it.
"""

import datetime as dt
import json
import re

from django.utils import timezone

from .thai_dates import format_thai_date

Scalar = (str, int, float, bool, type(None))
_SCALAR_TYPES = frozenset(Scalar)  # the exact types, checked first: an import writes 100,000s


def _valid_value(value) -> bool:
    if type(value) in _SCALAR_TYPES or isinstance(value, Scalar):
        return True
    if isinstance(value, list):
        return all(isinstance(v, Scalar) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and isinstance(v, Scalar) for k, v in value.items())
    return False


def changes_problem(changes) -> str:
    """Why `changes` does not have the audit shape ("" when it does)."""
    if not isinstance(changes, dict):
        return f"changes must be a mapping, not {type(changes).__name__}"
    scalar = _SCALAR_TYPES
    for name, pair in changes.items():
        # The common case, plain values, decided by exact types without a call per value:
        # an import checks a million of them.
        if (
            name.__class__ is str
            and pair.__class__ is list
            and len(pair) == 2
            and pair[0].__class__ in scalar
            and pair[1].__class__ in scalar
        ):
            continue
        if not isinstance(name, str):
            return f"change label {name!r} is not text"
        if not isinstance(pair, list) or len(pair) != 2:
            return f"change {name!r} is not [before, after]"
        if not (_valid_value(pair[0]) and _valid_value(pair[1])):
            return f"change {name!r} holds a value that is not plain data"
    return ""


def validate_changes(changes: dict | None) -> dict:
    """`changes` itself, or ValueError when it does not have the one audit shape."""
    changes = changes or {}
    problem = changes_problem(changes)
    if problem:
        raise ValueError(f"audit entry: {problem}")
    return changes


def normalised_changes(changes) -> dict:
    """Any stored `changes` (older entries wrote other shapes) in the audit shape, losing no
    value: a value that is not [before, after] becomes [None, value]."""
    if not changes:
        return {}
    if not isinstance(changes, dict):
        changes = {"รายละเอียด": changes}
    out = {}
    for name, pair in changes.items():
        if not (isinstance(pair, list) and len(pair) == 2):
            pair = [None, pair]
        out[str(name)] = [v if _valid_value(v) else _text(v) for v in pair]
    return out


def _text(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def readable_value(value) -> str:
    """A stored value as the audit page shows it ("" for nothing)."""
    if value is None or value == "":
        return ""
    if value is True:
        return "ใช่"
    if value is False:
        return "ไม่ใช่"
    if isinstance(value, list):
        return ", ".join(readable_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {readable_value(v)}" for k, v in value.items())
    if isinstance(value, str) and (day := _stored_date(value)):
        return day
    return str(value)


# A date or a moment as the entries store it (ISO 8601, as JSON holds a record's date).
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")


def _stored_date(text: str) -> str:
    """A stored ISO date as the office reads a date, in the Buddhist Era ("15 มี.ค. 2528");
    a stored moment with its time in Thailand ("8 ธ.ค. 2569 10:15 น."). "" when `text` is
    not one (any other text is shown as written)."""
    try:
        if _ISO_DATE.fullmatch(text):
            return format_thai_date(dt.date.fromisoformat(text), style="medium")
        if _ISO_MOMENT.fullmatch(text):
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is not None:
                moment = timezone.localtime(moment)
            return f"{format_thai_date(moment.date(), style='medium')} {moment:%H:%M} น."
    except ValueError:  # shaped like a date but none ("2569-02-30"): shown as written
        return ""
    return ""


# Thai names of the keys audit entries write that are no column of the record's model (a
# count, a window, a list of names), and of columns left without a Thai verbose name. A key
# found in neither is shown as OTHER_CHANGE_LABEL, never as the English key.
CHANGE_LABELS = {
    "active": "ใช้งาน", "actual": "ผลจริง", "answers": "คำตอบ", "approved": "อนุมัติ",
    "areas": "กลุ่มสาระ", "areas_taught": "กลุ่มสาระที่สอนจริง",
    "assigned_officer": "เจ้าหน้าที่ผู้รับผิดชอบ", "attendees": "ผู้เข้าร่วม",
    "capacity": "จำนวนที่นั่ง", "challenge_actual": "ผลที่เกิดขึ้นจริงของประเด็นท้าทาย",
    "changed": "แก้ไข", "code": "รหัส", "comment": "ความเห็น",
    "competency_code": "รหัสสมรรถนะที่เกี่ยวข้อง", "confirmed": "ยืนยันแล้ว",
    "copied_from": "คัดลอกจาก", "created": "เพิ่มใหม่", "dates": "วันที่", "diff": "การเปลี่ยนแปลง",
    "evaluators": "ผู้ประเมิน", "filters": "ตัวกรอง", "gender": "เพศ", "growth": "การเติบโต",
    "hours": "ชั่วโมง", "id": "รหัสรายการ", "items": "รายการ", "keys": "รายการ", "labels": "ชื่อรายการ",
    "line": "การเชื่อมต่อ LINE", "mean": "ค่าเฉลี่ย", "module": "บทเรียน",
    "monthly_deductions": "รายการหักต่อเดือน", "name": "ชื่อ", "needs_review": "ต้องทบทวน",
    "outcome": "ผล", "participants": "ผู้เข้าร่วม", "pni": "ค่า PNI", "present": "มาเข้าร่วม",
    "projects": "โครงการ", "questions": "ข้อคำถาม", "quiz_pass_pct": "เกณฑ์ผ่านแบบทดสอบ (ร้อยละ)",
    "reason": "เหตุผล", "replaces": "แทนรายการเดิม", "retiring": "เกษียณอายุราชการ",
    "review_reason": "เหตุผลที่ต้องทบทวน", "rounds": "รอบ", "rows": "แถว",
    "rule_set": "เกณฑ์อัตรากำลัง", "scale": "มาตราส่วน", "scores": "คะแนน",
    "secret_groups": "กลุ่มข้อมูลปกปิด",
    "short": "ชื่อย่อ", "sort_order": "ลำดับ", "source": "ที่มา", "status": "สถานะ",
    "submitted": "ส่งแล้ว", "tabs": "หน้า", "target": "เป้าหมาย", "title": "ชื่อเรื่อง",
    "transitions": "การเปลี่ยนสถานะ", "values": "ค่า", "version": "ฉบับ",
    "weight_levels": "น้ำหนักตามระดับ", "window": "ช่วงเวลาเปิดรับ", "winners": "ผู้ได้รับรางวัล",
    "work_title": "ชื่อผลงาน", "workload": "ภาระงาน", "years": "ปี",
}  # fmt: skip
OTHER_CHANGE_LABEL = "รายละเอียดอื่น"


def change_label(key: str, column_labels: dict[str, str]) -> str:
    """The Thai name of a key of `changes`: the column's own Thai name, the name above, or the
    key itself when it is already Thai (a key some writers put in Thai: "ตัวกรอง")."""
    if key in column_labels:
        return column_labels[key]
    if key in CHANGE_LABELS:
        return CHANGE_LABELS[key]
    return OTHER_CHANGE_LABEL if re.search(r"[A-Za-z]", key) else key
