"""An enrolment sheet's totals column is the sum of its grades. When a school's file says
otherwise (a hand-typed total, a grade added after the formula was pasted as values), the
grades are imported as they stand (they are what the school's totals are made from) and the
preview tells the office which row and column to check, in Thai: never ignored silently."""

import io

import openpyxl
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports import actions
from imports.importers import get_importer
from imports.models import BatchStatus
from krupd.lib.numerals import to_thai_digits
from registry.models import Enrolment

from .test_personnel import errors_of, latest_batch, upload

pytestmark = pytest.mark.django_db
FAST = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))

HEADER = ["รหัสสถานศึกษา", "ชื่อสถานศึกษา", "ปีการศึกษา",
          "ป.1 นักเรียน", "ป.1 ห้องเรียน", "ป.2 นักเรียน", "ป.2 ห้องเรียน", "รวม"]  # fmt: skip


def _xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for _ in range(5):  # a title block above the header: data starts lower down
        sheet.append(["ข้อมูลนักเรียน สพป.ตัวอย่าง"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _notes(batch) -> list[str]:
    return [f"{n['title']} | {' · '.join(n['items'])}" for n in batch.preview_notes]


def test_a_total_that_is_not_the_sum_of_the_grades_is_named_on_the_preview(client, admin, school_a):
    client.force_login(admin)
    rows = [
        ["1076100101", "โรงเรียนบ้านหนึ่ง", "2568", 80, 3, 70, 2, "๑๕๒"],  # row 7: 150 ≠ 152
        ["1076100101", "โรงเรียนบ้านหนึ่ง", "2567", 60, 2, 40, 2, "100 คน"],  # agrees
    ]
    upload(client, "enrolment", "dmc.xlsx", _xlsx(rows))
    batch = latest_batch()
    assert batch.status == BatchStatus.VALIDATED, batch.error_message or batch.notice
    assert batch.count_error == 0, errors_of(batch)
    notes = _notes(batch)
    mismatch = [n for n in notes if "ไม่เท่ากับผลรวมรายชั้น" in n]
    assert len(mismatch) == 1, notes
    assert "แถวที่ 7 คอลัมน์ รวม: 152 ไม่เท่ากับผลรวมรายชั้น 150" in mismatch[0]
    assert "แถวที่ 8" not in mismatch[0]
    assert not any("“รวม”" in n for n in notes), notes  # no longer "not imported" either
    response = client.get(reverse("imports:detail", args=[batch.pk]))
    assert "แถวที่ 7 คอลัมน์ รวม: 152 ไม่เท่ากับผลรวมรายชั้น 150" in response.content.decode()

    client.post(reverse("imports:apply", args=[batch.pk]))
    stored = dict(
        Enrolment.objects.filter(school=school_a, academic_year=2568).values_list(
            "grade", "students"
        )
    )
    assert stored == {"p1": 80, "p2": 70}  # the grades, not the total
    school_a.refresh_from_db()
    assert school_a.total_students == 150


def test_an_unreadable_total_blocks_nothing(client, admin, school_a):
    client.force_login(admin)
    upload(client, "enrolment", "dmc.xlsx", _xlsx([["1076100101", "", "2568", 5, 1, 5, 1, "-"]]))
    batch = latest_batch()
    assert batch.status == BatchStatus.VALIDATED
    assert batch.count_error == 0, errors_of(batch)
    assert not any("ผลรวมรายชั้น" in n for n in _notes(batch))


def _messy(number: int, style: int):
    text = to_thai_digits(str(number)) if style % 2 else str(number)
    return [text, f" {text} ", f"{text} คน", number, float(number)][style]


@FAST
@given(
    grades=st.lists(st.integers(0, 400), min_size=2, max_size=2),
    offset=st.integers(-30, 30),
    styles=st.lists(st.integers(0, 4), min_size=3, max_size=3),
)
def test_any_messy_total_warns_exactly_when_it_differs(office, school_a, grades, offset, styles):
    importer = get_importer("enrolment")
    ctx = importer.context(office=office)
    mapping = {i: importer.spec.match(h) for i, h in enumerate(HEADER)}
    ctx.headers = {key: HEADER[i] for i, key in mapping.items() if key}
    columns = [
        (i, importer.spec.by_key[key], None)
        for i, key in sorted(mapping.items())
        if key and not importer.spec.by_key[key].informational
    ]
    total = max(0, sum(grades) + offset)
    cells = ("1076100101", "โรงเรียน", "๒๕๖๘", _messy(grades[0], styles[0]), 1,
             _messy(grades[1], styles[1]), 1, _messy(total, styles[2]))  # fmt: skip
    row = actions.read_row(7, cells, columns, importer, ctx)
    assert not row.errors
    assert "total_students" not in row.values  # checked, never stored
    if total == sum(grades):
        assert row.warnings == []
    else:
        assert row.warnings == [
            {"column": "รวม", "message": f"{total:,} ไม่เท่ากับผลรวมรายชั้น {sum(grades):,}"}
        ]
