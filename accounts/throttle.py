"""Failed-login throttling: too many failures for a username or an address locks it for a while.

Kept in the database so it holds across several app servers.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .models import LoginFailure


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def is_locked(*, username: str, ip_address: str | None) -> bool:
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    limit = settings.LOGIN_FAILURE_LIMIT
    if recent.filter(username=username.lower()).count() >= limit:
        return True
    # An address gets more slack: a school's staff share one public address.
    return bool(ip_address) and recent.filter(ip_address=ip_address).count() >= limit * 4


def record_failure(*, username: str, ip_address: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip_address=ip_address)
    LoginFailure.objects.filter(at__lt=_window_start()).delete()


def clear_failures(*, username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()
