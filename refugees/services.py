"""Every write to referrals, households, consent and notes: in a transaction, validated, audited."""

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record, diff, snapshot
from core.models import Consent, Language, Organisation, User
from core.permissions import memberships
from core.services import personal_data_anonymise
from refugees.models import (
    CONSENT_PURPOSE,
    HouseholdMember,
    MemberRole,
    ReferralNote,
    Refugee,
    RefugeeStatus,
)

MEMBER_FIELDS = ("role", "first_name", "birth_year", "gender")
HOUSEHOLD_FIELDS = ("adults_count", "children_count", "youngest_birth_year")


@transaction.atomic
def refugee_status_change(
    *, refugee: Refugee, status: str, actor: User | None, close_reason: str = ""
) -> Refugee:
    """Move a referral along referred -> intake done -> waiting -> in a tandem -> closed, audited.

    Back to waiting (a tandem ended and the person still needs one) restarts the waiting time."""
    row = Refugee.objects.select_for_update().get(pk=refugee.pk)
    if row.status == status:
        return row
    before = row.status
    row.status = status
    row.status_changed_at = timezone.now()
    if status == RefugeeStatus.WAITING:
        row.waiting_since = timezone.localdate()
    if status == RefugeeStatus.CLOSED:
        row.closed_at = timezone.now()
        row.close_reason = close_reason
    row.full_clean()
    row.save()
    audit_record(
        actor=actor, action="refugees.refugee.status_changed", obj=row, changes={"status": [before, status]}
    )
    return row


@transaction.atomic
def refugee_coordinator_set(*, refugee: Refugee, coordinator: User | None, actor: User | None) -> Refugee:
    """Make `coordinator` the person responsible for the referral: the contact its referrer is shown."""
    row = Refugee.objects.select_for_update().get(pk=refugee.pk)
    if row.coordinator_id == (coordinator.pk if coordinator is not None else None):
        return row
    before = snapshot(row, ["coordinator"])
    row.coordinator = coordinator
    row.save(update_fields=["coordinator", "updated_at"])
    audit_record(
        actor=actor,
        action="refugees.refugee.changed",
        obj=row,
        changes=diff(before, snapshot(row, ["coordinator"])),
    )
    return row


def _split_m2m(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    m2m_names = {f.name for f in Refugee._meta.many_to_many}
    plain = {k: v for k, v in data.items() if k not in m2m_names}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    return plain, m2m


def _household_sync(row: Refugee) -> dict[str, list[Any]]:
    """Recompute the household figures kept on the referral (for filters and matching) from its members.

    The main person counts as an adult; the youngest birth year includes the main person's own."""
    before = snapshot(row, HOUSEHOLD_FIELDS)
    members = list(row.members.values_list("role", "birth_year"))
    row.adults_count = 1 + sum(1 for role, _year in members if role == MemberRole.ADULT)
    row.children_count = sum(1 for role, _year in members if role == MemberRole.CHILD)
    years = [year for _role, year in members if year] + ([row.birth_year] if row.birth_year else [])
    row.youngest_birth_year = max(years) if years else None
    return diff(before, snapshot(row, HOUSEHOLD_FIELDS))


@transaction.atomic
def refugee_create(
    *,
    actor: User,
    organisation: Organisation,
    data: dict[str, Any],
    members: list[dict[str, Any]] | None = None,
    consent: dict[str, Any] | None = None,
) -> Refugee:
    """Record a referral: the main person, the household and the consent, all or nothing.

    Who referred and from which organisation is taken from the acting user, never from the form."""
    plain, m2m = _split_m2m(data)
    found = memberships(actor)
    row = Refugee(
        organisation=organisation,
        referred_by=actor,
        referring_organisation=found[0].organisation if found else None,
        referred_at=timezone.now(),
        status=RefugeeStatus.REFERRED,
        **plain,
    )
    row.full_clean()
    row.save()
    for name, values in m2m.items():
        getattr(row, name).set(values)
    for member in members or []:
        member_row = HouseholdMember(
            refugee=row, **{k: member[k] for k in MEMBER_FIELDS if member.get(k) not in (None, "")}
        )
        member_row.full_clean()
        member_row.save()
        audit_record(
            actor=actor,
            action="refugees.householdmember.created",
            obj=member_row,
            changes=diff({}, snapshot(member_row, MEMBER_FIELDS)),
        )
    _household_sync(row)
    row.save(update_fields=[*HOUSEHOLD_FIELDS, "updated_at"])
    audit_record(actor=actor, action="refugees.refugee.created", obj=row, changes=diff({}, snapshot(row)))
    if consent is not None:
        refugee_consent_record(refugee=row, actor=actor, **consent)
    return row


@transaction.atomic
def refugee_update(*, refugee: Refugee, actor: User, data: dict[str, Any]) -> Refugee:
    """Change the referral's fields named in `data` (the form decides which ones a user may touch)."""
    row = Refugee.objects.select_for_update().get(pk=refugee.pk)
    before = snapshot(row, data)
    plain, m2m = _split_m2m(data)
    for name, value in plain.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    for name, values in m2m.items():
        getattr(row, name).set(values)
    changes = diff(before, snapshot(row, data))
    if "birth_year" in plain:
        changes |= _household_sync(row)
        row.save(update_fields=[*HOUSEHOLD_FIELDS, "updated_at"])
    if changes:
        audit_record(actor=actor, action="refugees.refugee.changed", obj=row, changes=changes)
    return row


def _household_changed(*, refugee: Refugee, actor: User | None) -> None:
    row = Refugee.objects.select_for_update().get(pk=refugee.pk)
    changes = _household_sync(row)
    if changes:
        row.save(update_fields=[*HOUSEHOLD_FIELDS, "updated_at"])
        audit_record(actor=actor, action="refugees.refugee.changed", obj=row, changes=changes)


@transaction.atomic
def household_member_add(*, refugee: Refugee, actor: User | None, data: dict[str, Any]) -> HouseholdMember:
    row = HouseholdMember(refugee=refugee, **{k: v for k, v in data.items() if k in MEMBER_FIELDS})
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action="refugees.householdmember.created",
        obj=row,
        changes=diff({}, snapshot(row, MEMBER_FIELDS)),
    )
    _household_changed(refugee=refugee, actor=actor)
    return row


