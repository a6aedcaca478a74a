"""The criteria and the hard rules, in order: everything that scores, explains or stores a match iterates here.

Adding a criterion: a module in `criteria/` with one `SoftCriterion` subclass, one line below, and its weight
as a DecimalField on `tandems.MatchingWeights` with a migration (docs/tandems.md, "Adding a criterion").
"""

from tandems.matching.criteria.age import AgePreference
from tandems.matching.criteria.availability import Availability
from tandems.matching.criteria.base import SoftCriterion
from tandems.matching.criteria.commitment import Commitment
from tandems.matching.criteria.distance import Distance
from tandems.matching.criteria.family import FamiliesAndChildren
from tandems.matching.criteria.interests import SharedInterests
from tandems.matching.criteria.language import SharedLanguage
from tandems.matching.criteria.needs import NeedsCovered
from tandems.matching.criteria.waiting import TimeWaited
from tandems.matching.rules import (
    Clearance,
    CoolOff,
    HardRule,
    NoCapacity,
    RefugeeGender,
    Scope,
    Unavailable,
    Untrained,
    VolunteerGender,
)

# the order of the explanation's rows and of the weights in the admin
CRITERIA: tuple[SoftCriterion, ...] = (
    SharedLanguage(),
    NeedsCovered(),
    Distance(),
    Availability(),
    SharedInterests(),
    AgePreference(),
    FamiliesAndChildren(),
    Commitment(),
    TimeWaited(),
)

# the order in which a blocked pair's reasons are listed
RULES: tuple[HardRule, ...] = (
    Scope(),
    Unavailable(),
    NoCapacity(),
    Untrained(),
    Clearance(),
    VolunteerGender(),
    RefugeeGender(),
    CoolOff(),
)

CRITERION_KEYS: tuple[str, ...] = tuple(c.key for c in CRITERIA)
CRITERIA_LABELS = {c.key: c.label for c in CRITERIA}
RULE_KEYS: tuple[str, ...] = tuple(r.key for r in RULES)
