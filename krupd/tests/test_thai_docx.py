"""The shared Thai DOCX builder: what Word needs to show Thai, read back from the saved file."""

import io
from decimal import Decimal

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st

from krupd.lib.thai_docx import CHECKED, FONT, UNCHECKED, ThaiDoc, checkbox


def _reopen(d: ThaiDoc):
    return Document(io.BytesIO(d.bytes()))


def _cs(rpr) -> tuple[str | None, str | None]:
    """(complex-script font, complex-script size in half-points) of a w:rPr."""
    fonts, szcs = rpr.find(qn("w:rFonts")), rpr.find(qn("w:szCs"))
    return (
        None if fonts is None else fonts.get(qn("w:cs")),
        None if szcs is None else szcs.get(qn("w:val")),
    )


def test_runs_and_the_normal_style_carry_the_complex_script_font_and_size():
    d = ThaiDoc()
    d.para("ข้อความปกติ")
    d.para("หัวเรื่อง", size=20)
    doc = _reopen(d)
    body, heading = doc.paragraphs[0].runs[0], doc.paragraphs[1].runs[0]
    assert _cs(body._element.rPr) == (FONT, "32")  # 16 pt
    assert _cs(heading._element.rPr) == (FONT, "40")  # 20 pt
    fonts = body._element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:eastAsia")} == {FONT}
    assert body.font.size.pt == 16 and body.font.name == FONT
    normal = doc.styles["Normal"]
    assert _cs(normal.element.rPr) == (FONT, "32")
    assert normal.font.name == FONT and normal.font.size.pt == 16
    assert normal.paragraph_format.space_after == 0 and normal.paragraph_format.space_before == 0


def test_bold_is_set_for_the_complex_script_too():
    d = ThaiDoc()
    p = d.para("ตัวหนา", bold=True)
    d.run(p, " ตัวธรรมดา")
    bold, plain = _reopen(d).paragraphs[0].runs
    assert bold.bold and bold._element.rPr.find(qn("w:bCs")) is not None
    assert not plain.bold and plain._element.rPr.find(qn("w:bCs")) is None


def test_thai_digits_on_request_in_paragraphs_and_cells():
    thai, arabic = ThaiDoc(thai_digits=True), ThaiDoc()
    assert thai.t(1234) == "๑,๒๓๔" and arabic.t(1234) == "1,234"
    assert thai.t(2.5) == "๒.๕๐" and thai.t(None) == "" and thai.t(True) == "True"
    thai.para("ปีงบประมาณ พ.ศ. 2569")
    thai.table(["ที่", "รายการ"], [[1, "ข้อ 2"]])
    doc = _reopen(thai)
    # "พ.ศ." and its year joined by a no-break space (test_the_era_stays_with_its_year)
    assert doc.paragraphs[0].text == "ปีงบประมาณ พ.ศ.\u00a0๒๕๖๙"
    assert [c.text for c in doc.tables[0].rows[1].cells] == ["๑", "ข้อ ๒"]


def test_the_era_stays_with_its_year():
    """A title "… ปีงบประมาณ พ.ศ. ๒๕๗๐" too long for its line was broken after "พ.ศ.", the
    year alone on the next line (the plans', the summaries', the inspection report's
    contents): the era and its year are joined by a no-break space, in paragraphs and in
    table cells, in either digits; other spaces stay breakable."""
    for thai_digits in (False, True):
        d = ThaiDoc(thai_digits=thai_digits)
        d.para("แผนพัฒนาทรัพยากรบุคคล ปีงบประมาณ พ.ศ. 2570–2572")
        d.table(["ปี"], [["พ.ศ. 2569 และ ค.ศ. 2026"], ["พ.ศ. ที่ยังไม่ระบุ"]])
        doc = _reopen(d)
        title = doc.paragraphs[0].text
        assert "พ.ศ.\u00a0" in title and title.count("\u00a0") == 1, title
        cells = [row.cells[0].text for row in doc.tables[0].rows[1:]]
        assert "พ.ศ.\u00a0" in cells[0] and "ค.ศ.\u00a0" in cells[0]
        assert cells[1] == "พ.ศ. ที่ยังไม่ระบุ"  # no year after it: a plain space


