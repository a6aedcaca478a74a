from django.contrib import admin

from core.admin import AuditedAdmin
from tandems.models import (
    AgreementText,
    CheckInCadence,
    IntegrationOutcome,
    MatchingWeights,
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


@admin.register(IntegrationOutcome)
class IntegrationOutcomeAdmin(AuditedAdmin):
    list_display = ("code", "name_de", "name_en", "sort_order", "is_active")
    list_filter = ("is_active",)
