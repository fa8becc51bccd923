"""Edge-case data in the office's figures and documents: a 200-letter Thai name, a teacher
moved to another school mid-year, a school with no personnel. No page or document shows
"None"/"nan", divides by zero, or leaves a percentage blank without a dash; the long name is
printed whole. (KRUPD_DUMP_DIR=/some/dir keeps the files, to render and look at them.)"""

import io
import os
import subprocess
import tempfile
from decimal import Decimal as D
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from accounts.roles import Role
from krupd.testing import make_person, make_school
from registry import actions as registry_actions
from training import actions
from training.certificates import render_pdf

pytestmark = pytest.mark.django_db
FY = 2569
# 200 letters: a compound Thai name with tone marks and sara am, as a registry may hold it.
LONG_FIRST = ("ศรีสุวรรณภูมิพิทักษ์ธรรมวงศ์" * 4)[:100]
LONG_LAST = ("ณ อยุธยาพงศ์ประเสริฐกุ้งน้ำฤๅษี" * 4)[:96]


def _keep(name: str, data: bytes) -> None:
    if folder := os.environ.get("KRUPD_DUMP_DIR"):
        Path(folder, name).write_bytes(data)


def _pdf_text(data: bytes) -> str:
    """The PDF's text without whitespace (pdftotext puts spaces inside shaped Thai)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        text = subprocess.run(
            ["pdftotext", f.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    return "".join(text.split())


@pytest.fixture
def cast(office, school, users, session):
    officer = users[Role.DEVELOPMENT_OFFICER]
    empty = make_school(office, code="1076099999", name="โรงเรียนบ้านไม่มีครู")
    other = make_school(office, code="1076099998", name="โรงเรียนบ้านปลายทาง")
    long_named = make_person(office, school, title="ว่าที่ร้อยตรี", first_name=LONG_FIRST,
                             last_name=LONG_LAST)  # fmt: skip
    mover = make_person(office, school, first_name="ย้ายโรง")
    c = session.course
    enrolments = [
        actions.enrol(acting_user=officer, session=session, person=person)
        for person in (long_named, mover)
    ]
    for day in session.days.all():
        actions.roll_call(acting_user=officer, day=day, present_ids={e.pk for e in enrolments})
    for e in enrolments:
        e.refresh_from_db()
    # Moved to another school after the course (mid-year): counted at the school she is in.
    mover.school = other
    registry_actions.save_person(acting_user=users[Role.OFFICE_ADMIN], person=mover)
    return {"officer": officer, "empty": empty, "other": other, "long": long_named,
            "mover": mover, "course": c, "enrolments": enrolments}  # fmt: skip


def _clean(text: str) -> None:
    for word in ("None", "nan", "NaN", "inf", "Traceback"):
        assert word not in text, word


def test_office_pages_show_the_edge_cases_without_none_or_blank_figures(client_for, cast):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    developed = client.get(f"/training/developed/?fy={FY}").content.decode()
    _clean(developed)
    assert "โรงเรียนบ้านปลายทาง" in developed  # the mover, where she is now
    dashboard = client.get(f"/reports/?fy={FY}&school={cast['empty'].pk}")
    assert dashboard.status_code == 200
    html = dashboard.content.decode()
    _clean(html)
    assert "—" in html  # no personnel: no percentage, a dash
    results = client.get(f"/training/results/?fy={FY}").content.decode()
    _clean(results)


def test_documents_print_a_200_letter_name_whole(client_for, cast):
    long_named = cast["long"]
    assert len(long_named.full_name) >= 200
    cert = actions.issue_certificate(acting_user=cast["officer"], enrolment=cast["enrolments"][0])
    pdf = render_pdf(cert, base="http://testserver/")
    _keep("certificate-long-name.pdf", pdf)
    # The whole name is on the certificate (wrapped, not cut), on its single page.
    text = _pdf_text(pdf)
    assert text.count("\f") <= 1  # one page
    # Each of the three "ฤๅษี" of the surname is printed (it ran off the page at 30 pt).
    assert text.count("ฤๅษี") == LONG_LAST.count("ฤๅษี") == 3

    client = client_for(Role.DEVELOPMENT_OFFICER)
    transcript = f"/training/people/{long_named.pk}/transcript/?fy={FY}"
    pdf = client.get(transcript + "&format=pdf").content
    _keep("transcript-long-name.pdf", pdf)
    text = _pdf_text(pdf)
    _clean(text)
    assert text.count("ฤๅษี") == 3
    book = client.get(transcript + "&format=xlsx").content
    _keep("transcript-long-name.xlsx", book)
    cells = [str(v) for row in load_workbook(io.BytesIO(book)).active.iter_rows(values_only=True)
             for v in row if v is not None]  # fmt: skip
    _clean(" ".join(cells))

    for kind in ("training", "supervision"):
        docx = client.get(f"/reports/summaries/{kind}/docx/?fy={FY}").content
        _keep(f"summary-{kind}.docx", docx)
        doc = Document(io.BytesIO(docx))
        text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
            c.text for t in doc.tables for r in t.rows for c in r.cells
        )
        _clean(text)
    assert D("0") <= cast["enrolments"][1].hours_credited


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_a_year_with_no_development_says_so_in_the_transcript(client_for, users, fmt):
    """The transcript of a year without a course printed its table's header and nothing
    under it (the XLSX a blank row): the page says "ยังไม่มีการพัฒนาในปีงบประมาณนี้", and
    now the documents do too."""
    person = users[Role.TEACHER].person
    client = client_for(Role.DEVELOPMENT_OFFICER)
    data = client.get(f"/training/people/{person.pk}/transcript/?fy=2560&format={fmt}").content
    if fmt == "pdf":
        assert "ยังไม่มีการพัฒนาในปีงบประมาณนี้" in _pdf_text(data)
    else:
        rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
        assert rows[5][:2] == (None, "ยังไม่มีการพัฒนาในปีงบประมาณนี้")


def test_a_year_with_no_course_says_so_in_the_results_workbook(client_for):
    client = client_for(Role.DEVELOPMENT_OFFICER)
    data = client.get("/training/results/?fy=2560&format=xlsx").content
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[5][1] == "ยังไม่มีหลักสูตรในปีงบประมาณนี้"
    assert rows[6][1] == "รวม" and rows[6][3:5] == (0, 0) and rows[6][5] == "—"


def test_a_long_course_title_keeps_the_date_above_the_signature_line(cast):
    """A course title of four lines at 20 pt pushed "ให้ไว้ ณ วันที่ ..." down onto the
    signature line; the title now shrinks to two lines (14 pt at the least)."""
    import re

    cert = actions.issue_certificate(acting_user=cast["officer"], enrolment=cast["enrolments"][1])
    cert.course_title = (
        "การพัฒนาครูด้านการจัดการเรียนรู้เชิงรุก (Active Learning) ที่เน้นการคิดขั้นสูงและสมรรถนะดิจิทัล "
    ) * 3
    pdf = render_pdf(cert, base="http://testserver/")
    _keep("certificate-long-title.pdf", pdf)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        html = subprocess.run(
            ["pdftotext", "-bbox", f.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', html)
    given = [float(y_max) for _y_min, y_max, word in words if "ให้ไว้" in word]
    signature_line = 162 * 72 / 25.4  # mm to pt, where the signature line is drawn
    assert given and max(given) < signature_line - 2
