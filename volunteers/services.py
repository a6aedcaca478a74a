"""Every write to the volunteer register: each service is atomic, keeps the duplicate keys in step and
leaves its audit entries in the same transaction."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record, diff, snapshot
from core.jobs import defer_in_transaction
from core.models import Consent, ConsentChannel, Language, LegalText, Organisation, OrganisationKind, User
from core.notifications import CLEARANCE_EXPIRY, notification_active
from core.outbox import QueueResult, message_queue, message_reach, message_reachable, messages_queue_many
from core.placeholders import placeholders_fill
from core.services import (
    channel_consent_change,
    consent_record,
    personal_data_anonymise,
    record_create,
    record_update,
)
from volunteers.keys import email_key, name_key, phone_key
from volunteers.models import (
    BulkMessage,
    BulkMessageState,
    ErasureRequest,
    Interview,
    InterviewOutcome,
    LanguageLevel,
    PoliceClearance,
    StatusChange,
    Volunteer,
    VolunteerLanguage,
    VolunteerStatus,
)
from volunteers.registry import MERGE_STEPS, open_tandems
from volunteers.selectors import CLEARANCE_WARNING_DAYS

CONSENT_PURPOSE = "volunteer_register"
# The version of the privacy notice on /signup/privacy/; stored with every consent given online.
PRIVACY_VERSION = "2026-11"
UNCONFIRMED_SIGNUP_DAYS = 30

# The fields a coordinator edits; the derived keys and the pipeline fields are set by the services only.
EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "address",
    "birth_date",
    "gender",
    "migration_background",
    "district",
    "available_weekdays",
    "available_times",
    "hours_per_month",
    "capacity",
    "commitment_months",
    "commitment_per_month",
    "pref_gender",
    "pref_families",
    "pref_age_min",
    "pref_age_max",
    "interests",
    "source",
    "notes",
    "preferred_language",
)
EARLY_STEPS = (VolunteerStatus.REGISTERED, VolunteerStatus.EMAIL_CONFIRMED, VolunteerStatus.INTERVIEW_DONE)
LEVEL_RANK = {LanguageLevel.NATIVE: 4, LanguageLevel.FLUENT: 3, LanguageLevel.GOOD: 2, LanguageLevel.BASIC: 1}
SUITABLE = (InterviewOutcome.SUITABLE, InterviewOutcome.SUITABLE_WITH_LIMITS)

LanguageRows = Iterable[tuple[Language, str]]


def _set_keys(row: Volunteer) -> None:
    row.email_key = email_key(row.email)
    row.phone_key = phone_key(row.phone)
    row.name_key = name_key(row.first_name, row.last_name)


def duplicate_candidates(
    *, email: str = "", phone: str = "", first_name: str = "", last_name: str = "", birth_date=None
) -> Q | None:
    """The condition for 'same person': same e-mail key, same phone key, or same name key and birth date."""
    conditions = Q()
    if key := email_key(email):
        conditions |= Q(email_key=key)
    if key := phone_key(phone):
        conditions |= Q(phone_key=key)
    if (key := name_key(first_name, last_name)) and birth_date:
        conditions |= Q(name_key=key, birth_date=birth_date)
    return conditions or None


def volunteer_find_duplicate(*, volunteer: Volunteer) -> Volunteer | None:
    condition = duplicate_candidates(
        email=volunteer.email,
        phone=volunteer.phone,
        first_name=volunteer.first_name,
        last_name=volunteer.last_name,
        birth_date=volunteer.birth_date,
    )
    if condition is None:
        return None
    return (
        Volunteer.objects.filter(condition, anonymised_at__isnull=True)
        .exclude(pk=volunteer.pk)
        .order_by("pk")
        .first()
    )


def _languages_text(row: Volunteer) -> list[str]:
    return sorted(f"{vl.language.code}:{vl.level}" for vl in row.languages.select_related("language"))


def _state(row: Volunteer) -> dict[str, Any]:
    values = snapshot(row, [*EDITABLE_FIELDS, "organisation", "help_areas"])
    values["languages"] = _languages_text(row)
    return values


def _set_languages(row: Volunteer, languages: LanguageRows) -> None:
    wanted: dict[int, tuple[Language, str]] = {}
    for language, level in languages:
        # the same language twice keeps the better level
        if language.pk not in wanted or LEVEL_RANK[level] > LEVEL_RANK[wanted[language.pk][1]]:
            wanted[language.pk] = (language, level)
    row.languages.exclude(language_id__in=wanted).delete()
    existing = {vl.language_id: vl for vl in row.languages.all()}
    for language_id, (language, level) in wanted.items():
        if language_id in existing:
            if existing[language_id].level != level:
                existing[language_id].level = level
                existing[language_id].save(update_fields=["level"])
        else:
            VolunteerLanguage.objects.create(volunteer=row, language=language, level=level)


def _system_note(message: str) -> str:
    """A note the application writes on the timeline, in the programme's language (German) whichever
    language the acting user reads: it is stored, and every colleague reads it later."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(message)


