"""An enrolment sheet that says its academic year once, in the title above the table, as a DMC
export does ("ข้อมูลนักเรียน ปีการศึกษา ๒๕๖๘ ภาคเรียนที่ ๑"), with no year column: every row
is of that year, and the preview says where the year came from. A title naming no year, two
years or a range still asks for the year column; a year column, when there is one, wins."""

import io

import openpyxl
import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from imports.models import BatchStatus
from krupd.lib.numerals import to_thai_digits
from krupd.lib.thai_dates import academic_year_in_title
from registry.models import Enrolment

from .test_personnel import errors_of, latest_batch, upload

HEADER = ["ที่", "รหัสสถานศึกษา", "ชื่อสถานศึกษา", "ป.1 นักเรียน", "ป.1 ห้องเรียน"]


def _sheet(titles, header=HEADER, rows=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for title in titles:
        sheet.append([title])
    sheet.append(header)
    for row in rows or [[1, "1076100101", "บ้านหนึ่ง", "๒๕", "๑"], [2, 1076100102, "บ้านสอง", 30, 2]]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _stored():
    return {
        (e.school.obec_code, e.academic_year, e.grade): (e.students, e.classrooms)
        for e in Enrolment.objects.select_related("school")
    }


@pytest.mark.django_db
def test_the_year_in_the_title_is_every_rows_year(client, admin, school_a, school_b):
    titles = ["ข้อมูลนักเรียน ปีการศึกษา ๒๕๖๘ ภาคเรียนที่ ๑", "สพป.เพชรบุรี เขต ๑"]
    client.force_login(admin)
    upload(client, "enrolment", "dmc.xlsx", _sheet(titles))
    batch = latest_batch()
    assert batch.status == BatchStatus.VALIDATED, batch.notice or batch.error_message
    assert batch.count_error == 0, errors_of(batch)
    notes = [(n["title"], n["items"]) for n in batch.preview_notes]
    assert ("อ่านจากชื่อตารางเหนือหัวตาราง (ไฟล์ไม่มีคอลัมน์นี้ ใช้กับทุกแถว)", ["ปีการศึกษา 2568"]) in notes
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "ปีการศึกษา 2568" in page
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert _stored() == {
        ("1076100101", 2568, "p1"): (25, 1),
        ("1076100102", 2568, "p1"): (30, 2),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "titles",
    [
        ["ข้อมูลนักเรียน ปีการศึกษา 2567-2568"],  # a range
        ["ข้อมูลนักเรียน ปีการศึกษา 2567", "เทียบกับปีการศึกษา 2568"],  # two years
        ["ข้อมูลนักเรียนและห้องเรียน"],  # none
        ["ข้อมูลนักเรียน ปีการศึกษา 2490"],  # out of range
    ],
)
def test_a_title_without_one_usable_year_still_asks_for_the_year_column(
    client, admin, school_a, school_b, titles
):
    client.force_login(admin)
    upload(client, "enrolment", "dmc.xlsx", _sheet(titles))
    batch = latest_batch()
    assert batch.status == BatchStatus.NEEDS_MAPPING
    assert "ไม่พบคอลัมน์ “ปีการศึกษา”" in batch.notice
    assert batch.title_values == {}
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_a_year_column_wins_over_the_title(client, admin, school_a):
    header = ["รหัสสถานศึกษา", "ปีการศึกษา", "ป.1 นักเรียน", "ป.1 ห้องเรียน"]
    rows = [["1076100101", 2567, 20, 1], ["1076100101", "๒๕๖๖", 18, 1]]
    client.force_login(admin)
    upload(client, "enrolment", "dmc.xlsx", _sheet(["ปีการศึกษา 2568"], header, rows))
    batch = latest_batch()
    assert batch.status == BatchStatus.VALIDATED, batch.notice
    assert batch.title_values == {"year": 2568}  # said on the mapping page, not used
    assert not any("ชื่อตาราง" in n["title"] for n in batch.preview_notes)
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert _stored() == {
        ("1076100101", 2567, "p1"): (20, 1),
        ("1076100101", 2566, "p1"): (18, 1),
    }


@pytest.mark.django_db
def test_the_mapping_page_takes_the_titles_year_for_the_missing_column(client, admin, school_a):
    """Grade columns named in the school's own words need choosing by hand: the year the
    title gives need not be (there is no column to choose for it)."""
    header = ["รหัสสถานศึกษา", "เด็กชั้นแรก", "ห้องชั้นแรก"]
    client.force_login(admin)
    upload(
        client, "enrolment", "dmc.xlsx",
        _sheet(["นักเรียน ปีการศึกษา ๒๕๖๘"], header, [["1076100101", 22, 1]]),
    )  # fmt: skip
    batch = latest_batch()
    assert batch.status == BatchStatus.NEEDS_MAPPING
    assert "ปีการศึกษา" not in batch.notice
    page = client.get(reverse("imports:mapping", args=[batch.pk])).content.decode()
    assert "ปีการศึกษา 2568" in page
    response = client.post(
        reverse("imports:mapping", args=[batch.pk]),
        {"col_0": "school", "col_1": "p1_students", "col_2": "p1_classrooms"},
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VALIDATED, batch.notice
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert _stored() == {("1076100101", 2568, "p1"): (22, 1)}


WORDS = st.sampled_from(["ข้อมูลนักเรียน ", "ผลการทดสอบ O-NET ", "", "สพป.เพชรบุรี เขต 1 "])
AFTER = st.sampled_from(["", " ภาคเรียนที่ 1", "/1", " (ณ วันที่ 10 มิ.ย.)", " ภาคเรียนที่ ๒"])


@given(
    year=st.integers(2500, 2600),
    before=WORDS,
    after=AFTER,
    era=st.sampled_from(["", "พ.ศ. ", "พ.ศ.", "พศ "]),
    thai=st.booleans(),
    spaces=st.sampled_from(["", " ", "  ", "\u00a0", "\u200b"]),
)
def test_a_titles_year_is_read_however_it_is_written(year, before, after, era, thai, spaces):
    written = to_thai_digits(str(year)) if thai else str(year)
    title = f"{before}ปีการศึกษา{spaces}{era}{written}{after}"
    assert academic_year_in_title([title, None, 2568]) == year


@given(first=st.integers(2500, 2600), second=st.integers(2500, 2600), dash=st.sampled_from("-–—/"))
def test_a_range_or_two_years_give_no_year(first, second, dash):
    if first == second:
        return
    assert academic_year_in_title([f"ปีการศึกษา {first}{dash}{second}"]) is None
    assert academic_year_in_title([f"ปีการศึกษา {first}", f"ปีการศึกษา {second}"]) is None
