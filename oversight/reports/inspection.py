"""The provincial inspection report in the layout the provincial education offices send to
the ministry's inspectors (รายงานผลการตรวจราชการ สำนักงานศึกษาธิการจังหวัด): cover, คำนำ,
สารบัญ, the opening statement, then policy → focus point → X.Y.1 progress, X.Y.2 success
factors, X.Y.3 problems ↔ solutions table, X.Y.4 best practice, X.Y.5 suggestions at area
and policy level.

What each office submitted is printed under its own name. Where the provincial inspector
wrote the province's own text (success factors, problems, suggestions) it replaces the
offices' texts for that section; her overall summary opens X.Y.1.
"""

from __future__ import annotations

from django.utils import timezone

from krupd.lib.thai_dates import MONTHS_LONG, be_year, year_label
from krupd.lib.thai_docx import ThaiDoc

from ..inspection_queries import OfficeStanding, PointView, PolicyView, province_report, standings
from ..models import InspectionRound
from ..queries import short_office_name


def office_name(round_: InspectionRound) -> str:
    return f"สำนักงานศึกษาธิการจังหวัด{round_.province.name}"


def default_foreword(round_: InspectionRound) -> str:
    """The foreword in the province's name, round and year; the inspector may replace it
    (InspectionRound.foreword)."""
    return (
        "เพื่อให้การตรวจราชการและการติดตาม ตรวจสอบ และประเมินผลการจัดการศึกษาตามนโยบายของ"
        "กระทรวงศึกษาธิการ เป็นไปด้วยความเรียบร้อย มีประสิทธิภาพ เกิดประสิทธิผล และเป็นไปตามวัตถุประสงค์ "
        f"{office_name(round_)} ซึ่งเป็นหน่วยงานดูแลการจัดการศึกษาในภาพรวมของจังหวัด{round_.province.name} "
        "จึงได้จัดทำรายงานผลการตรวจราชการ และติดตาม ประเมินผลตามนโยบายการจัดการศึกษาของ"
        f"กระทรวงศึกษาธิการ รอบที่ {round_.round_number} ประจำปีงบประมาณ พ.ศ. "
        f"{year_label(round_.fiscal_year)} โดยมีรายละเอียดในแต่ละประเด็นภายในเล่ม\n"
        "หวังเป็นอย่างยิ่งว่ารายงานฉบับนี้จะเป็นการนำเสนอข้อมูลที่จำเป็นตามนโยบายการตรวจราชการ"
        "ต่อคณะผู้ตรวจราชการทุกท่าน"
    )


def _round_line(round_: InspectionRound) -> str:
    return f"รอบที่ {round_.round_number} ประจำปีงบประมาณ พ.ศ. {year_label(round_.fiscal_year)}"


def _front_matter(d: ThaiDoc, round_: InspectionRound, policies: list[PolicyView]) -> None:
    for _ in range(5):
        d.para()
    d.para("รายงาน", bold=True, center=True, size=24)
    d.para("ผลการติดตามประเมินผล", bold=True, center=True, size=20)
    d.para("ตรวจราชการและติดตามประเมินผลการจัดการศึกษาของ", bold=True, center=True, size=18)
    d.para("กระทรวงศึกษาธิการ", bold=True, center=True, size=20)
    d.para(_round_line(round_), bold=True, center=True, size=20)
    for _ in range(8):
        d.para()
    d.para(office_name(round_), bold=True, center=True, size=20)
    d.page_break()

    d.bookmark(d.para("คำนำ", bold=True, center=True, size=18), "kp_foreword")
    d.para()
    for line in (round_.foreword or default_foreword(round_)).splitlines() or [""]:
        if line.strip():
            d.para(line.strip(), first_line=1.25)
            d.para()
    today = timezone.localdate()
    d.closing([office_name(round_), f"{MONTHS_LONG[today.month - 1]} {be_year(today)}"])
    d.page_break()

    d.bookmark(d.para("สารบัญ", bold=True, center=True, size=18), "kp_contents")
    d.contents_line("เรื่อง", page_text="หน้า", bold=True)
    d.contents_line("คำนำ", page_of="kp_foreword")
    d.contents_line("สารบัญ", page_of="kp_contents")
    d.contents_line(
        "การรายงานผลการตรวจราชการและติดตามประเมินผล ตามนโยบายการจัดการศึกษากระทรวงศึกษาธิการ "
        f"ประจำปี พ.ศ. {year_label(round_.fiscal_year)}",
        page_of="kp_report",
    )
    for pv in policies:
        d.contents_line(
            f"นโยบายที่ {pv.policy.number} {pv.policy.title} ({len(pv.points)} จุดเน้น)",
            page_of=_policy_mark(pv),
        )
        for p in pv.points:
            d.contents_line(f"จุดเน้นที่ {p.number} {p.point.title}", page_of=_point_mark(p),
                            indent=0.75)  # fmt: skip
    d.page_break()


