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

        from core.registry import audit_labels_register

        audit_labels_register(
            {
                "trainings.session.created": _("Session planned"),
                "trainings.session.changed": _("Session changed"),
                "trainings.session.deleted": _("Session deleted"),
                "trainings.session.invitations_sent": _("Invitations sent"),
                "trainings.registration.created": _("Registered"),
                "trainings.registration.changed": _("Registration changed"),
                "trainings.registration.deleted": _("Registration removed"),
                "trainings.registration.moved_up": _("Moved up from the waiting list"),
                "trainings.calendartoken.created": _("Calendar link created"),
                "trainings.calendartoken.regenerated": _("Calendar link renewed"),
            }
        )

        self._answer_volunteers()

        from trainings.privacy import privacy_register

        privacy_register()  # the personal data of trainings (trainings/privacy.py, core/privacy.py)

        from core import reference
        from trainings.models import CourseType

        reference.register(CourseType)  # the session list's filter choices (core/reference.py)

    @staticmethod
    def _answer_volunteers() -> None:
        """volunteers imports no trainings (tests/test_import_graph.py): a merge of two volunteer records
        moves the training registrations through volunteers.registry."""
        from trainings.services import registrations_merge
        from volunteers.registry import volunteer_merge_step_register

        volunteer_merge_step_register("training_registrations", registrations_merge)
