"""A volunteer's self-service through their personal link (purpose `self_service`): their own record,
tandems, trainings and hours, and the activity certificate. The pages are tandems/views_selfservice.py; this
module holds their reads and writes. It lives in tandems because it combines volunteers, tandems and
trainings (volunteers imports neither, tests/test_import_graph.py)."""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record, diff, snapshot
from core.links import link_check, link_create, link_person
from core.models import LinkPurpose, ParticipantLink, User
from core.notifications import site_link
from core.outbox import CHANNEL_SMS, link_channel, message_queue
from tandems.models import HoursLog, Tandem, TandemStatus
from trainings.models import Registration, Session
from trainings.selectors import sessions_upcoming_with_counts, training_hours_for, training_registrations_for
from trainings.services import registration_create, registration_delete
from volunteers.keys import email_key
from volunteers.models import Volunteer, VolunteerStatus

SELF_SERVICE_LINK_TEMPLATE = "tandems/email/selfservice_link"
SELF_SERVICE_SMS_TEMPLATE = "tandems/sms/selfservice_link"
HOURS_FIELDS = ("tandem", "spent_on", "hours", "note")
# the tandems a volunteer sees and logs hours for: from the introduction on, ended ones included
SHOWN = (TandemStatus.INTRODUCED, TandemStatus.ACTIVE, TandemStatus.ENDED)


def selfservice_link_create(*, volunteer: Volunteer, actor: User | None) -> tuple[ParticipantLink, str]:
    return link_create(
        person=volunteer,
        purpose=LinkPurpose.SELF_SERVICE,
        actor=actor,
        days=settings.PARTICIPANT_SELF_SERVICE_DAYS,
        max_uses=settings.PARTICIPANT_SELF_SERVICE_USES,
    )


@transaction.atomic
def selfservice_link_send(*, volunteer: Volunteer, actor: User | None) -> str:
    """Send the volunteer a new self-service link through the outbox: by e-mail with a standing consent to
    e-mails, else by text message with a consent to text messages and a mobile number. Nothing is made for
    a volunteer without such a channel. Returns the channel it went by, "" when none."""
    channel = link_channel(volunteer)
    if not channel:
        return ""
    _link, token = selfservice_link_create(volunteer=volunteer, actor=actor)
    result = message_queue(
        template=SELF_SERVICE_SMS_TEMPLATE if channel == CHANNEL_SMS else SELF_SERVICE_LINK_TEMPLATE,
        to=volunteer,
        actor=actor,
        language=settings.LANGUAGE_CODE,
        context={
            "first_name": volunteer.first_name,
            "link": site_link(reverse("selfservice:overview", args=[token])),
            "days": settings.PARTICIPANT_SELF_SERVICE_DAYS,
        },
        channel=channel,
        opt_in=True,
    )
    return channel if result.is_queued else ""


def selfservice_link_request(*, email: str) -> None:
    """The public "request a link" form: a registered volunteer with this address who may be written to
    gets a link; anybody else nothing. The caller answers the same either way."""
    key = email_key(email)
    if not key:
        return
    rows = Volunteer.objects.filter(email_key=key, anonymised_at__isnull=True, merged_into__isnull=True)
    for volunteer in rows.exclude(status=VolunteerStatus.LEFT).order_by("pk")[:3]:
        selfservice_link_send(volunteer=volunteer, actor=None)


@transaction.atomic
def selfservice_link_request_defer(*, email: str) -> None:
    """What the public form does in the request: the same one insert into the job queue for every address,
    registered or not; `selfservice_link_request` runs in the job."""
    from core.jobs import defer_in_transaction
    from tandems.tasks import selfservice_link_request_task  # the task module imports this one

    defer_in_transaction(selfservice_link_request_task, {"email": email})


def selfservice_open(token: str) -> tuple[ParticipantLink, Volunteer] | None:
    """(link, volunteer) when the token is a working self-service link of a volunteer still on record."""
    found = link_check(token, purpose=LinkPurpose.SELF_SERVICE)
    if not found.ok or found.link.person_type.model_class() is not Volunteer:
        return None
    volunteer = link_person(found.link)
    if volunteer is None or volunteer.merged_into_id is not None:
        return None
    return found.link, volunteer


def own_tandems(volunteer: Volunteer) -> QuerySet[Tandem]:
    """The volunteer's tandems (not the anonymised ones), with what the page shows of the other side:
    the refugee's first name and the coordinator."""
    return (
        Tandem.objects.filter(volunteer=volunteer, anonymised_at__isnull=True, status__in=SHOWN)
        .select_related("refugee", "coordinator", "organisation")
        .order_by("-created_at", "-pk")
    )


