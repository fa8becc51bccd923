"""The staffing analysis as PDF, beside its DOCX: the same roles may have it, in the same
official layout (heading, census day in Buddhist Era, the rule's citation, the tables by
learning area), A4 upright, in Thai digits when asked."""

import re
import shutil
import subprocess
import tempfile

import pytest
from django.urls import reverse

from accounts.roles import Role
from krupd.lib.numerals import to_thai_digits
from krupd.testing import pdf_text
from staffing import queries

from .helpers import YEAR, school_with

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext reads the PDF's text"),
]

ALLOWED = [Role.OFFICE_ADMIN, Role.DEVELOPMENT_OFFICER, Role.SUPERVISOR, Role.SCHOOL_DIRECTOR]
REFUSED = [Role.INSPECTOR, Role.TEACHER, Role.PROVINCE_INSPECTOR, Role.OBEC_ANALYST]


@pytest.fixture
def demo(office, users):
    school_with(office, "1076019001", students=20, rooms=6, teachers={"คณิตศาสตร์": 3})
    school_with(office, "1076019002", students=60, rooms=6, teachers={"ภาษาไทย": 1})
    return office


def export(client, fmt: str, **params):
    return client.get(reverse("staffing:export", args=[fmt]), {"year": YEAR, **params})


@pytest.mark.parametrize("role", ALLOWED)
def test_the_roles_that_have_the_docx_have_the_pdf(client_for, demo, role):
    client = client_for(role)
    assert export(client, "docx").status_code == 200
    response = export(client, "pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="staffing-{YEAR}.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize("role", REFUSED)
def test_the_roles_refused_the_docx_are_refused_the_pdf(client_for, demo, role):
    client = client_for(role)
    assert export(client, "docx").status_code == 403
    assert export(client, "pdf").status_code == 403


def test_the_pdf_reads_as_the_docx_in_the_official_layout(client_for, demo):
    client = client_for(Role.OFFICE_ADMIN)
    page = client.get(reverse("staffing:office"), {"year": YEAR}).content.decode()
    assert reverse("staffing:export", args=["pdf"]) in page  # beside the other downloads
    data = export(client, "pdf").content
    # pdftotext puts a space inside "ำ" and lines break where they fall: read without spaces.
    text = squeezed(pdf_text(data, layout=True))
    a = queries.analyse(_admin(demo), academic_year=YEAR)
    for expected in (
        "ข้อมูลอัตรากำลังของสถานศึกษาเป็นรายโรงและในภาพรวม",
        f"{demo.name} ปีการศึกษา {YEAR}",
        "(ข้อมูล 10 มิถุนายน 2569)",  # the census day, Buddhist Era
        f"1. จำนวนโรงเรียน (ภาครัฐ) ทั้งหมด {a.summary.schools_total} โรงเรียน",
        f"คำนวณ: {a.rule_set.citation}",
        f"{a.summary.actual_label} แยกตามกลุ่มสาระ",
        "ความต้องการครู (เฉพาะโรงเรียน",
        "วิชาประถมศึกษา",  # the table's header
        "คณิตศาสตร์",
    ):
        assert squeezed(expected) in text, expected
    info = _pdfinfo(data)
    assert "595.28 x 841.89 pts (A4)" in info  # A4 upright


def test_the_pdf_is_written_in_thai_digits_when_asked_as_the_docx_is(client_for, demo):
    client = client_for(Role.OFFICE_ADMIN)
    page = client.get(reverse("staffing:office"), {"year": YEAR}).content.decode()
    assert "digits=thai" in page
    thai = pdf_text(export(client, "pdf", digits="thai").content)
    assert f"ปีการศึกษา {to_thai_digits(str(YEAR))}" in thai
    assert "๑๐ มิถุนายน ๒๕๖๙" in thai
    assert not re.search(r"[0-9]", thai)
    arabic = pdf_text(export(client, "pdf").content)
    assert f"ปีการศึกษา {YEAR}" in arabic


def test_the_directors_pdf_names_her_school(client_for, demo, school):
    text = pdf_text(export(client_for(Role.SCHOOL_DIRECTOR), "pdf").content)
    assert f"{school.name} {school.office.name} ปีการศึกษา {YEAR}" in re.sub(r"\s+", " ", text)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _admin(office):
    from accounts.models import User

    return User.objects.get(username="admin1")


def _pdfinfo(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdfinfo", f.name], capture_output=True, text=True,
                              check=True).stdout  # fmt: skip
