"""Form fields every app uses: Buddhist Era dates and numbers typed with Thai digits.

Browsers' ``type=number`` inputs refuse Thai digits (typing ๑๒ leaves the box empty), so every
number is a text input with ``inputmode`` (the phone still shows its number pad) and is read
on the server by ``krupd.lib.numerals``. ``ThaiModelForm`` gives every model form these fields
for its number and date columns, so no form has to remember to.
"""

import datetime as dt
import html
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import get_text_list
from django.utils.translation import gettext

from krupd.lib import numerals, thai_dates, typed_text
from krupd.lib.query_params import BE_YEARS, MAX_ID

# The first option of a drop-down with nothing chosen yet (Django's default is "---------").
EMPTY_CHOICE_LABEL = "— เลือก —"
DJANGO_EMPTY_LABEL = "---------"
CHOOSE_REQUIRED = "กรุณาเลือกจากรายการ"


def _with_class(attrs: dict, css_class: str) -> dict:
    classes = f"{attrs.get('class', '')} {css_class}".split()
    return {**attrs, "class": " ".join(dict.fromkeys(classes))}


class ThaiDateInput(forms.TextInput):
    """Shows a stored CE date as BE text (15/03/2530) and keeps whatever the user typed on error.

    The phone shows its full keyboard here, not the number pad: ``inputmode=numeric`` opens a
    pad of the digits 0-9 only (an iPhone's has no other key), where neither the "/" of
    15/03/2530 nor the month of "1 ต.ค. 2569" can be typed, so a date could not be entered."""

    def __init__(self, attrs=None):
        attrs = {"placeholder": "วว/ดด/ปปปป (พ.ศ.)", **(attrs or {})}
        super().__init__(_with_class(attrs, "input-date"))

    def format_value(self, value):
        if isinstance(value, dt.date):
            return thai_dates.format_thai_date(value)
        return value


class ThaiNumberInput(forms.TextInput):
    """A text box for a number: accepts Thai digits, spaces and commas as typed.

    ``inputmode`` opens the phone's number pad; the CSS class sets a width that fits a number
    (``input-year`` for a four-digit year) instead of the full row."""

    def __init__(self, attrs=None, *, decimal: bool = False):
        attrs = {"inputmode": "decimal" if decimal else "numeric", **(attrs or {})}
        super().__init__(_with_class(attrs, "input-number"))


def normalise_number(value: object) -> object:
    """``" ๑,๒๐๐ "`` → ``"1200"``: Thai digits to Arabic, without spaces or thousands commas."""
    if isinstance(value, str):
        return numerals.without_thousands_commas(numerals.clean_text(value).replace(" ", ""))
    return value


# The unit a box's label names, which people type after the number as they would write it
# ("80%", "๑๒ ชั่วโมง", "30 คน", "8 คะแนน"): label word → the ways the unit is written.
_UNITS_IN_LABELS = (
    ("%", ("%",)),
    ("ร้อยละ", ("%",)),
    ("ชั่วโมง", ("ชั่วโมง", "ชม.", "ชม")),
    ("นาที", ("นาที",)),
    ("ที่นั่ง", ("ที่นั่ง", "ที่", "คน")),
    ("คน", ("คน",)),
    ("คะแนน", ("คะแนน",)),
    ("ครั้ง", ("ครั้ง",)),
    ("วัน", ("วัน",)),
)


_BRACKETS = re.compile(r"\(([^)]*)\)")
_PER = re.compile(r"ต่อ|/")


def _unit_words(label: object) -> str:
    """The words of a box's label that may name its unit. What comes after "ต่อ" is what the
    figure is per, not its unit ("ชั่วโมงต่อวัน"); a unit in brackets is the unit whatever the
    name before it says ("หักต่อเดือน (บาท)")."""
    label = str(label or "")
    return label.split("ต่อ")[0] + " " + " ".join(_PER.split(u)[0] for u in _BRACKETS.findall(label))


def label_units(label: object) -> list[str]:
    """The ways the unit a box's label names may be typed after its number."""
    words = _unit_words(label)
    return [unit for word, written in _UNITS_IN_LABELS if word in words for unit in written]


