"""A coordinator takes a waiting refugee through suggestions, proposal, introduction, start, a check-in and
the end of the tandem, in the browser; every page passes axe-core."""

import datetime

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from core import demo
from core.models import Organisation
from tests.e2e.conftest import axe_check, login, visit
from tests.factories.core import district, language
from tests.factories.refugees import WaitingRefugeeFactory
from tests.factories.volunteers import ReadyVolunteerFactory, VolunteerLanguageFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def waiting_pair(_e2e):
    with override_settings(DEMO_PASSWORD="demo"):
        demo.seed(size="small")
    org = Organisation.objects.get(short_name="gEMiDe")
    refugee = WaitingRefugeeFactory(
        organisation=org, first_name="Amal", last_name="Haddad", district=district("mitte")
    )
    refugee.languages.set([language("ar")])
    volunteer = ReadyVolunteerFactory(
        organisation=org,
        first_name="Jana",
        last_name="Vogel",
        district=district("mitte"),
        email="jana@example.org",
    )
    VolunteerLanguageFactory(volunteer=volunteer, language=language("ar"), level="native")
    return refugee, volunteer


def test_coordinator_matches_accompanies_and_ends_a_tandem(page, live_server, waiting_pair):
    refugee, _volunteer = waiting_pair
    today = datetime.date.today().isoformat()
    login(page, live_server, "coordinator")
    visit(page, f"{live_server.url}/tandems/suggest/?refugee={refugee.pk}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ehrenamtliche für Amal Haddad")
    expect(page.locator("main")).to_contain_text("spricht Arabisch (Muttersprache)")
    page.get_by_role("button", name="Jana Vogel mit Amal Haddad vorschlagen").click()
    expect(page.locator(".alert-success")).to_contain_text("Das Tandem wurde vorgeschlagen.")
    axe_check(page)
    expect(page.locator("main")).to_contain_text("Warum dieses Paar gebildet wurde")

    page.get_by_role("link", name="Vorstellen").click()
    expect(page.locator("#letter")).to_contain_text("Liebe*r Jana")
    axe_check(page)
    page.get_by_label("Vorgestellt am").fill(today)
    page.get_by_role("button", name="Vorstellung erfassen").click()
    expect(page.locator(".alert-success")).to_contain_text("Die Vorstellung wurde erfasst.")
    axe_check(page)

    page.get_by_role("link", name="Tandem starten").click()
    axe_check(page)
    page.get_by_label("Begonnen am").fill(today)
    page.get_by_role("button", name="Tandem starten").click()
    expect(page.locator(".alert-success")).to_contain_text("Das erste Begleitgespräch ist geplant.")
    axe_check(page)

    page.get_by_role("link", name="Kontakt erfassen").click()
    axe_check(page)
    page.get_by_label("Datum").first.fill(today)
    page.get_by_label("Kanal").select_option("phone")
    page.get_by_label("Mit wem").select_option("both")
    page.get_by_label("läuft gut (grün)").check()
    page.get_by_label("Themen").fill("Erstes Treffen im Café, Deutschkurs gesucht")
    page.get_by_role("button", name="Kontakt speichern").click()
    expect(page.locator(".alert-success")).to_contain_text("Der Kontakt wurde erfasst.")
    expect(page.locator("main")).to_contain_text("Deutschkurs gesucht")
    axe_check(page)

    page.get_by_role("link", name="Tandem beenden").click()
    axe_check(page)
    page.get_by_label("Beendet am").fill(today)
    page.get_by_label("Grund").select_option(label="Ziel erreicht: kommt allein zurecht")
    # a direct end from "active" (the full closing is tests/e2e/test_closure.py): why no exit conversation
    page.get_by_label("Kein Abschlussgespräch, weil die Person").select_option("declined")
    page.locator("#id_volunteer_wish").select_option("none")
    page.locator("#id_household_wish").select_option("none")
    page.get_by_label("Keine dieser Wirkungen wurde erreicht").check()
    page.get_by_label("Notizen zum Abschluss").fill("Beide sind zufrieden, Amal kommt allein zurecht.")
    page.locator("#id_volunteer_wants_new_0").check()
    page.locator("#id_refugee_needs_new_1").check()
    page.get_by_role("button", name="Tandem beenden").click()
    expect(page.locator(".alert-success")).to_contain_text("Das Tandem wurde beendet.")
    expect(page.locator("main")).to_contain_text("beendet")
    axe_check(page)

    visit(page, f"{live_server.url}/tandems/")
    expect(page.locator("main table")).to_contain_text("Jana Vogel")
    visit(page, f"{live_server.url}/tandems/caseload/")
    visit(page, f"{live_server.url}/tandems/batch/")
