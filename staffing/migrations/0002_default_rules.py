from django.db import migrations


def load(apps, schema_editor):
    from staffing.reference_data import load_default_rules

    load_default_rules(apps)


class Migration(migrations.Migration):
    dependencies = [("staffing", "0001_initial"), ("registry", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
