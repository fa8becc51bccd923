"""Every write to the staffing rules: atomic, by an acting user, audited.

Shared default rule sets (office = None) are never edited in place: an office copies one to
a version of its own and edits that, so results computed with a version stay explainable.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from registry import audit
from registry.models import AuditAction, Office

from .models import AreaWeight, RuleRow, RuleSet

RULE_SET_FIELDS = [
    "name", "version", "source", "effective_date", "to_verify", "count_contract_staff",
    "contract_staff_to_verify", "notes",
]  # fmt: skip
ROW_FIELDS = [
    "level", "basis", "band_min", "band_max", "administrators", "deputies", "teachers",
    "teachers_per_room", "students_per_teacher", "to_verify", "note",
]  # fmt: skip


def _rows_snapshot(rule_set: RuleSet) -> dict:
    return {
        f"row {r.pk}": audit.snapshot(r, ROW_FIELDS) for r in rule_set.rows.all().order_by("pk")
    }


def _weights_snapshot(rule_set: RuleSet) -> dict:
    return {
        f"weight {w.level}/{w.learning_area.code}": str(w.weight)
        for w in rule_set.area_weights.select_related("learning_area")
    }


def _record(acting_user, action, rule_set, changes, office) -> None:
    audit.record(
        actor=acting_user,
        action=action,
        object_type="staffing_ruleset",
        object_id=str(rule_set.pk),
        object_label=str(rule_set),
        office=office,
        changes=changes,
    )


class VersionTaken(ValidationError):
    """The office already has a rule set of that version: `rule_set` is it."""

    def __init__(self, rule_set: RuleSet):
        super().__init__(f"ชื่อฉบับใหม่: เขตนี้มีเกณฑ์ฉบับ “{rule_set.version}” แล้ว")
        self.rule_set = rule_set


@transaction.atomic
def copy_rule_set(
    *,
    acting_user,
    source: RuleSet,
    office: Office,
    version: str,
    effective_date: dt.date | None = None,
) -> RuleSet:
    """A new version of the office's own, with the source's rows and area weights.

    The version is taken once: of two requests racing for it (a double click on "copy"),
    the second is told which version exists, not shown a server error."""
    taken = RuleSet.objects.filter(office=office, version=version).first()
    if taken is not None:
        raise VersionTaken(taken)
    try:
        with transaction.atomic():
            copy = RuleSet.objects.create(
                office=office,
                name=source.name,
                version=version,
                source=source.source,
                effective_date=effective_date or source.effective_date,
                to_verify=source.to_verify,
                count_contract_staff=source.count_contract_staff,
                contract_staff_to_verify=source.contract_staff_to_verify,
                notes=f"คัดลอกจาก {source} {source.notes}".strip(),
            )
    except IntegrityError:
        raise VersionTaken(RuleSet.objects.get(office=office, version=version)) from None
    RuleRow.objects.bulk_create(
        RuleRow(rule_set=copy, **{f: getattr(r, f) for f in ROW_FIELDS})
        for r in source.rows.all().order_by("pk")
    )
    AreaWeight.objects.bulk_create(
        AreaWeight(rule_set=copy, level=w.level, learning_area_id=w.learning_area_id,
                   weight=w.weight)
        for w in source.area_weights.all()
    )  # fmt: skip
    _record(acting_user, AuditAction.CREATE, copy, {"copied_from": [None, str(source)]}, office)
    return copy


@transaction.atomic
def save_rule_set(*, acting_user, rule_set: RuleSet, rows_formset=None) -> RuleSet:
    """Save the header and (optionally) a formset of rows; audit what changed."""
    stored = RuleSet.objects.get(pk=rule_set.pk)
    before = audit.snapshot(stored, RULE_SET_FIELDS) | _rows_snapshot(stored)
    rule_set.save()
    if rows_formset is not None:
        rows_formset.instance = rule_set
        rows_formset.save()
    after = audit.snapshot(rule_set, RULE_SET_FIELDS) | _rows_snapshot(rule_set)
    changes = audit.diff(before, after)
    if changes:
        _record(acting_user, AuditAction.UPDATE, rule_set, changes, rule_set.office)
    return rule_set


@transaction.atomic
def set_area_weights(*, acting_user, rule_set: RuleSet, weights: dict) -> RuleSet:
    """Replace the area weights: {(level, learning_area_id): weight}; zero or empty removes."""
    before = _weights_snapshot(rule_set)
    rule_set.area_weights.all().delete()
    AreaWeight.objects.bulk_create(
        AreaWeight(rule_set=rule_set, level=level, learning_area_id=area_id, weight=w)
        for (level, area_id), w in weights.items()
        if w
    )
    changes = audit.diff(before, _weights_snapshot(rule_set))
    if changes:
        _record(acting_user, AuditAction.UPDATE, rule_set, changes, rule_set.office)
    return rule_set


@transaction.atomic
def delete_rule_set(*, acting_user, rule_set: RuleSet) -> None:
    _record(
        acting_user,
        AuditAction.DELETE,
        rule_set,
        {"rule_set": [str(rule_set), None]},
        rule_set.office,
    )
    rule_set.delete()
