"""Forms validate and render; the views hand `cleaned_data` to the services."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, When
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import preset_own_organisation
from core.legal import legal_text_current, legal_texts_offered
from core.models import (
    ConsentChannel,
    DayTime,
    District,
    Gender,
    HelpArea,
    Language,
    LegalText,
    LegalTextKind,
    User,
    Weekday,
)
from core.permissions import acts_in_all_organisations, has_perm, organisations_with
from refugees.models import (
    CONSENT_FORM_VERSION,
    CloseReason,
    HouseholdMember,
    MemberRole,
    ReferralNote,
    Refugee,
    ResidenceStatus,
)
from refugees.selectors import coordinator_choices

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OLDEST_BIRTH_YEAR = 1900
ADULT_AGE = 18


def _this_year() -> int:
    return timezone.localdate().year


def _weekdays_field() -> forms.TypedMultipleChoiceField:
    # the same grid and widgets as the volunteer form (volunteers/forms.py)
    return forms.TypedMultipleChoiceField(
        label=_("available on"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _times_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("available at"), choices=DayTime.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


AVAILABILITY_GROUP = (_("Available times"), ("available_weekdays", "available_times"))
EXPECTATION_GROUP = (_("Expectation of the tandem"), ("expected_months", "expected_per_month"))


class _Grouped:
    """Fields shown in fieldsets with a legend: `groups` names them, the template renders them."""

    GROUPS: tuple[tuple[Any, tuple[str, ...]], ...] = ()

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        result = []
        for legend, names in self.GROUPS:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                result.append((legend, fields))
        return result


class CoordinatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class RefugeeForm(_Grouped, forms.ModelForm):
    """The referral (for referrers and staff) and the staff's edit form.

    Sensitive fields (residence status, health) are only part of the form for users who may see them;
    the organisation can be chosen by coordinators (all organisations) only."""

    SENSITIVE = ("residence_status", "health_notes")
    available_weekdays = _weekdays_field()
    available_times = _times_field()
    GROUPS = (
        (_("Person"), ("first_name", "last_name", "gender", "birth_year")),
        (_("Contact"), ("phone", "email", "address", "district")),
        (_("Languages"), ("languages", "german_level")),
        (
            _("Needs and wishes"),
            ("needs", "needs_text", "pref_volunteer_gender", "preferences_text", "interests"),
        ),
        AVAILABILITY_GROUP,
        EXPECTATION_GROUP,
        (_("Background"), ("arrived_on", "residence_status", "health_notes")),
        (_("Responsibility"), ("organisation", "coordinator")),
        (_("Notes"), ("notes",)),
    )

    class Meta:
        model = Refugee
        fields = (
            "first_name",
            "last_name",
            "gender",
            "birth_year",
            "phone",
            "email",
            "address",
            "district",
            "languages",
            "german_level",
            "needs",
            "needs_text",
            "pref_volunteer_gender",
            "preferences_text",
            "interests",
            "available_weekdays",
            "available_times",
            "expected_months",
            "expected_per_month",
            "arrived_on",
            "residence_status",
            "health_notes",
            "organisation",
            "coordinator",
            "notes",
        )
        widgets = {
            "arrived_on": DATE_WIDGET,
            "languages": forms.CheckboxSelectMultiple,
            "needs": forms.CheckboxSelectMultiple,
            "needs_text": forms.Textarea(attrs={"rows": 2}),
            "preferences_text": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "health_notes": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
        }
        help_texts = {
            "interests": _("Separate several interests with commas."),
            "needs_text": _("In the person's own words, if possible."),
        }

    def __init__(self, *args, user: User, referral: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not has_perm(user=user, perm="refugees.view_sensitive"):
            for name in self.SENSITIVE:
                del self.fields[name]
        else:
            self.fields["residence_status"].queryset = ResidenceStatus.objects.filter(is_active=True)
        self.fields["languages"].queryset = Language.objects.filter(is_active=True)
        self.fields["languages"].required = True
        self.fields["needs"].queryset = HelpArea.objects.filter(is_active=True)
        self.fields["district"].queryset = District.objects.filter(is_active=True)
        if acts_in_all_organisations(user=user, perm="refugees.change"):
            self.fields["organisation"].queryset = organisations_with(user=user, perm="refugees.change")
            self.fields["organisation"].help_text = _("The organisation that looks after this person.")
            preset_own_organisation(self, user=user)
        else:
            # referrers refer to the FWZ, partner coordinators work inside their own organisation
            del self.fields["organisation"]
        if referral:
            # the household's times are recorded at the intake, by staff
            for name in ("coordinator", "interests", "available_weekdays", "available_times"):
                del self.fields[name]
        else:
            organisation = self.instance.organisation if self.instance.organisation_id else None
            self.fields["coordinator"] = CoordinatorChoiceField(
                queryset=coordinator_choices(organisation=organisation),
                required=False,
                label=Refugee._meta.get_field("coordinator").verbose_name,
            )
            # a new record is looked after by whoever enters it, when they may be responsible
            is_new = not self.instance.pk and not self.is_bound and not self.initial.get("coordinator")
            if is_new and self.fields["coordinator"].queryset.filter(pk=user.pk).exists():
                self.initial["coordinator"] = user.pk

    def clean_birth_year(self) -> int | None:
        value = self.cleaned_data.get("birth_year")
        if value is not None and not (OLDEST_BIRTH_YEAR <= value <= _this_year() - 16):
            raise ValidationError(
                _(
                    "Please enter a year of birth between %(first)s and %(last)s (the main person is an adult)."
                )
                % {"first": OLDEST_BIRTH_YEAR, "last": _this_year() - 16},
                code="birth_year",
            )
        return value

    def clean_arrived_on(self):
        value = self.cleaned_data.get("arrived_on")
        if value and value > timezone.localdate():
            raise ValidationError(_("The date of arrival cannot be in the future."), code="future")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not any(data.get(name) for name in ("phone", "email", "address")):
            raise ValidationError(
                _("Please give at least one way to reach the person: phone, e-mail or address."),
                code="no_contact",
            )
        return data


class HouseholdMemberForm(forms.ModelForm):
    class Meta:
        model = HouseholdMember
        fields = ("role", "first_name", "birth_year", "gender")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "---------"), *MemberRole.choices]
        self.fields["role"].required = True
        self.fields["gender"].required = False  # "not specified" when left empty
        self.fields["birth_year"].widget.attrs.update({"min": OLDEST_BIRTH_YEAR, "max": _this_year()})

    def clean_gender(self) -> str:
        return self.cleaned_data.get("gender") or Gender.UNSPECIFIED

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role, year = data.get("role"), data.get("birth_year")
        if year is None or not role:
            return data
        age = _this_year() - year
        if year < OLDEST_BIRTH_YEAR or year > _this_year():
            self.add_error(
                "birth_year",
                ValidationError(
                    _("Please enter a year of birth between %(first)s and %(last)s.")
                    % {"first": OLDEST_BIRTH_YEAR, "last": _this_year()},
                    code="birth_year",
                ),
            )
        elif role == MemberRole.CHILD and age > ADULT_AGE:
            self.add_error(
                "birth_year",
                ValidationError(
                    _("A child cannot be born before %(year)s.") % {"year": _this_year() - ADULT_AGE}
                ),
            )
        elif role == MemberRole.ADULT and age < ADULT_AGE - 1:
            self.add_error("birth_year", ValidationError(_("This person is a child by the year of birth.")))
        return data


class BaseHouseholdFormSet(BaseInlineFormSet):
    def members(self) -> list[dict[str, Any]]:
        """The new rows as dicts (for a referral that does not exist yet)."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


