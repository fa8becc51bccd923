"""Staffing documents in the SAR's layout: XLSX for working with, DOCX for the report.

DOCX: built with krupd.lib.thai_docx (TH SarabunPSK 16 pt on the complex-script slots
Word uses for Thai). Dates are Buddhist Era.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import replace

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from krupd.lib import xlsx_writer
from krupd.lib.numerals import format_percent, percent_of
from krupd.lib.spreadsheets import DOCUMENT_FONT, print_as_document, workbook_bytes
from krupd.lib.thai_docx import DOCX_TYPE as DOCX_TYPE  # the views' content type
from krupd.lib.thai_docx import SIZE_PT, ThaiDoc, letters_per_line, text_width
from krupd.lib.xlsx_writer import BOLD, TITLE, Line, Sheet
from registry.models import Person

from .queries import LEVEL_SHORT, Analysis, OutOfField, Retirements
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
        f"2. {s.actual_label} จำนวน {fmt(s.actual_total)} อัตรา แยกเป็น",
        f"    - ผู้บริหาร และรองฯ จำนวน {fmt(s.actual_admin)} อัตรา",
        f"    - ผู้สอน จำนวน {fmt(s.actual_teachers)} อัตรา",
        f"    (นับ ณ {a.census_be}: ครองตำแหน่งตาม จ.18 {fmt(s.register)} ไปช่วยราชการ "
        f"{signed(-s.seconded_out)} มาช่วยราชการ {signed(s.seconded_in)}; พนักงานราชการ/ครูอัตราจ้าง/"
        f"ลูกจ้าง {fmt(s.contract_staff)} คน {'นับรวม' if s.contract_counted else 'ไม่นับรวม'}; "
        f"อัตราว่างโดยประมาณ {fmt(s.vacant)})",
    ]
    computed = s.computed_schools
    if not computed:
        # No school has what the criteria need (its pupils of the year): "เกินเกณฑ์ 0 อัตรา
        # (ตามเกณฑ์ 0 อัตรา)" would read as a finding.
        lines.append(
            f"3. อัตรากำลังครูเทียบเกณฑ์ในภาพรวม: ยังคำนวณไม่ได้ เพราะยังไม่มีโรงเรียนที่มีข้อมูล"
            f"นักเรียนครบของปีการศึกษา {a.academic_year}"
            f" (โรงเรียนที่คำนวณไม่ได้ {fmt(s.unknown_schools)} โรงเรียน)"
        )
        return lines
    word = "เกินเกณฑ์" if s.diff >= 0 else "ขาดเกณฑ์"
    pct = format_percent(None if s.pct is None else abs(s.pct))
    # The difference covers the schools computed; say so when some are not (item 2 counts all).
    only = (
        f" เฉพาะ {fmt(computed)} โรงเรียนที่คำนวณได้ ซึ่งมีจริง {fmt(s.computed_actual)} อัตรา"
        if s.unknown_schools
        else ""
    )
    lines += [
        f"3. อัตรากำลังครู{word}ในภาพรวม {fmt(abs(s.diff))} อัตรา คิดเป็นร้อยละ {pct}"
        f" (ตามเกณฑ์ {fmt(s.required_total)} อัตรา{only})",
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
PCT_COLUMN = SCHOOL_HEADER.index("ร้อยละ")
# Percentages show the decimals the documents print ("ร้อยละ 3.40", numerals.format_percent):
# a cell of General format shows 50 for 50.00 and 3.4 for 3.40. Out-of-field shares are
# computed to one decimal (queries.out_of_field) and shown so.
PERCENT_FORMAT, OUT_OF_FIELD_PERCENT_FORMAT = "0.00", "0.0"
# Bold, on the exports' light blue, centred and wrapped (the long Thai headers take 2 lines).
HEAD = xlsx_writer.Style(bold=True, fill=xlsx_writer.HEADER_FILL, horizontal="center", wrap=True)


def analysis_xlsx(a: Analysis) -> bytes:
    """The staffing workbook: summary, per school, by learning area, demand, data problems.
    Written by xlsx_writer (a 1,000-school office's workbook took 1.2 s of CPU in openpyxl)."""
    out = io.BytesIO()
    _write_printed(out, _analysis_sheets(a))
    return out.getvalue()


def _write_printed(out, sheets: Iterable[Sheet]) -> None:
    """The workbook the office prints and signs: Thai typeface, A4 fitted to the width, the
    header row on every page and the pages numbered (a wide table lies landscape)."""
    xlsx_writer.write_workbook(
        out,
        (replace(s, printing=xlsx_writer.Printing(landscape=len(s.headers) > 6)) for s in sheets),
        font=DOCUMENT_FONT,
    )


def _dashed(*values) -> list:
    """A figure the school's data cannot give (no pupils counted: no criterion, no
    shortage) is "—", as the schools page writes it; an empty cell reads as forgotten."""
    return ["—" if v is None or v == "" else v for v in values]


def _computed(s, *figures) -> list:
    """Totals of the criterion (required, difference, percentage): "—" while no school
    could be computed, as summary_lines says, not a required total and difference of 0."""
    return list(figures) if s.computed_schools else _dashed(*[None] * len(figures))


def _computed_only_note(s) -> list[Line]:
    """Under the totals row (each column's sum: actual staff of every school, the criterion
    of the computed ones only), when some schools could not be computed: whose figures the
    difference is between, since the row's actual minus its required is not its difference."""
    if not (s.unknown_schools and s.computed_schools):
        return []
    return [
        Line(),
        Line([None, (
            f"หมายเหตุ: รวมมีจริง {fmt(s.actual_total)} อัตรา นับทุกโรงเรียน; รวมตามเกณฑ์ "
            f"ขาด/เกิน และร้อยละ นับเฉพาะ {fmt(s.computed_schools)} โรงเรียนที่คำนวณได้ "
            f"ซึ่งมีจริง {fmt(s.computed_actual)} อัตรา "
            f"(โรงเรียนที่คำนวณไม่ได้ {fmt(s.unknown_schools)} โรงเรียน)"
        )]),
    ]  # fmt: skip


def scope_name(a: Analysis) -> str:
    """Whose figures these are: the office, preceded by the school's name when the analysis
    holds one school (a director's): her school's figures under the office's name alone read
    as the office's report."""
    office = a.office.name if a.office else ""
    if len(a.schools) == 1:
        return f"{a.schools[0].name} {office}".strip()
    return office


def _analysis_sheets(a: Analysis) -> Iterator[Sheet]:
    office = scope_name(a)
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
                *_dashed(
                    r.students,
                    r.classrooms,
                    r.band_label,
                    r.required_admin,
                    r.required_teachers,
                    r.required,
                ),
                r.actual_admin,
                r.actual_teachers,
                r.actual,
                *_dashed(r.diff, r.pct),
                r.status_label,
                citation,
                r.register,
                r.seconded_out,
                r.seconded_in,
                r.contract_staff,
                r.vacant,
            ]
            for r in a.schools
        )
        if a.schools
        else [[None, "ยังไม่มีข้อมูลสถานศึกษา"]],  # fmt: skip
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
                    *_computed(s, s.required_total),
                    None,
                    None,
                    s.actual_total,
                    *_computed(s, s.diff, s.pct),
                    None,
                    None,
                    s.register,
                    s.seconded_out,
                    s.seconded_in,
                    s.contract_staff,
                    s.vacant,
                ],
                BOLD,
                {PCT_COLUMN: PERCENT_FORMAT},
            ),
            *_computed_only_note(s),
        ],  # fmt: skip
        number_formats={PCT_COLUMN: PERCENT_FORMAT},
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
        f"{a.office.name if a.office else ''} ปีการศึกษา {a.academic_year} · เกณฑ์: {rule_citation(a)}"
    )
    ws["A3"] = (
        f"ขาดครูก่อนปรับ {plan.shortage_before} อัตรา · ย้าย {len(plan.moves)} คน · "
        f"ขาดหลังปรับ {plan.shortage_after} อัตรา · ระยะทางรวม {plan.distance_label}"
    )
    header = ["ลำดับ", "ชื่อ-สกุล", "กลุ่มสาระ (วิชาเอก)", "จากโรงเรียน", "ไปโรงเรียน",
              "ระยะทาง (กม.)", "เหตุผล", "มติคณะกรรมการ"]  # fmt: skip
    rows = [
        [i, m.person_name, m.area_label, m.from_school.label, m.to_school.label,
         *_dashed(m.distance_km), m.why, ""]
        for i, m in enumerate(plan.moves, start=1)
    ]  # fmt: skip
    _sheet_table(ws, 5, header, rows)
    _widths(ws, [7, 28, 18, 30, 30, 11, 90, 18])
    ws = wb.create_sheet("ยังขาดหลังปรับ")
    _sheet_table(ws, 1, ["กลุ่มสาระ", "อัตราที่ยังขาด"], [list(r) for r in plan.remaining_by_area])
    _widths(ws, [30, 16])
    print_as_document(wb.worksheets[0], header_row=5, landscape=True)
    print_as_document(ws, header_row=1)
    return _save(wb)


