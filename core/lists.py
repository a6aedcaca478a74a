"""Every staff list works the same way: filter, search, sort, paginate, and export exactly the filtered rows.

A list view builds its visible queryset through its selector and hands it to `list_response` with a
`ListSpec`. `?format=csv` or `?format=xlsx` exports the filtered, sorted rows (streamed CSV for Excel:
UTF-8 with BOM and `;`; XLSX written row by row) and records the export in the audit trail (who, which
list, which filter, how many rows: `core.audit.export_record`). An htmx request gets only the table fragment.
`?per_page=25|50|100` chooses the page size (anything else: the list's default); the page, sort and export
links keep it, because they copy the query string. Every empty choice of a list filter reads "all".
"""

import csv
import datetime
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters import FilterSet

from core.audit import export_filter, export_record
from core.xlsx import xlsx_stream

EXPORT_CHUNK = 2000
PAGE_SIZES = (25, 50, 100)


@dataclass(frozen=True)
class Column:
    """One export column: a German header and how to read the value from a row."""

    header: str
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ListSpec:
    filterset: type[FilterSet]
    sorts: dict[str, tuple[str, ...]]  # ?sort=key (or -key) -> order_by expressions
    default_sort: str
    columns: list[Column] = field(default_factory=list)
    export_name: str = "export"
    per_page: int = 25
    # Optional fast export path: turns the filtered, sorted queryset into plain rows (dicts from values(),
    # related names aggregated in SQL) that the columns read; without it the columns read model instances.
    # Tens of thousands of model instances with prefetched relations take seconds; plain rows do not.
    export_rows: Callable[[QuerySet], Iterable[Any]] | None = None


