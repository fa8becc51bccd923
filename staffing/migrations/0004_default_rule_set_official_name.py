from django.db import migrations

OLD, NEW = "เกณฑ์อัตรากำลังครู ก.ค.ศ. (ค่าเริ่มต้น)", "เกณฑ์อัตรากำลังข้าราชการครูและบุคลากรทางการศึกษา (ก.ค.ศ.)"


def rename(apps, schema_editor):
    # The shared default's name is printed in the staffing report: the name an office would
    # write, not the system's word for a default (the rules page still says it is shared).
    apps.get_model("staffing", "RuleSet").objects.filter(office=None, name=OLD).update(name=NEW)


class Migration(migrations.Migration):
    dependencies = [("staffing", "0003_rule_set_contract_staff")]
    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