def out_of_field_xlsx(oof: OutOfField, people: Iterable[Person] | None, office: str) -> bytes:
    """The out-of-field page as a workbook: by learning area, by school, and the names
    (only for those who may see people: `people` None leaves the sheet out)."""
    out = io.BytesIO()
    _write_printed(out, _out_of_field_sheets(oof, people, office))
    return out.getvalue()


def _out_of_field_sheets(oof: OutOfField, people, office: str) -> Iterator[Sheet]:
    title = "ครูสอนไม่ตรงวิชาเอก"
    yield Sheet(
        title="รายกลุ่มสาระ",
        above=[
            Line([f"{title} {office}"], TITLE),
            Line(
                [
                    f"ครูและครูผู้ช่วย {fmt(oof.total_teachers)} คน สอนไม่ตรงวิชาเอก "
                    f"{fmt(oof.total_out)} คน ตัดสินไม่ได้ {fmt(oof.not_judged)} คน"
                ]
            ),
            Line(),
        ],  # fmt: skip
        headers=["กลุ่มสาระที่สอนโดยครูต่างวิชาเอก", "คน"],
        rows=([label, n] for _code, label, n in oof.by_area),
        header_style=HEAD,
        widths=[40, 10],
    )
    yield Sheet(
        title="รายโรงเรียน",
        headers=["รหัสสถานศึกษา", "โรงเรียน", "ครู", "สอนไม่ตรง", "ร้อยละ"],
        rows=(
            [s["obec_code"], s["name"], s["teachers"], s["out"], s["pct"]] for s in oof.by_school
        ),  # fmt: skip
        below=[
            Line(),
            Line(
                [
                    None,
                    "รวม",
                    oof.total_teachers,
                    oof.total_out,
                    percent_of(oof.total_out, oof.total_teachers, 1),
                ],
                BOLD,
                {4: OUT_OF_FIELD_PERCENT_FORMAT},
            ),
        ],  # fmt: skip
        header_style=HEAD,
        number_formats={4: OUT_OF_FIELD_PERCENT_FORMAT},
        text_columns=[0],
        widths=[14, 40, 10, 12, 10],
        freeze="C2",
    )
    if people is not None:
        shown = oof.school_labels()  # namesakes with their codes
        yield Sheet(
            title="รายชื่อ",
            headers=["ชื่อ-สกุล", "โรงเรียน", "วิชาเอก", "กลุ่มสาระของวิชาเอก", "สอนจริง"],
            rows=(
                [
                    p.full_name,
                    shown.get(p.school_id) or p.school.name if p.school_id else "",
                    p.major.name,
                    p.major.learning_area.short_name,
                    ", ".join(a.short_name for a in p.areas_taught.all()),
                ]
                for p in people
            ),  # fmt: skip
            header_style=HEAD,
            widths=[30, 34, 24, 22, 40],
            freeze="B2",
        )


