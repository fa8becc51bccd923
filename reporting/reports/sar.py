"""The SAR as a document: for every item of the edition, its evidence gathered from KruPD,
the suggested level with the rule that gave it, and what the officers wrote and decided."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from krupd.lib.thai_dates import year_label

from ..evidence import Evidence, EvidenceContext, gather
from ..models import SarEntry, SarIndicator, SarItem, SarLevelRule, SarReport
from ..sar_rules import LevelRule, Strength, Suggestion, rule_text, suggest_level


@dataclass
class PointView:
    text: str
    evidence: Evidence


@dataclass
class ItemView:
    item: SarItem
    indicator: SarIndicator
    points: list[PointView]
    follow_up: Evidence
    suggestion: Suggestion
    levels: list[tuple[SarLevelRule, str]]  # rule and its conditions in words
    entry: SarEntry | None = None
    attachments: list = field(default_factory=list)
    round_label: str = ""

    @property
    def final_level(self) -> int | None:
        return self.entry.officer_level if self.entry and self.entry.officer_level else None

    @property
    def documents(self) -> list[str]:
        docs: list[str] = []
        for p in self.points:
            for d in p.evidence.documents:
                if p.evidence.strength and d not in docs:
                    docs.append(d)
        if self.entry:
            docs += [
                line.strip() for line in self.entry.extra_evidence.splitlines() if line.strip()
            ]
        docs += [a.label for a in self.attachments]
        return docs

    @property
    def annexes(self) -> list[tuple[str, list[str], list[list]]]:
        return [p.evidence.annex for p in self.points if p.evidence.annex]

    @property
    def tables(self) -> list[tuple[str, list[str], list[list]]]:
        tables = []
        for p in self.points:
            tables += ([p.evidence.table] if p.evidence.table else []) + p.evidence.more_tables
        return tables


@dataclass
class SarDocument:
    report: SarReport
    items: list[ItemView]


def _indicators(edition):
    return (
        SarIndicator.objects.filter(standard__edition=edition)
        .select_related("standard")
        .prefetch_related(
            "levels", Prefetch("items", queryset=SarItem.objects.prefetch_related("points"))
        )
        .order_by("standard__sort_order", "sort_order")
    )


def build(report: SarReport) -> SarDocument:
    """Evidence for every item, gathered once per source (EvidenceContext caches data sets)."""
    ctx = EvidenceContext(
        report.office, report.fiscal_year, user=report.created_by, period=report.period
    )
    entries = {
        e.item_id: e for e in report.entries.prefetch_related("attachments").select_related()
    }
    items = []
    for indicator in _indicators(report.edition):
        rules = list(indicator.levels.all())
        specs = [LevelRule(r.level, r.evidence_in, r.clear_in, r.needs_follow_up) for r in rules]
        for item in indicator.items.all():
            points = [
                PointView(p.text, gather(ctx, p.evidence_key, p.params)) for p in item.points.all()
            ]
            follow = (
                gather(ctx, item.follow_up_key)
                if item.follow_up_key
                else Evidence(Strength.NONE, "ไม่ได้กำหนดแหล่งหลักฐานการติดตาม")
            )
            suggestion = suggest_level(
                [p.evidence.strength for p in points], follow.strength, specs
            )
            entry = entries.get(item.pk)
            items.append(
                ItemView(
                    item=item,
                    indicator=indicator,
                    points=points,
                    follow_up=follow,
                    suggestion=suggestion,
                    levels=[(r, rule_text(s)) for r, s in zip(rules, specs, strict=True)],
                    entry=entry,
                    attachments=list(entry.attachments.all()) if entry else [],
                    round_label=report.round_label,
                )
            )
    return SarDocument(report=report, items=items)


# ------------------------------------------------------------------------------ DOCX

SAR_HEADER = [
    "ระดับคุณภาพ",
    "คำอธิบายคุณภาพ",
    "ข้อมูลสารสนเทศ ผลการดำเนินงานของ สพป./สพม.",
    "ปัจจัย/วิธีการที่ทำให้การดำเนินงานเกิดผลสำเร็จตามเป้าหมาย/Best Practice หรือปัญหา/อุปสรรค/"
    "ข้อจำกัด/จุดที่ควรพัฒนาที่ทำให้การดำเนินงานไม่ประสบความสำเร็จตามเป้าหมาย",
    "เอกสาร/หลักฐานอ้างอิง",
]
SAR_WIDTHS = [2.3, 5.2, 7.4, 6.0, 3.8]  # A4 landscape text width 24.7 cm

NARRATIVES = (
    ("1. ปัจจัย/วิธีการที่ทำให้การดำเนินงานเกิดผลสำเร็จตามเป้าหมาย", "success_factors"),
    ("2. ปัญหา/อุปสรรค/ข้อจำกัด ที่ทำให้การดำเนินงานไม่ประสบความสำเร็จตามเป้าหมาย", "problems"),
    ("3. จุดที่ควรพัฒนา", "points_to_develop"),
    ("4. แนวทางการพัฒนา", "guidelines"),
)


def _office_data(view: ItemView) -> list[tuple[str, bool]]:
    from krupd.lib.thai_docx import CHECKED, UNCHECKED

    blocks = [(f"{view.item.number}. {view.item.requirement or view.item.title}", True)]
    for p in view.points:
        mark = CHECKED if p.evidence.strength else UNCHECKED
        blocks.append((f"{mark} {p.text}", False))
    blocks.append((f"การดำเนินงานใน{view.round_label}", True))
    for p in view.points:
        blocks.append((f"- {p.evidence.summary}", False))
        blocks += [(f"    {line}", False) for line in p.evidence.lines]
    if view.entry and view.entry.office_data.strip():
        blocks += [(line, False) for line in view.entry.office_data.splitlines() if line.strip()]
    return blocks


def _narratives(view: ItemView) -> list[tuple[str, bool]]:
    blocks = []
    for title, name in NARRATIVES:
        blocks.append((title, True))
        text = getattr(view.entry, name, "") if view.entry else ""
        lines = [line for line in text.splitlines() if line.strip()]
        blocks += [(line, False) for line in lines or ["- ไม่มี -"]]
    return blocks


def sar_docx(document: SarDocument, *, thai_digits: bool = False, progress=None) -> bytes:
    """The SAR as DOCX bytes; `progress(done, total)`, when given, is told as each item begins."""
    from docx.shared import Cm

    from krupd.lib.thai_docx import CHECKED, UNCHECKED, ThaiDoc, repeat_header, set_widths

    report = document.report
    d = ThaiDoc(thai_digits=thai_digits, landscape=True)
    d.para("รายงานการประเมินตนเอง (Self-Assessment Report: SAR)", bold=True, center=True, size=20)
    d.para(report.office.name, bold=True, center=True)
    d.para(f"ปีงบประมาณ พ.ศ. {year_label(report.fiscal_year)}", center=True)
    d.para(f"การดำเนินงานใน{report.round_label} ({report.period_label})", bold=True, center=True)
    d.para(f"ตาม{report.edition.name}", center=True)
    d.para()
    last_indicator = None
    for done, view in enumerate(document.items):
        if progress:
            progress(done, len(document.items))
        ind = view.indicator
        if ind.pk != last_indicator:
            last_indicator = ind.pk
            d.para(f"ประเด็นที่ {ind.standard.number} {ind.standard.title}", bold=True,
                   keep_next=True)  # fmt: skip
            d.para(f"ตัวบ่งชี้ที่ {ind.number} {ind.title} รายละเอียดดังนี้", bold=True,
                   keep_next=True)  # fmt: skip
        # Kept with its table: a title left at the foot of a page, its table on the next
        # (the table's 7-line heading row cannot split), left page 1 half empty.
        d.para(f"{view.item.number}. {view.item.title}", bold=True, indent=1, keep_next=True)
        table = d.doc.add_table(rows=1 + len(view.levels), cols=5)
        table.style = "Table Grid"
        for c, h in enumerate(SAR_HEADER):
            d.cell_text(table.cell(0, c), [(h, True)], size=13)
        repeat_header(table.rows[0])
        final = view.final_level
        for r, (rule, _words) in enumerate(view.levels, start=1):
            mark = CHECKED if final == rule.level else UNCHECKED
            d.cell_text(table.cell(r, 0), [(f"{mark} ระดับ {rule.level}", final == rule.level)])
            d.cell_text(table.cell(r, 1), [(rule.description, False)])
        if view.levels:
            # As in the SAR: the office's data, factors and evidence fill the first level's
            # row and the other levels' cells stay empty, so a long row can break across pages.
            d.cell_text(table.cell(1, 2), _office_data(view))
            for title, header, rows in view.tables:
                d.run(table.cell(1, 2).add_paragraph(), title, bold=True, size=14)
                _cell_table(d, table.cell(1, 2), header, rows, width=SAR_WIDTHS[2])
                table.cell(1, 2).add_paragraph()
            d.cell_text(table.cell(1, 3), _narratives(view))
            docs = view.documents or ["- ยังไม่มีหลักฐานในระบบ -"]
            d.cell_text(table.cell(1, 4), [(f"{CHECKED} {doc}" if view.documents else doc, False)
                                           for doc in docs])  # fmt: skip
        set_widths(table, SAR_WIDTHS)
        p = d.para(indent=0.5)
        d.run(p, "ผลการประเมิน: ", bold=True, size=14)
        # The office's decision only: the system's suggestion is a help on the page.
        d.run(p, f"ระดับ {final}" if final else "ยังไม่ได้ตัดสินระดับคุณภาพ", size=14)
        p.paragraph_format.space_after = Cm(0.4)
        for title, header, rows in view.annexes:
            _annex(d, title, report.office.name, header, rows)
    if progress:
        progress(len(document.items), len(document.items))
    return d.bytes()


def _cell_table(d, cell, header: list[str], rows: list[list], *, width: float) -> None:
    """A small table (the teachers by subject) inside a cell of the item's table, filling the
    cell, each column wide enough for its words. Left to fit itself (autofit), LibreOffice
    drew it a third of the cell wide and cut its words ("ประ|ถม|ศึกษ|า", "บริหา|ร")."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from krupd.lib.column_fit import CELL_PADDING_CM, fitted_widths
    from krupd.lib.thai_docx import set_widths

    texts = [[d.t(v) for v in values] for values in rows]
    inner = cell.add_table(rows=1, cols=len(header))
    inner.style = "Table Grid"
    for c, h in enumerate(header):
        d.cell_text(inner.cell(0, c), [(h, True)], size=INNER_HEADER_SIZE)
    for values in texts:
        cells = inner.add_row().cells
        for c, text in enumerate(values):
            d.cell_text(cells[c], [(text, False)], size=12)
    # Narrow cell margins (0.06 cm, Word's are 0.19): "คณิตศาสตร์", "ประถมศึกษา" and
    # "โอกาสฯ" need the room, with Thai digits too.
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(INNER_MARGIN_TWIPS))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    inner._tbl.tblPr.append(margins)
    even = (width - CELL_PADDING_CM) / len(header)
    padding = 2 * INNER_MARGIN_TWIPS / 567
    set_widths(
        inner,
        fitted_widths(
            [even] * len(header),
            header,
            texts,
            size=12,
            header_size=INNER_HEADER_SIZE,
            padding=padding,
        ),
    )


