from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TandemsConfig(AppConfig):
    name = "tandems"
    verbose_name = _("Tandems")

    def ready(self) -> None:
        self._answer_volunteers()

    @staticmethod
    def _answer_volunteers() -> None:
        """volunteers imports no tandems (tests/test_import_graph.py): it asks through volunteers.registry
        for the open tandems (capacity check, merge refusal, "free for a tandem")."""
        from tandems.models import OPEN_STATUSES, Tandem
        from volunteers.registry import open_tandems_register

        open_tandems_register(lambda: Tandem.objects.filter(status__in=OPEN_STATUSES))
