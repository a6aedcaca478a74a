from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from core.registry import audit_labels_register

        audit_labels_register(
            {
                "reporting.expense.created": _("Expense recorded"),
                "reporting.export.downloaded": _("Export downloaded"),
            }
        )
