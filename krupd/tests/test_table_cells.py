"""A table cell written in Python shows a value as `{{ value }}` in a template shows it."""

import datetime as dt
from decimal import Decimal

from django.template import Context, Template
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from krupd.lib.table_cells import shown

_AS_TEMPLATE = Template("{{ value }}")


def _template_shows(value) -> str:
    return _AS_TEMPLATE.render(Context({"value": value}))


@given(st.text())
def test_text_is_escaped_as_a_template_escapes_it(text):
    assert shown(text) == _template_shows(text)


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.none(), st.booleans()))
def test_other_values_are_localized_then_escaped(value):
    assert shown(value) == _template_shows(value)


def test_safe_text_dates_and_decimals_are_shown_as_templates_show_them():
    for value in (mark_safe("<b>ก</b>"), '<ข & "ค">', Decimal("12.50"), dt.date(2026, 6, 10)):
        assert shown(value) == _template_shows(value)


@given(st.integers())
def test_whole_numbers_are_grouped_when_the_setting_groups_them(value):
    from django.test import override_settings

    with override_settings(USE_THOUSAND_SEPARATOR=True):
        assert shown(value) == _template_shows(value)


@given(st.integers())
def test_grouped_whole_numbers_are_what_intcomma_gives(value):
    from django.contrib.humanize.templatetags.humanize import intcomma

    from krupd.lib.table_cells import grouped_int

    assert grouped_int(value) == intcomma(value)


@given(
    st.one_of(
        st.none(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.decimals(allow_nan=False, allow_infinity=False),
    )
)
def test_other_values_are_grouped_by_intcomma_itself(value):
    from django.contrib.humanize.templatetags.humanize import intcomma

    from krupd.lib.table_cells import grouped_int

    assert grouped_int(value) == intcomma(value)


def test_choice_labels_are_what_get_display_shows():
    from krupd.lib.table_cells import choice_labels
    from registry.models import Person, School

    for model, field in ((School, "level"), (Person, "status")):
        labels = choice_labels(model, field)
        for value, _ in model._meta.get_field(field).flatchoices:
            shown_by_django = getattr(model(**{field: value}), f"get_{field}_display")()
            assert labels[value] == shown_by_django
