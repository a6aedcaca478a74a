"""Shared interests: shared ÷ min(3, the refugee's interests)."""

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandems.matching.criteria.base import SoftCriterion
from tandems.matching.data import NEUTRAL, Context, RefugeeData, VolunteerData


class SharedInterests(SoftCriterion):
    key = "interests"
    label = gettext_lazy("Shared interests")

    def score(self, refugee: RefugeeData, pool, ctx: Context) -> np.ndarray | float:
        if not refugee.interests:
            return NEUTRAL

        def shared() -> np.ndarray:
            count = pool.count_of(pool.interest_column(interest) for interest in refugee.interests)
            return np.minimum(1.0, count / min(3, len(refugee.interests)))

        return pool.cached((self.key, refugee.interests), shared)

    def explain(self, refugee: RefugeeData, volunteer: VolunteerData, ctx: Context) -> str:
        if not refugee.interests:
            return _("no interests recorded")
        common = sorted(refugee.interests & volunteer.interests)
        if not common:
            return _("no shared interests")
        return _("shared interests: %(interests)s") % {"interests": ", ".join(common)}
