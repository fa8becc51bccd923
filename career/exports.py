"""PA documents: the agreement (แบบ PA 1/ส) and the self-report as DOCX, the office
summary as XLSX.

DOCX: built with krupd.lib.thai_docx (A4, TH SarabunPSK 16 pt on the complex-script slots
Word uses for Thai, bold included, page numbers, optional Thai digits).
"""

import io

from django.utils import timezone

from krupd.lib import xlsx_writer
from krupd.lib.numerals import format_hours
from krupd.lib.spreadsheets import DOCUMENT_FONT
from krupd.lib.thai_dates import format_thai_date, year_label
from krupd.lib.thai_docx import DOCX_TYPE as DOCX_TYPE  # the views' content type
from krupd.lib.thai_docx import ThaiDoc, checkbox, thai_run

from . import queries
from .models import WORKLOAD_TOTAL_FIELD, WorkloadKind

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _doc(thai_digits: bool) -> ThaiDoc:
    return ThaiDoc(thai_digits=thai_digits)


def _person_block(d: ThaiDoc, a) -> None:
    p = a.person
    d.para(
        f"ชื่อ {p.title}{p.first_name} นามสกุล {p.last_name} ตำแหน่ง {p.position or 'ครู'} "
        f"วิทยฐานะ {a.standing or 'ไม่มีวิทยฐานะ'}"
    )
    d.para(f"สถานศึกษา {queries.agreement_workplace(a)} สังกัด {p.office.name}")
    if p.salary_grade or p.salary:
        salary = f"{p.salary:,.2f}" if p.salary else "-"
        d.para(f"รับเงินเดือนในอันดับ {p.salary_grade or '-'} อัตราเงินเดือน {salary} บาท")


def _cycle(d: ThaiDoc, fiscal_year: int) -> None:
    start, end = queries.cycle_dates(fiscal_year)
    d.para(
        f"ปีงบประมาณ พ.ศ. {year_label(fiscal_year)} ระหว่างวันที่ "
        f"{format_thai_date(start, style='long')} ถึงวันที่ {format_thai_date(end, style='long')}",
        center=True,
    )
    d.para(f"({queries.cycle_terms(fiscal_year)})", center=True)


def _signature(d: ThaiDoc, name: str, role: str, date=None) -> None:
    when = format_thai_date(date, style="long") if date else "......../................../........"
    lines = ["", "(ลงชื่อ)....................................", f"({name})", role, f"วันที่ {when}"]
    for n, text in enumerate(lines):
        # Centred in the right half of the page, the block kept on one page.
        d.para(text, indent=7.5, center=True, keep_next=n < len(lines) - 1)


