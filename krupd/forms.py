"""Form fields every app uses: Buddhist Era dates and numbers typed with Thai digits."""

import datetime as dt
from decimal import InvalidOperation

from django import forms

from krupd.lib import numerals, thai_dates


class ThaiDateInput(forms.TextInput):
    """Shows a stored CE date as BE text (15/03/2530) and keeps whatever the user typed on error."""

    def __init__(self, attrs=None):
        super().__init__(
            {"placeholder": "วว/ดด/ปปปป (พ.ศ.)", "inputmode": "numeric", **(attrs or {})}
        )

    def format_value(self, value):
        if isinstance(value, dt.date):
            return thai_dates.format_thai_date(value)
        return value


class ThaiDateField(forms.Field):
    """Accepts BE or CE, Thai or Arabic digits, and Thai month names; stores a CE date."""

    widget = ThaiDateInput

    def to_python(self, value):
        try:
            return thai_dates.parse_thai_date(value)
        except thai_dates.ThaiDateError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class ThaiDecimalField(forms.DecimalField):
    """A decimal that may be typed with Thai digits and thousands separators."""

    def to_python(self, value):
        if isinstance(value, str):
            value = numerals.clean_text(value).replace(",", "")
        try:
            return super().to_python(value)
        except (InvalidOperation, forms.ValidationError):
            raise forms.ValidationError("กรุณากรอกตัวเลข", code="invalid") from None


class ThaiIntegerField(forms.IntegerField):
    def to_python(self, value):
        if isinstance(value, str):
            value = numerals.clean_text(value).replace(",", "")
        return super().to_python(value)
