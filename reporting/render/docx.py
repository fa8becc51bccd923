"""Thai official DOCX: A4, margins 2.5/2/3/2 cm, TH SarabunPSK 16 pt, page numbers, table
header rows repeated on every page, Buddhist Era, optional Thai digits.

Word shapes Thai as a complex script: the font and size that apply are w:rFonts/@w:cs and
w:szCs, not the ascii/hAnsi font and w:sz python-docx sets; both are set on every run and on
the Normal style (as in planning/exports.py and staffing/exports.py).
"""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from krupd.lib.numerals import to_thai_digits

FONT = "TH SarabunPSK"
SIZE_PT = 16
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHECKED, UNCHECKED = "☑", "☐"


def _cs(rpr, size: float) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    szcs = rpr.find(qn("w:szCs"))
    if szcs is None:
        szcs = rpr.makeelement(qn("w:szCs"), {})
        rpr.append(szcs)
    szcs.set(qn("w:val"), str(int(size * 2)))


class ThaiDoc:
    def __init__(self, *, thai_digits: bool = False, landscape: bool = False):
        self.doc = Document()
        self.thai_digits = thai_digits
        style = self.doc.styles["Normal"]
        style.font.name = FONT
        style.font.size = Pt(SIZE_PT)
        _cs(style.element.get_or_add_rPr(), SIZE_PT)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.space_before = Pt(0)
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        if landscape:
            from docx.enum.section import WD_ORIENT

            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21)
        section.top_margin = Cm(2.5)
        section.bottom_margin = Cm(2)
        section.left_margin = Cm(3)
        section.right_margin = Cm(2)
        self._page_numbers(section)

    @property
    def text_width_cm(self) -> float:
        s = self.doc.sections[0]
        return (s.page_width - s.left_margin - s.right_margin) / 360000

    def _page_numbers(self, section) -> None:
        """A centred "- n -" in the header, the usual place in Thai official documents."""
        p = section.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.run(p, "- ", size=14)
        run = self.run(p, "", size=14)
        for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            else:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            run._element.append(el)
        self.run(p, " -", size=14)

    def t(self, value) -> str:
        if value is None:
            return ""
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            value = f"{value:,}"
        elif isinstance(value, float):
            value = f"{value:,.2f}"
        text = str(value)
        return to_thai_digits(text) if self.thai_digits else text

    def run(self, paragraph, text, *, bold: bool = False, size: float = SIZE_PT):
        run = paragraph.add_run(self.t(text))
        run.bold = bold
        run.font.name = FONT
        run.font.size = Pt(size)
        rpr = run._element.get_or_add_rPr()
        _cs(rpr, size)
        if bold and rpr.find(qn("w:bCs")) is None:
            rpr.append(rpr.makeelement(qn("w:bCs"), {}))
        return run

    def para(self, text="", *, bold=False, center=False, indent: float = 0, size=SIZE_PT,
             first_line: float = 0, keep_next: bool = False):  # fmt: skip
        p = self.doc.add_paragraph()
        if text:
            self.run(p, text, bold=bold, size=size)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if indent:
            p.paragraph_format.left_indent = Cm(indent)
        if first_line:
            p.paragraph_format.first_line_indent = Cm(first_line)
        if keep_next:
            p.paragraph_format.keep_with_next = True
        return p

    def lines(self, text: str, *, indent: float = 0, empty: str = "- ไม่มี -") -> None:
        rows = [line for line in (text or "").splitlines() if line.strip()]
        for line in rows or [empty]:
            self.para(line, indent=indent)

    def cell_text(self, cell, blocks: list[tuple[str, bool]], *, size: float = 14) -> None:
        """Fill a cell with paragraphs: (text, bold) each; the first reuses the cell's own."""
        first = True
        for text, bold in blocks:
            p = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            self.run(p, text, bold=bold, size=size)

    def table(self, header: list[str], rows: list[list], *, widths: list[float] | None = None,
              size: float = 14, numbers_right: bool = True):  # fmt: skip
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for c, h in enumerate(header):
            cell = table.cell(0, c)
            self.run(cell.paragraphs[0], h, bold=True, size=size)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        repeat_header(table.rows[0])
        for values in rows:
            cells = table.add_row().cells
            for c, v in enumerate(values):
                p = cells[c].paragraphs[0]
                self.run(p, "" if v is None else v, size=size)
                if (
                    numbers_right
                    and isinstance(v, int | float | Decimal)
                    and not isinstance(v, bool)
                ):
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if widths:
            set_widths(table, widths)
        return table

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def repeat_header(row) -> None:
    """Mark a table row as a header row: Word and LibreOffice repeat it on every page."""
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def set_widths(table, widths: list[float]) -> None:
    """Word reads the cell widths, LibreOffice the grid columns: set both."""
    table.autofit = False
    for c, w in enumerate(widths):
        table.columns[c].width = Cm(w)
    for row in table.rows:
        for c, w in enumerate(widths):
            row.cells[c].width = Cm(w)
