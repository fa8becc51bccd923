"""SAR as PDF with fpdf2: HarfBuzz shaping and Sarabun from pip (fontpkg-sarabun), A4
landscape, page numbers, the 5-column table with its header repeated on every page."""

from __future__ import annotations

import fontpkg_sarabun
from fpdf import FPDF
from fpdf.fonts import FontFace

from krupd.lib.checkbox_font import checkbox_font_path
from krupd.lib.thai_docx import checkbox
from krupd.lib.thai_wrap import with_word_breaks as words
from krupd.lib.thai_wrap import write_wrapped

FONT_DIR = fontpkg_sarabun.ROOT / "files"
NEXT_LINE = {"new_x": "LMARGIN", "new_y": "NEXT"}


class _Pdf(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("Sarabun", size=9)
        self.cell(0, 6, f"- {self.page_no()} -", align="C", **NEXT_LINE)


def sar_pdf(document) -> bytes:
    from ..reports.sar import NARRATIVES, SAR_HEADER, SAR_WIDTHS

    pdf = _Pdf(orientation="L", unit="mm", format="A4")
    pdf.add_font("Sarabun", "", str(FONT_DIR / "Sarabun-Regular.ttf"))
    pdf.add_font("Sarabun", "B", str(FONT_DIR / "Sarabun-Bold.ttf"))
    pdf.add_font("Boxes", "", checkbox_font_path())
    pdf.set_fallback_fonts(["Boxes"])
    pdf.set_text_shaping(True)
    pdf.set_margins(20, 20, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
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
        with pdf.table(col_widths=widths, headings_style=FontFace(emphasis="BOLD"),
                       repeat_headings=1, line_height=4.6, text_align="LEFT") as table:  # fmt: skip
            head = table.row()
            for h in SAR_HEADER:
                head.cell(h)
            for i, (rule, _words) in enumerate(view.levels):
                row = table.row()
                mark = checkbox(final == rule.level)
                row.cell(f"{mark} ระดับ {rule.level}")
                row.cell(words(rule.description))
                if i == 0:
                    span = len(view.levels)
                    # Table cells break lines between Thai words (zero-width spaces).
                    row.cell(words(data), rowspan=span)
                    row.cell(words(narrative), rowspan=span)
                    row.cell(words(docs), rowspan=span)
        pdf.set_font("Sarabun", "", 9)
        result = f"ระดับ {final}" if final else "ยังไม่ได้ตัดสินระดับคุณภาพ"
        write_wrapped(pdf, 0, 5, f"ผลการประเมิน: {result}")
        for header, rows in view.tables:
            _evidence_table(pdf, header, rows)
        for title, header, rows in view.annexes:
            _annex(pdf, title, report.office.name, header, rows)
    return bytes(pdf.output())


def _evidence_table(pdf, header: list[str], rows: list[list], widths=None) -> None:
    """A table under the item: the evidence column's own tables (the DOCX nests them in the
    cell; a PDF table row cannot break across pages, so they follow the item's table here)
    and the annexes."""
    pdf.ln(1)
    pdf.set_font("Sarabun", "", 9)
    with pdf.table(col_widths=widths, headings_style=FontFace(emphasis="BOLD"),
                   repeat_headings=1, line_height=4.6, text_align="LEFT") as table:  # fmt: skip
        for values in [header, *rows]:
            row = table.row()
            for v in values:
                row.cell(f"{v:,}" if isinstance(v, int) else words(str(v)))


def _annex(pdf, title: str, office_name: str, header: list[str], rows: list[list]) -> None:
    from ..reports.sar import ANNEX_WIDTHS

    pdf.ln(3)
    pdf.set_font("Sarabun", "B", 11)
    write_wrapped(pdf, 0, 6, title, align="C")
    pdf.set_font("Sarabun", "", 10)
    write_wrapped(pdf, 0, 6, office_name, align="C")
    widths = [w * 10 for w in ANNEX_WIDTHS[len(header)]] if len(header) in ANNEX_WIDTHS else None
    _evidence_table(pdf, header, rows, widths)