def test_table_header_row_is_bold_centred_and_repeated_on_every_page():
    d = ThaiDoc()
    d.table(["รายการ", "จำนวน"], [["ครู", 1200], ["รวม", 1200]], widths=[10, 4])
    table = _reopen(d).tables[0]
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")).get(qn("w:val")) == "true"
    assert [c.text for c in header.cells] == ["รายการ", "จำนวน"]
    for cell in header.cells:
        assert cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
        run = cell.paragraphs[0].runs[0]
        assert run.bold and run._element.rPr.find(qn("w:bCs")) is not None
        assert _cs(run._element.rPr) == (FONT, "28")  # tables are 14 pt
    assert table.rows[1].cells[1].text == "1,200"
    assert table.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert not table.rows[2].cells[0].paragraphs[0].runs[0].bold
    grid = [round(c.width.cm, 1) for c in table.columns]
    assert grid == [10, 4] and [round(c.width.cm, 1) for c in table.rows[1].cells] == [10, 4]


def test_table_options_keep_an_apps_own_look():
    d = ThaiDoc()
    d.table(["วิชา", "ประถม"], [["ภาษาไทย", 3], ["รวม", 3]], size=16, align=[None, "center"],
            bold_last=True, repeat_header_row=False, centered=False)  # fmt: skip
    table = _reopen(d).tables[0]
    assert table.rows[0]._tr.trPr is None or table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is None
    assert table.alignment is None
    assert table.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    total = table.rows[2].cells[0].paragraphs[0].runs[0]
    assert total.bold and _cs(total._element.rPr) == (FONT, "32")


def test_cells_take_several_paragraphs_and_checkboxes():
    d = ThaiDoc()
    table = d.doc.add_table(rows=1, cols=1)
    d.cell_text(table.cell(0, 0), [("ระดับ 3", True), (f"{checkbox(True)} มีหลักฐาน", False)])
    cell = _reopen(d).tables[0].cell(0, 0)
    assert [p.text for p in cell.paragraphs] == ["ระดับ 3", "☑ มีหลักฐาน"]
    assert (checkbox(True), checkbox(False)) == (CHECKED, UNCHECKED) == ("☑", "☐")


