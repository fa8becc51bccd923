"""A framework workbook whose items sheet has rows a filter hid: the items are imported like
the others (the file is the framework), and the result names the hidden rows, as the
personnel and schools imports' previews do, so none comes in unseen."""

import io

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from planning.framework_xlsx import export_framework, read_framework
from planning.models import Framework

pytestmark = pytest.mark.django_db


def _filtered(fw, hidden: set[int], hidden_meta: set[int] = frozenset()) -> io.BytesIO:
    wb = load_workbook(io.BytesIO(export_framework(fw)))
    wb["ข้อมูลกรอบ"]["B2"] = "2"  # a new version of the same framework
    items = wb["สมรรถนะ"]
    items.auto_filter.ref = f"A1:E{items.max_row}"
    for number in hidden:
        items.row_dimensions[number].hidden = True
    for number in hidden_meta:
        wb["ข้อมูลกรอบ"].row_dimensions[number].hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "framework.xlsx"
    return buf


def test_hidden_item_rows_are_read_and_named(fw):
    parsed = read_framework(_filtered(fw, {3}).getvalue())
    assert [i.code for i in parsed.items] == ["A", "B"]
    assert parsed.hidden_rows == {"สมรรถนะ": [3]}
    assert read_framework(_filtered(fw, set()).getvalue()).hidden_rows == {}
    both = read_framework(_filtered(fw, {2, 3}, {4}).getvalue())
    assert both.hidden_rows == {"ข้อมูลกรอบ": [4], "สมรรถนะ": [2, 3]}


def test_the_import_result_lists_the_hidden_rows(client_for, fw):
    response = client_for(Role.OFFICE_ADMIN).post(
        "/planning/frameworks/import/", {"file": _filtered(fw, {3}, {4})}
    )
    assert response.status_code == 302 and response["Location"].startswith("/imports/files/")
    page = client_for(Role.OFFICE_ADMIN).get(response["Location"]).content.decode()
    assert "มีแถวที่ถูกซ่อนในไฟล์ 2 แถว" in page and "ถูกนำเข้าแล้วด้วย" in page
    assert "แผ่นงาน “ข้อมูลกรอบ” แถวที่ 4 · แผ่นงาน “สมรรถนะ” แถวที่ 3" in page
    new = Framework.objects.get(version="2")
    assert new.domains.get().competencies.count() == 2
