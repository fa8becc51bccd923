from django.db import migrations

from oversight.reference_data import REGION_COUNT, THAI_PROVINCES, region_name


def load(apps, schema_editor):
    Region = apps.get_model("oversight", "Region")
    Province = apps.get_model("oversight", "Province")
    for number in range(1, REGION_COUNT + 1):
        Region.objects.get_or_create(number=number, defaults={"name": region_name(number)})
    for code, name in THAI_PROVINCES:
        Province.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
