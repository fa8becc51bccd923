"""The training workbooks (SAR results, transcript, roster) written by xlsx_writer read,
look and print exactly as the openpyxl versions did: every cell's value, number format,
alignment, boldness, size and fill, the row heights, column widths, frozen panes and the
printed page (A4, fitted to the width, header repeated, "- n -" page numbers), in Arabic and
in Thai digits. Only the typeface changed, on purpose: Sarabun, as the office's PDFs."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from training import exports, rosters
from training.models import Course, CourseMode
from training.queries import ResultRow, Transcript

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


def _same(new: bytes, old: bytes) -> None:
    a, b = _sheet(new), _sheet(old)
    assert a["page"] == b["page"]
    assert a["heights"] == b["heights"]
    assert a["cells"] == b["cells"]
    fonts = {c.font.name for row in load_workbook(io.BytesIO(new)).active.iter_rows() for c in row}
    assert fonts <= {exports.FONT}


result_rows = st.lists(
    st.builds(
        lambda n, title, mode, people, passed, pending, hours, sat, open_s, open_p: ResultRow(
            number=n,
            course=Course(title=title, mode=mode),
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


@settings(max_examples=30, deadline=None)
@given(rows=result_rows, thai=st.booleans(), signed=st.booleans(), fy=st.integers(2560, 2600))
def test_the_results_workbook_is_the_openpyxl_one(rows, thai, signed, fy):
    options = dict(fiscal_year=fy, office=OFFICE, thai_digits=thai)
    if signed:
        options.update(signer_name="นางสาวสมศรี ใจดี", signer_title="ผู้อำนวยการ", today=TODAY)
    _same(exports.results_xlsx(rows, **options), exports.results_xlsx_openpyxl(rows, **options))


def _enrolment(title, mode, status, hours, day):
    return SimpleNamespace(
        course=Course(title=title, mode=mode),
        completed_on=day,
        session=SimpleNamespace(start_date=day),
        hours_attended=hours,
        hours_credited=hours / 2,
        status=status,
        result_text="ผ่าน",
        get_status_display=lambda: "ยกเลิก",
    )


enrolments = st.lists(
    st.builds(
        _enrolment,
        TEXT,
        MODES,
        st.sampled_from(["enrolled", "cancelled"]),
        st.decimals(0, 99, places=1),
        st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
    ),
    max_size=5,
)


@settings(max_examples=20, deadline=None)
@given(items=enrolments, name=TEXT, thai=st.booleans(), signed=st.booleans())
def test_the_transcript_workbook_is_the_openpyxl_one(items, name, thai, signed):
    person = SimpleNamespace(office=OFFICE, full_name=name, position="ครู", workplace_name="บ้าน ก")
    t = Transcript(
        person=person, fiscal_year=2570, enrolments=items, certificates=[object()] * 2,
        hours_by_type={"training": Decimal("12.5"), "plc": Decimal(3), "other": Decimal(0)},
        target=Decimal(20),
    )  # fmt: skip
    options = dict(thai_digits=thai)
    if signed:
        options.update(signer_name="", signer_title="ผู้อำนวยการ", today=TODAY)
    _same(exports.transcript_xlsx(t, **options), exports.transcript_xlsx_openpyxl(t, **options))


def _registered(pk, name, school, pct, pre):
    person = SimpleNamespace(
        full_name=name, first_name=name, position="ครู", academic_standing_id=None,
        school_id=1 if school else None, school=SimpleNamespace(name=school),
        workplace_name=school,
    )  # fmt: skip
    return SimpleNamespace(
        pk=pk, person=person, attendance_pct=pct, pre_score_pct=pre, post_score_pct=None,
        status="enrolled", result_text="รอผล", get_status_display=lambda: "ลงทะเบียน",
        get_source_display=lambda: "สมัครเอง",
    )  # fmt: skip


@settings(max_examples=15, deadline=None)
@given(
    people=st.lists(
        st.tuples(
            TEXT, TEXT, st.decimals(0, 100, places=2), st.none() | st.decimals(0, 100, places=2)
        ),
        max_size=5,
    ),
    days=st.integers(0, 3),
    thai=st.booleans(),
)
def test_the_roster_workbook_is_the_openpyxl_one(people, days, thai):
    start = dt.date(2026, 11, 2)
    course = SimpleNamespace(title="การจัดการเรียนรู้เชิงรุก", office=OFFICE)
    session = SimpleNamespace(course=course, name="รุ่นที่ 1", start_date=start,
                              end_date=start + dt.timedelta(days=max(days - 1, 0)), place="")  # fmt: skip
    session_days = [SimpleNamespace(pk=i, date=start + dt.timedelta(days=i)) for i in range(days)]
    registered = [_registered(i, *p) for i, p in enumerate(people)]
    present = {(d.pk, e.pk) for d in session_days for e in registered if e.pk % 2}
    args = (session, session_days, registered, present)
    _same(
        rosters.roster_xlsx(*args, thai_digits=thai),
        rosters.roster_xlsx_openpyxl(*args, thai_digits=thai),
    )
