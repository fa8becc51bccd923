"""The SAR page's evidence tables build their rows in Python (reporting_tables.table_rows):
the markup must be the one the template loop gave."""

import datetime as dt

from django.template import Context, Template
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
