"""A volunteer's self-service by the link in their e-mail (issue #18): open it, change the availability,
book a training, log hours, download the certificate; axe on every page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from core.models import Organisation, OrganisationKind, OutboxMessage
from core.services import channel_consent_change
from tandems.selfservice import SELF_SERVICE_LINK_TEMPLATE, selfservice_link_send
from tests.e2e.conftest import axe_check, visit
from tests.factories.tandems import ActiveTandemFactory
from tests.factories.trainings import SessionFactory
from trainings.models import Registration

pytestmark = pytest.mark.e2e
TODAY = datetime.date.today()


@pytest.fixture
def tandem(_e2e):
    fwz = Organisation.objects.get(kind=OrganisationKind.FWZ)
    tandem = ActiveTandemFactory(
        organisation=fwz,
        volunteer__first_name="Jana",
        volunteer__last_name="Vogel",
        volunteer__available_weekdays=[1],
        volunteer__available_times=["evening"],
        refugee__first_name="Amal",
        refugee__last_name="Haddad",
    )
    SessionFactory(organisation=fwz, capacity=10)
    channel_consent_change(person=tandem.volunteer, channel="email", given=True, actor=None)
    assert selfservice_link_send(volunteer=tandem.volunteer, actor=None)
    return tandem


def _link_path() -> str:
    body = OutboxMessage.objects.get(template=SELF_SERVICE_LINK_TEMPLATE).body
    return re.search(r"(/s/[^/\s]+/)", body).group(1)


def test_the_volunteer_changes_availability_books_a_training_and_downloads_the_certificate(
    page, live_server, tandem
):
    start = live_server.url + _link_path()
    visit(page, start)
    expect(page.get_by_role("heading", name="Hallo Jana")).to_be_visible()
    expect(page.get_by_text("Tandem mit Amal")).to_be_visible()
    assert "Haddad" not in page.content()
    axe_check(page)

    page.get_by_role("link", name="Verfügbarkeit ändern").first.click()
    axe_check(page)
    page.get_by_label("Samstag").check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Ihre Änderungen sind gespeichert")
    tandem.volunteer.refresh_from_db()
    assert tandem.volunteer.available_weekdays == [1, 5]

    page.get_by_role("link", name="Schulungen", exact=True).click()
    axe_check(page)
    page.get_by_role("button", name="Anmelden").first.click()
    expect(page.get_by_role("status")).to_contain_text("Sie sind angemeldet")
    axe_check(page)
    assert Registration.objects.filter(volunteer=tandem.volunteer).count() == 1

    page.get_by_role("link", name="Stunden", exact=True).click()
    axe_check(page)
    page.get_by_label("Stunden").fill("2.5")
    page.get_by_role("button", name="Stunden eintragen").click()
    expect(page.get_by_role("status")).to_contain_text("die Stunden sind gespeichert")
    axe_check(page)

    visit(page, start)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tätigkeitsnachweis herunterladen (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    visit(page, live_server.url + "/s/")
    axe_check(page)
