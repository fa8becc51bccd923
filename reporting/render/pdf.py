"""SAR as PDF with fpdf2: HarfBuzz shaping and Sarabun from pip (fontpkg-sarabun), A4
landscape, page numbers from the second page, the 5-column table with its header repeated
on every page; Thai digits throughout when asked, as in the DOCX."""

from __future__ import annotations

import re

import fontpkg_sarabun
from fpdf import FPDF
from fpdf.enums import PDFResourceType
from fpdf.fonts import FontFace

from krupd.lib.checkbox_font import checkbox_font_path
from krupd.lib.numerals import to_thai_digits
from krupd.lib.thai_docx import checkbox
from krupd.lib.thai_wrap import cell_text, wrapped_lines, write_wrapped

FONT_DIR = fontpkg_sarabun.ROOT / "files"


# The text's left and right margins (mm): the page number is centred between them.
LEFT_MARGIN, RIGHT_MARGIN = 20, 15


class _Pdf(FPDF):
    # Thai digits in every text of the document (headings, cells, page numbers), as the
    # DOCX's ThaiDoc writes them when asked.
    thai_digits = False

    def normalize_text(self, text: str) -> str:
        """Every text fpdf2 measures or draws passes here: digits changed here are the ones
        the lines are broken for (a Thai digit is wider than its Arabic one in Sarabun)."""
        text = super().normalize_text(text)
        return to_thai_digits(text) if self.thai_digits else text

    def header(self):
        """ "- 2 -" at the top centre from the second page, as official documents number
        their pages (and the DOCX of the same report); the first page has none. Centred
        between the text's own margins: a table being drawn moves the left one."""
        if self.page_no() == 1:
            return
        self.set_font("Sarabun", "", 10)  # fpdf2 restores the page's font after the header
        self.set_xy(LEFT_MARGIN, 10)
        self.cell(self.w - LEFT_MARGIN - RIGHT_MARGIN, 5, f"- {self.page_no()} -", align="C")
        self.set_xy(self.l_margin, self.t_margin)


def _new_pdf(*, thai_digits: bool = False, orientation: str = "L") -> _Pdf:
    """A4 (landscape unless "P"), Sarabun shaped by HarfBuzz (boxes from their own font), the
    SAR's margins, Thai or Arabic digits; its first page begun."""
    pdf = _Pdf(orientation=orientation, unit="mm", format="A4")
    pdf.thai_digits = thai_digits
    pdf.add_font("Sarabun", "", str(FONT_DIR / "Sarabun-Regular.ttf"))
    pdf.add_font("Sarabun", "B", str(FONT_DIR / "Sarabun-Bold.ttf"))
    pdf.add_font("Boxes", "", checkbox_font_path())
    pdf.set_fallback_fonts(["Boxes"])
    pdf.set_text_shaping(True)
    pdf.set_margins(LEFT_MARGIN, 20, RIGHT_MARGIN)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    return pdf


def sar_pdf(document, *, thai_digits: bool = False, progress=None) -> bytes:
    """The SAR as PDF bytes, in Thai digits when `thai_digits`. `progress(done, total,
    pages)`, when given, is told now and then how far the writing is: an item or one row of
    its tables is a step (the task worker's progress page shows it)."""
    from ..reports.sar import SAR_WIDTHS

    pdf = _new_pdf(thai_digits=thai_digits)
    steps = _Steps(pdf, document, progress)
    report = document.report
    pdf.set_font("Sarabun", "B", 14)
    write_wrapped(pdf, 0, 8, "รายงานการประเมินตนเอง (SAR)", align="C")
    pdf.set_font("Sarabun", "", 11)
    write_wrapped(pdf, 0, 6, f"{report.office.name} ปีงบประมาณ พ.ศ. {report.fiscal_year}", align="C")
    pdf.set_font("Sarabun", "B", 11)
    write_wrapped(pdf, 0, 6, f"การดำเนินงานใน{report.round_label} ({report.period_label})",
                  align="C")  # fmt: skip
    pdf.set_font("Sarabun", "", 11)
    write_wrapped(pdf, 0, 6, f"ตาม{report.edition.name}", align="C")
    widths = [w * 10 for w in SAR_WIDTHS]
    for view in document.items:
        pdf.ln(3)
        # The item's table (its levels one block of rows) cannot break across pages: when it
        # does not fit under the heading, both begin the next page (the heading was left
        # alone at the foot of the page, the half page under it empty).
        _keep_item_on_one_page(pdf, report, view, widths)
        _item(pdf, report, view, widths)
        for title, header, rows in view.tables:
            _titled_table(pdf, title, header, rows, on_row=steps.step)
        for title, header, rows in view.annexes:
            _annex(pdf, title, report.office.name, header, rows, on_row=steps.step)
        steps.step()
    steps.finish()
    return bytes(pdf.output())


