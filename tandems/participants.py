"""The participants' side of a tandem: check-ins answered by link, "I need help", and the job that sends the
links on the tandem's cadence (docs/participants.md).

The volunteer and the household answer through a personal link (`core.links`, purpose check-in, about the
tandem): no login, no session. An answer becomes a held check-in "by the volunteer" or "by the household"
on the tandem's timeline; the database triggers of the check-in summary (migration 0004) count it like any
other check-in, so it feeds the last contact, the moods and the at-risk flags at once. "I need help" is a
`HelpRequest`, first on the responsible coordinator's start page, and an e-mail to them that names nobody.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.links import link_create, link_use, links_about
from core.models import HelpArea, LinkPurpose, ParticipantLink, User
from core.notifications import (
    PARTICIPANT_CHECKIN_LINKS,
    PARTICIPANT_HELP_ALERT,
    notification_active,
    site_link,
)
from core.outbox import CHANNEL_EMAIL, CHANNEL_SMS, link_channel, message_queue
from core.permissions import users_with
from refugees.models import Refugee
from tandems.models import (
    Channel,
    CheckIn,
    CheckInBy,
    ContactWith,
    HelpRequest,
    Met,
    Mood,
    Tandem,
    TandemStatus,
)
from volunteers.models import Volunteer

CHECKIN_LINK_TEMPLATE = "tandems/email/checkin_link"
# the same link as a text message: short, in the person's language, nothing personal but the first name
CHECKIN_SMS_TEMPLATE = "tandems/sms/checkin_link"
HELP_ALERT_TEMPLATE = "tandems/email/help_alert"
ANSWERING = (TandemStatus.INTRODUCED, TandemStatus.ACTIVE)


def side_of(link: ParticipantLink) -> str:
    """Which side of the tandem a link belongs to (volunteer or household)."""
    return CheckInBy.VOLUNTEER if link.person_type.model_class() is Volunteer else CheckInBy.HOUSEHOLD


def tandem_of_link(link: ParticipantLink) -> Tandem | None:
    """The tandem a check-in link is about, if the link's person is still one of its two sides."""
    if link.about_id is None or link.about_type.model_class() is not Tandem:
        return None
    tandem = Tandem.objects.filter(pk=link.about_id, anonymised_at__isnull=True).first()
    if tandem is None:
        return None
    person_id = tandem.volunteer_id if side_of(link) == CheckInBy.VOLUNTEER else tandem.refugee_id
    return tandem if person_id == link.person_id else None


def household_language(refugee: Refugee) -> str:
    """The household's language for its pages and messages: the first of its languages the application
    is translated into (settings.PARTICIPANT_LANGUAGES), else German."""
    offered = {code for code, _name in settings.PARTICIPANT_LANGUAGES}
    for code in refugee.languages.order_by("pk").values_list("code", flat=True):
        if code in offered:
            return code
    return settings.LANGUAGE_CODE


def checkin_answered(link: ParticipantLink) -> bool:
    return CheckIn.objects.filter(link=link).exists()


@transaction.atomic
def participant_checkin_record(
    *, link: ParticipantLink, met: str, mood: str, areas: list[HelpArea], text: str
) -> CheckIn | None:
    """Store a check-in answered by link: a held check-in of today by the link's side. Returns None when
    this link has already been answered (the unique constraint decides: answered twice counts once).
    "We stopped" is stored with the red mood, so it flags the tandem at once, like a red face."""
    tandem = Tandem.objects.select_for_update().get(pk=link.about_id)
    if tandem.status not in ANSWERING:
        raise ValidationError(_("This tandem takes no check-ins any more."))
    if met not in Met.values or (met != Met.STOPPED and mood not in Mood.values):
        raise ValidationError(_("Please answer the questions."))
    by = side_of(link)
    checkin = CheckIn(
        tandem=tandem,
        held_on=timezone.localdate(),
        channel=Channel.LINK,
        contact_with=ContactWith.VOLUNTEER if by == CheckInBy.VOLUNTEER else ContactWith.REFUGEE,
        mood=Mood.RED if met == Met.STOPPED else mood,
        met=met,
        topics=text.strip()[:2000],
        by=by,
        link=link,
    )
    checkin.full_clean(exclude=["link"])  # the link's uniqueness is the database's to decide, below
    try:
        with transaction.atomic():
            checkin.save()
    except IntegrityError as exc:
        if "one_checkin_per_link" in str(exc):
            return None
        raise
    checkin.areas.set(areas)
    if not link_use(link=link, what="checkin"):
        raise ValidationError(_("This link can no longer be used."))
    audit_record(
        actor=None,
        action="tandems.checkin.created",
        obj=checkin,
        changes={
            "by": [None, by],
            "met": [None, met],
            "mood": [None, checkin.mood],
            "areas": [None, sorted(area.code for area in areas)],
        },
    )
    return checkin


def _help_recipients(tandem: Tandem) -> list[User]:
    """The responsible coordinator; without one, the coordinators who may work on the tandem."""
    if tandem.coordinator is not None and tandem.coordinator.is_active:
        return [tandem.coordinator]
    return list(users_with(perm="tandems.change", organisations=[tandem.organisation]).filter(is_active=True))


