"""`{% message_history person %}`: the e-mails to a person (or about a record), with a resend button."""

from django import template

from core.outbox import messages_about, messages_to
from core.permissions import has_perm

register = template.Library()
SHOWN = 20


@register.inclusion_tag("core/_message_history.html", takes_context=True)
def message_history(context, obj, about: bool = False):
    request = context["request"]
    organisation = getattr(obj, "organisation", None)
    may_view = has_perm(user=request.user, perm="core.messages_view", organisation=organisation)
    found = (messages_about(obj) if about else messages_to(obj))[:SHOWN] if may_view else []
    return {
        "outbox_messages": found,
        "may_view": may_view,
        "can_resend": has_perm(user=request.user, perm="core.messages_resend", organisation=organisation),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
