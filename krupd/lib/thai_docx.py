"""Thai official DOCX with python-docx: TH SarabunPSK 16 pt, A4, margins 2.5/2/3/2 cm, page
numbers from the second page, table header rows repeated on every page, optional Thai
digits. Django-free.

Word shapes Thai as a complex script: the font, size and bold that apply to Thai text are
w:rFonts/@w:cs, w:szCs and w:bCs, not the ascii/hAnsi font, w:sz and w:b python-docx sets.
Every run written here carries both, and so does the Normal style (empty paragraphs, table
cells).

Every app builds its documents with ``ThaiDoc``. The defaults are the official layout; the
keyword arguments keep the layout an app's documents have always had (page size, margins,
page numbers, paragraph spacing, table look), so moving an app here changes no output.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from decimal import Decimal

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from lxml import etree

from krupd.lib.column_fit import fitted_widths
from krupd.lib.numerals import rounded, to_thai_digits

FONT = "TH SarabunPSK"
SIZE_PT = 16
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHECKED, UNCHECKED = "☑", "☐"
OFFICIAL_MARGINS_CM = (2.5, 2, 3, 2)  # top, bottom, left, right
# The elements of w:settings that the schema puts after w:updateFields (ECMA-376 CT_Settings).
SETTINGS_AFTER_UPDATE_FIELDS = {
    qn(f"w:{name}")
    for name in (
        "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
        "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
        "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
        "decimalSymbol", "listSeparator",
    )
}  # fmt: skip
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


# "พ.ศ. 2570" is read as one unit: a line is never broken between the era and its year (a
# title "… ปีงบประมาณ พ.ศ." over a line holding "๒๕๗๐" alone). A no-break space, as Thai
# typists put there in Word.
_ERA_YEAR = re.compile(r"(พ\.ศ\.|ค\.ศ\.) (?=[0-9๐-๙])")
NO_BREAK_SPACE = "\u00a0"


def era_kept_with_year(text: str) -> str:
    """The text with a no-break space between "พ.ศ."/"ค.ศ." and the year after it."""
    return _ERA_YEAR.sub(r"\1" + NO_BREAK_SPACE, text) if "ศ. " in text else text


def checkbox(checked: bool) -> str:
    """☑ or ☐: the boxes of Thai forms, as text so that every font and converter shows them."""
    return CHECKED if checked else UNCHECKED


def set_cs_font(rpr, size: float) -> None:
    """Put the Thai font on every script slot of a w:rPr and the complex-script size."""
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


def thai_run(run, *, bold: bool = False, size: float = SIZE_PT):
    """Format a python-docx run for Thai: font and size for both scripts, bold for both."""
    run.bold = bold
    run.font.name = FONT
    run.font.size = Pt(size)
    rpr = run._element.get_or_add_rPr()
    set_cs_font(rpr, size)
    if bold and rpr.find(qn("w:bCs")) is None:
        rpr.append(rpr.makeelement(qn("w:bCs"), {}))
    return run


def style_normal(doc, *, compact: bool = True) -> None:
    """Thai font and size on the Normal style; compact: no space before or after paragraphs
    (the official layout) instead of the template's 10 pt after."""
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(SIZE_PT)
    set_cs_font(style.element.get_or_add_rPr(), SIZE_PT)
    if compact:
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.space_before = Pt(0)


# A table row of at most this many lines is kept on one page (a page holds some 40 lines of
# 14 pt); Sarabun/TH SarabunPSK 14 pt sets about this many Thai letters in a centimetre.
LINES_KEPT_WHOLE = 20
LETTERS_PER_CM_14PT = 4.0
_ROW_WHOLE = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"


# Thai's marks above and below the line, and the texts made only of ASCII and Thai, whose
# width is their length less those marks (a sheet's cells, a heading's letters, at once).
_THAI_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
_ASCII_OR_THAI = re.compile("[\x00-\x7f\u0e00-\u0e7f]*")


