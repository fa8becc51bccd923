"""The SAR PDF never leaves a heading alone at the foot of a page with its table on the
next: the demo SAR's item 5.5/2/3 heading sat under item 2's table with half a page empty
below it (its table of levels, one block, went to page 4), and the network goals annex's
title and office name closed page 7 with the table on page 8."""

import shutil
import subprocess

import pytest

from reporting.evidence import METHODS_HEADER
from reporting.render.pdf import _annex, _new_pdf, _titled_table

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")

ROWS = [
    [i, f"หลักสูตรพัฒนาครู การวัดและประเมินผลเพื่อพัฒนาการเรียนรู้ รุ่น {i}", "1 พ.ค. 2569",
     "ห้องประชุม สพป.", "อบรมเชิงปฏิบัติการ", 40, 30, "75.00"]
    for i in range(1, 6)
]  # fmt: skip
ROWS[0][1] *= 3  # a first row of several lines


def _page_texts(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "sar.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    return ["".join(page.split()) for page in text.split("\f")]


@needs_poppler
@pytest.mark.parametrize("draw", ["annex", "titled"])
def test_a_tables_title_goes_to_the_next_page_with_its_table(tmp_path, draw):
    pdf = _new_pdf()
    # Room for the title lines, not for the header (two lines) and the first row as well.
    # (The title of an evidence table had room kept for one line of header and three of
    # rows; this first row alone takes more.)
    pdf.set_y(pdf.page_break_trigger - (16 if draw == "annex" else 28))
    if draw == "annex":
        _annex(pdf, "ภาคผนวกทดสอบหัวเรื่อง", "สพป.ทดสอบ เขต 1", METHODS_HEADER, ROWS)
    else:
        _titled_table(pdf, "ตารางทดสอบหัวเรื่อง", METHODS_HEADER, ROWS)
    pages = _page_texts(bytes(pdf.output()), tmp_path)
    title = "ภาคผนวกทดสอบหัวเรื่อง" if draw == "annex" else "ตารางทดสอบหัวเรื่อง"
    assert title not in pages[0]
    assert title in pages[1] and "ชื่อหลักสูตร" in pages[1]


@needs_poppler
def test_a_title_with_room_for_its_table_stays_on_the_page(tmp_path):
    pdf = _new_pdf()
    _annex(pdf, "ภาคผนวกทดสอบหัวเรื่อง", "สพป.ทดสอบ เขต 1", METHODS_HEADER, ROWS)
    pages = _page_texts(bytes(pdf.output()), tmp_path)
    assert "ภาคผนวกทดสอบหัวเรื่อง" in pages[0] and "ชื่อหลักสูตร" in pages[0]


@needs_poppler
@pytest.mark.django_db
def test_an_items_heading_goes_to_the_next_page_with_its_table_of_levels(
    tmp_path, users, office, school
):
    from accounts.roles import Role
    from krupd.testing import make_person
    from reporting import actions
    from reporting.models import SarEdition
    from reporting.render.pdf import _item
    from reporting.reports.sar import SAR_WIDTHS, build
    from reporting.tests.helpers import course, passed

    c = course(office, fy=2569, title="การจัดการเรียนรู้เชิงรุก")
    passed(c, make_person(office, school))
    edition = SarEdition.objects.get(code="esa-2555")
    report = actions.start_sar(
        acting_user=users[Role.DEVELOPMENT_OFFICER], edition=edition, fiscal_year=2569
    )
    document = build(report)
    view = document.items[0]
    pdf = _new_pdf()
    widths = [w * 10 for w in SAR_WIDTHS]
    pdf.set_y(pdf.page_break_trigger - 40)  # room for the heading, not for the levels
    # sar_pdf's step for each item: try it, and begin the next page when it would break.
    from reporting.render import pdf as render

    render._keep_item_on_one_page(pdf, report, view, widths)
    _item(pdf, report, view, widths)
    pages = _page_texts(bytes(pdf.output()), tmp_path)
    assert "ประเด็นที่" not in pages[0]
    assert "ประเด็นที่" in pages[1]
