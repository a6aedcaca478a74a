import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import District, Organisation
from core.permissions import organisations_with
from core.reference import ReferenceChoiceFilter
from core.search import search_queryset
from trainings.models import CourseType, Session
from volunteers.models import Volunteer, VolunteerStatus, volunteer_name_document

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SessionFilter(django_filters.FilterSet):
    when = django_filters.ChoiceFilter(
        label=_("When"),
        choices=[("coming", _("coming")), ("past", _("past"))],
        method="filter_when",
        empty_label=_("all"),
    )
    course_type = ReferenceChoiceFilter(
        label=_("Course type"), queryset=CourseType.objects.all(), empty_label=_("all")
    )
    organisation = ReferenceChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.all(), empty_label=_("all")
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="starts_at", lookup_expr="date__gte", widget=DATE_WIDGET
    )
    date_to = django_filters.DateFilter(
        label=_("Until"), field_name="starts_at", lookup_expr="date__lte", widget=DATE_WIDGET
    )

    class Meta:
        model = Session
        fields = ["when", "course_type", "organisation", "date_from", "date_to"]

    def filter_when(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        return queryset.filter(ends_at__gte=now) if value == "coming" else queryset.filter(ends_at__lt=now)


class VolunteerChoiceFilter(django_filters.FilterSet):
    """The volunteer filters of the bulk registration page."""

    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=VolunteerStatus.choices, empty_label=_("all")
    )
    organisation = ReferenceChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=_("all")
    )
    district = ReferenceChoiceFilter(
        label=_("City district"), queryset=District.objects.all(), empty_label=_("all")
    )
    not_trained = django_filters.BooleanFilter(
        label=_("Not yet trained"),
        field_name="trained_on",
        lookup_expr="isnull",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Volunteer
        fields = ["q", "status", "organisation", "district", "not_trained"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["organisation"].queryset = organisations_with(
            user=request.user, perm="trainings.change"
        ).order_by("name")

    def filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_queryset(queryset, volunteer_name_document(), value, names_only=True)


class WaitingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[c for c in VolunteerStatus.choices if c[0] not in {"left", "paused"}],
        empty_label=_("all"),
    )
    organisation = ReferenceChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=_("all")
    )
    district = ReferenceChoiceFilter(
        label=_("City district"), queryset=District.objects.all(), empty_label=_("all")
    )

    class Meta:
        model = Volunteer
        fields = ["status", "organisation", "district"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["organisation"].queryset = organisations_with(
            user=request.user, perm="volunteers.view"
        ).order_by("name")
