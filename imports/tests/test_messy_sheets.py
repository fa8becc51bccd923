"""Sheets as offices really send them, through the pages: upload → validate → preview → apply.

Each file ends applied with the right values, or refused with a Thai message naming the row
and column, with nothing written.
"""

import csv
import datetime as dt
import io
import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font

from imports import readers
from imports.importers import CellError, SummaryRows, read_national_id
from imports.models import BatchStatus
from krupd import uploads
from krupd.lib.numerals import to_thai_digits
from krupd.lib.thai_id import check_digit
from registry.models import Person

from .conftest import national_id, xlsx_bytes
from .test_personnel import HEADER, errors_of, latest_batch, person_row, upload

FAST = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
ID_COLUMN = HEADER.index("เลขประจำตัวประชาชน")


def csv_bytes(rows, *, encoding="utf-8-sig", delimiter=",") -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    return text.getvalue().encode(encoding)


def upload_and_apply(client, name, content, kind="personnel"):
    upload(client, kind, name, content)
    batch = latest_batch()
    assert batch.status == BatchStatus.VALIDATED, batch.error_message or batch.notice
    assert batch.count_error == 0, errors_of(batch)
    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED, batch.error_message
    return batch


# ---------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "encoding, delimiter",
    [
        ("utf-16", "\t"),  # Excel's "Unicode text": UTF-16 with a byte-order mark, tabs
        ("utf-16", ","),
        ("utf-16-le", "\t"),  # no byte-order mark
        ("utf-16-be", ";"),
    ],
)
def test_a_utf16_csv_is_read_like_any_other(client, admin, school_a, encoding, delimiter):
    client.force_login(admin)
    content = csv_bytes([HEADER, person_row(1)], encoding=encoding, delimiter=delimiter)
    upload_and_apply(client, "hrms.csv", content)
    person = Person.objects.get()
    assert (person.national_id, person.first_name) == (national_id(1), "สมชาย1")


def _valid_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@FAST
@given(
    rows=st.lists(
        st.lists(
            st.text(
                alphabet=st.sampled_from(
                    "กขคงจฉชซญฎฏฐดตถทธนบปผพฟภมยรลวศษสหอฮะาำิีึืุูเแโใไ่้๊๋์๑๒ 0123456789.-/"
                ),
                min_size=1,
                max_size=12,
            )
            .map(str.strip)
            .filter(bool),
            min_size=2,
            max_size=5,
        ),
        min_size=1,
        max_size=5,
    ),
    encoding=st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "cp874"]),
    delimiter=st.sampled_from([",", "\t", ";"]),
)
def test_every_text_encoding_reads_back_the_cells_written(rows, encoding, delimiter):
    content = csv_bytes(rows, encoding=encoding, delimiter=delimiter)
    # A few cp874 Thai letters can also be valid UTF-8 ("ยข" is 0xC2 0xA2, "¢"): such a file
    # is read as UTF-8, on purpose. Real Thai text in cp874 stops being valid UTF-8 within a
    # few letters, while reading UTF-8 files as cp874 whenever they hold no Thai letter would
    # garble an English-headed sheet with one dash or no-break space in it.
    if encoding == "cp874":
        assume(not _valid_utf8(content))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.csv"
        path.write_bytes(content)
        with open(path, "rb") as source:
            assert readers.sniff(source, "a.csv") == readers.CSV
        assert uploads.sniff_bytes(content) == uploads.CSV
        with readers.open_sheet(str(path), readers.CSV) as sheet:
            assert [list(cells) for _, cells in sheet.rows()] == rows


# ---------------------------------------------------------------------------- layout


def test_the_signature_block_under_the_data_is_left_aside(client, admin, school_a):
    rows = [
        ["ทะเบียนข้าราชการครู สพป.เพชรบุรี เขต 1"],
        HEADER,
        person_row(1),
        [],
        person_row(2),
        ["รวม 2 คน"],
        [],
        [None, "ลงชื่อ ............................ ผู้รายงาน"],
        [None, "(นายสมชาย ใจดี)"],
        [None, "ผู้อำนวยการโรงเรียนบ้านหนึ่ง"],
        [None, None, None, "วันที่ ๑๐ มิถุนายน ๒๕๖๘"],
    ]
    client.force_login(admin)
    batch = upload_and_apply(client, "signed.xlsx", xlsx_bytes(rows))
    assert Person.objects.count() == 2
    notes = str(batch.preview_notes)
    assert "(นายสมชาย ใจดี)" in notes and "ผู้อำนวยการโรงเรียนบ้านหนึ่ง" in notes


