import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from krupd.lib import numerals, thai_dates, thai_id

THAI = "๐๑๒๓๔๕๖๗๘๙"


def test_it_accepts_the_documented_valid_ids():
    assert thai_id.is_valid_national_id("3100600445635")
    assert thai_id.is_valid_national_id("1234545678781")


def test_it_rejects_a_wrong_check_digit():
    assert "หลักตรวจสอบ" in thai_id.national_id_problem("1234545678789")


def test_it_applies_the_leading_zero_rule_only_when_asked():
    body = "012345678901"
    valid = body + str(thai_id.check_digit(body))
    assert thai_id.is_valid_national_id(valid)
    assert not thai_id.is_valid_national_id(valid, allow_leading_zero_or_nine=False)


def test_it_formats_and_masks():
    assert thai_id.format_national_id("3100600445635") == "3-1006-00445-63-5"
    masked = thai_id.mask_national_id("3100600445635")
    assert masked.startswith("3-") and masked.endswith("63-5") and "00445" not in masked


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_it_validates_every_id_it_completes(body):
    complete = body + str(thai_id.check_digit(body))
    assert thai_id.is_valid_national_id(complete)
    # Any single changed last digit is caught.
    wrong = complete[:12] + str((int(complete[12]) + 1) % 10)
    assert not thai_id.is_valid_national_id(wrong)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.sampled_from([" ", "-", ""]))
def test_it_normalises_thai_digits_and_separators(body, sep):
    complete = body + str(thai_id.check_digit(body))
    written = numerals.to_thai_digits(thai_id.format_national_id(complete)).replace("-", sep)
    assert thai_id.normalize_national_id(f"  {written} ") == complete


# Separators as Word, PDFs, web pages and Excel's number formats write them between digits:
# hyphen, non-breaking hyphen, figure/en/em dash, minus sign, full-width hyphen, thousands comma.
DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\uff0d", "\ufe63"]


@given(
    st.text(alphabet="0123456789", min_size=12, max_size=12),
    st.lists(st.sampled_from([*DASHES, " ", "\u00a0", ".", ""]), min_size=4, max_size=4),
    st.booleans(),
)
def test_an_id_copied_with_any_dash_between_its_groups_is_read(body, seps, thai):
    complete = body + str(thai_id.check_digit(body))
    groups = thai_id.format_national_id(complete).split("-")
    written = groups[0] + "".join(sep + group for sep, group in zip(seps, groups[1:], strict=True))
    if thai:
        written = numerals.to_thai_digits(written)
    assert thai_id.normalize_national_id(f" {written}\t") == complete


@given(st.integers(min_value=10**12, max_value=10**13 - 1))
def test_an_id_in_a_csv_of_a_number_formatted_column_is_read(number):
    """A CSV saved from Excel where the ID column held numbers with a thousands format."""
    assert thai_id.normalize_national_id(f"{number:,}") == str(number)


@given(
    body=st.text(alphabet="0123456789", min_size=8, max_size=9),
    seps=st.lists(st.sampled_from([*DASHES, " ", ".", ""]), min_size=2, max_size=2),
    thai=st.booleans(),
    extension=st.sampled_from(["", " ต่อ 12", " #3", " ext. 101"]),
)
def test_a_thai_phone_number_is_read_with_any_separators(body, seps, thai, extension):
    from krupd.lib import thai_phone

    written = f"0{body[:2]}{seps[0]}{body[2:5]}{seps[1]}{body[5:]}{extension}"
    if thai:
        written = numerals.to_thai_digits(written)
    text = thai_phone.normalize_phone(written)
    assert thai_phone.phone_problem(text) is None or len(text) > thai_phone.LONGEST


@given(st.text(max_size=30))
def test_a_phone_check_answers_anything_in_thai_or_not_at_all(text):
    from krupd.lib import thai_phone

    problem = thai_phone.phone_problem(thai_phone.normalize_phone(text))
    assert problem is None or "เบอร์โทรศัพท์" in problem
    if problem is None:  # a number: 9 or 10 digits from 0 (or +66), whatever came between
        digits = "".join(ch for ch in numerals.to_arabic_digits(text) if ch.isdigit())
        assert len(digits) >= 8


