"""Personnel sheets laid out like an HRMS-OBEC export: one person a row, keyed by national ID."""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import F, QuerySet

from krupd.lib import thai_phone
from krupd.lib.clipping import clip
from krupd.lib.numerals import clean_text
from registry import audit, quality_counts
from registry.actions import PersonCreatedJson, person_snapshot
from registry.models import (
    AcademicStanding,
    AuditAction,
    Degree,
    Employment,
    Gender,
    LearningArea,
    Major,
    Office,
    Person,
    PersonnelType,
    PersonStatus,
    School,
    Secondment,
    full_name_of,
)
from reporting import developed
from staffing import summary as staff_counts

from ..bulk import insert_rows, update_rows
from ..queries import AnyOf
from . import (
    CellError,
    Column,
    Spec,
    as_text,
    choice_reader,
    close_names,
    date_reader,
    decimal_reader,
    digits_reader,
    format_date,
    ignored,
    norm_key,
    read_national_id,
    text_reader,
)
from .base import (
    CHANGED,
    ERROR,
    NEW,
    SCOPE_MESSAGE,
    UNCHANGED,
    Context,
    Existing,
    Importer,
    Outcome,
    Writer,
    chunked,
)

# ---------------------------------------------------------------------------- choices as written

GENDERS = {
    **{label: value for value, label in Gender.choices},
    **{value: value for value in Gender.values},
    "ช": Gender.MALE, "m": Gender.MALE, "เพศชาย": Gender.MALE,
    "ญ": Gender.FEMALE, "f": Gender.FEMALE, "เพศหญิง": Gender.FEMALE,
    "อื่นๆ": Gender.OTHER, "ไม่ระบุเพศ": Gender.OTHER,
}  # fmt: skip
TITLE_GENDER = {
    "นาย": Gender.MALE, "ดช": Gender.MALE, "เด็กชาย": Gender.MALE,
    "นาง": Gender.FEMALE, "นางสาว": Gender.FEMALE, "นส": Gender.FEMALE, "ดญ": Gender.FEMALE,
}  # fmt: skip

PERSONNEL_TYPES = {
    **{label: value for value, label in PersonnelType.choices},
    **{value: value for value in PersonnelType.values},
    "ข้าราชการครู": PersonnelType.TEACHER,
    "ข้าราชการครูและบุคลากรทางการศึกษา": PersonnelType.TEACHER,
    "ผู้อำนวยการ": PersonnelType.DIRECTOR,
    "ผู้อำนวยการโรงเรียน": PersonnelType.DIRECTOR,
    "ผอ": PersonnelType.DIRECTOR,
    "ผู้บริหารสถานศึกษา": PersonnelType.DIRECTOR,
    "รองผู้อำนวยการ": PersonnelType.DEPUTY_DIRECTOR,
    "รองผู้อำนวยการโรงเรียน": PersonnelType.DEPUTY_DIRECTOR,
    "รองผอ": PersonnelType.DEPUTY_DIRECTOR,
    "ศน": PersonnelType.SUPERVISOR,
    "บุคลากรทางการศึกษา": PersonnelType.EDUCATIONAL_PERSONNEL,
    "บุคลากรทางการศึกษาอื่นตามมาตรา38ค(2)": PersonnelType.EDUCATIONAL_PERSONNEL,
    "บุคลากรทางการศึกษา38ค(2)": PersonnelType.EDUCATIONAL_PERSONNEL,
    "38ค(2)": PersonnelType.EDUCATIONAL_PERSONNEL,
    "ลูกจ้าง": PersonnelType.EMPLOYEE,
    "ลูกจ้างประจำ": PersonnelType.EMPLOYEE,
    "ลูกจ้างชั่วคราว": PersonnelType.EMPLOYEE,
    "พนักงานราชการ": PersonnelType.EMPLOYEE,
    "ครูอัตราจ้าง": PersonnelType.EMPLOYEE,
}
DEGREES = {
    **{label: value for value, label in Degree.choices},
    **{value: value for value in Degree.values},
    "อนุปริญญา": Degree.BELOW_BACHELOR, "ปวส": Degree.BELOW_BACHELOR, "ปวช": Degree.BELOW_BACHELOR,
    "มัธยมศึกษาตอนปลาย": Degree.BELOW_BACHELOR, "ต่ำกว่าตรี": Degree.BELOW_BACHELOR,
    "ปริญญาตรี": Degree.BACHELOR, "ป.ตรี": Degree.BACHELOR, "ตรี": Degree.BACHELOR,
    "ปริญญาโท": Degree.MASTER, "ป.โท": Degree.MASTER, "โท": Degree.MASTER,
    "ปริญญาเอก": Degree.DOCTORATE, "ป.เอก": Degree.DOCTORATE, "เอก": Degree.DOCTORATE,
}  # fmt: skip
STATUSES = {
    **{label: value for value, label in PersonStatus.choices},
    **{value: value for value in PersonStatus.values},
    "ปฏิบัติราชการ": PersonStatus.ACTIVE, "ปกติ": PersonStatus.ACTIVE, "ทำงาน": PersonStatus.ACTIVE,
    "ย้าย": PersonStatus.TRANSFERRED, "โอนย้าย": PersonStatus.TRANSFERRED,
    "เกษียณอายุราชการ": PersonStatus.RETIRED, "เกษียณอายุ": PersonStatus.RETIRED,
    "เสียชีวิต": PersonStatus.DECEASED,
}  # fmt: skip

EMPLOYMENTS = {
    **{label: value for value, label in Employment.choices},
    **{value: value for value in Employment.values},
    "ข้าราชการครู": Employment.CIVIL_SERVANT,
    "ข้าราชการครูและบุคลากรทางการศึกษา": Employment.CIVIL_SERVANT,
    "ขรก": Employment.CIVIL_SERVANT,
    "พรก": Employment.GOVERNMENT_EMPLOYEE,
    "อัตราจ้าง": Employment.CONTRACT_TEACHER,
    "ครูจ้างสอน": Employment.CONTRACT_TEACHER,
    "ลูกจ้าง": Employment.EMPLOYEE,
}
SECONDMENTS = {
    **{label: value for value, label in Secondment.choices},
    "out": Secondment.OUT, "in": Secondment.IN,
    "ไม่ได้ช่วย": Secondment.NONE, "ไม่มี": Secondment.NONE, "ไม่ช่วยราชการ": Secondment.NONE,
    "ไปช่วย": Secondment.OUT, "ช่วยราชการที่อื่น": Secondment.OUT, "ไปช่วยราชการที่อื่น": Secondment.OUT,
    "มาช่วย": Secondment.IN, "ช่วยราชการจากที่อื่น": Secondment.IN,
}  # fmt: skip

_TYPE_KEYS = {norm_key(k): v for k, v in PERSONNEL_TYPES.items()}
_TITLE_KEYS = {norm_key(k): v for k, v in TITLE_GENDER.items()}


def _years_between(start_iso: str, end_iso: str) -> int:
    start, end = dt.date.fromisoformat(start_iso), dt.date.fromisoformat(end_iso)
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _guess_gender(title: str) -> str:
    return _TITLE_KEYS.get(norm_key(title or ""), "")


