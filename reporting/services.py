from typing import Any

from django.db import transaction

from core.audit import audit_record, snapshot
from core.models import User
from reporting.models import Expense


@transaction.atomic
def expense_create(*, actor: User, data: dict[str, Any]) -> Expense:
    """Book an expense against a funding source and budget line; the grant report sums them by year."""
    expense = Expense(**data, recorded_by=actor)
    expense.full_clean()
    expense.save()
    audit_record(
        actor=actor,
        action="reporting.expense.created",
        obj=expense,
        changes={name: [None, value] for name, value in snapshot(expense, fields=data).items()},
    )
    return expense


def evaluation_export_record(*, actor: User, table: str, fmt: str) -> None:
    """Downloads of the pseudonymised export are audited: who took which table when."""
    audit_record(
        actor=actor,
        action="reporting.export.downloaded",
        obj=actor,
        changes={"export": [None, f"{table}.{fmt}"]},
    )