@given(st.text(max_size=40))
def test_it_never_crashes_on_garbage_ids(text):
    problem = thai_id.national_id_problem(thai_id.normalize_national_id(text))
    assert problem is None or isinstance(problem, str)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("15/03/2530", dt.date(1987, 3, 15)),
        ("15/03/1987", dt.date(1987, 3, 15)),
        ("๑๕/๐๓/๒๕๓๐", dt.date(1987, 3, 15)),
        ("15-3-30", dt.date(1987, 3, 15)),
        ("2530-03-15", dt.date(1987, 3, 15)),
        ("1987-03-15", dt.date(1987, 3, 15)),
        ("15 มี.ค. 2530", dt.date(1987, 3, 15)),
        ("15 มีค 30", dt.date(1987, 3, 15)),
        ("15 มีนาคม พ.ศ. 2530", dt.date(1987, 3, 15)),
        (" 15 / 03 / 2530 ", dt.date(1987, 3, 15)),
        ("", None),
        ("-", None),
    ],
)
def test_it_parses_thai_date_forms(text, expected):
    assert thai_dates.parse_thai_date(text) == expected


def test_it_reads_excel_serials_and_be_dates_stored_as_dates():
    assert thai_dates.parse_thai_date(31851) == dt.date(1987, 3, 15)
    assert thai_dates.parse_thai_date(dt.date(2530, 3, 15)) == dt.date(1987, 3, 15)


@pytest.mark.parametrize("text", ["31/02/2530", "15/13/2530", "15 มกรา 2530x", "abc", "15/03/1500"])
def test_it_explains_bad_dates_in_thai(text):
    with pytest.raises(thai_dates.ThaiDateError) as error:
        thai_dates.parse_thai_date(text)
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in str(error.value))


@given(st.dates(min_value=dt.date(1942, 1, 1), max_value=dt.date(2100, 12, 31)),
       st.sampled_from(["short", "medium", "long"]), st.booleans())  # fmt: skip
def test_it_round_trips_every_format_it_writes(date, style, thai_digits):
    text = thai_dates.format_thai_date(date, style=style, thai_digits=thai_digits)
    assert thai_dates.parse_thai_date(text) == date


@given(st.text(max_size=30))
def test_it_never_raises_anything_but_thai_date_error(text):
    try:
        thai_dates.parse_thai_date(text)
    except thai_dates.ThaiDateError:
        pass


def test_it_names_fiscal_and_academic_years_in_be():
    assert thai_dates.fiscal_year(dt.date(2025, 10, 1)) == 2569
    assert thai_dates.fiscal_year(dt.date(2026, 9, 30)) == 2569
    assert thai_dates.academic_year(dt.date(2026, 5, 15)) == 2568
    assert thai_dates.academic_year(dt.date(2026, 5, 16)) == 2569


def test_it_retires_people_at_the_end_of_the_fiscal_year_they_turn_sixty():
    assert thai_dates.retirement_date(dt.date(1966, 3, 1)) == dt.date(2026, 9, 30)
    assert thai_dates.retirement_date(dt.date(1966, 10, 2)) == dt.date(2027, 9, 30)
    assert thai_dates.retirement_date(dt.date(1966, 3, 1), retirement_age=61) == dt.date(
        2027, 9, 30
    )


