"""Every table of rows (a formset) says above it what is wrong, each message naming its row
and box: on a phone the table is a column of cards and a message under one box is easily
missed. A row ticked to be deleted says nothing."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.loader import render_to_string

from krupd.forms import RowForm, ThaiDecimalField


class _Line(RowForm):
    name = forms.CharField(label="รายการ")
    amount = ThaiDecimalField(label="จำนวนเงิน (บาท)", max_digits=10, decimal_places=2)


Lines = forms.formset_factory(_Line, extra=0, can_delete=True)


def _posted(rows):
    data = {"l-TOTAL_FORMS": str(len(rows)), "l-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data |= {f"l-{i}-{key}": value for key, value in row.items()}
    return Lines(data, prefix="l")


def test_the_summary_names_each_rows_box_and_skips_a_deleted_row():
    formset = _posted(
        [
            {"name": "ค่าอาหาร", "amount": "500"},
            {"name": "", "amount": "ห้าร้อย"},
            {"name": "ลบแล้ว", "amount": "x", "DELETE": "on"},
        ]
    )
    assert not formset.is_valid()
    html = render_to_string("_row_errors.html", {"fs": formset})
    assert "กรุณาแก้ไข 2 รายการก่อนบันทึก" in html
    assert "แถวที่ 2 · รายการ: " in html and "แถวที่ 2 · จำนวนเงิน (บาท): กรุณากรอกตัวเลข" in html
    assert "แถวที่ 3" not in html


def test_an_unbound_or_valid_table_says_nothing():
    assert render_to_string("_row_errors.html", {"fs": Lines(prefix="l")}).strip() == ""
    valid = _posted([{"name": "ค่าอาหาร", "amount": "500 บาท"}])
    assert valid.is_valid()
    assert render_to_string("_row_errors.html", {"fs": valid}).strip() == ""


def test_every_table_of_rows_has_the_summary():
    """A template that lays out a formset's rows itself includes the summary (the shared
    table, planning/_formset_table.html, includes it for the pages that use it). The PA
    workload table names the row in each message instead."""
    own_numbering = {"career/pack_workload.html"}
    root = Path(settings.BASE_DIR) / "templates"
    missing = []
    for path in root.rglob("*.html"):
        name = str(path.relative_to(root))
        text = path.read_text(encoding="utf-8")
        if (
            "management_form" in text
            and name not in own_numbering
            and "_row_errors.html" not in text
        ):
            missing.append(name)
    assert missing == []
