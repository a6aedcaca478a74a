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
            reference,
            twofactor,  # noqa: F401  (connects the login signal of the two-factor step)
        )
        from core.models import District, HelpArea, Language, Membership, Organisation

        # the filter forms' choices, kept per process (core/reference.py); memberships scope the organisations
        for model in (District, Language, HelpArea, Organisation, Membership):
            reference.register(model)


class TenkAdminConfig(admin_apps.AdminConfig):
    """Django admin with our site: access follows the admin role, not `is_staff`."""

    default = False
    default_site = "core.admin_site.TenkAdminSite"