def counts_hours(label: object) -> bool:
    """Whether a box's label says it holds a number of hours ("จำนวนชั่วโมง", "ชั่วโมงต่อวัน",
    "ชั่วโมง/สัปดาห์"), not a share of them ("ร้อยละของชั่วโมง")."""
    units = label_units(label)
    return "ชั่วโมง" in units and "%" not in units


def without_unit(value: object, label: object) -> object:
    """A number typed with the unit its box's label names, without the unit ("80%" in a box
    labelled "(%)", "ร้อยละ 80" too; "๑๒ ชม." in an hours box). A unit the label does not name
    stays, so the box refuses it ("12 วัน" typed into an hours box is not 12 hours)."""
    if not isinstance(value, str) or not label:
        return value
    text = numerals.clean_text(value)
    if "บาท" in _unit_words(label):  # money: "35,220 บาท", "35,220 บ.", "฿35,220", "35,220.-"
        text = numerals.without_baht(text)
    units = label_units(label)
    if "%" in units:
        text = text.removeprefix("ร้อยละ").lstrip()
    for unit in sorted(units, key=len, reverse=True):
        if text.endswith(unit) and text[: -len(unit)].rstrip()[-1:].isdigit():
            return text[: -len(unit)].rstrip()
    return text


class _ThaiNumberMixin:
    """Shared by the integer, decimal and float fields: normalise, then Django's own checks."""

    invalid_message = "กรุณากรอกตัวเลข"

    def __init__(self, *args, **kwargs):
        # A form's own "invalid" message (naming its row or field) wins over the default.
        messages = {"invalid": self.invalid_message, **(kwargs.pop("error_messages", None) or {})}
        super().__init__(*args, error_messages=messages, **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and counts_hours(self.label):
            # "3:30", "3 ชั่วโมง 30 นาที", "90 นาที" in an hours box: hours with decimals
            # ("3.30" stays the number 3.3, as it always was).
            # A whole-number box takes whole hours; a decimal box without a column, 2 places.
            places = getattr(self, "decimal_places", 0)
            try:
                span = numerals.hours_of_time_span(value, places=2 if places is None else places)
            except numerals.HoursError as error:
                raise forms.ValidationError(str(error), code="invalid") from None
            if span is not None:
                value = str(span)
        try:
            return super().to_python(normalise_number(without_unit(value, self.label)))
        except (InvalidOperation, ValueError, forms.ValidationError) as error:
            if isinstance(error, forms.ValidationError) and error.code != "invalid":
                raise
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        low, high = getattr(self, "min_value", None), getattr(self, "max_value", None)
        if low is not None and high is not None and 1000 <= low and high <= 9999:
            attrs = _with_class({**attrs, "class": widget.attrs.get("class", "")}, "input-year")
        return attrs


class ThaiIntegerField(_ThaiNumberMixin, forms.IntegerField):
    invalid_message = "กรุณากรอกจำนวนเต็ม"
    widget = ThaiNumberInput
    # What a database integer column holds (PostgreSQL ``integer``; SQLite cannot take a
    # Python int past 64 bits at all): a field without a limit of its own refuses more than
    # this with a message, instead of failing at the database.
    largest = 2**31 - 1
    too_large_message = "ตัวเลขมากเกินไป กรุณาตรวจสอบ"

    def validate(self, value):
        super().validate(value)
        no_limit = self.max_value is None or self.min_value is None
        if value not in self.empty_values and no_limit and abs(value) > self.largest:
            raise forms.ValidationError(self.too_large_message, code="max_value")


# The widest decimal column in the project (money: 12 digits, 2 after the point). A form's own
# decimal field (not made from a column) with no limit took 1e30 or a 20-digit paste: PostgreSQL
# refused it with a server error, and SQLite stored it so that the page that reads it back
# failed every time after (the debt page of that teacher, for one).
WIDEST_DECIMAL_DIGITS = 12


# What a decimal box says it saves into when it saves into no column (a filter, a figure the
# action turns into something else): `column=NO_COLUMN`.
NO_COLUMN = None
_UNSAID = object()


def column_of(ref) -> models.Field | None:
    """The model column a box names: ``Model.field`` (Django's attribute) or the field itself."""
    return getattr(ref, "field", ref)


def too_many_whole_digits(whole: int) -> str:
    return f"ตัวเลขมากเกินไป (ไม่เกิน {whole} หลักหน้าจุดทศนิยม)"


def _fits_whole_digits(whole: int):
    largest = Decimal(10) ** whole
    message = too_many_whole_digits(whole)

    def fits(value) -> None:
        if value is not None and value.is_finite() and abs(value) >= largest:
            raise forms.ValidationError(message, code="max_digits")

    return fits


class ThaiDecimalField(_ThaiNumberMixin, forms.DecimalField):
    """A decimal that may be typed with Thai digits and thousands separators.

    A box that saves into a column names it (``column=AreaWeight.weight``): it then holds no
    more whole digits and no more places than the column, refused in Thai naming how many,
    instead of PostgreSQL refusing the save with a server error. A box that saves into no
    column says so (``column=NO_COLUMN``) and holds at most WIDEST_DECIMAL_DIGITS digits
    unless the form gives its own limit. krupd/tests/test_form_columns.py finds every box
    of the project and fails on one that says neither."""

    widget = ThaiNumberInput

    def __init__(self, *args, column=_UNSAID, **kwargs):
        kwargs.setdefault("widget", ThaiNumberInput(decimal=True))
        self.column = None if column is _UNSAID else column_of(column)
        self.column_said = column is not _UNSAID
        whole = None
        if isinstance(self.column, models.DecimalField):
            whole = self.column.max_digits - self.column.decimal_places
            # The column's places (or the form's fewer); the digits are checked as whole
            # digits below, in the words a model form's box uses (not Django's "N digits in
            # all", which a value with fewer whole digits but more places also met).
            places = kwargs.setdefault("decimal_places", self.column.decimal_places)
            if (own := kwargs.pop("max_digits", None)) is not None:
                whole = min(whole, own - (places or 0))
        elif kwargs.get("max_digits") is None and kwargs.get("max_value") is None:
            kwargs["max_digits"] = WIDEST_DECIMAL_DIGITS
        super().__init__(*args, **kwargs)
        if whole is not None:
            self.validators.append(_fits_whole_digits(whole))

    def to_python(self, value):
        number = super().to_python(value)
        places = self.decimal_places
        # "3.30" in a box of one decimal is the number 3.3 (the zero adds no figure): it was
        # refused as having two decimals. A figure the places cannot hold is still refused.
        if isinstance(number, Decimal) and number.is_finite() and places is not None:
            if number.as_tuple().exponent < -places and number == round(number, places):
                number = number.quantize(Decimal(1).scaleb(-places))
        return number


class ThaiBahtField(ThaiDecimalField):
    """An amount of money in baht: "12,500 บาท", "฿12,500" and "๑๒,๕๐๐" all read as 12500
    (offices copy amounts from budget documents that write the unit). Never negative: a
    budget or a spending figure below zero is a typing slip, refused naming its field."""

    def __init__(self, *args, **kwargs):
        kwargs["min_value"] = max(kwargs.get("min_value") or 0, 0)
        super().__init__(*args, **kwargs)
        self.error_messages["min_value"] = f"{self.label or 'จำนวนเงิน'} ต้องไม่ติดลบ"

    def to_python(self, value):
        if isinstance(value, str):  # whatever its label says
            value = numerals.without_baht(numerals.clean_text(value))
        return super().to_python(value)


class ThaiFloatField(_ThaiNumberMixin, forms.FloatField):
    widget = ThaiNumberInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", ThaiNumberInput(decimal=True))
        super().__init__(*args, **kwargs)


class ThaiDateField(forms.Field):
    """Accepts BE or CE, Thai or Arabic digits, and Thai month names; stores a CE date."""

    widget = ThaiDateInput

    def to_python(self, value):
        try:
            return thai_dates.parse_thai_date(value)
        except thai_dates.ThaiDateError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class ThaiModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several rows whose posted ids may be anything a browser sends.

    Django asks the database for every posted id at once (``pk__in``); an id past what a
    database integer holds (``99999999999999999999``) is then a database error, not "not a
    choice". Such an id is refused here as a choice that is not on the list."""

    def _check_values(self, value):
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        if isinstance(key, models.IntegerField | models.AutoField):
            for pk in value if isinstance(value, list | tuple) else ():
                try:
                    out_of_range = abs(int(pk)) > MAX_ID
                except (TypeError, ValueError):
                    continue  # not a number at all: Django's own check refuses it
                if out_of_range:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": pk},
                    )
        return super()._check_values(value)