def retirements_xlsx(a: Analysis, r: Retirements, people: Iterable[dict] | None) -> bytes:
    """The retirement forecast as a workbook: by fiscal year, learning area and school, and
    the names (only for those who may see people: `people` None leaves the sheet out)."""
    out = io.BytesIO()
    _write_printed(out, _retirement_sheets(a, r, people))
    return out.getvalue()


def _retirement_sheets(a: Analysis, r: Retirements, people) -> Iterator[Sheet]:
    office = a.office.name if a.office else ""
    years = [str(fy) for fy in r.years]
    yield Sheet(
        title="รายปีงบประมาณ",
        above=[
            Line([f"คาดการณ์การเกษียณอายุราชการ {office}"], TITLE),
            Line(
                [
                    f"เกษียณเมื่อสิ้นปีงบประมาณ (30 ก.ย.) ที่อายุครบ {r.retirement_age} ปี · "
                    f"เกณฑ์: {rule_citation(a)} · ไม่มีวันเกิด {fmt(r.missing_birth_date)} คน"
                ]
            ),
            Line(),
        ],  # fmt: skip
        headers=[
            "ปีงบประมาณ",
            "แผน",
            "เกษียณ",
            "สะสม",
            "ขาดถ้าไม่มีผู้มาแทน (อัตรา)",
            "โรงเรียนที่ขาด",
        ],  # fmt: skip
        rows=(
            [
                str(y["fy"]),
                "ระยะสั้น" if y["offset"] < 3 else "ระยะยาว",
                y["retiring"],
                y["cumulative"],
                y["short_positions"],
                y["short_schools"],
            ]
            for y in r.by_year
        ),  # fmt: skip
        header_style=HEAD,
        text_columns=[0],
        widths=[12, 10, 10, 10, 22, 14],
    )
    yield Sheet(
        title="รายกลุ่มสาระ",
        headers=["กลุ่มสาระ", *years, "รวม"],
        rows=([label, *per_year, total] for _code, label, per_year, total in r.by_area),
        header_style=HEAD,
        widths=[30] + [9] * (len(years) + 1),
    )
    yield Sheet(
        title="รายโรงเรียน",
        headers=[
            "โรงเรียน",
            "ขาด/เกินปัจจุบัน",
            *years,
            "ระยะสั้น (<3 ปี)",
            "ระยะยาว (≥3 ปี)",
            "ขาด/เกิน ถ้าไม่มีผู้มาแทน",
        ],  # fmt: skip
        rows=(
            [
                row["name"],
                row["diff"],
                *row["per_year"],
                row["short_term"],
                row["long_term"],
                row["projected"],
            ]
            for row in r.by_school
        ),  # fmt: skip
        header_style=HEAD,
        widths=[36, 12] + [8] * len(years) + [12, 12, 16],
        freeze="B2",
    )
    if people is not None:
        yield Sheet(
            title="รายชื่อ",
            headers=["ปีงบประมาณ", "ชื่อ-สกุล", "ตำแหน่ง", "โรงเรียน"],
            rows=([str(p["fy"]), p["name"], p["type"], p["school"]] for p in people),
            header_style=HEAD,
            text_columns=[0],
            widths=[12, 30, 24, 36],
            freeze="A2",
        )