def _step(*, row: Volunteer, status: str, actor: User | None, note: str) -> StatusChange:
    step = StatusChange.objects.create(volunteer=row, status=status, changed_by=actor, note=note[:300])
    audit_record(
        actor=actor,
        action="volunteers.statuschange.created",
        obj=step,
        changes={"status": [None, status], "note": [None, step.note]},
    )
    return step


def _consent_record(
    *, row: Volunteer, channel: str, text_version: str, actor: User | None, given_at=None, legal_text=None
) -> Consent:
    return consent_record(
        subject=row,
        actor=actor,
        legal_text=legal_text,
        purpose=CONSENT_PURPOSE,
        text_version=text_version,
        channel=channel,
        given_at=given_at,
    )


def volunteer_consents(*, volunteer: Volunteer):
    return Consent.objects.filter(
        content_type=ContentType.objects.get_for_model(Volunteer), object_id=volunteer.pk
    )


@transaction.atomic
def volunteer_create(
    *,
    organisation: Organisation,
    data: dict[str, Any],
    actor: User | None,
    languages: LanguageRows = (),
    consent_channel: str = "",
    consent_version: str = PRIVACY_VERSION,
    signed_up: bool = False,
    note: str = "",
    legal_text: LegalText | None = None,
) -> Volunteer:
    """Add a volunteer to the register. A probable duplicate is flagged (never refused), so that a
    coordinator decides; registering the same person twice is what partners do without knowing it."""
    fields = dict(data)
    help_areas = fields.pop("help_areas", None)
    row = Volunteer(organisation=organisation, status=VolunteerStatus.REGISTERED, **fields)
    if signed_up:
        row.signed_up_at = timezone.now()
    _set_keys(row)
    row.full_clean()
    row.possible_duplicate_of = volunteer_find_duplicate(volunteer=row)
    row.save()
    if help_areas is not None:
        row.help_areas.set(help_areas)
    _set_languages(row, languages)
    audit_record(actor=actor, action="volunteers.volunteer.created", obj=row, changes=diff({}, _state(row)))
    _step(row=row, status=VolunteerStatus.REGISTERED, actor=actor, note=note)
    if consent_channel:
        _consent_record(
            row=row, channel=consent_channel, text_version=consent_version, actor=actor, legal_text=legal_text
        )
    return row


def _capacity_check(row: Volunteer, *, own_page: bool = False) -> None:
    """The tandems' trigger guards new tandems; lowering the capacity below the open ones is refused here,
    in the staff's words or, on the volunteer's own page (`own_page`), in the volunteer's."""
    in_tandems = open_tandems(volunteer=row)
    open_count = in_tandems.count() if in_tandems is not None else 0
    if row.capacity < open_count:
        if own_page:
            message = _("You are in %(count)s tandems at the moment; the number cannot be lower.")
        else:
            message = _("This person is in %(count)s open tandems; the capacity cannot be lower.")
        raise ValidationError({"capacity": message % {"count": open_count}})


ERASURE_DECLINED_TEMPLATE = "volunteers/email/erasure_declined"


@transaction.atomic
def erasure_request_create(*, volunteer: Volunteer) -> ErasureRequest:
    """The volunteer's own request for erasure (self-service): one per person, audited once. Asking again
    after a coordinator declined opens the request again (back in the queue)."""
    row, created = ErasureRequest.objects.select_for_update().get_or_create(volunteer=volunteer)
    if created:
        audit_record(actor=None, action="volunteers.erasurerequest.created", obj=row)
    elif row.declined_at is not None:
        before = row.decline_reason
        row.declined_at, row.declined_by, row.decline_reason = None, None, ""
        row.save(update_fields=["declined_at", "declined_by", "decline_reason"])
        audit_record(
            actor=None,
            action="volunteers.erasurerequest.reopened",
            obj=row,
            changes={"decline_reason": [before, ""]},
        )
    return row