def _guess_type(position: str) -> str:
    return _TYPE_KEYS.get(norm_key(position or ""), "")


# Nobody on the staff list is younger: a birth date or appointment that says so is a typo.
MIN_WORKING_AGE = 18

# Titles a full name may open with ("นายสมชาย ใจดี"), longest first so "นางสาว" wins over "นาง".
PERSON_TITLES = sorted(
    (
        "นาย",
        "นาง",
        "นางสาว",
        "น.ส.",
        "นส.",
        "ดร.",
        "ว่าที่ร้อยตรี",
        "ว่าที่ ร้อยตรี",
        "ว่าที่ ร้อยตรีหญิง",
        "ว่าที่ ร.ต.",
        "ว่าที่ร.ต.",
        "ว่าที่ร้อยตรีหญิง",
        "ว่าที่ ร.ต.หญิง",
        "ว่าที่ร.ต.หญิง",
        "Mr.",
        "Mrs.",
        "Ms.",
        "Miss",
    ),  # fmt: skip
    key=len,
    reverse=True,
)


# Marks written above or below the letter before them: a name cannot start with one.
_THAI_MARKS = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a" + "".join(
    chr(c) for c in range(0x0E47, 0x0E4F)
))  # fmt: skip


def title_at_start(text: str, titles: list[str] = PERSON_TITLES) -> str:
    """The titles `text` opens with ("ว่าที่ร้อยตรี ดร." of "ว่าที่ร้อยตรี ดร.สมชาย"), as written,
    or "". A title is one only when a name follows it: "นายิกา" is a name, not นาย + "ิกา"."""
    end = 0
    while True:
        rest = text[end:].lstrip()
        lowered = rest.lower()
        found = next(
            (
                t for t in titles
                if lowered.startswith(t.lower())
                and rest[len(t) :].strip()
                and rest[len(t)] not in _THAI_MARKS
            ),
            "",
        )  # fmt: skip
        if not found:
            return text[:end].strip()
        end = len(text) - len(rest) + len(found)


def split_full_name(text: str) -> tuple[str, str, str]:
    """(title, first name, last name) of "นายสมชาย ใจดี" or "นาย สมชาย  ใจดี"; the last name is
    every word after the first ("ณ อยุธยา" stays whole). Parts not written are ""."""
    text = clean_text(text)
    title = title_at_start(text)
    words = text[len(title) :].split()
    return title, (words[0] if words else ""), " ".join(words[1:])


# A new person cannot be created without these, whatever columns the file has.
NEW_PERSON_NEEDS = ("title", "first_name", "last_name", "gender", "personnel_type", "position")

# Comparable key → Person model field, where they differ.
MODEL_FIELD = {"standing": "academic_standing", "school": "school", "major": "major"}
# Person fields that decide where someone's development hours are counted (reporting.developed).
_COUNTED = {"school", "personnel_type", "status", "office"}
_SECONDMENT_KEYS = ("secondment", "secondment_school", "secondment_until")


# ------------------------------------------------------------------ readers needing the DB


def read_school(value: Any, ctx: Context) -> str:
    code = digits_reader(10, "รหัสสถานศึกษา")(value, ctx)
    schools = ctx.extra["schools"]
    if code not in schools:
        other = _school_elsewhere(code, ctx)
        if other:
            raise CellError(f"สถานศึกษา {code} อยู่ในสังกัด{other} ไม่ใช่เขตพื้นที่ของท่าน")
        raise CellError(f"ไม่พบรหัสสถานศึกษา {code} ในเขตพื้นที่ของท่าน")
    if ctx.scope_school is not None and code != ctx.scope_school.obec_code:
        raise CellError(SCOPE_MESSAGE)
    return code


# What a school's name is written with that is not its name: "โรงเรียนบ้านหนึ่ง", "รร.บ้านหนึ่ง".
_SCHOOL_WORDS = re.compile(r"^(?:โรงเรียน|ร\.?\s*ร\.?|รร)\s*")


def school_name_key(name: str) -> str:
    return norm_key(_SCHOOL_WORDS.sub("", clean_text(name)))


def school_by_name(name: str, ctx: Context) -> str:
    """The code of the office's one school called `name` ("รร.บ้านหนึ่ง" is โรงเรียนบ้านหนึ่ง);
    CellError when none or several are."""
    by_name = ctx.extra.get("school_names")
    if by_name is None:
        by_name = {}
        for school in ctx.extra["schools"].values():
            by_name.setdefault(school_name_key(school.name), []).append(school.obec_code)
        ctx.extra["school_names"] = by_name
    codes = by_name.get(school_name_key(name), [])
    if len(codes) > 1:
        raise CellError(
            f"มีสถานศึกษาชื่อ “{clip(name, 60)}” มากกว่าหนึ่งแห่งในเขตพื้นที่ "
            "กรุณาเพิ่มคอลัมน์ “รหัสสถานศึกษา” (10 หลัก)"
        )
    if not codes:
        names = [s.name for s in ctx.extra["schools"].values()]
        close = close_names(name, names)
        hint = f" (ชื่อที่ใกล้เคียง: {close})" if close else ""
        raise CellError(
            f"ไม่พบสถานศึกษาชื่อ “{clip(name, 60)}” ในเขตพื้นที่ของท่าน{hint} "
            "แก้ชื่อให้ตรงกับในระบบ หรือเพิ่มคอลัมน์ “รหัสสถานศึกษา” (10 หลัก)"
        )
    if ctx.scope_school is not None and codes[0] != ctx.scope_school.obec_code:
        raise CellError(SCOPE_MESSAGE)
    return codes[0]


def read_secondment_school(value: Any, ctx: Context) -> str:
    """Any school in the system, of this office or another (secondments cross offices)."""
    code = digits_reader(10, "รหัสสถานศึกษาที่ช่วยราชการ")(value, ctx)
    if code not in ctx.extra["schools"] and not _school_elsewhere(code, ctx):
        raise CellError(f"ไม่พบรหัสสถานศึกษา {code} ในระบบ")
    return code


def _any_school(code: str, ctx: Context) -> School | None:
    """A school of the office from the loaded list, else (once per code) from the database."""
    if not code:
        return None
    found = ctx.extra["schools"].get(code)
    if found is None:
        cache = ctx.extra.setdefault("other_schools", {})
        if code not in cache:
            cache[code] = School.objects.filter(obec_code=code).first()
        found = cache[code]
    return found


def _closed_school(code: str | None, ctx: Context) -> School | None:
    """The office's school of this code when it is closed (or merged into another) today:
    the import still finds it, but places no one new there."""
    school = ctx.extra["schools"].get(code) if code else None
    return school if school is not None and school.is_closed_on(ctx.today) else None


def _school_elsewhere(code: str, ctx: Context) -> str:
    cache = ctx.extra.setdefault("foreign_schools", {})
    if code not in cache:
        found = School.objects.filter(obec_code=code).select_related("office").first()
        cache[code] = found.office.name if found else ""
    return cache[code]


