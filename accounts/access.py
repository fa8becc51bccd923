"""Who may use two-factor sign-in, and the sign-in waiting for its second step.

Between a correct password and a correct code the user is not logged in: the session holds
only who is waiting (`PENDING_KEY`), for a few minutes.
"""

import time

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from . import queries
from .roles import MANAGE_DEBT, Role, can

PENDING_KEY = "accounts_2fa_pending"
PENDING_SECONDS = 5 * 60


def may_use_two_factor(user) -> bool:
    """Office admins and debt officers see the most sensitive personal data, so they are
    offered two-factor sign-in. Roles a deployment forces (KRUPD_REQUIRE_2FA_ROLES) must be
    able to set it up; and whoever has it on keeps access, to turn it off after a role change.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.role == Role.OFFICE_ADMIN
        or can(user, MANAGE_DEBT)
        or queries.role_requires_two_factor(user)
        or queries.has_two_factor(user)
    )


def require_two_factor_allowed(user) -> None:
    if not may_use_two_factor(user):
        raise PermissionDenied


def must_set_up_two_factor(user) -> bool:
    """The user's role is forced to use two-factor sign-in and they have not turned it on."""
    return queries.role_requires_two_factor(user) and not queries.has_two_factor(user)


# ---------------------------------------------------------------- the sign-in in between


def start_pending_login(request, *, user, next_url: str) -> None:
    """Password accepted; remember who waits for the second step (not logged in yet)."""
    request.session.cycle_key()  # a fresh session id for what follows the password
    request.session[PENDING_KEY] = {
        "user_id": user.pk,
        "backend": getattr(user, "backend", ""),
        "next": next_url,
        "expires": time.time() + PENDING_SECONDS,
    }


def pending_login(request) -> tuple[object, dict] | None:
    """(user, pending data) of the sign-in waiting for its code, or None when there is none,
    it has expired, or the user can no longer sign in."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or pending.get("expires", 0) < time.time():
        clear_pending_login(request)
        return None
    user = get_user_model().objects.filter(pk=pending.get("user_id"), is_active=True).first()
    if user is None:
        clear_pending_login(request)
        return None
    return user, pending


def clear_pending_login(request) -> None:
    request.session.pop(PENDING_KEY, None)
