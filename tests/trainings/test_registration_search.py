"""The session page's "register a volunteer" field is a search among the registrable volunteers."""

from django.urls import reverse

from tests.conftest import client_for
from tests.factories.trainings import SessionFactory
from tests.factories.volunteers import VolunteerFactory
from trainings.models import Registration


def _search(client, session, text, **headers):
    return client.get(reverse("trainings:registration_search", args=[session.pk]), {"q": text}, **headers)


def test_session_page_offers_a_search_not_a_select_of_names(coordinator, fwz):
    session = SessionFactory(organisation=fwz)
    VolunteerFactory(organisation=fwz, first_name="Zora", last_name="Zimmermann")
    page = client_for(coordinator).get(session.get_absolute_url()).text
    assert "Zimmermann" not in page  # no list of names up front
    assert reverse("trainings:registration_search", args=[session.pk]) in page
    assert 'type="search"' in page


def test_search_finds_up_to_twenty_by_name_as_radio_choices_for_htmx(coordinator, fwz):
    session = SessionFactory(organisation=fwz)
    VolunteerFactory.create_batch(25, organisation=fwz, last_name="Schulze")
    VolunteerFactory(organisation=fwz, first_name="Anna", last_name="Anders")
    response = _search(client_for(coordinator), session, "schul", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.text  # the fragment alone
    assert response.text.count('type="radio"') == 20
    assert "Anders" not in response.text


def test_search_needs_two_letters(coordinator, fwz):
    session = SessionFactory(organisation=fwz)
    VolunteerFactory(organisation=fwz, first_name="Anna", last_name="Anders")
    response = _search(client_for(coordinator), session, "a", HTTP_HX_REQUEST="true")
    assert 'type="radio"' not in response.text
    assert "mindestens 2 Buchstaben" in response.text


def test_search_leaves_out_other_organisations_and_those_already_registered(partner, org, fwz):
    session = SessionFactory(organisation=fwz)
    own = VolunteerFactory(organisation=org, last_name="Berger")
    VolunteerFactory(organisation=fwz, last_name="Bergmann")
    registered = VolunteerFactory(organisation=org, last_name="Bergfeld")
    Registration.objects.create(session=session, volunteer=registered)
    response = _search(client_for(partner), session, "berg", HTTP_HX_REQUEST="true")
    assert f'value="{own.pk}"' in response.text
    assert "Bergmann" not in response.text
    assert "Bergfeld" not in response.text


def test_search_without_javascript_is_a_page_whose_choice_registers(coordinator, fwz):
    session = SessionFactory(organisation=fwz)
    volunteer = VolunteerFactory(organisation=fwz, first_name="Clara", last_name="Conrad")
    client = client_for(coordinator)
    page = _search(client, session, "Conr")
    assert "<html" in page.text
    assert f'value="{volunteer.pk}"' in page.text
    assert reverse("trainings:registration_create", args=[session.pk]) in page.text
    response = client.post(
        reverse("trainings:registration_create", args=[session.pk]), {"volunteer": volunteer.pk}, follow=True
    )
    assert "Clara Conrad ist angemeldet" in response.text
    assert Registration.objects.filter(session=session, volunteer=volunteer).exists()


def test_search_with_only_punctuation_finds_nobody_and_does_not_fail(coordinator, fwz):
    session = SessionFactory(organisation=fwz)
    VolunteerFactory(organisation=fwz)
    response = _search(client_for(coordinator), session, "%%'; --", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'type="radio"' not in response.text
