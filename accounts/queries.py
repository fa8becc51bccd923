"""Reads about users' sign-in settings, and the office admin's lists of accounts."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from krupd.lib.numerals import clean_text
from registry.labels import school_filter_labels
from registry.models import Person, PersonStatus, School
from registry.queries import as_id, offered_today

from .models import RecoveryCode, TOTPDevice, User
from .roles import CAPABILITIES, MANAGE_ACCOUNTS, can


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


# ---------------------------------------------------------------- the office's accounts


@dataclass(frozen=True)
class UserFilter:
    q: str = ""
    role: str = ""
    school: str = ""  # a school id, "office" (no school), or "" (all)
    active: str = ""  # "yes", "no" or ""
    two_factor: str = ""  # "on", "off" or ""


def users_managed_by(user) -> QuerySet[User]:
    """Accounts an office admin manages: their own office's, and nobody else's."""
    if not can(user, MANAGE_ACCOUNTS) or not user.office_id:
        return User.objects.none()
    return User.objects.filter(office_id=user.office_id)


def accounts_matching(users: QuerySet[User], q: str) -> QuerySet[User]:
    """Accounts whose username, name, email or person's name holds every word of `q`."""
    for word in clean_text(q).split():
        users = users.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
        )
    return users


def user_list(user, f: UserFilter) -> QuerySet[User]:
    """The accounts page's rows with everything a row shows, in a fixed number of queries."""
    users = (
        users_managed_by(user)
        .select_related("school", "person")
        .annotate(two_factor_on=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"))))
    )
    users = accounts_matching(users, f.q)
    if f.role:
        users = users.filter(role=f.role)
    if f.school == "office":
        users = users.filter(school__isnull=True)
    elif f.school:
        users = users.filter(school_id=as_id(f.school))
    if f.active in ("yes", "no"):
        users = users.filter(is_active=f.active == "yes")
    if f.two_factor in ("on", "off"):
        users = users.filter(two_factor_on=f.two_factor == "on")
    return users.order_by("username")


def schools_for_accounts(user) -> QuerySet[School]:
    """Schools of the admin's office: what the accounts list filters by (an account at a
    closed school is still found) and what an account form reads a chosen school among."""
    return (
        School.objects.filter(office_id=user.office_id)
        .only("id", "name", "closed_on")
        .order_by("name")
    )


def school_filter_for_accounts(user) -> list[tuple[int, str]]:
    """(id, label) of the accounts list's school filter: the office's schools by name,
    labelled as every school filter labels them (registry.labels.school_filter_labels): an
    account at a closed school is still found by it, and the school says it is closed."""
    rows = schools_for_accounts(user).values_list("id", "name", "obec_code", "closed_on")
    return list(school_filter_labels(rows, timezone.localdate()).items())


def schools_offered_for_accounts(user, *, keep: int | None = None) -> QuerySet[School]:
    """The schools an account form offers (offered_today): its office's open today, and
    `keep`, the school the account being edited already has."""
    return schools_for_accounts(user).filter(offered_today(keep))


def people_for_account(
    user, *, school: School | None, keep: Person | None = None
) -> QuerySet[Person]:
    """People an account may be linked to: active people of `school` (of the office's own
    staff when None) who have no account yet, and `keep` (the account's current person)."""
    free = Q(office_id=user.office_id, status=PersonStatus.ACTIVE, user__isnull=True)
    free &= Q(school=school) if school is not None else Q(school=None)
    return Person.objects.filter(free | Q(pk=keep.pk) if keep is not None else free)


def people_without_account(school: School) -> QuerySet[Person]:
    """Who "create the school's teacher accounts" would give an account to."""
    return Person.objects.filter(
        school=school, office_id=school.office_id, status=PersonStatus.ACTIVE, user__isnull=True
    )


def office_users_who_can(office_id, capability: str) -> QuerySet[User]:
    """The office's active users whose role holds `capability` (who may be assigned work of
    that kind, and who is told of it)."""
    roles = [r for r, caps in CAPABILITIES.items() if capability in caps]
    return User.objects.filter(office_id=office_id, role__in=roles, is_active=True)
