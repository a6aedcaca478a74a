"""The reference data and settings of one matching run, read once."""

import datetime
import math

import numpy as np
from django.utils import timezone

from core.models import District, HelpArea, Language, Organisation, OrganisationKind, User
from core.permissions import acts_in_all_organisations
from tandems.matching.data import Context
from tandems.models import MatchingWeights

# matching pairs people: its scope is that of tandems.change (core.permissions decides who acts everywhere)
MATCHING_PERM = "tandems.change"


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = rlat2 - rlat1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(rlat1) * math.cos(rlat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def load_context(*, user: User | None, today: datetime.date | None = None) -> Context:
    weights = MatchingWeights.objects.filter(is_active=True).first() or MatchingWeights(name="Standard")
    districts = list(District.objects.values_list("pk", "name_de", "latitude", "longitude"))
    index = {pk: i for i, (pk, *_rest) in enumerate(districts)}
    km = np.zeros((len(districts), len(districts)), dtype=np.float32)
    for i, (_a, _n, lat1, lon1) in enumerate(districts):
        for j, (_b, _m, lat2, lon2) in enumerate(districts):
            km[i, j] = _haversine_km(float(lat1), float(lon1), float(lat2), float(lon2))
    languages = dict(Language.objects.values_list("pk", "name_de"))
    german_id = next((pk for pk, code in Language.objects.values_list("pk", "code") if code == "de"), None)
    organisations = list(Organisation.objects.values_list("pk", "short_name", "kind"))
    return Context(
        today=today or timezone.localdate(),
        weights=weights.as_dict(),
        max_distance_km=float(weights.max_distance_km),
        waiting_full_days=float(weights.waiting_full_days),
        weights_name=weights.name,
        district_names={pk: name for pk, name, *_rest in districts},
        district_index=index,
        km=km,
        language_names=languages,
        help_names=dict(HelpArea.objects.values_list("pk", "name_de")),
        german_id=german_id,
        fwz_id=next((pk for pk, _s, kind in organisations if kind == OrganisationKind.FWZ), None),
        # without a user (a proposal made by the system, not by a person) no person's scope narrows the pool
        all_organisations=user is None or acts_in_all_organisations(user=user, perm=MATCHING_PERM),
        organisation_names={pk: short for pk, short, _k in organisations},
    )
