import csv
import io
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from core.models import Organisation, OrganisationKind, Role
from tests.e2e.conftest import axe_check, login, visit
from tests.factories.core import MembershipFactory
from tests.factories.volunteers import VolunteerFactory
from tests.jobs import run_jobs
from volunteers.models import Volunteer, VolunteerStatus

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def coordinator_login(_e2e):
    fwz = Organisation.objects.get(kind=OrganisationKind.FWZ)
    MembershipFactory(user__username="koordination", organisation=fwz, role=Role.COORDINATOR)
    return "koordination"


def test_public_signup_with_confirmation_link_from_the_email(page, live_server, job_queue, mailoutbox):
    visit(page, f"{live_server.url}/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pate werden")
    page.get_by_label("Vorname").fill("Greta")
    page.get_by_label("Nachname").fill("Gern")
    page.get_by_label("E-Mail-Adresse").fill("greta@example.org")
    page.get_by_label("Geburtsdatum").fill("1985-06-15")
    page.get_by_label("Englisch").check()
    page.get_by_label("Gemeinsame Freizeit").check()
    page.get_by_label("Ich habe die Datenschutzhinweise gelesen").check()
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank für Ihre Anmeldung!")
    axe_check(page)

    run_jobs()  # the worker sends the confirmation queued by the sign-up
    assert len(mailoutbox) == 1
    link = re.search(r"http://\S+/signup/confirm/\S+/", mailoutbox[0].body).group(0)
    visit(page, link)
    expect(page.get_by_role("heading", level=1)).to_have_text("E-Mail-Adresse bestätigen")
    page.get_by_role("button", name="Meine E-Mail-Adresse bestätigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre E-Mail-Adresse ist bestätigt")
    axe_check(page)
    volunteer = Volunteer.objects.get(email="greta@example.org")
    assert volunteer.status == VolunteerStatus.EMAIL_CONFIRMED
    assert volunteer.email_confirmed_at is not None

    visit(page, f"{live_server.url}/signup/privacy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Datenschutzhinweise für Pat*innen")


def test_coordinator_filters_the_register_and_downloads_the_csv(
    page, live_server, coordinator_login, tmp_path
):
    gemide = Organisation.objects.get(short_name="gEMiDe")
    VolunteerFactory(
        organisation=gemide, first_name="Aktiv", last_name="Albers", status=VolunteerStatus.ACTIVE
    )
    VolunteerFactory(
        organisation=gemide, first_name="Pause", last_name="Peters", status=VolunteerStatus.PAUSED
    )
    VolunteerFactory(
        organisation=gemide, first_name="Neu", last_name="Nolte", status=VolunteerStatus.REGISTERED
    )

    login(page, live_server, coordinator_login, PASSWORD)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Ehrenamtliche").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Patenkartei")
    axe_check(page)
    page.locator("summary", has_text="Filter").click()  # the filters beside the search are folded away
    page.get_by_label("Status").select_option(label="aktiv")
    page.get_by_role("button", name="Filtern").click()
    table = page.locator("#list-table")
    expect(table).to_contain_text("Albers")
    expect(table).not_to_contain_text("Peters")
    expect(table).not_to_contain_text("Nolte")
    axe_check(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV exportieren").click()
    target = Path(tmp_path) / "export.csv"
    download_info.value.save_as(target)
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["ID", "Vorname", "Nachname"]
    assert [row[2] for row in rows[1:]] == ["Albers"]

    page.get_by_role("link", name="Albers, Aktiv").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aktiv Albers")
    axe_check(page)
    page.get_by_role("link", name="Erstgespräch erfassen").click()
    axe_check(page)
    page.get_by_label("Ergebnis").select_option(label="geeignet")
    page.get_by_label("Motivation").fill("Möchte helfen")
    page.get_by_role("button", name="Erstgespräch speichern").click()
    expect(page.locator(".alert-success")).to_contain_text("Das Erstgespräch wurde erfasst.")
    expect(page.get_by_role("region", name="Eignungsprüfung")).to_contain_text("Möchte helfen")
    axe_check(page)


def test_import_with_an_error_row_then_fixed(page, live_server, coordinator_login):
    good = "Vorname;Nachname;E-Mail;Geburtsdatum;Sprachen\nJörg;Weiß;joerg@example.org;24.11.1970;Arabisch\n"
    bad = good + "Max;Muster;max@example.org;31.02.1980;Englisch\n"
    fixed = good + "Max;Muster;max@example.org;28.02.1980;Englisch\n"

    login(page, live_server, coordinator_login, PASSWORD)
    visit(page, f"{live_server.url}/volunteers/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Liste von Ehrenamtlichen importieren")

    def upload(text: str) -> None:
        page.get_by_label("Datei (CSV oder Excel)").set_input_files(
            files=[{"name": "liste.csv", "mimeType": "text/csv", "buffer": text.encode("cp1252")}]
        )
        page.get_by_label("Importieren in Organisation").select_option(label="gEMiDe")
        page.get_by_role("button", name="Hochladen und weiter").click()
        expect(page.get_by_role("heading", level=2, name="Spalten")).to_be_visible()
        axe_check(page)

    upload(bad)
    expect(page.get_by_label("Vorname")).to_have_value("0")
    page.get_by_role("button", name="Probelauf").click()
    result = page.locator("#result-heading").locator("..")
    expect(result).to_contain_text("1 Zeile hat Fehler")
    expect(result.get_by_role("row", name=re.compile("Zeile 3"))).to_contain_text(
        "„31.02.1980“ ist kein Datum"
    )
    expect(page.get_by_role("button", name=re.compile("importieren"))).to_have_count(0)
    axe_check(page)
    assert not Volunteer.objects.exists()

    page.get_by_role("button", name="Datei verwerfen und neu beginnen").click()
    axe_check(page)
    upload(fixed)
    page.get_by_role("button", name="Probelauf").click()
    expect(page.locator("main")).to_contain_text("Alle 2 Zeilen können importiert werden.")
    axe_check(page)
    page.get_by_role("button", name="Alle 2 Zeilen importieren").click()
    expect(page.locator(".alert-success")).to_contain_text("2 Ehrenamtliche wurden in gEMiDe importiert.")
    expect(page.locator("#list-table")).to_contain_text("Weiß")
    expect(page.locator("#list-table")).to_contain_text("Muster")
    axe_check(page)
    assert set(Volunteer.objects.values_list("organisation__short_name", flat=True)) == {"gEMiDe"}
