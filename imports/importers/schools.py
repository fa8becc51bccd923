"""School sheets: one school a row, keyed by the 10-digit OBEC code; networks created by name."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from krupd.lib.clipping import clip
from krupd.lib.numerals import clean_text
from registry import audit
from registry.actions import SCHOOL_AUDIT_FIELDS, SCHOOL_CLOSURE_FIELDS
from registry.models import AuditAction, Network, Office, School, SchoolLevel

from . import (
    CellError,
    Column,
    Spec,
    as_text,
    choice_reader,
    date_reader,
    decimal_reader,
    digits_reader,
    format_date,
    ignored,
    norm_key,
)
from .base import (
    CHANGED,
    ERROR,
    NEW,
    UNCHANGED,
    Context,
    Existing,
    Importer,
    Outcome,
    Writer,
    _example_school,
)

LEVELS = {
    **{label: value for value, label in SchoolLevel.choices},
    **{value: value for value in SchoolLevel.values},
    "ประถม": SchoolLevel.PRIMARY,
    "โรงเรียนประถมศึกษา": SchoolLevel.PRIMARY,
    "ขยายโอกาส": SchoolLevel.EXPANSION,
    "โรงเรียนขยายโอกาส": SchoolLevel.EXPANSION,
    "ขยายโอกาสทางการศึกษา": SchoolLevel.EXPANSION,
    "มัธยม": SchoolLevel.SECONDARY,
    "โรงเรียนมัธยมศึกษา": SchoolLevel.SECONDARY,
}


def read_network(value: Any, ctx: Context) -> str:
    """A network name as the office spells it; an unknown name becomes a new network."""
    text = as_text(value)
    if len(text) > 200:
        raise CellError("ยาวเกิน 200 ตัวอักษร")
    return ctx.extra["network_keys"].get(norm_key(text), text)


def read_code(value: Any, ctx: Context) -> str:
    return digits_reader(10, "รหัสสถานศึกษา")(value, ctx)


# Two numbers in one cell, as a map app copies a point ("13.7563, 100.5018").
_COORDINATE_PAIR = re.compile(r"^-?\d+(?:[.,]\d+)?\s*[,;/ ]\s*-?\d+(?:[.,]\d+)?$")
# One number with a decimal comma, as a European-set computer writes it ("13,7563"). A
# coordinate never reaches a thousand, so its comma cannot be a thousands separator.
_DECIMAL_COMMA = re.compile(r"^-?\d{1,3},\d+$")


def _coordinate(low: str, high: str):
    read = decimal_reader(places=6, minimum=Decimal(low), maximum=Decimal(high))

    def parse(value: Any, ctx: Context) -> str:
        if isinstance(value, str):
            text = clean_text(value)
            if _DECIMAL_COMMA.match(text):
                return read(text.replace(",", "."), ctx)
            if _COORDINATE_PAIR.match(text):
                raise CellError(
                    f"มีตัวเลขสองค่าในช่องเดียว (“{clip(text, 40)}”) ให้แยกละติจูดและลองจิจูดไว้คนละคอลัมน์"
                )
        return read(value, ctx)

    return parse


def _network_display(value, ctx) -> str:
    if value and value not in ctx.extra["networks"]:
        return f"{value} (เครือข่ายใหม่)"
    return value or ""


COLUMNS = (
    Column(
        "obec_code",
        "รหัสสถานศึกษา",
        aliases=("รหัสโรงเรียน", "รหัส smis", "รหัสสถานศึกษา 10 หลัก", "รหัส 10 หลัก"),
        required=True,
        read=read_code,
        needs_value=True,
        example="1076100101",
        width=13,
    ),
    Column(
        "name",
        "ชื่อสถานศึกษา",
        aliases=("ชื่อโรงเรียน", "โรงเรียน", "สถานศึกษา"),
        required=True,
        read=lambda v, ctx: _text(v, 200),
        needs_value=True,
        example="โรงเรียนบ้านตัวอย่าง",
        width=30,
    ),
    Column(
        "level",
        "ระดับ",
        memo=True,
        aliases=("ระดับที่เปิดสอน", "ประเภทสถานศึกษา", "ระดับการศึกษา"),
        read=choice_reader(LEVELS, SchoolLevel.labels),
        needs_value=True,
        fmt=lambda v, ctx: SchoolLevel(v).label if v in SchoolLevel.values else (v or ""),
        example="ขยายโอกาสทางการศึกษา",
        width=20,
    ),
    Column("district", "อำเภอ", read=lambda v, ctx: _text(v, 100), example="เมืองเพชรบุรี"),
    Column("subdistrict", "ตำบล", read=lambda v, ctx: _text(v, 100), example="ท่าราบ"),
    Column(
        "network",
        "เครือข่าย",
        memo=True,
        aliases=("เครือข่ายสถานศึกษา", "กลุ่มเครือข่าย", "ชื่อเครือข่าย"),
        read=read_network,
        display=_network_display,
        example="เครือข่ายพัฒนาคุณภาพการศึกษาที่ 1",
        width=26,
        help="ชื่อใหม่จะสร้างเครือข่ายให้อัตโนมัติ",
    ),
    Column(
        "latitude",
        "ละติจูด",
        aliases=("lat", "latitude"),
        read=_coordinate("-90", "90"),
        blank=None,
        fmt=lambda v, ctx: Decimal(v) if v else "",
        example=Decimal("13.111111"),
        width=12,
    ),
    Column(
        "longitude",
        "ลองจิจูด",
        aliases=("long", "lng", "lon", "longitude"),
        read=_coordinate("-180", "180"),
        blank=None,
        fmt=lambda v, ctx: Decimal(v) if v else "",
        example=Decimal("99.944444"),
        width=12,
    ),
)


def read_merged_into(value: Any, ctx: Context) -> str:
    return digits_reader(10, "รหัสสถานศึกษาที่ยุบรวม")(value, ctx)


# A school's closing (ปิด/ยุบรวม) is read only from a file that has these columns: a blank
# closing day there opens the school again. They are not written by the export or the
# template, whose files would otherwise reopen nothing and close nothing by being re-read.
COLUMNS += (
    Column(
        "closed_on",
        "วันที่ปิด/ยุบรวม",
        aliases=("วันที่ยุบรวม", "วันที่ปิด", "วันที่เลิกสถานศึกษา", "วันที่ปิดสถานศึกษา"),
        memo=True,
        read=date_reader(earliest=dt.date(1950, 1, 1)),
        blank=None,
        fmt=lambda v, ctx: format_date(v),
        exported=False,
        example="16/05/2568",
        width=12,
        help="เว้นว่างหากสถานศึกษายังเปิดอยู่ (ว่างในไฟล์ที่มีคอลัมน์นี้ = ยกเลิกการปิด/ยุบรวม)",
    ),
    Column(
        "merged_into",
        "ยุบรวมกับ (รหัสสถานศึกษา)",
        aliases=("ยุบรวมกับ", "รหัสสถานศึกษาที่ยุบรวม", "เรียนรวมกับ", "ยุบรวมกับสถานศึกษา"),
        memo=True,
        read=read_merged_into,
        exported=False,
        example="1076100102",
        width=13,
        help="รหัส 10 หลักของสถานศึกษาที่รับนักเรียน/บุคลากร ในเขตพื้นที่เดียวกัน",
    ),
    Column(
        "closure_reason",
        "เหตุผลการปิด/ยุบรวม",
        aliases=("เหตุผลการยุบรวม", "เหตุผลการปิด"),
        read=lambda v, ctx: _text(v, 300),
        exported=False,
        width=24,
    ),
)

# A schools list often carries the school's pupil and classroom totals. They are not read:
# enrolment is kept per grade (the totals are computed from it), imported as its own kind.
PER_GRADE_NOTE = (
    "ไม่นำเข้าจากไฟล์สถานศึกษา: จำนวนนักเรียนและห้องเรียนนำเข้ารายชั้นด้วยประเภท "
    "“ข้อมูลนักเรียนและห้องเรียน” แล้วระบบรวมยอดของโรงเรียนให้"
)
COLUMNS += (
    ignored(
        "total_students", "จำนวนนักเรียน", "นักเรียน", "นักเรียนทั้งหมด", "จำนวนนักเรียนทั้งหมด",
        "นักเรียนรวม", "รวมนักเรียน", help=PER_GRADE_NOTE, width=10,
    ),
    ignored(
        "total_classrooms", "จำนวนห้องเรียน", "ห้องเรียน", "ห้องเรียนทั้งหมด",
        "จำนวนห้องเรียนทั้งหมด", "รวมห้องเรียน", help=PER_GRADE_NOTE, width=10,
    ),
)  # fmt: skip

SPEC = Spec(COLUMNS)

SCHOOL_VALUES = (
    "pk", "office_id", "obec_code", "name", "level", "district", "subdistrict", "network__name",
    "latitude", "longitude", "closed_on", "merged_into__obec_code", "closure_reason",
)  # fmt: skip
# What an import records of a school in the audit log: its fields and its closing.
_AUDITED = [*SCHOOL_AUDIT_FIELDS, *SCHOOL_CLOSURE_FIELDS]
_MICRO = Decimal("0.000001")


def _text(value: Any, max_length: int) -> str:
    text = as_text(value)
    if len(text) > max_length:
        raise CellError(f"ยาวเกิน {max_length} ตัวอักษร")
    return text


def _coord(value) -> str | None:
    return str(Decimal(value).quantize(_MICRO)) if value is not None else None


def _comparable(row: tuple) -> Existing:
    pk, office_id, code, name, level, district, subdistrict, network, lat, lon, *closing = row
    closed_on, merged_into, reason = closing
    data = {
        "obec_code": code,
        "name": clean_text(name),
        "level": level or "",
        "district": clean_text(district),
        "subdistrict": clean_text(subdistrict),
        "network": clean_text(network),
        "latitude": _coord(lat),
        "longitude": _coord(lon),
        "closed_on": closed_on.isoformat() if closed_on else None,
        "merged_into": merged_into or "",
        "closure_reason": reason or "",
    }
    return Existing(pk=pk, data=data, office_id=office_id, school_id=pk)


def _school_of_code(code: str, ctx: Context) -> School | None:
    """The school of this OBEC code, read once per import."""
    found = ctx.extra.setdefault("schools_by_code", {})
    if code not in found:
        found[code] = School.objects.filter(obec_code=code).first()
    return found[code]


class SchoolImporter(Importer):
    kind = "schools"
    label = "ข้อมูลสถานศึกษา"
    spec = SPEC
    key_field = "obec_code"
    school_field = "obec_code"
    allowed_for_director = False

    def context(self, *, office: Office, scope_school=None) -> Context:
        ctx = super().context(office=office, scope_school=scope_school)
        networks = {n.name: n for n in Network.objects.filter(office=office)}
        ctx.extra.update(
            networks=networks,
            network_keys={norm_key(name): name for name in networks},
            offices={},
        )
        return ctx

    def row_label(self, values: dict, ctx: Context) -> str:
        return clip(str(values.get("name") or values.get("obec_code") or ""), 200)

    def existing(self, keys: list[str], ctx: Context, *, for_update: bool = False) -> dict:
        schools = School.objects.filter(obec_code__in=keys)
        if for_update:
            schools = schools.select_for_update(of=("self",))
        return {e.data["obec_code"]: e for e in self.comparables(schools)}

    def comparables(self, schools: QuerySet[School]) -> Iterator[Existing]:
        for row in schools.values_list(*SCHOOL_VALUES):
            yield _comparable(row)

    def classify(self, values: dict, existing: Existing | None, ctx: Context) -> Outcome:
        if ctx.scope_school is not None:
            return Outcome(ERROR, errors=[ctx.error(SPEC, "obec_code", "ไม่มีสิทธิ์นำเข้าข้อมูลสถานศึกษา")])
        if existing is None:
            if not values.get("level"):
                message = "สถานศึกษาใหม่ต้องระบุระดับ (ประถมศึกษา/ขยายโอกาสทางการศึกษา/มัธยมศึกษา)"
                return Outcome(ERROR, errors=[ctx.error(SPEC, "level", message)])
            if errors := self._closing_problems(values, ctx):
                return Outcome(ERROR, errors=errors)
            return Outcome(NEW)
        if existing.office_id != ctx.office.pk:
            office = Office.objects.filter(pk=existing.office_id).first()
            message = f"รหัสสถานศึกษานี้เป็นของ{office.name if office else 'เขตพื้นที่อื่น'}"
            return Outcome(ERROR, errors=[ctx.error(SPEC, "obec_code", message)])
        if errors := self._closing_problems(values, ctx):
            return Outcome(ERROR, errors=errors)
        changes = self.changes_between(values, existing.data, ctx)
        return Outcome(CHANGED if changes else UNCHANGED, changes=changes, target_id=existing.pk)

    def check_row(self, values: dict, errors: list, ctx: Context) -> None:
        merged = values.get("merged_into")
        if merged and "closed_on" in values and not values["closed_on"]:
            message = "ระบุสถานศึกษาที่ยุบรวม แต่ไม่ได้ระบุวันที่ปิด/ยุบรวม"
            errors.append(ctx.error(SPEC, "closed_on", message))
        elif merged and "closed_on" not in values:
            message = "มีคอลัมน์ยุบรวมกับ แต่ไม่มีคอลัมน์วันที่ปิด/ยุบรวม"
            errors.append(ctx.error(SPEC, "merged_into", message))
        if merged and merged == values.get("obec_code"):
            message = "ยุบรวมกับสถานศึกษาเดียวกับที่ปิดไม่ได้"
            errors.append(ctx.error(SPEC, "merged_into", message))

    def _closing_problems(self, values: dict, ctx: Context) -> list[dict[str, str]]:
        """A school merged into one of another office, unknown, or itself closed: refused as
        the school page refuses it (registry.actions.closure_problem)."""
        code = values.get("merged_into")
        if not code:
            return []
        target = _school_of_code(code, ctx)
        if target is None:
            message = f"ไม่พบรหัสสถานศึกษา {code} ในระบบ"
        elif target.office_id != ctx.office.pk:
            message = f"{target.name} ({code}) อยู่ในสังกัดเขตพื้นที่อื่น เลือกได้เฉพาะสถานศึกษาในเขตพื้นที่เดียวกัน"
        elif target.closed_on is not None:
            message = f"{target.name} ({code}) ปิด/ยุบรวมแล้ว เลือกสถานศึกษาที่ยังเปิดอยู่"
        else:
            return []
        return [ctx.error(SPEC, "merged_into", message)]

    def _network(self, name: str, ctx: Context) -> Network | None:
        if not name:
            return None
        networks = ctx.extra["networks"]
        if name not in networks:
            networks[name] = Network.objects.create(office=ctx.office, name=name)
            ctx.extra["network_keys"][norm_key(name)] = name
        return networks[name]

    def _assign(self, school: School, values: dict, keys, ctx: Context) -> None:
        for key in keys:
            if key not in values:
                continue
            value = values[key]
            if key == "network":
                school.network = self._network(value, ctx)
            elif key == "closed_on":
                school.closed_on = dt.date.fromisoformat(value) if value else None
            elif key == "merged_into":
                school.merged_into = _school_of_code(value, ctx) if value else None
            elif key == "closure_reason":
                school.closure_reason = value or None
            elif key in ("latitude", "longitude"):
                setattr(school, key, Decimal(value) if value else None)
            else:
                setattr(school, key, value)

    def apply(self, rows: list, existing: dict, ctx: Context, writer: Writer) -> None:
        created = []
        for row in rows:
            if row.status == NEW:
                school = School(office=ctx.office)
                self._assign(school, row.values, row.values.keys(), ctx)
                created.append(school)
        if created:
            School.objects.bulk_create(created)
            for school in created:
                after = audit.snapshot(school, _AUDITED)
                changes = audit.diff({}, after)
                writer.audit(action=AuditAction.CREATE, instance=school, changes=changes)
            writer.created += len(created)

        changed = [r for r in rows if r.status == CHANGED]
        if not changed:
            return
        stored = School.objects.select_related("network", "merged_into").in_bulk(
            [r.target_id for r in changed]
        )
        fields = {"updated_at"}
        for row in changed:
            school = stored[row.target_id]
            before = audit.snapshot(school, _AUDITED)
            self._assign(school, row.values, row.changes.keys(), ctx)
            fields.update(row.changes.keys())
            if school.closed_on is None and (school.merged_into_id or school.closure_reason):
                # Opened again by a blank closing day: merged into nothing, for no reason.
                school.merged_into = school.closure_reason = None
                fields.update(["merged_into", "closure_reason"])
            school.updated_at = writer.now
            writer.audit(
                action=AuditAction.UPDATE,
                instance=school,
                changes=audit.diff(before, audit.snapshot(school, _AUDITED)),
            )
        School.objects.bulk_update(list(stored.values()), sorted(fields), batch_size=500)
        writer.updated += len(stored)

    def template_records(self, *, user=None, session=None) -> list[dict]:
        """One of the office's schools as it stands: the example validates, and applied as
        it is it changes nothing (a made-up name would rename a real school)."""
        school = _example_school(user)
        if school is None:
            return [{}]
        ctx = self.context(office=user.office)
        existing = next(self.comparables(School.objects.filter(pk=school.pk)))
        return [{c.key: c.to_cell(existing.data.get(c.key), ctx) for c in SPEC.importable}]

    def export_size(self, user, params: dict) -> int:
        return export_schools(user, params).count()

    def export_records(self, user, params: dict, ctx: Context) -> Iterator[dict]:
        schools = export_schools(user, params)
        totals = {
            pk: (students, rooms)
            for pk, students, rooms in schools.values_list(
                "pk", "total_students", "total_classrooms"
            )
        }
        for existing in self.comparables(schools):
            students, rooms = totals.get(existing.pk, (None, None))
            yield {**existing.data, "total_students": students, "total_classrooms": rooms}


def export_schools(user, params: dict):
    """The schools a list page shows for these filters (the school and enrolment exports)."""
    from registry.queries import SchoolFilter, school_list

    names = SchoolFilter.__dataclass_fields__
    return school_list(user, SchoolFilter(**{k: str(v) for k, v in params.items() if k in names}))


IMPORTER = SchoolImporter()
