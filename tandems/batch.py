"""Batch proposal: pair everyone waiting with every free place at once, so that the sum of the scores is as
high as possible (the assignment problem, solved by `scipy.optimize.linear_sum_assignment`). A volunteer
with two free places is two columns. The greedy way (longest waiting first, each takes the best free place
left) is computed too, so the coordinator sees what the optimum gains."""

import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from scipy.optimize import linear_sum_assignment

from core.models import User
from tandems.matching import (
    RULES,
    Context,
    Pool,
    RefugeeData,
    Suggestion,
    VolunteerData,
    candidate_volunteers,
    load_context,
    load_refugees,
    load_volunteers,
    ready_with_free_place,
    score_refugee,
    suggestion,
    waiting_refugees,
)

BLOCKED = -1.0e6
# each hard rule in a few words (gettext_noop in tandems.matching.rules), for "most often: ..."
RULE_WORDS = {rule.key: rule.words for rule in RULES}


# how well a pair fits, in words: the lowest percentage of each band
FIT_WORDS = (
    (75, gettext_lazy("fits very well")),
    (55, gettext_lazy("fits well")),
    (35, gettext_lazy("fits in part")),
    (0, gettext_lazy("fits poorly")),
)


def fit_words(percent: int) -> str:
    return str(next(words for lowest, words in FIT_WORDS if percent >= lowest))


class ScoredPair:
    """What a proposed pair shows, for a pair computed now (`BatchPair`) and one read from a stored run
    (`tandems.batch_runs.StoredPair`): the subclass has `refugee`, `volunteer` (each with `pk`) and `score`."""

    @property
    def key(self) -> str:
        return f"{self.refugee.pk}-{self.volunteer.pk}"

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def fit(self) -> str:
        return fit_words(self.percent)


@dataclass
class BatchPair(ScoredPair):
    refugee: RefugeeData
    volunteer: VolunteerData
    score: float


@dataclass
class BatchResult:
    pairs: list[BatchPair] = field(default_factory=list)
    optimal_total: float = 0.0
    greedy_total: float = 0.0
    greedy_count: int = 0
    unmatched_refugees: list[tuple[RefugeeData, str]] = field(default_factory=list)
    unmatched_volunteers: list[tuple[VolunteerData, str]] = field(default_factory=list)
    refugee_count: int = 0
    place_count: int = 0
    waiting_total: int = 0  # everybody waiting; more than refugee_count when the run was bounded
    seconds: float = 0.0

    @property
    def is_partial(self) -> bool:
        return self.waiting_total > self.refugee_count

    @property
    def gain(self) -> float:
        return self.optimal_total - self.greedy_total

    @property
    def optimal_average(self) -> int:
        """The pairs' mean score in percent: what the total says about one pair."""
        return round(100 * self.optimal_total / len(self.pairs)) if self.pairs else 0

    @property
    def greedy_average(self) -> int:
        return round(100 * self.greedy_total / self.greedy_count) if self.greedy_count else 0


def _greedy(scores: np.ndarray, allowed: np.ndarray, places: np.ndarray) -> tuple[float, int]:
    """One after the other, longest waiting first (rows come in that order): the best free place left."""
    left = places.copy()
    total, count = 0.0, 0
    for k in range(scores.shape[0]):
        row = np.where(allowed[k] & (left > 0), scores[k], -np.inf)
        if not row.size:
            break
        j = int(np.argmax(row))
        if row[j] == -np.inf:
            continue
        left[j] -= 1
        total += float(scores[k, j])
        count += 1
    return total, count


def _cost(scores: np.ndarray, allowed: np.ndarray, places: np.ndarray, slot_to_volunteer: np.ndarray):
    """The solver's cost matrix, one column per free place. The solver works in float64 and minimises: the
    negated scores in float64 where the pair is allowed, -BLOCKED where not (exactly the numbers it was given
    before), and with one place per volunteer the columns are the volunteers as they are."""
    cost = np.empty(scores.shape, dtype=np.float64)
    _cost_rows(scores, allowed, cost)
    return cost if (places == 1).all() else cost[:, slot_to_volunteer]


def _cost_rows(scores: np.ndarray, allowed: np.ndarray, out: np.ndarray) -> None:
    """`out` = -scores (float64), -BLOCKED where a pair is not allowed; for one row or a matrix."""
    np.negative(scores, out=out)
    np.copyto(out, -BLOCKED, where=~allowed)


def _scored(refugees: list[RefugeeData], pool: Pool, slots: np.ndarray | None):
    """Each refugee scored against the pool: the scores (float32), the allowed pairs, the solver's cost
    matrix (filled row by row while the row is fresh; with `slots`, one column per free place) and, for
    those whom no volunteer is allowed, the counts of the rules that block."""
    n_r, n_v = len(refugees), len(pool)
    scores = np.empty((n_r, n_v), dtype=np.float32)
    allowed = np.empty((n_r, n_v), dtype=bool)
    cost = np.empty((n_r, n_v if slots is None else len(slots)), dtype=np.float64)
    row_cost = np.empty(n_v, dtype=np.float64)
    block_counts: list[Counter] = []
    for k, r in enumerate(refugees):
        row = score_refugee(r, pool, keep_parts=False)
        scores[k], allowed[k] = row.total, row.allowed
        if slots is None:
            _cost_rows(row.total, row.allowed, cost[k])
        else:
            _cost_rows(row.total, row.allowed, row_cost)
            cost[k] = row_cost[slots]
        if not row.allowed.any():
            block_counts.append(Counter({rule: int(mask.sum()) for rule, mask in row.blocks.items()}))
        else:
            block_counts.append(Counter())
    return scores, allowed, cost, block_counts


