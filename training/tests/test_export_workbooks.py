"""The training workbooks (SAR results, transcript, roster), written by xlsx_writer, as the
office prints them: every cell's value, number format, alignment, boldness, size and fill,
the row heights, column widths, frozen panes and the printed page (A4 fitted to the width,
the header repeated on every page, "- n -" page numbers), in Arabic and in Thai digits.

These cells and styles are those the openpyxl versions wrote (a test compared both, cell by
cell, on messy text, until the openpyxl code was removed); only the typeface is new:
Sarabun, as the office's PDFs."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from krupd.lib import xlsx_writer
from krupd.lib.numerals import to_thai_digits
from krupd.lib.thai_dates import format_thai_date
from training import exports, rosters
from training.models import Course, CourseMode, HourType
from training.queries import CourseBrief, ResultRow, Transcript

# Text as people type it: Thai with its marks, Latin, symbols XML must escape, formula-like
# starts, long titles that wrap. Not the control characters openpyxl refuses to write, nor
# "\r", which the openpyxl version lost (an XML reader reads a bare one as "\n").
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B),
        st.characters(blacklist_categories=("Cs", "Cc")),
        st.sampled_from("=+-@&<>'\"\t\n 0123456789"),
    ),
    max_size=130,
)
MODES = st.sampled_from([m for m, _label in CourseMode.choices])
OFFICE = SimpleNamespace(name="สพป.เพชรบุรี เขต 1")
TODAY = dt.date(2026, 12, 5)


def _fill(cell) -> str | None:
    fill = cell.fill
    return fill.fgColor.rgb[-6:] if fill.patternType == "solid" else None


def _look(cell) -> tuple:
    a = cell.alignment
    return (
        cell.value,
        cell.number_format,
        (a.horizontal, a.vertical, bool(a.wrap_text)),
        (bool(cell.font.b), cell.font.sz or 11),
        _fill(cell),
    )


def _page(ws) -> tuple:
    setup, margins = ws.page_setup, ws.page_margins
    return (
        ws.title,
        ws.freeze_panes,
        ws.print_title_rows,
        (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight),
        ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
        bool(ws.print_options.horizontalCentered),
        (margins.left, margins.right, margins.top, margins.bottom, margins.header),
        bool(ws.HeaderFooter.differentFirst),
        (ws.oddHeader.center.text, ws.evenHeader.center.text, ws.firstHeader.center.text),
        {k: d.width for k, d in ws.column_dimensions.items() if d.width},
    )


def _sheet(data: bytes) -> dict:
    ws = load_workbook(io.BytesIO(data)).active
    cells = {
        c.coordinate: _look(c)
        for row in ws.iter_rows()
        for c in row
        if c.value is not None  # a styled empty cell looks like any empty one
    }
    heights = {r: d.height for r, d in ws.row_dimensions.items() if d.height}
    return {"page": _page(ws), "cells": cells, "heights": heights}


result_rows = st.lists(
    st.builds(
        lambda n, title, mode, people, passed, pending, hours, sat, open_s, open_p: ResultRow(
            number=n,
            course=CourseBrief(pk=n, title=title, mode=mode, hours=hours),
            participants=people,
            passed=min(passed, people),
            hours=hours,
            satisfaction=sat,
            pending=min(pending, people),
            open_sessions=open_s,
            open_participants=open_p,
        ),  # fmt: skip
        st.integers(1, 10**4),
        TEXT,
        MODES,
        st.integers(0, 10**5),
        st.integers(0, 10**5),
        st.integers(0, 50),
        st.decimals(0, 999, places=1),
        st.one_of(st.none(), st.floats(1, 5)),
        st.integers(0, 9),
        st.integers(0, 10**4),
    ),
    max_size=6,
)


def _enrolment(title, mode, status, hours, day):
    return SimpleNamespace(
        course=Course(title=title, mode=mode),
        completed_on=day,
        session=SimpleNamespace(start_date=day),
        hours_attended=hours,
        hours_credited=hours / 2,
        hours_in_year=hours / 2,  # the part of the year shown (queries.transcript sets it)
        status=status,
        result_text="ผ่าน",
        get_status_display=lambda: "ยกเลิก",
    )


def _registered(pk, name, school, pct, pre):
    person = SimpleNamespace(
        pk=pk, full_name=name, first_name=name, position="ครู", academic_standing_id=None,
        school_id=pk if school else None,
        school=SimpleNamespace(pk=pk, name=school, obec_code=f"10760100{pk:02d}"),
        workplace_name=school,
    )  # fmt: skip
    return SimpleNamespace(
        pk=pk, person=person, attendance_pct=pct, pre_score_pct=pre, post_score_pct=None,
        status="enrolled", result_text="รอผล", get_status_display=lambda: "ลงทะเบียน",
        get_source_display=lambda: "สมัครเอง",
    )  # fmt: skip


@settings(max_examples=20, deadline=None)
@given(rows=result_rows, thai=st.booleans())
def test_every_course_reads_back_in_its_row_and_the_total_below(rows, thai):
    sheet = _sheet(exports.results_xlsx(rows, fiscal_year=2570, office=OFFICE, thai_digits=thai))
    cells = sheet["cells"]

    def shown(value):
        text = str(value) if isinstance(value, int) else xlsx_writer._NOT_XML.sub("", value)
        shown = to_thai_digits(text) if thai else value
        return None if shown == "" else shown

    for r, row in enumerate(rows, start=6):
        assert cells.get(f"B{r}", (None,))[0] == shown(row.course.title)
        participants = f"{row.participants:,}" if thai else row.participants
        assert cells[f"D{r}"][0] == shown(participants)
    # A year with no course has a row saying so above its totals.
    total = 6 + max(len(rows), 1)
    if not rows:
        assert cells["B6"][0] == exports.NO_COURSES
    assert cells[f"B{total}"][0] == "รวม" and max(int(key[1:]) for key in cells) == total
    if thai:
        assert not any(ch in "0123456789" for look in cells.values() for ch in str(look[0]))


LONG_TITLE = "การพัฒนาครูด้านการจัดการเรียนรู้เชิงรุก (Active Learning) สำหรับครูผู้สอนระดับประถมศึกษาทุกกลุ่มสาระ"
WORKSHOP, SEMINAR = CourseMode.choices[0][0], CourseMode.choices[1][0]
HEAD = ("General", ("center", "center", True), (True, 11), "DCE6F1")
BODY = (None, "top", True)
CENTRED = ("General", ("center", None, False), (False, 11), None)
PAGE = (True, (0.75, 0.75, 1.0, 1.0, 0.5), True, ("- &P -", "- &P -", None))  # centred … numbers


def _results(thai: bool) -> dict:
    rows = [
        ResultRow(number=1, course=CourseBrief(1, LONG_TITLE, WORKSHOP, Decimal(6)), participants=12,
                  passed=10, hours=Decimal(6), satisfaction=4.25, open_sessions=1,
                  open_participants=30),
        ResultRow(number=2, course=CourseBrief(2, "=ลูกเสือ & <ยุวกาชาด>", SEMINAR, Decimal("12.5")),
                  participants=0, passed=0, hours=Decimal("12.5"), satisfaction=None),
    ]  # fmt: skip
    return _sheet(
        exports.results_xlsx(
            rows,
            fiscal_year=2570,
            office=OFFICE,
            signer_name="นางสาวสมศรี ใจดี",
            signer_title="ผู้อำนวยการ",
            today=TODAY,
            thai_digits=thai,
        )  # fmt: skip
    )


def test_the_results_workbook_reads_and_prints_as_the_office_s_table():
    sheet = _results(thai=False)
    title, freeze, print_titles, setup, fit, *page, widths = sheet["page"]
    assert (title, freeze, print_titles) == ("ผลการพัฒนา 2570", None, "$5:$5")
    assert setup == (9, "landscape", 1, 0) and fit and tuple(page) == PAGE
    assert list(widths.values()) == exports.RESULTS_WIDTHS
    assert sheet["heights"] == {5: 32, 6: 32}  # the long headers and the long title wrap
    cells = sheet["cells"]
    assert cells["A1"] == ("สพป.เพชรบุรี เขต 1", "General", (None, None, False), (True, 14), None)
    assert cells["A2"][0] == "ผลการพัฒนาครูและบุคลากรทางการศึกษา ปีงบประมาณ 2570"
    assert cells["A2"][3] == (True, 14) and cells["A3"][3] == (False, 11)
    assert not any(key[1:] == "4" for key in cells)  # a blank row above the table
    assert [cells[f"{c}5"] for c in "AL"] == [("ที่", *HEAD), ("ผู้เข้าร่วมรุ่นที่ยังไม่จบ (คน)", *HEAD)]
    assert cells["A6"] == (1, "General", ("center", "top", True), (False, 11), None)
    assert cells["B6"] == (LONG_TITLE, "General", BODY, (False, 11), None)
    assert cells["C6"][0] == dict(CourseMode.choices)[WORKSHOP]
    assert [cells[f"{c}6"][:2] for c in "DEFGHIJKL"] == [
        (12, "General"), (10, "General"), (83.33, "0.00"), (0, "General"), (6, "General"),
        (4.25, "0.00"), ("มาก", "General"), (1, "General"), (30, "General"),
    ]  # fmt: skip
    assert cells["B7"][0] == "=ลูกเสือ & <ยุวกาชาด>"
    # Nobody to count: the percentage, mean and band are "—", as the page and DOCX write them.
    assert [cells[f"{c}7"][0] for c in "FIJ"] == ["—", "—", "—"]
    assert cells["H7"][0] == 12.5
    assert [cells[f"{c}8"][0] for c in "BDEFGKL"] == ["รวม", 12, 10, 83.33, 0, 1, 30]
    assert "H8" not in cells and cells["B8"][2] == BODY
    # Two blank rows, then the signature block centred under the courses' names.
    assert not any(key[1:] in ("9", "10", "12") for key in cells)
    assert [cells[f"B{r}"] for r in (11, 13, 14, 15, 16)] == [
        (text, *CENTRED)
        for text in ("ขอรับรองว่าข้อมูลข้างต้นถูกต้อง", "ลงชื่อ " + "." * 54, "(นางสาวสมศรี ใจดี)",
                     "ผู้อำนวยการ", "วันที่ 5 ธันวาคม 2569")
    ]  # fmt: skip
    assert max(int(key[1:]) for key in cells) == 16


def test_the_results_workbook_in_thai_digits_shows_numbers_as_printed():
    sheet = _results(thai=True)
    assert sheet["page"][0] == "ผลการพัฒนา ๒๕๗๐" and sheet["heights"] == {5: 32, 6: 32}
    cells = sheet["cells"]
    assert not any(ch in "0123456789" for look in cells.values() for ch in str(look[0]))
    assert cells["A1"][0] == "สพป.เพชรบุรี เขต ๑" and cells["B16"][0] == "วันที่ ๕ ธันวาคม ๒๕๖๙"
    assert cells["A6"] == ("๑", "General", ("center", "top", True), (False, 11), None)
    right = ("right", "top", True)
    assert cells["F6"] == ("๘๓.๓๓", "0.00", right, (False, 11), None)
    assert [cells[f"{c}6"][:3] for c in "DHI"] == [
        ("๑๒", "General", right),
        ("๖", "General", right),
        ("๔.๒๕", "0.00", right),
    ]
    assert cells["H7"][0] == "๑๒.๕" and cells["J6"][:3] == ("มาก", "General", BODY)


def test_the_transcript_workbook_totals_hours_under_the_table():
    items = [_enrolment("การสอนอ่าน", WORKSHOP, "enrolled", Decimal(6), dt.date(2026, 11, 2))]
    items.append(_enrolment("ค่ายลูกเสือ", SEMINAR, "cancelled", Decimal(0), dt.date(2026, 11, 9)))
    person = SimpleNamespace(
        office=OFFICE, full_name="นายสมชาย ใจดี", position="ครู", workplace_label="บ้าน ก"
    )
    t = Transcript(
        person=person, fiscal_year=2570, enrolments=items, certificates=[object()],
        hours_by_type={kind: Decimal(i) for i, (kind, _) in enumerate(HourType.choices)},
        target=Decimal(20),
    )  # fmt: skip
    sheet = _sheet(exports.transcript_xlsx(t, signer_title="ผู้อำนวยการ", today=TODAY))
    title, _freeze, print_titles, setup, fit, *page, widths = sheet["page"]
    assert (title, print_titles, setup) == ("ปีงบประมาณ 2570", "$5:$5", (9, "portrait", 1, 0))
    assert fit and tuple(page) == PAGE and list(widths.values()) == [6, 55, 30, 14, 14, 30, 14]
    cells = sheet["cells"]
    assert cells["A3"][0] == "นายสมชาย ใจดี · ครู · บ้าน ก"
    assert [cells[f"{c}6"][0] for c in "ABCDEFG"] == [
        1,
        "การสอนอ่าน",
        dict(CourseMode.choices)[WORKSHOP],
        format_thai_date(dt.date(2026, 11, 2)),
        6,
        "ผ่าน",
        3,
    ]
    assert cells["F7"][0] == "ยกเลิก"
    first = 9  # a blank row after the table, then a line per kind of hours
    kinds = len(HourType.choices)
    for i, (_kind, label) in enumerate(HourType.choices):
        assert (cells[f"B{first + i}"][0], cells[f"G{first + i}"][0]) == (
            exports.hours_heading(label),
            i,
        )
    total = first + kinds
    assert cells[f"B{total}"][:4] == ("รวมชั่วโมงพัฒนา", "General", (None, None, False), (True, 11))
    assert cells[f"G{total}"][0] == sum(range(kinds)) and cells[f"G{total}"][3] == (True, 11)
    assert [cells[f"G{total + i}"][0] for i in (1, 2)] == [20, 1]
    assert cells[f"B{total + 4}"] == ("ขอรับรองว่าข้อมูลข้างต้นถูกต้อง", *CENTRED)
    assert cells[f"B{total + 7}"][0] == "(" + "." * 54 + ")"  # no signer's name yet


def test_the_roster_workbook_keeps_names_in_view_and_prints_landscape():
    start = dt.date(2026, 11, 2)
    course = SimpleNamespace(title="การจัดการเรียนรู้เชิงรุก", office=OFFICE)
    session = SimpleNamespace(course=course, name="รุ่นที่ 1", start_date=start,
                              end_date=start + dt.timedelta(days=1), place="โรงแรม ก")  # fmt: skip
    days = [SimpleNamespace(pk=i, date=start + dt.timedelta(days=i)) for i in range(2)]
    people = [_registered(1, "สมศรี", "บ้าน ข", Decimal(50), None)]
    people.append(_registered(2, "สมชาย", "บ้าน ก", Decimal(100), Decimal("62.5")))
    sheet = _sheet(rosters.roster_xlsx(session, days, people, {(0, 2), (1, 2)}, thai_digits=True))
    title, freeze, print_titles, setup, fit, *page, widths = sheet["page"]
    assert (title, freeze, print_titles) == ("รายชื่อผู้ลงทะเบียน", "C6", "$5:$5")
    assert setup == (9, "landscape", 1, 0) and fit and tuple(page) == PAGE
    cells = sheet["cells"]
    assert cells["A1"][3] == (True, 14) and cells["A3"][0] == OFFICE.name.replace("1", "๑")
    assert cells["H5"] == (to_thai_digits("มา " + format_thai_date(start, style="medium")), *HEAD)
    # By school, then name: บ้าน ก's สมชาย first, present both days.
    assert [cells[f"{c}6"][0] for c in "ABEHIJK"] == ["๑", "สมชาย", "บ้าน ก", "มา", "มา", "๑๐๐",
                                                       "๖๒.๕"]  # fmt: skip
    assert cells["A6"][2] == ("center", "top", True) and cells["J6"][2] == ("right", "top", True)
    assert "H7" not in cells and cells["B7"][0] == "สมศรี"


def test_a_self_paced_course_has_no_attended_hours_in_the_transcript_workbook():
    """A passed e-learning course read "attended 0 hours, counted 6": it has no attendance."""
    online = _enrolment(
        "AI ช่วยสอน", CourseMode.ONLINE, "enrolled", Decimal(0), dt.date(2026, 11, 2)
    )
    online.hours_in_year = Decimal(6)
    person = SimpleNamespace(
        office=OFFICE, full_name="นายสมชาย ใจดี", position="ครู", workplace_label="บ้าน ก"
    )
    t = Transcript(
        person=person, fiscal_year=2570, enrolments=[online], certificates=[],
        hours_by_type={kind: Decimal(0) for kind, _ in HourType.choices}, target=Decimal(20),
    )  # fmt: skip
    cells = _sheet(exports.transcript_xlsx(t))["cells"]
    assert cells["B6"][0] == "AI ช่วยสอน" and cells["G6"][0] == 6
    assert "E6" not in cells or cells["E6"][0] in (None, "")