def test_data_after_a_note_is_still_read():
    """The footer ends where a row with a key shows the data going on."""
    summaries = SummaryRows(0, {0: "national_id"})
    assert summaries.text(("หมายเหตุ ครูย้ายมา 1 คน", None)) is not None
    assert summaries.text(("(ข้อมูลจาก HRMS)", None)) is not None
    assert summaries.text((national_id(5), "สมชาย")) is None
    assert summaries.text(("ไม่มีเลข", "สมชาย")) is None  # data again: an error, not a footer


# Invisible characters text copied from web pages, Word and PDFs carries: zero-width non-joiner
# and joiner, left-to-right mark, word joiner, soft hyphen.
INVISIBLE = ["\u200c", "\u200d", "\u200e", "\u2060", "\u00ad"]


@pytest.mark.parametrize("mark", INVISIBLE)
@pytest.mark.parametrize("name", ["pasted.xlsx", "pasted.csv"])
def test_invisible_characters_in_headers_ids_and_names_are_dropped(
    client, admin, school_a, mark, name
):
    header = list(HEADER)
    header[HEADER.index("ชื่อ")] = f"ชื่อ{mark}"  # was "ไม่พบคอลัมน์ “ชื่อ”"
    header[HEADER.index("วันเดือนปีเกิด")] = f"วันเดือน{mark}ปีเกิด"
    nid = national_id(1)
    row = person_row(
        1,
        **{"เลขประจำตัวประชาชน": f"{nid[:5]}{mark}{nid[5:]}", "ชื่อ": f"{mark}สม{mark}ชาย", "นามสกุล": f"ใจดี{mark}"},
    )  # fmt: skip
    content = csv_bytes([header, row]) if name.endswith(".csv") else xlsx_bytes([header, row])
    client.force_login(admin)
    upload_and_apply(client, name, content)
    person = Person.objects.get()
    assert (person.national_id, person.first_name, person.last_name) == (nid, "สมชาย", "ใจดี")
    assert person.birth_date == dt.date(1987, 3, 15)


def test_a_header_grouped_under_merged_titles_reads_every_column(client, admin, school_a):
    """ "ชื่อ - สกุล" merged over "คำนำหน้า | ชื่อ | นามสกุล" read the titles as full names, and
    "สถานศึกษา" over "รหัส | ชื่อ" read the codes as school names ("ไม่พบสถานศึกษาชื่อ …")."""
    top = ["ที่", "เลขประจำตัวประชาชน", "ชื่อ - สกุล", None, None, "วันเดือนปี", None,
           "ตำแหน่ง", "วิทยฐานะ", "เงินเดือน", "สถานศึกษา", None]  # fmt: skip
    below = [None, None, "คำนำหน้า", "ชื่อ", "นามสกุล", "เกิด", "บรรจุ",
             None, None, None, "รหัส", "ชื่อ"]  # fmt: skip
    row = [1, national_id(1), "นาย", "สมชาย", "ใจดี", "15/03/2530", "1 มิ.ย. 2555",
           "ครู", "ชำนาญการ", "35,220", "1076100101", "โรงเรียนบ้านหนึ่ง"]  # fmt: skip
    merges = ["C2:E2", "F2:G2", "K2:L2", "A2:A3", "B2:B3", "H2:H3", "I2:I3", "J2:J3"]
    content = xlsx_bytes([["บัญชีรายชื่อข้าราชการครู"], top, below, row], merges=merges)
    client.force_login(admin)
    batch = upload_and_apply(client, "grouped.xlsx", content)
    assert batch.header_row == 3
    person = Person.objects.get()
    assert (person.title, person.first_name, person.last_name) == ("นาย", "สมชาย", "ใจดี")
    assert (person.birth_date, person.appointment_date) == (
        dt.date(1987, 3, 15),
        dt.date(2012, 6, 1),
    )
    assert person.school == school_a and person.salary == Decimal("35220.00")


