from django import template

from core.permissions import has_perm

register = template.Library()


@register.inclusion_tag("core/_privacy_links.html", takes_context=True)
def privacy_links(context, obj) -> dict:
    """Access report (Art. 15) and erasure (Art. 17) for a person's record, for those who may:
    `{% load privacy %}{% privacy_links volunteer %}`."""
    user = context["request"].user
    return {
        "obj": obj,
        "app_label": obj._meta.app_label,
        "model": obj._meta.model_name,
        "may": has_perm(user=user, perm="core.privacy", organisation=getattr(obj, "organisation", None)),
    }
