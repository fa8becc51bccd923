"""Writes of accounts: two-factor sign-in on and off, code checks, recovery codes; and the
office admin's management of the office's accounts (create, edit, reset a password, a whole
school's teacher accounts at once).

Every check of a code is throttled like passwords (accounts/throttle.py, stage CODE): the
attempt is recorded before the check, outside any transaction, and stays as a failure unless
the code is right, so a refused attempt always counts, however many run at once. Turning
two-factor sign-in on or off, new recovery codes and signing in with one are audited, and so
is every change an admin makes to an account (never the password itself).
"""

import datetime as dt
import secrets
import time
from dataclasses import dataclass

import pyotp
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from registry import audit
from registry.models import AuditAction, Person

from . import queries, throttle
from .models import (
    RECOVERY_ALPHABET,
    RECOVERY_CODE_COUNT,
    RECOVERY_LENGTH,
    LoginStage,
    RecoveryCode,
    TOTPDevice,
    TwoFactorSetupLink,
    User,
    matching_step,
    recovery_code_hash,
    setup_link_hash,
)
from .roles import ABOVE_OFFICE_ROLES, SCHOOL_ROLES, Role

# Unix seconds for TOTP time steps. Tests replace it to fix the step; nothing else should.
clock = time.time

AUDIT_TYPE = "two_factor"
CODES_LEFT = "รหัสสำรองที่ยังไม่ได้ใช้"

WRONG_CODE = (
    "รหัสไม่ถูกต้องหรือหมดอายุแล้ว กรุณากรอกรหัสล่าสุดที่แอปแสดง (หากผิดบ่อย ให้ตรวจว่าเวลาในโทรศัพท์ตั้งเป็นอัตโนมัติ)"
)
USED_CODE = "รหัสนี้ถูกใช้ไปแล้ว กรุณารอรหัสใหม่ในแอป (เปลี่ยนทุก 30 วินาที) แล้วลองอีกครั้ง"
WRONG_RECOVERY_CODE = "รหัสสำรองไม่ถูกต้อง หรือถูกใช้ไปแล้ว"
WRONG_PASSWORD = "รหัสผ่านไม่ถูกต้อง"
NOT_ENABLED = "บัญชีนี้ยังไม่ได้เปิดใช้การยืนยันตัวตนสองขั้นตอน"
ALREADY_ENABLED = "บัญชีนี้เปิดใช้การยืนยันตัวตนสองขั้นตอนอยู่แล้ว"


class TwoFactorError(ValidationError):
    """A code or password was refused; the message is for the user."""


def locked_message() -> str:
    return f"กรอกรหัสผิดหลายครั้งเกินไป กรุณารอ {throttle.lock_minutes()} นาทีแล้วลองใหม่ หรือติดต่อผู้ดูแลระบบ"


def _begin(user, ip_address: str | None, stage: str = LoginStage.CODE) -> throttle.Attempt:
    """Record the attempt and refuse it at once when the account (or the address guessing at
    it) is locked; the recorded row stays as a failure unless the check succeeds."""
    attempt = throttle.begin(username=user.username, ip_address=ip_address, stage=stage)
    if attempt.locked:
        raise TwoFactorError(locked_message(), code="locked")
    return attempt


def _withdrawn(attempt: throttle.Attempt, message: str) -> TwoFactorError:
    """A refusal before any secret was checked: not a guess, so not a failure."""
    attempt.withdraw()
    return TwoFactorError(message)


def _record(user, *, acting_user, what: str, action: str, changes: dict | None = None) -> None:
    audit.record(
        actor=acting_user,
        action=action,
        object_type=AUDIT_TYPE,
        object_id=str(user.pk),
        object_label=f"การยืนยันตัวตนสองขั้นตอน: {user.username} ({what})",
        office=user.office,
        changes=changes,
    )