@pytest.mark.parametrize("name", ["header.xlsx", "header.csv"])
def test_a_file_with_only_a_header_is_refused_saying_so(client, admin, school_a, name):
    rows = [["ทะเบียนบุคลากร"], HEADER, [], ["รวม 0 คน"]]
    content = xlsx_bytes(rows) if name.endswith("xlsx") else csv_bytes(rows)
    client.force_login(admin)
    upload(client, "personnel", name, content)
    batch = latest_batch()
    assert batch.status == BatchStatus.FAILED
    assert "ไม่พบแถวข้อมูลใต้หัวตาราง (แถวที่ 2)" in batch.error_message
    assert "ไม่พบแถวข้อมูล" in client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert not Person.objects.exists()


def test_a_sheet_formatted_down_to_excels_last_row_imports_its_few_rows(client, admin, school_a):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(person_row(1))
    sheet.cell(row=1_048_576, column=1).font = Font(bold=True)  # a styled, empty last row
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(admin)
    upload_and_apply(client, "formatted.xlsx", buffer.getvalue())
    assert Person.objects.count() == 1


def test_more_rows_of_data_than_the_limit_are_still_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(readers, "MAX_ROWS", 3)
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes([["a", "b"]] * 3 + [["", ""]] * 5 + [["x", "y"]]))
    with readers.open_sheet(str(path), readers.CSV) as sheet:
        with pytest.raises(readers.ImportFileError):
            list(sheet.rows())


def test_headers_offices_abbreviate_are_recognised(client, admin, school_a):
    header = list(HEADER)
    header[HEADER.index("วันเดือนปีเกิด")] = "ว/ด/ป\nเกิด"
    header[HEADER.index("วันบรรจุ")] = "ว.ด.ป. บรรจุ"
    header[ID_COLUMN] = "เลขที่บัตรประชาชน"
    header[HEADER.index("เลขที่ตำแหน่ง")] = "ตำแหน่ง\nเลขที่"
    header[HEADER.index("โทรศัพท์")] = "เบอร์มือถือ"
    header[HEADER.index("วุฒิการศึกษาสูงสุด")] = "วุฒิ"
    header[HEADER.index("วิชาเอก")] = "วิชาเอก/สาขา"
    client.force_login(admin)
    upload_and_apply(client, "abbr.xlsx", xlsx_bytes([header, person_row(1)]))
    person = Person.objects.get()
    # a phone under "เบอร์มือถือ" was left out unseen, the person saved without it
    assert (person.phone, person.highest_degree, person.major.name) == (
        "081-234-5678", "bachelor", "คณิตศาสตร์",
    )  # fmt: skip
    assert person.birth_date == dt.date(1987, 3, 15)
    assert person.appointment_date == dt.date(2012, 6, 1)
    assert person.position_number == "1001"


# ---------------------------------------------------------------------------- cells


def test_dates_in_every_form_offices_use_read_to_the_same_day(client, admin, school_a):
    written = [
        "1 ม.ค. 2530", "1 มกราคม 2530", "01/01/30", "1/1/2530", "2530-01-01", 31778,
        "1/1/1987", dt.date(1987, 1, 1), dt.datetime(1987, 1, 1), "1-ม.ค.-30",
        "วันที่ 1 มกราคม พ.ศ. 2530", "1987-01-01 00:00:00", "๑ ม.ค. ๒๕๓๐", "1 มกรา 2530",
        "31778", "1 Jan 1987", "01-Jan-87", "25300101",
    ]  # fmt: skip
    rows = [HEADER] + [
        person_row(i, **{"วันเดือนปีเกิด": value}) for i, value in enumerate(written, start=1)
    ]
    rows.append(person_row(99, **{"วันเดือนปีเกิด": "29/02/2531"}))  # BE leap year (1988)
    client.force_login(admin)
    upload_and_apply(client, "dates.xlsx", xlsx_bytes(rows))
    births = dict(Person.objects.values_list("national_id", "birth_date"))
    assert births.pop(national_id(99)) == dt.date(1988, 2, 29)
    assert set(births.values()) == {dt.date(1987, 1, 1)}


def test_a_date_that_does_not_exist_is_refused_naming_row_and_column(client, admin, school_a):
    rows = [HEADER, person_row(1), person_row(2, **{"วันเดือนปีเกิด": "29/02/2530"})]
    client.force_login(admin)
    upload(client, "personnel", "bad.xlsx", xlsx_bytes(rows))
    batch = latest_batch()
    assert "ไม่มีวันที่ 29 เดือน 2 ปี พ.ศ. 2530" in errors_of(batch)[(3, "วันเดือนปีเกิด")]
    response = client.post(reverse("imports:apply", args=[batch.pk]))
    assert response.status_code == 302
    assert not Person.objects.exists()


