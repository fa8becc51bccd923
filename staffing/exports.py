"""Staffing documents in the SAR's layout: XLSX for working with, DOCX for the report.

DOCX: built with krupd.lib.thai_docx (TH SarabunPSK 16 pt on the complex-script slots
Word uses for Thai). Dates are Buddhist Era.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from krupd.lib import xlsx_writer
from krupd.lib.numerals import format_percent
from krupd.lib.spreadsheets import workbook_bytes
from krupd.lib.thai_docx import DOCX_TYPE as DOCX_TYPE  # the views' content type
from krupd.lib.thai_docx import SIZE_PT, ThaiDoc
from krupd.lib.xlsx_writer import BOLD, TITLE, Line, Sheet

from .queries import LEVEL_SHORT, Analysis
from .transfers import TransferPlan

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")


def fmt(n) -> str:
    return "—" if n is None else f"{n:,}"


def signed(n: int) -> str:
    """People moving in (+) or out (−) of the count; none is plain 0, never "−0"."""
    return f"+{n:,}" if n > 0 else f"−{-n:,}" if n < 0 else "0"


def summary_lines(a: Analysis) -> list[str]:
    """The SAR item 1, line by line."""
    s = a.summary
    by_level = " จำแนกเป็น" if s.schools_by_level else ""
    lines = [f"1. จำนวนโรงเรียน (ภาครัฐ) ทั้งหมด {fmt(s.schools_total)} โรงเรียน{by_level}"]
    for lv, n in s.schools_by_level.items():
        lines.append(f"    - โรงเรียน{LEVEL_SHORT.get(lv, lv)} {fmt(n)} โรงเรียน")
    lines += [
        f"2. จำนวนครูตาม จ.18 จำนวน {fmt(s.actual_total)} อัตรา แยกเป็น",
        f"    - ผู้บริหาร และรองฯ จำนวน {fmt(s.actual_admin)} อัตรา",
        f"    - ผู้สอน จำนวน {fmt(s.actual_teachers)} อัตรา",
        f"    (นับ ณ {a.census_be}: ครองตำแหน่งตาม จ.18 {fmt(s.register)} ไปช่วยราชการ "
        f"{signed(-s.seconded_out)} มาช่วยราชการ {signed(s.seconded_in)}; พนักงานราชการ/ครูอัตราจ้าง/"
        f"ลูกจ้าง {fmt(s.contract_staff)} คน {'นับรวม' if s.contract_counted else 'ไม่นับรวม'}; "
        f"อัตราว่างโดยประมาณ {fmt(s.vacant)})",
    ]
    word = "เกินเกณฑ์" if s.diff >= 0 else "ขาดเกณฑ์"
    pct = format_percent(None if s.pct is None else abs(s.pct))
    lines += [
        f"3. อัตรากำลังครู{word}ในภาพรวม {fmt(abs(s.diff))} อัตรา คิดเป็นร้อยละ {pct}"
        f" (ตามเกณฑ์ {fmt(s.required_total)} อัตรา)",
        f"    - โรงเรียนที่ขาดเกณฑ์ {fmt(s.short_schools)} โรงเรียน {fmt(s.short_positions)} อัตรา",
        f"    - โรงเรียนที่มีครูเกินเกณฑ์ {fmt(s.surplus_schools)} โรงเรียน "
        f"{fmt(s.surplus_positions)} อัตรา",
        f"    - โรงเรียนที่มีครูพอดีเกณฑ์ {fmt(s.balanced_schools)} โรงเรียน",
    ]
    if s.unknown_schools:
        lines.append(f"    - โรงเรียนที่คำนวณไม่ได้ (ข้อมูลไม่ครบ) {fmt(s.unknown_schools)} โรงเรียน")
    return lines


def _sheet_table(ws, start_row: int, header: list[str], rows: list[list]) -> int:
    for c, h in enumerate(header, start=1):
        cell = ws.cell(start_row, c, h)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for r, row in enumerate(rows, start=start_row + 1):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v)
    return start_row + len(rows) + 1


def _widths(ws, widths: list[int]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _area_rows(table) -> list[list]:
    rows = [[label, *per, total] for _code, label, per, total in table.rows]
    rows.append(["รวม", *table.totals, table.grand_total])
    return rows


def rule_citation(a: Analysis) -> str:
    return a.rule_set.citation if a.rule_set else "ไม่มีเกณฑ์อัตรากำลัง"


DEMAND_TITLE = "ความต้องการครู (เฉพาะโรงเรียนที่ขาดครูตามเกณฑ์ ก.ค.ศ.)"
DEMAND_NOTE = (
    "หมายเหตุ: ความต้องการรายกลุ่มสาระคิดจากข้อมูลของเขตเอง คือ ผู้บริหารที่ยังขาดตามเกณฑ์ "
    "แล้วจึงกลุ่มสาระที่โรงเรียนใช้ครูสอนไม่ตรงวิชาเอกอยู่ ส่วนที่เหลือแสดงเป็น “ไม่ระบุกลุ่มสาระ”"
)


SCHOOL_HEADER = ["รหัส", "โรงเรียน", "ระดับ", "นักเรียน", "ห้องเรียน", "ช่วงเกณฑ์",
                 "ผู้บริหารตามเกณฑ์", "ครูตามเกณฑ์", "รวมตามเกณฑ์", "ผู้บริหารมีจริง",
                 "ครูมีจริง", "รวมมีจริง", "ขาด(−)/เกิน(+)", "ร้อยละ", "สถานะ", "เกณฑ์",
                 "ครองตำแหน่ง จ.18", "ไปช่วยราชการ", "มาช่วยราชการ",
                 "พนักงานราชการ/ครูอัตราจ้าง/ลูกจ้าง", "อัตราว่าง (ประมาณ)"]  # fmt: skip
# Bold, on the exports' light blue, centred and wrapped (the long Thai headers take 2 lines).
HEAD = xlsx_writer.Style(bold=True, fill=xlsx_writer.HEADER_FILL, horizontal="center", wrap=True)


def analysis_xlsx(a: Analysis) -> bytes:
    """The staffing workbook: summary, per school, by learning area, demand, data problems.
    Written by xlsx_writer (a 1,000-school office's workbook took 1.2 s of CPU in openpyxl)."""
    out = io.BytesIO()
    xlsx_writer.write_workbook(out, _analysis_sheets(a))
    return out.getvalue()


def _analysis_sheets(a: Analysis) -> Iterator[Sheet]:
    office = a.office.name if a.office else ""
    yield Sheet(
        title="สรุป",
        above=[
            Line(["ข้อมูลอัตรากำลังของสถานศึกษาเป็นรายโรงและในภาพรวม"], TITLE),
            Line([f"{office} ปีการศึกษา {a.academic_year} (ข้อมูล {a.census_be})"]),
            Line([f"เกณฑ์ที่ใช้: {rule_citation(a)}"]),
            Line(),
            *(Line([line]) for line in summary_lines(a)),
        ],
        widths=[90],
    )
    citation = rule_citation(a)
    s = a.summary
    yield Sheet(
        title="รายโรงเรียน",
        headers=SCHOOL_HEADER,
        rows=(
            [
                r.obec_code,
                r.name,
                r.level_label,
                r.students,
                r.classrooms,
                r.band_label,
                r.required_admin,
                r.required_teachers,
                r.required,
                r.actual_admin,
                r.actual_teachers,
                r.actual,
                r.diff,
                r.pct,
                r.status_label,
                citation,
                r.register,
                r.seconded_out,
                r.seconded_in,
                r.contract_staff,
                r.vacant,
            ]
            for r in a.schools
        ),  # fmt: skip
        below=[
            Line(),
            Line(
                [
                    None,
                    "รวม",
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    s.required_total,
                    None,
                    None,
                    s.actual_total,
                    s.diff,
                    s.pct,
                    None,
                    None,
                    s.register,
                    s.seconded_out,
                    s.seconded_in,
                    s.contract_staff,
                    s.vacant,
                ],
                BOLD,
            ),
        ],  # fmt: skip
        header_style=HEAD,
        widths=[13, 34, 12, 9, 9, 16, 9, 9, 9, 9, 9, 9, 10, 8, 10, 14],
        freeze="C2",
    )
    for title, table, note in (
        ("ครูตาม จ.18 ตามกลุ่มสาระ", a.by_area, ""),
        ("ความต้องการครู (ร.ร.ขาด)", a.demand_by_area, DEMAND_NOTE),
    ):
        yield Sheet(
            title=title,
            above=[Line([title], BOLD), Line()],
            headers=["วิชา", *table.level_labels, "รวม"],
            rows=_area_rows(table),
            below=[Line(), Line([note])] if note else [],
            header_style=HEAD,
            widths=[26] + [14] * (len(table.levels) + 1),
        )
    yield Sheet(
        title="ปัญหาข้อมูล",
        headers=["ประเภท", "สถานศึกษา", "รายละเอียด"],
        rows=([p.kind_label, p.school, p.message] for p in a.problems),
        header_style=HEAD,
        widths=[12, 40, 90],
    )


def transfers_xlsx(plan: TransferPlan) -> bytes:
    a = plan.analysis
    wb = Workbook()
    ws = wb.active
    ws.title = "ข้อเสนอการย้าย"
    ws["A1"] = "ข้อเสนอการปรับย้ายครูจากโรงเรียนที่เกินเกณฑ์ไปโรงเรียนที่ขาดเกณฑ์ (เพื่อพิจารณา)"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        f"{a.office.name if a.office else ''} ปีการศึกษา {a.academic_year} · เกณฑ์: {a.rule_label}"
    )
    ws["A3"] = (
        f"ขาดครูก่อนปรับ {plan.shortage_before} อัตรา · ย้าย {len(plan.moves)} คน · "
        f"ขาดหลังปรับ {plan.shortage_after} อัตรา · ระยะทางรวม {plan.distance_km:,.1f} กม."
    )
    header = ["ลำดับ", "ชื่อ-สกุล", "กลุ่มสาระ (วิชาเอก)", "จากโรงเรียน", "ไปโรงเรียน",
              "ระยะทาง (กม.)", "เหตุผล", "มติคณะกรรมการ"]  # fmt: skip
    rows = [
        [i, m.person_name, m.area_label, m.from_school.name, m.to_school.name, m.distance_km,
         m.why, ""]
        for i, m in enumerate(plan.moves, start=1)
    ]  # fmt: skip
    _sheet_table(ws, 5, header, rows)
    _widths(ws, [7, 28, 18, 30, 30, 11, 90, 18])
    ws = wb.create_sheet("ยังขาดหลังปรับ")
    _sheet_table(ws, 1, ["กลุ่มสาระ", "อัตราที่ยังขาด"], [list(r) for r in plan.remaining_by_area])
    _widths(ws, [30, 16])
    return _save(wb)


