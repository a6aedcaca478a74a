"""Personal signed links for participants (volunteers, refugee households), who never get a password.

    link, token = link_create(person=volunteer, purpose=LinkPurpose.CHECKIN, about=tandem, actor=None)
    url = site_link(reverse("participant:checkin", args=[token]))      # the app that owns the page builds it
    found = link_check(token, purpose=LinkPurpose.CHECKIN)              # in the page's view
    if not found.ok: render the friendly page for found.reason

The token is `signing.dumps([id, secret])` (Django's signing with its own salt): a tampered token fails the
signature before the database is asked. Only `sha256(purpose, person, secret)` is stored, so the table
alone opens nothing, and a secret presented with another link's id (another person's, another purpose's)
does not match. A link expires (`PARTICIPANT_LINK_DAYS`), is used a limited number of times
(`max_uses`, each completed answer counts one), and a coordinator can revoke a person's links. Every
opening and every use leaves an audit entry (`core.participantlink.*`). The pages behind the links are
rate-limited per address (`link_rate_limited`, counted in the database cache all processes share).
"""

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone

from core.audit import audit_record
from core.middleware import client_address
from core.models import ParticipantLink, User

SALT = "core.participantlink"
# the reasons a link does not open (the friendly page says whom to contact, never which one it was)
INVALID, EXPIRED, USED_UP, REVOKED = "invalid", "expired", "used_up", "revoked"


def _hash(*, purpose: str, person_type_id: int, person_id: int, secret: str) -> str:
    return hashlib.sha256(f"{purpose}:{person_type_id}:{person_id}:{secret}".encode()).hexdigest()


def _person_type(person: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(person, for_concrete_model=False)


@transaction.atomic(savepoint=False)
def link_create(
    *,
    person: models.Model,
    purpose: str,
    about: models.Model | None = None,
    actor: User | None = None,
    language: str = "",
    days: int | None = None,
    max_uses: int | None = None,
) -> tuple[ParticipantLink, str]:
    """A new link for `person` (with an `organisation_id`) and `purpose`; returns the row and the token
    for the URL. The token is never stored: it can be sent once, in the message that carries it."""
    secret = secrets.token_urlsafe(24)
    person_type = _person_type(person)
    now = timezone.now()
    link = ParticipantLink.objects.create(
        organisation_id=person.organisation_id,
        person_type=person_type,
        person_id=person.pk,
        about_type=_person_type(about) if about is not None else None,
        about_id=about.pk if about is not None else None,
        purpose=purpose,
        token_hash=_hash(purpose=purpose, person_type_id=person_type.pk, person_id=person.pk, secret=secret),
        language=language or settings.LANGUAGE_CODE,
        expires_at=now + datetime.timedelta(days=days or settings.PARTICIPANT_LINK_DAYS),
        max_uses=max_uses or settings.PARTICIPANT_LINK_MAX_USES,
    )
    audit_record(
        actor=actor,
        action="core.participantlink.created",
        obj=link,
        changes={"purpose": [None, purpose], "expires_at": [None, link.expires_at.isoformat()]},
    )
    return link, signing.dumps([link.pk, secret], salt=SALT, compress=False)


@dataclass(frozen=True)
class LinkCheck:
    link: ParticipantLink | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.link is not None and not self.reason


def link_check(token: str, *, purpose: str, lock: bool = False) -> LinkCheck:
    """The link a token opens for `purpose`, or why it does not: a bad signature, an unknown id, a secret
    that is not this link's, another purpose are all INVALID; then REVOKED, EXPIRED, USED_UP."""
    try:
        link_id, secret = signing.loads(token, salt=SALT)
        link_id, secret = int(link_id), str(secret)
    except (signing.BadSignature, TypeError, ValueError):
        return LinkCheck(None, INVALID)
    rows = ParticipantLink.objects.select_for_update() if lock else ParticipantLink.objects
    link = rows.filter(pk=link_id).first()
    if link is None or link.purpose != purpose:
        return LinkCheck(None, INVALID)
    expected = _hash(
        purpose=purpose, person_type_id=link.person_type_id, person_id=link.person_id, secret=secret
    )
    if not hmac.compare_digest(expected, link.token_hash):
        return LinkCheck(None, INVALID)
    if link.revoked_at is not None:
        return LinkCheck(link, REVOKED)
    if link.expires_at <= timezone.now():
        return LinkCheck(link, EXPIRED)
    if link.uses >= link.max_uses:
        return LinkCheck(link, USED_UP)
    return LinkCheck(link)


def link_person(link: ParticipantLink) -> models.Model | None:
    """The person a link is for (None when the record is gone or anonymised)."""
    model = link.person_type.model_class()
    found = model._default_manager.filter(pk=link.person_id)
    if any(f.name == "anonymised_at" for f in model._meta.concrete_fields):
        found = found.filter(anonymised_at__isnull=True)
    return found.first()


def link_opened(*, link: ParticipantLink) -> None:
    """Audit that the page behind a link was opened (no use is counted: reading is not answering)."""
    audit_record(actor=None, action="core.participantlink.opened", obj=link)


@transaction.atomic(savepoint=False)
def link_use(*, link: ParticipantLink, what: str) -> bool:
    """Count one use (an answer given through the link), audited with `what`; False when the link was used
    up, revoked or expired in the meantime (the update's condition decides, not a read before it)."""
    now = timezone.now()
    counted = ParticipantLink.objects.filter(
        pk=link.pk, uses__lt=F("max_uses"), revoked_at__isnull=True, expires_at__gt=now
    ).update(uses=F("uses") + 1, last_used_at=now)
    if not counted:
        return False
    link.refresh_from_db(fields=["uses", "last_used_at"])
    audit_record(
        actor=None,
        action="core.participantlink.used",
        obj=link,
        changes={"uses": [link.uses - 1, link.uses], "what": [None, what]},
    )
    return True


def links_of(person: models.Model, *, purpose: str | None = None) -> models.QuerySet[ParticipantLink]:
    rows = ParticipantLink.objects.filter(person_type=_person_type(person), person_id=person.pk)
    return rows.filter(purpose=purpose) if purpose else rows


def links_about(record: models.Model) -> models.QuerySet[ParticipantLink]:
    return ParticipantLink.objects.filter(about_type=_person_type(record), about_id=record.pk)


@transaction.atomic
def links_revoke(*, links: models.QuerySet[ParticipantLink], actor: User | None) -> int:
    """Revoke the links that still open (a coordinator's action, or the person's erasure); each is
    audited. Returns how many were revoked."""
    now = timezone.now()
    rows = list(links.select_for_update().filter(revoked_at__isnull=True, expires_at__gt=now))
    for link in rows:
        link.revoked_at = now
        link.revoked_by = actor if actor is not None and actor.is_authenticated else None
        link.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            action="core.participantlink.revoked",
            obj=link,
            changes={"revoked_at": [None, now.isoformat()]},
        )
    return len(rows)


