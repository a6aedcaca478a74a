from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self) -> None:
        from django.urls import reverse

        from core.home import HomeSection, home_section_register
        from volunteers import selectors

        home_section_register(
            HomeSection(
                key="signups",
                order=40,
                title=_("New sign-ups to screen"),
                empty=_("No sign-up is waiting."),
                perm="volunteers.change",
                rows=selectors.signups_to_screen,
                template="volunteers/_home_signups.html",
                list_url=lambda: reverse("volunteers:volunteer_inbox"),
            )
        )
        home_section_register(
            HomeSection(
                key="clearances-expiring",
                order=70,
                title=_("Police clearances expiring within 60 days"),
                empty=_("No police clearance expires soon."),
                perm="volunteers.change",
                rows=selectors.clearances_expiring,
                template="volunteers/_home_clearances.html",
                list_url=lambda: reverse("volunteers:volunteer_list") + "?clearance=expiring&sort=clearance",
            )
        )
