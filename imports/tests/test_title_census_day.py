"""The census day a sheet's title names ("ข้อมูลนักเรียน ณ วันที่ 25 มิถุนายน 2568", "ข้อมูล ณ
10 มิ.ย. 68") is the day of every row when the file has no census-day column: the office does
not type it again, and the preview says where it came from. A title naming no day, two days or
no date leaves the office's census day, as before."""

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from imports.models import BatchStatus
from krupd.lib.numerals import to_thai_digits
from krupd.lib.thai_dates import MONTHS_LONG, MONTHS_SHORT, date_in_title
from registry.models import Enrolment

from .test_personnel import errors_of, latest_batch, upload
from .test_title_year import _sheet


def _census_days():
    return {
        (e.school.obec_code, e.academic_year): e.census_date
        for e in Enrolment.objects.select_related("school")
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "title",
    [
        "ข้อมูลนักเรียน ปีการศึกษา ๒๕๖๘ ณ วันที่ ๒๕ มิถุนายน ๒๕๖๘",
        "ข้อมูลนักเรียน ปีการศึกษา 2568 ข้อมูล ณ 25 มิ.ย. 68",
    ],
)
def test_the_census_day_in_the_title_is_every_rows_census_day(
    client, admin, school_a, school_b, title
):
    """Before, the title's day was passed over: the rows took the office's census day (10
    June) and the office had to add a column to say 25 June."""
    client.force_login(admin)
    upload(client, "enrolment", "dmc.xlsx", _sheet([title, "สพป.เพชรบุรี เขต ๑"]))
    batch = latest_batch()
    assert batch.status == BatchStatus.VALIDATED, batch.notice or batch.error_message
    assert batch.count_error == 0, errors_of(batch)
    items = [item for note in batch.preview_notes for item in note["items"]]
    assert "วันที่ของข้อมูลอ่านจากหัวตาราง: 25 มิถุนายน 2568" in items
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "วันที่ของข้อมูลอ่านจากหัวตาราง: 25 มิถุนายน 2568" in page
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert _census_days() == {
        ("1076100101", 2568): dt.date(2025, 6, 25),
        ("1076100102", 2568): dt.date(2025, 6, 25),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "title",
    [
        "ข้อมูลนักเรียน ปีการศึกษา 2568",  # no day
        "ข้อมูลนักเรียน ปีการศึกษา 2568 ณ 10 มิ.ย. 68 และ ณ 10 พ.ย. 68",  # two days
        "ข้อมูลนักเรียน ปีการศึกษา 2568 ณ วันที่ 31 มิถุนายน 2568",  # no such day
    ],
)
def test_a_title_without_one_census_day_leaves_the_offices_day(
    client, admin, school_a, school_b, title
):
    client.force_login(admin)
    upload(client, "enrolment", "dmc.xlsx", _sheet([title]))
    batch = latest_batch()
    assert batch.status == BatchStatus.VALIDATED, batch.notice or batch.error_message
    assert "census_date" not in batch.title_values
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert set(_census_days().values()) == {dt.date(2025, 6, 10)}


@pytest.mark.django_db
def test_a_census_day_column_wins_over_the_title(client, admin, school_a):
    header = ["รหัสสถานศึกษา", "ปีการศึกษา", "วันนับข้อมูล", "ป.1 นักเรียน", "ป.1 ห้องเรียน"]
    rows = [["1076100101", 2568, "01/07/2568", 20, 1]]
    client.force_login(admin)
    upload(client, "enrolment", "dmc.xlsx", _sheet(["ข้อมูล ณ 25 มิ.ย. 68"], header, rows))
    batch = latest_batch()
    assert batch.status == BatchStatus.VALIDATED, batch.notice
    assert not any("หัวตาราง" in i for n in batch.preview_notes for i in n["items"])
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert _census_days() == {("1076100101", 2568): dt.date(2025, 7, 1)}


@given(
    day=st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2150, 12, 31)),
    month_style=st.sampled_from(["long", "short", "number"]),
    thai=st.booleans(),
    two_digit_year=st.booleans(),
    opening=st.sampled_from(["ข้อมูลบุคลากร ณ วันที่ ", "ข้อมูล ณ ", "ณ วันที่", "วันนับข้อมูล "]),
    noise=st.sampled_from(["", " สพป.เพชรบุรี เขต 1", " (ฉบับปรับปรุง)", "\u200b"]),
)
def test_a_title_day_written_any_way_an_office_writes_it_is_read(
    day, month_style, thai, two_digit_year, opening, noise
):
    be = day.year + 543
    year = str(be)[2:] if two_digit_year else str(be)
    if two_digit_year and not 2500 <= be <= dt.date.today().year + 543 + 10:
        return  # two digits name a year near today only
    if month_style == "number":
        written = f"{day.day}/{day.month:02d}/{year}"
    else:
        month = (MONTHS_LONG if month_style == "long" else MONTHS_SHORT)[day.month - 1]
        written = f"{day.day} {month} {year}"
    title = f"{opening}{to_thai_digits(written) if thai else written}{noise}"
    assert date_in_title([title, 2568, None]) == day


@given(st.text(alphabet="ณวันที่ 0123456789/.มิย", max_size=40))
def test_any_title_gives_one_day_or_none(text):
    found = date_in_title([text])
    assert found is None or isinstance(found, dt.date)
