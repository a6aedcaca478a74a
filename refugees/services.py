"""Every write to referrals, households, consent and notes: in a transaction, validated, audited."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record, diff, snapshot
from core.models import Consent, Language, LegalText, Organisation, User
from core.permissions import memberships
from core.services import (
    consent_record,
    consent_withdraw,
    personal_data_anonymise,
    record_create,
    record_update,
)
from refugees.models import (
    CONSENT_PURPOSE,
    INTAKE_STATUSES,
    HouseholdMember,
    MemberRole,
    ReferralNote,
    Refugee,
    RefugeeStatus,
)

MEMBER_FIELDS = ("role", "first_name", "birth_year", "gender")
HOUSEHOLD_FIELDS = ("adults_count", "children_count", "youngest_birth_year")


def refugee_status_change(
    *, refugee: Refugee, status: str, actor: User | None, close_reason: str = ""
) -> Refugee:
    """Move a referral along referred -> intake done -> waiting -> in a tandem -> closed, audited.

    Back to waiting (a tandem ended and the person still needs one) restarts the waiting time."""

    def values(row: Refugee) -> dict[str, Any]:
        if row.status == status:
            return {}
        values: dict[str, Any] = {"status": status, "status_changed_at": timezone.now()}
        if status == RefugeeStatus.WAITING:
            values["waiting_since"] = timezone.localdate()
        if status == RefugeeStatus.CLOSED:
            values |= {"closed_at": timezone.now(), "close_reason": close_reason}
        return values

    row, _changes = record_update(
        obj=refugee, actor=actor, action="refugees.refugee.status_changed", data=values, watch=["status"]
    )
    return row


def refugee_coordinator_set(*, refugee: Refugee, coordinator: User | None, actor: User | None) -> Refugee:
    """Make `coordinator` the person responsible for the referral: the contact its referrer is shown."""
    row, _changes = record_update(
        obj=refugee, actor=actor, action="refugees.refugee.changed", data={"coordinator": coordinator}
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
        record_create(
            obj=HouseholdMember(
                refugee=row, **{k: member[k] for k in MEMBER_FIELDS if member.get(k) not in (None, "")}
            ),
            actor=actor,
            action="refugees.householdmember.created",
            fields=MEMBER_FIELDS,
        )
    _household_sync(row)
    row.save(update_fields=[*HOUSEHOLD_FIELDS, "updated_at"])
    audit_record(actor=actor, action="refugees.refugee.created", obj=row, changes=diff({}, snapshot(row)))
    if consent is not None:
        refugee_consent_record(refugee=row, actor=actor, **consent)
    return row


def refugee_update(*, refugee: Refugee, actor: User, data: dict[str, Any]) -> Refugee:
    """Change the referral's fields named in `data` (the form decides which ones a user may touch). A new
    birth year of the main person moves the household figures with it, in the same entry."""
    household = "birth_year" in data
    row, _changes = record_update(
        obj=refugee,
        actor=actor,
        action="refugees.refugee.changed",
        data=data,
        watch=[*data, *HOUSEHOLD_FIELDS] if household else data,
        prepare=_household_sync if household else None,
    )
    return row


def _household_changed(*, refugee: Refugee, actor: User | None) -> None:
    record_update(
        obj=refugee,
        actor=actor,
        action="refugees.refugee.changed",
        data={},
        watch=HOUSEHOLD_FIELDS,
        prepare=_household_sync,
    )


@transaction.atomic
def household_member_add(*, refugee: Refugee, actor: User | None, data: dict[str, Any]) -> HouseholdMember:
    row = record_create(
        obj=HouseholdMember(refugee=refugee, **{k: v for k, v in data.items() if k in MEMBER_FIELDS}),
        actor=actor,
        action="refugees.householdmember.created",
        fields=MEMBER_FIELDS,
    )
    _household_changed(refugee=refugee, actor=actor)
    return row


@transaction.atomic
def household_member_update(
    *, member: HouseholdMember, actor: User | None, data: dict[str, Any]
) -> HouseholdMember:
    row, changes = record_update(
        obj=member,
        actor=actor,
        action="refugees.householdmember.changed",
        data={k: v for k, v in data.items() if k in MEMBER_FIELDS},
    )
    if changes:
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


def refugee_consent_record(
    *,
    refugee: Refugee,
    actor: User | None,
    given_on: datetime.date,
    channel: str,
    text_version: str,
    interpreter_language: Language | None = None,
    legal_text: LegalText | None = None,
) -> Consent:
    """Consent to the programme is a dated row (core.Consent), never a flag: a withdrawal stays visible.
    Recorded by core.services.consent_record, as every consent is; with `legal_text` (the referral consent
    read to or given to the household, in its language) its language and version are stored."""
    return consent_record(
        subject=refugee,
        actor=actor,
        purpose=CONSENT_PURPOSE,
        text_version=text_version,
        channel=channel,
        given_at=timezone.make_aware(datetime.datetime.combine(given_on, datetime.time(12, 0))),
        interpreter_language=interpreter_language,
        legal_text=legal_text,
    )


def refugee_consent_withdraw(*, consent: Consent, refugee: Refugee, actor: User | None) -> Consent:
    """Withdraw one of the referral's consents (the view found it among `refugee`'s) through
    core.services.consent_withdraw."""
    return consent_withdraw(consent=consent, actor=actor)


@transaction.atomic
def refugee_intake_record(*, refugee: Refugee, actor: User, data: dict[str, Any]) -> Refugee:
    """The intake interview (Erstgespräch): its findings are stored, and a new referral moves to
    intake done and on to the waiting list, waiting since the day of the interview."""
    if refugee.status not in INTAKE_STATUSES:
        raise ValidationError(_("An intake can only be recorded before the person is in a tandem."))
    row = refugee_update(refugee=refugee, actor=actor, data=data)
    if row.status != RefugeeStatus.WAITING:
        row = refugee_status_change(refugee=row, status=RefugeeStatus.INTAKE_DONE, actor=actor)
        row = refugee_status_change(refugee=row, status=RefugeeStatus.WAITING, actor=actor)
        row, _changes = record_update(
            obj=row, actor=actor, action="refugees.refugee.changed", data={"waiting_since": row.intake_on}
        )
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


def referral_note_update(*, note: ReferralNote, actor: User, text: str) -> ReferralNote:
    row, _changes = record_update(
        obj=note, actor=actor, action="refugees.referralnote.changed", data={"text": text}
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
