"""A coordinator answers an access request and erases a volunteer's data; the idle session warning."""

import re

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from core.models import Role
from tests.e2e.conftest import axe_check, login, visit
from tests.factories.core import MembershipFactory
from tests.factories.volunteers import VolunteerFactory
from volunteers.models import Volunteer

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery"


@pytest.fixture
def coordinator_user(_e2e):
    from core.models import Organisation, OrganisationKind

    return MembershipFactory(
        organisation=Organisation.objects.get(kind=OrganisationKind.FWZ), role=Role.COORDINATOR
    ).user


def test_coordinator_answers_an_access_request_and_erases(page, live_server, coordinator_user):
    volunteer = VolunteerFactory(
        organisation=coordinator_user.memberships.get().organisation,
        first_name="Henrike",
        last_name="Hollerbach",
        notes="möchte Familien begleiten",
    )
    login(page, live_server, coordinator_user.username, PASSWORD)
    visit(page, f"{live_server.url}/privacy/access/volunteers/volunteer/{volunteer.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Auskunft zu Henrike Hollerbach")
    expect(page.locator("main")).to_contain_text("möchte Familien begleiten")
    with page.expect_download() as download:
        page.get_by_role("link", name="Als JSON herunterladen").click()
    assert download.value.suggested_filename == f"auskunft-volunteers-volunteer-{volunteer.pk}.json"

    page.get_by_role("link", name="Personenbezogene Daten löschen").click()
    axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Henrike Hollerbach")
    page.get_by_label("Grund").fill("Antrag vom 24.11.2026")
    page.get_by_role("button", name="Endgültig löschen").click()
    expect(page.locator("main")).to_contain_text("Bitte bestätigen Sie die Löschung")
    axe_check(page)
    page.get_by_label(re.compile("Ich habe den Antrag geprüft")).check()
    page.get_by_role("button", name="Endgültig löschen").click()
    expect(page.locator(".messages")).to_contain_text("wurden gelöscht")
    axe_check(page)
    row = Volunteer.objects.get(pk=volunteer.pk)
    assert row.anonymised_at is not None and row.first_name == "" and row.notes == ""


@override_settings(SESSION_COOKIE_AGE=123)
def test_idle_session_warning_and_keep_alive(page, live_server, coordinator_user):
    login(page, live_server, coordinator_user.username, PASSWORD)
    warning = page.locator("#session-timeout-warning")
    expect(warning).to_be_hidden()
    expect(warning).to_be_visible(timeout=8_000)
    expect(warning).to_contain_text("Ihre Sitzung endet in zwei Minuten")
    axe_check(page)
    page.get_by_role("button", name="Angemeldet bleiben").click()
    expect(warning).to_be_hidden()
