"""Unconfirmed public sign-ups are deleted by `manage.py purge_unconfirmed_signups` (they never became part
of the programme, so nothing of them is kept for statistics); the retention rule that anonymised them after
the same 30 days is gone from the registry, and so is its row."""

from django.db import migrations

CODE = "volunteers-unconfirmed-signup"


def drop(apps, schema_editor):
    apps.get_model("core", "RetentionRule").objects.filter(code=CODE).delete()


def restore(apps, schema_editor):
    apps.get_model("core", "RetentionRule").objects.get_or_create(
        code=CODE, defaults={"model_label": "volunteers.Volunteer", "amount": 30, "unit": "days", "is_active": True}
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0005_seed_retention_rules")]
    operations = [migrations.RunPython(drop, restore)]
