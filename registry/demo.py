"""A synthetic, deterministic demo office, modelled on the SAR (สพป.เพชรบุรี เขต 1).

One generator serves three audiences: `make run` (one office, 104 schools, ~1,000 people),
the tests (small and fast), and the benchmarks (245 offices, 29,000 schools, 450,000 people).
Everything is drawn from `random.Random` instances seeded from `--seed` plus a stable label,
never from the global generator, uuid4 or today's date, so the same seed rebuilds the same
office byte for byte (timestamps aside) and the benchmark sheet writer can regenerate exactly
the rows that `build_demo` stored.

People come from `iter_person_rows`, which yields plain dicts and knows nothing about the
database: `build_demo` turns them into rows in batches, and a sheet writer can turn the same
dicts into spreadsheet files.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import NamedTuple

from django.db import connections, models, reset_queries, router, transaction
from django.utils import timezone

from krupd.lib.thai_id import check_digit
from oversight.reference_data import THAI_PROVINCES
from staffing import summary as staff_counts

from . import quality_counts
from .models import (
    AcademicStanding,
    Degree,
    Employment,
    Enrolment,
    Gender,
    Grade,
    LearningArea,
    Major,
    Network,
    Office,
    OfficeKind,
    OfficeRules,
    Person,
    PersonnelType,
    PersonStatus,
    School,
    SchoolLevel,
    Secondment,
    SizeBand,
)
from .reference_data import ACADEMIC_STANDINGS, MAJORS

DEFAULT_SEED = 2569
DEMO_PASSWORD = "krupd-demo"
ACADEMIC_YEAR = 2569
CENSUS_DATE = dt.date(2026, 6, 10)
# Ages, service years and "recent" appointments are measured from the census day rather than
# today, so a rebuild next year still produces the same rows.
REFERENCE_DATE = CENSUS_DATE
BATCH_SIZE = 5000

_BANGKOK = dt.timezone(dt.timedelta(hours=7))

# ---------------------------------------------------------------------------------------------
# Geography

# The 77 provinces in the order the demo spreads offices over them: เพชรบุรี (the demo office)
# first, then by code.
PROVINCES: list[tuple[str, str]] = sorted(THAI_PROVINCES, key=lambda province: province[0] != "76")


class District(NamedTuple):
    name: str
    short: str  # as used in "โรงเรียนอนุบาล…"
    weight: float  # share of the office's schools
    lat: float
    lon: float
    subdistricts: tuple[str, ...]


# The districts of เพชรบุรี เขต 1, with approximate centres; all inside 12.9–13.3 N, 99.6–100.1 E.
PHETCHABURI_DISTRICTS: list[District] = [
    District("เมืองเพชรบุรี", "เพชรบุรี", 0.38, 13.10, 99.94, (
        "ท่าราบ", "คลองกระแชง", "บางจาน", "นาพันสาม", "ธงชัย", "บ้านกุ่ม", "หนองโสน",
        "ไร่ส้ม", "เวียงคอย", "บางจาก", "บ้านหม้อ", "ต้นมะม่วง", "ช่องสะแก", "นาวุ้ง",
        "สำมะโรง", "โพพระ", "หาดเจ้าสำราญ", "หัวสะพาน", "ต้นมะพร้าว", "วังตะโก",
        "โพไร่หวาน", "ดอนยาง", "หนองขนาน", "หนองพลับ",
    )),
    District("บ้านลาด", "บ้านลาด", 0.22, 13.04, 99.87, (
        "บ้านลาด", "บ้านหาด", "บ้านทาน", "ตำหรุ", "สมอพลือ", "ไร่มะขาม", "ท่าเสน",
        "หนองกระเจ็ด", "หนองกะปุ", "ลาดโพธิ์", "สะพานไกร", "ไร่โคก", "โรงเข้", "ไร่สะท้อน",
        "ห้วยข้อง", "ท่าช้าง", "ถ้ำรงค์", "ห้วยลึก",
    )),
    District("เขาย้อย", "เขาย้อย", 0.16, 13.23, 99.82, (
        "เขาย้อย", "สระพัง", "บางเค็ม", "ทับคาง", "หนองปลาไหล", "หนองปรง", "หนองชุมพล",
        "ห้วยโรง", "ห้วยท่าช้าง", "หนองชุมพลเหนือ",
    )),
    District("บ้านแหลม", "บ้านแหลม", 0.14, 13.19, 100.03, (
        "บ้านแหลม", "บางขุนไทร", "ปากทะเล", "บางแก้ว", "แหลมผักเบี้ย", "บางตะบูน",
        "บางตะบูนออก", "บางครก", "ท่าแร้ง", "ท่าแร้งออก",
    )),
    District("หนองหญ้าปล้อง", "หนองหญ้าปล้อง", 0.10, 13.16, 99.70, (
        "หนองหญ้าปล้อง", "ยางน้ำกลัดเหนือ", "ยางน้ำกลัดใต้", "ท่าตะคร้อ",
    )),
]  # fmt: skip
_DEMO_BOX = (12.9, 13.3, 99.6, 100.1)  # lat min/max, lon min/max

# Thai place names are mostly a landscape word plus a plant, animal or quality.
_PLACE_HEADS = [
    "หนอง", "บาง", "ห้วย", "โคก", "ดอน", "นา", "ท่า", "วัง", "บ่อ", "โป่ง", "สระ", "ไร่",
    "ทุ่ง", "เขา", "หัว", "ต้น", "ลาด", "คลอง", "ปาก", "หาด",
]  # fmt: skip
_PLACE_TAILS = [
    "ไผ่", "มะม่วง", "ตาล", "ขาม", "ยาง", "กระเจ็ด", "โสน", "จิก", "ชะอม", "ตะเคียน", "มะขาม",
    "ปลาไหล", "เสือ", "ช้าง", "หิน", "ทราย", "แก", "ใหญ่", "น้อย", "กลาง", "ใหม่", "พลับ",
    "ลำพู", "กุ่ม", "จาก", "ตะโก", "ม่วง", "สะแก", "โพธิ์", "ไทร", "ยาว", "แดง", "ขาว", "ทอง",
    "บัว", "กะปุ", "กระดี่", "พลอย", "มะกอก", "ขี้เหล็ก", "ปรง", "ตะแบก",
]  # fmt: skip
_PLACE_SUFFIXES = ["เหนือ", "ใต้", "ใหม่", "ออก", "ตก"]
_TEMPLE_HEADS = [
    "โพธิ์", "ไทร", "ม่วง", "ท่า", "บาง", "เขา", "ดอน", "ทุ่ง", "หนอง", "ห้วย", "สระ", "โคก",
    "ป่า", "ไร่", "บ่อ", "ต้น", "นา", "ลาด", "ถ้ำ", "เกาะ",
]  # fmt: skip
_TEMPLE_TAILS = [
    "ทอง", "งาม", "ใหญ่", "กลาง", "เหนือ", "ใต้", "ศรี", "แก้ว", "ไผ่", "ตาล", "ขาม", "ยาง",
    "จิก", "ตะโก", "กระเจ็ด", "มะกอก", "ทราย", "หิน", "ลำเจียก", "ศรีสุวรรณ", "ชัยมงคล",
]  # fmt: skip
_REAL_TEMPLES = [
    "เกาะ", "ไผ่ล้อม", "คงคาราม", "พลับพลาชัย", "ชีประเจิด", "ท่าไชยศิริ", "โพธิ์กรุ",
    "นาพรม", "หนองจอก", "ถ้ำรงค์", "บางจาก", "โพธาวาส", "ปากทะเล", "บางแก้ว", "เขาตะเครา",
    "ห้วยโรง", "ท่าซิก", "ยางหย่อง", "ลาดศิริชัย", "สนามพราหมณ์",
]  # fmt: skip

# ---------------------------------------------------------------------------------------------
# People

_MALE_FIRST = [
    "สมชาย", "สมศักดิ์", "สมพงษ์", "ประเสริฐ", "ประยุทธ", "วิชัย", "วิทยา", "สุรชัย", "สุริยา",
    "ธนากร", "ธนพล", "ณัฐพล", "ณัฐวุฒิ", "กิตติพงษ์", "กิตติศักดิ์", "อนุชา", "อภิชาติ",
    "ชัยวัฒน์", "ชาตรี", "บุญเลิศ", "บุญชัย", "ปิยะพงษ์", "พงศกร", "พิชิต", "มานพ", "ยุทธนา",
    "รัฐพล", "วรวุฒิ", "วีระ", "ศักดิ์ชัย", "สุเทพ", "สุรพล", "เอกชัย", "อดิศักดิ์", "อำนาจ",
    "เกียรติศักดิ์", "จักรพันธ์", "เฉลิมชัย", "ทวีศักดิ์", "ธีรวัฒน์", "นพดล", "ประวิทย์",
    "พีระพงษ์", "ภาณุวัฒน์", "วัชระ", "ศุภชัย", "สมบัติ", "อนันต์", "ชยพล", "ธีรภัทร", "ปกรณ์",
    "วรากร", "ศรายุทธ", "สิทธิชัย", "ไพโรจน์", "มนตรี", "สุวิทย์", "ณรงค์", "ธวัชชัย",
    "เทอดศักดิ์",
]  # fmt: skip
_FEMALE_FIRST = [
    "สมศรี", "สมใจ", "มาลี", "วันดี", "สุภาพร", "สุนิสา", "สุดารัตน์", "กาญจนา", "จันทร์เพ็ญ",
    "จิราพร", "ชุติมา", "ณัฐธิดา", "ดวงใจ", "ทิพวรรณ", "นงลักษณ์", "นันทนา", "บุษบา", "ปราณี",
    "ปิยะนุช", "พรทิพย์", "พิมพ์ชนก", "เพ็ญศรี", "ภัทรา", "มยุรี", "รัตนา", "ลัดดา", "วรรณา",
    "วิไลวรรณ", "ศิริพร", "ศิริรัตน์", "สายสุนีย์", "สุกัญญา", "สุจิตรา", "อรทัย", "อัญชลี",
    "อารีย์", "อุไรวรรณ", "กนกวรรณ", "กมลชนก", "เกศินี", "ขนิษฐา", "จุฑามาศ", "ชลธิชา", "ฐิติมา",
    "ธนพร", "นภาพร", "นิตยา", "ปวีณา", "พัชรี", "เยาวลักษณ์", "รุ่งนภา", "วาสนา", "ศศิธร",
    "สุพัตรา", "อรอุมา", "อมรรัตน์", "เบญจวรรณ", "ปาริชาติ", "ณัฐชยา", "ธิดารัตน์",
]  # fmt: skip
# Composed given names widen the pool beyond the common ones without inventing odd spellings.
_MALE_HEADS = [
    "สม", "ประ", "วิ", "สุ", "อภิ", "กิตติ", "ณัฐ", "ธน", "ชัย", "ศุภ", "ธีร", "วร", "เกียรติ",
    "อนุ", "ภาณุ", "จักร", "พิพัฒน์", "เอก",
]  # fmt: skip
_MALE_TAILS = [
    "ชาย", "ศักดิ์", "พงษ์", "พล", "วุฒิ", "ชัย", "วัฒน์", "กร", "ภัทร", "เดช", "ยุทธ",
    "นันท์", "พันธ์", "วิทย์",
]  # fmt: skip
_FEMALE_HEADS = [
    "สุ", "ศิริ", "จันทร์", "พร", "รัตน", "วรร", "นภ", "ปิย", "ณัฐ", "กมล", "อร", "พิมพ์",
    "ทิพ", "เพ็ญ", "กัญ", "ชุติ",
]  # fmt: skip
_FEMALE_TAILS = [
    "พร", "รัตน์", "ภา", "ณี", "ดา", "วรรณ", "ทิพย์", "นุช", "ชนก", "ธิดา", "มาศ", "ลักษณ์",
    "ศรี", "นภา",
]  # fmt: skip
_SURNAME_HEADS = [
    "ศรี", "แก้ว", "บุญ", "ทอง", "สุข", "จันทร์", "เพชร", "สุวรรณ", "วงศ์", "ชัย", "พรหม",
    "อินทร์", "รัตน", "ปัญญา", "มณี", "ศักดิ์", "เจริญ", "สมบูรณ์", "ทรัพย์", "พูล", "นาค",
    "เงิน", "ใจ", "คำ", "มั่น", "ประเสริฐ", "วิเศษ", "กิจ", "อ่อน", "พึ่ง", "ปาน", "ฉิม",
]  # fmt: skip
_SURNAME_TAILS = [
    "สุข", "ดี", "ศรี", "มณี", "วงศ์", "รัตน์", "ประเสริฐ", "สวัสดิ์", "เจริญ", "ทอง", "แก้ว",
    "งาม", "สมบูรณ์", "พันธ์", "ชัย", "ศักดิ์", "ปัญญา", "พงษ์", "กุล", "วิเศษ", "สถิตย์",
    "ยิ่ง", "มั่น", "เรือง", "ทรัพย์", "สกุล", "ภักดี", "รักษ์", "ธรรม", "หอม", "พาลี",
]  # fmt: skip
_SURNAME_MIDDLES = ["สุวรรณ", "ทอง", "ศรี", "บุญ", "แก้ว", "วงศ์", "รัตน", "มณี"]

_OFFICE_POSITIONS = [
    "นักวิชาการศึกษา", "นักวิชาการศึกษา", "นักวิชาการศึกษา", "นักทรัพยากรบุคคล",
    "นักวิเคราะห์นโยบายและแผน", "นักวิชาการเงินและบัญชี", "นักจัดการงานทั่วไป",
    "นักวิชาการคอมพิวเตอร์", "เจ้าพนักงานธุรการ",
]  # fmt: skip
_OFFICE_MAJORS = [
    "เทคโนโลยีการศึกษา", "การวัดและประเมินผลการศึกษา", "เทคโนโลยีสารสนเทศ", "ธุรกิจศึกษา",
    "การบริหารการศึกษา",
]  # fmt: skip
_SUPERVISOR_MAJORS = [
    "ภาษาไทย", "คณิตศาสตร์", "วิทยาศาสตร์ทั่วไป", "สังคมศึกษา", "ภาษาอังกฤษ",
    "การศึกษาปฐมวัย", "การวัดและประเมินผลการศึกษา", "เทคโนโลยีการศึกษา",
]  # fmt: skip
_ADMIN_MAJOR = "การบริหารการศึกษา"

# Teachers per learning area in the จ.18 table of the SAR, without บริหาร (directors and
# deputies are generated separately). "activity" teachers are guidance and library posts.
_TEACHER_AREAS = {
    SchoolLevel.PRIMARY: {
        "thai": 118, "math": 76, "science": 40, "social": 48, "health": 31, "arts": 16,
        "career": 30, "foreign": 41, "activity": 10, "early": 143,
    },
    SchoolLevel.EXPANSION: {
        "thai": 52, "math": 34, "science": 24, "social": 30, "health": 21, "arts": 14,
        "career": 23, "foreign": 19, "activity": 9, "early": 53,
    },
}  # fmt: skip
# Where out-of-field teachers end up: the areas small schools cannot staff with specialists.
_SHORTAGE_AREAS = {
    "math": 3, "science": 3, "foreign": 3, "early": 2, "arts": 2, "health": 2, "career": 2,
    "thai": 1, "social": 1,
}  # fmt: skip

_MAJORS_BY_AREA: dict[str, list[str]] = {}
for _name, _area in MAJORS:
    if _area:
        _MAJORS_BY_AREA.setdefault(_area, []).append(_name)
_MAJORS_BY_AREA["activity"] = _MAJORS_BY_AREA["guidance"] + _MAJORS_BY_AREA["library"]
_MAJOR_AREA = {name: area for name, area in MAJORS}
_SALARY_GRADE = {code: grade for code, _name, _rank, grade in ACADEMIC_STANDINGS}

# Approximate ranges of the ก.ค.ศ. salary table per grade (baht a month).
_SALARY_RANGE = {
    "assistant": (18050, 21500), "k1": (19000, 41620), "k2": (22000, 50550),
    "k3": (28000, 58390), "k4": (36000, 69040), "k5": (42000, 76800),
    "ปก.": (18000, 34000), "ชก.": (22000, 50550), "ชพ.": (28000, 58390),
}  # fmt: skip

# Data-quality defects, so the data-quality page has something true to show.
MISSING_BIRTH_DATE_SHARE = 0.02
MISSING_MAJOR_SHARE = 0.02
MISSING_PHONE_SHARE = 0.015
MISSING_AREA_SHARE = 0.01
# Out-of-field: teaching only areas other than the major's, plus a few who teach their own
# area and one more (common in small schools, where everyone covers a second subject).
OUT_OF_FIELD_SHARE = 0.085
SECOND_AREA_SHARE = 0.025
ASSISTANT_SHARE = 0.11
# Of active teachers (not assistants): contract teachers (ครูอัตราจ้าง, no จ.18 position) and
# civil servants seconded out (ไปช่วยราชการ) or in (มาช่วยราชการ) between the office's schools.
# Drawn from a stream of their own, so every other draw stays as it was for a seed.
CONTRACT_TEACHER_SHARE = 0.04
SECONDED_OUT_SHARE = 0.012
SECONDED_IN_SHARE = 0.008
SECONDMENT_UNTIL = dt.date(2027, 9, 30)
EXPANSION_SHARE = 21 / 104
OFFICE_STAFF_SHARE = 0.04


# ---------------------------------------------------------------------------------------------
# Plans shared by the school builder and the person generator


@dataclass(frozen=True)
class SchoolPlan:
    code: str
    level: str
    students: int


def plan_schools(*, seed: int, school_codes: Sequence[str]) -> list[SchoolPlan]:
    """Level and enrolment of each school, derived only from the random seed and the list of codes.

    Both the school builder and `iter_person_rows` call this, so staff follow school size
    without the person generator needing the database.
    """
    n = len(school_codes)
    if n == 0:
        return []
    rng = random.Random(f"{seed}:plan:{n}:{school_codes[0]}")
    # The first school of an office is its big town school, so demo users land somewhere busy.
    expansion = set(rng.sample(range(1, n), min(n - 1, round(n * EXPANSION_SHARE))))
    plans = []
    for i, code in enumerate(school_codes):
        level = SchoolLevel.EXPANSION if i in expansion else SchoolLevel.PRIMARY
        if i == 0:
            students = rng.randint(450, 900)
        else:
            students = _draw_students(rng, level)
        plans.append(SchoolPlan(code=code, level=level.value, students=students))
    return plans


def _draw_students(rng: random.Random, level: str) -> int:
    roll = rng.random()
    if level == SchoolLevel.EXPANSION:
        if roll < 0.20:
            return rng.randint(80, 120)
        if roll < 0.90:
            return int(rng.triangular(121, 520, 220))
        return rng.randint(500, 900)
    if roll < 0.84:
        return int(rng.triangular(22, 121, 72))
    if roll < 0.97:
        return int(rng.triangular(121, 420, 170))
    return rng.randint(300, 800)


def _teacher_need(plan: SchoolPlan) -> float:
    """Roughly the ก.ค.ศ. criterion: 1 teacher per 20 pupils in small schools, fewer above."""
    if plan.students <= 120:
        need = max(1, math.ceil(plan.students / 20))
    else:
        need = 6 + (plan.students - 120) / 24
    if plan.level == SchoolLevel.EXPANSION:
        need += 3  # ม.1–ม.3 need subject specialists
    return need


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder; ties go to earlier items)."""
    if not weights:
        return []
    wsum = sum(weights)
    if wsum <= 0:
        weights = [1.0] * len(weights)
        wsum = float(len(weights))
    quotas = [total * w / wsum for w in weights]
    counts = [int(q) for q in quotas]
    leftover = total - sum(counts)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - counts[i]), i))
    for i in order[:leftover]:
        counts[i] += 1
    return counts


