"""The referral consent in the household's language (issue #19): the seeded texts, the printable page in
the chosen language (right to left in Arabic and Farsi), the consent stores the language and version of the
text read, an outdated translation is not offered, and the access report shows the text agreed to."""

import re

import pytest
from django.urls import reverse

from core.legal import legal_text_current
from core.models import Consent, LegalText, LegalTextKind
from refugees.models import Refugee
from tests.conftest import client_for
from tests.refugees.audit_cases import _referral_post

pytestmark = pytest.mark.django_db


def _offered(page: str) -> list[str]:
    """The values of the form's choice of consent texts."""
    select = re.search(r'<select name="consent-legal_text".*?</select>', page, re.S).group(0)
    return re.findall(r'value="(\d+)"', select)


KIND = LegalTextKind.REFERRAL_CONSENT
LANGUAGES = ["ar", "fa", "uk", "tr", "ru", "de-ls"]


def test_the_referral_consent_is_seeded_in_german_and_every_participant_language_unreviewed():
    german = legal_text_current(kind=KIND, language="de")
    assert german is not None and german.language == "de" and german.version == "2026-01"
    for code in LANGUAGES:
        text = legal_text_current(kind=KIND, language=code)
        assert text.language == code, code
        assert text.source_version == german.version and text.needs_review
        assert text.body.strip() and text.body != german.body


@pytest.mark.parametrize(
    ("code", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("uk", "ltr"), ("de-ls", "ltr")]
)
def test_the_consent_text_page_shows_the_text_in_the_households_language(referrer, code, direction):
    text = legal_text_current(kind=KIND, language=code)
    response = client_for(referrer).get(reverse("refugees:consent_text") + f"?lang={code}")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{code}" dir="{direction}">' in page
    assert text.body.splitlines()[0] in page and text.version in page


def test_an_outdated_translation_is_neither_shown_nor_offered(coordinator):
    LegalText.objects.create(kind=KIND, language="de", version="2099-01", body="Neue Einwilligung 2099")
    client = client_for(coordinator)
    page = client.get(reverse("refugees:consent_text") + "?lang=ar").content.decode()
    assert "Neue Einwilligung 2099" in page and 'lang="de" dir="ltr"' in page
    form = client.get(reverse("refugees:refugee_create")).content.decode()
    outdated = LegalText.objects.get(kind=KIND, language="ar", source_version="2026-01")
    assert str(outdated.pk) not in _offered(form) and len(_offered(form)) == 1  # German only
    response = client.post(
        reverse("refugees:refugee_create"), _referral_post(**{"consent-legal_text": outdated.pk})
    )
    assert (
        response.status_code == 200
        and "Dieser Einwilligungstext ist veraltet oder unbekannt" in response.content.decode()
    )
    assert not Refugee.objects.filter(last_name="Haddad").exists()


def test_the_consent_stores_the_language_and_version_read_and_the_access_report_shows_that_text(
    referrer, coordinator
):
    arabic = legal_text_current(kind=KIND, language="ar")
    form = client_for(referrer).get(reverse("refugees:refugee_create")).content.decode()
    assert str(arabic.pk) in _offered(form) and reverse("refugees:consent_text") + "?lang=ar" in form
    response = client_for(referrer).post(
        reverse("refugees:refugee_create"), _referral_post(**{"consent-legal_text": arabic.pk})
    )
    assert response.status_code == 302
    refugee = Refugee.objects.get(last_name="Haddad")
    consent = Consent.objects.get(object_id=refugee.pk, content_type__model="refugee")
    assert (consent.language, consent.legal_text, consent.text_version) == ("ar", arabic, arabic.version)
    detail = client_for(coordinator).get(refugee.get_absolute_url()).content.decode()
    assert f"{arabic.version} (ar)" in detail  # the coordinator sees the version and the language
    url = reverse(
        "core:privacy_access", kwargs={"app_label": "refugees", "model": "refugee", "pk": refugee.pk}
    )
    report = client_for(coordinator).get(url).content.decode()
    assert arabic.body.splitlines()[1] in report and 'lang="ar"' in report and 'dir="rtl"' in report


def test_without_a_chosen_text_the_german_text_is_recorded(referrer):
    client_for(referrer).post(reverse("refugees:refugee_create"), _referral_post())
    consent = Consent.objects.get(
        object_id=Refugee.objects.get(last_name="Haddad").pk, content_type__model="refugee"
    )
    german = legal_text_current(kind=KIND, language="de")
    assert (consent.language, consent.legal_text, consent.text_version) == ("de", german, "2026-01")
