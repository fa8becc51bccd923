"""Certificates already under review when the suspension list and the flag date arrived: their
credentials' suspension bits are set (an outside verifier reading only the lists saw them as
valid), and the day each was flagged is taken from the audit log, where the actions recorded
needs_review turning true; a certificate with no such entry keeps no date rather than a
made-up one."""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone


def suspend_under_review(apps, schema_editor):
    Certificate = apps.get_model("training", "Certificate")
    Credential = apps.get_model("credentials", "Credential")
    AuditEntry = apps.get_model("registry", "AuditEntry")
    # training.models.CERTIFICATE_UNDER_REVIEW, as it stands at this migration.
    under_review = Q(needs_review=True) | (
        Q(enrolment__isnull=False)
        & ~Q(enrolment__passed=True, enrolment__status="enrolled")
        & ~Q(review_reason__startswith="คงไว้: ")
    )
    flagged = list(Certificate.objects.filter(under_review, status="valid"))
    if not flagged:
        return
    by_id = {str(c.pk): c for c in flagged if c.needs_review}
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
    Credential.objects.filter(
        code__in=[c.code for c in flagged], revoked_at__isnull=True, suspended_at__isnull=True
    ).update(suspended_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0018_certificate_review_flagged_at"),
        ("credentials", "0002_credential_suspended_at"),
        ("registry", "0016_person_employment_temporary"),
    ]

    operations = [migrations.RunPython(suspend_under_review, migrations.RunPython.noop)]
