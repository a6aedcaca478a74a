"""Which steps a tandem's page offers comes from tandems.selectors.tandem_actions, the same table the
services check (tandems.models.STEP_FROM); the template only shows them."""

import pytest
from django.urls import reverse

from tandems.models import TandemStatus
from tandems.selectors import tandem_actions
from tests.conftest import client_for
from tests.factories.tandems import ActiveTandemFactory, TandemFactory

pytestmark = pytest.mark.django_db

EXPECTED = {
    TandemStatus.PROPOSED: ["tandem_introduce", "tandem_not_started", "tandem_edit"],
    TandemStatus.INTRODUCED: [
        "tandem_start",
        "checkin_create",
        "tandem_not_started",
        "tandem_agreement",
        "tandem_edit",
    ],
    TandemStatus.ACTIVE: [
        "checkin_create",
        "tandem_closing_start",
        "tandem_end",
        "tandem_agreement",
        "tandem_edit",
    ],
    TandemStatus.CLOSING: ["checkin_create", "tandem_closing", "tandem_end", "tandem_edit"],
}


def _names(actions, tandem) -> list[str]:
    by_url = {
        reverse(f"tandems:{name}", args=[tandem.pk]): name for names in EXPECTED.values() for name in names
    }
    return [by_url[action.url] for action in actions]


@pytest.mark.parametrize("status", list(EXPECTED))
def test_the_actions_follow_the_status(coordinator, fwz, status):
    tandem = ActiveTandemFactory(organisation=fwz, status=status)
    assert _names(tandem_actions(tandem=tandem, user=coordinator), tandem) == EXPECTED[status]


def test_a_closed_tandem_can_only_be_edited_and_a_reader_gets_nothing(coordinator, referrer, fwz):
    tandem = TandemFactory(organisation=fwz, status=TandemStatus.NOT_STARTED, not_started_reason="moved")
    assert _names(tandem_actions(tandem=tandem, user=coordinator), tandem) == ["tandem_edit"]
    assert tandem_actions(tandem=tandem, user=referrer) == []


def test_the_page_shows_what_the_selector_offers(coordinator, fwz):
    tandem = ActiveTandemFactory(organisation=fwz)
    page = client_for(coordinator).get(tandem.get_absolute_url()).content.decode()
    for action in tandem_actions(tandem=tandem, user=coordinator):
        link = f'action="{action.url}"' if action.post else f'href="{action.url}"'
        assert link in page and str(action.label) in page
    assert reverse("tandems:tandem_introduce", args=[tandem.pk]) not in page
