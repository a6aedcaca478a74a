from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from core import (
            checks,  # noqa: F401  (registers the system checks)
            languages,  # noqa: F401  (registers Leichte Sprache's LANG_INFO entry)
            reference,
            twofactor,  # noqa: F401  (connects the login signal of the two-factor step)
        )
        from core.registry import audit_labels_register

        audit_labels_register(
            {
                "core.person.anonymised": _("Personal data anonymised"),
                "core.person.disclosed": _("Information on the stored data issued"),
                "core.consent.recorded": _("Consent recorded"),
                "core.consent.withdrawn": _("Consent withdrawn"),
                "core.legaltext.reviewed": _("Translation marked as reviewed"),
                "core.legaltext.created": _("Legal text created"),
                "core.legaltext.changed": _("Legal text changed"),
                "core.legaltext.deleted": _("Legal text deleted"),
                "core.sensitive.viewed": _("Protected data viewed"),
                "core.twofactor.enabled": _("Two-factor login switched on"),
                "core.twofactor.disabled": _("Two-factor login switched off"),
                "core.export.downloaded": _("Personal data exported"),
                "core.outboxmessage.created": _("E-mail queued"),
                "core.outboxmessage.changed": _("E-mail queued again"),
                "core.outboxmessage.sent": _("E-mail sent"),
                "core.outboxmessage.failed": _("E-mail could not be sent"),
                "core.participantlink.created": _("Personal link created"),
                "core.participantlink.opened": _("Personal link opened"),
                "core.participantlink.used": _("Personal link used"),
                "core.participantlink.revoked": _("Personal link revoked"),
                # the admin's own writes (core.admin.AuditedAdmin) of the one personal record core owns
                "core.user.created": _("User created"),
                "core.user.changed": _("User changed"),
                "core.user.deleted": _("User deleted"),
            }
        )

        from core.privacy_entries import privacy_register

        privacy_register()  # core's own personal data (core/privacy_entries.py); each app registers its own

        from core.models import District, HelpArea, Language, Membership, Organisation

        # the filter forms' choices, kept per process (core/reference.py); memberships scope the organisations
        for model in (District, Language, HelpArea, Organisation, Membership):
            reference.register(model)


class TenkAdminConfig(admin_apps.AdminConfig):
    """Django admin with our site: access follows the admin role, not `is_staff`."""

    default = False
    default_site = "core.admin_site.TenkAdminSite"
