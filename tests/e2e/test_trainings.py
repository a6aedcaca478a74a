import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Organisation, OrganisationKind, Role
from tests.e2e.conftest import axe_check, login, visit
from tests.factories.core import MembershipFactory
from tests.factories.trainings import SessionFactory
from tests.factories.volunteers import VolunteerFactory
from volunteers.models import Volunteer, VolunteerStatus

pytestmark = pytest.mark.e2e


def test_coordinator_runs_a_basic_training_from_registration_to_trained(page, live_server):
    fwz = Organisation.objects.get(kind=OrganisationKind.FWZ)
    MembershipFactory(user__username="koordination", organisation=fwz, role=Role.COORDINATOR)
    for first, last in [("Anna", "Anders"), ("Bernd", "Berger"), ("Clara", "Conrad")]:
        VolunteerFactory(organisation=fwz, first_name=first, last_name=last, status=VolunteerStatus.CLEARED)
    today = timezone.localdate()

    login(page, live_server, "koordination", "correct horse battery")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Schulungen").click()
    axe_check(page)
    page.get_by_role("link", name="Neuer Termin").click()
    axe_check(page)
    page.get_by_label("Kursart").select_option(label="Basisschulung für Pat*innen")
    page.get_by_label("Organisation").select_option(label="FWZ")
    page.get_by_label("Beginn").fill(f"{today:%Y-%m-%d}T08:00")
    page.get_by_label("Ort").fill("Freiwilligenzentrum, Karmarschstraße 30")
    page.get_by_label("Leitung").fill("Petra Lange")
    page.get_by_label("Plätze").fill("2")
    page.get_by_role("button", name="Termin speichern").click()
    expect(page.locator(".alert-success")).to_contain_text("Termin gespeichert")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Basisschulung für Pat*innen")
    axe_check(page)
    session_url = page.url

    page.get_by_role("link", name="Mehrere Ehrenamtliche anmelden").click()
    axe_check(page)
    for name in ("Anna Anders", "Bernd Berger", "Clara Conrad"):
        page.get_by_label(name).check()
    page.get_by_role("button", name="Ausgewählte Ehrenamtliche anmelden").click()
    expect(page.locator("#register-summary")).to_contain_text("3 Ehrenamtliche werden angemeldet")
    expect(page.locator("#register-summary")).to_contain_text("1 kommt auf die Warteliste")
    axe_check(page)
    page.get_by_role("button", name="3 Ehrenamtliche anmelden").click()
    expect(page.locator("main")).to_contain_text("Auf der Warteliste: Clara Conrad")
    expect(page.locator("#registered-table")).to_contain_text("Anna Anders")
    expect(page.locator("#registered-table")).to_contain_text("Bernd Berger")
    expect(page.locator("#waiting-table")).to_contain_text("Clara Conrad")
    axe_check(page)

    page.get_by_role("button", name="Austragen Anna Anders").click()
    expect(page.locator("main")).to_contain_text("Clara Conrad ist von der Warteliste nachgerückt")
    expect(page.locator("#registered-table")).to_contain_text("Clara Conrad")
    expect(page.locator("#registered-table")).not_to_contain_text("Anna Anders")
    expect(page.locator("#waiting-table")).to_have_count(0)
    axe_check(page)

    page.get_by_role("link", name="Anwesenheit erfassen").click()
    axe_check(page)
    for name in ("Bernd Berger", "Clara Conrad"):
        page.get_by_label(name).press("Space")  # keyboard: the space bar ticks, htmx saves the row
    for name in ("Bernd Berger", "Clara Conrad"):
        row = page.locator("tr", has=page.get_by_label(name))
        expect(row).to_contain_text("gespeichert")
        expect(row).to_contain_text(f"geschult am {today:%d.%m.%Y}")
        expect(page.get_by_label(name)).to_be_checked()
    axe_check(page)

    visit(page, session_url)
    expect(page.locator("#registered-table")).to_contain_text(f"{today:%d.%m.%Y}")
    berger = Volunteer.objects.get(last_name="Berger")
    assert berger.trained_on == today
    visit(page, live_server.url + reverse("volunteers:volunteer_detail", args=[berger.pk]))
    expect(page.locator("main")).to_contain_text(re.compile(rf"{today:%d\.%m\.%Y}"))


def test_coordinator_finds_a_volunteer_by_typing_and_registers_them(page, live_server):
    fwz = Organisation.objects.get(kind=OrganisationKind.FWZ)
    MembershipFactory(user__username="koordination", organisation=fwz, role=Role.COORDINATOR)
    VolunteerFactory(organisation=fwz, first_name="Clara", last_name="Conrad", status=VolunteerStatus.CLEARED)
    VolunteerFactory(organisation=fwz, first_name="Bernd", last_name="Berger", status=VolunteerStatus.CLEARED)
    session = SessionFactory(organisation=fwz)

    login(page, live_server, "koordination", "correct horse battery")
    visit(page, live_server.url + session.get_absolute_url())
    search = page.get_by_role("searchbox", name="Ehrenamtliche*n nach Namen suchen")
    search.press_sequentially("Co")
    choice = page.get_by_role("radio", name=re.compile("Clara Conrad"))
    expect(choice).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile("Bernd Berger"))).to_have_count(0)
    axe_check(page)
    choice.check()
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("Clara Conrad ist angemeldet")
    expect(page.locator("#registered-table")).to_contain_text("Clara Conrad")
    axe_check(page)
