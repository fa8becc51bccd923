"""A test score typed with a half ("12.5", "๑๒.๕", "12,5", the number 12.5): a test's score is
kept in whole points (TestAttempt.score is a whole-number column), so it is refused, and the
message says that only whole points are recorded; "12,5" was told it was no score at all."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imports.importers import CellError, prepare
from imports.importers.results import read_score
from krupd.lib.numerals import fraction_typed, to_thai_digits
from training.models import TestAttempt

from .conftest import national_id, xlsx_bytes
from .test_properties import FAST
from .test_results import course, errors_of, participants, session, start  # noqa: F401

WHOLE_POINTS = "บันทึกคะแนนแบบทดสอบได้เฉพาะคะแนนเต็มหน่วย"


@FAST
@given(
    whole=st.integers(0, 999),
    tenths=st.integers(1, 9),
    thai=st.booleans(),
    comma=st.booleans(),
    full=st.sampled_from(["", "/20", " จาก 1000", " คะแนน"]),
)
def test_a_score_with_a_fraction_is_refused_saying_only_whole_points_are_kept(
    whole, tenths, thai, comma, full
):
    text = f"{whole}{',' if comma else '.'}{tenths}{full}"
    with pytest.raises(CellError) as caught:
        read_score(prepare(to_thai_digits(text) if thai else text), None)
    assert WHOLE_POINTS in str(caught.value)


@FAST
@given(number=st.integers(0, 10**6), thai=st.booleans())
def test_a_whole_number_is_never_taken_for_a_fraction(number, thai):
    for text in (f"{number}", f"{number:,}", f"{number}.0", f"{number}.00"):
        assert fraction_typed(to_thai_digits(text) if thai else text) is None
    assert fraction_typed(number) is None and fraction_typed(float(number)) is None


@given(whole=st.integers(0, 999), half=st.sampled_from(["5", "25", "75"]), thai=st.booleans())
def test_a_fraction_is_read_whichever_mark_and_digits(whole, half, thai):
    expected = Decimal(f"{whole}.{half}")
    for mark in (".", ","):
        text = f"{whole}{mark}{half}"
        assert fraction_typed(to_thai_digits(text) if thai else text) == expected


@pytest.mark.django_db
def test_a_score_sheet_with_half_points_names_the_row_and_records_nothing(
    admin,
    session,  # noqa: F811
    participants,  # noqa: F811
):
    rows = [
        ["เลขประจำตัวประชาชน", "คะแนนหลังเรียน (20 คะแนน)"],
        [national_id(1), 12.5],
        [national_id(2), "๑๒,๕"],
        [national_id(3), "12"],
    ]
    batch = start(admin, session, xlsx_bytes(rows))
    errors = errors_of(batch)
    assert set(errors) == {(2, "คะแนนหลังเรียน (20 คะแนน)"), (3, "คะแนนหลังเรียน (20 คะแนน)")}
    assert all(WHOLE_POINTS in message for message in errors.values())
    assert "“12,5”" in errors[(3, "คะแนนหลังเรียน (20 คะแนน)")]
    assert not TestAttempt.objects.exists()
