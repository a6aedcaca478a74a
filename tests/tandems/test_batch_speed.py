"""The batch's speed-ups keep every number (issue #21): shared scores per pool and key, the availability per
distinct week, the solver's matrix filled row by row. Compared with scoring each refugee against a pool of
its own (nothing shared) and the solver's matrix built the way it was before."""

import dataclasses
import datetime
import random

import numpy as np
import pytest
from django.utils.translation import gettext as _
from scipy.optimize import linear_sum_assignment

from tandems.batch import BLOCKED, compute
from tandems.matching import Context, Pool, RefugeeData, VolunteerData, score_refugee
from tandems.matching.criteria.availability import Availability, _week, availability_overlap
from tandems.matching.criteria.commitment import Commitment
from tandems.matching.criteria.interests import SharedInterests
from tandems.matching.criteria.language import SharedLanguage
from tandems.matching.criteria.needs import NeedsCovered

TODAY = datetime.date(2026, 12, 1)
GERMAN, LANGUAGES = 50, (50, 51, 52, 53)
DISTRICTS = (1, 2, 3, 4)
INTERESTS = ("kochen", "fußball", "musik", "lesen", "schach")
TIMES = ("morning", "afternoon", "evening")


def _ctx() -> Context:
    km = np.array([[0, 2, 5, 9], [2, 0, 3, 7], [5, 3, 0, 4], [9, 7, 4, 0]], dtype=np.float32)
    return Context(
        today=TODAY,
        weights={
            "language": 3.0,
            "needs": 2.0,
            "distance": 2.0,
            "availability": 1.0,
            "interests": 1.0,
            "age": 1.0,
            "family": 1.0,
            "commitment": 2.0,
            "waiting": 1.5,
        },
        max_distance_km=10.0,
        waiting_full_days=180.0,
        weights_name="Standard",
        district_names={d: f"D{d}" for d in DISTRICTS},
        district_index={d: i for i, d in enumerate(DISTRICTS)},
        km=km,
        language_names={lang: f"L{lang}" for lang in LANGUAGES},
        help_names={h: f"H{h}" for h in range(1, 6)},
        german_id=GERMAN,
        fwz_id=900,
        all_organisations=True,
        organisation_names={900: "FWZ", 901: "P1", 902: "P2"},
    )


def _some(rng: random.Random, values, most: int) -> list:
    return rng.sample(list(values), rng.randint(0, most))


def _volunteer(rng: random.Random, pk: int) -> VolunteerData:
    age_min = rng.choice([None, 20, 30])
    return VolunteerData(
        pk=pk,
        name=f"V{pk}",
        organisation_id=rng.choice([900, 900, 901, 902]),
        status=rng.choice(["trained", "trained", "active", "paused"]),
        capacity=rng.choice([1, 1, 2]),
        open_count=0,
        is_trained=rng.random() > 0.1,
        is_cleared=rng.random() > 0.3,
        gender=rng.choice(["female", "male", "diverse", "unspecified"]),
        pref_gender=rng.choice(["any", "any", "any", "female", "male"]),
        pref_families=rng.choice(["yes", "no", "either"]),
        pref_age_min=age_min,
        pref_age_max=None if age_min is None else age_min + rng.choice([10, 30]),
        district_id=rng.choice([None, *DISTRICTS]),
        # few weeks, shared by many volunteers (as in the seeded data)
        weekdays=rng.choice([(), (0, 2), (5, 6), (0, 1, 2, 3, 4)]),
        times=rng.choice([(), ("evening",), ("morning", "afternoon")]),
        interests=frozenset(_some(rng, INTERESTS, 3)),
        languages={
            lang: rng.choice(["native", "fluent", "good", "basic"]) for lang in _some(rng, LANGUAGES, 3)
        },
        help_areas=frozenset(_some(rng, range(1, 6), 3)),
        released_to=frozenset(),
        commitment_months=rng.choice([None, 6, 12]),
        commitment_per_month=rng.choice([None, 2, 4]),
    )


def _refugee(rng: random.Random, pk: int) -> RefugeeData:
    return RefugeeData(
        pk=pk,
        name=f"R{pk}",
        organisation_id=rng.choice([900, 901, 902]),
        status="waiting",
        gender=rng.choice(["female", "male", "unspecified"]),
        pref_volunteer_gender=rng.choice(["any", "any", "female"]),
        german_level=rng.choice(["A0", "A2", "B1", "C1"]),
        birth_year=rng.choice([None, 1970, 1990, 2001]),
        children_count=rng.choice([0, 0, 2]),
        youngest_birth_year=rng.choice([None, 2015]),
        district_id=rng.choice([None, *DISTRICTS]),
        waiting_since=TODAY - datetime.timedelta(days=rng.randint(0, 400)),
        languages=frozenset(_some(rng, LANGUAGES, 2)),
        needs=frozenset(_some(rng, range(1, 6), 2)),
        interests=frozenset(_some(rng, INTERESTS, 2)),
        weekdays=tuple(sorted(_some(rng, range(7), 3))),
        times=tuple(t for t in TIMES if t in _some(rng, TIMES, 2)),
        expected_months=rng.choice([None, 6, 12]),
        expected_per_month=rng.choice([None, 2, 4]),
    )


@pytest.fixture
def data(db):
    rng = random.Random(21)
    return [_refugee(rng, k) for k in range(1, 121)], [_volunteer(rng, 1000 + k) for k in range(150)], _ctx()


