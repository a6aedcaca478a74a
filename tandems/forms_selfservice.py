"""The forms of a volunteer's self-service pages (the record's own fields are volunteers.forms)."""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandems.models import Tandem


class TandemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Tandem) -> str:
        return str(_("Tandem with %(name)s") % {"name": obj.refugee.first_name})


class HoursForm(forms.Form):
    tandem = TandemChoice(label=_("Tandem"), queryset=Tandem.objects.none(), empty_label=None)
    spent_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.5"),
        max_value=Decimal("24"),
        decimal_places=1,
        max_digits=4,
        step_size=Decimal("0.5"),
    )
    note = forms.CharField(label=_("What you did (optional)"), max_length=200, required=False)

    def __init__(self, *args, tandems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tandem"].queryset = tandems

    def clean_spent_on(self) -> datetime.date:
        value = self.cleaned_data["spent_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."), code="future")
        if value < timezone.localdate() - datetime.timedelta(days=366):
            raise ValidationError(_("Hours can be logged for the last twelve months."), code="old")
        return value


class ChoiceIdForm(forms.Form):
    """One id from a button (a session to book, a registration to cancel): checked, never trusted."""

    id = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class LinkRequestForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
