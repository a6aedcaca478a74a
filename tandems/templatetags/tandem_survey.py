from django import template

from core.permissions import has_perm
from tandems.models_survey import LOW_SCORE
from tandems.survey import survey_scores as scores_of

register = template.Library()


@register.inclusion_tag("tandems/_survey_scores.html", takes_context=True)
def survey_scores(context, tandem) -> dict:
    """The tandem's relationship survey scores per wave and side, for staff who may see the tandem:
    `{% load tandem_survey %}{% survey_scores tandem %}` (tandems/_survey.html)."""
    user = context["request"].user
    visible = has_perm(user=user, perm="tandems.view", organisation=tandem.organisation)
    return {"rows": scores_of(tandem=tandem) if visible else [], "visible": visible, "low": LOW_SCORE}
