import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import EndReason, HelpArea, Organisation, User
from core.permissions import organisations_with, users_with
from core.reference import ReferenceChoiceFilter
from core.search import search_related_queryset
from refugees.models import Refugee, refugee_name_document
from tandems.models import Channel, CheckIn, ContactWith, MeetingFrequency, Mood, Tandem, TandemStatus
from volunteers.models import Volunteer, volunteer_name_document

DATE = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


class _NotInFuture:
    def _not_future(self, name: str):
        value = self.cleaned_data.get(name)
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        return value


class IntroduceForm(_NotInFuture, forms.Form):
    introduced_on = forms.DateField(label=_("Introduced on"), widget=forms.DateInput(**DATE))
    send_letter = forms.BooleanField(
        label=_("Send the introduction letter to the volunteer by e-mail"), required=False
    )
    planned_frequency = forms.ChoiceField(
        label=_("How often do they plan to meet?"),
        choices=[("", "---------"), *MeetingFrequency.choices],
        required=False,
    )
    planned_activities = forms.ModelMultipleChoiceField(
        label=_("What do they plan to do together?"),
        queryset=HelpArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Both are printed on the tandem agreement."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_activities"].queryset = HelpArea.objects.filter(is_active=True)
        self.helper = _helper(_("Record the introduction"))

    def clean_introduced_on(self):
        return self._not_future("introduced_on")


class StartForm(_NotInFuture, forms.Form):
    started_on = forms.DateField(label=_("Started on"), widget=forms.DateInput(**DATE))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Start the tandem"))

    def clean_started_on(self):
        return self._not_future("started_on")


YES_NO = [("yes", _("yes")), ("no", _("no"))]


class EndForm(_NotInFuture, forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=forms.DateInput(**DATE))
    end_reason = forms.ModelChoiceField(label=_("Reason"), queryset=EndReason.objects.filter(is_active=True))
    closing_notes = forms.CharField(
        label=_("Closing conversation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was said in the closing conversation with both sides."),
    )
    volunteer_wants_new = forms.TypedChoiceField(
        label=_("Does the volunteer want a new tandem?"),
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    refugee_needs_new = forms.TypedChoiceField(
        label=_("Does the refugee still need a tandem?"),
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, tandem: Tandem, **kwargs):
        super().__init__(*args, **kwargs)
        self.tandem = tandem
        self.helper = _helper(_("End the tandem"))

    def clean_ended_on(self):
        value = self._not_future("ended_on")
        if value and self.tandem.started_on and value < self.tandem.started_on:
            raise forms.ValidationError(_("A tandem cannot end before it started."), code="before_start")
        return value


class NotStartedForm(forms.Form):
    reason = forms.CharField(label=_("Why did the tandem not start?"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record that it did not start"))


class TandemEditForm(forms.ModelForm):
    class Meta:
        model = Tandem
        fields = ("coordinator", "notes")
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, coordinators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinators
        self.helper = _helper(_("Save"))


class CheckInForm(_NotInFuture, forms.ModelForm):
    fulfils_plan = forms.BooleanField(label=_("Counts as the planned check-in"), required=False, initial=True)

    class Meta:
        model = CheckIn
        fields = ("held_on", "channel", "contact_with", "mood", "topics", "follow_up", "follow_up_on")
        widgets = {
            "held_on": forms.DateInput(**DATE),
            "follow_up_on": forms.DateInput(**DATE),
            "topics": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
            "mood": forms.RadioSelect,
        }

    def __init__(self, *args, has_plan: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("held_on", "channel", "contact_with", "mood"):
            self.fields[name].required = True
        self.fields["channel"].choices = [("", "---------"), *Channel.choices]
        self.fields["contact_with"].choices = [("", "---------"), *ContactWith.choices]
        self.fields["mood"].choices = Mood.choices
        if not has_plan:
            del self.fields["fulfils_plan"]
        self.helper = _helper(_("Save contact"))

    def clean_held_on(self):
        return self._not_future("held_on")


class HandoverForm(forms.Form):
    to_coordinator = forms.ModelChoiceField(label=_("Hand over to"), queryset=User.objects.none())
    scope = forms.ChoiceField(
        label=_("Which tandems"),
        choices=[("ticked", _("the ticked tandems")), ("all", _("all my open tandems"))],
        widget=forms.RadioSelect,
        initial="ticked",
    )
    tandems = forms.ModelMultipleChoiceField(
        label=_("Tandems"),
        queryset=Tandem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, colleagues, tandems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_coordinator"].queryset = colleagues
        self.fields["tandems"].queryset = tandems

    def clean(self):
        data = super().clean()
        if data.get("scope") == "ticked" and not data.get("tandems"):
            raise forms.ValidationError(_("Please tick at least one tandem."), code="none_ticked")
        return data


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