class QuickSelect(forms.Select):
    """A drop-down written in one pass of Python: Django's own renders a template per option,
    0.2 s of CPU for an office's 1,000 schools (a person's form has several such lists). The
    HTML is the same: the chosen option ``selected``, groups as ``<optgroup>``."""

    def get_context(self, name, value, attrs):
        # Django's Select without its per-option dictionaries (``optgroups``).
        context = forms.Widget.get_context(self, name, value, attrs)
        if self.allow_multiple_selected:
            context["widget"]["attrs"]["multiple"] = True
        return context

    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        options = self.options_html(widget["value"])
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )

    def options_html(self, value: list[str]) -> SafeString:
        return option_tags(self.choices, value, multiple=self.allow_multiple_selected)


class QuickSelectMultiple(QuickSelect, forms.SelectMultiple):
    pass


def option_tags(choices, chosen=(), *, multiple: bool = False) -> SafeString:
    """``<option>`` tags (``<optgroup>`` for grouped choices) as Django's Select writes them,
    without a template per option. ``chosen``: the values (as text) shown selected; a single
    choice marks only the first option with its value, as Django does."""
    chosen, taken, parts = set(chosen), False, []
    for group_value, group_label in choices:
        grouped = isinstance(group_label, list | tuple)
        if grouped:
            parts.append(f'<optgroup label="{_escape(group_value)}">')
        else:
            group_label = [("" if group_value is None else group_value, group_label)]
        for option_value, label in group_label:
            option_value = str(option_value)
            selected = option_value in chosen and (multiple or not taken)
            taken |= selected
            mark = " selected" if selected else ""
            parts.append(f'<option value="{_escape(option_value)}"{mark}>{_escape(label)}</option>')
        if grouped:
            parts.append("</optgroup>")
    return SafeString("".join(parts))