def _keep_item_on_one_page(pdf, report, view, widths) -> None:
    """Begin the next page when the item would not fit under its heading on this one."""
    if pdf.get_y() > pdf.t_margin + 1:
        with pdf.offset_rendering() as trial:
            _item(trial, report, view, widths)
        if trial.page_break_triggered:
            pdf.add_page()


def _item(pdf, report, view, widths) -> None:
    """One item of the SAR: its heading, its table of quality levels, its result."""
    from ..reports.sar import NARRATIVES, SAR_HEADER

    pdf.set_font("Sarabun", "B", 11)
    ind = view.indicator
    write_wrapped(pdf, 0, 6, f"ประเด็นที่ {ind.standard.number} ตัวบ่งชี้ที่ {ind.number} "
                  f"ข้อ {view.item.number}. {view.item.title}")  # fmt: skip
    pdf.set_font("Sarabun", "", 9)
    final = view.final_level
    data = "\n".join(
        [view.item.requirement]
        + [f"{checkbox(bool(p.evidence.strength))} {p.text}" for p in view.points]
        + [f"การดำเนินงานใน{report.round_label}"]
        + [f"- {p.evidence.summary}" for p in view.points]
        + ([view.entry.office_data] if view.entry and view.entry.office_data else [])
    )
    narrative = "\n".join(
        f"{title}\n{(getattr(view.entry, name, '') if view.entry else '') or '- ไม่มี -'}"
        for title, name in NARRATIVES
    )
    docs = "\n".join(view.documents) or "- ยังไม่มีหลักฐานในระบบ -"
    # Cells are broken into lines between Thai words here (fpdf2 breaks at spaces only),
    # at the widths the table gives the columns (the full text width, in proportion).
    drawn = [w * pdf.epw / sum(widths) for w in widths]
    pdf.set_font("Sarabun", "B", 9)
    headings = [cell_text(pdf, h, w) for h, w in zip(SAR_HEADER, drawn, strict=True)]
    pdf.set_font("Sarabun", "", 9)
    with pdf.table(col_widths=widths, headings_style=FontFace(emphasis="BOLD"),
                   repeat_headings=1, line_height=4.6, text_align="LEFT") as table:  # fmt: skip
        head = table.row()
        for h in headings:
            head.cell(h)
        for i, (rule, _words) in enumerate(view.levels):
            row = table.row()
            mark = checkbox(final == rule.level)
            row.cell(f"{mark} ระดับ {rule.level}")
            row.cell(cell_text(pdf, rule.description, drawn[1]))
            if i == 0:
                span = len(view.levels)
                row.cell(cell_text(pdf, data, drawn[2]), rowspan=span)
                row.cell(cell_text(pdf, narrative, drawn[3]), rowspan=span)
                row.cell(cell_text(pdf, docs, drawn[4]), rowspan=span)
    pdf.set_font("Sarabun", "", 9)
    result = f"ระดับ {final}" if final else "ยังไม่ได้ตัดสินระดับคุณภาพ"
    write_wrapped(pdf, 0, 5, f"ผลการประเมิน: {result}")


