"""The SAR DOCX's small tables inside the item's cells (the teachers by subject)."""

import io

import pytest
from docx import Document

from krupd.lib.column_fit import CELL_PADDING_CM, longest_word_cm
from krupd.lib.thai_docx import ThaiDoc
from reporting.reports.sar import INNER_HEADER_SIZE, INNER_MARGIN_TWIPS, SAR_WIDTHS, _cell_table

HEADER = ["วิชา", "ประถมศึกษา", "ขยายโอกาสฯ", "รวม"]
ROWS = [["บริหาร", 87, 27, 114], ["ภาษาไทย", 112, 57, 169], ["คณิตศาสตร์", 60, 31, 91]]


@pytest.mark.parametrize("thai_digits", [False, True])
def test_a_table_in_a_cell_fills_it_and_holds_its_words(thai_digits):
    """Left to autofit, LibreOffice drew it a third of the cell wide, cutting "ประ|ถม|ศึกษ|า"
    and "บริหา|ร": its columns now share the cell's width, each wide enough for its words."""
    d = ThaiDoc(thai_digits=thai_digits, landscape=True)
    outer = d.doc.add_table(rows=1, cols=1)
    _cell_table(d, outer.cell(0, 0), HEADER, ROWS, width=SAR_WIDTHS[2])
    inner = Document(io.BytesIO(d.bytes())).tables[0].cell(0, 0).tables[0]
    widths = [col.width / 360000 for col in inner.columns]
    padding = 2 * INNER_MARGIN_TWIPS / 567
    assert sum(widths) == pytest.approx(SAR_WIDTHS[2] - CELL_PADDING_CM, abs=0.05)
    for c, h in enumerate(HEADER):
        assert widths[c] >= longest_word_cm(h, size=INNER_HEADER_SIZE, bold=True) + padding - 0.01
    assert widths[0] >= longest_word_cm("คณิตศาสตร์", size=12) + padding - 0.01
    assert [c.text for c in inner.rows[1].cells] == [d.t(v) for v in ["บริหาร", "87", "27", "114"]]
