"""The MOE inspection report in the provincial report's layout: cover, คำนำ, สารบัญ, then
policy → focus point → 1 progress, 2 success factors, 3 problems ↔ solutions table, 4 best
practice, 5 suggestions (area level, policy level)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from krupd.lib.thai_dates import year_label
from krupd.lib.thai_docx import ThaiDoc

from ..models import FocusAnswer, InspectionReport, ProgressAnswer


@dataclass
class PolicyView:
    policy: object
    answers: list[FocusAnswer]


def build(report: InspectionReport) -> list[PolicyView]:
    answers = (
        report.answers.select_related("point__policy")
        .prefetch_related(
            Prefetch("progress", queryset=ProgressAnswer.objects.select_related("question")),
            "problems",
        )
        .order_by("point__policy__number", "point__number")
    )
    out: list[PolicyView] = []
    for a in answers:
        if not out or out[-1].policy.pk != a.point.policy_id:
            out.append(PolicyView(a.point.policy, []))
        out[-1].answers.append(a)
    return out


def snapshot(report: InspectionReport) -> dict:
    """The report's text as the office sends it to its province (InspectionVersion.content):
    every focus point with the policy it belongs to, so the province can read and merge it
    without the draft that goes on changing."""
    return {
        "office": report.office.name,
        "fiscal_year": report.fiscal_year,
        "round_number": report.round_number,
        "points": [
            {
                "point": a.point_id,
                "policy_number": pv.policy.number,
                "policy_title": pv.policy.title,
                "number": a.point.number,
                "title": a.point.title,
                "best_practice_topic": a.point.best_practice_topic,
                "progress": [
                    {
                        "question": p.question_id,
                        "number": p.question.number,
                        "question_text": p.question.text,
                        "text": p.text,
                    }
                    for p in a.progress.all()
                ],  # fmt: skip
                "success_factors": a.success_factors,
                "problems": [
                    {"problem": ps.problem, "solution": ps.solution} for ps in a.problems.all()
                ],  # fmt: skip
                "best_practice": a.best_practice,
                "area_suggestions": a.area_suggestions,
                "policy_suggestions": a.policy_suggestions,
            }
            for pv in build(report)
            for a in pv.answers
        ],
    }


def default_foreword(report: InspectionReport) -> str:
    """The foreword offices write, in the office's name, round and year; the office
    may replace it (InspectionReport.foreword)."""
    return (
        "เพื่อให้การตรวจราชการและการติดตาม ตรวจสอบ และประเมินผลการจัดการศึกษาตามนโยบายของ"
        "กระทรวงศึกษาธิการ เป็นไปด้วยความเรียบร้อย มีประสิทธิภาพ เกิดประสิทธิผล และเป็นไปตามวัตถุประสงค์ "
        f"{report.office.name} จึงได้จัดทำรายงานผลการตรวจราชการและติดตามประเมินผลตามนโยบาย"
        f"การจัดการศึกษาของกระทรวงศึกษาธิการ รอบที่ {report.round_number} ประจำปีงบประมาณ พ.ศ. "
        f"{year_label(report.fiscal_year)} โดยมีรายละเอียดในแต่ละประเด็นภายในเล่ม"
    )


def _front_matter(d: ThaiDoc, report: InspectionReport, policies: list[PolicyView]) -> None:
    """Cover, คำนำ and สารบัญ, as the report the inspectors receive opens (inspection report)."""
    for _ in range(6):
        d.para()
    d.para("รายงานผลการตรวจราชการและติดตามประเมินผลการจัดการศึกษา", bold=True, center=True, size=20)
    d.para(f"รอบที่ {report.round_number} ประจำปีงบประมาณ พ.ศ. {year_label(report.fiscal_year)}",
           bold=True, center=True, size=18)  # fmt: skip
    d.para()
    d.para(report.office.name, bold=True, center=True, size=18)
    d.page_break()
    d.bookmark(d.para("คำนำ", bold=True, center=True, size=18), "kp_foreword")
    d.para()
    for line in (report.foreword or default_foreword(report)).splitlines() or [""]:
        d.para(line, first_line=1.25)
    d.para()
    d.closing([report.office.name])
    d.page_break()
    d.para("สารบัญ", bold=True, center=True, size=18)
    d.contents_line("เรื่อง", page_text="หน้า", bold=True)
    d.contents_line("คำนำ", page_of="kp_foreword")
    for pv in policies:
        d.contents_line(f"นโยบายที่ {pv.policy.number} {pv.policy.title}",
                        page_of=f"kp_policy_{pv.policy.number}")  # fmt: skip
        for a in pv.answers:
            d.contents_line(f"จุดเน้นที่ {pv.policy.number}.{a.point.number} {a.point.title}",
                            page_of=_point_mark(pv, a), indent=0.75)  # fmt: skip
    d.page_break()


def _point_mark(pv: PolicyView, answer) -> str:
    return f"kp_point_{pv.policy.number}_{answer.point.number}"


def inspection_docx(report: InspectionReport, *, thai_digits: bool = True) -> bytes:
    d = ThaiDoc(thai_digits=thai_digits)
    policies = build(report)
    _front_matter(d, report, policies)
    d.para("รายงานผลการตรวจราชการและติดตามประเมินผลการจัดการศึกษา", bold=True, center=True, size=18)
    d.para(report.office.name, bold=True, center=True)
    d.para(f"รอบที่ {report.round_number} ประจำปีงบประมาณ พ.ศ. {year_label(report.fiscal_year)}",
           bold=True, center=True)  # fmt: skip
    d.para()
    for pv in policies:
        p = pv.policy
        d.bookmark(d.para(f"นโยบายที่ {p.number} {p.title}", bold=True, keep_next=True),
                   f"kp_policy_{p.number}")  # fmt: skip
        d.para()
        for a in pv.answers:
            n = f"{p.number}.{a.point.number}"
            d.bookmark(d.para(f"{n} {a.point.title}", bold=True, keep_next=True),
                       _point_mark(pv, a))  # fmt: skip
            d.para(f"{n}.1 ความก้าวหน้าของการดำเนินงานตามนโยบาย", bold=True, indent=0.5,
                   keep_next=True)  # fmt: skip
            for progress in a.progress.all():
                d.para(f"{progress.question.number}) {progress.question.text}", indent=1,
                       keep_next=True)  # fmt: skip
                # Pre-filled lists run to thousands of lines (every online course of a large
                # office): streamed into the file, not built paragraph by paragraph.
                d.lines(progress.text, indent=1.5, empty="- ไม่มีข้อมูล -", stream=True)
            d.para(f"{n}.2 ปัจจัยขับเคลื่อนสู่ความสำเร็จ", bold=True, indent=0.5, keep_next=True)
            d.lines(a.success_factors, indent=1)
            d.para(f"{n}.3 ปัญหาและอุปสรรคของการดำเนินงาน", bold=True, indent=0.5, keep_next=True)
            rows = [[f"{i}. {ps.problem}", f"{i}. {ps.solution}" if ps.solution else "-"]
                    for i, ps in enumerate(a.problems.all(), 1)]  # fmt: skip
            d.table(["ปัญหา/อุปสรรค", "วิธีการ/แนวทางการแก้ไขปัญหา"], rows or [["- ไม่มี -", "-"]],
                    widths=[7.5, 8.5])  # fmt: skip
            d.para()  # the table and the next heading apart, as the report is typed
            topic = a.point.best_practice_topic or a.point.title
            d.para(
                f"{n}.4 นวัตกรรม/รูปแบบ/แนวทางการดำเนินงาน{topic} ที่คิดว่าเป็นต้นแบบหรือแบบอย่างที่ดี "
                "(Best Practice) (ถ้ามี)",
                bold=True, indent=0.5, keep_next=True,
            )  # fmt: skip
            d.lines(a.best_practice, indent=1)
            d.para(f"{n}.5 ข้อเสนอแนะในการดำเนินงาน", bold=True, indent=0.5, keep_next=True)
            d.para("ระดับพื้นที่ (หน่วยงาน/สถานศึกษา)", bold=True, indent=1, keep_next=True)
            d.lines(a.area_suggestions, indent=1.5)
            d.para("ระดับนโยบาย", bold=True, indent=1, keep_next=True)
            d.lines(a.policy_suggestions, indent=1.5)
            d.para()
    return d.bytes()
