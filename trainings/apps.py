from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings")

    def ready(self) -> None:
        self._answer_volunteers()

    @staticmethod
    def _answer_volunteers() -> None:
        """volunteers imports no trainings (tests/test_import_graph.py): a merge of two volunteer records
        moves the training registrations through volunteers.registry."""
        from trainings.services import registrations_merge
        from volunteers.registry import volunteer_merge_step_register

        volunteer_merge_step_register("training_registrations", registrations_merge)
