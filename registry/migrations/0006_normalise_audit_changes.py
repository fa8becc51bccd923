"""Older audit entries wrote `changes` in other shapes (an export's {"filters": {...}}, an
import's {"ไฟล์": name, ...}); rewrite them in the one shape so every entry reads the same."""

from django.db import migrations

from krupd.lib.audit_changes import changes_problem, normalised_changes


def normalise(apps, schema_editor):
    AuditEntry = apps.get_model("registry", "AuditEntry")
    fixed = []
    for entry in AuditEntry.objects.only("pk", "changes").iterator(chunk_size=2000):
        if changes_problem(entry.changes or {}):
            entry.changes = normalised_changes(entry.changes)
            fixed.append(entry)
        if len(fixed) >= 500:
            AuditEntry.objects.bulk_update(fixed, ["changes"])
            fixed = []
    AuditEntry.objects.bulk_update(fixed, ["changes"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_officerules_import_retention_days")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
