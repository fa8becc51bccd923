"""Forms of two-factor sign-in, passwords and the office admin's account pages.

Codes are forgiving to type: Thai digits, spaces and dashes are accepted and normalised.
Password rules are Django's validators (settings.AUTH_PASSWORD_VALIDATORS); Django's Thai
catalogue leaves their messages in English, so they are said in Thai here, by error code.
"""

import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from krupd.forms import ThaiModelForm
from krupd.lib import numerals
from registry.labels import distinct_labels
from registry.models import Person
from registry.picker import PersonPickerField

from . import actions, queries
from .models import RECOVERY_ALPHABET, RECOVERY_LENGTH, User
from .roles import OFFICE_ROLES

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
        if code and not (len(code) == 6 and numerals.is_ascii_digits(code)):
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


# ---------------------------------------------------------------- passwords, in Thai

_PASSWORD_MESSAGES = {
    "password_too_short": "รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย {min_length} ตัวอักษร",
    "password_too_common": "รหัสผ่านนี้มีคนใช้กันมากและเดาได้ง่าย กรุณาตั้งรหัสผ่านอื่น",
    "password_entirely_numeric": "รหัสผ่านต้องไม่เป็นตัวเลขล้วน",
    "password_too_similar": "รหัสผ่านคล้ายกับ{verbose_name}มากเกินไป",
}
PASSWORD_MISMATCH = "รหัสผ่านทั้งสองช่องไม่ตรงกัน"


def _min_password_length() -> int:
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            return validator.min_length
    return 0


def password_help_text() -> str:
    length = _min_password_length()
    return (f"อย่างน้อย {length} ตัวอักษร " if length else "") + (
        "ไม่เป็นตัวเลขล้วน ไม่ใช่รหัสผ่านที่คนใช้กันมาก และไม่คล้ายชื่อผู้ใช้ ชื่อ หรืออีเมล"
    )


def thai_password_error(error: ValidationError) -> ValidationError:
    """The validators' refusals in Thai (a validator this table does not know keeps its own)."""
    out = []
    for e in error.error_list:
        template = _PASSWORD_MESSAGES.get(e.code or "")
        text = template.format(**(e.params or {})) if template else e.messages[0]
        out.append(ValidationError(text, code=e.code))
    return ValidationError(out)


