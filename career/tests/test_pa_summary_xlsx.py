"""The office's PA summary workbook, cell by cell."""

import io
from decimal import Decimal
from types import SimpleNamespace as NS

from openpyxl import load_workbook

from career import exports


class Evaluations(list):
    def all(self):
        return self


def agreement(name, school, standing, status, totals, mean, passed):
    a = NS(
        person=NS(full_name=name, workplace_name=school),
        standing=standing,
        get_status_display=lambda: status,
        evaluations=Evaluations(NS(seat=seat, total=total) for seat, total in totals.items()),
    )
    return a, NS(mean_pct=mean, passed_all=passed)


AGREEMENTS = [
    agreement("นางสาวสมศรี ใจดี", "โรงเรียนบ้านท่าราบ", "ครูชำนาญการ", "ประเมินแล้ว",
              {1: Decimal("85.50"), 2: Decimal("90"), 3: Decimal("77.25")}, Decimal("84.25"), True),
    agreement("=นาย ทดสอบ & <ลูก>", "โรงเรียน \"วัด\"", None, "รอประเมิน",
              {2: None, 3: Decimal("60")}, None, None),
    agreement("นางวันดี มีสุข", "", "ครู", "ประเมินแล้ว", {}, Decimal("55.5"), False),
]  # fmt: skip


def cells(content: bytes) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(content))
    return {
        ws.title: [[None if v == "" else v for v in r] for r in ws.iter_rows(values_only=True)]
        for ws in book.worksheets
    }


def test_it_writes_one_row_per_agreement_under_a_title_and_a_styled_header():
    office = NS(name="สพป.เพชรบุรี เขต 1")
    content = exports.pa_summary_xlsx(office, 2569, AGREEMENTS)
    assert cells(content) == {
        "PA 2569": [
            ["สรุปผลการประเมิน PA ปีงบประมาณ 2569 — สพป.เพชรบุรี เขต 1"] + [None] * 9,
            ["ที่", "ชื่อ-สกุล", "สถานศึกษา", "วิทยฐานะ", "สถานะ", "ผู้ประเมิน 1", "ผู้ประเมิน 2",
             "ผู้ประเมิน 3", "เฉลี่ย", "ผล"],
            [1, "นางสาวสมศรี ใจดี", "โรงเรียนบ้านท่าราบ", "ครูชำนาญการ", "ประเมินแล้ว", 85.5, 90,
             77.25, 84.25, "ผ่าน"],
            # A mark not given yet, or no standing, is "—" as the status page writes it.
            [2, "=นาย ทดสอบ & <ลูก>", 'โรงเรียน "วัด"', "—", "รอประเมิน", "—", "—", 60, "—",
             "ยังประเมินไม่ครบ"],
            [3, "นางวันดี มีสุข", None, "ครู", "ประเมินแล้ว", "—", "—", "—", 55.5, "ไม่ผ่าน"],
        ]
    }  # fmt: skip
    ws = load_workbook(io.BytesIO(content)).active
    assert ws["A1"].font.b and ws["A1"].font.sz == 14
    assert ws["B2"].font.b and ws["B2"].fill.fgColor.rgb == "FFDCE6F1"
    assert ws.column_dimensions["B"].width == 28
