from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TandemsConfig(AppConfig):
    name = "tandems"
    verbose_name = _("Tandems")

    def ready(self) -> None:
        from core.registry import audit_labels_register

        audit_labels_register(
            {
                "tandems.tandem.created": _("Tandem proposed"),
                "tandems.tandem.introduced": _("Introduced to each other"),
                "tandems.tandem.started": _("Tandem started"),
                "tandems.tandem.ended": _("Tandem ended"),
                "tandems.tandem.not_started": _("Tandem did not start"),
                "tandems.tandem.changed": _("Details changed"),
                "tandems.tandem.letter_sent": _("Introduction letter sent"),
                "tandems.tandem.anonymised": _("Free texts anonymised"),
                "tandems.checkin.created": _("Contact logged"),
                "tandems.checkin.changed": _("Contact changed"),
                "tandems.checkin.deleted": _("Contact deleted"),
                "tandems.checkin.anonymised": _("Contact anonymised"),
                "tandems.volunteerrelease.created": _("Released to a partner"),
                "tandems.volunteerrelease.deleted": _("Release to a partner withdrawn"),
            }
        )
        audit_labels_register({"tandems.tandem.handed_over": _("Handed over")}, inline="coordinator")