def _escape(text: object) -> str:
    """Django's conditional_escape without its per-call overhead (thousands of options)."""
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))


# Django's drop-downs and what every KruPD form shows instead (a subclass stays as it is).
_QUICK_WIDGETS = {forms.Select: QuickSelect, forms.SelectMultiple: QuickSelectMultiple}


class ThaiBEYearField(ThaiIntegerField):
    """A Buddhist Era year (fiscal, academic, calendar). A CE year or two digits are read as
    a date's year is (thai_dates.be_year_typed: 2026 → 2569, 69 → 2569), never stored as a
    BE year five centuries back."""

    def __init__(self, *args, **kwargs):
        low, high = BE_YEARS
        kwargs["min_value"] = max(kwargs.get("min_value") or low, low)
        kwargs["max_value"] = min(kwargs.get("max_value") or high, high)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = thai_dates.without_year_words(value)
        year = super().to_python(value)
        if year is None:
            return None
        try:
            return thai_dates.be_year_typed(year)
        except thai_dates.ThaiDateError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


def _is_be_year(db_field: models.Field) -> bool:
    # Year columns say so in their label: "ปีงบประมาณ (พ.ศ.)", "ปีการศึกษา (พ.ศ.)".
    return isinstance(db_field, models.IntegerField) and "พ.ศ." in str(db_field.verbose_name)


# Model column → the form field that reads it the Thai way. Order matters: a subclass first.
_THAI_FORM_FIELDS = [
    (models.DateTimeField, None),  # date and time together: Django's own field
    (models.DateField, ThaiDateField),
    (models.DecimalField, ThaiDecimalField),
    (models.FloatField, ThaiFloatField),
    (models.IntegerField, ThaiIntegerField),
]


def _relabel_empty_choice(field: forms.Field) -> None:
    quick = _QUICK_WIDGETS.get(type(field.widget))
    if quick is not None:  # same state and HTML, written without a template per option
        field.widget.__class__ = quick
    choices = getattr(field, "choices", None)
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY_LABEL:
            field.empty_label = EMPTY_CHOICE_LABEL
    elif choices is not None and isinstance(field.widget, forms.RadioSelect) and field.required:
        # A row of radio buttons starts with none chosen: a "— เลือก —" button among them
        # would be a choice that is no answer, and it would start out ticked.
        field.choices = [(v, label) for v, label in choices if v not in ("", None)]
    elif choices is not None:
        field.choices = [
            (
                value,
                EMPTY_CHOICE_LABEL
                if value in ("", None) and label == DJANGO_EMPTY_LABEL
                else label,
            )
            for value, label in choices
        ]
    # "Choose from the list" reads better under a drop-down than "fill in this field"; a
    # message the form wrote for itself is kept.
    required = field.error_messages.get("required")
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) and str(required) == str(
        forms.Field.default_error_messages["required"]
    ):
        field.error_messages["required"] = CHOOSE_REQUIRED


