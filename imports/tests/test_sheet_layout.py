"""The percentage cells and hidden rows of an .ods are counted out as calamine counts rows and
columns, whatever way LibreOffice packed the sheet (repeat counts, merged cells, header rows
to repeat on every page, row groups, a frame holding a table of its own), and nothing past the
sheet's last row is listed."""

import io
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from imports import readers
from imports.sheet_layout import sheet_layout
from imports.xlsx_stream import percent_text

from .test_older_formats import ods_bytes
from .test_properties import FAST

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"'
)


def _text(value: str, extra: str = "") -> str:
    return f'<table:table-cell office:value-type="string"{extra}><text:p>{value}</text:p></table:table-cell>'


def _percent(value: str, extra: str = "") -> str:
    return (
        f'<table:table-cell office:value-type="percentage" office:value="{value}"{extra}>'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def _row(*cells: str, extra: str = "") -> str:
    return f"<table:table-row{extra}>{''.join(cells)}</table:table-row>"


def _ods(tables: str, tmp_path, styles: str = "") -> str:
    """An .ods whose content.xml holds these tables (and automatic styles) as written here."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} office:version="1.2">'
        f"{styles}<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(ods_bytes([["x"]]))) as source,
        zipfile.ZipFile(buffer, "w") as archive,
    ):
        for info in source.infolist():
            data = content if info.filename == "content.xml" else source.read(info)
            archive.writestr(info, data)
    path = tmp_path / "a.ods"
    path.write_bytes(buffer.getvalue())
    return str(path)


def _read(path: str, sheet: str = "ข้อมูล"):
    with readers.open_book(path, readers.ODS) as book, book.sheet(sheet) as read:
        return list(read.rows()), read.hidden_rows()


def test_a_packed_sheet_is_counted_out_as_calamine_counts_it(tmp_path):
    other = '<table:table table:name="ก่อน">' + _row(_percent("0.1")) * 3 + "</table:table>"
    frame = (
        '<table:table-cell><draw:frame><draw:text-box><table:table table:name="ในกรอบ">'
        + _row(_percent("0.9"), extra=' table:visibility="collapse"')
        + "</table:table></draw:text-box></draw:frame></table:table-cell>"
    )
    sheet = (
        '<table:table table:name="ข้อมูล"><table:table-column table:number-columns-repeated="4"/>'
        "<table:table-header-rows>"
        + _row(_text("หัวเรื่อง", ' table:number-columns-spanned="2"'), "<table:covered-table-cell/>",
               _text("ร้อยละ"))  # fmt: skip
        + "</table:table-header-rows><text:soft-page-break/>"
        + _row(_text("ก"), '<table:table-cell table:number-columns-repeated="2"/>', _percent("0.455"))
        + _row(_text("ข"), frame, _percent("1"), extra=' table:number-rows-repeated="2"')
        + '<table:table-row-group table:display="false">'
        + _row(_text("ค"), _percent("0.5", ' table:number-columns-repeated="2"'))
        + "</table:table-row-group>"
        + _row(_text("ง"), extra=' table:visibility="filter"')
        # Formatting down to the sheet's end, hidden: no row of it is data.
        + _row("<table:table-cell/>", extra=' table:number-rows-repeated="1048570" table:visibility="collapse"')
        + "</table:table>"
    )  # fmt: skip
    rows, hidden = _read(_ods(other + sheet, tmp_path))
    assert rows == [
        (1, ("หัวเรื่อง", None, "ร้อยละ")),
        (2, ("ก", None, None, "45.5%")),
        (3, ("ข", None, "100%")),
        (4, ("ข", None, "100%")),
        (5, ("ค", "50%", "50%")),
        (6, ("ง",)),
    ]
    assert hidden == [5, 6]  # the collapsed group's row and the filtered one; not the frame's


def test_a_sheet_without_percentages_or_hidden_rows_is_not_parsed_twice(tmp_path, monkeypatch):
    """As Calc saves any sheet: a table style with table:display="true" and a percentage
    number style nobody's cell uses. Only what a cell or row says counts."""
    from imports import sheet_layout as layout

    def parsed(*args):
        raise AssertionError("content.xml parsed for nothing")

    monkeypatch.setattr(layout, "_read_ods", parsed)
    styles = (
        '<office:automatic-styles><style:style style:name="ta1" style:family="table">'
        '<style:table-properties table:display="true"/></style:style>'
        '<number:percentage-style style:name="N11"><number:number number:decimal-places="2"/>'
        "<number:text>%</number:text></number:percentage-style></office:automatic-styles>"
    )
    sheet = (
        '<table:table table:name="ข้อมูล" table:style-name="ta1">'
        + _row(_text("ชื่อ"), _text("คะแนน"))
        + _row(_text("สมชาย"), '<table:table-cell office:value-type="float" office:value="45.5"/>')
        + "</table:table>"
    )
    rows, hidden = _read(_ods(sheet, tmp_path, styles=styles))
    assert rows == [(1, ("ชื่อ", "คะแนน")), (2, ("สมชาย", 45.5))] and hidden == []


def test_a_layout_that_cannot_be_read_leaves_the_values_as_calamine_reads_them(tmp_path):
    assert sheet_layout(str(tmp_path / "missing.xls"), "xls", "S", 10).percents == {}
    assert sheet_layout(str(tmp_path / "missing.ods"), "ods", "S", 10).hidden == []


_shares = st.integers(min_value=0, max_value=20_000).map(lambda n: f"{n / 10_000!r}")


@FAST
@given(
    runs=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=4),  # rows repeated
            st.integers(min_value=1, max_value=3),  # cells before the percentage, repeated
            _shares,
            st.sampled_from(["", ' table:visibility="collapse"', ' table:visibility="filter"']),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_every_packed_run_lands_on_the_row_and_column_the_user_sees(tmp_path_factory, runs):
    rows_xml, expected_rows, expected_hidden, number = [], [], [], 0
    for repeat, before, share, hiding in runs:
        rows_xml.append(
            _row(
                _text("ครู ๑"),
                f'<table:table-cell table:number-columns-repeated="{before}"/>',
                _percent(share),
                extra=f' table:number-rows-repeated="{repeat}"{hiding}',
            )
        )
        shown = percent_text(share)
        for _ in range(repeat):
            number += 1
            expected_rows.append((number, ("ครู ๑", *([None] * before), shown)))
            if hiding:
                expected_hidden.append(number)
    tables = '<table:table table:name="ข้อมูล">' + "".join(rows_xml) + "</table:table>"
    rows, hidden = _read(_ods(tables, tmp_path_factory.mktemp("ods")))
    assert rows == expected_rows and hidden == expected_hidden


def test_a_range_merged_down_is_filled_as_an_xlsx_fills_it(tmp_path):
    """calamine gives an .ods no merged ranges: a school's code merged down its teachers'
    rows read on the first alone. The range is read from the file, its column counted past
    repeated and covered cells, and it may reach below the last row with anything else."""
    merged = '<table:table-cell office:value-type="string" table:number-rows-spanned="4"><text:p>1076100101</text:p></table:table-cell>'
    sheet = (
        '<table:table table:name="ข้อมูล">'
        + _row('<table:table-cell table:number-columns-repeated="2"/>', _text("รหัส"), _text("ชื่อ"))
        + _row(_text("ก", ' table:number-columns-spanned="2"'), "<table:covered-table-cell/>",
               merged, _text("ครู ๑"))
        + _row('<table:table-cell table:number-columns-repeated="2"/>',
               "<table:covered-table-cell/>", _text("ครู ๒"),
               extra=' table:number-rows-repeated="2" table:visibility="collapse"')
        + _row('<table:table-cell table:number-columns-repeated="2"/>',
               "<table:covered-table-cell/>", extra=' table:visibility="collapse"')
        + "</table:table>"
    )  # fmt: skip
    rows, hidden = _read(_ods(sheet, tmp_path))
    assert rows == [
        (1, (None, None, "รหัส", "ชื่อ")),
        (2, ("ก", None, "1076100101", "ครู ๑")),
        (3, (None, None, "1076100101", "ครู ๒")),
        (4, (None, None, "1076100101", "ครู ๒")),
        (5, (None, None, "1076100101")),
    ]
    assert hidden == [3, 4, 5]
