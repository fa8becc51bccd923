"""The changes an audit entry records: what differs between two snapshots."""

from hypothesis import given
from hypothesis import strategies as st

from registry import audit

values = st.one_of(st.none(), st.text(max_size=5), st.integers(), st.booleans())
snapshots = st.dictionaries(st.sampled_from(["ชื่อ", "school", "salary", "b", "a"]), values)


@given(before=snapshots, after=snapshots)
def test_diff_lists_every_changed_field_in_name_order(before, after):
    changes = audit.diff(before, after)
    names = sorted(set(before) | set(after))
    assert changes == {
        n: [before.get(n), after.get(n)] for n in names if before.get(n) != after.get(n)
    }
    assert list(changes) == sorted(changes)


@given(after=snapshots)
def test_a_creation_records_every_field_that_has_a_value(after):
    assert audit.diff({}, after) == {
        n: [None, after[n]] for n in sorted(after) if after[n] is not None
    }