class _Steps:
    """Counts the steps written (an item, a table row) and tells `report(done, total, pages)`
    every REPORT_EVERY steps and at the end; nothing when there is no one to tell."""

    REPORT_EVERY = 250  # a few times a second on a large office's annex

    def __init__(self, pdf, document, report):
        self.pdf, self.report = pdf, report
        self.total = sum(
            1 + sum(len(rows) for _t, _h, rows in view.tables)
            + sum(len(rows) for _t, _h, rows in view.annexes)
            for view in document.items
        )  # fmt: skip
        self.done = self.told = 0

    def step(self) -> None:
        self.done += 1
        if self.report and self.done - self.told >= self.REPORT_EVERY:
            self.finish()

    def finish(self) -> None:
        if self.report:
            self.told = self.done
            self.report(self.done, self.total, self.pdf.page_no())


def _evidence_table(pdf, header: list[str], rows: list[list], widths=None, on_row=None) -> None:
    """A table under the item: the evidence column's own tables (the DOCX nests them in the
    cell; a PDF table row cannot break across pages, so they follow the item's table here)
    and the annexes. Laid out as fpdf2's pdf.table lays it (full text width, columns in the
    proportions of `widths`, bold header repeated on every page, text vertically centred in
    its row) but drawn by _RowTable: a large office's round has thousands of courses."""
    pdf.ln(1)
    pdf.set_font("Sarabun", "", 9)
    _RowTable(pdf, widths or [1] * len(header), line_height=4.6).draw(
        header,
        [_texts(values) for values in rows],
        on_row=on_row,
    )


class _RowTable:
    """A bordered table drawn row by row with cell() lines, the way fpdf2's table draws it.

    fpdf2's table computes every row twice (layout, then drawing), wraps each cell with
    multi_cell, whose line breaking shapes the text again for every character added, and
    shapes and runs the bidi algorithm on every line it draws: 36 s for 3,500 courses. Here
    a cell that fits its column is one line without looking for word breaks, the lines of a
    text are found once (_lines), and a line drawn before is written again from the page
    operators fpdf2 wrote for it (_Stamps)."""

    def __init__(self, pdf, proportions, *, line_height: float, align: list[str] | None = None):
        self.pdf, self.line_height = pdf, line_height
        self.align = align or []  # per column, "C" to centre its text (else left)
        self.width = pdf.epw
        self.left = (pdf.w - self.width) / 2  # centred, as fpdf2's tables are
        total = sum(proportions)
        self.widths = [w * self.width / total for w in proportions]
        self.stamps = _Stamps(pdf)
        self._wrapped: dict[tuple, list[str]] = {}

    def draw(self, header: list[str], rows: list[list[str]], on_row=None, *,
             bold_last: bool = False) -> None:  # fmt: skip
        """`on_row()`, when given, is called after each body row is drawn; `bold_last`: the
        last row (totals) in bold."""
        pdf = self.pdf
        auto_break, break_margin = pdf.auto_page_break, pdf.b_margin
        pdf.set_auto_page_break(False, margin=break_margin)  # rows are kept whole here
        # fpdf2's table moves the left margin to its own left edge while it draws (the page
        # numbers of its pages are centred between that and the right margin): the same.
        left_margin, pdf.l_margin = pdf.l_margin, self.left
        head = self._layout(header, "B")
        styles = ["B" if bold_last and i == len(rows) - 1 else "" for i in range(len(rows))]
        body = [self._layout(values, style) for values, style in zip(rows, styles, strict=True)]
        if body and pdf.y + head[0] + body[0][0] > pdf.page_break_trigger:
            self._new_page()
        self._row(head, "B")
        for row, style in zip(body, styles, strict=True):
            if pdf.y + row[0] > pdf.page_break_trigger:
                self._new_page()
                self._row(head, "B")
            self._row(row, style)
            if on_row:
                on_row()
        pdf.set_auto_page_break(auto_break, margin=break_margin)
        pdf.l_margin = left_margin
        pdf.set_x(pdf.l_margin)

    def _new_page(self) -> None:
        pdf = self.pdf
        style, size = pdf.font_style, pdf.font_size_pt
        pdf.add_page()
        pdf.set_font("Sarabun", style, size)

    def _layout(self, values: list[str], style: str) -> tuple[float, list[list[str]]]:
        """(row height, each cell's lines)."""
        self.pdf.set_font("Sarabun", style, self.pdf.font_size_pt)
        cells = [self._lines(str(v), w) for v, w in zip(values, self.widths, strict=False)]
        return max((len(c) for c in cells), default=1) * self.line_height, cells

    def _lines(self, text: str, width: float) -> list[str]:
        key = (self.pdf.font_style, self.pdf.font_size_pt, text, width)
        lines = self._wrapped.get(key)
        if lines is None:
            room = width - 2 * self.pdf.c_margin
            if "\n" not in text and self.pdf.get_string_width(text) <= room:
                lines = [text]
            else:
                lines = wrapped_lines(self.pdf, text, width)
            self._wrapped[key] = lines
        return lines

    def _row(self, row: tuple[float, list[list[str]]], style: str) -> None:
        pdf, lh = self.pdf, self.line_height
        height, cells = row
        pdf.set_font("Sarabun", style, pdf.font_size_pt)
        y, x = pdf.y, self.left
        for c, width in enumerate(self.widths):
            pdf.rect(x, y, width, height)
            lines = cells[c] if c < len(cells) else []
            top = y + (height - len(lines) * lh) / 2  # vertically centred
            centred = c < len(self.align) and self.align[c] == "C"
            for n, line in enumerate(lines):
                if line:
                    # Centred by where it begins: a stamp is the same text at another place.
                    left = (width - pdf.get_string_width(line)) / 2 - pdf.c_margin if centred else 0
                    self.stamps.draw(x + max(left, 0), top + n * lh, width, lh, line)
            x += width
        pdf.set_xy(self.left, y + height)