def _policy_mark(pv: PolicyView) -> str:
    return f"kp_policy_{pv.policy.number}"


def _point_mark(p: PointView) -> str:
    return f"kp_point_{p.number.replace('.', '_')}"


def _named(d: ThaiDoc, texts: list[tuple[str, str]], *, indent: float) -> None:
    """Each office's text under its name, as the provincial report credits each agency."""
    if not texts:
        d.para("- ไม่มีข้อมูล -", indent=indent)
    for office, text in texts:
        d.para(office, bold=True, indent=indent, keep_next=True)
        d.lines(text, indent=indent + 0.5)


def _province_or_offices(d: ThaiDoc, own: str, p: PointView, name: str, *, indent: float):
    if own.strip():
        d.lines(own, indent=indent)
    else:
        _named(d, p.office_texts(name), indent=indent)


def _point(d: ThaiDoc, p: PointView) -> None:
    n, s = p.number, p.summary
    d.bookmark(d.para(f"{n} {p.point.title}", bold=True, keep_next=True), _point_mark(p))
    d.para(f"{n}.1 ความก้าวหน้าของการดำเนินงานตามนโยบาย", bold=True, indent=0.5, keep_next=True)
    if s and s.summary.strip():
        d.lines(s.summary, indent=1)
    for question, answers in p.progress_by_question():
        d.para(f"{question.number}) {question.text}", indent=1, keep_next=True)
        _named(d, answers, indent=1.5)
    d.para(f"{n}.2 ปัจจัยขับเคลื่อนสู่ความสำเร็จ", bold=True, indent=0.5, keep_next=True)
    _province_or_offices(d, s.success_factors if s else "", p, "success_factors", indent=1)
    d.para(f"{n}.3 ปัญหาและอุปสรรคของการดำเนินงาน", bold=True, indent=0.5, keep_next=True)
    own = list(s.problems.all()) if s else []
    if own:
        rows = [[f"{i}. {r.problem}", f"{i}. {r.solution}" if r.solution else "-"]
                for i, r in enumerate(own, 1)]  # fmt: skip
    else:
        rows = [
            [
                f"{i}. {problem} ({short_office_name(office)})",
                f"{i}. {solution}" if solution else "-",
            ]
            for i, (office, problem, solution) in enumerate(p.office_problems(), 1)
        ]
    d.table(["ปัญหา/อุปสรรค", "วิธีการ/แนวทางการแก้ไขปัญหา"], rows or [["- ไม่มี -", "-"]],
            widths=[7.5, 8.5])  # fmt: skip
    d.para()  # the table and the next heading apart, as the report is typed
    topic = p.point.best_practice_topic or p.point.title
    d.para(
        f"{n}.4 นวัตกรรม/รูปแบบ/แนวทางการดำเนินงาน{topic} ที่คิดว่าเป็นต้นแบบหรือแบบอย่างที่ดี "
        "(Best Practice) (ถ้ามี)",
        bold=True, indent=0.5, keep_next=True,
    )  # fmt: skip
    _named(d, p.office_texts("best_practice"), indent=1)
    d.para(f"{n}.5 ข้อเสนอแนะในการดำเนินงาน", bold=True, indent=0.5, keep_next=True)
    d.para("ระดับพื้นที่ (หน่วยงาน/สถานศึกษา)", bold=True, indent=1, keep_next=True)
    _province_or_offices(d, s.area_suggestions if s else "", p, "area_suggestions", indent=1.5)
    d.para("ระดับนโยบาย", bold=True, indent=1, keep_next=True)
    _province_or_offices(d, s.policy_suggestions if s else "", p, "policy_suggestions",
                         indent=1.5)  # fmt: skip
    d.para()


def province_inspection_docx(
    round_: InspectionRound,
    *,
    thai_digits: bool = True,
    rows: list[OfficeStanding] | None = None,
) -> bytes:
    rows = rows if rows is not None else standings(round_, with_content=True)
    policies = province_report(round_, rows)
    d = ThaiDoc(thai_digits=thai_digits)
    _front_matter(d, round_, policies)
    opening = d.para(
        f"{office_name(round_)} ขอรายงานผลการติดตามประเมินผล ตามประเด็นการตรวจราชการและติดตาม"
        f"ประเมินผลการจัดการศึกษาของกระทรวงศึกษาธิการ {_round_line(round_)} ดังนี้",
        first_line=1.25,
    )
    d.bookmark(opening, "kp_report")
    included = [r.office.name for r in rows if r.in_report]
    if included:
        d.para("หน่วยงานที่ร่วมรายงาน", bold=True, indent=0.5)
        for i, name in enumerate(included, 1):
            d.para(f"{i}. {name}", indent=1)
    d.para()
    for pv in policies:
        heading = d.para(f"นโยบายที่ {pv.policy.number} {pv.policy.title}", bold=True, keep_next=True)
        d.bookmark(heading, _policy_mark(pv))
        d.para()
        for p in pv.points:
            _point(d, p)
    return d.bytes()