def text_width(text: str) -> int:
    """How many letters of a line a text takes: Thai vowel and tone marks sit above or below
    their consonant and take none (letters_per_line counts the letters a line holds)."""
    if _ASCII_OR_THAI.fullmatch(text):
        return len(text) - len(_THAI_MARKS.findall(text))
    return sum(
        1 for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Mn"
    )


def letters_per_line(
    widths_cm: Sequence[float] | None, columns: int, text_width_cm: float, size: float
) -> list[float]:
    """About how many letters a line of each column holds at `size` points (a column
    without a width given shares the text width)."""
    given = list(widths_cm or ())
    share = text_width_cm / max(columns, 1)
    return [
        max(1.0, (given[c] if c < len(given) else share) * LETTERS_PER_CM_14PT * 14 / size)
        for c in range(columns)
    ]


def fits_a_page(texts: Sequence[str], per_line: Sequence[float]) -> bool:
    """Whether a table row of these cell texts is short enough to keep on one page."""
    lines = max((len(t) / per_line[c] + t.count("\n") for c, t in enumerate(texts)), default=0)
    return lines <= LINES_KEPT_WHOLE


def repeat_header(row) -> None:
    """Mark a table row as a header row: Word and LibreOffice repeat it on every page."""
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def set_widths(table, widths: Sequence[float], *, fixed: bool = True) -> None:
    """Column widths in cm. Word reads the cell widths, LibreOffice the grid columns: fixed
    sets both and turns autofit off; fixed=False only sets the cells' (Word's) widths."""
    if fixed:
        table.autofit = False
        for c, w in enumerate(widths):
            table.columns[c].width = Cm(w)
    for row in table.rows:
        for c, w in enumerate(widths):
            row.cells[c].width = Cm(w)


