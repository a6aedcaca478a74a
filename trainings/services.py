import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record, diff, snapshot
from core.models import User
from core.notifications import TRAINING_REMINDER, notification_active
from core.outbox import message_queue
from core.services import record_create, record_update
from trainings.ical import sessions_ical
from trainings.models import CalendarToken, Registration, RegistrationStatus, Session, new_calendar_token
from volunteers.models import Volunteer
from volunteers.services import volunteer_trained_record, volunteer_trained_withdraw

SESSION_FIELDS = (
    "organisation",
    "course_type",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "trainer",
    "capacity",
    "notes",
)
REGISTRATION_FIELDS = ("session", "volunteer", "status", "waiting_position", "attended", "note")


@transaction.atomic
def session_create(*, actor: User, data: dict[str, Any]) -> Session:
    return record_create(
        obj=Session(**{name: data[name] for name in SESSION_FIELDS if name in data}),
        actor=actor,
        action="trainings.session.created",
        fields=SESSION_FIELDS,
    )


@transaction.atomic
def session_update(*, session: Session, actor: User, data: dict[str, Any]) -> Session:
    """Change a session. The capacity cannot drop below the places already taken; a larger capacity
    moves people up from the waiting list at once."""

    def capacity_check(row: Session) -> None:
        taken = row.registrations.filter(status=RegistrationStatus.REGISTERED).count()
        if row.capacity < taken:
            raise ValidationError(
                {
                    "capacity": _("%(count)s people are already registered; the capacity cannot be lower.")
                    % {"count": taken}
                }
            )

    row, _changes = record_update(
        obj=session,
        actor=actor,
        action="trainings.session.changed",
        data={name: data[name] for name in SESSION_FIELDS if name in data},
        prepare=capacity_check,
    )
    _fill_free_places(session=row, actor=actor)
    return row


@transaction.atomic
def session_delete(*, session: Session, actor: User) -> None:
    """Delete a session that nobody attended (attendance is kept for the grant report)."""
    row = Session.objects.select_for_update().get(pk=session.pk)
    if row.registrations.filter(attended=True).exists():
        raise ValidationError(_("People attended this session; it cannot be deleted."))
    for registration in row.registrations.select_related("volunteer"):
        audit_record(actor=actor, action="trainings.registration.deleted", obj=registration)
    audit_record(actor=actor, action="trainings.session.deleted", obj=row)
    row.delete()


@transaction.atomic
def registration_create(
    *, session: Session, volunteer: Volunteer, actor: User | None, note: str = ""
) -> Registration:
    """Register a volunteer; beyond the capacity the registration joins the end of the waiting list.

    The session row is locked, so two registrations at the same moment cannot both take the last place."""
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if Registration.objects.filter(session=locked, volunteer=volunteer).exists():
        raise ValidationError(_("%(name)s is already registered for this session.") % {"name": volunteer})
    taken = Registration.objects.filter(session=locked, status=RegistrationStatus.REGISTERED).count()
    registration = Registration(
        session=locked,
        volunteer=volunteer,
        registered_by=actor,
        note=note,
        status=RegistrationStatus.REGISTERED,
    )
    if taken >= locked.capacity:
        last = Registration.objects.filter(session=locked, status=RegistrationStatus.WAITING).aggregate(
            last=Max("waiting_position")
        )["last"]
        registration.status = RegistrationStatus.WAITING
        registration.waiting_position = (last or 0) + 1
    return record_create(
        obj=registration, actor=actor, action="trainings.registration.created", fields=REGISTRATION_FIELDS
    )


@dataclass
class RegistrationSummary:
    registered: list[Volunteer] = field(default_factory=list)
    waiting: list[Volunteer] = field(default_factory=list)
    skipped: list[Volunteer] = field(default_factory=list)  # already registered


@transaction.atomic
def registration_create_many(
    *, session: Session, volunteers: Iterable[Volunteer], actor: User
) -> RegistrationSummary:
    """Register several volunteers in the order given; those already registered are skipped."""
    summary = RegistrationSummary()
    already = set(Registration.objects.filter(session=session).values_list("volunteer_id", flat=True))
    for volunteer in volunteers:
        if volunteer.pk in already:
            summary.skipped.append(volunteer)
            continue
        registration = registration_create(session=session, volunteer=volunteer, actor=actor)
        already.add(volunteer.pk)
        target = summary.waiting if registration.status == RegistrationStatus.WAITING else summary.registered
        target.append(volunteer)
    return summary


