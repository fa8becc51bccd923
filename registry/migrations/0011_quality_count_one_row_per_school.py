"""Stored data-quality counts: one row per school (QualityCount with the rules' counts and the
people of each personnel type, as JSON) instead of a row per school and rule plus a people row; and an index
of an office's people by school (its own staff have none). The
stored rows are a cache of a full count: the old ones are dropped and every office is marked
not built, so its next report (or the nightly rebuild_quality_counts) counts it again."""

import django.db.models.deletion
from django.db import migrations, models


def forget_every_office(apps, schema_editor):
    apps.get_model("registry", "QualityCountsBuilt").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0010_quality_counts"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["office", "school", "status"], name="person_office_school"),
        ),
        migrations.RunPython(forget_every_office, migrations.RunPython.noop),
        migrations.DeleteModel(name="QualityCount"),
        migrations.DeleteModel(name="QualityPeopleCount"),
        migrations.CreateModel(
            name="QualityCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("school", models.IntegerField()),
                ("people", models.IntegerField()),
                ("last_update", models.DateTimeField(null=True)),
                ("counts", models.JSONField(default=list)),
                ("types", models.JSONField(default=dict)),
                ("office", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="registry.office")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("office", "school"), name="quality_count_school")],
            },
        ),
    ]
