"""The outbox: every e-mail the application sends is stored here first and sent by a job.

    result = message_queue(template="tandems/email/introduction", to=volunteer, related=tandem,
                           actor=request.user, context={...})
    if not result.is_queued:
        messages.warning(request, result.notice)

`message_queue` is called inside the service's transaction: the message row, its audit entry and the job
that sends it (procrastinate, deferred through Django's connection) commit or roll back together, and
nothing talks to the mail server before the commit. The template `<template>.txt` gives the text and
`<template>_subject.txt` the subject, both rendered in the recipient's language; the context holds plain
values only (strings, numbers), so the message can be rendered again at send time or on a resend.

The job (`core.tasks.outbox_send`) sends a message at most once: it takes the row with
`SELECT ... FOR UPDATE SKIP LOCKED` (a second worker holding the same message skips it), does nothing for a
message already sent, and marks a failure with its reason before raising, so procrastinate retries with
back-off. A template error, a failing mail server or a deleted recipient never breaks the request that
queued the message: the row is marked failed and a coordinator can resend it from the person's page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.audit import audit_record
from core.models import (
    CHANNEL_CONSENT_PREFIX,
    Consent,
    MessageChannel,
    MessageState,
    OutboxMessage,
    User,
)
from core.sms import mobile_number, sms_send

CHANNEL_EMAIL = MessageChannel.EMAIL
CHANNEL_SMS = MessageChannel.SMS
# a Consent row with this purpose, withdrawn, stops every e-mail to the person (the other purposes are the
# programme's own: withdrawing all of them stops messages as well). Personal links go only to a person
# with a consent of the channel's purpose still standing (opt-in, `link_channel`).
CONSENT_PURPOSE_EMAIL = f"{CHANNEL_CONSENT_PREFIX}email"
CONSENT_PURPOSE_SMS = f"{CHANNEL_CONSENT_PREFIX}sms"
# the order in which a personal link looks for a way to reach the person
LINK_CHANNELS = (CHANNEL_EMAIL, CHANNEL_SMS)
ERROR_MAX = 1000


class MessageNotSent(Exception):
    """Raised by the job after a failed attempt (already recorded on the row), so procrastinate retries."""


@dataclass(frozen=True)
class QueueResult:
    message: OutboxMessage | None
    reason: str = ""  # "no_address", "no_consent" when nothing was queued

    @property
    def is_queued(self) -> bool:
        return self.message is not None

    @property
    def notice(self) -> str:
        """What the page tells the coordinator (German by default) when the message did not go out."""
        if self.reason == "no_address":
            return gettext("No e-mail was queued: no e-mail address is known for this person.")
        if self.reason == "no_consent":
            return gettext("No e-mail was queued: the person has withdrawn consent to e-mails.")
        if self.message is not None and self.message.state == MessageState.FAILED:
            return gettext(
                "The e-mail could not be prepared and is marked as failed; it can be sent again from the "
                "person's page."
            )
        return ""


def _type_and_id(obj: models.Model | None) -> tuple[ContentType | None, int | None]:
    if obj is None:
        return None, None
    return ContentType.objects.get_for_model(obj, for_concrete_model=False), obj.pk


def consent_withdrawn(person: models.Model, *, channel: str = CHANNEL_EMAIL) -> bool:
    """Has the person withdrawn consent to messages on `channel` (or every consent they gave)? The one rule,
    `consent_withdrawn_condition`, asked for one row."""
    model = type(person)
    return (
        model._default_manager.filter(pk=person.pk)
        .filter(consent_withdrawn_condition(model, channel=channel))
        .exists()
    )


def consent_withdrawn_condition(model: type[models.Model], *, channel: str = CHANNEL_EMAIL) -> Q:
    """`consent_withdrawn` as a condition on the rows of `model` (one query for any number of people):
    every consent to the channel withdrawn, or every consent the person gave withdrawn."""
    rows = Consent.objects.filter(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id=OuterRef("pk"),
    )
    channel_rows = rows.filter(purpose=f"{CHANNEL_CONSENT_PREFIX}{channel}")
    programme = rows.exclude(purpose__startswith=CHANNEL_CONSENT_PREFIX)
    return Q(Exists(channel_rows) & ~Exists(channel_rows.filter(withdrawn_at__isnull=True))) | Q(
        Exists(programme) & ~Exists(programme.filter(withdrawn_at__isnull=True))
    )


def channel_consent_condition(model: type[models.Model], *, channel: str) -> Q:
    """The people of `model` who consented to be contacted on `channel` and have not withdrawn it (nor
    every consent to the programme): the opt-in personal links ask for."""
    given = Consent.objects.filter(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id=OuterRef("pk"),
        purpose=f"{CHANNEL_CONSENT_PREFIX}{channel}",
        withdrawn_at__isnull=True,
    )
    return Q(Exists(given)) & ~consent_withdrawn_condition(model, channel=channel)


def channel_consented(person: models.Model, *, channel: str) -> bool:
    model = type(person)
    return (
        model._default_manager.filter(pk=person.pk)
        .filter(channel_consent_condition(model, channel=channel))
        .exists()
    )


def channel_address(person: models.Model, channel: str) -> str:
    """Where a message on `channel` goes: the e-mail address, or the phone when it is a mobile number."""
    if channel == CHANNEL_SMS:
        return mobile_number(getattr(person, "phone", ""))
    return (getattr(person, "email", "") or "").strip()


def link_channel(person: models.Model) -> str:
    """The channel a personal link goes by: e-mail with a standing consent to e-mails and an address, else
    a text message with a standing consent to text messages and a mobile number, else "" (no channel:
    nothing is sent and no link is made)."""
    for channel in LINK_CHANNELS:
        if channel_address(person, channel) and channel_consented(person, channel=channel):
            return channel
    return ""


@dataclass(frozen=True)
class ChannelState:
    """One way of contacting a person, as the person pages show it."""

    channel: str
    label: str
    address: str  # "" when the record has no address (no mobile number) for it
    given_at: Any  # the standing consent's date, else None
    withdrawn_at: Any  # the last withdrawal when no consent stands, else None

    @property
    def is_open(self) -> bool:
        return bool(self.address) and self.given_at is not None


def channel_states(person: models.Model, *, consents: list[Consent] | None = None) -> list[ChannelState]:
    """E-mail and text message for `person`: the address, and whether a consent stands (one query, or none
    when the page has read all of the person's consents already, newest first: `consents`)."""
    purposes = [f"{CHANNEL_CONSENT_PREFIX}{channel}" for channel in LINK_CHANNELS]
    if consents is None:
        rows = list(
            Consent.objects.filter(
                content_type=ContentType.objects.get_for_model(type(person), for_concrete_model=False),
                object_id=person.pk,
                purpose__in=purposes,
            ).order_by("-given_at")
        )
    else:
        rows = [row for row in consents if row.purpose in purposes]
    states = []
    for channel in LINK_CHANNELS:
        mine = [row for row in rows if row.purpose == f"{CHANNEL_CONSENT_PREFIX}{channel}"]
        standing = next((row for row in mine if row.withdrawn_at is None), None)
        withdrawn = max((row.withdrawn_at for row in mine if row.withdrawn_at), default=None)
        states.append(
            ChannelState(
                channel=channel,
                label=MessageChannel(channel).label,
                address=channel_address(person, channel),
                given_at=standing.given_at if standing else None,
                withdrawn_at=None if standing else withdrawn,
            )
        )
    return states


# no character but white space in the address (what `message_queue` strips to nothing)
NO_ADDRESS = ~Q(email__regex=r"\S")


@dataclass(frozen=True)
class Reach:
    """How many people of a list a message reaches, and why the others are left out."""

    total: int
    no_address: int
    no_consent: int

    @property
    def left_out(self) -> int:
        return self.no_address + self.no_consent

    @property
    def reached(self) -> int:
        return self.total - self.left_out


def _plain_rows(people: QuerySet) -> QuerySet:
    # a list's queryset may join (a filter by language) or annotate (free capacity): counting and reading
    # its primary keys through a subquery gives each person once, without the list's ordering
    return people.model._default_manager.filter(pk__in=people.order_by().values("pk"))


def message_reach(people: QuerySet) -> Reach:
    """The rules of `message_queue` counted in one query for a whole list (people with an `email`)."""
    counts = _plain_rows(people).aggregate(
        total=Count("pk"),
        no_address=Count("pk", filter=NO_ADDRESS),
        no_consent=Count("pk", filter=~NO_ADDRESS & consent_withdrawn_condition(people.model)),
    )
    return Reach(**counts)


def message_reachable(people: QuerySet) -> QuerySet:
    """The people of `people` whom `message_queue` would write to: an address and no withdrawn consent."""
    return _plain_rows(people).exclude(NO_ADDRESS).exclude(consent_withdrawn_condition(people.model))


def _render(message: OutboxMessage) -> None:
    with translation.override(message.language):
        subject = ""  # a text message has no subject
        if message.channel == CHANNEL_EMAIL:
            subject = render_to_string(f"{message.template}_subject.txt", message.context)
        body = render_to_string(f"{message.template}.txt", message.context)
    message.subject = " ".join(subject.split())[:250]
    message.body = body.strip() + "\n"


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:ERROR_MAX]


