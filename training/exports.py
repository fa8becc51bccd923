"""Training documents: the seed-003 results table and a person's PD transcript (XLSX, PDF)."""

from __future__ import annotations

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from krupd.lib.spreadsheets import workbook_bytes
from krupd.lib.thai_dates import format_thai_date

from .certificates import new_pdf
from .models import HourType
from .queries import ResultRow, Transcript

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _table(ws, row: int, header: list[str], rows: list[list], widths: list[int]) -> int:
    for c, text in enumerate(header, start=1):
        cell = ws.cell(row, c, text)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, values in enumerate(rows, start=row + 1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    return row + len(rows) + 1


def _save(wb: Workbook) -> bytes:
    return workbook_bytes(wb)


def results_xlsx(rows: list[ResultRow], *, fiscal_year: int, office) -> bytes:
    """Seed 003 item 4: ที่ / ชื่อหลักสูตร / จำนวนผู้เข้าอบรม/พัฒนา / จำนวนผู้ผ่าน / ร้อยละ."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"ผลการพัฒนา {fiscal_year}"
    ws.cell(1, 1, f"ผลการพัฒนาครูและบุคลากรทางการศึกษา ปีงบประมาณ {fiscal_year}").font = Font(
        bold=True, size=14
    )
    ws.cell(2, 1, getattr(office, "name", ""))
    header = [
        "ที่", "ชื่อหลักสูตร", "รูปแบบ", "จำนวนผู้เข้าอบรม/พัฒนา", "จำนวนผู้ผ่านการอบรม/พัฒนา",
        "คิดเป็นร้อยละ", "จำนวนชั่วโมง", "ความพึงพอใจ (เฉลี่ย)", "ระดับความพึงพอใจ",
    ]  # fmt: skip
    data = [
        [
            r.number,
            r.course.title,
            r.course.get_mode_display(),
            r.participants,
            r.passed,
            round(r.pct, 2) if r.pct is not None else None,
            float(r.hours),
            round(r.satisfaction, 2) if r.satisfaction is not None else None,
            r.satisfaction_band if r.satisfaction is not None else "",
        ]
        for r in rows
    ]
    participants = sum(r.participants for r in rows)
    passed = sum(r.passed for r in rows)
    data.append(
        ["", "รวม", "", participants, passed,
         round(passed * 100 / participants, 2) if participants else None, None, None, ""]
    )  # fmt: skip
    end = _table(ws, 4, header, data, [6, 60, 22, 16, 16, 12, 12, 14, 16])
    for r in range(5, end):
        ws.cell(r, 6).number_format = "0.00"
        ws.cell(r, 8).number_format = "0.00"
    return _save(wb)


def transcript_xlsx(t: Transcript) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"ปีงบประมาณ {t.fiscal_year}"
    ws.cell(1, 1, f"บันทึกการพัฒนาตนเอง ปีงบประมาณ {t.fiscal_year}").font = Font(bold=True, size=14)
    ws.cell(2, 1, f"{t.person.full_name} · {t.person.position} · {t.person.workplace_name}")
    header = ["ที่", "หลักสูตร", "รูปแบบ", "วันที่", "ชั่วโมงที่เข้าร่วม", "ผลการพัฒนา", "ชั่วโมงที่นับ"]
    rows = [
        [
            i,
            e.course.title,
            e.course.get_mode_display(),
            format_thai_date(e.session.start_date),
            float(e.hours_attended),
            "ผ่าน" if e.passed else e.get_status_display(),
            float(e.hours_credited),
        ]
        for i, e in enumerate(t.enrolments, start=1)
    ]
    end = _table(ws, 4, header, rows, [6, 55, 22, 14, 14, 16, 14])
    row = end + 1
    for kind, label in HourType.choices:
        ws.cell(row, 2, f"ชั่วโมง{label}")
        ws.cell(row, 7, float(t.hours_by_type[kind]))
        row += 1
    ws.cell(row, 2, "รวมชั่วโมงพัฒนา").font = Font(bold=True)
    ws.cell(row, 7, float(t.total_hours)).font = Font(bold=True)
    ws.cell(row + 1, 2, "เป้าหมายของเขตพื้นที่")
    ws.cell(row + 1, 7, float(t.target))
    ws.cell(row + 2, 2, "เกียรติบัตร")
    ws.cell(row + 2, 7, len(t.certificates))
    return _save(wb)


def transcript_pdf(t: Transcript) -> bytes:
    pdf = new_pdf()
    pdf.set_margin(15)
    pdf.add_page(orientation="P")
    pdf.set_font("Sarabun", "B", 16)
    pdf.cell(0, 9, f"บันทึกการพัฒนาตนเอง ปีงบประมาณ {t.fiscal_year}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sarabun", "", 12)
    pdf.cell(
        0, 7, f"{t.person.full_name}  ตำแหน่ง {t.person.position}", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.cell(0, 7, t.person.workplace_name, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    widths = [10, 88, 24, 20, 28]
    pdf.set_font("Sarabun", "B", 11)
    with pdf.table(
        col_widths=widths, text_align=("CENTER", "LEFT", "CENTER", "RIGHT", "CENTER")
    ) as table:
        table.row(["ที่", "หลักสูตร", "วันที่", "ชั่วโมง", "ผล"])
        pdf.set_font("Sarabun", "", 11)
        for i, e in enumerate(t.enrolments, start=1):
            table.row(
                [
                    str(i),
                    e.course.title,
                    format_thai_date(e.session.start_date),
                    f"{e.hours_credited:.1f}",
                    "ผ่าน" if e.passed else e.get_status_display(),
                ]
            )
    pdf.ln(3)
    for kind, label in HourType.choices:
        pdf.cell(0, 7, f"ชั่วโมง{label}: {t.hours_by_type[kind]:.1f}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sarabun", "B", 12)
    status = "ครบตามเป้าหมาย" if t.met_target else "ยังไม่ครบเป้าหมาย"
    pdf.cell(
        0, 8, f"รวม {t.total_hours:.1f} ชั่วโมง จากเป้าหมาย {t.target:.1f} ชั่วโมง ({status})",
        new_x="LMARGIN", new_y="NEXT",
    )  # fmt: skip
    pdf.set_font("Sarabun", "", 12)
    pdf.cell(0, 7, f"เกียรติบัตร {len(t.certificates)} ฉบับ", new_x="LMARGIN", new_y="NEXT")
    for c in t.certificates:
        pdf.cell(
            0, 6, f"   • {c.course_title} (รหัสตรวจสอบ {c.code})", new_x="LMARGIN", new_y="NEXT"
        )
    return bytes(pdf.output())
