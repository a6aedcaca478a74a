"""Availability: refugees have no times recorded, so the breadth of the volunteer's week counts."""

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandems.matching.criteria.base import SoftCriterion
from tandems.matching.data import WEEKDAY_SHORT, Context, RefugeeData, VolunteerData


def availability_breadth(weekdays: np.ndarray, times: np.ndarray) -> np.ndarray:
    """A volunteer free on more days (4 count fully) and at more times of day (2) is easier to fit with
    whatever the household's week looks like; nothing recorded scores 0.3. Arguments: the numbers of
    distinct weekdays and times of day of each volunteer."""
    breadth = np.minimum(1.0, weekdays / 4) * 0.6 + np.minimum(1.0, times / 2) * 0.4
    return np.where((weekdays == 0) & (times == 0), 0.3, breadth)


class Availability(SoftCriterion):
    key = "availability"
    label = gettext_lazy("Availability")

    def score(self, refugee: RefugeeData, pool, ctx: Context) -> np.ndarray:
        return pool.availability

    def explain(self, refugee: RefugeeData, volunteer: VolunteerData, ctx: Context) -> str:
        if not (volunteer.weekdays or volunteer.times):
            return _("no availability recorded")
        days = ", ".join(WEEKDAY_SHORT[d] for d in sorted(set(volunteer.weekdays)) if 0 <= d < 7)
        time_names = {"morning": _("mornings"), "afternoon": _("afternoons"), "evening": _("evenings")}
        times = ", ".join(time_names.get(t, t) for t in volunteer.times)
        return _("available on %(days)s (%(times)s); the household's times are not recorded") % {
            "days": days or "–",
            "times": times or "–",
        }