def read_standing(value: Any, ctx: Context) -> str:
    text = as_text(value)
    found = ctx.extra["standing_keys"].get(norm_key(text))
    if found is None:
        names = ", ".join(s.name for s in ctx.extra["standings"].values())
        raise CellError(f"ไม่รู้จักวิทยฐานะ “{clip(text, 40)}” (ใช้ได้: {names})")
    return found


def read_major(value: Any, ctx: Context) -> str:
    text = as_text(value)
    found = ctx.extra["major_keys"].get(norm_key(text))
    if found is None:
        hint = close_names(text, ctx.extra["majors"])
        message = f"ไม่พบวิชาเอก “{clip(text, 60)}” ในรายการวิชาเอกของระบบ"
        raise CellError(message + (f" (ชื่อใกล้เคียง: {hint})" if hint else ""))
    return found


_AREA_SPLIT = re.compile(r"[,;\n、،]+")


def read_areas(value: Any, ctx: Context) -> list[str]:
    codes = []
    keys = ctx.extra["area_keys"]
    for part in _AREA_SPLIT.split(as_text(value)):
        part = part.strip()
        if not part:
            continue
        code = keys.get(norm_key(part))
        if code is None:
            hint = close_names(part, [a.name for a in ctx.extra["areas"].values()])
            message = f"ไม่รู้จักกลุ่มสาระ “{clip(part, 40)}”"
            raise CellError(message + (f" (ชื่อใกล้เคียง: {hint})" if hint else ""))
        codes.append(code)
    order = ctx.extra["area_order"]
    return sorted(set(codes), key=lambda c: order[c])


def read_phone(value: Any, ctx: Context) -> str:
    """One Thai number, kept as written (krupd.lib.thai_phone, as the person form checks it)."""
    text = thai_phone.normalize_phone(as_text(value))
    if problem := thai_phone.phone_problem(text):
        raise CellError(problem)
    return text


# How personnel lists abbreviate the academic standings ("ชก." for ชำนาญการ), by name.
STANDING_ABBREVIATIONS = {
    "ชำนาญการ": ("ชก.",),
    "ชำนาญการพิเศษ": ("ชพ.", "ชกพ."),
    "เชี่ยวชาญ": ("ชช.",),
    "เชี่ยวชาญพิเศษ": ("ชชพ.",),
}

# Salary grades besides the ก.ค.ศ. grades of the วิทยฐานะ table: 38 ค.(2) and general civil
# service levels (full and abbreviated), and the groups of permanent employees (บ ช ส ท).
OTHER_SALARY_GRADES = (
    "ปฏิบัติการ", "ปก.", "ชำนาญการ", "ชก.", "ชำนาญการพิเศษ", "ชพ.", "เชี่ยวชาญ", "ชช.",
    "เชี่ยวชาญพิเศษ", "ปฏิบัติงาน", "ปง.", "ชำนาญงาน", "ชง.", "อาวุโส", "อส.",
)  # fmt: skip
_EMPLOYEE_GRADE = re.compile(r"^[บชสท][1-4]$")


def read_salary_grade(value: Any, ctx: Context) -> str:
    text = as_text(value)
    key = norm_key(text)
    found = ctx.extra["grade_keys"].get(key)
    if found is not None:
        return found  # the reference spelling: "ค.ศ. ๒" is คศ.2
    if key in ctx.extra["other_grade_keys"] or _EMPLOYEE_GRADE.match(key):
        return text
    grades = ", ".join(dict.fromkeys(ctx.extra["grade_keys"].values()))
    raise CellError(
        f"ไม่รู้จักอันดับ “{clip(text, 20)}” (ใช้ได้: {grades} หรือระดับของบุคลากรทางการศึกษาอื่น "
        "เช่น ปฏิบัติการ ชำนาญการ)"
    )


def read_email(value: Any, ctx: Context) -> str:
    text = as_text(value).replace(" ", "")
    try:
        validate_email(text)
    except ValidationError:
        raise CellError(f"อีเมล “{clip(text, 60)}” ไม่ถูกต้อง") from None
    if len(text) > 254:
        raise CellError("อีเมลยาวเกินไป")
    return text


def read_position_number(value: Any, ctx: Context) -> str:
    text = as_text(value)
    if len(text) > 20:
        raise CellError("ยาวเกิน 20 ตัวอักษร")
    return text


# ---------------------------------------------------------------------------- formatting


def _label(choices) -> Any:
    labels = dict(choices)
    return lambda value, ctx: labels.get(value, value or "")


def _standing_name(value, ctx) -> str:
    standing = ctx.extra["standings"].get(value)
    return standing.name if standing else (value or "")


def _area_names(value, ctx) -> str:
    areas = ctx.extra["areas"]
    return ", ".join(areas[c].name if c in areas else c for c in value or [])


def _school_display(value, ctx) -> str:
    school = ctx.extra["schools"].get(value)
    return f"{value} {school.name}" if school else (value or "สำนักงานเขตพื้นที่")


def _secondment_school_display(value, ctx) -> str:
    if not value:
        return ""
    school = _any_school(value, ctx)
    return f"{value} {school.name}" if school else value


def _date_display(value, ctx) -> str:
    return format_date(value)


def _salary_cell(value, ctx):
    return Decimal(value) if value else ""


# Headers offices give the national-ID column (every import that matches people uses them).
NATIONAL_ID_ALIASES = (
    "เลขบัตรประชาชน",
    "เลขที่บัตรประชาชน",
    "เลขบัตรประจำตัวประชาชน",
    "เลขที่บัตรประจำตัวประชาชน",
    "บัตรประชาชน",
    "เลข ปชช",
    "เลขประจำตัว ปชช",
    "เลขประจำตัวประชาชน 13 หลัก",
    "รหัสประจำตัวประชาชน",
    "เลขบัตร",
    "citizen id",
    "national id",
)

