"""A coordinator closes a tandem through every step in the browser (issue #20): closing starts, an exit
conversation with each side, the end with both sides' wishes, the cool-off, the outcomes and the German
level, the closing letter; bad input first gets German messages. Every page passes axe-core."""

import datetime

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from core import demo
from core.models import Organisation, OutboxMessage, User
from tandems.models import Tandem, TandemClosure, TandemStatus
from tests.e2e.conftest import axe_check, login, visit
from tests.factories.tandems import ActiveTandemFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def active_tandem(_e2e):
    with override_settings(DEMO_PASSWORD="demo"):
        demo.seed(size="small")
    org = Organisation.objects.get(short_name="gEMiDe")
    return ActiveTandemFactory(
        organisation=org,
        coordinator=User.objects.get(username="partner"),
        volunteer__first_name="Jana",
        volunteer__last_name="Vogel",
        volunteer__email="jana@example.org",
        volunteer__status="active",
        refugee__first_name="Amal",
        refugee__last_name="Haddad",
        refugee__email="amal@example.org",
        refugee__german_level="A1",
    )


def _exit_conversation(page, side: str, notes: str) -> None:
    page.locator("#id_side").select_option(side)
    page.locator("#id_held_on").fill(datetime.date.today().isoformat())
    page.locator("#id_channel").select_option("meeting")
    page.locator("#id_notes").fill(notes)
    page.get_by_role("button", name="Abschlussgespräch erfassen").click()
    expect(page.locator(".alert-success")).to_contain_text("Das Abschlussgespräch wurde erfasst.")
    axe_check(page)


def test_coordinator_closes_a_tandem_through_every_step(page, live_server, active_tandem):
    today = datetime.date.today()
    login(page, live_server, "partner")
    visit(page, f"{live_server.url}/tandems/{active_tandem.pk}/")
    page.get_by_role("button", name="Abschluss beginnen").click()
    expect(page.locator(".alert-success")).to_contain_text("Der Abschluss hat begonnen.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Abschlussgespräche")
    axe_check(page)

    # bad input: a date in the future is refused in German, nothing is recorded
    page.locator("#id_side").select_option("volunteer")
    page.locator("#id_held_on").fill((today + datetime.timedelta(days=3)).isoformat())
    page.locator("#id_channel").select_option("phone")
    page.get_by_role("button", name="Abschlussgespräch erfassen").click()
    expect(page.locator("main")).to_contain_text("nicht in der Zukunft")
    axe_check(page)

    _exit_conversation(page, "volunteer", "Jana möchte nach einer Pause ein neues Tandem.")
    _exit_conversation(page, "household", "Amal kommt jetzt gut allein zurecht.")
    expect(page.locator("main")).to_contain_text("mit dem Haushalt")

    page.get_by_role("link", name="Tandem beenden").click()
    axe_check(page)
    # the first try leaves out the wishes and the outcomes: German messages, the tandem stays closing
    page.get_by_label("Beendet am").fill(today.isoformat())
    page.get_by_label("Grund").select_option(label="Ziel erreicht: kommt allein zurecht")
    page.locator("#id_volunteer_wants_new_0").check()
    page.locator("#id_refugee_needs_new_1").check()
    page.get_by_role("button", name="Tandem beenden").click()
    expect(page.locator("main")).to_contain_text("Bitte erfassen Sie den Wunsch der*des Ehrenamtlichen")
    expect(page.locator("main")).to_contain_text("Bitte kreuzen Sie die erreichte Wirkung an")
    axe_check(page)
    assert Tandem.objects.get(pk=active_tandem.pk).status == TandemStatus.CLOSING

    page.locator("#id_volunteer_wish").select_option("new_tandem")
    page.locator("#id_household_wish").select_option("private")
    page.locator("#id_cooloff_until").fill((today + datetime.timedelta(days=28)).isoformat())
    page.get_by_label("Praktikum, Ausbildung oder Arbeit").check()
    page.get_by_label("Mitglied in einem Verein oder einer Gruppe").check()
    page.locator("#id_german_level_end").select_option("B1")
    expect(page.locator("#id_german_level_start")).to_have_value("A1")
    page.get_by_role("button", name="Tandem beenden").click()
    expect(page.locator(".alert-success")).to_contain_text("Das Tandem wurde beendet.")
    closing = page.locator("section[aria-labelledby=closure-heading]")
    expect(closing).to_contain_text("Praktikum, Ausbildung oder Arbeit")
    expect(closing).to_contain_text("möchte ein neues Tandem")
    expect(closing).to_contain_text("A1 → B1")
    expect(closing).to_contain_text("Amal kommt jetzt gut allein zurecht.")
    axe_check(page)

    closure = TandemClosure.objects.get(tandem=active_tandem)
    assert closure.cooloff_until == today + datetime.timedelta(days=28)
    letters = OutboxMessage.objects.filter(template="tandems/closing_letter")
    assert sorted(letters.values_list("to_address", flat=True)) == ["amal@example.org", "jana@example.org"]
    assert "Ihr Tandem mit Jana ist nun abgeschlossen" in letters.get(to_address="amal@example.org").body
