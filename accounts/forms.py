"""Forms of two-factor sign-in. Codes are forgiving to type: Thai digits, spaces and dashes
are accepted and normalised."""

import re

from django import forms

from krupd.lib import numerals

from .models import RECOVERY_ALPHABET, RECOVERY_LENGTH

_SEPARATORS = re.compile(r"[\s\-\u200b\ufeff]+")


def normalise_code(value: str) -> str:
    """'๑๒๓ ๔๕๖' → '123456'; 'abcd-efgh-jkmn ' → 'ABCDEFGHJKMN'."""
    return _SEPARATORS.sub("", numerals.to_arabic_digits(value or "")).upper()


class CodeField(forms.CharField):
    """The 6-digit code an authenticator app shows."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "รหัส 6 หลักจากแอปยืนยันตัวตน")
        kwargs.setdefault("help_text", "รหัสเปลี่ยนทุก 30 วินาที พิมพ์เป็นเลขไทยหรือมีเว้นวรรคก็ได้")
        super().__init__(
            max_length=32,
            widget=forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": "one-time-code",
                    "autocapitalize": "off",
                    "spellcheck": "false",
                    "placeholder": "123456",
                }
            ),
            error_messages={"required": "กรุณากรอกรหัส 6 หลักจากแอปยืนยันตัวตน"},
            **kwargs,
        )

    def to_python(self, value):
        code = normalise_code(super().to_python(value))
        if code and not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError("รหัสต้องเป็นตัวเลข 6 หลัก ตามที่แอปยืนยันตัวตนแสดง", code="invalid")
        return code


class CodeForm(forms.Form):
    code = CodeField()


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label="รหัสสำรอง",
        max_length=40,
        help_text="รหัสสำรอง 12 ตัวที่ได้รับตอนเปิดใช้งาน แต่ละรหัสใช้ได้ครั้งเดียว",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "XXXX-XXXX-XXXX",
            }
        ),
        error_messages={"required": "กรุณากรอกรหัสสำรอง"},
    )

    def clean_recovery_code(self) -> str:
        code = normalise_code(self.cleaned_data["recovery_code"])
        if len(code) != RECOVERY_LENGTH or any(c not in RECOVERY_ALPHABET for c in code):
            raise forms.ValidationError(
                "รหัสสำรองมี 12 ตัว (ตัวอักษรภาษาอังกฤษและตัวเลข) เช่น ABCD-EFGH-JKMN",
                code="invalid",
            )
        return code


class DisableForm(forms.Form):
    password = forms.CharField(
        label="รหัสผ่านปัจจุบัน",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "กรุณากรอกรหัสผ่านปัจจุบัน"},
    )
    code = CodeField()