def _save(wb) -> bytes:
    return workbook_bytes(wb)


# ---------------------------------------------------------------------------------------------
# DOCX


def _table(d: ThaiDoc, header: list[str], rows: list[list]) -> None:
    """Bold totals row, counts centred; the subject column carries the long Thai names. The
    header row repeats on the next page (the demand table ran onto it under no header), and
    the widths hold in LibreOffice as in Word ("ภาษาต่างประเทศ" was cut in two lines)."""
    d.table(header, rows, widths=[6] + [3] * (len(header) - 1), size=SIZE_PT,
            align=[None] + ["center"] * (len(header) - 1), numbers_right=False, bold_last=True,
            centered=False)  # fmt: skip


def docx_subtitle(a: Analysis, d: ThaiDoc) -> str:
    """Whose figures and the academic year, one centred paragraph. One too long for its line
    puts the school, the office and "ปีการศึกษา 2569" on lines of their own, as headings of
    official documents set them: the office's subtitle, a few letters over, left "2569" alone
    on the second line (a no-break space does not hold: Word and LibreOffice break
    "ปีการ|ศึกษา" as two words). Below nine tenths of the letters a line holds it surely
    fits, and stays one line."""
    label = f"ปีการศึกษา {a.academic_year}"
    text = f"{scope_name(a)} {label}"
    school = a.schools[0].name if len(a.schools) == 1 else ""
    parts = [part for part in (school, a.office.name if a.office else "", label) if part]
    per_line = letters_per_line(None, 1, d.text_width_cm, SIZE_PT)[0]
    return text if text_width(text) <= 0.9 * per_line else "\n".join(parts)