@FAST
@given(year=st.integers(1930, 2005), be=st.booleans(), as_float=st.booleans())
def test_a_year_typed_alone_in_a_date_cell_is_refused_as_a_date_without_its_day(year, be, as_float):
    """1987 or 2530 typed as a number: read as Excel's day number it was 9 June 1905 and
    the refusal said "09/06/2448 out of range", which nobody typed."""
    from imports.importers import date_reader

    typed = year + 543 if be else year
    read = date_reader(earliest=dt.date(1930, 1, 1), at_least_years_ago=18)
    with pytest.raises(CellError) as refused:
        read(float(typed) if as_float else typed, None)
    assert str(refused.value).startswith(f"“{typed}” มีแต่ปี ไม่มีวันและเดือน")


def test_dates_written_without_their_day_are_refused_naming_row_and_column(client, admin, school_a):
    rows = [
        HEADER,
        person_row(1, **{"วันเดือนปีเกิด": 1987}),
        person_row(2, **{"วันบรรจุ": "มิถุนายน ๒๕๕๕"}),
        person_row(3),
    ]
    client.force_login(admin)
    upload(client, "personnel", "years.xlsx", xlsx_bytes(rows))
    errors = errors_of(latest_batch())
    assert errors[(2, "วันเดือนปีเกิด")] == (
        "“1987” มีแต่ปี ไม่มีวันและเดือน กรุณากรอกให้ครบ วว/ดด/ปปปป (เช่น 15/03/2530)"
    )
    assert "มีแต่เดือนและปี ไม่มีวันที่" in errors[(3, "วันบรรจุ")]
    assert "เช่น 1 มิถุนายน 2555" in errors[(3, "วันบรรจุ")]
    assert not Person.objects.exists()


@FAST
@given(serial=st.integers(1, 10**11 - 1), allowed=st.booleans())
def test_an_id_whose_leading_zero_a_csv_lost_is_refused_saying_so(serial, allowed):
    """ "012345678901x" held as a number, saved as CSV: 12 digits of text. It was refused as
    "ต้องมี 13 หลัก" with no word of the zero Excel took off."""

    class Ctx:
        allow_leading_zero_or_nine_id = allowed

    full = national_id(serial, first="0")
    with pytest.raises(CellError) as refused:
        read_national_id(full[1:], Ctx)
    hinted = f"ถ้าเลขจริงคือ {full} แสดงว่า Excel ตัดเลข 0 ตัวหน้าออก" in str(refused.value)
    assert hinted == allowed
    wrong = full[1:-1] + str((int(full[-1]) + 1) % 10)  # no 0-prefixed ID: no such hint
    with pytest.raises(CellError) as refused:
        read_national_id(wrong, Ctx)
    assert "Excel ตัดเลข 0" not in str(refused.value)


def test_ids_a_csv_wrote_as_numbers(client, admin, school_a):
    first, second, third = national_id(1), national_id(2), national_id(3)
    rows = [
        HEADER,
        person_row(1, **{"เลขประจำตัวประชาชน": f"{first}.0"}),
        person_row(2, **{"เลขประจำตัวประชาชน": f"{second[0]}.{second[1:]}E+12"}),
        person_row(3, **{"เลขประจำตัวประชาชน": "1.10170E+12"}),
        person_row(4, **{"เลขประจำตัวประชาชน": to_thai_digits(third[:1] + "-" + third[1:])}),
    ]
    client.force_login(admin)
    upload(client, "personnel", "ids.csv", csv_bytes(rows))
    batch = latest_batch()
    assert batch.count_error == 1
    message = errors_of(batch)[(4, "เลขประจำตัวประชาชน")]
    assert "1.10170E+12" in message and "ข้อความ" in message
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert not Person.objects.exists()  # refused whole: nothing half-written


def test_a_salary_written_with_the_baht_sign(client, admin, school_a):
    rows = [HEADER, person_row(1, **{"เงินเดือน": "฿35,220.50"})]
    client.force_login(admin)
    upload_and_apply(client, "baht.xlsx", xlsx_bytes(rows))
    assert Person.objects.get().salary == Decimal("35220.50")


class _Ctx:
    allow_leading_zero_or_nine_id = True


