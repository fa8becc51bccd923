from django.db import migrations


def load(apps, schema_editor):
    # Policy 2's teacher-development focus points (2.3, 2.4) join policies 5 and 6.
    from reporting.reference_data import load_inspection

    load_inspection(apps)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0004_inspection_round_and_foreword")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
