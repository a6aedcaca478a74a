"""Families and children: a household with children and a volunteer who welcomes families fit best."""

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tandems.matching.criteria.base import SoftCriterion
from tandems.matching.data import Context, RefugeeData, VolunteerData
from volunteers.models import FamilyPreference


class FamiliesAndChildren(SoftCriterion):
    key = "family"
    label = gettext_lazy("Families and children")

    def score(self, refugee: RefugeeData, pool, ctx: Context) -> np.ndarray:
        if refugee.children_count > 0:
            return pool.cached(
                (self.key, True), lambda: np.where(pool.family_yes, 1.0, np.where(pool.family_no, 0.1, 0.7))
            )
        return pool.cached((self.key, False), lambda: np.where(pool.family_yes, 0.7, 1.0))

    def explain(self, refugee: RefugeeData, volunteer: VolunteerData, ctx: Context) -> str:
        family_pref = {
            FamilyPreference.YES: _("welcomes families with children"),
            FamilyPreference.NO: _("would rather not mentor families with children"),
            FamilyPreference.EITHER: _("no preference about children"),
        }.get(volunteer.pref_families, "")
        if not refugee.children_count:
            return _("no children in the household") + "; " + family_pref
        children = ngettext(
            "household with %(n)d child", "household with %(n)d children", refugee.children_count
        ) % {"n": refugee.children_count}
        return children + "; " + family_pref
