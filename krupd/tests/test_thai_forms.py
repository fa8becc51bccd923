"""Every number and date box takes Thai digits, spaces and BE years (krupd/forms.py), in every
form of the project: no browser ``type=number`` box that refuses ๑๒, no "---------" option."""

import datetime as dt
import importlib
import inspect
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.conf import settings as django_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from krupd.forms import (
    EMPTY_CHOICE_LABEL,
    ThaiDateField,
    ThaiDecimalField,
    ThaiFloatField,
    ThaiIntegerField,
    ThaiModelForm,
    ThaiModelMultipleChoiceField,
    ThaiNumberInput,
    trim_typed,
)
from krupd.lib import numerals
from krupd.lib.numerals import to_thai_digits
from krupd.testing import make_office

APPS = ["accounts", "registry", "imports", "staffing", "training", "planning", "community",
        "career", "reporting", "notifications", "oversight"]  # fmt: skip
# Apps whose forms live in a module of another name.
FORM_MODULES = {"oversight": "oversight.inspection_forms"}
SPACES = st.sampled_from([" ", "  ", "\u00a0", "\t", "\u200b", ""])


def project_form_classes() -> list[type]:
    """Every form and formset form defined in the apps' forms modules."""
    found = {}
    for app in APPS:
        module = importlib.import_module(FORM_MODULES.get(app, f"{app}.forms"))
        for _name, value in inspect.getmembers(module, inspect.isclass):
            form = getattr(value, "form", value)  # a formset class: the form of its rows
            if issubclass(form, forms.BaseForm) and form.__module__.split(".")[0] in APPS:
                found[f"{form.__module__}.{form.__name__}"] = form
    return list(found.values())


FORMS = project_form_classes()


def project_formset_classes() -> list[type]:
    """Every formset class defined in the apps' forms modules."""
    found = {}
    for app in APPS:
        module = importlib.import_module(FORM_MODULES.get(app, f"{app}.forms"))
        for name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseFormSet) and hasattr(value, "form"):
                found[f"{module.__name__}.{name}"] = value
    return list(found.values())


FORMSETS = project_formset_classes()


@pytest.mark.django_db
@pytest.mark.parametrize("formset_class", FORMSETS, ids=lambda f: f.__name__)
def test_a_spare_row_left_as_it_came_is_no_half_filled_row(formset_class):
    """A drop-down of a spare row sends its first choice when the row is left blank: unless it
    starts on that choice, Django takes the untouched row as half filled and refuses the whole
    table (the PA workload and the debt deductions could not be saved as shown)."""
    assert len(FORMSETS) > 5
    row = formset_class.form(empty_permitted=True, use_required_attribute=False)
    for name, field in row.fields.items():
        if not isinstance(field, forms.ChoiceField) or isinstance(field, forms.MultipleChoiceField):
            continue
        first = next(iter(field.choices), None)
        if first is None or first[0] in ("", None) or isinstance(first[1], list | tuple):
            continue
        assert str(row[name].initial) == str(first[0]), f"{formset_class.__name__}.{name}"


def test_the_project_has_forms_to_check():
    assert len(FORMS) > 40
    assert any(issubclass(f, forms.BaseModelForm) for f in FORMS)


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
def test_no_form_field_is_a_browser_number_or_date_box(form_class):
    for name, field in form_class.base_fields.items():
        widget = field.widget
        assert getattr(widget, "input_type", None) not in {"number", "date"}, name
        if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
            assert isinstance(field, ThaiIntegerField | ThaiDecimalField | ThaiFloatField), name
        if isinstance(field, forms.DateField):
            pytest.fail(f"{name}: Django's DateField reads neither BE years nor Thai digits")
        if isinstance(field, forms.ModelMultipleChoiceField):
            assert isinstance(field, ThaiModelMultipleChoiceField), name


@pytest.mark.parametrize(
    "form_class",
    [f for f in FORMS if issubclass(f, forms.BaseModelForm)],
    ids=lambda f: f.__name__,
)
def test_every_model_form_is_a_thai_model_form(form_class):
    assert issubclass(form_class, ThaiModelForm)
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.ModelChoiceField):
            assert field.empty_label != "---------", name
        elif isinstance(field, forms.ChoiceField):
            assert "---------" not in [label for _value, label in field.choices], name


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
def test_no_required_row_of_radio_buttons_offers_a_blank_answer(form_class):
    """A required answer given with radio buttons starts with none ticked: a "— เลือก —"
    button would be ticked on opening and answer nothing."""
    for name, field in form_class.base_fields.items():
        if isinstance(field.widget, forms.RadioSelect) and field.required:
            assert all(value not in ("", None) for value, _label in field.choices), name