def _save(wb) -> bytes:
    return workbook_bytes(wb)


# ---------------------------------------------------------------------------------------------
# DOCX


def _table(d: ThaiDoc, header: list[str], rows: list[list]) -> None:
    """Bold totals row, counts centred; the subject column carries the long Thai names. Only
    the cells' widths are set, as this report always had (Word reads them, LibreOffice not)."""
    d.table(header, rows, widths=[6] + [3] * (len(header) - 1), fixed=False, size=SIZE_PT,
            align=[None] + ["center"] * (len(header) - 1), numbers_right=False, bold_last=True,
            repeat_header_row=False, centered=False)  # fmt: skip


def analysis_docx(a: Analysis) -> bytes:
    # The template's page size and margins, no page numbers: this report's layout so far.
    d = ThaiDoc()
    d.para("ข้อมูลอัตรากำลังของสถานศึกษาเป็นรายโรงและในภาพรวม", bold=True, center=True)
    d.para(f"{a.office.name if a.office else ''} ปีการศึกษา {a.academic_year}", center=True)
    d.para(f"ข้อมูลอัตรากำลังของสถานศึกษาเป็นรายโรงและในภาพรวม สรุปผลได้ดังนี้ (ข้อมูล {a.census_be})")
    for line in summary_lines(a):
        d.para(line)
    d.para(f"เกณฑ์ที่ใช้คำนวณ: {rule_citation(a)}")
    d.para()
    d.para("จำนวนครูตาม จ.18 แยกตามกลุ่มสาระ", bold=True, center=True)
    _table(d, ["วิชา", *a.by_area.level_labels, "รวม"], _area_rows(a.by_area))
    d.para()
    d.para(DEMAND_TITLE, bold=True, center=True)
    _table(d, ["วิชา", *a.demand_by_area.level_labels, "รวม"], _area_rows(a.demand_by_area))
    d.para(DEMAND_NOTE, size=14)
    if a.problems:
        d.para()
        d.para(f"หมายเหตุ: พบปัญหาข้อมูล {len(a.problems)} รายการ (ดูในระบบ)")
    return d.bytes()
