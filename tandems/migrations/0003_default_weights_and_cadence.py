"""The default matching weights and check-in cadence (admins edit them later). Idempotent, reversible."""

from django.db import migrations

WEIGHTS = {
    "language": 3,
    "needs": 2,
    "distance": 2,
    "availability": 1,
    "interests": 1,
    "age": 1,
    "family": 1,
    "waiting": 1.5,
    "max_distance_km": 15,
    "waiting_full_days": 180,
}
CADENCE = {
    "first_after_days": 14,
    "early_interval_days": 30,
    "early_period_days": 182,
    "later_interval_days": 91,
    "no_contact_days": 42,
}


def seed(apps, schema_editor):
    MatchingWeights = apps.get_model("tandems", "MatchingWeights")
    if not MatchingWeights.objects.filter(is_active=True).exists():
        MatchingWeights.objects.update_or_create(name="Standard", defaults={**WEIGHTS, "is_active": True})
    CheckInCadence = apps.get_model("tandems", "CheckInCadence")
    if not CheckInCadence.objects.filter(is_active=True).exists():
        CheckInCadence.objects.update_or_create(name="Standard", defaults={**CADENCE, "is_active": True})


def unseed(apps, schema_editor):
    apps.get_model("tandems", "MatchingWeights").objects.filter(name="Standard").delete()
    apps.get_model("tandems", "CheckInCadence").objects.filter(name="Standard").delete()


class Migration(migrations.Migration):
    dependencies = [("tandems", "0002_capacity_trigger")]
    operations = [migrations.RunPython(seed, unseed)]
