"""Distance: 1 in the same city district, falling to 0 at the distance set with the weights."""

import numpy as np
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandems.matching.criteria.base import SoftCriterion
from tandems.matching.data import NEUTRAL, Context, RefugeeData, VolunteerData


class Distance(SoftCriterion):
    key = "distance"
    label = gettext_lazy("Distance")

    def score(self, refugee: RefugeeData, pool, ctx: Context) -> np.ndarray | float:
        r_district = ctx.district_index.get(refugee.district_id, -1) if refugee.district_id else -1
        if r_district < 0:
            return NEUTRAL

        def near() -> np.ndarray:
            km = ctx.km[r_district][np.maximum(pool.district, 0)]
            return np.where(pool.district < 0, NEUTRAL, np.clip(1 - km / ctx.max_distance_km, 0, 1))

        return pool.cached((self.key, r_district), near)

    def explain(self, refugee: RefugeeData, volunteer: VolunteerData, ctx: Context) -> str:
        if not (refugee.district_id and volunteer.district_id):
            return _("city district not known")
        if refugee.district_id == volunteer.district_id:
            return _("same city district (%(district)s)") % {
                "district": ctx.district_names.get(refugee.district_id, "?")
            }
        km = float(ctx.km[ctx.district_index[refugee.district_id], ctx.district_index[volunteer.district_id]])
        return _("%(km)s km apart (%(from)s – %(to)s)") % {
            "km": formats.number_format(round(km, 1), 1),
            "from": ctx.district_names.get(volunteer.district_id, "?"),
            "to": ctx.district_names.get(refugee.district_id, "?"),
        }