COLUMNS = (
    ignored("seq", "ลำดับ", "ลำดับที่", "ที่", "no", width=6),
    Column(
        "national_id",
        "เลขประจำตัวประชาชน",
        aliases=NATIONAL_ID_ALIASES,
        required=True,
        read=read_national_id,
        needs_value=True,
        example="3100600445635",
        width=17,
        display=lambda v, ctx: v or "",
        help="13 หลัก เขียนติดกันหรือมีขีดคั่นก็ได้ ใช้เลขไทยได้",
    ),
    Column(
        "title",
        "คำนำหน้า",
        memo=True,
        aliases=("คำนำหน้าชื่อ", "คำนำหน้านาม"),
        read=text_reader(50),
        needs_value=True,
        example="นาง",
        width=10,
    ),
    Column(
        "first_name",
        "ชื่อ",
        memo=True,  # common first names recur through a large office's list
        aliases=("ชื่อจริง",),
        required=True,
        read=text_reader(100),
        needs_value=True,
        example="สมศรี",
    ),
    Column(
        "last_name",
        "นามสกุล",
        aliases=("สกุล",),
        required=True,
        read=text_reader(100),
        needs_value=True,
        example="ใจดี",
    ),
    Column(
        "full_name",
        "ชื่อ-นามสกุล",
        # "ชื่อ-สกุล (คำนำหน้า)" is read by its bare form; spelled out as an alias, it was
        # also "ชื่อ - สกุล" merged over the column "คำนำหน้า" of a two-row header.
        aliases=("ชื่อ - สกุล", "ชื่อสกุล", "ชื่อและนามสกุล"),
        read=text_reader(200),
        exported=False,
        help="ใช้แทนคอลัมน์ คำนำหน้าชื่อ ชื่อ นามสกุล ได้ เช่น นายสมชาย ใจดี",
    ),
    Column(
        "gender",
        "เพศ",
        memo=True,
        read=choice_reader(GENDERS, Gender.labels),
        fmt=_label(Gender.choices),
        example="หญิง",
        width=8,
        help="ว่างได้ถ้าคำนำหน้าเป็น นาย/นาง/นางสาว",
    ),
    Column(
        "birth_date",
        "วันเดือนปีเกิด",
        memo=True,
        aliases=("วันเกิด", "วัน/เดือน/ปีเกิด", "วันเดือนปี เกิด", "ว/ด/ป เกิด", "วันที่เกิด"),
        read=date_reader(earliest=dt.date(1930, 1, 1), at_least_years_ago=MIN_WORKING_AGE),
        blank=None,
        fmt=lambda v, ctx: format_date(v),
        display=_date_display,
        example="15/03/2530",
        width=12,
        help="พ.ศ. หรือ ค.ศ. เช่น 15/03/2530, 15 มี.ค. 2530",
    ),
    Column(
        "personnel_type",
        "ประเภทบุคลากร",
        memo=True,
        aliases=("ประเภท", "ประเภทตำแหน่ง"),
        read=choice_reader(PERSONNEL_TYPES, PersonnelType.labels),
        fmt=_label(PersonnelType.choices),
        example="ครู",
        width=18,
    ),
    Column(
        "position",
        "ตำแหน่ง",
        memo=True,
        aliases=("ตำแหน่งปัจจุบัน", "ชื่อตำแหน่ง"),
        read=text_reader(100),
        needs_value=True,
        example="ครู",
    ),
    Column(
        "standing",
        "วิทยฐานะ",
        memo=True,
        read=read_standing,
        fmt=_standing_name,
        example="ชำนาญการพิเศษ",
        width=16,
        help="ชื่อวิทยฐานะ เช่น ชำนาญการ หรืออันดับ เช่น คศ.2",
    ),
    Column(
        "position_number",
        "เลขที่ตำแหน่ง",
        aliases=("เลขตำแหน่ง", "ตำแหน่งเลขที่"),  # the civil-service registers' wording
        read=read_position_number,
        example="12345",
        width=12,
    ),
    Column(
        "salary_grade",
        "อันดับ",
        aliases=("อันดับเงินเดือน", "ระดับ/อันดับ"),
        read=read_salary_grade,
        memo=True,
        example="คศ.3",
        width=10,
    ),
    Column(
        "salary",
        "เงินเดือน",
        memo=True,  # salaries are steps of the salary tables: few distinct amounts
        aliases=("อัตราเงินเดือน", "เงินเดือน (บาท)", "เงินเดือนปัจจุบัน", "อัตราเงินเดือนปัจจุบัน"),
        read=decimal_reader(
            places=2, minimum=Decimal(0), maximum=Decimal("9999999.99"), unit="บาท"
        ),
        blank=None,
        fmt=_salary_cell,
        display=lambda v, ctx: f"{Decimal(v):,.2f}" if v else "",
        example=Decimal("45000"),
        width=12,
    ),
    Column(
        "appointment_date",
        "วันบรรจุ",
        memo=True,
        aliases=(
            "วันที่บรรจุ",
            "วันเดือนปีที่บรรจุ",
            "วันเดือนปีบรรจุ",
            "วันบรรจุแต่งตั้ง",
            "วันที่บรรจุแต่งตั้ง",
            "ว/ด/ป บรรจุ",
            "ว/ด/ป ที่บรรจุ",
            "วันเริ่มรับราชการ",
            "วันเข้ารับราชการ",
            "วันที่เข้ารับราชการ",
        ),  # fmt: skip
        read=date_reader(earliest=dt.date(1950, 1, 1), not_after_today=True),
        blank=None,
        fmt=lambda v, ctx: format_date(v),
        display=_date_display,
        example="01/06/2555",
        help="วันที่ได้รับการบรรจุแล้ว (ไม่เกินวันนี้) พ.ศ. หรือ ค.ศ.",
        width=12,
    ),
    Column(
        "school",
        "รหัสสถานศึกษา",
        memo=True,
        aliases=("รหัสโรงเรียน", "รหัส smis", "รหัสสถานศึกษา 10 หลัก"),
        read=read_school,
        display=_school_display,
        example="1076100101",
        width=13,
        help="10 หลัก เว้นว่างถ้าปฏิบัติงานที่สำนักงานเขตพื้นที่",
    ),
    # Read only where the file has no รหัสสถานศึกษา column (a school's own list often names
    # its school alone): the school is then found by its name (check_row).
    Column(
        "school_name",
        "ชื่อสถานศึกษา",
        aliases=("โรงเรียน", "ชื่อโรงเรียน", "สถานศึกษา", "หน่วยงาน"),
        read=text_reader(200),
        width=28,
        example="โรงเรียนบ้านตัวอย่าง",
        help="ใช้หาสถานศึกษาเมื่อไฟล์ไม่มีคอลัมน์รหัสสถานศึกษา",
    ),
    Column(
        "highest_degree",
        "วุฒิการศึกษาสูงสุด",
        memo=True,
        aliases=("วุฒิสูงสุด", "ระดับการศึกษาสูงสุด", "วุฒิการศึกษา", "วุฒิ", "ระดับการศึกษา"),
        read=choice_reader(DEGREES, Degree.labels),
        fmt=_label(Degree.choices),
        example="ปริญญาโท",
        width=14,
    ),
    Column(
        "major",
        "วิชาเอก",
        memo=True,
        aliases=("สาขาวิชาเอก", "วิชาเอก (วุฒิสูงสุด)", "สาขาวิชา", "วิชาเอก/สาขา", "วิชาเอก/สาขาวิชา"),
        read=read_major,
        example="คณิตศาสตร์",
        width=16,
    ),
    Column(
        "areas_taught",
        "กลุ่มสาระที่สอน",
        memo=True,
        aliases=("กลุ่มสาระการเรียนรู้ที่สอน", "สอนกลุ่มสาระ", "กลุ่มสาระ"),
        read=read_areas,
        blank=list,
        fmt=_area_names,
        display=_area_names,
        example="คณิตศาสตร์, วิทยาศาสตร์และเทคโนโลยี",
        width=28,
        help="หลายกลุ่มสาระคั่นด้วยจุลภาค (,) ใช้ชื่อเต็มหรือชื่อย่อก็ได้",
    ),
    Column(
        "phone",
        "โทรศัพท์",
        aliases=(
            "เบอร์โทรศัพท์",
            "หมายเลขโทรศัพท์",
            "เบอร์โทร",
            "โทรศัพท์มือถือ",
            "เบอร์มือถือ",
            "มือถือ",
            "เบอร์โทรศัพท์มือถือ",
            "หมายเลขโทรศัพท์มือถือ",
            "โทร",
        ),  # fmt: skip
        read=read_phone,
        example="0812345678",
        width=12,
    ),
    Column(
        "email",
        "อีเมล",
        aliases=("e-mail", "email", "อีเมล์"),
        read=read_email,
        example="somsri@example.com",
        width=22,
    ),
    Column(
        "status",
        "สถานะ",
        memo=True,
        aliases=("สถานภาพ", "สถานะการปฏิบัติงาน"),
        read=choice_reader(STATUSES, PersonStatus.labels),
        blank=PersonStatus.ACTIVE.value,
        fmt=_label(PersonStatus.choices),
        example="ปฏิบัติงาน",
        width=10,
        help="ว่างไว้ = ปฏิบัติงาน",
    ),
    Column(
        "employment",
        "ประเภทการจ้าง",
        memo=True,
        aliases=("การจ้าง", "ประเภทการจ้างงาน", "สถานภาพการจ้าง"),
        read=choice_reader(EMPLOYMENTS, Employment.labels),
        blank=Employment.CIVIL_SERVANT.value,
        fmt=_label(Employment.choices),
        example="ข้าราชการ",
        width=14,
        help="ว่างไว้ = ข้าราชการ; พนักงานราชการ ครูอัตราจ้าง ลูกจ้างประจำ ไม่มีตำแหน่งใน จ.18",
    ),
    Column(
        "secondment",
        "การช่วยราชการ",
        memo=True,
        aliases=("ช่วยราชการ", "สถานะการช่วยราชการ"),
        read=choice_reader(SECONDMENTS, [label for value, label in Secondment.choices if value]),
        fmt=lambda v, ctx: Secondment(v).label if v else "",
        display=lambda v, ctx: Secondment(v).label if v else "",
        example="",
        width=14,
        help="ว่างไว้ = ไม่ได้ช่วยราชการ; ไปช่วยราชการ (ตำแหน่งอยู่ที่นี่ ทำงานที่อื่น) "
        "หรือ มาช่วยราชการ (ทำงานที่นี่ ตำแหน่งอยู่ที่อื่น)",
    ),
    Column(
        "secondment_school",
        "สถานศึกษาที่ช่วยราชการ",
        memo=True,
        aliases=(
            "รหัสสถานศึกษาที่ช่วยราชการ",
            "โรงเรียนที่ช่วยราชการ",
            "รหัสโรงเรียนที่ช่วยราชการ",
            "ช่วยราชการที่",
        ),
        read=read_secondment_school,
        display=_secondment_school_display,
        example="",
        width=13,
        help="รหัส 10 หลัก: ไปช่วยราชการ = ที่ที่ไปทำงาน; มาช่วยราชการ = ต้นสังกัดของตำแหน่ง",
    ),
    Column(
        "secondment_until",
        "ช่วยราชการถึง",
        memo=True,
        aliases=("ช่วยราชการถึงวันที่", "สิ้นสุดการช่วยราชการ", "วันสิ้นสุดการช่วยราชการ"),
        read=date_reader(earliest=dt.date(1990, 1, 1), latest_years_ahead=10),
        blank=None,
        fmt=lambda v, ctx: format_date(v),
        display=_date_display,
        example="",
        width=12,
    ),
)

