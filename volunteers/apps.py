from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self) -> None:
        self._home_sections()
        self._audit_labels()

        from volunteers.privacy import privacy_register

        privacy_register()  # the personal data of volunteers (volunteers/privacy.py, core/privacy.py)

    @staticmethod
    def _home_sections() -> None:
        """What volunteers adds to the start page's work queue (core.home)."""
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
                key="erasure-requests",
                order=35,
                title=_("Volunteers asking for the erasure of their data"),
                empty=_("Nobody has asked for erasure."),
                perm="core.privacy",
                rows=selectors.erasure_requests_open,
                template="volunteers/_home_erasure_requests.html",
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

    @staticmethod
    def _audit_labels() -> None:
        """The words of volunteers' audit action codes and fields (core.registry)."""
        from core.registry import audit_fields_register, audit_labels_register
        from volunteers.models import LanguageLevel

        audit_labels_register(
            {
                "volunteers.volunteer.created": _("Volunteer registered"),
                "volunteers.volunteer.changed": _("Details changed"),
                "volunteers.erasurerequest.created": _("Erasure requested by the volunteer (self-service)"),
                "volunteers.erasurerequest.declined": _("Request for erasure declined"),
                "volunteers.erasurerequest.reopened": _(
                    "Erasure requested again by the volunteer (self-service)"
                ),
                "volunteers.volunteer.self_service_changed": _(
                    "Details changed by the volunteer (self-service)"
                ),
                "volunteers.volunteer.email_confirmed": _("E-mail address confirmed"),
                "volunteers.volunteer.consent_recorded": _("Consent recorded"),
                "volunteers.volunteer.interview_recorded": _("Intake interview recorded"),
                "volunteers.volunteer.clearance_recorded": _("Police clearance recorded"),
                "volunteers.volunteer.merged": _("Duplicate merged into this record"),
                "volunteers.volunteer.deleted": _("Volunteer deleted"),
                "volunteers.statuschange.created": _("Step added to the timeline"),
                "volunteers.statuschange.changed": _("Note on the timeline corrected"),
                "volunteers.interview.created": _("Intake interview recorded"),
                "volunteers.interview.changed": _("Intake interview changed"),
                "volunteers.policeclearance.created": _("Police clearance recorded"),
                "volunteers.bulkmessage.created": _("Message to a list written and sent"),
                "volunteers.bulkmessage.queued": _("Message to a list queued for every recipient"),
            }
        )
        audit_labels_register({"volunteers.volunteer.status_changed": _("Status changed")}, inline="status")
        audit_labels_register(
            {"volunteers.volunteer.trained": _("Basic training recorded")}, inline="trained_on"
        )
        audit_fields_register("volunteers.Volunteer", {"consent": _("consent")})

        def languages_text(value, cache: dict) -> str:
            """The stored "ar:good" as "Arabisch (gut)"; the language names are read once per history."""
            from core.models import Language

            if "language_names" not in cache:
                cache["language_names"] = {lang.code: str(lang) for lang in Language.objects.all()}
            levels = dict(LanguageLevel.choices)
            items = value if isinstance(value, list) else [value]
            parts = []
            for item in items:
                code, _sep, level = str(item).partition(":")
                name = cache["language_names"].get(code, code)
                parts.append(f"{name} ({levels[level]})" if level in levels else name)
            return ", ".join(parts)

        audit_fields_register("volunteers.Volunteer", ["languages"], formatter=languages_text)