def field(run, instruction: str) -> None:
    """Append a field to a run; Word and LibreOffice compute its value when laying out."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)


def page_number_field(run) -> None:
    """Append a PAGE field to a run: Word and LibreOffice fill in the page number."""
    field(run, "PAGE")


# What follows the page-number format in a w:sectPr (ECMA-376 17.6.17): the element must
# sit before these for Word to open the file.
_AFTER_PAGE_NUMBER_TYPE = (
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
    "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)  # fmt: skip


def thai_page_numbers(section) -> None:
    """Number the section's pages in Thai digits (๑, ๒, ๓): the page-number format Word
    writes for its "Thai Arabic" style (w:pgNumType w:fmt="thaiNumbers"), which a PAGE field
    without a format switch follows.

    Not the field switch "\\* ThaiArabic": Word reads it as Thai digits, but LibreOffice
    (every version so far) reads it as Thai letters and would number the pages ก, ข, ค.
    LibreOffice does not know the thaiNumbers format and prints Arabic digits instead: the
    right numbers, in the other digits."""
    sect_pr = section._sectPr
    element = sect_pr.find(qn("w:pgNumType"))
    if element is None:
        element = OxmlElement("w:pgNumType")
        sect_pr.insert_element_before(element, *_AFTER_PAGE_NUMBER_TYPE)
    element.set(qn("w:fmt"), "thaiNumbers")


class ThaiDoc:
    """A Thai document being built. Defaults: A4 portrait, margins 2.5/2/3/2 cm, "- n -" page
    numbers centred in the header from the second page on, no paragraph spacing, Arabic
    digits (with thai_digits, Thai digits in the text and in the page numbers).

    a4=False keeps the python-docx template's page size (US Letter); margins=None keeps its
    margins (1"/1.25"); compact=False keeps its paragraph spacing (10 pt after, 1.15 lines).
    """

    def __init__(
        self,
        *,
        thai_digits: bool = False,
        landscape: bool = False,
        a4: bool = True,
        margins: tuple[float, float, float, float] | None = OFFICIAL_MARGINS_CM,
        page_numbers: bool = True,
        compact: bool = True,
    ):
        self.doc = Document()
        self.thai_digits = thai_digits
        style_normal(self.doc, compact=compact)
        section = self.doc.sections[0]
        if a4:
            section.page_width, section.page_height = Cm(21), Cm(29.7)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        if margins:
            top, bottom, left, right = margins
            section.top_margin = Cm(top)
            section.bottom_margin = Cm(bottom)
            section.left_margin = Cm(left)
            section.right_margin = Cm(right)
        if page_numbers:
            self._page_numbers(section)
            if thai_digits:
                thai_page_numbers(section)  # sections added later copy it
            # Official documents number their pages from the second, "- ๒ -" at the top
            # centre (ระเบียบงานสารบรรณ); the first page (a letter's heading, a report's title)
            # has none: a first-page header left empty (w:titlePg).
            section.different_first_page_header_footer = True
        self._bookmarks = 0
        # Table rows and paragraphs written on saving (table(stream=True), lines(stream=True))
        self._streamed: list[str] = []

    @property
    def text_width_cm(self) -> float:
        s = self.doc.sections[0]
        return (s.page_width - s.left_margin - s.right_margin) / 360000

    def _page_numbers(self, section) -> None:
        """A centred "- n -" in the header, the usual place in Thai official documents."""
        p = section.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.run(p, "- ", size=14)
        page_number_field(self.run(p, "", size=14))
        self.run(p, " -", size=14)

    def t(self, value) -> str:
        """Text for a value: numbers with thousands separators (floats to 2 places), None
        empty, Thai digits when the document asks for them."""
        if value is None:
            return ""
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            value = f"{value:,}"
        elif isinstance(value, float):
            value = f"{rounded(value):,.2f}"  # half up, as reports round
        text = era_kept_with_year(str(value))
        return to_thai_digits(text) if self.thai_digits else text

    def run(self, paragraph, text, *, bold: bool = False, size: float = SIZE_PT):
        return thai_run(paragraph.add_run(self.t(text)), bold=bold, size=size)

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

    def lines(
        self, text: str, *, indent: float = 0, empty: str = "- ไม่มี -", stream: bool = False
    ) -> None:
        """A paragraph per non-blank line of the text (`empty` when it has none).

        stream: the paragraphs go straight into the saved file (bytes()), as a streamed
        table's rows do: for texts of thousands of lines (a large office's list of courses)
        that nobody edits afterwards."""
        rows = [line for line in (text or "").splitlines() if line.strip()]
        if not stream:
            for line in rows or [empty]:
                self.para(line, indent=indent)
            return
        before, after = self._paragraph_xml(indent)
        xml = "".join(f"{before}{run_content_xml(self.t(line))}{after}" for line in rows or [empty])
        marker = etree.Comment(_stream_marker(len(self._streamed)))
        section = self.doc.element.body.find(qn("w:sectPr"))  # the body's last element
        if section is not None:
            section.addprevious(marker)
        else:
            self.doc.element.body.append(marker)
        self._streamed.append(xml)

    def _paragraph_xml(self, indent: float) -> tuple[str, str]:
        """A paragraph as para(text, indent=indent) makes it, as XML text: before and after the
        place of its run's content (made by python-docx and taken out again)."""
        p = self.para(indent=indent)
        self.run(p, "")
        p._p.getparent().remove(p._p)
        return _split_at_run_content(p._p)

    def page_break(self) -> None:
        self.doc.add_page_break()

    def cell(self, cell, value, *, bold: bool = False, size: float = 14, align: str | None = None):
        """Write a value into a table cell's own (first) paragraph."""
        p = cell.paragraphs[0]
        self.run(p, self.t(value), bold=bold, size=size)
        if align:
            p.alignment = ALIGN[align]
        return p

    def cell_text(self, cell, blocks: list[tuple[str, bool]], *, size: float = 14) -> None:
        """Fill a cell with paragraphs: (text, bold) each; the first reuses the cell's own."""
        first = True
        for text, bold in blocks:
            p = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            self.run(p, self.t(text), bold=bold, size=size)

    def table(
        self,
        header: list[str],
        rows: list[list],
        *,
        widths: Sequence[float] | None = None,
        fixed: bool = True,
        size: float = 14,
        header_size: float | None = None,
        numbers_right: bool = True,
        align: Sequence[str | None] | None = None,
        bold_last: bool = False,
        repeat_header_row: bool = True,
        centered: bool = True,
        header_align: str | None = "center",
        stream: bool = False,
        fit: bool = True,
    ):
        """A grid table: bold centred header (repeated on every page), one row per list.

        align gives a column's body alignment ("left", "center", "right" or None); else
        numbers_right puts numbers on the right. bold_last makes a totals row bold. widths
        in cm (see set_widths for fixed). centered centres the table between the margins;
        header_align=None leaves the header's texts where the paragraph style puts them.

        stream: the body rows go straight into the saved file (bytes()) and are not kept in
        the document's tree, whose elements cost more to parse and serialize than to write
        (a 100,000-person office's 7,751 courses: 12 MB of XML, 0.6 s in and out of lxml).
        The returned table then has only its header row: for tables nobody edits afterwards.

        fit: a column too narrow for its longest word (a Thai word, a number, a school code)
        is widened from the others' spare room (column_fit.fitted_widths), so that no word is
        cut across two lines; the table keeps its width.
        """
        aligned = [align[c] if align and c < len(align) else None for c in range(len(header))]
        written = []  # each row's cells: (text, alignment)
        for values in rows:
            if len(values) > len(header):
                raise IndexError("a row has more values than the table has columns")
            cells_written = []
            for c, v in enumerate(values):
                how = aligned[c]
                if type(v) is str and not self.thai_digits:
                    text = era_kept_with_year(v)  # most cells: a text, as self.t would give it
                else:
                    if how is None and numbers_right and _is_number(v):
                        how = "right"
                    text = self.t(v)
                cells_written.append((text, how))
            written.append(cells_written)
        if widths and fit:
            widths = fitted_widths(
                widths,
                [self.t(h) for h in header],
                [[text for text, _how in row] for row in written],
                size=size,
                header_size=header_size,
            )
        self._keep_heading_with_next()
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        if centered:
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for c, h in enumerate(header):
            p = self.cell(
                table.cell(0, c), h, bold=True, size=header_size or size, align=header_align
            )
            # The header row goes with the first row of the body (Word and LibreOffice keep a
            # row whose paragraphs "keep with next" on the page of the next row): never alone
            # at the foot of a page with its rows on the next one.
            p.paragraph_format.keep_with_next = True
        if repeat_header_row:
            repeat_header(table.rows[0])
        if widths:
            set_widths(table, widths, fixed=fixed)
        cells = _BodyCells(self, table, size=size, widths=widths)
        made = cells.made
        # Letters a line of each column holds: a row that surely fits on one page is kept
        # whole (w:cantSplit), never its first lines at the foot of a page and the rest on
        # the next; a longer row (a SAR item's paragraphs) may still break, or Word would cut it.
        per_line = letters_per_line(widths, len(header), self.text_width_cm, size)
        xml = []
        for r, values in enumerate(written, start=1):
            bold = bold_last and r == len(rows)
            whole = fits_a_page([text for text, _how in values], per_line)
            xml.append(_ROW_WHOLE if whole else "<w:tr>")
            for c in range(len(header)):
                if c < len(values):
                    text, how = values[c]
                    key = (c, bold, how)
                else:
                    key, text = (c, None, None), ""  # a short row leaves its last cells empty
                before, after = made[key] if key in made else cells.make(key)
                xml.append(f"{before}{run_content_xml(text)}{after}"
                           if text else before + after)  # fmt: skip
            xml.append("</w:tr>")
        if stream:
            table._tbl.append(etree.Comment(_stream_marker(len(self._streamed))))
            self._streamed.append("".join(xml))
        else:
            for tr in parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(xml)}</w:tbl>").getchildren():
                table._tbl.append(tr)
        return table

    def _keep_heading_with_next(self) -> None:
        """The bold paragraph just above a table (its title, "ตัวชี้วัดความสำเร็จ") goes to the
        page of the table's first rows, never alone at the foot of the page before."""
        body = self.doc.element.body
        last = body[-1] if len(body) else None
        if last is not None and last.tag == qn("w:sectPr"):
            last = last.getprevious()
        if last is None or last.tag != qn("w:p"):
            return
        runs = [r for r in last.iter(qn("w:r")) if "".join(r.itertext()).strip()]
        if not runs or not all(_is_bold(r) for r in runs):
            return  # an empty line, or a paragraph of text: not the table's title
        last.get_or_add_pPr().get_or_add_keepNext()  # in the schema's place among the pPr

    def closing(self, lines: Sequence[str], *, indent: float = 3.5) -> None:
        """The sender's block at the end of a foreword or letter: centred in the right part of
        the page, wide enough for an office's full name on one line, kept on one page."""
        for n, text in enumerate(lines):
            self.para(text, indent=indent, center=True, keep_next=n < len(lines) - 1)

    def bookmark(self, paragraph, name: str) -> None:
        """Mark a paragraph (a heading) so that a contents line can give its page."""
        self._bookmarks += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._bookmarks))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._bookmarks))
        paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
        paragraph._p.append(end)

    def contents_line(
        self, text: str, *, page_of: str = "", page_text: str = "", indent: float = 0, bold=False
    ):
        """A line of the สารบัญ: the title, its wrapped lines hanging under it and clear of
        the page column, and on the right the page of the heading bookmarked `page_of` (or
        `page_text` as it is, e.g. the column's title "หน้า")."""
        p = self.para(text, bold=bold, indent=indent + 0.75, first_line=-0.75)
        p.paragraph_format.right_indent = Cm(1.2)
        p.paragraph_format.tab_stops.add_tab_stop(Cm(self.text_width_cm), WD_TAB_ALIGNMENT.RIGHT)
        if page_of:
            self.run(p, "\t", bold=bold)
            field(self.run(p, "", bold=bold), f"PAGEREF {page_of} \\h")
            self._update_fields_on_open()
        elif page_text:
            self.run(p, f"\t{page_text}", bold=bold)
        return p

    def _update_fields_on_open(self) -> None:
        """Word keeps a field's last value until asked: have it recompute page references
        when the document is opened (LibreOffice always does)."""
        settings = self.doc.settings.element
        if settings.find(qn("w:updateFields")) is not None:
            return
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        # Word refuses a settings part out of the schema's order: updateFields goes before
        # the first of the settings that follow it.
        later = [child for child in settings if child.tag in SETTINGS_AFTER_UPDATE_FIELDS]
        if later:
            later[0].addprevious(update)
        else:
            settings.append(update)

    def bytes(self) -> bytes:
        # A section added after the first (doc.add_section copies the first's w:sectPr) goes
        # on numbering from its own first page: only the document's first page has none.
        for section in self.doc.sections[1:]:
            section.different_first_page_header_footer = False
        buf = io.BytesIO()
        self.doc.save(buf)
        if not self._streamed:
            return buf.getvalue()
        return _put_streamed_rows(buf.getvalue(), self._streamed)


