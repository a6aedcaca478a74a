"""Seed the retention rules named in `core.privacy.REGISTRY` (agreed with the data protection officer) and the
one security policy row (no role has to use two-factor login until an admin says so)."""

from django.db import migrations

RULES = [
    ("volunteers-left", "volunteers.Volunteer", 24, "months"),
    ("volunteers-unconfirmed-signup", "volunteers.Volunteer", 30, "days"),
    ("volunteers-consent-withdrawn", "volunteers.Volunteer", 1, "months"),
    ("refugees-closed", "refugees.Refugee", 24, "months"),
    ("refugees-consent-withdrawn", "refugees.Refugee", 1, "months"),
    ("tandems-ended", "tandems.Tandem", 24, "months"),
    ("trainings-session-held", "trainings.Session", 24, "months"),
]


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("core", "RetentionRule")
    for code, label, amount, unit in RULES:
        RetentionRule.objects.get_or_create(
            code=code, defaults={"model_label": label, "amount": amount, "unit": unit, "is_active": True}
        )
    apps.get_model("core", "SecurityPolicy").objects.get_or_create(pk=1)


def unseed(apps, schema_editor):
    apps.get_model("core", "RetentionRule").objects.filter(code__in=[r[0] for r in RULES]).delete()
    apps.get_model("core", "SecurityPolicy").objects.filter(pk=1).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0004_retention_rule_security_policy")]
    operations = [migrations.RunPython(seed, unseed)]