@transaction.atomic
def registration_delete(*, registration: Registration, actor: User) -> list[Registration]:
    """Deregister a volunteer. A freed place goes to the first on the waiting list; returns who moved up."""
    locked = Session.objects.select_for_update().get(pk=registration.session_id)
    row = Registration.objects.select_related("volunteer").get(pk=registration.pk)
    if row.attended:
        raise ValidationError(
            _("%(name)s attended this session; the attendance is kept.") % {"name": row.volunteer}
        )
    audit_record(
        actor=actor,
        action="trainings.registration.deleted",
        obj=row,
        changes=diff(snapshot(row, REGISTRATION_FIELDS), {}),
    )
    position = row.waiting_position
    row.delete()
    if position is not None:
        locked.registrations.filter(status=RegistrationStatus.WAITING, waiting_position__gt=position).update(
            waiting_position=F("waiting_position") - 1
        )
    return _fill_free_places(session=locked, actor=actor)


def _fill_free_places(*, session: Session, actor: User | None) -> list[Registration]:
    """Move people up from the waiting list while there are free places (session row already locked)."""
    taken = session.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    free = session.capacity - taken
    if free <= 0:
        return []
    moving = list(
        session.registrations.filter(status=RegistrationStatus.WAITING)
        .select_related("volunteer")
        .order_by("waiting_position")[:free]
    )
    for registration in moving:
        before = snapshot(registration, ("status", "waiting_position"))
        registration.status = RegistrationStatus.REGISTERED
        registration.waiting_position = None
        registration.save(update_fields=["status", "waiting_position", "updated_at"])
        audit_record(
            actor=actor,
            action="trainings.registration.moved_up",
            obj=registration,
            changes=diff(before, snapshot(registration, ("status", "waiting_position"))),
        )
    if moving:
        session.registrations.filter(status=RegistrationStatus.WAITING).update(
            waiting_position=F("waiting_position") - len(moving)
        )
    return moving


@transaction.atomic
def training_attendance_record(*, registration: Registration, attended: bool, actor: User) -> Registration:
    """Tick (or untick) who attended. Attending the required course makes the volunteer trained on the
    session's date; unticking it by mistake takes that back (see `volunteer_trained_withdraw`)."""

    def values(row: Registration) -> dict[str, Any]:
        if row.attended == attended:
            return {}
        if row.status != RegistrationStatus.REGISTERED:
            raise ValidationError(_("Only registered participants can attend, not the waiting list."))
        if attended and not row.session.has_begun:
            raise ValidationError(_("Attendance can be recorded from the day of the session on."))
        return {"attended": attended}

    row, changes = record_update(
        obj=registration,
        actor=actor,
        action="trainings.registration.changed",
        data=values,
        lock=Registration.objects.select_related("session__course_type", "volunteer"),
    )
    if not changes:
        return row
    if row.session.course_type.is_required:
        session_day = timezone.localdate(row.session.starts_at)
        if attended:
            volunteer_trained_record(volunteer=row.volunteer, trained_on=session_day, actor=actor)
        else:
            first = (
                Registration.objects.filter(
                    volunteer=row.volunteer, attended=True, session__course_type__is_required=True
                )
                .order_by("session__starts_at")
                .values_list("session__starts_at", flat=True)
                .first()
            )
            volunteer_trained_withdraw(
                volunteer=row.volunteer,
                withdrawn_on=session_day,
                remaining_on=timezone.localdate(first) if first else None,
                actor=actor,
            )
    return row


@dataclass
class InvitationResult:
    sent: list[Volunteer] = field(default_factory=list)  # queued in the outbox
    not_reached: list[Volunteer] = field(default_factory=list)  # no e-mail address, or consent withdrawn


INVITATION_TEMPLATE = "trainings/email/invitation"


def _invitation_context(session: Session) -> dict[str, Any]:
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return {
        "course": str(session.course_type),
        "date": f"{starts:%d.%m.%Y}",
        "when": f"{date_format(starts, 'l, d.m.Y')}, {starts:%H:%M}–{ends:%H:%M}",
        "place": session.place,
        "online_url": session.online_url,
        "trainer": session.trainer,
        "description": session.course_type.description,
    }


