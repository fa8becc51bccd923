"""Read API for the registry (people, schools, enrolment), scoped exactly like the pages."""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from accounts.roles import VIEW_PEOPLE, VIEW_SCHOOLS
from krupd.lib.pagination import PageNumberPagination

from . import access, queries
from .models import Enrolment

router = Router(tags=["ทะเบียน"])


class PersonOut(Schema):
    id: int
    national_id_masked: str = Field(..., alias="masked_national_id")
    title: str
    first_name: str
    last_name: str
    personnel_type: str
    position: str
    academic_standing: str | None = Field(None, alias="academic_standing.name")
    school_id: int | None
    school_name: str = Field(..., alias="workplace_name")
    major: str | None = Field(None, alias="major.name")
    learning_area_of_major: str | None = Field(None, alias="major.learning_area.code")
    status: str
    updated_at: dt.datetime


class PersonDetailOut(PersonOut):
    gender: str
    birth_date: dt.date | None
    appointment_date: dt.date | None
    position_number: str
    salary_grade: str
    highest_degree: str
    areas_taught: list[str]
    phone: str
    email: str

    @staticmethod
    def resolve_areas_taught(person) -> list[str]:
        return [area.code for area in person.areas_taught.all()]


class SchoolOut(Schema):
    id: int
    obec_code: str
    name: str
    level: str
    district: str
    network: str | None = Field(None, alias="network.name")
    latitude: float | None
    longitude: float | None
    total_students: int
    total_classrooms: int
    size_band: str
    closed_on: dt.date | None = Field(None, description="วันที่ปิด/ยุบรวม (ว่าง: ยังไม่ปิด)")
    merged_into_id: int | None = Field(None, description="สถานศึกษาที่ยุบรวมไป (ว่าง: ไม่ได้ยุบรวม)")


class EnrolmentOut(Schema):
    academic_year: int
    census_date: dt.date
    grade: str
    students: int
    classrooms: int


class SchoolDetailOut(SchoolOut):
    enrolment: list[EnrolmentOut]

    @staticmethod
    def resolve_enrolment(school) -> list[Enrolment]:
        return list(school.enrolments.order_by("-academic_year", "grade"))


class PeopleQuery(Schema):
    q: str = ""
    school: str = ""
    network: str = ""
    personnel_type: str = ""
    standing: str = ""
    learning_area: str = ""
    status: str = "active"
    sort: str = "name"


@router.get("/people", response=list[PersonOut])
@paginate(PageNumberPagination, page_size=100)
def list_people(request, filters: Query[PeopleQuery]):
    if not access.can_list_people(request.user):
        raise PermissionDenied
    return queries.people_list(request.user, queries.PeopleFilter(**filters.dict()))


@router.get("/people/{person_id}", response=PersonDetailOut)
def get_person(request, person_id: int):
    return access.person_for_view(request.user, person_id)


class SchoolsQuery(Schema):
    q: str = ""
    network: str = ""
    level: str = ""
    closed: Literal["", "all", "only"] = Field(
        "",
        description="สถานศึกษาที่ปิด/ยุบรวม: ว่าง (ค่าเริ่มต้น) เฉพาะที่ยังเปิด · all ทั้งที่เปิดและปิด"
        " · only เฉพาะที่ปิด/ยุบรวมแล้ว",
    )
    on: dt.date | None = Field(
        None,
        description="ปิดหรือเปิด ณ วันที่ (ปปปป-ดด-วว ค.ศ.) ค่าเริ่มต้นคือวันนี้: สถานศึกษาที่ปิดตั้งแต่วันนั้นนับว่าปิด",
    )


@router.get("/schools", response=list[SchoolOut])
@paginate(PageNumberPagination, page_size=100)
def list_schools(request, filters: Query[SchoolsQuery]):
    """สถานศึกษาที่ผู้ใช้เห็น ค่าเริ่มต้นไม่รวมสถานศึกษาที่ปิด/ยุบรวมแล้ว (เช่นเดียวกับหน้ารายชื่อ
    สถานศึกษา) ขอรวมหรือขอเฉพาะที่ปิดได้ด้วย closed และดู ณ วันอื่นได้ด้วย on"""
    access.require(request.user, VIEW_SCHOOLS)
    f = filters.dict()
    on = f.pop("on")
    return queries.school_list(request.user, queries.SchoolFilter(**f), on)


@router.get("/schools/{school_id}", response=SchoolDetailOut)
def get_school(request, school_id: int):
    return access.school_for_view(request.user, school_id)


__all__ = ["router", "VIEW_PEOPLE"]
