"""Referral to waiting list in the browser: a referrer refers a family, a coordinator holds the intake,
the family waits for a tandem, and the referrer sees the new status."""

import re

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from core import demo
from core.models import Language, User
from refugees.models import Refugee, RefugeeStatus
from refugees.services import household_member_add, referral_note_create
from tests.e2e.conftest import axe_check, login, visit
from tests.factories.refugees import WaitingRefugeeFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_users(_e2e):
    with override_settings(DEMO_PASSWORD="demo"):
        demo.seed(size="small")


def test_referral_intake_and_waiting_list(page, browser, browser_context_args, live_server, demo_users):
    # the referrer refers a family with two children
    login(page, live_server, "referrer")
    page.get_by_role("link", name="Person zuweisen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Person zuweisen")
    axe_check(page)
    person = page.get_by_role("group", name="Person", exact=True)
    person.get_by_label("Vorname").fill("Rania")
    person.get_by_label("Nachname").fill("Khalil")
    person.get_by_label("Geburtsjahr").fill("1986")
    page.get_by_role("group", name="Kontakt").get_by_label("Telefon").fill("0176 5550101")
    page.get_by_role("group", name="Kontakt").get_by_label("Stadtbezirk").select_option(label="Linden-Limmer")
    page.get_by_role("group", name="Sprachen", exact=True).get_by_label("Arabisch").check()
    page.get_by_label("Kita- und Schulplätze finden").check()
    for number, year in ((1, "2015"), (2, "2019")):
        row = page.get_by_role("group", name=f"Person {number}", exact=True)
        row.get_by_label("Rolle").select_option(label="Kind")
        row.get_by_label("Geburtsjahr").fill(year)
    page.get_by_role("button", name="Weitere Person hinzufügen").click()
    third = page.get_by_role("group", name="Person 3", exact=True)
    third.get_by_label("Rolle").select_option(label="erwachsen")
    third.get_by_label("Vorname").fill("Tarek")
    third.get_by_label("Geburtsjahr").fill("1983")
    page.get_by_label(re.compile("Die Person ist mit der Teilnahme")).check()
    page.get_by_label("Eine Dolmetscherin oder ein Dolmetscher war dabei").check()
    page.get_by_label("Gedolmetscht in").select_option(label="Arabisch")
    page.get_by_role("button", name="Zuweisung absenden").click()
    expect(page.locator(".alert-success")).to_contain_text("Rania Khalil")
    expect(page.locator("#referral-status")).to_have_text("zugewiesen")
    axe_check(page)
    referral_url = page.url
    family = Refugee.objects.get(last_name="Khalil")
    assert (family.adults_count, family.children_count) == (2, 2)

    # a coordinator holds the intake interview
    context = browser.new_context(**browser_context_args)
    staff = context.new_page()
    staff.set_default_timeout(10_000)
    login(staff, live_server, "coordinator")
    visit(staff, f"{live_server.url}/refugees/?q=Khalil")
    staff.get_by_role("link", name="Khalil, Rania").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Rania Khalil")
    axe_check(staff)
    staff.get_by_role("link", name="Erstgespräch erfassen").click()
    axe_check(staff)
    staff.get_by_label("Deutschniveau").select_option("A1")
    staff.get_by_label("Notizen aus dem Erstgespräch").fill("Familie sucht Hilfe bei der Kitasuche.")
    staff.get_by_role("button", name="Erstgespräch speichern").click()
    expect(staff.locator("#refugee-status")).to_have_text("wartet auf ein Tandem")
    axe_check(staff)

    # the family is on the waiting list
    staff.get_by_role("link", name="Warteliste").first.click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Warteliste")
    expect(staff.locator("#list-table")).to_contain_text("Khalil, Rania")
    expect(staff.locator("#median-waiting")).to_contain_text("Median")
    axe_check(staff)
    context.close()

    # the referrer sees the new status and the responsible coordinator
    visit(page, referral_url)
    expect(page.locator("#referral-status")).to_have_text("wartet auf ein Tandem")
    expect(page.locator("main")).to_contain_text("Anna Becker")
    page.get_by_role("textbox", name="Notiz").fill("Die Familie ist telefonisch gut erreichbar.")
    page.get_by_role("button", name="Notiz hinzufügen").click()
    expect(page.locator("main")).to_contain_text("Die Familie ist telefonisch gut erreichbar.")
    axe_check(page)
    visit(page, f"{live_server.url}/refugees/referrals/")
    expect(page.locator("#list-table")).to_contain_text("wartet auf ein Tandem")
    assert Refugee.objects.get(pk=family.pk).status == RefugeeStatus.WAITING


def test_bad_referral_shows_german_messages(page, live_server, demo_users):
    login(page, live_server, "referrer")
    visit(page, f"{live_server.url}/refugees/new/")
    page.get_by_role("button", name="Zuweisung absenden").click()
    expect(page.locator("main")).to_contain_text(
        "Ohne Einwilligung kann die Zuweisung nicht gespeichert werden."
    )
    expect(page.locator("main")).to_contain_text("mindestens eine Möglichkeit")
    axe_check(page)
    assert not Refugee.objects.exists()


def test_edit_close_and_note_pages_are_accessible(
    page, browser, browser_context_args, live_server, demo_users
):
    referrer = User.objects.get(username="referrer")
    refugee = WaitingRefugeeFactory(
        organisation=referrer.memberships.get().organisation, referred_by=referrer, last_name="Barakat"
    )
    refugee.languages.add(Language.objects.get(code="ar"))
    household_member_add(refugee=refugee, actor=referrer, data={"role": "child", "birth_year": 2018})
    note = referral_note_create(refugee=refugee, actor=referrer, text="Bitte abends anrufen.")

    login(page, live_server, "referrer")
    visit(page, f"{live_server.url}/refugees/notes/{note.pk}/edit/")
    page.get_by_role("textbox", name="Notiz").fill("Bitte nur abends anrufen.")
    page.get_by_role("button", name="Notiz speichern").click()
    expect(page.locator("main")).to_contain_text("Bitte nur abends anrufen.")
    axe_check(page)

    context = browser.new_context(**browser_context_args)
    staff = context.new_page()
    login(staff, live_server, "coordinator")
    visit(staff, f"{live_server.url}/refugees/{refugee.pk}/edit/")
    staff.get_by_role("group", name="Person 1", exact=True).get_by_label("Geburtsjahr").fill("2017")
    staff.get_by_role("button", name="Änderungen speichern").click()
    expect(staff.locator(".alert-success")).to_contain_text("Änderungen gespeichert")
    axe_check(staff)
    staff.get_by_role("link", name="Zuweisung abschließen").click()
    axe_check(staff)
    staff.get_by_label("Grund für den Abschluss").select_option(label="weggezogen")
    staff.get_by_role("button", name="Zuweisung abschließen").click()
    expect(staff.locator("#refugee-status")).to_have_text("abgeschlossen")
    axe_check(staff)
    context.close()
    refugee.refresh_from_db()
    assert refugee.youngest_birth_year == 2017 and refugee.close_reason == "moved"
