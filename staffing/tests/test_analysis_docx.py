"""The staffing analysis as DOCX: its tables by learning area are read across pages."""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from accounts.roles import Role
from krupd.testing import make_person

pytestmark = pytest.mark.django_db


def test_the_tables_repeat_their_header_and_hold_their_widths_in_libreoffice(
    client_for, office, school
):
    """The demand table ran onto the next page under no header; its subject column was as
    wide as LibreOffice guessed ("ภาษาต่าง|ประเทศ" on two lines), the widths being set for
    Word only."""
    make_person(office, school)
    response = client_for(Role.DEVELOPMENT_OFFICER).get("/staffing/export/docx/")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    assert len(doc.tables) == 2
    for table in doc.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        # The grid (what LibreOffice reads) carries the widths, as the cells (Word's) do.
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iter(qn("w:gridCol"))]
        cm = [w / 567 for w in grid]
        assert round(sum(cm)) == 6 + 3 * (len(cm) - 1) and cm[0] > 5
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
