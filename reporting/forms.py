import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import GroupedDecimalField
from reporting.models import BudgetLine, Expense, FundingSource
from reporting.selectors import Period

DATE_WIDGET = {"type": "date"}
MAX_PERIOD_DAYS = 366 * 10


class PeriodForm(forms.Form):
    """The period filter: a calendar year, or a range from/to (both days included)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("– range below –")), *[(y, str(y)) for y in years]]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if self.errors:
            return data
        if start or end:
            if not (start and end):
                raise forms.ValidationError(
                    _("Please give both dates of the range, or choose a year."), code="half"
                )
            if end < start:
                raise forms.ValidationError(_("The range must not end before it starts."), code="order")
            if (end - start).days > MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Please choose a range of at most ten years."), code="long")
        return data

    def period(self) -> Period:
        """The chosen period; the current year when nothing (valid) was chosen."""
        today = timezone.localdate()
        if not self.is_bound or not self.is_valid():
            return Period.for_year(today.year)
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        if start and end:
            if start.month == 1 and start.day == 1 and end == datetime.date(start.year, 12, 31):
                return Period.for_year(start.year)
            return Period(start, end)
        return Period.for_year(self.cleaned_data.get("year") or today.year)


class ExpenseForm(forms.ModelForm):
    amount = GroupedDecimalField(
        label=_("amount (EUR)"),
        max_digits=10,
        decimal_places=2,
        min_value=0.01,
        localize=True,
        help_text=_("In euros, for example 1.234,50."),
    )

    class Meta:
        model = Expense
        fields = ("spent_on", "source", "budget_line", "amount", "description")
        widgets = {"spent_on": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = FundingSource.objects.filter(is_active=True)
        self.fields["budget_line"].queryset = BudgetLine.objects.filter(is_active=True)
        self.fields["amount"].widget.attrs["inputmode"] = "decimal"
        self.helper = FormHelper()
        self.helper.layout = Layout(*self.Meta.fields, Submit("save", _("Save expense")))

    def clean_spent_on(self):
        value = self.cleaned_data["spent_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("An expense cannot lie in the future."), code="future")
        return value