def _defer(message: OutboxMessage) -> None:
    from core.jobs import defer_in_transaction
    from core.tasks import outbox_send  # the task module imports this one

    # through Django's connection also when a job queues the message (a worker's own connection would
    # queue the send outside the job's transaction)
    defer_in_transaction(outbox_send, {"message_id": message.pk})


@transaction.atomic(savepoint=False)  # inside the caller's transaction: no savepoint round trips
def message_queue(
    *,
    template: str,
    to: models.Model,
    related: models.Model | None = None,
    actor: User | None = None,
    language: str | None = None,
    context: dict[str, Any] | None = None,
    attachments: list[dict[str, str]] | None = None,
    channel: str = CHANNEL_EMAIL,
    opt_in: bool = False,
) -> QueueResult:
    """Store one e-mail to `to` (a person or a user with an `email`), or a text message to its mobile
    number (`channel="sms"`), and defer its sending.

    Nothing is stored for a person without an address or who withdrew consent: the result says why. A text
    message, and any message with `opt_in` (the personal links), needs a consent to the channel that still
    stands. The language is the recipient's (`preferred_language` when the record has one), else
    `language`, else German. Attachments are dicts with `filename`, `content` (text) and `mimetype`."""
    address = channel_address(to, channel)
    if not address:
        return QueueResult(None, "no_address")
    if consent_withdrawn(to, channel=channel):
        return QueueResult(None, "no_consent")
    if (opt_in or channel == CHANNEL_SMS) and not channel_consented(to, channel=channel):
        return QueueResult(None, "no_consent")
    recipient_type, recipient_id = _type_and_id(to)
    related_type, related_id = _type_and_id(related)
    organisation_id = getattr(to, "organisation_id", None) or getattr(related, "organisation_id", None)
    message = OutboxMessage(
        organisation_id=organisation_id,
        recipient_type=recipient_type,
        recipient_id=recipient_id,
        related_type=related_type,
        related_id=related_id,
        to_address=address,
        channel=channel,
        template=template,
        language=getattr(to, "preferred_language", "") or language or settings.LANGUAGE_CODE,
        context=context or {},
        attachments=attachments or [],
        queued_by=actor if actor is not None and actor.is_authenticated else None,
    )
    try:
        _render(message)
    except Exception as exc:  # a broken template must not break the request that queued the message
        message.state, message.error = MessageState.FAILED, _error_text(exc)
    # no full_clean(): every value comes from this function and the rows just read, and validating the
    # foreign keys again would cost a query each in every request that sends a message (the check
    # constraints hold in PostgreSQL)
    message.save()
    audit_record(
        actor=actor,
        action="core.outboxmessage.created",
        obj=message,
        changes={"template": [None, template], "state": [None, message.state]},
    )
    if message.state == MessageState.QUEUED:
        _defer(message)
    return QueueResult(message)