@pytest.mark.parametrize(
    ("born", "retires"),
    [
        # Born 1 Oct completes 60 years on 30 Sep, the last day of a fiscal year: retires then.
        (dt.date(1966, 10, 1), dt.date(2026, 9, 30)),
        # Born 2 Oct completes them on 1 Oct, the first day of the next: serves a year more.
        (dt.date(1966, 10, 2), dt.date(2027, 9, 30)),
        (dt.date(1966, 9, 30), dt.date(2026, 9, 30)),
        (dt.date(1967, 1, 1), dt.date(2027, 9, 30)),
        # 29 Feb: completes 60 on 28 Feb whether or not year 60 has a 29 Feb.
        (dt.date(1964, 2, 29), dt.date(2024, 9, 30)),  # 2024 (พ.ศ. 2567) is a leap year
        (dt.date(1968, 2, 29), dt.date(2028, 9, 30)),
        (dt.date(1965, 2, 28), dt.date(2025, 9, 30)),
    ],
)
def test_the_retirement_day_follows_the_thai_age_count(born, retires):
    assert thai_dates.retirement_date(born) == retires


def test_age_is_completed_the_day_before_the_anniversary():
    assert thai_dates.reaches_age_on(dt.date(1966, 10, 1), 60) == dt.date(2026, 9, 30)
    assert thai_dates.reaches_age_on(dt.date(1964, 2, 29), 60) == dt.date(2024, 2, 28)
    assert thai_dates.reaches_age_on(dt.date(1965, 2, 28), 60) == dt.date(2025, 2, 27)
    assert thai_dates.reaches_age_on(dt.date(1963, 2, 28), 61) == dt.date(2024, 2, 27)


@given(
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31)),
    age=st.integers(min_value=50, max_value=70),
)
def test_retirement_is_the_end_of_the_fiscal_year_the_age_is_completed_in(born, age):
    retires = thai_dates.retirement_date(born, retirement_age=age)
    assert (retires.month, retires.day) == (9, 30)
    completed = thai_dates.reaches_age_on(born, age)
    assert thai_dates.fiscal_year(completed) == thai_dates.fiscal_year(retires)
    # Completing the age is 1 Oct .. 30 Sep of that fiscal year: a year is never skipped.
    assert retires - dt.timedelta(days=366) < completed <= retires
    # Those born a day later never retire earlier.
    later = thai_dates.retirement_date(born + dt.timedelta(days=1), retirement_age=age)
    assert later >= retires


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_it_reads_integers_in_thai_digits(n):
    assert numerals.parse_int(numerals.to_thai_digits(f"{n:,}")) == n


# ------------------------------------------------------------------------------ Likert


@pytest.mark.parametrize(
    ("mean", "band"),
    [
        (5.0, "มากที่สุด"), (4.51, "มากที่สุด"), (4.505, "มากที่สุด"), (4.5049, "มาก"),
        (4.50, "มาก"), (3.505, "มาก"), (3.5, "ปานกลาง"), (2.505, "ปานกลาง"), (2.5, "น้อย"),
        (1.505, "น้อย"), (1.5, "น้อยที่สุด"), (1.0, "น้อยที่สุด"), (None, ""),
    ],
)  # fmt: skip
def test_it_reads_likert_means_as_reported_half_up(mean, band):
    from krupd.lib.likert import likert_band

    assert likert_band(mean) == band


def test_planning_and_training_read_likert_bands_the_same_way():
    from planning.queries import likert
    from training.stats import likert_band

    for hundredths in range(100, 501):
        for extra in (0, 0.005, 0.0049):
            mean = hundredths / 100 + extra
            if mean <= 5:
                assert likert(mean) == likert_band(mean), mean


def test_numbered_names_sort_in_number_order():
    from krupd.lib.natural import natural_sorted

    names = ["เครือข่าย 10", "เครือข่าย 2", "เครือข่าย ๓", "เครือข่าย 1", "กลุ่ม 11", "เครือข่าย 11"]
    assert natural_sorted(names) == [
        "กลุ่ม 11", "เครือข่าย 1", "เครือข่าย 2", "เครือข่าย ๓", "เครือข่าย 10", "เครือข่าย 11",
    ]  # fmt: skip


@given(st.lists(st.integers(min_value=0, max_value=10**6), max_size=30))
def test_natural_order_of_numbered_names_is_the_order_of_their_numbers(numbers):
    from krupd.lib.natural import natural_sorted

    names = [f"เครือข่ายที่ {n}" for n in numbers]
    assert natural_sorted(names) == [f"เครือข่ายที่ {n}" for n in sorted(numbers)]