SPEC = Spec(COLUMNS)


@functools.cache
def _attnames(names: tuple[str, ...]) -> list[str]:
    return [Person._meta.get_field(n).attname for n in names]


def _related_by_pk(ctx: Context) -> list[tuple[str, str, dict]]:
    extra = ctx.extra
    return [
        ("school_id", "school", {s.pk: s for s in extra["schools"].values()}),
        (
            "academic_standing_id",
            "academic_standing",
            {s.pk: s for s in extra["standings"].values()},
        ),
        ("major_id", "major", {m.pk: m for m in extra["majors"].values()}),
        (
            "secondment_school_id",
            "secondment_school",
            {
                s.pk: s
                for s in (*extra["schools"].values(), *extra.get("other_schools", {}).values())
                if s is not None
            },
        ),
    ]


_DATE_KEYS = ("birth_date", "appointment_date", "secondment_until")


def _model_value(key: str, value: Any, ctx: Context) -> tuple[str, Any]:
    """The Person field a comparable value sets, and the value it takes there (schools,
    standings and majors as their rows, dates and money as Python values)."""
    extra = ctx.extra
    if key == "school":
        return "school", extra["schools"][value] if value else None
    if key == "standing":
        return "academic_standing", extra["standings"][value] if value else None
    if key == "major":
        return "major", extra["majors"][value] if value else None
    if key == "secondment_school":
        return "secondment_school", _any_school(value, ctx)
    if key in _DATE_KEYS:
        return key, dt.date.fromisoformat(value) if value else None
    if key == "salary":
        return "salary", Decimal(value) if value else None
    return key, value


# The comparable keys `_model_value` turns into another field or another type.
_CONVERTED = frozenset({"school", "standing", "major", "secondment_school", "salary", *_DATE_KEYS})

# Person's columns: (field name, column attname, whether it refers to another row).
_PERSON_COLUMNS = tuple(
    (f.name, f.attname, f.is_relation)
    for f in Person._meta.local_concrete_fields
    if not f.primary_key
)


@functools.cache
def _person_defaults() -> dict[str, Any]:
    return {name: Person._meta.get_field(name).get_default() for name, _, _ in _PERSON_COLUMNS}


def _new_person(values: dict, ctx: Context, now: dt.datetime) -> dict[str, Any]:
    """A new person's fields by name (related rows as rows): a row's values over what
    `Person()` starts from, as `_assign` would set them on an instance."""
    fields = dict(_person_defaults())
    fields.update(office=ctx.office, status=PersonStatus.ACTIVE, created_at=now, updated_at=now)
    for key, value in values.items():
        if key in _CONVERTED:
            name, value = _model_value(key, value, ctx)
            fields[name] = value
        elif key != "areas_taught":
            fields[key] = value  # what `_model_value` gives for the other keys
    return fields


# The columns whose field name is their attname, and those referring to another row with
# (name, attname, the id of that row): split once, so a new person's columns are one
# comprehension and a few ids, not a test per column.
_PLAIN_PERSON_COLUMNS = tuple(name for name, attname, related in _PERSON_COLUMNS if not related)
_RELATED_PERSON_COLUMNS = tuple(
    (f.name, f.attname, operator.attrgetter(f.related_model._meta.pk.attname))
    for f in Person._meta.local_concrete_fields
    if f.is_relation and not f.primary_key
)


