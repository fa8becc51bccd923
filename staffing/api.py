"""Read API for staffing: office summary and per-school rows, scoped like the pages."""

import datetime as dt

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from . import access, queries

router = Router(tags=["อัตรากำลัง"])


class SchoolStaffingOut(Schema):
    id: int
    obec_code: str
    name: str
    level: str
    students: int | None
    classrooms: int | None
    band: str
    required_administrators: int | None
    required_teachers: int | None
    required: int | None
    actual_administrators: int
    actual_teachers: int
    actual: int
    on_register: int
    seconded_out: int
    seconded_in: int
    contract_staff: int
    contract_counted: bool
    vacant_estimate: int
    diff: int | None
    pct: float | None
    status: str
    teachers_without_mapped_major: int
    actual_by_area: dict[str, int]
    required_by_area: dict[str, int]
    demand_by_area: dict[str, int]
    rule_version: str


class ProblemOut(Schema):
    kind: str
    school: str
    message: str


class AreaRowOut(Schema):
    area: str
    label: str
    by_level: dict[str, int]
    total: int


class OfficeStaffingOut(Schema):
    academic_year: int
    census_date: dt.date
    rule_set_id: int | None
    rule_version: str
    rule_label: str
    rule_to_verify: bool
    schools_by_level: dict[str, int]
    schools_total: int
    actual_administrators: int
    actual_teachers: int
    actual_total: int
    on_register: int
    seconded_out: int
    seconded_in: int
    contract_staff: int
    contract_counted: bool
    contract_rule: str
    vacant_estimate: int
    required_total: int
    diff: int
    pct: float | None
    short_schools: int
    short_positions: int
    surplus_schools: int
    surplus_positions: int
    balanced_schools: int
    unknown_schools: int
    teachers_by_area: list[AreaRowOut]
    demand_by_area: list[AreaRowOut]
    problems: list[ProblemOut]


def _school_out(s: queries.SchoolResult, a: queries.Analysis) -> dict:
    return {
        "id": s.id, "obec_code": s.obec_code, "name": s.name, "level": s.level,
        "students": s.students, "classrooms": s.classrooms, "band": s.band_label,
        "required_administrators": s.required_admin, "required_teachers": s.required_teachers,
        "required": s.required, "actual_administrators": s.actual_admin,
        "actual_teachers": s.actual_teachers, "actual": s.actual, "on_register": s.register,
        "seconded_out": s.seconded_out, "seconded_in": s.seconded_in,
        "contract_staff": s.contract_staff, "contract_counted": s.contract_counted,
        "vacant_estimate": s.vacant, "diff": s.diff, "pct": s.pct,
        "status": s.status, "teachers_without_mapped_major": s.unmapped_teachers,
        "actual_by_area": {str(k): v for k, v in s.area_actual.items()},
        "required_by_area": {str(k): v for k, v in s.area_required.items()},
        "demand_by_area": {(k or "unspecified"): v for k, v in s.area_demand.items()},
        "rule_version": a.rule_version,
    }  # fmt: skip


def _area_rows(table: queries.AreaTable) -> list[dict]:
    return [
        {"area": code, "label": label, "by_level": dict(zip(table.levels, per, strict=True)),
         "total": total}
        for code, label, per, total in table.rows
    ]  # fmt: skip


@router.get("/office", response=OfficeStaffingOut)
def office_summary(request, year: int | None = Query(None, ge=2500, le=2700)):
    """The SAR's summary for the user's scope (a director: their school)."""
    access.require_analysis(request.user)
    a = queries.analyse(request.user, academic_year=year)
    s = a.summary
    return {
        "academic_year": a.academic_year, "census_date": a.census_date,
        "rule_set_id": a.rule_set.pk if a.rule_set else None, "rule_version": a.rule_version,
        "rule_label": a.rule_label, "rule_to_verify": bool(a.rule_set and a.rule_set.to_verify),
        "schools_by_level": s.schools_by_level, "schools_total": s.schools_total,
        "actual_administrators": s.actual_admin, "actual_teachers": s.actual_teachers,
        "actual_total": s.actual_total, "on_register": s.register, "seconded_out": s.seconded_out,
        "seconded_in": s.seconded_in, "contract_staff": s.contract_staff,
        "contract_counted": s.contract_counted, "contract_rule": a.contract_label,
        "vacant_estimate": s.vacant, "required_total": s.required_total, "diff": s.diff,
        "pct": s.pct, "short_schools": s.short_schools, "short_positions": s.short_positions,
        "surplus_schools": s.surplus_schools, "surplus_positions": s.surplus_positions,
        "balanced_schools": s.balanced_schools, "unknown_schools": s.unknown_schools,
        "teachers_by_area": _area_rows(a.by_area), "demand_by_area": _area_rows(a.demand_by_area),
        "problems": [{"kind": p.kind, "school": p.school, "message": p.message}
                     for p in a.problems],
    }  # fmt: skip


@router.get("/schools", response=list[SchoolStaffingOut])
def school_rows(request, year: int | None = Query(None, ge=2500, le=2700), status: str = ""):
    access.require_analysis(request.user)
    a = queries.analyse(request.user, academic_year=year)
    return [_school_out(s, a) for s in a.schools if not status or s.status == status]


@router.get("/schools/{school_id}", response=SchoolStaffingOut)
def school_row(request, school_id: int, year: int | None = Query(None, ge=2500, le=2700)):
    access.school_for_analysis(request.user, school_id)
    a = queries.analyse(
        request.user,
        academic_year=year,
        schools=queries.schools_visible_to(request.user).filter(pk=school_id),
    )
    if not a.schools:  # closed (or merged into another) by the census day: not counted
        raise HttpError(404, "สถานศึกษานี้ปิด/ยุบรวมก่อนวันนับข้อมูลของปีการศึกษานี้")
    return _school_out(a.schools[0], a)
