"""The `{% options %}` tag: a filter drop-down's options, built in Python (form_layout.py)."""

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from registry.models import PersonStatus


def render(template: str, **context) -> str:
    return Template("{% load form_layout %}" + template).render(Context(context))


class Named:
    def __init__(self, id, name, short_name=""):
        self.id, self.name, self.short_name = id, name, short_name


def test_pairs_render_as_options_with_the_selected_one_marked():
    html = render("{% options statuses f %}", statuses=PersonStatus.choices, f="active")
    assert html.count("<option ") == len(PersonStatus.choices)
    label = dict(PersonStatus.choices)["active"]
    assert f'<option value="active" selected>{label}</option>' in html
    assert html.count(" selected") == 1


def test_objects_and_dicts_give_value_and_label_by_name_and_match_ids_as_text():
    schools = [Named(1, "โรงเรียนบ้านหนองบัว"), Named(12, "โรงเรียนวัดใหม่")]
    html = render("{% options schools f %}", schools=schools, f="12")
    assert html == (
        '<option value="1">โรงเรียนบ้านหนองบัว</option>'
        '<option value="12" selected>โรงเรียนวัดใหม่</option>'
    )
    areas = [{"id": 3, "short_name": "คณิต"}]
    html = render('{% options areas 3 label="short_name" %}', areas=areas)
    assert html == '<option value="3" selected>คณิต</option>'
    bands = [Named(9, "ใหญ่พิเศษ")]
    assert render('{% options bands "ใหญ่พิเศษ" value="name" %}', bands=bands) == (
        '<option value="ใหญ่พิเศษ" selected>ใหญ่พิเศษ</option>'
    )


def test_nothing_selected_when_the_filter_is_empty_or_missing():
    schools = [Named(1, "ก")]
    assert "selected" not in render("{% options schools f %}", schools=schools, f="")
    assert "selected" not in render("{% options schools missing %}", schools=schools)


def test_values_and_labels_are_escaped():
    html = render(
        "{% options items f %}", items=[('"><script>', "<b>โรง&เรียน</b>")], f='"><script>'
    )
    assert "<script>" not in html and "<b>" not in html
    assert html == (
        '<option value="&quot;&gt;&lt;script&gt;" selected>&lt;b&gt;โรง&amp;เรียน&lt;/b&gt;</option>'
    )


@given(st.lists(st.tuples(st.text(), st.text()), max_size=5), st.text())
def test_same_output_as_the_template_loop_it_replaces(items, chosen):
    loop = (
        '{% for value, label in items %}<option value="{{ value }}"'
        "{% if chosen == value %} selected{% endif %}>{{ label }}</option>{% endfor %}"
    )
    assert render("{% options items chosen %}", items=items, chosen=chosen) == render(
        loop, items=items, chosen=chosen
    )
