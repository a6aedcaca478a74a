"""A household answers the relationship survey (issue #20) by the link in its e-mail, on a 390 px phone
screen by keyboard alone; the coordinator sees the score on the tandem page and the tandem flagged at risk."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from core.models import Organisation, OrganisationKind, OutboxMessage, Role
from core.services import channel_consent_change
from tandems.models import SurveyResponse
from tandems.survey import SURVEY_LINK_TEMPLATE, add_months, survey_items, survey_links_send
from tests.e2e.conftest import axe_check, login, visit
from tests.factories.core import MembershipFactory
from tests.factories.tandems import ActiveTandemFactory

pytestmark = pytest.mark.e2e
TODAY = datetime.date.today()


def _tab_to(page, name: str, *, limit: int = 30) -> None:
    """Press Tab until the focused element's text contains `name` (keyboard only, as a user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if name in (page.evaluate("document.activeElement && document.activeElement.innerText") or ""):
            return
    raise AssertionError(f"no focusable element named {name!r} reached by Tab")


def _enter(page) -> None:
    """Press Enter on the focused button and wait for the next screen (each screen is its own POST)."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_household_answers_the_survey_at_390_px_by_keyboard(page, live_server, _e2e):
    fwz = Organisation.objects.get(kind=OrganisationKind.FWZ)
    user = MembershipFactory(organisation=fwz, role=Role.COORDINATOR, user__username="koordination").user
    user.set_password("ein langes Passwort 42")
    user.save()
    tandem = ActiveTandemFactory(
        organisation=fwz,
        coordinator=user,
        started_on=add_months(TODAY, -1) - datetime.timedelta(days=2),
        refugee__first_name="Amal",
        refugee__email="haddad@example.org",
    )
    channel_consent_change(person=tandem.refugee, channel="email", given=True, actor=None)
    survey_links_send(today=TODAY)
    body = OutboxMessage.objects.get(template=SURVEY_LINK_TEMPLATE, to_address="haddad@example.org").body
    path = re.search(r"(/t/survey/[^/\s]+/)", body).group(1)
    items = survey_items("household")

    page.set_viewport_size({"width": 390, "height": 844})
    visit(page, live_server.url + path)
    expect(page.get_by_text(f"Frage 1 von {len(items)}")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    box = page.get_by_role("button", name="Stimmt gar nicht").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300, "large targets"
    axe_check(page)
    for number, item in enumerate(items, start=1):
        expect(page.get_by_text(item.text("de"))).to_be_visible()
        _tab_to(page, "Stimmt eher nicht")
        _enter(page)
        if number == 1:  # one step back by keyboard: the earlier answer is shown as chosen
            _tab_to(page, "Zurück")
            _enter(page)
            expect(page.get_by_text(f"Frage 1 von {len(items)}")).to_be_visible()
            expect(page.locator('button[aria-pressed="true"]')).to_contain_text("Stimmt eher nicht")
            _tab_to(page, "Stimmt eher nicht")
            _enter(page)
        if number < len(items):
            expect(page.get_by_text(f"Frage {number + 1} von {len(items)}")).to_be_visible()
            axe_check(page)
    expect(page.get_by_role("status")).to_contain_text("Ihre Antworten sind angekommen.")
    axe_check(page)
    response = SurveyResponse.objects.get(tandem=tandem)
    assert (response.wave, response.side, response.score) == (1, "household", 2)

    # the coordinator sees the low score on the tandem page
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "koordination", "ein langes Passwort 42")
    visit(page, live_server.url + f"/tandems/{tandem.pk}/")
    survey = page.get_by_role("region", name="Tandem-Befragung")
    expect(survey).to_contain_text("1 Monat")
    expect(survey).to_contain_text("niedrig")
    axe_check(page)
