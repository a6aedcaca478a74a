"""The referral page shows the actions refugees.selectors.refugee_actions offers; the template decides
nothing."""

import pytest
from django.urls import reverse

from refugees.selectors import refugee_actions
from tests.conftest import client_for
from tests.factories.refugees import ClosedRefugeeFactory, WaitingRefugeeFactory

pytestmark = pytest.mark.django_db


def test_an_open_referral_offers_intake_edit_and_closing(coordinator, fwz):
    refugee = WaitingRefugeeFactory(organisation=fwz)
    actions = refugee_actions(refugee=refugee, user=coordinator)
    assert [a.url for a in actions] == [
        reverse(f"refugees:{name}", args=[refugee.pk])
        for name in ("refugee_intake", "refugee_edit", "refugee_close")
    ]
    assert not any(a.post for a in actions)


def test_a_closed_referral_offers_removing_the_data_by_post(coordinator, fwz, referrer):
    refugee = ClosedRefugeeFactory(organisation=fwz)
    actions = refugee_actions(refugee=refugee, user=coordinator)
    assert [(a.url, a.post) for a in actions] == [
        (reverse("refugees:refugee_edit", args=[refugee.pk]), False),
        (reverse("refugees:refugee_anonymise", args=[refugee.pk]), True),
    ]
    assert refugee_actions(refugee=refugee, user=referrer) == []
    page = client_for(coordinator).get(refugee.get_absolute_url()).content.decode()
    assert f'action="{actions[1].url}"' in page
    assert reverse("refugees:refugee_close", args=[refugee.pk]) not in page
