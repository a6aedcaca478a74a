"""The referral consent in Arabic in the browser (issue #19): a referrer on a 390 px phone opens the
consent text in the household's language by keyboard (right to left, nothing wider than the screen, axe
clean), records the referral with that text, and a coordinator's access report shows the Arabic text."""

import re

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from core import demo
from core.legal import legal_text_current
from core.models import Consent, LegalTextKind
from refugees.models import Refugee
from tests.e2e.conftest import axe_check, login, visit
from tests.e2e.test_participant_checkin import _tab_to
from tests.e2e.test_participant_languages import _fits, _tab_to_field

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_users(_e2e):
    with override_settings(DEMO_PASSWORD="demo"):
        demo.seed(size="small")


def test_the_referral_consent_in_arabic_by_keyboard_on_a_phone(
    page, browser, browser_context_args, live_server, demo_users
):
    arabic = legal_text_current(kind=LegalTextKind.REFERRAL_CONSENT, language="ar")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "referrer")
    visit(page, f"{live_server.url}/refugees/new/")

    # the consent text in the household's language, opened by keyboard in a new tab
    with page.context.expect_page() as opened:
        _tab_to(page, "العربية", limit=200)
        page.keyboard.press("Enter")
    consent_page = opened.value
    consent_page.set_viewport_size({"width": 390, "height": 844})
    consent_page.wait_for_load_state()
    _fits(consent_page, "ar", "rtl")
    expect(consent_page.get_by_role("heading", level=1)).to_have_text("الموافقة على المشاركة")
    expect(consent_page.locator(".legal-text")).to_contain_text("الموافقة على المشاركة في برنامج")
    expect(consent_page.get_by_text("التوقيع")).to_be_visible()
    consent_page.close()

    # the referral, its consent given to the Arabic text: chosen and confirmed by keyboard
    person = page.get_by_role("group", name="Person", exact=True)
    person.get_by_label("Vorname").fill("Samira")
    person.get_by_label("Nachname").fill("Haddad")
    page.get_by_role("group", name="Kontakt").get_by_label("Telefon").fill("0176 5550101")
    page.get_by_role("group", name="Sprachen", exact=True).get_by_label("Arabisch").check()
    _tab_to_field(page, "id_consent-consent_given", limit=200)
    page.keyboard.press("Space")
    _tab_to_field(page, "id_consent-legal_text")
    for _ in range(10):  # the arrow keys move through the offered texts: German first
        if page.evaluate("document.getElementById('id_consent-legal_text').value") == str(arabic.pk):
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.getElementById('id_consent-legal_text').value") == str(arabic.pk)
    _tab_to(page, "Zuweisung absenden", limit=200)
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("Samira Haddad")
    axe_check(page)
    refugee = Refugee.objects.get(last_name="Haddad")
    consent = Consent.objects.get(object_id=refugee.pk, content_type__model="refugee")
    assert (consent.language, consent.legal_text_id, consent.text_version) == (
        "ar",
        arabic.pk,
        arabic.version,
    )

    # the coordinator's access report (Art. 15) shows the text agreed to, in Arabic and right to left
    context = browser.new_context(**browser_context_args)
    staff = context.new_page()
    staff.set_default_timeout(10_000)
    login(staff, live_server, "coordinator")
    visit(staff, f"{live_server.url}/privacy/access/refugees/refugee/{refugee.pk}/")
    text = staff.locator('[lang="ar"][dir="rtl"]').first
    expect(text).to_contain_text(re.compile("الموافقة على المشاركة في برنامج"))
    context.close()
