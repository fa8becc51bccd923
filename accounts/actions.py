"""Writes of accounts: two-factor sign-in on and off, code checks, recovery codes.

Every check of a code is throttled like passwords (accounts/throttle.py, stage CODE). Wrong
codes are recorded outside any transaction, so a refused attempt always counts. Turning
two-factor sign-in on or off, new recovery codes and signing in with one are audited.
"""

import secrets
import time
from typing import NoReturn

import pyotp
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from registry import audit
from registry.models import AuditAction

from . import throttle
from .models import (
    RECOVERY_ALPHABET,
    RECOVERY_CODE_COUNT,
    RECOVERY_LENGTH,
    LoginStage,
    RecoveryCode,
    TOTPDevice,
    matching_step,
    recovery_code_hash,
)

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


def _ensure_not_locked(user, ip_address: str | None, stage: str = LoginStage.CODE) -> None:
    if throttle.is_locked(username=user.username, ip_address=ip_address, stage=stage):
        raise TwoFactorError(locked_message(), code="locked")


def _refuse(
    user, ip_address, message: str, *, stage=LoginStage.CODE, code="wrong_code"
) -> NoReturn:
    throttle.record_failure(username=user.username, ip_address=ip_address, stage=stage)
    raise TwoFactorError(message, code=code)


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
    _ensure_not_locked(user, ip_address)
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None:
        raise TwoFactorError(NOT_ENABLED)
    step = device.matching_step(code, at=clock())
    if step is None:
        _refuse(user, ip_address, WRONG_CODE)
    # One conditional UPDATE: of two requests carrying the same code, only one moves the
    # step on; the other (and any later replay of that code or an older one) is refused.
    moved = (
        TOTPDevice.objects.filter(pk=device.pk)
        .filter(Q(last_used_step__isnull=True) | Q(last_used_step__lt=step))
        .update(last_used_step=step)
    )
    if not moved:
        _refuse(user, ip_address, USED_CODE)
    throttle.clear_failures(username=user.username, stage=LoginStage.CODE)


def use_recovery_code(*, user, code: str, ip_address: str | None) -> int:
    """Sign-in with a recovery code instead of the app: the code is used up. `code` is
    normalised (no dashes, upper case). Returns how many codes are left."""
    _ensure_not_locked(user, ip_address)
    with transaction.atomic():
        used = RecoveryCode.objects.filter(
            user=user, code_hash=recovery_code_hash(user.pk, code), used_at__isnull=True
        ).update(used_at=timezone.now())
        if used:
            left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
            _record(user, acting_user=user, what="เข้าสู่ระบบด้วยรหัสสำรอง",
                    action=AuditAction.UPDATE, changes={CODES_LEFT: [left + 1, left]})  # fmt: skip
    if not used:
        _refuse(user, ip_address, WRONG_RECOVERY_CODE)
    throttle.clear_failures(username=user.username, stage=LoginStage.CODE)
    return left


# ---------------------------------------------------------------- turning it on and off


def enable_two_factor(*, acting_user, secret: str, code: str, ip_address: str | None) -> list[str]:
    """Turn two-factor sign-in on with the secret the user's app now holds, proven by a
    current code from it. Returns the new recovery codes, to be shown once."""
    _ensure_not_locked(acting_user, ip_address)
    if TOTPDevice.objects.filter(user=acting_user).exists():
        raise TwoFactorError(ALREADY_ENABLED)
    step = matching_step(secret, code, at=clock())
    if step is None:
        _refuse(acting_user, ip_address, WRONG_CODE)
    try:
        with transaction.atomic():
            # The confirming code's step counts as used: it cannot sign in afterwards.
            TOTPDevice.objects.create(user=acting_user, secret=secret, last_used_step=step)
            codes = _replace_recovery_codes(acting_user)
            _record(acting_user, acting_user=acting_user, what="เปิดใช้", action=AuditAction.CREATE)
    except IntegrityError:  # enabled meanwhile by another request of the same user
        raise TwoFactorError(ALREADY_ENABLED) from None
    throttle.clear_failures(username=acting_user.username, stage=LoginStage.CODE)
    return codes


def disable_two_factor(*, acting_user, password: str, code: str, ip_address: str | None) -> None:
    """Turn two-factor sign-in off: needs the current password and a current code, so a
    session left open on a shared computer is not enough."""
    _ensure_not_locked(acting_user, ip_address, stage=LoginStage.PASSWORD)
    if not acting_user.check_password(password):
        _refuse(acting_user, ip_address, WRONG_PASSWORD, stage=LoginStage.PASSWORD,
                code="wrong_password")  # fmt: skip
    verify_totp_code(user=acting_user, code=code, ip_address=ip_address)
    with transaction.atomic():
        _delete_two_factor(acting_user)
        _record(acting_user, acting_user=acting_user, what="ปิดใช้", action=AuditAction.DELETE)


def reset_two_factor(*, user, acting_user=None) -> bool:
    """Turn a user's two-factor sign-in off for them (phone and recovery codes both lost),
    from `manage.py reset_two_factor`. Returns False when it was not on."""
    with transaction.atomic():
        if not TOTPDevice.objects.filter(user=user).exists():
            return False
        _delete_two_factor(user)
        _record(user, acting_user=acting_user, what="ผู้ดูแลระบบปิดให้",
                action=AuditAction.DELETE)  # fmt: skip
    throttle.clear_failures(username=user.username, stage=LoginStage.CODE)
    return True


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
