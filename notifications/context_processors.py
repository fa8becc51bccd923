from django.utils.functional import cached_property

from . import queries


class _Inbox:
    """Counted only if the page shows the bell, and at most once per page."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def unread(self) -> int:
        return queries.unread_count(self.user)

    @cached_property
    def latest(self) -> list:
        """The newest unread ones, for the home page panel."""
        return queries.latest(self.user) if self.unread else []


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox": _Inbox(user)}
