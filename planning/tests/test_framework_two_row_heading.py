"""A competency sheet whose heading takes two rows, as offices lay out a rubric: the item
columns' headings merged down two rows beside "ระดับพฤติกรรม" merged across "ระดับ 1 … ระดับ 5"
(or plain "1 … 5"). The row under the header is part of the heading: it was read as an item
(a competency coded "รหัส" named "สมรรถนะ/ตัวชี้วัด" in a domain "รหัสด้าน") and every level
descriptor under it was dropped without a word."""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from krupd.lib.numerals import to_thai_digits
from planning.framework_xlsx import read_framework

HEADS = ["รหัสด้าน", "ชื่อด้าน", "รหัส", "สมรรถนะ/ตัวชี้วัด", "คำอธิบาย"]
ITEMS = [
    ["1", "การใช้เทคโนโลยีดิจิทัล", "1.1", "ใช้อุปกรณ์ดิจิทัล", "", "ใช้ไม่ได้", "ใช้ได้บ้าง",
     "ใช้ได้", "ใช้ได้ดี", "สอนผู้อื่นได้"],
    ["1", "การใช้เทคโนโลยีดิจิทัล", "1.2", "ใช้โปรแกรมสำนักงาน", "พิมพ์เอกสารราชการ", "ก", "ข",
     "ค", "ง", "จ"],
]  # fmt: skip


def _book(*, level_heads, merged=True, spaces=lambda s: s) -> bytes:
    wb = Workbook()
    meta = wb.active
    meta.title = "ข้อมูลกรอบ"
    for r, (k, v) in enumerate([("รหัสกรอบ", "DC"), ("ฉบับ", "2568"), ("ชื่อกรอบ", "ดิจิทัล"),
                                ("คะแนนต่ำสุด", 1), ("คะแนนสูงสุด", 5)], start=1):  # fmt: skip
        meta.cell(r, 1, k), meta.cell(r, 2, v)
    ws = wb.create_sheet("สมรรถนะ")
    for c, head in enumerate(HEADS, start=1):
        ws.cell(1, c, spaces(head))
        if merged:
            ws.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
    ws.cell(1, 6, spaces("ระดับพฤติกรรม"))
    ws.merge_cells("F1:J1")
    for i, head in enumerate(level_heads):
        ws.cell(2, 6 + i, head)
    for r, row in enumerate(ITEMS, start=3):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _read(data: bytes) -> list[tuple]:
    return [(i.domain_code, i.code, i.name, i.descriptors) for i in read_framework(data).items]


EXPECTED = [(row[0], row[2], row[3], row[5:]) for row in ITEMS]


def test_the_row_under_a_two_row_heading_is_heading_not_an_item():
    assert _read(_book(level_heads=[f"ระดับ {v}" for v in range(1, 6)])) == EXPECTED


def test_levels_numbered_under_a_spread_heading_are_read():
    assert _read(_book(level_heads=[1, 2, 3, 4, 5])) == EXPECTED
    assert _read(_book(level_heads=["๑", "๒", "๓", "๔", "๕"], merged=False)) == EXPECTED


def test_a_one_row_heading_reads_as_before():
    wb = Workbook()
    meta = wb.active
    meta.title = "ข้อมูลกรอบ"
    for r, (k, v) in enumerate([("รหัสกรอบ", "DC"), ("ฉบับ", "1"), ("ชื่อกรอบ", "ดิจิทัล"),
                                ("คะแนนต่ำสุด", 1), ("คะแนนสูงสุด", 5)], start=1):  # fmt: skip
        meta.cell(r, 1, k), meta.cell(r, 2, v)
    ws = wb.create_sheet("สมรรถนะ")
    ws.append(HEADS + [f"ระดับ {v}" for v in range(1, 6)])
    ws.append([None] * 10)  # a blank row under the heading is skipped, not a heading
    for row in ITEMS:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    assert _read(buf.getvalue()) == EXPECTED


# Headings as people type them: Thai digits, spaces around and inside, invisible marks.
JUNK = st.sampled_from(["", " ", "  ", "\u200b", "\ufeff", "\u00a0", "\t"])


@st.composite
def level_heading(draw, value: int):
    digits = draw(st.sampled_from([str(value), to_thai_digits(str(value))]))
    word = draw(st.sampled_from(["ระดับ ", "ระดับ", "ระดับ  ", None]))
    text = digits if word is None else word + digits
    if word is None and draw(st.booleans()):
        return value  # a number cell
    note = draw(st.sampled_from(["", " (ดี)", "\n(ต้องปรับปรุง)", "(พอใช้)"]))
    return draw(JUNK) + text + note + draw(JUNK)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), merged=st.booleans(), junk=JUNK)
def test_any_typed_two_row_heading_reads_the_same_items(data, merged, junk):
    heads = [data.draw(level_heading(v)) for v in range(1, 6)]
    got = _read(_book(level_heads=heads, merged=merged, spaces=lambda s: junk + s + junk))
    assert got == EXPECTED


def test_headings_with_a_note_in_brackets_are_read():
    """ "ระดับ 1 (ต้องปรับปรุง)" is the column "ระดับ 1" and "รหัส (ตัวชี้วัด)" the column "รหัส",
    as the importers read headings: the file was refused ("ไม่พบคอลัมน์ “รหัส”"), and with a
    plain "รหัส" every descriptor under a noted level heading was dropped without a word."""
    notes = ["ต้องปรับปรุง", "พอใช้", "ปานกลาง", "ดี", "ดีมาก"]
    for code_heading in ("รหัส (ตัวชี้วัด)", "รหัส"):
        wb = Workbook()
        meta = wb.active
        meta.title = "ข้อมูลกรอบ"
        rows = [("รหัสกรอบ", "DC"), ("ฉบับ", "1"), ("ชื่อกรอบ (ภาษาไทย)", "ดิจิทัล"),
                ("คะแนนต่ำสุด", 1), ("คะแนนสูงสุด (เต็ม)", 5), ("ระดับ 1 (ต่ำสุด)", "น้อยที่สุด")]  # fmt: skip
        for r, (k, v) in enumerate(rows, start=1):
            meta.cell(r, 1, k), meta.cell(r, 2, v)
        ws = wb.create_sheet("สมรรถนะ")
        heads = ["รหัสด้าน", "ชื่อด้าน", code_heading, "สมรรถนะ/ตัวชี้วัด", "คำอธิบาย"]
        ws.append(
            heads + [f"ระดับ {v}\n({note})" for v, note in zip(range(1, 6), notes, strict=True)]
        )
        for row in ITEMS:
            ws.append(row)
        buf = io.BytesIO()
        wb.save(buf)
        parsed = read_framework(buf.getvalue())
        assert (parsed.name, parsed.scale_max, parsed.scale_labels[0]) == ("ดิจิทัล", 5, "น้อยที่สุด")
        assert [(i.domain_code, i.code, i.name, i.descriptors) for i in parsed.items] == EXPECTED
