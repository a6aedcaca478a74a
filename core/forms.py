import re

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse
from django.utils import translation
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from core.models import MessageChannel
from core.outbox import message_queue
from core.permissions import own_organisation_ids


def preset_own_organisation(form: forms.BaseForm, name: str = "organisation", *, user) -> None:
    """Preselect the user's own organisation in the choice `name` of a new, unbound form, when it is among
    the choices and nothing is chosen yet (coordinators may choose any organisation; most of their records
    are their own organisation's)."""
    if form.is_bound or name not in form.fields or form.initial.get(name):
        return
    instance = getattr(form, "instance", None)
    if instance is not None and instance.pk:
        return
    own = own_organisation_ids(user=user)
    choice = form.fields[name].queryset.filter(pk__in=own).values_list("pk", flat=True).first()
    if choice is not None:
        form.initial[name] = choice


class TokenForm(forms.Form):
    """The six-digit code from the authenticator app."""

    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data["token"])
        if not re.fullmatch(r"[0-9]{6}", value):
            raise forms.ValidationError(_("Please enter the six digits shown in your app."), code="format")
        return value


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the request: the personal data of this person shall be erased for good."),
        required=True,
        error_messages={"required": _("Please confirm the erasure.")},
    )
    reason = forms.CharField(
        label=_("Reason (for the audit trail, without personal data)"),
        max_length=200,
        required=False,
        help_text=_("For example: request of the person of 24.11.2026 (Art. 17 GDPR)."),
    )


class GroupedDecimalField(forms.DecimalField):
    """A decimal typed as people write it, with thousands grouped: 1.234,50 in German, 1,234.50 in English.

    Django only strips grouping when USE_THOUSAND_SEPARATOR is on, which we leave off (it would also group
    ids in templates). A separator is taken for grouping only where it groups thousands, so "1234.50"
    typed with a decimal point keeps its meaning."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\u00a0", "").replace(" ", "")
            separator = re.escape(get_format("THOUSAND_SEPARATOR"))
            decimal = re.escape(get_format("DECIMAL_SEPARATOR"))
            if re.fullmatch(rf"-?\d{{1,3}}({separator}\d{{3}})+({decimal}\d*)?", value):
                value = value.replace(get_format("THOUSAND_SEPARATOR"), "")
        return super().to_python(value)


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset, with the e-mail going through the outbox like every other message."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        link = "{protocol}://{domain}{path}".format(
            protocol=context["protocol"],
            domain=context["domain"],
            path=reverse(
                "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
            ),
        )
        message_queue(
            template="registration/email/password_reset",
            to=context["user"],
            language=translation.get_language(),
            context={"user_name": str(context["user"]), "link": link},
        )


class ChannelConsentForm(forms.Form):
    """A consent to be contacted by e-mail or text message, given or withdrawn (the person pages)."""

    channel = forms.ChoiceField(label=_("channel"), choices=MessageChannel.choices)
    given = forms.ChoiceField(label=_("consent"), choices=[("yes", _("given")), ("no", _("withdrawn"))])
