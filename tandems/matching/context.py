"""The reference data and settings of one matching run, read once."""

import datetime
import math
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from core.models import District, HelpArea, Language, Organisation, OrganisationKind, User
from core.permissions import acts_in_all_organisations
from core.reference import reference_version
from tandems.matching.data import Context
from tandems.models import MatchingWeights

# matching pairs people: its scope is that of tandems.change (core.permissions decides who acts everywhere)
MATCHING_PERM = "tandems.change"


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = rlat2 - rlat1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(rlat1) * math.cos(rlat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class _Reference:
    districts: list[tuple]
    index: dict[int, int]
    km: np.ndarray
    language_names: dict[int, str]
    german_id: int | None
    help_names: dict[int, str]
    organisations: list[tuple]


_kept: tuple[str, _Reference] | None = None  # the reference data of this process, with its version


def _reference() -> _Reference:
    """Districts (with their distances), languages, areas of help and organisations, read once per process
    and reference version (core.reference: the version is one cache read, shared with the request's
    filter forms; every save of these tables replaces it)."""
    global _kept
    version = reference_version()
    if _kept is not None and _kept[0] == version:
        return _kept[1]
    districts = list(District.objects.values_list("pk", "name_de", "latitude", "longitude"))
    km = np.zeros((len(districts), len(districts)), dtype=np.float32)
    for i, (_a, _n, lat1, lon1) in enumerate(districts):
        for j, (_b, _m, lat2, lon2) in enumerate(districts):
            km[i, j] = _haversine_km(float(lat1), float(lon1), float(lat2), float(lon2))
    km.setflags(write=False)  # shared by every run of this process
    languages = list(Language.objects.values_list("pk", "name_de", "code"))
    reference = _Reference(
        districts=districts,
        index={pk: i for i, (pk, *_rest) in enumerate(districts)},
        km=km,
        language_names={pk: name for pk, name, _code in languages},
        german_id=next((pk for pk, _name, code in languages if code == "de"), None),
        help_names=dict(HelpArea.objects.values_list("pk", "name_de")),
        organisations=list(Organisation.objects.values_list("pk", "short_name", "kind")),
    )
    _kept = (version, reference)
    return reference


def load_context(*, user: User | None, today: datetime.date | None = None) -> Context:
    """The weights are read on every run, the reference tables once per process and version."""
    weights = MatchingWeights.objects.filter(is_active=True).first() or MatchingWeights(name="Standard")
    ref = _reference()
    return Context(
        today=today or timezone.localdate(),
        weights=weights.as_dict(),
        max_distance_km=float(weights.max_distance_km),
        waiting_full_days=float(weights.waiting_full_days),
        weights_name=weights.name,
        district_names={pk: name for pk, name, *_rest in ref.districts},
        district_index=ref.index,
        km=ref.km,
        language_names=ref.language_names,
        help_names=ref.help_names,
        german_id=ref.german_id,
        fwz_id=next((pk for pk, _s, kind in ref.organisations if kind == OrganisationKind.FWZ), None),
        # without a user (a proposal made by the system, not by a person) no person's scope narrows the pool
        all_organisations=user is None or acts_in_all_organisations(user=user, perm=MATCHING_PERM),
        organisation_names={pk: short for pk, short, _k in ref.organisations},
    )