def test_a_percentage_is_written_as_reports_write_it():
    format_percent = numerals.format_percent
    assert format_percent(None) == "—"  # no data is never 0
    assert format_percent(75) == "75.00"
    assert format_percent(66.665) == "66.67"  # half rounded up, not to even
    assert format_percent(1234.5, 1) == "1,234.5"
    assert format_percent(Decimal("33.333"), thai_digits=True) == "๓๓.๓๓"


def test_a_stored_moment_is_dated_as_the_day_it_was_in_thailand(settings):
    from krupd.lib.thai_dates import format_thai_date

    settings.TIME_ZONE = "Asia/Bangkok"
    late_evening_utc = dt.datetime(2026, 12, 3, 17, 16, tzinfo=dt.UTC)  # 00:16 on the 4th there
    assert format_thai_date(late_evening_utc) == "04/12/2569"
    assert format_thai_date(dt.datetime(2026, 12, 3, 16, 59, tzinfo=dt.UTC)) == "03/12/2569"
    assert format_thai_date(dt.datetime(2026, 12, 3, 23, 0)) == "03/12/2569"  # naive: as given


@given(st.text(alphabet="๐๑๒๓๔๕๖๗๘๙0129กขa \t\n\u00a0\u200b\ufeff\u3000", max_size=40))
def test_clean_text_normalises_digits_and_spaces_in_one_pass(text):
    """The one-pass table does what the spelled-out steps do, for any mix of Thai digits,
    ordinary, non-breaking and zero-width spaces and byte-order marks."""
    from krupd.lib.numerals import clean_text, to_arabic_digits

    spelled_out = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    assert clean_text(text) == " ".join(to_arabic_digits(spelled_out).split())
    assert clean_text(clean_text(text)) == clean_text(text)


@pytest.mark.parametrize(
    "mark",
    ["\u00ad", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202c", "\u2060", "\u2066"],
)
def test_clean_text_drops_every_invisible_character(mark):
    from krupd.lib.numerals import clean_text

    assert clean_text(f"{mark}สม{mark}ชาย {mark}ใจดี{mark}") == "สมชาย ใจดี"
    assert clean_text(f"๓๑๐๐{mark}๖๐๐") == "3100600"


# ------------------------------------------------------------------------------ rounding


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (0.125, 2, "0.13"),  # float formatting (half even) prints 0.12
        (2.675, 2, "2.68"),  # stored as 2.67499999…: the written value rounds up
        (Decimal("12.345"), 2, "12.35"),
        (-0.125, 2, "-0.13"),  # a shortage rounds away from zero like a surplus
        (12.25, 1, "12.3"),
        (29 / 100 * 100, 2, "29.00"),
    ],
)
def test_reported_figures_round_half_up_on_the_written_value(value, places, text):
    assert str(numerals.rounded(value, places)) == text


_near_halves = st.builds(
    lambda n, k: float(n) + 0.5 + k * 2.0**-40, st.integers(0, 10**6), st.integers(-3, 3)
)


@given(
    st.floats(min_value=0, max_value=2.0**53)
    | _near_halves
    | st.sampled_from([0.49999999999999994, 82.5, 81.5, 2.0**52 - 0.5, 2.0**52])
    | st.floats(min_value=-100, max_value=0)
    | st.integers(-1000, 1000)
    | st.decimals(min_value=-1000, max_value=1000, places=3)
)
def test_a_whole_rounded_score_is_the_decimal_rounding(value):
    # rounded_whole rounds a float without Decimal: the same whole number as rounded().
    assert numerals.rounded_whole(value) == int(numerals.rounded(value, 0))


@given(
    whole=st.integers(min_value=1, max_value=10**6),
    data=st.data(),
)
def test_percent_of_is_the_exact_share_rounded_half_up(whole, data):
    from fractions import Fraction

    part = data.draw(st.integers(min_value=-whole, max_value=whole))
    exact = Fraction(part * 100, whole)
    # Half up, away from zero, on the exact value, to two decimals.
    hundredths = abs(exact) * 100
    rounded_up = int(hundredths) + (1 if hundredths - int(hundredths) >= Fraction(1, 2) else 0)
    expected = Decimal(rounded_up if exact >= 0 else -rounded_up) / 100
    assert numerals.percent_of(part, whole) == expected