@FAST
@given(
    serial=st.integers(0, 10**11 - 1), first=st.sampled_from("123456780"), style=st.integers(0, 3)
)
def test_an_id_written_as_a_number_reads_back_or_is_refused_in_thai(serial, first, style):
    base = f"{first}{serial:011d}"
    nid = base + str(check_digit(base))
    digits = nid.lstrip("0") or "0"
    written = [
        f"{digits}.0",
        f"{digits[0]}.{digits[1:]}E+{len(digits) - 1:02d}",
        to_thai_digits(f"{nid[0]}-{nid[1:5]}-{nid[5:10]}-{nid[10:12]}-{nid[12]}"),
        f"{digits[0]}.{digits[1:6]}E+{len(digits) - 1}",  # as a narrow column shows it
    ][style]
    try:
        assert read_national_id(written, _Ctx()) == nid
    except CellError as error:
        assert style == 3 or len(digits) < 12, (written, str(error))
        assert any("\u0e00" <= ch <= "\u0e7f" for ch in str(error))


def test_academic_standings_written_as_offices_abbreviate_them(client, admin, school_a):
    rows = [
        HEADER,
        person_row(1, **{"วิทยฐานะ": "ชก.", "อันดับ": "คศ.2"}),
        person_row(2, **{"วิทยฐานะ": "ชพ", "อันดับ": "คศ.3"}),
        person_row(3, **{"วิทยฐานะ": "ครูชำนาญการพิเศษ", "อันดับ": "คศ.3"}),
    ]
    client.force_login(admin)
    upload_and_apply(client, "standings.xlsx", xlsx_bytes(rows))
    standings = dict(Person.objects.values_list("national_id", "academic_standing__name"))
    assert standings == {
        national_id(1): "ชำนาญการ",
        national_id(2): "ชำนาญการพิเศษ",
        national_id(3): "ชำนาญการพิเศษ",
    }


def test_a_full_name_column_stands_for_title_first_and_last_name(client, admin, school_a):
    header = ["ที่", "เลขประจำตัวประชาชน", "ชื่อ - สกุล", "ตำแหน่ง", "รหัสสถานศึกษา"]
    rows = [
        [1, national_id(1), "นายสมชาย  ใจดี", "ครู", "1076100101"],
        [2, national_id(2), "นางสาว มาลี ณ อยุธยา", "ครู", "1076100101"],
        [3, national_id(3), "สมหญิง", "ครู", "1076100101"],
    ]
    client.force_login(admin)
    upload(client, "personnel", "names.xlsx", xlsx_bytes([header, *rows]))
    batch = latest_batch()
    assert batch.status == BatchStatus.VALIDATED, batch.notice
    assert "ต้องมีทั้งชื่อและนามสกุล" in errors_of(batch)[(4, "ชื่อ - สกุล")]
    upload_and_apply(client, "names.xlsx", xlsx_bytes([header, *rows[:2]]))
    people = Person.objects.order_by("national_id")
    assert [(p.title, p.first_name, p.last_name, p.gender) for p in people] == [
        ("นาย", "สมชาย", "ใจดี", "male"),
        ("นางสาว", "มาลี", "ณ อยุธยา", "female"),
    ]


@FAST
@given(
    title=st.sampled_from(["", "นาย", "นาง", "นางสาว", "น.ส.", "ดร."]),
    first=st.text(alphabet="กขคงจฉชซมยรลวสหอาีเแโ", min_size=1, max_size=8),
    last=st.lists(
        st.text(alphabet="กขคงจฉชซมยรลวสหอาีเแโ", min_size=1, max_size=8), min_size=1, max_size=3
    ),
    gap=st.sampled_from(["", " ", "  ", "\u00a0"]),
)
def test_a_full_name_splits_into_its_parts(title, first, last, gap):
    from imports.importers.personnel import PERSON_TITLES, split_full_name

    # A name run into a title that reads as a longer one ("นาง" + "สาวิตรี") is ambiguous.
    assume(
        not any(len(t) > len(title) and f"{title}{gap}{first}".startswith(t) for t in PERSON_TITLES)
    )
    # No Thai name opens with a vowel written above a letter ("ี"): run into a title, such
    # a "name" is the title's own last letter's vowel ("นายิกา" is one name, not นาย + ิกา).
    assume(not first.startswith("ี"))
    written = f"{title}{gap}{first} {' '.join(last)}"
    assert split_full_name(written) == (title, first, " ".join(last))


THAI_NAME = st.text(alphabet="กขคงจฉชซมยรลวสหอาีเแโ่้", min_size=1, max_size=8).filter(
    lambda t: t[0] in "กขคงจฉชซมยรลวสหอเแโ"
)


