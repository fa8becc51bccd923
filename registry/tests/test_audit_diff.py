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


# Labels are made from what users typed: a person's name (up to 251 characters with its
# title), a file name (up to 255), a course title. The column holds 200.
LONG_NAME = "นางสาว" + "ก้ำ" * 40 + " " + "ที่" * 40
LONG_FILE = "ข้อมูลบุคลากร" + "ปี๒๕๖๙" * 45 + ".xlsx"


@given(label=st.text(min_size=190, max_size=400))
def test_an_entry_label_always_fits_its_column(label):
    written = audit.entry(actor=None, action="export", object_type="x", object_label=label)
    assert len(written.object_label) <= 200
    if len(label) <= 200:
        assert written.object_label == label


def test_a_long_label_is_clipped_between_whole_thai_characters():
    label = f"นำเข้าข้อมูลบุคลากรจากไฟล์ {LONG_FILE}"
    written = audit.entry(actor=None, action="import", object_type="importbatch",
                          object_label=label)  # fmt: skip
    assert len(written.object_label) <= 200
    assert written.object_label.endswith("…")
    kept = written.object_label[:-1]
    assert label.startswith(kept) and label[len(kept)] not in "\u0e48\u0e49\u0e33\u0e35"


def test_an_imported_row_label_is_clipped_as_a_form_written_one_is():
    from imports.importers.base import Writer

    writer = Writer(office=None, actor=None, source="test")
    writer.audit(action="create", changes={}, object_type="person", object_id="1",
                 object_label=LONG_NAME)  # fmt: skip
    formed = audit.entry(actor=None, action="create", object_type="person",
                         object_label=LONG_NAME)  # fmt: skip
    assert writer._audit[0]["object_label"] == formed.object_label
    assert len(formed.object_label) <= 200