@transaction.atomic
def help_request_raise(*, link: ParticipantLink) -> HelpRequest:
    """ "I need help": one open request per side (pressing again before it is handled is the same request),
    and an e-mail to the responsible coordinator with only a link into the application."""
    tandem = (
        Tandem.objects.select_for_update(of=("self",)).select_related("coordinator").get(pk=link.about_id)
    )
    by = side_of(link)
    existing = HelpRequest.objects.filter(tandem=tandem, by=by, handled_at__isnull=True).first()
    if existing is not None:
        return existing
    if not link_use(link=link, what="help"):
        raise ValidationError(_("This link can no longer be used."))
    request = HelpRequest.objects.create(tandem=tandem, by=by, link=link)
    audit_record(actor=None, action="tandems.helprequest.created", obj=request, changes={"by": [None, by]})
    if notification_active(PARTICIPANT_HELP_ALERT):
        for user in _help_recipients(tandem):
            message_queue(
                template=HELP_ALERT_TEMPLATE,
                to=user,
                related=tandem,
                language=settings.LANGUAGE_CODE,
                context={
                    "first_name": user.first_name or user.username,
                    "link": site_link(reverse("tandems:tandem_detail", args=[tandem.pk])),
                    "home": site_link(reverse("core:home")),
                },
            )
    return request


@transaction.atomic
def help_request_handle(*, help_request: HelpRequest, actor: User) -> HelpRequest:
    """A coordinator has taken care of the request: it leaves the start page."""
    row = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    if row.handled_at is not None:
        return row
    row.handled_at, row.handled_by = timezone.now(), actor
    row.save(update_fields=["handled_at", "handled_by", "updated_at"])
    audit_record(
        actor=actor, action="tandems.helprequest.handled", obj=row, changes={"handled_at": [None, "✓"]}
    )
    return row


# ------------------------------------------------------------------------------------ sending the links


def _sides(tandem: Tandem) -> list[tuple[models.Model, str]]:
    return [
        (tandem.volunteer, tandem.volunteer.preferred_language or settings.LANGUAGE_CODE),
        (tandem.refugee, household_language(tandem.refugee)),
    ]


def checkin_links_send(*, today: datetime.date | None = None) -> tuple[int, int]:
    """For every introduced or active tandem whose planned check-in is due (`next_due_on`, the cadence the
    staff check-ins follow), send each side a link to its check-in, once per planned date: a side that got
    a link since that date is not sent another. The link goes by e-mail to a person with a standing consent
    to e-mails and an address, else by text message to one with a consent to text messages and a mobile
    number (`core.outbox.link_channel`); for anybody else no link is made. Returns (queued, left out)."""
    if not notification_active(PARTICIPANT_CHECKIN_LINKS):
        return 0, 0
    today = today or timezone.localdate()
    queued = left_out = 0
    due = Tandem.objects.filter(status__in=ANSWERING, anonymised_at__isnull=True, next_due_on__lte=today)
    for tandem in due.select_related("volunteer", "refugee").order_by("pk"):
        since = timezone.make_aware(datetime.datetime.combine(tandem.next_due_on, datetime.time.min))
        sent, missed = side_links_send(
            tandem=tandem,
            purpose=LinkPurpose.CHECKIN,
            since=since,
            templates={CHANNEL_EMAIL: CHECKIN_LINK_TEMPLATE, CHANNEL_SMS: CHECKIN_SMS_TEMPLATE},
            context=lambda person, token: checkin_link_context(person=person, token=token),
        )
        queued, left_out = queued + sent, left_out + missed
    return queued, left_out


def side_links_send(
    *,
    tandem: Tandem,
    purpose: str,
    since: datetime.datetime,
    templates: dict[str, str],
    context: Callable[[models.Model, str], dict[str, Any]],
) -> tuple[int, int]:
    """Send each side of `tandem` a personal link for `purpose`, unless one went out to it since `since`:
    by the channel the person consented to (`core.outbox.link_channel`) when `templates` has a message for
    that channel; for anybody else no link is made. `context(person, token)` fills the message. Returns
    (queued, left out); the check-in links and the survey links both go out this way."""
    sent = set(
        links_about(tandem)
        .filter(purpose=purpose, created_at__gte=since)
        .values_list("person_type__model", "person_id")
    )
    queued = left_out = 0
    for person, language in _sides(tandem):
        if (person._meta.model_name, person.pk) in sent:
            continue
        with transaction.atomic():
            channel = link_channel(person)
            if channel not in templates:
                left_out += 1
                continue
            _link, token = link_create(person=person, purpose=purpose, about=tandem, language=language)
            result = message_queue(
                template=templates[channel],
                to=person,
                related=tandem,
                language=language,
                context=context(person, token),
                channel=channel,
                opt_in=True,
            )
            queued += result.is_queued
    return queued, left_out


def checkin_link_context(*, person: models.Model, token: str) -> dict[str, Any]:
    return {
        "first_name": person.first_name,
        "link": site_link(reverse("participant:checkin", args=[token])),
        "days": settings.PARTICIPANT_LINK_DAYS,
    }
