"""Consent and privacy texts are versioned per language: a consent stores the language and the version it
was given to, the access report shows that text, a newer German version outdates the translations (they
are not offered any more), and a translation carries a review flag until an admin marks it reviewed."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_entries_for
from core.legal import legal_text_current, legal_text_review
from core.models import Consent, ConsentChannel, LegalText, LegalTextKind
from tests.factories.volunteers import VolunteerFactory
from volunteers.services import volunteer_signup

pytestmark = pytest.mark.django_db
PRIVACY = LegalTextKind.PRIVACY


def _text(language, version, source_version="", body=""):
    return LegalText.objects.create(
        kind=PRIVACY,
        language=language,
        version=version,
        source_version=source_version if language != "de" else "",
        body=body or f"{language} {version}",
    )


def test_the_current_text_is_the_translation_of_the_newest_german_version_else_german(db):
    LegalText.objects.filter(kind=PRIVACY).delete()
    _text("de", "2027-01")
    arabic = _text("ar", "2027-01-ar", source_version="2027-01")
    assert legal_text_current(kind=PRIVACY, language="ar") == arabic
    newer = _text("de", "2027-06")
    arabic.refresh_from_db()
    assert arabic.is_outdated and not newer.is_outdated
    # an outdated translation is not offered for new consents: German is
    assert legal_text_current(kind=PRIVACY, language="ar") == newer
    updated = _text("ar", "2027-06-ar", source_version="2027-06")
    assert legal_text_current(kind=PRIVACY, language="ar") == updated
    assert legal_text_current(kind=PRIVACY, language="tr") == newer


def test_a_translation_is_flagged_in_the_admin_until_an_admin_marks_it_reviewed(client, admin_user):
    arabic = _text("ar", "2099-ar", source_version="2026-11")
    client.force_login(admin_user)
    listing = client.get(reverse("admin:core_legaltext_changelist")).content.decode()
    assert "Übersetzung – vor Einsatz von einer Fachübersetzer*in zu prüfen" in listing
    assert arabic.needs_review
    client.post(
        reverse("admin:core_legaltext_changelist"),
        {"action": "mark_reviewed", "_selected_action": [arabic.pk]},
    )
    arabic.refresh_from_db()
    assert arabic.reviewed_by == admin_user and not arabic.needs_review
    assert audit_entries_for(arabic).filter(action="core.legaltext.reviewed").exists()
    with pytest.raises(ValueError):  # a German text is the source and needs no review
        legal_text_review(text=_text("de", "2099"), actor=admin_user)


def test_the_sign_up_consent_stores_language_and_text_and_the_access_report_shows_it(client, coordinator):
    arabic = legal_text_current(kind=PRIVACY, language="ar")
    assert arabic.language == "ar", "the seeded Arabic privacy notice is current"
    volunteer = volunteer_signup(
        data={"first_name": "Lina", "last_name": "Saleh", "email": "lina@example.org"},
        legal_text=arabic,
    )
    consent = Consent.objects.get(object_id=volunteer.pk, content_type__model="volunteer")
    assert (consent.language, consent.legal_text, consent.text_version) == ("ar", arabic, arabic.version)
    client.force_login(coordinator)
    url = reverse(
        "core:privacy_access", kwargs={"app_label": "volunteers", "model": "volunteer", "pk": volunteer.pk}
    )
    report = client.get(url).content.decode()
    assert arabic.body.splitlines()[0] in report and 'lang="ar"' in report and 'dir="rtl"' in report
    assert client.get(url + "?format=json").json()["consents"][0]["language"] == "ar"


def test_a_consent_without_a_stored_text_still_shows_in_the_report(client, coordinator, org):
    volunteer = VolunteerFactory(organisation=org)
    Consent.objects.create(
        content_type=ContentType.objects.get_for_model(volunteer),
        object_id=volunteer.pk,
        purpose="volunteer_register",
        text_version="2026-11",
        channel=ConsentChannel.PAPER,
        given_at=timezone.now(),
    )
    client.force_login(coordinator)
    url = reverse(
        "core:privacy_access", kwargs={"app_label": "volunteers", "model": "volunteer", "pk": volunteer.pk}
    )
    assert client.get(url).status_code == 200