@transaction.atomic
def erasure_request_decline(
    *, erasure_request: ErasureRequest, reason: str, actor: User
) -> QueueResult | None:
    """A coordinator declines a volunteer's request for erasure with one of `ErasureDeclineReason` (a
    running tandem, a legal retention period, a talk first): nothing is erased, the request leaves the
    queue, and the volunteer is told by e-mail in their language (through the outbox). Declining twice
    changes nothing (None then)."""
    row = ErasureRequest.objects.select_for_update().select_related("volunteer").get(pk=erasure_request.pk)
    if row.declined_at is not None:
        return None
    row.declined_at, row.declined_by, row.decline_reason = timezone.now(), actor, reason
    row.full_clean()
    row.save(update_fields=["declined_at", "declined_by", "decline_reason"])
    audit_record(
        actor=actor,
        action="volunteers.erasurerequest.declined",
        obj=row,
        changes={"decline_reason": ["", reason]},
    )
    return message_queue(
        template=ERASURE_DECLINED_TEMPLATE,
        to=row.volunteer,
        related=row.volunteer,
        actor=actor,
        context={
            "first_name": row.volunteer.first_name,
            "reason": reason,
            "contact": settings.PARTICIPANT_CONTACT,
        },
    )


# what a volunteer may change about themselves through their self-service link
SELF_SERVICE_FIELDS = (
    "available_weekdays",
    "available_times",
    "hours_per_month",
    "capacity",
    "commitment_months",
    "commitment_per_month",
    "help_areas",
    "paused_until",
)
PAUSABLE = (VolunteerStatus.TRAINED, VolunteerStatus.ACTIVE)


def _self_state(row: Volunteer) -> dict[str, Any]:
    return _state(row) | snapshot(row, ["paused_until"])


@transaction.atomic
def volunteer_self_update(
    *, volunteer: Volunteer, data: dict[str, Any], languages: LanguageRows | None = None
) -> Volunteer:
    """The volunteer's own changes through their self-service link (no staff actor): audited as
    "changed by the volunteer (self-service)", so that the coordinators see what changed and when. A
    "pause until" date in the future pauses an available volunteer at once (the matching leaves paused
    people out); the daily job `end_pauses` takes them back once the date has passed."""
    row, _changes = record_update(
        obj=volunteer,
        actor=None,
        action="volunteers.volunteer.self_service_changed",
        data={name: value for name, value in data.items() if name in SELF_SERVICE_FIELDS},
        state=_self_state,
        check=lambda row: _capacity_check(row, own_page=True),
        after_save=(lambda row: _set_languages(row, languages)) if languages is not None else None,
    )
    if row.paused_until and row.paused_until > timezone.localdate() and row.status in PAUSABLE:
        note = _system_note(gettext_noop("Paused by the volunteer (self-service) until %(date)s")) % {
            "date": f"{row.paused_until:%d.%m.%Y}"
        }
        row = volunteer_status_change(volunteer=row, status=VolunteerStatus.PAUSED, actor=None, note=note)
    return row


def _status_before_pause(volunteer: Volunteer) -> str:
    """The step a paused volunteer held before the pause (trained or active; trained when unknown)."""
    pause = (
        volunteer.status_changes.filter(status=VolunteerStatus.PAUSED).order_by("-changed_at", "-pk").first()
    )
    earlier = volunteer.status_changes.exclude(status=VolunteerStatus.PAUSED)
    if pause is not None:
        earlier = earlier.filter(changed_at__lte=pause.changed_at, pk__lt=pause.pk)
    step = earlier.order_by("-changed_at", "-pk").values_list("status", flat=True).first()
    return step if step in PAUSABLE else VolunteerStatus.TRAINED


def volunteers_pause_end(*, today: datetime.date | None = None) -> int:
    """The daily job's work: every paused volunteer whose "paused until" date has passed goes back to the
    step before the pause, without anyone acting (a dated step on the timeline, audited without an actor).
    A pause without a date (a coordinator's) stays. Each volunteer in its own transaction; returns how
    many were resumed. A retry finds nobody left to resume."""
    today = today or timezone.localdate()
    due = Volunteer.objects.filter(
        status=VolunteerStatus.PAUSED, paused_until__lt=today, anonymised_at__isnull=True
    ).order_by("pk")
    resumed = 0
    for volunteer in due.iterator():
        with transaction.atomic():
            note = _system_note(gettext_noop("Pause until %(date)s is over")) % {
                "date": f"{volunteer.paused_until:%d.%m.%Y}"
            }
            volunteer_status_change(
                volunteer=volunteer, status=_status_before_pause(volunteer), actor=None, note=note
            )
            resumed += 1
    return resumed


