"""The list exporter's XLSX writer: what goes in comes back out, in every reader we use."""

import io
import zipfile
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from imports.xlsx_stream import XlsxStream
from krupd.lib import xlsx_writer

THAI = st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B)
ANY_TEXT = st.text(
    alphabet=st.one_of(THAI, st.characters(codec="utf-8"), st.sampled_from("=+-@&<>'\"\t\r\n ")),
    max_size=40,
)
VALUES = st.one_of(
    st.none(),
    ANY_TEXT,
    st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1),
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    st.booleans(),
)


def written(headers, rows, **options) -> bytes:
    out = io.BytesIO()
    xlsx_writer.write_table(out, title="บุคลากร", headers=headers, rows=rows, **options)
    return out.getvalue()


def expected(value):
    """What a reader gives back: text without the characters XML cannot carry, and numbers
    as numbers (a whole Decimal as an int)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = xlsx_writer._NOT_XML.sub("", value)[: xlsx_writer.MAX_CELL_TEXT]
        return text or None
    if isinstance(value, Decimal):
        return int(value) if value == int(value) else float(value)
    return value


def read_openpyxl(content: bytes):
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.lists(VALUES, min_size=4, max_size=4), max_size=8))
def test_every_value_reads_back_as_written(rows):
    headers = ["ชื่อ", "เลขประจำตัวประชาชน", "หมายเหตุ", "เงินเดือน"]
    content = written(headers, rows, text_columns={1})
    got = read_openpyxl(content)
    assert got[0] == headers
    for row, back in zip(rows, got[1:], strict=True):
        assert [expected(v) if expected(v) != "" else None for v in row] == [
            v if v != "" else None for v in back
        ]


def test_formula_like_text_stays_text_and_rows_keep_their_full_width():
    content = written(["ก", "ข", "ค"], [["=1+1", None, None], ["@SUM(A1)", "", 5]])
    assert read_openpyxl(content) == [["ก", "ข", "ค"], ["=1+1", None, None], ["@SUM(A1)", None, 5]]
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b'<dimension ref="A1:C3"/>' in sheet


def test_the_import_reader_reads_it_without_shared_strings():
    content = written(["ชื่อ", "จำนวน"], [["สมศรี & ลูก <๒>", 12], ["ครู\tผู้ช่วย", Decimal("1.50")]])
    book = XlsxStream(io.BytesIO(content))
    try:
        assert book.sheets[0]["name"] == "บุคลากร"
        rows = [values for _, values in book.rows(book.sheets[0]["part"])]
    finally:
        book.close()
    assert rows[1][:2] == ("สมศรี & ลูก <๒>", 12)
    assert rows[2][:2] == ("ครู\tผู้ช่วย", 1.5)


def test_the_header_is_styled_frozen_and_columns_sized():
    content = written(["ก", "ข"], [["1", "2"]], widths=[30, None], text_columns={0})
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    assert sheet.title == "บุคลากร" and sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb == "FFDCE6F1"
    assert sheet.column_dimensions["A"].width == 30
    assert sheet["A2"].number_format == "@" and sheet["B2"].number_format == "General"


def test_progress_is_reported_per_thousand_rows_and_at_the_end():
    seen = []
    count = xlsx_writer.write_table(
        io.BytesIO(),
        title="x",
        headers=["a"],
        rows=([i] for i in range(2500)),
        progress=seen.append,
    )
    assert count == 2500 and seen == [1000, 2000, 2500]


def test_a_sheet_title_excel_refuses_is_made_acceptable():
    assert xlsx_writer.sheet_title("ครู/บุคลากร [2569]: ทั้งหมด?") == "ครู บุคลากร  2569   ทั้งหมด"[:31]
    assert xlsx_writer.sheet_title("") == "Sheet1"


# ---------------------------------------------------------------------------- several sheets

TITLE_TEXT = st.text(
    alphabet=st.one_of(THAI, st.sampled_from("[]:*?/\\' ก-(2)Hh"), st.characters(codec="utf-8")),
    max_size=40,
)
LINE = st.lists(VALUES, max_size=3)
SHEET = st.fixed_dictionaries(
    {
        "title": TITLE_TEXT,
        "above": st.lists(LINE, max_size=3),
        "headers": st.lists(ANY_TEXT, max_size=3),
        "rows": st.lists(st.lists(VALUES, min_size=3, max_size=3), max_size=5),
        "below": st.lists(LINE, max_size=2),
    }
)


def _grid(sheet: dict) -> list[list]:
    """The sheet as a reader sees it: rows of expected values, blank rows included, every row
    as wide as the widest, trailing blank rows gone."""
    rows = [*sheet["above"]]
    if sheet["headers"]:
        rows += [sheet["headers"], *sheet["rows"]]
    rows += sheet["below"]
    rows = [[expected(v) for v in row] for row in rows]
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    return [r + [None] * (width - len(r)) for r in rows]


def _trimmed(rows) -> list[list]:
    rows = [[None if v == "" else v for v in row] for row in rows]
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    while width and all(len(r) < width or r[width - 1] is None for r in rows):
        width -= 1
    return [(r + [None] * width)[:width] for r in rows]


def _comparable(rows) -> list[list]:
    """Numbers as floats (calamine reads every number as a float, openpyxl whole ones as int)."""
    return [
        [float(v) if isinstance(v, int | float) and not isinstance(v, bool) else v for v in r]
        for r in _trimmed(rows)
    ]


@settings(max_examples=25, deadline=None)
@given(sheets=st.lists(SHEET, min_size=1, max_size=4))
def test_several_sheets_read_back_as_written_in_every_reader(sheets):
    from python_calamine import CalamineWorkbook

    out = io.BytesIO()
    xlsx_writer.write_workbook(
        out,
        [
            xlsx_writer.Sheet(
                title=s["title"],
                above=[xlsx_writer.Line(line, xlsx_writer.TITLE) for line in s["above"]],
                headers=s["headers"],
                rows=iter(s["rows"]),
                below=[xlsx_writer.Line(line, xlsx_writer.BOLD) for line in s["below"]],
                text_columns={1},
                widths=[20, None, 8.5],
                freeze="B2",
            )
            for s in sheets
        ],
    )
    titles: list[str] = []
    for s in sheets:
        titles.append(xlsx_writer.sheet_title(s["title"], titles))
    content = out.getvalue()
    wanted = [_comparable(_grid(s)) for s in sheets]

    for read_only in (False, True):
        book = load_workbook(io.BytesIO(content), read_only=read_only)
        assert book.sheetnames == titles
        got = [_comparable([list(r) for r in ws.iter_rows(values_only=True)]) for ws in book]
        assert got == wanted
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert book.sheet_names == titles
    got = [_comparable(book.get_sheet_by_name(t).to_python(skip_empty_area=False)) for t in titles]
    assert got == wanted


def test_sheet_titles_are_cut_and_made_unique_without_case():
    long = "ข้อมูลอัตรากำลังของสถานศึกษาเป็นรายโรงและในภาพรวม"
    titles: list[str] = []
    for title in (long, long, "Sheet", "sheet", "'ครู'", "History"):
        titles.append(xlsx_writer.sheet_title(title, titles))
    assert titles == [long[:31], long[:27] + " (2)", "Sheet", "sheet (2)", "ครู", "History 1"]
    assert all(len(t) <= 31 for t in titles)


def test_a_workbook_keeps_each_sheets_layout_and_styles():
    out = io.BytesIO()
    counts = xlsx_writer.write_workbook(
        out,
        [
            xlsx_writer.Sheet(
                title="สรุป",
                above=[
                    xlsx_writer.Line(["หัวเรื่อง"], xlsx_writer.TITLE),
                    xlsx_writer.Line(),
                    xlsx_writer.Line(["บรรทัด"]),
                ],  # fmt: skip
                widths=[90],
            ),
            xlsx_writer.Sheet(
                title="รายโรงเรียน",
                headers=["รหัส", "โรงเรียน", "ร้อยละ"],
                rows=[["0101", "บ้าน ก", 12.345], ["0102", "บ้าน ข", None]],
                text_columns={0},
                number_formats={2: "0.00"},
                below=[xlsx_writer.Line(), xlsx_writer.Line([None, "รวม", 1.5], xlsx_writer.BOLD)],
                header_style=xlsx_writer.Style(bold=True, fill="DCE6F1", horizontal="center"),
                body_style=xlsx_writer.Style(vertical="top", wrap=True),
                freeze="C2",
            ),
        ],
    )
    assert counts == [0, 2]
    book = load_workbook(io.BytesIO(out.getvalue()))
    summary, schools = book.worksheets
    assert summary["A1"].font.b and summary["A1"].font.sz == 14
    assert summary["A2"].value is None and summary["A3"].value == "บรรทัด"
    assert summary.column_dimensions["A"].width == 90 and summary.freeze_panes is None
    assert schools.freeze_panes == "C2"
    assert schools["A1"].alignment.horizontal == "center" and schools["A1"].fill.fgColor.rgb == (
        "FFDCE6F1"
    )
    assert schools["A2"].number_format == "@" and schools["C2"].number_format == "0.00"
    assert schools["B2"].alignment.wrap_text and schools["B2"].alignment.vertical == "top"
    assert schools["A4"].value is None and schools["B5"].value == "รวม" and schools["B5"].font.b
    assert schools["C5"].value == 1.5 and not schools["B2"].font.b
    assert schools.max_row == 5 and schools.max_column == 3


# ---------------------------------------------------------------------------- printed sheets


def _printed(sheet: xlsx_writer.Sheet, **options) -> bytes:
    out = io.BytesIO()
    xlsx_writer.write_workbook(out, [xlsx_writer.Sheet(title="สรุป", widths=[10]), sheet], **options)
    return out.getvalue()


@settings(max_examples=20, deadline=None)
@given(title=TITLE_TEXT, above=st.integers(0, 4), landscape=st.booleans())
def test_a_printed_sheet_is_a4_fitted_to_the_width_with_its_header_on_every_page(
    title, above, landscape
):
    content = _printed(
        xlsx_writer.Sheet(
            title=title,
            above=[xlsx_writer.Line(["ก"])] * above,
            headers=["ที่", "ชื่อ"],
            rows=[[1, "ข"]] * 3,
            printing=xlsx_writer.Printing(landscape=landscape),
        )
    )
    book = load_workbook(io.BytesIO(content))
    plain, ws = book.worksheets
    assert ws.title == xlsx_writer.sheet_title(title, ["สรุป"])
    assert ws.print_title_rows == f"${above + 1}:${above + 1}"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.page_setup.orientation == ("landscape" if landscape else "portrait")
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_options.horizontalCentered
    assert ws.HeaderFooter.differentFirst and ws.firstHeader.center.text is None
    assert ws.oddHeader.center.text == ws.evenHeader.center.text == "- &P -"
    assert plain.print_title_rows is None and plain.page_setup.paperSize is None
    assert [r[:2] for r in ws.iter_rows(values_only=True)][above:] == [("ที่", "ชื่อ")] + [(1, "ข")] * 3


def test_a_sheet_without_page_numbers_or_header_rows_prints_none():
    content = _printed(
        xlsx_writer.Sheet(
            title="ก",
            headers=["ที่"],
            printing=xlsx_writer.Printing(repeat_header=False, page_number=None),
        )
    )
    ws = load_workbook(io.BytesIO(content)).worksheets[1]
    assert ws.print_title_rows is None and not ws.HeaderFooter.differentFirst
    assert ws.oddHeader.center.text is None and ws.page_setup.paperSize == 9


def test_rows_get_their_heights_columns_their_styles_and_cells_the_font():
    content = _printed(
        xlsx_writer.Sheet(
            title="ก",
            headers=["ที่", "ชื่อหลักสูตรที่ยาว"],
            rows=[[1, "สั้น"], [2, "ยาว" * 20]],
            column_styles={0: xlsx_writer.Style(horizontal="center")},
            number_formats={0: "0.00"},
            row_height=lambda values: 32 if len(str(values[1])) > 10 else None,
        ),
        font="Sarabun",
    )
    ws = load_workbook(io.BytesIO(content)).worksheets[1]
    assert [ws.row_dimensions[r].height for r in (1, 2, 3)] == [32, None, 32]
    assert ws["A2"].alignment.horizontal == "center" and ws["A2"].number_format == "0.00"
    assert ws["B2"].alignment.horizontal is None and ws["A1"].font.b
    assert {c.font.name for row in ws.iter_rows() for c in row} == {"Sarabun"}


DIGIT_VALUES = st.one_of(
    st.none(),
    ANY_TEXT,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False),
    st.floats(min_value=-(10**6), max_value=10**6, allow_nan=False),
)


def _shown(value, number_format: str):
    """What the Thai-digit sheet shows for a value: the text the number's cell shows."""
    from krupd.lib.numerals import to_thai_digits
    from krupd.lib.spreadsheets import printed_number

    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return to_thai_digits(printed_number(value, number_format))
    value = expected(value)
    return to_thai_digits(value) if isinstance(value, str) else value


