"""Forms preset the obvious: the current user where a form names who did something, the user's own
organisation where they may choose among several."""

from django.urls import reverse

from refugees.forms import RefugeeForm
from tests.conftest import client_for
from tests.factories.trainings import SessionFactory
from trainings.forms import InvitationForm, SessionForm
from volunteers.forms import ClearanceForm, ImportUploadForm, InterviewForm, VolunteerForm


def _value(form, name):
    return form[name].value()


def test_coordinator_forms_preset_their_own_organisation_among_several(coordinator, fwz):
    for form in (
        VolunteerForm(user=coordinator),
        ImportUploadForm(user=coordinator),
        SessionForm(user=coordinator),
        InvitationForm(user=coordinator),
        RefugeeForm(user=coordinator),
    ):
        assert form.fields["organisation"].queryset.count() > 1, type(form).__name__
        assert _value(form, "organisation") in (fwz.pk, fwz), type(form).__name__


def test_partner_forms_keep_their_only_organisation(partner, org):
    for form in (VolunteerForm(user=partner), SessionForm(user=partner), InvitationForm(user=partner)):
        assert _value(form, "organisation") in (org.pk, org), type(form).__name__


def test_new_refugee_is_looked_after_by_the_current_coordinator(coordinator):
    form = RefugeeForm(user=coordinator)
    assert _value(form, "coordinator") == coordinator.pk


def test_editing_keeps_the_recorded_organisation_and_people(coordinator, org):
    session = SessionFactory(organisation=org)
    assert _value(SessionForm(user=coordinator, instance=session), "organisation") == org.pk


def test_interview_and_clearance_name_the_current_user(coordinator):
    assert _value(InterviewForm(user=coordinator), "held_by") == coordinator.pk
    assert _value(ClearanceForm(user=coordinator), "seen_by") == coordinator.pk


def test_new_session_page_shows_the_own_organisation_chosen(coordinator, fwz):
    page = client_for(coordinator).get(reverse("trainings:session_create")).text
    assert f'<option value="{fwz.pk}" selected>' in page