def _pairs_scored_alone(refugees, volunteers, ctx):
    """The batch as it was computed before: each refugee scored against a pool of its own (no score shared
    between refugees), the solver's matrix by the formula of before, the pairs it picks."""
    refugees = sorted(refugees, key=lambda r: (r.waiting_since is None, r.waiting_since, r.pk))
    scores = np.empty((len(refugees), len(volunteers)), dtype=np.float32)
    allowed = np.empty(scores.shape, dtype=bool)
    for k, r in enumerate(refugees):
        row = score_refugee(r, Pool.of(volunteers, ctx), keep_parts=False)
        scores[k], allowed[k] = row.total, row.allowed
    slots = np.repeat(np.arange(len(volunteers)), [v.free for v in volunteers])
    rows, columns = linear_sum_assignment(-np.where(allowed, scores, BLOCKED)[:, slots].astype(np.float64))
    return sorted(
        (refugees[k].pk, volunteers[slots[s]].pk, float(scores[k, slots[s]]))
        for k, s in zip(rows, columns, strict=True)
        if allowed[k, slots[s]]
    ), allowed


def _unmatched_volunteers_as_before(volunteers, pairs, allowed, n_r):
    used = {v.pk: sum(1 for _r, pk, _s in pairs if pk == v.pk) for v in volunteers}
    left = []
    for j, v in enumerate(volunteers):
        if used[v.pk] >= v.free:
            continue
        if not allowed[:, j].any():
            left.append((v.pk, _("fits nobody who is waiting (fixed rules)")))
        elif len(pairs) == n_r:
            left.append((v.pk, _("everybody who fits already has a pair")))
        else:
            left.append((v.pk, _("the people who fit are better served in other pairs")))
    return left


def test_the_batch_proposes_the_pairs_and_scores_of_each_refugee_scored_alone(data):
    refugees, volunteers, ctx = data
    assert any(v.free == 2 for v in volunteers)  # places of one volunteer are several columns
    result = compute(refugees, volunteers, ctx)
    expected, allowed = _pairs_scored_alone(refugees, volunteers, ctx)
    assert sorted((p.refugee.pk, p.volunteer.pk, p.score) for p in result.pairs) == expected
    assert result.optimal_total == sum(score for _r, _v, score in sorted(expected, key=lambda p: -p[2]))
    left = _unmatched_volunteers_as_before(volunteers, expected, allowed, len(refugees))
    assert _("fits nobody who is waiting (fixed rules)") in {why for _pk, why in left}
    assert [(v.pk, str(why)) for v, why in result.unmatched_volunteers] == left


def test_the_batch_with_one_place_each_proposes_the_same_as_scored_alone(data):
    refugees, volunteers, ctx = data
    volunteers = [v for v in volunteers if v.free == 1]
    result = compute(refugees, volunteers, ctx)
    expected, _allowed = _pairs_scored_alone(refugees, volunteers, ctx)
    assert sorted((p.refugee.pk, p.volunteer.pk, p.score) for p in result.pairs) == expected


def test_the_availability_is_computed_once_per_distinct_week_with_the_same_numbers(data):
    refugees, volunteers, ctx = data
    pool = Pool.of(volunteers, ctx)
    day_grid, time_grid, inverse = pool.weeks
    assert len(day_grid) == len({(v.weekdays, v.times) for v in volunteers}) < len(pool)
    assert np.array_equal(day_grid[inverse], pool.day_grid) and np.array_equal(
        time_grid[inverse], pool.time_grid
    )
    for r in refugees:
        if r.weekdays or r.times:
            days, times = _week(r)
            whole = availability_overlap(days, times, pool.day_grid, pool.time_grid).astype(np.float32)
            assert np.array_equal(Availability().score(r, pool, ctx), whole)


def test_the_scores_that_depend_on_a_few_fields_of_the_household_are_shared_per_pool(data):
    refugees, volunteers, ctx = data
    pool = Pool.of(volunteers, ctx)
    first = refugees[0]
    second = dataclasses.replace(first, pk=999, name="other", district_id=None)
    for criterion in (SharedLanguage(), NeedsCovered(), SharedInterests(), Commitment()):
        alone = criterion.score(first, Pool.of(volunteers, ctx), ctx)
        shared = criterion.score(first, pool, ctx)
        assert np.array_equal(shared, alone) and np.asarray(shared).dtype == np.asarray(alone).dtype
        assert criterion.score(second, pool, ctx) is shared or np.isscalar(shared)
    assert Commitment().counts(second, pool, ctx) is Commitment().counts(first, pool, ctx)


def test_the_rules_masks_and_the_allowed_pairs_are_shared_per_pool(data):
    """The hard rules depend on a few fields of the household: each mask and their union once per pool."""
    refugees, volunteers, ctx = data
    pool = Pool.of(volunteers, ctx)
    first = refugees[0]
    second = dataclasses.replace(first, pk=999, name="other", interests=frozenset({"schach"}))
    one, other = score_refugee(first, pool), score_refugee(second, pool)
    assert all(other.blocks[key] is mask for key, mask in one.blocks.items())
    assert other.allowed is one.allowed
    alone = score_refugee(first, Pool.of(volunteers, ctx))
    assert np.array_equal(one.allowed, alone.allowed) and np.array_equal(one.total, alone.total)
    assert all(np.array_equal(one.blocks[key], mask) for key, mask in alone.blocks.items())
