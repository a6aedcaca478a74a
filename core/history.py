"""The history ("Verlauf") of a record in words: each audit entry becomes a sentence and a list of
(field label, old value, new value), so that `core/_history.html` only prints them.

Labels of action codes come from the apps (`core.registry.audit_labels_register`), field labels from the
model's `verbose_name`, choice values from the field's choices and the names of related records from the
entry itself (it stores them as text when written). Nothing here queries per entry: reference data a
formatter needs is read once per rendering into a shared cache.
"""

import datetime
import decimal
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import REDACTED, is_empty
from core.models import AuditEntry
from core.registry import audit_field, audit_label

EMPTY = "–"
# the fallback for a code nobody registered: the record's name and the verb, never the raw code alone
GENERIC_VERBS = {
    "created": gettext_lazy("created"),
    "changed": gettext_lazy("changed"),
    "deleted": gettext_lazy("deleted"),
    "anonymised": gettext_lazy("anonymised"),
}
# written by the database or the application for its own use, not by a person
NOT_SHOWN = {"created_at", "updated_at", "search_document", "search_names"}


@dataclass
class Change:
    label: str
    old: str | None  # None: the field was empty before (a new record), show the new value only
    new: str
    is_protected: bool = False


@dataclass
class HistoryEntry:
    at: datetime.datetime
    actor: str
    action: str
    sentence: str
    changes: list[Change] = field(default_factory=list)


def _model_field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(model: type[models.Model] | None, name: str) -> str:
    spec = audit_field(model._meta.label, name) if model is not None else None
    if spec is not None and spec.label is not None:
        return capfirst(str(spec.label))
    found = _model_field(model, name)
    if found is not None:
        if getattr(found, "verbose_name", None):
            return capfirst(str(found.verbose_name))
        if found.is_relation and found.related_model is not None:  # a reverse relation: the rows' name
            return capfirst(str(found.related_model._meta.verbose_name_plural))
    return capfirst(name.replace("_", " "))


def _scalar(found: Any, value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = (
        getattr(found, "flatchoices", None) if found is not None and getattr(found, "choices", None) else None
    )
    if choices:
        for key, label in choices:
            if key == value or str(key) == str(value):
                return str(label)
    if isinstance(found, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    if isinstance(found, models.DateField) and isinstance(value, str):
        day = parse_date(value[:10])
        if day is not None:
            return formats.date_format(day, "SHORT_DATE_FORMAT")
    if isinstance(value, float | decimal.Decimal) or (
        isinstance(found, models.DecimalField) and isinstance(value, str)
    ):
        return formats.number_format(decimal.Decimal(str(value)), use_l10n=True)
    return str(value)


def field_value(model: type[models.Model] | None, name: str, value: Any, cache: dict) -> str:
    if is_empty(value):
        return EMPTY
    spec = audit_field(model._meta.label, name) if model is not None else None
    if spec is not None and spec.formatter is not None:
        return spec.formatter(value, cache)
    found = _model_field(model, name)
    if isinstance(value, list):
        item_field = getattr(found, "base_field", found)  # an ArrayField's items carry the choices
        return ", ".join(_scalar(item_field, item) for item in value)
    return _scalar(found, value)


def _fallback_sentence(action: str, model: type[models.Model] | None) -> str:
    verb = action.rsplit(".", 1)[-1]
    record = capfirst(str(model._meta.verbose_name)) if model is not None else _("Record")
    return _("%(record)s: %(verb)s") % {
        "record": record,
        "verb": str(GENERIC_VERBS.get(verb, verb.replace("_", " "))),
    }


def _field_order(model: type[models.Model] | None) -> dict[str, int]:
    if model is None:
        return {}
    return {f.name: i for i, f in enumerate(model._meta.get_fields())}


def present(entry: AuditEntry, *, cache: dict | None = None) -> HistoryEntry:
    """One audit entry as a sentence and its changes in words."""
    cache = {} if cache is None else cache
    model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
    label = audit_label(entry.action)
    sentence = str(label.text) if label is not None else _fallback_sentence(entry.action, model)
    raw = {
        name: values
        for name, values in (entry.changes or {}).items()
        if name not in NOT_SHOWN and isinstance(values, list | tuple) and len(values) == 2
    }
    is_new = all(is_empty(old) for old, _new in raw.values())
    if label is not None and label.inline in raw:
        old, new = raw.pop(label.inline)
        if old == REDACTED and new == REDACTED:
            sentence = _("%(sentence)s (content protected)") % {"sentence": sentence}
        elif is_empty(old):
            sentence = _("%(sentence)s: %(new)s") % {
                "sentence": sentence,
                "new": field_value(model, label.inline, new, cache),
            }
        else:
            sentence = _("%(sentence)s: %(old)s → %(new)s") % {
                "sentence": sentence,
                "old": field_value(model, label.inline, old, cache),
                "new": field_value(model, label.inline, new, cache),
            }
    order = _field_order(model)
    changes = []
    for name in sorted(raw, key=lambda n: (order.get(n, len(order)), n)):
        old, new = raw[name]
        if old == REDACTED and new == REDACTED:
            changes.append(Change(field_label(model, name), None, _("changed (content protected)"), True))
            continue
        if old == REDACTED and is_empty(new):  # anonymised: the old value is gone from the trail too
            changes.append(Change(field_label(model, name), None, _("content removed"), True))
            continue
        if is_new and is_empty(new):
            continue
        changes.append(
            Change(
                label=field_label(model, name),
                old=None if is_new else field_value(model, name, old, cache),
                new=field_value(model, name, new, cache),
            )
        )
    return HistoryEntry(
        at=entry.at,
        actor=entry.actor_repr or _("system"),
        action=entry.action,
        sentence=sentence,
        changes=changes,
    )


def history_present(entries: Iterable[AuditEntry]) -> list[HistoryEntry]:
    """The entries in words; one cache serves them all, so reference data is read at most once."""
    cache: dict = {}
    return [present(entry, cache=cache) for entry in entries]
