"""The users each app's demo acts as, found by their role in the office being built, never by
a fixed username: every office's demo (the first, a second, a province's) builds the same."""

from accounts.models import User
from accounts.roles import Role


def office_user(office, role: str) -> User | None:
    """The office's first active user of `role` (a director with a school, a teacher with a
    person record: what the demos need them for), or None."""
    users = User.objects.filter(office=office, role=role, is_active=True).order_by("pk")
    if role == Role.SCHOOL_DIRECTOR:
        users = users.filter(school__isnull=False)
    if role == Role.TEACHER:
        users = users.filter(person__isnull=False)
    return users.select_related("school", "person").first()


def office_users(office, roles) -> list[User]:
    """The first user of each of `roles` the office has, in that order."""
    found = (office_user(office, role) for role in roles)
    return [user for user in found if user is not None]
