"""The audit trail: one function writes it, so every write records the same way.
Its `changes` have one shape, checked here when written (krupd/lib/audit_changes.py)."""

from django.db import models

from krupd.lib.audit_changes import readable_value, validate_changes

from .models import AuditAction, AuditEntry


def _plain(value):
    """JSON-safe form of a field value (dates, decimals and model rows become text)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields that changed."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def record(
    *,
    actor,
    action: str,
    instance: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    office=None,
    changes: dict | None = None,
) -> AuditEntry:
    if instance is not None:
        object_type = object_type or instance._meta.model_name
        object_id = object_id or str(instance.pk)
        object_label = object_label or str(instance)[:200]
        office = office or getattr(instance, "office", None)
    return AuditEntry.objects.create(
        office=office,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "ระบบ",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        changes=validate_changes(changes),
    )


__all__ = ["AuditAction", "record", "snapshot", "diff", "validate_changes", "readable_value"]
