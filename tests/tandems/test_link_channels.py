"""Consent per channel for the personal links (issue #18): e-mail only with a standing consent to e-mails,
a text message only with a consent to text messages and a mobile number, nobody who withdrew; the staff
pages record and withdraw it, the volunteer withdraws on the self-service page, and the tandem page says
"no channel" when a side cannot be reached."""

import datetime

import pytest
from django.urls import reverse

from core import sms
from core.links import links_of
from core.models import AuditEntry, Consent, OutboxMessage
from core.outbox import channel_consented, channel_states, link_channel, message_send
from core.services import channel_consent_change
from core.sms import mobile_number
from tandems.participants import CHECKIN_LINK_TEMPLATE, CHECKIN_SMS_TEMPLATE, checkin_links_send
from tandems.selfservice import selfservice_link_create
from tests.factories.core import language
from tests.factories.tandems import ActiveTandemFactory, CheckInFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def tandem(org, partner):
    tandem = ActiveTandemFactory(organisation=org, coordinator=partner)
    tandem.refugee.email = "familie@example.org"
    tandem.refugee.phone = "0176 1234567"
    tandem.refugee.save(update_fields=["email", "phone"])
    CheckInFactory(tandem=tandem, held_on=None, planned_on=TODAY, channel="", contact_with="", mood="")
    return tandem


@pytest.fixture
def texts(settings):
    settings.SMS_BACKEND = "core.sms.LocmemBackend"
    sms.outbox.clear()
    return sms.outbox


def test_mobile_numbers_are_recognised_and_landlines_are_not():
    assert mobile_number("0176 123 45 67") == "+491761234567"
    assert mobile_number("+49 (151) 2345678") == "+491512345678"
    assert mobile_number("0511 123456") == ""  # a landline in Hannover
    assert mobile_number("+90 532 123 45 67") == "+905321234567"
    assert mobile_number("") == ""


def test_without_a_consent_to_a_channel_nobody_gets_a_link(tandem):
    assert link_channel(tandem.volunteer) == "" and link_channel(tandem.refugee) == ""
    assert checkin_links_send(today=TODAY) == (0, 2)
    assert not OutboxMessage.objects.exists()
    assert not links_of(tandem.volunteer).exists() and not links_of(tandem.refugee).exists()


def test_email_consent_sends_the_link_by_email(tandem):
    channel_consent_change(person=tandem.volunteer, channel="email", given=True, actor=None)
    assert checkin_links_send(today=TODAY) == (1, 1)
    message = OutboxMessage.objects.get()
    assert (message.channel, message.template, message.to_address) == (
        "email",
        CHECKIN_LINK_TEMPLATE,
        tandem.volunteer.email,
    )


def test_sms_consent_and_a_mobile_number_send_a_short_text_in_the_households_language(tandem, texts):
    tandem.refugee.languages.set([language("en")])
    channel_consent_change(person=tandem.refugee, channel="sms", given=True, actor=None)
    assert checkin_links_send(today=TODAY) == (1, 1)
    message = OutboxMessage.objects.get()
    assert (message.channel, message.template, message.to_address) == (
        "sms",
        CHECKIN_SMS_TEMPLATE,
        "+491761234567",
    )
    assert message_send(message_id=message.pk) == "sent"
    [text] = texts
    assert text.to == "+491761234567" and "/t/" in text.body
    assert "How is your tandem going?" in text.body  # the household's language
    # short, and no personal content beyond the first name
    assert len(text.body) < 320
    assert tandem.refugee.last_name not in text.body and tandem.volunteer.first_name not in text.body


def test_sms_consent_without_a_mobile_number_is_no_channel(tandem):
    tandem.refugee.phone = "0511 123456"
    tandem.refugee.save(update_fields=["phone"])
    channel_consent_change(person=tandem.refugee, channel="sms", given=True, actor=None)
    assert link_channel(tandem.refugee) == ""
    assert checkin_links_send(today=TODAY) == (0, 2)


