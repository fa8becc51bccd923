"""Reads about users' sign-in settings."""

from django.conf import settings

from .models import RecoveryCode, TOTPDevice


def totp_device_for(user) -> TOTPDevice | None:
    """The user's authenticator app, or None while two-factor sign-in is off."""
    if not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user=user).first()


def has_two_factor(user) -> bool:
    return bool(getattr(user, "pk", None)) and TOTPDevice.objects.filter(user=user).exists()


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def role_requires_two_factor(user) -> bool:
    """The deployment forces two-factor sign-in on this user's role (KRUPD_REQUIRE_2FA_ROLES)."""
    return user.is_authenticated and user.role in settings.KRUPD_REQUIRE_2FA_ROLES
