"""Who may use two-factor sign-in, the sign-in waiting for its second step, and which accounts
an office admin may open.

Between a correct password and a correct code the user is not logged in: the session holds
only who is waiting (`PENDING_KEY`), for a few minutes.
"""

import time

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.crypto import constant_time_compare

from . import queries
from .roles import MANAGE_ACCOUNTS, MANAGE_DEBT, Role, can

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
        # Changes with the password: a reset (or change) meanwhile ends this half sign-in, as
        # it ends the user's sessions.
        "password": user.get_session_auth_hash(),
    }


def pending_login(request) -> tuple[object, dict] | None:
    """(user, pending data) of the sign-in waiting for its code, or None when there is none,
    it has expired, the password changed since, or the user can no longer sign in."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or pending.get("expires", 0) < time.time():
        clear_pending_login(request)
        return None
    user = get_user_model().objects.filter(pk=pending.get("user_id"), is_active=True).first()
    if user is None or not constant_time_compare(
        pending.get("password", ""), user.get_session_auth_hash()
    ):
        clear_pending_login(request)
        return None
    return user, pending


def clear_pending_login(request) -> None:
    request.session.pop(PENDING_KEY, None)


# ---------------------------------------------------------------- the office's accounts


def require_manage_accounts(user) -> None:
    if not can(user, MANAGE_ACCOUNTS):
        raise PermissionDenied


def account_for_edit(user, pk: int):
    """An account of the admin's own office (404 for any other). Django staff and superusers
    are managed in Django's admin only: an office admin resetting their password would take
    over more than the office."""
    require_manage_accounts(user)
    account = get_object_or_404(
        queries.users_managed_by(user).select_related("school", "person", "office"), pk=pk
    )
    if account.is_staff or account.is_superuser:
        raise PermissionDenied
    return account
