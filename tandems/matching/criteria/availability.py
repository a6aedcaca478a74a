"""Availability: how much of the household's week the volunteer shares; without the household's times, the
breadth of the volunteer's week counts."""

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandems.matching.criteria.base import SoftCriterion
from tandems.matching.data import DAY_TIMES, WEEKDAY_SHORT, Context, RefugeeData, VolunteerData

DAY_SHARE, TIME_SHARE = 0.6, 0.4
NOTHING_RECORDED = 0.3  # a volunteer who recorded no times at all


def availability_breadth(weekdays: np.ndarray, times: np.ndarray) -> np.ndarray:
    """A volunteer free on more days (4 count fully) and at more times of day (2) is easier to fit with
    whatever the household's week looks like; nothing recorded scores 0.3. Arguments: the numbers of
    distinct weekdays and times of day of each volunteer."""
    breadth = np.minimum(1.0, weekdays / 4) * DAY_SHARE + np.minimum(1.0, times / 2) * TIME_SHARE
    return np.where((weekdays == 0) & (times == 0), NOTHING_RECORDED, breadth)


def availability_overlap(
    refugee_days: np.ndarray, refugee_times: np.ndarray, day_grid: np.ndarray, time_grid: np.ndarray
) -> np.ndarray:
    """The share of the household's weekdays (× 0.6) and of its parts of day (× 0.4) each volunteer shares.

    `refugee_days` (7) and `refugee_times` (3) are the household's week as booleans, `day_grid` and
    `time_grid` the volunteers' as boolean matrices (volunteers × 7, volunteers × 3). A part the household
    did not record counts by the volunteer's breadth, as without any times; a volunteer who recorded
    nothing scores 0.3."""
    vol_days, vol_times = day_grid.sum(axis=1), time_grid.sum(axis=1)
    n_days, n_times = int(refugee_days.sum()), int(refugee_times.sum())
    days = (day_grid & refugee_days).sum(axis=1) / n_days if n_days else np.minimum(1.0, vol_days / 4)
    times = (time_grid & refugee_times).sum(axis=1) / n_times if n_times else np.minimum(1.0, vol_times / 2)
    score = days * DAY_SHARE + times * TIME_SHARE
    return np.where((vol_days == 0) & (vol_times == 0), NOTHING_RECORDED, score)


def _week(refugee: RefugeeData) -> tuple[np.ndarray, np.ndarray]:
    days = np.zeros(7, dtype=bool)
    days[[d for d in refugee.weekdays if 0 <= d < 7]] = True
    return days, np.array([t in refugee.times for t in DAY_TIMES], dtype=bool)


def _time_names() -> dict[str, str]:
    return {"morning": _("mornings"), "afternoon": _("afternoons"), "evening": _("evenings")}


class Availability(SoftCriterion):
    key = "availability"
    label = gettext_lazy("Availability")

    def score(self, refugee: RefugeeData, pool, ctx: Context) -> np.ndarray:
        if not (refugee.weekdays or refugee.times):
            return pool.availability

        def overlap() -> np.ndarray:
            # per distinct week of the volunteers, then spread to each volunteer (a row-wise formula)
            days, times = _week(refugee)
            day_grid, time_grid, inverse = pool.weeks
            return availability_overlap(days, times, day_grid, time_grid).astype(np.float32)[inverse]

        return pool.cached((self.key, refugee.weekdays, refugee.times), overlap)

    def explain(self, refugee: RefugeeData, volunteer: VolunteerData, ctx: Context) -> str:
        if not (volunteer.weekdays or volunteer.times):
            return _("no availability recorded")
        names = _time_names()
        if refugee.weekdays or refugee.times:
            shared_days = sorted(set(volunteer.weekdays) & set(refugee.weekdays))
            shared_times = [t for t in DAY_TIMES if t in volunteer.times and t in refugee.times]
            if not (shared_days or shared_times):
                return _("no shared times")
            return _("shared times: %(days)s (%(times)s)") % {
                "days": ", ".join(WEEKDAY_SHORT[d] for d in shared_days if 0 <= d < 7) or "–",
                "times": ", ".join(names[t] for t in shared_times) or "–",
            }
        days = ", ".join(WEEKDAY_SHORT[d] for d in sorted(set(volunteer.weekdays)) if 0 <= d < 7)
        times = ", ".join(names.get(t, t) for t in volunteer.times)
        return _("available on %(days)s (%(times)s); the household's times are not recorded") % {
            "days": days or "–",
            "times": times or "–",
        }
