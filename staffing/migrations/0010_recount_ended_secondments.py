"""The stored staff counts were built before a secondment's last day and the retirement day
were read on the census day: mark every
office not built, so its next staffing page recounts it (staffing.summary.forget_all)."""

from django.db import migrations


def forget_built(apps, schema_editor):
    apps.get_model("staffing", "StaffCountsBuilt").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("staffing", "0009_staff_counts_kept_per_school")]

    operations = [migrations.RunPython(forget_built, migrations.RunPython.noop)]
