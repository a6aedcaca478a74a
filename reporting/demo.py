"""Demo funding for `manage.py seed_demo`: the funding plan and monthly expenses of the current and the
previous year (targets for 2025-2027 come from the data migration). Idempotent: a plan line that exists is
left alone, and a year that has expenses gets no more."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.models import User
from reporting.models import BudgetLine, Expense, FundingPlan, FundingSource

# (source, budget line, amount per year): the 2018 plan of the council paper, carried forward
PLAN = [
    ("city-11137", "personnel", "92000"),
    ("city-11137", "trainings", "12000"),
    ("city-11137", "material", "6000"),
    ("klosterkammer", "campaign", "30000"),
    ("lotto-sport", "campaign", "20000"),
    ("sparda", "campaign", "16000"),
    ("sparda", "trainings", "8000"),
]

# what a month's bookings look like per budget line: (every n-th month, share of the yearly plan, text)
BOOKINGS = {
    "personnel": (1, Decimal("0.08"), "Personalkosten Projektkoordination {month:%m/%Y}"),
    "trainings": (2, Decimal("0.14"), "Raummiete und Referent*innenhonorar Schulung {month:%m/%Y}"),
    "material": (3, Decimal("0.2"), "Büromaterial und Porto {month:%m/%Y}"),
    "campaign": (3, Decimal("0.22"), "Anzeigen, Plakate und Flyer Öffentlichkeitskampagne {month:%m/%Y}"),
}


@transaction.atomic
def seed(*, size: str, stdout=None) -> None:
    today = timezone.localdate()
    sources = {s.code: s for s in FundingSource.objects.all()}
    lines = {b.code: b for b in BudgetLine.objects.all()}
    actor = User.objects.filter(username="coordinator").first()
    made_plans = made_expenses = 0
    for year in (today.year - 1, today.year):
        for source, line, amount in PLAN:
            _plan, created = FundingPlan.objects.get_or_create(
                source=sources[source],
                budget_line=lines[line],
                year=year,
                defaults={"amount": Decimal(amount)},
            )
            made_plans += created
        if Expense.objects.filter(spent_on__year=year).exists():
            continue
        rng = random.Random(year)
        last_month = 12 if year < today.year else today.month
        rows = []
        for number in range(1, last_month + 1):
            month = datetime.date(year, number, 1)
            for source, line, amount in PLAN:
                every, share, text = BOOKINGS[line]
                if number % every:
                    continue
                spread = Decimal(rng.randint(85, 105)) / 100
                rows.append(
                    Expense(
                        source=sources[source],
                        budget_line=lines[line],
                        spent_on=min(month + datetime.timedelta(days=rng.randint(0, 25)), today),
                        amount=(Decimal(amount) * share * spread).quantize(Decimal("0.01")),
                        description=text.format(month=month),
                        recorded_by=actor,
                    )
                )
        Expense.objects.bulk_create(rows)
        made_expenses += len(rows)
    if stdout:
        stdout.write(f"  reporting: {made_plans} plan lines, {made_expenses} expenses")
