"""The audit trail: every write of a record with personal data leaves an `AuditEntry`.

Services call `audit_record` inside their transaction, with a `diff` of the fields they changed.
Fields listed in a model's `AUDIT_REDACTED` are logged as changed, without their values. Each entry names
the organisation of its record (`organisation_of`). Entries are append-only: a database trigger refuses
to change or delete them (core/migrations/0009_audit_append_only.py), except the scrub of personal values
during anonymisation.

Every staff export of personal data (the CSV/XLSX of a list, the evaluation export, an access report) is
recorded by `export_record` under one action code, `core.export.downloaded`.
"""

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from core.models import AuditEntry, User
from core.permissions import memberships

REDACTED = "***"
EXPORT_DOWNLOADED = "core.export.downloaded"
# query parameters that do not select rows: left out of the filter an export records
NOT_A_FILTER = ("page", "format")


def action_label(action: str) -> str:
    """The label of an action code in the active language (each app registers its codes' labels in
    core.registry); codes without a label are shown as they are."""
    from core.registry import audit_label

    label = audit_label(action)
    return str(label.text) if label is not None else action


def _own_organisation_id(obj: models.Model) -> tuple[bool, int | None]:
    try:
        field = obj._meta.get_field("organisation")
    except FieldDoesNotExist:
        return False, None
    if not field.many_to_one:
        return False, None
    return True, getattr(obj, field.attname)


def organisation_of(obj: models.Model) -> int | None:
    """The id of the organisation `obj` belongs to: its own, or that of the first record it links to
    among the foreign keys its model names in `ORGANISATION_VIA` (a check-in says `("tandem",)`, a
    registration `("volunteer", "session")`); None for a record of no organisation. Migration core/0008
    filled older entries by the rule of that time."""
    has_own, organisation_id = _own_organisation_id(obj)
    if has_own:
        return organisation_id
    for name in getattr(obj, "ORGANISATION_VIA", ()):
        try:
            link = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if link.many_to_one and getattr(obj, link.attname) is not None:
            has_own, organisation_id = _own_organisation_id(getattr(obj, name))
            if has_own:
                return organisation_id
    return None


def _actor_fields(actor: User | None) -> dict[str, Any]:
    known = actor is not None and actor.is_authenticated
    return {"actor": actor if known else None, "actor_repr": str(actor) if known else ""}


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
        **_actor_fields(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=safe_changes,
        organisation_id=organisation_of(obj),
    )


def export_filter(request: HttpRequest) -> str:
    """The query string that selected the exported rows, without paging and format."""
    query = request.GET.copy()
    for name in NOT_A_FILTER:
        query.pop(name, None)
    return query.urlencode()


def export_record(
    *,
    actor: User,
    export: str,
    fmt: str,
    rows: int,
    model: type[models.Model] | None = None,
    obj: models.Model | None = None,
    filter: str = "",
) -> AuditEntry:
    """Record one download of personal data: who, when (`at`), which export (`list`), which filter, in
    which format, how many rows.

    The entry's record is `obj` when the export is about one record (an access report: it then shows in
    that record's history and carries its organisation); otherwise the model of the exported rows with
    an empty record id and the organisation of the user who exported."""
    if obj is not None:
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        object_id, organisation_id = str(obj.pk), organisation_of(obj)
    else:
        if model is None:
            raise ValueError("an export names its record (obj) or the model of its rows (model)")
        content_type, object_id = ContentType.objects.get_for_model(model), ""
        # the memberships the permission checks of this request have already read (no further query)
        own = memberships(actor) if actor is not None and actor.is_authenticated else []
        organisation_id = own[0].organisation_id if own else None
    return AuditEntry.objects.create(
        **_actor_fields(actor),
        action=EXPORT_DOWNLOADED,
        content_type=content_type,
        object_id=object_id,
        object_repr=(str(obj) if obj is not None else export)[:200],
        changes={
            "list": [None, export],
            "filter": [None, filter],
            "format": [None, fmt],
            "rows": [None, rows],
        },
        organisation_id=organisation_id,
    )


def audit_action(obj: models.Model, verb: str) -> str:
    """The action code `<app>.<model>.<verb>`, for example `volunteers.volunteer.changed`."""
    return f"{obj._meta.app_label}.{obj._meta.model_name}.{verb}"


def audit_entries_for(obj: models.Model) -> QuerySet[AuditEntry]:
    """The history shown on a record's page, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=str(obj.pk)
    ).select_related("actor")