def agreement_docx(a, *, thai_digits: bool = False) -> bytes:
    """แบบ PA 1/ส in the form's order: who, workload by group with its lines, the tasks of
    the 15 indicators, the challenge issue, signatures of the teacher and the director."""
    d = _doc(thai_digits)
    d.para("แบบข้อตกลงในการพัฒนางาน (PA 1/ส)", bold=True, center=True)
    d.para(
        f"ข้อตกลงในการพัฒนางาน ตำแหน่งครู {('วิทยฐานะ' + str(a.standing)) if a.standing else ''}",
        bold=True,
        center=True,
    )
    _cycle(d, a.fiscal_year)
    d.para("ผู้จัดทำข้อตกลง", bold=True)
    _person_block(d, a)
    d.para(
        "ข้าพเจ้าขอแสดงเจตจำนงในการจัดทำข้อตกลงในการพัฒนางานตำแหน่งปัจจุบัน กับผู้อำนวยการสถานศึกษา ไว้ดังต่อไปนี้",
        first_line=1.25,
    )
    d.para("ส่วนที่ 1 ข้อตกลงในการพัฒนางานตามมาตรฐานตำแหน่ง", bold=True, keep_next=True)
    d.para("1. ภาระงาน จะมีภาระงานเป็นไปตามที่ ก.ค.ศ. กำหนด ดังนี้", keep_next=True)
    lines = list(a.workload.all())
    for n, (kind, field) in enumerate(WORKLOAD_TOTAL_FIELD.items(), 1):
        total = getattr(a, field)
        d.para(
            f"1.{n} {WorkloadKind(kind).label} รวมจำนวน {format_hours(total)} ชั่วโมง/สัปดาห์",
            indent=0.75,
            keep_next=True,
        )
        rows = [
            [i, w.title, format_hours(w.hours)]
            for i, w in enumerate((w for w in lines if w.kind == kind), 1)
        ]
        if rows:
            d.table(
                ["ที่", "รายวิชา/งาน", "ชั่วโมง/สัปดาห์"], rows, widths=[1.2, 11, 3.3],
                align=["center", None, "right"],
            )  # fmt: skip
    d.para(f"รวมภาระงานทั้งสิ้น {format_hours(a.total_hours)} ชั่วโมง/สัปดาห์", indent=0.75, bold=True)
    d.para("2. งานที่จะปฏิบัติตามมาตรฐานตำแหน่ง", keep_next=True)
    rows = []
    for item in a.items.select_related("indicator"):
        rows.append([str(item.indicator), item.tasks, item.outcomes, item.measures])
    d.table(
        ["ลานงานตามมาตรฐานตำแหน่ง", "งาน (Tasks)", "ผลลัพธ์ (Outcomes) ที่คาดหวัง",
         "ตัวชี้วัด (Indicators)"],
        rows, widths=[4.6, 3.8, 3.6, 3.6], size=13, numbers_right=False,
    )  # fmt: skip
    d.para("")
    d.para(
        "ส่วนที่ 2 ข้อตกลงในการพัฒนางานที่เป็นประเด็นท้าทายในการพัฒนาผลลัพธ์การเรียนรู้ของผู้เรียน",
        bold=True,
        keep_next=True,
    )
    d.para(f"ประเด็นท้าทาย เรื่อง {a.challenge_title or '-'}", keep_next=True)
    for label, value in (
        ("1. สภาพปัญหาของผู้เรียนและการจัดการเรียนรู้", a.challenge_problem),
        ("2. วิธีการดำเนินการให้บรรลุผล", a.challenge_method),
        ("3. ผลลัพธ์การพัฒนาที่คาดหวัง", None),
        ("3.1 เชิงปริมาณ", a.challenge_quant),
        ("3.2 เชิงคุณภาพ", a.challenge_qual),
    ):
        # 3.1 and 3.2 under 3., each text under its heading
        depth = label.split(" ", 1)[0].rstrip(".").count(".") + 1
        d.para(label, keep_next=True, indent=0.75 * depth)
        if value is not None:
            d.lines(value, indent=0.75 * depth + 0.5, empty="-")
    _signature(d, a.person.full_name, "ผู้จัดทำข้อตกลง")
    d.para("")
    # The director's opinion and signature on one page: the signature was left alone at the
    # top of a page after the boxes it signs.
    d.para("ความเห็นของผู้บริหารสถานศึกษา", bold=True, keep_next=True)
    approved = a.status in ("approved", "evaluated")
    d.para(
        f"{checkbox(approved)} เห็นชอบให้เป็นข้อตกลงในการพัฒนางาน    {checkbox(False)} ไม่เห็นชอบ",
        keep_next=True,
    )
    d.para(f"ความเห็นเพิ่มเติม: {a.director_note or '-'}", keep_next=True)
    director = a.approved_by.signed_name if a.approved_by else ""
    _signature(
        d,
        director or "....................................",
        "ผู้อำนวยการสถานศึกษา",
        timezone.localdate(a.approved_at) if a.approved_at else None,
    )
    return d.bytes()


