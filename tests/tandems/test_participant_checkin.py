"""Check-ins from both sides by personal link (issue #18): the walk through the questions, what an answer
feeds (timeline, summary, at-risk), "I need help", the job that sends the links, and the links that must
open nothing."""

import datetime

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from core.links import SALT, link_create, links_of
from core.models import AuditEntry, HelpArea, LinkPurpose, OutboxMessage, ParticipantLink
from core.services import channel_consent_change
from tandems.models import CheckIn, HelpRequest, Tandem
from tandems.participants import (
    CHECKIN_LINK_TEMPLATE,
    HELP_ALERT_TEMPLATE,
    checkin_links_send,
    participant_checkin_record,
)
from tandems.selectors import tandems_at_risk, with_support_flags
from tests.factories.core import language
from tests.factories.tandems import ActiveTandemFactory, CheckInFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
CHECKIN = LinkPurpose.CHECKIN


@pytest.fixture
def tandem(org, partner):
    return ActiveTandemFactory(organisation=org, coordinator=partner)


def _link(tandem, side="volunteer", **kwargs):
    person = tandem.volunteer if side == "volunteer" else tandem.refugee
    return link_create(person=person, purpose=CHECKIN, about=tandem, **kwargs)


def _url(token):
    return reverse("participant:checkin", args=[token])


def _walk(client, token, *steps):
    """Post the screens one after the other, each with the answers the page carried as hidden fields."""
    response = client.get(_url(token))
    assert response.status_code == 200
    carried = {}
    for step, answer in steps:
        carried = {**carried, **answer, "step": step}
        response = client.post(_url(token), carried, follow=True)
        assert response.status_code == 200
    return response


def test_the_volunteer_walks_through_a_check_in_and_it_lands_on_the_timeline(client, tandem):
    link, token = _link(tandem)
    areas = list(HelpArea.objects.order_by("pk")[:2])
    page = client.get(_url(token)).content.decode()
    assert "Haben Sie sich seit dem letzten Mal getroffen?" in page
    assert tandem.volunteer.last_name not in page and tandem.refugee.last_name not in page
    done = _walk(
        client,
        token,
        ("met", {"met": "yes"}),
        ("mood", {"mood": "green"}),
        ("areas", {"areas": [a.pk for a in areas]}),
        ("text", {"text": "Wir waren beim Bürgeramt."}),
    )
    assert "Ihre Antworten sind angekommen." in done.content.decode()
    checkin = CheckIn.objects.get(tandem=tandem, link=link)
    assert (checkin.by, checkin.channel, checkin.contact_with) == ("volunteer", "link", "volunteer")
    assert (checkin.met, checkin.mood, checkin.held_on) == ("yes", "green", TODAY)
    assert set(checkin.areas.all()) == set(areas)
    assert checkin.topics == "Wir waren beim Bürgeramt."
    tandem.refresh_from_db()
    assert tandem.last_contact_on == TODAY and tandem.latest_mood == "green"  # the summary counts it
    link.refresh_from_db()
    assert link.uses == 1
    actions = set(AuditEntry.objects.filter(object_id=str(link.pk)).values_list("action", flat=True))
    assert {"core.participantlink.opened", "core.participantlink.used"} <= actions


def test_a_check_in_answered_twice_counts_once(client, tandem):
    link, token = _link(tandem, side="household")
    answers = {"step": "text", "met": "no", "mood": "yellow", "text": ""}
    assert client.post(_url(token), answers).status_code == 302  # to the thanks page: a reload sends nothing
    again = client.post(_url(token), answers)
    assert "bereits beantwortet" in again.content.decode()
    assert CheckIn.objects.filter(tandem=tandem, by="household").count() == 1
    # and through the service itself, past the page's check: the constraint keeps one
    assert participant_checkin_record(link=link, met="no", mood="yellow", areas=[], text="") is None
    assert CheckIn.objects.filter(link=link).count() == 1


def test_a_red_face_from_the_household_flags_the_tandem_at_once(client, tandem, partner):
    CheckInFactory(tandem=tandem, held_on=TODAY - datetime.timedelta(days=3), mood="green")
    assert not with_support_flags(Tandem.objects.filter(pk=tandem.pk)).get().is_at_risk
    _, token = _link(tandem, side="household")
    client.post(_url(token), {"step": "text", "met": "yes", "mood": "red"})
    assert tandems_at_risk(user=partner).filter(pk=tandem.pk).exists()


