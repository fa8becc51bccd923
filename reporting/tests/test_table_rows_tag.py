"""The SAR page's evidence tables build their rows in Python (reporting_tables.table_rows):
the markup must be the one the template loop gave."""

import datetime as dt
from decimal import Decimal

from django.template import Context, Template
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

LOOP = Template(
    "{% for r in rows %}<tr>{% for c in r %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}"
)
TAG = Template("{% load reporting_tables %}{% table_rows rows %}")

_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**7), 10**7),
    st.decimals(places=2, min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(2000, 1, 1)),
    st.text(alphabet=st.sampled_from("ab ก่๑2<>&\"'—\n"), max_size=8),
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(_values, max_size=8), max_size=6))
def test_table_rows_are_the_template_loops_markup(rows):
    context = Context({"rows": rows})
    assert TAG.render(context) == LOOP.render(context)


# Values that are equal but show differently ("1", 1, True, 1.0, Decimal("1.0") and
# Decimal("1.00"), 0.0 and -0.0; markup and the text of it): the tag reuses the cell of a
# repeated value, and must never hand one of these the cell of another.
_look_alikes = st.sampled_from(
    [1, True, 1.0, Decimal("1.0"), Decimal("1.00"), "1", 0, False, 0.0, -0.0, "", None, 1234,
     "<b>", mark_safe("<b>")]
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(_look_alikes, max_size=8), max_size=6))
def test_repeated_and_look_alike_values_keep_their_own_markup(rows):
    context = Context({"rows": rows})
    assert TAG.render(context) == LOOP.render(context)
