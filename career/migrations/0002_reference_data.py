from django.db import migrations


def load(apps, schema_editor):
    from career.reference_data import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("career", "0001_initial"), ("registry", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
