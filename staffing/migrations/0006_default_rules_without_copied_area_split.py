"""The shared default rule set's split of teachers by learning area was copied from one
office's register (its จ.18 table): another office's proportions. It goes; an office's own
rule sets keep whatever split the office set on them."""

from django.db import migrations


def drop_default_split(apps, schema_editor):
    AreaWeight = apps.get_model("staffing", "AreaWeight")
    AreaWeight.objects.filter(rule_set__office__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("staffing", "0005_default_rule_set_thai_version")]

    operations = [migrations.RunPython(drop_default_split, migrations.RunPython.noop)]