def test_percent_of_nothing_is_no_figure():
    assert numerals.percent_of(0, 0) is None
    assert numerals.format_percent(numerals.percent_of(3, 0)) == "—"
    assert numerals.format_percent(numerals.percent_of(1, 800)) == "0.13"
    assert numerals.format_percent(numerals.percent_of(1, 3), thai_digits=True) == "๓๓.๓๓"


@given(
    day=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31)),
    years=st.integers(min_value=0, max_value=45),
)
def test_years_before_is_the_whole_years_edge(day, years):
    """Started on or before years_before(day, n): at least n whole years on `day`; a day
    later: fewer (29 Feb counts to 28 Feb). 365.25-day years missed it by a day."""

    def whole_years(start, end):
        return end.year - start.year - ((end.month, end.day) < (start.month, start.day))

    edge = thai_dates.years_before(day, years)
    assert whole_years(edge, day) >= years
    assert whole_years(edge + dt.timedelta(days=1), day) < years or years == 0


def test_years_before_on_leap_days():
    assert thai_dates.years_before(dt.date(2025, 6, 10), 2) == dt.date(2023, 6, 10)
    assert thai_dates.years_before(dt.date(2024, 2, 29), 1) == dt.date(2023, 2, 28)


WEEKDAYS = ["จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์"]


@given(
    date=st.dates(min_value=dt.date(1942, 1, 1), max_value=dt.date(2100, 12, 31)),
    style=st.integers(0, 16),
    thai_digits=st.booleans(),
    space=st.sampled_from([" ", "  ", "\u00a0", " \u200b"]),
)
def test_it_reads_every_way_offices_write_a_date(date, style, thai_digits, space):
    """Messy Thai input: month names long, short, spoken or English, dashes, a leading
    "วันที่", a time of day after it, Thai digits, odd spaces."""
    be = date.year + 543
    month = date.month - 1
    english = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    written = [
        f"{date.day}{space}{thai_dates.MONTHS_SHORT[month]}{space}{be}",
        f"วันที่{space}{date.day}{space}{thai_dates.MONTHS_LONG[month]}{space}พ.ศ.{space}{be}",
        f"{date.day}-{thai_dates.MONTHS_SHORT[month]}-{be}",
        f"{date.day}{space}{thai_dates.MONTHS_SPOKEN[month]}{space}{be}",
        f"{date.day:02d}-{english[month]}-{date.year}",
        f"{date.year}-{date.month:02d}-{date.day:02d} 00:00:00",
        f"{date.day}/{date.month}/{be}{space}8:30 น.",
        f"{be}{date.month:02d}{date.day:02d}",
        f"{date.day:02d}.{date.month:02d}.{be}",
        f"วัน{WEEKDAYS[date.weekday()]}ที่{space}{date.day}{space}{thai_dates.MONTHS_LONG[month]}"
        f"{space}พ.ศ.{space}{be}",
        # An official letter: "วันที่ ๑๕ เดือนมีนาคม พ.ศ. ๒๕๓๐", "… เดือน มีนาคม ปี …".
        f"วันที่{space}{date.day}{space}เดือน{thai_dates.MONTHS_LONG[month]}{space}พ.ศ.{space}{be}",
        f"{date.day}{space}เดือน{space}{thai_dates.MONTHS_LONG[month]}{space}ปี{space}{be}",
        f"ณ{space}วันที่{space}{date.day}{space}{thai_dates.MONTHS_SHORT[month]}{space}{be}",
        # A Google Form's or an English-locale system's time of day.
        f"{date.day}/{date.month}/{be}{space}8:30:00{space}AM",
        f"{date.day}/{date.month}/{be} 4:05 p.m.",
        # As a letter's sentence ends, and as a list adds the weekday in brackets.
        f"ณ{space}วันที่{space}{date.day}{space}{thai_dates.MONTHS_LONG[month]}{space}{be}.",
        f"{date.day}{space}{thai_dates.MONTHS_SHORT[month]}{space}{be}{space}"
        f"(วัน{WEEKDAYS[date.weekday()]})",
    ][style]
    if thai_digits:
        written = numerals.to_thai_digits(written)
    assert thai_dates.parse_thai_date(written) == date


