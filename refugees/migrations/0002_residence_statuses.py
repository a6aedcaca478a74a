from django.db import migrations

RESIDENCE_STATUSES = [
    ("recognised", "Aufenthaltserlaubnis (anerkannt)", "Residence permit (recognised)"),
    ("permit-24", "Aufenthaltserlaubnis nach § 24 AufenthG", "Temporary protection (section 24)"),
    ("gestattung", "Aufenthaltsgestattung (Asylverfahren)", "Permission to stay (asylum procedure)"),
    ("duldung", "Duldung", "Toleration (Duldung)"),
    ("settlement", "Niederlassungserlaubnis", "Settlement permit"),
    ("other", "Sonstiges", "Other"),
]


def seed(apps, schema_editor):
    ResidenceStatus = apps.get_model("refugees", "ResidenceStatus")
    for order, (code, name_de, name_en) in enumerate(RESIDENCE_STATUSES):
        ResidenceStatus.objects.update_or_create(
            code=code, defaults={"name_de": name_de, "name_en": name_en, "sort_order": order}
        )


def unseed(apps, schema_editor):
    apps.get_model("refugees", "ResidenceStatus").objects.filter(code__in=[r[0] for r in RESIDENCE_STATUSES]).delete()


class Migration(migrations.Migration):
    dependencies = [("refugees", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
