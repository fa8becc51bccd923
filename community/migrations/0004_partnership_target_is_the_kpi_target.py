"""The partnership growth target was set twice: here (CommunityRules) and as the plan's KPI
target (reporting.KpiTarget "partnerships"). An office that had changed it here keeps its value
as its own KPI target; then the field goes."""

from django.db import migrations

CODE = "partnerships"
FIELDS = ("name", "formula", "kind", "params", "source", "sort_order")


def keep_office_values(apps, schema_editor):
    rules = apps.get_model("community", "CommunityRules")
    target = apps.get_model("reporting", "KpiTarget")
    base = target.objects.filter(office=None, code=CODE).first()
    if base is None:
        return
    for r in rules.objects.exclude(partner_growth_target_pct=base.target):
        if target.objects.filter(office_id=r.office_id, code=CODE).exists():
            continue  # the office already set its own KPI target: that one was shown
        target.objects.create(
            office_id=r.office_id, code=CODE, target=r.partner_growth_target_pct,
            **{f: getattr(base, f) for f in FIELDS},
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0003_award_certificate"),
        ("reporting", "0006_sar_half_year_rounds"),
    ]

    operations = [
        migrations.RunPython(keep_office_values, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="communityrules",
            name="partner_growth_target_pct",
        ),
    ]