def _staff_counts(people: int, plans: Sequence[SchoolPlan]) -> tuple[list[int], int]:
    """People per school and at the office. Every school gets a director before anyone else."""
    n = len(plans)
    office = round(people * OFFICE_STAFF_SHARE) if people >= 25 else 0
    at_schools = people - office
    if n == 0:
        return [], people
    if at_schools < n:
        return [1] * at_schools + [0] * (n - at_schools), office
    minimum = 2 if at_schools >= 2 * n else 1
    extra = _apportion(at_schools - minimum * n, [_teacher_need(p) for p in plans])
    return [minimum + e for e in extra], office


# ---------------------------------------------------------------------------------------------
# People


def iter_person_rows(
    *,
    seed: int,
    people: int,
    school_codes: Sequence[str],
    serial_offset: int = 0,
) -> Iterator[dict]:
    """Yield `people` plain dicts, school by school, then the office staff (school_code None).

    Keys: national_id, title, first_name, last_name, gender, birth_date, personnel_type,
    position, standing_code, position_number, salary_grade, salary, appointment_date,
    school_code, highest_degree, major_name, areas_taught_codes, phone, email, status,
    employment, secondment, secondment_school_code, secondment_until.
    Choice fields hold model values (e.g. "teacher", "bachelor"), dates are `datetime.date`,
    salary a `Decimal`.

    `serial_offset` numbers people across several calls (one per office, see `plan_offices`)
    so national IDs and position numbers stay unique nationally; it also seeds the stream, so
    each office gets people of its own.
    """
    plans = plan_schools(seed=seed, school_codes=school_codes)
    per_school, office_staff = _staff_counts(people, plans)
    rng = random.Random(f"{seed}:people:{serial_offset}")
    salts = random.Random(f"{seed}:serials")
    id_salt = salts.randrange(10**11)
    position_salt = salts.randrange(900_000)
    serial = serial_offset
    extra = random.Random(f"{seed}:employment:{serial_offset}")
    # The first school keeps plain civil servants: the demo director and teacher work there.
    first_code = min(school_codes) if school_codes else None

    def emit(kind: str, school: SchoolPlan | None) -> dict:
        nonlocal serial
        row = _person_row(rng, kind, school, serial, id_salt, position_salt)
        serial += 1
        _employment_and_secondment(extra, row, kind, school, school_codes, first_code)
        return row

    for plan, count in zip(plans, per_school, strict=True):
        if count == 0:
            continue
        deputies = 0
        if plan.students >= 400 and count >= 12:
            deputies = 2 if plan.students >= 900 and count >= 30 else 1
        yield emit(PersonnelType.DIRECTOR, plan)
        for _ in range(deputies):
            yield emit(PersonnelType.DEPUTY_DIRECTOR, plan)
        for _ in range(count - 1 - deputies):
            kind = (
                PersonnelType.ASSISTANT_TEACHER
                if rng.random() < ASSISTANT_SHARE
                else PersonnelType.TEACHER
            )
            yield emit(kind, plan)
    supervisors = max(1, round(office_staff * 0.35)) if office_staff else 0
    for i in range(office_staff):
        kind = PersonnelType.SUPERVISOR if i < supervisors else PersonnelType.EDUCATIONAL_PERSONNEL
        yield emit(kind, None)


