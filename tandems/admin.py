from django.contrib import admin

from core.admin import AuditedAdmin
from tandems.models import (
    AgreementText,
    CheckInCadence,
    IntegrationOutcome,
    MatchingWeights,
    RiskRule,
    SurveyItem,
    VolunteerRelease,
)


@admin.register(MatchingWeights)
class MatchingWeightsAdmin(AuditedAdmin):
    list_display = ("name", "is_active", *MatchingWeights.CRITERIA, "updated_at")
    list_filter = ("is_active",)


@admin.register(CheckInCadence)
class CheckInCadenceAdmin(AuditedAdmin):
    list_display = (
        "name",
        "is_active",
        "first_after_days",
        "early_interval_days",
        "early_period_days",
        "later_interval_days",
        "no_contact_days",
    )
    list_filter = ("is_active",)


@admin.register(VolunteerRelease)
class VolunteerReleaseAdmin(AuditedAdmin):
    list_display = ("volunteer", "organisation", "released_by", "created_at")
    list_filter = ("organisation",)
    raw_id_fields = ("volunteer",)
    readonly_fields = ("released_by",)


@admin.register(AgreementText)
class AgreementTextAdmin(AuditedAdmin):
    list_display = ("version", "created_at", "updated_at")


@admin.register(RiskRule)
class RiskRuleAdmin(AuditedAdmin):
    """The rules of the risk at match time: an admin weighs them or switches them off; the rules are code."""

    list_display = ("code", "label", "weight", "is_active", "updated_at")
    list_editable = ("weight", "is_active")
    list_filter = ("is_active",)

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj is not None else ()


@admin.register(SurveyItem)
class SurveyItemAdmin(AuditedAdmin):
    """The relationship survey's statements: `texts` is one statement per language code ("de" required;
    "de-ls", "en", "ar", "fa", "uk", "tr", "ru" shown to participants of that language, else German)."""

    list_display = ("__str__", "order", "respondent", "is_active")
    list_filter = ("is_active", "respondent")


@admin.register(IntegrationOutcome)
class IntegrationOutcomeAdmin(AuditedAdmin):
    list_display = ("code", "name_de", "name_en", "sort_order", "is_active")
    list_filter = ("is_active",)