@settings(max_examples=30, deadline=None)
@given(
    title=TITLE_TEXT,
    above=st.lists(st.lists(DIGIT_VALUES, min_size=1, max_size=2), max_size=2),
    rows=st.lists(st.lists(DIGIT_VALUES, min_size=3, max_size=3), max_size=6),
)
def test_thai_digits_read_back_the_same_in_every_reader(title, above, rows):
    """Every number reads back as the text its cell showed, in Thai digits, aligned right
    (a centred column stays centred); no Arabic digit is left in any cell or the title."""
    from python_calamine import CalamineWorkbook

    headers = ["ที่ 1", "ชื่อ", "ร้อยละ"]
    content = _printed(
        xlsx_writer.Sheet(
            title=title + " 2570",
            above=[xlsx_writer.Line(line, xlsx_writer.TITLE) for line in above],
            headers=headers,
            rows=rows,
            number_formats={2: "0.00"},
            column_styles={0: xlsx_writer.Style(horizontal="center")},
            printing=xlsx_writer.Printing(),
            thai_digits=True,
        )
    )
    formats = ["General", "General", "0.00"]
    wanted = _comparable(
        [[_shown(v, "General") for v in line] for line in above]
        + [[_shown(v, "General") for v in headers]]
        + [[_shown(v, f) for v, f in zip(row, formats, strict=True)] for row in rows]
    )
    book = load_workbook(io.BytesIO(content))
    ws = book.worksheets[1]
    assert not any(ch in "0123456789" for ch in ws.title)
    assert ws.print_title_rows == f"${len(above) + 1}:${len(above) + 1}"
    assert _comparable([list(r) for r in ws.iter_rows(values_only=True)]) == wanted
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(content))
    got = calamine.get_sheet_by_name(ws.title).to_python(skip_empty_area=False)
    assert _comparable(got) == wanted
    first = len(above) + 2
    for r, row in enumerate(rows, start=first):
        for c, value in enumerate(row):
            cell = ws.cell(r, c + 1)
            if isinstance(value, int | float | Decimal):
                assert cell.alignment.horizontal == ("center" if c == 0 else "right")
            elif value:
                assert cell.alignment.horizontal == ("center" if c == 0 else None)


def test_thai_digits_print_numbers_as_the_office_writes_them():
    values = [12.0, 12.5, 1234, 66.666, Decimal("7.50"), 7, "สพป.เพชรบุรี เขต 1", None, True]
    formats = ["General", "General", "General", "0.00", "0.00", "0.00", "General", "General"]
    content = _printed(
        xlsx_writer.Sheet(
            title="ปีงบประมาณ 2570",
            headers=[f"ค่า {i}" for i in range(len(values))],
            rows=[values],
            number_formats={i: f for i, f in enumerate(formats) if f != "General"},
            thai_digits=True,
        )
    )
    ws = load_workbook(io.BytesIO(content)).worksheets[1]
    assert [c.value for c in ws[2]] == [
        "๑๒", "๑๒.๕", "๑,๒๓๔", "๖๖.๖๗", "๗.๕๐", "๗.๐๐", "สพป.เพชรบุรี เขต ๑", None, True,
    ]  # fmt: skip
    assert ws.title == "ปีงบประมาณ ๒๕๗๐" and ws["A1"].value == "ค่า ๐"
    assert ws["A2"].alignment.horizontal == "right"  # numbers stay aligned as numbers
    assert ws["G2"].alignment.horizontal is None and ws["D2"].number_format == "0.00"