# ------------------------------------------------------------------------- table body XML
# A table's body rows are written as WordprocessingML text: each kind of cell (column, bold,
# alignment) is made once through python-docx, exactly as writing it cell by cell would (the
# run's Thai formatting, the width), and serialized; every cell of that kind is that text
# with its own run content put in. python-docx took about 1 ms a cell (6 s for a thousand
# schools' five columns), and copying a made cell per cell still 0.25 ms (2 s for a large
# office's 7,751 courses); a string per cell takes microseconds.

# Characters XML 1.0 cannot hold (lxml refuses them): control characters other than tab and
# line breaks, e.g. a vertical tab pasted from a spreadsheet cell, and unpaired surrogates.
_NOT_XML = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_NOT_XML_RE = re.compile(f"[{_NOT_XML}]")
# Text written as it is in one w:t: no character to escape or leave out, no tab or line break,
# no space (str.isspace, as \s) leading or trailing. Most cells; the rest take the long way.
_PLAIN = re.compile(
    f"[^\\s&<>{_NOT_XML}\t\r\n](?:[^&<>{_NOT_XML}\t\r\n]*[^\\s&<>{_NOT_XML}\t\r\n])?"
)
_BREAKS = re.compile("([\t\r\n])")
_BREAK_XML = {"\t": "<w:tab/>", "\r": "<w:br/>", "\n": "<w:br/>"}


