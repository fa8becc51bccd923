"""Small builders for reporting tests: courses with passed enrolments, O-NET sheets."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook

from training.models import Course, Enrolment, Session


def course(office, *, fy: int, title="อบรมเชิงปฏิบัติการ", hours="12", mode="workshop", **kw):
    c = Course.objects.create(office=office, title=title, mode=mode, hours=Decimal(hours),
                              fiscal_year=fy, status=kw.pop("status", "finished"), **kw)  # fmt: skip
    start = dt.date(fy - 544, 11, 1)
    Session.objects.create(course=c, start_date=start, end_date=start, capacity=100)
    return c


def passed(course_, person, *, hours="12", passed_=True):
    return Enrolment.objects.create(
        course=course_, session=course_.sessions.first(), person=person, status="enrolled",
        source="office", passed=passed_, hours_credited=Decimal(hours if passed_ else "0"),
    )  # fmt: skip


def onet_sheet(rows, header=("รหัสสถานศึกษา", "วิชา", "ปีการศึกษา", "คะแนนเฉลี่ย")) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["ผลการทดสอบ O-NET"])
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