def _defer_many(messages: list[OutboxMessage]) -> None:
    from core.jobs import defer_in_transaction
    from core.tasks import outbox_send_many

    # one job sends the whole batch; a message that fails there gets a job of its own with the retries
    if messages:
        defer_in_transaction(outbox_send_many, {"message_ids": [message.pk for message in messages]})


@transaction.atomic(savepoint=False)
def messages_queue_many(
    *,
    template: str,
    people: QuerySet,
    content: Callable[[models.Model], tuple[str, str, dict[str, Any]]],
    related: models.Model | None = None,
    actor: User | None = None,
    language: str | None = None,
) -> list[OutboxMessage]:
    """`message_queue` for many people at once, in a fixed number of queries: the people without an address
    or with a withdrawn consent are left out by the query (`message_reachable`), the messages and their
    audit entries are inserted with `bulk_create`, and their sending is deferred in one statement.

    `content(person)` gives the subject, the text and the context of each message, already filled in (the
    same text `<template>.txt` renders from that context, so a resend renders it again identically). The
    caller audits the send as a whole."""
    related_type, related_id = _type_and_id(related)
    queued_by = actor if actor is not None and actor.is_authenticated else None
    rows = []
    recipients = list(message_reachable(people))
    if not recipients:
        return []
    recipient_type = ContentType.objects.get_for_model(recipients[0], for_concrete_model=False)
    for person in recipients:
        subject, body, context = content(person)
        rows.append(
            OutboxMessage(
                organisation_id=getattr(person, "organisation_id", None)
                or getattr(related, "organisation_id", None),
                recipient_type=recipient_type,
                recipient_id=person.pk,
                related_type=related_type,
                related_id=related_id,
                to_address=person.email.strip(),
                template=template,
                language=getattr(person, "preferred_language", "") or language or settings.LANGUAGE_CODE,
                context=context,
                subject=" ".join(subject.split())[:250],
                body=body.strip() + "\n",
                queued_by=queued_by,
            )
        )
    messages = OutboxMessage.objects.bulk_create(rows)
    # no audit entry per message here: the caller audits the whole send once (who, which list, how many);
    # each message's sending or failure is audited by the job as usual
    _defer_many(messages)
    return messages


