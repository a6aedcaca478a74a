"""Hostile input for the expense form, the one form of the reports (the period filters are GET links)."""

from reporting.models import BudgetLine, FundingSource
from tests.hostile import HostileRow


def _valid(w) -> dict[str, str]:
    return {
        "spent_on": "2026-01-15",
        "source": str(FundingSource.objects.get(code="city-11137").pk),
        "budget_line": str(BudgetLine.objects.get(code="material").pk),
        "amount": "120,50",
        "description": "Rechnung 4711 Druckerei",
    }


ROWS = [
    HostileRow(
        "reporting:expense_create",
        {
            "spent_on": "date",
            "source": "int",
            "budget_line": "int",
            "amount": "decimal",
            "description": "text",
        },
    ),
    HostileRow(
        "reporting:expense_create", {"amount": "decimal"}, fixed=_valid, note="valid but for the amount"
    ),
    HostileRow(
        "reporting:expense_create",
        {"description": "text"},
        fixed=_valid,
        note="valid but for the description",
    ),
]
