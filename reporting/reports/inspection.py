"""The MOE inspection report in seed 004's layout: policy → focus point → 1 progress,
2 success factors, 3 problems ↔ solutions table, 4 best practice, 5 suggestions (area level,
policy level)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

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


def inspection_docx(report: InspectionReport, *, thai_digits: bool = True) -> bytes:
    d = ThaiDoc(thai_digits=thai_digits)
    d.para("รายงานผลการตรวจราชการและติดตามประเมินผลการจัดการศึกษา", bold=True, center=True, size=18)
    d.para(report.office.name, bold=True, center=True)
    d.para(f"ประจำปีงบประมาณ พ.ศ. {report.fiscal_year}", bold=True, center=True)
    d.para()
    for pv in build(report):
        p = pv.policy
        d.para(f"นโยบายที่ {p.number} {p.title}", bold=True, keep_next=True)
        d.para()
        for a in pv.answers:
            n = f"{p.number}.{a.point.number}"
            d.para(f"{n} {a.point.title}", bold=True, keep_next=True)
            d.para(f"{n}.1 ความก้าวหน้าของการดำเนินงานตามนโยบาย", bold=True, indent=0.5,
                   keep_next=True)  # fmt: skip
            for progress in a.progress.all():
                d.para(f"{progress.question.number}) {progress.question.text}", indent=1,
                       keep_next=True)  # fmt: skip
                d.lines(progress.text, indent=1.5, empty="- ไม่มีข้อมูล -")
            d.para(f"{n}.2 ปัจจัยขับเคลื่อนสู่ความสำเร็จ", bold=True, indent=0.5, keep_next=True)
            d.lines(a.success_factors, indent=1)
            d.para(f"{n}.3 ปัญหาและอุปสรรคของการดำเนินงาน", bold=True, indent=0.5, keep_next=True)
            rows = [[f"{i}. {ps.problem}", f"{i}. {ps.solution}" if ps.solution else "-"]
                    for i, ps in enumerate(a.problems.all(), 1)]  # fmt: skip
            d.table(["ปัญหา/อุปสรรค", "วิธีการ/แนวทางการแก้ไขปัญหา"], rows or [["- ไม่มี -", "-"]],
                    widths=[7.5, 8.5])  # fmt: skip
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
