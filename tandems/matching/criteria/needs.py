"""Needs covered: the share of the household's needs among the areas of help the volunteer offers."""

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tandems.matching.criteria.base import SoftCriterion
from tandems.matching.data import NEUTRAL, Context, RefugeeData, VolunteerData


class NeedsCovered(SoftCriterion):
    key = "needs"
    label = gettext_lazy("Needs covered")

    def score(self, refugee: RefugeeData, pool, ctx: Context) -> np.ndarray | float:
        if not refugee.needs:
            return NEUTRAL

        def covered() -> np.ndarray:
            return pool.count_of(pool.help_column(need) for need in refugee.needs) / len(refugee.needs)

        return pool.cached((self.key, refugee.needs), covered)

    def explain(self, refugee: RefugeeData, volunteer: VolunteerData, ctx: Context) -> str:
        if not refugee.needs:
            return _("no needs recorded")
        covered = refugee.needs & volunteer.help_areas
        text = ngettext(
            "covers %(covered)d of %(count)d need",
            "covers %(covered)d of %(count)d needs",
            len(refugee.needs),
        ) % {"covered": len(covered), "count": len(refugee.needs)}
        if covered:
            text += " (" + ", ".join(sorted(ctx.help_names.get(i, "?") for i in covered)) + ")"
        return text
