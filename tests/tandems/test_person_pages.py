"""The tandems of a person and the way to suggestions, on the volunteer's and the refugee's page."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.tandems import ActiveTandemFactory
from tests.factories.volunteers import ReadyVolunteerFactory


def test_refugee_page_lists_tandems_and_offers_suggestions(client, coordinator, org):
    tandem = ActiveTandemFactory(organisation=org)
    waiting = WaitingRefugeeFactory(organisation=org)
    client.force_login(coordinator)
    page = client.get(tandem.refugee.get_absolute_url()).text
    assert tandem.get_absolute_url() in page and str(tandem.volunteer) in page
    assert "?refugee=" not in page, "a refugee in a tandem is not offered for another"
    page = client.get(waiting.get_absolute_url()).text
    assert f"{reverse('tandems:tandem_suggest')}?refugee={waiting.pk}" in page
    assert "Noch kein Tandem." in page


def test_volunteer_page_offers_suggestions_and_privacy_links(client, coordinator, org):
    volunteer = ReadyVolunteerFactory(organisation=org)
    client.force_login(coordinator)
    page = client.get(volunteer.get_absolute_url()).text
    assert f"{reverse('tandems:tandem_suggest')}?volunteer={volunteer.pk}" in page
    assert (
        reverse(
            "core:privacy_access",
            kwargs={"app_label": "volunteers", "model": "volunteer", "pk": volunteer.pk},
        )
        in page
    )


def test_partner_sees_no_privacy_actions_and_only_own_suggestions(client, partner, org):
    volunteer = ReadyVolunteerFactory(organisation=org)
    client.force_login(partner)
    page = client.get(volunteer.get_absolute_url()).text
    assert "?volunteer=" in page
    assert "/privacy/" not in page


def test_person_tandems_keep_a_fixed_query_count(client, coordinator, org):
    volunteer = ReadyVolunteerFactory(organisation=org, capacity=4)
    client.force_login(coordinator)
    ActiveTandemFactory(organisation=org, volunteer=volunteer)
    client.get(volunteer.get_absolute_url())  # warm caches (content types, session)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(volunteer.get_absolute_url()).status_code == 200
        return len(captured)

    one = queries()
    for _ in range(3):
        ActiveTandemFactory(organisation=org, volunteer=volunteer)
    assert queries() == one


def test_capacity_cannot_drop_below_open_tandems(coordinator, org):
    import pytest
    from django.core.exceptions import ValidationError

    from volunteers.services import volunteer_update

    volunteer = ReadyVolunteerFactory(organisation=org, capacity=2)
    ActiveTandemFactory(organisation=org, volunteer=volunteer)
    ActiveTandemFactory(organisation=org, volunteer=volunteer)
    with pytest.raises(ValidationError) as raised:
        volunteer_update(volunteer=volunteer, data={"capacity": 1}, actor=coordinator)
    assert "offenen Tandems" in str(raised.value.message_dict["capacity"][0])
    volunteer.refresh_from_db()
    assert volunteer.capacity == 2