def test_page_number_field_sits_centred_in_the_header():
    doc = _reopen(ThaiDoc())
    p = doc.sections[0].header.paragraphs[0]
    assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER and p.text == "-  -"
    kinds = [el.get(qn("w:fldCharType")) for el in p._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert [el.text for el in p._p.iter(qn("w:instrText"))] == ["PAGE"]
    assert _cs(p.runs[0]._element.rPr) == (FONT, "28")
    plain = _reopen(ThaiDoc(page_numbers=False)).sections[0].header
    assert not list(plain._element.iter(qn("w:fldChar")))


def test_pages_are_numbered_from_the_second_at_the_top_centre():
    """The first page (a letter's heading, a report's title) has no number; "- 2 -" and on
    at the top centre, in every section a document adds."""
    d = ThaiDoc(thai_digits=True)
    d.para("หน้าแรก")
    d.doc.add_section()
    doc = _reopen(d)
    first, added = doc.sections
    assert first.different_first_page_header_footer
    assert not list(first.first_page_header._element.iter(qn("w:instrText")))
    numbered = first.header.paragraphs[0]
    assert numbered.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert numbered.text == "- " + " -"  # around the PAGE field
    assert [el.text for el in numbered._p.iter(qn("w:instrText"))] == ["PAGE"]
    assert not added.different_first_page_header_footer
    assert not _reopen(ThaiDoc(page_numbers=False)).sections[0].different_first_page_header_footer


def _page_number_format(section) -> str | None:
    element = section._sectPr.find(qn("w:pgNumType"))
    return None if element is None else element.get(qn("w:fmt"))


def test_thai_digits_number_the_pages_in_thai_digits_in_every_section():
    d = ThaiDoc(thai_digits=True, landscape=True)
    d.para("หน้า 1")
    d.doc.add_section()
    doc = _reopen(d)
    assert [_page_number_format(s) for s in doc.sections] == ["thaiNumbers", "thaiNumbers"]
    # The PAGE field follows the section's format: no switch (LibreOffice reads
    # "\* ThaiArabic" as Thai letters).
    header = doc.sections[0].header.paragraphs[0]._p
    assert [el.text for el in header.iter(qn("w:instrText"))] == ["PAGE"]
    # Where ECMA-376 puts it in w:sectPr, or Word refuses the file: after the margins, before
    # the columns and the grid.
    tags = [el.tag.split("}")[1] for el in doc.sections[0]._sectPr]
    assert tags.index("pgMar") < tags.index("pgNumType") < tags.index("cols")
    assert tags.index("pgNumType") < tags.index("docGrid")
    # Arabic digits (the default) leave Word's default page numbers alone.
    assert _page_number_format(_reopen(ThaiDoc()).sections[0]) is None


def test_a4_official_margins_landscape_and_the_templates_layout():
    s = _reopen(ThaiDoc()).sections[0]
    assert (round(s.page_width.cm, 1), round(s.page_height.cm, 1)) == (21.0, 29.7)
    margins = (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)
    assert [round(m.cm, 1) for m in margins] == [2.5, 2, 3, 2]
    assert round(ThaiDoc().text_width_cm, 1) == 16
    s = _reopen(ThaiDoc(landscape=True)).sections[0]
    assert s.orientation == WD_ORIENT.LANDSCAPE
    assert (round(s.page_width.cm, 1), round(s.page_height.cm, 1)) == (29.7, 21.0)
    doc = _reopen(ThaiDoc(a4=False, margins=None, compact=False))
    s = doc.sections[0]
    assert (round(s.page_width.cm, 2), round(s.page_height.cm, 2)) == (21.59, 27.94)  # Letter
    assert s.left_margin.inches == 1.25  # the template's margin
    assert doc.styles["Normal"].paragraph_format.space_after is None  # the template's spacing
    assert _cs(doc.styles["Normal"].element.rPr) == (FONT, "32")


def test_contents_lines_give_the_page_of_each_bookmarked_heading():
    d = ThaiDoc()
    d.contents_line("เรื่อง", page_text="หน้า", bold=True)
    d.contents_line("นโยบายที่ 1 การจัดการศึกษาเพื่อความปลอดภัย", page_of="kp_policy_1")
    d.page_break()
    d.bookmark(d.para("นโยบายที่ 1 การจัดการศึกษาเพื่อความปลอดภัย", bold=True), "kp_policy_1")
    doc = _reopen(d)
    header, line = doc.paragraphs[0], doc.paragraphs[1]
    assert header.text == "เรื่อง\tหน้า"
    assert [el.text for el in line._p.iter(qn("w:instrText"))] == ["PAGEREF kp_policy_1 \\h"]
    stop = line.paragraph_format.tab_stops[0]
    assert abs(stop.position.cm - d.text_width_cm) < 0.01
    # Wrapped title lines hang under the first and stay clear of the page column.
    assert line.paragraph_format.first_line_indent.cm < 0 < line.paragraph_format.right_indent.cm
    marks = [el.get(qn("w:name")) for el in doc.element.body.iter(qn("w:bookmarkStart"))]
    assert marks == ["kp_policy_1"]
    # Word recomputes the page references on opening; LibreOffice always does.
    update = doc.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    # In the schema's order, which Word enforces: before compat, after the view settings.
    tags = [child.tag for child in doc.settings.element]
    assert tags.index(qn("w:updateFields")) + 1 == tags.index(qn("w:compat"))
    assert _reopen(ThaiDoc()).settings.element.find(qn("w:updateFields")) is None


def test_page_numbers_follow_the_documents_digits():
    def number_format(d):
        found = _reopen(d).sections[0]._sectPr.find(qn("w:pgNumType"))
        return None if found is None else found.get(qn("w:fmt"))

    assert number_format(ThaiDoc(thai_digits=True)) == "thaiNumbers"
    assert number_format(ThaiDoc()) is None


def test_the_closing_block_is_centred_right_and_kept_together():
    d = ThaiDoc()
    d.closing(["สำนักงานเขตพื้นที่การศึกษาประถมศึกษาราชบุรี เขต 1", "ธันวาคม 2569"])
    name, month = _reopen(d).paragraphs
    for p in (name, month):
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER and p.paragraph_format.left_indent.cm > 0
    assert name.paragraph_format.keep_with_next and not month.paragraph_format.keep_with_next


# ThaiDoc.table copies one formatted cell per kind instead of formatting every cell through
# python-docx; the document must be the very XML the cell-by-cell way wrote.


def _table_cell_by_cell(d: ThaiDoc, header, rows, *, widths=None, fixed=True, size=14,
                        header_size=None, numbers_right=True, align=None, bold_last=False,
                        repeat_header_row=True, centered=True,
                        header_align="center"):  # fmt: skip
    """ThaiDoc.table as it was written before: every cell through python-docx."""
    from docx.enum.table import WD_TABLE_ALIGNMENT

    from krupd.lib.thai_docx import (
        _is_number,
        fits_a_page,
        letters_per_line,
        repeat_header,
        set_widths,
    )

    d._keep_heading_with_next()  # the title above goes with the table (not a cell's XML)
    table = d.doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    if centered:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for c, h in enumerate(header):
        p = d.cell(table.cell(0, c), h, bold=True, size=header_size or size, align=header_align)
        p.paragraph_format.keep_with_next = True  # the header row with the first body row
    if repeat_header_row:
        repeat_header(table.rows[0])
    for r, values in enumerate(rows, start=1):
        bold = bold_last and r == len(rows)
        cells = table.add_row().cells
        for c, v in enumerate(values):
            how = align[c] if align and c < len(align) else None
            if how is None and numbers_right and _is_number(v):
                how = "right"
            d.cell(cells[c], v, bold=bold, size=size, align=how)
        # A row short enough for one page is kept whole (w:cantSplit), as ThaiDoc.table does.
        per_line = letters_per_line(widths, len(header), d.text_width_cm, size)
        if fits_a_page([d.t(v) for v in values], per_line):
            table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    if widths:
        set_widths(table, widths, fixed=fixed)
    return table


def _body_xml(d: ThaiDoc) -> bytes:
    from lxml import etree

    return etree.tostring(d.doc.element.body)


_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**7), 10**7),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.decimals(places=2, min_value=-(10**6), max_value=10**6),
    st.text(alphabet=st.sampled_from("ab ก๑2\t\n\r,-"), max_size=8),
)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.lists(_values, max_size=4), max_size=6),
    widths=st.one_of(st.none(), st.lists(st.sampled_from([1, 2.5, 3.3]), min_size=1, max_size=4)),
    options=st.fixed_dictionaries(
        {
            "fixed": st.booleans(),
            "size": st.sampled_from([12, 14, 16]),
            "header_size": st.sampled_from([None, 16]),
            "numbers_right": st.booleans(),
            "align": st.one_of(
                st.none(), st.lists(st.sampled_from([None, "left", "center", "right"]), max_size=4)
            ),
            "bold_last": st.booleans(),
            "repeat_header_row": st.booleans(),
            "centered": st.booleans(),
            "header_align": st.sampled_from(["center", None]),
        }
    ),
    thai_digits=st.booleans(),
)
def test_table_is_the_xml_python_docx_writes_cell_by_cell(rows, widths, options, thai_digits):
    header = ["ที่", "ชื่อ", " หัว ", "รวม"]
    fast, slow = ThaiDoc(thai_digits=thai_digits), ThaiDoc(thai_digits=thai_digits)
    # The widths as given (fit=False): fitting them to the words is tested on its own below.
    fast.table(header, rows, widths=widths, fit=False, **options)
    _table_cell_by_cell(slow, header, rows, widths=widths, **options)
    assert _body_xml(fast) == _body_xml(slow)
    # and it is still a table python-docx (and so Word) reads back
    table = _reopen(fast).tables[0]
    assert len(table.rows) == len(rows) + 1


