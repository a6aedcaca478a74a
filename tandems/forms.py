from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import EndReason, HelpArea, User
from refugees.models import GermanLevel
from tandems.models import (
    HOUSEHOLD_WISHES,
    VOLUNTEER_WISHES,
    Channel,
    CheckIn,
    ClosingSide,
    ContactWish,
    ContactWith,
    ExitChannel,
    IntegrationOutcome,
    MeetingFrequency,
    Mood,
    NoConversationReason,
    Tandem,
)

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


def _choices(choices, allowed=None) -> list[tuple[str, str]]:
    return [
        ("", "---------"),
        *[(value, label) for value, label in choices if allowed is None or value in allowed],
    ]


class EndForm(_NotInFuture, forms.Form):
    """The end step (issue #20): the reason, the exit conversations or why there were none, both sides'
    wishes, the decision about a new tandem with its cool-off, the outcomes reached and the German levels.
    The service checks the parts that depend on each other (services_closure.closure_check)."""

    ended_on = forms.DateField(label=_("Ended on"), widget=forms.DateInput(**DATE))
    end_reason = forms.ModelChoiceField(label=_("Reason"), queryset=EndReason.objects.filter(is_active=True))
    no_conversation_reason = forms.ChoiceField(
        label=_("No exit conversation because"),
        choices=_choices(NoConversationReason.choices),
        required=False,
        help_text=_("Only when no exit conversation could be held with one side or both."),
    )
    volunteer_wish = forms.ChoiceField(
        label=_("Wish of the volunteer about further contact"),
        choices=_choices(ContactWish.choices, VOLUNTEER_WISHES),
        required=False,
    )
    household_wish = forms.ChoiceField(
        label=_("Wish of the household about further contact"),
        choices=_choices(ContactWish.choices, HOUSEHOLD_WISHES),
        required=False,
    )
    volunteer_wants_new = forms.TypedChoiceField(
        label=_("Does the volunteer want a new tandem?"),
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    cooloff_until = forms.DateField(
        label=_("Suggest the volunteer again from"),
        widget=forms.DateInput(**DATE),
        required=False,
        help_text=_("Until this date the volunteer is not suggested for a new tandem (cool-off)."),
    )
    refugee_needs_new = forms.TypedChoiceField(
        label=_("Does the refugee still need a tandem?"),
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    outcomes = forms.ModelMultipleChoiceField(
        label=_("Integration outcomes reached"),
        queryset=IntegrationOutcome.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    no_outcome = forms.BooleanField(label=_("None of these outcomes was reached"), required=False)
    german_level_start = forms.ChoiceField(
        label=_("German level at the start"), choices=_choices(GermanLevel.choices), required=False
    )
    german_level_end = forms.ChoiceField(
        label=_("German level at the end"), choices=_choices(GermanLevel.choices), required=False
    )
    closing_notes = forms.CharField(
        label=_("Closing notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Anything else about the end of the tandem."),
    )
    send_letter = forms.BooleanField(
        label=_("Send the closing letter to both sides by e-mail"), required=False, initial=True
    )

    def __init__(self, *args, tandem: Tandem, **kwargs):
        super().__init__(*args, **kwargs)
        self.tandem = tandem
        self.fields["outcomes"].queryset = IntegrationOutcome.objects.filter(is_active=True)
        closure = getattr(tandem, "closure", None) if tandem.pk else None
        self.fields["german_level_start"].initial = (
            closure.german_level_start if closure else tandem.refugee.german_level
        )
        self.helper = _helper(_("End the tandem"))

    def clean_ended_on(self):
        value = self._not_future("ended_on")
        if value and self.tandem.started_on and value < self.tandem.started_on:
            raise forms.ValidationError(_("A tandem cannot end before it started."), code="before_start")
        return value

    def clean(self):
        data = super().clean()
        until, ended = data.get("cooloff_until"), data.get("ended_on")
        if until and ended and until < ended:
            raise forms.ValidationError(
                {"cooloff_until": _("The cool-off cannot end before the tandem ended.")}, code="cooloff"
            )
        return data


class ExitConversationForm(_NotInFuture, forms.Form):
    side = forms.ChoiceField(label=_("With whom"), choices=_choices(ClosingSide.choices))
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(**DATE))
    channel = forms.ChoiceField(label=_("Channel"), choices=_choices(ExitChannel.choices))
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the exit conversation"))

    def clean_held_on(self):
        return self._not_future("held_on")


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


class BatchConfirmForm(forms.Form):
    """The pairs ticked on a batch run's page: only pairs of that run (by their key "refugee-volunteer"), and
    only of the user's latest run (a run computed again meanwhile has other pairs). `count` is the number the
    coordinator was asked to confirm; `confirmed` is set on the confirmation page."""

    run = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("The selection could not be read. Please try again."),
            "invalid": _("The selection could not be read. Please try again."),
        },
    )
    pair = forms.MultipleChoiceField(
        choices=(),
        error_messages={
            "required": _("Please tick at least one pair."),
            "invalid_choice": _("A ticked pair is not part of this proposal. Please try again."),
        },
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    count = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, run, pair_keys: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.batch_run = run
        self.fields["pair"].choices = [(key, key) for key in pair_keys]

    def clean_run(self) -> int:
        value = self.cleaned_data["run"]
        if value != self.batch_run.pk:
            raise forms.ValidationError(
                _("The proposal has been computed again meanwhile. Please check the new proposal."),
                code="superseded",
            )
        return value

    def clean_pair(self) -> list[tuple[int, int]]:
        pairs: list[tuple[int, int]] = []
        for key in self.cleaned_data["pair"]:
            refugee_pk, volunteer_pk = (int(part) for part in key.split("-", 1))  # a key of the run: two ids
            if (refugee_pk, volunteer_pk) not in pairs:
                pairs.append((refugee_pk, volunteer_pk))
        return pairs
