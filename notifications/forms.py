import datetime as dt

from django import forms

from krupd.lib import thai_dates
from krupd.lib.clipping import clip

from .models import LineChannel

QUIET_BOTH = "กรอกเวลาเริ่มและเวลาสิ้นสุดของช่วงงดส่งทั้งสองช่อง หรือเว้นว่างทั้งสองช่อง"


class ClockField(forms.Field):
    """A time of day as people write it: 21.00, 21:00, 21.00 น., ๒๑.๐๐ or 21 (the hour);
    empty for none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": "เช่น 21.00", "maxlength": 20})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.strftime("%H.%M") if isinstance(value, dt.time) else value

    def to_python(self, value):
        try:
            return thai_dates.parse_time_of_day(value)
        except thai_dates.ThaiDateError:
            raise forms.ValidationError(
                f"“{clip(str(value), 20)}” ไม่ใช่เวลา ให้กรอกเป็นชั่วโมงและนาที เช่น 21.00 หรือ 06.30"
            ) from None


class LineChannelForm(forms.Form):
    basic_id = forms.CharField(
        label=LineChannel._meta.get_field("basic_id").verbose_name,
        max_length=40,
        help_text=LineChannel._meta.get_field("basic_id").help_text,
    )
    secret = forms.CharField(
        label="Channel secret",
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="จากหน้า LINE Developers › Basic settings เว้นว่างไว้เพื่อใช้ค่าที่บันทึกไว้เดิม",
    )
    token = forms.CharField(
        label="Channel access token (long-lived)",
        required=False,
        max_length=1000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="จากหน้า LINE Developers › Messaging API เว้นว่างไว้เพื่อใช้ค่าที่บันทึกไว้เดิม",
    )
    enabled = forms.BooleanField(label="เปิดส่งการแจ้งเตือนทาง LINE", required=False, initial=True)
    quiet_from = ClockField(
        label=LineChannel._meta.get_field("quiet_from").verbose_name,
        help_text="ช่วงเวลาที่ไม่ส่งทาง LINE เช่น 21.00 ถึง 06.00 เรื่องที่เกิดในช่วงนี้ส่งเมื่อพ้นช่วง "
        "(ยังเห็นในกล่องข้อความทันที) เว้นว่างทั้งสองช่อง = ส่งได้ทุกเวลา",
    )
    quiet_until = ClockField(label=LineChannel._meta.get_field("quiet_until").verbose_name)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("quiet_from"), cleaned.get("quiet_until")
        if (start is None) != (end is None) and not self.has_error("quiet_from"):
            if not self.has_error("quiet_until"):
                missing = "quiet_until" if end is None else "quiet_from"
                self.add_error(missing, QUIET_BOTH)
        elif start is not None and start == end:
            self.add_error("quiet_until", "เวลาสิ้นสุดต้องไม่ใช่เวลาเดียวกับเวลาเริ่ม")
        return cleaned

    def clean_basic_id(self):
        value = self.cleaned_data["basic_id"].strip()
        if not value.startswith("@"):
            raise forms.ValidationError("LINE ID ของบัญชีทางการขึ้นต้นด้วย @ เช่น @krupd-pbi1")
        return value


def read_choices(data) -> dict[str, tuple[bool, bool]]:
    """The kinds table posts `email_<kind>` / `line_<kind>` checkboxes."""
    from .kinds import Kind

    return {k: (f"email_{k}" in data, f"line_{k}" in data) for k in Kind.values}