class _Stamps:
    """Lines of text drawn once by fpdf2 and written again where the same text comes back.

    The first time a text is drawn in a font, fpdf2 shapes it (HarfBuzz) and writes its page
    operators; they are kept, and each later line of the same text and font writes them
    again inside q … Q with a translation to its place (PDF "cm"), along with its font
    (Tf) so that it never depends on the font the page last set. The glyphs are already in
    the font's subset from the first drawing. Relies on fpdf2's page content (a bytearray
    per page) and its page resources, both of fpdf2 2.8 (pinned in requirements.txt)."""

    def __init__(self, pdf):
        self.pdf = pdf
        self.drawn: dict[tuple, tuple[float, float, bytes, set[int]]] = {}

    def draw(self, x: float, y: float, width: float, height: float, text: str) -> None:
        pdf = self.pdf
        font = pdf.current_font
        key = (font.i, pdf.font_size_pt, text, height)
        made = self.drawn.get(key)
        if made is None:
            contents = pdf.pages[pdf.page].contents
            start = len(contents)
            pdf.set_xy(x, y)
            pdf.cell(width, height, text)
            ops = bytes(contents[start:])
            fonts = {font.i} | {int(i) for i in re.findall(rb"/F(\d+) ", ops)}
            self.drawn[key] = (x, y, ops, fonts)
            return
        x0, y0, ops, fonts = made
        for i in fonts:
            pdf._resource_catalog.add(PDFResourceType.FONT, i, pdf.page)
        k = pdf.k
        pdf._out(
            f"q 1 0 0 1 {(x - x0) * k:.2f} {(y0 - y) * k:.2f} cm "
            f"BT /F{font.i} {pdf.font_size_pt:.2f} Tf ET".encode()
            + b"\n"
            + ops
            + b"Q"
        )


