import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import preset_own_organisation
from core.models import ConsentChannel, HelpArea, Language, User
from core.placeholders import placeholders_unknown
from volunteers.models import (
    DayTime,
    ErasureDeclineReason,
    Interview,
    LanguageLevel,
    PoliceClearance,
    Volunteer,
    VolunteerStatus,
    Weekday,
)
from volunteers.selectors import staff_users_for, volunteer_organisations_for
from volunteers.services import BULK_PLACEHOLDERS, PRIVACY_VERSION, SELF_SERVICE_FIELDS


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _not_in_future(value: datetime.date | None) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")


class VolunteerForm(forms.ModelForm):
    """The register record as coordinators enter and edit it; languages come in a formset beside it."""

    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))
    available_weekdays = forms.TypedMultipleChoiceField(
        label=_("available on"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    available_times = forms.MultipleChoiceField(
        label=_("available at"), choices=DayTime.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    help_areas = forms.ModelMultipleChoiceField(
        label=_("areas of help offered"),
        queryset=HelpArea.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_channel = forms.ChoiceField(
        label=_("Consent to the volunteer register given"),
        choices=[(c.value, c.label) for c in ConsentChannel if c not in {ConsentChannel.ONLINE}],
        help_text=_("How the person agreed that their data are kept in the register."),
    )
    consent_version = forms.CharField(
        label=_("Version of the privacy notice"), max_length=40, initial=PRIVACY_VERSION
    )

    class Meta:
        model = Volunteer
        fields = (
            "organisation",
            "first_name",
            "last_name",
            "email",
            "phone",
            "address",
            "birth_date",
            "gender",
            "migration_background",
            "district",
            "available_weekdays",
            "available_times",
            "hours_per_month",
            "capacity",
            "commitment_months",
            "commitment_per_month",
            "help_areas",
            "pref_gender",
            "pref_families",
            "pref_age_min",
            "pref_age_max",
            "interests",
            "source",
            "notes",
            "preferred_language",
        )
        widgets = {"birth_date": _date_widget(), "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"interests": _("Separate several with commas.")}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = volunteer_organisations_for(user=user)
        if self.instance.pk:
            del self.fields["consent_channel"], self.fields["consent_version"]
            self.initial["help_areas"] = list(self.instance.help_areas.all())
        organisations = list(self.fields["organisation"].queryset)
        if len(organisations) == 1:
            # a partner coordinator works inside their own organisation only
            if not self.initial.get("organisation"):
                self.initial["organisation"] = organisations[0].pk
            self.fields["organisation"].disabled = True
            self.fields["organisation"].widget = forms.HiddenInput()
        else:
            preset_own_organisation(self, user=user)
        # a form (or an import) that does not send the language keeps the one the volunteer has
        self.fields["preferred_language"].required = False

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        _not_in_future(value)
        return value

    def clean_preferred_language(self) -> str:
        return self.cleaned_data["preferred_language"] or self.instance.preferred_language or "de"


class VolunteerSelfServiceForm(forms.ModelForm):
    """What a volunteer changes about themselves on the self-service pages: the staff form's fields and
    widgets for availability, capacity and areas of help, and a "pause until" date."""

    available_weekdays = VolunteerForm.base_fields["available_weekdays"]
    available_times = VolunteerForm.base_fields["available_times"]
    help_areas = VolunteerForm.base_fields["help_areas"]

    class Meta:
        model = Volunteer
        fields = SELF_SERVICE_FIELDS
        widgets = {"paused_until": _date_widget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["help_areas"] = list(self.instance.help_areas.all())

    def clean_paused_until(self):
        value = self.cleaned_data["paused_until"]
        if value and value <= timezone.localdate():
            raise ValidationError(_("The date of the pause must be in the future."), code="past")
        return value


class LanguageRowForm(forms.Form):
    language = forms.ModelChoiceField(
        label=_("Language"), queryset=Language.objects.filter(is_active=True), required=False
    )
    level = forms.ChoiceField(label=_("Level"), choices=LanguageLevel.choices, initial=LanguageLevel.GOOD)


# absolute_max: a forged TOTAL_FORMS builds no more than 12 forms (Django's default: 1012)
LanguageFormSet = forms.formset_factory(
    LanguageRowForm, extra=2, max_num=12, validate_max=True, absolute_max=12
)


def language_rows(formset) -> list[tuple[Language, str]]:
    return [
        (form.cleaned_data["language"], form.cleaned_data["level"])
        for form in formset.forms
        if form.cleaned_data.get("language")
    ]


def language_initial(volunteer: Volunteer) -> list[dict]:
    return [
        {"language": vl.language, "level": vl.level} for vl in volunteer.languages.select_related("language")
    ]


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=VolunteerStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class StatusNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class InterviewForm(forms.ModelForm):
    class Meta:
        model = Interview
        fields = ("held_on", "held_by", "outcome", "motivation", "limits")
        widgets = {
            "held_on": _date_widget(),
            "motivation": forms.Textarea(attrs={"rows": 3}),
            "limits": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_by"].queryset = staff_users_for(user=user)
        if not self.instance.pk:
            self.initial.setdefault("held_by", user.pk)
            self.initial.setdefault("held_on", timezone.localdate())

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        _not_in_future(value)
        return value


class ClearanceForm(forms.ModelForm):
    class Meta:
        model = PoliceClearance
        fields = ("issued_on", "seen_on", "seen_by", "valid_until")
        widgets = {"issued_on": _date_widget(), "seen_on": _date_widget(), "valid_until": _date_widget()}
        help_texts = {
            "valid_until": _(
                "Leave empty to count the usual period from the date of issue (or the day it was seen)."
            ),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_by"].queryset = staff_users_for(user=user)
        self.fields["valid_until"].required = False
        self.initial.setdefault("seen_by", user.pk)
        self.initial.setdefault("seen_on", timezone.localdate())

    def clean_seen_on(self):
        value = self.cleaned_data["seen_on"]
        _not_in_future(value)
        return value

    def clean(self):
        data = super().clean()
        issued, seen = data.get("issued_on"), data.get("seen_on")
        if issued and seen and issued > seen:
            self.add_error("issued_on", _("A certificate cannot be issued after the day it was seen."))
        return data

    def _post_clean(self):
        # valid_until may be left empty and is then computed by the service; the model's constraint
        # (valid beyond the day seen) is checked there with the computed date.
        if self.cleaned_data.get("valid_until"):
            super()._post_clean()


class MergeForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked that both records describe the same person."), required=True
    )


class AnonymiseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Remove this person's personal data for good (the statistics stay)."), required=True
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or Excel)"),
        help_text=_(
            "A CSV or text file (separated by semicolons, commas or tabs; UTF-8, UTF-16 or Windows-1252) or an "
            "Excel file (.xlsx), at most 2 MB, first row headers."
        ),
    )
    organisation = forms.ModelChoiceField(queryset=None, label=_("Import into organisation"))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = volunteer_organisations_for(
            user=user, perm="volunteers.import"
        )
        organisations = list(self.fields["organisation"].queryset)
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0]
            self.fields["organisation"].disabled = True
            self.fields["organisation"].widget = forms.HiddenInput()
        else:
            preset_own_organisation(self, user=user)


class ImportMappingForm(forms.Form):
    """Which column of the file goes into which field; guessed from the headers, adjustable."""

    def __init__(self, *args, headers: list[str], targets: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            ("", _("– not imported –")),
            *((str(i), header or f"#{i + 1}") for i, header in enumerate(headers)),
        ]
        for key, label in targets:
            self.fields[key] = forms.ChoiceField(label=label, choices=choices, required=False)

    def clean(self):
        data = super().clean()
        used = [value for value in data.values() if value]
        if len(used) != len(set(used)):
            raise ValidationError(_("Each column can go into one field only."))
        if not data.get("first_name") or not data.get("last_name"):
            raise ValidationError(_("Please choose the columns for first name and last name."))
        return data

    def mapping(self) -> dict[str, int]:
        return {key: int(value) for key, value in self.cleaned_data.items() if value}


BULK_TEXT_MAX = 10_000


class BulkMessageForm(forms.Form):
    """One message to a filtered list. The text is plain text; `{{ vorname }}` and `{{ nachname }}` are
    filled in per person (never rendered as a template)."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        max_length=BULK_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Plain text. {{ vorname }} is replaced by the first name, {{ nachname }} by the last name."
        ),
    )
    # the number of recipients the confirmation named: sending is refused when the list changed meanwhile
    expected = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def _placeholders_known(self, value: str) -> str:
        unknown = placeholders_unknown(value, frozenset(BULK_PLACEHOLDERS))
        if unknown:
            raise ValidationError(
                _("Unknown placeholder: %(names)s. Possible are {{ vorname }} and {{ nachname }}."),
                code="placeholder",
                params={"names": ", ".join(f"{{{{ {name} }}}}" for name in unknown)},
            )
        return value

    def clean_subject(self) -> str:
        return self._placeholders_known(" ".join(self.cleaned_data["subject"].split()))

    def clean_text(self) -> str:
        return self._placeholders_known(self.cleaned_data["text"])


class ErasureDeclineForm(forms.Form):
    """Why a coordinator declines a volunteer's request for erasure (the volunteer is told)."""

    reason = forms.ChoiceField(
        label=_("reason for declining"),
        choices=ErasureDeclineReason.choices,
        error_messages={
            "invalid_choice": _("Please choose a reason for declining."),
            "required": _("Please choose a reason for declining."),
        },
    )
