"""The stored counts as of a fiscal year's last day (30 September) now hold every hour
credited to the year, however late the result was met (training.queries.counted_by): a
session of 28 Sep – 2 Oct passed on 1 October counted its September hours in the year's
whole count but not in its 30 September one. The offices are marked not built, so their
pages count from the records until the next `rebuild_developed_hours` (nightly) builds
them again; no stale figure is shown meanwhile."""

from django.db import migrations


def forget_built_offices(apps, schema_editor):
    apps.get_model("reporting", "DevelopedHoursBuilt").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0015_developed_hours_counted_by_own_office"),
    ]

    operations = [
        migrations.RunPython(forget_built_offices, migrations.RunPython.noop),
    ]
