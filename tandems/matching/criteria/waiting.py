"""Time waited (fairness): the days on the waiting list ÷ the days set with the weights, at most 1."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tandems.matching.criteria.base import SoftCriterion
from tandems.matching.data import Context, RefugeeData, VolunteerData


class TimeWaited(SoftCriterion):
    key = "waiting"
    label = gettext_lazy("Time waited")

    def score(self, refugee: RefugeeData, pool, ctx: Context) -> float:
        waited = (ctx.today - refugee.waiting_since).days if refugee.waiting_since else 0
        return min(1.0, max(0, waited) / ctx.waiting_full_days)

    def explain(self, refugee: RefugeeData, volunteer: VolunteerData, ctx: Context) -> str:
        if not refugee.waiting_since:
            return _("not on the waiting list")
        days = max(0, (ctx.today - refugee.waiting_since).days)
        return ngettext("waiting for %(days)d day", "waiting for %(days)d days", days) % {"days": days}
