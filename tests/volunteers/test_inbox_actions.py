"""The sign-up inbox offers the next step on each row: the intake interview."""

from django.urls import reverse
from django.utils import timezone

from tests.factories.volunteers import VolunteerFactory


def test_inbox_row_links_to_the_intake_interview(client, partner, org):
    volunteer = VolunteerFactory(organisation=org, signed_up_at=timezone.now())
    client.force_login(partner)
    html = client.get(reverse("volunteers:volunteer_inbox")).text
    url = reverse("volunteers:interview_create", args=[volunteer.pk])
    assert f'href="{url}">Erstgespräch<span class="visually-hidden">: {volunteer.first_name}' in html


def test_inbox_fragment_keeps_the_action(client, partner, org):
    volunteer = VolunteerFactory(organisation=org, signed_up_at=timezone.now())
    client.force_login(partner)
    html = client.get(reverse("volunteers:volunteer_inbox"), headers={"HX-Request": "true"}).text
    assert reverse("volunteers:interview_create", args=[volunteer.pk]) in html