@transaction.atomic
def session_invitations_send(
    *, session: Session, volunteers: Iterable[Volunteer], actor: User, group: str
) -> InvitationResult:
    """Queue for each volunteer (one message each, so no one sees the others' addresses) an invitation in
    their preferred language with the session as an .ics attachment; the outbox sends them. Volunteers
    without an address or who withdrew consent are listed as not reached."""
    result = InvitationResult()
    with translation.override("de"):
        ics = sessions_ical([session], name=str(session.course_type)).decode()
    attachment = {"filename": "termin.ics", "content": ics, "mimetype": "text/calendar; method=PUBLISH"}
    contexts: dict[str, dict[str, Any]] = {}  # the date's weekday in each recipient's language
    for volunteer in volunteers:
        language = volunteer.preferred_language or "de"
        if language not in contexts:
            with translation.override(language):
                contexts[language] = _invitation_context(session)
        queued = message_queue(
            template=INVITATION_TEMPLATE,
            to=volunteer,
            related=session,
            actor=actor,
            language=language,
            context={**contexts[language], "first_name": volunteer.first_name},
            attachments=[attachment],
        )
        (result.sent if queued.is_queued else result.not_reached).append(volunteer)
    audit_record(
        actor=actor,
        action="trainings.session.invitations_sent",
        obj=session,
        changes={
            "group": [None, group],
            "sent": [None, len(result.sent)],
            "not_reached": [None, len(result.not_reached)],
        },
    )
    return result


@transaction.atomic
def calendar_token_regenerate(*, user: User) -> CalendarToken:
    """A new secret calendar link; the old one stops working at once."""
    token, created = CalendarToken.objects.get_or_create(user=user)
    if not created:
        token.token = new_calendar_token()
        token.save(update_fields=["token", "created_at"])
    audit_record(
        actor=user,
        action="trainings.calendartoken.created" if created else "trainings.calendartoken.regenerated",
        obj=token,
    )
    return token


def registrations_merge(*, gone: Volunteer, kept: Volunteer) -> int:
    """A volunteer merge's step (volunteers.registry): training registrations and attendance follow the
    person; where both records are on the same session, the kept record's registration stays and the other's
    stays with the anonymised record. Runs inside `volunteer_merge`'s transaction, which audits the count."""
    return (
        Registration.objects.filter(volunteer=gone)
        .exclude(session__in=Registration.objects.filter(volunteer=kept).values("session"))
        .update(volunteer=kept)
    )


REMINDER_TEMPLATE = "trainings/email/reminder"


def session_reminders_send(*, today: datetime.date | None = None) -> tuple[int, int]:
    """The day before a session, remind each volunteer registered for it (not the waiting list) once: the
    registration's `reminded_at` is set in the same transaction as the message, and the rows are taken
    with SKIP LOCKED, so a second run or a second worker reminds nobody twice. Returns (queued, not
    reached: no address or consent withdrawn). Does nothing when an admin switched the reminder off."""
    if not notification_active(TRAINING_REMINDER):
        return 0, 0
    tomorrow = (today or timezone.localdate()) + datetime.timedelta(days=1)
    queued = not_reached = 0
    with transaction.atomic():
        rows = (
            Registration.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                status=RegistrationStatus.REGISTERED,
                reminded_at__isnull=True,
                session__starts_at__date=tomorrow,
                volunteer__anonymised_at__isnull=True,
            )
            .select_related("session__course_type", "volunteer")
            .order_by("session_id", "pk")
        )
        contexts: dict[int, dict[str, Any]] = {}
        now = timezone.now()
        for registration in rows:
            session = registration.session
            if session.pk not in contexts:
                with translation.override("de"):
                    contexts[session.pk] = _invitation_context(session)
            result = message_queue(
                template=REMINDER_TEMPLATE,
                to=registration.volunteer,
                related=session,
                language="de",
                context={**contexts[session.pk], "first_name": registration.volunteer.first_name},
            )
            queued, not_reached = (queued + 1, not_reached) if result.is_queued else (queued, not_reached + 1)
            # recorded also when nobody could be reached: the next run does not try again
            registration.reminded_at = now
            registration.save(update_fields=["reminded_at", "updated_at"])
    return queued, not_reached
