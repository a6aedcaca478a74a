"""Writes shared by every app: the update recipe (`record_update`), consent (`consent_record`,
`consent_withdraw`), anonymisation (the only code that removes personal data), the log of reads of
restricted fields, and the retention job."""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from core.audit import REDACTED, audit_record, diff, snapshot
from core.models import (
    CHANNEL_CONSENT_PREFIX,
    AuditEntry,
    Consent,
    ErasureRecord,
    Language,
    LegalText,
    User,
)
from core.outbox import messages_to
from core.privacy import (
    REGISTRY,
    Entry,
    blank_value,
    blockers_for,
    entry_for,
    expired_records,
    rules_in_force,
)

ANONYMISED = "core.person.anonymised"
CONSENT_RECORDED = "core.consent.recorded"
CONSENT_WITHDRAWN = "core.consent.withdrawn"

M = TypeVar("M", bound=models.Model)
Changes = dict[str, list[Any]]


def _stored_values(row: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if not f.primary_key}


@transaction.atomic
def record_update(
    *,
    obj: M,
    actor: User | None,
    action: str,
    data: Mapping[str, Any] | Callable[[M], Mapping[str, Any]],
    watch: Iterable[str] | None = None,
    state: Callable[[M], dict[str, Any]] | None = None,
    prepare: Callable[[M], None] | None = None,
    check: Callable[[M], None] | None = None,
    save: Callable[[M, list[str]], None] | None = None,
    after_save: Callable[[M], None] | None = None,
    lock: models.QuerySet | None = None,
) -> tuple[M, Changes]:
    """The update recipe of every `<noun>_update` / `<noun>_change` service, in one place.

    Lock the row (`lock`, a queryset, say with select_related, defaults to the model's manager), take the
    values of `data` (or of `data(row)`, asked of the locked row: an empty answer changes nothing), snapshot
    the watched fields (`watch`, default the keys of `data`; `state(row)` replaces the snapshot), set the
    values, `prepare(row)` (derived fields, checks before validation), `full_clean`, `check(row)` (checks of
    the valid row), save only the columns that changed (`save(row, update_fields)` replaces `row.save`),
    set the many-to-many values, `after_save(row)`, diff and write one audit entry with `action` when
    anything watched changed. Returns the row and the diff ({} when nothing changed: then nothing is
    written)."""
    row = (lock if lock is not None else type(obj)._default_manager).select_for_update().get(pk=obj.pk)
    values = dict(data(row) if callable(data) else data)
    if callable(data) and not values:
        return row, {}
    m2m_names = {f.name for f in row._meta.many_to_many}
    watched = list(watch) if watch is not None else list(values)

    def current() -> dict[str, Any]:
        return state(row) if state is not None else snapshot(row, watched)

    before, stored = current(), _stored_values(row)
    for name, value in values.items():
        if name not in m2m_names:
            setattr(row, name, value)
    if prepare is not None:
        prepare(row)
    row.full_clean()
    if check is not None:
        check(row)
    update_fields = [name for name, value in _stored_values(row).items() if stored[name] != value]
    if update_fields:
        if (
            any(f.name == "updated_at" for f in row._meta.concrete_fields)
            and "updated_at" not in update_fields
        ):
            update_fields.append("updated_at")
        (save or _plain_save)(row, update_fields)
    for name in m2m_names & set(values):
        getattr(row, name).set(values[name])
    if after_save is not None:
        after_save(row)
    changes = diff(before, current())
    # a watched column written is audited even when its words read the same (two colleagues of one name)
    columns = {
        getattr(row._meta.get_field(name), "attname", None) for name in watched if name not in m2m_names
    }
    if changes or columns & set(update_fields):
        audit_record(actor=actor, action=action, obj=row, changes=changes)
    return row, changes


def _plain_save(row: models.Model, update_fields: list[str]) -> None:
    row.save(update_fields=update_fields)


def record_create(
    *,
    obj: M,
    actor: User | None,
    action: str,
    fields: Iterable[str] | None = None,
    save: Callable[[M], None] | None = None,
) -> M:
    """The creating half of the recipe: `full_clean` the new row, save it (`save(row)` replaces
    `row.save()`) and audit its values (`fields`, default every field) as changed from nothing. Call it
    inside the service's transaction."""
    obj.full_clean()
    if save is not None:
        save(obj)
    else:
        obj.save()
    audit_record(actor=actor, action=action, obj=obj, changes=diff({}, snapshot(obj, fields)))
    return obj


