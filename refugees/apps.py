from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RefugeesConfig(AppConfig):
    name = "refugees"
    verbose_name = _("Refugees")

    def ready(self) -> None:
        from django.urls import reverse

        from core.home import HomeSection, home_section_register
        from refugees import selectors

        home_section_register(
            HomeSection(
                key="referrals",
                order=50,
                title=_("Referrals waiting for the intake interview"),
                empty=_("No referral is waiting for its intake."),
                perm="refugees.change",
                rows=selectors.referrals_awaiting_intake,
                template="refugees/_home_referrals.html",
                list_url=lambda: reverse("refugees:refugee_list") + "?status=referred&sort=referred",
            )
        )
        home_section_register(
            HomeSection(
                key="waiting-longest",
                order=60,
                title=_("Waiting longest for a tandem"),
                empty=_("Nobody is waiting for a tandem."),
                perm="tandems.change",
                rows=selectors.refugees_waiting_longest,
                template="refugees/_home_waiting.html",
                list_url=lambda: reverse("refugees:refugee_waiting_list"),
            )
        )

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

        from refugees.privacy import privacy_register

        privacy_register()  # the personal data of refugees (refugees/privacy.py, core/privacy.py)