HouseholdFormSet = inlineformset_factory(
    Refugee,
    HouseholdMember,
    form=HouseholdMemberForm,
    formset=BaseHouseholdFormSet,
    extra=2,
    can_delete=True,
    max_num=20,
    validate_max=True,
    absolute_max=20,  # a forged TOTAL_FORMS builds no more than 20 forms (Django's default: 1020)
)


class ConsentForm(forms.Form):
    """The person's consent to the programme, as it was given (form version, date, channel, interpreter)."""

    consent_given = forms.BooleanField(
        label=_("The person has agreed to take part and to the processing of their data."),
        error_messages={"required": _("Without consent the referral cannot be recorded.")},
    )
    # the version of the paper form, for a consent without a stored text; a stored text brings its own
    text_version = forms.CharField(
        label=_("Version of the consent form"), max_length=40, initial=CONSENT_FORM_VERSION, required=False
    )
    given_on = forms.DateField(label=_("Consent given on"), widget=DATE_WIDGET)
    channel = forms.ChoiceField(label=_("How was consent given?"), choices=ConsentChannel.choices)
    interpreter_used = forms.BooleanField(label=_("An interpreter was present"), required=False)
    interpreter_language = forms.ModelChoiceField(
        label=_("Interpreted into"), queryset=Language.objects.none(), required=False
    )
    legal_text = forms.ModelChoiceField(
        label=_("Language of the consent text read to or given to the household"),
        queryset=LegalText.objects.none(),
        required=False,
        empty_label=None,
        error_messages={
            "invalid_choice": _(
                "This consent text is outdated or unknown. Please choose one of the texts offered."
            )
        },
        help_text=_(
            "Only texts that are up to date are offered; where a translation is outdated, use German."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # one current text per language: an outdated translation is not offered (core.legal)
        self.texts_offered = legal_texts_offered(kind=LegalTextKind.REFERRAL_CONSENT)
        names = {text.pk: name for _code, name, text in self.texts_offered}
        field = self.fields["legal_text"]
        # in the order of settings.PARTICIPANT_LANGUAGES, German first
        order = Case(*(When(pk=text.pk, then=i) for i, (_c, _n, text) in enumerate(self.texts_offered)))
        field.queryset = LegalText.objects.filter(pk__in=names).order_by(order) if names else field.queryset
        field.label_from_instance = lambda text: f"{names[text.pk]} ({text.version})"
        field.initial = next((text.pk for code, _name, text in self.texts_offered if code == "de"), None)
        self.fields["given_on"].initial = timezone.localdate()
        self.fields["channel"].initial = ConsentChannel.PAPER
        self.fields["channel"].choices = [c for c in ConsentChannel.choices if c[0] != ConsentChannel.IMPORT]
        self.fields["interpreter_language"].queryset = Language.objects.filter(is_active=True)

    def clean_given_on(self):
        value = self.cleaned_data["given_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date of consent cannot be in the future."), code="future")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("interpreter_used") and not data.get("interpreter_language"):
            self.add_error(
                "interpreter_language", ValidationError(_("Please choose the language that was interpreted."))
            )
        if not data.get("interpreter_used"):
            data["interpreter_language"] = None
        data["text_version"] = data.get("text_version") or CONSENT_FORM_VERSION
        if not data.get("legal_text") and "legal_text" not in self.errors:
            data["legal_text"] = legal_text_current(kind=LegalTextKind.REFERRAL_CONSENT, language="de")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "given_on": data["given_on"],
            "channel": data["channel"],
            "text_version": data["text_version"],
            "interpreter_language": data["interpreter_language"],
            "legal_text": data["legal_text"],
        }