def format_recovery_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _replace_recovery_codes(user) -> list[str]:
    """A new set of recovery codes; the old ones stop working. Returns them for showing once."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=recovery_code_hash(user.pk, c)) for c in codes
    )
    return [format_recovery_code(c) for c in codes]


def new_totp_secret() -> str:
    return pyotp.random_base32()


# ---------------------------------------------------------------- checking codes


def verify_totp_code(*, user, code: str, ip_address: str | None) -> None:
    """Accept the current code of the user's authenticator app, once. `code` is normalised
    (six ASCII digits). Raises TwoFactorError when locked, wrong or already used."""
    attempt = _begin(user, ip_address)
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None:
        raise _withdrawn(attempt, NOT_ENABLED)
    step = device.matching_step(code, at=clock())
    if step is None:
        raise TwoFactorError(WRONG_CODE, code="wrong_code")
    # One conditional UPDATE: of two requests carrying the same code, only one moves the
    # step on; the other (and any later replay of that code or an older one) is refused.
    moved = (
        TOTPDevice.objects.filter(pk=device.pk)
        .filter(Q(last_used_step__isnull=True) | Q(last_used_step__lt=step))
        .update(last_used_step=step)
    )
    if not moved:
        raise TwoFactorError(USED_CODE, code="wrong_code")
    attempt.succeeded()


def use_recovery_code(*, user, code: str, ip_address: str | None) -> int:
    """Sign-in with a recovery code instead of the app: the code is used up. `code` is
    normalised (no dashes, upper case). Returns how many codes are left."""
    attempt = _begin(user, ip_address)
    with transaction.atomic():
        used = RecoveryCode.objects.filter(
            user=user, code_hash=recovery_code_hash(user.pk, code), used_at__isnull=True
        ).update(used_at=timezone.now())
        if used:
            left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
            _record(user, acting_user=user, what="เข้าสู่ระบบด้วยรหัสสำรอง",
                    action=AuditAction.UPDATE, changes={CODES_LEFT: [left + 1, left]})  # fmt: skip
    if not used:
        raise TwoFactorError(WRONG_RECOVERY_CODE, code="wrong_code")
    attempt.succeeded()
    return left


# ---------------------------------------------------------------- turning it on and off


def enable_two_factor(*, acting_user, secret: str, code: str, ip_address: str | None) -> list[str]:
    """Turn two-factor sign-in on with the secret the user's app now holds, proven by a
    current code from it. Returns the new recovery codes, to be shown once."""
    attempt = _begin(acting_user, ip_address)
    if TOTPDevice.objects.filter(user=acting_user).exists():
        raise _withdrawn(attempt, ALREADY_ENABLED)
    step = matching_step(secret, code, at=clock())
    if step is None:
        raise TwoFactorError(WRONG_CODE, code="wrong_code")
    try:
        with transaction.atomic():
            # The confirming code's step counts as used: it cannot sign in afterwards.
            TOTPDevice.objects.create(user=acting_user, secret=secret, last_used_step=step)
            codes = _replace_recovery_codes(acting_user)
            _record(acting_user, acting_user=acting_user, what="เปิดใช้", action=AuditAction.CREATE)
    except IntegrityError:  # enabled meanwhile by another request of the same user
        raise _withdrawn(attempt, ALREADY_ENABLED) from None
    attempt.succeeded()
    return codes


def disable_two_factor(*, acting_user, password: str, code: str, ip_address: str | None) -> None:
    """Turn two-factor sign-in off: needs the current password and a current code, so a
    session left open on a shared computer is not enough."""
    attempt = _begin(acting_user, ip_address, stage=LoginStage.PASSWORD)
    if not acting_user.check_password(password):
        raise TwoFactorError(WRONG_PASSWORD, code="wrong_password")
    attempt.succeeded()
    verify_totp_code(user=acting_user, code=code, ip_address=ip_address)
    with transaction.atomic():
        _delete_two_factor(acting_user)
        _record(acting_user, acting_user=acting_user, what="ปิดใช้", action=AuditAction.DELETE)


def reset_two_factor(*, user, acting_user=None) -> bool:
    """Turn a user's two-factor sign-in off for them (phone and recovery codes both lost),
    from `manage.py reset_two_factor` or the office admin's account page. Returns False when
    it was not on. Nobody resets their own: turning it off oneself needs a current code."""
    if acting_user is not None and acting_user.pk == user.pk:
        raise AccountError(OWN_TWO_FACTOR)
    with transaction.atomic():
        if not TOTPDevice.objects.filter(user=user).exists():
            return False
        _delete_two_factor(user)
        _record(user, acting_user=acting_user, what="ผู้ดูแลระบบปิดให้",
                action=AuditAction.DELETE)  # fmt: skip
    throttle.clear_failures(username=user.username, stage=LoginStage.CODE)
    return True


SETUP_LINK_NOT_NEEDED = "บัญชีนี้ไม่ต้องใช้ลิงก์ตั้งค่า: บทบาทนี้ไม่ได้บังคับใช้การยืนยันตัวตนสองขั้นตอน หรือผู้ใช้เปิดใช้อยู่แล้ว"


def issue_two_factor_setup_link(*, acting_user, user: User) -> str:
    """A one-time set-up link (its secret part, to show once) for a user whose role must use
    two-factor sign-in and who has not set it up. Any unused older link stops working.
    `acting_user` None: issued from the server (`manage.py two_factor_link`)."""
    if acting_user is not None:
        _require_same_office(acting_user, user)
        if acting_user.pk == user.pk:
            raise AccountError(OWN_TWO_FACTOR)
    if not (queries.role_requires_two_factor(user) and not queries.has_two_factor(user)):
        raise AccountError(SETUP_LINK_NOT_NEEDED)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        TwoFactorSetupLink.objects.filter(user=user, used_at=None).delete()
        TwoFactorSetupLink.objects.create(
            user=user, token_hash=setup_link_hash(token), created_by=acting_user,
            expires_at=now + dt.timedelta(hours=settings.KRUPD_2FA_SETUP_LINK_HOURS),
        )  # fmt: skip
        valid = f"ใช้ได้ครั้งเดียว ภายใน {settings.KRUPD_2FA_SETUP_LINK_HOURS} ชั่วโมง"
        _record(user, acting_user=acting_user, what="ออกลิงก์ตั้งค่าให้",
                action=AuditAction.CREATE, changes={"ลิงก์ตั้งค่า": [None, valid]})  # fmt: skip
    return token


def setup_link_is_valid(token: str) -> bool:
    """The link exists, is unused and has not expired (it is not used up by looking)."""
    return TwoFactorSetupLink.objects.filter(
        token_hash=setup_link_hash(token), used_at=None, expires_at__gt=timezone.now()
    ).exists()


def use_two_factor_setup_link(*, token: str, user: User) -> bool:
    """Spend the link on `user`'s sign-in: True once, for the user it was issued to, before it
    expires. The update is the check, so two sign-ins racing with one link cannot both pass."""
    now = timezone.now()
    with transaction.atomic():
        used = TwoFactorSetupLink.objects.filter(
            token_hash=setup_link_hash(token), user=user, used_at=None, expires_at__gt=now
        ).update(used_at=now)
        if used:
            _record(user, acting_user=user, what="เข้าสู่ระบบด้วยลิงก์ตั้งค่า",
                    action=AuditAction.UPDATE)  # fmt: skip
    return bool(used)


def _delete_two_factor(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()


def regenerate_recovery_codes(*, acting_user, code: str, ip_address: str | None) -> list[str]:
    """A new set of recovery codes, proven by a current code; the old set stops working."""
    verify_totp_code(user=acting_user, code=code, ip_address=ip_address)
    with transaction.atomic():
        before = RecoveryCode.objects.filter(user=acting_user, used_at__isnull=True).count()
        codes = _replace_recovery_codes(acting_user)
        _record(acting_user, acting_user=acting_user, what="สร้างรหัสสำรองชุดใหม่",
                action=AuditAction.UPDATE, changes={CODES_LEFT: [before, len(codes)]})  # fmt: skip
    return codes


# ---------------------------------------------------------------- the office's accounts

USER_AUDIT_TYPE = "user"

SCHOOL_REQUIRED = "ผู้อำนวยการสถานศึกษาและครูต้องระบุสถานศึกษา"
SCHOOL_OTHER_OFFICE = "สถานศึกษานี้ไม่ได้อยู่ในเขตพื้นที่ของคุณ"
SCHOOL_CLOSED = "สถานศึกษานี้ปิด/ยุบรวมแล้ว จึงให้บัญชีผู้ใช้ใหม่ไม่ได้ กรุณาเลือกสถานศึกษาที่ยังเปิดอยู่"
PERSON_REQUIRED = "บัญชีครูต้องเชื่อมกับข้อมูลบุคลากรของครูคนนั้น"
PERSON_OTHER_OFFICE = "บุคลากรนี้ไม่ได้อยู่ในเขตพื้นที่ของคุณ"
PERSON_OTHER_SCHOOL = "บุคลากรนี้ไม่ได้สังกัดสถานศึกษาที่เลือก"
PERSON_TAKEN = "บุคลากรนี้มีบัญชีผู้ใช้แล้ว ({username}) หนึ่งคนมีได้บัญชีเดียว"
PERSON_TAKEN_NOW = "บุคลากรนี้เพิ่งได้บัญชีผู้ใช้จากการบันทึกอื่น หนึ่งคนมีได้บัญชีเดียว"
USERNAME_TAKEN = "ชื่อผู้ใช้นี้มีผู้ใช้แล้ว กรุณาเลือกชื่ออื่น"
UNKNOWN_ROLE = "กรุณาเลือกบทบาท"
OWN_ROLE = "คุณเปลี่ยนบทบาทของบัญชีตัวเองไม่ได้ (ป้องกันไม่ให้เขตพื้นที่ไม่มีผู้ดูแลระบบ) ให้ผู้ดูแลระบบคนอื่นเปลี่ยนให้"
OWN_ACTIVE = "คุณปิดใช้งานบัญชีของตัวเองไม่ได้ ให้ผู้ดูแลระบบคนอื่นปิดให้"
OWN_PASSWORD = "รีเซ็ตรหัสผ่านของบัญชีตัวเองไม่ได้ กรุณาใช้หน้า “เปลี่ยนรหัสผ่าน”"
OWN_TWO_FACTOR = (
    "ปิดการยืนยันตัวตนสองขั้นตอนของบัญชีตัวเองจากหน้านี้ไม่ได้ กรุณาใช้หน้า “การยืนยันตัวตนสองขั้นตอน” (ต้องใช้รหัสจากแอป)"
)
BUSY = "มีการแก้ไขบัญชีเดียวกันพร้อมกัน กรุณาลองใหม่อีกครั้ง"

# Generated passwords: 12 letters and digits that cannot be mistaken for each other when read
# from paper (no 0/o, 1/l/i), in groups of four: "k7mp-x3qr-9twz", about 59 random bits.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# A generated password is random, not a word a person might pick, so it needs far less key
# stretching than a chosen one: a tenth of PBKDF2's default iterations lets a whole school's
# accounts be made within one request. Django hashes it again at the full count at the first
# sign-in (ModelBackend upgrades outdated hashes), and the user must replace it anyway.
GENERATED_PASSWORD_ITERATIONS = 100_000
TEMPORARY_PASSWORD = "รหัสผ่านชั่วคราว (ต้องเปลี่ยนเมื่อเข้าสู่ระบบ)"
# Bulk accounts are named from the person's record id, never from the national ID (personal
# data) nor from names (romanising Thai names is ambiguous): "t" + id, e.g. t1024.
BULK_USERNAME_PREFIX = "t"


class AccountError(ValidationError):
    """An account change was refused; the message (or {field: message}) is for the admin."""


@dataclass(frozen=True)
class NewAccount:
    """An account made with a generated password, to be shown or handed over once."""

    user: User
    password: str


def generate_password() -> str:
    while True:
        raw = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(12))
        if any(c.isalpha() for c in raw) and any(c.isdigit() for c in raw):
            return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def _set_generated_password(user: User, password: str) -> None:
    hasher, iterations = get_hasher(), GENERATED_PASSWORD_ITERATIONS
    if isinstance(hasher, PBKDF2PasswordHasher) and hasher.iterations > iterations:
        user.password = hasher.encode(password, hasher.salt(), iterations)
    else:  # another hasher (argon2, the tests' fast one): as configured
        user.set_password(password)


def _account_facts(user: User) -> dict:
    """What the audit trail shows of an account, in Thai (never the password)."""
    return {
        "ชื่อ-นามสกุล": user.get_full_name(),
        "อีเมล": user.email,
        "บทบาท": user.role_label,
        "สถานศึกษา": user.school.name if user.school_id else "",
        "ข้อมูลบุคลากร": user.person.full_name if user.person_id else "",
        "สถานะบัญชี": "ใช้งาน" if user.is_active else "ปิดใช้งาน",
    }


def _record_account(user: User, *, acting_user, action: str, changes: dict) -> None:
    audit.record(
        actor=acting_user,
        action=action,
        object_type=USER_AUDIT_TYPE,
        object_id=str(user.pk),
        object_label=f"บัญชีผู้ใช้ {user.username}",
        office=user.office,
        changes=changes,
    )


def check_account(*, acting_user, user: User | None, role: str, school, person) -> None:
    """The rules every account of an office keeps, whoever writes it. Raises AccountError with
    {field: message}. `user` is the account being edited (None for a new one)."""
    office_id = acting_user.office_id
    errors: dict[str, str] = {}
    if role not in Role.values or role in ABOVE_OFFICE_ROLES:
        errors["role"] = UNKNOWN_ROLE
    if school is not None and school.office_id != office_id:
        errors["school"] = SCHOOL_OTHER_OFFICE
    elif school is None and role in SCHOOL_ROLES:
        errors["school"] = SCHOOL_REQUIRED
    if person is None:
        if role == Role.TEACHER:
            errors["person"] = PERSON_REQUIRED
    elif person.office_id != office_id:
        errors["person"] = PERSON_OTHER_OFFICE
    elif role in SCHOOL_ROLES and school is not None and person.school_id != school.pk:
        errors["person"] = PERSON_OTHER_SCHOOL
    else:
        holder = User.objects.filter(person=person).exclude(pk=getattr(user, "pk", None)).first()
        if holder is not None:
            errors["person"] = PERSON_TAKEN.format(username=holder.username)
    if errors:
        raise AccountError(errors)


def _integrity_error(*, username: str, person) -> AccountError:
    """Which unique rule a concurrent write broke: the username, or one user per person."""
    if User.objects.filter(username__iexact=username).exists():
        return AccountError({"username": USERNAME_TAKEN})
    return AccountError({"person": PERSON_TAKEN_NOW} if person is not None else BUSY)


def _require_same_office(acting_user, user: User) -> None:
    """access.py loads accounts scoped; this keeps any other caller of these writes honest."""
    if not acting_user.office_id or user.office_id != acting_user.office_id:
        raise PermissionDenied


def create_account(
    *,
    acting_user,
    username: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    school=None,
    person=None,
    password: str = "",
    must_change_password: bool = True,
) -> NewAccount:
    """A new account of the acting admin's office. Without `password` one is generated (and
    returned, to show once) and must be changed at the first sign-in. `password`, when given,
    has been through the password validators (accounts/forms.py)."""
    check_account(acting_user=acting_user, user=None, role=role, school=school, person=person)
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError({"username": USERNAME_TAKEN})
    user = User(
        username=username,
        first_name=first_name or (person.first_name if person else ""),
        last_name=last_name or (person.last_name if person else ""),
        email=email or (person.email if person else ""),
        role=role,
        office_id=acting_user.office_id,
        school=school if role in SCHOOL_ROLES else None,
        person=person,
    )
    generated = ""
    if password:
        user.set_password(password)
        user.must_change_password = must_change_password
    else:
        generated = generate_password()
        _set_generated_password(user, generated)
        user.must_change_password = True
    try:
        with transaction.atomic():
            user.save()
            changes = {k: ["", v] for k, v in _account_facts(user).items() if v}
            if user.must_change_password:
                changes["รหัสผ่าน"] = ["", TEMPORARY_PASSWORD]
            _record_account(user, acting_user=acting_user, action=AuditAction.CREATE,
                            changes=changes)  # fmt: skip
    except IntegrityError:
        raise _integrity_error(username=username, person=person) from None
    return NewAccount(user=user, password=generated)


def update_account(
    *,
    acting_user,
    user: User,
    role: str,
    first_name: str,
    last_name: str,
    email: str,
    school,
    person,
    is_active: bool,
) -> dict:
    """Change an account of the office. An admin cannot change their own role nor switch their
    own account off (the office could be left without an admin). Returns the audited changes
    ({} when nothing changed). `user` may already carry the new values (a bound ModelForm sets
    them): the rules and the audit compare against the row as stored."""
    _require_same_office(acting_user, user)
    check_account(acting_user=acting_user, user=user, role=role, school=school, person=person)
    try:
        with transaction.atomic():
            stored = User.objects.select_for_update().get(pk=user.pk)
            if stored.pk == acting_user.pk:
                errors = {}
                if role != stored.role:
                    errors["role"] = OWN_ROLE
                if not is_active:
                    errors["is_active"] = OWN_ACTIVE
                if errors:
                    raise AccountError(errors)
            before = _account_facts(stored)
            stored.role = role
            stored.first_name, stored.last_name, stored.email = first_name, last_name, email
            stored.school = school if role in SCHOOL_ROLES else None
            stored.person = person
            stored.is_active = is_active
            changes = audit.diff(before, _account_facts(stored))
            if changes:
                stored.save(update_fields=["role", "first_name", "last_name", "email", "school",
                                           "person", "is_active"])  # fmt: skip
                _record_account(stored, acting_user=acting_user, action=AuditAction.UPDATE,
                                changes=changes)  # fmt: skip
    except IntegrityError:  # the person got an account meanwhile
        raise AccountError({"person": PERSON_TAKEN_NOW}) from None
    return changes


def reset_password(*, acting_user, user: User) -> str:
    """Give the user a new generated password (returned, to show once) that must be changed
    at the next sign-in. Their open sessions end (Django ties a session to the password), and
    their failed sign-ins are forgiven so they can sign in with it at once."""
    _require_same_office(acting_user, user)
    if user.pk == acting_user.pk:
        raise AccountError(OWN_PASSWORD)
    password = generate_password()
    _set_generated_password(user, password)
    user.must_change_password = True
    with transaction.atomic():
        user.save(update_fields=["password", "must_change_password"])
        _record_account(user, acting_user=acting_user, action=AuditAction.UPDATE,
                        changes={"รหัสผ่าน": ["", f"รีเซ็ตเป็น{TEMPORARY_PASSWORD}"]})  # fmt: skip
    throttle.clear_failures(username=user.username, stage=LoginStage.PASSWORD)
    return password


REAUTH_NEEDED = "กรุณากรอกรหัสผ่านของคุณเพื่อยืนยันตัวตนก่อนเปลี่ยนการเข้าสู่ระบบของผู้ดูแลระบบอีกคน"
REAUTH_WRONG = "รหัสผ่านของคุณไม่ถูกต้อง จึงยังไม่ได้เปลี่ยนการเข้าสู่ระบบของบัญชีนี้"


def needs_reauthentication(user: User) -> bool:
    """Resetting the sign-in of another office admin hands over the whole office: the acting
    admin proves it is them (their own password) first, so an unattended session is not enough."""
    return user.role == Role.OFFICE_ADMIN


def confirm_acting_password(*, acting_user, user: User, password: str, ip_address) -> None:
    """Check the acting admin's own password when `user` needs it; throttled like sign-in."""
    if not needs_reauthentication(user) or user.pk == acting_user.pk:
        return  # one's own account is refused by the reset itself
    if not password:
        raise AccountError(REAUTH_NEEDED)
    attempt = throttle.begin(username=acting_user.username, ip_address=ip_address)
    if attempt.locked:
        raise AccountError(locked_message())
    if not acting_user.check_password(password):
        record_refused_password(user=acting_user, locked=False, where="ยืนยันตัวตนก่อนรีเซ็ตบัญชี")
        raise AccountError(REAUTH_WRONG)
    attempt.succeeded()


