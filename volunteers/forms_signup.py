"""The public sign-up form ("Pate werden"). A participant page (docs/languages.md): every string here is in
core.languages.PARTICIPANT_SOURCES and so translated into the participant languages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import District, HelpArea, Language
from volunteers.models import Source

# the labels of `Source` again, so that the participant catalogues carry them (same msgids)
SOURCE_LABELS = {
    Source.WEBSITE: _("website"),
    Source.PRESS: _("newspaper, radio"),
    Source.SOCIAL: _("social media"),
    Source.FRIENDS: _("friends, family, colleagues"),
    Source.EVENT: _("information event"),
    Source.PARTNER: _("partner organisation"),
    Source.POSTER: _("poster, flyer"),
    Source.OTHER: _("other"),
}


class SignupForm(forms.Form):
    """The public 'Pate werden' form: short, and only what the first conversation needs."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail address"))
    phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False)
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    district = forms.ModelChoiceField(
        label=_("Where in Hannover do you live? (optional)"),
        queryset=District.objects.filter(is_active=True),
        required=False,
        empty_label=_("please choose"),
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Which languages do you speak besides German? (optional)"),
        queryset=Language.objects.filter(is_active=True).exclude(code="de"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    help_areas = forms.ModelMultipleChoiceField(
        label=_("Where would you like to help? (optional)"),
        queryset=HelpArea.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    source = forms.ChoiceField(
        label=_("How did you hear of us? (optional)"),
        choices=[("", _("please choose")), *((value, SOURCE_LABELS[value]) for value in Source.values)],
        required=False,
    )
    message = forms.CharField(
        label=_("Anything you would like to tell us? (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my details are stored for the programme."),
        error_messages={
            "required": _("Please agree to the privacy notice, otherwise we cannot store your details.")
        },
    )
    # a field people never see; bots fill it in
    website = forms.CharField(label=_("Website"), required=False)

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if value > today:
            raise ValidationError(_("The date cannot be in the future."), code="future")
        if (today.year - value.year - ((today.month, today.day) < (value.month, value.day))) < 18:
            raise ValidationError(_("Mentors need to be at least 18 years old."), code="too_young")
        if value.year < today.year - 110:
            raise ValidationError(_("Please check the date of birth."), code="too_old")
        return value

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))
