"""Every workbook the office prints and signs prints as its document: A4 fitted to the page
width, the table's header on top of every page, pages numbered "- n -", Thai typeface.

The staffing analysis, its out-of-field, retirement and transfer workbooks, the needs
workbook, the awards table, the PLC and supervision summaries and the PA summary printed in
Calibri on paper of the printer's default, their columns cut over several pages wide, no
page number and the header on the first page only."""

import io

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from krupd.lib.spreadsheets import DOCUMENT_FONT, print_as_document
from krupd.testing import make_person

pytestmark = pytest.mark.django_db
OFFICER = Role.DEVELOPMENT_OFFICER


def _assert_printed_as_document(data: bytes, what: str) -> None:
    book = load_workbook(io.BytesIO(data))
    for ws in book.worksheets:
        where = f"{what}: {ws.title}"
        assert ws.page_setup.paperSize in (9, "9"), where
        assert str(ws.page_setup.fitToWidth) == "1", where
        assert str(ws.page_setup.fitToHeight) == "0", where
        assert ws.sheet_properties.pageSetUpPr.fitToPage, where
        assert "&P" in (ws.oddHeader.center.text or ""), where
        fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
        assert fonts == {DOCUMENT_FONT}, (where, fonts)


def _assert_header_repeats(data: bytes, what: str) -> None:
    book = load_workbook(io.BytesIO(data))
    assert any(ws.print_title_rows for ws in book.worksheets), what


DOCUMENTS = [
    ("/staffing/export/xlsx/", True),
    ("/staffing/out-of-field/?format=xlsx", True),
    ("/staffing/retirements/?format=xlsx", True),
    ("/staffing/transfers/?format=xlsx", True),
    ("/community/awards/table/?format=xlsx", True),
    ("/reports/summaries/supervision/xlsx/?fy=2569", True),
    ("/career/pa/status/?format=xlsx&fy=2569", True),
]


@pytest.mark.parametrize(("url", "table"), DOCUMENTS)
def test_it_prints_the_workbook_as_a_document(client_for, office, school, url, table):
    for _ in range(3):
        make_person(office, school)
    response = client_for(OFFICER).get(url)
    assert response.status_code == 200, url
    assert "spreadsheetml" in response["Content-Type"], url
    data = b"".join(response.streaming_content) if response.streaming else response.content
    _assert_printed_as_document(data, url)
    if table:
        _assert_header_repeats(data, url)


def test_it_keeps_a_cells_weight_when_it_gives_it_the_thai_typeface():
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws["A1"] = "หัวเรื่อง"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "ข้อความ"
    print_as_document(ws, header_row=2, landscape=True)
    assert (ws["A1"].font.name, ws["A1"].font.bold, ws["A1"].font.size) == (
        DOCUMENT_FONT,
        True,
        14,
    )
    assert ws["A2"].font.name == DOCUMENT_FONT
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$2:$2"