def record_refused_password(*, user: User, locked: bool, where: str = "หน้าเปลี่ยนรหัสผ่าน") -> None:
    """A wrong current password (or a try while locked) outside the sign-in page is audited:
    someone with the session is guessing the owner's password."""
    outcome = "ถูกระงับชั่วคราวเพราะผิดหลายครั้ง" if locked else "รหัสผ่านปัจจุบันไม่ถูกต้อง"
    _record_account(user, acting_user=user, action=AuditAction.DENIED,
                    changes={where: [None, outcome]})  # fmt: skip


def finish_password_change(*, user: User) -> None:
    """The user chose their own password: stop sending them to the password page."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])


def bulk_username(person: Person) -> str:
    return f"{BULK_USERNAME_PREFIX}{person.pk}"


def _free_username(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`… when it is taken (rare: asked one by one)."""
    name, n = wanted, 1
    while name.lower() in taken or (n > 1 and User.objects.filter(username__iexact=name).exists()):
        n += 1
        name = f"{wanted}-{n}"
    taken.add(name.lower())
    return name


def create_school_teacher_accounts(*, acting_user, school) -> list[NewAccount]:
    """A teacher account for every active person of `school` who has none, with generated
    passwords that must be changed at the first sign-in. Usernames: "t" + the person's record
    id (t1024; t1024-2 if that name is taken). Everyone gets the teacher role, the least
    access: the admin changes a director's role afterwards. All or nothing; each account is
    audited."""
    if school.office_id != acting_user.office_id:
        raise AccountError(SCHOOL_OTHER_OFFICE)
    people = list(queries.people_without_account(school).order_by("first_name", "last_name", "pk"))
    if not people:
        return []
    wanted = [bulk_username(p) for p in people]
    # Generated names are "t" + digits: any case of one is "t…" or "T…".
    taken = {
        name.lower()
        for name in User.objects.filter(
            username__in=[*wanted, *(w.upper() for w in wanted)]
        ).values_list("username", flat=True)
    }
    made = []
    for person, name in zip(people, wanted, strict=True):
        user = User(
            username=_free_username(name, taken), first_name=person.first_name,
            last_name=person.last_name, email=person.email, role=Role.TEACHER,
            office_id=acting_user.office_id, school=school, person=person,
            must_change_password=True,
        )  # fmt: skip
        password = generate_password()
        _set_generated_password(user, password)
        made.append(NewAccount(user=user, password=password))
    try:
        with transaction.atomic():
            for account in made:
                account.user.save()
                changes = {k: ["", v] for k, v in _account_facts(account.user).items() if v}
                changes["รหัสผ่าน"] = ["", TEMPORARY_PASSWORD]
                _record_account(account.user, acting_user=acting_user,
                                action=AuditAction.CREATE, changes=changes)  # fmt: skip
            audit.record(
                actor=acting_user, action=AuditAction.EXPORT, object_type=USER_AUDIT_TYPE,
                object_label=f"รายชื่อบัญชีครูและรหัสผ่านชั่วคราว {school.name} ({len(made)} บัญชี)",
                office=school.office,
            )  # fmt: skip
    except IntegrityError:  # someone made one of these accounts meanwhile
        raise AccountError(BUSY) from None
    return made
