"""Every evidence table of the SAR has its title: the PDF draws the tables after the item's
table, where the teachers-by-subject table stood with no line saying what it counts."""

import io
import shutil
import subprocess

import pytest
from docx import Document
from docx.text.paragraph import Paragraph

from reporting.render.pdf import sar_pdf
from reporting.reports import sar as sar_doc
from reporting.tests.test_sar_exports import sar  # noqa: F401 (fixture)

SUBJECTS = "จำนวนครูตาม จ.18 แยกตามกลุ่มสาระ"


def test_every_evidence_table_has_a_title(sar):  # noqa: F811
    document = sar_doc.build(sar)
    tables = [t for view in document.items for t in view.tables]
    assert SUBJECTS in [title for title, _header, _rows in tables]
    assert all(title.strip() and header for title, header, _rows in tables)

    docx = Document(io.BytesIO(sar_doc.sar_docx(document)))
    cell = next(t.cell(1, 2) for t in docx.tables if SUBJECTS in t.cell(1, 2).text)
    texts = [p.text for p in cell.paragraphs]
    assert SUBJECTS in texts
    # The title stands right before the subject table in the cell.
    body = list(cell._tc.iterchildren())
    titled = next(i for i, el in enumerate(body) if el.tag.endswith("}p") and
                  Paragraph(el, cell).text == SUBJECTS)  # fmt: skip
    assert body[titled + 1].tag.endswith("}tbl")

    if shutil.which("pdftotext"):
        data = sar_pdf(document)
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                              check=True).stdout.decode()  # fmt: skip
        lines = [line.replace(" ", "") for line in text.splitlines()]
        at = lines.index(SUBJECTS.replace(" ", ""))
        assert lines[at + 1] == "วิชา"
    else:
        pytest.skip("needs poppler-utils")


def test_every_items_title_stays_with_its_table(sar):  # noqa: F811
    """The DOCX keeps each item's title (and its standard and indicator above it) on the page
    of the item's table: with the title left at the foot of page 1 and its table on page 2,
    page 1 was half empty under an orphaned heading."""
    document = sar_doc.build(sar)
    docx = Document(io.BytesIO(sar_doc.sar_docx(document)))
    body = list(docx.element.body.iterchildren())
    titles = [view.item.title for view in document.items]
    for title in titles:
        at = next(i for i, el in enumerate(body) if el.tag.endswith("}p")
                  and Paragraph(el, docx).text.endswith(title))  # fmt: skip
        assert body[at + 1].tag.endswith("}tbl"), title
        assert Paragraph(body[at], docx).paragraph_format.keep_with_next, title


def test_the_pdf_numbers_its_pages_from_the_second_at_the_top_centre(sar):  # noqa: F811
    """The PDF put "- 1 -" at the foot of every page, the first too; official documents (and
    this report's DOCX) number from the second page, at the top centre."""
    from krupd.testing import pdf_text

    data = sar_pdf(sar_doc.build(sar))
    pages = pdf_text(data, layout=True).split("\f")[:-1]
    assert len(pages) > 1
    # pdftotext drops the spaces around the number: compared without them.
    firsts, lasts = [], []
    for page in pages:
        lines = ["".join(line.split()) for line in page.splitlines() if line.strip()]
        firsts.append(lines[0])
        lasts.append(lines[-1])
    assert firsts[1:] == [f"-{n}-" for n in range(2, len(pages) + 1)]
    assert "-1-" not in (firsts[0], lasts[0])
    assert not any(line in (f"-{n}-" for n in range(1, len(pages) + 1)) for line in lasts)