def _column_values(fields: dict[str, Any]) -> dict[str, Any]:
    """Fields by name (related rows as rows) → the columns `insert_rows` writes."""
    columns = {name: fields[name] for name in _PLAIN_PERSON_COLUMNS}
    for name, attname, row_id in _RELATED_PERSON_COLUMNS:
        value = fields[name]
        columns[attname] = None if value is None else row_id(value)
    return columns


# How a Person is read for comparison and export: one query, no model instances.
PERSON_VALUES = (
    "pk", "office_id", "school_id", "national_id", "title", "first_name", "last_name", "gender",
    "birth_date", "personnel_type", "position", "academic_standing__code", "position_number",
    "salary_grade", "salary", "appointment_date", "school__obec_code", "highest_degree",
    "major__name", "phone", "email", "status", "employment", "secondment",
    "secondment_school__obec_code", "secondment_until",
)  # fmt: skip
_CENTS = Decimal("0.01")


def _quality_units(rows: list, existing: dict, ctx: Context) -> set:
    """(office, school) of every person written, before and after (registry.quality_counts)."""
    schools = ctx.extra["schools"]
    units = set()
    for row in rows:
        if row.status not in (NEW, CHANGED):
            continue
        code = row.values.get("school")
        school = schools[code].pk if code in schools else None
        if row.status == CHANGED:
            old = existing[row.key]
            units.add((old.office_id, old.school_id))
            if "school" not in row.values:
                school = old.school_id
        units.add((ctx.office.pk, school))
    return units


def _comparable(row: tuple, areas: list[str]) -> Existing:
    (pk, office_id, school_id, national_id, title, first_name, last_name, gender, birth_date,
     personnel_type, position, standing, position_number, salary_grade, salary, appointment_date,
     school_code, degree, major, phone, email, status, employment, secondment,
     secondment_school, secondment_until) = row  # fmt: skip
    data = {
        "national_id": national_id,
        "title": clean_text(title),
        "first_name": clean_text(first_name),
        "last_name": clean_text(last_name),
        "gender": gender or "",
        "birth_date": birth_date.isoformat() if birth_date else None,
        "personnel_type": personnel_type or "",
        "position": clean_text(position),
        "standing": standing or "",
        "position_number": clean_text(position_number),
        "salary_grade": clean_text(salary_grade),
        "salary": str(Decimal(salary).quantize(_CENTS)) if salary is not None else None,
        "appointment_date": appointment_date.isoformat() if appointment_date else None,
        "school": school_code or "",
        "highest_degree": degree or "",
        "major": major or "",
        "areas_taught": areas,
        "phone": clean_text(phone),
        "email": (email or "").strip(),
        "status": status or "",
        "employment": employment or "",
        "secondment": secondment or "",
        "secondment_school": secondment_school or "",
        "secondment_until": secondment_until.isoformat() if secondment_until else None,
    }
    return Existing(pk=pk, data=data, office_id=office_id, school_id=school_id)


