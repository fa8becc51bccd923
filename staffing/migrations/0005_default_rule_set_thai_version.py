from django.db import migrations

OLD, NEW = "default-2569", "ค่าเริ่มต้น 2569"


def rename(apps, schema_editor):
    # The version is shown beside the rule's name on every staffing page: in the office's
    # words, not the system's code for the shared default.
    apps.get_model("staffing", "RuleSet").objects.filter(office=None, version=OLD).update(
        version=NEW
    )


def back(apps, schema_editor):
    apps.get_model("staffing", "RuleSet").objects.filter(office=None, version=NEW).update(
        version=OLD
    )


class Migration(migrations.Migration):
    dependencies = [("staffing", "0004_default_rule_set_official_name")]
    operations = [migrations.RunPython(rename, back)]
