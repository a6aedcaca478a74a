"""A coordinator signs in, finds an overdue check-in on the start page and logs the contact from there."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from core.models import Organisation, OrganisationKind, Role
from tests.e2e.conftest import axe_check, login
from tests.factories.core import MembershipFactory
from tests.factories.tandems import ActiveTandemFactory, CheckInFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def overdue(_e2e):
    fwz = Organisation.objects.get(kind=OrganisationKind.FWZ)
    user = MembershipFactory(organisation=fwz, role=Role.COORDINATOR, user__username="koordination").user
    user.set_password("ein langes Passwort 42")
    user.save()
    tandem = ActiveTandemFactory(
        organisation=fwz,
        coordinator=user,
        volunteer__first_name="Jana",
        volunteer__last_name="Vogel",
        refugee__first_name="Amal",
        refugee__last_name="Haddad",
    )
    CheckInFactory(tandem=tandem, held_on=None, planned_on=datetime.date.today() - datetime.timedelta(days=3))
    return tandem


def test_coordinator_logs_an_overdue_contact_from_the_start_page(page, live_server, overdue):
    login(page, live_server, "koordination", "ein langes Passwort 42")
    due = page.get_by_role("region", name="Heute fällige und überfällige Begleitgespräche")
    expect(due).to_contain_text("Jana Vogel mit Amal Haddad")
    expect(due).to_contain_text("überfällig")
    expect(page.get_by_role("link", name="Meine")).to_have_attribute("aria-current", "page")

    # the link's name carries the tandem ("Kontakt erfassen: Jana Vogel mit Amal Haddad") for screen readers
    due.get_by_role("link", name=re.compile(r"^Kontakt erfassen\W+Jana Vogel mit Amal Haddad$")).click()
    expect(page).to_have_url(f"{live_server.url}/tandems/{overdue.pk}/checkins/new/")
    axe_check(page)
    page.get_by_label("Datum").first.fill(datetime.date.today().isoformat())
    page.get_by_label("Kanal").select_option("phone")
    page.get_by_label("Mit wem").select_option("both")
    page.get_by_label("läuft gut (grün)").check()
    page.get_by_role("button", name="Kontakt speichern").click()
    expect(page.locator(".alert-success")).to_contain_text("Der Kontakt wurde erfasst.")
    axe_check(page)

    page.goto(f"{live_server.url}/")
    axe_check(page)
    expect(page.get_by_role("region", name="Heute fällige und überfällige Begleitgespräche")).to_contain_text(
        "Nichts fällig."
    )