class PersonnelImporter(Importer):
    kind = "personnel"
    label = "ข้อมูลบุคลากร"
    spec = SPEC
    key_field = "national_id"
    school_field = "school"

    def context(self, *, office: Office, scope_school=None) -> Context:
        ctx = super().context(office=office, scope_school=scope_school)
        standings = {s.code: s for s in AcademicStanding.objects.all()}
        standing_keys: dict[str, str] = {}
        for s in standings.values():
            short = STANDING_ABBREVIATIONS.get(s.name, ())
            for name in (s.name, s.code, s.salary_grade, f"ครู{s.name}", f"วิทยฐานะ{s.name}", *short):
                if name:
                    standing_keys.setdefault(norm_key(name), s.code)
        majors = {m.name: m for m in Major.objects.all()}
        areas = {a.code: a for a in LearningArea.objects.all()}
        area_keys: dict[str, str] = {}
        for a in areas.values():
            for name in (a.name, a.short_name, a.code):
                area_keys.setdefault(norm_key(name), a.code)
        grade_keys = {norm_key(s.salary_grade): s.salary_grade for s in standings.values()}
        grade_keys.pop("", None)
        ctx.extra.update(
            grade_keys=grade_keys,
            other_grade_keys={norm_key(g) for g in OTHER_SALARY_GRADES},
            schools={
                s.obec_code: s
                for s in School.objects.filter(office=office).select_related("merged_into")
            },
            standings=standings,
            standing_keys=standing_keys,
            majors=majors,
            major_keys={norm_key(name): name for name in majors},
            areas=areas,
            area_keys=area_keys,
            area_order={code: i for i, code in enumerate(areas)},
            offices={},
        )
        return ctx

    def mapping_problems(self, mapped) -> list[str]:
        mapped = set(mapped)
        if "full_name" in mapped:  # one column of full names stands for its parts
            mapped |= {"first_name", "last_name"}
        return super().mapping_problems(mapped)

    def check_row(self, values: dict, errors: list, ctx: Context) -> None:
        if "full_name" in values:
            self._split_full_name(values, errors, ctx)
        self._title_in_first_name(values, errors, ctx)
        school_name = values.pop("school_name", None)
        if school_name is not None and "school" not in values and "school" not in ctx.headers:
            # No code column: the school named is the person's school, or the row's error (a
            # new person was made office staff, the name shown as "not imported").
            try:
                values["school"] = school_by_name(school_name, ctx) if school_name else ""
            except CellError as error:
                errors.append(ctx.error(SPEC, "school_name", str(error)))
        # A blank เพศ or ประเภทบุคลากร is read from the title or position when they say it plainly.
        if values.get("gender") == "" and "title" in values:
            values["gender"] = _guess_gender(values["title"])
            if not values["gender"]:
                errors.append(ctx.error(SPEC, "gender", "ไม่ได้ระบุเพศ (เดาจากคำนำหน้าไม่ได้)"))
        if values.get("personnel_type") == "" and "position" in values:
            values["personnel_type"] = _guess_type(values["position"])
            if not values["personnel_type"]:
                errors.append(ctx.error(SPEC, "personnel_type", "ไม่ได้ระบุประเภทบุคลากร"))
        if ctx.scope_school is not None and values.get("school", None) == "":
            errors.append(ctx.error(SPEC, "school", SCOPE_MESSAGE))
        birth, appointed = values.get("birth_date"), values.get("appointment_date")
        if birth and appointed and appointed < birth:
            errors.append(ctx.error(SPEC, "appointment_date", "วันบรรจุอยู่ก่อนวันเกิด"))
        elif birth and appointed and _years_between(birth, appointed) < MIN_WORKING_AGE:
            message = f"วันบรรจุทำให้อายุขณะบรรจุไม่ถึง {MIN_WORKING_AGE} ปี ตรวจสอบวันเกิดหรือวันบรรจุ"
            errors.append(ctx.error(SPEC, "appointment_date", message))
        standing = ctx.extra["standings"].get(values.get("standing") or "")
        grade = values.get("salary_grade")
        if (
            standing is not None
            and standing.salary_grade
            and grade in ctx.extra["grade_keys"].values()
            and grade != standing.salary_grade
        ):
            message = f"อันดับ {grade} ไม่ตรงกับวิทยฐานะ{standing.name} (อันดับ {standing.salary_grade})"
            errors.append(ctx.error(SPEC, "salary_grade", message))
        if values.get("secondment") == "" and (
            values.get("secondment_school") or values.get("secondment_until")
        ):
            message = "มีสถานศึกษาหรือวันสิ้นสุดการช่วยราชการ แต่ไม่ได้ระบุการช่วยราชการ"
            errors.append(ctx.error(SPEC, "secondment", message))
        other = values.get("secondment_school")
        if values.get("secondment") and other and other == values.get("school"):
            message = "สถานศึกษาที่ช่วยราชการต้องไม่ใช่สถานศึกษาต้นสังกัด"
            errors.append(ctx.error(SPEC, "secondment_school", message))

    def _title_in_first_name(self, values: dict, errors: list, ctx: Context) -> None:
        """ "นาย | นายสมชาย": the title typed again before the first name, which would show as
        "นายนายสมชาย" on every list and certificate, is taken off; a first name opening with
        another title than the title column's is refused, as nobody can tell which is right."""
        first, title = values.get("first_name") or "", values.get("title") or ""
        if first and not title:
            self._title_from_first_name(values, errors, ctx)
            return
        opens = title_at_start(first) if first and title else ""
        if not opens:
            return
        if norm_key(opens) == norm_key(title):
            values["first_name"] = first[len(opens) :].strip()
            return
        message = (
            f"ชื่อ “{clip(first, 40)}” ขึ้นต้นด้วยคำนำหน้า “{opens}” ซึ่งไม่ตรงกับคำนำหน้า “{title}” "
            "ให้ใส่คำนำหน้าไว้ในคอลัมน์คำนำหน้าเท่านั้น"
        )
        errors.append(ctx.error(SPEC, "first_name", message))

    def _title_from_first_name(self, values: dict, errors: list, ctx: Context) -> None:
        """ "| นายสมชาย": the title cell left empty and the title typed with the first name, as
        a full name gives it (split_full_name). Without a title column nothing is taken: an
        existing person's first name is not cut on a guess."""
        # The error an empty title cell was given (Column.convert, needs_value).
        blank = {
            "column": ctx.header(SPEC, "title"),
            "message": f"ไม่ได้กรอก{SPEC.by_key['title'].header}",
        }
        if "title" not in ctx.headers or blank not in errors:
            return
        first = values["first_name"]
        opens = title_at_start(first)
        if opens:
            errors.remove(blank)
            values["title"], values["first_name"] = opens, first[len(opens) :].strip()

    def _split_full_name(self, values: dict, errors: list, ctx: Context) -> None:
        """Title, first and last name from a full-name column, where the file has no column
        of their own (a column of their own wins)."""
        full = values.pop("full_name")
        if not full:
            if not values.get("first_name"):
                errors.append(ctx.error(SPEC, "full_name", "ไม่ได้กรอกชื่อ-นามสกุล"))
            return
        title, first, last = split_full_name(full)
        if not last:
            message = f"ชื่อ-นามสกุล “{clip(full, 60)}” ต้องมีทั้งชื่อและนามสกุล คั่นด้วยช่องว่าง"
            errors.append(ctx.error(SPEC, "full_name", message))
            return
        for key, part in (("title", title), ("first_name", first), ("last_name", last)):
            if part and not values.get(key):
                values[key] = part

    def row_warnings(self, values: dict, ctx: Context) -> list[dict[str, str]]:
        # Someone still placed at a closed school is imported as filed (their history
        # stays), but is to be moved: said on the preview. A new person there is refused
        # (classify).
        if closed := _closed_school(values.get("school"), ctx):
            message = (
                f"{closed.name} {closed.closure_label} บุคลากรที่ยังอยู่ในสถานศึกษานี้ควรย้าย"
                "ไปสถานศึกษาอื่น (หน้าสถานศึกษา: ย้ายบุคลากร)"
            )
            return [ctx.error(SPEC, "school", message)]
        return []

    def kept_unchanged(self, values: dict) -> dict:
        # The apply confirms every school the file names, unchanged people's included.
        return {"school": values["school"]} if "school" in values else {}

    def row_label(self, values: dict, ctx: Context) -> str:
        name = " ".join(p for p in (values.get("first_name"), values.get("last_name")) if p)
        return clip(f"{values.get('title') or ''}{name}", 200)

    def existing(self, keys: list[str], ctx: Context, *, for_update: bool = False) -> dict:
        people = Person.objects.filter(AnyOf(F("national_id"), keys))
        if for_update:
            people = people.select_for_update(of=("self",))
        return {e.data["national_id"]: e for e in self.comparables(people)}

    def comparables(
        self, people: QuerySet[Person], *, chunk_size: int = 2000
    ) -> Iterator[Existing]:
        """Existing people in comparable form, two queries per chunk, in queryset order."""
        rows = people.values_list(*PERSON_VALUES)
        if not people.query.select_for_update:
            rows = rows.iterator(chunk_size=chunk_size)
        through = Person.areas_taught.through
        for chunk in chunked(rows, chunk_size):
            areas: dict[int, list[str]] = defaultdict(list)
            for person_id, code in (
                through.objects.filter(AnyOf(F("person_id"), [r[0] for r in chunk]))
                .values_list("person_id", "learningarea__code")
                .order_by("person_id", "learningarea__sort_order", "learningarea__code")
            ):
                areas[person_id].append(code)
            for row in chunk:
                yield _comparable(row, areas.get(row[0], []))

    def classify(self, values: dict, existing: Existing | None, ctx: Context) -> Outcome:
        if existing is None:
            # Fields the file has no column for: inferred where that is safe, so that the values
            # stored with the row are exactly what will be written.
            if "gender" not in values and values.get("title"):
                values["gender"] = _guess_gender(values["title"])
            if "personnel_type" not in values and values.get("position"):
                values["personnel_type"] = _guess_type(values["position"])
            if "school" not in values and ctx.scope_school is not None:
                values["school"] = ctx.scope_school.obec_code
            errors = [
                ctx.error(SPEC, key, f"บุคลากรใหม่ต้องมีข้อมูล{SPEC.by_key[key].header}")
                for key in NEW_PERSON_NEEDS
                if not values.get(key)
            ]
            if closed := _closed_school(values.get("school"), ctx):
                message = (
                    f"{closed.name} ({closed.obec_code}) {closed.closure_label} "
                    "บรรจุหรือแต่งตั้งบุคลากรใหม่ที่สถานศึกษานี้ไม่ได้ ให้ระบุสถานศึกษาที่ยังเปิดอยู่"
                )
                errors.append(ctx.error(SPEC, "school", message))
            return Outcome(ERROR if errors else NEW, errors=errors)
        if existing.office_id != ctx.office.pk:
            office = self._office_name(existing.office_id, ctx)
            message = (
                f"เลขประจำตัวประชาชนนี้เป็นของบุคลากรสังกัด{office} (การย้ายข้ามเขตต้องให้เขตเดิมดำเนินการ)"
            )
            return Outcome(ERROR, errors=[ctx.error(SPEC, "national_id", message)])
        if ctx.scope_school is not None and existing.school_id != ctx.scope_school.pk:
            return Outcome(ERROR, errors=[ctx.error(SPEC, "national_id", SCOPE_MESSAGE)])
        moved_to = values.get("school")
        if moved_to != existing.data["school"] and (closed := _closed_school(moved_to, ctx)):
            message = (
                f"{closed.name} ({closed.obec_code}) {closed.closure_label} "
                "ย้ายบุคลากรไปสถานศึกษานี้ไม่ได้ ให้ระบุสถานศึกษาที่ยังเปิดอยู่"
            )
            return Outcome(ERROR, errors=[ctx.error(SPEC, "school", message)])
        changes = self.changes_between(values, existing.data, ctx)
        return Outcome(CHANGED if changes else UNCHANGED, changes=changes, target_id=existing.pk)

    def _office_name(self, office_id: int | None, ctx: Context) -> str:
        names = ctx.extra["offices"]
        if office_id not in names:
            office = Office.objects.filter(pk=office_id).first()
            names[office_id] = office.name if office else "เขตพื้นที่อื่น"
        return names[office_id]

    # -- writing

    def _assign(self, person: Person, values: dict, keys, ctx: Context) -> None:
        for key in keys:
            if key != "areas_taught" and key in values:
                setattr(person, *_model_value(key, values[key], ctx))

    def apply(self, rows: list, existing: dict, ctx: Context, writer: Writer) -> None:
        schools = ctx.extra["schools"]
        for row in rows:  # every school named in the file is confirmed by it, changed or not
            if row.values.get("school") in schools:
                writer.schools_touched.add(schools[row.values["school"]].pk)
        self._create(rows, ctx, writer)
        self._update(rows, existing, ctx, writer)
        ctx.extra.setdefault("quality_units", set()).update(_quality_units(rows, existing, ctx))

    def _create(self, rows: list, ctx: Context, writer: Writer) -> None:
        """New people from plain values: no Person instance per row (100,000 of them were a
        fifth of an import), the same columns, audit entries and learning areas."""
        areas = ctx.extra["areas"]
        new_people: list[tuple[dict, list[str]]] = []
        for row in rows:
            if row.status == NEW:
                fields = _new_person(row.values, ctx, writer.now)
                new_people.append((fields, row.values.get("areas_taught", [])))
        if not new_people:
            return
        insert_rows(Person, (_column_values(fields) for fields, _ in new_people))
        national_ids = [fields["national_id"] for fields, _ in new_people]
        pks = dict(
            Person.objects.filter(AnyOf(F("national_id"), national_ids))
            .values_list("national_id", "pk")
        )  # fmt: skip
        through = Person.areas_taught.through
        links = []
        # The CREATE entries' changes as text, from pieces made once for the whole import.
        created_changes = ctx.extra.setdefault("created_changes", PersonCreatedJson())
        for fields, codes in new_people:
            pk = pks[fields["national_id"]]
            links += [{"person_id": pk, "learningarea_id": areas[c].pk} for c in codes]
            writer.audit(
                action=AuditAction.CREATE,
                object_type=Person._meta.model_name,
                object_id=str(pk),
                object_label=full_name_of(
                    fields["title"], fields["first_name"], fields["last_name"]
                ),
                changes=created_changes(fields, [areas[c].name for c in codes]),
            )
        insert_rows(through, links)
        writer.created += len(new_people)

    def _update(self, rows: list, existing: dict, ctx: Context, writer: Writer) -> None:
        areas = ctx.extra["areas"]
        changed = [r for r in rows if r.status == CHANGED]
        if not changed:
            return
        stored = Person.objects.in_bulk([r.target_id for r in changed])
        related = _related_by_pk(ctx)
        by_fields: dict[tuple[str, ...], list[tuple[int, list]]] = defaultdict(list)
        new_areas: dict[int, list[str]] = {}
        for row in changed:
            person = stored[row.target_id]
            # Related rows from the lookups already loaded, not one query (or instance) each.
            for attname, field, by_pk in related:
                value = getattr(person, attname)
                if value is not None and value in by_pk:
                    setattr(person, field, by_pk[value])
            old_area_names = [areas[c].name for c in existing[row.key].data["areas_taught"]]
            before = person_snapshot(person, old_area_names)
            old_school_id = person.school_id
            keys = [k for k in row.changes if k in row.values]
            self._assign(person, row.values, keys, ctx)
            area_names = old_area_names
            if "areas_taught" in keys:
                new_areas[person.pk] = row.values["areas_taught"]
                area_names = [areas[c].name for c in row.values["areas_taught"]]
            changes = audit.diff(before, person_snapshot(person, area_names))
            person.updated_at = writer.now
            names = tuple(sorted(MODEL_FIELD.get(k, k) for k in keys if k != "areas_taught"))
            names += ("updated_at",)
            attnames = _attnames(names)
            by_fields[names].append((person.pk, [getattr(person, a) for a in attnames]))
            writer.audit(action=AuditAction.UPDATE, instance=person, changes=changes)
            writer.history(person_id=person.pk, changes=changes, old_school_id=old_school_id)
        # People whose school, type, status or office changes carry their development hours
        # with them in the stored "developed" counts (reporting.developed), in this transaction.
        moved = [pk for names, rows in by_fields.items() if _COUNTED & set(names) for pk, _ in rows]
        with developed.keeping(moved):
            for names, values in by_fields.items():
                update_rows(Person, names, values)
        if new_areas:
            through = Person.areas_taught.through
            through.objects.filter(person_id__in=list(new_areas)).delete()
            insert_rows(
                through,
                (
                    {"person_id": pk, "learningarea_id": areas[c].pk}
                    for pk, codes in new_areas.items()
                    for c in codes
                ),
            )
        writer.updated += len(changed)

    def finish(self, ctx: Context, writer: Writer) -> None:
        # The stored data-quality counts of every school a written person was or is in, once
        # for the whole import, in its transaction.
        quality_counts.recount(ctx.extra.get("quality_units", ()))
        staff_counts.recount(ctx.extra.get("quality_units", ()))  # and the staffing counts
        if writer.wrote and writer.schools_touched:
            School.objects.filter(pk__in=writer.schools_touched).update(
                data_confirmed_at=writer.now, updated_at=writer.now
            )

    # -- exporting

    def _export_people(self, user, params: dict):
        from registry.queries import PeopleFilter, people_list

        names = PeopleFilter.__dataclass_fields__
        return people_list(
            user, PeopleFilter(**{k: str(v) for k, v in params.items() if k in names})
        )

    def export_size(self, user, params: dict) -> int:
        return self._export_people(user, params).count()

    def export_records(self, user, params: dict, ctx: Context) -> Iterator[dict]:
        people = self._export_people(user, params)
        for number, existing in enumerate(self.comparables(people), start=1):
            record = dict(existing.data)
            record["seq"] = number
            school = ctx.extra["schools"].get(record["school"])
            record["school_name"] = school.name if school else ""
            yield record


IMPORTER = PersonnelImporter()
