"""The fixed cast for import tests: two offices, schools, and one user per role."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from accounts.roles import Role
from krupd.lib.thai_id import check_digit
from registry.models import (
    AcademicStanding,
    LearningArea,
    Major,
    Network,
    Office,
    Person,
    School,
)


def national_id(serial: int, first: str = "1") -> str:
    """A valid 13-digit ID for a serial number."""
    base = f"{first}{serial:011d}"
    return base + str(check_digit(base))


def xlsx_bytes(rows, *, merges=(), sheet_title="Sheet1") -> bytes:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet_title
    for row in rows:
        ws.append(list(row))
    for ref in merges:
        ws.merge_cells(ref)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload_file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def read_xlsx(content: bytes) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def office(db):
    return Office.objects.create(
        code="7601", name="สพป.เพชรบุรี เขต 1", kind="spp", province="เพชรบุรี"
    )


@pytest.fixture
def other_office(db):
    return Office.objects.create(
        code="7602", name="สพป.เพชรบุรี เขต 2", kind="spp", province="เพชรบุรี"
    )


@pytest.fixture
def network(office):
    return Network.objects.create(office=office, name="เครือข่ายเมือง 1")


@pytest.fixture
def school_a(office, network):
    return School.objects.create(
        office=office, obec_code="1076100101", name="โรงเรียนบ้านหนึ่ง", level="primary",
        district="เมืองเพชรบุรี", network=network,
    )  # fmt: skip


@pytest.fixture
def school_b(office):
    return School.objects.create(
        office=office, obec_code="1076100102", name="โรงเรียนบ้านสอง", level="expansion"
    )


@pytest.fixture
def school_x(other_office):
    return School.objects.create(
        office=other_office, obec_code="1076200101", name="โรงเรียนเขตสอง", level="primary"
    )


def _user(username, role, office, **extra):
    return User.objects.create_user(
        username=username, password="x", role=role, office=office, first_name=username, **extra
    )


@pytest.fixture
def admin(office):
    return _user("admin", Role.OFFICE_ADMIN, office)


@pytest.fixture
def officer(office):
    return _user("officer", Role.DEVELOPMENT_OFFICER, office)


@pytest.fixture
def supervisor(office):
    return _user("supervisor", Role.SUPERVISOR, office)


@pytest.fixture
def director(office, school_a):
    return _user("director", Role.SCHOOL_DIRECTOR, office, school=school_a)


@pytest.fixture
def teacher(office):
    return _user("teacher", Role.TEACHER, office)


@pytest.fixture
def inspector(office):
    return _user("inspector", Role.INSPECTOR, office)


@pytest.fixture
def other_admin(other_office):
    return _user("other_admin", Role.OFFICE_ADMIN, other_office)


@pytest.fixture
def make_person(office):
    def make(serial: int, **fields) -> Person:
        defaults = dict(
            office=office, national_id=national_id(serial), title="นาง", first_name=f"ครู{serial}",
            last_name="ใจดี", gender="female", personnel_type="teacher", position="ครู",
            birth_date=dt.date(1985, 3, 15), salary=Decimal("30000.00"),
            academic_standing=AcademicStanding.objects.get(code="k2"),
            major=Major.objects.get(name="คณิตศาสตร์"),
        )  # fmt: skip
        defaults.update(fields)
        areas = defaults.pop("areas", [])
        person = Person.objects.create(**defaults)
        person.areas_taught.set(LearningArea.objects.filter(code__in=areas))
        return person

    return make


@pytest.fixture
def parser_spy(monkeypatch):
    """Every time anything opens a workbook to read it (the zip directory alone is no open)."""
    from imports import xlsx_stream

    opened = []
    real = xlsx_stream.XlsxStream.__init__

    def spy(self, *args, **kwargs):
        opened.append(args)
        real(self, *args, **kwargs)

    monkeypatch.setattr(xlsx_stream.XlsxStream, "__init__", spy)
    return opened
