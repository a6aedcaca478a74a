"""The matching engine: hard rules, weighted soft criteria and an explanation for every suggestion.

Each soft criterion is one object in its own module of `criteria/` (its label, its weight field, how it
scores every candidate at once with numpy, how it explains one pair in words), each hard rule one object in
`rules.py`; `registry.py` lists both in order, and scoring (`scoring.py`), the explanation (`explain.py`),
the suggestions (`suggest.py`) and the batch (`tandems.batch`) iterate over it. Candidates are read once, a
fixed number of queries whatever their number, into named numpy columns (`pool.py`), and scored column-wise;
objects and German words are made only for the pairs that are shown. See docs/tandems.md.
"""

from tandems.matching.candidates import (
    candidate_volunteers,
    load_refugees,
    prefiltered,
    ready_with_free_place,
    waiting_refugees,
)
from tandems.matching.context import MATCHING_PERM, load_context
from tandems.matching.criteria.base import SoftCriterion
from tandems.matching.data import (
    AVAILABLE_STATUSES,
    GERMAN_LEVEL_SCORE,
    LEVEL_SCORE,
    NEUTRAL,
    Context,
    Criterion,
    RefugeeData,
    Scores,
    Suggestion,
    VolunteerData,
)
from tandems.matching.explain import block_reasons, explain, suggestion
from tandems.matching.pool import Pool, VolunteerColumns, load_volunteers
from tandems.matching.registry import CRITERIA, CRITERIA_LABELS, CRITERION_KEYS, RULE_KEYS, RULES
from tandems.matching.rules import HardRule
from tandems.matching.scoring import score_refugee
from tandems.matching.suggest import explain_pair, suggest_refugees, suggest_volunteers

__all__ = [
    "AVAILABLE_STATUSES",
    "CRITERIA",
    "CRITERIA_LABELS",
    "CRITERION_KEYS",
    "GERMAN_LEVEL_SCORE",
    "LEVEL_SCORE",
    "MATCHING_PERM",
    "NEUTRAL",
    "RULES",
    "RULE_KEYS",
    "Context",
    "Criterion",
    "HardRule",
    "Pool",
    "RefugeeData",
    "Scores",
    "SoftCriterion",
    "Suggestion",
    "VolunteerColumns",
    "VolunteerData",
    "block_reasons",
    "candidate_volunteers",
    "explain",
    "explain_pair",
    "load_context",
    "load_refugees",
    "load_volunteers",
    "prefiltered",
    "ready_with_free_place",
    "score_refugee",
    "suggest_refugees",
    "suggest_volunteers",
    "suggestion",
    "waiting_refugees",
]
