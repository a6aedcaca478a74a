"""The browser enforces the Content-Security-Policy, and the browser tests notice when a page breaks it."""

import pytest
from playwright.sync_api import expect

from core.models import Organisation, OrganisationKind, Role
from tests.e2e.conftest import _CSP_VIOLATIONS, axe_check, login, visit
from tests.factories.core import MembershipFactory
from tests.factories.trainings import SessionFactory
from tests.factories.volunteers import VolunteerFactory
from trainings.models import Session

pytestmark = pytest.mark.e2e


def test_a_blocked_inline_style_fails_the_page_check(page, live_server):
    visit(page, f"{live_server.url}/accounts/login/")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    with pytest.raises(AssertionError, match="Content-Security-Policy violations"):
        axe_check(page)
    _CSP_VIOLATIONS[page].clear()  # seen and expected: the fixture's final check is for unexpected ones


def test_an_inline_script_does_not_run(page, live_server):
    visit(page, f"{live_server.url}/accounts/login/")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.ran = true';"
            " document.body.append(s); }"
        )
    assert page.evaluate("window.ran === undefined"), "the policy blocked the inline script"
    _CSP_VIOLATIONS[page].clear()


@pytest.fixture
def coordinator(_e2e):
    fwz = Organisation.objects.get(kind=OrganisationKind.FWZ)
    return MembershipFactory(user__username="koordination", organisation=fwz, role=Role.COORDINATOR)


def test_deleting_a_session_asks_first_without_an_inline_handler(page, live_server, coordinator):
    session = SessionFactory(organisation=coordinator.organisation)
    login(page, live_server, "koordination", "correct horse battery")
    visit(page, f"{live_server.url}{session.get_absolute_url()}")
    questions = []

    def answer(dialog, accept: bool) -> None:
        questions.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Termin löschen").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert questions == ["Diesen Termin löschen? Niemand ist dafür angemeldet."]
    assert Session.objects.filter(pk=session.pk).exists(), "cancelled: nothing deleted"

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Termin löschen").click()
    expect(page.locator(".alert-success")).to_contain_text("Termin gelöscht.")
    axe_check(page)
    assert not Session.objects.filter(pk=session.pk).exists()


def test_the_print_button_prints_through_the_static_script(page, live_server, coordinator):
    volunteer = VolunteerFactory(organisation=coordinator.organisation)
    login(page, live_server, "koordination", "correct horse battery")
    visit(page, f"{live_server.url}/privacy/access/volunteers/volunteer/{volunteer.pk}/")
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Drucken").click()
    assert page.evaluate("window.printed") == 1