def _person_row(
    rng: random.Random,
    kind: str,
    school: SchoolPlan | None,
    serial: int,
    id_salt: int,
    position_salt: int,
) -> dict:
    teaching = kind in (PersonnelType.TEACHER, PersonnelType.ASSISTANT_TEACHER)
    female_share = {
        PersonnelType.DIRECTOR: 0.38,
        PersonnelType.DEPUTY_DIRECTOR: 0.5,
        PersonnelType.SUPERVISOR: 0.55,
    }.get(kind, 0.72)
    gender = Gender.FEMALE if rng.random() < female_share else Gender.MALE

    birth, appointed = _birth_and_appointment(rng, kind)
    age = _years_between(birth, REFERENCE_DATE)
    service = _years_between(appointed, REFERENCE_DATE)
    status = PersonStatus.ACTIVE
    if teaching and kind == PersonnelType.TEACHER:
        roll = rng.random()
        if roll < 0.015:
            status = PersonStatus.RETIRED
            # Retired at the end of FY2568 or FY2567: born 2 Oct 1964 – 1 Oct 1965 or a year
            # earlier (thai_dates.retirement_date).
            birth = dt.date(1964 - rng.randint(0, 1), 10, 2) + dt.timedelta(rng.randrange(365))
            age = _years_between(birth, REFERENCE_DATE)
            appointed = _add_years(birth, rng.randint(22, 27))
            service = _years_between(appointed, REFERENCE_DATE)
        elif roll < 0.035:
            status = PersonStatus.TRANSFERRED

    title = _title(rng, gender, age)
    first_name = _first_name(rng, gender)
    last_name = _last_name(rng)
    standing, position, salary_grade = _standing_and_position(rng, kind, service)
    salary = _salary(rng, standing or salary_grade, service)
    degree = _degree(rng, kind, age)

    area = major = None
    areas: list[str] = []
    if teaching:
        weights = _TEACHER_AREAS[SchoolLevel(school.level)]
        area = rng.choices(list(weights), weights=list(weights.values()))[0]
        major = rng.choice(_MAJORS_BY_AREA[area])
        major_area = _MAJOR_AREA[major]
        roll = rng.random()
        if roll < OUT_OF_FIELD_SHARE:
            areas = [_other_area(rng, major_area)]
        elif roll < OUT_OF_FIELD_SHARE + SECOND_AREA_SHARE:
            areas = [major_area, _other_area(rng, major_area)]
        elif roll < OUT_OF_FIELD_SHARE + SECOND_AREA_SHARE + MISSING_AREA_SHARE:
            areas = []
        else:
            areas = [major_area]
    elif kind in (PersonnelType.DIRECTOR, PersonnelType.DEPUTY_DIRECTOR):
        major = _ADMIN_MAJOR
        areas = ["admin"]
    elif kind == PersonnelType.SUPERVISOR:
        major = rng.choice(_SUPERVISOR_MAJORS)
    else:
        major = rng.choice(_OFFICE_MAJORS)

    national_id = _national_id(serial, id_salt, birth)
    position_number = str(100_000 + (serial * 7919 + position_salt) % 900_000)
    phone = _phone(rng)
    email = ""
    if rng.random() < 0.45:
        email = f"{'kru' if school else 'staff'}{position_number}@example.com"

    # Defects are drawn last so they never shift the draws above between seeds' variants.
    if rng.random() < MISSING_BIRTH_DATE_SHARE:
        birth = None
    if rng.random() < MISSING_MAJOR_SHARE:
        major = None
    if rng.random() < MISSING_PHONE_SHARE:
        phone = ""

    return {
        "national_id": national_id,
        "title": title,
        "first_name": first_name,
        "last_name": last_name,
        "gender": gender.value,
        "birth_date": birth,
        "personnel_type": PersonnelType(kind).value,
        "position": position,
        "standing_code": standing,
        "position_number": position_number,
        "salary_grade": salary_grade,
        "salary": salary,
        "appointment_date": appointed,
        "school_code": school.code if school else None,
        "highest_degree": degree,
        "major_name": major,
        "areas_taught_codes": areas,
        "phone": phone,
        "email": email,
        "status": PersonStatus(status).value,
    }


