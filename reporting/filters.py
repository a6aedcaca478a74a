import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reporting.models import BudgetLine, Expense, FundingSource


class ExpenseFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="spent_on", lookup_expr="year", min_value=2000
    )
    source = django_filters.ModelChoiceFilter(
        label=_("Funding source"), queryset=FundingSource.objects.all(), empty_label=_("all")
    )
    budget_line = django_filters.ModelChoiceFilter(
        label=_("Budget line"), queryset=BudgetLine.objects.all(), empty_label=_("all")
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")

    class Meta:
        model = Expense
        fields = ["year", "source", "budget_line", "q"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(description__icontains=value.strip()) if value.strip() else queryset
