"""The audit trail: every write of a record with personal data leaves an `AuditEntry`.

Services call `audit_record` inside their transaction, with a `diff` of the fields they changed.
Fields listed in a model's `AUDIT_REDACTED` are logged as changed, without their values.
"""

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from core.models import AuditEntry, User

REDACTED = "***"


def _plain(value: Any) -> Any:
    """A JSON-safe, human-readable form of a field value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Iterable):
        return sorted(_plain(item) for item in value)
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The current values of `fields` (all concrete and many-to-many fields by default)."""
    opts = obj._meta
    names = (
        list(fields)
        if fields is not None
        else [f.name for f in [*opts.concrete_fields, *opts.many_to_many] if not f.primary_key]
    )
    values: dict[str, Any] = {}
    for name in names:
        field = opts.get_field(name)
        if field.many_to_many:
            values[name] = _plain(getattr(obj, name).all()) if obj.pk else []
        elif field.is_relation:
            values[name] = _plain(getattr(obj, name))
        else:
            values[name] = _plain(getattr(obj, field.attname))
    return values


def is_empty(value: Any) -> bool:
    """No value: a text field holds "" where a new record's snapshot has None, and both mean nothing."""
    return value is None or value == "" or value == [] or value == {}


def _changed(old: Any, new: Any) -> bool:
    return old != new and not (is_empty(old) and is_empty(new))


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed (empty to empty is no change)."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if _changed(before.get(name), value) and name not in {"updated_at", "created_at"}
    }


def audit_record(
    *, actor: User | None, action: str, obj: models.Model, changes: dict[str, list[Any]] | None = None
) -> AuditEntry:
    redacted = set(getattr(obj, "AUDIT_REDACTED", ()))
    # a redacted field is named only when it did change: "changed (content protected)" must be true
    safe_changes = {
        name: ([REDACTED, REDACTED] if name in redacted else values)
        for name, values in (changes or {}).items()
        if name not in redacted or _changed(*values)
    }
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_repr=str(actor) if actor is not None and actor.is_authenticated else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=safe_changes,
    )


def audit_action(obj: models.Model, verb: str) -> str:
    """The action code `<app>.<model>.<verb>`, for example `volunteers.volunteer.changed`."""
    return f"{obj._meta.app_label}.{obj._meta.model_name}.{verb}"


def audit_entries_for(obj: models.Model) -> QuerySet[AuditEntry]:
    """The history shown on a record's page, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=str(obj.pk)
    ).select_related("actor")
