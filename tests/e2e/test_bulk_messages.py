"""A coordinator filters the volunteer list, writes one message to it, previews it, confirms and follows
its progress; the worker sends it to the filtered, consenting volunteers only."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from core.models import Organisation, OrganisationKind, Role
from tests.e2e.conftest import axe_check, login, visit
from tests.factories.core import MembershipFactory
from tests.factories.volunteers import VolunteerFactory
from tests.jobs import run_jobs
from volunteers.models import VolunteerStatus

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery"


def test_a_coordinator_writes_to_a_filtered_list_and_follows_the_progress(page, live_server, job_queue):
    fwz = Organisation.objects.get(kind=OrganisationKind.FWZ)
    coordinator = MembershipFactory(organisation=fwz, role=Role.COORDINATOR).user
    anna = VolunteerFactory(
        organisation=fwz, first_name="Anna", last_name="Adler", status=VolunteerStatus.ACTIVE
    )
    bernd = VolunteerFactory(
        organisation=fwz, first_name="Bernd", last_name="Brandt", status=VolunteerStatus.ACTIVE
    )
    VolunteerFactory(
        organisation=fwz, first_name="Dora", last_name="Dach", email="", status=VolunteerStatus.ACTIVE
    )
    VolunteerFactory(organisation=fwz, first_name="Paul", last_name="Pause", status=VolunteerStatus.PAUSED)
    login(page, live_server, coordinator.username, PASSWORD)
    visit(page, f"{live_server.url}/volunteers/")
    page.locator("summary", has_text="Filter").click()  # the filters beside the search are folded away
    page.get_by_label("Status").select_option(label="aktiv")
    expect(page.get_by_role("link", name="Nachricht an diese Liste")).to_have_attribute(
        "href", "/volunteers/messages/new/?status=active"
    )
    page.get_by_role("link", name="Nachricht an diese Liste").click()
    axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nachricht an diese Liste")
    expect(page.locator("#bulk-counts")).to_contain_text("2 erhalten die Nachricht")
    page.get_by_label("Betreff").fill("Sommerfest")
    page.get_by_label("Text").fill("Hallo {{ vorname }},\nwir laden Sie ein.")
    page.get_by_role("button", name="Vorschau").click()
    axe_check(page)
    expect(page.get_by_role("heading", name="Vorschau für Anna Adler")).to_be_visible()
    expect(page.locator("#preview-text")).to_contain_text("Hallo Anna,")
    expect(
        page.get_by_text("An 2 Ehrenamtliche senden? 1 ohne Einwilligung oder Adresse wird ausgelassen.")
    ).to_be_visible()
    page.get_by_role("button", name="Jetzt senden").click()
    page.wait_for_url(lambda url: "/volunteers/messages/" in url and "/new/" not in url)
    axe_check(page)
    expect(page.get_by_text("Die Nachricht an 2 Ehrenamtliche wird eingereiht.")).to_be_visible()
    expect(page.locator('[data-figure="total"]')).to_have_text("2")
    expect(page.locator('[data-figure="left_out"]')).to_have_text("1")
    run_jobs()
    # htmx polls the figures every 3 seconds; the page shows the sent messages without a reload
    expect(page.locator('[data-figure="sent"]')).to_have_text("2", timeout=8_000)
    expect(page.get_by_text("Fertig: Jede Nachricht ist versendet oder fehlgeschlagen.")).to_be_visible()
    axe_check(page)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([anna.email, bernd.email])
    assert "Hallo Bernd," in next(m.body for m in mail.outbox if m.to == [bernd.email])
