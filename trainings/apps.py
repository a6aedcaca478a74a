from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings")

    def ready(self) -> None:
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
