"""PA documents: the agreement (แบบ PA 1/ส) as DOCX and the office summary as XLSX.

DOCX: Word shapes Thai as a complex script, so runs carry w:rFonts/@w:cs and w:szCs
("TH SarabunPSK", 16 pt) besides what python-docx sets.
"""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from krupd.lib.thai_dates import format_thai_date

from .models import PAArea

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT, SIZE = "TH SarabunPSK", 16


def _thai_run(run, *, bold=False):
    run.bold = bold
    run.font.name = FONT
    run.font.size = Pt(SIZE)
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), FONT)
    szcs = rpr.makeelement(qn("w:szCs"), {qn("w:val"): str(SIZE * 2)})
    rpr.append(szcs)


def _para(doc, text, *, bold=False, center=False):
    p = doc.add_paragraph()
    _thai_run(p.add_run(text), bold=bold)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def _cell(cell, text, *, bold=False):
    cell.text = ""
    _thai_run(cell.paragraphs[0].add_run(text), bold=bold)


def agreement_docx(a) -> bytes:
    doc = Document()
    _para(doc, "แบบข้อตกลงในการพัฒนางาน (PA 1/ส)", bold=True, center=True)
    _para(doc, f"ปีงบประมาณ พ.ศ. {a.fiscal_year}", center=True)
    _para(
        doc,
        f"ผู้จัดทำข้อตกลง {a.person.full_name} ตำแหน่ง {a.person.position} "
        f"วิทยฐานะ {a.standing or '-'} สถานศึกษา {a.school.name if a.school else '-'}",
    )
    _para(doc, "ส่วนที่ 1 ข้อตกลงในการพัฒนางานตามมาตรฐานตำแหน่ง", bold=True)
    _para(doc, "1. ภาระงาน")
    for label, value in (
        ("ชั่วโมงสอนตามตารางสอน", a.teaching_hours),
        ("งานส่งเสริมและสนับสนุนการจัดการเรียนรู้", a.support_hours),
        ("งานพัฒนาคุณภาพการจัดการศึกษาของสถานศึกษา", a.quality_hours),
        ("งานตอบสนองนโยบายและจุดเน้น", a.policy_hours),
    ):
        _para(doc, f"    {label} จำนวน {value:g} ชั่วโมง/สัปดาห์")
    _para(doc, "2. งานที่จะปฏิบัติตามมาตรฐานตำแหน่ง")
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, h in zip(
        table.rows[0].cells,
        ["ด้าน/ตัวชี้วัด", "งาน (Tasks)", "ผลลัพธ์ (Outcomes)", "ตัวชี้วัด (Indicators)"],
        strict=True,
    ):
        _cell(cell, h, bold=True)
    area = None
    for item in a.items.select_related("indicator"):
        if item.indicator.area != area:
            area = item.indicator.area
            row = table.add_row().cells
            _cell(row[0], PAArea(area).label, bold=True)
        row = table.add_row().cells
        _cell(row[0], str(item.indicator))
        _cell(row[1], item.tasks)
        _cell(row[2], item.outcomes)
        _cell(row[3], item.measures)
    _para(doc, "ส่วนที่ 2 ข้อตกลงในการพัฒนางานที่เป็นประเด็นท้าทาย", bold=True)
    for label, value in (
        ("ประเด็นท้าทาย", a.challenge_title),
        ("1. สภาพปัญหา", a.challenge_problem),
        ("2. วิธีการดำเนินการให้บรรลุผล", a.challenge_method),
        ("3. ผลลัพธ์ที่คาดหวัง เชิงปริมาณ", a.challenge_quant),
        ("    เชิงคุณภาพ", a.challenge_qual),
    ):
        _para(doc, f"{label}: {value}")
    approved = format_thai_date(a.approved_at.date(), style="long") if a.approved_at else "...."
    _para(doc, f"ความเห็นของผู้บริหารสถานศึกษา: {a.director_note or '-'} (อนุมัติ {approved})")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


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
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