def _has_anonymised_at(model: type[models.Model]) -> bool:
    return any(f.name == "anonymised_at" for f in model._meta.concrete_fields)


def audit_scrub(*, obj: models.Model, personal: Iterable[str]) -> int:
    """Blank the personal values in the audit entries of `obj`; the entries themselves stay.

    Only values of the model's own non-personal fields are kept: any other key (a personal field, or a
    pseudo-field such as "consent" that a service logged) loses its values."""
    personal = set(personal)
    keep = {f.name for f in obj._meta.concrete_fields if f.name not in personal}
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=str(obj.pk)
    )
    replacement = f"{obj._meta.model_name} #{obj.pk}"
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        # The audit trigger (core/migrations/0008) lets these three columns change only while the flag is
        # on. It is local to the transaction and switched off again at once; should the scrub fail, the
        # rollback of this block undoes the flag too.
        cursor.execute("SELECT set_config('tenk.audit_scrub', 'on', true)")
        for entry in entries:
            entry.changes = {
                name: (values if name in keep else [REDACTED, REDACTED])
                for name, values in entry.changes.items()
            }
            entry.object_repr = replacement
            entry.is_scrubbed = True
            entry.save(update_fields=["changes", "object_repr", "is_scrubbed"])
            count += 1
        cursor.execute("SELECT set_config('tenk.audit_scrub', 'off', true)")
    return count


def _children(obj: models.Model, entry: Entry) -> list[models.Model]:
    found: list[models.Model] = []
    for accessor in entry.cascade:
        manager = getattr(obj, accessor, None)
        if manager is not None:
            found.extend(manager.all())
    if entry.is_subject:  # the e-mails to the person hold their address and what was written to them
        found.extend(messages_to(obj))
    return found


def _is_blank(obj: models.Model, entry: Entry) -> bool:
    for name, spec in entry.fields.items():
        model_field = obj._meta.get_field(name)
        if model_field.many_to_many:
            if getattr(obj, name).exists():
                return False
        elif spec.replace is None and getattr(obj, model_field.attname) != blank_value(model_field):
            return False
    return True


def _anonymise_one(*, obj: models.Model, actor: User | None, reason: str, top: bool) -> int:
    """Anonymise one row and, first, the rows it cascades to. Returns the number of rows changed."""
    entry = entry_for(obj)
    if entry is None or not entry.is_anonymisable:
        raise ValueError(f"{obj._meta.label} has no anonymisable entry in core.privacy.REGISTRY")
    model = type(obj)
    row = model._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)
    if _has_anonymised_at(model) and row.anonymised_at is not None:
        return 0
    changed = sum(
        _anonymise_one(obj=child, actor=actor, reason=reason, top=False) for child in _children(row, entry)
    )
    if not top and not _has_anonymised_at(model) and _is_blank(row, entry):
        return changed
    update_fields = []
    for name, spec in entry.fields.items():
        model_field = model._meta.get_field(name)
        if model_field.many_to_many:
            getattr(row, name).clear()
            continue
        value = spec.replace(row) if spec.replace is not None else blank_value(model_field)
        setattr(row, model_field.attname, value)
        update_fields.append(model_field.attname)
    if _has_anonymised_at(model):
        row.anonymised_at = timezone.now()
        update_fields.append("anonymised_at")
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        update_fields.append("updated_at")
    row.save(update_fields=update_fields)
    audit_scrub(obj=row, personal=entry.fields)
    audit_record(
        actor=actor,
        action=ANONYMISED,
        obj=row,
        changes={
            **{name: [REDACTED, None] for name in entry.fields},
            **({"reason": [None, reason]} if reason else {}),
        },
    )
    return changed + 1


def erasure_reason_code(reason: str) -> str:
    """What an erasure record keeps of a reason: a retention rule's code or "merged" as they are; the free
    text of an erasure request (which may name the person) only as "request"."""
    codes = {retention.code for entry in REGISTRY.values() for retention in entry.retention} | {"merged"}
    if reason in codes:
        return reason
    return "request" if reason else "staff"