def own_registrations(volunteer: Volunteer) -> QuerySet[Registration]:
    return training_registrations_for(volunteer=volunteer)


def upcoming_sessions() -> QuerySet[Session]:
    return sessions_upcoming_with_counts()


def own_hours(volunteer: Volunteer) -> QuerySet[HoursLog]:
    return HoursLog.objects.filter(tandem__volunteer=volunteer).select_related("tandem__refugee")


@transaction.atomic
def selfservice_register(*, volunteer: Volunteer, session_id: int) -> Registration:
    """Register for a session still to start (the waiting list beyond its places, as for the staff)."""
    session = upcoming_sessions().filter(pk=session_id).first()
    if session is None:
        raise ValidationError(_("This training can no longer be booked."))
    return registration_create(session=session, volunteer=volunteer, actor=None, note=_("self-service"))


@transaction.atomic
def selfservice_cancel(*, volunteer: Volunteer, registration_id: int) -> None:
    """Cancel one's own registration for a session still to start; another's id is simply not found."""
    row = Registration.objects.filter(
        pk=registration_id, volunteer=volunteer, session__starts_at__gt=timezone.now()
    ).first()
    if row is None:
        raise ValidationError(_("This registration can no longer be cancelled."))
    registration_delete(registration=row, actor=None)


@transaction.atomic
def hours_log_create(*, volunteer: Volunteer, data: dict[str, Any]) -> HoursLog:
    tandem = data["tandem"]
    if tandem.volunteer_id != volunteer.pk or tandem.status not in SHOWN:
        raise ValidationError(_("Choose one of your tandems."))
    row = HoursLog(tandem=tandem, spent_on=data["spent_on"], hours=data["hours"], note=data.get("note") or "")
    row.full_clean()
    row.save()
    audit_record(
        actor=None, action="tandems.hourslog.created", obj=row, changes=diff({}, snapshot(row, HOURS_FIELDS))
    )
    return row


@transaction.atomic
def hours_log_update(*, hours_log: HoursLog, data: dict[str, Any]) -> HoursLog:
    """Correct logged hours (date, hours, what was done); the tandem stays."""
    row = HoursLog.objects.select_for_update().get(pk=hours_log.pk)
    before = snapshot(row, HOURS_FIELDS)
    for name in ("spent_on", "hours", "note"):
        if name in data:
            setattr(row, name, data[name])
    row.full_clean()
    row.save()
    changes = diff(before, snapshot(row, HOURS_FIELDS))
    if changes:
        audit_record(actor=None, action="tandems.hourslog.changed", obj=row, changes=changes)
    return row


@transaction.atomic
def hours_log_delete(*, volunteer: Volunteer, hours_log_id: int) -> None:
    """Delete one's own logged hours; another volunteer's id is simply not found."""
    row = own_hours(volunteer).filter(pk=hours_log_id).first()
    if row is None:
        raise ValidationError(_("These hours cannot be deleted."))
    audit_record(
        actor=None, action="tandems.hourslog.deleted", obj=row, changes=diff(snapshot(row, HOURS_FIELDS), {})
    )
    row.delete()


def certificate_context(volunteer: Volunteer) -> dict[str, Any]:
    """What the activity certificate (Tätigkeitsnachweis) shows: the trainings attended and the hours."""
    attended = [r for r in own_registrations(volunteer) if r.attended]
    hours = own_hours(volunteer)
    tandem_hours = hours.aggregate(total=Sum("hours"))["total"] or Decimal("0")
    tandems = list(own_tandems(volunteer))
    return {
        "volunteer": volunteer,
        "attended": attended,
        "training_hours": training_hours_for(volunteer=volunteer),
        "tandem_hours": tandem_hours,
        "tandems": tandems,
        "since": min((t.started_on for t in tandems if t.started_on), default=None),
        "today": timezone.localdate(),
        "contact": settings.PARTICIPANT_CONTACT,
    }


def certificate_pdf(html: str) -> bytes:
    """The certificate's HTML rendered as a PDF by WeasyPrint, with its print stylesheet read from the
    static files (`static/css/certificate.css`; no network, no inline style for the CSP to refuse)."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find("css/certificate.css"))])


def default_spent_on() -> datetime.date:
    return timezone.localdate()
