"""Loading one notification or delivery from a request: only the user's own notification,
only a delivery of the admin's office; anything else is a 404."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.roles import EDIT_SETTINGS, can

from .models import Delivery, Notification


def own_notification(user, pk: int) -> Notification:
    return get_object_or_404(Notification, pk=pk, recipient=user)


def require_office_admin(user) -> None:
    if not can(user, EDIT_SETTINGS) or not user.office_id:
        raise PermissionDenied


def office_delivery(user, pk: int) -> Delivery:
    require_office_admin(user)
    return get_object_or_404(Delivery, pk=pk, notification__recipient__office_id=user.office_id)