@transaction.atomic
def personal_data_anonymise(
    *, obj: models.Model, actor: User | None, reason: str = "", replay: ErasureRecord | None = None
) -> int:
    """Remove the personal data of `obj` and of the rows the registry cascades to, for good.

    The rows stay (reports count them: status, dates, organisation, district, gender); every personal
    field is blanked, `anonymised_at` is set where the model has it, the old values in the audit trail
    are scrubbed and one `core.person.anonymised` entry per row is written. An `ErasureRecord` (model,
    id, time, reason code) remembers the erasure, so that it can be made again after restoring an older
    backup. Refused (ValidationError) while a blocker of the registry applies, for example an open
    tandem, except when `replay` (the record of an erasure already made on the live system) is given: that
    erasure happened and must not come undone. Returns the rows changed."""
    reasons = blockers_for(obj)
    if reasons and replay is None:
        raise ValidationError(reasons)
    changed = _anonymise_one(obj=obj, actor=actor, reason=reason, top=True)
    ErasureRecord.objects.get_or_create(
        model_label=obj._meta.label,
        object_id=str(obj.pk),
        defaults={
            "erased_at": replay.erased_at if replay else timezone.now(),
            "reason_code": replay.reason_code if replay else erasure_reason_code(reason),
            "record_created_at": record_created_at(obj),
        },
    )
    obj.refresh_from_db()
    return changed


def record_created_at(obj: models.Model) -> Any:
    """When the row was created (`created_at`, for staff accounts `date_joined`), or None."""
    return getattr(obj, "created_at", None) or getattr(obj, "date_joined", None)


def is_anonymised(obj: models.Model) -> bool:
    """Whether `obj` holds no personal data any more (`anonymised_at`, else every personal field blank)."""
    if _has_anonymised_at(type(obj)):
        return obj.anonymised_at is not None
    return _is_blank(obj, entry_for(obj))


@dataclass(frozen=True)
class ReplayFinding:
    record: ErasureRecord
    state: str  # "erased", "would erase", "already", "missing" (not here), "other record" (id reused)
    note: str = ""

    def line(self) -> str:
        text = f"{self.state} {self.record.model_label} {self.record.object_id} ({self.record.reason_code})"
        return f"{text}: {self.note}" if self.note else text


def erasure_replay(*, records: Iterable[ErasureRecord], dry_run: bool = False) -> list[ReplayFinding]:
    """Make the recorded erasures again in this database (after a backup was restored).

    Every record still holding personal data is anonymised through `personal_data_anonymise`, blockers
    notwithstanding (the erasure was made and must stay made: an open tandem is reported for staff to
    end), and its erasure record is stored here. Records already anonymised are left alone, so running
    it twice changes nothing the second time."""
    findings = []
    for record in records:
        try:
            model = apps.get_model(record.model_label)
        except (LookupError, ValueError):
            findings.append(ReplayFinding(record, "missing", "no such record type"))
            continue
        obj = model._default_manager.filter(pk=record.object_id).first()
        if obj is None:
            findings.append(ReplayFinding(record, "missing"))
            continue
        created = record_created_at(obj)
        if (
            record.record_created_at is not None
            and created is not None
            and created != record.record_created_at
        ):
            findings.append(
                ReplayFinding(
                    record, "other record", f"this id belongs to a record created {created:%Y-%m-%d %H:%M}"
                )
            )
            continue
        if not dry_run:
            ErasureRecord.objects.get_or_create(
                model_label=record.model_label,
                object_id=record.object_id,
                defaults={
                    "erased_at": record.erased_at,
                    "reason_code": record.reason_code,
                    "record_created_at": record.record_created_at,
                },
            )
        if is_anonymised(obj):
            findings.append(ReplayFinding(record, "already"))
            continue
        note = "; ".join(blockers_for(obj))
        if not dry_run:
            personal_data_anonymise(obj=obj, actor=None, reason=record.reason_code, replay=record)
        findings.append(ReplayFinding(record, "would erase" if dry_run else "erased", note))
    return findings


def consent_subject(consent: Consent) -> models.Model | None:
    model = consent.content_type.model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=consent.object_id).first()


