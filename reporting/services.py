from typing import Any

from django.db import transaction

from core.audit import audit_record, export_record, snapshot
from core.models import User
from reporting.evaluation import ExportTable
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


def evaluation_export_record(*, actor: User, table: ExportTable, fmt: str, filter: str = "") -> None:
    """Downloads of the pseudonymised export are audited like every export: who took which table when,
    how many rows (one entry per table; the workbook has three)."""
    rows = table.rows()
    export_record(
        actor=actor,
        export=f"evaluation-{table.key}",
        fmt=fmt,
        rows=rows.count(),
        model=rows.model,
        filter=filter,
    )
