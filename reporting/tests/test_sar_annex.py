"""The SAR's annex tables (Word): their body rows are streamed into the saved file
(ThaiDoc.table(stream=True)); the file must be the very one writing them cell by cell through
python-docx wrote."""

import io
import zipfile
from decimal import Decimal

from docx.oxml import OxmlElement
from hypothesis import given, settings
from hypothesis import strategies as st

from krupd.lib.column_fit import fitted_widths
from krupd.lib.thai_docx import (
    ThaiDoc,
    fits_a_page,
    letters_per_line,
    repeat_header,
    set_widths,
)
from reporting.evidence import GOAL_HEADER, METHODS_HEADER
from reporting.reports.sar import ANNEX_WIDTHS, NO_DEVELOPMENT, _annex


def _annex_cell_by_cell(d, title, office_name, header, rows) -> None:
    """sar._annex as it was written before: every cell through python-docx."""
    d.para(title, bold=True, center=True, keep_next=True)
    d.para(office_name, center=True, keep_next=True)
    table = d.doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for c, h in enumerate(header):
        d.cell_text(table.cell(0, c), [(h, True)], size=13)
        # As ThaiDoc.table writes it now: the header row keeps with the first body row.
        table.cell(0, c).paragraphs[0].paragraph_format.keep_with_next = True
    repeat_header(table.rows[0])
    body = rows or [["", NO_DEVELOPMENT] + [""] * (len(header) - 2)]
    texts = [[d.t(v) for v in values] for values in body]
    widths = None
    if len(header) in ANNEX_WIDTHS:
        # the columns made wide enough for their words (column_fit)
        widths = fitted_widths(ANNEX_WIDTHS[len(header)], header, texts, size=13)
    per_line = letters_per_line(widths, len(header), d.text_width_cm, 13)
    for values in body:
        row = table.add_row()
        for c, v in enumerate(values):
            d.cell_text(row.cells[c], [(d.t(v), False)], size=13)
        # As ThaiDoc.table writes it now: a row short enough for one page is kept whole.
        if fits_a_page([d.t(v) for v in values], per_line):
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    if widths:
        set_widths(table, widths)
    d.para()


def _document_xml(d: ThaiDoc) -> bytes:
    with zipfile.ZipFile(io.BytesIO(d.bytes())) as z:
        return z.read("word/document.xml")


_values = st.one_of(
    st.none(),
    st.integers(0, 10**6),
    st.decimals(places=2, min_value=0, max_value=1000),
    st.floats(0, 100, width=32),
    st.text(alphabet=st.sampled_from("ab ก่ํา๑2\n,-&<–"), max_size=10),
)


@settings(max_examples=30, deadline=None)
@given(
    header=st.sampled_from([METHODS_HEADER, GOAL_HEADER, ["ที่", "ชื่อ", "ผล"]]),
    rows=st.lists(st.lists(_values, max_size=7), max_size=5),
    thai_digits=st.booleans(),
)
def test_the_annex_is_the_xml_python_docx_writes_cell_by_cell(header, rows, thai_digits):
    rows = [values[: len(header)] for values in rows]
    fast, slow = (
        ThaiDoc(thai_digits=thai_digits, landscape=True),
        ThaiDoc(thai_digits=thai_digits, landscape=True),
    )
    _annex(fast, "ภาคผนวก", "สพป. ทดสอบ เขต 1", header, rows)
    _annex_cell_by_cell(slow, "ภาคผนวก", "สพป. ทดสอบ เขต 1", header, rows)
    assert _document_xml(fast) == _document_xml(slow)


def test_an_empty_annex_says_there_was_no_development():
    d = ThaiDoc(landscape=True)
    _annex(d, "ภาคผนวก", "สพป. ทดสอบ เขต 1", METHODS_HEADER, [])
    xml = _document_xml(d).decode()
    assert NO_DEVELOPMENT in xml and xml.count("<w:tr>") + xml.count("<w:tr ") == 2


def test_a_large_round_keeps_every_row_in_order():
    rows = [[i, f"หลักสูตร {i}", "1 ต.ค. 2568", "สพป.", "อบรม", 10, 9, Decimal("90.00")]
            for i in range(1, 501)]  # fmt: skip
    fast, slow = ThaiDoc(landscape=True), ThaiDoc(landscape=True)
    _annex(fast, "ภาคผนวก", "สพป.", METHODS_HEADER, rows)
    _annex_cell_by_cell(slow, "ภาคผนวก", "สพป.", METHODS_HEADER, rows)
    assert _document_xml(fast) == _document_xml(slow)