def volunteer_update(
    *,
    volunteer: Volunteer,
    data: dict[str, Any],
    actor: User | None,
    languages: LanguageRows | None = None,
) -> Volunteer:
    row, _changes = record_update(
        obj=volunteer,
        actor=actor,
        action="volunteers.volunteer.changed",
        data=data,
        state=_state,
        prepare=_set_keys,
        check=_capacity_check,
        after_save=(lambda row: _set_languages(row, languages)) if languages is not None else None,
    )
    return row


def volunteer_status_change(
    *, volunteer: Volunteer, status: str, actor: User | None, note: str = ""
) -> Volunteer:
    """Move a volunteer along the pipeline; every step is dated on the timeline and audited."""

    def values(row: Volunteer) -> dict[str, Any]:
        if row.status == status:
            return {}
        left = status == VolunteerStatus.LEFT and row.left_on is None
        return {"status": status, "status_changed_at": timezone.now()} | (
            {"left_on": timezone.localdate()} if left else {}
        )

    row, _changes = record_update(
        obj=volunteer,
        actor=actor,
        action="volunteers.volunteer.status_changed",
        data=values,
        watch=["status"],
        after_save=lambda row: _step(row=row, status=status, actor=actor, note=note),
    )
    return row


def status_change_note_update(*, status_change: StatusChange, note: str, actor: User | None) -> StatusChange:
    """Correct the note of a step on the timeline; the step's date and status stay as they were."""
    row, _changes = record_update(
        obj=status_change, actor=actor, action="volunteers.statuschange.changed", data={"note": note}
    )
    return row


# the steps of the pipeline before "trained"
BEFORE_TRAINED = frozenset({*EARLY_STEPS, VolunteerStatus.CLEARED})


def _trained_on_set(row: Volunteer, trained_on: datetime.date | None, *, actor: User | None) -> None:
    """Store the date of the basic training (or none), audited as "trained"."""
    record_update(
        obj=row, actor=actor, action="volunteers.volunteer.trained", data={"trained_on": trained_on}
    )
    row.trained_on = trained_on


@transaction.atomic
def volunteer_trained_record(
    *, volunteer: Volunteer, trained_on: datetime.date, actor: User | None
) -> Volunteer:
    """Attendance of the required basic training makes a volunteer trained (the earliest date counts)."""
    row = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if row.trained_on is not None and row.trained_on <= trained_on:
        return row
    _trained_on_set(row, trained_on, actor=actor)
    # the pipeline moves on to "trained" only from the steps before it; an active mentor stays active
    if row.status in BEFORE_TRAINED:
        row = volunteer_status_change(
            volunteer=row,
            status=VolunteerStatus.TRAINED,
            actor=actor,
            note=_system_note(gettext_noop("basic training attended")),
        )
    return row


@transaction.atomic
def volunteer_trained_withdraw(
    *,
    volunteer: Volunteer,
    withdrawn_on: datetime.date,
    remaining_on: datetime.date | None,
    actor: User | None,
) -> Volunteer:
    """An attendance of the required training dated `withdrawn_on` was unticked. Only when that attendance
    is what made the volunteer trained (`trained_on` is its date) does `trained_on` move to the earliest
    attendance that remains (`remaining_on`), or become empty; a date entered by hand stays. A volunteer
    who was "trained" without any attendance left goes back to the step of the pipeline that the recorded
    screening reaches (see `_screening_step`), on the timeline."""
    row = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if row.trained_on != withdrawn_on or remaining_on == withdrawn_on:
        return row
    _trained_on_set(row, remaining_on, actor=actor)
    if remaining_on is None and row.status == VolunteerStatus.TRAINED:
        row = volunteer_status_change(
            volunteer=row,
            status=_screening_step(row),
            actor=actor,
            note=_system_note(gettext_noop("basic training attendance withdrawn")),
        )
    return row


def _screening_step(row: Volunteer) -> str:
    """Where a volunteer who is not trained stands in the pipeline, from what is recorded: a suitable
    interview and a valid clearance, a suitable interview, a confirmed e-mail address, or nothing yet."""
    if row.interviews.filter(outcome__in=SUITABLE).exists():
        valid = row.clearance_valid_until is not None and row.clearance_valid_until >= timezone.localdate()
        return VolunteerStatus.CLEARED if valid else VolunteerStatus.INTERVIEW_DONE
    if row.email_confirmed_at is not None:
        return VolunteerStatus.EMAIL_CONFIRMED
    return VolunteerStatus.REGISTERED


