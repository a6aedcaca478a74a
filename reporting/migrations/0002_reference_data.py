"""Targets and funding from the council paper (Drucksache 1249/2017 N1). Idempotent and reversible.

The paper names the totals only: 67,000 EUR (2017) and 110,000 EUR (2018) from the city's Produkt 11137
Migration und Integration, mostly for staff at the FWZ, and "knapp 150.000 EUR" for 2017 and 2018 from the
Klosterkammer, the Lotto-Sport-Stiftung and the Stiftung Sparda-Bank Hannover for the public campaign. The
split by budget line and foundation below is the planning assumption admins correct in the admin.
"""

from decimal import Decimal

from django.db import migrations

TARGETS = [(2017, 200), (2018, 500), (2025, 500), (2026, 500), (2027, 500)]

SOURCES = [
    # (code, German, English, kind)
    (
        "city-11137",
        "Landeshauptstadt Hannover – Produkt 11137 Migration und Integration",
        "City of Hannover – Produkt 11137 Migration and Integration",
        "city",
    ),
    ("klosterkammer", "Klosterkammer Hannover", "Klosterkammer Hannover", "foundation"),
    ("lotto-sport", "Lotto-Sport-Stiftung", "Lotto-Sport-Stiftung", "foundation"),
    ("sparda", "Stiftung Sparda-Bank Hannover", "Stiftung Sparda-Bank Hannover", "foundation"),
]

BUDGET_LINES = [
    ("personnel", "Personal", "Personnel"),
    ("campaign", "Öffentlichkeitskampagne", "Public campaign"),
    ("trainings", "Schulungen und Zusammenkünfte", "Trainings and meetups"),
    ("material", "Sachkosten", "Material"),
    ("other", "Sonstiges", "Other"),
]

PLANS = [
    # (source, budget line, year, amount): city 67,000 (2017) and 110,000 (2018); foundations 148,000
    ("city-11137", "personnel", 2017, "55000"),
    ("city-11137", "trainings", 2017, "8000"),
    ("city-11137", "material", 2017, "4000"),
    ("city-11137", "personnel", 2018, "92000"),
    ("city-11137", "trainings", 2018, "12000"),
    ("city-11137", "material", 2018, "6000"),
    ("klosterkammer", "campaign", 2017, "30000"),
    ("klosterkammer", "campaign", 2018, "30000"),
    ("lotto-sport", "campaign", 2017, "20000"),
    ("lotto-sport", "campaign", 2018, "20000"),
    ("sparda", "campaign", 2017, "16000"),
    ("sparda", "trainings", 2017, "8000"),
    ("sparda", "campaign", 2018, "16000"),
    ("sparda", "trainings", 2018, "8000"),
]


def seed(apps, schema_editor):
    AnnualTarget = apps.get_model("reporting", "AnnualTarget")
    for year, tandems in TARGETS:
        AnnualTarget.objects.update_or_create(year=year, defaults={"tandems_formed": tandems})
    FundingSource = apps.get_model("reporting", "FundingSource")
    for order, (code, name_de, name_en, kind) in enumerate(SOURCES):
        FundingSource.objects.update_or_create(
            code=code, defaults={"name_de": name_de, "name_en": name_en, "kind": kind, "sort_order": order}
        )
    BudgetLine = apps.get_model("reporting", "BudgetLine")
    for order, (code, name_de, name_en) in enumerate(BUDGET_LINES):
        BudgetLine.objects.update_or_create(
            code=code, defaults={"name_de": name_de, "name_en": name_en, "sort_order": order}
        )
    FundingPlan = apps.get_model("reporting", "FundingPlan")
    for source, line, year, amount in PLANS:
        FundingPlan.objects.update_or_create(
            source=FundingSource.objects.get(code=source),
            budget_line=BudgetLine.objects.get(code=line),
            year=year,
            defaults={"amount": Decimal(amount)},
        )


def unseed(apps, schema_editor):
    FundingPlan = apps.get_model("reporting", "FundingPlan")
    for source, line, year, _amount in PLANS:
        FundingPlan.objects.filter(source__code=source, budget_line__code=line, year=year).delete()
    apps.get_model("reporting", "BudgetLine").objects.filter(
        code__in=[row[0] for row in BUDGET_LINES], plans__isnull=True, expenses__isnull=True
    ).delete()
    apps.get_model("reporting", "FundingSource").objects.filter(
        code__in=[row[0] for row in SOURCES], plans__isnull=True, expenses__isnull=True
    ).delete()
    apps.get_model("reporting", "AnnualTarget").objects.filter(year__in=[row[0] for row in TARGETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
