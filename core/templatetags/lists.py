from typing import Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template
from django.forms import BoundField
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

FIELDS_KEPT = 2000  # rendered filter fields kept per process (cleared when full)
_fields: dict[tuple, SafeString] = {}


SEARCH_FIELD = "q"
# kept by the filter form's submit (hidden fields), so that filtering keeps the order and the page size
KEPT_PARAMS = ("sort", "per_page")


@register.simple_tag(takes_context=True)
def filter_parts(context, filterset) -> dict:
    """The filter form split for the one-line layout: the search field, the other fields behind the
    "Filter" disclosure, how many of those are set, and the order and page size to carry along."""
    form = filterset.form
    search = form[SEARCH_FIELD] if SEARCH_FIELD in form.fields else None
    if search is not None:
        search.field.widget.attrs.update({"class": "form-control"})
        search.field.widget.input_type = "search"
    others = [form[name] for name in form.fields if name != SEARCH_FIELD]
    data = form.data if form.is_bound else {}
    active = sum(1 for bf in others if any(v not in ("", None) for v in _values(data, bf.html_name)))
    query = context["request"].GET
    return {
        "search": search,
        "fields": others,
        "active": active,
        "has_errors": any(bf.errors for bf in others),
        "kept": [(name, query[name]) for name in KEPT_PARAMS if query.get(name)],
    }


def _plain(value: Any) -> Any:
    """A hashable, comparable copy of choices or a value (lazy strings and choice values as text)."""
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    return None if value is None else str(value)


def _field_key(bound: BoundField) -> tuple:
    field, widget = bound.field, bound.field.widget
    return (
        type(bound.form).__module__,
        type(bound.form).__qualname__,
        bound.html_name,
        bound.auto_id,
        get_language(),
        str(bound.label),
        str(field.help_text),
        field.required,
        field.disabled,
        type(widget).__qualname__,
        getattr(widget, "input_type", None),
        tuple(sorted((k, str(v)) for k, v in widget.attrs.items())),
        # a choice field gives its widget its choices; a widget may also have its own (a yes/empty select)
        # (iterated, never len(): a model choice iterator would count its rows in one more query)
        tuple(_plain(choice) for choice in widget.choices) if hasattr(widget, "choices") else None,
        _plain(bound.value()),
    )


@register.filter
def filter_field(bound: BoundField) -> SafeString:
    """`field|as_crispy_field` of a list's filter, rendered once per field, choices, value and language
    and then reused (issue #21: crispy's templates for a select of a hundred choices cost milliseconds on
    every list request). The key holds everything the rendering reads; a field with errors is rendered
    afresh every time."""
    if bound.errors:
        return as_crispy_field(bound)
    key = _field_key(bound)
    html = _fields.get(key)
    if html is None:
        html = as_crispy_field(bound)
        if len(_fields) >= FIELDS_KEPT:
            _fields.clear()
        _fields[key] = html
    return html


def _values(data, name: str) -> list:
    return data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str, css: str = "") -> str:
    """A column header that sorts by `key`, announcing the current order to screen readers. `css`: classes
    of the header cell (`d-none d-md-table-cell` for a column that a phone leaves out)."""
    request = context["request"]
    current = context.get("sort", "")
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    if current == key:
        params["sort"], aria, arrow = f"-{key}", "ascending", " ▲"
    elif current == f"-{key}":
        params["sort"], aria, arrow = key, "descending", " ▼"
    else:
        params["sort"], aria, arrow = key, None, ""
    link = format_html(
        '<a href="?{}">{}<span aria-hidden="true">{}</span></a>', params.urlencode(), label, arrow
    )
    cls = format_html(' class="{}"', css) if css else ""
    if aria:
        return format_html('<th scope="col"{} aria-sort="{}">{}</th>', cls, aria, link)
    return format_html(
        '<th scope="col"{}>{}<span class="visually-hidden"> ({})</span></th>', cls, link, _("sortable")
    )


@register.simple_tag(takes_context=True)
def export_url(context, fmt: str) -> str:
    params = context["request"].GET.copy()
    params.pop("page", None)
    params["format"] = fmt
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def filter_query(context) -> str:
    """The list's filter and order as a query string (without page and format), for a link that acts on
    the filtered rows (a message to this list)."""
    return query_without_empty(context["request"].GET)


def query_without_empty(query) -> str:
    """`?name=value&...` of a list's filter: empty fields, the page and the format left out."""
    params = query.copy()
    for name in ("page", "format"):
        params.pop(name, None)
    for name in list(params):
        values = [value for value in params.getlist(name) if value]
        if values:
            params.setlist(name, values)
        else:
            del params[name]
    return "?" + params.urlencode() if params else ""
