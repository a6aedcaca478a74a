"""Seed the retention rule of the outbox (core.privacy.REGISTRY: e-mails lose address and text after 12 months)."""

from django.db import migrations

CODE = "core-outbox-queued"


def seed(apps, schema_editor):
    apps.get_model("core", "RetentionRule").objects.get_or_create(
        code=CODE, defaults={"model_label": "core.OutboxMessage", "amount": 12, "unit": "months", "is_active": True}
    )


def unseed(apps, schema_editor):
    apps.get_model("core", "RetentionRule").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0011_outbox_and_scheduled_runs")]
    operations = [migrations.RunPython(seed, unseed)]
