"""Training documents: the SAR results table and a person's PD transcript (XLSX, PDF)."""

from __future__ import annotations

import math
import unicodedata
from copy import copy

from django.http import HttpResponse
from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from krupd.lib.numerals import format_hours, to_thai_digits
from krupd.lib.spreadsheets import workbook_bytes, write_thai_digits
from krupd.lib.thai_dates import format_thai_date
from krupd.lib.thai_wrap import write_wrapped

from .certificates import FONT_BOLD, FONT_REGULAR, NAVY
from .models import HourType
from .queries import ResultRow, Transcript, results_total

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _table(ws, row: int, header: list[str], rows: list[list], widths: list[int],
           number_formats: dict[int, str] | None = None) -> int:  # fmt: skip
    """The header at `row`, then `rows`; `number_formats` by 1-based column."""
    for c, text in enumerate(header, start=1):
        cell = ws.cell(row, c, text)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    _fit_height(ws, row, header, widths)
    # Setting a style attribute makes openpyxl compare it with every style already in the
    # workbook: 7,750 courses a year took 30 s so. A column's cells share one style, so it
    # is set on the column's first cell only and its index array copied to the others, as
    # openpyxl's own sheet copy does.
    styles: dict[int, object] = {}
    for r, values in enumerate(rows, start=row + 1):
        _fit_height(ws, r, values, widths)
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value)
            if c in styles:
                cell._style = copy(styles[c])
                continue
            # The running number ("ที่"/"ลำดับ") is centred, as on the office's tables.
            cell.alignment = Alignment(wrap_text=True, vertical="top",
                                       horizontal="center" if c == 1 else None)  # fmt: skip
            if number_formats and c in number_formats:
                cell.number_format = number_formats[c]
            styles[c] = copy(cell._style)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    return row + len(rows) + 1


def _text_width(text: str) -> int:
    # Thai vowel and tone marks sit above or below their consonant and take no width.
    return sum(
        1 for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Mn"
    )


def _fit_height(ws, row: int, values: list, widths: list[int]) -> None:
    """Spreadsheet programs do not grow a row for wrapped text they did not lay out
    themselves, so a row whose text wraps gets the height of its longest cell."""
    lines = max(
        (
            math.ceil(_text_width(str(v)) / max(w - 2, 1))
            for v, w in zip(values, widths, strict=False)
            if v
        ),
        default=1,
    )
    if lines > 1:
        ws.row_dimensions[row].height = 16 * lines


def _save(wb: Workbook, *, thai_digits: bool = False) -> bytes:
    if thai_digits:
        write_thai_digits(wb)
    return workbook_bytes(wb)


def hours_heading(label: str) -> str:
    """ "ชั่วโมงอบรม/…" but "ชั่วโมง PLC": a space before a Latin word, none before Thai."""
    return f"ชั่วโมง {label}" if label[:1].isascii() else f"ชั่วโมง{label}"


def _letterhead_rows(ws, title: str, office) -> None:
    ws.cell(1, 1, getattr(office, "name", "")).font = Font(bold=True, size=14)
    ws.cell(2, 1, title).font = Font(bold=True, size=14)