def test_an_unreadable_date_is_quoted_as_typed():
    with pytest.raises(thai_dates.ThaiDateError) as refused:
        thai_dates.parse_thai_date("15 เดือน 3 2530")
    assert "“15 เดือน 3 2530”" in str(refused.value)


@given(day=st.integers(1, 31), month=st.integers(1, 12), year=st.integers(2484, 2643))
def test_a_day_that_does_not_exist_is_named_in_thai(day, month, year):
    written = f"{day}/{month}/{year}"
    try:
        parsed = thai_dates.parse_thai_date(written)
    except thai_dates.ThaiDateError as error:
        assert f"ไม่มีวันที่ {day} เดือน {month} ปี พ.ศ. {year}" == str(error)
    else:
        assert (parsed.day, parsed.month, parsed.year + 543) == (day, month, year)


@given(
    value=st.floats(allow_nan=False, allow_infinity=False)
    | st.decimals(allow_nan=False, allow_infinity=False),
    places=st.integers(0, 4),
)
def test_any_figure_rounds_however_large(value, places):
    """A 27-digit figure to 2 places needs more digits than the default context's 28."""
    from fractions import Fraction

    shown = numerals.rounded(value, places)
    exact = Fraction(Decimal(str(value)))
    assert abs(Fraction(shown) - exact) <= Fraction(1, 2 * 10**places)
    assert shown.as_tuple().exponent == -places


@given(
    day=st.integers(1, 28),
    month=st.integers(1, 12),
    year=st.integers(0, 99999),
    digits=st.booleans(),
    layout=st.sampled_from(["{d}/{m}/{y}", "{d} {month} {y}", "{y}-{m:02d}-{d:02d}"]),
)
def test_a_typed_date_is_in_the_years_people_live_in_or_refused_in_thai(
    day, month, year, digits, layout
):
    """Year 2400 (CE 1857), 9999 (CE 9456) or 2300 (neither era): a slip, refused with the
    year named, never stored as a date centuries away."""
    written = layout.format(d=day, m=month, y=year, month=thai_dates.MONTHS_SHORT[month - 1])
    if digits:
        written = numerals.to_thai_digits(written)
    try:
        parsed = thai_dates.parse_thai_date(written)
    except thai_dates.ThaiDateError as error:
        assert "ปี" in str(error) or "อ่านวันที่" in str(error)
    else:
        assert 1900 <= parsed.year <= 2200
        if not layout.startswith("{y}"):  # "5-01-02" reads as 5 January (day first)
            assert (parsed.day, parsed.month) == (day, month)


@pytest.mark.parametrize(
    "typed", ["01/01/2400", "31/12/9999", "๑ ม.ค. ๒๔๐๐", "1/1/2300", dt.date(2400, 1, 1), 2958000]
)
def test_a_date_out_of_range_is_refused_with_its_year(typed):
    with pytest.raises(thai_dates.ThaiDateError) as refused:
        thai_dates.parse_thai_date(typed)
    assert "ปี" in str(refused.value)


def test_29_february_is_a_date_only_in_a_leap_be_year():
    assert thai_dates.parse_thai_date("29/02/2567") == dt.date(2024, 2, 29)  # CE 2024: leap
    with pytest.raises(thai_dates.ThaiDateError) as refused:
        thai_dates.parse_thai_date("๒๙/๐๒/๒๕๖๖")  # CE 2023
    assert str(refused.value) == "ไม่มีวันที่ 29 เดือน 2 ปี พ.ศ. 2566"


