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


def test_it_writes_the_same_cells_as_the_openpyxl_workbook():
    office = NS(name="สพป.เพชรบุรี เขต 1")
    new = exports.pa_summary_xlsx(office, 2569, AGREEMENTS)
    old = exports.pa_summary_xlsx_openpyxl(office, 2569, AGREEMENTS)
    assert cells(new) == cells(old)
