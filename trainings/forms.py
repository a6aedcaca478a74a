import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import preset_own_organisation
from core.models import User
from trainings.models import Session
from trainings.selectors import course_type_list_active, training_organisations_for

DATETIME_WIDGET = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class SessionForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("online link"),
        required=False,
        assume_scheme="https",
        help_text=_("For online sessions, instead of or in addition to a place."),
    )

    class Meta:
        model = Session
        fields = (
            "course_type",
            "organisation",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "trainer",
            "capacity",
            "notes",
        )
        widgets = {
            "starts_at": forms.DateTimeInput(attrs=DATETIME_WIDGET, format=DATETIME_FORMAT),
            "ends_at": forms.DateTimeInput(attrs=DATETIME_WIDGET, format=DATETIME_FORMAT),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "ends_at": _("Leave empty to use the course type's duration."),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course_type"].queryset = course_type_list_active()
        organisations = training_organisations_for(user=user)
        self.fields["organisation"].queryset = organisations
        preset_own_organisation(self, user=user)
        self.fields["ends_at"].required = False
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *self.Meta.fields,
            Submit("save", _("Save session")),
        )

    def clean(self) -> dict:
        data = super().clean()
        starts_at, ends_at, course_type = data.get("starts_at"), data.get("ends_at"), data.get("course_type")
        if starts_at and not ends_at and course_type:
            data["ends_at"] = starts_at + datetime.timedelta(hours=float(course_type.duration_hours))
            self.instance.ends_at = data["ends_at"]
        if starts_at and data.get("ends_at") and data["ends_at"] <= starts_at:
            self.add_error("ends_at", _("The session must end after it starts."))
        if not data.get("place") and not data.get("online_url"):
            self.add_error("place", _("Give a place or an online link."))
        return data


class RegistrationForm(forms.Form):
    volunteer = forms.ModelChoiceField(queryset=None, label=_("Volunteer"), empty_label=_("– choose –"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers


class InvitationGroup:
    UNTRAINED = "untrained"
    ACTIVE_OF_ORGANISATION = "active"
    REGISTERED = "registered"
    CHOICES = [
        (UNTRAINED, _("all volunteers not yet trained")),
        (ACTIVE_OF_ORGANISATION, _("all active mentors of an organisation")),
        (REGISTERED, _("everybody registered for this session")),
    ]


class InvitationForm(forms.Form):
    group = forms.ChoiceField(
        label=_("Send the invitation to"), choices=InvitationGroup.CHOICES, widget=forms.RadioSelect
    )
    organisation = forms.ModelChoiceField(
        queryset=None,
        label=_("Organisation"),
        required=False,
        help_text=_("Only for “all active mentors of an organisation”."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = training_organisations_for(user=user)
        preset_own_organisation(self, user=user)
        self.helper = FormHelper()
        self.helper.layout = Layout("group", "organisation", Submit("send", _("Send invitations")))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("group") == InvitationGroup.ACTIVE_OF_ORGANISATION and not data.get("organisation"):
            raise ValidationError({"organisation": _("Choose the organisation whose mentors to invite.")})
        return data


UNREADABLE_SELECTION = _("The selection could not be read. Please choose again.")


class RegistrationManyForm(forms.Form):
    """Many volunteers at once (the ticked rows of the register page), chosen from `volunteers`, the
    selector's queryset: an id outside it is an `invalid_choice` (the view answers 404, as for any record
    out of scope). `cleaned_data["volunteers"]` is a list in the order the rows were sent, each once."""

    volunteers = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={
            "required": _("Choose at least one volunteer."),
            "invalid_pk_value": UNREADABLE_SELECTION,
            "invalid_list": UNREADABLE_SELECTION,
        },
    )

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteers"].queryset = volunteers

    def clean_volunteers(self) -> list:
        position: dict[int, int] = {}
        for index, value in enumerate(self.data.getlist("volunteers")):
            position.setdefault(int(value), index)
        return sorted(self.cleaned_data["volunteers"], key=lambda volunteer: position[volunteer.pk])


class AttendanceForm(forms.Form):
    """The attendance page sent without JavaScript: the registrations the page showed (`shown`) and the
    ticked ones (`attended`), both chosen from `registrations` (the session's, as the selector gives them
    to the user). Anything else makes the whole form unreadable: nothing is saved."""

    shown = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        error_messages={"invalid_pk_value": UNREADABLE_SELECTION, "invalid_choice": UNREADABLE_SELECTION},
    )
    attended = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        error_messages={"invalid_pk_value": UNREADABLE_SELECTION, "invalid_choice": UNREADABLE_SELECTION},
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shown"].queryset = registrations
        self.fields["attended"].queryset = registrations