@transaction.atomic
def volunteer_signup(
    *,
    data: dict[str, Any],
    languages: LanguageRows = (),
    privacy_version: str = PRIVACY_VERSION,
    legal_text: LegalText | None = None,
) -> Volunteer:
    """A person signs up on the public form: they land in the FWZ's inbox, with their online consent (to
    `legal_text`, the privacy notice in the language they read, when given)."""
    return volunteer_create(
        organisation=Organisation.objects.get(kind=OrganisationKind.FWZ, short_name="FWZ"),
        data=data,
        actor=None,
        languages=languages,
        consent_channel=ConsentChannel.ONLINE,
        consent_version=privacy_version,
        legal_text=legal_text,
        signed_up=True,
        note=_system_note(gettext_noop("signed up online")),
    )


@transaction.atomic
def volunteer_email_confirm(*, volunteer: Volunteer) -> Volunteer:
    """The double opt-in: the link from the confirmation e-mail was opened."""
    row, changes = record_update(
        obj=volunteer,
        actor=None,
        action="volunteers.volunteer.email_confirmed",
        data=lambda row: {} if row.email_confirmed_at is not None else {"email_confirmed_at": timezone.now()},
    )
    if changes:
        # the confirmed address is where the sign-up asked to be contacted: links may go there by e-mail
        # (withdrawn on the self-service page or by a coordinator; docs/participants.md)
        channel_consent_change(person=row, channel="email", given=True, actor=None, how=ConsentChannel.ONLINE)
    if changes and row.status == VolunteerStatus.REGISTERED:
        row = volunteer_status_change(
            volunteer=row,
            status=VolunteerStatus.EMAIL_CONFIRMED,
            actor=None,
            note=_system_note(gettext_noop("double opt-in")),
        )
    return row


def _advance_screening(*, row: Volunteer, actor: User | None) -> Volunteer:
    """A suitable interview moves an early volunteer to "interview done"; with a valid clearance as
    well, to "cleared". Later steps (trained, active, paused, left) are never moved back."""
    if row.status not in EARLY_STEPS:
        return row
    target = _screening_step(row)
    if target in {VolunteerStatus.INTERVIEW_DONE, VolunteerStatus.CLEARED} and target != row.status:
        row = volunteer_status_change(
            volunteer=row, status=target, actor=actor, note=_system_note(gettext_noop("screening"))
        )
    return row


INTERVIEW_FIELDS = ("held_on", "held_by", "outcome", "motivation", "limits")


@transaction.atomic
def interview_record(*, volunteer: Volunteer, data: dict[str, Any], actor: User | None) -> Interview:
    row = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    interview = record_create(
        obj=Interview(volunteer=row, **data),
        actor=actor,
        action="volunteers.interview.created",
        fields=INTERVIEW_FIELDS,
    )
    audit_record(
        actor=actor,
        action="volunteers.volunteer.interview_recorded",
        obj=row,
        changes={"interview": [None, str(interview)]},
    )
    _advance_screening(row=row, actor=actor)
    return interview


def interview_update(*, interview: Interview, data: dict[str, Any], actor: User | None) -> Interview:
    row, _changes = record_update(
        obj=interview, actor=actor, action="volunteers.interview.changed", data=data, watch=INTERVIEW_FIELDS
    )
    _advance_screening(row=row.volunteer, actor=actor)
    return row


def clearance_default_valid_until(
    *, issued_on: datetime.date | None, seen_on: datetime.date
) -> datetime.date:
    """How long a clearance counts when the coordinator does not say: CLEARANCE_VALIDITY_DAYS from the
    day it was issued (or seen, when the issue date is unknown)."""
    return (issued_on or seen_on) + datetime.timedelta(days=settings.CLEARANCE_VALIDITY_DAYS)


@transaction.atomic
def clearance_record(*, volunteer: Volunteer, data: dict[str, Any], actor: User | None) -> PoliceClearance:
    """Record that a clearance certificate was seen. Only dates and who saw it are kept, never the
    document. The volunteer's `clearance_valid_until` follows the latest valid-until date."""
    row = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    fields = dict(data)
    if not fields.get("valid_until"):
        fields["valid_until"] = clearance_default_valid_until(
            issued_on=fields.get("issued_on"), seen_on=fields["seen_on"]
        )
    clearance = record_create(
        obj=PoliceClearance(volunteer=row, **fields),
        actor=actor,
        action="volunteers.policeclearance.created",
        fields=("issued_on", "seen_on", "seen_by", "valid_until"),
    )
    before = row.clearance_valid_until
    latest = row.clearances.order_by("-valid_until").values_list("valid_until", flat=True).first()
    if latest != before:
        row.clearance_valid_until = latest
        row.save(update_fields=["clearance_valid_until", "updated_at"])
    audit_record(
        actor=actor,
        action="volunteers.volunteer.clearance_recorded",
        obj=row,
        changes={
            "clearance_valid_until": [
                before.isoformat() if before else None,
                latest.isoformat() if latest else None,
            ]
        },
    )
    _advance_screening(row=row, actor=actor)
    return clearance


