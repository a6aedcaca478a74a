from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TandemsConfig(AppConfig):
    name = "tandems"
    verbose_name = _("Tandems")

    def ready(self) -> None:
        self._home_sections()
        self._audit_labels()
        self._answer_volunteers()

        from tandems.privacy import privacy_register

        # the personal data of tandems, and what tandems adds to the records of volunteers and refugees
        privacy_register()

    @staticmethod
    def _home_sections() -> None:
        """The start page's work queue: what tandems adds to it (core.home)."""
        from django.urls import reverse

        from core.home import HomeSection, home_section_register
        from tandems import selectors

        for section in (
            HomeSection(
                key="help-requests",
                order=1,
                title=_("I need help"),
                empty=_("Nobody has asked for help."),
                perm="tandems.change",
                rows=selectors.help_requests_open,
                template="tandems/_home_help_requests.html",
            ),
            HomeSection(
                key="checkins-due",
                order=10,
                title=_("Check-ins due today and overdue"),
                empty=_("Nothing due."),
                perm="tandems.change",
                rows=selectors.checkins_due,
                group=selectors.support_queues,
                template="tandems/_home_checkins_due.html",
                list_url=lambda: reverse("tandems:caseload"),
            ),
            HomeSection(
                key="tandems-at-risk",
                order=20,
                title=_("Tandems at risk"),
                empty=_("No tandem at risk."),
                perm="tandems.change",
                rows=selectors.tandems_at_risk,
                group=selectors.support_queues,
                template="tandems/_home_at_risk.html",
                list_url=lambda: reverse("tandems:tandem_list") + "?at_risk=true",
            ),
            HomeSection(
                key="tandems-without-contact",
                order=30,
                title=_("Tandems without contact"),
                empty=_("Every tandem has had contact recently."),
                perm="tandems.change",
                rows=selectors.tandems_without_contact,
                group=selectors.support_queues,
                template="tandems/_home_without_contact.html",
                list_url=lambda: reverse("tandems:tandem_list") + "?at_risk=true&sort=last_contact",
            ),
            HomeSection(
                key="volunteers-trained-unmatched",
                order=80,
                title=_("Volunteers trained but never matched"),
                empty=_("Every trained volunteer has had a tandem."),
                perm="tandems.change",
                rows=selectors.volunteers_trained_unmatched,
                template="tandems/_home_trained_unmatched.html",
                list_url=lambda: reverse("volunteers:volunteer_list") + "?free_capacity=true",
            ),
        ):
            home_section_register(section)

    @staticmethod
    def _audit_labels() -> None:
        """The words of tandems' audit action codes (core.registry)."""
        from core.registry import audit_labels_register

        audit_labels_register(
            {
                "tandems.tandem.created": _("Tandem proposed"),
                "tandems.tandem.agreement_queued": _("Tandem agreement queued for sending"),
                "tandems.agreementtext.created": _("Agreement text created"),
                "tandems.agreementtext.changed": _("Agreement text changed"),
                "tandems.agreementtext.deleted": _("Agreement text deleted"),
                "tandems.tandem.introduced": _("Introduced to each other"),
                "tandems.tandem.started": _("Tandem started"),
                "tandems.tandem.ended": _("Tandem ended"),
                "tandems.tandem.closing_started": _("Closing started"),
                "tandems.tandem.closing_letter_queued": _("Closing letter queued for sending"),
                "tandems.tandemclosure.created": _("Closing recorded"),
                "tandems.tandemclosure.changed": _("Closing: wishes and outcomes recorded"),
                "tandems.exitconversation.created": _("Exit conversation recorded"),
                "tandems.exitconversation.changed": _("Exit conversation corrected"),
                "tandems.exitconversation.anonymised": _("Exit conversation anonymised"),
                "tandems.integrationoutcome.created": _("Integration outcome created"),
                "tandems.integrationoutcome.changed": _("Integration outcome changed"),
                "tandems.integrationoutcome.deleted": _("Integration outcome deleted"),
                "tandems.tandem.not_started": _("Tandem did not start"),
                "tandems.tandem.changed": _("Details changed"),
                "tandems.tandem.letter_sent": _("Introduction letter sent"),
                "tandems.tandem.letter_queued": _("Introduction letter queued for sending"),
                "tandems.tandem.anonymised": _("Free texts anonymised"),
                "tandems.checkin.created": _("Contact logged"),
                "tandems.checkin.changed": _("Contact changed"),
                "tandems.checkin.deleted": _("Contact deleted"),
                "tandems.checkin.anonymised": _("Contact anonymised"),
                "tandems.helprequest.created": _('"I need help" pressed'),
                "tandems.helprequest.handled": _("Request for help handled"),
                "tandems.participantlinks.revoked": _("Personal links revoked"),
                "tandems.hourslog.created": _("Hours logged by the volunteer (self-service)"),
                "tandems.hourslog.changed": _("Logged hours corrected (self-service)"),
                "tandems.hourslog.deleted": _("Logged hours deleted (self-service)"),
                "tandems.hourslog.anonymised": _("Note on the logged hours erased"),
                "tandems.surveyresponse.created": _("Relationship survey answered by link"),
                "tandems.surveyitem.created": _("Survey statement created"),
                "tandems.surveyitem.changed": _("Survey statement changed"),
                "tandems.surveyitem.deleted": _("Survey statement deleted"),
                "tandems.volunteerrelease.created": _("Released to a partner"),
                "tandems.volunteerrelease.deleted": _("Release to a partner withdrawn"),
            }
        )
        audit_labels_register({"tandems.tandem.handed_over": _("Handed over")}, inline="coordinator")

    @staticmethod
    def _answer_volunteers() -> None:
        """volunteers imports no tandems (tests/test_import_graph.py): it asks through volunteers.registry
        for the open tandems (capacity check, merge refusal, "free for a tandem")."""
        from tandems.models import OPEN_STATUSES, Tandem
        from volunteers.registry import open_tandems_register

        open_tandems_register(lambda: Tandem.objects.filter(status__in=OPEN_STATUSES))