def print_as_office_document(ws, *, header_row: int, landscape: bool) -> None:
    """Printed, the sheet reads as the office's document: A4 fitted to the page width, the
    table's header repeated on every page, and page numbers "- n -" at the top of every page
    after the first, as official documents number them."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.HeaderFooter.differentFirst = True
    ws.oddHeader.center.text = "- &P -"
    ws.evenHeader.center.text = "- &P -"


def signer_rows(ws, row: int, column: int, *, name: str, title: str, date, heading: str) -> int:
    """The signature block (the office's signer from the training settings) from `row`, in
    `column`; returns the row after it."""
    lines = [heading, "", "ลงชื่อ ......................................................",
             f"({name})" if name else "(......................................................)",
             title, f"วันที่ {format_thai_date(date, style='long')}"]  # fmt: skip
    for i, text in enumerate(lines):
        cell = ws.cell(row + i, column, text)
        cell.alignment = Alignment(horizontal="center")
    return row + len(lines)


def results_xlsx(
    rows: list[ResultRow], *, fiscal_year: int, office, signer_name: str = "",
    signer_title: str = "", today=None, thai_digits: bool = False,
) -> bytes:  # fmt: skip
    """The SAR item 4: ที่ / ชื่อหลักสูตร / จำนวนผู้เข้าอบรม/พัฒนา / จำนวนผู้ผ่าน / ร้อยละ,
    finished sessions only; people still waiting for a result and open sessions apart."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"ผลการพัฒนา {fiscal_year}"
    _letterhead_rows(ws, f"ผลการพัฒนาครูและบุคลากรทางการศึกษา ปีงบประมาณ {fiscal_year}", office)
    ws.cell(3, 1, "นับเฉพาะรุ่นที่จบแล้ว ร้อยละคิดจากผู้ที่ประเมินผลแล้ว (ผ่านหรือไม่ผ่าน)")
    header = [
        "ที่", "ชื่อหลักสูตร", "รูปแบบ", "จำนวนผู้เข้าอบรม/พัฒนา", "จำนวนผู้ผ่านการอบรม/พัฒนา",
        "คิดเป็นร้อยละ", "รอผล (คน)", "จำนวนชั่วโมง", "ความพึงพอใจ (เฉลี่ย)", "ระดับความพึงพอใจ",
        "รุ่นที่ยังไม่จบ (รุ่น)", "ผู้เข้าร่วมรุ่นที่ยังไม่จบ (คน)",
    ]  # fmt: skip
    total = results_total(rows)
    data = [
        [
            r.number,
            r.course.title,
            r.course.get_mode_display(),
            r.participants,
            r.passed,
            round(r.pct, 2) if r.pct is not None else None,
            r.pending,
            float(r.hours),
            round(r.satisfaction, 2) if r.satisfaction is not None else None,
            r.satisfaction_band if r.satisfaction is not None else "",
            r.open_sessions,
            r.open_participants,
        ]
        for r in rows
    ]
    data.append(
        ["", "รวม", "", total.participants, total.passed,
         round(total.pct, 2) if total.pct is not None else None, total.pending, None, None, "",
         total.open_sessions, total.open_participants]
    )  # fmt: skip
    end = _table(ws, 5, header, data, [6, 60, 30, 16, 16, 12, 10, 12, 14, 16, 14, 16],
                 number_formats={6: "0.00", 9: "0.00"})  # fmt: skip
    if today is not None:
        signer_rows(ws, end + 2, 2, name=signer_name, title=signer_title, date=today,
                    heading="ขอรับรองว่าข้อมูลข้างต้นถูกต้อง")  # fmt: skip
    print_as_office_document(ws, header_row=5, landscape=True)
    return _save(wb, thai_digits=thai_digits)


def _result_label(e) -> str:
    return e.result_text if e.status == "enrolled" else e.get_status_display()


def transcript_xlsx(t: Transcript, *, signer_name: str = "", signer_title: str = "",
                    today=None, thai_digits: bool = False) -> bytes:  # fmt: skip
    wb = Workbook()
    ws = wb.active
    ws.title = f"ปีงบประมาณ {t.fiscal_year}"
    _letterhead_rows(ws, f"บันทึกการพัฒนาตนเอง ปีงบประมาณ {t.fiscal_year}", t.person.office)
    ws.cell(3, 1, f"{t.person.full_name} · {t.person.position} · {t.person.workplace_name}")
    header = ["ที่", "หลักสูตร", "รูปแบบ", "วันที่", "ชั่วโมงที่เข้าร่วม", "ผลการพัฒนา", "ชั่วโมงที่นับ"]
    rows = [
        [
            i,
            e.course.title,
            e.course.get_mode_display(),
            format_thai_date(e.completed_on or e.session.start_date),
            float(e.hours_attended),
            _result_label(e),
            float(e.hours_credited),
        ]
        for i, e in enumerate(t.enrolments, start=1)
    ]
    end = _table(ws, 5, header, rows, [6, 55, 30, 14, 14, 30, 14])
    row = end + 1
    for kind, label in HourType.choices:
        ws.cell(row, 2, hours_heading(label))
        ws.cell(row, 7, float(t.hours_by_type[kind]))
        row += 1
    ws.cell(row, 2, "รวมชั่วโมงพัฒนา").font = Font(bold=True)
    ws.cell(row, 7, float(t.total_hours)).font = Font(bold=True)
    ws.cell(row + 1, 2, "เป้าหมายของเขตพื้นที่")
    ws.cell(row + 1, 7, float(t.target))
    ws.cell(row + 2, 2, "เกียรติบัตร")
    ws.cell(row + 2, 7, len(t.certificates))
    if today is not None:
        signer_rows(ws, row + 4, 2, name=signer_name, title=signer_title, date=today,
                    heading="ขอรับรองว่าข้อมูลข้างต้นถูกต้อง")  # fmt: skip
    print_as_office_document(ws, header_row=5, landscape=False)
    return _save(wb, thai_digits=thai_digits)


class OfficePdf(FPDF):
    """A portrait A4 document in the office's name: letterhead on the first page, "- n -"
    at the top of every page after it (as official letters number them), Sarabun, and
    Thai digits throughout when asked for."""

    def __init__(self, *, office_name: str, thai_digits: bool = False):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.office_name = office_name
        self.thai_digits = thai_digits
        self.add_font("Sarabun", "", str(FONT_REGULAR))
        self.add_font("Sarabun", "B", str(FONT_BOLD))
        self.set_text_shaping(True)
        self.set_creator("KruPD")
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=20)

    def t(self, text) -> str:
        return to_thai_digits(str(text)) if self.thai_digits else str(text)

    def header(self) -> None:
        if self.page_no() == 1:
            self.set_font("Sarabun", "B", 16)
            self.cell(0, 8, self.office_name, align="C", new_x="LMARGIN", new_y="NEXT")
            self.set_font("Sarabun", "", 12)
            self.cell(0, 6, "กระทรวงศึกษาธิการ", align="C", new_x="LMARGIN", new_y="NEXT")
            self.set_draw_color(*NAVY)
            self.set_line_width(0.4)
            self.line(20, self.get_y() + 1.5, self.w - 20, self.get_y() + 1.5)
            self.ln(5)
        else:
            self.set_y(10)
            self.set_font("Sarabun", "", 12)
            self.cell(
                0, 6, self.t(f"- {self.page_no()} -"), align="C", new_x="LMARGIN", new_y="NEXT"
            )
            self.ln(4)

    def line_text(self, text: str, *, size: float = 13, bold: bool = False, h: float = 7) -> None:
        self.set_font("Sarabun", "B" if bold else "", size)
        write_wrapped(self, 0, h, self.t(text))

    def signer_block(self, *, name: str, title: str, date, heading: str) -> None:
        """Certified by (the office's signer from the training settings), right half."""
        if self.get_y() > self.h - 70:
            self.add_page()
        self.ln(8)
        x, w = self.w / 2 - 5, self.w / 2 - 15
        self.set_font("Sarabun", "", 13)
        for text in (
            heading,
            "",
            "(ลงชื่อ) ........................................................",
            f"({name})" if name else "(........................................................)",
            title,
            f"วันที่ {format_thai_date(date, style='long')}",
        ):
            self.set_x(x)
            write_wrapped(self, w, 7, self.t(text), align="C")