def test_a_withdrawn_channel_consent_stops_the_links_and_is_audited(tandem, partner):
    channel_consent_change(person=tandem.refugee, channel="email", given=True, actor=partner)
    assert channel_consented(tandem.refugee, channel="email")
    assert channel_consent_change(person=tandem.refugee, channel="email", given=False, actor=partner)
    assert not channel_consented(tandem.refugee, channel="email")
    assert checkin_links_send(today=TODAY) == (0, 2)
    actions = AuditEntry.objects.filter(object_id=str(tandem.refugee.pk)).values_list("action", flat=True)
    assert {"core.consent.recorded", "core.consent.withdrawn"} <= set(actions)


def test_a_channel_consent_does_not_outlive_the_programme_consent(tandem):
    channel_consent_change(person=tandem.volunteer, channel="email", given=True, actor=None)
    programme = Consent.objects.create(
        content_type_id=Consent.objects.get().content_type_id,
        object_id=tandem.volunteer.pk,
        purpose="volunteer_register",
        text_version="1",
        channel="online",
        given_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=3),
        withdrawn_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1),
    )
    assert programme.withdrawn_at and link_channel(tandem.volunteer) == ""


def test_the_staff_pages_show_and_change_the_channels(client, tandem, partner):
    client.force_login(partner)
    url = reverse("volunteers:volunteer_channel_consent", args=[tandem.volunteer.pk])
    assert client.post(url, {"channel": "sms", "given": "yes"}).status_code == 302
    assert channel_consented(tandem.volunteer, channel="sms")
    page = client.get(reverse("volunteers:volunteer_detail", args=[tandem.volunteer.pk])).content.decode()
    assert "Kontakt für persönliche Links" in page and "SMS" in page
    refugee_url = reverse("refugees:refugee_channel_consent", args=[tandem.refugee.pk])
    assert client.post(refugee_url, {"channel": "email", "given": "yes"}).status_code == 302
    assert channel_consented(tandem.refugee, channel="email")
    assert client.post(refugee_url, {"channel": "email", "given": "no"}).status_code == 302
    assert not channel_consented(tandem.refugee, channel="email")
    # bad input: a message, nothing changes
    response = client.post(refugee_url, {"channel": "fax", "given": "yes"}, follow=True)
    assert response.status_code == 200 and "Das hat nicht geklappt" in response.content.decode()
    assert not Consent.objects.filter(purpose="messages_fax").exists()


def test_the_tandem_page_says_no_channel_for_a_side_that_cannot_be_reached(client, tandem, partner):
    channel_consent_change(person=tandem.volunteer, channel="email", given=True, actor=None)
    client.force_login(partner)
    page = client.get(reverse("tandems:tandem_detail", args=[tandem.pk])).content.decode()
    assert "Link per E-Mail" in page and "kein Kontaktweg" in page


def test_the_volunteer_withdraws_a_channel_on_the_self_service_page(client, tandem):
    channel_consent_change(person=tandem.volunteer, channel="email", given=True, actor=None)
    _link, token = selfservice_link_create(volunteer=tandem.volunteer, actor=None)
    page = client.get(reverse("selfservice:overview", args=[token])).content.decode()
    assert "Per E-Mail" in page
    response = client.post(reverse("selfservice:channel_withdraw", args=[token]), {"channel": "email"})
    assert response.status_code == 303
    assert not channel_consented(tandem.volunteer, channel="email")
    assert [s.given_at for s in channel_states(tandem.volunteer)] == [None, None]


def test_the_migration_keeps_email_for_people_who_consented_and_gives_nobody_text_messages(org):
    import importlib

    from django.apps import apps

    from core.services import consent_record
    from tests.factories.volunteers import VolunteerFactory

    kept, no_consent, withdrew = VolunteerFactory.create_batch(3, organisation=org)
    for volunteer in (kept, withdrew):
        consent_record(
            subject=volunteer, actor=None, purpose="volunteer_register", text_version="1", channel="online"
        )
    channel_consent_change(person=withdrew, channel="email", given=True, actor=None)
    channel_consent_change(person=withdrew, channel="email", given=False, actor=None)
    importlib.import_module("volunteers.migrations.0017_email_channel_consent").email_consents(apps, None)
    assert link_channel(kept) == "email"
    assert link_channel(no_consent) == "" and link_channel(withdrew) == ""
    assert not Consent.objects.filter(purpose="messages_sms").exists()