def test_table_refuses_a_row_longer_than_its_header():
    with pytest.raises(IndexError):
        ThaiDoc().table(["ที่"], [[1, 2]])


# The table body is written as XML text, a string per cell (krupd.lib.thai_docx
# run_content_xml and _BodyCells). While the former way (each kind of cell made once and
# deep-copied per cell) still existed, a test compared the two on messy Thai; the document they
# both wrote is pinned in data/thai_docx_messy_table.xml (test_a_messy_thai_table_is_...).


# Messy Thai as offices type it: tone marks and sara am, Thai digits, no-break and zero-width
# spaces, spaces leading and trailing, XML's special characters, tabs and line breaks.
_messy_thai = st.lists(
    st.sampled_from(
        ["ก", "ครู", "ผู้", "น้ำ", "ที่", "ตำ", "ไก่", "๑๒๓", "2570", " ", "  ", "\u00a0", "\u200b",
         "&", "<", ">", "&amp;", "]]>", '"', "'", "\t", "\n", "\r", "\r\n", "—", "☑", "(e-Training)",
         "ร้อยละ", "%", "ฯลฯ", "ๆ"]
    ),
    max_size=8,
).map("".join)  # fmt: skip


def _document_xml(data: bytes) -> bytes:
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def _what_a_reader_sees(data: bytes):
    """Paragraph texts, and per table cell its text, width, alignment and its runs' look."""
    from lxml import etree

    doc = Document(io.BytesIO(data))
    tables = [
        [
            [
                (
                    cell.text,
                    etree.tostring(cell._tc.tcPr) if cell._tc.tcPr is not None else None,
                    [p.alignment for p in cell.paragraphs],
                    [
                        (r.text, r.bold, r.font.size, r.font.name, _cs(r._element.rPr))
                        for p in cell.paragraphs
                        for r in p.runs
                    ],  # fmt: skip
                )
                for cell in row.cells
            ]
            for row in table.rows
        ]
        for table in doc.tables
    ]
    return [p.text for p in doc.paragraphs], tables