INNER_MARGIN_TWIPS = 34  # 0.06 cm
INNER_HEADER_SIZE = 11  # its body 12 pt


# Column widths (cm, A4 landscape text width 24.7) of the annex tables, by their columns: the
# development methods table (8) and the networks' goals (7).
ANNEX_WIDTHS = {
    8: [1.0, 5.4, 3.6, 3.6, 3.9, 2.4, 2.4, 2.4],
    7: [1.0, 3.4, 7.4, 2.0, 2.4, 6.1, 2.4],
}


NO_DEVELOPMENT = "- ไม่มีการพัฒนาในรอบนี้ -"


def _annex(d, title: str, office_name: str, header: list[str], rows: list[list]) -> None:
    """A full-width table after the item, headed like the SAR's attachment: the header bold
    13 pt as the attachment has it (not centred) and repeated on every page, the body 13 pt
    as typed (numbers not moved right). A large office's round has thousands of courses: the
    body rows are streamed into the saved file (ThaiDoc.table), cell by cell through
    python-docx they took 11 s for 3,500 courses."""
    d.para(title, bold=True, center=True, keep_next=True)
    d.para(office_name, center=True, keep_next=True)
    d.table(
        header,
        rows or [["", NO_DEVELOPMENT] + [""] * (len(header) - 2)],
        widths=ANNEX_WIDTHS.get(len(header)),
        size=13,
        header_align=None,
        numbers_right=False,
        centered=False,
        stream=True,
    )
    d.para()
