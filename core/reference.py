"""Reference data (districts, languages, areas of help, organisations, course types) read once per process.

The filter forms of every list offer these tables as choices; reading them on every request cost three to
five queries a page. Each process keeps the rows of each choice query it has run, tagged with the reference
data's version. The version lives in the shared cache (settings.CACHES, a table in PostgreSQL), so every
gunicorn worker sees a change: it is read once per request (kept per thread between Django's
request_started and request_finished signals) (one query instead of one per table) and replaced
by a new random value whenever a row of a registered table is saved or deleted (`register`, connected to
post_save and post_delete). Changes that bypass the model's save (`QuerySet.update`, `bulk_create`, raw SQL)
must call `reference_changed()` themselves; the migrations and `seed_demo` run before any server process.
A version lost from the cache (culled) is replaced by a new one, so no process keeps stale rows.
"""

import threading
import uuid
from typing import Any

import django_filters
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.signals import request_finished, request_started
from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

VERSION_KEY = "reference-data-version"
MAX_QUERIES_KEPT = 500  # distinct choice queries kept per process (scoped organisation lists are per user)

_rows: dict[str, tuple[str, list[Model]]] = {}


def reference_changed(**_kwargs: Any) -> None:
    """Every process reads the reference tables again (a signal receiver, or call it after bulk changes)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    _rows.clear()
    if getattr(_request, "active", False):
        _request.version = None


def register(model: type[Model]) -> None:
    """Saving or deleting a row of `model` makes every process read the cached choices again."""
    post_save.connect(reference_changed, sender=model, dispatch_uid=f"reference-{model._meta.label}-save")
    post_delete.connect(reference_changed, sender=model, dispatch_uid=f"reference-{model._meta.label}-delete")


_request = threading.local()  # the version as read in the current request of this thread


def _request_started(**_kwargs: Any) -> None:
    _request.active, _request.version = True, None


def _request_finished(**_kwargs: Any) -> None:
    _request.active, _request.version = False, None


request_started.connect(_request_started, dispatch_uid="reference-request-started")
request_finished.connect(_request_finished, dispatch_uid="reference-request-finished")


def reference_version() -> str:
    """The current version, read from the shared cache once per request (every call outside a request)."""
    in_request = getattr(_request, "active", False)
    if in_request and _request.version is not None:
        return _request.version
    version = cache.get(VERSION_KEY)
    if version is None:
        fresh = uuid.uuid4().hex
        version = fresh if cache.add(VERSION_KEY, fresh, timeout=None) else cache.get(VERSION_KEY, fresh)
    if in_request:
        _request.version = version
    return version


def reference_rows(queryset: QuerySet) -> list[Model]:
    """The rows of `queryset` (a query over registered tables only), read once per version and process."""
    key = f"{queryset.model._meta.label}:{queryset.query}"
    version = reference_version()
    kept = _rows.get(key)
    if kept is not None and kept[0] == version:
        return kept[1]
    rows = list(queryset)
    if len(_rows) >= MAX_QUERIES_KEPT:
        _rows.clear()
    _rows[key] = (version, rows)
    return rows


class _RowsIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for row in self.field.rows:
            yield self.choice(row)

    def __len__(self) -> int:
        extra = (self.field.empty_label is not None) + (self.field.null_label is not None)
        return len(self.field.rows) + extra

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.rows)


class ReferenceChoiceField(ModelChoiceField):
    """A model choice whose choices and validation come from rows already read (no query)."""

    iterator = _RowsIterator

    def __init__(self, *args: Any, rows: list[Model], **kwargs: Any) -> None:
        self.rows = rows
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if self.null_label is not None and value == self.null_value:
            return value
        key = str(value.pk if isinstance(value, Model) else value)
        for row in self.rows:
            if str(row.pk) == key:
                return row
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ReferenceChoiceFilter(django_filters.ModelChoiceFilter):
    """`ModelChoiceFilter` over reference data: its choices are read once per process and version
    (`reference_rows`). The queryset (or a callable, or one set in the filterset's __init__) must read only
    registered tables, or tables whose change also calls `reference_changed`."""

    field_class = ReferenceChoiceField

    @property
    def field(self) -> Any:
        if not hasattr(self, "_field"):
            self.extra["rows"] = reference_rows(self.get_queryset(self.get_request()))
        return super().field
