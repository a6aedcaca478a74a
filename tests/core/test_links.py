"""Participants' signed links (core/links.py): a link opens only for its own person and purpose, and not
when it was tampered with, expired, used up or revoked; every opening and use is audited."""

import datetime

import pytest
from django.core import signing
from django.test import RequestFactory
from django.utils import timezone

from core.links import (
    EXPIRED,
    INVALID,
    REVOKED,
    SALT,
    USED_UP,
    link_check,
    link_create,
    link_is_open,
    link_opened,
    link_rate_limited,
    link_use,
    links_of,
    links_open,
    links_revoke,
)
from core.models import AuditEntry, LinkPurpose, ParticipantLink
from tests.factories.refugees import RefugeeFactory
from tests.factories.volunteers import VolunteerFactory

pytestmark = pytest.mark.django_db
CHECKIN = LinkPurpose.CHECKIN


def test_a_new_link_opens_for_its_purpose_and_stores_no_token():
    volunteer = VolunteerFactory()
    link, token = link_create(person=volunteer, purpose=CHECKIN)
    found = link_check(token, purpose=CHECKIN)
    assert found.ok and found.link == link
    _, secret = signing.loads(token, salt=SALT)
    stored = ParticipantLink.objects.filter(pk=link.pk).values_list("token_hash", flat=True).get()
    assert secret not in stored and token not in stored and len(stored) == 64
    assert AuditEntry.objects.filter(action="core.participantlink.created", object_id=str(link.pk)).exists()


def test_a_tampered_token_opens_nothing():
    link, token = link_create(person=VolunteerFactory(), purpose=CHECKIN)
    head, _, signature = token.rpartition(":")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    assert link_check(f"{head}:{flipped}", purpose=CHECKIN).reason == INVALID
    assert link_check("", purpose=CHECKIN).reason == INVALID
    assert link_check("not-a-token", purpose=CHECKIN).reason == INVALID
    # a well-signed token of something else (another salt, another shape) is not a link either
    assert link_check(signing.dumps([link.pk, "x"]), purpose=CHECKIN).reason == INVALID
    assert link_check(signing.dumps("x", salt=SALT), purpose=CHECKIN).reason == INVALID


def test_another_persons_secret_does_not_open_this_link():
    mine, my_token = link_create(person=VolunteerFactory(), purpose=CHECKIN)
    theirs, their_token = link_create(person=RefugeeFactory(), purpose=CHECKIN)
    _, their_secret = signing.loads(their_token, salt=SALT)
    # their secret presented with my link's id, properly signed (as if the signing key had leaked)
    forged = signing.dumps([mine.pk, their_secret], salt=SALT, compress=False)
    assert link_check(forged, purpose=CHECKIN).reason == INVALID
    assert link_check(my_token, purpose=CHECKIN).link == mine
    assert link_check(their_token, purpose=CHECKIN).link == theirs


def test_a_link_opens_for_its_own_purpose_only():
    link, token = link_create(person=VolunteerFactory(), purpose=CHECKIN)
    assert link_check(token, purpose="selfservice").reason == INVALID


def test_an_expired_link_does_not_open():
    link, token = link_create(person=VolunteerFactory(), purpose=CHECKIN, days=1)
    ParticipantLink.objects.filter(pk=link.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3),
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    assert link_check(token, purpose=CHECKIN).reason == EXPIRED
    assert link_use(link=link, what="checkin") is False


def test_a_link_used_more_than_allowed_does_not_open():
    link, token = link_create(person=VolunteerFactory(), purpose=CHECKIN, max_uses=2)
    assert link_use(link=link, what="checkin") is True
    assert link_check(token, purpose=CHECKIN).ok
    assert link_use(link=link, what="help") is True
    assert link_check(token, purpose=CHECKIN).reason == USED_UP
    assert link_use(link=link, what="help") is False
    link.refresh_from_db()
    assert link.uses == 2
    used = AuditEntry.objects.filter(action="core.participantlink.used", object_id=str(link.pk))
    assert [entry.changes["what"][1] for entry in used.order_by("pk")] == ["checkin", "help"]


def test_a_revoked_link_does_not_open(coordinator):
    volunteer = VolunteerFactory()
    link, token = link_create(person=volunteer, purpose=CHECKIN)
    other, other_token = link_create(person=VolunteerFactory(), purpose=CHECKIN)
    assert links_revoke(links=links_of(volunteer), actor=coordinator) == 1
    assert link_check(token, purpose=CHECKIN).reason == REVOKED
    assert link_check(other_token, purpose=CHECKIN).ok
    link.refresh_from_db()
    assert link.revoked_by == coordinator
    assert list(links_open(links_of(volunteer))) == []
    assert links_revoke(links=links_of(volunteer), actor=coordinator) == 0  # once is enough
    entry = AuditEntry.objects.get(action="core.participantlink.revoked", object_id=str(link.pk))
    assert entry.actor == coordinator


def test_a_link_read_already_is_open_by_the_same_rule_as_the_query():
    volunteer = VolunteerFactory()
    now = timezone.now()
    states = {
        "open": {},
        "revoked": {"revoked_at": now},
        "expired": {
            "created_at": now - datetime.timedelta(days=3),
            "expires_at": now - datetime.timedelta(minutes=1),
        },
        "used up": {"uses": 3, "max_uses": 3},
    }
    for changes in states.values():
        link, _ = link_create(person=volunteer, purpose=CHECKIN)
        ParticipantLink.objects.filter(pk=link.pk).update(**changes)
    rows = list(links_of(volunteer))
    by_query = {link.pk for link in links_open(links_of(volunteer))}
    assert len(rows) == 4 and len(by_query) == 1
    assert {link.pk for link in rows if link_is_open(link, now=timezone.now())} == by_query


def test_opening_is_audited_without_counting_a_use():
    link, _ = link_create(person=VolunteerFactory(), purpose=CHECKIN)
    link_opened(link=link)
    link.refresh_from_db()
    assert link.uses == 0
    assert AuditEntry.objects.filter(action="core.participantlink.opened", object_id=str(link.pk)).exists()


def test_a_flood_from_one_address_is_limited(settings):
    settings.PARTICIPANT_LINK_RATE = 3
    request = RequestFactory().get("/t/x/", REMOTE_ADDR="203.0.113.7")
    other = RequestFactory().get("/t/x/", REMOTE_ADDR="203.0.113.8")
    assert [link_rate_limited(request) for _ in range(4)] == [False, False, False, True]
    assert link_rate_limited(other) is False


def test_one_address_may_open_many_households_links_but_not_guess_without_end(settings):
    """A shelter's network is one address for many households: each link has its own count there, and
    only ADDRESS_RATE_FACTOR times the rate over all links from one address is refused (guessing)."""
    settings.PARTICIPANT_LINK_RATE = 3
    shelter = [RequestFactory().get(f"/t/token-{n}/", REMOTE_ADDR="203.0.113.9") for n in range(10)]
    assert [link_rate_limited(request) for request in shelter for _ in range(3)] == [False] * 30
    assert link_rate_limited(RequestFactory().get("/t/token-11/", REMOTE_ADDR="203.0.113.9")) is True
