"""A fixed cast for tests: one office with two schools and a user for every role.

App test packages pull these fixtures in with `from krupd.testing import *` in their conftest.
"""

import datetime as dt
import html.parser
import itertools

import pytest

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
    PersonnelType,
    School,
    SchoolLevel,
)

PASSWORD = "test-pass-123"
_serial = itertools.count(1)


class _PostForms(html.parser.HTMLParser):
    """The fields of each POST form of a page, as its browser would send them untouched."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self._form: dict[str, list[str]] | None = None
        self._select: tuple[str, list[str], list[str]] | None = None
        self._textarea: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "file", "reset", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._form.setdefault(name, []).append(a.get("value", default))
        elif tag == "textarea" and name:
            self._textarea = self._form.setdefault(name, [])
            self._textarea.append("")
        elif tag == "select" and name:
            self._select = (name, [], [])
        elif tag == "option" and self._select is not None:
            self._select[1].append(a.get("value", ""))
            if "selected" in a:
                self._select[2].append(a.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            # A browser drops the one line break that follows <textarea>.
            self._textarea[-1] += data if self._textarea[-1] else data.removeprefix("\n")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, chosen = self._select
            # A drop-down with nothing marked sends its first option, as a browser does.
            self._form.setdefault(name, []).extend(chosen or options[:1])
            self._select = None


def as_the_browser_sends(page: str, *, having: str) -> dict[str, str | list[str]]:
    """What the POST form of a page (HTML) that has a box named `having` sends when saved as
    it was shown, as a browser sends it: a drop-down with no option marked sends its first
    option, unticked boxes send nothing. Tests post it with their own changes on top."""
    parser = _PostForms()
    parser.feed(page)
    form = next(f for f in parser.forms if having in f)
    return {k: v[0] if len(v) == 1 else v for k, v in form.items()}


def pdf_text(data: bytes, *, layout: bool = False) -> str:
    """The text pdftotext reads from a PDF (`layout`: keeping the page's columns)."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(
            ["pdftotext", *(["-layout"] if layout else []), f.name, "-"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip


def valid_national_id(seed: int | None = None) -> str:
    """A checksum-valid 13-digit ID, different for every call unless a seed is given."""
    body = f"3{(seed if seed is not None else next(_serial)) % 10**11:011d}"
    return body + str(check_digit(body))


def make_office(code: str = "7601", name: str = "สพป.เพชรบุรี เขต 1") -> Office:
    return Office.objects.create(code=code, name=name, kind="spp", province="เพชรบุรี")


def make_school(office: Office, *, code: str, name: str, network=None, level=SchoolLevel.PRIMARY):
    return School.objects.create(
        office=office, obec_code=code, name=name, level=level, network=network, district="เมือง"
    )


def make_person(office: Office, school: School | None, **fields) -> Person:
    defaults = {
        "national_id": valid_national_id(),
        "title": "นาง",
        "first_name": "สมศรี",
        "last_name": "ใจดี",
        "gender": "female",
        "birth_date": dt.date(1980, 5, 1),
        "personnel_type": PersonnelType.TEACHER,
        "position": "ครู",
        "academic_standing": AcademicStanding.objects.get(code="k2"),
        "appointment_date": dt.date(2005, 5, 16),
        "major": Major.objects.get(name="คณิตศาสตร์"),
        "highest_degree": "bachelor",
        "phone": "081-234-5678",
    }
    defaults.update(fields)
    return Person.objects.create(office=office, school=school, **defaults)


def make_user(username: str, role: str, office: Office, **fields) -> User:
    return User.objects.create_user(
        username=username, password=PASSWORD, role=role, office=office, **fields
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing is deliberately slow; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def office(db):
    return make_office()


@pytest.fixture
def other_office(db):
    return make_office(code="7602", name="สพป.เพชรบุรี เขต 2")


@pytest.fixture
def network(office):
    return Network.objects.create(office=office, name="เครือข่ายเมือง 1")


@pytest.fixture
def school(office, network):
    return make_school(office, code="1076010001", name="โรงเรียนบ้านหนองไผ่", network=network)


@pytest.fixture
def other_school(office):
    return make_school(office, code="1076010002", name="โรงเรียนวัดท่าไม้")


@pytest.fixture
def teacher_person(office, school):
    person = make_person(office, school, first_name="สมศรี", last_name="ใจดี")
    person.areas_taught.set([LearningArea.objects.get(code="math")])
    return person


@pytest.fixture
def other_teacher(office, other_school):
    return make_person(office, other_school, first_name="สมชาย", last_name="รักเรียน",
                       title="นาย", gender="male")  # fmt: skip


@pytest.fixture
def foreign_person(other_office):
    """Someone in another office: no user of `office` may ever see them."""
    school = make_school(other_office, code="1076020001", name="โรงเรียนเขตสอง")
    return make_person(other_office, school, first_name="ต่างเขต", last_name="ทดสอบ")


@pytest.fixture
def users(office, school, teacher_person):
    """One user per role; the director runs `school`, the teacher is `teacher_person`."""
    return {
        Role.OFFICE_ADMIN: make_user("admin1", Role.OFFICE_ADMIN, office),
        Role.DEVELOPMENT_OFFICER: make_user("officer1", Role.DEVELOPMENT_OFFICER, office),
        Role.SUPERVISOR: make_user("supervisor1", Role.SUPERVISOR, office),
        Role.SCHOOL_DIRECTOR: make_user("director1", Role.SCHOOL_DIRECTOR, office, school=school),
        Role.TEACHER: make_user("teacher1", Role.TEACHER, office, person=teacher_person),
        Role.INSPECTOR: make_user("inspector1", Role.INSPECTOR, office),
        **users_above_office(office),
    }


def users_above_office(office: Office) -> dict:
    """A user of each level above the office whose scope holds `office` (its province, in
    region 7, and the country): refused every office page, like any other role."""
    from oversight.models import Province, Region

    region = Region.objects.get(number=7)
    province = Province.objects.get(name=office.province)
    province.region = region
    province.save(update_fields=["region"])
    return {
        role: User.objects.create_user(username=f"{role}1", password=PASSWORD, role=role, **scope)
        for role, scope in (
            (Role.PROVINCE_INSPECTOR, {"province": province}),
            (Role.REGION_INSPECTOR, {"region": region}),
            (Role.OBEC_ANALYST, {}),
        )
    }


@pytest.fixture
def client_for(client, users):
    """client_for(role) → a test client logged in as that role's user."""

    def login(role: str):
        client.force_login(users[role])
        return client

    return login


def refresh_planner_statistics() -> None:
    """PostgreSQL plans queries from table statistics. Rows a module fixture builds inside its
    own transaction (a whole demo office) are unknown to them, since autovacuum never sees
    uncommitted rows; a plan made for empty tables then takes minutes on the demo office's
    enrolments. ANALYZE inside the transaction counts them. Nothing to do on SQLite."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
