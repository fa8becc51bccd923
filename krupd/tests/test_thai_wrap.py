"""Thai line breaks: what may not begin a line is kept with the word before it."""

import io

from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from krupd.lib.column_fit import longest_word_cm, text_width_cm, words
from krupd.lib.thai_docx import ThaiDoc
from krupd.lib.thai_wrap import _NO_LINE_START, ZWSP, with_word_breaks


def test_the_abbreviation_mark_stays_with_its_word():
    """The segmenter gives "ขยาย|โอกาส|ฯ": the column was fitted to "โอกาส" and LibreOffice
    cut "โอกาสฯ" (a word and its mark) as "โอ|กาสฯ"."""
    assert with_word_breaks("ขยายโอกาสฯ") == f"ขยาย{ZWSP}โอกาสฯ"
    assert words("โรงเรียนขยายโอกาสฯ") == ["โรงเรียน", "ขยาย", "โอกาสฯ"]
    assert words("ครูๆ นักเรียน") == ["ครูๆ", "นักเรียน"]
    assert longest_word_cm("ขยายโอกาสฯ", size=11, bold=True) == text_width_cm(
        "โอกาสฯ", size=11, bold=True
    )
    # "ฯลฯ" is a word of its own: a line may end before it.
    assert with_word_breaks("เป็นต้นฯลฯ") == f"เป็นต้น{ZWSP}ฯลฯ"


THAI = st.text(alphabet=st.sampled_from("กขคงจนมยรลวสหอะาำิีึืุู่้๊๋็์ฯๆเแโใไ "), max_size=30)


@given(THAI)
def test_no_break_before_what_may_not_begin_a_line(text):
    marked = with_word_breaks(text)
    assert marked.replace(ZWSP, "") == text
    for i, ch in enumerate(marked[:-1]):
        if ch == ZWSP:
            after = marked[i + 1 :]
            assert after[0] not in _NO_LINE_START
            assert not after.startswith("ฯ") or after.startswith("ฯล")


def test_a_docx_keeps_its_text_as_typed():
    """A DOCX table cell and paragraph hold the text exactly as typed: no invisible
    character (a word joiner before "ฯ" kept LibreOffice's preview from breaking
    "ขยายโอ|กาสฯ", but made a search of the cell's text for "ขยายโอกาสฯ" fail)."""
    d = ThaiDoc()
    d.table(["วิชา", "ขยายโอกาสฯ"], [["ฯลฯ", "กรุงเทพฯ"]], widths=[2, 2])
    d.para("รองฯ")
    doc = Document(io.BytesIO(d.bytes()))
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert cells == ["วิชา", "ขยายโอกาสฯ", "ฯลฯ", "กรุงเทพฯ"]
    assert doc.paragraphs[-1].text == "รองฯ"


def test_the_sar_inner_table_holds_the_word_with_its_mark():
    from reporting.reports.sar import INNER_MARGIN_TWIPS, SAR_WIDTHS, _cell_table

    d = ThaiDoc(landscape=True)
    outer = d.doc.add_table(rows=1, cols=1)
    header = ["วิชา", "ประถมศึกษา", "ขยายโอกาสฯ", "รวม"]
    _cell_table(d, outer.cell(0, 0), header, [["บริหาร", 87, 27, 114]], width=SAR_WIDTHS[2])
    inner = Document(io.BytesIO(d.bytes())).tables[0].cell(0, 0).tables[0]
    padding = 2 * INNER_MARGIN_TWIPS / 567
    assert inner.columns[2].width / 360000 >= text_width_cm("โอกาสฯ", size=11, bold=True) + padding
