"""Reads of the notifications app, always the user's own rows (the admin's pages: their
office's)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from krupd.lib import compiled_queries

from .kinds import Kind, grouped
from .models import (
    Delivery,
    DeliveryStatus,
    LineChannel,
    Notification,
    OfficeDefault,
    Preference,
    Recipient,
)


def unread_count(user) -> int:
    """The bell's number: one COUNT over the (recipient, read_at) index. Every signed-in page
    shows the bell, so its SQL is compiled once and only the user's id varies; grouped by the
    recipient, a user with nothing unread gets no row."""
    rows = compiled_queries.rows_for(
        "notifications.unread_count",
        lambda user_id: (
            Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)
            .values("recipient_id")
            .annotate(n=Count("pk"))
            .values_list("n")
        ),
        user.pk,
        using=compiled_queries.reading(Notification),
    )
    return rows[0][0] if rows else 0


def inbox(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    rows = Notification.objects.filter(recipient=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def latest(user, limit: int = 5) -> list[Notification]:
    return list(inbox(user, unread_only=True)[:limit])


def _choice_rows(saved: dict, fallback: dict | None = None) -> list[tuple[str, list[dict]]]:
    rows = []
    for group, kinds in grouped():
        items = []
        for kind in kinds:
            choice = saved.get(kind) or (fallback or {}).get(kind)
            items.append(
                {
                    "kind": kind.value,
                    "label": kind.label,
                    "email": bool(choice and choice.email),
                    "line": bool(choice and choice.line),
                    "from_office": kind not in saved and choice is not None,
                }
            )
        rows.append((group, items))
    return rows


def preference_rows(user) -> list[tuple[str, list[dict]]]:
    """Per kind: what the user gets by email and LINE (their choice, else the office's)."""
    own = {p.kind: p for p in Preference.objects.filter(user=user)}
    office = {d.kind: d for d in OfficeDefault.objects.filter(office_id=user.office_id)}
    return _choice_rows(own, office)


def office_default_rows(office) -> list[tuple[str, list[dict]]]:
    return _choice_rows({d.kind: d for d in OfficeDefault.objects.filter(office=office)})


def recipient_profile(user) -> Recipient:
    return Recipient.objects.filter(user=user).first() or Recipient(user=user)


def line_channel(office) -> LineChannel | None:
    if office is None:
        return None
    return LineChannel.objects.filter(office=office).first()


def office_deliveries(office, *, status: str = "") -> QuerySet[Delivery]:
    rows = Delivery.objects.filter(notification__recipient__office=office)
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("notification__recipient").order_by(
        "-notification__created_at", "-id"
    )


def delivery_counts(office) -> dict[str, int]:
    counts = dict(
        Delivery.objects.filter(notification__recipient__office=office)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {s: counts.get(s, 0) for s in DeliveryStatus.values}


def kinds() -> list[Kind]:
    return list(Kind)