@transaction.atomic
def volunteer_anonymise(
    *, volunteer: Volunteer, actor: User | None, merged_into: Volunteer | None = None
) -> Volunteer:
    """Remove a volunteer's personal data for good while keeping the row for the statistics (status,
    district, gender, organisation, dates): `core.services.personal_data_anonymise` blanks it, the
    timeline notes and interview texts, and scrubs their audit trail. A merged record points to the kept one."""
    Volunteer.objects.filter(pk=volunteer.pk).update(possible_duplicate_of=None, merged_into=merged_into)
    personal_data_anonymise(obj=volunteer, actor=actor, reason="merged" if merged_into is not None else "")
    volunteer.refresh_from_db()
    return volunteer


MERGE_FILL = ("email", "phone", "address", "birth_date", "district", "source", "pref_age_min", "pref_age_max")


@transaction.atomic
def volunteer_merge(*, keep: Volunteer, other: Volunteer, actor: User | None) -> Volunteer:
    """Merge two records of the same person. `keep` receives the other's interviews, clearances, timeline,
    languages, areas of help, consents and training registrations and fills its empty fields from it;
    `other` is anonymised and points at `keep`, so the audit entries of both stay findable. `other` must not
    be in an open tandem (its ended tandems stay with it, for the statistics)."""
    if keep.pk == other.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    rows = {v.pk: v for v in Volunteer.objects.select_for_update().filter(pk__in=[keep.pk, other.pk])}
    kept, gone = rows[keep.pk], rows[other.pk]
    if kept.anonymised_at or gone.anonymised_at:
        raise ValidationError(_("An anonymised record cannot be merged."))
    in_tandems = open_tandems(volunteer=gone)
    if in_tandems is not None and in_tandems.exists():
        # the record merged away is anonymised: an open tandem must not lose its volunteer's name
        raise ValidationError(
            _(
                "#%(other)s is in an open tandem. Merge the other way round (keep #%(other)s), or end the "
                "tandem first."
            )
            % {"other": gone.pk}
        )
    before = _state(kept)
    for name in MERGE_FILL:
        if getattr(kept, name) in ("", None) and getattr(gone, name) not in ("", None):
            setattr(kept, name, getattr(gone, name))
    if gone.notes:
        kept.notes = "\n\n".join(part for part in (kept.notes, gone.notes) if part)
    kept.interests = sorted(set(kept.interests) | set(gone.interests))
    for name in ("gender", "migration_background"):
        if getattr(kept, name) == "unspecified":
            setattr(kept, name, getattr(gone, name))
    for name, pick in (
        ("trained_on", min),
        ("clearance_valid_until", max),
        ("email_confirmed_at", min),
        ("signed_up_at", min),
    ):
        values = [v for v in (getattr(kept, name), getattr(gone, name)) if v is not None]
        setattr(kept, name, pick(values) if values else None)
    if kept.possible_duplicate_of_id == gone.pk:
        kept.possible_duplicate_of = None
    _set_keys(kept)
    kept.full_clean()
    kept.save()
    kept.help_areas.add(*gone.help_areas.all())
    _set_languages(
        kept,
        [(vl.language, vl.level) for vl in kept.languages.select_related("language")]
        + [(vl.language, vl.level) for vl in gone.languages.select_related("language")],
    )
    gone.languages.all().delete()
    moved = {
        "interviews": Interview.objects.filter(volunteer=gone).update(volunteer=kept),
        "clearances": PoliceClearance.objects.filter(volunteer=gone).update(volunteer=kept),
        "status_changes": StatusChange.objects.filter(volunteer=gone).update(volunteer=kept),
        "consents": volunteer_consents(volunteer=gone).update(object_id=kept.pk),
        # what the apps built on volunteers hold of the person (training registrations) follows it too
        **{name: step(gone=gone, kept=kept) for name, step in MERGE_STEPS.items()},
    }
    Volunteer.objects.filter(possible_duplicate_of=gone).exclude(pk=kept.pk).update(
        possible_duplicate_of=kept
    )
    changes = diff(before, _state(kept))
    changes["merged_from"] = [None, gone.pk]
    changes.update({f"moved_{name}": [0, count] for name, count in moved.items() if count})
    audit_record(actor=actor, action="volunteers.volunteer.merged", obj=kept, changes=changes)
    volunteer_anonymise(volunteer=gone, actor=actor, merged_into=kept)
    return kept


