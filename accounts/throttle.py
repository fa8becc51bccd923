"""Failed sign-in throttling: too many failures for a username or an address locks it for a
while. Wrong passwords and wrong second-step codes are counted apart (`stage`), each with
the same limit and window.

Kept in the database so it holds across several app servers.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .models import LoginFailure, LoginStage


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def lock_minutes() -> int:
    """How long a lock lasts at most, for messages."""
    return max(1, -(-settings.LOGIN_FAILURE_WINDOW_SECONDS // 60))


def is_locked(*, username: str, ip_address: str | None, stage: str = LoginStage.PASSWORD) -> bool:
    recent = LoginFailure.objects.filter(at__gte=_window_start(), stage=stage)
    limit = settings.LOGIN_FAILURE_LIMIT
    if recent.filter(username=username.lower()).count() >= limit:
        return True
    # An address gets more slack: a school's staff share one public address.
    return bool(ip_address) and recent.filter(ip_address=ip_address).count() >= limit * 4


def record_failure(
    *, username: str, ip_address: str | None, stage: str = LoginStage.PASSWORD
) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip_address=ip_address,
                                stage=stage)  # fmt: skip
    LoginFailure.objects.filter(at__lt=_window_start()).delete()


def clear_failures(*, username: str, stage: str = LoginStage.PASSWORD) -> None:
    LoginFailure.objects.filter(username=username.lower(), stage=stage).delete()