def validate_password(password: str, user=None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise thai_password_error(error) from None


class ThaiPasswordChangeForm(PasswordChangeForm):
    """Django's form with Thai help and messages, and a new password that is really new."""

    error_messages = {**PasswordChangeForm.error_messages, "password_mismatch": PASSWORD_MISMATCH}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_help_text()
        self.fields["new_password2"].help_text = "พิมพ์รหัสผ่านใหม่ซ้ำอีกครั้ง"

    def validate_password_for_user(self, user, password_field_name="password2"):
        password = self.cleaned_data.get(password_field_name)
        if password:
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.add_error(password_field_name, error)

    def clean(self):
        cleaned = super().clean()
        old, new = cleaned.get("old_password"), cleaned.get("new_password1")
        if old and new and old == new:
            self.add_error("new_password1", "รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสผ่านเดิม")
        return cleaned

    def save(self, commit=True):
        """Only the password is written: the signed-in user's row holds the school of their
        person record for the request (accounts.backends.follow_person_school), which the
        office admin's account page changes, with its audit entry, not a password change."""
        self.user.set_password(self.cleaned_data["new_password1"])
        if commit:
            self.user.save(update_fields=["password"])
        return self.user


# ---------------------------------------------------------------- the office's accounts


def offer_open_schools(field: forms.ModelChoiceField, offered) -> None:
    """A school drop-down lists `offered` (the open schools, and an account's own), named as
    name_school_choices names them, while its queryset still reads any school of the office."""
    shown = distinct_labels(offered.values_list("pk", "name", "obec_code"))
    field.widget.choices = [("", field.empty_label), *shown.items()]


def refuse_closed_school(school, *, keep: int | None = None):
    """The chosen school, unless it closed (or was merged into another) by today and is not
    the account's own: no new account is given at a closed school."""
    if school is not None and school.pk != keep and school.is_closed_on(timezone.localdate()):
        raise ValidationError(actions.SCHOOL_CLOSED, code="closed")
    return school


class AccountForm(ThaiModelForm):
    """Create (with an initial password) or edit an account of the admin's office.

    The person list shows only people of the chosen school (the office's own staff without
    a school) who have no account yet; the page reloads it when the school changes. Any
    person id is looked up, so one of another office is refused by name, not as "invalid".
    """

    school = forms.ModelChoiceField(
        label="สถานศึกษา",
        queryset=None,
        required=False,
        empty_label="— ไม่มี (ผู้ใช้ระดับเขตพื้นที่) —",
        help_text="จำเป็นสำหรับผู้อำนวยการสถานศึกษาและครู บทบาทอื่นไม่ใช้",
        error_messages={"invalid_choice": actions.SCHOOL_OTHER_OFFICE},
    )
    # Any person id is accepted here and judged by actions.check_account, so one of another
    # office, of another school or with an account already is refused saying which; the
    # picker shows only the free people of the chosen school (set in __init__).
    person = PersonPickerField(
        label="ข้อมูลบุคลากรของผู้ใช้",
        queryset=Person.objects.all(),
        required=False,
        help_text="จำเป็นสำหรับครู: ค้นหาจากบุคลากรของสถานศึกษาที่เลือกซึ่งยังไม่มีบัญชี "
        "(ไม่เลือกสถานศึกษา: บุคลากรของสำนักงานเขต)",
        error_messages={"invalid_choice": "ข้อมูลบุคลากรของผู้ใช้: ไม่พบบุคลากรที่เลือก"},
    )
    password1 = forms.CharField(
        label="รหัสผ่านเริ่มต้น",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="ยืนยันรหัสผ่านเริ่มต้น",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    must_change_password = forms.BooleanField(
        label="ให้ผู้ใช้ตั้งรหัสผ่านใหม่เองเมื่อเข้าสู่ระบบครั้งแรก",
        required=False,
        initial=True,
        help_text="รหัสผ่านที่ระบบสร้างให้ต้องเปลี่ยนทุกครั้ง",
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "school", "person",
                  "is_active"]  # fmt: skip
        labels = {"email": "อีเมล", "is_active": "เปิดใช้งานบัญชี"}
        help_texts = {
            "username": "ใช้เข้าสู่ระบบ: ตัวอักษรภาษาอังกฤษ ตัวเลข และ . _ - @ + ไม่เกิน 150 ตัว",
            "is_active": "ปิดเมื่อผู้ใช้ย้ายออกหรือไม่ควรเข้าสู่ระบบอีก ข้อมูลและประวัติยังอยู่ครบ",
        }

    def __init__(self, *args, acting_user, school_shown=None, **kwargs):
        """``school_shown``: the school chosen on the page but not yet saved, sent by the
        person picker's requests (None: the account's own)."""
        super().__init__(*args, **kwargs)
        self.school_shown = school_shown
        self.acting_user = acting_user
        creating = self.instance.pk is None
        if creating:
            del self.fields["is_active"]
            self.fields["username"].error_messages["unique"] = actions.USERNAME_TAKEN
            self.fields["password1"].help_text = (
                "เว้นว่างไว้ให้ระบบสร้างรหัสผ่านชั่วคราวให้ (แสดงครั้งเดียวหลังบันทึก) "
                "หรือกำหนดเอง: " + password_help_text()
            )
        else:
            for name in ("username", "password1", "password2", "must_change_password"):
                del self.fields[name]
        self.fields["role"].choices = OFFICE_ROLES
        schools = queries.schools_for_accounts(acting_user)
        # Any school of the office is read, so a closed one is refused saying so (clean_school),
        # not as one of another office; the list offers the open ones and the account's own.
        self.fields["school"].queryset = schools
        offer_open_schools(
            self.fields["school"],
            queries.schools_offered_for_accounts(acting_user, keep=self.instance.school_id),
        )
        school = self._chosen_school(schools)
        picker = self.fields["person"].widget
        picker.candidates = queries.people_for_account(
            acting_user, school=school, keep=self.instance.person
        )
        # The rows follow the school menu: a search keeps to it, and choosing one shows its people.
        picker.include = f"#{self['school'].auto_id}"

    def _chosen_school(self, schools):
        value = self.data.get(self.add_prefix("school"), "") if self.is_bound else self.school_shown
        if value is not None:
            return schools.filter(pk=queries.as_id(value)).first() if value else None
        account = self.instance
        if account.school_id is None and account.role in actions.SCHOOL_ROLES and account.person:
            # An older teacher account without a school: offer the person's own school.
            self.initial["school"] = account.person.school_id
            return account.person.school
        return account.school

    def clean_school(self):
        return refuse_closed_school(self.cleaned_data["school"], keep=self.instance.school_id)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(actions.USERNAME_TAKEN, code="unique")
        return username

    def clean(self):
        cleaned = super().clean()
        role, school, person = (cleaned.get(k) for k in ("role", "school", "person"))
        if self.instance.pk and self.instance.pk == self.acting_user.pk:
            # Said first and alone: the school a changed role would need is beside the point.
            if role and role != self.instance.role:
                self.add_error("role", actions.OWN_ROLE)
            if "is_active" in cleaned and not cleaned["is_active"]:
                self.add_error("is_active", actions.OWN_ACTIVE)
            if self.errors:
                return cleaned
        if role and "school" not in self.errors and "person" not in self.errors:
            try:
                actions.check_account(acting_user=self.acting_user, user=self.instance,
                                      role=role, school=school, person=person)  # fmt: skip
            except actions.AccountError as error:
                self.add_error(None, error)
        if self.instance.pk is None:
            self._clean_password(cleaned)
        return cleaned

    def _clean_password(self, cleaned) -> None:
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if not password1 and not password2:
            return  # generated
        if password1 != password2:
            self.add_error("password2", PASSWORD_MISMATCH)
            return
        trial = User(
            username=cleaned.get("username", ""), first_name=cleaned.get("first_name", ""),
            last_name=cleaned.get("last_name", ""), email=cleaned.get("email", ""),
        )  # fmt: skip
        try:
            validate_password(password1, trial)
        except ValidationError as error:
            self.add_error("password1", error)


class SchoolAccountsForm(forms.Form):
    """Which school's teacher accounts to create at once."""

    school = forms.ModelChoiceField(
        label="สถานศึกษา",
        queryset=None,
        empty_label="— เลือกสถานศึกษา —",
        widget=forms.Select(attrs={"aria-label": "สถานศึกษา"}),
        error_messages={
            "required": "กรุณาเลือกสถานศึกษา",
            "invalid_choice": actions.SCHOOL_OTHER_OFFICE,
        },
    )

    def __init__(self, *args, acting_user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = queries.schools_for_accounts(acting_user)
        offer_open_schools(self.fields["school"], queries.schools_offered_for_accounts(acting_user))

    def clean_school(self):
        return refuse_closed_school(self.cleaned_data["school"])