def self_report_docx(pack, files: dict[int, str], *, thai_digits: bool = False) -> bytes:
    """รายงานผลการพัฒนางานตามข้อตกลง: development hours of the cycle, what was done per
    indicator with its evidence (named as in the ZIP), and the challenge issue's results
    against what was expected. `files` maps evidence id → its file name in the ZIP."""
    a = pack.agreement
    d = _doc(thai_digits)
    d.para("รายงานผลการพัฒนางานตามข้อตกลง (PA)", bold=True, center=True)
    d.para("ตำแหน่งครู", bold=True, center=True)
    _cycle(d, a.fiscal_year)
    _person_block(d, a)
    d.para(
        f"ภาระงานตามข้อตกลง รวม {format_hours(a.total_hours)} ชั่วโมง/สัปดาห์ "
        f"(สอน {format_hours(a.teaching_hours)} ส่งเสริมการเรียนรู้ {format_hours(a.support_hours)} "
        f"พัฒนาคุณภาพสถานศึกษา {format_hours(a.quality_hours)} "
        f"ตอบสนองนโยบาย {format_hours(a.policy_hours)})"
    )
    d.para("1. การพัฒนาตนเองในรอบการประเมิน", bold=True, keep_next=True)
    ledger = pack.ledger
    rows = [
        # "20 พ.ย. 2568", as the development record prints the same lines: LibreOffice broke
        # "๒๐/๑๑/๒๕๖๘" inside its digits ("๒ | ๐/๑๑/๒๕ | ๖๘") in the 2.6 cm column.
        [i, format_thai_date(line.date, style="medium"), line.title, line.kind,
         format_hours(line.hours) if line.hours is not None else "-", line.reference]
        for i, line in enumerate(ledger.lines, 1)
    ]  # fmt: skip
    if rows:
        table = d.table(
            ["ที่", "วันที่", "รายการ", "รูปแบบ", "ชั่วโมง", "หลักฐาน"], rows,
            widths=[1, 2.6, 5.2, 2.8, 1.5, 2.9], size=13, align=["center", "center", None, None,
                                                            "right", None],
        )  # fmt: skip
        # Certificate codes are written as issued: with Thai digits they would not verify. The
        # words around one take the document's digits ("ตั้งแต่วันที่ ๕ ธันวาคม ๒๕๖๙").
        for row, line in zip(table.rows[1:], ledger.lines, strict=True):
            cell = row.cells[5].paragraphs[0]
            for run in list(cell.runs):
                run._element.getparent().remove(run._element)
            parts = line.reference.partition(line.code) if line.code else (line.reference, "", "")
            before, code, after = parts
            thai_run(cell.add_run(d.t(before) + code + d.t(after)), size=13)
    else:
        d.para("- ยังไม่มีบันทึกการพัฒนาในรอบนี้ -", indent=0.75)
    d.para(
        f"รวมชั่วโมงพัฒนา {format_hours(ledger.total_hours)} ชั่วโมง (อบรม/ออนไลน์/ดูงาน "
        f"{format_hours(ledger.training_hours)} ชั่วโมง, PLC {format_hours(ledger.plc_hours)} "
        f"ชั่วโมง) เป้าหมายของเขตพื้นที่ {format_hours(ledger.target)} ชั่วโมง/ปี",
        bold=True,
    )
    d.para("2. ผลการดำเนินงานตามตัวชี้วัด", bold=True, keep_next=True)
    area = None
    for section in pack.sections[:-1]:
        if section.area != area:
            area = section.area
            d.para(area, bold=True, keep_next=True, indent=0.5)
        d.para(f"ตัวชี้วัดที่ {section.number} {section.title}", bold=True, keep_next=True)
        d.para("งานที่ดำเนินการ", indent=0.75, keep_next=True)
        d.lines(section.item.tasks, indent=1.25, empty="-")
        d.para("ผลการดำเนินงาน", indent=0.75, keep_next=True)
        d.lines(section.item.report, indent=1.25, empty="-")
        _evidence_lines(d, section, files)
    challenge = pack.sections[-1]
    d.para("3. ผลการพัฒนางานที่เป็นประเด็นท้าทาย", bold=True, keep_next=True)
    d.para(f"ประเด็นท้าทาย เรื่อง {a.challenge_title or '-'}", keep_next=True, indent=0.75)
    d.para("วิธีการดำเนินการ", indent=0.75, keep_next=True)
    d.lines(a.challenge_method, indent=1.25, empty="-")
    d.table(
        ["ผลลัพธ์", "ที่คาดหวัง", "ที่เกิดขึ้นจริง"],
        [["เชิงปริมาณ", a.challenge_quant or "-", a.challenge_actual_quant or "-"],
         ["เชิงคุณภาพ", a.challenge_qual or "-", a.challenge_actual_qual or "-"]],
        widths=[2.8, 6.4, 6.4], size=14, numbers_right=False,
    )  # fmt: skip
    _evidence_lines(d, challenge, files)
    d.para("")
    d.para("ขอรับรองว่าข้อมูลและหลักฐานข้างต้นเป็นความจริง", indent=7.5, center=True, keep_next=True)
    _signature(d, a.person.full_name, "ผู้รายงาน")
    return d.bytes()


