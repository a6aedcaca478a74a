"""The public sign-up is a participant page: it speaks the visitor's language (?lang=), right to left in
Arabic and Persian, shows the stored privacy text of that language, stores that text with the consent, and
the volunteer's preferred language decides every later message and link (docs/languages.md)."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from core.legal import legal_text_current
from core.links import links_of
from core.models import Consent, LegalText, LegalTextKind, LinkPurpose, OutboxMessage
from core.services import channel_consent_change
from tandems.participants import CHECKIN_LINK_TEMPLATE, checkin_links_send
from tests.conftest import client_for
from tests.factories.core import help_area, language
from tests.factories.tandems import ActiveTandemFactory, CheckInFactory
from tests.factories.volunteers import VolunteerFactory
from tests.jobs import run_jobs
from tests.volunteers.audit_cases import _edit_data
from volunteers.models import Volunteer

SIGNUP = reverse("signup:signup_form")
PRIVACY = reverse("signup:signup_privacy")
TODAY = datetime.date.today()
ARABIC_TITLE = "كونوا مرافقين ومرافقات"  # "Become a mentor"


def _data(**changes):
    data = {
        "first_name": "Rania",
        "last_name": "Haddad",
        "email": "rania@example.org",
        "phone": "",
        "birth_date": "1990-03-02",
        "district": "",
        "languages": [language("ar").pk],
        "help_areas": [help_area("leisure").pk],
        "source": "friends",
        "message": "",
        "consent": "on",
        "website": "",
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_the_arabic_sign_up_is_right_to_left_and_arabic_and_keeps_the_language(client):
    page = client.get(SIGNUP + "?lang=ar").content.decode()
    assert '<html lang="ar" dir="rtl"' in page
    assert "bootstrap.rtl.min.css" in page and "bootstrap.min.css" not in page
    assert ARABIC_TITLE in page and "الاسم الأول" in page  # the title and the form's labels
    assert f'action="{SIGNUP}?lang=ar"' in page  # the form posts back in Arabic
    assert f'href="{PRIVACY}?lang=ar"' in page  # the privacy notice opens in Arabic
    assert 'hreflang="fa"' in page and 'hreflang="uk"' in page  # the language bar


@pytest.mark.django_db
def test_an_unknown_language_is_ignored_and_german_is_the_default(client):
    page = client.get(SIGNUP + "?lang=xx").content.decode()
    assert '<html lang="de" dir="ltr"' in page and "Pate" in page
    assert 'action="/signup/"' in page


@pytest.mark.django_db
def test_a_wrong_answer_gets_an_arabic_message_and_stores_nothing(client):
    response = client.post(SIGNUP + "?lang=ar", _data(consent=""))
    page = response.content.decode()
    assert response.status_code == 200 and '<html lang="ar" dir="rtl"' in page
    assert "يرجى الموافقة على إشعار حماية البيانات" in page
    assert not Volunteer.objects.filter(email="rania@example.org").exists()


@pytest.mark.django_db
def test_the_privacy_page_shows_the_stored_arabic_text(client):
    arabic = legal_text_current(kind=LegalTextKind.PRIVACY, language="ar")
    assert arabic.language == "ar"
    page = client.get(PRIVACY + "?lang=ar").content.decode()
    assert '<html lang="ar" dir="rtl"' in page
    first_line = arabic.body.splitlines()[0]
    assert first_line in page and "إشعار حماية البيانات" in page
    assert f"{SIGNUP}?lang=ar" in page  # back to the form, in Arabic


@pytest.mark.django_db
def test_an_outdated_translation_is_not_offered_the_new_german_text_is(client):
    LegalText.objects.create(
        kind=LegalTextKind.PRIVACY, language="de", version="2027-01", body="Neuer Datenschutzhinweis 2027."
    )
    page = client.get(PRIVACY + "?lang=ar").content.decode()
    assert "Neuer Datenschutzhinweis 2027." in page and 'lang="de" dir="ltr"' in page
    assert "الإصدار 2027-01" in page  # the page around it is still Arabic


def test_the_arabic_sign_up_stores_arabic_consent_and_sends_an_arabic_confirmation(client, job_queue):
    arabic = legal_text_current(kind=LegalTextKind.PRIVACY, language="ar")
    response = client.post(SIGNUP + "?lang=ar", _data())
    assert response.status_code == 302 and response.url == reverse("signup:signup_done") + "?lang=ar"
    assert "شكراً لتسجيلكم!" in client.get(response.url).content.decode()
    volunteer = Volunteer.objects.get(email="rania@example.org")
    assert volunteer.preferred_language == "ar"
    consent = Consent.objects.get(object_id=volunteer.pk, purpose="volunteer_register")
    assert (consent.language, consent.legal_text, consent.text_version) == ("ar", arabic, arabic.version)
    run_jobs()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "يرجى تأكيد تسجيلكم في 10.000 Freunde"
    assert "مرحباً Rania،" in message.body and "خلال 7 أيام بفتح هذا الرابط" in message.body
    assert "Hallo" not in message.body and "Bitte" not in message.body
    link = re.search(r"https?://\S+/signup/confirm/\S+/", message.body).group(0)
    page = client.get(link).content.decode()  # no ?lang=: the volunteer's language
    assert '<html lang="ar" dir="rtl"' in page and "تأكيد عنوان بريدي الإلكتروني" in page
    assert "تم تأكيد عنوان بريدكم الإلكتروني" in client.post(link).content.decode()


@pytest.mark.django_db
def test_the_volunteers_check_in_link_and_its_e_mail_speak_their_language(org, partner):
    tandem = ActiveTandemFactory(organisation=org, coordinator=partner)
    Volunteer.objects.filter(pk=tandem.volunteer_id).update(
        preferred_language="uk", email="olena@example.org"
    )
    channel_consent_change(person=tandem.volunteer, channel="email", given=True, actor=None)
    CheckInFactory(tandem=tandem, held_on=None, planned_on=TODAY, channel="", contact_with="", mood="")
    checkin_links_send(today=TODAY)
    link = links_of(tandem.volunteer).get(purpose=LinkPurpose.CHECKIN)
    assert link.language == "uk"
    message = OutboxMessage.objects.get(template=CHECKIN_LINK_TEMPLATE, recipient_id=tandem.volunteer_id)
    assert message.language == "uk" and "Вітаємо" in message.body and "Hallo" not in message.body


@pytest.mark.django_db
def test_staff_set_the_preferred_language_on_the_volunteer_form(coordinator, fwz):
    volunteer = VolunteerFactory(organisation=fwz)
    client = client_for(coordinator)
    url = reverse("volunteers:volunteer_edit", args=[volunteer.pk])
    assert 'name="preferred_language"' in client.get(url).content.decode()
    assert client.post(url, _edit_data(volunteer, preferred_language="fa")).status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.preferred_language == "fa"
    client.post(url, _edit_data(volunteer))  # a post without the field keeps it
    volunteer.refresh_from_db()
    assert volunteer.preferred_language == "fa"
    page = client.post(url, _edit_data(volunteer, preferred_language="xx")).content.decode()
    assert "xx" in page and "gültige Auswahl" in page  # refused with a German message
    volunteer.refresh_from_db()
    assert volunteer.preferred_language == "fa"
