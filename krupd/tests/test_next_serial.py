"""numerals.next_serial: one more than the highest serial under a prefix, for any numbers."""

from hypothesis import given
from hypothesis import strategies as st

from krupd.lib.numerals import next_serial


@given(
    mine=st.lists(st.integers(min_value=0, max_value=10**6)),
    others=st.lists(st.text(max_size=12)),
)
def test_the_next_serial_follows_the_highest_under_the_prefix(mine, others):
    numbers = [f"2569/A7/{n:03d}" for n in mine] + [
        o for o in others if not o.startswith("2569/A7/")
    ]
    assert next_serial(numbers, "2569/A7/") == 1 + max(mine, default=0)
