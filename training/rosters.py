"""Session paperwork: the printed sign-in sheet (ใบลงชื่อ) per day and the roster workbook.

The sign-in sheet follows the layout offices already print: the office's name, the sheet's
title, course and session, the date written out in full with its weekday (BE), then a table
ลำดับ · ชื่อ-สกุล · ตำแหน่ง · โรงเรียน · ลายมือชื่อ with the header repeated on every page and
"หน้า x/y" counted per day, so a day's sheets can be filed on their own.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from krupd.lib.numerals import to_thai_digits
from krupd.lib.thai_dates import THAI_WEEKDAYS, be_year, format_thai_date
from krupd.lib.thai_wrap import wrapped_lines, write_wrapped
from krupd.lib.xlsx_writer import TITLE, Line
from registry.labels import workplace_labels

from .certificates import new_pdf
from .exports import office_table_xlsx
from .models import Enrolment, Session, SessionDay

# A4 portrait, millimetres. Rows are tall enough to sign in.
MARGIN = 15
ROW_H = 10
HEAD_H = 9
# Where each works: a school, or the office for its own staff (a supervisor's row read
# "สำนักงานเขตพื้นที่การศึกษา…" under "โรงเรียน").
COLUMNS = (("ลำดับ", 13, "C"), ("ชื่อ-สกุล", 52, "L"), ("ตำแหน่ง", 35, "L"),
           ("สถานศึกษา/หน่วยงาน", 45, "L"), ("ลายมือชื่อ", 35, "C"))  # fmt: skip
FIRST_PAGE_ROWS = 20  # below the title block
NEXT_PAGE_ROWS = 24


def official_date(date: dt.date) -> str:
    """'วันจันทร์ที่ 12 มกราคม พ.ศ. 2569', as dates are written on an office's papers."""
    day_month = format_thai_date(date, style="long").rsplit(" ", 1)[0]
    return f"วัน{THAI_WEEKDAYS[date.weekday()]}ที่ {day_month} พ.ศ. {be_year(date)}"


def sheet_order(enrolments) -> list[Enrolment]:
    """Participants as the sheet lists them: by school, then name (people of one school sign
    next to each other, as they arrive together; those of two schools of one name, one
    school after the other, by OBEC code)."""
    return sorted(
        enrolments,
        key=lambda e: (e.person.school.name if e.person.school_id else "",
                       e.person.school.obec_code if e.person.school_id else "",
                       e.person.first_name),
    )  # fmt: skip


def _pages(n: int, first: int = FIRST_PAGE_ROWS) -> int:
    if n <= first:
        return 1
    return 1 + math.ceil((n - first) / NEXT_PAGE_ROWS)


