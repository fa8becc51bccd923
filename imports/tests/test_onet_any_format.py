"""O-NET results come from offices as .xlsx, .xls (Excel 97–2003), .ods (LibreOffice) or CSV,
as every other import does: the upload took only .xlsx ("ต้องเป็นไฟล์ Excel (.xlsx)"). The
same sheet now reads the same whatever its format: rows, means (a percentage cell as the
percentage shown), the rows named in problems and the rows the file hides."""

import codecs
import csv
import io
from html import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imports import readers
from imports.models import FileImport, FileImportStatus
from krupd import uploads
from reporting.models import OnetResult
from reporting.onet import parse_onet

from .test_file_imports import ONET_URL, post
from .test_older_formats import Percent, ods_bytes, ole_bytes, xls_bytes, xlsx_bytes
from .test_properties import FAST

CODE = "1076100101"
TITLE = ["ผลการทดสอบทางการศึกษาระดับชาติขั้นพื้นฐาน (O-NET) ปีการศึกษา ๒๕๖๗"]
HEADER = ["รหัสสถานศึกษา", "วิชา", "ปีการศึกษา", "คะแนนเฉลี่ย", "ชั้น"]
BUILDERS = {"xlsx": xlsx_bytes, "xls": xls_bytes, "ods": ods_bytes}


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    """The sheet as Excel saves it as CSV: each cell as it shows it (a percentage with the
    decimals its format shows)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(
            [
                f"{v.value * 100:g}%" if isinstance(v, Percent) else ("" if v is None else v)
                for v in row
            ]
        )
    return codecs.encode(out.getvalue(), encoding)


SHEET = [
    TITLE,
    HEADER,
    [CODE, "คณิตศาสตร์", 2567, Percent(0.4525, "0.00%"), "ป.6"],
    [CODE, "ภาษาไทย", "๒๕๖๗", "๕๐.๒๕", "ป.๖"],
    [CODE, " วิทยาศาสตร์ ", "ปีการศึกษา 2567", " 38.5 % ", "ประถมศึกษาปีที่ ๖"],
    [CODE, "ภาษาอังกฤษ", 2567, Percent(1.0, "0%"), "ป.6"],
    ["9999999999", "สังคมศึกษา ศาสนาและวัฒนธรรม", 2567, 40, "ป.6"],
    ["รวมเฉลี่ยทั้งโรงเรียน", None, None, 55.1],
]


def _parsed(content):
    return parse_onet(content, school_codes={CODE})


def _summary(parsed):
    return (
        [(r.line, r.school_code, r.subject, r.academic_year, r.mean, r.grade) for r in parsed.rows],
        parsed.errors,
        parsed.hidden_lines,
    )


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods", "csv", "csv-tis620"])
def test_the_same_results_sheet_reads_the_same_in_every_format(fmt):
    if fmt.startswith("csv"):
        content = csv_bytes(SHEET, "cp874" if fmt == "csv-tis620" else "utf-8-sig")
        hidden = []  # a CSV hides nothing
    else:
        content = BUILDERS[fmt](SHEET, hidden_rows={4})
        hidden = [4]
    rows, errors, hidden_lines = _summary(_parsed(content))
    assert [(line, subject, str(mean)) for line, _c, subject, _y, mean, _g in rows] == [
        (3, "คณิตศาสตร์", "45.25"),
        (4, "ภาษาไทย", "50.25"),
        (5, "วิทยาศาสตร์", "38.50"),
        (6, "ภาษาอังกฤษ", "100.00"),  # 100 %, not a mean of 1
    ]
    assert {(year, grade) for _l, _c, _s, year, _m, grade in rows} == {(2567, "p6")}
    assert errors == ["แถวที่ 7: ไม่พบรหัสสถานศึกษา 9999999999 ในเขตพื้นที่นี้"]
    assert hidden_lines == hidden


def test_a_file_that_is_no_sheet_is_refused_in_the_importers_words():
    assert _parsed(b"%PDF-1.4 ...").errors == [readers.OTHER_FORMATS[1][1]]
    assert _parsed(ole_bytes("EncryptedInfo", "EncryptedPackage")).errors == [
        readers.PASSWORD_MESSAGE
    ]
    assert _parsed(ole_bytes("Workbook")).errors == [readers.UNREADABLE_MESSAGES["xls"]]


def test_the_first_visible_sheet_with_the_header_is_read_in_an_xls_too():
    """A workbook that keeps last year's results on a hidden first sheet: read from the
    visible one, as an .xlsx is."""
    content = xls_bytes([HEADER, [CODE, "คณิตศาสตร์", 2567, 41.5]], hidden_first=True)
    parsed = _parsed(content)
    assert parsed.errors == [] and [r.mean for r in parsed.rows] == [41.5]


# Cells as offices' sheets hold them: Thai digits, stray spaces, percent signs typed or a
# percentage format, a year with its words, text where a number belongs.
_thai = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
messy_mean = st.one_of(
    st.none(),
    st.integers(-5, 150),
    st.integers(0, 15_000).map(lambda n: n / 100),
    st.integers(0, 15_000).map(lambda n: f" {n / 100} % ".translate(_thai)),
    st.builds(
        Percent,
        st.integers(0, 12_000).map(lambda n: n / 10_000),
        st.sampled_from(["0%", "0.0%", "0.00%"]),
    ),
    st.sampled_from(["-", "—", "abc", "๔๕.๕", "45,5", "ร้อยละ 45"]),
)
messy_year = st.one_of(
    st.integers(1990, 2600),
    st.integers(1990, 2600).map(lambda y: f"ปีการศึกษา {y}".translate(_thai)),
    st.sampled_from(["67", "๖๗", "2,567", "สองห้าหกเจ็ด"]),
)
messy_row = st.tuples(
    st.sampled_from([CODE, f" {CODE} ", "9999999999", None, "รวม"]),
    st.sampled_from(["คณิตศาสตร์", " ภาษาไทย ", "วิทยาศาสตร์", "", "ภาษา อังกฤษ"]),
    messy_year,
    messy_mean,
    st.sampled_from(["ป.6", "ม.๓", "ม 6", "ป.5", None]),
).map(list)


@FAST
@given(
    rows=st.lists(messy_row, max_size=8),
    hidden=st.sets(st.integers(min_value=1, max_value=10), max_size=4),
)
def test_a_messy_sheet_reads_alike_as_xlsx_xls_and_ods(rows, hidden):
    """Rows, means, every problem with its row number, and the hidden rows read as data are
    the same whichever program saved the sheet."""
    sheet = [TITLE, HEADER, *rows]
    expected = _summary(_parsed(xlsx_bytes(sheet, hidden_rows=hidden)))
    assert _summary(_parsed(xls_bytes(sheet, hidden_rows=hidden))) == expected
    assert _summary(_parsed(ods_bytes(sheet, hidden_rows=hidden, filtered=True))) == expected


# ------------------------------------------------------------------------------ the pages


@pytest.mark.parametrize("fmt", ["xls", "ods", "csv"])
def test_an_officer_imports_results_from_any_format_and_hears_of_hidden_rows(
    client, officer, director, school_a, fmt
):
    sheet = [TITLE, HEADER, [CODE, "คณิตศาสตร์", 2567, Percent(0.415)], [CODE, "ภาษาไทย", 2567, 50]]
    content = csv_bytes(sheet) if fmt == "csv" else BUILDERS[fmt](sheet, hidden_rows={4})
    client.force_login(director)
    assert post(client, ONET_URL, content, f"onet.{fmt}").status_code == 403
    client.force_login(officer)
    response = post(client, ONET_URL, content, f"ผล O-NET.{fmt}")
    assert response.status_code == 302
    job = FileImport.objects.get()
    assert job.status == FileImportStatus.DONE, job.errors
    assert sorted(OnetResult.objects.values_list("subject", "mean")) == [
        ("คณิตศาสตร์", pytest.approx(41.5)),
        ("ภาษาไทย", 50),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "นำเข้าผล O-NET แล้ว: เพิ่ม 2 แถว" in page
    if fmt != "csv":
        assert "มีแถวที่ถูกซ่อนในไฟล์ 1 แถว" in page and "แถวที่ 4" in page


def test_a_file_named_for_another_format_is_read_as_what_it_is(client, officer, school_a):
    """A LibreOffice sheet renamed "….xlsx" (or an Excel one "….ods"): the file is kept
    under the suffix of what its content is, which the reader of .ods and .xls goes by."""
    client.force_login(officer)
    sheet = [TITLE, HEADER, [CODE, "คณิตศาสตร์", 2567, 41.5]]
    post(client, ONET_URL, ods_bytes(sheet), "ผล O-NET.xlsx")
    post(client, ONET_URL, xls_bytes(sheet), "ผล O-NET.ods")
    assert [job.status for job in FileImport.objects.order_by("pk")] == [
        FileImportStatus.DONE,
        FileImportStatus.DONE,
    ]
    assert OnetResult.objects.get().mean == pytest.approx(41.5)


def test_the_upload_form_offers_every_format_the_importers_take(client, officer):
    client.force_login(officer)
    page = client.get(ONET_URL).content.decode()
    assert f'accept="{uploads.SPREADSHEET.accept}"' in page
    assert ".xls รุ่นเก่า" in page and "OpenDocument (.ods)" in page and "CSV" in page
    assert "(.xlsx)" not in page  # the old "ไฟล์ผล O-NET (.xlsx)" and help text


@pytest.mark.parametrize(
    "name, content",
    [
        ("ผล.xls", ole_bytes("EncryptedInfo", "EncryptedPackage")),
        ("ผล.xls", ole_bytes("Workbook", "_VBA_PROJECT_CUR", "VBA")),
        ("ผล.doc", ole_bytes("WordDocument", "1Table")),
        ("ผล.xlsx", b"%PDF-1.4 hello"),
        ("ผล.xls", b"<html><table><tr><td>1</td></tr></table></html>"),
    ],
    ids=["password", "macros", "word", "pdf", "web page"],
)
def test_the_upload_refuses_what_the_other_importers_refuse_in_their_words(
    client, officer, name, content
):
    with pytest.raises(readers.ImportFileError) as refused:
        readers.sniff(io.BytesIO(content), name)
    client.force_login(officer)
    response = post(client, ONET_URL, content, name)
    assert response.status_code == 400
    assert escape(f"ไฟล์ผล O-NET: {refused.value}") in response.content.decode()
    assert not FileImport.objects.exists()
