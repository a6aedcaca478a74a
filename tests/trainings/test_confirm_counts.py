"""Bulk and destructive training actions say what they will do, with the count, before they do it."""

from django.urls import reverse

from tests.conftest import client_for
from tests.factories.trainings import RegistrationFactory, SessionFactory
from tests.factories.volunteers import VolunteerFactory
from trainings.models import Registration


def test_bulk_registration_first_says_how_many_will_be_registered_and_waiting(coordinator, fwz):
    session = SessionFactory(organisation=fwz, capacity=2)
    volunteers = VolunteerFactory.create_batch(3, organisation=fwz)
    url = reverse("trainings:session_register", args=[session.pk])
    client = client_for(coordinator)
    page = client.post(url, {"volunteers": [v.pk for v in volunteers]})
    assert page.status_code == 200
    assert not Registration.objects.exists()  # nothing happens before the confirmation
    assert "3 Ehrenamtliche werden angemeldet" in page.text
    assert "2 bekommen einen Platz." in page.text
    assert "1 kommt auf die Warteliste." in page.text
    client.post(url, {"volunteers": [v.pk for v in volunteers], "confirm": "1"})
    assert Registration.objects.filter(session=session).count() == 3


def test_bulk_registration_counts_those_already_registered_apart(coordinator, fwz):
    session = SessionFactory(organisation=fwz, capacity=5)
    volunteers = VolunteerFactory.create_batch(2, organisation=fwz)
    RegistrationFactory(session=session, volunteer=volunteers[0])
    page = client_for(coordinator).post(
        reverse("trainings:session_register", args=[session.pk]), {"volunteers": [v.pk for v in volunteers]}
    )
    assert "1 Ehrenamtliche*r wird angemeldet" in page.text
    assert "1 ist bereits angemeldet" in page.text


def test_session_delete_confirmation_names_the_registrations(coordinator, fwz):
    session = SessionFactory(organisation=fwz, capacity=5)
    RegistrationFactory.create_batch(2, session=session)
    page = client_for(coordinator).get(session.get_absolute_url()).text
    assert "mit seinen 2 Anmeldungen" in page