def compute(refugees: list[RefugeeData], volunteers: list[VolunteerData], ctx: Context) -> BatchResult:
    """The optimal assignment of `refugees` to the free places of `volunteers`, with the greedy total."""
    started = time.perf_counter()
    refugees = sorted(refugees, key=lambda r: (r.waiting_since is None, r.waiting_since, r.pk))
    volunteers = [v for v in volunteers if v.free > 0]
    pool = Pool.of(volunteers, ctx)
    result = BatchResult(refugee_count=len(refugees), place_count=int(sum(v.free for v in volunteers)))
    if not refugees or not volunteers:
        result.unmatched_refugees = [(r, _("no volunteer has a free place")) for r in refugees]
        result.unmatched_volunteers = [(v, _("nobody is waiting")) for v in volunteers]
        result.seconds = time.perf_counter() - started
        return result
    n_r, n_v = len(refugees), len(volunteers)
    places = pool.free.astype(np.int64)
    slot_to_volunteer = np.repeat(np.arange(n_v), places)
    one_place = bool((places == 1).all())
    scores, allowed, cost, block_counts = _scored(refugees, pool, None if one_place else slot_to_volunteer)
    rows, slots = linear_sum_assignment(cost)
    del cost
    matched_refugees, used = set(), Counter()
    for k, s in zip(rows, slots, strict=True):
        j = int(slot_to_volunteer[s])
        if not allowed[k, j]:
            continue
        result.pairs.append(
            BatchPair(refugee=refugees[k], volunteer=volunteers[j], score=float(scores[k, j]))
        )
        result.optimal_total += float(scores[k, j])
        matched_refugees.add(k)
        used[j] += 1
    result.pairs.sort(key=lambda p: -p.score)
    result.greedy_total, result.greedy_count = _greedy(scores, allowed, places)
    for k, r in enumerate(refugees):
        if k in matched_refugees:
            continue
        if not allowed[k].any():
            rule, _count = block_counts[k].most_common(1)[0]
            reason = _("no volunteer meets the fixed rules (most often: %(rule)s)") % {
                "rule": _(RULE_WORDS[rule])
            }
        elif n_r > result.place_count:
            reason = _("more people are waiting than there are free places; others scored higher")
        else:
            reason = _("the volunteers who fit are better used in other pairs")
        result.unmatched_refugees.append((r, reason))
    # the reasons once, the columns read at once (a column of the matrix is 2,000 cells far apart)
    fits_somebody = allowed.any(axis=0).tolist()
    no_fit = _("fits nobody who is waiting (fixed rules)")
    if len(result.pairs) == n_r:
        fits_but_left = _("everybody who fits already has a pair")
    else:
        fits_but_left = _("the people who fit are better served in other pairs")
    for j, (v, free) in enumerate(zip(volunteers, places.tolist(), strict=True)):
        if used[j] < free:
            result.unmatched_volunteers.append((v, fits_but_left if fits_somebody[j] else no_fit))
    result.seconds = time.perf_counter() - started
    return result


# The score matrix holds one cell per person waiting and free place (a float and two flags, about 10 bytes).
# 12 million cells (2,000 waiting by 6,000 places) stay near 120 MB and a few seconds; with more, one run takes
# the people who have waited longest, as many as fit, and the next run the next ones.
BATCH_MAX_CELLS = 12_000_000


def batch_proposal(*, user: User, max_cells: int | None = None) -> BatchResult:
    """Everyone waiting (the longest waiting, as many as the bound allows) and every free place the user may
    pair, read in a fixed number of queries."""
    max_cells = max_cells or BATCH_MAX_CELLS
    ctx = load_context(user=user)
    waiting = waiting_refugees(user=user)
    organisation_ids = set(waiting.order_by().values_list("organisation_id", flat=True).distinct())
    volunteers = load_volunteers(
        ready_with_free_place(candidate_volunteers(user=user, organisation_ids=organisation_ids))
    )
    places = sum(v.free for v in volunteers)
    ids = list(
        waiting.order_by("waiting_since", "pk").values_list("pk", flat=True)[
            : max(1, max_cells // max(1, places))
        ]
    )
    total = waiting.count()
    result = compute(load_refugees(waiting.filter(pk__in=ids)), volunteers, ctx)
    result.waiting_total = total
    return result


def explain_pairs(
    pairs: list[tuple[int, int]],
    *,
    refugees: list[RefugeeData],
    volunteers: list[VolunteerData],
    ctx: Context,
) -> dict[tuple[int, int], Suggestion]:
    """The explanation of each pair, scored in memory: each against its own volunteer only (a score does not
    depend on the other volunteers), so that explaining all pairs of a run grows with their number."""
    by_pk = {r.pk: r for r in refugees}
    volunteer_by_pk = {v.pk: v for v in volunteers}
    result = {}
    for refugee_pk, volunteer_pk in pairs:
        r, v = by_pk[refugee_pk], volunteer_by_pk[volunteer_pk]
        result[(refugee_pk, volunteer_pk)] = suggestion(r, v, score_refugee(r, Pool.of([v], ctx)), 0, ctx)
    return result
