import re

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from core import demo
from tests.e2e.conftest import axe_check, login, visit

pytestmark = pytest.mark.e2e

LANDINGS = {
    "coordinator": "Koordinator*in",
    "partner": "Partner-Koordinator*in",
    "referrer": "Zuweisende Stelle",
}
# steering and evaluators work with the figures only: they land on the dashboard
DASHBOARD_ROLES = ("steering", "evaluator")


@pytest.fixture
def demo_users(_e2e):
    with override_settings(DEMO_PASSWORD="demo"):
        demo.seed(size="small")


@pytest.mark.parametrize("username", list(LANDINGS))
def test_each_demo_role_logs_in_and_lands_on_its_overview(page, live_server, demo_users, username):
    login(page, live_server, username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Willkommen")
    expect(page.locator("main")).to_contain_text(LANDINGS[username])
    page.get_by_role("button", name=re.compile(username, re.I)).or_(
        page.locator("nav button.dropdown-toggle")
    ).first.click()
    page.get_by_role("button", name="Abmelden").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    axe_check(page)


@pytest.mark.parametrize("username", DASHBOARD_ROLES)
def test_steering_and_evaluator_land_on_the_dashboard(page, live_server, demo_users, username):
    login(page, live_server, username)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")


def test_admin_lands_in_the_administration(page, live_server, demo_users):
    login(page, live_server, "admin")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_wrong_password_says_so_in_german(page, live_server, demo_users):
    visit(page, f"{live_server.url}/accounts/login/")
    page.get_by_label("Benutzername").fill("coordinator")
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("main form")).to_contain_text("Groß-/Kleinschreibung")
    axe_check(page)


def test_language_switch_to_english(page, live_server, demo_users):
    login(page, live_server, "coordinator")
    page.get_by_label("Sprache").select_option("en")
    page.get_by_role("button", name="Wechseln").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe_check(page)
