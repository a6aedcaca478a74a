import datetime

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import District, HelpArea, Language
from core.reference import ReferenceChoiceFilter
from core.search import search_queryset
from volunteers.models import Volunteer, VolunteerStatus, volunteer_search_document
from volunteers.selectors import CLEARANCE_WARNING_DAYS, volunteer_organisations_for


def search_volunteers(queryset: QuerySet[Volunteer], value: str) -> QuerySet[Volunteer]:
    """Every word must begin a word of a name, the e-mail address or the phone number (core/search.py)."""
    return search_queryset(queryset, volunteer_search_document(), value)


def clearance_expiring_until() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=CLEARANCE_WARNING_DAYS)


class VolunteerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=VolunteerStatus.choices)
    organisation = ReferenceChoiceFilter(label=_("Organisation"), queryset=None)
    district = ReferenceChoiceFilter(label=_("City district"), queryset=District.objects.all())
    language = ReferenceChoiceFilter(
        label=_("Language"), queryset=Language.objects.filter(is_active=True), method="filter_language"
    )
    help_area = ReferenceChoiceFilter(
        label=_("Area of help"), queryset=HelpArea.objects.filter(is_active=True), method="filter_help_area"
    )
    trained = django_filters.ChoiceFilter(
        label=_("Trained"), choices=[("yes", _("yes")), ("no", _("no"))], method="filter_trained"
    )
    clearance = django_filters.ChoiceFilter(
        label=_("Police clearance"),
        choices=[
            ("valid", _("valid")),
            ("expiring", _("expires within 60 days")),
            ("missing", _("missing or expired")),
        ],
        method="filter_clearance",
    )
    free_capacity = django_filters.BooleanFilter(
        label=_("Free for a tandem"),
        method="filter_free_capacity",
        widget=forms.Select(choices=[("", "---------"), ("true", _("yes"))]),
    )

    class Meta:
        model = Volunteer
        fields = ["q", "status", "organisation", "district"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["organisation"].queryset = volunteer_organisations_for(
            user=request.user, perm="volunteers.view"
        )

    def filter_q(self, queryset, name, value):
        return search_volunteers(queryset, value) if value else queryset

    def filter_language(self, queryset, name, value):
        return queryset.filter(languages__language=value) if value else queryset

    def filter_help_area(self, queryset, name, value):
        return queryset.filter(help_areas=value) if value else queryset

    def filter_trained(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(trained_on__isnull=False)
        if value == "no":
            return queryset.filter(trained_on__isnull=True)
        return queryset

    def filter_clearance(self, queryset, name, value):
        today = timezone.localdate()
        if value == "valid":
            return queryset.filter(clearance_valid_until__gte=today)
        if value == "expiring":
            return queryset.filter(clearance_valid_until__range=(today, clearance_expiring_until()))
        if value == "missing":
            return queryset.filter(Q(clearance_valid_until__isnull=True) | Q(clearance_valid_until__lt=today))
        return queryset

    def filter_free_capacity(self, queryset, name, value):
        if not value:
            return queryset
        # the number of open tandems is kept on the volunteer's row by the database (tandems/migrations/0011)
        queryset = queryset.filter(status__in=[VolunteerStatus.TRAINED, VolunteerStatus.ACTIVE])
        return queryset.filter(open_tandems__lt=F("capacity"))


class InboxFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    state = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[
            ("unconfirmed", _("e-mail not yet confirmed")),
            ("confirmed", _("e-mail confirmed")),
            ("flagged", _("possible duplicates")),
        ],
        method="filter_state",
    )

    class Meta:
        model = Volunteer
        fields = ["q"]

    def filter_q(self, queryset, name, value):
        return search_volunteers(queryset, value) if value else queryset

    def filter_state(self, queryset, name, value):
        if value == "unconfirmed":
            return queryset.filter(email_confirmed_at__isnull=True)
        if value == "confirmed":
            return queryset.filter(email_confirmed_at__isnull=False)
        if value == "flagged":
            return queryset.filter(possible_duplicate_of__isnull=False)
        return queryset
