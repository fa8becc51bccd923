"""Annual summaries, one click each: training results (the SAR's table), staffing report,
needs report, awards table, PLC coverage and supervision coverage.

Where an app already exports a document, its own function is called (training results XLSX,
staffing XLSX/DOCX, needs XLSX/DOCX, awards XLSX); the rest are written here with the shared
Thai DOCX/XLSX helpers. Every kind says plainly when its data is missing (NoData).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.utils import timezone

from krupd.lib import thai_dates
from krupd.lib.numerals import format_hours, format_percent, percent_of
from krupd.lib.spreadsheets import thai_digits_workbook
from krupd.lib.thai_docx import ThaiDoc

from ..render.xlsx import XLSX_TYPE, table_workbook

__all__ = ["XLSX_TYPE", "NoData", "available", "export"]


class NoData(Exception):
    pass


@dataclass
class Kind:
    code: str
    title: str
    app: str
    note: str = ""


KINDS = [
    Kind("training", "ผลการพัฒนาครูและบุคลากรทางการศึกษา (ชื่อหลักสูตร ผู้เข้าอบรม ผู้ผ่าน ร้อยละ)", "training"),
    Kind("staffing", "ข้อมูลอัตรากำลังของสถานศึกษาเป็นรายโรงและในภาพรวม", "staffing"),
    Kind("needs", "ผลการประเมินความต้องการจำเป็นในการพัฒนา (PNI)", "planning"),
    Kind("awards", "ตารางการคัดเลือกเพื่อรับรางวัลและเชิดชูเกียรติ", "community"),
    Kind("plc", "การดำเนินงาน PLC รายโรงเรียน/เครือข่าย", "community"),
    Kind("supervision", "ความครอบคลุมของการนิเทศ ติดตาม รายโรงเรียน", "community"),
]  # fmt: skip


def available(user, *, fiscal_year: int) -> list[Kind]:
    return [k for k in KINDS if apps.is_installed(k.app)]


def _fy_range(fy: int) -> tuple[dt.date, dt.date]:
    return thai_dates.fiscal_year_start(fy), thai_dates.fiscal_year_end(fy)


def _thai_xlsx(data: bytes, thai: bool) -> bytes:
    return thai_digits_workbook(data) if thai else data


# ------------------------------------------------------------------------------ kinds


def _training(user, fy: int, fmt: str, thai: bool):
    from training import exports
    from training.queries import pass_pct_text, results_table, results_total

    # The DOCX shows no survey means; the XLSX (the app's own export) does.
    rows = results_table(user, fiscal_year=fy, satisfaction=fmt == "xlsx")
    if not rows:
        raise NoData(f"ยังไม่มีหลักสูตรในปีงบประมาณ พ.ศ. {fy}")
    if fmt == "xlsx":
        return exports.results_xlsx(rows, fiscal_year=fy, office=user.office, thai_digits=thai)
    d = ThaiDoc(thai_digits=thai)
    d.para(f"ผลการพัฒนาครูและบุคลากรทางการศึกษา ปีงบประมาณ พ.ศ. {fy}", bold=True, center=True)
    d.para(user.office.name, center=True)
    data = [[r.number, f"{r.course.title} ({r.course.mode_label})", r.participants,
             r.passed, pass_pct_text(r.passed, r.participants, r.pending)]
            for r in rows]  # fmt: skip
    total = results_total(rows)
    pct = pass_pct_text(total.passed, total.participants, total.pending)
    data.append(["", "รวม", total.participants, total.passed, pct])
    # The percentages (texts: "85.71", "—") on the right, as the counts beside them.
    d.table(["ที่", "ชื่อหลักสูตร", "จำนวนผู้เข้าอบรม/พัฒนา", "จำนวนผู้ผ่านการอบรม/พัฒนา", "คิดเป็นร้อยละ"],
            data, widths=[1.0, 7.2, 2.7, 2.7, 2.4], stream=True,
            align=[None, None, None, None, "right"])  # fmt: skip
    return d.bytes()


def _staffing_year(user, fy: int) -> int:
    """The academic year of the fiscal year's staffing: the latest census by its end (as the
    SAR's second round cites it)."""
    from staffing.queries import year_counted_by

    return year_counted_by(user.office, thai_dates.fiscal_year_end(fy))


def _staffing(user, fy: int, fmt: str, thai: bool):
    from staffing import exports
    from staffing.queries import analyse

    a = analyse(user, academic_year=_staffing_year(user, fy))
    if not a.summary.schools_total:
        raise NoData("ยังไม่มีข้อมูลสถานศึกษา")
    if fmt == "xlsx":
        return _thai_xlsx(exports.analysis_xlsx(a), thai)
    return exports.analysis_docx(a, thai_digits=thai)


def _needs(user, fy: int, fmt: str, thai: bool):
    from planning import exports
    from planning.queries import analyse_needs, latest_reported_round

    rnd = latest_reported_round(user.office_id, fiscal_year=fy, closed_by=timezone.localdate())
    if rnd is None:
        # A round still open has no results yet: saying there is no round would send the
        # officer looking for one she can see on the needs page.
        raise NoData(
            "ยังไม่มีรอบการประเมินความต้องการจำเป็นที่ปิดรับคำตอบแล้ว"
            f"ถึงปีงบประมาณ พ.ศ. {fy} (รอบที่ยังเปิดอยู่จะรายงานได้เมื่อปิดรับคำตอบ)"
        )
    a = analyse_needs(user, rnd, office_wide=True)
    if fmt == "xlsx":
        return _thai_xlsx(exports.needs_xlsx(a), thai)
    return exports.needs_docx(a, thai_digits=thai)