def test_we_stopped_from_the_volunteer_flags_the_tandem_at_once(client, tandem, partner):
    _, token = _link(tandem)
    after_met = client.post(_url(token), {"step": "met", "met": "stopped"}).content.decode()
    assert "Frage 2 von 2" in after_met  # no faces, no areas after "we stopped"
    client.post(_url(token), {"step": "text", "met": "stopped"})
    checkin = CheckIn.objects.get(tandem=tandem, by="volunteer")
    assert (checkin.met, checkin.mood) == ("stopped", "red")
    assert tandems_at_risk(user=partner).filter(pk=tandem.pk).exists()


def test_bad_answers_get_a_german_message_and_store_nothing(client, tandem):
    _, token = _link(tandem)
    for data in (
        {"step": "met", "met": "vielleicht"},
        {"step": "bogus"},
        {"step": "text", "met": "yes"},  # no face given
        {"step": "text", "met": "yes", "mood": "green", "text": "x" * 2001},
        {"step": "areas", "met": "yes", "mood": "green", "areas": ["999999"]},
    ):
        response = client.post(_url(token), data)
        assert response.status_code == 200, data
        assert 'role="alert"' in response.content.decode(), data
    assert not CheckIn.objects.filter(tandem=tandem).exists()


def test_i_need_help_reaches_the_coordinators_start_page_and_outbox_without_names(client, tandem, partner):
    _, token = _link(tandem, side="household")
    response = client.post(reverse("participant:help", args=[token]))
    assert response.status_code == 200
    assert "Ihre Koordinatorin oder Ihr Koordinator weiß Bescheid." in response.content.decode()
    help_request = HelpRequest.objects.get(tandem=tandem)
    assert help_request.by == "household" and help_request.handled_at is None
    # pressing again before anyone handled it is the same alarm
    client.post(reverse("participant:help", args=[token]))
    assert HelpRequest.objects.filter(tandem=tandem).count() == 1
    message = OutboxMessage.objects.get(template=HELP_ALERT_TEMPLATE)
    assert message.to_address == partner.email
    text = message.subject + message.body
    for name in (
        tandem.volunteer.first_name,
        tandem.volunteer.last_name,
        tandem.refugee.first_name,
        tandem.refugee.last_name,
    ):
        assert name not in text
    assert reverse("tandems:tandem_detail", args=[tandem.pk]) in message.body
    staff = client.__class__()
    staff.force_login(partner)
    home = staff.get(reverse("core:home")).content.decode()
    assert 'id="home-help-requests"' in home
    assert home.index('id="home-help-requests"') < home.index('id="home-checkins-due"')
    # handled on the tandem page: it leaves the start page
    staff.post(reverse("tandems:help_request_handled", args=[tandem.pk, help_request.pk]))
    help_request.refresh_from_db()
    assert help_request.handled_by == partner
    assert AuditEntry.objects.filter(action="tandems.helprequest.handled").exists()


def _closed(response):
    assert response.status_code == 200
    return response.content.decode()


def test_links_that_must_not_open_all_get_the_same_friendly_page(client, tandem, partner, org):
    other_tandem = ActiveTandemFactory(organisation=org)
    expired, expired_token = _link(tandem)
    ParticipantLink.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    used, used_token = _link(tandem, max_uses=1)
    ParticipantLink.objects.filter(pk=used.pk).update(uses=1)
    revoked, revoked_token = _link(tandem, side="household")
    staff = client.__class__()
    staff.force_login(partner)
    staff.post(reverse("tandems:participant_links_revoke", args=[tandem.pk]), {"side": "household"})
    mine, my_token = _link(tandem)
    _, their_token = _link(other_tandem)
    _, their_secret = signing.loads(their_token, salt=SALT)
    forged = signing.dumps([mine.pk, their_secret], salt=SALT, compress=False)
    # a link made for another tandem's volunteer, pointing at this tandem
    wrong, wrong_token = link_create(person=other_tandem.volunteer, purpose=CHECKIN, about=tandem)
    pages = {
        _closed(client.get(_url(token)))
        for token in (
            expired_token,
            used_token,
            revoked_token,
            forged,
            wrong_token,
            my_token[:-2] + "xx",
            "nonsense",
        )
    }
    assert len(pages) == 1, "every closed link looks the same: nothing tells whether a person is known"
    page = pages.pop()
    assert "Dieser Link funktioniert nicht mehr" in page and "fwz-hannover" in page
    for token in (expired_token, used_token, revoked_token, forged):
        client.post(_url(token), {"step": "text", "met": "no", "mood": "green"})
        client.post(reverse("participant:help", args=[token]))
    assert not CheckIn.objects.filter(tandem=tandem).exists()
    assert not HelpRequest.objects.exists()
    assert client.get(_url(my_token)).status_code == 200  # the good one still opens


