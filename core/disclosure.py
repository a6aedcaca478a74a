"""The access report (Art. 15 GDPR): everything stored about one volunteer or one refugee.

The related rows are found through the model's reverse relations (two levels deep: a volunteer's tandems
and their check-ins), so a new app's rows about a person appear without a change here. People other than
the one asking are not disclosed: a link to another volunteer or refugee shows as "another person"
(Art. 15(4) GDPR)."""

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from core.audit import _plain
from core.checks import OUR_APPS
from core.models import AuditEntry, Consent
from core.privacy import REGISTRY

NOT_FOLLOWED = {"core.AuditEntry", "core.Consent"}
MAX_DEPTH = 2
ANOTHER_PERSON = _("(another person, not disclosed)")


@dataclass
class FieldValue:
    name: str
    label: str
    value: Any  # JSON-safe
    display: str
    is_personal: bool = False


@dataclass
class Row:
    label: str
    pk: Any
    title: str
    fields: list[FieldValue]


@dataclass
class Section:
    label: str
    title: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Disclosure:
    subject: Row
    sections: list[Section]
    consents: list[Consent]
    history: list[AuditEntry]
    generated_at: datetime.datetime

    def as_json(self) -> dict[str, Any]:
        def row(r: Row) -> dict[str, Any]:
            return {"type": r.label, "id": r.pk, "fields": {f.name: f.value for f in r.fields}}

        return {
            "generated_at": self.generated_at.isoformat(),
            "subject": row(self.subject),
            "related": {s.label: [row(r) for r in s.rows] for s in self.sections},
            "consents": [
                {
                    "purpose": c.purpose,
                    "text_version": c.text_version,
                    "channel": c.channel,
                    "given_at": c.given_at.isoformat(),
                    "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
                    "interpreted_into": str(c.interpreter_language) if c.interpreter_language_id else None,
                    "language": c.language or None,
                    "text": c.legal_text.body if c.legal_text_id else None,
                }
                for c in self.consents
            ],
            "history": [
                {
                    "at": e.at.isoformat(),
                    "by": e.actor_repr,
                    "action": e.action,
                    "record": f"{e.content_type.app_label}.{e.content_type.model} {e.object_id}",
                    "changes": e.disclosed_changes,
                }
                for e in self.history
            ],
        }

    @property
    def row_count(self) -> int:
        """The rows disclosed: the person's own and every related row."""
        return 1 + sum(len(section.rows) for section in self.sections)

    def json_text(self) -> str:
        return json.dumps(self.as_json(), ensure_ascii=False, indent=2, default=str)


def _subject_models() -> set[str]:
    return {label for label, entry in REGISTRY.items() if entry.is_subject}


def _display(obj: models.Model, model_field: models.Field, subject: models.Model) -> tuple[Any, str]:
    if model_field.many_to_many:
        items = [str(item) for item in getattr(obj, model_field.name).all()] if obj.pk else []
        return sorted(items), ", ".join(sorted(items))
    if model_field.is_relation:
        target = model_field.related_model
        raw = getattr(obj, model_field.attname)
        if raw is None:
            return None, "–"
        if target._meta.label in _subject_models() and not (target is type(subject) and raw == subject.pk):
            return None, str(ANOTHER_PERSON)
        value = getattr(obj, model_field.name)
        return str(value), str(value)
    raw = getattr(obj, model_field.attname)
    if model_field.choices and raw not in (None, ""):
        return raw, str(getattr(obj, f"get_{model_field.name}_display")())
    if isinstance(model_field, ArrayField):
        choices = dict(model_field.base_field.choices or ())
        shown = [str(choices.get(item, item)) for item in raw or []]
        return list(raw or []), ", ".join(shown) or "–"
    if isinstance(raw, bool):
        return raw, gettext_now("yes") if raw else gettext_now("no")
    if isinstance(raw, datetime.datetime):
        return raw.isoformat(), formats.date_format(timezone.localtime(raw), "SHORT_DATETIME_FORMAT")
    if isinstance(raw, datetime.date):
        return raw.isoformat(), formats.date_format(raw, "SHORT_DATE_FORMAT")
    if isinstance(raw, dict | list):
        return raw, json.dumps(raw, ensure_ascii=False, default=str) if raw else "–"
    if raw in (None, ""):
        return raw, "–"
    return _plain(raw), str(raw)


