from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str) -> str:
    """A column header that sorts by `key`, announcing the current order to screen readers."""
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
    if aria:
        return format_html('<th scope="col" aria-sort="{}">{}</th>', aria, link)
    return format_html(
        '<th scope="col">{}<span class="visually-hidden"> ({})</span></th>', link, _("sortable")
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