def test_a_flood_of_requests_is_answered_429(client, tandem, settings):
    settings.PARTICIPANT_LINK_RATE = 5
    _, token = _link(tandem)
    codes = [client.get(_url(token)).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    assert "Bitte warten Sie einen Moment" in client.get(_url(token)).content.decode()
    # other links from the same address (a shelter's network) still open, up to ten times the rate in all
    guesses = [client.get(_url(f"guess-{n}")).status_code for n in range(45)]
    assert guesses[:43] == [200] * 43 and guesses[43:] == [429, 429]


def _plan(tandem, on=TODAY):
    CheckInFactory(tandem=tandem, held_on=None, planned_on=on, channel="", contact_with="", mood="")


def test_the_households_page_is_in_the_households_language(client, tandem):
    tandem.refugee.languages.set([language("en")])
    tandem.refugee.email = "familie@example.org"
    tandem.refugee.save(update_fields=["email"])
    channel_consent_change(person=tandem.refugee, channel="email", given=True, actor=None)
    _plan(tandem)
    checkin_links_send(today=TODAY)
    link = links_of(tandem.refugee).get()
    assert link.language == "en"
    message = OutboxMessage.objects.get(template=CHECKIN_LINK_TEMPLATE, to_address=tandem.refugee.email)
    assert message.language == "en" and "How is your tandem going?" in message.subject
    token = message.body.split("/t/")[1].split("/")[0]
    page = client.get(_url(token)).content.decode()
    assert '<html lang="en"' in page and "Have you met your mentor since last time?" in page


def test_the_job_sends_each_side_a_link_once_per_due_check_in_and_respects_consent(tandem):
    tandem.refugee.email = "familie@example.org"
    tandem.refugee.save(update_fields=["email"])
    for person in (tandem.volunteer, tandem.refugee):  # both consented to links by e-mail
        channel_consent_change(person=person, channel="email", given=True, actor=None)
    _plan(tandem, on=TODAY)
    assert checkin_links_send(today=TODAY - datetime.timedelta(days=1)) == (0, 0)  # not due yet
    due = TODAY
    assert checkin_links_send(today=due) == (2, 0)
    assert checkin_links_send(today=due) == (0, 0)  # a second run the same day (a retry) sends nothing
    bodies = OutboxMessage.objects.filter(template=CHECKIN_LINK_TEMPLATE).values_list("body", flat=True)
    assert all("/t/" in body for body in bodies)
    # the household withdraws consent to e-mails: no link is made for it any more
    channel_consent_change(person=tandem.refugee, channel="email", given=False, actor=None)
    ParticipantLink.objects.all().delete()
    before = ParticipantLink.objects.count()
    assert checkin_links_send(today=due) == (1, 1)
    assert ParticipantLink.objects.count() == before + 1
    assert not links_of(tandem.refugee).exists()


def test_a_link_of_an_ended_tandem_opens_nothing(client, tandem):
    _, token = _link(tandem)
    Tandem.objects.filter(pk=tandem.pk).update(status="not_started", not_started_reason="Umzug")
    assert "Dieser Link funktioniert nicht mehr" in client.get(_url(token)).content.decode()
    client.post(_url(token), {"step": "text", "met": "no", "mood": "green"})
    assert not CheckIn.objects.filter(tandem=tandem).exists()


def test_the_tandem_page_shows_who_answered_and_the_links_of_each_side(client, tandem, partner):
    link, token = _link(tandem, side="household")
    client.post(_url(token), {"step": "text", "met": "yes", "mood": "yellow"})
    client.force_login(partner)
    page = client.get(reverse("tandems:tandem_detail", args=[tandem.pk])).content.decode()
    assert "vom Haushalt" in page and "Rückmeldung per Link" in page
    assert "Links des Haushalts sperren" in page
    assert "Links der*des Ehrenamtlichen sperren" not in page  # the volunteer has no link that works
