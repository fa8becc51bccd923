"""A new row that says exactly what a saved one says is the same form sent twice (a double
click, a reload, Back and save): the one test every app's actions use to refuse it."""

from django.db import models

# What the second sending is told.
REPEATED_ROW = "รายการนี้บันทึกไว้แล้ว (ข้อมูลเหมือนกันทุกช่อง) จึงไม่บันทึกซ้ำ"


def _stamped(field) -> bool:
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def saved_already(row: models.Model, *, parent: models.Model, ignore: tuple[str, ...] = ()) -> bool:
    """Whether a new `row` says exactly what a saved one says (every field but its id, files,
    timestamps and the fields named in `ignore`: those the action fills in after saving). The
    `parent`'s row is taken first, so two sendings at the same moment take turns and the
    second sees the first. A row already saved is never a repeat."""
    if row.pk is not None:
        return False
    # FOR NO KEY UPDATE: rows referring to the parent (enrolments, audit entries) do not wait.
    list(type(parent).objects.select_for_update(no_key=True).filter(pk=parent.pk).values("pk"))
    said = {
        f.attname: getattr(row, f.attname)
        for f in row._meta.concrete_fields
        if not (f.primary_key or isinstance(f, models.FileField) or _stamped(f))
        and f.name not in ignore
    }
    return type(row).objects.filter(**said).exists()
