from decimal import Decimal

from django.db import migrations

COURSE_TYPES = [
    # (code, German name, English name, hours, required, kind, description)
    (
        "basic",
        "Basisschulung für Pat*innen",
        "Basic training for mentors",
        Decimal("6.0"),
        True,
        "training",
        "Rolle und Grenzen als Pat*in, Ablauf des Programms, Ansprechpartner*innen, erste Schritte im Tandem.",
    ),
    (
        "intercultural",
        "Aufbaumodul Interkulturelle Kommunikation",
        "Module: intercultural communication",
        Decimal("3.0"),
        False,
        "training",
        "Missverständnisse erkennen, Kommunikation über Sprachgrenzen hinweg.",
    ),
    (
        "asylum-law",
        "Aufbaumodul Asyl- und Aufenthaltsrecht",
        "Module: asylum and residence law",
        Decimal("3.0"),
        False,
        "training",
        "Aufenthaltstitel, Verfahren und Fristen im Überblick; wohin bei Rechtsfragen verweisen.",
    ),
    (
        "trauma",
        "Aufbaumodul Traumasensibler Umgang",
        "Module: trauma-sensitive support",
        Decimal("3.0"),
        False,
        "training",
        "Belastungen erkennen, sich selbst schützen, professionelle Hilfe vermitteln.",
    ),
    (
        "meetup",
        "Patentreffen",
        "Mentors' meetup",
        Decimal("2.0"),
        False,
        "meetup",
        "Offenes Treffen der Pat*innen mit dem Projektteam.",
    ),
    (
        "exchange",
        "Austauschabend",
        "Exchange evening",
        Decimal("2.0"),
        False,
        "meetup",
        "Erfahrungsaustausch unter Pat*innen zu einem Thema des Monats.",
    ),
]


def seed_course_types(apps, schema_editor):
    CourseType = apps.get_model("trainings", "CourseType")
    for order, (code, name_de, name_en, hours, required, kind, description) in enumerate(COURSE_TYPES):
        CourseType.objects.update_or_create(
            code=code,
            defaults={
                "name_de": name_de,
                "name_en": name_en,
                "duration_hours": hours,
                "is_required": required,
                "kind": kind,
                "description": description,
                "sort_order": order * 10,
            },
        )


def remove_course_types(apps, schema_editor):
    CourseType = apps.get_model("trainings", "CourseType")
    CourseType.objects.filter(code__in=[row[0] for row in COURSE_TYPES], sessions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("trainings", "0001_initial")]
    operations = [migrations.RunPython(seed_course_types, remove_course_types)]