@FAST
@given(
    titles=st.lists(st.sampled_from(["ว่าที่ร้อยตรี", "ว่าที่ ร.ต.", "ดร.", "นาย", "นางสาว"]),
                    min_size=1, max_size=2),
    first=THAI_NAME,
    last=THAI_NAME,
    gap=st.sampled_from(["", " "]),
)  # fmt: skip
def test_a_full_name_gives_up_every_title_it_opens_with(titles, first, last, gap):
    """ "ว่าที่ร้อยตรี ดร.สมชาย ใจดี": the first name was "ดร.สมชาย"."""
    from imports.importers.personnel import PERSON_TITLES, split_full_name

    title = " ".join(titles)
    assume(not any(first.startswith(t) for t in PERSON_TITLES))
    assert split_full_name(f"{title}{gap}{first} {last}") == (title, first, last)


def test_a_title_typed_with_the_first_name_fills_an_empty_title_cell(client, admin, school_a):
    """ "| นายสมชาย" and "| ว่าที่ ร.ต.สมศักดิ์" were "ไม่ได้กรอกคำนำหน้า"; a name opening with
    no title still is, and a title cell that is filled in is not touched."""
    rows = [
        HEADER,
        person_row(1, **{"คำนำหน้าชื่อ": "", "ชื่อ": "นายสมชาย", "เพศ": ""}),
        person_row(2, **{"คำนำหน้าชื่อ": None, "ชื่อ": "ว่าที่ ร.ต.สมศักดิ์"}),
        person_row(3, **{"คำนำหน้าชื่อ": "", "ชื่อ": "นางสาว มานี", "เพศ": ""}),
        person_row(4, **{"คำนำหน้าชื่อ": "", "ชื่อ": "สมปอง"}),
    ]
    client.force_login(admin)
    upload(client, "personnel", "names.xlsx", xlsx_bytes(rows))
    batch = latest_batch()
    assert errors_of(batch) == {(5, "คำนำหน้าชื่อ"): "ไม่ได้กรอกคำนำหน้า"}
    upload_and_apply(client, "names.xlsx", xlsx_bytes(rows[:4]))
    people = {p.national_id: (p.title, p.first_name, p.gender) for p in Person.objects.all()}
    assert people == {
        national_id(1): ("นาย", "สมชาย", "male"),
        national_id(2): ("ว่าที่ ร.ต.", "สมศักดิ์", "male"),
        national_id(3): ("นางสาว", "มานี", "female"),
    }


@pytest.mark.parametrize("title, name", [("นาย", "ิกา"), ("นาย", "ี่"), ("นาง", "ั้ง"), ("ดร.", "ู")])
def test_a_name_whose_first_letters_spell_a_title_keeps_them(title, name):
    """ "นายิกา สุขใจ" was split into นาย + "ิกา" (a name starting with a vowel mark)."""
    from imports.importers.personnel import split_full_name

    assert split_full_name(f"{title}{name} สุขใจ") == ("", f"{title}{name}", "สุขใจ")


def test_a_title_typed_again_before_the_first_name_is_taken_off(client, admin, school_a):
    rows = [
        HEADER,
        person_row(1, **{"คำนำหน้าชื่อ": "นาย", "ชื่อ": "นายสมชาย"}),
        person_row(2, **{"คำนำหน้าชื่อ": "ว่าที่ร้อยตรี", "ชื่อ": "ว่าที่ ร้อยตรี สมศักดิ์"}),
        person_row(3, **{"คำนำหน้าชื่อ": "นาง", "ชื่อ": "นางสาวสมหญิง", "เพศ": "หญิง"}),
    ]
    client.force_login(admin)
    upload(client, "personnel", "titles.xlsx", xlsx_bytes(rows))
    batch = latest_batch()
    assert errors_of(batch) == {
        (4, "ชื่อ"): "ชื่อ “นางสาวสมหญิง” ขึ้นต้นด้วยคำนำหน้า “นางสาว” ซึ่งไม่ตรงกับคำนำหน้า “นาง” "
        "ให้ใส่คำนำหน้าไว้ในคอลัมน์คำนำหน้าเท่านั้น"
    }
    upload_and_apply(client, "titles.xlsx", xlsx_bytes(rows[:3]))
    names = dict(Person.objects.values_list("national_id", "first_name"))
    assert names == {national_id(1): "สมชาย", national_id(2): "สมศักดิ์"}
