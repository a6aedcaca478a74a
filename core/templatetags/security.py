from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def session_timeout_seconds() -> int:
    return int(settings.SESSION_COOKIE_AGE)


@register.simple_tag
def session_warning_seconds() -> int:
    return int(settings.SESSION_WARNING_SECONDS)
