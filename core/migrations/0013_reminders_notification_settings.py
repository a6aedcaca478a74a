from django.db import migrations, models

CODES = (
    "coordinator_digest",
    "training_reminder",
    "clearance_expiry",
    "referrer_tandem_started",
    "referrer_tandem_ended",
    "tandem_handed_over",
)


def seed_settings(apps, schema_editor):
    NotificationSetting = apps.get_model("core", "NotificationSetting")
    for code in CODES:
        NotificationSetting.objects.get_or_create(code=code, defaults={"is_active": True})


def unseed_settings(apps, schema_editor):
    apps.get_model("core", "NotificationSetting").objects.filter(code__in=CODES).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0012_seed_outbox_retention_rule")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="has_referral_updates",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Referrers only: an e-mail when a person they referred is introduced to a mentor and when "
                    "the tandem ends (the reason's category, never notes)."
                ),
                verbose_name="receives updates on referred people",
            ),
        ),
        migrations.CreateModel(
            name="NotificationSetting",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(max_length=60, unique=True, verbose_name="code")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
            ],
            options={
                "verbose_name": "automatic message",
                "verbose_name_plural": "automatic messages",
                "ordering": ["code"],
            },
        ),
        migrations.RunPython(seed_settings, unseed_settings),
    ]
