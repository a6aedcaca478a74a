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