def analysis_docx(a: Analysis, *, thai_digits: bool = False) -> bytes:
    d = ThaiDoc(thai_digits=thai_digits)
    d.para("ข้อมูลอัตรากำลังของสถานศึกษาเป็นรายโรงและในภาพรวม", bold=True, center=True)
    d.para(docx_subtitle(a, d), center=True)
    d.para(f"ข้อมูลอัตรากำลังของสถานศึกษาเป็นรายโรงและในภาพรวม สรุปผลได้ดังนี้ (ข้อมูล {a.census_be})")
    for line in summary_lines(a):
        d.para(line)
    d.para(f"เกณฑ์ที่ใช้คำนวณ: {rule_citation(a)}")
    d.para()
    d.para(f"{a.summary.actual_label} แยกตามกลุ่มสาระ", bold=True, center=True)
    _table(d, ["วิชา", *a.by_area.level_labels, "รวม"], _area_rows(a.by_area))
    d.para()
    d.para(DEMAND_TITLE, bold=True, center=True)
    _table(d, ["วิชา", *a.demand_by_area.level_labels, "รวม"], _area_rows(a.demand_by_area))
    d.para(DEMAND_NOTE, size=14)
    if a.problems:
        d.para()
        d.para(f"หมายเหตุ: พบปัญหาข้อมูล {len(a.problems)} รายการ (ดูในระบบ)")
    return d.bytes()


# ---------------------------------------------------------------------------------------------
# PDF


def analysis_pdf(a: Analysis, *, thai_digits: bool = False) -> bytes:
    """The DOCX's report as PDF, in the office's PDF pipeline (reporting.render.pdf: Sarabun
    shaped by HarfBuzz, A4 upright, page numbers from the second page), Thai digits when
    asked: the same heading, census day, summary, rule citation and tables."""
    from krupd.lib.thai_wrap import write_wrapped
    from reporting.render.pdf import document_pdf, document_table

    pdf = document_pdf(thai_digits=thai_digits)
    indent = 8  # mm: the summary's "- ..." lines, as the DOCX indents them

    def para(text: str = "", *, bold: bool = False, center: bool = False, size: float = 14):
        pdf.set_font("Sarabun", "B" if bold else "", size)
        if not text:
            pdf.ln(3)
            return
        body = text.lstrip(" ")
        pdf.set_x(pdf.l_margin + (indent if body != text else 0))
        write_wrapped(pdf, 0, size * 0.5, body, align="C" if center else "L")

    def table(title: str, area_table) -> None:
        header = ["วิชา", *area_table.level_labels, "รวม"]
        document_table(pdf, header, _area_rows(area_table), widths=[6] + [3] * (len(header) - 1),
                       size=13, line_height=6.5, align=["L"] + ["C"] * (len(header) - 1),
                       bold_last=True, title=title, title_size=14)  # fmt: skip

    para("ข้อมูลอัตรากำลังของสถานศึกษาเป็นรายโรงและในภาพรวม", bold=True, center=True, size=16)
    para(f"{scope_name(a)} ปีการศึกษา {a.academic_year}", center=True)
    para()
    para(f"ข้อมูลอัตรากำลังของสถานศึกษาเป็นรายโรงและในภาพรวม สรุปผลได้ดังนี้ (ข้อมูล {a.census_be})")
    for line in summary_lines(a):
        para(line)
    para(f"เกณฑ์ที่ใช้คำนวณ: {rule_citation(a)}")
    para()
    table(f"{a.summary.actual_label} แยกตามกลุ่มสาระ", a.by_area)
    para()
    table(DEMAND_TITLE, a.demand_by_area)
    pdf.ln(1)
    para(DEMAND_NOTE, size=12)
    if a.problems:
        para()
        para(f"หมายเหตุ: พบปัญหาข้อมูล {len(a.problems)} รายการ (ดูในระบบ)")
    return bytes(pdf.output())