def _employment_and_secondment(
    rng: random.Random,
    row: dict,
    kind: str,
    school: SchoolPlan | None,
    school_codes: Sequence[str],
    first_code: str | None,
) -> None:
    """A few contract teachers and secondments, so the staffing analysis has some to show."""
    row.update(employment=Employment.CIVIL_SERVANT.value, secondment="",
               secondment_school_code=None, secondment_until=None)  # fmt: skip
    roll, pick = rng.random(), rng.random()  # always two draws: rows stay aligned
    if (
        kind != PersonnelType.TEACHER
        or school is None
        or school.code == first_code
        or row["status"] != PersonStatus.ACTIVE
        or len(school_codes) < 2
    ):
        return
    others = [c for c in school_codes if c != school.code]
    other = others[int(pick * len(others))]
    if roll < CONTRACT_TEACHER_SHARE:
        row.update(employment=Employment.CONTRACT_TEACHER.value, position="ครูอัตราจ้าง",
                   standing_code=None, position_number="", salary_grade="")  # fmt: skip
    elif roll < CONTRACT_TEACHER_SHARE + SECONDED_OUT_SHARE:
        row.update(secondment=Secondment.OUT.value, secondment_school_code=other,
                   secondment_until=SECONDMENT_UNTIL)  # fmt: skip
    elif roll < CONTRACT_TEACHER_SHARE + SECONDED_OUT_SHARE + SECONDED_IN_SHARE:
        row.update(secondment=Secondment.IN.value, secondment_school_code=other)


def _birth_and_appointment(rng: random.Random, kind: str) -> tuple[dt.date, dt.date]:
    """Birth and first-appointment dates; active people are at most 59 on the census day.

    Ages 50–59 are weighted so every one of the next ten fiscal years has retirements.
    """
    if kind == PersonnelType.ASSISTANT_TEACHER:
        appointed = REFERENCE_DATE - dt.timedelta(days=rng.randint(15, 725))
        birth = _add_years(appointed, -rng.randint(22, 33)) - dt.timedelta(rng.randrange(365))
        return birth, appointed
    low, high, older_share = {
        PersonnelType.DIRECTOR: (42, 59, 0.55),
        PersonnelType.DEPUTY_DIRECTOR: (38, 58, 0.35),
        PersonnelType.SUPERVISOR: (38, 59, 0.45),
    }.get(kind, (25, 59, 0.28))
    if rng.random() < older_share:
        age = rng.randint(max(low, 50), high)
    else:
        age = rng.randint(low, min(high, 49))
    birth = _add_years(REFERENCE_DATE, -age - 1) + dt.timedelta(days=rng.randint(1, 364))
    latest = REFERENCE_DATE - dt.timedelta(days=800)  # past the two assistant years
    appointed = _add_years(birth, rng.randint(22, 30)) + dt.timedelta(rng.randrange(365))
    if appointed > latest:
        appointed = latest - dt.timedelta(rng.randrange(200))
    return birth, appointed