# Characters that take no room on the screen (numerals.INVISIBLE: a zero-width space, which
# Word and web pages put between Thai words, joiners, direction marks, a byte-order mark...).
# Pasted at either end of a box they stay in the saved name (Django strips only whitespace),
# where no one can see or find them: "สมใจ" no longer matched the stored name, and a box
# holding only one passed as filled.
def trim_typed(value):
    """Text as typed, without spaces or invisible characters at either end (the one rule:
    typed_text.trimmed, which the writes that read a box no form checks call too)."""
    return typed_text.trimmed(value) if isinstance(value, str) else value


class _TrimmedMixin:
    def value_from_datadict(self, data, files, name):
        return trim_typed(super().value_from_datadict(data, files, name))


class TrimmedTextInput(_TrimmedMixin, forms.TextInput):
    pass


class TrimmedTextarea(_TrimmedMixin, forms.Textarea):
    pass


class TrimmedEmailInput(_TrimmedMixin, forms.EmailInput):
    pass


class TrimmedURLInput(_TrimmedMixin, forms.URLInput):
    pass


_TRIMMED_WIDGETS = {
    forms.TextInput: TrimmedTextInput,
    forms.Textarea: TrimmedTextarea,
    forms.EmailInput: TrimmedEmailInput,
    forms.URLInput: TrimmedURLInput,
}


def _trim_invisible_ends(field: forms.Field) -> None:
    """A text box of a model form reads what was typed without invisible ends, before the
    field checks it (so a box holding only a zero-width space is empty, and required)."""
    trimmed = _TRIMMED_WIDGETS.get(type(field.widget))
    # A field that keeps its spaces (strip=False: a password) keeps everything typed.
    if trimmed is not None and isinstance(field, forms.CharField) and field.strip:
        field.widget.__class__ = trimmed


def thai_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """``formfield_callback`` of every model form: Thai number and date fields, and a
    "— เลือก —" first option instead of "---------"."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ThaiModelMultipleChoiceField)
    elif not db_field.choices and "widget" not in kwargs and _is_be_year(db_field):
        kwargs.setdefault("form_class", ThaiBEYearField)
    elif not db_field.choices and "widget" not in kwargs:
        for model_class, form_class in _THAI_FORM_FIELDS:
            if isinstance(db_field, model_class):
                if form_class is not None:
                    kwargs.setdefault("form_class", form_class)
                break
    field = db_field.formfield(**kwargs)
    if field is not None:
        _relabel_empty_choice(field)
        _trim_invisible_ends(field)
    return field


def _fit_decimal_to_column(field: forms.Field, model, name: str) -> None:
    """A decimal box a model form declares itself (for its label or minimum) holds no more
    whole digits than its column: 99,999,999,999 baht passed a box capped at 12 digits in all
    and a money column of 12 with 2 after the point, and PostgreSQL refused it with a server
    error. Boxes made from the column carry its limit already."""
    if not isinstance(field, forms.DecimalField) or model is None:
        return
    if getattr(field, "column", None) is not None:
        return  # the box names its column and carries its limit
    try:
        column = model._meta.get_field(name)
    except FieldDoesNotExist:
        return
    if not isinstance(column, models.DecimalField):
        return
    whole = column.max_digits - column.decimal_places
    if field.max_digits is not None and field.max_digits - (field.decimal_places or 0) <= whole:
        return  # its own limit is within the column's
    if field.max_value is not None and field.max_value < Decimal(10) ** whole:
        return
    field.validators.append(_fits_whole_digits(whole))


class ThaiModelFormMetaclass(forms.models.ModelFormMetaclass):
    """Gives each subclass's own ``Meta`` the Thai ``formfield_callback`` (Django reads it only
    from the class's ``Meta``, which subclasses usually write afresh)."""

    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(thai_formfield)
        form_class = super().__new__(mcs, name, bases, attrs)
        for field in form_class.base_fields.values():
            _relabel_empty_choice(field)  # fields the form declares itself
            _trim_invisible_ends(field)
        return form_class


