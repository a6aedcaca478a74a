from django.contrib import admin

from core.admin import ReferenceDataAdmin
from trainings.models import CourseType


@admin.register(CourseType)
class CourseTypeAdmin(ReferenceDataAdmin):
    list_display = ("name_de", "name_en", "kind", "duration_hours", "is_required", "sort_order", "is_active")
    list_filter = ("kind", "is_required", "is_active")