def _evidence_lines(d: ThaiDoc, section, files: dict[int, str]) -> None:
    d.para("หลักฐาน", indent=0.75, keep_next=bool(section.evidence))
    if not section.evidence:
        d.para(f"- {queries.NO_EVIDENCE} -", indent=1.25)
    for n, e in enumerate(section.evidence, 1):
        p = d.para(f"{n}) {e.title} ({e.get_kind_display()}", indent=1.25)
        where = files.get(e.pk) or e.url
        if where:
            # A file name or address is written as it is: with Thai digits it would no longer
            # name the file in the ZIP.
            thai_run(p.add_run(f": {where}"))
        d.run(p, ")")


PA_HEADER = ["ที่", "ชื่อ-สกุล", "สถานศึกษา", "วิทยฐานะ", "สถานะ", "ผู้ประเมิน 1", "ผู้ประเมิน 2",
             "ผู้ประเมิน 3", "เฉลี่ย", "ผล"]  # fmt: skip
DASH = "—"
PA_RESULT = {True: "ผ่าน", False: "ไม่ผ่าน", None: "ยังประเมินไม่ครบ"}


def _pa_row(number: int, a, ov) -> list:
    seats = {e.seat: e for e in a.evaluations.all()}
    # A mark not given yet is "—", as the status page writes it (an empty cell reads as
    # a figure somebody forgot to type).
    marks = [
        float(seats[s].total) if s in seats and seats[s].total is not None else DASH
        for s in (1, 2, 3)
    ]
    # The list's label (registry.labels: namesakes with their codes) when the view set it.
    workplace = getattr(a.person, "workplace_label", None) or a.person.workplace_name
    return [number, a.person.full_name, workplace, str(a.standing or DASH),
            a.get_status_display(), *marks,
            float(ov.mean_pct) if ov.mean_pct is not None else DASH,
            PA_RESULT[ov.passed_all]]  # fmt: skip


def pa_summary_xlsx(office, fiscal_year: int, agreements) -> bytes:
    """The office's PA results, one row per agreement (`agreements`: (agreement, overall)
    pairs). Written by xlsx_writer: an office of 90,000 teachers would take half a minute of
    CPU in openpyxl (10,000 rows took 3 s)."""
    out = io.BytesIO()
    sheet = xlsx_writer.Sheet(
        title=f"PA {fiscal_year}",
        above=[
            xlsx_writer.Line(
                [f"สรุปผลการประเมิน PA ปีงบประมาณ {fiscal_year} — {office.name}"], xlsx_writer.TITLE
            )
        ],
        headers=PA_HEADER,
        rows=(_pa_row(i, a, ov) for i, (a, ov) in enumerate(agreements, 1)),
        header_style=xlsx_writer.Style(bold=True, fill=xlsx_writer.HEADER_FILL),
        widths=[5, 28, 30, 16, 18, 11, 11, 11, 9, 16],
        printing=xlsx_writer.Printing(landscape=True),
    )
    xlsx_writer.write_workbook(out, [sheet], font=DOCUMENT_FONT)
    return out.getvalue()