def _awards(user, fy: int, fmt: str, thai: bool):
    from community.exports import awards_table_xlsx
    from community.queries import award_year_for, awards_table

    # Awards are named by their own year, not the fiscal year; the title says which.
    year = award_year_for(user.office, fiscal_year=fy)
    rows = awards_table(user.office, year=year) if year else []
    if not rows:
        raise NoData(f"ยังไม่มีการคัดเลือกเพื่อรับรางวัลถึงปี {fy}")
    if fmt == "xlsx":
        return _thai_xlsx(awards_table_xlsx(user.office, year, rows), thai)
    d = ThaiDoc(thai_digits=thai)
    d.para(f"การคัดเลือกข้าราชการครูและบุคลากรทางการศึกษาเพื่อรับรางวัล ประจำปี {year}", bold=True,
           center=True)  # fmt: skip
    d.para(user.office.name, center=True)
    data = [[i, r.title, r.programme.organiser, n, area, region, national]
            for i, (r, n, area, region, national) in enumerate(rows, 1)]  # fmt: skip
    d.table(["ที่", "รายการคัดเลือก", "หน่วยงานผู้จัด", "เสนอชื่อ", "ระดับเขต", "ระดับภาค", "ระดับชาติ"],
            data, widths=[1, 5.5, 3.5, 1.6, 1.6, 1.4, 1.4], stream=True)  # fmt: skip
    return d.bytes()


def _plc(user, fy: int, fmt: str, thai: bool):
    from community.queries import plc_activity

    rows = plc_activity(user, fiscal_year=fy)
    if not rows:
        raise NoData(f"ยังไม่มีกลุ่ม PLC ในปีงบประมาณ พ.ศ. {fy}")
    header = [
        "ที่",
        "โรงเรียน/เครือข่าย",
        "กลุ่ม",
        "สมาชิก",
        "ครั้งที่ประชุม",
        "ชั่วโมงรวม",
        "ครบชั่วโมงตามเป้า (คน)",
    ]
    # Who reached the hour target is counted per school of the person (the office's row: its
    # own staff): a network's row has no such count, and "0 people" would read as a finding.
    data = [[i, r.label, r.groups, r.members, r.meetings, float(r.hours),
             r.reached_target if r.counts_reached else "—"]
            for i, r in enumerate(rows, 1)]  # fmt: skip
    title = f"การดำเนินงานชุมชนการเรียนรู้ทางวิชาชีพ (PLC) ปีงบประมาณ พ.ศ. {fy}"
    if fmt == "xlsx":
        book = table_workbook(title, user.office.name, header, data, [6, 40, 8, 8, 12, 12, 18])
        return _thai_xlsx(book, thai)
    # Hours are written as everywhere else in the office's documents: 28, 12.5 (not 28.00).
    for row in data:
        row[5] = format_hours(row[5])
    d = ThaiDoc(thai_digits=thai)
    d.para(title, bold=True, center=True)
    d.para(user.office.name, center=True)
    d.table(header, data, widths=[1, 5.4, 1.4, 1.8, 2, 2.1, 2.3], stream=True,
            align=[None, None, None, None, None, "right"])  # fmt: skip
    return d.bytes()


def _supervision(user, fy: int, fmt: str, thai: bool):
    from community.queries import coverage

    start, end = _fy_range(fy)
    visited, not_visited = coverage(user, start=start, end=end)
    if not visited and not not_visited:
        raise NoData("ยังไม่มีข้อมูลสถานศึกษา")
    total = len(visited) + len(not_visited)
    header = ["ที่", "รหัส", "โรงเรียน", "เครือข่าย", "ได้รับการนิเทศ"]
    marked = [(s, "✓") for s in visited] + [(s, "ยังไม่ได้รับ") for s in not_visited]
    data = [
        [i, s.obec_code, s.name, s.network.name if s.network_id else "—", mark]
        for i, (s, mark) in enumerate(marked, 1)
    ]
    title = f"ความครอบคลุมของการนิเทศ ติดตาม ปีงบประมาณ พ.ศ. {fy}"
    pct = format_percent(percent_of(len(visited), total))
    summary = f"ได้รับการนิเทศ {len(visited):,} จาก {total:,} โรงเรียน (ร้อยละ {pct})"
    if fmt == "xlsx":
        return _thai_xlsx(table_workbook(title, summary, header, data, [6, 14, 40, 28, 14]), thai)
    d = ThaiDoc(thai_digits=thai)
    d.para(title, bold=True, center=True)
    d.para(user.office.name, center=True)
    d.para(summary)
    # The network names (up to 60 letters) on two lines, not four: 104 schools on 9 pages.
    d.table(header, data, widths=[1, 3.1, 5.6, 4.5, 1.8], stream=True)
    return d.bytes()


EXPORTERS: dict[str, Callable] = {
    "training": _training,
    "staffing": _staffing,
    "needs": _needs,
    "awards": _awards,
    "plc": _plc,
    "supervision": _supervision,
}


def export(
    user, *, kind: str, fmt: str, fiscal_year: int, thai_digits: bool = False
) -> tuple[bytes, str]:
    """One summary as a file; thai_digits writes its figures, dates and page numbers in
    Thai digits, as the office's other documents offer."""
    spec = {k.code: k for k in KINDS}[kind]  # KeyError: an unknown kind
    if not apps.is_installed(spec.app):
        raise NoData("ระบบส่วนนี้ยังไม่พร้อม")
    data = EXPORTERS[kind](user, fiscal_year, fmt, thai_digits)
    return data, f"{kind}-{fiscal_year}.{fmt}"