def _as_read_back(text: str) -> str:
    """What python-docx reads back of a cell's text: the characters XML cannot hold left out,
    each line break (\\r or \\n) as \\n."""
    import re

    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", text).replace(
        "\r", "\n"
    )


@settings(max_examples=20, deadline=None)
@given(
    texts=st.lists(
        st.one_of(
            _messy_thai,
            st.text(max_size=12),
            st.text(alphabet="\x00\x01\x0b\x0c\x1f\ufffe\t\r\n &<>ก", max_size=6),
        ),
        min_size=1,
        max_size=12,
    ),
    stream=st.booleans(),
)
def test_any_text_makes_a_valid_document_that_reads_back_as_written(texts, stream):
    from lxml import etree

    rows = [texts[i : i + 3] for i in range(0, len(texts), 3)]
    d = ThaiDoc()
    d.table(["ก", "ข", "ค"], rows, stream=stream)
    data = d.bytes()
    etree.fromstring(_document_xml(data))  # well-formed XML, or this raises
    table = Document(io.BytesIO(data)).tables[0]
    read = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert read == [[_as_read_back(t) for t in row] + [""] * (3 - len(row)) for row in rows]


def test_streamed_tables_sit_where_they_were_made_among_the_others():
    d, kept = ThaiDoc(), ThaiDoc()
    for doc, stream in ((d, True), (kept, False)):
        doc.para("ก่อนตาราง")
        doc.table(["ที่", "ชื่อ"], [[1, "ครู ก"], [2, "ครู ข"]], stream=stream)
        doc.para("ระหว่างตาราง")
        doc.table(["ที่"], [[3]])
        doc.table(["ที่", "ชื่อ"], [[4, "<ครู & ค>"]], widths=[1, 5], stream=stream)
        doc.para("หลังตาราง")
    assert _document_xml(d.bytes()) == _document_xml(kept.bytes())
    assert _document_xml(d.bytes()) == _document_xml(d.bytes())  # saving twice: the same
    # In the tree a streamed table keeps its header row only, until the file is written.
    assert [len(t.rows) for t in d.doc.tables] == [1, 2, 1]


# A table of messy Thai whose saved XML is pinned in data/thai_docx_messy_table.xml, as the
# copied cells wrote it and the XML text writes it: Arabic digits, then Thai digits.
PINNED_HEADER = ["ที่", "ชื่อหลักสูตร", "ผู้เข้าอบรม", "ผ่าน", "ร้อยละ"]
PINNED_ROWS = [
    [1, "หลักสูตรพัฒนาครู 2570-1 (ออนไลน์เรียนด้วยตนเอง (e-Training))", 1234, 1200, "97.24"],
    [2, " น้ำ & ไฟ <ผู้นำ> ", 0, 0, "—"],
    [3, "บรรทัดแรก\nบรรทัดสอง\r\nสาม\tแท็บ", Decimal("12.50"), None, 12.5],
    [4, "ฯลฯ ๆ ๑๒๓ ☑\u00a0"],
    ["", "รวม", 1234, 1200, "97.24"],
]


