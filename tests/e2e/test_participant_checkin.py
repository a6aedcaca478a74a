"""Both sides of a tandem answer their check-in by the link in their e-mail (issue #18): the volunteer with
the mouse, the household on a 390 px phone screen by keyboard alone, and presses "I need help"; the
coordinator finds the alarm first on the start page and in the outbox."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from core.models import HelpArea, Organisation, OrganisationKind, OutboxMessage, Role
from core.services import channel_consent_change
from tandems.models import CheckIn
from tandems.participants import CHECKIN_LINK_TEMPLATE, HELP_ALERT_TEMPLATE, checkin_links_send
from tests.e2e.conftest import axe_check, login, visit
from tests.factories.core import MembershipFactory
from tests.factories.tandems import ActiveTandemFactory, CheckInFactory

pytestmark = pytest.mark.e2e
TODAY = datetime.date.today()


@pytest.fixture
def due(_e2e):
    fwz = Organisation.objects.get(kind=OrganisationKind.FWZ)
    user = MembershipFactory(organisation=fwz, role=Role.COORDINATOR, user__username="koordination").user
    user.set_password("ein langes Passwort 42")
    user.email = "koordination@example.org"
    user.save()
    tandem = ActiveTandemFactory(
        organisation=fwz,
        coordinator=user,
        volunteer__first_name="Jana",
        volunteer__last_name="Vogel",
        refugee__first_name="Amal",
        refugee__last_name="Haddad",
        refugee__email="haddad@example.org",
    )
    CheckInFactory(tandem=tandem, held_on=None, planned_on=TODAY, channel="", contact_with="", mood="")
    for person in (tandem.volunteer, tandem.refugee):
        channel_consent_change(person=person, channel="email", given=True, actor=None)
    assert checkin_links_send(today=TODAY) == (2, 0)
    return tandem


def _link_path(address: str) -> str:
    body = OutboxMessage.objects.get(template=CHECKIN_LINK_TEMPLATE, to_address=address).body
    return re.search(r"(/t/[^/\s]+/)", body).group(1)


def _tab_to(page, name: str, *, limit: int = 30) -> None:
    """Press Tab until the focused element's text contains `name` (keyboard only, as a user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if name in (page.evaluate("document.activeElement && document.activeElement.innerText") or ""):
            return
    raise AssertionError(f"no focusable element named {name!r} reached by Tab")


def test_both_sides_check_in_by_link_and_the_help_alarm_reaches_the_coordinator(page, live_server, due):
    # the volunteer, on a desktop screen
    visit(page, live_server.url + _link_path(due.volunteer.email))
    expect(page.get_by_text("Frage 1 von 4")).to_be_visible()
    page.get_by_role("button", name="Ja, wir haben uns getroffen").click()
    axe_check(page)
    page.get_by_role("button", name="Gut", exact=True).click()
    axe_check(page)
    area = HelpArea.objects.filter(is_active=True).order_by("sort_order", "name_de").first()
    page.get_by_label(area.name_de).check()
    page.get_by_role("button", name="Weiter").click()
    axe_check(page)
    page.get_by_label("Möchten Sie uns noch etwas sagen? (freiwillig)").fill("Wir waren im Stadtteilzentrum.")
    page.get_by_role("button", name="Antworten senden").click()
    expect(page.get_by_role("status")).to_contain_text("Ihre Antworten sind angekommen.")
    axe_check(page)

    # the household, on a phone 390 px wide, by keyboard alone
    page.set_viewport_size({"width": 390, "height": 844})
    visit(page, live_server.url + _link_path(due.refugee.email))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    box = page.get_by_role("button", name="Nein, diesmal nicht").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300, "large targets"
    _tab_to(page, "Nein, diesmal nicht")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Frage 2 von 3")).to_be_visible()
    axe_check(page)
    _tab_to(page, "Nicht gut")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Frage 3 von 3")).to_be_visible()
    axe_check(page)
    _tab_to(page, "Antworten senden")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Ihre Antworten sind angekommen.")
    axe_check(page)
    _tab_to(page, "Ich brauche Hilfe")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Jemand aus dem Programm meldet sich bald bei Ihnen.")
    axe_check(page)

    assert set(CheckIn.objects.filter(tandem=due, channel="link").values_list("by", "mood")) == {
        ("volunteer", "green"),
        ("household", "red"),
    }
    alert = OutboxMessage.objects.get(template=HELP_ALERT_TEMPLATE)
    assert alert.to_address == "koordination@example.org"
    assert not {"Jana", "Vogel", "Amal", "Haddad"} & set(re.findall(r"\w+", alert.subject + alert.body))

    # the coordinator: the alarm first on the start page, the red answer flags the tandem
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "koordination", "ein langes Passwort 42")
    regions = page.locator("main section[id^='home-']")
    expect(regions.first).to_have_attribute("id", "home-help-requests")
    help_region = page.get_by_role("region", name="Ich brauche Hilfe")
    expect(help_region).to_contain_text("Jana Vogel mit Amal Haddad")
    expect(help_region).to_contain_text("vom Haushalt")
    expect(page.get_by_role("region", name="Gefährdete Tandems")).to_contain_text(
        "Jana Vogel mit Amal Haddad"
    )
    help_region.get_by_role("link", name=re.compile(r"^Reagieren")).click()
    axe_check(page)
    page.get_by_role("button", name="Als erledigt markieren").click()
    expect(page.locator(".alert-success")).to_contain_text("als erledigt markiert")
    axe_check(page)
