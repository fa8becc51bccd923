"""Enrolment sheets like a DMC export: one school and academic year a row, grades across.

Each grade has a students column and a classrooms column ("อ.1 นักเรียน", "อ.1 ห้องเรียน",
… "ม.6 ห้องเรียน"); two-row headers ("อ.1" over "นักเรียน | ห้องเรียน") are read too. An empty
cell means zero. Grades whose columns the file does not have keep what the database holds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import Max, Q, Sum
from django.utils import timezone

from krupd.lib import query_params, thai_dates
from krupd.lib.clipping import clip
from krupd.lib.numerals import clean_text
from registry import audit
from registry.actions import size_band_for
from registry.models import AuditAction, Enrolment, Grade, Office, School, SizeBand

from . import (
    CellError,
    Column,
    Spec,
    date_reader,
    format_date,
    ignored,
    int_reader,
    parse_int_cell,
)
from .base import CHANGED, NEW, UNCHANGED, Context, Existing, Importer, Outcome, Writer, chunked
from .personnel import read_school

GRADE_ALIASES = {
    "k1": ("อนุบาล 1", "อนุบาลปีที่ 1", "อ1"),
    "k2": ("อนุบาล 2", "อนุบาลปีที่ 2", "อ2"),
    "k3": ("อนุบาล 3", "อนุบาลปีที่ 3", "อ3"),
    **{f"p{i}": (f"ประถมศึกษาปีที่ {i}", f"ป{i}") for i in range(1, 7)},
    **{f"m{i}": (f"มัธยมศึกษาปีที่ {i}", f"ม{i}") for i in range(1, 7)},
}
STUDENT_WORDS = ("นักเรียน", "จำนวนนักเรียน", "นร", "รวม", "นักเรียนรวม", "รวมนักเรียน")
ROOM_WORDS = ("ห้องเรียน", "จำนวนห้องเรียน", "ห้อง", "จำนวนห้อง")
# Units a count may be written with ("25 คน", "2 ห้อง").
STUDENT_UNITS = ("คน",)
ROOM_UNITS = ("ห้องเรียน", "ห้อง")
GRADES = [value for value in Grade.values]
GRADE_LABELS = dict(Grade.choices)


def _measure_headers(grade: str, words: tuple[str, ...]) -> tuple[str, ...]:
    names = (GRADE_LABELS[grade], *GRADE_ALIASES[grade])
    return tuple(
        dict.fromkeys(f"{n} {w}" for n in names for w in words)
        | dict.fromkeys(f"{w} {n}" for n in names for w in words)
    )


def read_year(value: Any, ctx: Context) -> int:
    """A BE academic year as offices type one: 2568, ๒๕๖๘, 2025 (CE) or 68. Its messages
    write the year as a year ("2568"), never as a quantity ("2,568"). The words a year is
    written after ("ปีการศึกษา ๒๕๖๘", "พ.ศ. 2568") are read past."""
    if isinstance(value, str):
        value = thai_dates.without_year_words(value) or value
    try:
        written = parse_int_cell(value)
    except (ValueError, ArithmeticError):
        written = None
    if written is None or isinstance(value, (dt.date, dt.time)):
        raise CellError(f"ปีการศึกษาต้องเป็นตัวเลข เช่น 2568 (ได้ “{clip(clean_text(value), 30)}”)")
    try:
        if not 10 <= written <= 99_999:
            raise thai_dates.ThaiDateError(written)
        year = thai_dates.be_year_typed(written)
    except thai_dates.ThaiDateError:
        raise CellError(f"ปีการศึกษา {written} ไม่ใช่ปี พ.ศ. หรือ ค.ศ. ที่ใช้ได้") from None
    today_be = timezone.localdate().year + 543
    if not 2500 <= year <= today_be + 1:
        raise CellError(f"ปีการศึกษา {year} อยู่นอกช่วงที่เป็นไปได้")
    return year


def _total_reader(*, maximum: int, units: tuple[str, ...]):
    """A totals cell: a whole number, or None when it holds anything else ("-", a note). The
    column is only checked against the grades, so a cell it cannot read never blocks a row."""
    read = int_reader(maximum=maximum, units=units)

    def total(value: Any, ctx: Context) -> int | None:
        try:
            return read(value, ctx)
        except (CellError, ValueError, TypeError, ArithmeticError):
            return None

    return total


def _count(value, ctx) -> Any:
    return value if value else 0


GRADE_COLUMNS = tuple(
    column
    for grade in GRADES
    for column in (
        Column(
            f"{grade}_students",
            f"{GRADE_LABELS[grade]} นักเรียน",
            aliases=_measure_headers(grade, STUDENT_WORDS),
            read=int_reader(maximum=100_000, units=STUDENT_UNITS),
            blank=0,
            fmt=_count,
            example=0 if grade.startswith("m") else 25,
            width=8,
        ),
        Column(
            f"{grade}_classrooms",
            f"{GRADE_LABELS[grade]} ห้องเรียน",
            aliases=_measure_headers(grade, ROOM_WORDS),
            read=int_reader(maximum=1_000, units=ROOM_UNITS),
            blank=0,
            fmt=_count,
            example=0 if grade.startswith("m") else 1,
            width=8,
        ),
    )
)

# A DMC sheet counts each grade's students as boys and girls ("ป.1" over "ชาย | หญิง | รวม");
# a school's own sheet may leave the รวม column out. Boys and girls are read so that such a
# sheet gives the grade its students (their sum), not 0: they are never stored on their own.
SEX_WORDS = {
    "boys": ("ชาย", "นักเรียนชาย", "นร ชาย", "ช"),
    "girls": ("หญิง", "นักเรียนหญิง", "นร หญิง", "ญ"),
}
_read_students = int_reader(maximum=100_000, units=STUDENT_UNITS)


class _Unread(str):
    """Why a boys or girls cell cannot be read: an error only where the sum is needed."""


def _sex_reader(value: Any, ctx: Context) -> int | _Unread:
    """Boys or girls of a grade; a cell that cannot be read is kept as its message, which
    counts only where the sum is needed (a sheet with a รวม column imports as before)."""
    try:
        return _read_students(value, ctx)
    except CellError as error:
        return _Unread(error)


SEX_COLUMNS = tuple(
    Column(
        f"{grade}_{sex}",
        f"{GRADE_LABELS[grade]} {words[0]}",
        aliases=_measure_headers(grade, words),
        read=_sex_reader,
        blank=0,
        exported=False,
        width=8,
    )
    for grade in GRADES
    for sex, words in SEX_WORDS.items()
)
SEX_KEYS = {f"{grade}_{sex}" for grade in GRADES for sex in SEX_WORDS}

COLUMNS = (
    Column(
        "school",
        "รหัสสถานศึกษา",
        memo=True,
        aliases=("รหัสโรงเรียน", "รหัส smis", "รหัสสถานศึกษา 10 หลัก"),
        required=True,
        read=read_school,
        needs_value=True,
        example="1076100101",
        width=13,
    ),
    ignored(
        "school_name",
        "ชื่อสถานศึกษา",
        "ชื่อโรงเรียน",
        "โรงเรียน",
        "สถานศึกษา",
        width=28,
        example="โรงเรียนบ้านตัวอย่าง",
    ),
    Column(
        "year",
        "ปีการศึกษา",
        aliases=("ปีการศึกษา (พ.ศ.)", "ปี"),
        required=True,
        read=read_year,
        needs_value=True,
        example=2568,
        width=10,
    ),
    Column(
        "census_date",
        "วันนับข้อมูล",
        memo=True,
        aliases=("วันที่นับข้อมูล", "ข้อมูล ณ วันที่", "ณ วันที่"),
        read=date_reader(earliest=dt.date(1957, 1, 1), not_after_today=True),
        blank=None,
        fmt=lambda v, ctx: format_date(v),
        display=lambda v, ctx: format_date(v),
        example="10/06/2568",
        width=12,
        help="ว่างไว้ = วันนับข้อมูลที่เขตตั้งค่าไว้",
    ),
    *GRADE_COLUMNS,
    Column(
        "total_students",
        "รวมนักเรียนทั้งหมด",
        aliases=(
            "นักเรียนทั้งหมด",
            "รวมนักเรียนทุกชั้น",
            "รวม",
            "รวมนักเรียน",
            "รวม นักเรียน",
            "นักเรียน รวม",
            "รวมทั้งหมด",
        ),
        read=_total_reader(maximum=1_000_000, units=STUDENT_UNITS),
        blank=None,
        width=10,
    ),
    Column(
        "total_classrooms",
        "รวมห้องเรียนทั้งหมด",
        aliases=(
            "ห้องเรียนทั้งหมด",
            "รวมห้องเรียนทุกชั้น",
            "รวมห้องเรียน",
            "รวม ห้องเรียน",
            "ห้องเรียน รวม",
        ),
        read=_total_reader(maximum=20_000, units=ROOM_UNITS),
        blank=None,
        width=10,
    ),
    *SEX_COLUMNS,
)
# The totals a file carries are the sum of its grades (the grades are what is stored, the
# school's totals are recomputed from them): read only to tell the office when they disagree.
TOTALS = {"total_students": "_students", "total_classrooms": "_classrooms"}

SPEC = Spec(COLUMNS)
COUNT_KEYS = [c.key for c in GRADE_COLUMNS]
TOTAL_FIELDS = [
    "total_students",
    "total_classrooms",
    "size_band",
    "data_confirmed_at",
    "updated_at",
]


CENSUS_FROM_TITLE = "วันที่ของข้อมูลอ่านจากหัวตาราง"


def census_date_for(year_be: int, ctx: Context) -> str:
    """The office's census day (e.g. 10/06) in the academic year's first calendar year."""
    return ctx.extra["rules"].census_date(year_be).isoformat()


def _empty(code: str, year: int) -> dict:
    return {"school": code, "year": year, "census_date": None, **dict.fromkeys(COUNT_KEYS, 0)}


class EnrolmentImporter(Importer):
    kind = "enrolment"
    label = "ข้อมูลนักเรียนและห้องเรียน"
    spec = SPEC
    key_field = "school"
    school_field = "school"
    warnings_title = "ยอดรวมไม่ตรงกับผลรวมรายชั้น {count} รายการ (นำเข้าตามตัวเลขรายชั้น)"

    def context(self, *, office: Office, scope_school=None) -> Context:
        ctx = super().context(office=office, scope_school=scope_school)
        ctx.extra["schools"] = {s.obec_code: s for s in School.objects.filter(office=office)}
        return ctx

    def title_values(self, title_cells: list) -> dict:
        """A DMC export says its academic year once, in the title ("ข้อมูลนักเรียน ปีการศึกษา
        2568 ภาคเรียนที่ 1"), with no year column: every row is of that year. A year the
        title names out of range, or two years, give nothing (the year column is asked for)."""
        given = {}
        year = thai_dates.academic_year_in_title(title_cells)
        if year is not None:
            try:
                given["year"] = read_year(year, None)
            except CellError:
                pass
        # "ข้อมูลนักเรียน ณ วันที่ 10 มิถุนายน 2568": the census day the office would otherwise
        # type again, when the file has no column of it. A day the column would refuse (in
        # the future) gives nothing: the office's census day is used, as without a title.
        census = thai_dates.date_in_title(title_cells)
        if census is not None:
            try:
                given["census_date"] = SPEC.by_key["census_date"].read(census, None)
            except CellError:
                pass
        return given

    def title_lines(self, given: dict) -> list[str]:
        lines = super().title_lines({k: v for k, v in given.items() if k != "census_date"})
        if given.get("census_date"):
            day = thai_dates.format_thai_date(
                dt.date.fromisoformat(given["census_date"]), style="long"
            )
            lines.append(f"{CENSUS_FROM_TITLE}: {day}")
        return lines

    def mapping_problems(self, mapped) -> list[str]:
        mapped = set(mapped)
        problems = super().mapping_problems(mapped)
        if not mapped & (set(COUNT_KEYS) | SEX_KEYS):
            problems.append("ไม่พบคอลัมน์จำนวนนักเรียนหรือห้องเรียนรายชั้น (เช่น “ป.1 นักเรียน”)")
        for grade in GRADES:
            has = {sex for sex in SEX_WORDS if f"{grade}_{sex}" in mapped}
            if has and len(has) < len(SEX_WORDS) and f"{grade}_students" not in mapped:
                # Boys alone are not the grade's students: the sum cannot be made.
                shown = GRADE_LABELS[grade]
                problems.append(
                    f"มีคอลัมน์นักเรียน{'ชาย' if 'boys' in has else 'หญิง'}ของชั้น {shown} "
                    f"แต่ไม่มีคอลัมน์นักเรียน{'หญิง' if 'boys' in has else 'ชาย'} "
                    f"หรือคอลัมน์รวม (เช่น “{shown} นักเรียน”)"
                )
        return problems

    def check_row(self, values: dict, errors: list, ctx: Context) -> None:
        if "census_date" in values and values["census_date"] is None:
            del values["census_date"]  # empty: keep the stored date, or use the office's census day
        for grade in GRADES:
            boys = values.pop(f"{grade}_boys", None)
            girls = values.pop(f"{grade}_girls", None)
            students = f"{grade}_students"
            if boys is None or girls is None or students in ctx.headers:
                continue  # no pair to add: the grade's own column, or none, is its students
            unread = [
                ctx.error(SPEC, key, str(part))
                for key, part in ((f"{grade}_boys", boys), (f"{grade}_girls", girls))
                if isinstance(part, _Unread)
            ]
            if unread:
                errors.extend(unread)
            else:
                values[students] = boys + girls

    def row_warnings(self, values: dict, ctx: Context) -> list[dict[str, str]]:
        """A totals column that is not the sum of the row's grades: the grades are imported
        (they are what a DMC export counts, and what the school's totals are made from) and
        the preview names the row and column, so the office can check the source."""
        warnings = []
        for key, measure in TOTALS.items():
            total = values.pop(key, None)
            keys = [f"{grade}{measure}" for grade in GRADES]
            if total is None or any(k not in values for k in keys if k in ctx.headers):
                continue  # no total, or a grade cell unreadable (already an error)
            # A grade's students made from its boys and girls count too (check_row).
            summed = sum(values.get(k) or 0 for k in keys)
            if total != summed:
                warnings.append(
                    ctx.error(self.spec, key, f"{total:,} ไม่เท่ากับผลรวมรายชั้น {summed:,}")
                )
        return warnings

    def row_key(self, values: dict) -> str | None:
        if values.get("school") and values.get("year"):
            return f"{values['school']}/{values['year']}"
        return None

    def row_label(self, values: dict, ctx: Context) -> str:
        school = ctx.extra["schools"].get(values.get("school"))
        name = school.name if school else values.get("school", "")
        return clip(f"{name} ปีการศึกษา {values.get('year', '')}", 200)

    def existing(self, keys: list[str], ctx: Context, *, for_update: bool = False) -> dict:
        pairs = [k.split("/") for k in keys]
        schools = ctx.extra["schools"]
        by_year: dict[int, list[int]] = defaultdict(list)
        for code, year in pairs:
            if code in schools:
                by_year[int(year)].append(schools[code].pk)
        query = Q(pk__in=[])
        for year, school_ids in by_year.items():
            query |= Q(academic_year=year, school_id__in=school_ids)
        rows = Enrolment.objects.filter(query)
        if for_update:
            rows = rows.select_for_update()
        return self._group(rows)

    def _group(self, rows) -> dict[str, Existing]:
        found: dict[str, Existing] = {}
        for school_id, code, office_id, year, census, grade, students, rooms in rows.values_list(
            "school_id", "school__obec_code", "school__office_id", "academic_year", "census_date",
            "grade", "students", "classrooms",
        ):  # fmt: skip
            key = f"{code}/{year}"
            if key not in found:
                found[key] = Existing(
                    pk=school_id, data=_empty(code, year), office_id=office_id, school_id=school_id
                )
            data = found[key].data
            data["census_date"] = census.isoformat() if census else None
            data[f"{grade}_students"] = students
            data[f"{grade}_classrooms"] = rooms
        return found

    def classify(self, values: dict, existing: Existing | None, ctx: Context) -> Outcome:
        school = ctx.extra["schools"][values["school"]]
        if existing is None:
            return Outcome(NEW, target_id=school.pk)
        changes = self.changes_between(values, existing.data, ctx)
        return Outcome(CHANGED if changes else UNCHANGED, changes=changes, target_id=school.pk)

    def apply(self, rows: list, existing: dict, ctx: Context, writer: Writer) -> None:
        schools = ctx.extra["schools"]
        todo = [r for r in rows if r.status in (NEW, CHANGED)]
        if not todo:
            return
        delete = Q(pk__in=[])
        create: list[Enrolment] = []
        for row in todo:
            school = schools[row.values["school"]]
            year = row.values["year"]
            before_data = existing.get(f"{school.obec_code}/{year}")
            merged = dict(before_data.data if before_data else _empty(school.obec_code, year))
            merged.update(row.values)
            census = merged.get("census_date") or census_date_for(year, ctx)
            census_date = dt.date.fromisoformat(census)
            after = {}
            for grade in GRADES:
                students, rooms = merged[f"{grade}_students"], merged[f"{grade}_classrooms"]
                if students or rooms:
                    after[grade] = [students, rooms]
                    create.append(
                        Enrolment(
                            school=school, academic_year=year, census_date=census_date,
                            grade=grade, students=students, classrooms=rooms,
                        )
                    )  # fmt: skip
            before = {}
            if before_data:
                before = {
                    g: [before_data.data[f"{g}_students"], before_data.data[f"{g}_classrooms"]]
                    for g in GRADES
                    if before_data.data[f"{g}_students"] or before_data.data[f"{g}_classrooms"]
                }
                delete |= Q(school_id=school.pk, academic_year=year)
            changes = audit.diff(before, after)
            if census != (before_data.data["census_date"] if before_data else None):
                changes["census_date"] = [
                    before_data.data["census_date"] if before_data else None,
                    census,
                ]
            writer.audit(
                action=AuditAction.UPDATE,
                instance=school,
                object_label=f"{school.name} (นักเรียนปีการศึกษา {year})",
                changes=changes,
            )
            writer.schools_touched.add(school.pk)
            if before_data:
                writer.updated += 1
            else:
                writer.created += 1
        Enrolment.objects.filter(delete).delete()
        Enrolment.objects.bulk_create(create, batch_size=500)

    def finish(self, ctx: Context, writer: Writer) -> None:
        """Refresh totals and size band of every school touched, from its latest year."""
        if not writer.wrote:
            return
        ids = list(writer.schools_touched)
        bands = list(SizeBand.objects.filter(office_kind=ctx.office.kind))
        for chunk in chunked(ids, 500):
            latest = dict(
                Enrolment.objects.filter(school_id__in=chunk)
                .values("school_id")
                .annotate(year=Max("academic_year"))
                .values_list("school_id", "year")
            )
            totals = {
                (s, y): (st or 0, rooms or 0)
                for s, y, st, rooms in Enrolment.objects.filter(school_id__in=chunk)
                .values("school_id", "academic_year")
                .annotate(st=Sum("students"), rooms=Sum("classrooms"))
                .values_list("school_id", "academic_year", "st", "rooms")
            }
            schools = list(School.objects.filter(pk__in=chunk))
            for school in schools:
                students, rooms = totals.get((school.pk, latest.get(school.pk)), (0, 0))
                school.total_students = students
                school.total_classrooms = rooms
                school.size_band = size_band_for(
                    office_kind=ctx.office.kind, students=students, bands=bands
                )
                school.data_confirmed_at = writer.now
                school.updated_at = writer.now
            School.objects.bulk_update(schools, TOTAL_FIELDS)

    def _export_rows(self, user, params: dict):
        from .schools import export_schools

        schools = export_schools(user, params)
        rows = Enrolment.objects.filter(school__in=schools.values("pk"))
        if year := query_params.be_year(params, "year", default=0):
            rows = rows.filter(academic_year=year)
        return schools, rows

    def export_size(self, user, params: dict) -> int:
        # One exported row per school and academic year (_group below).
        _, rows = self._export_rows(user, params)
        return rows.order_by().values("school_id", "academic_year").distinct().count()

    def export_records(self, user, params: dict, ctx: Context) -> Iterator[dict]:
        schools, rows = self._export_rows(user, params)
        order = {pk: i for i, pk in enumerate(schools.values_list("pk", flat=True))}
        names_by_code = dict(schools.values_list("obec_code", "name"))
        grouped = self._group(rows)
        for key in sorted(
            grouped, key=lambda k: (order.get(grouped[k].pk, 0), -grouped[k].data["year"])
        ):
            record = dict(grouped[key].data)
            record["school_name"] = names_by_code.get(record["school"], "")
            record["total_students"] = sum(record[f"{g}_students"] for g in GRADES)
            record["total_classrooms"] = sum(record[f"{g}_classrooms"] for g in GRADES)
            yield record


IMPORTER = EnrolmentImporter()