def run_content_xml(text: str) -> str:
    """A run's text as python-docx's Run.text writes it: a w:t per stretch of text (keeping
    the spaces that lead or trail it), w:tab for a tab and w:br for each line break. The
    characters XML cannot hold are left out; python-docx reads the rest back as given
    (line breaks as "\\n")."""
    if _PLAIN.fullmatch(text):
        return f"<w:t>{text}</w:t>"
    out = []
    for part in _BREAKS.split(_NOT_XML_RE.sub("", text)):
        if part in _BREAK_XML:
            out.append(_BREAK_XML[part])
        elif part:
            escaped = part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            space = ' xml:space="preserve"' if len(part.strip()) < len(part) else ""
            out.append(f"<w:t{space}>{escaped}</w:t>")
    return "".join(out)


class _BodyCells:
    """The body cells of one table as XML text, one made cell per kind (see above)."""

    def __init__(self, doc: ThaiDoc, table, *, size: float, widths):
        self.doc, self.table, self.size, self.widths = doc, table, size, widths
        self.made: dict[tuple, tuple[str, str]] = {}

    def make(self, key: tuple) -> tuple[str, str]:
        """An empty cell of a kind, key = (column, bold, alignment) with bold None for a cell
        a short row leaves empty, made by python-docx in a row taken out again: the text
        before and after the place of its run's content."""
        c, bold, how = key
        row = self.table.add_row()
        cell = row.cells[c]
        if bold is not None:
            self.doc.cell(cell, "", bold=bold, size=self.size, align=how)
        if self.widths and c < len(self.widths):
            cell.width = Cm(self.widths[c])
        self.table._tbl.remove(row._tr)
        made = (_xml_text(cell._tc), "") if bold is None else _split_at_run_content(cell._tc)
        self.made[key] = made
        return made