@pytest.mark.parametrize("stream", [False, True])
def test_a_messy_thai_table_is_the_pinned_xml(stream):
    import re
    from pathlib import Path

    pinned = (Path(__file__).parent / "data" / "thai_docx_messy_table.xml").read_text()
    tables = []
    for digits in (False, True):
        d = ThaiDoc(thai_digits=digits)
        d.table(PINNED_HEADER, PINNED_ROWS, widths=[1.2, 7.8, 2.6, 2.6, 1.8], bold_last=True,
                stream=stream)  # fmt: skip
        data = d.bytes()
        tables += re.findall(r"<w:tbl>.*?</w:tbl>", _document_xml(data).decode())
        # What a reader sees: the texts as given (the short row's last cell empty), each body
        # cell's width, and the Thai font at 14 pt, bold in the totals row only.
        _, (table,) = _what_a_reader_sees(data)
        expected = [[_as_read_back(d.t(v)) for v in row] for row in PINNED_ROWS]
        assert [[cell[0] for cell in row] for row in table[1:]] == [
            row + [""] * (5 - len(row)) for row in expected
        ]
        for r, row in enumerate(table[1:], start=1):
            for _cell_text, tcpr, _alignment, runs in row:
                assert b"w:tcW" in tcpr
                for _text, bold, size, font, cs in runs:
                    assert (bold, size.pt, font, cs) == (
                        r == len(PINNED_ROWS),
                        14,
                        FONT,
                        (FONT, "28"),
                    )
    assert "\n".join(tables) + "\n" == pinned


@settings(max_examples=40, deadline=None)
@given(
    texts=st.lists(
        st.text(alphabet=st.sampled_from("ab ก้ำ๑2&<>\t\n\r\u00a0\x0b"), max_size=20), max_size=4
    ),
    indent=st.sampled_from([0, 1, 1.5]),
    thai_digits=st.booleans(),
)
def test_streamed_lines_are_the_paragraphs_lines_writes(texts, indent, thai_digits):
    """lines(stream=True) writes the paragraphs into the saved file as text: the file is the
    one lines() writes paragraph by paragraph, among other paragraphs and tables."""
    fast, slow = ThaiDoc(thai_digits=thai_digits), ThaiDoc(thai_digits=thai_digits)
    for doc, stream in ((fast, True), (slow, False)):
        for n, text in enumerate(texts):
            doc.para(f"หัวข้อ {n}", bold=True, keep_next=True)
            doc.lines(text, indent=indent, empty="- ไม่มีข้อมูล -", stream=stream)
            doc.table(["ที่", "ชื่อ"], [[n, text]], stream=stream)
        doc.para("ท้าย")
    assert _document_xml(fast.bytes()) == _document_xml(slow.bytes())


# ------------------------------------------------------------- columns wide enough for words


def _grid_widths_cm(d: ThaiDoc) -> list[float]:
    """The widths LibreOffice reads: the table grid's columns."""
    table = _reopen(d).tables[0]
    return [round(col.width / 360000, 2) for col in table.columns]


def test_a_column_too_narrow_for_a_word_takes_room_from_a_wide_one():
    """The supervision summary's 3 cm code column cut "1076010003" after its ninth digit and
    the awards table's 1.4 cm columns "ระดั|บ ชาติ": such a column is widened from the
    school name's room, the table keeps its width."""
    from krupd.lib.column_fit import CELL_PADDING_CM, text_width_cm

    d = ThaiDoc()
    d.table(["ที่", "รหัส", "โรงเรียน", "ระดับชาติ"],
            [[1, "1076010003", "โรงเรียนบ้านหนองเสือออก", 0]],
            widths=[1, 3, 10.6, 1.4])  # fmt: skip
    widths = _grid_widths_cm(d)
    assert sum(widths) == pytest.approx(16, abs=0.05)
    code = text_width_cm("1076010003", size=14) + CELL_PADDING_CM
    assert widths[1] >= code - 0.01 > 3
    level = text_width_cm("ระดับ", size=14, bold=True) + CELL_PADDING_CM
    assert widths[3] >= level - 0.01 > 1.4
    assert widths[2] < 10.6  # the room came from the school names