class EndPaginator(Paginator):
    """Pages past the middle are read from the other end. OFFSET walks past every skipped row, so the last
    page of 100,000 rows read all of them; in the reversed order it is the first page, and an index on the
    sort columns serves it directly. The rows are the same: the ordering always ends with the primary key,
    so it is total and its reverse is its exact mirror (nulls included)."""

    def page(self, number: Any) -> Any:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        if not (isinstance(rows, QuerySet) and rows.ordered and bottom > self.count // 2):
            return super().page(number)
        mirrored = list(rows.reverse()[self.count - top : self.count - bottom])
        mirrored.reverse()
        return self._get_page(mirrored, number, self)


def page_size(request: HttpRequest, default: int) -> int:
    """The page size the user chose with ?per_page=, if it is one of PAGE_SIZES; otherwise the default
    (a typed or stale value falls back quietly rather than failing the list)."""
    wanted = request.GET.get("per_page", "")
    return int(wanted) if wanted in {str(size) for size in PAGE_SIZES} else default


# the value a NullBooleanSelect sends for "no choice"; BooleanFilter's default widget
_UNKNOWN = "unknown"


def label_empty_choices(form: forms.Form) -> None:
    """Every filter's "no choice" option reads "all" (not Django's "---------" or "Unknown"): one place
    for all lists, whatever field or widget the filter set uses."""
    for form_field in form.fields.values():
        if getattr(form_field, "empty_label", None) is not None:
            form_field.empty_label = _("all")
            # the widget's options are read from the field when they render; after the form copied the
            # filter's field, the widget still reads the original's, so point it at this field again
            form_field.widget.choices = form_field.choices
        widget = form_field.widget
        if isinstance(widget, forms.Select) and isinstance(widget.choices, list):
            widget.choices = [
                (value, _("all") if value in ("", _UNKNOWN) else label) for value, label in widget.choices
            ]


def _ordering(request: HttpRequest, spec: ListSpec) -> tuple[str, tuple[str, ...]]:
    wanted = request.GET.get("sort") or spec.default_sort
    key = wanted.removeprefix("-")
    if key not in spec.sorts:
        wanted, key = spec.default_sort, spec.default_sort.removeprefix("-")
    if not wanted.startswith("-"):
        return wanted, (*spec.sorts[key], "pk")
    flipped = tuple(e.removeprefix("-") if e.startswith("-") else f"-{e}" for e in spec.sorts[key])
    return wanted, (*flipped, "-pk")


def filtered(
    request: HttpRequest, queryset: QuerySet, spec: ListSpec, **filter_kwargs
) -> tuple[FilterSet, QuerySet, str]:
    """The filter form, the rows it selects (in the requested order) and the sort key in force."""
    filterset = spec.filterset(request.GET or None, queryset=queryset, request=request, **filter_kwargs)
    label_empty_choices(filterset.form)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    if filterset.is_bound and not filterset.is_valid():
        rows = queryset.none()  # a bad filter value shows its message and no rows, never all of them
    sort, order = _ordering(request, spec)
    return filterset, rows.order_by(*order), sort


@functools.lru_cache(maxsize=256)
def _labels(choices: type, language: str | None) -> dict[Any, str]:
    return {value: str(label) for value, label in choices.choices}


def choice_label(choices: type, value: Any) -> str:
    """The label of a TextChoices/IntegerChoices value in the active language, looked up once per language
    and class (for exports of many rows); an unknown value is shown as it is."""
    return _labels(choices, get_language()).get(value, "" if value is None else str(value))


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list | tuple | set):
        return ", ".join(str(v) for v in value)
    return str(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(header: Iterable[Any], records: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Every CSV of the application, line by line: UTF-8 with BOM and `;`, so that Excel opens it
    directly; dates written 24.11.2026; cells that Excel would run as formulas defused."""
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL)
    yield "\ufeff" + writer.writerow([str(name) for name in header])
    for record in records:
        yield writer.writerow([_safe_cell(_plain(value)) for value in record])


def _csv_lines(rows: Iterable, columns: list[Column]) -> Iterator[str]:
    return csv_stream((c.header for c in columns), ([c.value(row) for c in columns] for row in rows))


def _safe_cell(text: str) -> str:
    # a cell starting with = + - @ would run as a formula in Excel (CSV injection)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def _xlsx_value(value: Any) -> Any:
    # dates and numbers stay typed cells; everything else as the CSV shows it (text cells are never run as
    # formulas in an XLSX, so they need no defusing)
    if isinstance(value, datetime.date | int | float | Decimal) and not isinstance(value, bool):
        return value
    return _plain(value)


def _xlsx(rows: Iterable, columns: list[Column]) -> Iterator[bytes]:
    """The XLSX, sent while it is written (`core.xlsx.xlsx_stream`): the first bytes after the first rows,
    memory at one piece of rows."""
    yield from xlsx_stream(
        [column.header for column in columns],
        ([_xlsx_value(column.value(row)) for column in columns] for row in rows),
    )


def export_response(rows: QuerySet, spec: ListSpec, fmt: str) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    if spec.export_rows is not None:
        iterator = spec.export_rows(rows.prefetch_related(None))
    else:
        iterator = rows.iterator(chunk_size=EXPORT_CHUNK)
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_lines(iterator, spec.columns), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{spec.export_name}-{stamp}.csv"'
        return response
    response = StreamingHttpResponse(
        _xlsx(iterator, spec.columns),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{spec.export_name}-{stamp}.xlsx"'
    return response


def list_response(
    request: HttpRequest,
    *,
    queryset: QuerySet,
    spec: ListSpec,
    template: str,
    fragment: str,
    context: dict[str, Any] | None = None,
    filter_kwargs: dict[str, Any] | None = None,
    count: int | None = None,
) -> HttpResponse:
    """Render a list page (or its table fragment for htmx), or export its rows with ?format=csv|xlsx.
    `count`: the number of the filtered rows when the view has counted them already."""
    filterset, rows, sort = filtered(request, queryset, spec, **(filter_kwargs or {}))
    fmt = request.GET.get("format", "")
    if fmt in {"csv", "xlsx"} and spec.columns:
        # every export of personal data is audited; the rows are counted (one COUNT), not buffered
        export_record(
            actor=request.user,
            export=spec.export_name,
            fmt=fmt,
            rows=rows.count(),
            model=rows.model,
            filter=export_filter(request),
        )
        return export_response(rows, spec, fmt)
    per_page = page_size(request, spec.per_page)
    paginator = EndPaginator(rows, per_page)
    if count is not None:
        paginator.count = count  # the view counted the same rows already (with other figures, one query)
    page = paginator.get_page(request.GET.get("page"))
    response = render(
        request,
        fragment if request.htmx and not request.htmx.boosted else template,
        {
            "filter": filterset,
            "page_obj": page,
            "rows": page.object_list,
            "sort": sort,
            "can_export": bool(spec.columns),
            "per_page": per_page,
            "page_sizes": PAGE_SIZES,
            **(context or {}),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