def _first_page_rows(pdf) -> int:
    """The rows that fit between the header row just drawn and the page's foot: 20 under
    the usual title block, fewer under a title of three lines and a venue of two (whose 20
    rows ran off the paper)."""
    room = int((297 - MARGIN - pdf.get_y()) // ROW_H)
    return max(1, min(FIRST_PAGE_ROWS, room))


def _cell(pdf, width: float, text: str, align: str, *, height: float = ROW_H) -> None:
    # Long names and schools shrink a point or two rather than run into the next column;
    # longer ones (an office's full name as a workplace) take two lines in the row.
    # The border drawn apart, so that the text is a plain cell: each day's sheet repeats the
    # rows, and CertificatePdf copies a plain cell it has drawn instead of shaping it again.
    x, y = pdf.get_x(), pdf.get_y()
    pdf.rect(x, y, width, height)
    if not text:
        pdf.set_xy(x + width, y)
        return
    size = 12
    pdf.set_font_size(size)
    while size > 10 and pdf.get_string_width(text) > width - 2:
        size -= 1
        pdf.set_font_size(size)
    if pdf.get_string_width(text) <= width - 2:
        pdf.cell(width, height, text, align=align)
        return
    pdf.set_font_size(9)
    lines = wrapped_lines(pdf, text, width - 2)[:2]
    top = y + (height - 4.2 * len(lines)) / 2
    for i, line in enumerate(lines):
        pdf.set_xy(x, top + 4.2 * i)
        pdf.cell(width, 4.2, line, align=align)
    pdf.set_xy(x + width, y)


def _header_row(pdf) -> None:
    pdf.set_font("Sarabun", "B", 12)
    pdf.set_fill_color(230, 236, 243)
    for label, width, _ in COLUMNS:
        pdf.cell(width, HEAD_H, label, border=1, align="C", fill=True)
    pdf.ln(HEAD_H)
    pdf.set_font("Sarabun", "", 12)


def _footer(pdf, page: int, pages: int, day_text: str, digits) -> None:
    pdf.set_xy(MARGIN, 297 - MARGIN + 2)
    pdf.set_font("Sarabun", "", 10)
    pdf.cell(90, 5, digits(day_text), align="L")
    pdf.cell(180 - 90, 5, digits(f"หน้า {page}/{pages}"), align="R")


def _title_block(pdf, session: Session, day: SessionDay, n_days: int, day_no: int,
                 digits) -> None:  # fmt: skip
    course = session.course
    pdf.set_xy(MARGIN, MARGIN)
    pdf.set_font("Sarabun", "B", 16)
    pdf.cell(0, 8, "ใบลงชื่อผู้เข้ารับการพัฒนา", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sarabun", "B", 14)
    write_wrapped(pdf, 0, 7, digits(course.title), align="C")
    pdf.set_font("Sarabun", "", 13)
    line = f"{session.name}"
    if n_days > 1:
        line += f" · วันที่ {day_no} จาก {n_days} วัน"
    pdf.cell(0, 7, digits(line), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 7, digits(official_date(day.date)), align="C", new_x="LMARGIN", new_y="NEXT")
    if session.place:
        write_wrapped(pdf, 0, 7, digits(f"ณ {session.place}"), align="C")
    pdf.cell(0, 7, digits(f"จัดโดย {course.office.name}"), align="C", new_x="LMARGIN",
             new_y="NEXT")  # fmt: skip
    pdf.ln(2)


def sign_in_sheet_pdf(
    session: Session,
    days: Sequence[SessionDay],
    enrolments: Sequence[Enrolment],
    *,
    thai_digits: bool = False,
) -> bytes:
    """One sheet per day (a day starts on a new page), every participant a numbered row;
    with `thai_digits`, every number on it (dates, page numbers, row numbers) in Thai digits."""
    digits = to_thai_digits if thai_digits else str
    pdf = new_pdf()
    pdf.set_margin(MARGIN)
    pdf.keep_every_cell = len(days) > 1  # the second day's rows are the first's again
    people = sheet_order(enrolments)
    workplaces = workplace_labels(e.person for e in people)
    all_days = list(session.days.all()) if len(days) == 1 else list(days)
    for day in days:
        day_no = next((i for i, d in enumerate(all_days, start=1) if d.pk == day.pk), 1)
        day_text = f"ใบลงชื่อ {session.name} · {format_thai_date(day.date, style='medium')}"
        page = 1
        pdf.add_page(orientation="P")
        _title_block(pdf, session, day, len(all_days), day_no, digits)
        _header_row(pdf)
        room = _first_page_rows(pdf)  # every day's title block is as tall
        pages = _pages(len(people), room)
        for number, enrolment in enumerate(people, start=1):
            if room == 0:
                _footer(pdf, page, pages, day_text, digits)
                page += 1
                pdf.add_page(orientation="P")
                pdf.set_xy(MARGIN, MARGIN)
                pdf.set_font("Sarabun", "", 11)
                pdf.cell(0, 7, digits(f"ใบลงชื่อ (ต่อ) {session.name} · {official_date(day.date)}"),
                         align="C", new_x="LMARGIN", new_y="NEXT")  # fmt: skip
                _header_row(pdf)
                room = NEXT_PAGE_ROWS
            person = enrolment.person
            values = (str(number), person.full_name, person.position, workplaces[person.pk], "")
            pdf.set_x(MARGIN)
            for (_, width, align), text in zip(COLUMNS, values, strict=True):
                _cell(pdf, width, digits(text), align)
            pdf.ln(ROW_H)
            room -= 1
        if not people:
            pdf.set_x(MARGIN)
            pdf.cell(180, ROW_H, "ยังไม่มีผู้ลงทะเบียนในรุ่นนี้", border=1, align="C")
        _footer(pdf, page, pages, day_text, digits)
    return bytes(pdf.output())


def roster_xlsx(
    session: Session,
    days: Sequence[SessionDay],
    enrolments: Sequence[Enrolment],
    present: set,
    *,
    thai_digits: bool = False,
) -> bytes:
    """Everyone registered in a session with status, attendance per day and results."""
    course = session.course
    dates = format_thai_date(session.start_date, style="long")
    if session.end_date != session.start_date:
        dates += f" – {format_thai_date(session.end_date, style='long')}"
    header = ["ลำดับ", "ชื่อ-สกุล", "ตำแหน่ง", "วิทยฐานะ", "สถานศึกษา", "สถานะ", "ที่มา"]
    header += [f"มา {format_thai_date(d.date, style='medium')}" for d in days]
    header += ["เวลาเข้าร่วม (%)", "ก่อนเรียน (%)", "หลังเรียน (%)", "ผล"]
    rows = []
    ordered = sheet_order(enrolments)
    workplaces = workplace_labels(e.person for e in ordered)
    for number, e in enumerate(ordered, start=1):
        p = e.person
        rows.append(
            [number, p.full_name, p.position,
             p.academic_standing.name if p.academic_standing_id else "",
             workplaces[p.pk], e.get_status_display(), e.get_source_display()]
            + ["มา" if (d.pk, e.pk) in present else "" for d in days]
            + [float(e.attendance_pct),
               float(e.pre_score_pct) if e.pre_score_pct is not None else None,
               float(e.post_score_pct) if e.post_score_pct is not None else None,
               e.result_text if e.status == "enrolled" else ""]
        )  # fmt: skip
    return office_table_xlsx(
        title="รายชื่อผู้ลงทะเบียน",
        above=[
            Line([f"รายชื่อผู้ลงทะเบียน {course.title}"], TITLE),
            Line([f"{session.name} · {dates}{' · ' + session.place if session.place else ''}"]),
            Line([course.office.name]),
            Line(),
        ],
        headers=header,
        rows=rows,
        widths=[7, 30, 22, 18, 32, 16, 20] + [12] * len(days) + [14, 12, 12, 40],
        landscape=True,
        freeze="C6",  # the number and the name stay in view
        thai_digits=thai_digits,
    )
