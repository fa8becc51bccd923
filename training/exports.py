"""Training documents: the SAR results table and a person's PD transcript (XLSX, PDF)."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from fpdf import FPDF

from krupd.lib.numerals import format_hours, rounded_float, to_thai_digits
from krupd.lib.thai_dates import format_thai_date
from krupd.lib.thai_docx import text_width
from krupd.lib.thai_wrap import cell_text, write_wrapped
from krupd.lib.xlsx_writer import HEADER_FILL, TITLE, Line, Printing, Sheet, Style, write_workbook

from .certificates import FONT_BOLD, FONT_REGULAR, NAVY, review_since
from .models import CertificateStanding, HourType
from .queries import ResultRow, Transcript, results_total

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def hours_heading(label: str) -> str:
    """ "ชั่วโมงอบรม/…" but "ชั่วโมง PLC": a space before a Latin word, none before Thai."""
    return f"ชั่วโมง {label}" if label[:1].isascii() else f"ชั่วโมง{label}"


def _result_label(e) -> str:
    return e.result_text if e.status == "enrolled" else e.get_status_display()


# A PLC meeting's line in a person's record (transcript page, XLSX, PDF).
PLC_MEETING_MODE = "ชุมชนการเรียนรู้ทางวิชาชีพ (PLC)"
PLC_MEETING_RESULT = "เข้าร่วม"


def _plc_line_title(meeting) -> str:
    return f"บันทึกกิจกรรม PLC: {meeting.group.name}"


# ------------------------------------------------------------------ office workbooks (XLSX)
# Written by krupd.lib.xlsx_writer: openpyxl took 3.6 s of CPU (9.3 s in Thai digits) for the
# 7,751 courses a 100,000-person office ran in a year.

# Sarabun, as the office's PDFs: the printed sheet reads as the office's other documents.
FONT = "Sarabun"
TABLE_HEAD = Style(bold=True, fill=HEADER_FILL, horizontal="center", vertical="center", wrap=True)
TABLE_BODY = Style(vertical="top", wrap=True)
# The running number ("ที่"/"ลำดับ") is centred, as on the office's tables.
NUMBER_COLUMN = Style(horizontal="center", vertical="top", wrap=True)
CENTRED = Style(horizontal="center")
LINE_HEIGHT = 16  # points a wrapped line of text takes in a row


def row_height(widths: Sequence[float]):
    """Spreadsheet programs do not grow a row for wrapped text they did not lay out
    themselves, so a row whose text wraps gets the height of its longest cell (None: one
    line)."""
    room = [max(w - 2, 1) for w in widths]

    def height(values: Sequence[Any]) -> float | None:
        lines = 1
        for value, width in zip(values, room, strict=False):
            if value is None or value == "":
                continue
            text = str(value)
            # A text no longer than the column is one line, marks or not: most cells.
            if len(text) > width:
                lines = max(lines, math.ceil(text_width(text) / width))
        return LINE_HEIGHT * lines if lines > 1 else None

    return height


def signer_lines(*, name: str, title: str, date, heading: str, column: int = 1) -> list[Line]:
    """The signature block (the office's signer from the training settings), centred in
    the `column` (0-based)."""
    lead = [None] * column
    texts = [heading, "", "ลงชื่อ ......................................................",
             f"({name})" if name else "(......................................................)",
             title, f"วันที่ {format_thai_date(date, style='long')}"]  # fmt: skip
    return [Line([*lead, text], CENTRED) for text in texts]


def office_table_xlsx(
    *, title: str, above: Sequence[Line], headers: Sequence[str], rows: Iterable[Sequence],
    widths: Sequence[float], below: Sequence[Line] = (), landscape: bool,
    number_formats: dict[int, str] | None = None, freeze: str | None = None,
    thai_digits: bool = False,
) -> bytes:  # fmt: skip
    """A sheet the office prints as its document: title lines, a table with a filled,
    centred header, wrapped rows as tall as their text, lines below it; A4 fitted to the page
    width, the header repeated on every page and "- n -" on every page after the first.
    `number_formats` by 0-based column."""
    out = io.BytesIO()
    sheet = Sheet(
        title=title, above=above, headers=headers, rows=rows, widths=widths, below=below,
        header_style=TABLE_HEAD, body_style=TABLE_BODY, column_styles={0: NUMBER_COLUMN},
        number_formats=number_formats or {}, freeze=freeze, row_height=row_height(widths),
        printing=Printing(landscape=landscape), thai_digits=thai_digits,
    )  # fmt: skip
    write_workbook(out, [sheet], font=FONT)
    return out.getvalue()


def _letterhead(title: str, office, line: str) -> list[Line]:
    """The office's name and the title (bold, large), a line about the table, a blank row."""
    return [Line([getattr(office, "name", "")], TITLE), Line([title], TITLE), Line([line]), Line()]


RESULTS_HEADER = [
    "ที่", "ชื่อหลักสูตร", "รูปแบบ", "จำนวนผู้เข้าอบรม/พัฒนา", "จำนวนผู้ผ่านการอบรม/พัฒนา",
    "คิดเป็นร้อยละ", "รอผล (คน)", "จำนวนชั่วโมง", "ความพึงพอใจ (เฉลี่ย)", "ระดับความพึงพอใจ",
    "รุ่นที่ยังไม่จบ (รุ่น)", "ผู้เข้าร่วมรุ่นที่ยังไม่จบ (คน)",
]  # fmt: skip
RESULTS_WIDTHS = [6, 60, 30, 16, 16, 12, 10, 12, 14, 16, 14, 16]


DASH = "—"
NO_COURSES = "ยังไม่มีหลักสูตรในปีงบประมาณนี้"
NO_DEVELOPMENT = "ยังไม่มีการพัฒนาในปีงบประมาณนี้"


def _or_dash(value):
    """A figure with nothing to show is "—", as the results page and the DOCX write it (an
    empty cell reads as a figure somebody forgot to type)."""
    return DASH if value is None else value


def results_xlsx(
    rows: list[ResultRow], *, fiscal_year: int, office, signer_name: str = "",
    signer_title: str = "", today=None, thai_digits: bool = False,
) -> bytes:  # fmt: skip
    """The SAR item 4: ที่ / ชื่อหลักสูตร / จำนวนผู้เข้าอบรม/พัฒนา / จำนวนผู้ผ่าน / ร้อยละ,
    finished sessions only; people still waiting for a result and open sessions apart."""
    total = results_total(rows)
    data = [
        [
            r.number,
            r.course.title,
            r.course.mode_label,
            r.participants,
            r.passed,
            _or_dash(rounded_float(r.pct)),
            r.pending,
            float(r.hours),
            _or_dash(rounded_float(r.satisfaction)),
            r.satisfaction_band if r.satisfaction is not None else DASH,
            r.open_sessions,
            r.open_participants,
        ]
        for r in rows
    ]
    if not data:
        # A year with no course says so, as the results page does, above its zero totals.
        data.append([None, NO_COURSES, *[None] * (len(RESULTS_HEADER) - 2)])
    data.append(
        ["", "รวม", "", total.participants, total.passed,
         _or_dash(rounded_float(total.pct)), total.pending, None, None, "",
         total.open_sessions, total.open_participants]
    )  # fmt: skip
    below = []
    if today is not None:
        below = [Line(), Line(), *signer_lines(name=signer_name, title=signer_title, date=today,
                                                heading="ขอรับรองว่าข้อมูลข้างต้นถูกต้อง")]  # fmt: skip
    return office_table_xlsx(
        title=f"ผลการพัฒนา {fiscal_year}",
        above=_letterhead(
            f"ผลการพัฒนาครูและบุคลากรทางการศึกษา ปีงบประมาณ {fiscal_year}", office,
            "นับเฉพาะรุ่นที่จบแล้ว ร้อยละคิดจากผู้ที่ประเมินผลแล้ว (ผ่านหรือไม่ผ่าน)",
        ),  # fmt: skip
        headers=RESULTS_HEADER, rows=data, widths=RESULTS_WIDTHS, below=below, landscape=True,
        number_formats={5: "0.00", 8: "0.00"}, thai_digits=thai_digits,
    )  # fmt: skip


def transcript_xlsx(t: Transcript, *, signer_name: str = "", signer_title: str = "",
                    today=None, thai_digits: bool = False) -> bytes:  # fmt: skip
    """A person's courses of a fiscal year, the hours of each kind against the office's
    target, and the certificates, certified by the office's signer."""
    rows = [
        [
            i,
            e.course.title,
            e.course.get_mode_display(),
            format_thai_date(e.completed_on or e.session.start_date),
            # A self-paced course has no attendance: its cell is left empty, not "0" beside
            # the hours it credits.
            None if e.course.is_online else float(e.hours_attended),
            _result_label(e),
            float(e.hours_in_year),
        ]
        for i, e in enumerate(t.enrolments, start=1)
    ]
    # The PLC meetings counted in the PLC hours, one line each, so the column adds up to the
    # total below it.
    rows += [
        [len(rows) + i, _plc_line_title(m), PLC_MEETING_MODE, format_thai_date(m.date),
         float(m.hours), PLC_MEETING_RESULT, float(m.hours)]
        for i, m in enumerate(t.plc_meetings, start=1)
    ]  # fmt: skip
    if not rows:
        # A year with no development says so, as the transcript page does: not a bare header.
        rows = [[None, NO_DEVELOPMENT, None, None, None, None, None]]
    gap = [None] * 4  # the label sits under หลักสูตร, the figure under ชั่วโมงที่นับ
    below = [
        Line(),
        *(Line([None, hours_heading(label), *gap, float(t.hours_by_type[kind])])
          for kind, label in HourType.choices),
        Line([None, "รวมชั่วโมงพัฒนา", *gap, float(t.total_hours)], Style(bold=True)),
        Line([None, "เป้าหมายของเขตพื้นที่", *gap, float(t.target)]),
        Line([None, "เกียรติบัตร", *gap, len(t.certificates)]),
    ]  # fmt: skip
    if today is not None:
        below += [Line(), *signer_lines(name=signer_name, title=signer_title, date=today,
                                        heading="ขอรับรองว่าข้อมูลข้างต้นถูกต้อง")]  # fmt: skip
    person = t.person
    return office_table_xlsx(
        title=f"ปีงบประมาณ {t.fiscal_year}",
        above=_letterhead(
            f"บันทึกการพัฒนาตนเอง ปีงบประมาณ {t.fiscal_year}", person.office,
            f"{person.full_name} · {person.position} · {person.workplace_label}",
        ),  # fmt: skip
        headers=["ที่", "หลักสูตร", "รูปแบบ", "วันที่", "ชั่วโมงที่เข้าร่วม", "ผลการพัฒนา", "ชั่วโมงที่นับ"],
        rows=rows, widths=[6, 55, 30, 14, 14, 30, 14], below=below, landscape=False,
        thai_digits=thai_digits,
    )  # fmt: skip


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
            # "เขต ๑" in a document in Thai digits, as the certificates write it
            self.cell(0, 8, self.t(self.office_name), align="C", new_x="LMARGIN", new_y="NEXT")
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

    def line_text(
        self, text: str, *, size: float = 13, bold: bool = False, h: float = 7, as_typed=False
    ) -> None:
        """A paragraph; as_typed: its digits as given (the caller turned what may be turned),
        for a line holding a code that is read back as typed."""
        self.set_font("Sarabun", "B" if bold else "", size)
        write_wrapped(self, 0, h, text if as_typed else self.t(text))

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
    pdf.line_text(f"สังกัด {t.person.workplace_label}")
    pdf.ln(2)
    pdf.set_font("Sarabun", "B", 12)
    widths = [10, 76, 30, 18, 36]  # "30 ธ.ค. ๒๕๖๙" on one line
    with pdf.table(
        col_widths=widths,
        text_align=("CENTER", "LEFT", "CENTER", "RIGHT", "LEFT"),
        line_height=6.5,
    ) as table:
        table.row(["ที่", "หลักสูตร", "วันที่", "ชั่วโมง", "ผลการพัฒนา"])
        pdf.set_font("Sarabun", "", 12)
        for i, e in enumerate(t.enrolments, start=1):
            # Cells break lines between Thai words ("ทางการ|ศึกษา", not "ทางการศึ|กษา"); the
            # date with its Thai month, as the office writes dates in its documents.
            table.row(
                [
                    pdf.t(i),
                    # A title's digits as the rest of the document ("ม.๑", "รุ่นที่ ๒").
                    cell_text(pdf, pdf.t(e.course.title), widths[1]),
                    pdf.t(format_thai_date(e.completed_on or e.session.start_date, style="medium")),
                    pdf.t(format_hours(e.hours_in_year)),
                    cell_text(pdf, pdf.t(_result_label(e)), widths[4]),
                ]
            )
        for i, m in enumerate(t.plc_meetings, start=len(t.enrolments) + 1):
            table.row(
                [
                    pdf.t(i),
                    cell_text(pdf, pdf.t(_plc_line_title(m)), widths[1]),
                    pdf.t(format_thai_date(m.date, style="medium")),
                    pdf.t(format_hours(m.hours)),
                    PLC_MEETING_RESULT,
                ]
            )
        if not t.enrolments and not t.plc_meetings:
            # Not a bare header: the year's empty table says so, as the transcript page does.
            table.row().cell(NO_DEVELOPMENT, colspan=len(widths), align="CENTER")
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
        # The verification code as the verify page reads it: "XEV5DJ8Q83" in Thai digits
        # ("XEV๕DJ๘Q๘๓") is a code no one can check.
        # One the holder's result no longer supports is said so: a certified record does
        # not vouch for it while the office reviews it.
        review = {
            CertificateStanding.UNDER_REVIEW: " รอเจ้าหน้าที่ตรวจสอบ",
            CertificateStanding.EXPIRED: " หมดอายุแล้ว",
        }.get(c.standing, "")
        if since := review_since(c, thai_digits=pdf.thai_digits):
            review += f" ตั้งแต่วันที่ {since}"
        pdf.line_text(
            f"   • {pdf.t(c.course_title)} (เลขที่ {pdf.t(c.number)} รหัสตรวจสอบ {c.code}){review}",
            size=12,
            as_typed=True,
        )
    pdf.signer_block(
        name=signer_name, title=signer_title, date=today, heading="ขอรับรองว่าข้อมูลข้างต้นถูกต้อง"
    )
    return bytes(pdf.output())