@transaction.atomic
def household_member_update(
    *, member: HouseholdMember, actor: User | None, data: dict[str, Any]
) -> HouseholdMember:
    row = HouseholdMember.objects.select_for_update().get(pk=member.pk)
    fields = [k for k in data if k in MEMBER_FIELDS]
    before = snapshot(row, fields)
    for name in fields:
        setattr(row, name, data[name])
    row.full_clean()
    changes = diff(before, snapshot(row, fields))
    if changes:
        row.save()
        audit_record(actor=actor, action="refugees.householdmember.changed", obj=row, changes=changes)
        _household_changed(refugee=row.refugee, actor=actor)
    return row


def _member_delete(*, member: HouseholdMember, actor: User | None) -> None:
    audit_record(
        actor=actor,
        action="refugees.householdmember.deleted",
        obj=member,
        changes=diff(snapshot(member, MEMBER_FIELDS), dict.fromkeys(MEMBER_FIELDS)),
    )
    member.delete()


@transaction.atomic
def household_member_remove(*, member: HouseholdMember, actor: User | None) -> None:
    refugee = member.refugee
    _member_delete(member=member, actor=actor)
    _household_changed(refugee=refugee, actor=actor)


@transaction.atomic
def refugee_consent_record(
    *,
    refugee: Refugee,
    actor: User | None,
    given_on: datetime.date,
    channel: str,
    text_version: str,
    interpreter_language: Language | None = None,
) -> Consent:
    """Consent to the programme is a dated row (core.Consent), never a flag: a withdrawal stays visible."""
    given_at = timezone.make_aware(datetime.datetime.combine(given_on, datetime.time(12, 0)))
    consent = Consent(
        content_type=ContentType.objects.get_for_model(Refugee),
        object_id=refugee.pk,
        purpose=CONSENT_PURPOSE,
        text_version=text_version,
        channel=channel,
        given_at=given_at,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
        interpreter_language=interpreter_language,
    )
    consent.full_clean()
    consent.save()
    audit_record(
        actor=actor,
        action="refugees.refugee.consent_recorded",
        obj=refugee,
        changes={
            "consent": [
                None,
                f"{CONSENT_PURPOSE} {text_version} {given_on.isoformat()} {channel}"
                + (f" ({interpreter_language})" if interpreter_language else ""),
            ]
        },
    )
    return consent


