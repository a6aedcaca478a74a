from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RefugeesConfig(AppConfig):
    name = "refugees"
    verbose_name = _("Refugees")

    def ready(self) -> None:
        from core.registry import audit_fields_register, audit_labels_register

        audit_labels_register(
            {
                "refugees.refugee.created": _("Referral recorded"),
                "refugees.refugee.changed": _("Details changed"),
                "refugees.refugee.consent_recorded": _("Consent recorded"),
                "refugees.refugee.consent_withdrawn": _("Consent withdrawn"),
                "refugees.householdmember.created": _("Household member added"),
                "refugees.householdmember.changed": _("Household member changed"),
                "refugees.householdmember.deleted": _("Household member removed"),
                "refugees.referralnote.created": _("Note added"),
                "refugees.referralnote.changed": _("Note changed"),
                "refugees.referralnote.deleted": _("Note deleted"),
            }
        )
        audit_labels_register({"refugees.refugee.status_changed": _("Status changed")}, inline="status")
        audit_fields_register("refugees.Refugee", {"consent": _("consent")})
