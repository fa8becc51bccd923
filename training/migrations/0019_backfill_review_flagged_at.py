"""Certificates already under review when the flag date arrived: the day each was flagged is
taken from the audit log, where the actions recorded needs_review turning true (the latest
such entry); a certificate with no such entry keeps no date rather than a made-up one."""

from django.db import migrations


def backfill_review_flagged_at(apps, schema_editor):
    Certificate = apps.get_model("training", "Certificate")
    AuditEntry = apps.get_model("registry", "AuditEntry")
    by_id = {
        str(c.pk): c
        for c in Certificate.objects.filter(
            needs_review=True, status="valid", review_flagged_at__isnull=True
        )
    }
    if not by_id:
        return
    entries = AuditEntry.objects.filter(
        object_type="certificate", object_id__in=list(by_id)
    ).order_by("at", "id")
    for entry in entries.iterator():
        change = (entry.changes or {}).get("needs_review")
        if isinstance(change, list) and len(change) == 2 and change[1] is True:
            by_id[entry.object_id].review_flagged_at = entry.at  # the latest one wins
    Certificate.objects.bulk_update(
        [c for c in by_id.values() if c.review_flagged_at], ["review_flagged_at"]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0018_certificate_review_flagged_at"),
        ("registry", "0016_person_employment_temporary"),
    ]

    operations = [migrations.RunPython(backfill_review_flagged_at, migrations.RunPython.noop)]