@given(day=st.integers(1, 12), month=st.integers(13, 31), year=st.integers(2484, 2643))
def test_a_date_written_month_first_is_refused_saying_how_to_write_it(day, month, year):
    with pytest.raises(thai_dates.ThaiDateError) as refused:
        thai_dates.parse_thai_date(f"{day}/{month}/{year}")
    assert str(refused.value) == (
        f"ไม่มีวันที่ {day} เดือน {month} ปี พ.ศ. {year} (อ่านแบบ วัน/เดือน/ปี "
        f"ถ้าเขียนเดือนก่อนวัน ให้สลับเป็น {month}/{day}/{year})"
    )


@given(
    whole=st.integers(min_value=1, max_value=999),
    fraction=st.text(alphabet="0123456789", min_size=1, max_size=6).filter(lambda f: len(f) != 3),
    thai=st.booleans(),
)
def test_a_decimal_comma_is_refused_never_read_as_thousands(whole, fraction, thai):
    """ "1,5" hours (a decimal comma) was read as 15, "35.220,00" baht as 35.22, "8,5" a
    score as 85: a comma that does not stand before three digits is refused instead."""
    from imports.importers import CellError, decimal_reader, prepare
    from krupd.forms import ThaiDecimalField, ThaiIntegerField

    typed = f"{whole},{fraction}"
    if thai:
        typed = numerals.to_thai_digits(typed)
    for field in (ThaiDecimalField(max_digits=12, decimal_places=6), ThaiIntegerField()):
        with pytest.raises(forms.ValidationError):
            field.clean(typed)
    with pytest.raises(ValueError):
        numerals.parse_int(typed)
    read = decimal_reader(places=2, minimum=Decimal(0), maximum=Decimal(10**9), unit="บาท")
    with pytest.raises(CellError):
        read(prepare(typed), None)
    with pytest.raises(CellError):
        read(prepare(f"{whole}.220,{fraction}"), None)  # "35.220,00"


@given(number=st.integers(min_value=0, max_value=10**11), cents=st.integers(0, 99))
def test_thousands_commas_are_read_wherever_they_group_three_digits(number, cents):
    from imports.importers import decimal_reader, prepare
    from krupd.forms import ThaiDecimalField

    typed = f"{number:,}.{cents:02d}"
    expected = Decimal(f"{number}.{cents:02d}")
    assert ThaiDecimalField(max_digits=14, decimal_places=2).clean(typed) == expected
    assert numerals.parse_int(f"{number:,}") == number
    read = decimal_reader(places=2, minimum=Decimal(0), maximum=Decimal(10**12), unit="บาท")
    assert read(prepare(f"฿{typed}"), None) == str(expected)


@given(
    month=st.integers(1, 12),
    year=st.integers(2480, 2600) | st.integers(1940, 2060) | st.integers(10, 99),
    name=st.sampled_from(["long", "short", "bare"]),
    era=st.sampled_from(["", "พ.ศ. ", "ปี "]),
    digits=st.booleans(),
)
def test_a_date_without_its_day_is_refused_saying_the_day_is_missing(
    month, year, name, era, digits
):
    """ "มิถุนายน 2555", "มิ.ย. ๕๕", "2530": registers write appointments so; the day is never
    guessed, and the message says what to add instead of "cannot read"."""
    names = {"long": thai_dates.MONTHS_LONG, "short": thai_dates.MONTHS_SHORT}
    month_name = names.get(name, thai_dates.MONTHS_SHORT)[month - 1]
    if name == "bare":
        month_name = month_name.replace(".", "")
    typed = f"{month_name} {era if era != 'ปี ' else ''}{year}"
    year_alone = f"{era}{year}"
    if digits:
        typed, year_alone = numerals.to_thai_digits(typed), numerals.to_thai_digits(year_alone)
    with pytest.raises(thai_dates.ThaiDateError) as refused:
        thai_dates.parse_thai_date(typed)
    assert "มีแต่เดือนและปี ไม่มีวันที่" in str(refused.value)
    shown = year + 543 if 1900 <= year < 2400 else year  # an example in BE
    assert f"เช่น 1 {thai_dates.MONTHS_LONG[month - 1]} {shown}" in str(refused.value)
    if year >= 1900:
        with pytest.raises(thai_dates.ThaiDateError) as refused:
            thai_dates.parse_thai_date(year_alone)
        assert "มีแต่ปี ไม่มีวันและเดือน" in str(refused.value)
        assert f"(เช่น 15/03/{shown})" in str(refused.value)


