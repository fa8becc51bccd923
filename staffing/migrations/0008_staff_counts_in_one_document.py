from django.db import migrations, models


def forget_stored_counts(apps, schema_editor):
    """Stored counts are a cache of the people rows: dropped here, recounted at the next page
    (a snapshot left without its counts would show an office with no staff)."""
    apps.get_model("staffing", "StaffCountSnapshot").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("staffing", "0007_merge_20261203_2120"),
    ]

    operations = [
        migrations.RunPython(forget_stored_counts, migrations.RunPython.noop),
        migrations.DeleteModel(name="SchoolStaffCount"),
        migrations.AddField(
            model_name="staffcountsnapshot",
            name="counts",
            field=models.JSONField(default=list, verbose_name="จำนวนรายโรงเรียน"),
        ),
    ]
