"""The spreadsheet of a school's new accounts and their temporary passwords, made once when
the accounts are made and never stored: the admin prints it or passes it to the school."""

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from krupd.lib.spreadsheets import workbook_bytes
from krupd.lib.thai_dates import format_thai_date

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["ลำดับ", "ชื่อ-นามสกุล", "ตำแหน่ง", "ชื่อผู้ใช้", "รหัสผ่านชั่วคราว"]
WIDTHS = [8, 34, 26, 16, 20]


def accounts_xlsx(school, made) -> bytes:
    """`made`: actions.NewAccount rows (user, password), each user linked to their person."""
    wb = Workbook()
    ws = wb.active
    ws.title = "บัญชีผู้ใช้"
    ws.cell(1, 1, f"บัญชีผู้ใช้ KruPD ของ{school.name}").font = Font(bold=True, size=14)
    ws.cell(2, 1, f"สร้างเมื่อ {format_thai_date(timezone.localdate(), style='long')} "
                  f"จำนวน {len(made)} บัญชี")  # fmt: skip
    ws.cell(3, 1, "รหัสผ่านเป็นรหัสชั่วคราว ผู้ใช้ต้องตั้งรหัสผ่านใหม่เมื่อเข้าสู่ระบบครั้งแรก "
                  "โปรดมอบให้เฉพาะเจ้าของบัญชี และทำลายเอกสารนี้เมื่อแจกครบแล้ว")  # fmt: skip
    head = 5
    for col, text in enumerate(HEADER, start=1):
        cell = ws.cell(head, col, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F1")
        cell.alignment = Alignment(horizontal="center")
    for n, account in enumerate(made, start=1):
        person = account.user.person
        values = [n, person.full_name, person.position, account.user.username, account.password]
        for col, value in enumerate(values, start=1):
            ws.cell(head + n, col, value)
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[chr(64 + col)].width = width
    ws.print_title_rows = f"{head}:{head}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    return workbook_bytes(wb)
