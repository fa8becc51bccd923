"""One reader of a time of day as people write it (thai_dates.parse_time_of_day): the quiet
hours of notifications (ClockField) and the time part of a Google Form's time stamp."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from krupd.lib.numerals import to_thai_digits
from krupd.lib.thai_dates import ThaiDateError, parse_time_of_day

SPACES = st.sampled_from(["", " ", "  ", "\u200b", "\u00a0"])


@settings(max_examples=200, deadline=None)
@given(
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    second=st.one_of(st.none(), st.integers(0, 59)),
    separator=st.sampled_from([".", ":"]),
    padded=st.booleans(),
    thai=st.booleans(),
    meridiem=st.sampled_from(["", "AM", "am", "a.m.", "A.M."]),
    suffix=st.sampled_from(["", "น.", " น.", " น", "น"]),
    before=SPACES,
    after=SPACES,
    word=st.sampled_from(["", "เวลา ", "เวลา"]),
)
def test_a_time_written_any_way_reads_as_that_time(
    hour, minute, second, separator, padded, thai, meridiem, suffix, before, after, word
):
    shown_hour = hour
    if meridiem:  # the 12-hour clock: 0 → 12 AM, 13 → 1 PM
        shown_hour = hour % 12 or 12
        if hour >= 12:
            meridiem = meridiem.replace("a", "p").replace("A", "P")
    text = f"{shown_hour:02d}" if padded else str(shown_hour)
    text += f"{separator}{minute:02d}"
    if second is not None:
        text += f"{separator}{second:02d}"
    if meridiem:
        text += f" {meridiem}"
    text = f"{before}{word}{text}{suffix}{after}"
    if thai:
        text = to_thai_digits(text)
    assert parse_time_of_day(text) == dt.time(hour, minute, second or 0)


@settings(max_examples=100, deadline=None)
@given(hour=st.integers(24, 99), minute=st.integers(0, 99), thai=st.booleans())
def test_an_hour_past_23_is_no_time(hour, minute, thai):
    text = f"{hour}.{minute:02d}"
    with pytest.raises(ThaiDateError, match="ไม่ใช่เวลา"):
        parse_time_of_day(to_thai_digits(text) if thai else text)


@settings(max_examples=100, deadline=None)
@given(hour=st.integers(0, 23), minute=st.integers(60, 99))
def test_a_minute_past_59_is_no_time(hour, minute):
    with pytest.raises(ThaiDateError, match="ไม่ใช่เวลา"):
        parse_time_of_day(f"{hour}:{minute}")


@pytest.mark.parametrize(
    "text, time",
    [
        ("21", dt.time(21)), ("๒๑.๐๐ น.", dt.time(21)), ("6.30", dt.time(6, 30)),
        ("12:00 AM", dt.time(0)), ("12:30 PM", dt.time(12, 30)), ("1:05:00 PM", dt.time(13, 5)),
        ("", None), ("  ", None), (None, None),
    ],
)  # fmt: skip
def test_times_read_as_written(text, time):
    assert parse_time_of_day(text) == time


@pytest.mark.parametrize("text", ["สามทุ่ม", "21.5", "21.00.0", "2100", "21-00", "เที่ยง"])
def test_what_is_no_time_is_refused_in_thai(text):
    with pytest.raises(ThaiDateError, match="ไม่ใช่เวลา"):
        parse_time_of_day(text)