def _row(obj: models.Model, subject: models.Model) -> Row:
    entry = REGISTRY.get(obj._meta.label)
    personal = set(entry.fields) if entry else set(getattr(obj, "PERSONAL_FIELDS", ()))
    values = []
    for model_field in [*obj._meta.concrete_fields, *obj._meta.many_to_many]:
        if model_field.primary_key:
            continue
        value, display = _display(obj, model_field, subject)
        values.append(
            FieldValue(
                name=model_field.name,
                label=str(model_field.verbose_name),
                value=value,
                display=display,
                is_personal=model_field.name in personal,
            )
        )
    return Row(label=obj._meta.label, pk=obj.pk, title=f"{obj._meta.verbose_name} #{obj.pk}", fields=values)


def _related(
    obj: models.Model, depth: int, came_from: type[models.Model] | None
) -> list[tuple[str, models.Model]]:
    """(accessor path, row) for the rows that point at `obj`, followed `depth` levels deep."""
    found: list[tuple[str, models.Model]] = []
    for rel in obj._meta.related_objects:
        related = rel.related_model
        if (
            related._meta.app_label not in OUR_APPS
            or related._meta.label in NOT_FOLLOWED
            or related is came_from
            or rel.get_accessor_name() is None
        ):
            continue
        accessor = rel.get_accessor_name()
        if rel.one_to_one:
            child = getattr(obj, accessor, None)
            children = [child] if child is not None else []
        else:
            children = list(getattr(obj, accessor).all())
        for child in children:
            found.append((accessor, child))
            if depth > 1:
                found.extend(_related(child, depth - 1, type(obj)))
    return found


def _disclosed_changes(entry: AuditEntry, subject: models.Model) -> dict[str, Any]:
    """The entry's changes without values that name another person (a tandem's other side)."""
    model = entry.content_type.model_class()
    if model is None or model is type(subject):
        return entry.changes
    others = {
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation
        and f.related_model._meta.label in _subject_models()
        and f.related_model is not type(subject)
    }
    hidden = [str(ANOTHER_PERSON), str(ANOTHER_PERSON)]
    return {name: (hidden if name in others else values) for name, values in entry.changes.items()}


def personal_data_collect(*, obj: models.Model) -> Disclosure:
    """Everything stored about `obj` (a data subject's record), ready for the report and the download."""
    related = _related(obj, MAX_DEPTH, None)
    sections: dict[str, Section] = {}
    for _accessor, child in related:
        label = child._meta.label
        section = sections.setdefault(label, Section(label=label, title=str(child._meta.verbose_name_plural)))
        if all(r.pk != child.pk for r in section.rows):
            section.rows.append(_row(child, obj))
    consents = list(
        Consent.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
        .select_related("interpreter_language", "recorded_by", "legal_text")
        .order_by("given_at", "pk")
    )
    ids_by_model: dict[type[models.Model], set[str]] = {type(obj): {str(obj.pk)}}
    for _accessor, child in related:
        ids_by_model.setdefault(type(child), set()).add(str(child.pk))
    history: list[AuditEntry] = []
    for model, ids in ids_by_model.items():
        history.extend(
            AuditEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id__in=ids
            ).select_related("content_type")
        )
    history.sort(key=lambda e: (e.at, e.pk))
    for entry in history:
        entry.disclosed_changes = _disclosed_changes(entry, obj)
    return Disclosure(
        subject=_row(obj, obj),
        sections=list(sections.values()),
        consents=consents,
        history=history,
        generated_at=timezone.now(),
    )