def _standing_and_position(
    rng: random.Random, kind: str, service: int
) -> tuple[str | None, str, str]:
    """(standing code, position text, salary grade); standing follows years of service."""
    if kind == PersonnelType.ASSISTANT_TEACHER:
        return "assistant", "ครูผู้ช่วย", _SALARY_GRADE["assistant"]
    if kind == PersonnelType.EDUCATIONAL_PERSONNEL:
        # Civil servants under 38 ค.(2) have levels, not วิทยฐานะ.
        grade = "ปก." if service < 8 else rng.choice(["ชก.", "ชก.", "ชพ."])
        return None, rng.choice(_OFFICE_POSITIONS), grade
    if kind == PersonnelType.DIRECTOR:
        code = rng.choices(["k2", "k3", "k4"], weights=[20, 70, 10])[0]
        position = "ผู้อำนวยการสถานศึกษา"
    elif kind == PersonnelType.DEPUTY_DIRECTOR:
        code = rng.choices(["k2", "k3"], weights=[40, 60])[0]
        position = "รองผู้อำนวยการสถานศึกษา"
    elif kind == PersonnelType.SUPERVISOR:
        code = rng.choices(["k2", "k3", "k4"], weights=[30, 60, 10])[0]
        position = "ศึกษานิเทศก์"
    else:
        if service < 6:
            code = "k1"
        elif service < 10:
            code = rng.choices(["k1", "k2"], weights=[60, 40])[0]
        elif service < 20:
            code = rng.choices(["k1", "k2", "k3"], weights=[20, 60, 20])[0]
        else:
            code = rng.choices(["k1", "k2", "k3", "k4", "k5"], weights=[8, 35, 50, 6.5, 0.5])[0]
        position = "ครู"
    return code, position, _SALARY_GRADE[code]


