from django import forms

from .models import LineChannel


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

    def clean_basic_id(self):
        value = self.cleaned_data["basic_id"].strip()
        if not value.startswith("@"):
            raise forms.ValidationError("LINE ID ของบัญชีทางการขึ้นต้นด้วย @ เช่น @krupd-pbi1")
        return value


def read_choices(data) -> dict[str, tuple[bool, bool]]:
    """The kinds table posts `email_<kind>` / `line_<kind>` checkboxes."""
    from .kinds import Kind

    return {k: (f"email_{k}" in data, f"line_{k}" in data) for k in Kind.values}
