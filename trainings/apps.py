from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings")

    def ready(self) -> None:
        from django.urls import reverse

        from core.home import HomeSection, home_section_register
        from trainings import selectors

        home_section_register(
            HomeSection(
                key="sessions-free-places",
                order=90,
                title=_("Trainings this week with free places"),
                empty=_("No training in the next seven days has free places."),
                perm="trainings.change",
                rows=selectors.sessions_with_free_places,
                template="trainings/_home_sessions.html",
                list_url=lambda: reverse("trainings:session_list") + "?when=coming",
            )
        )
