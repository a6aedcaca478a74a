"""The filters of the referral lists (core/lists.py shows them)."""

import datetime

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import District, HelpArea, Language, Organisation
from core.permissions import organisations_with
from core.reference import ReferenceChoiceFilter
from core.search import search_queryset
from refugees.models import (
    GermanLevel,
    Refugee,
    RefugeeStatus,
    refugee_name_document,
    refugee_search_document,
)


class RefugeeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RefugeeStatus.choices)
    district = ReferenceChoiceFilter(label=_("City district"), queryset=District.objects.all())
    language = ReferenceChoiceFilter(
        label=_("Language"), field_name="languages", queryset=Language.objects.all()
    )
    german_level = django_filters.ChoiceFilter(label=_("German level"), choices=GermanLevel.choices)
    need = ReferenceChoiceFilter(
        label=_("Help wanted with"), field_name="needs", queryset=HelpArea.objects.all()
    )
    with_children = django_filters.BooleanFilter(
        label=_("Household with children"),
        method="filter_children",
        widget=django_filters.widgets.BooleanWidget,
    )
    organisation = ReferenceChoiceFilter(label=_("Organisation"), queryset=Organisation.objects.none())
    waiting_more_than = django_filters.NumberFilter(
        label=_("Waiting longer than (days)"), method="filter_waiting", min_value=0
    )

    class Meta:
        model = Refugee
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        self.filters["organisation"].queryset = organisations_with(user=user, perm="refugees.view").distinct()
        self.filters["with_children"].field.widget.choices = (
            ("", _("all")),
            ("true", _("with children")),
            ("false", _("without children")),
        )

    def search(self, queryset, name, value):
        return search_queryset(queryset, refugee_search_document(), value)

    def filter_children(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(children_count__gt=0) if value else queryset.filter(children_count=0)

    def filter_waiting(self, queryset, name, value):
        if value is None:
            return queryset
        limit = timezone.localdate() - datetime.timedelta(days=int(value))
        return queryset.filter(status=RefugeeStatus.WAITING, waiting_since__lt=limit)


class WaitingFilter(RefugeeFilter):
    class Meta:
        model = Refugee
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.filters["status"]


class ReferralFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RefugeeStatus.choices)

    class Meta:
        model = Refugee
        fields: list[str] = []

    def search(self, queryset, name, value):
        return search_queryset(queryset, refugee_name_document(), value, names_only=True)
