"""Needs analysis to XLSX and a DOCX summary; plans to DOCX in the official layout.

DOCX: built with krupd.lib.thai_docx (TH SarabunPSK 16 pt on the complex-script slots
Word uses for Thai, DOMAIN.md). Dates are Buddhist Era; Thai digits on request.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from krupd.lib.clipping import clip
from krupd.lib.numerals import clean_text, format_percent, rounded, rounded_float
from krupd.lib.spreadsheets import print_as_document, workbook_bytes
from krupd.lib.thai_dates import format_thai_date, period_label, year_label
from krupd.lib.thai_docx import DOCX_TYPE as DOCX_TYPE  # the views' content type
from krupd.lib.thai_docx import ThaiDoc
from krupd.lib.thai_wrap import cell_text, write_wrapped

from .models import IdPlanStatus, Plan, PlanKind
from .queries import Alignment as PlanAlignment
from .queries import ItemStat, NeedsAnalysis, figure, likert

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")


def _r(value, places: int = 2):
    return rounded_float(value, places)


def _item_row(s: ItemStat, fw=None) -> list:
    return [s.rank or "—", s.code, s.name, s.group, s.n, _r(s.mean_d), _r(s.sd_d), _r(s.mean_i),
            _r(s.sd_i), _r(s.pni, 4) if s.pni is not None else s.pni_label, likert(s.mean_i, fw),
            s.note]  # fmt: skip


ITEM_HEADER = ["อันดับ", "รหัส", "รายการ", "ด้าน", "n", "D เฉลี่ย", "SD(D)", "I เฉลี่ย", "SD(I)",
               "PNI", "ระดับความคาดหวัง", "หมายเหตุ"]  # fmt: skip


def _sheet(ws, start: int, header: list[str], rows: list[list]) -> int:
    for c, h in enumerate(header, start=1):
        cell = ws.cell(start, c, h)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for r, row in enumerate(rows, start=start + 1):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v)
    return start + len(rows) + 1


def needs_xlsx(a: NeedsAnalysis) -> bytes:
    fw = a.round.framework
    wb = Workbook()
    ws = wb.active
    ws.title = "สมรรถนะ (PNI)"
    ws["A1"] = f"ผลการประเมินความต้องการจำเป็น: {a.round.name}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        f"{a.scope_label} · กรอบ {fw} · ส่งแล้ว {a.submitted_targets} จาก {a.targets} คน · "
        f"PNI modified = (I − D) / D"
    )
    for i, w in enumerate(a.warnings, start=3):
        ws.cell(i, 1, f"หมายเหตุ: {w}")
    start = 4 + len(a.warnings)
    _sheet(ws, start, ITEM_HEADER, [_item_row(s, fw) for s in a.competencies])
    for i, width in enumerate([7, 8, 50, 28, 6, 8, 8, 8, 8, 9, 14, 50], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    ws = wb.create_sheet("หัวข้อการพัฒนา")
    _sheet(ws, 1, ["อันดับ", "หัวข้อ", "เลือก (คน)", "n ให้คะแนน", "D เฉลี่ย", "SD(D)",
                   "I เฉลี่ย", "SD(I)", "PNI", "หมายเหตุ"],
           [[s.rank or "—", s.name, s.chosen, s.n, _r(s.mean_d), _r(s.sd_d), _r(s.mean_i),
             _r(s.sd_i), _r(s.pni, 4) if s.pni is not None else s.pni_label, s.note]
            for s in a.topics])  # fmt: skip
    ws.column_dimensions["B"].width = 50

    ws = wb.create_sheet("รูปแบบและข้อเสนอ")
    end = _sheet(ws, 1, ["รูปแบบการพัฒนาที่ต้องการ", "จำนวน (คน)"], [list(m) for m in a.modes])
    end = _sheet(ws, end + 2, ["หัวข้อที่เขียนเพิ่ม", "จำนวน"], [list(t) for t in a.free_texts])
    if a.other_modes:  # after the tables the sheet always had, which stay where they were
        header = ["รูปแบบการพัฒนาอื่นที่ระบุเอง (อื่นๆ)", "จำนวน (คน)"]
        _sheet(ws, end + 2, header, [list(m) for m in a.other_modes])
    ws.column_dimensions["A"].width = 60

    if a.heatmap:
        h = a.heatmap
        ws = wb.create_sheet(clip(f"PNI ราย{h.label}", 31))
        header = ["รหัส", "สมรรถนะ"] + [f"{g[1]} (n={g[2]})" for g in h.groups]
        rows = []
        for s in sorted(a.competencies, key=lambda s: s.code):
            rows.append(
                [s.code, s.name]
                + [(_r(c.pni, 4) if c and c.pni is not None else (c.pni_label if c else None))
                   for c in h.row(s.key)]
            )  # fmt: skip
        _sheet(ws, 1, header, rows)
        ws.column_dimensions["B"].width = 40
    # Printed and signed with the plan: every sheet numbered, its header on every page.
    for sheet in wb.worksheets:
        print_as_document(sheet, header_row=start if sheet is wb.worksheets[0] else 1,
                          landscape=True)  # fmt: skip
    return workbook_bytes(wb)


# ---------------------------------------------------------------------------------------------
# DOCX helpers


def _doc(*, thai_digits: bool) -> ThaiDoc:
    """The official layout (ThaiDoc's defaults)."""
    return ThaiDoc(thai_digits=thai_digits)


def _table(d: ThaiDoc, header: list[str], rows: list[list], *, widths: list[float]):
    """Flush left, numbers left: the plans' table look. The header row repeats on every page
    a table runs onto (a plan's projects, a report's courses ran on under no header)."""
    return d.table(header, rows, widths=widths, centered=False, numbers_right=False)


def _table_or_note(d: ThaiDoc, header: list[str], rows: list[list], *, widths, empty: str):
    """A plan's table, or a line saying what is not there yet: a header row with nothing
    under it reads as a table left unfinished."""
    if rows:
        _table(d, header, rows, widths=widths)
    else:
        d.para(empty, indent=1)


def _activity_period(activity) -> str:
    """The activity's days: "1 ธ.ค. 2569 – 3 ธ.ค. 2569", a one-day activity's day once (not
    "1 ธ.ค. 2569 – " when no end was typed), "-" when no date was planned."""
    starts, ends = activity.starts, activity.ends
    if not starts:
        return "-"
    if not ends or ends == starts:
        return format_thai_date(starts, style="medium")
    return f"{format_thai_date(starts, style='medium')} – {format_thai_date(ends, style='medium')}"


def _fmt(value, places: int = 2) -> str:
    """A mean or SD as the page and the spreadsheet give it (half up: 33/8 is 4.13, where
    Python's float format wrote 4.12)."""
    return "—" if value is None else f"{rounded(value, places)}"


def needs_docx(a: NeedsAnalysis, *, thai_digits: bool = False, top: int = 10) -> bytes:
    d = _doc(thai_digits=thai_digits)
    fw = a.round.framework
    d.para("รายงานผลการประเมินความต้องการจำเป็นในการพัฒนา", bold=True, center=True, size=18)
    d.para(f"ครูและบุคลากรทางการศึกษา {a.round.name}", bold=True, center=True)
    d.para(f"{a.round.office.name} · {a.scope_label}", center=True)
    d.para()
    d.para("1. ข้อมูลทั่วไป", bold=True)
    rate = f" คิดเป็นร้อยละ {format_percent(a.response_rate)}" if a.response_rate is not None else ""
    d.para(
        f"กลุ่มเป้าหมาย {a.targets:,} คน ส่งแบบประเมินแล้ว {a.submitted_targets:,} คน{rate} "
        f"ช่วงเวลา {format_thai_date(a.round.opens, style='long')} ถึง "
        f"{format_thai_date(a.round.closes, style='long')}",
        indent=1,
    )
    d.para(f"เครื่องมือ: {fw.name} ฉบับ {fw.version} มาตรวัด {fw.scale_min}–{fw.scale_max}", indent=1)
    d.para(
        "วิเคราะห์ด้วยดัชนีจัดลำดับความสำคัญของความต้องการจำเป็นแบบปรับปรุง "
        "PNI modified = (I − D) / D เมื่อ I คือสภาพที่คาดหวัง และ D คือสภาพปัจจุบัน",
        indent=1,
    )
    for w in a.warnings:
        d.para(f"หมายเหตุ: {w}", indent=1)
    d.para()
    d.para("2. ความต้องการจำเป็นด้านสมรรถนะ (เรียงตาม PNI)", bold=True)
    ranked = [s for s in a.competencies if s.rank is not None][:top]
    if ranked:
        _table(
            d,
            ["อันดับ", "สมรรถนะ/ตัวชี้วัด", "D", "SD", "I", "SD", "PNI"],
            [[s.rank, f"{s.code} {s.name}", _fmt(s.mean_d), _fmt(s.sd_d), _fmt(s.mean_i),
              _fmt(s.sd_i), s.pni_label] for s in ranked],
            widths=[1.6, 5.8, 1.6, 1.6, 1.6, 1.6, 2.2],
        )  # fmt: skip
    else:
        d.para("ยังไม่มีข้อมูลที่คำนวณได้", indent=1)
    d.para()
    d.para("3. หัวข้อการพัฒนาที่ต้องการ", bold=True)
    topics = [s for s in a.topics if s.rank is not None or s.chosen][:top]
    if topics:
        _table(
            d,
            ["อันดับ", "หัวข้อ", "เลือก (คน)", "PNI"],
            [[s.rank or "—", s.name, s.chosen, s.pni_label] for s in topics],
            widths=[1.6, 9.8, 2.4, 2.2],
        )
    else:
        d.para("ยังไม่มีข้อมูล", indent=1)
    d.para()
    d.para("4. รูปแบบการพัฒนาที่ต้องการ", bold=True)
    for label, n in sorted(a.modes, key=lambda m: -m[1]):
        d.para(f"- {label} {n:,} คน", indent=1)
    for text, n in a.other_modes:
        d.para(f"- อื่นๆ: {text} {n:,} คน", indent=1)
    d.para()
    d.para(f"จัดทำเมื่อ {format_thai_date(timezone.localdate(), style='long')}", size=14)
    return d.bytes()


# ---------------------------------------------------------------------------------------------
# Plans


NEED_KINDS = {"competency": "สมรรถนะ", "topic": "หัวข้อ"}


def _frame_section(d: ThaiDoc, plan: Plan, part: int) -> bool:
    """Part `part`, the plan's direction, when the plan has a frame; True if written."""
    frame = plan.frame
    if frame is None:
        return False
    d.para(f"ส่วนที่ {part} ทิศทางการพัฒนา", bold=True)
    if frame.vision:
        d.para("วิสัยทัศน์", bold=True, indent=0.5)
        d.para(frame.vision, indent=1)
    for heading, rows in frame.sections():
        d.para(heading, bold=True, indent=0.5)
        for i in rows:
            d.para(f"{i.number}. {i.text}", indent=1)
            for line in i.detail_lines:
                d.para(f"- {line}", indent=1.5)
    kpis = list(frame.kpis.all())
    if kpis:
        d.para("ตัวชี้วัดความสำเร็จ", bold=True, indent=0.5)
        _table(
            d,
            ["ที่", "ตัวชี้วัด", "ค่าฐาน", "ค่าเป้าหมาย", "หน่วย", "ปี"],
            [
                [k.number, k.text, figure(k.baseline), figure(k.target), k.unit, year_label(k.year)]
                for k in kpis
            ],
            widths=[1, 6.2, 1.8, 2, 3, 2],
        )
    d.para()
    return True


def plan_docx(
    plan: Plan, *, alignment: PlanAlignment | None = None, thai_digits: bool = False
) -> bytes:
    d = _doc(thai_digits=thai_digits)
    if plan.kind == PlanKind.ANNUAL:
        heading = f"แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {plan.fiscal_year}"
    else:
        heading = f"แผนพัฒนาทรัพยากรบุคคล ปีงบประมาณ พ.ศ. {plan.fiscal_year}–{plan.end_year}"
    d.para(heading, bold=True, center=True, size=20)
    if plan.title != heading:
        d.para(plan.title, bold=True, center=True)
    d.para("กลุ่มพัฒนาครูและบุคลากรทางการศึกษา", center=True)
    d.para(plan.office.name, center=True)
    d.para()
    if plan.introduction:
        d.para("หลักการและเหตุผล", bold=True)
        d.para(plan.introduction, indent=1)
        d.para()
    # Parts are numbered as written: a plan without a frame or needs starts at ส่วนที่ 1.
    part = 1 + _frame_section(d, plan, 1)
    if alignment and alignment.coverage:
        d.para(f"ส่วนที่ {part} ความต้องการจำเป็นที่แผนนี้ตอบสนอง", bold=True)
        part += 1
        # Competencies and topics are ranked apart (each from 1): the first column says
        # which list a rank belongs to, as the alignment page does.
        _table(
            d,
            ["ประเภท", "อันดับ", "ความต้องการจำเป็น", "PNI", "โครงการที่ตอบสนอง"],
            [[NEED_KINDS[c.kind], c.stat.rank, f"{c.stat.code} {c.stat.name}".strip(),
              c.stat.pni_label, ", ".join(c.projects) or "ยังไม่มี"]
             for c in alignment.coverage],
            widths=[2.4, 1.6, 5.0, 2.0, 5.0],
        )  # fmt: skip
        d.para()
    projects = list(
        plan.projects.prefetch_related("strategies", "activities", "budget_lines", "kpis")
    )
    d.para(f"ส่วนที่ {part} โครงการ/กิจกรรม", bold=True)
    total = sum((b.amount for p in projects for b in p.budget_lines.all()), Decimal(0))
    _table_or_note(
        d,
        ["ที่", "โครงการ", "สนองกลยุทธ์ที่", "งบประมาณ (บาท)", "ผู้รับผิดชอบ"],
        [[p.number, p.name, ", ".join(str(s.number) for s in p.strategies.all()),
          sum((b.amount for b in p.budget_lines.all()), Decimal(0)), p.owner]
         for p in projects] + [["", "รวม", "", total, ""]] * bool(projects),
        widths=[1, 6.6, 2.2, 3, 3.2],
        empty="ยังไม่มีโครงการในแผนนี้",
    )  # fmt: skip
    for p in projects:
        d.page_break()
        d.para("โครงการ", bold=True, center=True)
        d.para(f"1. ชื่อโครงการ {p.name}", bold=True)
        strategies = [f"กลยุทธ์ที่ {s.number} {s.text}" for s in p.strategies.all()]
        d.para("2. สนองกลยุทธ์", bold=True)
        for s in strategies or ["-"]:
            d.para(s, indent=1)
        d.para("3. หลักการและเหตุผล", bold=True)
        d.para(p.rationale or "-", indent=1)
        d.para("4. วัตถุประสงค์", bold=True)
        for i, line in enumerate(p.objective_lines or ["-"], start=1):
            d.para(f"4.{i} {line}", indent=1)
        d.para("5. เป้าหมาย", bold=True)
        count = f" จำนวน {p.target_count:,} คน" if p.target_count else ""
        d.para(f"5.1 เชิงปริมาณ {p.target_groups or '-'}{count}", indent=1)
        d.para(f"5.2 เชิงคุณภาพ {p.expected_results or '-'}", indent=1)
        d.para("6. กิจกรรมและระยะเวลาดำเนินการ", bold=True)
        _table_or_note(
            d,
            ["ที่", "กิจกรรม", "รูปแบบ", "ระยะเวลา", "ผู้เข้าร่วม (คน)"],
            [[i, a.name, a.get_mode_display(), _activity_period(a), a.participants]
             for i, a in enumerate(p.activities.all(), start=1)],
            widths=[1, 5.6, 3, 4.2, 2.2],
            empty="ยังไม่ได้กำหนดกิจกรรม",
        )  # fmt: skip
        d.para("7. งบประมาณ", bold=True)
        lines = list(p.budget_lines.all())
        _table_or_note(
            d,
            ["รายการ", "แหล่งงบประมาณ", "จำนวนเงิน (บาท)"],
            [[b.item, b.source, b.amount] for b in lines]
            + [["รวม", "", sum((b.amount for b in lines), Decimal(0))]] * bool(lines),
            widths=[9, 3.5, 3.5],
            empty="ยังไม่ได้กำหนดงบประมาณ",
        )
        d.para("8. ตัวชี้วัดความสำเร็จ", bold=True)
        _table_or_note(
            d,
            ["ตัวชี้วัด", "ค่าเป้าหมาย", "หน่วย"],
            [[k.text, figure(k.target), k.unit] for k in p.kpis.all()],
            widths=[10, 3, 3],
            empty="ยังไม่ได้กำหนดตัวชี้วัด",
        )
        d.para(f"9. ผู้รับผิดชอบโครงการ {p.owner or '-'}", bold=True)
        d.para("10. ผลที่คาดว่าจะได้รับ", bold=True)
        d.para(p.expected_results or "-", indent=1)
    d.para()
    d.para()
    status = plan.get_status_display()
    approved = (
        f" เมื่อ {format_thai_date(timezone.localtime(plan.approved_at).date(), style='long')}"
        if plan.approved_at
        else ""
    )
    d.para(f"สถานะแผน: {status}{approved}", size=14)
    for role in ("ผู้เสนอแผน", "ผู้เห็นชอบแผน", "ผู้อนุมัติแผน"):
        d.para()
        d.para("ลงชื่อ ...................................................", center=True)
        d.para("(...................................................)", center=True)
        d.para(role, center=True)
    return d.bytes()


# ---------------------------------------------------------------------------------------------
# Results report of the plan's projects


def _lines(d: ThaiDoc, text: str, *, indent: float = 1) -> None:
    for line in [x for x in (text or "").splitlines() if x.strip()] or ["-"]:
        d.para(line.strip(), indent=indent)


REPORT_SECTIONS = (
    ("7. สรุปผลการดำเนินงาน", "summary"),
    ("8. ผลสำเร็จเชิงคุณภาพ", "quality_results"),
    ("9. รูปแบบ/เทคนิคที่ทำให้เกิดความสำเร็จ", "success_factors"),
    ("10. ปัญหา/อุปสรรค", "problems"),
    ("11. ข้อเสนอแนะ", "suggestions"),
)


def _project_results(d: ThaiDoc, r) -> None:
    from training.queries import pass_pct

    p = r.project
    d.para("รายงานผลการดำเนินงานโครงการ", bold=True, center=True, size=18)
    d.para(f"ตาม{p.plan.title} · {p.plan.office.name}", center=True)
    d.para(f"1. ชื่อโครงการ {p.name}", bold=True)
    d.para("2. สนองกลยุทธ์", bold=True)
    for s in [f"กลยุทธ์ที่ {s.number} {s.text}" for s in p.strategies.all()] or ["-"]:
        d.para(s, indent=1)
    d.para("3. วัตถุประสงค์", bold=True)
    for i, line in enumerate(p.objective_lines or ["-"], start=1):
        d.para(f"3.{i} {line}", indent=1)
    d.para("4. เป้าหมาย", bold=True)
    count = f" จำนวน {p.target_count:,} คน" if p.target_count else ""
    d.para(f"4.1 เชิงปริมาณ {p.target_groups or '-'}{count}", indent=1)
    d.para(f"4.2 เชิงคุณภาพ {p.expected_results or '-'}", indent=1)
    d.para("5. การดำเนินงาน", bold=True)
    if r.courses:
        _table(
            d,
            ["ที่", "หลักสูตร/กิจกรรม", "วัน เวลา", "รูปแบบ", "ผู้เข้ารับการพัฒนา (คน)",
             "ผ่านเกณฑ์ (คน)", "ร้อยละ"],
            [[i, c.title, period_label(c.first_day, c.last_day) if c.first_day else "-",
              c.get_mode_display(), c.participants, c.passed,
              _fmt(pass_pct(c.passed, c.participants, c.pending))]
             for i, c in enumerate(r.courses, start=1)],
            widths=[0.9, 4.3, 3.2, 2.6, 1.9, 1.7, 1.9],
        )  # fmt: skip
    else:
        d.para("ยังไม่มีหลักสูตรหรือกิจกรรมที่ดำเนินการตามโครงการนี้", indent=1)
    d.para("6. ผลการดำเนินงานเทียบกับเป้าหมาย", bold=True)
    if r.lines:
        _table(
            d,
            ["ตัวชี้วัด/เป้าหมาย", "ค่าเป้าหมาย", "ผลการดำเนินงาน", "ผลการเทียบเป้าหมาย"],
            [[x.label, x.target, x.actual, x.verdict] for x in r.lines],
            widths=[5.5, 2.8, 5, 3.2],
        )
    else:
        d.para("โครงการนี้ยังไม่ได้กำหนดค่าเป้าหมาย", indent=1)
    for title, name in REPORT_SECTIONS:
        d.para(title, bold=True)
        _lines(d, r.text(name))
    d.para()
    d.para("ลงชื่อ ...................................................", center=True)
    d.para(f"({p.owner or '...................................................'})", center=True)
    d.para("ผู้รับผิดชอบโครงการ", center=True)


def results_docx(plan: Plan, results: list, *, thai_digits: bool = False) -> bytes:
    """The results report of one project, or of every project of the plan in plan order."""
    d = _doc(thai_digits=thai_digits)
    if len(results) != 1:
        d.para(f"รายงานผลการดำเนินงานตาม{plan.title}", bold=True, center=True, size=20)
        d.para("กลุ่มพัฒนาครูและบุคลากรทางการศึกษา", center=True)
        d.para(plan.office.name, center=True)
        # Not under a title that already says it ("…ตามแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2570"
        # over "ปีงบประมาณ พ.ศ. 2570" again).
        years = f"ปีงบประมาณ พ.ศ. {plan.years_label}"
        if years not in clean_text(plan.title):
            d.para(years, center=True)
    if not results:
        d.para()
        d.para("ยังไม่มีโครงการในแผนนี้", center=True)
    for i, r in enumerate(results):
        if i or len(results) != 1:
            d.page_break()
        _project_results(d, r)
    return d.bytes()


# ---------------------------------------------------------------------------------------------
# A teacher's ID plan (แผนพัฒนาตนเองรายบุคคล, ว 22/2560): printed, signed by the teacher and
# approved by the director. One content, written as DOCX and as PDF.

# The form's name on two lines: the official English name in brackets under the Thai one.
ID_PLAN_TITLE = ("แผนพัฒนาตนเองรายบุคคล", "(Individual Development Plan: ID Plan)")
ID_PLAN_HEADER = ["ที่", "เรื่องที่จะพัฒนา", "วิธีการพัฒนา", "ช่วงเวลา", "ผลที่คาดว่าจะได้รับ"]
NO_ID_PLAN_ITEMS = "ยังไม่ได้กำหนดเรื่องที่จะพัฒนา"
DOTS = "." * 51  # a line to write on
SIGN_DOTS = "." * 36  # the signature's, short enough for "ผู้จัดทำแผน" after it


def _or_dash(text) -> str:
    text = clean_text(str(text)) if text is not None else ""
    return text or "-"


class IdPlanContent:
    """What the printed ID plan says, whatever the file: the writers below lay it out."""

    def __init__(self, plan):
        from registry.labels import person_workplace_label

        p = plan.person
        self.year = year_label(plan.year)
        self.office = p.office.name
        workplace = person_workplace_label(p)
        self.workplace = workplace
        # A draft, or a plan sent back, is not the plan the director approved: it says so
        # at the top, and its approval lines stay empty.
        self.draft = plan.status in (IdPlanStatus.DRAFT, IdPlanStatus.RETURNED)
        self.approved = plan.status == IdPlanStatus.APPROVED
        self.status = f"สถานะของแผน: {plan.get_status_display()}"
        if self.approved and plan.approved_at:
            self.status += f" เมื่อ {format_thai_date(plan.approved_at, style='long')}"
        areas = ", ".join(a.name for a in p.areas_taught.all())
        self.teacher = [
            ("ชื่อ-สกุล", _or_dash(p.full_name)),
            ("ตำแหน่ง", _or_dash(p.position)),
            ("วิทยฐานะ", _or_dash(p.academic_standing.name if p.academic_standing else "")),
            ("สถานศึกษา", _or_dash(workplace)),
            ("สังกัด", _or_dash(p.office.name)),
            ("กลุ่มสาระการเรียนรู้ที่สอน", _or_dash(areas)),
        ]
        self.goal = [x.strip() for x in (plan.goal or "").splitlines() if x.strip()] or ["-"]
        self.items = []
        for i, item in enumerate(plan.items.select_related("competency"), start=1):
            title = _or_dash(item.title)
            answers = f"สมรรถนะ: {item.competency}" if item.competency else ""
            self.items.append(
                (i, title, answers, _or_dash(item.get_mode_display() if item.mode else ""),
                 _or_dash(item.period), _or_dash(item.expected_outcome))
            )  # fmt: skip
        self.teacher_name = _or_dash(p.full_name)
        self.teacher_position = _or_dash(p.position)
        signed = plan.submitted_at if plan.status in (
            IdPlanStatus.SUBMITTED, IdPlanStatus.APPROVED) else None  # fmt: skip
        self.teacher_date = format_thai_date(signed, style="long") if signed else ""
        self.comment = [x.strip() for x in plan.director_comment.splitlines() if x.strip()]
        director = plan.approved_by if self.approved else None
        self.director_name = (
            director.signed_name
            if director and (director.person_id or director.get_full_name())
            else ""
        )
        school = p.school.name if p.school_id else ""
        self.director_title = f"ผู้อำนวยการ{school}" if school else "ผู้อำนวยการสถานศึกษา"
        approved_on = plan.approved_at if self.approved else None
        self.director_date = format_thai_date(approved_on, style="long") if approved_on else ""


def _date_line(date: str) -> str:
    # Short enough for one line of the signature block in 16 pt.
    return f"วันที่ {date}" if date else "วันที่ ....... เดือน ................... พ.ศ. ......."


def _signature_lines(name: str, date: str, *, role: str = "", position: str) -> list[str]:
    """ลงชื่อ … (role) / (name, or dots to write it on) / the position / the date."""
    return [
        f"ลงชื่อ {SIGN_DOTS} {role}".rstrip(),
        f"({name})" if name else f"({SIGN_DOTS})",
        position,
        _date_line(date),
    ]


def _teacher_lines(c: IdPlanContent) -> list[str]:
    return _signature_lines(c.teacher_name, c.teacher_date, role="ผู้จัดทำแผน",
                            position=f"ตำแหน่ง {c.teacher_position}")  # fmt: skip


def _director_lines(c: IdPlanContent) -> tuple[list[str], list[str]]:
    """The opinion (the stored comment, else lines to write on) and the signature."""
    opinion = c.comment or [DOTS * 2, DOTS * 2]
    if c.approved:
        opinion = ["อนุมัติ", *c.comment]
    return opinion, _signature_lines(c.director_name, c.director_date, position=c.director_title)


def id_plan_docx(plan, *, thai_digits: bool = False) -> bytes:
    c = IdPlanContent(plan)
    d = _doc(thai_digits=thai_digits)
    for line in ID_PLAN_TITLE:
        d.para(line, bold=True, center=True, size=18)
    if c.draft:
        d.para("(ร่าง)", bold=True, center=True, size=18)
    d.para(f"ปีการศึกษา {c.year}", bold=True, center=True)
    d.para(c.workplace, center=True)
    d.para(c.office, center=True)
    d.para(c.status, center=True, size=14)
    d.para()
    d.para("ส่วนที่ 1 ข้อมูลผู้จัดทำแผน", bold=True, keep_next=True)
    for label, value in c.teacher:
        d.para(f"{label} {value}", indent=1)
    d.para()
    d.para("ส่วนที่ 2 แผนพัฒนาตนเอง", bold=True, keep_next=True)
    d.para("เป้าหมายการพัฒนาตนเอง", bold=True, indent=0.5, keep_next=True)
    for line in c.goal:
        d.para(line, indent=1)
    d.para("เรื่องที่จะพัฒนาและวิธีการพัฒนา", bold=True, indent=0.5)
    if c.items:
        table = _table(
            d, ID_PLAN_HEADER,
            [[n, title, mode, period, outcome] for n, title, _a, mode, period, outcome in c.items],
            widths=[1, 5.2, 3, 2.8, 4],
        )  # fmt: skip
        for row, (_n, _t, answers, *_rest) in zip(table.rows[1:], c.items, strict=True):
            if answers:
                d.run(row.cells[1].add_paragraph(), answers, size=13)
    else:
        d.para(NO_ID_PLAN_ITEMS, indent=1)
    d.para()
    lines = _teacher_lines(c)
    for n, text in enumerate(lines):
        d.para(text, indent=6, center=True, keep_next=n < len(lines) - 1)
    d.para()
    opinion, signature = _director_lines(c)
    d.para("ความเห็นของผู้บริหารสถานศึกษา", bold=True, keep_next=True)
    for line in opinion:
        d.para(line, indent=1, keep_next=True)
    d.para(keep_next=True)
    for n, text in enumerate(signature):
        d.para(text, indent=6, center=True, keep_next=n < len(signature) - 1)
    return d.bytes()


def id_plan_pdf(plan, *, thai_digits: bool = False) -> bytes:
    from training.exports import OfficePdf  # training's models import planning's

    c = IdPlanContent(plan)
    pdf = OfficePdf(office_name=c.office, thai_digits=thai_digits)
    pdf.add_page()
    pdf.set_font("Sarabun", "B", 15)
    for line in ID_PLAN_TITLE:
        write_wrapped(pdf, 0, 8, line, align="C")
    if c.draft:
        pdf.set_font("Sarabun", "B", 18)
        write_wrapped(pdf, 0, 9, "(ร่าง)", align="C")
    pdf.set_font("Sarabun", "B", 14)
    write_wrapped(pdf, 0, 7, pdf.t(f"ปีการศึกษา {c.year}"), align="C")
    pdf.set_font("Sarabun", "", 13)
    write_wrapped(pdf, 0, 7, pdf.t(c.workplace), align="C")
    pdf.set_font("Sarabun", "", 12)
    write_wrapped(pdf, 0, 6, pdf.t(c.status), align="C")
    pdf.ln(2)
    pdf.line_text("ส่วนที่ 1 ข้อมูลผู้จัดทำแผน", bold=True)
    for label, value in c.teacher:
        pdf.line_text(f"     {label} {value}")
    pdf.ln(2)
    pdf.line_text("ส่วนที่ 2 แผนพัฒนาตนเอง", bold=True)
    pdf.line_text("  เป้าหมายการพัฒนาตนเอง", bold=True)
    for line in c.goal:
        pdf.line_text(f"     {line}")
    pdf.line_text("  เรื่องที่จะพัฒนาและวิธีการพัฒนา", bold=True)
    widths = [10, 58, 30, 30, 42]
    pdf.set_font("Sarabun", "B", 12)
    with pdf.table(
        col_widths=widths, text_align=("CENTER", "LEFT", "LEFT", "LEFT", "LEFT"), line_height=6.5
    ) as table:
        table.row([cell_text(pdf, h, w) for h, w in zip(ID_PLAN_HEADER, widths, strict=True)])
        pdf.set_font("Sarabun", "", 12)
        for n, title, answers, mode, period, outcome in c.items:
            about = cell_text(pdf, pdf.t(title), widths[1])
            if answers:  # the competency under the title, on its own line(s)
                about += "\n" + cell_text(pdf, pdf.t(answers), widths[1])
            texts = (pdf.t(mode), pdf.t(period), pdf.t(outcome))
            table.row([pdf.t(n), about, *(cell_text(pdf, t, w) for t, w in
                                          zip(texts, widths[2:], strict=True))])  # fmt: skip
        if not c.items:
            table.row().cell(NO_ID_PLAN_ITEMS, colspan=len(widths), align="CENTER")
    _pdf_block(pdf, _teacher_lines(c))
    opinion, signature = _director_lines(c)
    # The opinion and the signature under it on one page.
    _room_for(pdf, 4 + 7 * (1 + len(opinion)) + 8 + 7 * len(signature))
    pdf.ln(4)
    pdf.line_text("ความเห็นของผู้บริหารสถานศึกษา", bold=True)
    for line in opinion:
        pdf.line_text(f"     {line}")
    _pdf_block(pdf, signature)
    return bytes(pdf.output())


def _pdf_block(pdf, lines: list[str], *, above: float = 8) -> None:
    """A signature, centred in the right half of the page, all its lines on one page."""
    _room_for(pdf, above + 7 * len(lines))
    pdf.ln(above)
    x, w = pdf.w / 2 - 15, pdf.w / 2 - 5
    pdf.set_font("Sarabun", "", 13)
    for text in lines:
        pdf.set_x(x)
        write_wrapped(pdf, w, 7, pdf.t(text), align="C")


def _room_for(pdf, height: float) -> None:
    """A new page unless `height` mm still fit on this one."""
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
