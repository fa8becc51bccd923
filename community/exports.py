"""The yearly awards table (the SAR, 5.5 item 10) as XLSX."""

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from krupd.lib.spreadsheets import print_as_document, workbook_bytes

from .queries import awards_table_totals

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")


def awards_table_xlsx(office, year: int, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"รางวัล {year}"
    ws.append([f"การคัดเลือกข้าราชการครูและบุคลากรทางการศึกษาเพื่อรับรางวัล ประจำปี {year}"])
    ws.append([office.name])
    ws["A1"].font = Font(bold=True, size=14)
    header = [
        "ที่",
        "รายการคัดเลือก",
        "หน่วยงานผู้จัด",
        "จำนวนผู้ได้รับการเสนอชื่อ",
        "จำนวนผู้ได้รับการคัดเลือก (ระดับเขต)",
        "ระดับภาค",
        "ระดับชาติ",
    ]
    ws.append(header)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, (round_, nominated, area, region, national) in enumerate(rows, 1):
        ws.append([i, round_.title, round_.programme.organiser, nominated, area, region, national])
        ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.append(["", "รวม", "", *awards_table_totals(rows)])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for col, width in zip("ABCDEFG", [6, 60, 28, 14, 18, 12, 12], strict=True):
        ws.column_dimensions[col].width = width
    print_as_document(ws, header_row=3, landscape=True)
    return workbook_bytes(wb)
