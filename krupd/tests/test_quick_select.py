"""Drop-downs of every KruPD model form write their options in one pass (krupd.forms.QuickSelect):
the HTML must be Django's own."""

import pytest
from django import forms
from django.test.html import parse_html

from krupd.forms import QuickSelect, QuickSelectMultiple, ThaiModelForm
from krupd.testing import make_office, make_school
from registry.models import Person

CHOICES = [("", "—"), ("g", [("a", "A<b>"), ("b", "B")]), ("c", "C & D"), (None, "ไม่มี")]


class Plain(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, widget=forms.Select(attrs={"hx-vals": '{"x": 1}'}))
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)


@pytest.mark.parametrize("initial", [{}, {"one": "b", "many": ["a", "c"]}, {"one": "c"}])
def test_it_writes_the_same_html_as_django(initial):
    django_form, quick_form = Plain(initial=initial), Plain(initial=initial)
    quick_form.fields["one"].widget.__class__ = QuickSelect
    quick_form.fields["many"].widget.__class__ = QuickSelectMultiple
    for name in ("one", "many"):
        assert parse_html(str(quick_form[name])) == parse_html(str(django_form[name]))


@pytest.mark.django_db
def test_model_forms_use_it_for_their_drop_downs():
    school = make_school(make_office(), code="1076010001", name="โรงเรียนบ้าน <ไผ่>")

    class PersonSchool(ThaiModelForm):
        class Meta:
            model = Person
            fields = ["school", "personnel_type"]

    form = PersonSchool(initial={"school": school.pk})
    assert type(form.fields["school"].widget) is QuickSelect
    assert type(form.fields["personnel_type"].widget) is QuickSelect
    assert f'<option value="{school.pk}" selected>โรงเรียนบ้าน &lt;ไผ่&gt;</option>' in str(
        form["school"]
    )
