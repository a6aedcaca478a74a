"""The default check-in cadence follows MENTOR's Elements of Effective Practice (5th edition): contact with
each side at least monthly for the first 12 months, then quarterly (issue #20). Only a cadence row that still
has the old defaults is changed: a cadence an admin set themselves stays. Reversible."""

from django.db import migrations, models

OLD = {
    "first_after_days": 14,
    "early_interval_days": 30,
    "early_period_days": 182,
    "later_interval_days": 91,
    "no_contact_days": 42,
}
NEW = {**OLD, "early_period_days": 365}


def forwards(apps, schema_editor):
    apps.get_model("tandems", "CheckInCadence").objects.filter(**OLD).update(**NEW)


def backwards(apps, schema_editor):
    apps.get_model("tandems", "CheckInCadence").objects.filter(**NEW).update(**OLD)


class Migration(migrations.Migration):
    dependencies = [("tandems", "0011_volunteer_open_tandems")]
    operations = [
        migrations.AlterField(
            model_name="checkincadence",
            name="early_period_days",
            field=models.PositiveSmallIntegerField(default=365, verbose_name="for the first (days)"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