def test_columns_wide_enough_are_left_as_given():
    d = ThaiDoc()
    d.table(["ที่", "ชื่อหลักสูตร"], [[1, "การจัดการเรียนรู้เชิงรุก"]], widths=[1.2, 14.8])
    assert _grid_widths_cm(d) == [1.2, 14.8]


@settings(max_examples=40, deadline=None)
@given(
    texts=st.lists(st.text(alphabet="กขคงจฉ าิีเแ่้ 0123456789/-ABC", max_size=30), min_size=3,
                   max_size=3),
    widths=st.lists(st.floats(min_value=0.5, max_value=8), min_size=3, max_size=3),
)  # fmt: skip
def test_fitted_widths_keep_the_total_and_never_go_below_a_word(texts, widths):
    from krupd.lib.column_fit import fitted_widths

    fitted = fitted_widths(widths, ["ก", "ข", "ค"], [texts], size=14)
    assert sum(fitted) == pytest.approx(sum(widths), abs=0.01)
    assert all(w > 0 for w in fitted)


def test_a_word_gets_more_than_its_bare_advances():
    """The plan's PNI table got 1.62 cm for "อันดับ" (its advances and the cell margins to
    the hundredth) and LibreOffice still cut it "อันดั|บ": the renderers' rounding is allowed
    for."""
    from krupd.lib.column_fit import CELL_PADDING_CM, fitted_widths, text_width_cm

    fitted = fitted_widths([1.6, 5.8], ["อันดับ", "สมรรถนะ/ตัวชี้วัด"], [], size=14)
    assert fitted[0] >= text_width_cm("อันดับ", size=14, bold=True) + CELL_PADDING_CM + 0.05


@pytest.mark.parametrize("stream", [False, True])
def test_a_tables_title_and_header_row_go_with_its_first_row(stream):
    """The plan's "ตัวชี้วัดความสำเร็จ" stood alone at the foot of a page with its table on
    the next, and a header row could end a page: the bold title above a table and the header
    row's paragraphs keep with what follows; a paragraph of text above a table does not."""
    d = ThaiDoc()
    title = d.para("ตัวชี้วัดความสำเร็จ", bold=True)
    d.table(["ที่", "ตัวชี้วัด"], [[1, "ครูมีความเชี่ยวชาญ"]], widths=[1, 15], stream=stream)
    text = d.para("ข้อความธรรมดา")
    d.table(["ที่"], [[2]], stream=stream)
    doc = _reopen(d)
    assert doc.paragraphs[0].paragraph_format.keep_with_next is True
    assert not doc.paragraphs[1].paragraph_format.keep_with_next
    for table in doc.tables:
        assert all(c.paragraphs[0].paragraph_format.keep_with_next for c in table.rows[0].cells)
    assert title.text and text.text


def _rows_kept_whole(doc_bytes: bytes) -> list[bool]:
    table = Document(io.BytesIO(doc_bytes)).tables[0]
    return [tr.find(qn("w:trPr") + "/" + qn("w:cantSplit")) is not None for tr in table._tbl.tr_lst]


def test_a_table_row_that_fits_a_page_is_never_broken_across_two():
    """The training summary's seventh course began at the foot of page 1 and ended on page 2
    ("…สถานศึกษา | ต้นแบบ)"): a row of a few lines is now kept on one page. A row longer than
    half a page (a SAR item's paragraphs) may still break, or Word would cut it off."""
    long_text = "การพัฒนาครูด้านการจัดการเรียนรู้เชิงรุก " * 60
    for stream in (False, True):
        d = ThaiDoc()
        d.table(
            ["ที่", "ชื่อหลักสูตร", "จำนวน"],
            [[1, "ฝึกประสบการณ์ ณ สถานศึกษาต้นแบบ สำหรับครูผู้ช่วย", 24], [2, long_text, 3]],
            widths=[1, 12, 3],
            stream=stream,
        )
        # The header row, the short row kept whole; the very long one free to break.
        assert _rows_kept_whole(d.bytes())[1:] == [True, False], stream
