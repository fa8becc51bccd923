"""Hours typed as a length of time ("3:30", "3 ชั่วโมง 30 นาที", "๓ ชม. ๓๐ นาที", "90 นาที")
where a number of hours is asked for: read as hours with decimals by one parser
(numerals.hours_of_time_span), for every hours box (krupd.forms) and the session's hours of
each day. "3.30" with no unit stays the decimal 3.3, as it always was."""

from decimal import Decimal

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from community.models import PLCMeeting
from krupd.forms import ThaiDecimalField
from krupd.lib.numerals import HoursError, hours_of_time_span, to_thai_digits
from training.forms import read_day_hours

SPACES = st.sampled_from(["", " ", "  ", "\u00a0", "\u200b"])
HOUR_WORDS = st.sampled_from(["ชั่วโมง", "ชม.", "ชม"])


def _typed(text: str, thai: bool) -> str:
    return to_thai_digits(text) if thai else text


@given(
    hours=st.integers(0, 23),
    tenths=st.integers(0, 9),
    thai=st.booleans(),
    space=SPACES,
    word=HOUR_WORDS,
    form=st.sampled_from(["clock", "words", "minutes"]),
)
def test_every_way_of_writing_a_time_span_reads_as_its_hours(
    hours, tenths, thai, space, word, form
):
    minutes = tenths * 6  # hours are kept to one decimal: 6 minutes a tenth
    if form == "clock":
        text = f"{hours}{space}:{space}{minutes:02d}"
    elif form == "words":
        text = f"{hours}{space}{word}{space}{minutes}{space}นาที"
    else:
        text = f"{hours * 60 + minutes}{space}นาที"
    assert hours_of_time_span(_typed(text, thai)) == Decimal(hours) + Decimal(tenths) / 10


@given(
    number=st.decimals(min_value=0, max_value=999, places=2), word=HOUR_WORDS, thai=st.booleans()
)
def test_a_number_of_hours_is_never_read_as_a_time_span(number, word, thai):
    """ "3.30" and "3.30 ชม." are the decimal 3.3 hours: the caller reads them as before."""
    for text in (f"{number}", f"{number} {word}", f"{number}{word}"):
        assert hours_of_time_span(_typed(text, thai)) is None


@given(text=st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙:.,ชั่วโมงนาทีครึ่ง -\u00a0", max_size=30))
def test_any_typed_text_is_hours_none_or_a_thai_refusal(text):
    try:
        hours = hours_of_time_span(text)
    except HoursError as error:
        assert str(error) and not str(error).isascii()
    else:
        assert hours is None or (hours >= 0 and hours == round(hours, 1))


def test_minutes_past_the_hour_and_minutes_the_decimals_cannot_hold_are_refused_in_thai():
    with pytest.raises(HoursError, match="นาทีต้องน้อยกว่า 60"):
        hours_of_time_span("3:75")
    with pytest.raises(HoursError) as caught:
        hours_of_time_span("1 ชม. 20 นาที")
    assert "1.333" in str(caught.value) and "1.3" in str(caught.value)
    with pytest.raises(HoursError):
        hours_of_time_span("1:20", places=2)  # 1.333… hours, whatever the places
    assert hours_of_time_span("2 ชั่วโมงครึ่ง") == Decimal("2.5")
    assert hours_of_time_span("1:15", places=2) == Decimal("1.25")


def _plc_hours_box() -> ThaiDecimalField:
    # The PLC meeting's own box, as its form declares it.
    return ThaiDecimalField(
        column=PLCMeeting.hours, label="จำนวนชั่วโมง", min_value=0.5, max_value=24
    )


@pytest.mark.parametrize(
    "typed, hours",
    [
        ("3:30", "3.5"),
        ("3 ชั่วโมง 30 นาที", "3.5"),
        ("๓ ชม. ๓๐ นาที", "3.5"),
        ("90 นาที", "1.5"),
        ("3.30", "3.3"),  # no unit: the decimal it always was
        ("3.30 ชม.", "3.3"),
        ("๒.๕", "2.5"),
        ("3", "3"),
    ],
)
def test_an_hours_box_takes_a_time_span_as_hours(typed, hours):
    assert _plc_hours_box().clean(typed) == Decimal(hours)


def test_an_hours_box_refuses_what_is_no_number_of_hours_in_thai():
    box = _plc_hours_box()
    for typed in ("12 วัน", "3:75", "1:20", "25:00"):
        with pytest.raises(forms.ValidationError) as caught:
            box.clean(typed)
        assert not caught.value.messages[0].isascii(), typed


def test_a_box_that_is_not_of_hours_takes_no_time_span():
    with pytest.raises(forms.ValidationError):
        ThaiDecimalField(max_digits=5, decimal_places=1, label="คะแนน").clean("3:30")


def test_a_sessions_days_may_be_written_as_time_spans():
    assert read_day_hours("6, 6, 3:30", days=3) == [Decimal("6"), Decimal("6"), Decimal("3.5")]
    assert read_day_hours("๖, ๓ ชม. ๓๐ นาที", days=2) == [Decimal("6"), Decimal("3.5")]
    assert read_day_hours("6 6 3:30", days=3)[2] == Decimal("3.5")
    with pytest.raises(forms.ValidationError, match="วันที่ 2"):
        read_day_hours("6, 25:00", days=2)