def _titled_table(pdf, title: str, header: list[str], rows: list[list], on_row=None) -> None:
    """An evidence table after the item's table, under its title (the DOCX has it in the
    evidence cell under the office's text that tells what it is; here it stands apart). The
    title goes to the next page with the table when the header and a row would not follow."""
    pdf.ln(2)
    pdf.set_font("Sarabun", "B", 10)
    _keep_title_with_table(pdf, len(wrapped_lines(pdf, title, pdf.epw)) * 6, header, rows)
    pdf.set_font("Sarabun", "B", 10)
    write_wrapped(pdf, 0, 6, title)
    _evidence_table(pdf, header, rows, on_row=on_row)


def _keep_title_with_table(pdf, title_height: float, header, rows, widths=None) -> None:
    """Begin the next page when a table's title, its header and its first row would not
    fit on this one: the title stays with its table (it was left alone at the page's foot
    when the header had two lines or the first row three)."""
    if pdf.get_y() <= pdf.t_margin + 1:
        return
    pdf.set_font("Sarabun", "", 9)
    table = _RowTable(pdf, widths or [1] * len(header), line_height=4.6)
    need = title_height + 1 + table._layout(header, "B")[0]
    if rows:
        need += table._layout(_texts(rows[0]), "")[0]
    if pdf.get_y() + need > pdf.page_break_trigger:
        pdf.add_page()


def document_pdf(*, thai_digits: bool = False, orientation: str = "P") -> _Pdf:
    """A PDF of an office's document in the SAR's pipeline (Sarabun, page numbers from the
    second page, Thai digits when asked), A4 upright unless "L"; its first page begun."""
    return _new_pdf(thai_digits=thai_digits, orientation=orientation)


def document_table(pdf, header: list[str], rows: list[list], widths: list[float], *,
                   size: float = 11, line_height: float = 6, align: list[str] | None = None,
                   bold_last: bool = False, title: str = "",
                   title_size: float = 14) -> None:  # fmt: skip
    """A bordered table across the text's width (columns in the proportions of `widths`),
    its bold header repeated on every page it runs onto, numbers written as the documents
    write them (1,234); under its `title` (bold, centred), which it goes to the next page
    with when the whole of it would fit there but not on this one's rest."""
    texts = [_texts(values) for values in rows]
    pdf.set_font("Sarabun", "", size)
    table = _RowTable(pdf, widths, line_height=line_height, align=align)
    need = table._layout(header, "B")[0] + sum(table._layout(t, "B")[0] for t in texts)
    title_height = 0.0
    if title:
        pdf.set_font("Sarabun", "B", title_size)
        title_height = len(wrapped_lines(pdf, title, pdf.epw)) * title_size * 0.5 + 1
    room = pdf.page_break_trigger - pdf.t_margin
    if pdf.get_y() + title_height + need > pdf.page_break_trigger and title_height + need <= room:
        pdf.add_page()
    if title:
        pdf.set_font("Sarabun", "B", title_size)
        write_wrapped(pdf, 0, title_size * 0.5, title, align="C")
        pdf.ln(1)
    pdf.set_font("Sarabun", "", size)
    table.draw(header, texts, bold_last=bold_last)


def _texts(values: list) -> list[str]:
    return [f"{v:,}" if isinstance(v, int) else str(v) for v in values]


def _annex(
    pdf, title: str, office_name: str, header: list[str], rows: list[list], on_row=None
) -> None:
    from ..reports.sar import ANNEX_WIDTHS

    pdf.ln(3)
    widths = [w * 10 for w in ANNEX_WIDTHS[len(header)]] if len(header) in ANNEX_WIDTHS else None
    pdf.set_font("Sarabun", "B", 11)
    height = len(wrapped_lines(pdf, title, pdf.epw)) * 6
    pdf.set_font("Sarabun", "", 10)
    height += len(wrapped_lines(pdf, office_name, pdf.epw)) * 6
    _keep_title_with_table(pdf, height, header, rows, widths)
    pdf.set_font("Sarabun", "B", 11)
    write_wrapped(pdf, 0, 6, title, align="C")
    pdf.set_font("Sarabun", "", 10)
    write_wrapped(pdf, 0, 6, office_name, align="C")
    _evidence_table(pdf, header, rows, widths, on_row=on_row)
