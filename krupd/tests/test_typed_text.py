"""typed_text.problem: what a CharField of the column would refuse, for any text."""

from hypothesis import given
from hypothesis import strategies as st

from krupd.lib import typed_text


@given(text=st.text(), longest=st.integers(min_value=1, max_value=400))
def test_a_typed_text_is_refused_exactly_when_its_column_could_not_store_it(text, longest):
    found = typed_text.problem(text, longest=longest)
    storable = "\x00" not in text and len(text) <= longest
    assert (found is None) == storable
    if found is not None:
        assert found.startswith("เหตุผล: ")
