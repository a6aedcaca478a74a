"""The participants' check-in, one question per screen: each step posts the answers so far with it (hidden
fields), so the page needs no JavaScript and no session; only the last step stores anything."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import HelpArea
from tandems.models import Met, Mood

STEPS = ("met", "mood", "areas", "text")


def steps_for(met: str) -> list[str]:
    """The questions asked, given the first answer: after "we stopped" only the free text follows; after
    "we did not meet" nothing was done together."""
    if met == Met.STOPPED:
        return ["met", "text"]
    if met == Met.NO:
        return ["met", "mood", "text"]
    return list(STEPS)


class ParticipantCheckInForm(forms.Form):
    step = forms.ChoiceField(choices=[(s, s) for s in STEPS])
    met = forms.ChoiceField(choices=Met.choices, required=False)
    mood = forms.ChoiceField(choices=Mood.choices, required=False)
    areas = forms.ModelMultipleChoiceField(
        queryset=HelpArea.objects.filter(is_active=True), required=False, widget=forms.CheckboxSelectMultiple
    )
    text = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    back = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        step = data.get("step")
        if self.errors:
            return data
        if data.get("back"):
            return data
        if (
            step in {"met", "mood", "areas", "text"}
            and not data.get("met")
            or step in {"mood", "areas", "text"}
            and "mood" in steps_for(data["met"])
            and not data.get("mood")
        ):
            self.add_error(None, _("Please choose one answer."))
        return data

    def next_step(self) -> str | None:
        """The screen to show after this POST; None when the last one was answered."""
        data = self.cleaned_data
        order = steps_for(data.get("met") or "")
        step = data["step"] if data["step"] in order else order[0]
        index = order.index(step)
        if data.get("back"):
            return order[max(index - 1, 0)]
        return order[index + 1] if index + 1 < len(order) else None
