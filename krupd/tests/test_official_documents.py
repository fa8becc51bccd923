"""The document check: every official document KruPD produces, rendered from the demo office
through its own download link, must read as the office's own work.

An office signs and submits these files. So their text must carry no developer label
("seed", a source-file path, a rule key), no BE year written like a number ("2,570"), no
"None", no unfilled template placeholder and no mark for an unconfirmed rule — those belong
on the admin's pages, not in a document sent to OBEC or the inspectors.

The demo office is built once for the module (every app's demo builder) inside a transaction
rolled back at the end. The documents are found from the demo rows, so a new plan, SAR or
report kind is checked without editing this file.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from openpyxl import load_workbook

from accounts.models import User
from accounts.roles import Role
from krupd.testing import refresh_planner_statistics
from registry.models import Office

FORBIDDEN = [
    (re.compile(r"\bseed\b", re.I), "the word seed"),
    (re.compile(r"[\w/]+\.py\b"), "a source-file path"),
    (re.compile(r"\b(?:reporting|planning|staffing|training|community|career|registry)/\w"),
     "an app path"),
    (re.compile(r"(?:พ\.ศ\.|ปี\S*)\s*2,5\d\d|^\s*2,5\d\d\s*$", re.M),
     "a BE year with a thousands separator"),
    (re.compile(r"\bNone\b"), "None"),
    (re.compile(r"\{\{|\}\}|\{%|%\}|\{[a-z_]+\}"), "an unfilled placeholder"),
    (re.compile(r"\[ต้องตรวจสอบ\]|ต้องตรวจสอบ\)"), "an unconfirmed-rule flag"),
    (re.compile(r"default-25\d\d"), "an internal rule version"),
    (re.compile(r"ข้อมูลจากระบบ KruPD|ตัวอย่างจากเอกสาร|DOMAIN\.md"), "a developer label"),
    (re.compile(r"\[x\]|\[ {1,2}\]"), "ASCII check boxes"),
    (re.compile(r"∞|nan\b|inf\b"), "a non-number"),
]  # fmt: skip


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = "".join(
            z.read(n).decode("utf-8")
            for n in z.namelist()
            if n.startswith("word/") and n.endswith(".xml")
        )
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    return "\n".join("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs)


def xlsx_text(data: bytes) -> str:
    wb = load_workbook(io.BytesIO(data), read_only=True)
    lines = [ws.title for ws in wb.worksheets]
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            lines.append(" | ".join("" if v is None else str(v) for v in row))
    return "\n".join(lines)


def pdf_text(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        out = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
        )
    return out.stdout


def text_of(url: str, response) -> str:
    kind = response["Content-Type"]
    if "wordprocessingml" in kind:
        return docx_text(response.content)
    if "spreadsheetml" in kind:
        return xlsx_text(response.content)
    if "pdf" in kind:
        if shutil.which("pdftotext") is None:
            pytest.skip("pdftotext (poppler-utils) is needed to read PDF text")
        return pdf_text(response.content)
    raise AssertionError(f"{url}: not a document ({kind})")


def problems_in(text: str) -> list[str]:
    found = []
    for pattern, what in FORBIDDEN:
        for m in pattern.finditer(text):
            start = max(0, m.start() - 40)
            found.append(f"{what}: …{text[start : m.end() + 40]!r}…")
    return found


# ---------------------------------------------------------------------------------- world


def _build_demo() -> Office:
    from career.demo import build as career_demo
    from community.demo import build as community_demo
    from planning.demo import build as planning_demo
    from registry import demo
    from reporting.demo import build_reporting_demo
    from training.demo import build_training_demo

    summary = demo.build_demo(schools=4, people=40)
    office = Office.objects.get(code=summary.demo_office_code)
    demo.create_demo_users(office=office)
    planning_demo(office=office)
    build_training_demo(office=office)
    community_demo(office=office)
    career_demo(office=office)
    build_reporting_demo(office=office)
    return office


def document_urls(office: Office) -> list[str]:
    from career.models import PAAgreement
    from planning.models import Framework, Plan, Round
    from reporting.models import InspectionReport, SarReport
    from reporting.reports.summaries import KINDS

    urls = ["/staffing/export/xlsx/", "/staffing/export/docx/"]
    for plan in Plan.objects.filter(office=office):
        urls += [f"/planning/plans/{plan.pk}/docx/", f"/planning/plans/{plan.pk}/results/docx/"]
        first = plan.projects.order_by("number", "id").first()
        if first is not None:
            urls.append(f"/planning/plans/{plan.pk}/projects/{first.pk}/results/docx/")
    for rnd in Round.objects.filter(office=office):
        urls += [f"/planning/rounds/{rnd.pk}/needs/export/{f}/" for f in ("xlsx", "docx")]
    for fw in Framework.objects.filter(office=office):
        urls.append(f"/planning/frameworks/{fw.pk}/export/")
    for sar in SarReport.objects.filter(office=office):
        urls += [f"/reports/sar/{sar.pk}/export/{f}/" for f in ("docx", "pdf")]
    for report in InspectionReport.objects.filter(office=office):
        urls.append(f"/reports/inspection/{report.pk}/docx/")
    years = sorted({r.fiscal_year for r in SarReport.objects.filter(office=office)})
    for fy in years:
        for kind in KINDS:
            urls += [f"/reports/summaries/{kind.code}/{f}/?fy={fy}" for f in ("xlsx", "docx")]
    pa = PAAgreement.objects.filter(person__office=office).first()
    if pa is not None:
        urls.append(f"/career/pa/{pa.pk}/export/")
    # The demo teacher's evidence pack: its self-report cites her records and files.
    packed = PAAgreement.objects.filter(person__office=office, evidence__isnull=False).first()
    if packed is not None:
        urls += [f"/career/pa/{packed.pk}/pack/report/", f"/career/pa/{packed.pk}/export/"]
    return urls


def _province_round(office: Office) -> tuple[User, str]:
    from oversight.demo import create_oversight_users
    from oversight.inspection_demo import build_inspection_round_demo
    from oversight.models import Province

    create_oversight_users()
    round_ = build_inspection_round_demo(Province.objects.get(name=office.province))
    inspector = User.objects.get(role=Role.PROVINCE_INSPECTOR, province=round_.province)
    return inspector, f"/oversight/inspection/rounds/{round_.pk}/docx/"


# Each DOCX's layout as the `demo` fixture read it: {url: (first page numbered, every
# body table's header row repeats)}.
LAYOUTS: dict[str, tuple[bool, list[bool]]] = {}


def docx_layout(data: bytes) -> tuple[bool, list[bool]]:
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    first_numbered = not section.different_first_page_header_footer or any(
        True for _ in section.first_page_header._element.iter(qn("w:instrText"))
    )
    repeats = []
    for table in doc.tables:
        tr_pr = table.rows[0]._tr.trPr
        repeats.append(tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None)
    return first_numbered, repeats


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        office = _build_demo()
        refresh_planner_statistics()
        admin = User.objects.filter(office=office, role=Role.OFFICE_ADMIN).first()
        client = Client()
        client.force_login(admin)
        docs = {}
        LAYOUTS.clear()
        for url in document_urls(office):
            response = client.get(url)
            if response.status_code == 200 and response.get("Content-Disposition"):
                docs[url] = text_of(url, response)
                if "wordprocessingml" in response["Content-Type"]:
                    LAYOUTS[url] = docx_layout(response.content)
            else:
                docs[url] = None  # no data for it (e.g. an awards year without rounds)
        # The province's report, gathered from the office's submitted one, as its inspector
        # exports it.
        inspector, url = _province_round(office)
        client.force_login(inspector)
        docs[url] = text_of(url, client.get(url))
        yield docs
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_it_renders_every_kind_of_official_document(demo):
    rendered = [url for url, text in demo.items() if text is not None]
    for part in ("/staffing/export/docx/", "/plans/", "/results/docx/", "/needs/export/docx/", "/sar/",
                 "/export/pdf/", "/inspection/", "/summaries/training/", "/summaries/awards/",
                 "/career/pa/", "/pack/report/", "/oversight/inspection/rounds/"):  # fmt: skip
        assert any(part in url for url in rendered), f"no document rendered for {part}"
    # Both half-year rounds of the SAR, each headed by its round.
    sar_texts = [text for url, text in demo.items() if text and "/sar/" in url]
    for heading in ("การดำเนินงานในรอบ 6 เดือนแรก", "การดำเนินงานในรอบ 6 เดือนหลัง"):
        assert any(heading in t for t in sar_texts), heading
    results = [text for url, text in demo.items() if text and "/results/docx/" in url]
    assert all("ผลการดำเนินงานเทียบกับเป้าหมาย" in t and "11. ข้อเสนอแนะ" in t for t in results)


@pytest.mark.django_db
def test_no_document_carries_developer_text_or_malformed_values(demo):
    failures = []
    for url, text in demo.items():
        if text is None:
            continue
        failures += [f"{url}: {p}" for p in problems_in(text)]
    assert not failures, "\n".join(failures[:60])


@pytest.mark.django_db
def test_every_docx_numbers_pages_from_the_second_and_repeats_its_table_headers(demo):
    """Official documents number their pages from the second ("- ๒ -" at the top centre),
    and a table that runs onto the next page goes on under its header: the plans, their
    results and the staffing report ran on under no header, and every DOCX printed "- 1 -"
    over its title."""
    assert LAYOUTS, "no DOCX rendered"
    numbered_first = [url for url, (first, _tables) in LAYOUTS.items() if first]
    assert not numbered_first, numbered_first
    bare = [url for url, (_first, tables) in LAYOUTS.items() if not all(tables)]
    assert not bare, bare


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2,570", True),
        ("ที่มา: seed 000", True),
        ("สูตรอยู่ใน reporting/kpis.py", True),
        ("[x] ครบถ้วน", True),
        ("ผู้รับผิดชอบ None", True),
        ("เรียน {name}", True),
        ("ครู 2,570 คน ปีงบประมาณ พ.ศ. 2570 ☑ ครบถ้วน", False),
    ],
)
def test_the_check_itself_tells_bad_text_from_good(text, bad):
    assert bool(problems_in(text)) is bad
