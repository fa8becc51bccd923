"""Development hours are now counted in the person's own office, wherever the course ran (as
the "% developed" page counts them): the stored counts of every office were made the other
way. The offices are marked not built, so their pages count from the records until the next
`rebuild_developed_hours` (nightly) builds them again; no stale figure is shown meanwhile."""

from django.db import migrations


def forget_built_offices(apps, schema_editor):
    apps.get_model("reporting", "DevelopedHoursBuilt").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0014_sar_exports_written_by_the_worker"),
    ]

    operations = [
        migrations.RunPython(forget_built_offices, migrations.RunPython.noop),
    ]
