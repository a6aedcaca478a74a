from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings")

    def ready(self) -> None:
        from core import reference
        from trainings.models import CourseType

        reference.register(CourseType)  # the session list's filter choices (core/reference.py)
