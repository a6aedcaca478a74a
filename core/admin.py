from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.audit import action_label, audit_action, audit_record, diff, snapshot
from core.legal import REVIEW_FLAG, legal_text_review
from core.models import (
    AuditEntry,
    District,
    EndReason,
    HelpArea,
    Language,
    LegalText,
    Membership,
    NotificationSetting,
    Organisation,
    RetentionRule,
    Role,
    SecurityPolicy,
    User,
)


class AuditedAdmin(admin.ModelAdmin):
    """Changes made in the admin are audited like those made through services."""

    def save_model(self, request, obj, form, change):
        request._audit_before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        changes = diff(getattr(request, "_audit_before", {}), snapshot(obj))
        if changes or not change:
            audit_record(
                actor=request.user,
                action=audit_action(obj, "changed" if change else "created"),
                obj=obj,
                changes=changes,
            )

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action=audit_action(obj, "deleted"), obj=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(actor=request.user, action=audit_action(obj, "deleted"), obj=obj)
        super().delete_queryset(request, queryset)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    max_num = 1


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ("username", "first_name", "last_name", "email", "role", "organisation", "is_active")
    list_filter = ("is_active", "memberships__role", "memberships__organisation")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("E-mails"), {"fields": ("has_referral_updates",)}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships__organisation")

    @admin.display(description=_("role"))
    def role(self, obj):
        return ", ".join(m.get_role_display() for m in obj.memberships.all())

    @admin.display(description=_("organisation"))
    def organisation(self, obj):
        return ", ".join(str(m.organisation) for m in obj.memberships.all())


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("short_name", "name", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read only: the database refuses changes and deletions anyway (core/migrations/0008)."""

    list_display = ("at", "actor_repr", "label", "content_type", "object_id", "object_repr", "organisation")
    list_filter = ("organisation", "action", "content_type")
    search_fields = ("action", "actor_repr", "object_repr", "object_id")
    date_hierarchy = "at"
    list_select_related = ("content_type", "organisation")
    actions = None

    @admin.display(description=_("action"), ordering="action")
    def label(self, obj):
        return action_label(obj.action)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReferenceDataAdmin(AuditedAdmin):
    list_display = ("name_de", "name_en", "code", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    search_fields = ("name_de", "name_en", "code")


admin.site.register(Language, ReferenceDataAdmin)
admin.site.register(HelpArea, ReferenceDataAdmin)


@admin.register(District)
class DistrictAdmin(ReferenceDataAdmin):
    list_display = ("name_de", "code", "latitude", "longitude", "sort_order", "is_active")


@admin.register(EndReason)
class EndReasonAdmin(ReferenceDataAdmin):
    list_display = ("name_de", "name_en", "code", "is_goal_reached", "sort_order", "is_active")


@admin.register(RetentionRule)
class RetentionRuleAdmin(AuditedAdmin):
    """The periods of the retention rules; which rules exist is decided in core/privacy.py."""

    list_display = ("code", "model_label", "amount", "unit", "is_active")
    list_editable = ("amount", "unit", "is_active")
    readonly_fields = ("code", "model_label")
    fields = ("code", "model_label", "amount", "unit", "is_active")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SecurityPolicyForm(forms.ModelForm):
    two_factor_roles = forms.MultipleChoiceField(
        label=_("roles that must use two-factor login"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Users with these roles have to set up an authenticator app before they can work."),
    )

    class Meta:
        model = SecurityPolicy
        fields = ("two_factor_roles",)


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(AuditedAdmin):
    form = SecurityPolicyForm
    list_display = ("__str__", "updated_at")

    def has_add_permission(self, request):
        return not SecurityPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NotificationSetting)
class NotificationSettingAdmin(AuditedAdmin):
    """Switch the automatic messages on and off; which ones exist is decided in core/notifications.py."""

    list_display = ("__str__", "code", "is_active", "updated_at")
    list_display_links = None
    list_editable = ("is_active",)
    fields = ("code", "is_active")
    readonly_fields = ("code",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LegalText)
class LegalTextAdmin(AuditedAdmin):
    """Consent and privacy texts per language; translations carry the review flag until reviewed."""

    list_display = ("kind", "language", "version", "source_version", "review_state", "created_at")
    list_filter = ("kind", "language")
    readonly_fields = ("reviewed_at", "reviewed_by", "created_at")
    actions = ["mark_reviewed"]

    @admin.display(description=_("review"))
    def review_state(self, obj: LegalText) -> str:
        if obj.is_outdated:
            return gettext("Outdated: the German text is newer")
        return str(REVIEW_FLAG) if obj.needs_review else gettext("checked")

    @admin.action(description=_("Mark as reviewed by a professional translator"))
    def mark_reviewed(self, request, queryset):
        for text in queryset:
            if not text.is_source:
                legal_text_review(text=text, actor=request.user)
