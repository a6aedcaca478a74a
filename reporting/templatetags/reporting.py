from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euro(value: Decimal | float | int | None) -> str:
    """German money format: 1.234,50 € (a non-breaking space before the sign)."""
    if value is None or value == "":
        return ""
    return f"{number_format(Decimal(value), 2, force_grouping=True)}\u00a0€"
