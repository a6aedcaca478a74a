"""The filters of the tandem list (core/lists.py shows them)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Organisation, User
from core.permissions import organisations_with, users_with
from core.reference import ReferenceChoiceFilter
from core.search import search_related_queryset
from refugees.models import Refugee, refugee_name_document
from tandems.models import Tandem, TandemStatus
from volunteers.models import Volunteer, volunteer_name_document


class TandemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TandemStatus.choices)
    organisation = ReferenceChoiceFilter(label=_("Organisation"), queryset=Organisation.objects.none())
    coordinator = django_filters.ModelChoiceFilter(label=_("Coordinator"), queryset=User.objects.none())
    at_risk = django_filters.BooleanFilter(
        label=_("At risk"),
        field_name="is_at_risk",
        widget=forms.Select(choices=[("", "---------"), ("true", _("yes")), ("false", _("no"))]),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Check-in overdue"),
        field_name="is_overdue",
        widget=forms.Select(choices=[("", "---------"), ("true", _("yes")), ("false", _("no"))]),
    )

    class Meta:
        model = Tandem
        fields = ["q", "status", "organisation", "coordinator", "at_risk", "overdue"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["organisation"].queryset = organisations_with(user=request.user, perm="tandems.view")
        orgs = organisations_with(user=request.user, perm="tandems.view")
        self.filters["coordinator"].queryset = users_with(perm="tandems.change", organisations=orgs).order_by(
            "last_name", "first_name", "username"
        )

    def search(self, queryset, name, value):
        """Every word begins a first or last name of the tandem's volunteer or refugee (core/search.py)."""
        return search_related_queryset(
            queryset,
            value,
            {
                "volunteer": (Volunteer.objects.all(), volunteer_name_document()),
                "refugee": (Refugee.objects.all(), refugee_name_document()),
            },
        )