@transaction.atomic
def refugee_consent_withdraw(*, consent: Consent, refugee: Refugee, actor: User | None) -> Consent:
    row = Consent.objects.select_for_update().get(pk=consent.pk)
    if row.withdrawn_at is None:
        row.withdrawn_at = max(timezone.now(), row.given_at)
        row.save(update_fields=["withdrawn_at"])
        audit_record(
            actor=actor,
            action="refugees.refugee.consent_withdrawn",
            obj=refugee,
            changes={"consent": [f"{row.purpose} {row.text_version}", None]},
        )
    return row


@transaction.atomic
def refugee_intake_record(*, refugee: Refugee, actor: User, data: dict[str, Any]) -> Refugee:
    """The intake interview (Erstgespräch): its findings are stored, and a new referral moves to
    intake done and on to the waiting list, waiting since the day of the interview."""
    if refugee.status not in {RefugeeStatus.REFERRED, RefugeeStatus.INTAKE_DONE, RefugeeStatus.WAITING}:
        raise ValidationError(_("An intake can only be recorded before the person is in a tandem."))
    row = refugee_update(refugee=refugee, actor=actor, data=data)
    if row.status != RefugeeStatus.WAITING:
        row = refugee_status_change(refugee=row, status=RefugeeStatus.INTAKE_DONE, actor=actor)
        row = refugee_status_change(refugee=row, status=RefugeeStatus.WAITING, actor=actor)
        before = snapshot(row, ["waiting_since"])
        row.waiting_since = row.intake_on
        row.save(update_fields=["waiting_since", "updated_at"])
        changes = diff(before, snapshot(row, ["waiting_since"]))
        if changes:
            audit_record(actor=actor, action="refugees.refugee.changed", obj=row, changes=changes)
    return row


@transaction.atomic
def refugee_close(*, refugee: Refugee, actor: User, reason: str, note: str = "") -> Refugee:
    """Close a referral with a reason; the row stays for the statistics."""
    if refugee.status == RefugeeStatus.CLOSED:
        raise ValidationError(_("This referral is already closed."))
    row = refugee_status_change(
        refugee=refugee, status=RefugeeStatus.CLOSED, actor=actor, close_reason=reason
    )
    if note:
        row = refugee_update(refugee=row, actor=actor, data={"close_note": note})
    return row


@transaction.atomic
def refugee_anonymise(*, refugee: Refugee, actor: User | None) -> Refugee:
    """Erase the personal data of a closed referral through `core.services.personal_data_anonymise`: the
    row and its household figures stay for the statistics, household members and notes are blanked with
    it and the audit trail's old values are scrubbed."""
    if refugee.status != RefugeeStatus.CLOSED:
        raise ValidationError(_("Only closed referrals can be anonymised."))
    personal_data_anonymise(obj=refugee, actor=actor)
    refugee.refresh_from_db()
    return refugee


@transaction.atomic
def referral_note_create(*, refugee: Refugee, actor: User, text: str) -> ReferralNote:
    row = ReferralNote(refugee=refugee, author=actor, text=text)
    row.full_clean()
    row.save()
    audit_record(actor=actor, action="refugees.referralnote.created", obj=row, changes={"text": [None, text]})
    return row


@transaction.atomic
def referral_note_update(*, note: ReferralNote, actor: User, text: str) -> ReferralNote:
    row = ReferralNote.objects.select_for_update().get(pk=note.pk)
    before = row.text
    row.text = text
    row.full_clean()
    if before != text:
        row.save(update_fields=["text"])
        audit_record(
            actor=actor, action="refugees.referralnote.changed", obj=row, changes={"text": [before, text]}
        )
    return row


@transaction.atomic
def referral_note_delete(*, note: ReferralNote, actor: User | None) -> None:
    audit_record(
        actor=actor, action="refugees.referralnote.deleted", obj=note, changes={"text": [note.text, None]}
    )
    note.delete()


@transaction.atomic
def household_apply(
    *,
    refugee: Refugee,
    actor: User | None,
    rows: list[tuple[HouseholdMember | None, dict[str, Any], bool]],
) -> None:
    """Apply an edited household table at once: (existing member or None, data, delete?) per row."""
    for member, data, delete in rows:
        if member is not None and member.pk and member.refugee_id != refugee.pk:
            raise ValidationError(_("This household member belongs to another referral."))
        if delete:
            if member is not None and member.pk:
                household_member_remove(member=member, actor=actor)
        elif member is not None and member.pk:
            household_member_update(member=member, actor=actor, data=data)
        else:
            household_member_add(refugee=refugee, actor=actor, data=data)
