from django import template

from core.permissions import has_perm
from tandems.selectors import tandem_list_visible

register = template.Library()

# who may still be paired: a waiting refugee, a trained or active volunteer
SUGGESTIBLE = {"refugee": {"waiting"}, "volunteer": {"trained", "active"}}


@register.inclusion_tag("tandems/_person_tandems.html", takes_context=True)
def person_tandems(context, person, side: str) -> dict:
    """The tandems of one volunteer or refugee (`side`), as the viewer may see them, with the way to
    suggestions: `{% load tandems %}{% person_tandems volunteer "volunteer" %}`."""
    user = context["request"].user
    tandems = tandem_list_visible(user=user).filter(**{side: person}).order_by("-proposed_on", "-pk")
    return {
        "tandems": list(tandems),
        "side": side,
        "person": person,
        "can_suggest": person.status in SUGGESTIBLE[side]
        and has_perm(user=user, perm="tandems.change", organisation=person.organisation),
    }