def transcript_pdf(t: Transcript, *, signer_name: str, signer_title: str, today,
                   thai_digits: bool = False) -> bytes:  # fmt: skip
    pdf = OfficePdf(office_name=t.person.office.name, thai_digits=thai_digits)
    pdf.add_page()
    pdf.set_font("Sarabun", "B", 15)
    pdf.cell(
        0, 8, pdf.t(f"บันทึกการพัฒนาตนเอง ปีงบประมาณ พ.ศ. {t.fiscal_year}"), align="C",
        new_x="LMARGIN", new_y="NEXT",
    )  # fmt: skip
    pdf.line_text(f"ชื่อ-สกุล {t.person.full_name}  ตำแหน่ง {t.person.position}")
    pdf.line_text(f"สังกัด {t.person.workplace_name}")
    pdf.ln(2)
    pdf.set_font("Sarabun", "B", 12)
    with pdf.table(
        col_widths=[10, 74, 26, 20, 40],
        text_align=("CENTER", "LEFT", "CENTER", "RIGHT", "LEFT"),
        line_height=6.5,
    ) as table:
        table.row(["ที่", "หลักสูตร", "วันที่", "ชั่วโมง", "ผลการพัฒนา"])
        pdf.set_font("Sarabun", "", 12)
        for i, e in enumerate(t.enrolments, start=1):
            table.row(
                [
                    pdf.t(i),
                    e.course.title,
                    pdf.t(format_thai_date(e.completed_on or e.session.start_date)),
                    pdf.t(format_hours(e.hours_credited)),
                    pdf.t(_result_label(e)),
                ]
            )
    pdf.ln(3)
    for kind, label in HourType.choices:
        pdf.line_text(f"{hours_heading(label)}: {format_hours(t.hours_by_type[kind])} ชั่วโมง")
    status = "ครบตามเป้าหมาย" if t.met_target else "ยังไม่ครบเป้าหมาย"
    pdf.line_text(
        f"รวม {format_hours(t.total_hours)} ชั่วโมง จากเป้าหมาย {format_hours(t.target)} ชั่วโมง "
        f"({status})",
        bold=True,
    )
    pdf.line_text(f"เกียรติบัตร {len(t.certificates)} ฉบับ")
    for c in t.certificates:
        pdf.line_text(f"   • {c.course_title} (เลขที่ {c.number} รหัสตรวจสอบ {c.code})", size=12)
    pdf.signer_block(
        name=signer_name, title=signer_title, date=today, heading="ขอรับรองว่าข้อมูลข้างต้นถูกต้อง"
    )
    return bytes(pdf.output())