def test_the_follow_up_level_is_five_radio_buttons_with_none_ticked():
    from training.forms import FollowUpForm

    html = str(FollowUpForm()["use_level"])
    assert html.count('type="radio"') == 5
    assert "checked" not in html
    assert EMPTY_CHOICE_LABEL not in html


def test_templates_have_no_number_or_date_inputs():
    offenders = []
    for path in Path(django_settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for kind in ('type="number"', "type=number", 'type="date"', "type=date"):
            if kind in text:
                offenders.append(f"{path.name}: {kind}")
    assert offenders == []


# No deadline: a loaded test machine must not turn a slow example into a failure.
@settings(deadline=None)
@given(
    number=st.integers(min_value=0, max_value=10**9),
    thai=st.booleans(),
    commas=st.booleans(),
    before=SPACES,
    after=SPACES,
)
def test_an_integer_reads_with_thai_digits_commas_and_stray_spaces(
    number, thai, commas, before, after
):
    text = f"{number:,}" if commas else str(number)
    if thai:
        text = to_thai_digits(text)
    assert ThaiIntegerField().clean(f"{before}{text}{after}") == number


# No deadline: a loaded test machine must not turn a slow example into a failure.
@settings(deadline=None)
@given(
    whole=st.integers(min_value=0, max_value=99999),
    tenth=st.integers(min_value=0, max_value=9),
    before=SPACES,
    after=SPACES,
)
def test_a_decimal_reads_with_thai_digits_and_stray_spaces(whole, tenth, before, after):
    text = to_thai_digits(f"{whole}.{tenth}")
    field = ThaiDecimalField(max_digits=7, decimal_places=1)
    assert field.clean(f"{before}{text}{after}") == Decimal(f"{whole}.{tenth}")


# No deadline: a loaded test machine must not turn a slow example into a failure.
@settings(deadline=None)
@given(st.text(alphabet="abcxyzกขค!?/", min_size=1, max_size=8))
def test_letters_are_refused_in_thai(text):
    for field in (ThaiIntegerField(), ThaiDecimalField(), ThaiFloatField()):
        with pytest.raises(forms.ValidationError) as caught:
            field.clean(text)
        assert caught.value.messages[0].startswith("กรุณากรอก")


def test_number_limits_and_required_messages_are_thai():
    field = ThaiIntegerField(min_value=2500, max_value=2700)
    with pytest.raises(forms.ValidationError) as caught:
        field.clean("๒๔๙๙")
    assert caught.value.messages == ["ต้องไม่น้อยกว่า 2500"]
    with pytest.raises(forms.ValidationError) as caught:
        field.clean("   ")
    assert caught.value.messages == ["กรุณากรอกช่องนี้"]
    with pytest.raises(forms.ValidationError) as caught:
        ThaiDecimalField(max_digits=4, decimal_places=1).clean("1.25")
    assert caught.value.messages == ["มีทศนิยมได้ไม่เกิน 1 ตำแหน่ง"]


def test_the_number_box_is_text_with_a_number_keypad_and_a_width_by_kind():
    year = ThaiIntegerField(min_value=2500, max_value=2700)
    html = year.widget.render("fiscal_year", 2569, year.widget_attrs(year.widget))
    assert 'type="text"' in html and 'inputmode="numeric"' in html
    assert "input-number" in html and "input-year" in html
    money = ThaiDecimalField()
    html = money.widget.render("amount", "1.5")
    assert 'inputmode="decimal"' in html and "input-year" not in html
    assert isinstance(money.widget, ThaiNumberInput)


def test_a_be_date_with_thai_digits_is_read():
    assert ThaiDateField().clean(" ๑๕/๐๓/๒๕๓๐ ") == dt.date(1987, 3, 15)


@pytest.mark.django_db
def test_the_course_form_saves_hours_typed_in_thai_digits():
    from training.forms import CourseForm

    office = make_office()

    form = CourseForm(
        data={
            "title": "การสอนอ่าน",
            "mode": "workshop",
            "hours": " ๑๒ ",
            "fiscal_year": "๒๕๖๙",
            "min_attendance_pct": "๘๐",
            "min_post_test_pct": "๗๐",
            "post_test_attempts": "๑",
            "status": "open",
        },  # fmt: skip
        office=office,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["hours"] == Decimal("12")
    assert form.cleaned_data["min_attendance_pct"] == 80
    html = str(form)
    assert 'type="number"' not in html and "---------" not in html
    assert EMPTY_CHOICE_LABEL in html


UNITS_OF_LABELS = [
    ("เกณฑ์เวลาเข้าร่วมขั้นต่ำ (%)", ["%", " %"], ["ร้อยละ ", "ร้อยละ"]),
    ("จำนวนชั่วโมงตามหลักสูตร", [" ชั่วโมง", "ชม.", " ชม"], [""]),
    ("ชั่วโมงต่อวัน", [" ชั่วโมง", " ชม."], [""]),
    ("จำนวนที่นั่ง", [" ที่นั่ง", " คน", " ที่"], [""]),
    ("จำนวนเป้าหมาย (คน)", [" คน", "คน"], [""]),
    ("คะแนนหลังเรียน", [" คะแนน"], [""]),
]


@settings(deadline=None)
@given(
    case=st.sampled_from(UNITS_OF_LABELS),
    number=st.integers(min_value=1, max_value=99),
    pick=st.integers(min_value=0, max_value=5),
    thai=st.booleans(),
    before=SPACES,
    after=SPACES,
)
def test_a_number_typed_with_the_unit_its_label_names_is_read(
    case, number, pick, thai, before, after
):
    """ "80%" in a box labelled "(%)", "๑๒ ชม." in an hours box, "30 คน" for seats were
    refused as "กรุณากรอกจำนวนเต็ม" although they are how the figure is written."""
    label, units, words = case
    text = f"{words[pick % len(words)]}{number}{units[pick % len(units)]}"
    typed = f"{before}{to_thai_digits(text) if thai else text}{after}"
    for field in (ThaiIntegerField(label=label), ThaiDecimalField(label=label, max_digits=5)):
        assert field.clean(typed) == number


@pytest.mark.parametrize(
    "label, typed",
    [("ชั่วโมงต่อวัน", "6 วัน"), ("จำนวนชั่วโมงตามหลักสูตร", "12 วัน"), ("จำนวนที่นั่ง", "30%"),
     ("เกณฑ์ (%)", "80 คน"), ("จำนวนชั่วโมง", "ชม.")],
)  # fmt: skip
def test_a_unit_the_label_does_not_name_is_refused(label, typed):
    with pytest.raises(forms.ValidationError) as refused:
        ThaiIntegerField(label=label).clean(typed)
    assert refused.value.messages[0].startswith("กรุณากรอก")


@pytest.mark.django_db
def test_the_course_form_reads_criteria_and_hours_typed_with_their_units():
    from training.forms import CourseForm

    form = CourseForm(
        data={"title": "การสอนอ่าน", "mode": "workshop", "hours": "๑๒ ชั่วโมง",
              "fiscal_year": "พ.ศ. ๒๕๖๙", "min_attendance_pct": "80%",
              "min_post_test_pct": "ร้อยละ ๗๐", "post_test_attempts": "1", "status": "open"},
        office=make_office(),
    )  # fmt: skip
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    assert (data["hours"], data["min_attendance_pct"], data["min_post_test_pct"]) == (12, 80, 70)
    assert data["fiscal_year"] == 2569


@pytest.mark.django_db
@pytest.mark.parametrize("posted", ["99999999999999999999", "-99999999999999999999", "abc", "๑๒"])
def test_a_posted_choice_of_several_rows_that_is_no_row_is_refused_in_thai(posted):
    """Django asks the database for all posted ids at once: one past the database's integer
    was a server error (OverflowError on SQLite) instead of "not a choice"."""
    from registry.forms import PersonForm
    from registry.models import LearningArea

    field = PersonForm.base_fields["areas_taught"]
    with pytest.raises(forms.ValidationError) as caught:
        field.clean([str(LearningArea.objects.first().pk), posted])
    assert caught.value.code in {"invalid_choice", "invalid_pk_value"}
    assert "Select" not in caught.value.messages[0]


@pytest.mark.parametrize("typed", ["99999999999999999999", "-99999999999999999999", "๒๑๔๗๔๘๓๖๔๘"])
def test_an_integer_past_a_database_column_is_refused_in_thai(typed):
    """A form's own number field without limits (school enrolment counts) took any number,
    and the database failed on it (a server error)."""
    with pytest.raises(forms.ValidationError) as caught:
        ThaiIntegerField(required=False).clean(typed)
    assert caught.value.messages == ["ตัวเลขมากเกินไป กรุณาตรวจสอบ"]
    assert ThaiIntegerField().clean("๒๑๔๗๔๘๓๖๔๗") == 2**31 - 1
    assert ThaiIntegerField(min_value=0, max_value=10**12).clean("10000000000") == 10**10


@pytest.mark.django_db
def test_school_enrolment_with_a_huge_count_is_refused_not_a_server_error(client):
    from accounts.roles import Role
    from krupd.testing import make_school, make_user

    office = make_office()
    school = make_school(office, code="1076010001", name="โรงเรียนทดสอบ")
    client.force_login(make_user("admin-x", Role.OFFICE_ADMIN, office))
    url = f"/registry/schools/{school.pk}/enrolment/"
    page = client.get(url).content.decode()
    count_field = next(n for n in re.findall(r'name="([\w-]+)"', page) if "students" in n)
    data = {"academic_year": "2569", "census_date": "10/06/2569", count_field: "9" * 20}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "ตัวเลขมากเกินไป" in response.content.decode()


BE_YEAR_FIELDS = [
    (form_class, name)
    for form_class in FORMS
    for name, field in form_class.base_fields.items()
    if isinstance(field, forms.IntegerField) and "พ.ศ." in str(field.label or "")
]


def test_the_project_has_be_year_boxes_to_check():
    assert len(BE_YEAR_FIELDS) >= 10


@pytest.mark.parametrize(
    ("form_class", "name"), BE_YEAR_FIELDS, ids=lambda v: getattr(v, "__name__", v)
)
def test_every_be_year_box_reads_a_ce_year_and_two_digits_as_a_date_does(form_class, name):
    """A CE year typed in a BE box is 543 years later, not a BE year five centuries back
    (2026 → 2569); two digits are BE as on a date (๖๙ → 2569); a year that is neither is
    refused in Thai."""
    field = form_class.base_fields[name]
    assert field.clean("2569") == 2569
    assert field.clean("2026") == 2569
    assert field.clean("๖๙") == 2569
    # Typed after the words a year is written with (a box labelled "(พ.ศ.)" invites it).
    assert field.clean("พ.ศ. ๒๕๖๙") == 2569
    assert field.clean(" ปีงบประมาณ พ.ศ.2569 ") == 2569
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("1483")
    assert "พ.ศ." in str(refused.value)


@given(st.integers(min_value=2484, max_value=2700))
def test_a_be_year_typed_in_either_era_is_the_same_year(be):
    from krupd.lib import thai_dates

    assert thai_dates.be_year_typed(be) == be
    assert thai_dates.be_year_typed(be - 543) == be


@given(be=st.integers(min_value=2484, max_value=2700), thai=st.booleans())
def test_a_year_in_a_pages_address_is_read_as_a_be_year_box_reads_it(be, thai):
    """`?fy=2026` asks for 2569 as a BE year box reads 2026 (it fell back to the page's
    default year without a word); Thai digits too; a year that is neither is the default."""
    from krupd.lib import query_params
    from krupd.lib.numerals import to_thai_digits

    def asked(value):
        text = to_thai_digits(str(value)) if thai else str(value)
        return query_params.be_year({"fy": text}, "fy", default=2500)

    assert asked(be) == be
    assert asked(be - 543) == be
    assert asked(1483) == asked(9999) == asked("") == 2500


# ---------------------------------------------------------------------------------------------
# Invisible characters at the ends of a text box (a zero-width space copied from Word or a web
# page between Thai words, a direction mark, a soft hyphen, a byte-order mark): Django strips
# only whitespace, so they were saved. The same characters the import cleaner drops.

INVISIBLE = st.sampled_from([" ", "\u00a0", "\t", "\n", *numerals.INVISIBLE])
MODEL_FORMS = [f for f in FORMS if issubclass(f, forms.BaseModelForm)]


@given(before=st.lists(INVISIBLE, max_size=4), after=st.lists(INVISIBLE, max_size=4),
       text=st.text(min_size=1).map(str.strip).filter(
           lambda t: t and trim_typed(t) == t))  # fmt: skip
def test_invisible_ends_are_trimmed_and_the_text_between_kept(before, after, text):
    assert trim_typed("".join(before) + text + "".join(after)) == text


@pytest.mark.parametrize("form_class", MODEL_FORMS, ids=lambda f: f.__name__)
def test_every_text_box_of_a_model_form_reads_without_invisible_ends(form_class):
    for name, field in form_class.base_fields.items():
        widget = field.widget
        if isinstance(field, forms.CharField) and type(widget).__name__.startswith("Trimmed"):
            assert widget.value_from_datadict({name: "\u200bครู\ufeff "}, {}, name) == "ครู"
        elif isinstance(field, forms.CharField) and field.strip and type(widget) in (
            forms.TextInput, forms.Textarea, forms.EmailInput, forms.URLInput,
        ):  # fmt: skip
            raise AssertionError(f"{form_class.__name__}.{name} keeps invisible ends")


@pytest.mark.django_db
def test_the_course_form_saves_a_title_without_invisible_ends_and_refuses_an_invisible_one():
    from training.forms import CourseForm

    office = make_office()
    data = {"mode": "workshop", "hours": "12", "fiscal_year": "2569", "min_attendance_pct": "80",
            "min_post_test_pct": "70", "post_test_attempts": "1", "status": "open"}  # fmt: skip
    form = CourseForm(data={**data, "title": "\ufeff\u200bการสอนอ่าน\u200b "}, office=office)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "การสอนอ่าน"
    form = CourseForm(data={**data, "title": "\u200b"}, office=office)
    assert not form.is_valid() and "title" in form.errors


@pytest.mark.parametrize("typed", ["99999999999999999999", "1e30", "๑,๐๐๐,๐๐๐,๐๐๐,๐๐๐"])
def test_a_decimal_without_its_own_limit_is_refused_past_the_widest_column(typed):
    """A form's own decimal field (not made from a column) took any number: PostgreSQL refused
    it with a server error, and SQLite stored what no page could read back."""
    field = ThaiDecimalField(label="ค่าใช้จ่าย (บาท)")
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(typed)
    assert "หลัก" in " ".join(refused.value.messages)
    assert field.clean("๑๒,๓๔๕,๖๗๘.๕๐") == Decimal("12345678.50")
    assert ThaiDecimalField(max_value=24).max_digits is None  # its own limit stands


def test_a_declared_money_box_holds_no_more_whole_digits_than_its_column():
    """A model form's own decimal box (declared for its label or minimum) took 11 whole digits
    for a money column of 12 with 2 after the point, which PostgreSQL refuses (a server
    error); it is refused in Thai, and what the column holds is accepted, Thai digits too."""
    from community.forms import NetworkActivityForm

    def errors(cost: str):
        data = {"date": "01/06/2569", "title": "ประชุมเครือข่าย", "participants": "10",
                "cost": cost, "notes": ""}  # fmt: skip
        return NetworkActivityForm(data).errors.get("cost")

    assert errors("99,999,999,999") == ["ตัวเลขมากเกินไป (ไม่เกิน 10 หลักหน้าจุดทศนิยม)"]
    assert errors("๙,๙๙๙,๙๙๙,๙๙๙.๙๙") is None
    assert errors("1500") is None


def test_the_date_box_opens_a_keyboard_that_can_type_a_date():
    """A phone's number pad (``inputmode=numeric``) has the digits 0-9 only: neither the "/" of
    01/10/2569 nor "ต.ค." could be typed into a date box, so no date could be entered on an
    iPhone. The date box leaves the phone its full keyboard."""
    from training.forms import SessionForm

    html = str(SessionForm()["start_date"])
    assert 'type="text"' in html and "input-date" in html
    assert "inputmode" not in html
    assert "inputmode" not in ThaiDateField().widget.render("birth_date", dt.date(1987, 3, 15))
