"""Age preference: 1 inside the volunteer's preferred range, 0.1 less for each year outside it."""

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandems.matching.criteria.base import SoftCriterion
from tandems.matching.data import NEUTRAL, Context, RefugeeData, VolunteerData


class AgePreference(SoftCriterion):
    key = "age"
    label = gettext_lazy("Age preference")

    def score(self, refugee: RefugeeData, pool, ctx: Context) -> np.ndarray | float:
        if not refugee.birth_year:
            return NEUTRAL
        age = ctx.today.year - refugee.birth_year

        def fit() -> np.ndarray:
            gap = np.nan_to_num(np.maximum(pool.age_min - age, 0)) + np.nan_to_num(
                np.maximum(age - pool.age_max, 0)
            )
            return np.clip(1 - gap / 10, 0, 1)

        return pool.cached((self.key, age), fit)

    def explain(self, refugee: RefugeeData, volunteer: VolunteerData, ctx: Context) -> str:
        if not refugee.birth_year:
            return _("year of birth not known")
        age = ctx.today.year - refugee.birth_year
        low, high = volunteer.pref_age_min, volunteer.pref_age_max
        if low is None and high is None:
            return _("no age preference (age %(age)d)") % {"age": age}
        span = f"{low if low is not None else '…'}–{high if high is not None else '…'}"
        if (low is None or age >= low) and (high is None or age <= high):
            return _("age %(age)d is within the preferred %(span)s") % {"age": age, "span": span}
        return _("age %(age)d is outside the preferred %(span)s") % {"age": age, "span": span}
