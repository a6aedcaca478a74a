"""Expected commitment (issue #20): how well the volunteer's plan covers what the household expects.

How long (months) counts 0.7, how often (meetings a month) 0.3, each as the share of the expectation the plan
covers (at most 1); when only one of the two is stated on both sides, that one counts alone. When neither is
stated on both sides the criterion does not count for that pair (`counts` is False there): its weight drops
out of the total, which is then exactly what it was without the criterion, and the words say so.
"""

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandems.matching.criteria.base import SoftCriterion
from tandems.matching.data import NEUTRAL, Context, RefugeeData, VolunteerData

MONTHS_SHARE = 0.7  # what the two sides expected of the match's length predicted how long it lasted


def _cover(planned: np.ndarray, expected: int | None) -> np.ndarray:
    """The share of the expectation the plan covers, at most 1; nan where either side is not stated."""
    if not expected:
        return np.full(planned.shape, np.nan, dtype=np.float32)
    return np.minimum(1.0, planned / float(expected)).astype(np.float32)


class Commitment(SoftCriterion):
    key = "commitment"
    label = gettext_lazy("Commitment")

    def _parts(self, refugee: RefugeeData, pool) -> tuple[np.ndarray, np.ndarray]:
        return _cover(pool.commitment_months, refugee.expected_months), _cover(
            pool.commitment_per_month, refugee.expected_per_month
        )

    def score(self, refugee: RefugeeData, pool, ctx: Context) -> np.ndarray:
        def cover() -> np.ndarray:
            months, meetings = self._parts(refugee, pool)
            both = MONTHS_SHARE * months + (1 - MONTHS_SHARE) * meetings
            score = np.where(np.isnan(months), meetings, np.where(np.isnan(meetings), months, both))
            return np.where(np.isnan(score), NEUTRAL, score).astype(np.float32)

        # a household shares its expectation with many others: once per pool and expectation
        return pool.cached((self.key, refugee.expected_months, refugee.expected_per_month), cover)

    def counts(self, refugee: RefugeeData, pool, ctx: Context) -> np.ndarray:
        def stated() -> np.ndarray:
            months, meetings = self._parts(refugee, pool)
            return ~(np.isnan(months) & np.isnan(meetings))

        return pool.cached(("commitment counts", refugee.expected_months, refugee.expected_per_month), stated)

    def explain(self, refugee: RefugeeData, volunteer: VolunteerData, ctx: Context) -> str:
        parts = []
        expected, planned = refugee.expected_months, volunteer.commitment_months
        if expected and planned:
            values = {"expected": expected, "planned": planned}
            if planned < expected:
                parts.append(_("expects %(expected)d months, the volunteer plans %(planned)d") % values)
            else:
                parts.append(_("plans %(planned)d months (expected %(expected)d)") % values)
        expected, planned = refugee.expected_per_month, volunteer.commitment_per_month
        if expected and planned:
            values = {"expected": expected, "planned": planned}
            if planned < expected:
                parts.append(
                    _("expects %(expected)d meetings a month, the volunteer can manage %(planned)d") % values
                )
            else:
                parts.append(_("%(planned)d meetings a month (expected %(expected)d)") % values)
        if parts:
            return "; ".join(parts)
        return self._unknown(refugee, volunteer)

    @staticmethod
    def _unknown(refugee: RefugeeData, volunteer: VolunteerData) -> str:
        household = refugee.expected_months or refugee.expected_per_month
        own = volunteer.commitment_months or volunteer.commitment_per_month
        if household and not own:
            return _("the volunteer's commitment is not stated: does not count")
        if own and not household:
            return _("the household's expectation is not stated: does not count")
        if own and household:
            return _("commitment and expectation stated about different things: does not count")
        return _("commitment not stated on either side: does not count")
