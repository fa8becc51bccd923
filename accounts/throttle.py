"""Failed sign-in throttling, kept in the database so it holds across several app servers.

Every check of a secret (a password at sign-in or on the password page, a second-step code)
starts with `begin()`, which records the attempt and counts in one transaction, taking turns
per account (`_serialise`): of any number of concurrent attempts, exactly the limit get
checked, whichever worker or server runs them. A correct
secret forgives the account's failures (`Attempt.succeeded`); a wrong one leaves the row as a
recorded failure; an attempt refused as locked takes its row back, so waiting ends a lock.

Two counts, with the same window:
* per account (the normalised username): `LOGIN_FAILURE_LIMIT` failures lock that account;
* per client address: past `LOGIN_FAILURE_ADDRESS_LIMIT` failures the address is guessing,
  and it may no longer try accounts that already have a failure in the window. An account
  nobody has guessed at still signs in with its right password from that address: a school
  behind one NAT address, or every user behind a misconfigured proxy, is never locked out by
  someone else's guessing.

Wrong passwords and wrong second-step codes are counted apart (`stage`).
"""

import datetime as dt
import hashlib
import ipaddress
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone

from .models import LoginFailure, LoginStage


def normalise_username(username: str) -> str:
    """The key an account is throttled under: what Django's sign-in form and backend would
    match (stripped, NFKC like `UsernameField` and `AbstractBaseUser.normalize_username`), and
    case-folded, so "supervisor ", "ｓｕｐｅｒｖｉｓｏｒ" and "Supervisor" share one count."""
    text = AbstractBaseUser.normalize_username(str(username or "").strip())
    return unicodedata.normalize("NFKC", text.casefold()).strip()[:150]


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in settings.KRUPD_TRUSTED_PROXY_NETWORKS)


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The address of the client. X-Forwarded-For is read only when the request comes from a
    proxy listed in KRUPD_TRUSTED_PROXIES, and then from the right: the first address that is
    not one of those proxies (anything further left may have been written by the client)."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None or not _trusted(remote):
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        ip = _valid_ip(hop)
        if ip is None:
            return remote  # a forged or broken header: the proxy is all we know
        if not _trusted(ip):
            return ip
    return remote


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def lock_minutes() -> int:
    """How long a lock lasts at most, for messages."""
    return max(1, -(-settings.LOGIN_FAILURE_WINDOW_SECONDS // 60))


@dataclass
class Attempt:
    username: str
    stage: str
    row_id: int
    locked: bool

    def succeeded(self) -> None:
        """The secret was right: the account's failures of this stage are forgiven."""
        clear_failures(username=self.username, stage=self.stage)

    def withdraw(self) -> None:
        """Nothing was guessed (refused before any secret was checked): not a failure."""
        LoginFailure.objects.filter(pk=self.row_id).delete()


def begin(*, username: str, ip_address: str | None, stage: str = LoginStage.PASSWORD) -> Attempt:
    """Record an attempt, then decide whether it may be checked at all (`locked`). The row
    stays as a failure unless the caller reports success or withdraws it."""
    key = normalise_username(username)
    with transaction.atomic():
        _serialise(key, stage)
        row = LoginFailure.objects.create(username=key, ip_address=ip_address, stage=stage)
        recent = LoginFailure.objects.filter(at__gte=_window_start(), stage=stage)
        for_account = recent.filter(username=key).count()  # this attempt included
        locked = for_account > settings.LOGIN_FAILURE_LIMIT
        if not locked and ip_address and for_account > 1:
            from_address = recent.filter(ip_address=ip_address).count()
            locked = from_address > settings.LOGIN_FAILURE_ADDRESS_LIMIT
        attempt = Attempt(username=key, stage=stage, row_id=row.pk, locked=locked)
        if locked:
            attempt.withdraw()
    if not locked:
        LoginFailure.objects.filter(at__lt=_window_start()).delete()
    return attempt


def _serialise(key: str, stage: str) -> None:
    """Attempts on one account take turns until their transaction ends, so each counts
    exactly the ones before it. PostgreSQL: a transaction-scoped advisory lock on the account;
    SQLite already lets one writer at a time through (the insert takes the write lock)."""
    if connection.vendor != "postgresql":
        return
    digest = hashlib.blake2b(f"{stage}:{key}".encode(), digest_size=8).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest, "big", signed=True)]
        )


def clear_failures(*, username: str, stage: str = LoginStage.PASSWORD) -> None:
    LoginFailure.objects.filter(username=normalise_username(username), stage=stage).delete()