class ThaiModelForm(forms.ModelForm, metaclass=ThaiModelFormMetaclass):
    """The base of every model form in KruPD (and of the model formsets: ``form=ThaiModelForm``)."""

    # Fields the view sets on the record (not boxes of the form) that a unique rule of the
    # model ties to the form's boxes: checked with them (see _get_validation_exclusions).
    unique_with: tuple[str, ...] = ()

    class Meta:
        formfield_callback = staticmethod(thai_formfield)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Fields a form adds in its __init__ get the same first option.
        for name, field in self.fields.items():
            _relabel_empty_choice(field)
            _trim_invisible_ends(field)
            _fit_decimal_to_column(field, self._meta.model, name)

    def _get_validation_exclusions(self):
        """Django leaves out of the unique checks every model field the form does not show, so
        a rule like "one version name per office" went unchecked when the office is set by
        the view, not typed (a rule set renamed to a version the office already has): the
        save then broke on the database's constraint, a server error. The fields a form names
        in `unique_with` (set on the record by its view) are checked with the form's own, and
        the form says in Thai that the value is taken. Opt-in: a form whose view saves a
        repeat as a correction of the stored row (a national mean typed again) must not be
        refused as a duplicate."""
        exclude = super()._get_validation_exclusions()
        for name in self.unique_with:
            field = self.instance._meta.get_field(name)
            if getattr(self.instance, field.attname, None) not in (None, ""):
                exclude.discard(name)
        return exclude


class RowForm(forms.Form):
    """One row of a table of rows typed on a page (a formset shown with blank rows to add to).

    A drop-down without a blank option (a row's kind) shows its first choice on a blank row,
    and the browser sends that choice back: Django then took the untouched row as half filled
    and refused the whole table ("กรุณากรอกช่องนี้" on the blank rows), so a teacher could not
    save her PA workload without filling in the two spare rows. Such a drop-down starts on its
    first choice here, so a spare row left as it came is left out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, forms.ChoiceField) or field.initial is not None:
                continue
            first = next(iter(field.choices), None)
            if first and not isinstance(first[1], list | tuple) and first[0] not in ("", None):
                field.initial = first[0]


class _UniqueMessagesByLabel:
    """A formset's "duplicate rows" message names the boxes by their labels. Django's names
    the model's fields as written in the code ("kind และ number ซ้ำกัน"), English on a Thai
    page."""

    def _label(self, name: str) -> str:
        field = self.form.base_fields.get(name)
        if field is not None and field.label:
            return str(field.label)
        try:
            return str(self.model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            return name

    def get_unique_error_message(self, unique_check):
        # An inline formset's rows all belong to one record: its key is no column to correct.
        parent = getattr(getattr(self, "fk", None), "name", None)
        labels = [self._label(n) for n in unique_check if n != parent] or [
            self._label(n) for n in unique_check
        ]
        if len(labels) == 1:
            return gettext("Please correct the duplicate data for %(field)s.") % {
                "field": labels[0]
            }
        return gettext("Please correct the duplicate data for %(field)s, which must be unique.") % {
            "field": get_text_list(labels, gettext("and"))
        }


class ThaiModelFormSet(_UniqueMessagesByLabel, forms.BaseModelFormSet):
    """The base of every model formset in KruPD (``formset=ThaiModelFormSet``)."""


class ThaiInlineFormSet(_UniqueMessagesByLabel, forms.BaseInlineFormSet):
    """The base of every inline formset in KruPD (``formset=ThaiInlineFormSet``)."""


def error_messages(form: forms.BaseForm) -> list[str]:
    """A refused form's errors as sentences that name their field ("ชื่อเอกสาร: …"), for
    pages that show them in a message instead of next to the field."""
    found = list(form.non_field_errors())
    for name, errors in form.errors.items():
        if name == forms.forms.NON_FIELD_ERRORS:
            continue
        label = form.fields[name].label or name if name in form.fields else name
        found += [e if e.startswith(f"{label}:") else f"{label}: {e}" for e in errors]
    return found
