"""Reference data from the council paper (Drucksache 1249/2017 N1): organisations, districts, languages,
areas of help and tandem end reasons. Idempotent (update_or_create by a natural key) and reversible."""

from django.db import migrations

ORGANISATIONS = [
    # (short_name, name, kind)
    ("FWZ", "Freiwilligenzentrum Hannover e.V.", "fwz"),
    ("gEMiDe", "gEMiDe e.V.", "partner"),
    ("Unterstützerkreis", "Unterstützerkreis Flüchtlingshilfe Hannover", "partner"),
    ("Caritas/Raphaelo", "Caritasverband Hannover e.V. – Raphaelo", "partner"),
    ("Kargah", "kargah e.V.", "partner"),
    ("Can Arkadaş", "Can Arkadaş e.V.", "partner"),
    ("Integrationsmanagement", "Landeshauptstadt Hannover – Integrationsmanagement", "city"),
    ("Koordinierungsstelle", "Landeshauptstadt Hannover – Koordinierungsstelle Flüchtlingshilfe", "city"),
    ("Steuerungsgruppe", "Steuerungsgruppe und Beirat 10.000 Freunde", "board"),
    ("HsH Fakultät V", "Hochschule Hannover, Fakultät V – wissenschaftliche Begleitung", "university"),
]

# Hannover's 13 Stadtbezirke with an approximate centre point (WGS84) for distances between districts.
DISTRICTS = [
    ("mitte", "Mitte", "52.37450", "9.73860"),
    ("vahrenwald-list", "Vahrenwald-List", "52.39600", "9.75300"),
    ("bothfeld-vahrenheide", "Bothfeld-Vahrenheide", "52.42000", "9.77500"),
    ("buchholz-kleefeld", "Buchholz-Kleefeld", "52.38600", "9.80100"),
    ("misburg-anderten", "Misburg-Anderten", "52.38700", "9.86500"),
    ("kirchrode-bemerode-wuelferode", "Kirchrode-Bemerode-Wülferode", "52.34300", "9.83800"),
    ("suedstadt-bult", "Südstadt-Bult", "52.36100", "9.76000"),
    ("doehren-wuelfel", "Döhren-Wülfel", "52.34200", "9.77200"),
    ("ricklingen", "Ricklingen", "52.33800", "9.72300"),
    ("linden-limmer", "Linden-Limmer", "52.37000", "9.70500"),
    ("ahlem-badenstedt-davenstedt", "Ahlem-Badenstedt-Davenstedt", "52.37000", "9.66000"),
    ("herrenhausen-stoecken", "Herrenhausen-Stöcken", "52.40500", "9.68500"),
    ("nord", "Nord", "52.39500", "9.72200"),
]

LANGUAGES = [
    ("de", "Deutsch", "German"),
    ("en", "Englisch", "English"),
    ("ar", "Arabisch", "Arabic"),
    ("fa", "Persisch (Farsi)", "Persian (Farsi)"),
    ("prs", "Dari", "Dari"),
    ("ps", "Paschtu", "Pashto"),
    ("ku", "Kurdisch", "Kurdish"),
    ("kmr", "Kurmandschi", "Kurmanji"),
    ("ckb", "Sorani", "Sorani"),
    ("tr", "Türkisch", "Turkish"),
    ("ti", "Tigrinya", "Tigrinya"),
    ("am", "Amharisch", "Amharic"),
    ("so", "Somali", "Somali"),
    ("fr", "Französisch", "French"),
    ("ru", "Russisch", "Russian"),
    ("uk", "Ukrainisch", "Ukrainian"),
    ("sq", "Albanisch", "Albanian"),
    ("sr", "Serbisch", "Serbian"),
    ("bs", "Bosnisch", "Bosnian"),
    ("ro", "Rumänisch", "Romanian"),
    ("bg", "Bulgarisch", "Bulgarian"),
    ("pl", "Polnisch", "Polish"),
    ("es", "Spanisch", "Spanish"),
    ("it", "Italienisch", "Italian"),
    ("ur", "Urdu", "Urdu"),
    ("hi", "Hindi", "Hindi"),
    ("ha", "Hausa", "Hausa"),
    ("yo", "Yoruba", "Yoruba"),
    ("sgn-de", "Deutsche Gebärdensprache", "German Sign Language"),
]

HELP_AREAS = [
    ("flat", "Einrichten der Wohnung", "Furnishing a flat"),
    ("kita-school", "Kita- und Schulplätze finden", "Finding Kita and school places"),
    ("sports", "Sportverein finden", "Finding a sports club"),
    ("culture", "Kulturelle Veranstaltungen", "Cultural events"),
    ("authorities", "Behördengänge", "Visits to authorities"),
    ("german", "Deutsch lernen", "Learning German"),
    ("work", "Praktikum und Arbeit", "Internships and work"),
    ("leisure", "Gemeinsame Freizeit", "Leisure together"),
]

END_REASONS = [
    # (code, German, English, goal reached)
    ("self-reliant", "Ziel erreicht: kommt allein zurecht", "Goal reached: manages alone", True),
    ("moved", "Umzug", "Moved away", False),
    ("no-time", "Zeitmangel", "Lack of time", False),
    ("no-contact", "Kein Kontakt mehr", "No contact", False),
    ("conflict", "Konflikt", "Conflict", False),
    ("health", "Gesundheitliche Gründe", "Health reasons", False),
    ("other", "Sonstiges", "Other", False),
]


def seed(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    for short_name, name, kind in ORGANISATIONS:
        Organisation.objects.update_or_create(short_name=short_name, defaults={"name": name, "kind": kind})
    District = apps.get_model("core", "District")
    for order, (code, name, lat, lon) in enumerate(DISTRICTS):
        District.objects.update_or_create(
            code=code, defaults={"name_de": name, "name_en": name, "latitude": lat, "longitude": lon, "sort_order": order}
        )
    for model_name, rows in (("Language", LANGUAGES), ("HelpArea", HELP_AREAS)):
        model = apps.get_model("core", model_name)
        for order, (code, name_de, name_en) in enumerate(rows):
            model.objects.update_or_create(
                code=code, defaults={"name_de": name_de, "name_en": name_en, "sort_order": order}
            )
    EndReason = apps.get_model("core", "EndReason")
    for order, (code, name_de, name_en, goal) in enumerate(END_REASONS):
        EndReason.objects.update_or_create(
            code=code, defaults={"name_de": name_de, "name_en": name_en, "is_goal_reached": goal, "sort_order": order}
        )


def unseed(apps, schema_editor):
    apps.get_model("core", "EndReason").objects.filter(code__in=[r[0] for r in END_REASONS]).delete()
    apps.get_model("core", "HelpArea").objects.filter(code__in=[r[0] for r in HELP_AREAS]).delete()
    apps.get_model("core", "Language").objects.filter(code__in=[r[0] for r in LANGUAGES]).delete()
    apps.get_model("core", "District").objects.filter(code__in=[r[0] for r in DISTRICTS]).delete()
    apps.get_model("core", "Organisation").objects.filter(short_name__in=[r[0] for r in ORGANISATIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
