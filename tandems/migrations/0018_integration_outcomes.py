"""The default integration outcomes, from the federal programme's evaluation (Menschen stärken Menschen):
admins edit the list in the Django admin; `code` names the evaluation export's column."""

from django.db import migrations

OUTCOMES = [
    # (code, German, English)
    ("job", "Praktikum, Ausbildung oder Arbeit", "Internship, apprenticeship or job"),
    ("childcare-school", "Kita- oder Schulplatz", "Childcare or school place"),
    ("club", "Mitglied in einem Verein oder einer Gruppe", "Member of a club or group"),
    ("volunteering", "Engagiert sich selbst ehrenamtlich", "Volunteers themselves"),
    ("goal-reached", "Ziel des Tandems erreicht", "Goal of the tandem reached"),
]


def seed(apps, schema_editor):
    IntegrationOutcome = apps.get_model("tandems", "IntegrationOutcome")
    for order, (code, name_de, name_en) in enumerate(OUTCOMES):
        IntegrationOutcome.objects.update_or_create(
            code=code, defaults={"name_de": name_de, "name_en": name_en, "sort_order": order}
        )


def unseed(apps, schema_editor):
    apps.get_model("tandems", "IntegrationOutcome").objects.filter(code__in=[o[0] for o in OUTCOMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("tandems", "0017_closure")]
    operations = [migrations.RunPython(seed, unseed)]
