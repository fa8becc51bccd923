"""Network goals written as figures are judged from the figures, on messy Thai input."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from community.goal_rules import judged
from krupd.lib.numerals import to_thai_digits


@pytest.mark.parametrize(
    ("target", "actual", "reached"),
    [
        ("100%", "88%", False),  # the case once ticked as reached
        ("100%", "100 %", True),
        ("ร้อยละ 90", "ร้อยละ ๙๒.๕", True),
        ("≥ 80", "79.99", False),
        ("ไม่เกิน 5 คน", "3 คน", True),
        ("ไม่เกิน 5 คน", "6", False),
        ("> ค่าเฉลี่ย สพฐ.", "52.3", None),  # not a figure: the officers judge
        ("1:20", "1:18", None),
        ("100%", "", None),
    ],
)
def test_it_judges_figures_and_leaves_the_rest_to_the_officers(target, actual, reached):
    assert judged(target, actual) is reached


@given(
    goal=st.integers(min_value=0, max_value=100),
    result=st.integers(min_value=0, max_value=100),
    thai=st.booleans(),
    noise=st.sampled_from(["", " ", "ร้อยละ ", "  "]),
)
def test_a_result_reaches_a_target_exactly_when_it_is_not_below_it(goal, result, thai, noise):
    written = f"{noise}{result}%"
    assert judged(f"{goal}%", to_thai_digits(written) if thai else written) is (result >= goal)