@transaction.atomic
def volunteer_unconfirmed_purge(*, actor: User | None = None, days: int = UNCONFIRMED_SIGNUP_DAYS) -> int:
    """Delete public sign-ups whose e-mail address was never confirmed within `days`: without the double
    opt-in there is no valid consent to keep the data. Each deletion is audited."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    stale = Volunteer.objects.filter(
        signed_up_at__lt=cutoff,
        email_confirmed_at__isnull=True,
        status=VolunteerStatus.REGISTERED,
        anonymised_at__isnull=True,
    ).select_for_update()
    count = 0
    for row in stale:
        audit_record(
            actor=actor,
            action="volunteers.volunteer.deleted",
            obj=row,
            changes={
                "reason": [None, "unconfirmed sign-up"],
                "signed_up_at": [row.signed_up_at.isoformat(), None],
            },
        )
        volunteer_consents(volunteer=row).delete()
        Volunteer.objects.filter(possible_duplicate_of=row).update(possible_duplicate_of=None)
        row.delete()
        count += 1
    return count


@transaction.atomic
def volunteer_import(
    *, organisation: Organisation, rows: list[dict[str, Any]], actor: User, source_name: str
) -> list[Volunteer]:
    """Import a partner's list: every row or none (one transaction). Each row is a dict with `data` and
    `languages`, already checked by the dry run; a row that fails here rolls back the whole import."""
    created = []
    for row in rows:
        volunteer = volunteer_create(
            organisation=organisation,
            data=row["data"],
            actor=actor,
            languages=row["languages"],
            consent_channel=ConsentChannel.IMPORT,
            consent_version=f"import {timezone.localdate():%Y-%m-%d}",
            note=f"imported from {source_name}"[:300],
        )
        created.append(volunteer)
    return created


BULK_TEMPLATE = "volunteers/email/bulk"
# messages queued per job step: a step takes well under a second, and the page answers before the first
BULK_CHUNK = 500
# the placeholders a bulk message may use, German and English, and the field each one reads
BULK_PLACEHOLDERS = {
    "vorname": "first_name",
    "first_name": "first_name",
    "nachname": "last_name",
    "last_name": "last_name",
}


def bulk_message_fill(*, subject: str, text: str, volunteer: Volunteer) -> tuple[str, str]:
    """The subject and text for one volunteer, placeholders filled in as plain text."""
    values = {name: getattr(volunteer, field) for name, field in BULK_PLACEHOLDERS.items()}
    return placeholders_fill(subject, values), placeholders_fill(text, values)


@transaction.atomic
def bulk_message_create(
    *,
    people: QuerySet[Volunteer],
    subject: str,
    text: str,
    filter_query: str,
    organisation: Organisation | None,
    actor: User,
) -> BulkMessage:
    """Write one message to the volunteers in `people` (the filtered list, already in the actor's scope)
    and defer the job that queues it. The recipients are fixed now: those `message_queue` would write to
    (an address, no withdrawn consent); the others are counted as left out. A list matching nobody, or
    nobody reachable, is refused with a ValidationError and nothing is stored."""
    reach = message_reach(people)
    if reach.total == 0:
        raise ValidationError(_("The filter matches no volunteers: nothing was sent."))
    recipient_ids = list(message_reachable(people).order_by("pk").values_list("pk", flat=True))
    if not recipient_ids:
        raise ValidationError(
            _("None of the volunteers in the list can receive an e-mail (no address or no consent).")
        )
    bulk = BulkMessage(
        subject=subject,
        text=text,
        filter_query=filter_query,
        created_by=actor,
        organisation=organisation,
        recipient_ids=recipient_ids,
        recipient_count=len(recipient_ids),
        matched=reach.total,
        no_address=reach.no_address,
        # what is left after the address: the consent count of the same moment as the recipients
        no_consent=max(reach.total - reach.no_address - len(recipient_ids), 0),
    )
    bulk.full_clean(exclude=["recipient_ids"])  # the ids were just read from the database
    bulk.save()
    audit_record(
        actor=actor,
        action="volunteers.bulkmessage.created",
        obj=bulk,
        changes={
            "subject": [None, subject],
            "filter": [None, filter_query],
            "recipients": [None, bulk.recipient_count],
            "left_out": [None, bulk.left_out],
        },
    )
    from volunteers.tasks import bulk_message_queue  # the task module imports this one

    defer_in_transaction(bulk_message_queue, {"bulk_id": bulk.pk, "start": 0})
    return bulk


def bulk_message_queue_step(*, bulk_id: int, start: int) -> str:
    """Queue the outbox messages of one chunk of a bulk message and defer the next chunk (the job's work).

    Steps run one after the other (the row is locked) and each only once: a step whose start is not where
    the last one ended does nothing, so a job run twice queues nobody twice. A recipient who has since
    withdrawn consent, lost the address or been erased is left out and counted."""
    with transaction.atomic():
        bulk = BulkMessage.objects.select_for_update().filter(pk=bulk_id).first()
        if bulk is None:
            return "skipped: gone"
        if bulk.state != BulkMessageState.QUEUEING or start != bulk.queued_up_to:
            return "skipped: already queued"
        ids = bulk.recipient_ids[start : start + BULK_CHUNK]
        people = Volunteer.objects.filter(pk__in=ids, anonymised_at__isnull=True)
        if bulk.organisation_id is not None:
            people = people.filter(organisation_id=bulk.organisation_id)  # the writer's scope, again

        def content(volunteer: Volunteer) -> tuple[str, str, dict[str, Any]]:
            subject, text = bulk_message_fill(subject=bulk.subject, text=bulk.text, volunteer=volunteer)
            return subject, text, {"subject": subject, "text": text}

        messages = messages_queue_many(
            template=BULK_TEMPLATE, people=people, content=content, related=bulk, actor=bulk.created_by
        )
        bulk.dropped += len(ids) - len(messages)
        bulk.queued_up_to = start + len(ids)
        if bulk.queued_up_to >= bulk.recipient_count:
            bulk.state, bulk.queued_at = BulkMessageState.QUEUED, timezone.now()
            audit_record(
                actor=None,
                action="volunteers.bulkmessage.queued",
                obj=bulk,
                changes={"state": [BulkMessageState.QUEUEING, BulkMessageState.QUEUED]},
            )
        else:
            from volunteers.tasks import bulk_message_queue

            defer_in_transaction(bulk_message_queue, {"bulk_id": bulk.pk, "start": bulk.queued_up_to})
        bulk.save(update_fields=["dropped", "queued_up_to", "state", "queued_at"])
    return f"{len(messages)} queued, {len(ids) - len(messages)} left out"


CLEARANCE_NOTICE_TEMPLATE = "volunteers/email/clearance_expiry"


def clearance_notices_send(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Tell each volunteer still in the programme, `CLEARANCE_WARNING_DAYS` (60) days ahead, the date on
    which their police clearance expires: once per clearance (`clearance_notice_for` keeps the date told;
    a new clearance brings a new date). Rows are taken with SKIP LOCKED, so two runs never tell one person
    twice. Returns (queued, not reached). Does nothing when an admin switched the notice off."""
    if not notification_active(CLEARANCE_EXPIRY):
        return 0, 0
    today = today or timezone.localdate()
    queued = not_reached = 0
    with transaction.atomic():
        rows = (
            Volunteer.objects.select_for_update(skip_locked=True)
            .filter(
                anonymised_at__isnull=True,
                clearance_valid_until__gte=today,
                clearance_valid_until__lte=today + datetime.timedelta(days=CLEARANCE_WARNING_DAYS),
            )
            .exclude(status=VolunteerStatus.LEFT)
            .exclude(clearance_notice_for=F("clearance_valid_until"))
            .order_by("pk")
        )
        for volunteer in rows:
            result = message_queue(
                template=CLEARANCE_NOTICE_TEMPLATE,
                to=volunteer,
                related=volunteer,
                language=settings.LANGUAGE_CODE,
                context={
                    "first_name": volunteer.first_name,
                    "valid_until": f"{volunteer.clearance_valid_until:%d.%m.%Y}",
                },
            )
            queued, not_reached = (queued + 1, not_reached) if result.is_queued else (queued, not_reached + 1)
            volunteer.clearance_notice_for = volunteer.clearance_valid_until
            volunteer.save(update_fields=["clearance_notice_for", "updated_at"])
    return queued, not_reached