ENGLISH_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"]  # fmt: skip


@given(
    date=st.dates(min_value=dt.date(1942, 1, 1), max_value=dt.date(2100, 12, 31)),
    short=st.booleans(),
    weekday=st.booleans(),
    comma=st.sampled_from([", ", ",", " ", " , "]),
    space=st.sampled_from([" ", "  ", "\u00a0", " \u200b"]),
)
def test_an_english_date_with_the_month_first_is_read(date, short, weekday, comma, space):
    """ "Oct 1, 2024", "Tuesday, October 1, 2024": what an English-locale system or a Google
    Sheet writes. The month's name says which number is the day, so nothing is guessed (they
    were refused before)."""
    month = ENGLISH_MONTHS[date.month - 1]
    written = f"{month[:3] if short else month}{space}{date.day}{comma}{date.year}"
    if weekday:
        written = f"{date.strftime('%A')},{space}{written}"
    assert thai_dates.parse_thai_date(written) == date


@pytest.mark.parametrize("typed", ["Oct 2024", "Oct 12024", "Feb 30, 2024", "Octo 1, 2024"])
def test_an_english_month_first_date_that_is_not_one_is_refused_in_thai(typed):
    with pytest.raises(thai_dates.ThaiDateError) as refused:
        thai_dates.parse_thai_date(typed)
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in str(refused.value))


@given(
    baht=st.integers(min_value=0, max_value=10**8),
    satang=st.none() | st.integers(0, 99),
    style=st.sampled_from(
        [
            "{n} บาท",
            "{n}บาท",
            "{n} บ.",
            "{n}บ",
            "฿{n}",
            "฿ {n}",
            "{n}.-",
            "{n}.- บาท",
            "{n} บาทถ้วน",
            "{n}-",
        ]
    ),
    thai=st.booleans(),
)
def test_an_amount_written_with_baht_reads_the_same_in_every_money_box(baht, satang, style, thai):
    """ "35,220 บ.", "35,220.-", "35,220 บาทถ้วน": as budget lines, letters and cheques write
    money. A box whose label says (บาท), the budget box and a sheet's money column read the
    same number (the debt and salary boxes refused the unit; "บ." and "บาทถ้วน" were refused
    everywhere)."""
    from imports.importers import decimal_reader, prepare
    from krupd.forms import ThaiBahtField, ThaiDecimalField

    if "-" in style:
        satang = None  # ".-" says whole baht
    number = f"{baht:,}" + (f".{satang:02d}" if satang is not None else "")
    typed = style.format(n=number)
    if thai:
        typed = numerals.to_thai_digits(typed)
    expected = Decimal(number.replace(",", ""))
    for label in ("ยอดหนี้คงเหลือ (บาท)", "หักต่อเดือน (บาท)", "เงินเดือน (บาท/เดือน)"):
        labelled = ThaiDecimalField(label=label, max_digits=12, decimal_places=2)
        assert labelled.clean(typed) == expected
    assert ThaiBahtField(label="งบประมาณ", max_digits=12, decimal_places=2).clean(typed) == expected
    read = decimal_reader(places=2, minimum=Decimal(0), maximum=Decimal(10**9), unit="บาท")
    assert Decimal(read(prepare(typed), None)) == expected


def test_baht_typed_into_a_box_that_is_not_money_is_refused():
    from krupd.forms import ThaiDecimalField

    with pytest.raises(forms.ValidationError):
        ThaiDecimalField(label="ชั่วโมง", max_digits=6, decimal_places=2).clean("12 บาท")
