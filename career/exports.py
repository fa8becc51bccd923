"""PA documents: the agreement (แบบ PA 1/ส) as DOCX and the office summary as XLSX.

DOCX: built with krupd.lib.thai_docx (TH SarabunPSK 16 pt on the complex-script slots
Word uses for Thai, bold included).
"""

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from krupd.lib.spreadsheets import workbook_bytes
from krupd.lib.thai_dates import format_thai_date
from krupd.lib.thai_docx import DOCX_TYPE as DOCX_TYPE  # the views' content type
from krupd.lib.thai_docx import SIZE_PT, ThaiDoc

from .models import PAArea

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def agreement_docx(a) -> bytes:
    # The template's page size, margins and paragraph spacing, no page numbers: the PA form's
    # layout so far.
    d = ThaiDoc()
    d.para("แบบข้อตกลงในการพัฒนางาน (PA 1/ส)", bold=True, center=True)
    d.para(f"ปีงบประมาณ พ.ศ. {a.fiscal_year}", center=True)
    d.para(
        f"ผู้จัดทำข้อตกลง {a.person.full_name} ตำแหน่ง {a.person.position} "
        f"วิทยฐานะ {a.standing or '-'} สถานศึกษา {a.school.name if a.school else '-'}",
    )
    d.para("ส่วนที่ 1 ข้อตกลงในการพัฒนางานตามมาตรฐานตำแหน่ง", bold=True)
    d.para("1. ภาระงาน")
    for label, value in (
        ("ชั่วโมงสอนตามตารางสอน", a.teaching_hours),
        ("งานส่งเสริมและสนับสนุนการจัดการเรียนรู้", a.support_hours),
        ("งานพัฒนาคุณภาพการจัดการศึกษาของสถานศึกษา", a.quality_hours),
        ("งานตอบสนองนโยบายและจุดเน้น", a.policy_hours),
    ):
        d.para(f"    {label} จำนวน {value:g} ชั่วโมง/สัปดาห์")
    d.para("2. งานที่จะปฏิบัติตามมาตรฐานตำแหน่ง")
    table = d.doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, h in zip(
        table.rows[0].cells,
        ["ด้าน/ตัวชี้วัด", "งาน (Tasks)", "ผลลัพธ์ (Outcomes)", "ตัวชี้วัด (Indicators)"],
        strict=True,
    ):
        d.cell(cell, h, bold=True, size=SIZE_PT)
    area = None
    for item in a.items.select_related("indicator"):
        if item.indicator.area != area:
            area = item.indicator.area
            row = table.add_row().cells
            d.cell(row[0], PAArea(area).label, bold=True, size=SIZE_PT)
        row = table.add_row().cells
        for cell, text in zip(
            row, [str(item.indicator), item.tasks, item.outcomes, item.measures], strict=True
        ):
            d.cell(cell, text, size=SIZE_PT)
    d.para("ส่วนที่ 2 ข้อตกลงในการพัฒนางานที่เป็นประเด็นท้าทาย", bold=True)
    for label, value in (
        ("ประเด็นท้าทาย", a.challenge_title),
        ("1. สภาพปัญหา", a.challenge_problem),
        ("2. วิธีการดำเนินการให้บรรลุผล", a.challenge_method),
        ("3. ผลลัพธ์ที่คาดหวัง เชิงปริมาณ", a.challenge_quant),
        ("    เชิงคุณภาพ", a.challenge_qual),
    ):
        d.para(f"{label}: {value}")
    approved = format_thai_date(a.approved_at.date(), style="long") if a.approved_at else "...."
    d.para(f"ความเห็นของผู้บริหารสถานศึกษา: {a.director_note or '-'} (อนุมัติ {approved})")
    return d.bytes()


def pa_summary_xlsx(office, fiscal_year: int, agreements) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"PA {fiscal_year}"
    ws.append([f"สรุปผลการประเมิน PA ปีงบประมาณ {fiscal_year} — {office.name}"])
    ws["A1"].font = Font(bold=True, size=14)
    header = [
        "ที่",
        "ชื่อ-สกุล",
        "สถานศึกษา",
        "วิทยฐานะ",
        "สถานะ",
        "ผู้ประเมิน 1",
        "ผู้ประเมิน 2",
        "ผู้ประเมิน 3",
        "เฉลี่ย",
        "ผล",
    ]
    ws.append(header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F1")
    for i, (a, ov) in enumerate(agreements, 1):
        seats = {e.seat: e for e in a.evaluations.all()}
        marks = [
            float(seats[s].total) if s in seats and seats[s].total is not None else None
            for s in (1, 2, 3)
        ]
        result = {True: "ผ่าน", False: "ไม่ผ่าน", None: "ยังประเมินไม่ครบ"}[ov.passed_all]
        ws.append(
            [
                i,
                a.person.full_name,
                a.person.workplace_name,
                str(a.standing or ""),
                a.get_status_display(),
                *marks,
                float(ov.mean_pct) if ov.mean_pct is not None else None,
                result,
            ]
        )
    for col, width in zip("ABCDEFGHIJ", [5, 28, 30, 16, 18, 11, 11, 11, 9, 16], strict=True):
        ws.column_dimensions[col].width = width
    return workbook_bytes(wb)
