import datetime
import re

import pytest
from django.core import mail
from django.core.signing import TimestampSigner, b62_encode
from django.urls import reverse
from django.utils import timezone

from core.models import Consent, Organisation, OrganisationKind
from tests.factories.core import help_area, language
from tests.factories.volunteers import VolunteerFactory
from tests.jobs import run_jobs
from volunteers.models import Volunteer, VolunteerStatus
from volunteers.signup import confirmation_token, volunteer_from_token

SIGNUP = reverse("signup:signup_form")


def _data(**changes):
    data = {
        "first_name": "Greta",
        "last_name": "Gern",
        "email": "greta@example.org",
        "phone": "0511 246810",
        "birth_date": "1985-06-15",
        "district": "",
        "languages": [language("en").pk],
        "help_areas": [help_area("leisure").pk],
        "source": "press",
        "message": "Ich habe mittwochs Zeit.",
        "consent": "on",
        "website": "",
    }
    return {**data, **changes}


def test_signup_stores_consent_sends_german_mail_and_confirms(client, job_queue):
    fwz = Organisation.objects.get(kind=OrganisationKind.FWZ)
    response = client.post(SIGNUP, _data())
    assert response.status_code == 302 and response.url == reverse("signup:signup_done")
    assert not mail.outbox, "the request only queues the e-mail; a worker sends it"
    run_jobs()
    volunteer = Volunteer.objects.get(email="greta@example.org")
    assert volunteer.organisation == fwz and volunteer.status == VolunteerStatus.REGISTERED
    assert volunteer.notes == "Ich habe mittwochs Zeit." and volunteer.source == "press"
    consent = Consent.objects.get(object_id=volunteer.pk, purpose="volunteer_register")
    assert consent.channel == "online" and consent.text_version == "2026-11"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["greta@example.org"]
    assert "Bitte bestätigen Sie" in message.subject and "Hallo Greta" in message.body
    link = re.search(r"https?://\S+/signup/confirm/\S+/", message.body).group(0)
    page = client.get(link)
    assert "Meine E-Mail-Adresse bestätigen" in page.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.email_confirmed_at is None, "opening the link (a mail scanner does) confirms nothing"
    page = client.post(link)
    assert "Ihre E-Mail-Adresse ist bestätigt" in page.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.email_confirmed_at is not None and volunteer.status == VolunteerStatus.EMAIL_CONFIRMED
    assert "Ihre E-Mail-Adresse ist bestätigt" in client.get(link).content.decode()


def test_privacy_page_shows_the_version_that_is_stored(client, db):  # the stored text (core.LegalText)
    assert "Version 2026-11" in client.get(reverse("signup:signup_privacy")).content.decode()


def test_expired_or_forged_link_is_refused_in_german(client, fwz):
    volunteer = VolunteerFactory(organisation=fwz, signed_up_at=timezone.now())
    old = TimestampSigner(salt="volunteers.signup.confirm")
    eight_days_ago = timezone.now() - datetime.timedelta(days=8)
    old.timestamp = lambda: b62_encode(int(eight_days_ago.timestamp()))  # a link made eight days ago
    expired = old.sign(str(volunteer.pk))
    assert volunteer_from_token(expired) is None
    assert volunteer_from_token(confirmation_token(volunteer)) == volunteer
    for token in (expired, confirmation_token(volunteer)[:-2] + "xx"):
        for method in (client.get, client.post):
            page = method(reverse("signup:signup_confirm", args=[token])).content.decode()
            assert "nicht mehr gültig" in page
    volunteer.refresh_from_db()
    assert volunteer.email_confirmed_at is None


def test_honeypot_pretends_success_and_stores_nothing(client, fwz):
    response = client.post(SIGNUP, _data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Volunteer.objects.exists() and not mail.outbox


def test_rate_limit_per_address(client, fwz):
    for n in range(5):
        assert client.post(SIGNUP, _data(email=f"p{n}@example.org")).status_code == 302
    response = client.post(SIGNUP, _data(email="p6@example.org"))
    assert response.status_code == 429
    assert "Zu viele Anmeldungen" in response.content.decode()
    assert Volunteer.objects.count() == 5
    other = client.post(SIGNUP, _data(email="p7@example.org"), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302, "another address is not affected"


def test_forged_forwarded_for_does_not_escape_the_limit(client, fwz):
    """Without PROXIES_IN_FRONT the header is the client's own words: only the connection's address counts."""
    for n in range(5):
        client.post(SIGNUP, _data(email=f"f{n}@example.org"), HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = client.post(SIGNUP, _data(email="f6@example.org"), HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


def test_behind_a_proxy_each_client_has_its_own_limit(client, fwz, settings):
    settings.PROXIES_IN_FRONT = 1  # one nginx: REMOTE_ADDR is the proxy, it adds the address it saw
    proxy = {"REMOTE_ADDR": "10.0.0.1"}

    def sign_up(email: str, forwarded: str):
        return client.post(SIGNUP, _data(email=email), HTTP_X_FORWARDED_FOR=forwarded, **proxy)

    for n in range(5):
        assert sign_up(f"a{n}@example.org", "198.51.100.7").status_code == 302
    assert sign_up("a6@example.org", "198.51.100.7").status_code == 429
    assert sign_up("b1@example.org", "198.51.100.8").status_code == 302, "another client is not affected"
    # what a client writes in front of the proxy's entry does not change whom it counts
    assert sign_up("c1@example.org", "192.0.2.1, 198.51.100.7").status_code == 429
    # a broken header counts under the proxy's own address, never as a 500
    assert sign_up("d1@example.org", "kein-adresse").status_code == 302


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"consent": ""}, "Bitte stimmen Sie den Datenschutzhinweisen zu"),
        ({"birth_date": "2015-01-01"}, "mindestens 18 Jahre"),
        ({"email": "nicht-gültig"}, "Bitte gültige E-Mail-Adresse eingeben."),
        ({"first_name": ""}, "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_bad_signup_says_why_in_german_and_stores_nothing(client, fwz, changes, message):
    response = client.post(SIGNUP, _data(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Volunteer.objects.exists() and not mail.outbox


def test_duplicate_signup_is_accepted_flagged_and_not_revealed(client, org):
    existing = VolunteerFactory(organisation=org, email="greta@example.org")
    response = client.post(SIGNUP, _data(), follow=True)
    page = response.content.decode()
    assert "Vielen Dank für Ihre Anmeldung" in page
    assert "Dublette" not in page and existing.last_name not in page
    new = Volunteer.objects.exclude(pk=existing.pk).get()
    assert new.possible_duplicate_of == existing


def test_signup_page_is_public_and_labelled(client, db):
    page = client.get(SIGNUP).content.decode()
    assert "Pate werden" in page and 'for="id_first_name"' in page and "Datenschutzhinweise" in page
