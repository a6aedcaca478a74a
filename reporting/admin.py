from django.contrib import admin

from core.admin import AuditedAdmin, ReferenceDataAdmin
from reporting.models import AnnualTarget, BudgetLine, Expense, FundingPlan, FundingSource


@admin.register(AnnualTarget)
class AnnualTargetAdmin(AuditedAdmin):
    list_display = ("year", "tandems_formed", "volunteers_trained")
    ordering = ("-year",)


@admin.register(FundingSource)
class FundingSourceAdmin(ReferenceDataAdmin):
    list_display = ("name_de", "name_en", "code", "kind", "sort_order", "is_active")


admin.site.register(BudgetLine, ReferenceDataAdmin)


@admin.register(FundingPlan)
class FundingPlanAdmin(AuditedAdmin):
    list_display = ("year", "source", "budget_line", "amount")
    list_filter = ("year", "source", "budget_line")


@admin.register(Expense)
class ExpenseAdmin(AuditedAdmin):
    list_display = ("spent_on", "source", "budget_line", "amount", "description", "recorded_by")
    list_filter = ("source", "budget_line")
    date_hierarchy = "spent_on"
    search_fields = ("description",)
    readonly_fields = ("recorded_by",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