def _recipient_gone(message: OutboxMessage) -> bool:
    if message.recipient_type_id is None:
        return False
    model = message.recipient_type.model_class()
    found = model._default_manager.filter(pk=message.recipient_id)
    if any(f.name == "anonymised_at" for f in model._meta.concrete_fields):
        found = found.filter(anonymised_at__isnull=True)
    return not found.exists()


def _deliver(message: OutboxMessage) -> None:
    if message.channel == CHANNEL_SMS:
        sms_send(to=message.to_address, body=message.body.strip())
        return
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_address],
    )
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    email.send(fail_silently=False)


def message_send(*, message_id: int) -> str:
    """Send one queued message (the job's work); returns what happened. Raises `MessageNotSent` after a
    failed attempt, which is recorded on the row first."""
    failure: BaseException | None = None
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        if message is None:
            return "skipped: gone or being sent by another worker"
        if message.state == MessageState.SENT:
            return "skipped: already sent"
        message.attempts += 1
        message.last_attempt_at = timezone.now()
        if _recipient_gone(message):
            message.state, message.error = MessageState.FAILED, "recipient deleted"
            message.save(update_fields=["state", "error", "attempts", "last_attempt_at"])
            audit_record(actor=None, action="core.outboxmessage.failed", obj=message)
            return "failed: recipient deleted"  # no retry: the person is gone
        try:
            if not message.body:
                _render(message)
            _deliver(message)
        except Exception as exc:  # SMTP errors, template errors: recorded, then retried by procrastinate
            failure = exc
            message.state, message.error = MessageState.FAILED, _error_text(exc)
            audit_record(actor=None, action="core.outboxmessage.failed", obj=message)
        else:
            message.state, message.error, message.sent_at = MessageState.SENT, "", timezone.now()
            audit_record(actor=None, action="core.outboxmessage.sent", obj=message)
        message.save()
    if failure is not None:
        raise MessageNotSent(message.error) from failure
    return "sent"


@transaction.atomic
def message_resend(*, message: OutboxMessage, actor: User) -> OutboxMessage:
    """Send a message again: a failed or waiting one is rendered again and queued; a sent one is copied,
    so the history keeps what went out when."""
    row = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    state_before = row.state
    is_copy = row.state == MessageState.SENT
    if is_copy:
        row.pk, row._state.adding = None, True
        row.sent_at, row.attempts, row.last_attempt_at = None, 0, None
        row.queued_by = actor
    row.state, row.error = MessageState.QUEUED, ""
    try:
        _render(row)
    except Exception as exc:
        row.state, row.error = MessageState.FAILED, _error_text(exc)
    row.save()
    audit_record(
        actor=actor,
        action="core.outboxmessage.created" if is_copy else "core.outboxmessage.changed",
        obj=row,
        changes={"state": [None if is_copy else state_before, row.state], "resent": [None, True]},
    )
    if row.state == MessageState.QUEUED:
        _defer(row)
    return row


def messages_to(person: models.Model) -> QuerySet[OutboxMessage]:
    """The messages to one person, newest first (shown on the person's page)."""
    recipient_type, recipient_id = _type_and_id(person)
    return OutboxMessage.objects.filter(
        recipient_type=recipient_type, recipient_id=recipient_id
    ).select_related("queued_by")


def messages_about(record: models.Model) -> QuerySet[OutboxMessage]:
    """The messages about one record (a tandem, a training session), newest first."""
    related_type, related_id = _type_and_id(record)
    return OutboxMessage.objects.filter(related_type=related_type, related_id=related_id).select_related(
        "queued_by"
    )
