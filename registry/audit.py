"""The audit trail: one function writes it, so every write records the same way.
Its `changes` have one shape, checked here when written (krupd/lib/audit_changes.py)."""

import json

from django.db import models

from krupd.lib.audit_changes import readable_value, validate_changes
from krupd.lib.clipping import clip

from .models import AuditAction, AuditEntry

LABEL_LENGTH = AuditEntry._meta.get_field("object_label").max_length
_AS_IS = frozenset({type(None), bool, int, str})  # what `_plain` gives back unchanged


def _plain(value):
    """JSON-safe form of a field value (dates, decimals and model rows become text)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    return values_snapshot({name: getattr(instance, name) for name in fields}, fields)


def values_snapshot(values: dict, fields: list[str]) -> dict:
    """What `snapshot` records, from {field name: value} (related rows as themselves): for
    writers that hold plain values rather than a model instance, such as the import."""
    plain = _AS_IS
    # Text, numbers and nothing as they are without a call each: an import snapshots every row.
    return {
        name: value if (value := values[name]).__class__ in plain else _plain(value)
        for name in fields
    }


class JsonText(str):
    """A JSON column's value already written as text, exactly as `json.dumps` writes it (the
    import's bulk insert stores it as it stands): for entries written by the hundred thousand,
    whose text is put together from pieces made once (registry.actions.PersonCreatedJson)."""


# How `json.dumps` writes a str (its default, ensure_ascii, escapes every non-ASCII
# character), without its checks of the other types.
json_string = json.encoder.encode_basestring_ascii


def diff(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields that changed."""
    if not before:  # a creation: every field with a value (an import makes 100,000 at once)
        return {name: [None, after[name]] for name in sorted(after) if after[name] is not None}
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def entry(
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
    """The entry `record` writes, unsaved: many of them go in with one bulk_create."""
    if instance is not None:
        object_type = object_type or instance._meta.model_name
        object_id = object_id or str(instance.pk)
        object_label = object_label or str(instance)
        office = office or getattr(instance, "office", None)
    return AuditEntry(
        office=office,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "ระบบ",
        action=action,
        object_type=object_type,
        object_id=object_id,
        # Labels are put together from names and file names the users typed ("นำเข้า… จากไฟล์
        # <a 255-character name>", a person's 251-character full name): clipped here, once, to
        # whole Thai characters, so a long name never fails the write it records (PostgreSQL
        # refuses text past the column; SQLite would store it).
        object_label=clip(object_label, LABEL_LENGTH),
        changes=validate_changes(changes),
    )


def record(**kwargs) -> AuditEntry:
    """Write one audit entry (the arguments of `entry`)."""
    written = entry(**kwargs)
    written.save()
    return written


def record_many(entries: list[AuditEntry]) -> None:
    AuditEntry.objects.bulk_create(entries)


__all__ = [
    "AuditAction",
    "entry",
    "record",
    "record_many",
    "snapshot",
    "diff",
    "validate_changes",
    "readable_value",
]
