"""What a soft criterion is: a label, a weight, a score for every candidate at once, and words for one pair."""

from typing import TYPE_CHECKING

import numpy as np
from django.utils.functional import Promise

from tandems.matching.data import Context, RefugeeData, VolunteerData

if TYPE_CHECKING:
    from tandems.matching.pool import Pool


class SoftCriterion:
    """One soft criterion. `key` names it in the stored explanation and is the name of its weight field on
    `tandems.MatchingWeights` (a DecimalField, added by a migration)."""

    key: str
    label: Promise  # gettext_lazy: the column heading of the explanation

    def score(self, refugee: RefugeeData, pool: "Pool", ctx: Context) -> np.ndarray | float:
        """0..1 for every volunteer of the pool (a float32 array of len(pool)), or one number for all."""
        raise NotImplementedError

    def counts(self, refugee: RefugeeData, pool: "Pool", ctx: Context) -> np.ndarray | None:
        """Where the criterion counts at all (a boolean column); None: for every volunteer. Where it does not
        (nothing stated to judge by), its weight drops out of the pair's total."""
        return None

    def explain(self, refugee: RefugeeData, volunteer: VolunteerData, ctx: Context) -> str:
        """The score of one pair in words a coordinator understands (German by the active language)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key}>"