class IntakeForm(_Grouped, forms.ModelForm):
    """The intake interview (Erstgespräch): date, who held it, and what it confirmed."""

    available_weekdays = _weekdays_field()
    available_times = _times_field()

    GROUPS = (
        (_("Interview"), ("intake_on", "intake_by", "coordinator")),
        (_("Languages"), ("languages", "german_level")),
        (
            _("Needs and wishes"),
            ("needs", "needs_text", "pref_volunteer_gender", "preferences_text", "interests"),
        ),
        AVAILABILITY_GROUP,
        EXPECTATION_GROUP,
        (_("Background"), ("residence_status", "health_notes")),
        (_("Notes"), ("intake_notes",)),
    )

    class Meta:
        model = Refugee
        fields = (
            "intake_on",
            "intake_by",
            "coordinator",
            "languages",
            "german_level",
            "needs",
            "needs_text",
            "pref_volunteer_gender",
            "preferences_text",
            "interests",
            "available_weekdays",
            "available_times",
            "expected_months",
            "expected_per_month",
            "residence_status",
            "health_notes",
            "intake_notes",
        )
        widgets = {
            "intake_on": DATE_WIDGET,
            "languages": forms.CheckboxSelectMultiple,
            "needs": forms.CheckboxSelectMultiple,
            "needs_text": forms.Textarea(attrs={"rows": 2}),
            "preferences_text": forms.Textarea(attrs={"rows": 2}),
            "health_notes": forms.Textarea(attrs={"rows": 2}),
            "intake_notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"interests": _("Separate several interests with commas.")}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_perm(user=user, perm="refugees.view_sensitive"):
            for name in RefugeeForm.SENSITIVE:
                del self.fields[name]
        else:
            self.fields["residence_status"].queryset = ResidenceStatus.objects.filter(is_active=True)
        staff = coordinator_choices(organisation=self.instance.organisation)
        for name in ("intake_by", "coordinator"):
            self.fields[name] = CoordinatorChoiceField(
                queryset=staff, required=True, label=Refugee._meta.get_field(name).verbose_name
            )
            # the form's initial data (from the instance) wins over a field's own initial value
            self.initial[name] = getattr(self.instance, f"{name}_id") or user.pk
        self.fields["intake_on"].required = True
        self.initial["intake_on"] = self.instance.intake_on or timezone.localdate()
        self.fields["languages"].required = True
        self.fields["languages"].help_text = _("The languages confirmed in the interview.")
        self.fields["languages"].queryset = Language.objects.filter(is_active=True)
        self.fields["needs"].queryset = HelpArea.objects.filter(is_active=True)

    def clean_intake_on(self):
        value = self.cleaned_data["intake_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date of the intake cannot be in the future."), code="future")
        if value < self.instance.referred_at.date():
            raise ValidationError(_("The intake cannot be before the referral."), code="before_referral")
        return value


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason for closing"), choices=[("", "---------"), *CloseReason.choices]
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReferralNoteForm(forms.ModelForm):
    class Meta:
        model = ReferralNote
        fields = ("text",)
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def clean_text(self):
        value = self.cleaned_data["text"].strip()
        if not value:
            raise ValidationError(_("Please write a note."), code="empty")
        return value