def _salary(rng: random.Random, grade: str, service: int) -> Decimal:
    low, high = _SALARY_RANGE[grade]
    amount = low + service * rng.uniform(700, 1300)
    return Decimal(int(min(amount, high)) // 10 * 10).quantize(Decimal("0.01"))


def _degree(rng: random.Random, kind: str, age: int) -> str:
    options = {
        PersonnelType.ASSISTANT_TEACHER: ([Degree.BACHELOR, Degree.MASTER], [92, 8]),
        PersonnelType.DIRECTOR: ([Degree.BACHELOR, Degree.MASTER, Degree.DOCTORATE], [2, 88, 10]),
        PersonnelType.DEPUTY_DIRECTOR: ([Degree.MASTER, Degree.DOCTORATE], [94, 6]),
        PersonnelType.SUPERVISOR: ([Degree.MASTER, Degree.DOCTORATE], [75, 25]),
        PersonnelType.EDUCATIONAL_PERSONNEL: (
            [Degree.BELOW_BACHELOR, Degree.BACHELOR, Degree.MASTER],
            [2, 70, 28],
        ),
    }.get(
        kind,
        (
            [Degree.BELOW_BACHELOR, Degree.BACHELOR, Degree.MASTER, Degree.DOCTORATE],
            [1 if age >= 50 else 0, 60, 38, 1],
        ),
    )
    return rng.choices(options[0], weights=options[1])[0].value


def _phone(rng: random.Random) -> str:
    # Mobile numbers: 06x, 08x, 09x.
    prefix = f"0{rng.choice('689')}{rng.randrange(10)}"
    return f"{prefix}-{rng.randrange(1000):03d}-{rng.randrange(10000):04d}"


def _other_area(rng: random.Random, own: str | None) -> str:
    areas = [a for a in _SHORTAGE_AREAS if a != own]
    return rng.choices(areas, weights=[_SHORTAGE_AREAS[a] for a in areas])[0]


def _title(rng: random.Random, gender: str, age: int) -> str:
    if rng.random() < 0.02:
        return "ว่าที่ร้อยตรี" if gender == Gender.MALE else "ว่าที่ร้อยตรีหญิง"
    if gender == Gender.MALE:
        return "นาย"
    married = 0.15 if age < 28 else 0.45 if age < 36 else 0.7
    return "นาง" if rng.random() < married else "นางสาว"


def _first_name(rng: random.Random, gender: str) -> str:
    if gender == Gender.MALE:
        names, heads, tails = _MALE_FIRST, _MALE_HEADS, _MALE_TAILS
    else:
        names, heads, tails = _FEMALE_FIRST, _FEMALE_HEADS, _FEMALE_TAILS
    if rng.random() < 0.6:
        return rng.choice(names)
    head, tail = rng.choice(heads), rng.choice(tails)
    return head + tail if not head.endswith(tail) else head + rng.choice(tails[:3])


def _last_name(rng: random.Random) -> str:
    head = rng.choice(_SURNAME_HEADS)
    tail = rng.choice(_SURNAME_TAILS)
    while tail == head:
        tail = rng.choice(_SURNAME_TAILS)
    if rng.random() < 0.2:
        return head + rng.choice(_SURNAME_MIDDLES) + tail
    return head + tail


# Coprime with 10, so serial → 11 digits is a bijection and IDs cannot collide.
_ID_MULTIPLIER = 48_271_938_457


def _national_id(serial: int, salt: int, birth: dt.date) -> str:
    # 3 for people already in the 1984 house register, 1 for those registered at birth since.
    lead = "3" if birth.year < 1984 else "1"
    body = (serial * _ID_MULTIPLIER + salt) % 10**11
    first_twelve = f"{lead}{body:011d}"
    return first_twelve + str(check_digit(first_twelve))


def _add_years(date: dt.date, years: int) -> dt.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def _years_between(start: dt.date, end: dt.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


# ---------------------------------------------------------------------------------------------
# Offices and schools


@dataclass(frozen=True)
class OfficeSpec:
    index: int
    code: str
    name: str
    province: str
    province_code: str
    zone: int


def office_specs(*, offices: int) -> list[OfficeSpec]:
    """The demo office first (เพชรบุรี เขต 1), then one office per province, zone after zone."""
    specs = []
    for index in range(offices):
        zone = index // len(PROVINCES) + 1
        province_code, province = PROVINCES[index % len(PROVINCES)]
        specs.append(
            OfficeSpec(
                index=index,
                code=f"{province_code}{zone:02d}",
                name=f"สำนักงานเขตพื้นที่การศึกษาประถมศึกษา{province} เขต {zone}",
                province=province,
                province_code=province_code,
                zone=zone,
            )
        )
    return specs


def school_codes_for(*, spec: OfficeSpec, count: int) -> list[str]:
    """10-digit OBEC-style codes: 10 + province + zone + serial, e.g. 1076010001."""
    if count > 9999:
        raise ValueError("รหัสสถานศึกษาแบบนี้รองรับได้ไม่เกิน 9,999 โรงต่อเขต")
    return [f"10{spec.province_code}{spec.zone:02d}{n:04d}" for n in range(1, count + 1)]


@dataclass(frozen=True)
class OfficePlan:
    spec: OfficeSpec
    school_codes: list[str]
    people: int
    serial_offset: int


def plan_offices(*, offices: int, schools: int, people: int) -> list[OfficePlan]:
    """Split schools evenly and people by schools; what `build_demo` builds, office by office.

    A sheet writer that wants the same people as the database calls
    `iter_person_rows(seed=..., people=p.people, school_codes=p.school_codes,
    serial_offset=p.serial_offset)` for each plan.
    """
    if offices < 1 or schools < offices or people < 0:
        raise ValueError("ต้องมีอย่างน้อย 1 เขต, โรงเรียนไม่น้อยกว่าจำนวนเขต และบุคลากรไม่ติดลบ")
    specs = office_specs(offices=offices)
    schools_per_office = _apportion(schools, [1.0] * offices)
    people_per_office = _apportion(people, schools_per_office)
    plans, offset = [], 0
    for spec, n_schools, n_people in zip(specs, schools_per_office, people_per_office, strict=True):
        plans.append(
            OfficePlan(spec, school_codes_for(spec=spec, count=n_schools), n_people, offset)
        )
        offset += n_people
    return plans


def _districts_for(spec: OfficeSpec, rng: random.Random) -> tuple[list[District], tuple]:
    if spec.index == 0:
        return PHETCHABURI_DISTRICTS, _DEMO_BOX
    # Benchmark offices: invented districts around a random point inside Thailand.
    lat, lon = rng.uniform(7.0, 19.5), rng.uniform(98.5, 104.5)
    names = [f"เมือง{spec.province}"]
    while len(names) < rng.randint(4, 8):
        name = rng.choice(_PLACE_HEADS) + rng.choice(_PLACE_TAILS)
        if name not in names:
            names.append(name)
    districts = []
    for i, name in enumerate(names):
        subs = {name} | {
            rng.choice(_PLACE_HEADS) + rng.choice(_PLACE_TAILS) for _ in range(rng.randint(4, 9))
        }
        districts.append(
            District(
                name,
                name,
                3.0 if i == 0 else rng.uniform(0.8, 1.6),
                lat + rng.uniform(-0.25, 0.25),
                lon + rng.uniform(-0.25, 0.25),
                tuple(sorted(subs)),
            )
        )
    return districts, (lat - 0.4, lat + 0.4, lon - 0.4, lon + 0.4)


def _network_sizes(rng: random.Random, n: int) -> list[int]:
    """Clusters of 7–15 neighbouring schools, about 12 for 104 schools (the SAR)."""
    if n < 14:
        return [n] if n else []
    k = max(1, round(n / 8.7))
    while n > 15 * k:
        k += 1
    while k > 1 and n < 7 * k:
        k -= 1
    sizes = [7] * k
    appetite = [rng.uniform(0.3, 3.0) for _ in range(k)]
    for _ in range(n - 7 * k):
        open_ = [i for i in range(k) if sizes[i] < 15]
        i = rng.choices(open_, weights=[appetite[j] for j in open_])[0]
        sizes[i] += 1
    return sizes


_PRIMARY_GRADES = [Grade.K1, Grade.K2, Grade.K3] + [Grade(f"p{i}") for i in range(1, 7)]
_LOWER_SECONDARY = [Grade.M1, Grade.M2, Grade.M3]


def _enrolment(rng: random.Random, plan: SchoolPlan) -> list[tuple[str, int, int]]:
    """(grade, students, classrooms) summing exactly to the planned enrolment."""
    grades = list(_PRIMARY_GRADES)
    # Most small schools take children from อ.2; อ.1 (age 3) is offered by about a third.
    if plan.students < 300 and rng.random() < 0.65:
        grades.remove(Grade.K1)
    if plan.level == SchoolLevel.EXPANSION:
        grades += _LOWER_SECONDARY
    base = {Grade.K1: 0.55, Grade.K2: 0.8, Grade.K3: 0.85}
    weights = [
        base.get(g, 1.1 if g in _LOWER_SECONDARY else 1.0) * rng.uniform(0.75, 1.25) for g in grades
    ]
    counts = _apportion(plan.students, weights)
    rows = []
    for grade, students in zip(grades, counts, strict=True):
        if students == 0:
            continue
        per_room = 30 if grade in base else 40
        rows.append((grade.value, students, max(1, math.ceil(students / per_room))))
    return rows


def _school_name(rng: random.Random, subdistrict: str, used: set[str]) -> str:
    for attempt in range(40):
        roll = rng.random()
        if roll < 0.4:
            pick = rng.random()
            if pick < 0.3:
                place = rng.choice(_REAL_TEMPLES)
            else:
                place = rng.choice(_TEMPLE_HEADS) + rng.choice(_TEMPLE_TAILS)
            name = f"โรงเรียนวัด{place}"
        else:
            if roll < 0.55:
                place = subdistrict
            else:
                place = rng.choice(_PLACE_HEADS) + rng.choice(_PLACE_TAILS)
                if rng.random() < 0.1:
                    place += rng.choice(_PLACE_SUFFIXES)
            name = f"โรงเรียนบ้าน{place}"
        if attempt > 30:
            name = f"{name} ({subdistrict})"
        if name not in used:
            used.add(name)
            return name
    name = f"โรงเรียนบ้าน{subdistrict} ({len(used) + 1})"
    used.add(name)
    return name


def _size_band(total: int, bands: Sequence[tuple[str, int, int | None]]) -> str:
    for name, low, high in bands:
        if total >= low and (high is None or total <= high):
            return name
    return ""


@dataclass
class _SchoolRows:
    networks: list[Network]
    schools: list[School]
    network_of: list[int]  # index into networks, per school
    enrolments: list[list[tuple[str, int, int]]]


def _school_rows(
    *,
    seed: int,
    spec: OfficeSpec,
    office: Office,
    plans: Sequence[SchoolPlan],
    bands: Sequence[tuple[str, int, int | None]],
) -> _SchoolRows:
    rng = random.Random(f"{seed}:office:{spec.code}")
    districts, (lat_lo, lat_hi, lon_lo, lon_hi) = _districts_for(spec, rng)
    # Codes run district by district, as on real OBEC lists, so consecutive schools are
    # neighbours and networks can be cut from consecutive runs.
    per_district = _apportion(len(plans), [d.weight for d in districts])
    placement: list[tuple[District, str]] = []
    for district, count in zip(districts, per_district, strict=True):
        subs = sorted(
            (rng.choice(district.subdistricts) for _ in range(count)),
            key=district.subdistricts.index,
        )
        placement += [(district, sub) for sub in subs]

    # The biggest school of each district is its อนุบาล (kindergarten-named model) school.
    biggest: dict[str, int] = {}
    for i, (district, _sub) in enumerate(placement):
        j = biggest.get(district.name)
        if j is None or plans[i].students > plans[j].students:
            biggest[district.name] = i
    anuban = {i: d for d, i in biggest.items()}

    sub_centre: dict[tuple[str, str], tuple[float, float]] = {}
    used: set[str] = set()
    schools, enrolments = [], []
    for i, (plan, (district, sub)) in enumerate(zip(plans, placement, strict=True)):
        if i in anuban:
            name = f"โรงเรียนอนุบาล{district.short}"
            used.add(name)
        else:
            name = _school_name(rng, sub, used)
        key = (district.name, sub)
        if key not in sub_centre:
            sub_centre[key] = (
                district.lat + rng.uniform(-0.06, 0.06),
                district.lon + rng.uniform(-0.06, 0.06),
            )
        lat = min(max(sub_centre[key][0] + rng.uniform(-0.02, 0.02), lat_lo), lat_hi)
        lon = min(max(sub_centre[key][1] + rng.uniform(-0.02, 0.02), lon_lo), lon_hi)
        rows = _enrolment(rng, plan)
        total = sum(r[1] for r in rows)
        confirmed = None
        if rng.random() < 0.88:
            confirmed = dt.datetime.combine(
                CENSUS_DATE + dt.timedelta(days=rng.randint(0, 120)),
                dt.time(9 + rng.randrange(8), rng.randrange(60)),
                tzinfo=_BANGKOK,
            )
        schools.append(
            School(
                office=office,
                obec_code=plan.code,
                name=name,
                level=plan.level,
                district=district.name,
                subdistrict=sub,
                latitude=Decimal(f"{lat:.6f}"),
                longitude=Decimal(f"{lon:.6f}"),
                total_students=total,
                total_classrooms=sum(r[2] for r in rows),
                size_band=_size_band(total, bands),
                data_confirmed_at=confirmed,
            )
        )
        enrolments.append(rows)

    networks, network_of = [], []
    start = 0
    for number, size in enumerate(_network_sizes(rng, len(plans)), start=1):
        district = placement[start][0].name
        networks.append(
            Network(office=office, name=f"เครือข่ายยกระดับคุณภาพการศึกษาที่ {number} ({district})")
        )
        network_of += [number - 1] * size
        start += size
    return _SchoolRows(networks, schools, network_of, enrolments)


# ---------------------------------------------------------------------------------------------
# Building


@dataclass
class DemoSummary:
    demo_office_code: str
    offices_created: int = 0
    offices_skipped: int = 0
    schools: int = 0
    people: int = 0
    enrolments: int = 0
    networks: int = 0
    seconds: float = 0.0
    skipped_codes: list[str] = field(default_factory=list)


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def _batched(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def build_demo(
    *,
    seed: int = DEFAULT_SEED,
    offices: int = 1,
    schools: int = 104,
    people: int = 1000,
    reset: bool = False,
    batch_size: int = BATCH_SIZE,
    stdout=None,
) -> DemoSummary:
    """Create the demo offices. An office whose code exists is skipped, or rebuilt with `reset`.

    Each office is built in its own transaction, so an interrupted run leaves whole offices
    and a re-run picks up where it stopped.
    """
    started = time.monotonic()
    plans = plan_offices(offices=offices, schools=schools, people=people)
    summary = DemoSummary(demo_office_code=plans[0].spec.code)
    refs = _References.load()
    existing = set(
        Office.objects.filter(code__in=[p.spec.code for p in plans]).values_list("code", flat=True)
    )
    progress = _Progress(stdout, total=people, every=batch_size, started=started)
    for plan in plans:
        if plan.spec.code in existing and not reset:
            summary.offices_skipped += 1
            summary.skipped_codes.append(plan.spec.code)
            progress.advance(plan.people)
            continue
        with transaction.atomic():
            office = Office.objects.filter(code=plan.spec.code).first()
            if office is not None:
                _wipe_office(office)
            _build_office(
                seed=seed,
                plan=plan,
                office=office,
                refs=refs,
                batch_size=batch_size,
                summary=summary,
                progress=progress,
            )
        summary.offices_created += 1
        reset_queries()
    summary.seconds = time.monotonic() - started
    if summary.offices_skipped:
        codes = ", ".join(summary.skipped_codes[:5]) + (" …" if summary.offices_skipped > 5 else "")
        _say(
            stdout,
            f"ข้ามเขตที่มีอยู่แล้ว {summary.offices_skipped} เขต ({codes}); ใช้ --reset เพื่อสร้างใหม่",
        )
    _say(
        stdout,
        f"สร้าง {summary.offices_created} เขต, {summary.schools:,} โรงเรียน, "
        f"{summary.networks:,} เครือข่าย, {summary.people:,} คน, "
        f"{summary.enrolments:,} แถวข้อมูลนักเรียน ใน {summary.seconds:.1f} วินาที",
    )
    return summary


def build_neighbour_office(
    *, spec: OfficeSpec, schools: int, people: int, serial_offset: int, seed: int = DEFAULT_SEED
) -> Office | None:
    """One more office beside the demo office (for the views above the office), built like
    the demo office; an office whose code exists is left as it is (None)."""
    if Office.objects.filter(code=spec.code).exists():
        return None
    plan = OfficePlan(spec, school_codes_for(spec=spec, count=schools), people, serial_offset)
    summary = DemoSummary(demo_office_code=spec.code)
    progress = _Progress(None, total=people, every=BATCH_SIZE, started=time.monotonic())
    with transaction.atomic():
        return _build_office(
            seed=seed,
            plan=plan,
            office=None,
            refs=_References.load(),
            batch_size=BATCH_SIZE,
            summary=summary,
            progress=progress,
        )


@dataclass
class _References:
    areas: dict[str, int]
    majors: dict[str, int]
    standings: dict[str, int]
    bands: list[tuple[str, int, int | None]]

    @classmethod
    def load(cls) -> _References:
        return cls(
            areas=dict(LearningArea.objects.values_list("code", "id")),
            majors=dict(Major.objects.values_list("name", "id")),
            standings=dict(AcademicStanding.objects.values_list("code", "id")),
            bands=list(
                SizeBand.objects.filter(office_kind=OfficeKind.PRIMARY)
                .order_by("min_students")
                .values_list("name", "min_students", "max_students")
            ),
        )


class _Progress:
    """Prints a line each time another `every` people are stored, for long national runs."""

    def __init__(self, stdout, *, total: int, every: int, started: float) -> None:
        self.stdout, self.total, self.every, self.started = stdout, total, every, started
        self.done = 0
        self.next_report = every if total > every else total + 1

    def advance(self, count: int) -> None:
        self.done += count
        if self.done >= self.next_report:
            while self.next_report <= self.done:
                self.next_report += self.every
            elapsed = time.monotonic() - self.started
            _say(
                self.stdout,
                f"  บุคลากร {self.done:,}/{self.total:,} "
                f"({self.done / self.total:.0%}) {elapsed:.0f} วินาที",
            )


def _build_office(
    *,
    seed: int,
    plan: OfficePlan,
    office: Office | None,
    refs: _References,
    batch_size: int,
    summary: DemoSummary,
    progress: _Progress,
) -> Office:
    spec = plan.spec
    if office is None:
        office = Office.objects.create(
            code=spec.code, name=spec.name, kind=OfficeKind.PRIMARY, province=spec.province
        )
    OfficeRules.objects.get_or_create(office=office)
    plans = plan_schools(seed=seed, school_codes=plan.school_codes)
    rows = _school_rows(seed=seed, spec=spec, office=office, plans=plans, bands=refs.bands)

    Network.objects.bulk_create(rows.networks, batch_size=batch_size)
    for school, network_index in zip(rows.schools, rows.network_of, strict=True):
        school.network = rows.networks[network_index]
    School.objects.bulk_create(rows.schools, batch_size=batch_size)
    enrolments = [
        Enrolment(
            school=school,
            academic_year=ACADEMIC_YEAR,
            census_date=CENSUS_DATE,
            grade=grade,
            students=students,
            classrooms=rooms,
        )
        for school, school_rows in zip(rows.schools, rows.enrolments, strict=True)
        for grade, students, rooms in school_rows
    ]
    Enrolment.objects.bulk_create(enrolments, batch_size=batch_size)
    school_ids = {s.obec_code: s.pk for s in rows.schools}
    summary.networks += len(rows.networks)
    summary.schools += len(rows.schools)
    summary.enrolments += len(enrolments)

    people = _RawInserter(Person)
    links = _RawInserter(Person.areas_taught.through)
    person_rows = iter_person_rows(
        seed=seed,
        people=plan.people,
        school_codes=plan.school_codes,
        serial_offset=plan.serial_offset,
    )
    for batch in _batched(person_rows, batch_size):
        people.insert([_person_values(row, office, school_ids, refs) for row in batch])
        ids = _ids_by_national_id([row["national_id"] for row in batch])
        links.insert(
            [
                {"person_id": ids[row["national_id"]], "learningarea_id": refs.areas[code]}
                for row in batch
                for code in row["areas_taught_codes"]
                if code in refs.areas
            ]
        )
        summary.people += len(batch)
        progress.advance(len(batch))
        # With DEBUG on, Django keeps every SQL statement; big inserts would pile up in memory.
        reset_queries()
    # Its people were written without the actions: its first report counts them afresh.
    quality_counts.forget([office.pk])
    staff_counts.forget([office.pk])
    return office


def _person_values(
    row: dict, office: Office, school_ids: dict[str, int], refs: _References
) -> dict:
    """Person column values by attname; anything missing takes the field's default."""
    values = {
        name: row[name]
        for name in (
            "national_id", "title", "first_name", "last_name", "gender", "birth_date",
            "personnel_type", "position", "position_number", "salary_grade", "salary",
            "appointment_date", "highest_degree", "phone", "email", "status",
        )
    }  # fmt: skip
    values["office_id"] = office.pk
    values["school_id"] = school_ids.get(row["school_code"]) if row["school_code"] else None
    for name in ("employment", "secondment", "secondment_until"):
        if name in row:
            values[name] = row[name]
    other = row.get("secondment_school_code")
    values["secondment_school_id"] = school_ids.get(other) if other else None
    values["academic_standing_id"] = refs.standings.get(row["standing_code"])
    values["major_id"] = refs.majors.get(row["major_name"]) if row["major_name"] else None
    return values


# Values of these field types go to the driver as they are; others are adapted by the field.
_PLAIN_TYPES = {
    "CharField", "EmailField", "TextField", "ForeignKey", "IntegerField", "BigIntegerField",
    "SmallIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "BooleanField",
}  # fmt: skip


class _RawInserter:
    """Insert rows of one model with a single `executemany` per batch.

    `bulk_create` spends most of its time building model instances and compiling SQL in
    Python: on SQLite Django caps an INSERT at 999 parameters, about 38 people, so 450,000
    people were 12,000 compiled statements and the national build took twice as long.
    Values are still adapted by each field, so either database gets what the ORM would
    send. (Multi-row VALUES was tried for PostgreSQL and was slower: psycopg scans every
    placeholder of a statement in Python, while its executemany is pipelined.)
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.connection = connections[router.db_for_write(model)]
        quote = self.connection.ops.quote_name
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(model._meta.db_table),
            ", ".join(quote(f.column) for f in self.fields),
            ", ".join(["%s"] * len(self.fields)),
        )
        self.defaults = {f.attname: f.get_default() for f in self.fields}

    def insert(self, rows: list[dict]) -> None:
        """Rows map attnames to Python values; a missing attname takes the field's default."""
        if not rows:
            return
        now = timezone.now()
        columns = []  # (attname, field that must adapt the value or None, fixed value)
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                columns.append((f.attname, None, f.get_db_prep_save(now, self.connection)))
            elif f.get_internal_type() in _PLAIN_TYPES:
                columns.append((f.attname, None, None))
            else:
                columns.append((f.attname, f, None))
        params = []
        for row in rows:
            values = []
            for attname, adapter, fixed in columns:
                if fixed is not None:
                    values.append(fixed)
                    continue
                value = row.get(attname, self.defaults[attname])
                if adapter is not None:
                    value = adapter.get_db_prep_save(value, self.connection)
                values.append(value)
            params.append(values)
        with self.connection.cursor() as cursor:
            cursor.executemany(self.sql, params)


def _ids_by_national_id(national_ids: list[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    # Short IN lists: SQLite builds before 3.32 allow only 999 parameters a statement.
    for start in range(0, len(national_ids), 900):
        chunk = national_ids[start : start + 900]
        ids.update(Person.objects.filter(national_id__in=chunk).values_list("national_id", "id"))
    return ids


def _wipe_office(office: Office) -> None:
    """Remove what the generator made for an office, keeping the office row itself.

    Users and anything else that hangs off the office stay attached; links to the deleted
    school and people are cleared by their SET_NULL foreign keys.
    """
    Person.objects.filter(office=office).delete()
    School.objects.filter(office=office).delete()
    Network.objects.filter(office=office).delete()


# ---------------------------------------------------------------------------------------------
# Demo users


class DemoLogin(NamedTuple):
    username: str
    role: str
    password: str
    sees: str


def create_demo_users(*, office: Office, prefix: str = "", stdout=None) -> list[DemoLogin]:
    """One user per role, scoped to the demo office. Existing users keep their password.

    An existing user of the same name is re-pointed at the current demo rows (after a --reset
    the old school and people are gone), never given a new password. `prefix` names a further
    office's users apart ("b-admin"); only the first office's admin gets Django's admin site.
    """
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from accounts.roles import Role

    school = School.objects.filter(office=office).order_by("obec_code").first()
    active = Person.objects.filter(office=office, status=PersonStatus.ACTIVE).order_by("id")
    director = teacher = supervisor = None
    if school is not None:
        director = active.filter(school=school, personnel_type=PersonnelType.DIRECTOR).first()
        teacher = (
            active.filter(
                school=school,
                personnel_type=PersonnelType.TEACHER,
                birth_date__isnull=False,
                major__isnull=False,
            ).first()
            or active.filter(school=school, personnel_type__in=_TEACHING).first()
        )
    supervisor = active.filter(personnel_type=PersonnelType.SUPERVISOR, school=None).first()
    school_name = school.name if school else "-"

    specs = [
        ("admin", Role.OFFICE_ADMIN, None, None, "ทั้งเขต แก้ไขทุกอย่าง ตั้งค่า บันทึกการใช้งาน Django admin"),
        ("officer", Role.DEVELOPMENT_OFFICER, None, None, "บุคลากรและโรงเรียนทั้งเขต แก้ไข นำเข้า/ส่งออก"),
        ("supervisor", Role.SUPERVISOR, None, supervisor, "บุคลากรและโรงเรียนทั้งเขต ดูและส่งออก"),
        ("director", Role.SCHOOL_DIRECTOR, school, director, f"เฉพาะ{school_name}"),
        ("teacher", Role.TEACHER, None, teacher, f"ข้อมูลของตนเอง ({school_name})"),
        ("inspector", Role.INSPECTOR, None, None, "ภาพรวมและสถิติทั้งเขต ไม่เห็นรายชื่อบุคคล"),
    ]  # fmt: skip
    # The office staff who have no person record of their own still have names: the home page
    # greets them by name ("สวัสดี officer" read like a test account).
    staff_names = {"admin": ("ธนากร", "ศรีสุข"), "officer": ("วราภรณ์", "แก้วมณี"),
                   "inspector": ("ประเสริฐ", "วงศ์ทอง")}  # fmt: skip
    password_hash = make_password(DEMO_PASSWORD)  # hashing is slow by design: do it once
    logins = []
    with transaction.atomic():
        for name, role, user_school, person, sees in specs:
            username = f"{prefix}{name}"
            user = User.objects.filter(username=username).first()
            created = user is None
            if created:
                user = User(username=username, password=password_hash)
            if person is not None:
                # A person has at most one login; free it from any other user first.
                User.objects.filter(person=person).exclude(username=username).update(person=None)
                user.first_name, user.last_name = person.first_name, person.last_name
                sees = f"{sees} — {person.full_name}"
            elif name in staff_names:
                user.first_name, user.last_name = staff_names[name]
            user.role = role
            user.office = office
            user.school = user_school
            user.person = person
            user.is_staff = user.is_superuser = username == "admin"  # not a prefixed one
            user.save()
            logins.append(
                DemoLogin(username, role.label, DEMO_PASSWORD if created else "(รหัสเดิม)", sees)
            )
    _say(stdout, "")
    _say(stdout, "บัญชีผู้ใช้สาธิต (http://127.0.0.1:8000/):")
    for login in logins:
        _say(stdout, f"  {login.username:<11} {login.password:<11} {login.role} — {login.sees}")
    return logins


_TEACHING = [PersonnelType.TEACHER, PersonnelType.ASSISTANT_TEACHER]


def demo_office(code: str | None = None) -> Office | None:
    """The office an app's demo data goes into: the given code, else the demo admin's office,
    else the first office. Every seed_<app>_demo command asks here, so they all agree."""
    if code:
        return Office.objects.filter(code=code).first()
    from accounts.models import User

    admin = User.objects.filter(username="admin").select_related("office").first()
    if admin and admin.office_id:
        return admin.office
    return Office.objects.order_by("code").first()
