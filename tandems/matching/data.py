"""The plain data one matching run works on: the people as dataclasses, the run's context, the results."""

import datetime
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils import timezone

from core.models import User
from volunteers.models import MATCHABLE_STATUSES

AVAILABLE_STATUSES = MATCHABLE_STATUSES  # the same tuple as the condition of volunteer_matchable_idx
LEVEL_SCORE = {"native": 1.0, "fluent": 1.0, "good": 0.8, "basic": 0.4}
GERMAN_LEVEL_SCORE = {"A0": 0.0, "A1": 0.0, "A2": 0.5, "B1": 1.0, "B2": 1.0, "C1": 1.0, "C2": 1.0}
WEEKDAY_SHORT = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
DAY_TIMES = ("morning", "afternoon", "evening")  # the columns of the pool's time grid, in this order
NEUTRAL = 0.5  # a criterion that cannot be judged (nothing recorded) neither helps nor hurts much


@dataclass(slots=True)
class VolunteerData:
    pk: int
    name: str
    organisation_id: int
    status: str
    capacity: int
    open_count: int
    is_trained: bool  # the required basic training is done (trained_on is set)
    is_cleared: bool  # police clearance valid today
    gender: str
    pref_gender: str
    pref_families: str
    pref_age_min: int | None
    pref_age_max: int | None
    district_id: int | None
    weekdays: tuple[int, ...]
    times: tuple[str, ...]
    interests: frozenset[str]
    languages: dict[int, str]
    help_areas: frozenset[int]
    released_to: frozenset[int]
    # what the volunteer can commit to (months, meetings a month); None: not stated
    commitment_months: int | None = None
    commitment_per_month: int | None = None

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.open_count)


@dataclass(slots=True)
class RefugeeData:
    pk: int
    name: str
    organisation_id: int
    status: str
    gender: str
    pref_volunteer_gender: str
    german_level: str
    birth_year: int | None
    children_count: int
    youngest_birth_year: int | None
    district_id: int | None
    waiting_since: datetime.date | None
    languages: frozenset[int]
    needs: frozenset[int]
    interests: frozenset[str]
    # the household's week (the volunteers' grid); empty: not recorded, the volunteer's breadth counts
    weekdays: tuple[int, ...] = ()
    times: tuple[str, ...] = ()
    # what the household expects of a tandem (months, meetings a month); None: not stated
    expected_months: int | None = None
    expected_per_month: int | None = None

    def has_minors(self, today: datetime.date) -> bool:
        return self.youngest_birth_year is not None and today.year - self.youngest_birth_year < 18


@dataclass
class Context:
    """Reference data and settings for one matching run, read once."""

    today: datetime.date
    weights: dict[str, float]
    max_distance_km: float
    waiting_full_days: float
    weights_name: str
    district_names: dict[int, str]
    district_index: dict[int, int]
    km: np.ndarray
    language_names: dict[int, str]
    help_names: dict[int, str]
    german_id: int | None
    fwz_id: int | None
    all_organisations: bool
    organisation_names: dict[int, str]


@dataclass
class Criterion:
    """One criterion's part in one pair's explanation (what the page shows and the tandem stores)."""

    key: str
    label: str
    score: float
    weight: float
    text: str

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass
class Scores:
    """One refugee against every volunteer of a pool: the total, the hard rules as masks."""

    total: np.ndarray
    allowed: np.ndarray
    parts: dict[str, np.ndarray]
    blocks: dict[str, np.ndarray]
    # the criteria that count only where something is stated: True where they count (docs/tandems.md)
    counted: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class Suggestion:
    refugee: RefugeeData
    volunteer: VolunteerData
    total: float
    criteria: list[Criterion] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    risk: Any = None  # tandems.matching.risk.Risk, for the pairs shown or proposed

    @property
    def percent(self) -> int:
        return round(self.total * 100)

    @property
    def is_blocked(self) -> bool:
        return bool(self.blocked)

    def as_record(self, *, decided_by: User | None, mode: str) -> dict[str, Any]:
        """What is stored with a proposed tandem: why it was made, by whom, under which weights."""
        return {
            "total": round(self.total, 4),
            "criteria": [
                {
                    "key": c.key,
                    "label": c.label,
                    "score": round(c.score, 4),
                    "weight": c.weight,
                    "text": c.text,
                }
                for c in self.criteria
            ],
            "weights": {c.key: c.weight for c in self.criteria},
            "decided_by": str(decided_by) if decided_by else "",
            "decided_by_id": decided_by.pk if decided_by else None,
            "decided_at": timezone.now().isoformat(timespec="seconds"),
            "mode": mode,
            **({"risk": self.risk.as_record()} if self.risk is not None else {}),
        }