@transaction.atomic
def consent_record(
    *,
    subject: models.Model,
    actor: User | None,
    purpose: str,
    text_version: str,
    channel: str,
    given_at: datetime.datetime | None = None,
    interpreter_language: Language | None = None,
    legal_text: LegalText | None = None,
) -> Consent:
    """Record a consent the person gave (a dated row, never a flag) and audit it on the person with one
    code, `core.consent.recorded`, whoever's record it is. `given_at` defaults to now. With `legal_text`
    (the text shown, in the language it was read in) its version and language are stored with the consent."""
    if legal_text is not None:
        text_version = legal_text.version
    consent = Consent(
        language=legal_text.language if legal_text is not None else "",
        legal_text=legal_text,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        purpose=purpose,
        text_version=text_version,
        channel=channel,
        given_at=given_at or timezone.now(),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
        interpreter_language=interpreter_language,
    )
    consent.full_clean()
    consent.save()
    words = f"{purpose} {text_version} {timezone.localtime(consent.given_at):%Y-%m-%d} {channel}"
    audit_record(
        actor=actor,
        action=CONSENT_RECORDED,
        obj=subject,
        changes={"consent": [None, words + (f" ({interpreter_language})" if interpreter_language else "")]},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, actor: User | None) -> Consent:
    """Date the withdrawal of a consent (never earlier than it was given) and audit it on the person with
    one code, `core.consent.withdrawn`; withdrawing twice changes nothing.

    What follows is in docs/privacy.md: the consent no longer covers any processing from this moment,
    and once every consent of a person is withdrawn the retention rule `<app>-consent-withdrawn` erases
    the record (one month later by default)."""
    row = Consent.objects.select_for_update().get(pk=consent.pk)
    if row.withdrawn_at is not None:
        return row
    row.withdrawn_at = max(timezone.now(), row.given_at)
    row.save(update_fields=["withdrawn_at"])
    subject = consent_subject(row)
    audit_record(
        actor=actor,
        action=CONSENT_WITHDRAWN,
        obj=subject if subject is not None else row,
        changes={"consent": [f"{row.purpose} {row.text_version}", None]},
    )
    return row


# the text version stored with a consent to a channel recorded by staff or withdrawn on the self-service page
CHANNEL_CONSENT_VERSION = "contact-1"


@transaction.atomic
def channel_consent_change(
    *, person: models.Model, channel: str, given: bool, actor: User | None, how: str = "in_person"
) -> bool:
    """Record that `person` consents to be contacted on `channel` ("email", "sms": the personal links go
    only there), or withdraw every standing consent to it. A consent already standing, or one not given,
    is left alone. Returns whether anything changed (each row through `consent_record` /
    `consent_withdraw`, so audited on the person)."""
    standing = Consent.objects.filter(
        content_type=ContentType.objects.get_for_model(person),
        object_id=person.pk,
        purpose=f"{CHANNEL_CONSENT_PREFIX}{channel}",
        withdrawn_at__isnull=True,
    )
    if given:
        if standing.exists():
            return False
        consent_record(
            subject=person,
            actor=actor,
            purpose=f"{CHANNEL_CONSENT_PREFIX}{channel}",
            text_version=CHANNEL_CONSENT_VERSION,
            channel=how,
        )
        return True
    rows = list(standing)
    for row in rows:
        consent_withdraw(consent=row, actor=actor)
    return bool(rows)


def sensitive_view_logged(*, user: User, obj: models.Model, fields: Iterable[str]) -> AuditEntry | None:
    """Record that `user` read restricted fields (health, residence status, ...) of `obj`.

    Detail views call it when they show such fields; nothing is logged when `fields` is empty."""
    names = sorted(set(fields))
    if not names:
        return None
    return audit_record(
        actor=user, action="core.sensitive.viewed", obj=obj, changes={"fields": [None, ", ".join(names)]}
    )


@dataclass(frozen=True)
class RetentionFinding:
    label: str
    pk: Any
    code: str
    blocked: str = ""

    def line(self) -> str:
        return f"{self.label} {self.pk} (rule {self.code})"


def retention_apply(*, dry_run: bool, actor: User | None = None) -> list[RetentionFinding]:
    """Anonymise every record an active retention rule says has been kept long enough.

    With `dry_run` nothing changes and the findings say what would. A record two rules name is handled
    once; a record a blocker holds (an open tandem) is reported and left alone."""
    findings: list[RetentionFinding] = []
    seen: set[tuple[str, Any]] = set()
    for rule in rules_in_force():
        if not rule.is_active:
            continue
        for obj in expired_records(rule):
            key = (rule.entry.label, obj.pk)
            if key in seen:
                continue
            seen.add(key)
            blocked = "; ".join(blockers_for(obj))
            findings.append(RetentionFinding(rule.entry.label, obj.pk, rule.retention.code, blocked))
            if not dry_run and not blocked:
                personal_data_anonymise(obj=obj, actor=actor, reason=rule.retention.code)
    return findings
