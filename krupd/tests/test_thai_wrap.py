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


# ------------------------------------------------------------------ lines as an official
# document breaks them: a number with its unit, a date whole, a term whole, no lone last word


def _pdf(size: float = 14):
    from reporting.render.pdf import document_pdf

    pdf = document_pdf()
    pdf.set_font("Sarabun", "", size)
    return pdf


def _width_up_to(pdf, text: str, end: str) -> float:
    """A line just wide enough for the text up to and including `end`."""
    return pdf.get_string_width(text[: text.index(end) + len(end)]) + 2 * pdf.c_margin + 0.2


def _lines(pdf, text, width):
    from krupd.lib.thai_wrap import wrapped_lines

    return wrapped_lines(pdf, text, width)


def test_a_number_stays_with_its_unit():
    """ "(ตามเกณฑ์ 955 / อัตรา)" left "อัตรา)" alone on the next line."""
    pdf = _pdf()
    text = "ครูในสังกัดมีจำนวนไม่ครบ (ตามเกณฑ์ 955 อัตรา)"
    lines = _lines(pdf, text, _width_up_to(pdf, text, "955"))
    assert lines[-1].endswith("955 อัตรา)"), lines
    text = "ผู้เข้ารับการพัฒนาทั้งสิ้นจำนวน 200 คน"
    assert _lines(pdf, text, _width_up_to(pdf, text, "200"))[-1].endswith("200 คน")
    # What holds them together is not drawn into the page's text: a search finds "955 อัตรา".
    for width in (40, 80, 200):
        assert all("\u00a0" not in line for line in _lines(pdf, text, width))


def test_a_date_stays_whole():
    pdf = _pdf()
    text = "สรุปอัตรากำลังครูรายโรงเรียน (ข้อมูล 10 มิถุนายน 2569)"
    for end in ("10", "มิถุนายน"):
        lines = _lines(pdf, text, _width_up_to(pdf, text, end))
        assert lines[-1] == "10 มิถุนายน 2569)", (end, lines)
    text = "ดำเนินการตั้งแต่วันที่ 1 ตุลาคม 2569 ถึงวันที่ 30 กันยายน 2570"
    lines = _lines(pdf, text, _width_up_to(pdf, text, "30"))
    assert lines[-1].endswith("30 กันยายน 2570"), lines
    # Thai digits and a short month name, as the documents print them.
    text = "โครงการดำเนินการตั้งแต่บัดนี้ถึงวันที่ ๓๐ ก.ย. ๒๕๗๐"
    assert _lines(pdf, text, _width_up_to(pdf, text, "๓๐"))[-1] == "๓๐ ก.ย. ๒๕๗๐"


def test_a_standing_and_the_offices_terms_stay_whole():
    """ "ชำนาญการ / พิเศษ", "ชำนาญ / การ", "ปีการ / ศึกษา" are not lines a Thai reader
    expects."""
    assert with_word_breaks("ครูวิทยฐานะชำนาญการพิเศษ") == f"ครู{ZWSP}วิทยฐานะ{ZWSP}ชำนาญการพิเศษ"
    for term in ("ชำนาญการ", "เชี่ยวชาญพิเศษ", "ปีการศึกษา", "ปีงบประมาณ", "ตัวชี้วัด",
                 "ต่อเนื่อง", "ทันสมัย", "ครูผู้ช่วย", "เกียรติบัตร", "รหัสตรวจสอบ"):  # fmt: skip
        assert ZWSP not in with_word_breaks(term), term
    pdf = _pdf()
    text = "ครูวิทยฐานะชำนาญการพิเศษ"
    for end in ("ชำนาญ", "ชำนาญการ"):
        assert _lines(pdf, text, _width_up_to(pdf, text, end))[-1] == "ชำนาญการพิเศษ"
    # A column narrower than the term: broken between its words, not inside one.
    narrow = _width_up_to(pdf, "ชำนาญการ", "ชำนาญการ")
    assert _lines(pdf, "ชำนาญการพิเศษ", narrow) == ["ชำนาญการ", "พิเศษ"]


_PIECES = st.sampled_from(
    ["ครู", "โรงเรียน", "จำนวน", "ตามเกณฑ์", "ชำนาญการพิเศษ", "ปีการศึกษา", "(ข้อมูล",
     "955", "200", "10", "๓๐", "2569", "อัตรา)", "คน", "มิถุนายน", "ก.ย.", "Y75HD5JPZ6)",
     "ประถมศึกษา", "ขยายโอกาสฯ", "ๆ", "-", ")", "(", "พ.ศ."]
)  # fmt: skip
_TEXTS = st.lists(st.tuples(_PIECES, st.sampled_from(["", " "])), min_size=1, max_size=14).map(
    lambda parts: "".join(p + s for p, s in parts).strip()
)


def _no_space(s: str) -> str:
    return "".join(ch for ch in s if not ch.isspace() and ch != ZWSP)


@given(_TEXTS, st.floats(min_value=8, max_value=120))
def test_lines_give_back_the_text_and_fit(text, width):
    pdf = _pdf()
    lines = _lines(pdf, text, width)
    # Nothing lost or doubled: the lines are the text, broken at a space (dropped) or between
    # two characters.
    at = 0
    for line in lines:
        while at < len(text) and text[at] == " " and not line.startswith(" "):
            at += 1
        assert text.startswith(line.replace("\u00a0", " "), at), (text, lines)
        at += len(line)
    assert _no_space(text[at:]) == "" and _no_space("".join(lines)) == _no_space(text)
    # No line wider than the column (fpdf2 breaks inside a token wider than the line).
    for line in lines:
        assert pdf.get_string_width(line) <= width - pdf.c_margin, (line, width)


_UNITS = st.sampled_from(["อัตรา", "คน", "ชั่วโมง", "มิถุนายน", "ก.ย.", "ราย"])


@given(_TEXTS, st.sampled_from(["955", "200", "10", "๓๐"]), _UNITS, _TEXTS, st.floats(0, 60))
def test_a_number_never_ends_a_line_before_its_unit(before, number, unit, after, extra):
    pdf = _pdf()
    text = f"{before} {number} {unit} {after}"
    width = pdf.get_string_width(f"{number} {unit}") + 2 * pdf.c_margin + 0.5 + extra
    lines = _lines(pdf, text, width)
    for a, b in zip(lines, lines[1:], strict=False):
        assert not (a.endswith(number) and b.startswith(unit)), (text, lines)