def links_open(links: models.QuerySet[ParticipantLink]) -> models.QuerySet[ParticipantLink]:
    """The links that would still open now."""
    return links.filter(
        Q(revoked_at__isnull=True) & Q(expires_at__gt=timezone.now()) & Q(uses__lt=F("max_uses"))
    )


def link_is_open(link: ParticipantLink, *, now: datetime.datetime) -> bool:
    """The same rule as `links_open`, for a link already read."""
    return link.revoked_at is None and link.expires_at > now and link.uses < link.max_uses


# many households share one address (a shelter's or a school's network): one address may make this many
# times the per-link rate over all the links it opens, so guessing at links is limited without locking out
# the neighbours of a person who reloads their own page
ADDRESS_RATE_FACTOR = 10


def _count(key: str) -> int:
    cache.add(key, 0, 120)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 120)
        return 1


def link_rate_limited(request: HttpRequest) -> bool:
    """More than `PARTICIPANT_LINK_RATE` requests a minute from one address to one link's pages, or more
    than `ADDRESS_RATE_FACTOR` times that from one address to the participants' pages at all? Counted in the
    database cache, so every process sees the same count."""
    minute = int(timezone.now().timestamp() // 60)
    address = client_address(request) or "unknown"
    path = hashlib.sha256(request.path.encode()).hexdigest()[:16]  # the link's own pages (its token)
    per_link = _count(f"core:links:{address}:{path}:{minute}")
    per_address = _count(f"core:links:{address}:{minute}")
    rate = settings.PARTICIPANT_LINK_RATE
    return per_link > rate or per_address > rate * ADDRESS_RATE_FACTOR