def _xml_text(element) -> str:
    """An element taken out of the document as XML text for the document part."""
    xml = etree.tostring(element, encoding="unicode")
    # Taken out of the document, the element declares the namespace it uses; in the saved
    # part the document element declares it.
    xml = xml.replace(f' xmlns:w="{element.nsmap["w"]}"', "", 1)
    assert "xmlns" not in xml  # no other namespace: the text fits any w: part
    return xml


def _split_at_run_content(element) -> tuple[str, str]:
    """A cell or paragraph whose last run is empty, as XML text: before and after the place
    of that run's content (the content goes last in the run)."""
    xml = _xml_text(element)
    end = "</w:r></w:p></w:tc>" if xml.startswith("<w:tc") else "</w:r></w:p>"
    assert xml.endswith(end)
    return xml[: -len(end)], end


def _stream_marker(n: int) -> str:
    """The comment that holds a streamed table's place in the tree; text can never spell it
    in the saved XML, where every "<" of a text is written "&lt;"."""
    return f"krupd-streamed-rows-{n}"


def _put_streamed_rows(docx: bytes, rows: list[str]) -> bytes:
    """The saved package with each streamed table's rows (or paragraphs) in its marker's place;
    every other part as python-docx wrote it (same order, names, dates and compression)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                for n, xml in enumerate(rows):
                    before, after = data.split(f"<!--{_stream_marker(n)}-->".encode())
                    data = b"".join((before, xml.encode(), after))
            dst.writestr(info, data)
    return out.getvalue()


def _is_bold(run) -> bool:
    """Whether a w:r is bold: a w:b in its properties, not switched off (w:val="0")."""
    b = run.find(f"{qn('w:rPr')}/{qn('w:b')}")
    return b is not None and b.get(qn("w:val"), "true") not in ("0", "false")


def _is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
