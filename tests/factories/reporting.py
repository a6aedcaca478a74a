import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from reporting.models import BudgetLine, Expense, FundingPlan, FundingSource


class ExpenseFactory(DjangoModelFactory):
    class Meta:
        model = Expense

    source = factory.LazyFunction(lambda: FundingSource.objects.get(code="city-11137"))
    budget_line = factory.LazyFunction(lambda: BudgetLine.objects.get(code="personnel"))
    spent_on = factory.LazyFunction(lambda: datetime.date.today().replace(day=1))
    amount = Decimal("100.00")
    description = factory.Sequence(lambda n: f"Rechnung {n}")


class FundingPlanFactory(DjangoModelFactory):
    class Meta:
        model = FundingPlan

    source = factory.LazyFunction(lambda: FundingSource.objects.get(code="city-11137"))
    budget_line = factory.LazyFunction(lambda: BudgetLine.objects.get(code="personnel"))
    year = 2026
    amount = Decimal("1000.00")
