"""Expected commitment (issue #20): how long (months) and how often (times a month) a volunteer can commit,
on the staff form, on the self-service page and on the volunteer's page; optional; bad values refused."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from tandems.selfservice import selfservice_link_create
from tests.factories.volunteers import ReadyVolunteerFactory
from tests.tandems.test_selfservice import _edit_data
from tests.volunteers.test_views import _form_data
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def test_the_staff_form_records_the_commitment_and_the_page_shows_it(client, coordinator, org):
    client.force_login(coordinator)
    response = client.post(
        reverse("volunteers:volunteer_create"),
        _form_data(org, commitment_months="6", commitment_per_month="4"),
    )
    volunteer = Volunteer.objects.get(email="karla@example.org")
    assert response.status_code == 302
    assert (volunteer.commitment_months, volunteer.commitment_per_month) == (6, 4)
    page = client.get(volunteer.get_absolute_url()).content.decode()
    assert "Zusage" in page and "6 Monate" in page and "etwa einmal pro Woche" in page


def test_the_commitment_is_optional_and_unknown_is_said_so(client, coordinator, org):
    client.force_login(coordinator)
    client.post(reverse("volunteers:volunteer_create"), _form_data(org))
    volunteer = Volunteer.objects.get(email="karla@example.org")
    assert (volunteer.commitment_months, volunteer.commitment_per_month) == (None, None)
    assert "nicht angegeben" in client.get(volunteer.get_absolute_url()).content.decode()


def test_a_value_outside_the_choices_is_refused_in_german_and_changes_nothing(client, coordinator, org):
    client.force_login(coordinator)
    response = client.post(reverse("volunteers:volunteer_create"), _form_data(org, commitment_months="5"))
    assert response.status_code == 200
    assert "5 ist keine gültige Auswahl" in response.content.decode()
    assert not Volunteer.objects.filter(email="karla@example.org").exists()


def test_the_volunteer_changes_their_commitment_on_the_self_service_page(client, org):
    volunteer = ReadyVolunteerFactory(organisation=org)
    token = selfservice_link_create(volunteer=volunteer, actor=None)[1]
    form = client.get(reverse("selfservice:edit", args=[token])).content.decode()
    assert 'name="commitment_months"' in form and 'name="commitment_per_month"' in form
    response = client.post(
        reverse("selfservice:edit", args=[token]),
        _edit_data(volunteer, commitment_months="12", commitment_per_month="2"),
    )
    assert response.status_code == 303
    volunteer.refresh_from_db()
    assert (volunteer.commitment_months, volunteer.commitment_per_month) == (12, 2)
    entry = AuditEntry.objects.get(
        action="volunteers.volunteer.self_service_changed", object_id=str(volunteer.pk)
    )
    assert entry.changes["commitment_months"] == [None, 12]
